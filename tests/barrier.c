// SPDX-License-Identifier: MIT
/*
 * Compiler helpers and memory barriers: READ_ONCE/WRITE_ONCE/ACCESS_ONCE,
 * likely/unlikely, message passing with smp_store_release/smp_load_acquire,
 * smp_cond_load_*(), smp_store_mb(), and the store-buffering litmus test:
 * with a full barrier (smp_mb(), smp_store_mb(), or a fully ordered atomic
 * RMW) on both sides, r0 == r1 == 0 must never be observed.
 */
#include <sched.h>
#include <lksync/barrier.h>
#include <lksync/atomic.h>
#include <lksync/bitops.h>
#include "lksync_test.h"

TEST(once_accessors)
{
	int i = 1;
	const volatile int ci = 5;
	unsigned char b = 0;
	long l = 0;
	int *p = NULL;
	struct { int a; } s = { 3 };

	WRITE_ONCE(i, 2);
	CHECK_EQ(READ_ONCE(i), 2);
	CHECK_EQ(READ_ONCE(ci), 5);
	WRITE_ONCE(b, 255);
	CHECK_EQ(READ_ONCE(b), 255);
	WRITE_ONCE(l, 1L << 40);
	CHECK(READ_ONCE(l) == 1L << 40);
	WRITE_ONCE(p, &i);
	CHECK(READ_ONCE(p) == &i);
	WRITE_ONCE(s.a, 4);
	CHECK_EQ(READ_ONCE(s.a), 4);
	ACCESS_ONCE(i) = 7;		/* legacy spelling still reads and writes */
	CHECK_EQ(ACCESS_ONCE(i), 7);
	int copy = READ_ONCE(ci) + 1;
	CHECK_EQ(copy, 6);
}

TEST(hints_and_barriers_compile)
{
	int x = 5;

	CHECK_EQ(likely(x), 1);
	CHECK_EQ(unlikely(x == 4), 0);
	if (likely(x == 5))
		x++;
	barrier();
	mb();
	rmb();
	wmb();
	smp_mb();
	smp_rmb();
	smp_wmb();
	read_barrier_depends();
	smp_read_barrier_depends();
	smp_mb__before_atomic();
	smp_mb__after_atomic();
	smp_acquire__after_ctrl_dep();
	cpu_relax();
	CHECK_EQ(x, 6);
	smp_store_mb(x, 9);
	CHECK_EQ(x, 9);
	smp_store_release(&x, 10);
	CHECK_EQ(smp_load_acquire(&x), 10);
	CHECK_EQ(smp_cond_load_relaxed(&x, VAL == 10), 10);
	CHECK_EQ(smp_cond_load_acquire(&x, VAL > 9), 10);
}

/* Message passing: a reader that sees the flag sees the data. */
static long iters;
static int data[4];
static int flag;

static void mp(int idx, void *arg)
{
	for (long k = 1; k <= iters; k++) {
		if (idx == 0) {
			while (smp_load_acquire(&flag) != 2 * k - 2)
				sched_yield();
			data[0] = (int)k;
			data[3] = (int)-k;
			smp_store_release(&flag, 2 * k - 1);
		} else {
			int f = smp_cond_load_acquire(&flag, VAL == 2 * k - 1);

			CHECK_EQ(f, 2 * k - 1);
			CHECK_EQ(data[0], k);
			CHECK_EQ(data[3], -k);
			smp_store_release(&flag, 2 * k);
		}
	}
}

TEST(message_passing)
{
	iters = test_scale(2000);
	flag = 0;
	test_threads(2, mp, NULL);
	CHECK_EQ(flag, 2 * iters);
}

/* smp_cond_load_acquire() waits for a flag set later by another thread. */
static int ready, payload;
static void late_setter(int idx, void *arg)
{
	if (idx == 0) {
		usleep(20000);
		payload = 42;
		smp_store_release(&ready, 7);
	} else {
		int v = smp_cond_load_acquire(&ready, VAL != 0);

		CHECK_EQ(v, 7);
		CHECK_EQ(payload, 42);
	}
}

TEST(cond_load_waits)
{
	test_threads(2, late_setter, NULL);
}

/*
 * Store buffering: each side stores its own variable, runs the barrier under
 * test, and loads the other's. Rounds are started in lockstep through an
 * acquire/release generation counter.
 */
enum sb_kind { SB_NONE, SB_SMP_MB, SB_STORE_MB, SB_ATOMIC_RMW, SB_XCHG, SB_BITOP, SB_NR };
static const char *const sb_names[] = { "none", "smp_mb", "smp_store_mb", "atomic_add_return",
					"xchg", "test_and_set_bit" };
static int sb_x, sb_y, sb_r[2];
static int sb_go, sb_done;
static enum sb_kind sb_kind;
static atomic_t sb_scratch[2];
static unsigned long sb_bits[2];
static long sb_rounds, sb_both_zero;

static void sb_side(int me, int *mine, int *other)
{
	switch (sb_kind) {
	case SB_NONE:
		WRITE_ONCE(*mine, 1);
		break;
	case SB_SMP_MB:
		WRITE_ONCE(*mine, 1);
		smp_mb();
		break;
	case SB_STORE_MB:
		smp_store_mb(*mine, 1);
		break;
	case SB_ATOMIC_RMW:
		WRITE_ONCE(*mine, 1);
		atomic_add_return(1, &sb_scratch[me]);	/* fully ordered on another location */
		break;
	case SB_XCHG:
		WRITE_ONCE(*mine, 1);
		(void)xchg(&sb_scratch[me].counter, 0);
		break;
	case SB_BITOP:
		WRITE_ONCE(*mine, 1);
		(void)test_and_set_bit(0, &sb_bits[me]);
		break;
	default:
		break;
	}
	sb_r[me] = READ_ONCE(*other);
}

static void sb_thread(int me, void *arg)
{
	for (long k = 1; k <= sb_rounds; k++) {
		int spins = 0;

		/* round k starts when the main side has reset the variables */
		while (smp_load_acquire(&sb_go) < k)
			if (++spins > 2000)
				sched_yield();
		if (me == 0)
			sb_side(0, &sb_x, &sb_y);
		else
			sb_side(1, &sb_y, &sb_x);
		__atomic_add_fetch(&sb_done, 1, __ATOMIC_ACQ_REL);
		if (me == 0) {
			spins = 0;
			while (__atomic_load_n(&sb_done, __ATOMIC_ACQUIRE) < 2 * k)
				if (++spins > 2000)
					sched_yield();
			if (sb_r[0] == 0 && sb_r[1] == 0)
				sb_both_zero++;
			WRITE_ONCE(sb_x, 0);
			WRITE_ONCE(sb_y, 0);
			smp_store_release(&sb_go, k + 1);
		}
	}
}

static long sb_run(enum sb_kind kind, long rounds)
{
	sb_kind = kind;
	sb_rounds = rounds;
	sb_both_zero = 0;
	sb_go = 1;
	sb_done = 0;
	sb_x = sb_y = 0;
	test_threads(2, sb_thread, NULL);
	return sb_both_zero;
}

TEST(store_buffering_litmus)
{
	long rounds = test_scale(5000);

	/* without a barrier the outcome is allowed (and usually seen on x86) */
	printf("  SB without barrier: r0 == r1 == 0 in %ld of %ld rounds\n",
	       sb_run(SB_NONE, rounds), rounds);
	for (int k = SB_SMP_MB; k < SB_NR; k++) {
#ifdef LKSYNC_UP
		/* as in the kernel without CONFIG_SMP, smp_mb() is only barrier() */
		if (k == SB_SMP_MB)
			continue;
#endif
		long bad = sb_run(k, rounds);

		if (bad)
			fprintf(stderr, "  SB with %s: forbidden outcome %ld times\n", sb_names[k], bad);
		CHECK_EQ(bad, 0);
	}
}

int main(void)
{
	test_watchdog(100);
	RUN(once_accessors);
	RUN(hints_and_barriers_compile);
	RUN(message_passing);
	RUN(cond_load_waits);
	RUN(store_buffering_litmus);
	return test_done();
}
