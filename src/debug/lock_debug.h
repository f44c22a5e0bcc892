/* SPDX-License-Identifier: MIT */
/*
 * Layer: debug (private). What DEBUG_SPINLOCK (spinlock_debug.c),
 * DEBUG_MUTEXES and the hung-task detector (mutex_debug.c) share with the
 * lock implementations in src/locking/ and the sleep in src/sched/core.c.
 * Debug flavor only.
 */
#ifndef LKSYNC_SRC_DEBUG_LOCK_DEBUG_H
#define LKSYNC_SRC_DEBUG_LOCK_DEBUG_H

#include <lksync/bug.h>
#include <lksync/lockdep.h>
#include <lksync/types.h>

#ifdef LKSYNC_DEBUG

/*
 * DEBUG_LOCKS_WARN_ON - as linux/debug_locks.h: if @c, the first such
 * report (debug_locks_off() returns 1 once) is a WARNING reading
 * "DEBUG_LOCKS_WARN_ON(c)" at this place; debug_locks is off afterwards.
 * Return: !!@c.
 */
#ifndef DEBUG_LOCKS_WARN_ON
#define DEBUG_LOCKS_WARN_ON(c) ({						\
	int __dlw_ret = 0;							\
	if (unlikely(c)) {							\
		if (debug_locks_off() && !debug_locks_silent)			\
			WARN(1, "DEBUG_LOCKS_WARN_ON(%s)", #c);			\
		__dlw_ret = 1;							\
	}									\
	__dlw_ret; })
#endif

struct task_struct;
struct semaphore;
struct qrwlock;

/* The hung-task detector's interface is in sched/sched.h. */

/*
 * src/locking/semaphore.c: the task that last took a unit of @sem and has
 * not given it back (sem->last_holder), or NULL; the kernel's
 * sem_last_holder(). Context: any.
 */
struct task_struct *lksync_sem_last_holder(struct semaphore *sem);


#endif /* LKSYNC_DEBUG */

#endif /* LKSYNC_SRC_DEBUG_LOCK_DEBUG_H */
