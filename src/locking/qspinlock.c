// SPDX-License-Identifier: MIT
/* Layer: locking. Queued spinlock slow paths (interim: spin and yield). */
#include <sched.h>
#include <lksync/processor.h>
#include <lksync/qspinlock.h>

#ifndef LKSYNC_UP
void lksync_queued_spin_lock_slowpath(struct qspinlock *lock, u32 val)
{
	for (unsigned int i = 0; !queued_spin_trylock(lock); i++) {
		if ((i & 127) == 127)
			sched_yield();
		cpu_relax();
	}
}

void lksync_queued_spin_unlock_slowpath(struct qspinlock *lock)
{
}
#endif
