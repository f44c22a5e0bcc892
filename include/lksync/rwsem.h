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

/* __RWSEM_INITIALIZER - static initializer of an unlocked rw_semaphore @name. */
#define __RWSEM_INITIALIZER(name)						\
	{ .count = ATOMIC_LONG_INIT(RWSEM_UNLOCKED_VALUE),			\
	  .owner = ATOMIC_LONG_INIT(0),						\
	  .osq = ATOMIC_INIT(0),						\
	  .reader_head = 0,							\
	  .wait_lock = __RAW_SPIN_LOCK_INITIALIZER(name.wait_lock),		\
	  .wait_list = LIST_HEAD_INIT((name).wait_list) }

/* DECLARE_RWSEM - define and initialize an unlocked rw_semaphore @name. */
#define DECLARE_RWSEM(name)	struct rw_semaphore name = __RWSEM_INITIALIZER(name)

/**
 * init_rwsem - runtime initializer of an unlocked rw_semaphore.
 * Context: any; not concurrently with users of @sem.
 */
#define init_rwsem(sem)								\
	do { *(sem) = (struct rw_semaphore)__RWSEM_INITIALIZER(*(sem)); } while (0)

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

/**
 * down_read - take @sem for reading, sleeping uninterruptibly until it can.
 * Context: task context; may sleep.
 */
static inline void down_read(struct rw_semaphore *sem)
{
	might_sleep();
	__down_read_common(sem, TASK_UNINTERRUPTIBLE);
}

/**
 * down_read_interruptible - down_read(), but a pending signal ends the wait.
 * Context: task context; may sleep.
 * Return: 0 with @sem held for reading, -EINTR if a signal ended the wait.
 */
static inline int __must_check down_read_interruptible(struct rw_semaphore *sem)
{
	might_sleep();
	return __down_read_common(sem, TASK_INTERRUPTIBLE);
}

/**
 * down_read_killable - down_read(), but a fatal signal ends the wait.
 * Context: task context; may sleep.
 * Return: 0 with @sem held for reading, -EINTR if a fatal signal ended the wait.
 */
static inline int __must_check down_read_killable(struct rw_semaphore *sem)
{
	might_sleep();
	return __down_read_common(sem, TASK_KILLABLE);
}

/**
 * down_read_trylock - take @sem for reading if no writer holds or waits for it.
 * Context: any, never sleeps.
 * Return: 1 if @sem was taken, 0 otherwise.
 */
static inline int down_read_trylock(struct rw_semaphore *sem)
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

/**
 * up_read - release a read lock on @sem; the last reader wakes a waiter.
 * Context: task context (or the owner's stand-in, for _non_owner locks).
 */
static inline void up_read(struct rw_semaphore *sem)
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
static inline void down_write(struct rw_semaphore *sem)
{
	might_sleep();
	__down_write_common(sem, TASK_UNINTERRUPTIBLE);
}

/**
 * down_write_killable - down_write(), but a fatal signal ends the wait.
 * Context: task context; may sleep.
 * Return: 0 with @sem held for writing, -EINTR if a fatal signal ended the wait.
 */
static inline int __must_check down_write_killable(struct rw_semaphore *sem)
{
	might_sleep();
	return __down_write_common(sem, TASK_KILLABLE);
}

/**
 * down_write_trylock - take @sem for writing if it is free and nobody waits.
 * Context: any, never sleeps.
 * Return: 1 if @sem was taken, 0 otherwise.
 */
static inline int down_write_trylock(struct rw_semaphore *sem)
{
	long zero = RWSEM_UNLOCKED_VALUE;

	if (atomic_long_try_cmpxchg_acquire(&sem->count, &zero, RWSEM_WRITER_LOCKED)) {
		atomic_long_set(&sem->owner, (long)current);
		return 1;
	}
	return 0;
}

/**
 * up_write - release the write lock on @sem and wake whoever waits first.
 * Context: task context, by the task that took it.
 */
static inline void up_write(struct rw_semaphore *sem)
{
	long old;

	atomic_long_set(&sem->owner, 0);
	/* Release: the critical section precedes the next holder's. */
	old = atomic_long_fetch_add_release(-(long)RWSEM_WRITER_LOCKED, &sem->count);
	if (unlikely((old & (RWSEM_FLAG_WAITERS | RWSEM_FLAG_WAKING)) == RWSEM_FLAG_WAITERS))
		lksync_rwsem_wake(sem);
}

/**
 * downgrade_write - turn the caller's write lock on @sem into a read lock,
 * letting in the readers that wait; writers stay out until up_read().
 * Context: task context, by the writer.
 */
static inline void downgrade_write(struct rw_semaphore *sem)
{
	/* Release: readers let in now see the writer's stores. */
	long old = atomic_long_fetch_add_release(RWSEM_READER_BIAS - RWSEM_WRITER_LOCKED,
						 &sem->count);

	__rwsem_set_reader_owned(sem);
	if (old & RWSEM_FLAG_WAITERS)
		lksync_rwsem_downgrade_wake(sem);
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
 * down_write_nest_lock - the plain forms with a lockdep subclass or nest
 * lock, which only the lock validator uses (ignored here).
 */
#define down_read_nested(sem, subclass)		((void)(subclass), down_read(sem))
#define down_write_nested(sem, subclass)	((void)(subclass), down_write(sem))
#define down_write_killable_nested(sem, subclass) ((void)(subclass), down_write_killable(sem))
#define down_write_nest_lock(sem, nest_lock)	((void)(nest_lock), down_write(sem))

/*
 * down_read_non_owner/up_read_non_owner - a read lock released by another
 * task than the one that took it. Context: as down_read()/up_read().
 */
#define down_read_non_owner(sem)	down_read(sem)
#define up_read_non_owner(sem)		up_read(sem)

DEFINE_GUARD(rwsem_read, struct rw_semaphore *, down_read(_T), up_read(_T))
DEFINE_GUARD_COND(rwsem_read, _try, down_read_trylock(_T))
DEFINE_GUARD_COND(rwsem_read, _intr, down_read_interruptible(_T) == 0)
DEFINE_GUARD(rwsem_write, struct rw_semaphore *, down_write(_T), up_write(_T))
DEFINE_GUARD_COND(rwsem_write, _try, down_write_trylock(_T))
DEFINE_GUARD_COND(rwsem_write, _kill, down_write_killable(_T) == 0)

#endif /* LKSYNC_RWSEM_H */
