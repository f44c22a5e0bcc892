/* SPDX-License-Identifier: MIT */
/*
 * Layer: context. Workqueues, as linux/workqueue.h: a work item (struct
 * work_struct) is a function queued for later execution in process context
 * by a pool of kernel threads ("kworker/N:M"), the way the kernel's
 * concurrency-managed workqueues run it. Includes sched, locking and
 * context (timer.h) headers.
 *
 * The guarantees are the kernel's: queuing a pending item does nothing and
 * returns false; an item never runs concurrently with itself; an ordered
 * workqueue runs one item at a time, in queuing order; when flush_work() or
 * cancel_work_sync() returns, the caller sees everything the last run did;
 * an item that sleeps does not stall the others; destroy_workqueue() drains
 * first. Queuing (queue_work, mod_delayed_work, ...) is async-signal-safe:
 * callable from hard interrupt handlers and softirqs. See docs/workqueue.md.
 */
#ifndef LKSYNC_WORKQUEUE_H
#define LKSYNC_WORKQUEUE_H

#include <errno.h>
#include <stdbool.h>
#include <lksync/compiler.h>
#include <lksync/types.h>
#include <lksync/atomic.h>
#include <lksync/list.h>
#include <lksync/cpumask.h>
#include <lksync/lockdep.h>
#include <lksync/sched.h>
#include <lksync/timer.h>

struct workqueue_struct;
struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

/*
 * struct work_struct::data: while queued, the pool_workqueue pointer with
 * flags in its low bits; otherwise the ID of the pool it last ran on, with
 * off-queue flags. PENDING is owned by whoever set it: a queuer, a timer
 * (delayed work) or a canceler.
 */
enum {
	WORK_STRUCT_PENDING_BIT		= 0,	/* queued or about to be */
	WORK_STRUCT_INACTIVE_BIT	= 1,	/* waiting for max_active room */
	WORK_STRUCT_PWQ_BIT		= 2,	/* data points to a pwq */
	WORK_STRUCT_LINKED_BIT		= 3,	/* the next item (a barrier) goes with this one */
	WORK_STRUCT_COLOR_SHIFT		= 4,	/* flush color */
	WORK_STRUCT_COLOR_BITS		= 4,

	WORK_STRUCT_PENDING		= 1 << WORK_STRUCT_PENDING_BIT,
	WORK_STRUCT_INACTIVE		= 1 << WORK_STRUCT_INACTIVE_BIT,
	WORK_STRUCT_PWQ			= 1 << WORK_STRUCT_PWQ_BIT,
	WORK_STRUCT_LINKED		= 1 << WORK_STRUCT_LINKED_BIT,
	WORK_STRUCT_STATIC		= 0,

	WORK_NR_COLORS			= 1 << WORK_STRUCT_COLOR_BITS,
	WORK_NO_COLOR			= WORK_NR_COLORS - 1,

	WORK_STRUCT_FLAG_BITS		= WORK_STRUCT_COLOR_SHIFT + WORK_STRUCT_COLOR_BITS,

	/* Off queue: a canceling flag, then the pool ID. */
	WORK_OFFQ_FLAG_BASE		= WORK_STRUCT_COLOR_SHIFT,
	__WORK_OFFQ_CANCELING		= WORK_OFFQ_FLAG_BASE,
	WORK_OFFQ_CANCELING		= 1 << __WORK_OFFQ_CANCELING,
	WORK_OFFQ_FLAG_BITS		= 1,
	WORK_OFFQ_POOL_SHIFT		= WORK_OFFQ_FLAG_BASE + WORK_OFFQ_FLAG_BITS,
	WORK_OFFQ_POOL_BITS		= 31,
	WORK_OFFQ_POOL_NONE		= (int)((1U << WORK_OFFQ_POOL_BITS) - 1),
	/*
	 * Above the pool ID, the disable count (disable_work()): placed
	 * there, not below it as in the kernel, so that the pool ID's place,
	 * and with it WORK_STRUCT_NO_POOL and the static initializers, stay
	 * as they were.
	 */
	WORK_OFFQ_DISABLE_SHIFT		= WORK_OFFQ_POOL_SHIFT + WORK_OFFQ_POOL_BITS,
	WORK_OFFQ_DISABLE_BITS		= 16,

	/* work_busy() */
	WORK_BUSY_PENDING		= 1 << 0,
	WORK_BUSY_RUNNING		= 1 << 1,

	WORKER_DESC_LEN			= 24,
};

#define WORK_STRUCT_FLAG_MASK	((1UL << WORK_STRUCT_FLAG_BITS) - 1)
#define WORK_STRUCT_WQ_DATA_MASK (~WORK_STRUCT_FLAG_MASK)
#define WORK_STRUCT_NO_POOL	((unsigned long)WORK_OFFQ_POOL_NONE << WORK_OFFQ_POOL_SHIFT)
/* WORK_CPU_UNBOUND - "any CPU" for queue_work_on(): the queuer's own. */
#define WORK_CPU_UNBOUND	NR_CPUS

/**
 * struct work_struct - a work item.
 * @data: state word (see above); read it only through work_pending().
 * @entry: link on a worklist (private).
 * @func: the function run by a worker, with the item as argument.
 * @lockdep_map: debug flavor only: the pseudo-lock a worker holds around
 *	@func and that flush_work() and cancel_work_sync() take, so that waiting
 *	for the item under a lock it takes is reported before it deadlocks. Its
 *	class is the INIT_WORK() site, named "(work_completion)" and the
 *	argument's text, or the DECLARE_WORK() variable.
 */
struct work_struct {
	atomic_long_t data;
	struct list_head entry;
	work_func_t func;
#ifdef LKSYNC_DEBUG
	struct lockdep_map lockdep_map;
#endif
};

/**
 * struct delayed_work - a work item queued when its timer expires.
 * @work: the work item.
 * @timer: the timer that queues it (TIMER_IRQSAFE).
 * @wq: the workqueue it goes to (private).
 * @cpu: the CPU it was queued for (private).
 */
struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
	struct workqueue_struct *wq;
	int cpu;
};

#define work_data_bits(work)	((unsigned long *)(&(work)->data))

/**
 * to_delayed_work - the delayed_work embedding @work.
 * Context: any. Return: the delayed_work.
 */
static inline struct delayed_work *to_delayed_work(struct work_struct *work)
{
	return container_of(work, struct delayed_work, work);
}

/**
 * delayed_work_timer_fn - the timer callback of every delayed_work: queues it.
 * Context: timer (softirq) context, interrupts disabled.
 */
LKSYNC_API void lksync_delayed_work_timer_fn(struct timer_list *t);
#define delayed_work_timer_fn	lksync_delayed_work_timer_fn

/*
 * lksync_wq_prepare - start the workqueue machinery's manager thread,
 * once, from process context (queuing from an interrupt handler cannot
 * create threads). Called by INIT_WORK() and every entry point.
 * Context: any (does nothing in interrupt context).
 */
LKSYNC_API extern int lksync_wq_online;
LKSYNC_API void lksync_wq_online_slow(void);
static __always_inline void lksync_wq_prepare(void)
{
	if (unlikely(!__atomic_load_n(&lksync_wq_online, __ATOMIC_RELAXED)))
		lksync_wq_online_slow();
}

#define WORK_DATA_INIT()	ATOMIC_LONG_INIT((long)WORK_STRUCT_NO_POOL)
#define WORK_DATA_STATIC_INIT()	ATOMIC_LONG_INIT((long)(WORK_STRUCT_NO_POOL | WORK_STRUCT_STATIC))

/* A statically defined item is its own lockdep class, named after it. */
#ifdef LKSYNC_DEBUG
#define __WORK_INIT_LOCKDEP_MAP(n, k)	.lockdep_map = STATIC_LOCKDEP_MAP_INIT(n, k),
#else
#define __WORK_INIT_LOCKDEP_MAP(n, k)
#endif

#define __WORK_INITIALIZER(n, f) {						\
	.data = WORK_DATA_STATIC_INIT(),					\
	.entry = { &(n).entry, &(n).entry },					\
	.func = (f),								\
	__WORK_INIT_LOCKDEP_MAP(#n, &(n))					\
}

#define __DELAYED_WORK_INITIALIZER(n, f, tflags) {				\
	.work = __WORK_INITIALIZER((n).work, (f)),				\
	.timer = __TIMER_INITIALIZER(lksync_delayed_work_timer_fn,		\
				     (tflags) | TIMER_IRQSAFE),			\
}

/* DECLARE_WORK - define a work item @n running @f. */
#define DECLARE_WORK(n, f)							\
	struct work_struct n = __WORK_INITIALIZER(n, f)
/* DECLARE_DELAYED_WORK - define a delayed work item @n running @f. */
#define DECLARE_DELAYED_WORK(n, f)						\
	struct delayed_work n = __DELAYED_WORK_INITIALIZER(n, f, 0)
/* DECLARE_DEFERRABLE_WORK - DECLARE_DELAYED_WORK() with a deferrable timer. */
#define DECLARE_DEFERRABLE_WORK(n, f)						\
	struct delayed_work n = __DELAYED_WORK_INITIALIZER(n, f, TIMER_DEFERRABLE)

static inline void __lksync_init_work(struct work_struct *work, work_func_t func)
{
	atomic_long_set(&work->data, (long)WORK_STRUCT_NO_POOL);
	INIT_LIST_HEAD(&work->entry);
	work->func = func;
	lksync_wq_prepare();
}

/*
 * __INIT_WORK_KEY - initialize @_work with lockdep class @_key (debug
 * flavor), named "(work_completion)" followed by the argument's text, as
 * the kernel names it; __INIT_WORK - the same with a static key per call
 * site, so that every item initialized at one place is one class.
 */
#ifdef LKSYNC_DEBUG
static inline void __lksync_init_work_key(struct work_struct *work, work_func_t func,
					  const char *name, struct lock_class_key *key)
{
	__lksync_init_work(work, func);
	lockdep_init_map(&work->lockdep_map, name, key, 0);
}
#define __INIT_WORK_KEY(_work, _func, _onstack, _key)				\
	__lksync_init_work_key((_work), (_func), "(work_completion)"#_work, (_key))
#define __INIT_WORK(_work, _func, _onstack)					\
	do {									\
		static struct lock_class_key __key;				\
										\
		__INIT_WORK_KEY(_work, _func, _onstack, &__key);		\
	} while (0)
#else
#define __INIT_WORK_KEY(_work, _func, _onstack, _key)				\
	do { (void)(_key); __lksync_init_work((_work), (_func)); } while (0)
#define __INIT_WORK(_work, _func, _onstack)	__lksync_init_work((_work), (_func))
#endif

/**
 * INIT_WORK - initialize @_work to run @_func.
 * Context: any; the item must not be pending or running.
 */
#define INIT_WORK(_work, _func)			__INIT_WORK((_work), (_func), 0)
/* INIT_WORK_ONSTACK - INIT_WORK() for an item on the stack. */
#define INIT_WORK_ONSTACK(_work, _func)		__INIT_WORK((_work), (_func), 1)
/* INIT_WORK_ONSTACK_KEY - INIT_WORK_ONSTACK() with the lockdep class @_key. */
#define INIT_WORK_ONSTACK_KEY(_work, _func, _key)				\
	__INIT_WORK_KEY((_work), (_func), 1, _key)
/* PREPARE_WORK - legacy: change the function of an idle item. */
#define PREPARE_WORK(_work, _func)	do { (_work)->func = (_func); } while (0)

/*
 * __INIT_DELAYED_WORK - the item as INIT_WORK(), its timer as timer_setup()
 * (TIMER_IRQSAFE): two lockdep classes per call site in the debug flavor.
 */
#define __INIT_DELAYED_WORK(_work, _func, _tflags)				\
	do {									\
		INIT_WORK(&(_work)->work, (_func));				\
		__init_timer(&(_work)->timer, lksync_delayed_work_timer_fn,	\
			     (_tflags) | TIMER_IRQSAFE);			\
	} while (0)
#define __INIT_DELAYED_WORK_ONSTACK(_work, _func, _tflags)			\
	do {									\
		INIT_WORK_ONSTACK(&(_work)->work, (_func));			\
		__init_timer_on_stack(&(_work)->timer, lksync_delayed_work_timer_fn, \
				      (_tflags) | TIMER_IRQSAFE);		\
	} while (0)

/**
 * INIT_DELAYED_WORK - initialize the delayed item @_work to run @_func.
 * Context: any; the item must not be pending or running.
 */
#define INIT_DELAYED_WORK(_work, _func)	__INIT_DELAYED_WORK(_work, _func, 0)
#define INIT_DELAYED_WORK_ONSTACK(_work, _func)					\
	__INIT_DELAYED_WORK_ONSTACK(_work, _func, 0)
/* INIT_DEFERRABLE_WORK - INIT_DELAYED_WORK() with a deferrable timer. */
#define INIT_DEFERRABLE_WORK(_work, _func)					\
	__INIT_DELAYED_WORK(_work, _func, TIMER_DEFERRABLE)
#define INIT_DEFERRABLE_WORK_ONSTACK(_work, _func)				\
	__INIT_DELAYED_WORK_ONSTACK(_work, _func, TIMER_DEFERRABLE)

/*
 * destroy_work_on_stack - end of an on-stack item's life (debug objects
 * only). Context: any; the item idle.
 */
static inline void destroy_work_on_stack(struct work_struct *work) { (void)work; }
static inline void destroy_delayed_work_on_stack(struct delayed_work *work)
{
	destroy_timer_on_stack(&work->timer);
}

/**
 * work_pending - is @work queued (or its delayed timer armed)?
 * Context: any; a snapshot.
 * Return: true if pending.
 */
#define work_pending(work)							\
	((atomic_long_read(&(work)->data) & WORK_STRUCT_PENDING) != 0)
/* delayed_work_pending - work_pending() of a delayed item. Return: true if pending. */
#define delayed_work_pending(w)	work_pending(&(w)->work)

/*
 * Workqueue flags (alloc_workqueue()), the kernel's values.
 *   WQ_UNBOUND       not per-CPU: items run on any worker, not concurrency
 *                    managed, up to max_active at once
 *   WQ_FREEZABLE     accepted (there is no system suspend to freeze for)
 *   WQ_MEM_RECLAIM   a rescuer thread guarantees progress when no worker
 *                    can be created
 *   WQ_HIGHPRI       served by the high-priority pools
 *   WQ_CPU_INTENSIVE items do not count for concurrency management
 *   WQ_SYSFS, WQ_POWER_EFFICIENT  accepted
 */
enum wq_flags {
	WQ_BH			= 1 << 0,	/* not supported: reported, treated as WQ_HIGHPRI */
	WQ_UNBOUND		= 1 << 1,
	WQ_FREEZABLE		= 1 << 2,
	WQ_MEM_RECLAIM		= 1 << 3,
	WQ_HIGHPRI		= 1 << 4,
	WQ_CPU_INTENSIVE	= 1 << 5,
	WQ_SYSFS		= 1 << 6,
	WQ_POWER_EFFICIENT	= 1 << 7,

	__WQ_DESTROYING		= 1 << 15,
	__WQ_DRAINING		= 1 << 16,
	__WQ_ORDERED		= 1 << 17,
	__WQ_LEGACY		= 1 << 18,
	__WQ_ORDERED_EXPLICIT	= 1 << 19,

	WQ_MAX_ACTIVE		= 512,
	WQ_UNBOUND_MAX_ACTIVE	= WQ_MAX_ACTIVE,
	WQ_DFL_ACTIVE		= WQ_MAX_ACTIVE / 2,
};

/*
 * The system workqueues. system_wq: short items, per-CPU pools;
 * system_highpri_wq: the high-priority pools; system_long_wq: items that
 * may run long; system_unbound_wq: any worker, not concurrency managed.
 * The freezable and power-efficient ones are the same queues.
 */
LKSYNC_API extern struct workqueue_struct *lksync_system_wq;
LKSYNC_API extern struct workqueue_struct *lksync_system_highpri_wq;
LKSYNC_API extern struct workqueue_struct *lksync_system_long_wq;
LKSYNC_API extern struct workqueue_struct *lksync_system_unbound_wq;
#define system_wq				lksync_system_wq
#define system_percpu_wq			lksync_system_wq
#define system_highpri_wq			lksync_system_highpri_wq
#define system_long_wq				lksync_system_long_wq
#define system_unbound_wq			lksync_system_unbound_wq
#define system_dfl_wq				lksync_system_unbound_wq
#define system_freezable_wq			lksync_system_wq
#define system_power_efficient_wq		lksync_system_wq
#define system_freezable_power_efficient_wq	lksync_system_wq

LKSYNC_API struct workqueue_struct *lksync_alloc_workqueue(const char *fmt, unsigned int flags,
							   int max_active, ...)
	__attribute__((format(printf, 1, 4)));

/**
 * alloc_workqueue - create a workqueue.
 * @fmt: printf format for its name, then its arguments after @max_active.
 * @flags: WQ_* flags.
 * @max_active: most items of this queue running at once per pool (per CPU
 * for a bound queue, in all for WQ_UNBOUND); 0 means WQ_DFL_ACTIVE.
 * Context: process context; may sleep.
 * Return: the workqueue, or NULL on failure.
 */
#define alloc_workqueue(fmt, flags, max_active, ...)				\
	lksync_alloc_workqueue((fmt), (flags), (max_active), ##__VA_ARGS__)

/**
 * alloc_ordered_workqueue - a workqueue that runs one item at a time, in
 * queuing order.
 * Context: process context; may sleep.
 * Return: the workqueue, or NULL on failure.
 */
#define alloc_ordered_workqueue(fmt, flags, ...)				\
	lksync_alloc_workqueue((fmt), WQ_UNBOUND | __WQ_ORDERED |		\
			       __WQ_ORDERED_EXPLICIT | (flags), 1, ##__VA_ARGS__)

/* create_workqueue - legacy: a per-CPU queue with a rescuer, one item per CPU. */
#define create_workqueue(name)							\
	alloc_workqueue("%s", __WQ_LEGACY | WQ_MEM_RECLAIM, 1, (name))
/* create_freezable_workqueue - legacy: an ordered, freezable queue with a rescuer. */
#define create_freezable_workqueue(name)					\
	alloc_workqueue("%s", __WQ_LEGACY | WQ_FREEZABLE | WQ_UNBOUND |	\
			WQ_MEM_RECLAIM, 1, (name))
/* create_singlethread_workqueue - legacy: an ordered queue with a rescuer. */
#define create_singlethread_workqueue(name)					\
	alloc_ordered_workqueue("%s", __WQ_LEGACY | WQ_MEM_RECLAIM, (name))

/**
 * destroy_workqueue - drain @wq, then free it.
 * Context: process context; sleeps. Nothing may queue on @wq from outside
 * once this is called (items may still queue on it while it drains).
 */
LKSYNC_API void lksync_destroy_workqueue(struct workqueue_struct *wq);
#define destroy_workqueue(wq)	lksync_destroy_workqueue(wq)

LKSYNC_API bool lksync_queue_work_on(int cpu, struct workqueue_struct *wq,
				     struct work_struct *work);
LKSYNC_API bool lksync_queue_delayed_work_on(int cpu, struct workqueue_struct *wq,
					     struct delayed_work *dwork, unsigned long delay);
LKSYNC_API bool lksync_mod_delayed_work_on(int cpu, struct workqueue_struct *wq,
					   struct delayed_work *dwork, unsigned long delay);

/**
 * queue_work_on - queue @work on @wq, for CPU @cpu's pool.
 * @cpu: a CPU, or WORK_CPU_UNBOUND (the caller's). Ignored by unbound queues.
 * An item that is running is queued again and runs after the current run;
 * one that is already pending is left as it is.
 * Context: any, hard interrupt handlers included.
 * Return: false if @work was already pending, true if it was queued now.
 */
static inline bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	return lksync_queue_work_on(cpu, wq, work);
}

/**
 * queue_work - queue @work on @wq (on the caller's CPU for a per-CPU queue).
 * Context: any, hard interrupt handlers included.
 * Return: false if @work was already pending, true if it was queued now.
 */
static inline bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	return lksync_queue_work_on(WORK_CPU_UNBOUND, wq, work);
}

/**
 * queue_delayed_work_on - queue @dwork on @wq after @delay jiffies (now if 0).
 * Context: any, hard interrupt handlers included.
 * Return: false if @dwork was already pending, true if it was queued now.
 */
static inline bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq,
					 struct delayed_work *dwork, unsigned long delay)
{
	return lksync_queue_delayed_work_on(cpu, wq, dwork, delay);
}

/**
 * queue_delayed_work - queue_delayed_work_on() for the caller's CPU.
 * Context: any, hard interrupt handlers included.
 * Return: false if @dwork was already pending, true if it was queued now.
 */
static inline bool queue_delayed_work(struct workqueue_struct *wq,
				      struct delayed_work *dwork, unsigned long delay)
{
	return lksync_queue_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
}

/**
 * mod_delayed_work_on - queue @dwork on @wq after @delay jiffies, or, if it
 * is pending, change when (and where) it runs to that.
 * Context: any, hard interrupt handlers included.
 * Return: false if @dwork was idle and has been queued, true if it was
 * pending and has been modified.
 */
static inline bool mod_delayed_work_on(int cpu, struct workqueue_struct *wq,
				       struct delayed_work *dwork, unsigned long delay)
{
	return lksync_mod_delayed_work_on(cpu, wq, dwork, delay);
}

/* mod_delayed_work - mod_delayed_work_on() for the caller's CPU. Return: as it. */
static inline bool mod_delayed_work(struct workqueue_struct *wq,
				    struct delayed_work *dwork, unsigned long delay)
{
	return lksync_mod_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
}

/* schedule_work - queue_work() on system_wq. Context: any. Return: as queue_work(). */
static inline bool schedule_work(struct work_struct *work)
{
	return queue_work(system_wq, work);
}

/* schedule_work_on - queue_work_on() on system_wq. Context: any. Return: as it. */
static inline bool schedule_work_on(int cpu, struct work_struct *work)
{
	return queue_work_on(cpu, system_wq, work);
}

/* schedule_delayed_work - queue_delayed_work() on system_wq. Context: any. Return: as it. */
static inline bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay)
{
	return queue_delayed_work(system_wq, dwork, delay);
}

/* schedule_delayed_work_on - queue_delayed_work_on() on system_wq. Return: as it. */
static inline bool schedule_delayed_work_on(int cpu, struct delayed_work *dwork,
					    unsigned long delay)
{
	return queue_delayed_work_on(cpu, system_wq, dwork, delay);
}

/**
 * flush_work - wait until the last queuing of @work has finished running.
 * Items queued after the call are not waited for.
 * Context: process context; sleeps. Not from @work itself.
 * Return: true if it waited, false if @work was idle.
 */
LKSYNC_API bool lksync_flush_work(struct work_struct *work);
#define flush_work(work)	lksync_flush_work(work)

/**
 * flush_delayed_work - queue @dwork now if its timer is armed, then flush_work().
 * Context: process context; sleeps.
 * Return: true if it waited, false if @dwork was idle.
 */
LKSYNC_API bool lksync_flush_delayed_work(struct delayed_work *dwork);
#define flush_delayed_work(dwork)	lksync_flush_delayed_work(dwork)

/**
 * flush_workqueue - wait until every item queued on @wq before the call has
 * finished (items they queue meanwhile are not waited for).
 * Context: process context; sleeps. Not from an item of @wq.
 */
LKSYNC_API void lksync_flush_workqueue(struct workqueue_struct *wq);
#define flush_workqueue(wq)	lksync_flush_workqueue(wq)
/* flush_scheduled_work - flush_workqueue(system_wq) (deprecated in the kernel). */
#define flush_scheduled_work()	lksync_flush_workqueue(system_wq)

/**
 * drain_workqueue - flush @wq until it is empty, items queued by its own
 * items included; meanwhile only its items may queue on it.
 * Context: process context; sleeps.
 */
LKSYNC_API void lksync_drain_workqueue(struct workqueue_struct *wq);
#define drain_workqueue(wq)	lksync_drain_workqueue(wq)

/**
 * cancel_work_sync - cancel @work and wait for a running instance to finish.
 * Works on an item that requeues itself: it is not pending and not running
 * on return, and the caller sees everything its last run did.
 * Context: process context; sleeps.
 * Return: true if @work was pending.
 */
LKSYNC_API bool lksync_cancel_work_sync(struct work_struct *work);
#define cancel_work_sync(work)	lksync_cancel_work_sync(work)

/**
 * cancel_work - remove @work from its queue if pending; does not wait.
 * Context: any.
 * Return: true if @work was pending.
 */
LKSYNC_API bool lksync_cancel_work(struct work_struct *work);
#define cancel_work(work)	lksync_cancel_work(work)

/**
 * cancel_delayed_work - disarm @dwork's timer or take it off its queue; does
 * not wait for a running instance.
 * Context: any, hard interrupt handlers included.
 * Return: true if @dwork was pending.
 */
LKSYNC_API bool lksync_cancel_delayed_work(struct delayed_work *dwork);
#define cancel_delayed_work(dwork)	lksync_cancel_delayed_work(dwork)

/**
 * cancel_delayed_work_sync - cancel_delayed_work(), then wait for a running
 * instance to finish; works on a self-requeuing item.
 * Context: process context; sleeps.
 * Return: true if @dwork was pending.
 */
LKSYNC_API bool lksync_cancel_delayed_work_sync(struct delayed_work *dwork);
#define cancel_delayed_work_sync(dwork)	lksync_cancel_delayed_work_sync(dwork)

/**
 * disable_work - cancel @work (as cancel_work()) and disable it: queuing it
 * fails (returns false) until as many enable_work() calls as disable_*()
 * calls have been made. Does not wait for a running instance.
 * Context: any, hard interrupt handlers included.
 * Return: true if @work was pending.
 */
LKSYNC_API bool lksync_disable_work(struct work_struct *work, bool is_dwork, bool sync);
#define disable_work(work)		lksync_disable_work((work), false, false)

/**
 * disable_work_sync - disable_work(), then wait for a running instance.
 * Context: process context; sleeps.
 * Return: true if @work was pending.
 */
#define disable_work_sync(work)		lksync_disable_work((work), false, true)

/**
 * enable_work - undo one disable_work*() of @work. An unbalanced call is
 * reported ("workqueue: work disable count underflowed").
 * Context: any, hard interrupt handlers included.
 * Return: true if the disable count is now 0 (@work may be queued again).
 */
LKSYNC_API bool lksync_enable_work(struct work_struct *work);
#define enable_work(work)		lksync_enable_work(work)

/**
 * disable_delayed_work - disable_work() of a delayed item: disarms its timer too.
 * Context: any, hard interrupt handlers included.
 * Return: true if @dwork was pending.
 */
#define disable_delayed_work(dwork)	lksync_disable_work(&(dwork)->work, true, false)

/**
 * disable_delayed_work_sync - disable_delayed_work(), then wait for a
 * running instance.
 * Context: process context; sleeps.
 * Return: true if @dwork was pending.
 */
#define disable_delayed_work_sync(dwork) lksync_disable_work(&(dwork)->work, true, true)

/**
 * enable_delayed_work - enable_work() of a delayed item.
 * Context: any. Return: true if the disable count is now 0.
 */
#define enable_delayed_work(dwork)	lksync_enable_work(&(dwork)->work)

/**
 * queue_work_node - queue @work on the unbound @wq, preferring NUMA node @node.
 * @node is ignored (lksync knows no NUMA nodes); a per-CPU @wq is reported
 * once, as the kernel's WARN_ON_ONCE, and the item is queued anyway.
 * Context: any, hard interrupt handlers included.
 * Return: false if @work was already pending (or is disabled), true if queued now.
 */
LKSYNC_API bool lksync_queue_work_node(int node, struct workqueue_struct *wq,
				       struct work_struct *work);
#define queue_work_node(node, wq, work)	lksync_queue_work_node((node), (wq), (work))

/**
 * schedule_on_each_cpu - run @func once for each online CPU, on system_wq
 * (each from that CPU's pool; workers are not pinned), and wait for all.
 * Context: process context; sleeps.
 * Return: 0, or -ENOMEM.
 */
LKSYNC_API int lksync_schedule_on_each_cpu(work_func_t func);
#define schedule_on_each_cpu(func)	lksync_schedule_on_each_cpu(func)

/**
 * work_on_cpu - run @fn(@arg) from a system_wq worker of CPU @cpu's pool,
 * and wait for it (the worker is not pinned to @cpu).
 * Context: process context; sleeps. Not from a work item the call would
 * wait behind.
 * Return: @fn's return value.
 */
LKSYNC_API long lksync_work_on_cpu(int cpu, long (*fn)(void *), void *arg);
#ifdef LKSYNC_DEBUG
/*
 * work_on_cpu_key - work_on_cpu() with the on-stack item in lockdep class
 * @key. Debug flavor only. Context: as work_on_cpu(). Return: @fn's value.
 */
LKSYNC_API long lksync_work_on_cpu_key(int cpu, long (*fn)(void *), void *arg,
				       struct lock_class_key *key);
#define work_on_cpu_key(cpu, fn, arg, key)					\
	lksync_work_on_cpu_key((cpu), (fn), (arg), (key))
/*
 * A key per call site, as the kernel's: the item of one caller is a class
 * of its own, so a work_on_cpu() from inside another's @fn is no recursion.
 */
#define work_on_cpu(_cpu, _fn, _arg)						\
({										\
	static struct lock_class_key __key;					\
										\
	lksync_work_on_cpu_key((_cpu), (_fn), (_arg), &__key);			\
})
#else
#define work_on_cpu_key(cpu, fn, arg, key)					\
	({ (void)(key); lksync_work_on_cpu((cpu), (fn), (arg)); })
#define work_on_cpu(cpu, fn, arg)	lksync_work_on_cpu((cpu), (fn), (arg))
#endif

/**
 * work_on_cpu_safe - work_on_cpu() if @cpu is online (CPUs never go
 * offline here: there is no hotplug).
 * Context: process context; sleeps.
 * Return: @fn's return value, or -ENODEV if @cpu is not online.
 */
static inline long work_on_cpu_safe(int cpu, long (*fn)(void *), void *arg)
{
	if (cpu < 0 || !cpu_online(cpu))
		return -ENODEV;
	return lksync_work_on_cpu(cpu, fn, arg);
}

/**
 * current_work - the work item the calling worker is running.
 * Context: any. Return: it, or NULL outside a work item.
 */
LKSYNC_API struct work_struct *lksync_current_work(void);
#define current_work()		lksync_current_work()

/**
 * current_is_workqueue_rescuer - is the caller a WQ_MEM_RECLAIM rescuer?
 * Context: any. Return: true if so.
 */
LKSYNC_API bool lksync_current_is_workqueue_rescuer(void);
#define current_is_workqueue_rescuer()	lksync_current_is_workqueue_rescuer()

/**
 * work_busy - a snapshot of @work's state, for debugging.
 * Context: any. Return: WORK_BUSY_PENDING and/or WORK_BUSY_RUNNING.
 */
LKSYNC_API unsigned int lksync_work_busy(struct work_struct *work);
#define work_busy(work)		lksync_work_busy(work)

/**
 * workqueue_set_max_active - change @wq's max_active (not for ordered
 * queues); waiting items start at once if the new limit lets them.
 * Context: process context; may sleep.
 */
LKSYNC_API void lksync_workqueue_set_max_active(struct workqueue_struct *wq, int max_active);
#define workqueue_set_max_active(wq, n)	lksync_workqueue_set_max_active((wq), (n))

/**
 * workqueue_congested - are items of @wq waiting for max_active room?
 * Context: any. Return: true if so (a snapshot).
 */
LKSYNC_API bool lksync_workqueue_congested(int cpu, struct workqueue_struct *wq);
#define workqueue_congested(cpu, wq)	lksync_workqueue_congested((cpu), (wq))

/* set_worker_desc - a description of the current worker, for debugging (ignored). Context: any. */
static inline void set_worker_desc(const char *fmt, ...) { (void)fmt; }

#endif /* LKSYNC_WORKQUEUE_H */
