// SPDX-License-Identifier: MIT
/*
 * Layer: locking. The Big Kernel Lock: a global queued spinlock (the kernel's
 * last BKL was a spinlock too), owned by one task at a time, with the
 * nesting depth in the owner's task_struct. schedule() calls
 * lksync_bkl_drop()/lksync_bkl_retake() around a holder's sleep; the depth
 * stays, so kernel_locked() is still true for the sleeper, as it was.
 *
 * In the debug flavor the lock is a raw spinlock taken with
 * do_raw_spin_lock(), as the kernel's lib/kernel_lock.c took its
 * kernel_flag: DEBUG_SPINLOCK records the holder, so a task that spins for
 * it too long reports "BUG: spinlock lockup suspected" naming the holder
 * (a holder that sleeps in schedule() has dropped it and is not one); no
 * lockdep map is used, as the kernel's BKL had none.
 */
#include <lksync/smp_lock.h>
#include <lksync/spinlock.h>
#include <lksync/bug.h>
#include "sched/sched.h"

#if defined(LKSYNC_DEBUG) && !defined(LKSYNC_UP)
static raw_spinlock_t kernel_flag = __RAW_SPIN_LOCK_INITIALIZER(kernel_flag);
#define bkl_lock()	do_raw_spin_lock(&kernel_flag)
#define bkl_unlock()	do_raw_spin_unlock(&kernel_flag)
#else
static arch_spinlock_t kernel_flag = __ARCH_SPIN_LOCK_UNLOCKED;
#define bkl_lock()	arch_spin_lock(&kernel_flag)
#define bkl_unlock()	arch_spin_unlock(&kernel_flag)
#endif

void lksync_lock_kernel_slow(void)
{
	bkl_lock();
}

void lksync_unlock_kernel_slow(void)
{
	struct task_struct *t = current;

	if (WARN(t->lock_depth < 0, "unlock_kernel() without lock_kernel() by %s/%d\n",
		 t->comm, t->pid))
		return;
	t->lock_depth = -1;
	bkl_unlock();
}

void lksync_bkl_drop(void)
{
	bkl_unlock();
}

void lksync_bkl_retake(void)
{
	bkl_lock();
}
