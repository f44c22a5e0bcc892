/* SPDX-License-Identifier: MIT */
/*
 * Layer: context. Kernel timers, as linux/timer.h: a struct timer_list armed
 * for an absolute jiffy (expires) whose callback runs once, in softirq
 * context (TIMER_SOFTIRQ), no earlier than that jiffy. Timers live on one
 * timer wheel; a periodic tick interrupt, requested by lksync itself and
 * raised by an internal clock thread only while timers are pending (NO_HZ),
 * advances jiffies_64 under xtime_lock and raises TIMER_SOFTIRQ when timers
 * are due. See docs/timers.md.
 *
 * Arming and deleting (mod_timer, add_timer, timer_delete, ...) are
 * async-signal-safe: callable from hard interrupt handlers.
 */
#ifndef LKSYNC_TIMER_H
#define LKSYNC_TIMER_H

#include <stdbool.h>
#include <time.h>		/* POSIX timer_delete() first: see timer_delete below */
#include <lksync/compiler.h>
#include <lksync/types.h>
#include <lksync/list.h>
#include <lksync/jiffies.h>
#include <lksync/lockdep.h>
#include <lksync/seqlock.h>

/**
 * struct timer_list - a kernel timer.
 * @entry: wheel linkage (private); entry.next is non-NULL while pending.
 * @expires: the jiffy at which the timer is due (absolute, in jiffies).
 * @function: the callback, called with the timer in softirq context.
 * @flags: TIMER_DEFERRABLE, TIMER_PINNED, TIMER_IRQSAFE (private bits above).
 * @lockdep_map: debug flavor only: the pseudo-lock held around the callback
 *	and taken by timer_delete_sync(), so that deleting a timer synchronously
 *	under a lock its callback takes is reported before it deadlocks. Its
 *	class is the initialization site (timer_setup()), or the definition
 *	(DEFINE_TIMER()): file and line.
 */
struct timer_list {
	struct list_head	entry;
	unsigned long		expires;
	void			(*function)(struct timer_list *);
	u32			flags;
#ifdef LKSYNC_DEBUG
	struct lockdep_map	lockdep_map;
#endif
};

/* Flags, the kernel's values. CPU bits (TIMER_CPUMASK) are unused: one wheel. */
#define TIMER_CPUMASK		0x0003FFFF
#define TIMER_MIGRATING		0x00040000
#define TIMER_BASEMASK		(TIMER_CPUMASK | TIMER_MIGRATING)
/* TIMER_DEFERRABLE - may wait for a busy tick; lksync fires it on time anyway. */
#define TIMER_DEFERRABLE	0x00080000
/* TIMER_PINNED - stay on the arming CPU; accepted (lksync has one wheel). */
#define TIMER_PINNED		0x00100000
/* TIMER_IRQSAFE - callback runs with interrupts off; timer_delete_sync() ok from hardirq. */
#define TIMER_IRQSAFE		0x00200000
#define TIMER_INIT_FLAGS	(TIMER_DEFERRABLE | TIMER_PINNED | TIMER_IRQSAFE)
#define TIMER_ARRAYSHIFT	22
#define TIMER_ARRAYMASK		0xFFC00000
#define TIMER_TRACE_FLAGMASK	(TIMER_MIGRATING | TIMER_DEFERRABLE | TIMER_PINNED | TIMER_IRQSAFE)

/*
 * A statically defined timer's class is named, and keyed, by the string
 * "file:line" of its definition, as the kernel's: the literal has static
 * storage, so its address is a key.
 */
#define __lksync_timer_stringify(x)	#x
#define __lksync_timer_file_line(line)	__FILE__ ":" __lksync_timer_stringify(line)
#ifdef LKSYNC_DEBUG
#define __TIMER_LOCKDEP_MAP_INITIALIZER(_kn)					\
		.lockdep_map = STATIC_LOCKDEP_MAP_INIT(_kn, &_kn),
#else
#define __TIMER_LOCKDEP_MAP_INITIALIZER(_kn)
#endif

#define __TIMER_INITIALIZER(_function, _flags) {				\
		.entry = { .next = NULL, .prev = NULL },			\
		.expires = 0,							\
		.function = (_function),					\
		.flags = (_flags),						\
		__TIMER_LOCKDEP_MAP_INITIALIZER(__lksync_timer_file_line(__LINE__)) \
	}

/* DEFINE_TIMER - define a struct timer_list @_name with callback @_function. */
#define DEFINE_TIMER(_name, _function)						\
	struct timer_list _name = __TIMER_INITIALIZER(_function, 0)

LKSYNC_API void lksync_timer_init(struct timer_list *timer,
				  void (*callback)(struct timer_list *), unsigned int flags);
#ifdef LKSYNC_DEBUG
/*
 * lksync_init_timer_key - timer_setup() with the timer's lockdep class
 * (@key) and name (the kernel's init_timer_key()). Debug flavor only.
 * Context: as timer_setup(). Return: nothing.
 */
LKSYNC_API void lksync_init_timer_key(struct timer_list *timer,
				      void (*callback)(struct timer_list *), unsigned int flags,
				      const char *name, struct lock_class_key *key);
#endif

/*
 * __init_timer - the kernel's: in the debug flavor, a static key per call
 * site makes every timer initialized here one lockdep class, named after
 * the argument's text; in the release flavor, a plain call.
 */
#ifdef LKSYNC_DEBUG
#define __init_timer(_timer, _fn, _flags)					\
	do {									\
		static struct lock_class_key __key;				\
										\
		lksync_init_timer_key((_timer), (_fn), (_flags), #_timer, &__key); \
	} while (0)
#else
#define __init_timer(_timer, _fn, _flags)					\
	lksync_timer_init((_timer), (_fn), (_flags))
#endif
#define __init_timer_on_stack(_timer, _fn, _flags)	__init_timer(_timer, _fn, _flags)

/**
 * timer_setup - initialize a timer before first use.
 * @timer: the timer.
 * @callback: void (*)(struct timer_list *), run when the timer expires.
 * @flags: 0 or TIMER_DEFERRABLE / TIMER_PINNED / TIMER_IRQSAFE.
 * The first call also starts lksync's clock thread, so that timers armed
 * later from interrupt handlers have a tick. In the debug flavor every
 * timer set up at one place in the source is one lockdep class.
 * Context: any but hardirq/softirq for the very first timer; the timer
 * must not be pending.
 * Return: nothing.
 */
#define timer_setup(timer, callback, flags)					\
	__init_timer((timer), (callback), (flags))
/* timer_setup_on_stack - timer_setup() for a timer on the stack. */
#define timer_setup_on_stack(timer, callback, flags)				\
	__init_timer_on_stack((timer), (callback), (flags))
LKSYNC_API void lksync_setup_timer(struct timer_list *timer, void (*fn)(unsigned long),
				   unsigned long data, unsigned int flags);
LKSYNC_API void lksync_legacy_timer_forget(struct timer_list *timer);

/**
 * destroy_timer_on_stack - end of an on-stack timer's life.
 * @timer: the timer, inactive (timer_delete_sync() it first).
 * Forgets a legacy setup_timer_on_stack() timer's callback and data.
 * Context: task context.
 * Return: nothing.
 */
static inline void destroy_timer_on_stack(struct timer_list *timer)
{
	lksync_legacy_timer_forget(timer);
}
/* timer_destroy_on_stack - the newer name of destroy_timer_on_stack(). */
#define timer_destroy_on_stack(timer)	destroy_timer_on_stack(timer)

/*
 * Legacy (before Linux 4.15): init_timer() without a callback, and
 * setup_timer() with a callback taking an unsigned long. New code uses
 * timer_setup() and from_timer().
 */

/**
 * init_timer - legacy: initialize @timer without a callback; set
 * timer->function (the timer_setup() signature) before arming it. The old
 * timer->data field does not exist: use setup_timer() for that form.
 * Context: as timer_setup().
 * Return: nothing.
 */
#define init_timer(timer)		__init_timer((timer), NULL, 0)
/* init_timer_on_stack - legacy: init_timer() for a timer on the stack. */
#define init_timer_on_stack(timer)	__init_timer_on_stack((timer), NULL, 0)
/* init_timer_deferrable / init_timer_pinned - legacy: init_timer() with that flag. */
#define init_timer_deferrable(timer)	__init_timer((timer), NULL, TIMER_DEFERRABLE)
#define init_timer_pinned(timer)	__init_timer((timer), NULL, TIMER_PINNED)

#ifdef LKSYNC_DEBUG
/*
 * lksync_setup_timer_key - setup_timer() with a lockdep class, as
 * lksync_init_timer_key(). Debug flavor only.
 * Context: as setup_timer(). Return: nothing.
 */
LKSYNC_API void lksync_setup_timer_key(struct timer_list *timer, void (*fn)(unsigned long),
				       unsigned long data, unsigned int flags,
				       const char *name, struct lock_class_key *key);
#define __setup_timer(_timer, _fn, _data, _flags)				\
	do {									\
		static struct lock_class_key __key;				\
										\
		lksync_setup_timer_key((_timer), (_fn), (_data), (_flags),	\
				       #_timer, &__key);			\
	} while (0)
#else
#define __setup_timer(_timer, _fn, _data, _flags)				\
	lksync_setup_timer((_timer), (_fn), (_data), (_flags))
#endif

/**
 * setup_timer - legacy: initialize @timer to call @fn(@data) when it expires.
 * @timer: the timer.
 * @fn: void (*)(unsigned long), the pre-4.15 callback.
 * @data: the unsigned long passed to @fn.
 * A trampoline (timer->function) calls @fn with @data, kept in a side table
 * by the timer's address: do not assign timer->function afterwards, and end
 * an on-stack timer's life with destroy_timer_on_stack(). Setting up the
 * same timer again replaces @fn and @data (the entry is reused).
 * Context: task context (a first setup of a timer allocates).
 * Return: nothing.
 */
#define setup_timer(timer, fn, data)		__setup_timer((timer), (fn), (data), 0)
/* setup_timer_on_stack - legacy: setup_timer() for a timer on the stack. */
#define setup_timer_on_stack(timer, fn, data)	__setup_timer((timer), (fn), (data), 0)
/* setup_deferrable_timer / setup_pinned_timer - legacy: setup_timer() with that flag. */
#define setup_deferrable_timer(timer, fn, data)				\
	__setup_timer((timer), (fn), (data), TIMER_DEFERRABLE)
#define setup_pinned_timer(timer, fn, data)					\
	__setup_timer((timer), (fn), (data), TIMER_PINNED)

/**
 * from_timer - the structure embedding a timer, from a callback's argument.
 * @var: a pointer variable of the embedding type (only its type is used).
 * @callback_timer: the struct timer_list * passed to the callback.
 * @timer_fieldname: the timer's member name in that structure.
 * Context: any. Return: the embedding structure.
 */
#define from_timer(var, callback_timer, timer_fieldname)			\
	container_of(callback_timer, __typeof__(*var), timer_fieldname)
/* timer_container_of - the newer name of from_timer(). */
#define timer_container_of(var, addr, timer_fieldname)			\
	container_of(addr, __typeof__(*var), timer_fieldname)

/**
 * timer_pending - is the timer armed?
 * @timer: the timer.
 * Context: any; a lock-free snapshot unless the caller serializes against
 * arming and expiry (a running callback's timer is no longer pending).
 * Return: true if armed and not yet expired.
 */
static inline int timer_pending(const struct timer_list *timer)
{
	return READ_ONCE(timer->entry.next) != NULL;
}

LKSYNC_API int lksync_mod_timer(struct timer_list *timer, unsigned long expires,
				unsigned int mode);
LKSYNC_API int lksync_timer_delete(struct timer_list *timer, bool shutdown);
LKSYNC_API int lksync_timer_delete_sync(struct timer_list *timer, bool shutdown);
LKSYNC_API int lksync_try_to_del_timer_sync(struct timer_list *timer);

/* lksync_mod_timer() modes (the kernel's MOD_TIMER_* ; private). */
#define LKSYNC_TIMER_MOD	0	/* mod_timer */
#define LKSYNC_TIMER_PENDING	1	/* mod_timer_pending */
#define LKSYNC_TIMER_REDUCE	2	/* timer_reduce */
#define LKSYNC_TIMER_ADD	3	/* add_timer: BUG if pending */

/**
 * mod_timer - (re)arm a timer for jiffy @expires.
 * @timer: an initialized timer.
 * @expires: the absolute jiffy at which to run it.
 * A pending timer with the same @expires is left alone. A timer whose
 * callback is running may be re-armed (the callback runs again later).
 * Context: any, including hardirq (async-signal-safe).
 * Return: 0 if the timer was inactive, 1 if it was pending.
 */
static inline int mod_timer(struct timer_list *timer, unsigned long expires)
{
	return lksync_mod_timer(timer, expires, LKSYNC_TIMER_MOD);
}

/**
 * mod_timer_pending - modify a pending timer's expiry; never arms one.
 * Context: any, including hardirq.
 * Return: 0 if the timer was inactive (nothing done), 1 if it was pending.
 */
static inline int mod_timer_pending(struct timer_list *timer, unsigned long expires)
{
	return lksync_mod_timer(timer, expires, LKSYNC_TIMER_PENDING);
}

/**
 * timer_reduce - arm, or move a pending timer's expiry earlier (never later).
 * Context: any, including hardirq.
 * Return: 0 if the timer was inactive, 1 if it was pending.
 */
static inline int timer_reduce(struct timer_list *timer, unsigned long expires)
{
	return lksync_mod_timer(timer, expires, LKSYNC_TIMER_REDUCE);
}

/**
 * add_timer - arm an inactive timer for timer->expires.
 * Arming a pending timer is a bug: reported once (the kernel's
 * WARN_ON_ONCE; older kernels BUG()), and the timer is left as it was.
 * Context: any, including hardirq.
 * Return: nothing.
 */
static inline void add_timer(struct timer_list *timer)
{
	lksync_mod_timer(timer, timer->expires, LKSYNC_TIMER_ADD);
}

/* add_timer_on - add_timer() on CPU @cpu (ignored: one wheel). Context: any. */
static inline void add_timer_on(struct timer_list *timer, int cpu)
{
	(void)cpu;
	add_timer(timer);
}
/* add_timer_local / add_timer_global - add_timer() (pinned or not: one wheel). */
static inline void add_timer_local(struct timer_list *timer) { add_timer(timer); }
static inline void add_timer_global(struct timer_list *timer) { add_timer(timer); }

/**
 * timer_delete - deactivate a timer; does not wait for a running callback.
 * Context: any, including hardirq.
 * Return: 0 if the timer was inactive, 1 if it was pending.
 */
static inline int __timer_delete(struct timer_list *timer)
{
	return lksync_timer_delete(timer, false);
}
/*
 * POSIX <time.h> has its own timer_delete(timer_t). The macro picks by
 * argument type, so both work in one file; <time.h> is included above so
 * that its prototype is never macro-expanded.
 */
#if defined(_POSIX_C_SOURCE) && _POSIX_C_SOURCE >= 199309L
#define timer_delete(timer)							\
	_Generic((timer), struct timer_list *: __timer_delete,			\
		 default: (timer_delete))(timer)
#else
#define timer_delete(timer)	__timer_delete(timer)
#endif
/* del_timer - the older name of timer_delete(). */
static inline int del_timer(struct timer_list *timer) { return __timer_delete(timer); }

/**
 * timer_delete_sync - deactivate a timer and wait for a running callback.
 * On return the timer is inactive and its callback is not running, unless
 * something re-armed it meanwhile (the callback itself must not, or the
 * caller must stop that). Must not be called while holding a lock the
 * callback takes, nor from the callback; from hardirq only for TIMER_IRQSAFE
 * timers (reported otherwise, as the kernel's WARN_ON). The debug flavor's
 * lockdep predicts the first two: it takes the timer's pseudo-lock here (with
 * interrupts masked) and around every run of the callback, so a lock held
 * here that the callback takes makes a cycle ("possible circular locking
 * dependency detected"), and a call from the callback is recursion.
 * Context: process or softirq context (another timer's callback); may spin.
 * Return: 0 if the timer was inactive, 1 if it was pending.
 */
static inline int timer_delete_sync(struct timer_list *timer)
{
	return lksync_timer_delete_sync(timer, false);
}
/* del_timer_sync - the older name of timer_delete_sync(). */
static inline int del_timer_sync(struct timer_list *timer)
{
	return timer_delete_sync(timer);
}
/* del_singleshot_timer_sync - timer_delete_sync() (the legacy single-shot name). */
static inline int del_singleshot_timer_sync(struct timer_list *timer)
{
	return timer_delete_sync(timer);
}

/**
 * try_to_del_timer_sync - deactivate a timer unless its callback is running.
 * Context: any.
 * Return: 0 if inactive, 1 if it was pending, -1 if the callback is running
 * (the timer was left alone).
 */
static inline int try_to_del_timer_sync(struct timer_list *timer)
{
	return lksync_try_to_del_timer_sync(timer);
}
/* timer_delete_sync_try - the newer name of try_to_del_timer_sync(). */
static inline int timer_delete_sync_try(struct timer_list *timer)
{
	return lksync_try_to_del_timer_sync(timer);
}

/**
 * timer_shutdown - deactivate a timer for good: later arming is ignored
 * (the callback pointer is cleared) until timer_setup() again.
 * Context: any, including hardirq; does not wait for a running callback.
 * Return: 0 if the timer was inactive, 1 if it was pending.
 */
static inline int timer_shutdown(struct timer_list *timer)
{
	return lksync_timer_delete(timer, true);
}

/**
 * timer_shutdown_sync - timer_shutdown(), then wait for a running callback;
 * a callback that re-arms its timer cannot bring it back.
 * Context: as timer_delete_sync().
 * Return: 0 if the timer was inactive, 1 if it was pending.
 */
static inline int timer_shutdown_sync(struct timer_list *timer)
{
	return lksync_timer_delete_sync(timer, true);
}

/*
 * round_jiffies*() - round an absolute (or relative) jiffy value to a whole
 * second, to batch wake-ups; never into the past. @cpu is ignored.
 * Context: any. Return: the rounded value.
 */
static inline unsigned long __round_jiffies(unsigned long j, int cpu)
{
	unsigned long rem = j % HZ, orig = j;

	(void)cpu;
	j = rem < HZ / 4 ? j - rem : j - rem + HZ;
	return time_is_after_jiffies(j) ? j : orig;
}
static inline unsigned long round_jiffies(unsigned long j)
{
	return __round_jiffies(j, 0);
}
static inline unsigned long round_jiffies_relative(unsigned long j)
{
	unsigned long now = jiffies;

	return __round_jiffies(j + now, 0) - now;
}
static inline unsigned long round_jiffies_up(unsigned long j)
{
	/* Always up, a whole multiple included (j + HZ), as the kernel's. */
	unsigned long up = j - j % HZ + HZ;

	return time_is_after_jiffies(up) ? up : j;
}
static inline unsigned long round_jiffies_up_relative(unsigned long j)
{
	unsigned long now = jiffies;

	return round_jiffies_up(j + now) - now;
}

/*
 * xtime_lock - the seqlock under which the tick advances jiffies_64 (the
 * 2.6 kernel's name; later jiffies_lock). Readers that want the seeds'
 * idiom use read_seqbegin(&xtime_lock)/read_seqretry(); a plain read of
 * jiffies_64 is atomic on its own.
 */
LKSYNC_API extern seqlock_t lksync_xtime_lock;
#define xtime_lock	lksync_xtime_lock
#define jiffies_lock	lksync_xtime_lock

/* The tick's interrupt line (the last one), requested by lksync itself. */
#define LKSYNC_TIMER_IRQ	255

/**
 * lksync_timer_tick_task - the task the tick interrupt is routed to by default.
 * Route the line elsewhere with lksync_irq_route(LKSYNC_TIMER_IRQ, task).
 * Context: process context; may start the clock thread.
 * Return: the internal tick kthread.
 */
LKSYNC_API struct task_struct *lksync_timer_tick_task(void);

/**
 * lksync_tick_set_periodic - tick every jiffy, or only when timers need it.
 * @periodic: true for the kernel's HZ_PERIODIC (a tick interrupt at every
 *	jiffy, whether or not a timer is pending), false for NO_HZ (the
 *	default: a tick only at the jiffies where the timer wheel has work;
 *	jiffies_64 is caught up from the clock on every read either way).
 * Context: process context; starts the clock if needed.
 * Return: the previous setting.
 */
LKSYNC_API bool lksync_tick_set_periodic(bool periodic);

#endif /* LKSYNC_TIMER_H */
