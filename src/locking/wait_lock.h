/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking (private). The internal locks of the sleeping primitives
 * (a mutex's or rwsem's wait_lock, a semaphore's lock, a wait queue head's
 * lock as wait.c takes it) in the uniprocessor build.
 *
 * There, as in a kernel without CONFIG_SMP, spinlocks are preemption and
 * interrupt bookkeeping only. A UP kernel may do that because nothing else
 * runs while preemption is off; a process's threads still run in parallel,
 * so the sleeping primitives, whose users expect them to exclude in every
 * configuration, would corrupt their wait lists. Included after
 * <lksync/spinlock.h> by their sources only, this header makes those
 * acquisitions also take the lock word for real in the UP build (a
 * test-and-set with yield: the UP build is not the fast one). Spinlocks seen
 * by users keep the kernel's UP semantics. In SMP builds it changes nothing.
 */
#ifndef LKSYNC_SRC_LOCKING_WAIT_LOCK_H
#define LKSYNC_SRC_LOCKING_WAIT_LOCK_H

#include <lksync/spinlock.h>

#ifdef LKSYNC_UP
#include <sched.h>

static inline void lksync_up_lock(arch_spinlock_t *l)
{
	/* Acquire: the critical section stays after the exchange that takes it. */
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

static inline void lksync_up_unlock(arch_spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#undef raw_spin_lock
#undef raw_spin_lock_irq
#undef raw_spin_lock_irqsave
#undef raw_spin_unlock
#undef raw_spin_unlock_irq
#undef raw_spin_unlock_irqrestore
#undef spin_lock_irqsave
#undef spin_unlock_irqrestore

#define raw_spin_lock(l) do {							\
	_raw_spin_lock(l, NULL, 0, NULL);						\
	lksync_up_lock(&(l)->raw_lock);						\
} while (0)
#define raw_spin_lock_irq(l) do {						\
	_raw_spin_lock_irq(l, NULL, 0, NULL);						\
	lksync_up_lock(&(l)->raw_lock);						\
} while (0)
#define raw_spin_lock_irqsave(l, flags) do {					\
	_raw_spin_lock_irqsave(l, &(flags), 0, NULL);					\
	lksync_up_lock(&(l)->raw_lock);						\
} while (0)
#define raw_spin_unlock(l) do {							\
	lksync_up_unlock(&(l)->raw_lock);					\
	_raw_spin_unlock(l, NULL);						\
} while (0)
#define raw_spin_unlock_irq(l) do {						\
	lksync_up_unlock(&(l)->raw_lock);					\
	_raw_spin_unlock_irq(l, NULL);						\
} while (0)
#define raw_spin_unlock_irqrestore(l, flags) do {				\
	lksync_up_unlock(&(l)->raw_lock);					\
	_raw_spin_unlock_irqrestore(l, &(flags));				\
} while (0)
#define spin_lock_irqsave(l, flags)	raw_spin_lock_irqsave(&(l)->rlock, flags)
#define spin_unlock_irqrestore(l, flags) raw_spin_unlock_irqrestore(&(l)->rlock, flags)
#endif /* LKSYNC_UP */

#endif /* LKSYNC_SRC_LOCKING_WAIT_LOCK_H */
