// SPDX-License-Identifier: MIT
/*
 * atomic_t, atomic64_t, atomic_long_t: every op of every width and ordering
 * variant, edge cases, wraparound, and exact totals under contention with
 * more threads than cores; the generic xchg()/cmpxchg() on plain integers
 * and pointers.
 */
#include <limits.h>
#include <sched.h>
#include <lksync/atomic.h>
#include <lksync/bitops.h>
#include <strings.h>	/* after <lksync/bitops.h> on purpose: ffs() must survive */
#include "lksync_test.h"

/* The _return/fetch_/xchg/cmpxchg/add_negative ops of one ordering suffix. */
#define VARIANT_OPS(pfx, T, sfx) do {						\
	T o;									\
	pfx##set(&v, 10);							\
	CHECK_EQ(pfx##add_return##sfx(5, &v), 15);				\
	CHECK_EQ(pfx##sub_return##sfx(3, &v), 12);				\
	CHECK_EQ(pfx##inc_return##sfx(&v), 13);					\
	CHECK_EQ(pfx##dec_return##sfx(&v), 12);					\
	CHECK_EQ(pfx##fetch_add##sfx(5, &v), 12);				\
	CHECK_EQ(pfx##fetch_sub##sfx(7, &v), 17);				\
	CHECK_EQ(pfx##fetch_inc##sfx(&v), 10);					\
	CHECK_EQ(pfx##fetch_dec##sfx(&v), 11);					\
	CHECK_EQ(pfx##read(&v), 10);						\
	pfx##set(&v, 0xF0);							\
	CHECK_EQ(pfx##fetch_and##sfx(0x3C, &v), 0xF0);				\
	CHECK_EQ(pfx##fetch_or##sfx(0x03, &v), 0x30);				\
	CHECK_EQ(pfx##fetch_xor##sfx(0x11, &v), 0x33);				\
	CHECK_EQ(pfx##fetch_andnot##sfx(0x02, &v), 0x22);			\
	CHECK_EQ(pfx##read(&v), 0x20);						\
	pfx##set(&v, 1);							\
	CHECK_EQ(pfx##xchg##sfx(&v, 2), 1);					\
	CHECK_EQ(pfx##read(&v), 2);						\
	CHECK_EQ(pfx##cmpxchg##sfx(&v, 2, 3), 2);				\
	CHECK_EQ(pfx##read(&v), 3);						\
	CHECK_EQ(pfx##cmpxchg##sfx(&v, 9, 4), 3); /* failure: old value */	\
	CHECK_EQ(pfx##read(&v), 3);		  /* ... memory unchanged */	\
	o = 3;									\
	CHECK(pfx##try_cmpxchg##sfx(&v, &o, 4));				\
	CHECK_EQ(o, 3);								\
	CHECK_EQ(pfx##read(&v), 4);						\
	o = 9;									\
	CHECK(!pfx##try_cmpxchg##sfx(&v, &o, 5));				\
	CHECK_EQ(o, 4);		/* failure updates *old */			\
	CHECK_EQ(pfx##read(&v), 4);						\
	pfx##set(&v, 1);							\
	CHECK(!pfx##add_negative##sfx(-1, &v));	/* 0 is not negative */		\
	CHECK(pfx##add_negative##sfx(-1, &v));					\
	CHECK(!pfx##add_negative##sfx(2, &v));					\
	CHECK_EQ(pfx##read(&v), 1);						\
} while (0)

#define FAMILY(pfx, AT, T, INIT, TMAX, TMIN)					\
static void test_##pfx##family(void)						\
{										\
	AT s = INIT(7), v;							\
										\
	CHECK_EQ(pfx##read(&s), 7);						\
	pfx##set(&v, 5);							\
	CHECK_EQ(pfx##read(&v), 5);						\
	pfx##set_release(&v, 6);						\
	CHECK_EQ(pfx##read_acquire(&v), 6);					\
	pfx##add(3, &v);							\
	CHECK_EQ(pfx##read(&v), 9);						\
	pfx##sub(4, &v);							\
	CHECK_EQ(pfx##read(&v), 5);						\
	pfx##inc(&v);								\
	CHECK_EQ(pfx##read(&v), 6);						\
	pfx##dec(&v);								\
	CHECK_EQ(pfx##read(&v), 5);						\
	pfx##set(&v, 0xF0);							\
	pfx##and(0x3C, &v);							\
	CHECK_EQ(pfx##read(&v), 0x30);						\
	pfx##or(0x03, &v);							\
	CHECK_EQ(pfx##read(&v), 0x33);						\
	pfx##xor(0x11, &v);							\
	CHECK_EQ(pfx##read(&v), 0x22);						\
	pfx##andnot(0x02, &v);							\
	CHECK_EQ(pfx##read(&v), 0x20);						\
										\
	VARIANT_OPS(pfx, T, );							\
	VARIANT_OPS(pfx, T, _relaxed);						\
	VARIANT_OPS(pfx, T, _acquire);						\
	VARIANT_OPS(pfx, T, _release);						\
										\
	pfx##set(&v, 3);							\
	CHECK(!pfx##sub_and_test(2, &v));					\
	CHECK(pfx##sub_and_test(1, &v));					\
	CHECK_EQ(pfx##read(&v), 0);						\
	pfx##set(&v, 2);							\
	CHECK(!pfx##dec_and_test(&v));						\
	CHECK(pfx##dec_and_test(&v));						\
	CHECK(!pfx##dec_and_test(&v));		/* 0 -> -1 */			\
	CHECK_EQ(pfx##read(&v), -1);						\
	pfx##set(&v, -2);							\
	CHECK(!pfx##inc_and_test(&v));						\
	CHECK(pfx##inc_and_test(&v));						\
	CHECK_EQ(pfx##read(&v), 0);						\
										\
	pfx##set(&v, 5);							\
	CHECK_EQ(pfx##fetch_add_unless(&v, 2, 5), 5);				\
	CHECK_EQ(pfx##read(&v), 5);						\
	CHECK_EQ(pfx##fetch_add_unless(&v, 2, 4), 5);				\
	CHECK_EQ(pfx##read(&v), 7);						\
	CHECK(!pfx##add_unless(&v, 3, 7));					\
	CHECK(pfx##add_unless(&v, -3, 6));					\
	CHECK_EQ(pfx##read(&v), 4);						\
	pfx##set(&v, TMAX);		/* add_unless at the limit */		\
	CHECK(!pfx##add_unless(&v, 1, TMAX));					\
	CHECK_EQ(pfx##read(&v), TMAX);						\
	CHECK(pfx##add_unless(&v, 1, 0));	/* wraps */			\
	CHECK_EQ(pfx##read(&v), TMIN);						\
										\
	pfx##set(&v, 0);							\
	CHECK(!pfx##inc_not_zero(&v));						\
	CHECK_EQ(pfx##read(&v), 0);						\
	pfx##set(&v, 1);							\
	CHECK(pfx##inc_not_zero(&v));						\
	CHECK_EQ(pfx##read(&v), 2);						\
	pfx##set(&v, -1);							\
	CHECK(pfx##inc_not_zero(&v));						\
	CHECK_EQ(pfx##read(&v), 0);						\
										\
	pfx##set(&v, -1);							\
	CHECK(!pfx##inc_unless_negative(&v));					\
	CHECK_EQ(pfx##read(&v), -1);						\
	pfx##set(&v, 0);							\
	CHECK(pfx##inc_unless_negative(&v));					\
	CHECK_EQ(pfx##read(&v), 1);						\
	CHECK(!pfx##dec_unless_positive(&v));					\
	CHECK_EQ(pfx##read(&v), 1);						\
	pfx##set(&v, 0);							\
	CHECK(pfx##dec_unless_positive(&v));					\
	CHECK_EQ(pfx##read(&v), -1);						\
										\
	pfx##set(&v, 0);			/* would go negative: no store */ \
	CHECK_EQ(pfx##dec_if_positive(&v), -1);					\
	CHECK_EQ(pfx##read(&v), 0);						\
	pfx##set(&v, 1);							\
	CHECK_EQ(pfx##dec_if_positive(&v), 0);					\
	CHECK_EQ(pfx##read(&v), 0);						\
	pfx##set(&v, 5);							\
	CHECK_EQ(pfx##dec_if_positive(&v), 4);					\
	CHECK_EQ(pfx##read(&v), 4);						\
	pfx##set(&v, -3);							\
	CHECK_EQ(pfx##dec_if_positive(&v), -4);					\
	CHECK_EQ(pfx##read(&v), -3);						\
										\
	pfx##set(&v, TMAX);			/* two's complement wraparound */ \
	CHECK(pfx##inc_return(&v) == TMIN);					\
	CHECK(pfx##dec_return(&v) == TMAX);					\
	CHECK(pfx##add_negative(1, &v));					\
	CHECK(pfx##fetch_sub(1, &v) == TMIN);					\
	CHECK(pfx##read(&v) == TMAX);						\
										\
	pfx##set(&v, 3);							\
	CHECK_EQ(pfx##cond_read_relaxed(&v, VAL == 3), 3);			\
	CHECK_EQ(pfx##cond_read_acquire(&v, VAL > 2), 3);			\
}

FAMILY(atomic_, atomic_t, int, ATOMIC_INIT, INT_MAX, INT_MIN)
FAMILY(atomic64_, atomic64_t, s64, ATOMIC64_INIT, INT64_MAX, INT64_MIN)
FAMILY(atomic_long_, atomic_long_t, long, ATOMIC_LONG_INIT, LONG_MAX, LONG_MIN)

TEST(widths)
{
	atomic64_t v = ATOMIC64_INIT(1LL << 40);
	atomic_long_t l = ATOMIC_LONG_INIT(0);

	CHECK(sizeof(atomic_t) == 4 && sizeof(atomic64_t) == 8 && sizeof(atomic_long_t) == sizeof(long));
	CHECK(atomic64_add_return(1LL << 40, &v) == 1LL << 41);
	CHECK(atomic64_cmpxchg(&v, 1LL << 41, -(1LL << 50)) == 1LL << 41);
	CHECK(atomic64_read(&v) == -(1LL << 50));
	atomic_long_set(&l, LONG_MAX - 1);
	CHECK(atomic_long_inc_return(&l) == LONG_MAX);
}

TEST(plain_xchg_cmpxchg)
{
	int i = 5;
	long l = 1L << 40;
	u8 b = 0xff;
	u16 h = 7;
	u64 q = 1;
	s64 sq = -1;
	int x = 0, y = 0, *p = &x, *n = NULL, *po;

	CHECK_EQ(xchg(&i, 6), 5);
	CHECK_EQ(i, 6);
	CHECK_EQ(xchg_relaxed(&i, 7), 6);
	CHECK_EQ(xchg_acquire(&i, 8), 7);
	CHECK_EQ(xchg_release(&i, 9), 8);
	CHECK_EQ(cmpxchg(&i, 9, 10), 9);
	CHECK_EQ(cmpxchg(&i, 9, 11), 10);	/* failure: returns the old value */
	CHECK_EQ(i, 10);			/* ... and leaves memory unchanged */
	CHECK_EQ(cmpxchg_relaxed(&i, 10, 11), 10);
	CHECK_EQ(cmpxchg_acquire(&i, 11, 12), 11);
	CHECK_EQ(cmpxchg_release(&i, 12, 13), 12);
	CHECK_EQ(cmpxchg_local(&i, 13, 14), 13);
	CHECK_EQ(i, 14);

	CHECK(xchg(&l, 3L) == 1L << 40);
	CHECK_EQ(cmpxchg(&l, 3L, -3L), 3);
	CHECK_EQ(l, -3);
	CHECK_EQ(xchg(&b, 1), 0xff);
	CHECK_EQ(cmpxchg(&b, 1, 200), 1);
	CHECK_EQ(b, 200);
	CHECK_EQ(xchg(&h, 65535), 7);
	CHECK_EQ(cmpxchg(&h, 65535, 2), 65535);
	CHECK_EQ(h, 2);

	CHECK(cmpxchg64(&q, 1, 1ULL << 63) == 1);
	CHECK(q == 1ULL << 63);
	CHECK(cmpxchg64_relaxed(&q, 0, 5) == 1ULL << 63);
	CHECK(cmpxchg64_acquire(&sq, -1, 2) == -1);
	CHECK(cmpxchg64_release(&sq, 2, 3) == 2);
	CHECK(cmpxchg64_local(&sq, 3, 4) == 3);
	CHECK_EQ(sq, 4);

	/* pointers */
	po = xchg(&p, &y);
	CHECK(po == &x && p == &y);
	CHECK(cmpxchg(&p, &x, n) == &y);	/* fails */
	CHECK(p == &y);
	CHECK(cmpxchg(&p, &y, NULL) == &y);
	CHECK(p == NULL);
	po = &x;
	CHECK(!try_cmpxchg(&p, &po, &y));
	CHECK(po == NULL);
	CHECK(try_cmpxchg(&p, &po, &y));
	CHECK(p == &y);

	{
		int old = 14;

		CHECK(try_cmpxchg(&i, &old, 20));
		CHECK_EQ(i, 20);
		old = 0;
		CHECK(!try_cmpxchg_relaxed(&i, &old, 21));
		CHECK_EQ(old, 20);
		CHECK(try_cmpxchg_acquire(&i, &old, 21));
		CHECK(try_cmpxchg_release(&i, &old, 22) == false);
		CHECK_EQ(old, 21);
		CHECK(try_cmpxchg_local(&i, &old, 23));
		CHECK_EQ(i, 23);
		s64 o64 = 4;
		CHECK(try_cmpxchg64(&sq, &o64, 5));
		CHECK_EQ(sq, 5);
	}
}

/* <strings.h> included after <lksync/bitops.h>: ffs() is still libc's. */
TEST(ffs_after_strings_h)
{
	int (*libc_ffs)(int) = ffs;

	CHECK_EQ(ffs(0x10), 5);
	CHECK_EQ(libc_ffs(0x10), 5);
}

#define NTHREADS 8
static long iters;
static atomic_t c32 = ATOMIC_INIT(0);
static atomic64_t c64 = ATOMIC64_INIT(0);
static atomic_long_t clong = ATOMIC_LONG_INIT(0);
static atomic_t cas_ctr = ATOMIC_INIT(0);
static int plain_cas_ctr;
static atomic_t dec_pool;
static atomic_t dec_taken = ATOMIC_INIT(0);

static atomic_t gate = ATOMIC_INIT(0);

/* All threads start together so that they really contend. */
static void start_gate(void)
{
	atomic_inc(&gate);
	while (atomic_read(&gate) < NTHREADS)
		sched_yield();
}

static void hammer(int idx, void *arg)
{
	start_gate();
	for (long k = 0; k < iters; k++) {
		atomic_inc(&c32);
		atomic_fetch_add(2, &c32);
		atomic_add_return_relaxed(1, &c32);
		atomic64_fetch_add_release(3, &c64);
		atomic64_inc_return_acquire(&c64);
		atomic_long_add(5, &clong);
		atomic_long_sub_return(1, &clong);

		int c = atomic_read(&cas_ctr);
		while (!atomic_try_cmpxchg(&cas_ctr, &c, c + 1))
			;
		int p = READ_ONCE(plain_cas_ctr), seen;
		while ((seen = cmpxchg(&plain_cas_ctr, p, p + 1)) != p)
			p = seen;
		if (atomic_dec_if_positive(&dec_pool) >= 0)
			atomic_inc(&dec_taken);
	}
}

/* N > cores threads on one counter give the exact total. */
TEST(contention_exact_totals)
{
	iters = test_scale(100000);
	atomic_set(&dec_pool, (int)(iters * NTHREADS / 2));
	test_threads(NTHREADS, hammer, NULL);
	CHECK_EQ(atomic_read(&c32), 4 * iters * NTHREADS);
	CHECK_EQ(atomic64_read(&c64), 4 * iters * NTHREADS);
	CHECK_EQ(atomic_long_read(&clong), 4 * iters * NTHREADS);
	CHECK_EQ(atomic_read(&cas_ctr), iters * NTHREADS);
	CHECK_EQ(plain_cas_ctr, iters * NTHREADS);
	/* dec_if_positive never takes the pool below 0 and loses nothing */
	CHECK_EQ(atomic_read(&dec_pool), 0);
	CHECK_EQ(atomic_read(&dec_taken), iters * NTHREADS / 2);
}

/* Release/acquire and fully ordered ops publish plain data to readers. */
static int payload[NTHREADS];
static atomic_t published[NTHREADS];
static void publisher(int idx, void *arg)
{
	if (idx % 2 == 0) {
		int w = idx / 2;

		payload[w] = 1000 + w;
		if (w % 2)
			atomic_set_release(&published[w], 1);
		else
			atomic_inc_return(&published[w]);	/* fully ordered */
	} else {
		int w = idx / 2;

		atomic_cond_read_acquire(&published[w], VAL != 0);
		CHECK_EQ(payload[w], 1000 + w);
	}
}

TEST(message_passing)
{
	test_threads(NTHREADS, publisher, NULL);
}

int main(void)
{
	test_watchdog(100);
	RUN(atomic_family);
	RUN(atomic64_family);
	RUN(atomic_long_family);
	RUN(widths);
	RUN(plain_xchg_cmpxchg);
	RUN(ffs_after_strings_h);
	RUN(contention_exact_totals);
	RUN(message_passing);
	return test_done();
}
