/* SPDX-License-Identifier: MIT */
/*
 * lksync-bench: the execution-context tables (interrupts, timers,
 * workqueues). Unlike the lock tables they are not loops over adapters: each
 * measures a latency distribution or a throughput with its own harness and
 * prints its own table, baselines side by side, medians over repetitions.
 */
#ifndef BENCH_CONTEXT_H
#define BENCH_CONTEXT_H

#include <stdio.h>

struct bench_ctx_params {
	double duration;	/* seconds per measured run */
	unsigned reps;		/* repetitions; medians are reported */
	FILE *csv;		/* rows "family,adapter,threads,value,unit", or NULL */
};

/*
 * Each prints its table (and its targets, if the issue sets any) to @out.
 * Return: the number of failed targets.
 */
int bench_irq_latency(FILE *out, const struct bench_ctx_params *p);
int bench_timer_accuracy(FILE *out, const struct bench_ctx_params *p);
int bench_workqueue(FILE *out, const struct bench_ctx_params *p);

#endif /* BENCH_CONTEXT_H */
