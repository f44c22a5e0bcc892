/* SPDX-License-Identifier: MIT */
/*
 * Layer: sched. preempt_count and the context tests built on it (in_atomic(),
 * in_interrupt(), in_softirq(), ...). Includes arch-layer headers only.
 *
 * Each task's hot state lives in one initial-exec TLS block, struct lksync_tls,
 * the userspace analogue of the kernel's per-CPU __preempt_count: reaching it
 * costs one TLS access and no call, so lock fast paths can afford it. It is
 * only ever written by its own thread, and by interrupt handlers running on
 * that thread, which always restore what they change before returning.
 *
 * preempt_count layout (the kernel's):
 *   bits  0- 7  preemption-disable depth         PREEMPT_OFFSET  0x000001
 *   bits  8-15  softirq: serving (bit 8), bh-disable depth x2
 *                                                 SOFTIRQ_OFFSET  0x000100
 *   bits 16-19  hardirq nesting                  HARDIRQ_OFFSET  0x010000
 *   bits 20-23  NMI nesting                      NMI_OFFSET      0x100000
 *
 * Userspace cannot stop the OS from preempting a thread; preempt_disable()
 * is bookkeeping that tells lksync (and its debug checks) the task is in an
 * atomic section, exactly what the kernel's in_atomic() reports.
 */
#ifndef LKSYNC_PREEMPT_H
#define LKSYNC_PREEMPT_H

#include <lksync/compiler.h>

struct task_struct;

/* Per-task hot state; see the top of this file. Not for direct use. */
struct lksync_tls {
	unsigned int preempt_count;
	unsigned int irqs_off;		/* local interrupts disabled */
	unsigned int pending;		/* LKSYNC_PENDING_* work deferred by masking */
	unsigned int cpu_claim;		/* CPU claimed by get_cpu(), plus one; 0 = none */
	struct task_struct *task;	/* current, once created */
};
#define LKSYNC_PENDING_IRQ	0x1u	/* an interrupt arrived while masked */
#define LKSYNC_PENDING_SOFTIRQ	0x2u	/* softirqs raised while bh disabled */

extern LKSYNC_API __thread struct lksync_tls lksync_tls LKSYNC_TLS_MODEL;

#define PREEMPT_BITS		8
#define SOFTIRQ_BITS		8
#define HARDIRQ_BITS		4
#define NMI_BITS		4
#define PREEMPT_SHIFT		0
#define SOFTIRQ_SHIFT		(PREEMPT_SHIFT + PREEMPT_BITS)
#define HARDIRQ_SHIFT		(SOFTIRQ_SHIFT + SOFTIRQ_BITS)
#define NMI_SHIFT		(HARDIRQ_SHIFT + HARDIRQ_BITS)
#define __IRQ_MASK(x)		((1UL << (x)) - 1)
#define PREEMPT_MASK		(__IRQ_MASK(PREEMPT_BITS) << PREEMPT_SHIFT)
#define SOFTIRQ_MASK		(__IRQ_MASK(SOFTIRQ_BITS) << SOFTIRQ_SHIFT)
#define HARDIRQ_MASK		(__IRQ_MASK(HARDIRQ_BITS) << HARDIRQ_SHIFT)
#define NMI_MASK		(__IRQ_MASK(NMI_BITS) << NMI_SHIFT)
#define PREEMPT_OFFSET		(1UL << PREEMPT_SHIFT)
#define SOFTIRQ_OFFSET		(1UL << SOFTIRQ_SHIFT)
#define HARDIRQ_OFFSET		(1UL << HARDIRQ_SHIFT)
#define NMI_OFFSET		(1UL << NMI_SHIFT)
#define SOFTIRQ_DISABLE_OFFSET	(2 * SOFTIRQ_OFFSET)
#define PREEMPT_DISABLE_OFFSET	PREEMPT_OFFSET

/* preempt_count - this task's preemption/interrupt nesting word. Context: any. */
static __always_inline int preempt_count(void)
{
	return (int)READ_ONCE(lksync_tls.preempt_count);
}

/* Adjust the count. Interrupt handlers on this thread restore what they change. */
static __always_inline void __preempt_count_add(int val)
{
	lksync_tls.preempt_count += val;
	barrier();
}

static __always_inline void __preempt_count_sub(int val)
{
	barrier();
	lksync_tls.preempt_count -= val;
}

#define preempt_count_add(val)	__preempt_count_add(val)
#define preempt_count_sub(val)	__preempt_count_sub(val)
#define preempt_count_inc()	preempt_count_add(1)
#define preempt_count_dec()	preempt_count_sub(1)

#define hardirq_count()	(preempt_count() & HARDIRQ_MASK)
#define softirq_count()	(preempt_count() & SOFTIRQ_MASK)
#define irq_count()	(preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK))
#define nmi_count()	(preempt_count() & NMI_MASK)

/* in_nmi/in_hardirq/in_irq - running an NMI / a hard interrupt handler. */
#define in_nmi()		(nmi_count())
#define in_hardirq()		(hardirq_count())
#define in_irq()		in_hardirq()
/* in_softirq - serving a softirq or with bottom halves disabled. */
#define in_softirq()		(softirq_count())
/* in_serving_softirq - actually running a softirq handler. */
#define in_serving_softirq()	(softirq_count() & SOFTIRQ_OFFSET)
/* in_interrupt - in NMI, hardirq or softirq context, or bottom halves disabled. */
#define in_interrupt()		(irq_count())
#define in_task()		(!(preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET)))
/* in_atomic - anything that forbids sleeping is in effect (any nonzero count). */
#define in_atomic()		(preempt_count() != 0)

/**
 * preempt_disable - enter a preemption-disabled (atomic) section; nests.
 * Context: any.
 */
#define preempt_disable()		preempt_count_inc()
/**
 * preempt_enable - leave a section entered with preempt_disable().
 * Context: any; must balance a preempt_disable() of this task.
 */
#define preempt_enable()		preempt_count_dec()
/* preempt_enable_no_resched - preempt_enable() without a reschedule point. */
#define preempt_enable_no_resched()	preempt_count_dec()
#define sched_preempt_enable_no_resched() preempt_count_dec()
#define preempt_disable_notrace()	preempt_count_inc()
#define preempt_enable_notrace()	preempt_count_dec()

#endif /* LKSYNC_PREEMPT_H */
