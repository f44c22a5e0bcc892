/* SPDX-License-Identifier: MIT */
/*
 * Layer: sched. Disabling bottom halves (softirqs, tasklets, timers) on this
 * task, as linux/bottom_half.h: a SOFTIRQ_DISABLE_OFFSET in preempt_count.
 */
#ifndef LKSYNC_BOTTOM_HALF_H
#define LKSYNC_BOTTOM_HALF_H

#include <lksync/preempt.h>
#ifdef LKSYNC_DEBUG
#include <lksync/bug.h>
#endif

/* Out of line: runs softirqs raised while bottom halves were disabled. */
LKSYNC_API void lksync_bh_enable_slow(void);
#ifdef LKSYNC_DEBUG
/* lockdep (src/debug/lockdep.c): the locks held now are held with softirqs on. */
LKSYNC_API void lksync_lockdep_softirqs_on(unsigned long ip);
#endif

/**
 * local_bh_disable - keep softirqs from running on this task; nests.
 * Context: process or softirq context.
 */
static __always_inline void local_bh_disable(void)
{
#ifdef LKSYNC_DEBUG
	/* TRACE_IRQFLAGS: the outermost disable is an event (the kernel's lockdep_softirqs_off()). */
	if (!softirq_count())
		__lksync_irq_event(softirq_disable, (unsigned long)__builtin_return_address(0));
#endif
	preempt_count_add(SOFTIRQ_DISABLE_OFFSET);
}

/**
 * local_bh_enable - undo local_bh_disable(); runs pending softirqs when the
 * outermost disable ends outside interrupt context.
 * Context: process or softirq context, not with interrupts disabled.
 */
static __always_inline void local_bh_enable(void)
{
#ifdef LKSYNC_DEBUG
	WARN_ON_ONCE(in_hardirq() || READ_ONCE(lksync_tls.irqs_off));
	/* The outermost enable: as the kernel's lockdep_softirqs_on(). */
	if (softirq_count() == SOFTIRQ_DISABLE_OFFSET) {
		__lksync_irq_event(softirq_enable, (unsigned long)__builtin_return_address(0));
		lksync_lockdep_softirqs_on((unsigned long)__builtin_return_address(0));
	}
#endif
	preempt_count_sub(SOFTIRQ_DISABLE_OFFSET);
	if (unlikely(READ_ONCE(lksync_tls.pending) & LKSYNC_PENDING_SOFTIRQ) &&
	    !in_interrupt())
		lksync_bh_enable_slow();
}

#define local_bh_enable_ip(ip)	local_bh_enable()

/**
 * _local_bh_enable - undo local_bh_disable() without running pending
 * softirqs (they run at the next local_bh_enable() or interrupt exit).
 * Context: process or softirq context.
 */
static __always_inline void _local_bh_enable(void)
{
	preempt_count_sub(SOFTIRQ_DISABLE_OFFSET);
}

#endif /* LKSYNC_BOTTOM_HALF_H */
