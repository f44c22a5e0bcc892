/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. Counting semaphores, as linux/semaphore.h: struct
 * semaphore, down() and its interruptible, killable, trylock and timeout
 * forms, up(). Includes the sched layer and spinlock.h.
 *
 * @count holds the free units and the WAITERS and HANDOFF bits (state table
 * in src/locking/semaphore.c):
 *
 *   n              n units free, nobody queued: down() is one
 *                  compare-and-exchange, up() one atomic add, inline
 *   n | WAITERS    tasks sleep on @wait_list: down() may still take a free
 *                  unit inline; up() adds its unit, then goes out of line
 *                  to wake the queue head
 *
 * Sleeping waiters are served in FIFO order; a head that has waited too long
 * sets HANDOFF, which reserves the free units for it: the next up() hands
 * its unit straight to the head.
 */
#ifndef LKSYNC_SEMAPHORE_H
#define LKSYNC_SEMAPHORE_H

#include <errno.h>
#include <lksync/compiler.h>
#include <lksync/list.h>
#include <lksync/spinlock.h>
#include <lksync/sched.h>
#include <lksync/errno.h>

/* Please don't access any members of this structure directly. */
struct semaphore {
	raw_spinlock_t		lock;		/* guards wait_list, WAITERS, HANDOFF */
	unsigned int		count;		/* free units | LKSYNC_SEM_* flags */
	struct list_head	wait_list;	/* sleeping tasks, FIFO */
#ifdef LKSYNC_DEBUG
	/*
	 * The task that last took a unit, cleared by its up(): named by the
	 * hung-task report of a task blocked on this semaphore, as the
	 * kernel's DETECT_HUNG_TASK_BLOCKER. A relaxed hint: task structs are
	 * type-stable, so a stale value names some task, never freed memory.
	 */
	unsigned long		last_holder;
#endif
};

/* Set in @count while @wait_list is not empty; changed only under @lock. */
#define LKSYNC_SEM_WAITERS	0x80000000u
/* Set in @count while the free units are reserved for the queue head (hand-off). */
#define LKSYNC_SEM_HANDOFF	0x40000000u
/* The free units in @count, and the most a semaphore may hold. */
#define LKSYNC_SEM_MAX		0x3fffffffu

/* __SEMAPHORE_INITIALIZER - a semaphore named @name with @n free units. */
#define __SEMAPHORE_INITIALIZER(name, n)					\
{										\
	.lock		= __RAW_SPIN_LOCK_INITIALIZER((name).lock), \
	.count		= (n),							\
	.wait_list	= LIST_HEAD_INIT((name).wait_list),			\
}

#define __LKSYNC_SEM_ARG2(a, b, ...)	b
/*
 * DEFINE_SEMAPHORE - define and initialize semaphore @_name with @_n units:
 * DEFINE_SEMAPHORE(name, n), or DEFINE_SEMAPHORE(name) for a count of 1 as
 * kernels before 6.4 spelled it.
 */
#define DEFINE_SEMAPHORE(_name, ...)						\
	struct semaphore _name = __SEMAPHORE_INITIALIZER(_name,			\
		__LKSYNC_SEM_ARG2(_, ##__VA_ARGS__, 1))

/**
 * sema_init - initialize @sem with @val free units.
 * Context: any; @sem not in use.
 */
static inline void sema_init(struct semaphore *sem, int val)
{
	*sem = (struct semaphore)__SEMAPHORE_INITIALIZER(*sem, (unsigned int)val);
#ifdef LKSYNC_DEBUG
	{
		/* As the kernel: one class for the internal lock of run-time semaphores. */
		static struct lock_class_key __key;

		lockdep_init_map(&sem->lock.dep_map, "semaphore->lock", &__key, 0);
	}
#endif
}

/*
 * Legacy (before 2.6.37; the seeds use them): a semaphore as a mutex.
 * DECLARE_MUTEX defines one with a count of 1, init_MUTEX() sets a count of 1,
 * init_MUTEX_LOCKED() a count of 0 (the first down() waits for an up()).
 */
#define DECLARE_MUTEX(name)	DEFINE_SEMAPHORE(name, 1)
#define init_MUTEX(sem)		sema_init((sem), 1)
#define init_MUTEX_LOCKED(sem)	sema_init((sem), 0)

/* Out of line: spin briefly, then queue and sleep in @state for @timeout jiffies. */
LKSYNC_API int lksync_down_slowpath(struct semaphore *sem, unsigned int state,
				    long timeout);
/* Out of line, after up() added a unit with waiters queued: wake the head, or hand it the unit. */
LKSYNC_API void lksync_up_slowpath(struct semaphore *sem);

/*
 * Out of line, after a lost compare-and-exchange: back off, then try again,
 * at most @tries more times (0: until no unit is free).
 */
LKSYNC_API bool lksync_sem_trydown_contended(struct semaphore *sem, unsigned int tries);
/* A down() that keeps losing the race goes to the slow path's fair queue. */
#define LKSYNC_SEM_DOWN_TRIES	4

/* 0 < units < HANDOFF in @c: some free and none reserved. */
static __always_inline bool __lksync_sem_free(unsigned int c)
{
	return (c & ~LKSYNC_SEM_WAITERS) - 1 < LKSYNC_SEM_HANDOFF - 1;
}

#ifdef LKSYNC_DEBUG
static __always_inline void __lksync_sem_set_holder(struct semaphore *sem)
{
	__atomic_store_n(&sem->last_holder, (unsigned long)lksync_tls.task, __ATOMIC_RELAXED);
}

static __always_inline void __lksync_sem_clear_if_holder(struct semaphore *sem)
{
	if (__atomic_load_n(&sem->last_holder, __ATOMIC_RELAXED) == (unsigned long)lksync_tls.task)
		__atomic_store_n(&sem->last_holder, 0UL, __ATOMIC_RELAXED);
}
#else
#define __lksync_sem_set_holder(sem)		do { } while (0)
#define __lksync_sem_clear_if_holder(sem)	do { } while (0)
#endif

/*
 * Take a free unit if there is one and it is not reserved, retrying lost
 * races up to @tries times (0: as long as a unit is free). Return: true if
 * taken.
 */
static __always_inline bool __lksync_sem_trydown(struct semaphore *sem, unsigned int tries)
{
	unsigned int c = __atomic_load_n(&sem->count, __ATOMIC_RELAXED);

	if (!__lksync_sem_free(c))
		return false;
	/* Acquire pairs with the release of the up() that freed the unit. */
	if (likely(__atomic_compare_exchange_n(&sem->count, &c, c - 1, 0,
					       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))) {
		__lksync_sem_set_holder(sem);
		return true;
	}
	return lksync_sem_trydown_contended(sem, tries);
}

/**
 * down - acquire a unit of @sem, sleeping uninterruptibly until one is free.
 * Use of down() is deprecated in the kernel; prefer down_interruptible() or
 * down_killable().
 * Context: task context; may sleep.
 */
static inline void down(struct semaphore *sem)
{
	might_sleep();
	if (likely(__lksync_sem_trydown(sem, LKSYNC_SEM_DOWN_TRIES)))
		return;
	lksync_down_slowpath(sem, TASK_UNINTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
}

/**
 * down_interruptible - acquire a unit of @sem unless a signal arrives.
 * Context: task context; may sleep.
 * Return: 0 if acquired, -EINTR if a pending signal ended the sleep (the
 * count is then unchanged).
 */
static inline int __must_check down_interruptible(struct semaphore *sem)
{
	might_sleep();
	if (likely(__lksync_sem_trydown(sem, LKSYNC_SEM_DOWN_TRIES)))
		return 0;
	return lksync_down_slowpath(sem, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
}

/**
 * down_killable - acquire a unit of @sem unless a fatal signal arrives.
 * Context: task context; may sleep.
 * Return: 0 if acquired, -EINTR if a fatal signal (SIGKILL) ended the sleep
 * (the count is then unchanged). Other signals do not end it.
 */
static inline int __must_check down_killable(struct semaphore *sem)
{
	might_sleep();
	if (likely(__lksync_sem_trydown(sem, LKSYNC_SEM_DOWN_TRIES)))
		return 0;
	return lksync_down_slowpath(sem, TASK_KILLABLE, MAX_SCHEDULE_TIMEOUT);
}

/**
 * down_trylock - acquire a unit of @sem if one is free, without sleeping.
 * Note the convention, the reverse of mutex_trylock() and spin_trylock().
 * Context: any, interrupt handlers included.
 * Return: 0 if acquired, 1 if not.
 */
static inline int __must_check down_trylock(struct semaphore *sem)
{
	return !__lksync_sem_trydown(sem, 0);	/* fails only when no unit is free */
}

/**
 * down_timeout - acquire a unit of @sem, waiting at most @timeout jiffies.
 * Context: task context; may sleep.
 * Return: 0 if acquired, -ETIME if the time ran out first (the count is
 * then unchanged). A @timeout of 0 or less fails at once unless a unit is free.
 */
static inline int __must_check down_timeout(struct semaphore *sem, long timeout)
{
	might_sleep();
	if (likely(__lksync_sem_trydown(sem, LKSYNC_SEM_DOWN_TRIES)))
		return 0;
	return lksync_down_slowpath(sem, TASK_UNINTERRUPTIBLE, timeout);
}

/**
 * up - release a unit of @sem: hand it to a waiter, or add it to the count.
 * Any task may call it, not only one that called down().
 * Context: any, interrupt handlers included.
 */
static inline void up(struct semaphore *sem)
{
	/*
	 * Release: what we did before up() is seen by the down() that takes
	 * the unit. The unit goes into the count even with waiters queued;
	 * the slow path then wakes the head for it, or hands it over.
	 */
	__lksync_sem_clear_if_holder(sem);
	if (unlikely(__atomic_fetch_add(&sem->count, 1, __ATOMIC_RELEASE) &
		     LKSYNC_SEM_WAITERS))
		lksync_up_slowpath(sem);
}

#endif /* LKSYNC_SEMAPHORE_H */
