// SPDX-License-Identifier: MIT
/*
 * Layer: locking. The Big Kernel Lock: a global queued spinlock (the kernel's
 * last BKL was a spinlock too), owned by one task at a time, with the
 * nesting depth in the owner's task_struct. schedule() calls
 * lksync_bkl_drop()/lksync_bkl_retake() around a holder's sleep; the depth
 * stays, so kernel_locked() is still true for the sleeper, as it was.
 */
#include <lksync/smp_lock.h>
#include <lksync/spinlock.h>
#include <lksync/bug.h>
#include "sched/sched.h"

static arch_spinlock_t kernel_flag = __ARCH_SPIN_LOCK_UNLOCKED;

void lksync_lock_kernel_slow(void)
{
	arch_spin_lock(&kernel_flag);
}

void lksync_unlock_kernel_slow(void)
{
	struct task_struct *t = current;

	if (WARN(t->lock_depth < 0, "unlock_kernel() without lock_kernel() by %s/%d\n",
		 t->comm, t->pid))
		return;
	t->lock_depth = -1;
	arch_spin_unlock(&kernel_flag);
}

void lksync_bkl_drop(void)
{
	arch_spin_unlock(&kernel_flag);
}

void lksync_bkl_retake(void)
{
	arch_spin_lock(&kernel_flag);
}
