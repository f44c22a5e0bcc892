/* SPDX-License-Identifier: MIT */
/*
 * Layer: context. Interrupt handlers, softirqs and tasklets, as
 * linux/interrupt.h (and linux/irqreturn.h).
 *
 * Hard interrupts: request_irq() registers a handler on a line; the line is
 * raised by lksync_irq_raise() (<lksync/irq.h>) and its handlers run in
 * hardirq context on the task the line is routed to. Threaded handlers run
 * in an "irq/N-name" kernel thread.
 *
 * Softirqs are per task (each task is a CPU): raised bits in the task's
 * lksync_tls.softirq_pending, run at hardirq exit when the task is not
 * already in interrupt context, at the outermost local_bh_enable(), or in a
 * ksoftirqd/N thread when raised from plain task context or when they keep
 * coming. Tasklets are softirqs (TASKLET_SOFTIRQ, HI_SOFTIRQ) queued on the
 * scheduling task's lists. See docs/interrupts.md.
 */
#ifndef LKSYNC_INTERRUPT_H
#define LKSYNC_INTERRUPT_H

#include <errno.h>
#include <stdbool.h>
#include <lksync/atomic.h>
#include <lksync/barrier.h>
#include <lksync/bitops.h>
#include <lksync/bottom_half.h>
#include <lksync/irqflags.h>
#include <lksync/cpumask.h>
#include <lksync/kernel.h>
#include <lksync/preempt.h>
#include <lksync/irq.h>

/* ---- hard interrupts ---------------------------------------------------- */

/**
 * enum irqreturn - what a handler did.
 * @IRQ_NONE: the interrupt was not from this device (or was not handled).
 * @IRQ_HANDLED: the interrupt was handled by this device.
 * @IRQ_WAKE_THREAD: handled; wake the handler thread of a threaded irq.
 */
enum irqreturn {
	IRQ_NONE		= (0 << 0),
	IRQ_HANDLED		= (1 << 0),
	IRQ_WAKE_THREAD		= (1 << 1),
};
typedef enum irqreturn irqreturn_t;
#define IRQ_RETVAL(x)	((x) ? IRQ_HANDLED : IRQ_NONE)

/* irq_handler_t - a hard (or threaded) handler: (line, dev_id). */
typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

/* Flags to request_irq(), the kernel's values. Trigger types are accepted, unused. */
#define IRQF_TRIGGER_NONE	0x00000000
#define IRQF_TRIGGER_RISING	0x00000001
#define IRQF_TRIGGER_FALLING	0x00000002
#define IRQF_TRIGGER_HIGH	0x00000004
#define IRQF_TRIGGER_LOW	0x00000008
#define IRQF_TRIGGER_MASK	(IRQF_TRIGGER_HIGH | IRQF_TRIGGER_LOW | \
				 IRQF_TRIGGER_RISING | IRQF_TRIGGER_FALLING)
#define IRQF_TRIGGER_PROBE	0x00000010
#define IRQF_SHARED		0x00000080	/* the line may be shared by several devices */
#define IRQF_PROBE_SHARED	0x00000100	/* a sharing mismatch is expected: no message */
#define __IRQF_TIMER		0x00000200
#define IRQF_PERCPU		0x00000400
#define IRQF_NOBALANCING	0x00000800
#define IRQF_IRQPOLL		0x00001000
#define IRQF_ONESHOT		0x00002000	/* keep the line masked until the thread ran */
#define IRQF_NO_SUSPEND		0x00004000
#define IRQF_FORCE_RESUME	0x00008000
#define IRQF_NO_THREAD		0x00010000
#define IRQF_EARLY_RESUME	0x00020000
#define IRQF_COND_SUSPEND	0x00040000
#define IRQF_NO_AUTOEN		0x00080000	/* leave the line disabled until enable_irq() */
#define IRQF_NO_DEBUG		0x00100000
#define IRQF_TIMER		(__IRQF_TIMER | IRQF_NO_SUSPEND | IRQF_NO_THREAD)

/* request_any_context_irq() results. */
enum {
	IRQC_IS_HARDIRQ	= 0,
	IRQC_IS_NESTED,
};

LKSYNC_API int lksync_request_threaded_irq(unsigned int irq, irq_handler_t handler,
					   irq_handler_t thread_fn, unsigned long flags,
					   const char *name, void *dev_id);
LKSYNC_API const void *lksync_free_irq(unsigned int irq, void *dev_id);
LKSYNC_API void lksync_disable_irq_nosync(unsigned int irq);
LKSYNC_API void lksync_disable_irq(unsigned int irq);
LKSYNC_API void lksync_enable_irq(unsigned int irq);
LKSYNC_API bool lksync_synchronize_hardirq(unsigned int irq);
LKSYNC_API void lksync_synchronize_irq(unsigned int irq);

/**
 * request_threaded_irq - register a handler, and optionally a thread, on @irq.
 * @irq: the line (below NR_IRQS).
 * @handler: runs in hardirq context on the line's target task; returns
 *	IRQ_WAKE_THREAD to run @thread_fn. NULL: a default that only returns
 *	IRQ_WAKE_THREAD (then IRQF_ONESHOT is required).
 * @thread_fn: runs in the "irq/@irq-@name" kernel thread, in task context
 *	(may sleep); NULL for a plain hardirq handler.
 * @flags: IRQF_SHARED, IRQF_ONESHOT, IRQF_NO_AUTOEN, ...
 * @name: the device name, returned by free_irq().
 * @dev_id: passed to the handlers; identifies the action for free_irq();
 *	must be non-NULL on a shared line.
 *
 * The first request on a line routes it to the calling task and enables it
 * (unless IRQF_NO_AUTOEN). A line may hold several actions only if all were
 * requested with IRQF_SHARED and agree on IRQF_ONESHOT.
 * Context: task context; may sleep.
 * Return: 0; -EINVAL for a bad line, no handler and no thread_fn, a shared
 * request without @dev_id, IRQF_SHARED with IRQF_NO_AUTOEN, or a NULL
 * @handler without IRQF_ONESHOT; -EBUSY if the line is taken and cannot be
 * shared; -ENOMEM.
 */
static inline int request_threaded_irq(unsigned int irq, irq_handler_t handler,
				       irq_handler_t thread_fn, unsigned long flags,
				       const char *name, void *dev_id)
{
	return lksync_request_threaded_irq(irq, handler, thread_fn, flags, name, dev_id);
}

/**
 * request_irq - register hardirq handler @handler on @irq.
 * As request_threaded_irq() with no thread_fn.
 * Context: task context; may sleep.
 * Return: as request_threaded_irq().
 */
static inline int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
			      const char *name, void *dev)
{
	return lksync_request_threaded_irq(irq, handler, NULL, flags, name, dev);
}

/**
 * request_any_context_irq - request_irq(); lksync handlers are always hardirq.
 * Context: task context; may sleep.
 * Return: IRQC_IS_HARDIRQ on success, else as request_irq().
 */
static inline int request_any_context_irq(unsigned int irq, irq_handler_t handler,
					  unsigned long flags, const char *name, void *dev_id)
{
	int ret = request_irq(irq, handler, flags, name, dev_id);

	return ret ? ret : IRQC_IS_HARDIRQ;
}

/**
 * free_irq - remove the action of @dev_id from @irq.
 * Waits for running handlers of the line (and its thread) to finish, and
 * stops the action's thread. Freeing the last action disables the line.
 * Context: task context; may sleep; not from an interrupt handler.
 * Return: the @name the action was requested with; NULL (with a warning,
 * "Trying to free already-free IRQ N") if @dev_id has no action there.
 */
static inline const void *free_irq(unsigned int irq, void *dev_id)
{
	return lksync_free_irq(irq, dev_id);
}

/**
 * disable_irq_nosync - disable @irq without waiting for running handlers.
 * Disables nest: each needs its enable_irq(). A raise while disabled is
 * remembered and delivered at the enable that ends the last disable.
 * Context: any.
 */
static inline void disable_irq_nosync(unsigned int irq)
{
	lksync_disable_irq_nosync(irq);
}

/**
 * disable_irq - disable @irq (nesting) and wait for its running handlers,
 * threaded ones included.
 * Context: task context; may sleep. Deadlocks if called from @irq's own
 * handler (use disable_irq_nosync() there), as in the kernel.
 */
static inline void disable_irq(unsigned int irq)
{
	lksync_disable_irq(irq);
}

/**
 * disable_hardirq - disable @irq and wait for its running hardirq handler.
 * Context: any but @irq's own handler.
 * Return: true if no threaded handler of the line is active.
 */
static inline bool disable_hardirq(unsigned int irq)
{
	lksync_disable_irq_nosync(irq);
	return lksync_synchronize_hardirq(irq);
}

/**
 * enable_irq - undo one disable_irq(); the last one re-enables the line and
 * delivers an interrupt raised meanwhile. An enable without a disable warns
 * "Unbalanced enable for IRQ N" and changes nothing.
 * Context: any.
 */
static inline void enable_irq(unsigned int irq)
{
	lksync_enable_irq(irq);
}

/**
 * synchronize_hardirq - wait for the running hardirq handlers of @irq.
 * Context: any but @irq's own handler.
 * Return: false if a threaded handler of the line is still active, else true.
 */
static inline bool synchronize_hardirq(unsigned int irq)
{
	return lksync_synchronize_hardirq(irq);
}

/**
 * synchronize_irq - wait for the running handlers of @irq, hardirq and
 * threaded, to finish. Interrupts that start afterwards are not waited for.
 * Context: task context; may sleep.
 */
static inline void synchronize_irq(unsigned int irq)
{
	lksync_synchronize_irq(irq);
}

/*
 * Wake-up sources: there is no system suspend in a process, so nothing is
 * woken by a line; the kernel's bookkeeping is kept (a wake depth per line,
 * and its warning for an unbalanced disable), as on a chip that needs no
 * wake set-up (IRQCHIP_SKIP_SET_WAKE).
 */
LKSYNC_API int lksync_irq_set_irq_wake(unsigned int irq, unsigned int on);

/**
 * irq_set_irq_wake - mark @irq as a wake-up source (@on) or no longer one.
 * Nests: the line is a wake source while enables outnumber disables; a
 * disable at depth 0 warns "Unbalanced IRQ %d wake disable" and does
 * nothing.
 * Context: task context (the kernel takes the chip's bus lock).
 * Return: 0; -EINVAL if @irq is not a line.
 */
static inline int irq_set_irq_wake(unsigned int irq, unsigned int on)
{
	return lksync_irq_set_irq_wake(irq, on);
}

/* enable_irq_wake - irq_set_irq_wake(@irq, 1). Context: task. Return: as it. */
static inline int enable_irq_wake(unsigned int irq)
{
	return lksync_irq_set_irq_wake(irq, 1);
}

/* disable_irq_wake - irq_set_irq_wake(@irq, 0). Context: task. Return: as it. */
static inline int disable_irq_wake(unsigned int irq)
{
	return lksync_irq_set_irq_wake(irq, 0);
}

/*
 * Affinity: a line is delivered to a task, not a CPU (lksync_irq_route() in
 * <lksync/irq.h> is the analogue), and tasks are not pinned, so CPU masks
 * cannot steer a line. The calls are accepted and change nothing.
 */

/**
 * irq_set_affinity - ask for @irq to be delivered on the CPUs of @cpumask.
 * Accepted and ignored: route the line to a task with lksync_irq_route().
 * Context: task context.
 * Return: 0; -EINVAL if @irq is not a line.
 */
static inline int irq_set_affinity(unsigned int irq, const struct cpumask *cpumask)
{
	(void)cpumask;
	return irq < NR_IRQS ? 0 : -EINVAL;
}

/* irq_force_affinity - irq_set_affinity() (accepted, ignored). Return: as it. */
static inline int irq_force_affinity(unsigned int irq, const struct cpumask *cpumask)
{
	return irq_set_affinity(irq, cpumask);
}

/**
 * irq_update_affinity_hint - record a hint for user space's IRQ balancing.
 * Accepted and ignored (there is no /proc/irq to show it).
 * Context: task context.
 * Return: 0; -EINVAL if @irq is not a line.
 */
static inline int irq_update_affinity_hint(unsigned int irq, const struct cpumask *m)
{
	(void)m;
	return irq < NR_IRQS ? 0 : -EINVAL;
}

/**
 * irq_set_affinity_and_hint - the hint and, for a non-NULL @m, the affinity.
 * Both accepted and ignored.
 * Context: task context.
 * Return: 0; -EINVAL if @irq is not a line.
 */
static inline int irq_set_affinity_and_hint(unsigned int irq, const struct cpumask *m)
{
	return irq_update_affinity_hint(irq, m);
}

/* irq_set_affinity_hint - irq_set_affinity_and_hint() (the older name). Return: as it. */
static inline int irq_set_affinity_hint(unsigned int irq, const struct cpumask *m)
{
	return irq_set_affinity_and_hint(irq, m);
}

/*
 * irq_enter()/irq_exit(): the bracket the kernel's architecture entry code
 * puts around a hard interrupt's handling. lksync's own delivery does the
 * same around the handlers it runs; these let code that dispatches its own
 * "interrupt" (a handler called by hand, an emulated device) run it in
 * hardirq context, with softirqs raised meanwhile run at the end.
 */
LKSYNC_API void lksync_irq_exit(void);

/**
 * irq_enter - enter hard interrupt context: in_hardirq() is true until irq_exit().
 * Nests. Only the preempt count changes: nothing is masked for you.
 * Context: interrupts disabled (local_irq_disable()/local_irq_save()),
 * as in the kernel.
 * Return: nothing.
 */
static inline void irq_enter(void)
{
	preempt_count_add(HARDIRQ_OFFSET);
}
/* irq_enter_rcu - irq_enter() (there is no RCU to tell). */
#define irq_enter_rcu()		irq_enter()

/**
 * irq_exit - leave hard interrupt context entered with irq_enter(); when
 * that leaves interrupt context, run the softirqs raised meanwhile (on this
 * task, as the kernel's invoke_softirq()).
 * An irq_exit() outside hardirq context is reported once and does nothing.
 * Context: interrupts disabled, after irq_enter().
 * Return: nothing.
 */
#define irq_exit()		lksync_irq_exit()
/* irq_exit_rcu - irq_exit(). */
#define irq_exit_rcu()		lksync_irq_exit()

/* ---- softirqs ----------------------------------------------------------- */

/* The softirq vectors, in priority order (lowest number runs first). */
enum {
	HI_SOFTIRQ = 0,
	TIMER_SOFTIRQ,
	NET_TX_SOFTIRQ,
	NET_RX_SOFTIRQ,
	BLOCK_SOFTIRQ,
	IRQ_POLL_SOFTIRQ,
	TASKLET_SOFTIRQ,
	SCHED_SOFTIRQ,
	HRTIMER_SOFTIRQ,
	RCU_SOFTIRQ,
	NR_SOFTIRQS
};

/* softirq_to_name - "HI", "TIMER", ... indexed by softirq number. */
extern LKSYNC_API const char *const lksync_softirq_to_name[NR_SOFTIRQS];
#define softirq_to_name	lksync_softirq_to_name

/* struct softirq_action - a softirq vector's handler, as open_softirq() set it. */
struct softirq_action {
	void (*action)(void);
};

LKSYNC_API void lksync_open_softirq(int nr, void (*action)(void));
LKSYNC_API void lksync_raise_softirq(unsigned int nr);
LKSYNC_API void lksync_raise_softirq_irqoff(unsigned int nr);
LKSYNC_API void lksync_do_softirq(void);

/**
 * open_softirq - install @action as the handler of softirq @nr.
 * The handler runs in softirq context (in_serving_softirq()) with
 * interrupts enabled, on the task that raised it or in ksoftirqd.
 * Context: task context (normally at initialization).
 */
static inline void open_softirq(int nr, void (*action)(void))
{
	lksync_open_softirq(nr, action);
}

/**
 * local_softirq_pending - the softirqs raised on this task, not yet run.
 * Context: any. Return: bit n set = softirq n pending.
 */
#define local_softirq_pending()	(READ_ONCE(lksync_tls.softirq_pending))

/*
 * or_softirq_pending - mark the softirqs in @x pending on this task. Both
 * words are also written by interrupt handlers on this thread: atomic
 * read-modify-writes, relaxed (only this thread reads them).
 * Context: interrupts disabled.
 */
#define or_softirq_pending(x) do {						\
	__atomic_or_fetch(&lksync_tls.softirq_pending, (x), __ATOMIC_RELAXED);	\
	__atomic_or_fetch(&lksync_tls.pending, LKSYNC_PENDING_SOFTIRQ,		\
			  __ATOMIC_RELAXED);					\
} while (0)

/**
 * __raise_softirq_irqoff - mark softirq @nr pending on this task, no more:
 * it runs at the next interrupt exit or local_bh_enable().
 * Context: interrupts disabled.
 */
static __always_inline void __raise_softirq_irqoff(unsigned int nr)
{
	or_softirq_pending(1u << nr);
}

/**
 * raise_softirq_irqoff - mark softirq @nr pending; outside interrupt context
 * (and with bottom halves enabled) hand it to ksoftirqd at once.
 * Context: interrupts disabled.
 */
static inline void raise_softirq_irqoff(unsigned int nr)
{
	lksync_raise_softirq_irqoff(nr);
}

/**
 * raise_softirq - raise_softirq_irqoff() with interrupts disabled around it.
 * Context: any; async-signal-safe.
 */
static inline void raise_softirq(unsigned int nr)
{
	lksync_raise_softirq(nr);
}

/**
 * do_softirq - run this task's pending softirqs now, unless in interrupt
 * context (or with bottom halves disabled).
 * Context: task context.
 */
static inline void do_softirq(void)
{
	lksync_do_softirq();
}

/* ---- tasklets ----------------------------------------------------------- */

/**
 * struct tasklet_struct - a deferred function run in softirq context.
 * @next: link in the scheduling task's list (private).
 * @state: TASKLET_STATE_SCHED (queued) and TASKLET_STATE_RUN (running) bits.
 * @count: disable depth; the tasklet runs only while it is 0.
 * @use_callback: @callback (new form) rather than @func(@data) (old form).
 */
struct tasklet_struct {
	struct tasklet_struct *next;
	unsigned long state;
	atomic_t count;
	bool use_callback;
	union {
		void (*func)(unsigned long data);
		void (*callback)(struct tasklet_struct *t);
	};
	unsigned long data;
};

enum {
	TASKLET_STATE_SCHED,	/* scheduled: on some task's list */
	TASKLET_STATE_RUN,	/* running (the tasklet's own lock) */
};

#define DECLARE_TASKLET_NEW_(name, _callback)					\
	struct tasklet_struct name = {						\
		.count = ATOMIC_INIT(0),					\
		.use_callback = true,						\
		.callback = _callback,						\
	}
#define DECLARE_TASKLET_DISABLED_NEW_(name, _callback)				\
	struct tasklet_struct name = {						\
		.count = ATOMIC_INIT(1),					\
		.use_callback = true,						\
		.callback = _callback,						\
	}
#define DECLARE_TASKLET_OLD_DATA_(name, _func, _data)				\
	struct tasklet_struct name = {						\
		.count = ATOMIC_INIT(0),					\
		.func = _func,							\
		.data = (unsigned long)(_data),					\
	}
#define DECLARE_TASKLET_DISABLED_OLD_DATA_(name, _func, _data)			\
	struct tasklet_struct name = {						\
		.count = ATOMIC_INIT(1),					\
		.func = _func,							\
		.data = (unsigned long)(_data),					\
	}
#define __LKSYNC_TASKLET_PICK(_1, _2, _3, macro, ...)	macro

/**
 * DECLARE_TASKLET - define an enabled tasklet. Two forms, as kernels had:
 * DECLARE_TASKLET(name, callback) with void callback(struct tasklet_struct *)
 * (5.9 on; use from_tasklet() to reach the container), or the old
 * DECLARE_TASKLET(name, func, data) with void func(unsigned long).
 */
#define DECLARE_TASKLET(...)							\
	__LKSYNC_TASKLET_PICK(__VA_ARGS__, DECLARE_TASKLET_OLD_DATA_,		\
			      DECLARE_TASKLET_NEW_, )(__VA_ARGS__)
/* DECLARE_TASKLET_DISABLED - DECLARE_TASKLET(), disabled once (count 1): both forms. */
#define DECLARE_TASKLET_DISABLED(...)						\
	__LKSYNC_TASKLET_PICK(__VA_ARGS__, DECLARE_TASKLET_DISABLED_OLD_DATA_,	\
			      DECLARE_TASKLET_DISABLED_NEW_, )(__VA_ARGS__)
/* DECLARE_TASKLET_OLD - the old-style func(unsigned long) with data 0. */
#define DECLARE_TASKLET_OLD(name, _func)	DECLARE_TASKLET_OLD_DATA_(name, _func, 0)
/* DECLARE_TASKLET_DISABLED_OLD - DECLARE_TASKLET_OLD(), disabled once. */
#define DECLARE_TASKLET_DISABLED_OLD(name, _func)				\
	DECLARE_TASKLET_DISABLED_OLD_DATA_(name, _func, 0)

/* from_tasklet - the structure containing @tasklet_fieldname @callback_tasklet. */
#define from_tasklet(var, callback_tasklet, tasklet_fieldname)			\
	container_of(callback_tasklet, __typeof__(*var), tasklet_fieldname)

LKSYNC_API void lksync_tasklet_schedule(struct tasklet_struct *t, unsigned int nr);
LKSYNC_API void lksync_tasklet_unlock(struct tasklet_struct *t);
LKSYNC_API void lksync_tasklet_unlock_wait(struct tasklet_struct *t);
LKSYNC_API void lksync_tasklet_unlock_spin_wait(struct tasklet_struct *t);
LKSYNC_API void lksync_tasklet_kill(struct tasklet_struct *t);
LKSYNC_API void lksync_tasklet_enable(struct tasklet_struct *t);
LKSYNC_API void lksync_tasklet_init(struct tasklet_struct *t,
				    void (*func)(unsigned long), unsigned long data);
LKSYNC_API void lksync_tasklet_setup(struct tasklet_struct *t,
				     void (*callback)(struct tasklet_struct *));

/**
 * tasklet_trylock - take the tasklet's RUN bit (it is not running elsewhere).
 * Context: any. Return: true if taken.
 */
static inline bool tasklet_trylock(struct tasklet_struct *t)
{
	return !test_and_set_bit(TASKLET_STATE_RUN, &t->state);
}

/**
 * tasklet_unlock - release the RUN bit taken by tasklet_trylock(), waking
 * tasklet_disable()/tasklet_kill() waiters.
 * Context: any.
 */
static inline void tasklet_unlock(struct tasklet_struct *t)
{
	lksync_tasklet_unlock(t);
}

/**
 * tasklet_unlock_wait - wait until @t is not running.
 * Context: task context; may sleep.
 */
static inline void tasklet_unlock_wait(struct tasklet_struct *t)
{
	lksync_tasklet_unlock_wait(t);
}

/**
 * tasklet_unlock_spin_wait - spin until @t is not running.
 * Context: any, but not from @t itself.
 */
static inline void tasklet_unlock_spin_wait(struct tasklet_struct *t)
{
	lksync_tasklet_unlock_spin_wait(t);
}

/**
 * tasklet_schedule - queue @t on this task for TASKLET_SOFTIRQ, if it is not
 * already queued. A tasklet scheduled while it runs runs once more after.
 * Context: any; async-signal-safe.
 */
static inline void tasklet_schedule(struct tasklet_struct *t)
{
	if (!test_and_set_bit(TASKLET_STATE_SCHED, &t->state))
		lksync_tasklet_schedule(t, TASKLET_SOFTIRQ);
}

/**
 * tasklet_hi_schedule - tasklet_schedule() on HI_SOFTIRQ, which runs first.
 * Context: any; async-signal-safe.
 */
static inline void tasklet_hi_schedule(struct tasklet_struct *t)
{
	if (!test_and_set_bit(TASKLET_STATE_SCHED, &t->state))
		lksync_tasklet_schedule(t, HI_SOFTIRQ);
}

/* __tasklet_schedule - queue @t whose SCHED bit the caller set. Context: any. */
static inline void __tasklet_schedule(struct tasklet_struct *t)
{
	lksync_tasklet_schedule(t, TASKLET_SOFTIRQ);
}

/* __tasklet_hi_schedule - queue @t on HI_SOFTIRQ; the caller set its SCHED bit. */
static inline void __tasklet_hi_schedule(struct tasklet_struct *t)
{
	lksync_tasklet_schedule(t, HI_SOFTIRQ);
}

/**
 * tasklet_disable_nosync - keep @t from running (nests); do not wait for a
 * running instance. A scheduled tasklet stays scheduled, runs once enabled.
 * Context: any.
 */
static inline void tasklet_disable_nosync(struct tasklet_struct *t)
{
	atomic_inc(&t->count);
	smp_mb__after_atomic();	/* the count before our later reads of the state */
}

/**
 * tasklet_disable_in_atomic - tasklet_disable() that spins for a running @t.
 * Context: any but @t itself.
 */
static inline void tasklet_disable_in_atomic(struct tasklet_struct *t)
{
	tasklet_disable_nosync(t);
	tasklet_unlock_spin_wait(t);
	smp_mb();
}

/**
 * tasklet_disable - tasklet_disable_nosync(), then wait until @t is not running.
 * Context: task context; may sleep.
 */
static inline void tasklet_disable(struct tasklet_struct *t)
{
	tasklet_disable_nosync(t);
	tasklet_unlock_wait(t);
	smp_mb();
}

/**
 * tasklet_enable - undo one tasklet_disable(); a tasklet scheduled while
 * disabled runs once the count is back to 0.
 * Context: any.
 */
static inline void tasklet_enable(struct tasklet_struct *t)
{
	lksync_tasklet_enable(t);
}

/**
 * tasklet_kill - wait until @t is neither scheduled nor running, and leave
 * it unscheduled. It may be scheduled again afterwards. Killing a tasklet
 * that is scheduled but disabled waits until it is enabled, as the kernel.
 * Context: task context; may sleep (a notice from interrupt context).
 */
static inline void tasklet_kill(struct tasklet_struct *t)
{
	lksync_tasklet_kill(t);
}

/**
 * tasklet_init - initialize @t with the old-style @func(@data), enabled.
 * Context: any.
 */
static inline void tasklet_init(struct tasklet_struct *t,
				void (*func)(unsigned long), unsigned long data)
{
	lksync_tasklet_init(t, func, data);
}

/**
 * tasklet_setup - initialize @t with @callback(@t), enabled.
 * Context: any.
 */
static inline void tasklet_setup(struct tasklet_struct *t,
				 void (*callback)(struct tasklet_struct *))
{
	lksync_tasklet_setup(t, callback);
}

#endif /* LKSYNC_INTERRUPT_H */
