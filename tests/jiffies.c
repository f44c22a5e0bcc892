// SPDX-License-Identifier: MIT
/*
 * jiffies_64 and xtime_lock: the seeds' get_jiffies_64() runs as written
 * against the real tick, jiffies advance with no tick at all (NO_HZ
 * catch-up), and no reader ever sees them go back.
 */
#include <lksync/sched.h>
#include <lksync/jiffies.h>
#include <lksync/seqlock.h>
#include <lksync/timer.h>
#include "lksync_test.h"

/* The seeds' example (Love, "Kernel Locking Techniques"), unchanged. */
static u64 my_get_jiffies_64(void)
{
	unsigned long seq;
	u64 ret;

	do {
		seq = read_seqbegin(&xtime_lock);
		ret = jiffies_64;
	} while (read_seqretry(&xtime_lock, seq));
	return ret;
}

/* A timer re-arming itself every jiffy keeps the tick running. */
static struct timer_list ticker;
static int ticker_stop;
static unsigned long ticker_runs;

static void ticker_fn(struct timer_list *t)
{
	__atomic_add_fetch(&ticker_runs, 1, __ATOMIC_RELAXED);
	if (!__atomic_load_n(&ticker_stop, __ATOMIC_RELAXED))
		mod_timer(t, jiffies + 1);
}

static long reader_iters;
static int reader_backwards;
static u64 reader_max;		/* the largest value any reader returned */

static void reader_thread(int idx, void *arg)
{
	u64 prev = 0, v, seen;

	(void)arg;
	for (long i = 0; i < reader_iters; i++) {
		/* What others have already returned before we read. */
		seen = __atomic_load_n(&reader_max, __ATOMIC_ACQUIRE);
		switch ((idx + i) % 4) {
		case 0: v = my_get_jiffies_64(); break;
		case 1: v = jiffies_64; break;
		case 2: v = get_jiffies_64(); break;
		default: v = (u64)jiffies; break;
		}
		if (v < prev || v < seen)
			__atomic_store_n(&reader_backwards, 1, __ATOMIC_RELAXED);
		prev = v;
		u64 cur = __atomic_load_n(&reader_max, __ATOMIC_RELAXED);

		while (cur < v && !__atomic_compare_exchange_n(&reader_max, &cur, v, 1,
							       __ATOMIC_RELEASE,
							       __ATOMIC_RELAXED))
			;
	}
}

/* xtime_lock's sequence: each tick's write adds 2. */
static unsigned tick_seq(void)
{
	unsigned seq = read_seqbegin(&xtime_lock);

	(void)read_seqretry(&xtime_lock, seq);	/* ends the read section (TSan) */
	return seq;
}

TEST(seeds_example_with_tick)
{
	unsigned seq0, seq1;
	u64 a, b;

	timer_setup(&ticker, ticker_fn, 0);
	mod_timer(&ticker, jiffies + 1);
	seq0 = tick_seq();
	for (int i = 0; i < 2000 && __atomic_load_n(&ticker_runs, __ATOMIC_RELAXED) < 20; i++)
		usleep(1000);
	seq1 = tick_seq();
	CHECK(__atomic_load_n(&ticker_runs, __ATOMIC_RELAXED) >= 20);
	CHECK(seq1 - seq0 >= 2 * 19);		/* the tick wrote, once per run at least */

	a = my_get_jiffies_64();
	b = get_jiffies_64();
	CHECK(a <= b && b - a <= 1);
	CHECK(a >= INITIAL_JIFFIES);

	reader_iters = test_scale(200000);
	test_threads(4, reader_thread, NULL);
	CHECK_EQ(reader_backwards, 0);

	__atomic_store_n(&ticker_stop, 1, __ATOMIC_RELAXED);
	del_timer_sync(&ticker);
	CHECK(!timer_pending(&ticker));
}

/* HZ_PERIODIC: the tick interrupt comes every jiffy with no timer pending. */
TEST(periodic_tick)
{
	unsigned seq0, seq1;
	long long t0, ms;
	u64 j0, j1;

	CHECK(!lksync_tick_set_periodic(true));		/* NO_HZ by default */
	usleep(5000);
	t0 = test_now_ms();
	seq0 = tick_seq();
	j0 = my_get_jiffies_64();
	usleep(100000);
	seq1 = tick_seq();
	j1 = my_get_jiffies_64();
	ms = test_now_ms() - t0;
	/*
	 * Each tick writes once (sequence +2). A loaded machine delays the
	 * clock thread and late jiffies coalesce into one tick, so ask for a
	 * tenth of them: the tickless default writes none here.
	 */
	CHECK((long long)(seq1 - seq0) / 2 >= ms / 10);
	CHECK(j1 - j0 + 2 >= (u64)ms);
	CHECK(lksync_tick_set_periodic(false));
	/* Back to NO_HZ: nothing pending, so the tick stops writing. */
	usleep(5000);
	seq0 = tick_seq();
	usleep(50000);
	seq1 = tick_seq();
	CHECK(seq1 - seq0 <= 2 * 2);
}

TEST(advances_without_tick)
{
	u64 a, b;
	long long t0, ms;

	/* No timer pending: no tick. jiffies still follow the clock. */
	t0 = test_now_ns();
	a = jiffies_64;
	usleep(50000);
	b = jiffies_64;
	ms = (test_now_ns() - t0) / 1000000;
	CHECK(b - a >= 49);
	CHECK((long long)(b - a) <= ms + 1);

	/* The classic busy-wait on jiffies terminates. */
	unsigned long until = jiffies + 5;

	while (time_before(jiffies, until))
		;
	CHECK(time_after_eq(jiffies, until));

	reader_iters = test_scale(100000);
	__atomic_store_n(&reader_max, 0, __ATOMIC_RELAXED);
	test_threads(3, reader_thread, NULL);
	CHECK_EQ(reader_backwards, 0);
}

TEST(variable_semantics)
{
	u64 *p = &lksync_jiffies_64;
	u64 j = get_jiffies_64();

	/* The counter itself is the published maximum. */
	CHECK(__atomic_load_n(p, __ATOMIC_RELAXED) >= j);
	CHECK_EQ(sizeof(jiffies_64), 8);
	CHECK_EQ(sizeof(jiffies), sizeof(unsigned long));
	/* The seeds' tick line compiles; only lksync's tick moves the counter. */
	jiffies_64 += 1000000;
	CHECK(get_jiffies_64() < j + 1000);
	j = get_jiffies_64();
	CHECK(jiffies - (unsigned long)j <= 1);
}

int main(void)
{
	test_watchdog(30);
	RUN(seeds_example_with_tick);
	RUN(periodic_tick);
	RUN(advances_without_tick);
	RUN(variable_semantics);
	return test_done();
}
