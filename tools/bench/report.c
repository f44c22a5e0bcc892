// SPDX-License-Identifier: MIT
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"

#define CELL	15

static const char *num(char *buf, size_t n, double v)
{
	if (v >= 1000)
		snprintf(buf, n, "%.0f", v);
	else if (v >= 100)
		snprintf(buf, n, "%.1f", v);
	else if (v >= 1)
		snprintf(buf, n, "%.2f", v);
	else if (v >= 0.01)
		snprintf(buf, n, "%.3f", v);
	else if (v > 0)
		snprintf(buf, n, "%.1e", v);
	else
		snprintf(buf, n, "0");
	return buf;
}

static const struct bench_config *find(const struct bench_results *res, const char *table,
				       const char *adapter, unsigned threads)
{
	for (unsigned i = 0; i < res->nr_cfg; i++) {
		const struct bench_config *c = &res->cfg[i];

		if (!strcmp(c->table->key, table) && !strcmp(c->adapter->key, adapter) &&
		    c->threads == threads)
			return c;
	}
	return NULL;
}

/*
 * Wall-clock ns per operation; for ping-pong, one-way wake-to-run. The
 * median of the rates gives the median latency (odd repetitions).
 */
static double latency_ns(const struct bench_config *c)
{
	return c->med_mops > 0 ? 1e3 / c->med_mops : INFINITY;
}

static void cell(FILE *f, const struct bench_config *c)
{
	char a[32], s[64];

	if (!c)
		snprintf(s, sizeof(s), "-");
	else if (c->table->show_ns)
		snprintf(s, sizeof(s), "%s ns", num(a, sizeof(a), c->ns_per_op));
	else
		snprintf(s, sizeof(s), "%s (%.2f)", num(a, sizeof(a), c->med_mops), c->med_fair);
	fprintf(f, " %*s", CELL, s);
}

static void print_table(FILE *f, const struct bench_results *res, const struct bench_table *tb)
{
	const struct bench_adapter *rows[64];
	unsigned nr_rows = 0;
	char a[32], b[32];

	for (unsigned i = 0; i < res->nr_cfg; i++) {
		const struct bench_adapter *ad = res->cfg[i].adapter;
		unsigned r;

		if (res->cfg[i].table != tb)
			continue;
		for (r = 0; r < nr_rows && rows[r] != ad; r++)
			;
		if (r == nr_rows && nr_rows < 64)
			rows[nr_rows++] = ad;
	}
	if (!nr_rows)
		return;
	/* lksync's rows first, each group in adapter-list order */
	for (unsigned i = 1; i < nr_rows; i++) {
		const struct bench_adapter *ad = rows[i];
		unsigned j = i;

		if (strncmp(ad->key, "lksync", 6))
			continue;
		for (; j > 0 && strncmp(rows[j - 1]->key, "lksync", 6); j--)
			rows[j] = rows[j - 1];
		rows[j] = ad;
	}

	fprintf(f, "\n== %s: %s\n", tb->key, tb->title);
	if (tb->latency) {
		fprintf(f, "%-26s %*s %*s\n", "adapter", CELL, "wake ns", CELL, "CPU ns/wake");
		for (unsigned r = 0; r < nr_rows; r++) {
			const struct bench_config *c = find(res, tb->key, rows[r]->key, tb->fixed);

			fprintf(f, "%-26s %*s %*s\n", rows[r]->name,
				CELL, num(a, sizeof(a), latency_ns(c)),
				CELL, num(b, sizeof(b), c->ns_per_op));
		}
		return;
	}
	if (tb->fixed) {
		fprintf(f, "%-26s %*s %*s\n", "adapter", CELL, "CPU ns/op", CELL, "Mops/s");
		for (unsigned r = 0; r < nr_rows; r++) {
			const struct bench_config *c = find(res, tb->key, rows[r]->key, tb->fixed);

			fprintf(f, "%-26s %*s %*s\n", rows[r]->name,
				CELL, num(a, sizeof(a), c->ns_per_op),
				CELL, num(b, sizeof(b), c->med_mops));
		}
		return;
	}
	fprintf(f, "%s\n", tb->show_ns ? "cells: CPU ns per operation"
				       : "cells: Mops/s, all threads (fairness: min/max per-thread ops)");
	fprintf(f, "%-26s", "adapter \\ threads");
	for (unsigned k = 0; k < res->nr_threads; k++)
		fprintf(f, " %*u", CELL, res->threads[k]);
	fprintf(f, "\n");
	for (unsigned r = 0; r < nr_rows; r++) {
		fprintf(f, "%-26s", rows[r]->name);
		for (unsigned k = 0; k < res->nr_threads; k++)
			cell(f, find(res, tb->key, rows[r]->key, res->threads[k]));
		fprintf(f, "\n");
	}
}

void bench_print_tables(FILE *f, const struct bench_results *res)
{
	for (unsigned t = 0; t < res->nr_tables; t++)
		print_table(f, res, &res->tables[t]);
}

struct tally {
	unsigned pass, fail, skip;
};

static void verdict(FILE *f, struct tally *t, int ok, const char *what, const char *detail)
{
	const char *s = ok > 0 ? "PASS" : ok == 0 ? "FAIL" : "SKIP";

	if (ok > 0)
		t->pass++;
	else if (ok == 0)
		t->fail++;
	else
		t->skip++;
	fprintf(f, "%s  %-52s %s\n", s, what, detail);
}

static const char *missing(char *buf, size_t n, const char *table, const char *a,
			   const char *b, unsigned threads)
{
	snprintf(buf, n, "not measured: needs %s and %s in table %s at %u thread%s",
		 a, b, table, threads, threads > 1 ? "s" : "");
	return buf;
}

/* lksync adapter lk's throughput >= factor x baseline's, in table at threads */
static void at_least(FILE *f, struct tally *t, const struct bench_results *res,
		     const char *table, unsigned threads, const char *lk, const char *base,
		     double factor, const char *what)
{
	const struct bench_config *a, *b;
	char buf[160], x[32], y[32];
	double ratio;

	a = find(res, table, lk, threads);
	b = find(res, table, base, threads);
	if (!a || !b) {
		verdict(f, t, -1, what, missing(buf, sizeof(buf), table, lk, base, threads));
		return;
	}
	ratio = b->med_mops > 0 ? a->med_mops / b->med_mops : (a->med_mops > 0 ? INFINITY : 0);
	snprintf(buf, sizeof(buf), ratio < 1000 ? "%s vs %s Mops/s: ratio %.2f, need >= %.2f"
						  : "%s vs %s Mops/s: ratio %.3g, need >= %.2f",
		 num(x, sizeof(x), a->med_mops), num(y, sizeof(y), b->med_mops), ratio, factor);
	verdict(f, t, ratio >= factor, what, buf);
}

static void fair_at_least(FILE *f, struct tally *t, const struct bench_results *res,
			  const char *table, unsigned threads, const char *lk, double need,
			  const char *what)
{
	const struct bench_config *a = find(res, table, lk, threads);
	char buf[160];

	if (a) {
		snprintf(buf, sizeof(buf), "min/max per-thread ops %.2f, need >= %.2f",
			 a->med_fair, need);
		verdict(f, t, a->med_fair >= need, what, buf);
	} else {
		snprintf(buf, sizeof(buf), "not measured: needs %s in table %s at %u threads",
			 lk, table, threads);
		verdict(f, t, -1, what, buf);
	}
}

/* CPU ns per op of lk <= factor x base's (1 thread), or wall ns for latency */
static void cost_at_most(FILE *f, struct tally *t, const struct bench_results *res,
			 const char *table, unsigned threads, const char *lk,
			 const char *base, double factor, int wall, const char *what)
{
	const struct bench_config *a = find(res, table, lk, threads);
	const struct bench_config *b = find(res, table, base, threads);
	char buf[160];
	double x, y;

	if (!a || !b) {
		verdict(f, t, -1, what, missing(buf, sizeof(buf), table, lk, base, threads));
		return;
	}
	x = wall ? latency_ns(a) : a->ns_per_op;
	y = wall ? latency_ns(b) : b->ns_per_op;
	snprintf(buf, sizeof(buf), "%.2f vs %.2f ns: ratio %.2f, need <= %.2f",
		 x, y, y > 0 ? x / y : 0, factor);
	verdict(f, t, x <= y * factor, what, buf);
}

/* Issue 3: the sleeping primitives against glibc (and the bare futex). */
static void sleeping_targets(FILE *f, struct tally *t, const struct bench_results *res)
{
	static const unsigned oversub[] = { 8, 32 };
	char what[96];

	cost_at_most(f, t, res, "mutex-uncontended", 1, "lksync_mutex", "pthread_mutex", 1.0, 0,
		     "(6) uncontended mutex_lock+unlock <= pthread_mutex");
	at_least(f, t, res, "mutex", 2, "lksync_mutex", "pthread_mutex", 1.0,
		 "(7) 2 threads: mutex >= pthread_mutex_t");
	for (unsigned i = 0; i < 2; i++) {
		unsigned th = oversub[i];

		snprintf(what, sizeof(what), "(8) %u threads: mutex >= 1.2x pthread_mutex_t", th);
		at_least(f, t, res, "mutex", th, "lksync_mutex", "pthread_mutex", 1.2, what);
		snprintf(what, sizeof(what), "(8) %u threads: mutex fairness >= 0.3", th);
		fair_at_least(f, t, res, "mutex", th, "lksync_mutex", 0.3, what);
	}
	for (unsigned k = 0; k < res->nr_threads; k++) {
		unsigned th = res->threads[k];
		const char *s = th > 1 ? "s" : "";

		snprintf(what, sizeof(what), "(9) %u thread%s: semaphore (1) >= sem_t", th, s);
		at_least(f, t, res, "sem", th, "lksync_sem", "posix_sem", 1.0, what);
		snprintf(what, sizeof(what), "(9) %u thread%s: semaphore (%d) >= sem_t", th, s,
			 BENCH_SEM_COUNT);
		at_least(f, t, res, "sem-count", th, "lksync_sem_count", "posix_sem_count", 1.0,
			 what);
	}
	for (unsigned k = 0; k < res->nr_threads; k++) {
		unsigned th = res->threads[k];
		const char *s = th > 1 ? "s" : "";

		snprintf(what, sizeof(what), "(10) %u thread%s: rwsem readers >= pthread_rwlock_t",
			 th, s);
		at_least(f, t, res, "rwsem-read", th, "lksync_rwsem", "pthread_rwlock", 1.0, what);
		snprintf(what, sizeof(what), "(10) %u thread%s: rwsem 90/10 >= pthread_rwlock_t",
			 th, s);
		at_least(f, t, res, "rwsem-mix", th, "lksync_rwsem", "pthread_rwlock", 1.0, what);
	}
	cost_at_most(f, t, res, "wakeup", 2, "lksync_completion", "futex_pingpong", 1.2, 1,
		     "(11) completion wake-up latency <= 1.2x bare futex");
}

int bench_print_targets(FILE *f, const struct bench_results *res)
{
	static const unsigned oversub[] = { 8, 32 };
	const struct bench_config *a, *b;
	struct tally t = { 0 };
	char what[96], buf[160];

	fprintf(f, "\n== targets: lksync against the baselines of this run (medians)\n");

	a = find(res, "uncontended", "lksync_spin", 1);
	b = find(res, "uncontended", "pthread_spin", 1);
	if (a && b) {
		snprintf(buf, sizeof(buf), "%.2f vs %.2f ns: ratio %.2f, need <= 1.00",
			 a->ns_per_op, b->ns_per_op, b->ns_per_op > 0 ? a->ns_per_op / b->ns_per_op : 0);
		verdict(f, &t, a->ns_per_op <= b->ns_per_op,
			"(1) uncontended spin_lock+unlock <= pthread_spin", buf);
	} else {
		verdict(f, &t, -1, "(1) uncontended spin_lock+unlock <= pthread_spin",
			missing(buf, sizeof(buf), "uncontended", "lksync_spin", "pthread_spin", 1));
	}

	at_least(f, &t, res, "spin", 2, "lksync_spin", "pthread_spin", 2.0,
		 "(2) 2 threads: spin_lock >= 2x pthread_spinlock_t");
	at_least(f, &t, res, "spin", 2, "lksync_spin", "ck_fas", 0.8,
		 "(2) 2 threads: spin_lock >= 0.8x ck fas");

	for (unsigned i = 0; i < 2; i++) {
		unsigned th = oversub[i];

		snprintf(what, sizeof(what), "(3) %u threads: spin_lock >= pthread_mutex_t", th);
		at_least(f, &t, res, "spin", th, "lksync_spin", "pthread_mutex", 1.0, what);
		snprintf(what, sizeof(what), "(3) %u threads: spin_lock >= 50x ck mcs", th);
		at_least(f, &t, res, "spin", th, "lksync_spin", "ck_mcs", 50.0, what);
		snprintf(what, sizeof(what), "(3) %u threads: spin_lock fairness >= 0.3", th);
		fair_at_least(f, &t, res, "spin", th, "lksync_spin", 0.3, what);
	}

	for (unsigned k = 0; k < res->nr_threads; k++) {
		unsigned th = res->threads[k];

		snprintf(what, sizeof(what), "(4) %u thread%s: rwlock readers >= pthread_rwlock_t",
			 th, th > 1 ? "s" : "");
		at_least(f, &t, res, "rw-read", th, "lksync_rwlock", "pthread_rwlock", 1.0, what);
		snprintf(what, sizeof(what), "(4) %u thread%s: rwlock 90/10 >= pthread_rwlock_t",
			 th, th > 1 ? "s" : "");
		at_least(f, &t, res, "rw-mix", th, "lksync_rwlock", "pthread_rwlock", 1.0, what);
	}

	a = find(res, "seq", "lksync_seqlock", 1);
	b = find(res, "seq", "plain_read", 1);
	if (a && b) {
		snprintf(buf, sizeof(buf), "%.2f vs %.2f ns: %+.2f ns, need <= +2.00",
			 a->ns_per_op, b->ns_per_op, a->ns_per_op - b->ns_per_op);
		verdict(f, &t, a->ns_per_op <= b->ns_per_op + 2.0,
			"(5) seqlock read <= plain read + 2 ns, 1 thread", buf);
	} else {
		verdict(f, &t, -1, "(5) seqlock read <= plain read + 2 ns, 1 thread",
			missing(buf, sizeof(buf), "seq", "lksync_seqlock", "plain_read", 1));
	}

	sleeping_targets(f, &t, res);

	fprintf(f, "targets: %u passed, %u failed, %u not measured\n", t.pass, t.fail, t.skip);
	return (int)t.fail;
}

int bench_write_csv(const char *path, const struct bench_results *res)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		return -1;
	}
	fprintf(f, "family,adapter,threads,mops,fairness,ns_per_op,reps\n");
	for (unsigned i = 0; i < res->nr_cfg; i++) {
		const struct bench_config *c = &res->cfg[i];

		fprintf(f, "%s,%s,%u,%.6g,%.4f,%.6g,%u\n", c->table->key, c->adapter->name,
			c->threads, c->med_mops, c->med_fair, c->ns_per_op, c->reps);
	}
	if (fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

/* One panel per multi-thread table, one line per adapter, log-log. */
int bench_plot(const char *path, const struct bench_results *res)
{
	const struct bench_table *panels[16];
	unsigned nr_panels = 0, cols, rows;
	FILE *g;
	int rc;

	for (unsigned t = 0; t < res->nr_tables && nr_panels < 16; t++) {
		const struct bench_table *tb = &res->tables[t];

		if (tb->fixed)
			continue;
		for (unsigned i = 0; i < res->nr_cfg; i++) {
			if (res->cfg[i].table == tb) {
				panels[nr_panels++] = tb;
				break;
			}
		}
	}
	if (!nr_panels) {
		fprintf(stderr, "lksync-bench: --plot: no multi-thread table was run\n");
		return -1;
	}
	g = popen("gnuplot", "w");
	if (!g) {
		perror("lksync-bench: gnuplot");
		return -1;
	}
	cols = nr_panels > 1 ? 2 : 1;
	rows = (nr_panels + cols - 1) / cols;
	fprintf(g, "set terminal pngcairo size %u,%u noenhanced font ',9'\n",
		cols * 700, rows * 520);
	fprintf(g, "set output '%s'\n", path);
	fprintf(g, "set datafile missing '?'\nset logscale xy\nset grid\nset format y '%%g'\n"
		   "set autoscale xfix\nset offsets graph 0.05, graph 0.05, 0, 0\nset key below\n"
		   "set xlabel 'threads'\nset ylabel 'Mops/s (log)'\n");
	fprintf(g, "set xtics (");
	for (unsigned k = 0; k < res->nr_threads; k++)
		fprintf(g, "%s%u", k ? ", " : "", res->threads[k]);
	fprintf(g, ")\nset multiplot layout %u,%u\n", rows, cols);
	for (unsigned p = 0; p < nr_panels; p++) {
		const char *sep = "plot ";

		fprintf(g, "set title '%s: %s'\n", panels[p]->key, panels[p]->title);
		/* inline data: '-' once per adapter, in the order of the plot command */
		for (unsigned i = 0; i < res->nr_cfg; i++) {
			const struct bench_config *c = &res->cfg[i];

			if (c->table != panels[p] || (i && res->cfg[i - 1].table == c->table &&
						      res->cfg[i - 1].adapter == c->adapter))
				continue;
			fprintf(g, "%s'-' using 1:2 with linespoints title '%s'", sep,
				c->adapter->name);
			sep = ", ";
		}
		fprintf(g, "\n");
		for (unsigned i = 0; i < res->nr_cfg; i++) {
			const struct bench_config *c = &res->cfg[i];

			if (c->table != panels[p])
				continue;
			if (c->med_mops > 0)
				fprintf(g, "%u %.6g\n", c->threads, c->med_mops);
			else
				fprintf(g, "%u ?\n", c->threads);
			if (i + 1 == res->nr_cfg || res->cfg[i + 1].adapter != c->adapter ||
			    res->cfg[i + 1].table != c->table)
				fprintf(g, "e\n");
		}
	}
	fprintf(g, "unset multiplot\n");
	rc = pclose(g);
	if (rc) {
		fprintf(stderr, "lksync-bench: gnuplot failed (status %d); is gnuplot installed?\n",
			rc);
		return -1;
	}
	printf("plot: %s\n", path);
	return 0;
}
