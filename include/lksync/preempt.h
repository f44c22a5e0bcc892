/* SPDX-License-Identifier: MIT */
/*
 * Layer: sched. preempt_count and the context tests built on it (in_atomic(),
 * in_interrupt(), in_softirq(), ...), as linux/preempt.h. Includes arch- and
 * lib-layer headers only.
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
 * Userspace cannot stop the OS from preempting or migrating a thread;
 * preempt_disable() is bookkeeping that tells lksync (and its debug checks)
 * the task is in an atomic section, exactly what the kernel's in_atomic()
 * reports. It does not pin the thread to a CPU: see <lksync/percpu.h> for
 * what gives exclusive use of a CPU's data (get_cpu(), get_cpu_var()).
 *
 * Unbalanced enables (preempt_enable() at count 0, local_bh_enable() without
 * a disable) are reported with the kernel's DEBUG_PREEMPT warnings only when
 * LKSYNC_DEBUG is defined: the release fast path is a single TLS decrement.
 */
#ifndef LKSYNC_PREEMPT_H
#define LKSYNC_PREEMPT_H

#include <lksync/cleanup.h>
#include <lksync/compiler.h>
#ifdef LKSYNC_DEBUG
#include <lksync/bug.h>
#endif

struct task_struct;

/* Per-task hot state; see the top of this file. Not for direct use. */
struct lksync_tls {
	unsigned int preempt_count;
	unsigned int irqs_off;		/* local interrupts disabled */
	unsigned int pending;		/* LKSYNC_PENDING_* work deferred by masking */
	unsigned int cpu_claim;		/* CPU claimed by get_cpu(), plus one; 0 = none */
	struct task_struct *task;	/* current, once created */
	unsigned int cpu_claim_depth;	/* get_cpu() nesting on cpu_claim */
	unsigned int softirq_pending;	/* bit n: softirq n raised on this task */
#ifdef LKSYNC_DEBUG
	unsigned long preempt_disable_ip; /* DEBUG_PREEMPT: where the count left 0 */
	/*
	 * The kernel's irqtrace_events (TRACE_IRQFLAGS): where interrupts and
	 * bottom halves were last enabled and disabled, and when (a per-task
	 * event count), for lockdep's "irq event stamp" lines.
	 */
	unsigned int irq_events;
	unsigned int hardirq_enable_event, hardirq_disable_event;
	unsigned int softirq_enable_event, softirq_disable_event;
	unsigned long hardirq_enable_ip, hardirq_disable_ip;
	unsigned long softirq_enable_ip, softirq_disable_ip;
#endif
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
#define PREEMPT_ENABLED		0
#define PREEMPT_DISABLED	PREEMPT_DISABLE_OFFSET

/**
 * preempt_count - this task's preemption/interrupt nesting word.
 * Context: any.
 * Return: the count (0 in plain, preemptible task context).
 */
static __always_inline int preempt_count(void)
{
	return (int)READ_ONCE(lksync_tls.preempt_count);
}

/* Adjust the count. Interrupt handlers on this thread restore what they change. */
static __always_inline void __preempt_count_add(int val)
{
#ifdef LKSYNC_DEBUG
	/* DEBUG_PREEMPT: the preemption depth must not overflow into softirq bits. */
	WARN_ON_ONCE(((preempt_count() & PREEMPT_MASK) + (val & PREEMPT_MASK)) >= PREEMPT_MASK);
#endif
	lksync_tls.preempt_count += val;
	barrier();
}

static __always_inline void __preempt_count_sub(int val)
{
	barrier();
#ifdef LKSYNC_DEBUG
	/* DEBUG_PREEMPT: an enable without its disable. */
	if (WARN_ON_ONCE(val > preempt_count()))
		return;
	if (WARN_ON_ONCE(val < (int)PREEMPT_MASK && !(preempt_count() & PREEMPT_MASK)))
		return;
#endif
	lksync_tls.preempt_count -= val;
}

#ifdef LKSYNC_DEBUG
/* TRACE_IRQFLAGS: stamp an enable/disable event of @which (hardirq/softirq) at @ip. */
#define __lksync_irq_event(which, ip) do {					\
	lksync_tls.which##_event = ++lksync_tls.irq_events;			\
	lksync_tls.which##_ip = (ip);						\
} while (0)

/*
 * DEBUG_PREEMPT: remember where preemption was first disabled, for
 * might_sleep()'s "Preemption disabled at:". Inline, this is the return
 * address of the function that disabled it: the caller of spin_lock() and
 * friends (out of line in this flavor), as the kernel's get_lock_parent_ip().
 * Interrupt entry uses __preempt_count_add() and leaves it alone.
 */
static __always_inline void preempt_count_add(int val)
{
	__preempt_count_add(val);
	if ((unsigned int)val == lksync_tls.preempt_count)
		lksync_tls.preempt_disable_ip = (unsigned long)__builtin_return_address(0);
}
#else
#define preempt_count_add(val)	__preempt_count_add(val)
#endif
#define preempt_count_sub(val)	__preempt_count_sub(val)
#define preempt_count_inc()	preempt_count_add(1)
#define preempt_count_dec()	preempt_count_sub(1)

#define hardirq_count()	(preempt_count() & HARDIRQ_MASK)
#define softirq_count()	(preempt_count() & SOFTIRQ_MASK)
#define irq_count()	(preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK))
#define nmi_count()	(preempt_count() & NMI_MASK)

/* in_nmi - running an NMI handler. Context: any. Return: nonzero if so. */
#define in_nmi()		(nmi_count())
/* in_hardirq - running a hard interrupt handler. Context: any. Return: nonzero if so. */
#define in_hardirq()		(hardirq_count())
/* in_irq - legacy name of in_hardirq(). */
#define in_irq()		in_hardirq()
/* in_softirq - serving a softirq or bottom halves disabled. Context: any. Return: nonzero if so. */
#define in_softirq()		(softirq_count())
/* in_serving_softirq - running a softirq handler. Context: any. Return: nonzero if so. */
#define in_serving_softirq()	(softirq_count() & SOFTIRQ_OFFSET)
/* in_interrupt - NMI, hardirq or softirq context, or bottom halves disabled. Return: nonzero if so. */
#define in_interrupt()		(irq_count())
/* in_task - plain task context (bh or preemption may be disabled). Return: nonzero if so. */
#define in_task()		(!(preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET)))
/* in_atomic - anything that forbids sleeping is in effect (nonzero count). Return: nonzero if so. */
#define in_atomic()		(preempt_count() != 0)
/* in_atomic_preempt_off - atomic beyond one preempt_disable(). Return: nonzero if so. */
#define in_atomic_preempt_off()	(preempt_count() != PREEMPT_DISABLE_OFFSET)
/* interrupt_context_level - 0 task, 1 softirq, 2 hardirq, 3 NMI. */
#define interrupt_context_level()						\
	(!!(preempt_count() & NMI_MASK) + !!(preempt_count() & (NMI_MASK | HARDIRQ_MASK)) + \
	 !!(preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET)))

/**
 * preemptible - could this task be preempted (and sleep) here?
 * Context: any.
 * Return: true when preempt_count() is 0 and local interrupts are enabled.
 */
#define preemptible()	(preempt_count() == 0 && !READ_ONCE(lksync_tls.irqs_off))

/**
 * preempt_disable - enter a preemption-disabled (atomic) section; nests.
 * Bookkeeping only: the thread may still be descheduled or migrated.
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
#define preempt_enable_no_resched_notrace() preempt_count_dec()
/* preempt_disable_nested/preempt_enable_nested - as preempt_disable/enable (!PREEMPT_RT). */
#define preempt_disable_nested()	preempt_disable()
#define preempt_enable_nested()		preempt_enable()
/* preempt_check_resched - a reschedule point; the OS schedules us, nothing to do. */
#define preempt_check_resched()		do { } while (0)

/* Scoped guards: guard(preempt)(), guard(preempt_notrace)(). */
DEFINE_LOCK_GUARD_0(preempt, preempt_disable(), preempt_enable())
DEFINE_LOCK_GUARD_0(preempt_notrace, preempt_disable_notrace(), preempt_enable_notrace())

#endif /* LKSYNC_PREEMPT_H */
