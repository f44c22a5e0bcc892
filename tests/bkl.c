// SPDX-License-Identifier: MIT
/*
 * The Big Kernel Lock: recursive for its holder, exclusive between tasks,
 * released by schedule() while its holder sleeps and held again after.
 */
#include <time.h>
#include <lksync/smp_lock.h>
#include <lksync/delay.h>
#include <lksync/bug.h>
#include "lksync_test.h"

#ifdef LKSYNC_UP
#define SMP 0
#else
#define SMP 1
#endif

#define now_us()	test_now_us()

TEST(recursion)
{
	CHECK(!kernel_locked());
	CHECK_EQ(current->lock_depth, -1);
	lock_kernel();
	CHECK(kernel_locked());
	CHECK_EQ(current->lock_depth, 0);
	lock_kernel();
	lock_kernel();
	CHECK_EQ(current->lock_depth, 2);
	unlock_kernel();
	unlock_kernel();
	CHECK(kernel_locked());
	unlock_kernel();
	CHECK(!kernel_locked());
}

static long counter;
static int inside;

static void hammer(int idx, void *arg)
{
	long n = *(long *)arg;

	(void)idx;
	for (long i = 0; i < n; i++) {
		lock_kernel();
		CHECK_EQ(__atomic_add_fetch(&inside, 1, __ATOMIC_RELAXED), 1);
		counter++;
		if (!(i & 255))
			lock_kernel(), unlock_kernel();		/* nested */
		__atomic_sub_fetch(&inside, 1, __ATOMIC_RELAXED);
		unlock_kernel();
	}
}

TEST(exclusion)
{
	long n = test_scale(50000);

	test_threads(6, hammer, &n);
	CHECK_EQ(counter, 6 * n);
}

/* A holds the BKL and sleeps; B takes it meanwhile; A holds it again after its sleep. */
static int b_entered;
static long long a_unlocked_at, b_second_at;
static int a_phase;

static void sleep_scenario(int idx, void *arg)
{
	(void)arg;
	if (idx == 0) {
		lock_kernel();
		__atomic_store_n(&a_phase, 1, __ATOMIC_RELEASE);
		/* schedule() drops the BKL for each sleep ... */
		for (int i = 0; i < 500 && !__atomic_load_n(&b_entered, __ATOMIC_ACQUIRE); i++)
			msleep(10);
		CHECK(kernel_locked());	/* ... but the task still counts as holding it */
		CHECK_EQ(__atomic_load_n(&b_entered, __ATOMIC_ACQUIRE), 1);
		__atomic_store_n(&a_phase, 2, __ATOMIC_RELEASE);
		udelay(50000);		/* busy, holding it again: B must wait */
		a_unlocked_at = now_us();
		unlock_kernel();
		return;
	}
	while (__atomic_load_n(&a_phase, __ATOMIC_ACQUIRE) < 1)
		usleep(1000);
	usleep(10000);
	lock_kernel();			/* while A sleeps */
	__atomic_store_n(&b_entered, 1, __ATOMIC_RELEASE);
	unlock_kernel();
	while (__atomic_load_n(&a_phase, __ATOMIC_ACQUIRE) < 2)
		usleep(1000);
	lock_kernel();			/* A holds it again: we get it after A's unlock */
	b_second_at = now_us();
	unlock_kernel();
}

TEST(released_across_sleep)
{
	test_threads(2, sleep_scenario, NULL);
	CHECK_EQ(b_entered, 1);
	CHECK(b_second_at >= a_unlocked_at);
}

TEST(unlock_unheld_reported)
{
	lksync_report_sink_t old = lksync_set_report_sink(test_report_sink, NULL);
	int before = test_reports;

	unlock_kernel();
	CHECK_EQ(test_reports, before + 1);
	CHECK(strstr(test_last_report, "unlock_kernel") != NULL);
	CHECK(!kernel_locked());
	lksync_set_report_sink(old, NULL);
}

int main(void)
{
	test_watchdog(60);
	RUN(recursion);
	if (SMP) {	/* uniprocessor build: the BKL, a spinlock, is bookkeeping only */
		RUN(exclusion);
		RUN(released_across_sleep);
	}
	RUN(unlock_unheld_reported);
	return test_done();
}
