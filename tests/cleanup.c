// SPDX-License-Identifier: MIT
/*
 * Scoped guards and cleanup classes: the lock is held exactly for the scope,
 * released on every way out, and a conditional guard that failed holds and
 * releases nothing.
 */
#include <stdlib.h>
#include <lksync/cleanup.h>
#include <lksync/spinlock.h>
#include <lksync/rwlock.h>
#include "lksync_test.h"

/* Uniprocessor build: spinlocks are bookkeeping only, never "locked". */
#ifdef LKSYNC_UP
#define SMP_LOCKS	0
#define HELD(l)		1
#define FREE(l)		1
#define RAW_HELD(l)	1
#define RAW_FREE(l)	1
#else
#define SMP_LOCKS	1
#define HELD(l)		spin_is_locked(l)
#define FREE(l)		(!spin_is_locked(l))
#define RAW_HELD(l)	raw_spin_is_locked(l)
#define RAW_FREE(l)	(!raw_spin_is_locked(l))
#endif

static DEFINE_SPINLOCK(sl);
static DEFINE_RAW_SPINLOCK(rl);
static DEFINE_RWLOCK(rw);

static int guarded_return(int early)
{
	guard(spinlock)(&sl);
	CHECK(HELD(&sl));
	CHECK_EQ(preempt_count(), 1);
	if (early)
		return 1;
	return 2;
}

TEST(guard_scope)
{
	CHECK_EQ(guarded_return(1), 1);
	CHECK(FREE(&sl));
	CHECK_EQ(guarded_return(0), 2);
	CHECK(FREE(&sl));
	CHECK_EQ(preempt_count(), 0);
#ifdef LKSYNC_DEBUG
	/* The outer restore then finds interrupts on: DEBUG_IRQFLAGS says so. */
	lksync_set_report_sink(test_report_sink, NULL);
	test_reports = 0;
#endif
	{
		guard(spinlock_irqsave)(&sl);
		CHECK(irqs_disabled());
		{
			guard(raw_spinlock_irq)(&rl);
			CHECK(RAW_HELD(&rl));
		}
		CHECK(RAW_FREE(&rl));
		/* irq guard re-enabled interrupts: the kernel's _irq semantics */
		CHECK(!irqs_disabled());
	}
#ifdef LKSYNC_DEBUG
	lksync_set_report_sink(NULL, NULL);
	CHECK_EQ(test_reports, 1);
	CHECK(strstr(test_last_report, "raw_local_irq_restore() called with IRQs enabled") != NULL);
#endif
	CHECK(FREE(&sl));
	{
		local_irq_disable();
		{
			guard(spinlock_irqsave)(&sl);
			CHECK(irqs_disabled());
		}
		CHECK(irqs_disabled());		/* restored, not enabled */
		local_irq_enable();
	}
	for (int i = 0; i < 3; i++) {
		guard(spinlock_bh)(&sl);
		CHECK(in_softirq());
		if (i == 1)
			break;
	}
	CHECK(!in_softirq());
	CHECK(FREE(&sl));
}

TEST(scoped_and_try)
{
	int ran = 0;

	scoped_guard(spinlock, &sl) {
		CHECK(HELD(&sl));
		ran++;
	}
	CHECK_EQ(ran, 1);
	CHECK(FREE(&sl));
	scoped_guard(spinlock_try, &sl)
		ran++;
	CHECK_EQ(ran, 2);
#ifndef LKSYNC_UP
	spin_lock(&sl);
	scoped_guard(spinlock_try, &sl)		/* held: the block is skipped */
		ran++;
	CHECK_EQ(ran, 2);
	CHECK(HELD(&sl));		/* and the failed guard released nothing */
	spin_unlock(&sl);
#endif
	scoped_guard(spinlock_irqsave_try, &sl) {
		CHECK(irqs_disabled());
		ran++;
	}
	CHECK(!irqs_disabled());
	CHECK_EQ(ran, 3);
#ifndef LKSYNC_UP
	int failed = 0;
	spin_lock(&sl);
	scoped_cond_guard(spinlock_try, failed = 1, &sl)
		ran++;
	spin_unlock(&sl);
	CHECK_EQ(failed, 1);
	CHECK_EQ(ran, 3);
#endif
}

TEST(rwlock_preempt_irq)
{
	{
		guard(read_lock)(&rw);
		if (SMP_LOCKS)
			CHECK(!write_trylock(&rw));
		CHECK(read_trylock(&rw));
		read_unlock(&rw);
	}
	{
		guard(write_lock_irqsave)(&rw);
		CHECK(irqs_disabled());
		if (SMP_LOCKS)
			CHECK(!read_trylock(&rw));
	}
	CHECK(write_trylock(&rw));
	write_unlock(&rw);
	CHECK(!irqs_disabled());
	{
		guard(preempt)();
		CHECK_EQ(preempt_count(), 1);
		guard(irq)();
		CHECK(irqs_disabled());
	}
	CHECK_EQ(preempt_count(), 0);
	CHECK(!irqs_disabled());
	{
		guard(irqsave)();
		CHECK(irqs_disabled());
	}
	CHECK(!irqs_disabled());
}

static int freed;
static void count_free(void *p) { free(p); freed++; }
DEFINE_FREE(cnt, void *, if (_T) count_free(_T))

static void *keep(void)
{
	void *p __free(cnt) = malloc(16);

	return_ptr(p);
}

DEFINE_CLASS(counter, int *, (*_T)--, ({ (*p)++; p; }), int *p)

TEST(free_and_class)
{
	int level = 0;

	{
		void *p __free(cnt) = malloc(8);
		(void)p;
	}
	CHECK_EQ(freed, 1);
	{
		void *q __free(cnt) = NULL;	/* NULL: nothing to free */
		(void)q;
	}
	CHECK_EQ(freed, 1);
	void *k = keep();
	CHECK_EQ(freed, 1);
	{
		void *p __free(cnt) = k;
		void *r = no_free_ptr(p);
		CHECK(r == k);
		CHECK(p == NULL);
	}
	CHECK_EQ(freed, 1);
	free(k);
	{
		CLASS(counter, c)(&level);
		CHECK_EQ(level, 1);
		(void)c;
	}
	CHECK_EQ(level, 0);
}

int main(void)
{
	RUN(guard_scope);
	RUN(scoped_and_try);
	RUN(rwlock_preempt_irq);
	RUN(free_and_class);
	return test_done();
}
