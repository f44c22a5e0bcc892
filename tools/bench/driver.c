// SPDX-License-Identifier: MIT
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "driver.h"

struct bench_start {
	pthread_barrier_t barrier;
};

struct bench_arg {
	struct bench_thread *t;
	struct bench_start *start;
	bench_loop_fn *loop;
};

void bench_torn(struct bench_thread *t)
{
	t->torn++;
}

/* Ping-pong: both threads have published what their peer needs. */
void bench_arrive(struct bench_run *r)
{
	/* acq_rel/acquire: the peer's START (its task) is visible after this */
	__atomic_add_fetch(&r->data.inside, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&r->data.inside, __ATOMIC_ACQUIRE) < 2)
		sched_yield();
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void sleep_until(double when)
{
	struct timespec ts = { .tv_sec = (time_t)when };

	ts.tv_nsec = (long)((when - ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void *bench_thread_main(void *p)
{
	struct bench_arg *arg = p;

	pthread_barrier_wait(&arg->start->barrier);
	arg->loop(arg->t);
	return NULL;
}

/*
 * Wake-up latency: the two threads on two different CPUs (the first two
 * this process may use), for every adapter alike. Unpinned, the number is
 * the OS's placement more than the primitive's: the same pair measured
 * 9-23 us from run to run on 2 cores, by whether both threads shared one
 * CPU (a context switch) or not (an idle CPU's wake-up). With fewer than
 * two CPUs allowed, nothing is pinned.
 */
static void pin_pingpong(pthread_t *tid)
{
	cpu_set_t allowed, one;
	int cpu = -1;

	if (sched_getaffinity(0, sizeof(allowed), &allowed) || CPU_COUNT(&allowed) < 2)
		return;
	for (unsigned i = 0; i < 2; i++) {
		while (!CPU_ISSET(++cpu, &allowed))
			;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		pthread_setaffinity_np(tid[i], sizeof(one), &one);
	}
}

/* Operation counts, then CPU time used, of threads 0..n-1 */
static double sample(struct bench_thread *t, pthread_t *tid, unsigned n, unsigned long *ops)
{
	double cpu = 0;

	for (unsigned i = 0; i < n; i++)
		ops[i] = __atomic_load_n(&t[i].ops, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < n; i++) {
		struct timespec ts;
		clockid_t clock;

		if (!pthread_getcpuclockid(tid[i], &clock) && !clock_gettime(clock, &ts))
			cpu += ts.tv_sec + ts.tv_nsec * 1e-9;
	}
	return cpu;
}

static void join_all(const struct bench_adapter *a, struct bench_thread *t,
		     pthread_t *tid, unsigned n, double timeout)
{
	struct timespec deadline;
	unsigned stuck = 0;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += (time_t)timeout;
	deadline.tv_nsec += (long)((timeout - (time_t)timeout) * 1e9);
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	for (unsigned i = 0; i < n; i++) {
		if (pthread_timedjoin_np(tid[i], NULL, &deadline) == ETIMEDOUT)
			stuck++;
	}
	if (stuck) {
		fprintf(stderr, "lksync-bench: %s: %u of %u threads still running %.3g s "
			"after the stop flag (--join-timeout); the lock is stuck\n",
			a->name, stuck, n, timeout);
		for (unsigned i = 0; i < n; i++)
			fprintf(stderr, "  thread %u: %lu ops\n", i,
				__atomic_load_n(&t[i].ops, __ATOMIC_RELAXED));
		exit(3);
	}
}

static void verify(const struct bench_adapter *a, enum bench_workload w,
		   struct bench_run *r, struct bench_thread *t, unsigned n)
{
	unsigned long total = 0, writes = 0, torn = 0;
	const char *bad = NULL;

	for (unsigned i = 0; i < n; i++) {
		total += t[i].final;
		writes += t[i].final / 10;
		torn += t[i].torn;
	}
	switch (w) {
	case W_SPIN:
		if (r->data.counter != total)
			bad = "protected counter != operations (lost update: no exclusion)";
		break;
	case W_MIX:
		if (r->data.a != writes || r->data.b != writes)
			bad = "protected pair != writes (lost update: no exclusion)";
		break;
	case W_ATOMIC:
		if ((a->value(r->lock) & 0xffffffffUL) != (total & 0xffffffffUL))
			bad = "atomic counter != operations";
		break;
	case W_COUNT:
		if (torn)
			bad = "more holders inside than the semaphore's count";
		break;
	case W_PINGPONG:
		/* strict turns: the two wake-up counts differ by at most one */
		if (n == 2 && (t[0].final > t[1].final + 1 || t[1].final > t[0].final + 1))
			bad = "ping-pong turns out of step (a wake-up without a signal)";
		break;
	default:
		break;
	}
	if (torn && !bad)
		bad = "readers saw a != b (reader overlapped a writer)";
	if (bad) {
		fprintf(stderr, "lksync-bench: %s, %u threads: %s\n"
			"  ops %lu, writes %lu, counter %lu, a %lu, b %lu, torn reads %lu\n",
			a->name, n, bad, total, writes, r->data.counter,
			r->data.a, r->data.b, torn);
		exit(2);
	}
}

int bench_measure(const struct bench_adapter *a, enum bench_workload w,
		  unsigned nthreads, const struct bench_params *p,
		  struct bench_sample *out)
{
	unsigned writer = (w == W_SEQ && p->seq_writer) ? 1 : 0;
	unsigned all = nthreads + writer;
	struct bench_start start;
	struct bench_run *r;
	struct bench_thread *t;
	struct bench_arg *args;
	pthread_t *tid;
	unsigned long *ops0, *ops1;
	double warmup, t0, t1, cpu0, cpu1;
	unsigned created;

	if (a->size > BENCH_LOCK_MAX || !a->loop[w] || (w == W_PINGPONG && nthreads != 2))
		return -1;
	r = aligned_alloc(BENCH_CACHELINE, sizeof(*r));
	t = aligned_alloc(BENCH_CACHELINE, sizeof(*t) * all);
	args = calloc(all, sizeof(*args));
	tid = calloc(all, sizeof(*tid));
	ops0 = calloc(nthreads, sizeof(*ops0));
	ops1 = calloc(nthreads, sizeof(*ops1));
	if (!r || !t || !args || !tid || !ops0 || !ops1) {
		fprintf(stderr, "lksync-bench: out of memory\n");
		exit(1);
	}
	memset(r, 0, sizeof(*r));
	memset(t, 0, sizeof(*t) * all);
	r->adapter = a;
	r->batch = p->batch ? p->batch : 1;
	r->cs = p->cs;
	r->outside = p->outside;
	r->writer_pause = p->writer_pause;
	r->limit = a->limit;
	if (a->init)
		a->init(r->lock);

	pthread_barrier_init(&start.barrier, NULL, all + 1);
	for (created = 0; created < all; created++) {
		t[created].run = r;
		t[created].index = created;
		args[created].t = &t[created];
		args[created].start = &start;
		args[created].loop = created < nthreads ? a->loop[w] : a->writer;
		if (pthread_create(&tid[created], NULL, bench_thread_main, &args[created])) {
			fprintf(stderr, "lksync-bench: cannot create thread %u of %u\n",
				created + 1, all);
			exit(1);
		}
	}
	if (w == W_PINGPONG)
		pin_pingpong(tid);
	pthread_barrier_wait(&start.barrier);

	warmup = p->duration / 10 < 0.1 ? p->duration / 10 : 0.1;
	sleep_until(now() + warmup);
	t0 = now();
	cpu0 = sample(t, tid, nthreads, ops0);
	sleep_until(t0 + p->duration);
	t1 = now();
	cpu1 = sample(t, tid, nthreads, ops1);
	/* relaxed: the loops only need to see it eventually */
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELAXED);
	join_all(a, t, tid, all, p->join_timeout);
	pthread_barrier_destroy(&start.barrier);

	out->seconds = t1 - t0;
	out->cpu_seconds = cpu1 - cpu0;
	out->total = 0;
	out->min = ~0UL;
	out->max = 0;
	for (unsigned i = 0; i < nthreads; i++) {
		unsigned long d = ops1[i] - ops0[i];

		out->total += d;
		out->min = d < out->min ? d : out->min;
		out->max = d > out->max ? d : out->max;
	}
	verify(a, w, r, t, nthreads);
	if (a->fini)
		a->fini(r->lock);
	free(ops1);
	free(ops0);
	free(tid);
	free(args);
	free(t);
	free(r);
	return 0;
}
