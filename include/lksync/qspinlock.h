/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. The queued spinlock (arch_spinlock_t): inline fast paths,
 * out-of-line slow paths in src/locking/qspinlock.c. No preemption or
 * interrupt bookkeeping here; <lksync/spinlock.h> adds that. Includes
 * arch-layer headers and spinlock_types.h only.
 *
 * Lock word: locked byte (_Q_LOCKED_VAL: held; _Q_HANDED_VAL: released to the
 * queue head, which takes it next), flags byte (_Q_PARKED_VAL: the queue head
 * sleeps on the word and must be woken by the unlocker; _Q_HANDOFF_VAL: the
 * head has waited long enough, the unlocker hands the lock to it;
 * _Q_WAITING_VAL: tasks are queued, so unlocks take the slow path, which
 * bounds how long one task keeps the lock from them), MCS tail.
 * Lock and unlock fast paths are byte operations on the locked byte: a byte
 * store followed by a word-sized locked instruction on the same address
 * cannot be store-forwarded and costs several nanoseconds on some CPUs.
 *
 * Uniprocessor build (LKSYNC_UP): as the kernel without CONFIG_SMP, the
 * arch_spin_*() operations are empty and a lock never reads as held.
 */
#ifndef LKSYNC_QSPINLOCK_H
#define LKSYNC_QSPINLOCK_H

#include <lksync/compiler.h>
#include <lksync/types.h>
#include <lksync/spinlock_types.h>

#define _Q_LOCKED_OFFSET	0
#define _Q_LOCKED_BITS		8
#define _Q_LOCKED_MASK		0x000000ffU
#define _Q_LOCKED_VAL		0x00000001U
#define _Q_HANDED_VAL		0x00000002U
#define _Q_FLAGS_OFFSET		8
#define _Q_FLAGS_MASK		0x0000ff00U
#define _Q_PARKED_VAL		0x00000100U
#define _Q_HANDOFF_VAL		0x00000200U
#define _Q_WAITING_VAL		0x00000400U
#define _Q_TAIL_OFFSET		16
#define _Q_TAIL_MASK		0xffff0000U

#ifndef LKSYNC_UP

/* Out of line: queue, spin a bounded time, then park until woken. */
LKSYNC_API void lksync_queued_spin_lock_slowpath(struct qspinlock *lock, u32 val);
/* Out of line: release @lock and wake its parked queue head. */
LKSYNC_API void lksync_queued_spin_unlock_slowpath(struct qspinlock *lock);

/**
 * queued_spin_is_locked - is @lock held (or about to be handed over)?
 * Context: any. Return: nonzero if the lock word is not idle.
 */
static __always_inline int queued_spin_is_locked(struct qspinlock *lock)
{
	return READ_ONCE(lock->val) != 0;
}

/**
 * queued_spin_value_unlocked - would a lock with value @lock be free?
 * Context: any. Return: nonzero if @lock's locked byte is clear.
 */
static __always_inline int queued_spin_value_unlocked(struct qspinlock lock)
{
	return !lock.locked;
}

/**
 * queued_spin_is_contended - are tasks waiting for @lock?
 * Context: any. Return: nonzero if a waiter is queued or parked.
 */
static __always_inline int queued_spin_is_contended(struct qspinlock *lock)
{
	return (READ_ONCE(lock->val) & ~_Q_LOCKED_MASK) != 0;
}

/**
 * queued_spin_trylock - take @lock if it is free and not owed to the queue head.
 * Context: any. Return: 1 if acquired, 0 otherwise.
 */
static __always_inline int queued_spin_trylock(struct qspinlock *lock)
{
	u8 free = 0;

	if (__atomic_load_n(&lock->val, __ATOMIC_RELAXED) & (_Q_LOCKED_MASK | _Q_HANDOFF_VAL))
		return 0;
	/* Acquire: the critical section starts after the lock is ours. */
	return __atomic_compare_exchange_n(&lock->locked, &free, _Q_LOCKED_VAL, 0,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/**
 * queued_spin_lock - acquire @lock, spinning then sleeping while it is held.
 * Context: any; not recursive.
 *
 * Takes a free lock even with waiters queued (running tasks may, as in the
 * kernel's hybrid paravirtual mode); a lock the unlocker handed to the queue
 * head is not free (_Q_HANDED_VAL).
 */
static __always_inline void queued_spin_lock(struct qspinlock *lock)
{
	u8 val = 0;

	/* Acquire: the critical section starts after the lock is ours. */
	if (likely(__atomic_compare_exchange_n(&lock->locked, &val, _Q_LOCKED_VAL, 0,
					       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)))
		return;
	lksync_queued_spin_lock_slowpath(lock, val);
}

/**
 * queued_spin_unlock - release @lock, waking the queue head if it sleeps.
 * Context: the holder of @lock.
 *
 * The releasing store is the last access to @lock: as soon as it is visible
 * another task may take the lock, drop the last reference to the object the
 * lock is embedded in and free it. So the flags are read first; with a flag
 * set, the out-of-line path releases (or hands the lock to the queue head)
 * and updates the flags in one RMW, then wakes a parked head. If the head
 * parks between our load and our store, the wake-up can be lost;
 * src/locking/qspinlock.c (head_park()) bounds that.
 */
static __always_inline void queued_spin_unlock(struct qspinlock *lock)
{
	/* Relaxed: a release store is not reordered before an earlier load. */
	if (unlikely(__atomic_load_n(&lock->flags, __ATOMIC_RELAXED)))
		lksync_queued_spin_unlock_slowpath(lock);	/* waiters queued */
	else
		/* Release: the critical section happens before the next owner's. */
		__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

#define arch_spin_is_locked(l)		queued_spin_is_locked(l)
#define arch_spin_is_contended(l)	queued_spin_is_contended(l)
#define arch_spin_value_unlocked(l)	queued_spin_value_unlocked(l)
#define arch_spin_lock(l)		queued_spin_lock(l)
#define arch_spin_trylock(l)		queued_spin_trylock(l)
#define arch_spin_unlock(l)		queued_spin_unlock(l)

#else /* LKSYNC_UP */

/* Uniprocessor: nothing to exclude, as the kernel's non-debug spinlock_up.h. */
#define arch_spin_is_locked(l)		((void)(l), 0)
#define arch_spin_is_contended(l)	((void)(l), 0)
#define arch_spin_value_unlocked(l)	((void)(l), 1)
#define arch_spin_lock(l)		do { barrier(); (void)(l); } while (0)
#define arch_spin_trylock(l)		({ barrier(); (void)(l); 1; })
#define arch_spin_unlock(l)		do { barrier(); (void)(l); } while (0)

#endif /* LKSYNC_UP */

#endif /* LKSYNC_QSPINLOCK_H */
