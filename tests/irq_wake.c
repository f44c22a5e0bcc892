// SPDX-License-Identifier: MIT
/*
 * Interrupt wake sources (a nesting wake depth, the kernel's unbalanced
 * warning), affinity calls (accepted), irq_has_action(), and the
 * irq_enter()/irq_exit() bracket.
 */
#include <errno.h>
#include <lksync/interrupt.h>
#include <lksync/bug.h>
#include <lksync/delay.h>
#include "lksync_test.h"

#define LINE	17

static int hits;

static irqreturn_t handler(int irq, void *dev)
{
	CHECK(in_hardirq());
	__atomic_add_fetch(&hits, 1, __ATOMIC_RELEASE);
	return IRQ_HANDLED;
}

TEST(wake_depth)
{
	lksync_set_report_sink(test_report_sink, NULL);
	test_reports = 0;
	CHECK_EQ(lksync_irq_wake_depth(LINE), 0);
	CHECK_EQ(enable_irq_wake(LINE), 0);		/* no handler needed, as in the kernel */
	CHECK_EQ(enable_irq_wake(LINE), 0);
	CHECK_EQ(lksync_irq_wake_depth(LINE), 2);
	CHECK_EQ(irq_set_irq_wake(LINE, 0), 0);
	CHECK_EQ(lksync_irq_wake_depth(LINE), 1);
	CHECK_EQ(disable_irq_wake(LINE), 0);
	CHECK_EQ(lksync_irq_wake_depth(LINE), 0);
	CHECK_EQ(test_reports, 0);
	CHECK_EQ(disable_irq_wake(LINE), 0);		/* unbalanced: warned, still 0 */
	CHECK_EQ(test_reports, 1);
	CHECK(strstr(test_last_report, "Unbalanced IRQ 17 wake disable") != NULL);
	CHECK_EQ(lksync_irq_wake_depth(LINE), 0);
	CHECK_EQ(irq_set_irq_wake(NR_IRQS, 1), -EINVAL);
	CHECK_EQ(enable_irq_wake(NR_IRQS + 5), -EINVAL);
	CHECK_EQ(test_reports, 1);
	lksync_set_report_sink(NULL, NULL);
}

TEST(affinity_and_action)
{
	int dev;

	CHECK(!irq_has_action(LINE));
	CHECK(!irq_has_action(NR_IRQS));
	CHECK_EQ(request_irq(LINE, handler, 0, "wake", &dev), 0);
	CHECK(irq_has_action(LINE));
	CHECK_EQ(irq_set_affinity(LINE, cpu_online_mask), 0);
	CHECK_EQ(irq_set_affinity_hint(LINE, cpu_online_mask), 0);
	CHECK_EQ(irq_update_affinity_hint(LINE, NULL), 0);
	CHECK_EQ(irq_set_affinity_and_hint(LINE, cpu_online_mask), 0);
	CHECK_EQ(irq_set_affinity(NR_IRQS, cpu_online_mask), -EINVAL);
	CHECK_EQ(irq_set_affinity_hint(NR_IRQS, NULL), -EINVAL);
	/* Accepted and ignored: the line still reaches its handler. */
	CHECK_EQ(enable_irq_wake(LINE), 0);
	CHECK_EQ(lksync_irq_raise(LINE), 0);
	for (int i = 0; i < 2000 && !__atomic_load_n(&hits, __ATOMIC_ACQUIRE); i++)
		usleep(500);
	CHECK_EQ(__atomic_load_n(&hits, __ATOMIC_ACQUIRE), 1);
	CHECK_EQ(disable_irq_wake(LINE), 0);
	CHECK(free_irq(LINE, &dev) != NULL);
	CHECK(!irq_has_action(LINE));
}

static int tasklet_ran, tasklet_in_softirq;

static void tl_fn(struct tasklet_struct *t)
{
	tasklet_in_softirq = in_serving_softirq() && !in_hardirq();
	__atomic_add_fetch(&tasklet_ran, 1, __ATOMIC_RELEASE);
}

static DECLARE_TASKLET(tl, tl_fn);

TEST(enter_exit)
{
	unsigned long flags;

	CHECK(!in_hardirq() && !in_interrupt());
	local_irq_save(flags);
	irq_enter();
	CHECK(in_hardirq());
	CHECK(in_interrupt());
	CHECK_EQ(hardirq_count(), HARDIRQ_OFFSET);
	irq_enter();					/* nests */
	CHECK_EQ(hardirq_count(), 2 * HARDIRQ_OFFSET);
	tasklet_schedule(&tl);
	irq_exit();					/* still in hardirq: nothing runs */
	CHECK_EQ(hardirq_count(), HARDIRQ_OFFSET);
	CHECK_EQ(__atomic_load_n(&tasklet_ran, __ATOMIC_ACQUIRE), 0);
	irq_exit();					/* leaves: softirqs run here, now */
	CHECK(!in_hardirq());
	CHECK_EQ(__atomic_load_n(&tasklet_ran, __ATOMIC_ACQUIRE), 1);
	CHECK(tasklet_in_softirq);
	CHECK(irqs_disabled());				/* irq_exit() leaves them as they were */
	local_irq_restore(flags);

	/* irq_exit() without irq_enter() is reported once. */
	lksync_set_report_sink(test_report_sink, NULL);
	test_reports = 0;
	local_irq_save(flags);
	irq_enter();
	irq_exit();
	CHECK_EQ(test_reports, 0);
	irq_exit();
	CHECK_EQ(test_reports, 1);
	CHECK(strstr(test_last_report, "irq_exit() without irq_enter()") != NULL);
	CHECK_EQ(preempt_count(), 0);			/* not underflowed */
	local_irq_restore(flags);
	lksync_set_report_sink(NULL, NULL);
}

int main(void)
{
	test_watchdog(20);
	RUN(wake_depth);
	RUN(affinity_and_action);
	RUN(enter_exit);
	return test_done();
}
