/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. The Big Kernel Lock (legacy; removed from Linux in 2.6.39),
 * as linux/smp_lock.h had it: one global lock, recursive for the task that
 * holds it (current->lock_depth counts the nesting, -1 = not held), and
 * released by schedule() while its holder sleeps, taken again before the
 * holder runs on. Code under the BKL may therefore sleep, and other tasks
 * may take the BKL meanwhile: it protects only against tasks that do not.
 */
#ifndef LKSYNC_SMP_LOCK_H
#define LKSYNC_SMP_LOCK_H

#include <lksync/sched.h>

LKSYNC_API void lksync_lock_kernel_slow(void);
LKSYNC_API void lksync_unlock_kernel_slow(void);

/**
 * lock_kernel - take the Big Kernel Lock (nests for its holder).
 * Context: task context; may wait for the holder.
 */
static inline void lock_kernel(void)
{
	struct task_struct *t = current;

	if (t->lock_depth < 0) {
		might_sleep();	/* the outermost take may wait, as the kernel's _lock_kernel() */
		lksync_lock_kernel_slow();
	}
	t->lock_depth++;
}

/**
 * unlock_kernel - undo one lock_kernel(); the last one releases the lock.
 * Context: task context, holding the BKL. Unlocking without holding it is
 * reported (BUG in the kernel) and ignored.
 */
static inline void unlock_kernel(void)
{
	struct task_struct *t = current;

	if (t->lock_depth <= 0)
		lksync_unlock_kernel_slow();	/* releases; reports an unheld unlock */
	else
		t->lock_depth--;
}

/* kernel_locked - does the current task hold the BKL? Context: any. Return: nonzero if so. */
#define kernel_locked()		(current->lock_depth >= 0)

#endif /* LKSYNC_SMP_LOCK_H */
