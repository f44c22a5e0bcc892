// SPDX-License-Identifier: MIT
/*
 * lksync-bench: work item throughput. P producer threads each queue a batch
 * of BENCH_WQ_BATCH distinct tiny work items (the item bumps its producer's
 * counter) as fast as they can; a round ends when every item has run, and
 * rounds repeat for the requested duration. The table is items run per
 * second, lksync's workqueues against GLib's GThreadPool driven the same way
 * (g_thread_pool_push() of each item, the same function body).
 * GThreadPool runs non-exclusive, with as many threads as CPUs (the usual
 * setting) and with one thread (its best here: tiny items gain nothing from
 * a second consumer); the target compares against the better of the two.
 *
 * The target: lksync at least twice GThreadPool's rate at every
 * producer count.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <lksync/workqueue.h>
#include "context.h"

#if defined(BENCH_HAVE_GLIB) && !defined(LKSYNC_TSAN)
#define BENCH_WQ_GLIB 1		/* GLib's futex code is not instrumented for TSan */
#include <glib.h>
#endif

#define BENCH_WQ_BATCH		(1 << 15)	/* items per producer per round */
#define BENCH_WQ_MAX_PRODUCERS	4
#define BENCH_WQ_TARGET		2.0

struct bench_counter {
	long done;
} __attribute__((aligned(64)));

struct bench_item {
	struct work_struct work;
	struct bench_counter *counter;
};

struct bench_producer {
	pthread_t thread;
	struct bench_item *items;
	struct bench_counter counter;
	int kind;			/* 0 lksync system_wq, 1 lksync unbound, 2/3 GLib */
} __attribute__((aligned(64)));

static struct {
	int go, quit;			/* round number to run; stop */
	struct workqueue_struct *wq;
#ifdef BENCH_WQ_GLIB
	GThreadPool *pool;
#endif
} run;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The tiny item: one counter increment, identical on both sides. */
static void item_fn(struct work_struct *work)
{
	struct bench_item *it = container_of(work, struct bench_item, work);

	__atomic_add_fetch(&it->counter->done, 1, __ATOMIC_RELEASE);
}

#ifdef BENCH_WQ_GLIB
static void glib_fn(gpointer data, gpointer user)
{
	struct bench_item *it = data;

	(void)user;
	__atomic_add_fetch(&it->counter->done, 1, __ATOMIC_RELEASE);
}
#endif

static void *producer_main(void *arg)
{
	struct bench_producer *p = arg;
	int round = 0;

	for (;;) {
		int go;

		while ((go = __atomic_load_n(&run.go, __ATOMIC_ACQUIRE)) == round &&
		       !__atomic_load_n(&run.quit, __ATOMIC_ACQUIRE))
			usleep(50);
		if (go == round)
			return NULL;
		round = go;
		for (int i = 0; i < BENCH_WQ_BATCH; i++) {
			if (p->kind < 2)
				queue_work(run.wq, &p->items[i].work);
#ifdef BENCH_WQ_GLIB
			else
				g_thread_pool_push(run.pool, &p->items[i], NULL);
#endif
		}
	}
}

/* Runs of BENCH_WQ_BATCH items per producer for about @duration s. Return: items/s. */
static double bench_run(int kind, int producers, double duration)
{
	struct bench_producer *prod;
	long long t0, t1 = 0, items = 0;

	prod = aligned_alloc(64, sizeof(*prod) * BENCH_WQ_MAX_PRODUCERS);
	memset(prod, 0, sizeof(*prod) * BENCH_WQ_MAX_PRODUCERS);
	memset(&run, 0, sizeof(run));
	if (kind == 0)
		run.wq = system_wq;
	else if (kind == 1)
		run.wq = system_unbound_wq;
#ifdef BENCH_WQ_GLIB
	else
		run.pool = g_thread_pool_new(glib_fn, NULL,
					     kind == 2 ? (int)sysconf(_SC_NPROCESSORS_ONLN) : 1,
					     FALSE, NULL);
#endif
	for (int k = 0; k < producers; k++) {
		prod[k].kind = kind;
		prod[k].items = calloc(BENCH_WQ_BATCH, sizeof(struct bench_item));
		for (int i = 0; i < BENCH_WQ_BATCH; i++) {
			INIT_WORK(&prod[k].items[i].work, item_fn);
			prod[k].items[i].counter = &prod[k].counter;
		}
		pthread_create(&prod[k].thread, NULL, producer_main, &prod[k]);
	}
	/* Round 1 warms up (workers created, pages touched); then the timed ones. */
	t0 = 0;
	for (int round = 1; ; round++) {
		long long start = now_ns();
		long target = (long)round * BENCH_WQ_BATCH;

		__atomic_store_n(&run.go, round, __ATOMIC_RELEASE);
		for (int k = 0; k < producers; k++)
			while (__atomic_load_n(&prod[k].counter.done, __ATOMIC_ACQUIRE) < target)
				usleep(20);
		t1 = now_ns();
		if (round == 1)
			continue;
		t0 += t1 - start;
		items += (long long)producers * BENCH_WQ_BATCH;
		if (t0 >= duration * 1e9)
			break;
	}
	__atomic_store_n(&run.quit, 1, __ATOMIC_RELEASE);
	for (int k = 0; k < producers; k++)
		pthread_join(prod[k].thread, NULL);
#ifdef BENCH_WQ_GLIB
	if (kind >= 2)
		g_thread_pool_free(run.pool, FALSE, TRUE);
#endif
	for (int k = 0; k < producers; k++)
		free(prod[k].items);
	free(prod);
	return (double)items / ((double)t0 / 1e9);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int bench_workqueue(FILE *out, const struct bench_ctx_params *p)
{
	static const char *const names[4] = {
		"lksync queue_work(system_wq)",
		"lksync queue_work(system_unbound_wq)",
		"GLib GThreadPool, max_threads = CPUs",
		"GLib GThreadPool, max_threads = 1",
	};
	static const char *const keys[4] = { "lksync_system_wq", "lksync_unbound_wq",
					     "glib_thread_pool", "glib_thread_pool_1" };
	static const int nprod[3] = { 1, 2, 4 };
	double rate[4][3] = { { 0 } };
	unsigned reps = p->reps ? (p->reps > 64 ? 64 : p->reps) : 1;
	int kinds = 2, failed = 0;

#ifdef BENCH_WQ_GLIB
	kinds = 4;
#endif
	for (int n = 0; n < 3; n++) {
		for (int k = 0; k < kinds; k++) {
			double v[64];

			for (unsigned r = 0; r < reps; r++)
				v[r] = bench_run(k, nprod[n], p->duration);
			rate[k][n] = median(v, reps);
		}
	}
	fprintf(out, "\n== workqueue: tiny work items run per second (M/s), rounds of %d items "
		"per producer; medians of %u runs\n", BENCH_WQ_BATCH, reps);
	fprintf(out, "  %-44s %10s %10s %10s\n", "", "1 prod", "2 prod", "4 prod");
	for (int k = 0; k < kinds; k++) {
		fprintf(out, "  %-44s", names[k]);
		for (int n = 0; n < 3; n++) {
			fprintf(out, " %10.2f", rate[k][n] / 1e6);
			if (p->csv)
				fprintf(p->csv, "workqueue,%s,%d,%.0f,items_per_s\n", keys[k],
					nprod[n], rate[k][n]);
		}
		fprintf(out, "\n");
	}
	if (kinds < 4) {
		fprintf(out, "  GThreadPool: not built (GLib missing, or a TSan build)\n");
		return 0;
	}
	fprintf(out, "  target: lksync system_wq >= %.0fx the better GThreadPool, "
		"every producer count:", BENCH_WQ_TARGET);
	for (int n = 0; n < 3; n++) {
		double best = rate[2][n] > rate[3][n] ? rate[2][n] : rate[3][n];
		double x = best > 0 ? rate[0][n] / best : 0;
		int ok = x >= BENCH_WQ_TARGET;

		fprintf(out, " %dp %.1fx %s", nprod[n], x, ok ? "ok" : "MISSED");
		failed += !ok;
	}
	fprintf(out, "\n");
	return failed;
}

#ifdef BENCH_WQ_STANDALONE
/*
 * Standalone: cc -DBENCH_WQ_STANDALONE -DBENCH_HAVE_GLIB ... workqueue.c \
 *	-llksync $(pkg-config --cflags --libs glib-2.0); args: seconds, repetitions.
 */
int main(int argc, char **argv)
{
	struct bench_ctx_params p = { .duration = argc > 1 ? atof(argv[1]) : 0.5,
				      .reps = argc > 2 ? (unsigned)atoi(argv[2]) : 5 };

	return bench_workqueue(stdout, &p);
}
#endif
