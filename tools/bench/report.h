/* SPDX-License-Identifier: MIT */
/*
 * Layer: tools. What lksync-bench measured and how it is shown: a table is
 * one workload over one family's adapters; a configuration is one table
 * row at one thread count, with its per-repetition results and medians.
 */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stdio.h>
#include "bench.h"

struct bench_table {
	const char *key;		/* CSV family column; --family matches it */
	const char *title;
	enum bench_family family;
	enum bench_workload workload;
	unsigned fixed;			/* only this thread count (1, or 2 for ping-pong) */
	int show_ns;			/* cells in CPU ns per op, not Mops/s */
	int latency;			/* shows wall ns per op: one-way wake-up latency */
	int writer;			/* W_SEQ: plus one concurrent writer; on request */
};

struct bench_config {
	const struct bench_table *table;
	const struct bench_adapter *adapter;
	unsigned threads;
	unsigned reps;			/* repetitions done */
	double *mops, *fair, *ns;	/* per repetition */
	double med_mops, med_fair;	/* medians over repetitions */
	double ns_per_op;		/* median CPU ns the threads spent per op */
};

struct bench_results {
	struct bench_config *cfg;
	unsigned nr_cfg;
	const struct bench_table *tables;
	unsigned nr_tables;
	const unsigned *threads;	/* the thread-count columns */
	unsigned nr_threads;
};

void bench_print_tables(FILE *f, const struct bench_results *res);
/* Returns the number of failed targets. */
int bench_print_targets(FILE *f, const struct bench_results *res);
int bench_write_csv(const char *path, const struct bench_results *res);
int bench_plot(const char *path, const struct bench_results *res);

#endif /* BENCH_REPORT_H */
