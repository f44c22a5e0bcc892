/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. Reader-writer semaphores, as linux/rwsem.h: sleeping
 * locks held by many readers or one writer. Includes sched-, lib- and
 * arch-layer headers and spinlock.h.
 *
 * Writers are not starved: a reader that finds waiters queues behind them
 * (unless it may steal a lock nobody else reads), and a waiter that has
 * waited RWSEM_WAIT_TIMEOUT sets a hand-off bit that stops all stealing.
 * Readers are woken in batches: a reader reaching the head of the queue
 * brings every queued reader (up to 256) in with it. A writer spins a
 * bounded time on a writer owner before it queues. Not recursive for
 * writers; a reader that takes the lock again can deadlock behind a queued
 * writer. See src/locking/rwsem.c for the count word and the algorithm.
 */
#ifndef LKSYNC_RWSEM_H
#define LKSYNC_RWSEM_H

#include <errno.h>
#include <lksync/compiler.h>
#include <lksync/cleanup.h>
#include <lksync/atomic.h>
#include <lksync/list.h>
#include <lksync/sched.h>
#include <lksync/spinlock.h>

/**
 * struct rw_semaphore - a reader-writer semaphore.
 * @count: writer-locked, waiters and hand-off bits, reader count above
 * @owner: the writer's task, or the last reader's with RWSEM_READER_OWNED
 * @osq: the one writer allowed to spin on the owner
 * @reader_head: hint, written under @wait_lock: a reader heads the queue
 * @wait_lock: protects @wait_list
 * @wait_list: FIFO of waiters sleeping on their own stacks
 */
struct rw_semaphore {
	atomic_long_t count;
	atomic_long_t owner;
	atomic_t osq;
	int reader_head;
	raw_spinlock_t wait_lock;
	struct list_head wait_list;
#ifdef LKSYNC_DEBUG
	struct lockdep_map dep_map;
#endif
};

/* The count word; the state table is at the top of src/locking/rwsem.c. */
#define RWSEM_WRITER_LOCKED	(1UL << 0)
#define RWSEM_FLAG_WAITERS	(1UL << 1)
#define RWSEM_FLAG_HANDOFF	(1UL << 2)
#define RWSEM_FLAG_WAKING	(1UL << 3)
#define RWSEM_FLAG_READFAIL	(1UL << (8 * sizeof(long) - 1))
#define RWSEM_READER_SHIFT	8
#define RWSEM_READER_BIAS	(1UL << RWSEM_READER_SHIFT)
#define RWSEM_READER_MASK	(~(RWSEM_READER_BIAS - 1))
#define RWSEM_WRITER_MASK	RWSEM_WRITER_LOCKED
#define RWSEM_LOCK_MASK		(RWSEM_WRITER_MASK | RWSEM_READER_MASK)
#define RWSEM_READ_FAILED_MASK	(RWSEM_WRITER_MASK | RWSEM_FLAG_WAITERS | \
				 RWSEM_FLAG_HANDOFF | RWSEM_FLAG_READFAIL)
#define RWSEM_UNLOCKED_VALUE	0L

/* The owner word: a task pointer with these low bits. */
#define RWSEM_READER_OWNED	(1UL << 0)
#define RWSEM_NONSPINNABLE	(1UL << 1)
#define RWSEM_OWNER_FLAGS_MASK	(RWSEM_READER_OWNED | RWSEM_NONSPINNABLE)

#ifdef LKSYNC_DEBUG
#define __RWSEM_DEP_MAP_INIT(lockname, _key)					\
	.dep_map = { .key = (void *)(_key), .name = #lockname,			\
		     .wait_type_inner = LD_WAIT_SLEEP },
#else
#define __RWSEM_DEP_MAP_INIT(lockname, _key)
#endif

#define __RWSEM_INITIALIZER_KEY(name, key)					\
	{ .count = ATOMIC_LONG_INIT(RWSEM_UNLOCKED_VALUE),			\
	  .owner = ATOMIC_LONG_INIT(0),						\
	  .osq = ATOMIC_INIT(0),						\
	  .reader_head = 0,							\
	  .wait_lock = __RAW_SPIN_LOCK_INITIALIZER(name.wait_lock),		\
	  .wait_list = LIST_HEAD_INIT((name).wait_list),			\
	  __RWSEM_DEP_MAP_INIT(name, key) }
/*
 * __RWSEM_INITIALIZER - static initializer of an unlocked rw_semaphore @name
 * (an lvalue: the rwsem itself; in the debug flavor the rwsem and its wait
 * lock are each their own lockdep class, keyed by their addresses: static
 * storage only, as in the kernel; elsewhere use init_rwsem()).
 */
#define __RWSEM_INITIALIZER(name)	__RWSEM_INITIALIZER_KEY(name, NULL)

/* DECLARE_RWSEM - define and initialize an unlocked rw_semaphore @name. */
#define DECLARE_RWSEM(name)							\
	struct rw_semaphore name = __RWSEM_INITIALIZER_KEY(name, NULL)

/**
 * init_rwsem - runtime initializer of an unlocked rw_semaphore (in the debug
 * flavor, every rwsem initialized at this place is one lockdep class).
 * Context: any; not concurrently with users of @sem.
 */
#ifndef LKSYNC_DEBUG
#define init_rwsem(sem)								\
	do { *(sem) = (struct rw_semaphore)__RWSEM_INITIALIZER(*(sem)); } while (0)
#else
LKSYNC_API void lksync_init_rwsem(struct rw_semaphore *sem, const char *name,
				  struct lock_class_key *key);
#define __init_rwsem(sem, name, key)	lksync_init_rwsem(sem, name, key)
#define init_rwsem(sem)								\
do {										\
	static struct lock_class_key __key;					\
										\
	__init_rwsem((sem), #sem, &__key);					\
} while (0)
#endif

/* Out of line (src/locking/rwsem.c): the slow paths. */
LKSYNC_API int lksync_rwsem_down_read_slowpath(struct rw_semaphore *sem, long count,
					       unsigned int state);
LKSYNC_API int lksync_rwsem_down_write_slowpath(struct rw_semaphore *sem, unsigned int state);
LKSYNC_API void lksync_rwsem_wake(struct rw_semaphore *sem);
LKSYNC_API void lksync_rwsem_downgrade_wake(struct rw_semaphore *sem);

/* Record the reader as a hint for spinners; store only on change. */
static __always_inline void __rwsem_set_reader_owned(struct rw_semaphore *sem)
{
	long old = atomic_long_read(&sem->owner);
	long val = (long)lksync_tls.task | RWSEM_READER_OWNED | (old & RWSEM_NONSPINNABLE);

	if (old != val)
		atomic_long_set(&sem->owner, val);
}

static __always_inline int __down_read_common(struct rw_semaphore *sem, unsigned int state)
{
	/* Acquire: the reader's critical section follows the last writer's. */
	long count = atomic_long_add_return_acquire(RWSEM_READER_BIAS, &sem->count);

	if (likely(!(count & RWSEM_READ_FAILED_MASK))) {
		__rwsem_set_reader_owned(sem);
		return 0;
	}
	return lksync_rwsem_down_read_slowpath(sem, count, state);
}

static __always_inline int __down_write_common(struct rw_semaphore *sem, unsigned int state)
{
	long zero = RWSEM_UNLOCKED_VALUE;

	/* Acquire on success: the writer follows every earlier holder. */
	if (likely(atomic_long_try_cmpxchg_acquire(&sem->count, &zero, RWSEM_WRITER_LOCKED))) {
		atomic_long_set(&sem->owner, (long)current);
		return 0;
	}
	return lksync_rwsem_down_write_slowpath(sem, state);
}

#ifdef LKSYNC_DEBUG
/*
 * The debug flavor: lockdep's hooks around the same operations, out of line
 * (src/locking/rwsem.c) so that they see the caller's address.
 */
LKSYNC_API int lksync_down_read_debug(struct rw_semaphore *sem, unsigned int state,
				      unsigned int subclass);
LKSYNC_API int lksync_down_write_debug(struct rw_semaphore *sem, unsigned int state,
				       unsigned int subclass, struct lockdep_map *nest);
LKSYNC_API int lksync_down_read_trylock_debug(struct rw_semaphore *sem);
LKSYNC_API int lksync_down_write_trylock_debug(struct rw_semaphore *sem);
LKSYNC_API void lksync_up_read_debug(struct rw_semaphore *sem);
LKSYNC_API void lksync_up_write_debug(struct rw_semaphore *sem);
LKSYNC_API void lksync_downgrade_write_debug(struct rw_semaphore *sem);
#endif

/**
 * down_read - take @sem for reading, sleeping uninterruptibly until it can.
 * Context: task context; may sleep.
 */
static __always_inline void down_read(struct rw_semaphore *sem)
{
#ifdef LKSYNC_DEBUG
	lksync_down_read_debug(sem, TASK_UNINTERRUPTIBLE, 0);
#else
	might_sleep();
	__down_read_common(sem, TASK_UNINTERRUPTIBLE);
#endif
}

/**
 * down_read_interruptible - down_read(), but a pending signal ends the wait.
 * Context: task context; may sleep.
 * Return: 0 with @sem held for reading, -EINTR if a signal ended the wait.
 */
static __always_inline int __must_check down_read_interruptible(struct rw_semaphore *sem)
{
#ifdef LKSYNC_DEBUG
	return lksync_down_read_debug(sem, TASK_INTERRUPTIBLE, 0);
#else
	might_sleep();
	return __down_read_common(sem, TASK_INTERRUPTIBLE);
#endif
}

/**
 * down_read_killable - down_read(), but a fatal signal ends the wait.
 * Context: task context; may sleep.
 * Return: 0 with @sem held for reading, -EINTR if a fatal signal ended the wait.
 */
static __always_inline int __must_check down_read_killable(struct rw_semaphore *sem)
{
#ifdef LKSYNC_DEBUG
	return lksync_down_read_debug(sem, TASK_KILLABLE, 0);
#else
	might_sleep();
	return __down_read_common(sem, TASK_KILLABLE);
#endif
}

/* The operations without lockdep's hooks; the public forms are below. */
static __always_inline int __down_read_trylock(struct rw_semaphore *sem)
{
	long count = atomic_long_read(&sem->count);

	while (!(count & RWSEM_READ_FAILED_MASK)) {
		/* Acquire on success, as __down_read_common(). */
		if (atomic_long_try_cmpxchg_acquire(&sem->count, &count,
						    count + RWSEM_READER_BIAS)) {
			__rwsem_set_reader_owned(sem);
			return 1;
		}
	}
	return 0;
}

static __always_inline void __up_read(struct rw_semaphore *sem)
{
	/* Release: the critical section precedes the next writer's. */
	long count = atomic_long_add_return_release(-(long)RWSEM_READER_BIAS, &sem->count);

	if (unlikely((count & (RWSEM_LOCK_MASK | RWSEM_FLAG_WAITERS | RWSEM_FLAG_WAKING)) ==
		     RWSEM_FLAG_WAITERS))
		lksync_rwsem_wake(sem);
}

/**
 * down_write - take @sem for writing, sleeping uninterruptibly until it can.
 * Context: task context; may sleep.
 */
static __always_inline void down_write(struct rw_semaphore *sem)
{
#ifdef LKSYNC_DEBUG
	lksync_down_write_debug(sem, TASK_UNINTERRUPTIBLE, 0, NULL);
#else
	might_sleep();
	__down_write_common(sem, TASK_UNINTERRUPTIBLE);
#endif
}

/**
 * down_write_killable - down_write(), but a fatal signal ends the wait.
 * Context: task context; may sleep.
 * Return: 0 with @sem held for writing, -EINTR if a fatal signal ended the wait.
 */
static __always_inline int __must_check down_write_killable(struct rw_semaphore *sem)
{
#ifdef LKSYNC_DEBUG
	return lksync_down_write_debug(sem, TASK_KILLABLE, 0, NULL);
#else
	might_sleep();
	return __down_write_common(sem, TASK_KILLABLE);
#endif
}

static __always_inline int __down_write_trylock(struct rw_semaphore *sem)
{
	long zero = RWSEM_UNLOCKED_VALUE;

	if (atomic_long_try_cmpxchg_acquire(&sem->count, &zero, RWSEM_WRITER_LOCKED)) {
		atomic_long_set(&sem->owner, (long)current);
		return 1;
	}
	return 0;
}

static __always_inline void __up_write(struct rw_semaphore *sem)
{
	long old;

	atomic_long_set(&sem->owner, 0);
	/* Release: the critical section precedes the next holder's. */
	old = atomic_long_fetch_add_release(-(long)RWSEM_WRITER_LOCKED, &sem->count);
	if (unlikely((old & (RWSEM_FLAG_WAITERS | RWSEM_FLAG_WAKING)) == RWSEM_FLAG_WAITERS))
		lksync_rwsem_wake(sem);
}

static __always_inline void __downgrade_write(struct rw_semaphore *sem)
{
	/* Release: readers let in now see the writer's stores. */
	long old = atomic_long_fetch_add_release(RWSEM_READER_BIAS - RWSEM_WRITER_LOCKED,
						 &sem->count);

	__rwsem_set_reader_owned(sem);
	if (old & RWSEM_FLAG_WAITERS)
		lksync_rwsem_downgrade_wake(sem);
}

/**
 * down_read_trylock - take @sem for reading if no writer holds or waits for it.
 * Context: any, never sleeps.
 * Return: 1 if @sem was taken, 0 otherwise.
 */
static __always_inline int down_read_trylock(struct rw_semaphore *sem)
{
#ifdef LKSYNC_DEBUG
	return lksync_down_read_trylock_debug(sem);
#else
	return __down_read_trylock(sem);
#endif
}

/**
 * up_read - release a read lock on @sem; the last reader wakes a waiter.
 * Context: task context, by a task that took it for reading.
 */
static __always_inline void up_read(struct rw_semaphore *sem)
{
#ifdef LKSYNC_DEBUG
	lksync_up_read_debug(sem);
#else
	__up_read(sem);
#endif
}

/**
 * down_write_trylock - take @sem for writing if it is free and nobody waits.
 * Context: any, never sleeps.
 * Return: 1 if @sem was taken, 0 otherwise.
 */
static __always_inline int down_write_trylock(struct rw_semaphore *sem)
{
#ifdef LKSYNC_DEBUG
	return lksync_down_write_trylock_debug(sem);
#else
	return __down_write_trylock(sem);
#endif
}

/**
 * up_write - release the write lock on @sem and wake whoever waits first.
 * Context: task context, by the task that took it.
 */
static __always_inline void up_write(struct rw_semaphore *sem)
{
#ifdef LKSYNC_DEBUG
	lksync_up_write_debug(sem);
#else
	__up_write(sem);
#endif
}

/**
 * downgrade_write - turn the caller's write lock on @sem into a read lock,
 * letting in the readers that wait; writers stay out until up_read().
 * Context: task context, by the writer.
 */
static __always_inline void downgrade_write(struct rw_semaphore *sem)
{
#ifdef LKSYNC_DEBUG
	lksync_downgrade_write_debug(sem);
#else
	__downgrade_write(sem);
#endif
}

/**
 * rwsem_is_locked - is @sem held (or its count otherwise not idle)?
 * Context: any. Return: nonzero if so; a hint unless the caller holds it.
 */
static inline int rwsem_is_locked(struct rw_semaphore *sem)
{
	return atomic_long_read(&sem->count) != RWSEM_UNLOCKED_VALUE;
}

/**
 * rwsem_is_contended - are tasks waiting for @sem?
 * Context: any. Return: nonzero if so; a hint.
 */
static inline int rwsem_is_contended(struct rw_semaphore *sem)
{
	return (atomic_long_read(&sem->count) & RWSEM_FLAG_WAITERS) != 0;
}

#ifndef SINGLE_DEPTH_NESTING
#define SINGLE_DEPTH_NESTING	1
#endif

/*
 * down_read_nested, down_write_nested, down_write_killable_nested,
 * down_write_nest_lock - the plain forms as lockdep subclass @subclass, or
 * under @nest_lock (held by the caller), which only the lock validator uses
 * (the release flavor ignores them). Context and Return: as the plain forms.
 */
#ifdef LKSYNC_DEBUG
#define down_read_nested(sem, subclass)						\
	((void)lksync_down_read_debug(sem, TASK_UNINTERRUPTIBLE, subclass))
#define down_read_killable_nested(sem, subclass)				\
	lksync_down_read_debug(sem, TASK_KILLABLE, subclass)
#define down_write_nested(sem, subclass)					\
	((void)lksync_down_write_debug(sem, TASK_UNINTERRUPTIBLE, subclass, NULL))
#define down_write_killable_nested(sem, subclass)				\
	lksync_down_write_debug(sem, TASK_KILLABLE, subclass, NULL)
#define down_write_nest_lock(sem, nest_lock)					\
	((void)lksync_down_write_debug(sem, TASK_UNINTERRUPTIBLE, 0,		\
				       &(nest_lock)->dep_map))
#else
#define down_read_nested(sem, subclass)		((void)(subclass), down_read(sem))
#define down_read_killable_nested(sem, subclass) ((void)(subclass), down_read_killable(sem))
#define down_write_nested(sem, subclass)	((void)(subclass), down_write(sem))
#define down_write_killable_nested(sem, subclass) ((void)(subclass), down_write_killable(sem))
#define down_write_nest_lock(sem, nest_lock)	((void)(nest_lock), down_write(sem))
#endif

/*
 * down_read_non_owner/up_read_non_owner - a read lock released by another
 * task than the one that took it. Invisible to lockdep, as in the kernel
 * (no task holds it). Context: as down_read()/up_read().
 */
#define down_read_non_owner(sem)						\
	do { might_sleep(); __down_read_common(sem, TASK_UNINTERRUPTIBLE); } while (0)
#define up_read_non_owner(sem)		__up_read(sem)

DEFINE_GUARD(rwsem_read, struct rw_semaphore *, down_read(_T), up_read(_T))
DEFINE_GUARD_COND(rwsem_read, _try, down_read_trylock(_T))
DEFINE_GUARD_COND(rwsem_read, _intr, down_read_interruptible(_T) == 0)
DEFINE_GUARD(rwsem_write, struct rw_semaphore *, down_write(_T), up_write(_T))
DEFINE_GUARD_COND(rwsem_write, _try, down_write_trylock(_T))
DEFINE_GUARD_COND(rwsem_write, _kill, down_write_killable(_T) == 0)

#endif /* LKSYNC_RWSEM_H */
