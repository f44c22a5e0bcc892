/* SPDX-License-Identifier: MIT */
/*
 * Layer: tools. lksync-bench's driver interface: a lock type is an adapter,
 * a small ops table whose measured loops are stamped from the adapter's own
 * inline lock/unlock by the BENCH_*_LOOPS() macros below, so every peer runs
 * in exactly the same loop and no indirect call sits inside it.
 *
 * Shared state of one run, each part on its own cache line:
 *   stop      set by the main thread at the deadline; loops poll it per batch
 *   lock      the adapter's object (a lock, a seqlock or an atomic)
 *   data      what the lock protects: counter (spin), a == b (rw, seq);
 *             writers increment with the cs work between load and store;
 *             inside: holders now inside a counting semaphore, or the
 *             ping-pong threads that have arrived
 *   thread[i] ops completed so far; only thread i writes, main samples it
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <lksync/compiler.h>

#define BENCH_CACHELINE	128	/* two lines: adjacent-line prefetch pairs them */
#define BENCH_LOCK_MAX	512	/* largest adapter object (pthread types, CK, channels) */

#if defined(BENCH_HAVE_CK) && !defined(LKSYNC_TSAN)
#define BENCH_CK 1		/* CK's inline asm is invisible to TSan */
#endif

#define BENCH_SEM_COUNT	4	/* counting semaphores' initial count */
#define BENCH_STR_(x)	#x
#define BENCH_STR(x)	BENCH_STR_(x)

#if defined(BENCH_HAVE_GLIB) && !defined(LKSYNC_TSAN)
#define BENCH_GLIB 1		/* GLib's futex code is not instrumented for TSan */
#endif

/*
 * Families are bits: a table runs the adapters whose mask has its bit, so a
 * baseline (pthread_mutex_t) can stand in two tables (spin and mutex).
 */
enum bench_family {
	BENCH_SPIN = 1 << 0,	/* exclusive locks that spin */
	BENCH_RW = 1 << 1,	/* reader-writer spinlocks */
	BENCH_SEQ = 1 << 2,
	BENCH_ATOMIC = 1 << 3,
	BENCH_MUTEX = 1 << 4,	/* sleeping exclusive locks */
	BENCH_SEM = 1 << 5,	/* semaphores: binary (W_SPIN), counting (W_COUNT) */
	BENCH_RWSEM = 1 << 6,	/* sleeping reader-writer locks */
	BENCH_WAKE = 1 << 7,	/* wake-up primitives, two threads ping-pong */
};
#define BENCH_NR_FAMILIES	8

enum bench_workload {
	W_PAIR,		/* lock; unlock, batched: uncontended cost */
	W_SPIN,		/* lock; counter++ around cs work; unlock; outside work */
	W_READ,		/* read_lock; check a == b; cs work; read_unlock */
	W_MIX,		/* every 10th op writes (a++ around cs work, b++) */
	W_SEQ,		/* seq read of a, b with retry; writer optional */
	W_ATOMIC,	/* one atomic op on a shared counter */
	W_COUNT,	/* down; inside++ <= limit?; cs work; inside--; up */
	W_PINGPONG,	/* 2 threads: wait for my turn; wake the other */
	BENCH_NR_WORKLOADS
};

struct bench_run;
struct bench_thread;
typedef void bench_loop_fn(struct bench_thread *t);

struct bench_adapter {
	const char *name;		/* as printed and in the CSV */
	const char *key;		/* short id for --adapters */
	unsigned family;		/* enum bench_family bits */
	unsigned limit;			/* W_COUNT: the semaphore's count */
	int serial_only;		/* 1 thread only: no exclusion (UP build) */
	int hidden;			/* runs only when --adapters names its key */
	size_t size;			/* of the object at bench_run.lock */
	void (*init)(void *obj);
	void (*fini)(void *obj);
	unsigned long (*value)(void *obj);	/* atomics: the counter */
	bench_loop_fn *loop[BENCH_NR_WORKLOADS];
	bench_loop_fn *writer;		/* W_SEQ: the concurrent writer */
};

struct bench_thread {
	unsigned long ops __aligned(BENCH_CACHELINE);
	unsigned long final;		/* ops when the loop ended */
	unsigned long sink;		/* keeps read results alive */
	unsigned long torn;		/* inconsistent reads seen */
	struct bench_run *run;
	unsigned index;
};

struct bench_data {
	unsigned long counter;
	unsigned long a, b;
	unsigned inside;
};

struct bench_run {
	int stop __aligned(BENCH_CACHELINE);	/* written once, at the end */
	unsigned batch, cs, outside, writer_pause, limit;
	const struct bench_adapter *adapter;
	unsigned char lock[BENCH_LOCK_MAX] __aligned(BENCH_CACHELINE);
	struct bench_data data __aligned(BENCH_CACHELINE);
};

static inline int bench_stopped(struct bench_run *r)
{
	/* relaxed: the flag orders nothing; final counts go through join */
	return __atomic_load_n(&r->stop, __ATOMIC_RELAXED);
}

static inline void bench_publish(struct bench_thread *t, unsigned long n)
{
	/* relaxed: a sample for the main thread's window, not a handoff */
	__atomic_store_n(&t->ops, n, __ATOMIC_RELAXED);
}

/* n units of register-only work the compiler must keep */
static inline void bench_work(unsigned n)
{
	unsigned long x = n;

	for (unsigned i = 0; i < n; i++)
		__asm__ __volatile__("" : "+r"(x));
}

/*
 * *p += 1 with n work units between the load and the store, so any overlap
 * of two critical sections, even by preemption on one CPU, loses an update.
 * The empty asms pin the load before the work and the store after it.
 */
static inline void bench_slow_inc(unsigned long *p, unsigned n)
{
	unsigned long v = *p;

	__asm__ __volatile__("" : "+r"(v));
	bench_work(n);
	__asm__ __volatile__("" : "+r"(v));
	*p = v + 1;
}

/* Racy-by-design data (seq readers vs the writer): single-copy atomic. */
#define BENCH_LOAD(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define BENCH_STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* ---- loops stamped per adapter: LOCK/UNLOCK are macros or inline fns ---- */

/*
 * Exclusive locks. CTX is the per-thread context type (an MCS node; a
 * dummy for others); LOCK(l, &ctx) and UNLOCK(l, &ctx) are the adapter's.
 */
#define BENCH_SPIN_LOOPS(id, TYPE, CTX, LOCK, UNLOCK)				\
static void id##_pair(struct bench_thread *t)					\
{										\
	struct bench_run *r = t->run;						\
	TYPE *l = (TYPE *)r->lock;						\
	CTX ctx;								\
	(void)&ctx;								\
	unsigned long n = 0;							\
	const unsigned batch = r->batch;					\
										\
	while (!bench_stopped(r)) {						\
		for (unsigned i = 0; i < batch; i++) {				\
			LOCK(l, &ctx);						\
			UNLOCK(l, &ctx);					\
		}								\
		n += batch;							\
		bench_publish(t, n);						\
	}									\
	t->final = n;								\
}										\
static void id##_spin(struct bench_thread *t)					\
{										\
	struct bench_run *r = t->run;						\
	TYPE *l = (TYPE *)r->lock;						\
	CTX ctx;								\
	(void)&ctx;								\
	unsigned long n = 0;							\
	const unsigned cs = r->cs, out = r->outside;				\
										\
	while (!bench_stopped(r)) {						\
		LOCK(l, &ctx);							\
		bench_slow_inc(&r->data.counter, cs);				\
		UNLOCK(l, &ctx);						\
		bench_work(out);						\
		bench_publish(t, ++n);						\
	}									\
	t->final = n;								\
}

#define BENCH_SPIN_OPS(id) .loop = { [W_PAIR] = id##_pair, [W_SPIN] = id##_spin }

/* Reader-writer locks: readers check a == b, writers keep it so. */
void bench_torn(struct bench_thread *t);

#define BENCH_RW_LOOPS(id, TYPE, RLOCK, RUNLOCK, WLOCK, WUNLOCK)		\
static inline void id##_read_op(struct bench_run *r, TYPE *l,			\
				struct bench_thread *t, unsigned cs)		\
{										\
	RLOCK(l);								\
	if (unlikely(r->data.a != r->data.b))					\
		bench_torn(t);							\
	bench_work(cs);								\
	RUNLOCK(l);								\
}										\
static void id##_read(struct bench_thread *t)					\
{										\
	struct bench_run *r = t->run;						\
	TYPE *l = (TYPE *)r->lock;						\
	unsigned long n = 0;							\
	const unsigned cs = r->cs, out = r->outside;				\
										\
	while (!bench_stopped(r)) {						\
		id##_read_op(r, l, t, cs);					\
		bench_work(out);						\
		bench_publish(t, ++n);						\
	}									\
	t->final = n;								\
}										\
static void id##_mix(struct bench_thread *t)					\
{										\
	struct bench_run *r = t->run;						\
	TYPE *l = (TYPE *)r->lock;						\
	unsigned long n = 0;							\
	unsigned k = 0;								\
	const unsigned cs = r->cs, out = r->outside;				\
										\
	while (!bench_stopped(r)) {						\
		if (++k == 10) {	/* op n is a write iff n % 10 == 9 */	\
			k = 0;							\
			WLOCK(l);						\
			bench_slow_inc(&r->data.a, cs);				\
			r->data.b++;						\
			WUNLOCK(l);						\
		} else {							\
			id##_read_op(r, l, t, cs);				\
		}								\
		bench_work(out);						\
		bench_publish(t, ++n);						\
	}									\
	t->final = n;								\
}

#define BENCH_RW_OPS(id) .loop = { [W_READ] = id##_read, [W_MIX] = id##_mix }

/*
 * Sequence-lock read side: BEGIN(l) returns a token, RETRY(l, token) is
 * nonzero when the read must be repeated; WBEGIN/WEND bracket the single
 * writer. CHECKED is 0 for the unsynchronized baseline, whose reads may tear.
 */
#define BENCH_SEQ_LOOPS(id, TYPE, BEGIN, RETRY, WBEGIN, WEND, CHECKED)		\
static void id##_seq(struct bench_thread *t)					\
{										\
	struct bench_run *r = t->run;						\
	TYPE *l = (TYPE *)r->lock;						\
	unsigned long n = 0, sink = 0;						\
										\
	while (!bench_stopped(r)) {						\
		unsigned long x, y;						\
		unsigned seq;							\
										\
		do {								\
			seq = BEGIN(l);						\
			x = BENCH_LOAD(r->data.a);				\
			y = BENCH_LOAD(r->data.b);				\
		} while (RETRY(l, seq));					\
		if ((CHECKED) && unlikely(x != y))				\
			bench_torn(t);						\
		sink += x;							\
		bench_publish(t, ++n);						\
	}									\
	t->sink = sink;								\
	t->final = n;								\
}										\
static void id##_writer(struct bench_thread *t)					\
{										\
	struct bench_run *r = t->run;						\
	TYPE *l = (TYPE *)r->lock;						\
	unsigned long n = 0;							\
	const unsigned pause = r->writer_pause;					\
										\
	while (!bench_stopped(r)) {						\
		WBEGIN(l);							\
		BENCH_STORE(r->data.a, r->data.a + 1);				\
		BENCH_STORE(r->data.b, r->data.b + 1);				\
		WEND(l);							\
		bench_work(pause);						\
		bench_publish(t, ++n);						\
	}									\
	t->final = n;								\
}

#define BENCH_SEQ_OPS(id) .loop = { [W_SEQ] = id##_seq }, .writer = id##_writer

/* Atomics: OP(obj) once per iteration; value() must then equal the total. */
#define BENCH_ATOMIC_LOOPS(id, TYPE, OP)					\
static void id##_atomic(struct bench_thread *t)					\
{										\
	struct bench_run *r = t->run;						\
	TYPE *v = (TYPE *)r->lock;						\
	unsigned long n = 0;							\
	const unsigned out = r->outside;					\
										\
	while (!bench_stopped(r)) {						\
		OP(v);								\
		bench_work(out);						\
		bench_publish(t, ++n);						\
	}									\
	t->final = n;								\
}

#define BENCH_ATOMIC_OPS(id) .loop = { [W_ATOMIC] = id##_atomic }

/*
 * Counting semaphores: at most limit holders at once. The inside counter is
 * relaxed: it orders nothing, it only counts; the semaphore orders the rest.
 */
#define BENCH_COUNT_LOOPS(id, TYPE, DOWN, UP)					\
static void id##_count(struct bench_thread *t)					\
{										\
	struct bench_run *r = t->run;						\
	TYPE *l = (TYPE *)r->lock;						\
	unsigned long n = 0;							\
	const unsigned cs = r->cs, out = r->outside, limit = r->limit;		\
										\
	while (!bench_stopped(r)) {						\
		DOWN(l);							\
		if (unlikely(__atomic_add_fetch(&r->data.inside, 1,		\
						__ATOMIC_RELAXED) > limit))	\
			bench_torn(t);						\
		bench_work(cs);							\
		__atomic_sub_fetch(&r->data.inside, 1, __ATOMIC_RELAXED);	\
		UP(l);								\
		bench_work(out);						\
		bench_publish(t, ++n);						\
	}									\
	t->final = n;								\
}

#define BENCH_COUNT_OPS(id) .loop = { [W_COUNT] = id##_count }

/*
 * Wake-up latency: TYPE holds two channels, one per thread; WAIT(l, i)
 * sleeps until channel i is signalled and consumes the signal, SIGNAL(l, i)
 * signals it. START(l, i) runs first in thread i (to publish its task). Both
 * threads arrive before the first signal; thread 0 serves first. Each thread
 * counts the wake-ups it received, so the total is one-way wake-ups. A
 * thread that wakes to find the stop flag signals once more and leaves: its
 * peer is asleep waiting for the turn it holds. That last wake-up (or one
 * after the flag) is not counted, so the two counts differ by at most one.
 */
void bench_arrive(struct bench_run *r);

#define BENCH_WAKE_LOOPS(id, TYPE, START, WAIT, SIGNAL)				\
static void id##_pingpong(struct bench_thread *t)				\
{										\
	struct bench_run *r = t->run;						\
	TYPE *l = (TYPE *)r->lock;						\
	const unsigned me = t->index & 1, peer = me ^ 1;			\
	unsigned long n = 0;							\
										\
	START(l, me);								\
	bench_arrive(r);							\
	if (me == 0)								\
		SIGNAL(l, peer);						\
	for (;;) {								\
		WAIT(l, me);							\
		if (bench_stopped(r))						\
			break;							\
		bench_publish(t, ++n);						\
		SIGNAL(l, peer);						\
	}									\
	SIGNAL(l, peer);							\
	t->final = n;								\
}

#define BENCH_WAKE_OPS(id) .loop = { [W_PINGPONG] = id##_pingpong }

#endif /* BENCH_H */
