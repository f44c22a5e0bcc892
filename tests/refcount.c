// SPDX-License-Identifier: MIT
/*
 * refcount_t: every operation, saturation and each of the kernel's warning
 * texts (once per kind), and get/put under contention with an exact number
 * of frees that see every owner's writes.
 */
#include <limits.h>
#include <sched.h>
#include <lksync/refcount.h>
#include "lksync_test.h"

#ifdef LKSYNC_UP
#define IS_UP 1	/* UP spinlocks never read as held */
#else
#define IS_UP 0
#endif

TEST(basic_ops)
{
	refcount_t r = REFCOUNT_INIT(1);
	int before = test_reports;

	CHECK_EQ(refcount_read(&r), 1);
	refcount_inc(&r);
	CHECK_EQ(refcount_read(&r), 2);
	refcount_add(3, &r);
	CHECK_EQ(refcount_read(&r), 5);
	CHECK(refcount_inc_not_zero(&r));
	CHECK(refcount_add_not_zero(2, &r));
	CHECK_EQ(refcount_read(&r), 8);
	refcount_dec(&r);
	CHECK_EQ(refcount_read(&r), 7);
	CHECK(!refcount_sub_and_test(5, &r));
	CHECK_EQ(refcount_read(&r), 2);
	CHECK(!refcount_dec_if_one(&r));
	CHECK_EQ(refcount_read(&r), 2);
	CHECK(refcount_dec_not_one(&r));
	CHECK_EQ(refcount_read(&r), 1);
	CHECK(!refcount_dec_not_one(&r));
	CHECK_EQ(refcount_read(&r), 1);
	CHECK(refcount_dec_if_one(&r));
	CHECK_EQ(refcount_read(&r), 0);
	CHECK(!refcount_inc_not_zero(&r));	/* 0 stays 0: no warning */
	CHECK(!refcount_add_not_zero(4, &r));
	CHECK_EQ(refcount_read(&r), 0);
	refcount_set(&r, 3);
	CHECK(!refcount_dec_and_test(&r));
	CHECK(refcount_sub_and_test(2, &r));
	CHECK_EQ(refcount_read(&r), 0);
	refcount_set_release(&r, 1);
	CHECK(refcount_dec_and_test(&r));
	CHECK_EQ(test_reports, before);		/* nothing above is misuse */
	CHECK_EQ(REFCOUNT_SATURATED, INT_MIN / 2);
	CHECK_EQ(REFCOUNT_MAX, INT_MAX);
}

#define SATURATED ((unsigned int)REFCOUNT_SATURATED)

static int warned(const char *text)
{
	return strstr(test_last_report, text) != NULL && strstr(test_last_report, "WARNING: ") != NULL;
}

TEST(addition_on_zero)
{
	refcount_t r = REFCOUNT_INIT(0);
	int before = test_reports;

	refcount_inc(&r);
	CHECK_EQ(test_reports, before + 1);
	CHECK(warned("refcount_t: addition on 0; use-after-free.\n"));
	CHECK_EQ(refcount_read(&r), SATURATED);
}

TEST(overflow_saturates)
{
	refcount_t r = REFCOUNT_INIT(REFCOUNT_MAX);
	int before = test_reports;

	refcount_inc(&r);
	CHECK_EQ(test_reports, before + 1);
	CHECK(warned("refcount_t: saturated; leaking memory.\n"));
	CHECK_EQ(refcount_read(&r), SATURATED);

	/* the *_not_zero path has its own warning site, same text */
	refcount_set(&r, REFCOUNT_MAX - 1);
	test_last_report[0] = 0;
	CHECK(refcount_add_not_zero(2, &r));
	CHECK_EQ(test_reports, before + 2);
	CHECK(warned("refcount_t: saturated; leaking memory.\n"));
	CHECK_EQ(refcount_read(&r), SATURATED);

	/* once saturated, it stays saturated and warns no more (WARN_ONCE) */
	refcount_inc(&r);
	refcount_add(100, &r);
	CHECK(refcount_inc_not_zero(&r));
	CHECK_EQ(refcount_read(&r), SATURATED);
	CHECK_EQ(test_reports, before + 2);
}

TEST(underflow_saturates)
{
	refcount_t r = REFCOUNT_INIT(0);
	int before = test_reports;

	CHECK(!refcount_dec_and_test(&r));
	CHECK_EQ(test_reports, before + 1);
	CHECK(warned("refcount_t: underflow; use-after-free.\n"));
	CHECK_EQ(refcount_read(&r), SATURATED);
	/* a saturated counter never reaches 0 again */
	for (int i = 0; i < 1000; i++)
		CHECK(!refcount_dec_and_test(&r));
	CHECK_EQ(refcount_read(&r), SATURATED);
	refcount_set(&r, 2);
	CHECK(!refcount_sub_and_test(3, &r));
	CHECK_EQ(refcount_read(&r), SATURATED);
	CHECK_EQ(test_reports, before + 1);
}

TEST(decrement_hit_zero)
{
	refcount_t r = REFCOUNT_INIT(1);
	int before = test_reports;

	refcount_dec(&r);
	CHECK_EQ(test_reports, before + 1);
	CHECK(warned("refcount_t: decrement hit 0; leaking memory.\n"));
	CHECK_EQ(refcount_read(&r), SATURATED);
}

TEST(dec_not_one_edges)
{
	refcount_t r = REFCOUNT_INIT(0);
	int before = test_reports;

	CHECK(refcount_dec_not_one(&r));	/* underflow: warns, stores nothing */
	CHECK_EQ(test_reports, before + 1);
	CHECK(warned("refcount_t: underflow; use-after-free.\n"));
	CHECK_EQ(refcount_read(&r), 0);
	refcount_set(&r, REFCOUNT_SATURATED);
	CHECK(refcount_dec_not_one(&r));
	CHECK_EQ(refcount_read(&r), SATURATED);
	CHECK(!refcount_dec_if_one(&r));
}

#define NTHREADS 8
#define NOBJ 64
struct obj {
	refcount_t ref;
	long data[NTHREADS];	/* each owner writes its slot before dropping its reference */
	int freed;
};
static struct obj objs[NOBJ];
static int frees;
static long iters;
static refcount_t shared = REFCOUNT_INIT(1);

static void owner(int idx, void *arg)
{
	for (long k = 0; k < iters; k++) {
		refcount_inc(&shared);
		CHECK(refcount_inc_not_zero(&shared));
		refcount_dec(&shared);
		CHECK(!refcount_dec_and_test(&shared));	/* main's reference keeps it > 0 */
		if (k % 64 == 0)
			sched_yield();
	}
	for (int o = 0; o < NOBJ; o++) {
		struct obj *p = &objs[(o + idx * 7) % NOBJ];

		p->data[idx] = idx + 1;
		if (refcount_dec_and_test(&p->ref)) {
			/* the freeing path sees every owner's write */
			for (int t = 0; t < NTHREADS; t++)
				CHECK_EQ(p->data[t], t + 1);
			p->freed++;
			__atomic_add_fetch(&frees, 1, __ATOMIC_RELAXED);
		}
	}
}

TEST(contended_get_put)
{
	int before = test_reports;

	iters = test_scale(20000);
	for (int o = 0; o < NOBJ; o++)
		refcount_set(&objs[o].ref, NTHREADS);
	test_threads(NTHREADS, owner, NULL);
	CHECK_EQ(frees, NOBJ);
	for (int o = 0; o < NOBJ; o++)
		CHECK_EQ(objs[o].freed, 1);
	CHECK_EQ(refcount_read(&shared), 1);
	CHECK(refcount_dec_and_test(&shared));
	CHECK_EQ(test_reports, before);
}

static DEFINE_SPINLOCK(dal_lock);

TEST(dec_and_lock)
{
	refcount_t r = REFCOUNT_INIT(2);
	unsigned long flags = 0;

	CHECK(!refcount_dec_and_lock(&r, &dal_lock));	/* 2 -> 1: no lock */
	CHECK_EQ(refcount_read(&r), 1);
	CHECK(!spin_is_locked(&dal_lock) || IS_UP);
	CHECK_EQ(preempt_count(), 0);
	CHECK(refcount_dec_and_lock(&r, &dal_lock));	/* 1 -> 0: locked */
	CHECK_EQ(refcount_read(&r), 0);
	CHECK(spin_is_locked(&dal_lock) || IS_UP);
	CHECK_EQ(preempt_count(), 1);
	spin_unlock(&dal_lock);

	refcount_set(&r, 2);
	CHECK(!refcount_dec_and_lock_irqsave(&r, &dal_lock, &flags));
	CHECK(!irqs_disabled());
	CHECK(refcount_dec_and_lock_irqsave(&r, &dal_lock, &flags));
	CHECK(irqs_disabled());
	CHECK_EQ(flags, 0);
	spin_unlock_irqrestore(&dal_lock, flags);
	CHECK(!irqs_disabled());
	CHECK_EQ(preempt_count(), 0);
}

static DEFINE_MUTEX(dal_mutex);

TEST(dec_and_mutex_lock)
{
	refcount_t r = REFCOUNT_INIT(2);

	CHECK(!refcount_dec_and_mutex_lock(&r, &dal_mutex));	/* 2 -> 1: no lock */
	CHECK_EQ(refcount_read(&r), 1);
	CHECK(!mutex_is_locked(&dal_mutex));
	CHECK(refcount_dec_and_mutex_lock(&r, &dal_mutex));	/* 1 -> 0: locked */
	CHECK_EQ(refcount_read(&r), 0);
	CHECK(mutex_is_locked(&dal_mutex));
	mutex_unlock(&dal_mutex);
	CHECK(!mutex_is_locked(&dal_mutex));
}

#ifndef LKSYNC_UP
static refcount_t dal_ref;
static int dal_winners, dal_holder_saw_zero;

static void dal_worker(int idx, void *arg)
{
	if (refcount_dec_and_lock(&dal_ref, &dal_lock)) {
		dal_winners++;			/* under dal_lock */
		dal_holder_saw_zero = refcount_read(&dal_ref) == 0;
		spin_unlock(&dal_lock);
	}
}

TEST(dec_and_lock_one_winner)
{
	for (int round = 0; round < test_scale(200); round++) {
		refcount_set(&dal_ref, 8);
		dal_winners = 0;
		test_threads(8, dal_worker, NULL);
		CHECK_EQ(dal_winners, 1);
		CHECK(dal_holder_saw_zero);
		if (dal_winners != 1)
			break;
	}
}
#endif

int main(void)
{
	test_watchdog(100);
	lksync_set_report_sink(test_report_sink, NULL);
	RUN(basic_ops);
	RUN(addition_on_zero);
	RUN(overflow_saturates);
	RUN(underflow_saturates);
	RUN(decrement_hit_zero);
	RUN(dec_not_one_edges);
	RUN(contended_get_put);
	RUN(dec_and_lock);
	RUN(dec_and_mutex_lock);
#ifndef LKSYNC_UP
	RUN(dec_and_lock_one_winner);
#endif
	return test_done();
}
