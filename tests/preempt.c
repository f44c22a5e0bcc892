// SPDX-License-Identifier: MIT
/* preempt_count nesting with bh and irq state, the context tests, pending work. */
#include <lksync/sched.h>
#include <lksync/bug.h>
#include "lksync_test.h"

/* The context predicates, checked against what preempt_count() holds. */
static void check_context(void)
{
	unsigned int pc = (unsigned int)preempt_count();

	CHECK_EQ(!!in_atomic(), pc != 0);
	CHECK_EQ(!!in_nmi(), (pc & NMI_MASK) != 0);
	CHECK_EQ(!!in_hardirq(), (pc & HARDIRQ_MASK) != 0);
	CHECK_EQ(!!in_irq(), (pc & HARDIRQ_MASK) != 0);
	CHECK_EQ(!!in_softirq(), (pc & SOFTIRQ_MASK) != 0);
	CHECK_EQ(!!in_serving_softirq(), (pc & SOFTIRQ_OFFSET) != 0);
	CHECK_EQ(!!in_interrupt(), (pc & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK)) != 0);
	CHECK_EQ(!!in_task(), !(pc & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET)));
	CHECK_EQ(!!preemptible(), pc == 0 && !irqs_disabled());
}

TEST(plain_task_context)
{
	CHECK_EQ(preempt_count(), 0);
	CHECK(preemptible());
	CHECK(!in_atomic());
	CHECK(in_task());
	CHECK(!in_interrupt());
	CHECK_EQ(interrupt_context_level(), 0);
	check_context();
}

TEST(preempt_nesting)
{
	preempt_disable();
	CHECK_EQ(preempt_count(), 1);
	CHECK(in_atomic());
	CHECK(!preemptible());
	CHECK(in_task());
	CHECK(!in_interrupt());
	CHECK(!in_atomic_preempt_off());
	preempt_disable();
	CHECK_EQ(preempt_count(), 2);
	CHECK(in_atomic_preempt_off());
	preempt_enable_no_resched();
	CHECK_EQ(preempt_count(), 1);
	preempt_disable_notrace();
	preempt_enable_notrace();
	preempt_disable_nested();
	preempt_enable_nested();
	sched_preempt_enable_no_resched();
	CHECK_EQ(preempt_count(), 0);
	CHECK(preemptible());
	preempt_count_add(5);
	CHECK_EQ(preempt_count(), 5);
	preempt_count_sub(5);
	preempt_count_inc();
	preempt_count_dec();
	preempt_check_resched();
	CHECK_EQ(preempt_count(), 0);
	for (int i = 0; i < 200; i++)
		preempt_disable();
	CHECK_EQ(preempt_count(), 200);
	CHECK(!in_softirq());	/* 200 < 256: still in the preemption bits */
	for (int i = 0; i < 200; i++)
		preempt_enable();
	CHECK_EQ(preempt_count(), 0);
}

TEST(bh_nesting)
{
	local_bh_disable();
	CHECK_EQ(preempt_count(), SOFTIRQ_DISABLE_OFFSET);
	CHECK(in_softirq());
	CHECK(!in_serving_softirq());
	CHECK(in_interrupt());
	CHECK(in_task());	/* bh disabled is still task context */
	CHECK(in_atomic());
	CHECK(!preemptible());
	local_bh_disable();
	CHECK_EQ(softirq_count(), 2 * SOFTIRQ_DISABLE_OFFSET);
	local_bh_enable();
	CHECK(in_softirq());
	local_bh_enable();
	CHECK(!in_softirq());
	CHECK_EQ(preempt_count(), 0);
	local_bh_disable();
	_local_bh_enable();
	local_bh_disable();
	local_bh_enable_ip(0);
	CHECK_EQ(preempt_count(), 0);
}

/* Every order of nesting preempt, bh and irq-save, unwound in reverse. */
TEST(all_combinations)
{
	static const int orders[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};

	for (int o = 0; o < 6; o++) {
		unsigned long flags = 0;
		unsigned int expect = 0;

		for (int k = 0; k < 3; k++) {
			switch (orders[o][k]) {
			case 0: preempt_disable(); expect += PREEMPT_OFFSET; break;
			case 1: local_bh_disable(); expect += SOFTIRQ_DISABLE_OFFSET; break;
			case 2: local_irq_save(flags); break;
			}
			CHECK_EQ(preempt_count(), expect);
			CHECK(!preemptible());
			check_context();
		}
		CHECK(irqs_disabled());
		for (int k = 2; k >= 0; k--) {
			switch (orders[o][k]) {
			case 0: preempt_enable(); expect -= PREEMPT_OFFSET; break;
			case 1: _local_bh_enable(); expect -= SOFTIRQ_DISABLE_OFFSET; break;
			case 2: local_irq_restore(flags); break;
			}
			CHECK_EQ(preempt_count(), expect);
			check_context();
		}
		CHECK(preemptible());
		CHECK(!irqs_disabled());
	}
}

TEST(interrupt_contexts)
{
	/* What the context layer adds on hardirq, softirq and NMI entry. */
	preempt_count_add(SOFTIRQ_OFFSET);
	CHECK(in_serving_softirq());
	CHECK(in_softirq());
	CHECK(!in_task());
	CHECK(!in_hardirq());
	CHECK_EQ(interrupt_context_level(), 1);
	check_context();
	preempt_count_add(HARDIRQ_OFFSET);
	CHECK(in_hardirq());
	CHECK(in_irq());
	CHECK(in_interrupt());
	CHECK_EQ(hardirq_count(), HARDIRQ_OFFSET);
	CHECK_EQ(interrupt_context_level(), 2);
	check_context();
	preempt_count_add(NMI_OFFSET + HARDIRQ_OFFSET);
	CHECK(in_nmi());
	CHECK_EQ(nmi_count(), NMI_OFFSET);
	CHECK_EQ(interrupt_context_level(), 3);
	check_context();
	preempt_count_sub(NMI_OFFSET + HARDIRQ_OFFSET);
	preempt_count_sub(HARDIRQ_OFFSET);
	CHECK(!in_hardirq());
	CHECK(in_serving_softirq());
	preempt_count_sub(SOFTIRQ_OFFSET);
	CHECK(in_task());
	CHECK_EQ(preempt_count(), 0);
	CHECK_EQ(irq_count(), 0);
}

/* Pending work runs (here: is cleared) exactly where the kernel runs it. */
TEST(pending_work_hooks)
{
	unsigned long flags;

	/* An interrupt arrived while masked: replayed at local_irq_enable(). */
	local_irq_disable();
	lksync_tls.pending |= LKSYNC_PENDING_IRQ;
	local_irq_disable();
	CHECK(lksync_tls.pending & LKSYNC_PENDING_IRQ);
	local_irq_enable();
	CHECK(!(lksync_tls.pending & LKSYNC_PENDING_IRQ));

	/* ... and at a local_irq_restore() that re-enables, not one that keeps masked. */
	local_irq_save(flags);
	{
		unsigned long inner;

		local_irq_save(inner);
		lksync_tls.pending |= LKSYNC_PENDING_IRQ;
		local_irq_restore(inner);
		CHECK(irqs_disabled());
		CHECK(lksync_tls.pending & LKSYNC_PENDING_IRQ);
	}
	local_irq_restore(flags);
	CHECK(!irqs_disabled());
	CHECK(!(lksync_tls.pending & LKSYNC_PENDING_IRQ));

	/* Softirqs raised with bh disabled run at the outermost local_bh_enable(). */
	local_bh_disable();
	local_bh_disable();
	lksync_tls.pending |= LKSYNC_PENDING_SOFTIRQ;
	local_bh_enable();
	CHECK(lksync_tls.pending & LKSYNC_PENDING_SOFTIRQ);	/* still disabled */
	local_bh_enable();
	CHECK(!(lksync_tls.pending & LKSYNC_PENDING_SOFTIRQ));

	/*
	 * Not in interrupt context: a hardirq's bh enable leaves them for irq
	 * exit. (A bh enable in a hard interrupt is itself a mistake the
	 * kernel warns about with debugging on; the debug flavor does too.)
	 */
#ifdef LKSYNC_DEBUG
	lksync_set_report_sink(test_report_sink, NULL);
	test_reports = 0;
#endif
	preempt_count_add(HARDIRQ_OFFSET);
	local_bh_disable();
	lksync_tls.pending |= LKSYNC_PENDING_SOFTIRQ;
	local_bh_enable();
	CHECK(lksync_tls.pending & LKSYNC_PENDING_SOFTIRQ);
	preempt_count_sub(HARDIRQ_OFFSET);
#ifdef LKSYNC_DEBUG
	lksync_set_report_sink(NULL, NULL);
	CHECK_EQ(test_reports, 1);
	CHECK(strstr(test_last_report, "local_bh_enable") != NULL);
#endif
	/* _local_bh_enable() never runs them. */
	local_bh_disable();
	_local_bh_enable();
	CHECK(lksync_tls.pending & LKSYNC_PENDING_SOFTIRQ);
	local_bh_disable();
	local_bh_enable();
	CHECK_EQ(lksync_tls.pending, 0);
}

static void per_thread(int idx, void *arg)
{
	/* Each task has its own count: other threads' nesting is invisible. */
	CHECK_EQ(preempt_count(), 0);
	CHECK(!irqs_disabled());
	for (int i = 0; i < 1000; i++) {
		preempt_disable();
		local_bh_disable();
		CHECK_EQ(preempt_count(), 1 + SOFTIRQ_DISABLE_OFFSET);
		local_bh_enable();
		preempt_enable();
	}
}

TEST(per_task_state)
{
	preempt_disable();
	local_irq_disable();
	test_threads(6, per_thread, NULL);
	CHECK_EQ(preempt_count(), 1);
	CHECK(irqs_disabled());
	local_irq_enable();
	preempt_enable();
}

int main(void)
{
	test_watchdog(60);
	RUN(plain_task_context);
	RUN(preempt_nesting);
	RUN(bh_nesting);
	RUN(all_combinations);
	RUN(interrupt_contexts);
	RUN(pending_work_hooks);
	RUN(per_task_state);
	return test_done();
}
