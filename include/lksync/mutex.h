/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. The kernel's mutex, as linux/mutex.h: a sleeping lock with
 * one owner, which only that owner may release. Includes lib, arch, sched
 * and locking headers.
 *
 * Fast paths are inline and one atomic each: mutex_lock() swaps the owner
 * word from 0 to current, mutex_unlock() swaps it from current back to 0
 * (while tasks are queued, handoff_at, it also counts down a per-task
 * budget between two looks at the clock). Anything else (a held lock,
 * waiters to wake or to hand over to) goes to the slow paths in
 * src/locking/mutex.c, which spin briefly, then queue and sleep
 * through schedule(); see that file for the algorithm and the word's states.
 *
 * Rules (Documentation/locking/mutex-design.rst): only the owner unlocks; no
 * recursive locking; a mutex is not released by its owner's exit; it must
 * not be freed or re-initialized while held; not for interrupt context.
 */
#ifndef LKSYNC_MUTEX_H
#define LKSYNC_MUTEX_H

#include <stdbool.h>
#include <lksync/cleanup.h>
#include <lksync/compiler.h>
#include <lksync/atomic.h>
#include <lksync/list.h>
#include <lksync/sched.h>
#include <lksync/spinlock.h>
#include <lksync/mutex_types.h>

/* Flag bits in mutex::owner below the task pointer (see src/locking/mutex.c). */
#define MUTEX_FLAG_WAITERS	0x01UL	/* unlock must wake the first waiter */
#define MUTEX_FLAG_HANDOFF	0x02UL	/* unlock must hand the lock to it */
#define MUTEX_FLAG_PICKUP	0x04UL	/* handed over: only that waiter may take it */
#define MUTEX_FLAGS		0x07UL

#ifndef SINGLE_DEPTH_NESTING
#define SINGLE_DEPTH_NESTING	1
#endif

/* Out of line (src/locking/mutex.c); not for direct use. */
LKSYNC_API int lksync_mutex_lock_slowpath(struct mutex *lock, unsigned int state);
LKSYNC_API void lksync_mutex_unlock_slowpath(struct mutex *lock);
LKSYNC_API int lksync_mutex_trylock_slowpath(struct mutex *lock);
/* Unlocks with tasks queued this task does before it looks at the clock. */
extern LKSYNC_API __thread unsigned int lksync_mutex_looks LKSYNC_TLS_MODEL;

#ifndef LKSYNC_DEBUG
/**
 * __mutex_init - initialize @lock as unlocked.
 * @name: the lock's name, for lock debugging; @key: its lockdep class key.
 * Context: any; @lock must not be in use.
 */
static inline void __mutex_init(struct mutex *lock, const char *name,
				struct lock_class_key *key)
{
	(void)name;
	(void)key;
	atomic_long_set(&lock->owner, 0);
	raw_spin_lock_init(&lock->wait_lock);
	lock->handoff_at = 0;
	INIT_LIST_HEAD(&lock->wait_list);
}

/* mutex_init - initialize @mutex as unlocked. Context: any; not while in use. */
#define mutex_init(mutex)	__mutex_init((mutex), #mutex, NULL)

/*
 * mutex_destroy - mark @lock unusable. The debug flavor checks it is not
 * held; in the release flavor, as in a kernel without DEBUG_MUTEXES, it does
 * nothing. Context: any; @lock must be unlocked.
 */
static inline void mutex_destroy(struct mutex *lock)
{
	(void)lock;
}
#else
/*
 * The debug flavor (src/debug/mutex_debug.c): DEBUG_MUTEXES' checks and
 * lockdep's hooks around the same slow paths, out of line as the kernel's
 * mutex_lock_nested() family, so that @ip is the caller.
 */
LKSYNC_API void lksync_mutex_init(struct mutex *lock, const char *name,
				  struct lock_class_key *key);
LKSYNC_API void lksync_mutex_destroy(struct mutex *lock);
LKSYNC_API int lksync_mutex_lock_common(struct mutex *lock, unsigned int state,
					unsigned int subclass, struct lockdep_map *nest);
LKSYNC_API int lksync_mutex_trylock_debug(struct mutex *lock);
LKSYNC_API void lksync_mutex_unlock_debug(struct mutex *lock);
/*
 * How long a task may sleep in TASK_UNINTERRUPTIBLE (a mutex, down(),
 * down_read()/down_write(), wait_for_completion(), wait_event(), ...) before
 * it reports "INFO: task ... blocked for more than N seconds." (the kernel's
 * hung_task_timeout_secs), in milliseconds: default 120000, 0: off, -1: read
 * LKSYNC_HUNG_TASK_TIMEOUT_MS from the environment at the next sleep. Every
 * such sleep reads it: set it before other threads run, or with
 * __atomic_store_n().
 */
extern LKSYNC_API long lksync_hung_task_timeout_ms;

static inline void __mutex_init(struct mutex *lock, const char *name,
				struct lock_class_key *key)
{
	lksync_mutex_init(lock, name, key);
}

/* mutex_init - as above; every mutex initialized at this place is one lockdep class. */
#define mutex_init(mutex)							\
do {										\
	static struct lock_class_key __key;					\
										\
	__mutex_init((mutex), #mutex, &__key);					\
} while (0)

/* mutex_destroy - WARN if @lock is held, then poison it (DEBUG_MUTEXES). */
#define mutex_destroy(lock)	lksync_mutex_destroy(lock)
#endif

/* One acquire cmpxchg 0 -> current: pairs with the release in unlock. */
static __always_inline bool __mutex_trylock_fast(struct mutex *lock)
{
	long zero = 0;

	return atomic_long_try_cmpxchg_acquire(&lock->owner, &zero,
					       (long)current);
}

/**
 * mutex_lock - acquire @lock, sleeping until it is available.
 * The sleep is uninterruptible: signals do not end it.
 * Context: task context; may sleep. Not recursive: the caller must not hold
 * @lock.
 */
static __always_inline void mutex_lock(struct mutex *lock)
{
#ifdef LKSYNC_DEBUG
	lksync_mutex_lock_common(lock, TASK_UNINTERRUPTIBLE, 0, NULL);
#else
	might_sleep();
	if (unlikely(!__mutex_trylock_fast(lock)))
		lksync_mutex_lock_slowpath(lock, TASK_UNINTERRUPTIBLE);
#endif
}

/**
 * mutex_lock_interruptible - acquire @lock, sleeping interruptibly.
 * Context: task context; may sleep.
 * Return: 0 with @lock held, or -EINTR without it if a signal is pending
 * (send_sig()) before the lock could be taken.
 */
static __always_inline int __must_check mutex_lock_interruptible(struct mutex *lock)
{
#ifdef LKSYNC_DEBUG
	return lksync_mutex_lock_common(lock, TASK_INTERRUPTIBLE, 0, NULL);
#endif
	might_sleep();
	if (likely(__mutex_trylock_fast(lock)))
		return 0;
	return lksync_mutex_lock_slowpath(lock, TASK_INTERRUPTIBLE);
}

/**
 * mutex_lock_killable - acquire @lock; only a fatal signal ends the sleep.
 * Context: task context; may sleep.
 * Return: 0 with @lock held, or -EINTR without it if SIGKILL is pending.
 */
static __always_inline int __must_check mutex_lock_killable(struct mutex *lock)
{
#ifdef LKSYNC_DEBUG
	return lksync_mutex_lock_common(lock, TASK_KILLABLE, 0, NULL);
#endif
	might_sleep();
	if (likely(__mutex_trylock_fast(lock)))
		return 0;
	return lksync_mutex_lock_slowpath(lock, TASK_KILLABLE);
}

/**
 * mutex_lock_io - mutex_lock(), with the sleep accounted as I/O wait (the
 * kernel's io_schedule(); userspace has no such accounting).
 * Context: task context; may sleep.
 */
static __always_inline void mutex_lock_io(struct mutex *lock)
{
	mutex_lock(lock);
}

/*
 * The _nested forms take @lock as lockdep subclass @subclass (an intended
 * nesting of two mutexes of one class); mutex_lock_nest_lock() takes one of
 * many mutexes of a class under @nest_lock, which the caller holds. The
 * release flavor ignores both, as a kernel without lockdep.
 * Context and Return: as the plain forms.
 */
#ifdef LKSYNC_DEBUG
#define mutex_lock_nested(lock, subclass)					\
	((void)lksync_mutex_lock_common(lock, TASK_UNINTERRUPTIBLE, subclass, NULL))
#define mutex_lock_interruptible_nested(lock, subclass)			\
	lksync_mutex_lock_common(lock, TASK_INTERRUPTIBLE, subclass, NULL)
#define mutex_lock_killable_nested(lock, subclass)				\
	lksync_mutex_lock_common(lock, TASK_KILLABLE, subclass, NULL)
#define mutex_lock_io_nested(lock, subclass)	mutex_lock_nested(lock, subclass)
#define mutex_lock_nest_lock(lock, nest_lock)					\
	((void)lksync_mutex_lock_common(lock, TASK_UNINTERRUPTIBLE, 0,		\
					&(nest_lock)->dep_map))
#define mutex_lock_killable_nest_lock(lock, nest_lock)				\
	lksync_mutex_lock_common(lock, TASK_KILLABLE, 0, &(nest_lock)->dep_map)
#else
#define mutex_lock_nested(lock, subclass)	((void)(subclass), mutex_lock(lock))
#define mutex_lock_interruptible_nested(lock, subclass)			\
	((void)(subclass), mutex_lock_interruptible(lock))
#define mutex_lock_killable_nested(lock, subclass)				\
	((void)(subclass), mutex_lock_killable(lock))
#define mutex_lock_io_nested(lock, subclass)	((void)(subclass), mutex_lock_io(lock))
#define mutex_lock_nest_lock(lock, nest_lock)	((void)(nest_lock), mutex_lock(lock))
#define mutex_lock_killable_nest_lock(lock, nest_lock)				\
	((void)(nest_lock), mutex_lock_killable(lock))
#endif

/**
 * mutex_trylock - acquire @lock if it is free, without waiting.
 * A free lock is taken even when others wait for it, as in the kernel.
 * Context: task context (not interrupt context: only the owner may unlock).
 * Return: 1 if @lock was acquired, 0 if it is held.
 */
static __always_inline int mutex_trylock(struct mutex *lock)
{
#ifdef LKSYNC_DEBUG
	return lksync_mutex_trylock_debug(lock);
#endif
	if (likely(__mutex_trylock_fast(lock)))
		return 1;
	return lksync_mutex_trylock_slowpath(lock);
}

/**
 * mutex_unlock - release @lock, waking the first waiter if one sleeps, or
 * handing @lock to it once it has waited long enough.
 * Once the lock is released this does not touch it again, so the next owner
 * may free it (the slow path releases under wait_lock, and the next owner's
 * unlock then waits for that spinlock). A holder's exit does not release it.
 * Context: task context; the caller must own @lock (the debug flavor
 * checks). Does not sleep.
 */
static __always_inline void mutex_unlock(struct mutex *lock)
{
#ifdef LKSYNC_DEBUG
	lksync_mutex_unlock_debug(lock);
#else
	long curr = (long)current;

	/*
	 * Tasks queued (handoff_at): once in a while the slow path reads the
	 * clock to see whether the first one is owed the lock. Relaxed: a
	 * stale handoff_at costs one slow unlock or delays one check, never a
	 * lost wake-up (the owner word's flags see to those).
	 */
	if (unlikely(READ_ONCE(lock->handoff_at))) {
		if (unlikely(!lksync_mutex_looks))
			goto slow;
		lksync_mutex_looks--;
	}
	/* Release: the critical section happens before the next owner's acquire. */
	if (likely(atomic_long_try_cmpxchg_release(&lock->owner, &curr, 0)))
		return;
slow:
	lksync_mutex_unlock_slowpath(lock);
#endif
}

/**
 * mutex_is_locked - is @lock held by anyone?
 * Context: any. A snapshot: it may change at once unless the caller holds it.
 * Return: true if held.
 */
static inline bool mutex_is_locked(struct mutex *lock)
{
	return (atomic_long_read(&lock->owner) & ~MUTEX_FLAGS) != 0;
}

/**
 * atomic_dec_and_mutex_lock - decrement @cnt; take @lock if it drops to 0.
 * Decrements without the lock while the result cannot be 0; otherwise it
 * takes @lock first, so the 1 -> 0 step happens under it.
 * Context: task context; may sleep.
 * Return: 1 with @lock held if @cnt reached 0, else 0 without @lock.
 */
static inline int atomic_dec_and_mutex_lock(atomic_t *cnt, struct mutex *lock)
{
	if (atomic_add_unless(cnt, -1, 1))
		return 0;
	mutex_lock(lock);
	if (!atomic_dec_and_test(cnt)) {
		mutex_unlock(lock);
		return 0;
	}
	return 1;
}

/*
 * Scoped guards: guard(mutex)(&m), scoped_guard(mutex, &m) { ... },
 * scoped_guard(mutex_try, &m) { ... } (the block runs only if taken),
 * scoped_cond_guard(mutex_intr, return -EINTR, &m) { ... }.
 */
DEFINE_GUARD(mutex, struct mutex *, mutex_lock(_T), mutex_unlock(_T))
DEFINE_GUARD_COND(mutex, _try, mutex_trylock(_T))
DEFINE_GUARD_COND(mutex, _intr, mutex_lock_interruptible(_T) == 0)

#endif /* LKSYNC_MUTEX_H */
