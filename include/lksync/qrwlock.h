/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. The queued rwlock (arch_rwlock_t): inline fast paths, slow
 * paths in src/locking/qrwlock.c (which lists the states of the count word).
 * No preemption or interrupt bookkeeping here; <lksync/rwlock.h> adds it.
 * Includes arch-layer headers, rwlock_types.h and qspinlock.h only.
 *
 * Uniprocessor build (LKSYNC_UP): as the kernel without CONFIG_SMP, the
 * arch_*_lock() operations are empty and trylocks succeed.
 */
#ifndef LKSYNC_QRWLOCK_H
#define LKSYNC_QRWLOCK_H

#include <lksync/compiler.h>
#include <lksync/types.h>
#include <lksync/rwlock_types.h>
#include <lksync/qspinlock.h>

#define _QW_WAITING	0x100U		/* a writer waits at the head of the queue */
#define _QW_LOCKED	0x0ffU		/* a writer holds the lock (the wlocked byte) */
#define _QW_WMASK	0x1ffU		/* writer waiting or locked */
#define _QW_PARKED	0x200U		/* lksync: a task may sleep on the word */
#define _QR_SHIFT	10		/* reader count (kernel: 9; one bit for _QW_PARKED) */
#define _QR_BIAS	(1U << _QR_SHIFT)

#ifndef LKSYNC_UP

/* Out of line: queue behind waiting writers (or, in interrupt context, not). */
LKSYNC_API void lksync_queued_read_lock_slowpath(struct qrwlock *lock);
/* Out of line: queue, wait for readers and the writer to leave. */
LKSYNC_API void lksync_queued_write_lock_slowpath(struct qrwlock *lock);
/* Out of line: wake the tasks sleeping on the count word (by address only). */
LKSYNC_API void lksync_qrwlock_wake(struct qrwlock *lock);
/* Out of line: release a write hold, clearing _QW_PARKED, and wake sleepers. */
LKSYNC_API void lksync_queued_write_unlock_slowpath(struct qrwlock *lock);

/**
 * queued_read_unlock - drop a read hold of @lock
 * Context: a reader of @lock.
 *
 * The RMW is the last access to @lock: once it is visible a writer may take
 * the lock, drop the last reference to the object around it and free it.
 * The only sleeper a reader's exit can satisfy is the writer waiting for the
 * readers to drain (_QW_WAITING, no _QW_LOCKED); the last reader wakes it by
 * address and leaves _QW_PARKED for that writer's cmpxchg to clear.
 */
static __always_inline void queued_read_unlock(struct qrwlock *lock)
{
	/* Release: the read section happens before a writer's. */
	u32 old = __atomic_fetch_sub(&lock->cnts, _QR_BIAS, __ATOMIC_RELEASE);

	if (unlikely((old & (_QW_PARKED | _QW_WMASK)) == (_QW_PARKED | _QW_WAITING)) &&
	    (old >> _QR_SHIFT) == 1)
		lksync_qrwlock_wake(lock);
}

/**
 * queued_read_trylock - take @lock for reading if no writer holds or waits
 * Context: any. Return: 1 if acquired, 0 otherwise.
 */
static __always_inline int queued_read_trylock(struct qrwlock *lock)
{
	/* Relaxed: only a hint; the add below decides. */
	u32 cnts = __atomic_load_n(&lock->cnts, __ATOMIC_RELAXED);

	if (likely(!(cnts & _QW_WMASK))) {
		/* Acquire: the read section starts after a writer's release. */
		cnts = __atomic_add_fetch(&lock->cnts, _QR_BIAS, __ATOMIC_ACQUIRE);
		if (likely(!(cnts & _QW_WMASK)))
			return 1;
		queued_read_unlock(lock);
	}
	return 0;
}

/**
 * queued_write_trylock - take @lock for writing if it is entirely free
 * Context: any. Return: 1 if acquired, 0 otherwise.
 */
static __always_inline int queued_write_trylock(struct qrwlock *lock)
{
	/* Relaxed: the cmpxchg below decides. */
	u32 cnts = __atomic_load_n(&lock->cnts, __ATOMIC_RELAXED);

	/* A lone _QW_PARKED is stale: sleepers hold a read count or _QW_WAITING. */
	if (unlikely(cnts & ~_QW_PARKED))
		return 0;
	/* Acquire: the write section starts after the previous holders' release. */
	return __atomic_compare_exchange_n(&lock->cnts, &cnts, _QW_LOCKED, 0,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/**
 * queued_read_lock - take @lock for reading
 * Context: any. In process context a reader queues behind a waiting writer
 * (fairness); in interrupt context it waits only for an active writer.
 */
static __always_inline void queued_read_lock(struct qrwlock *lock)
{
	/* Acquire: the read section starts after a writer's release. */
	u32 cnts = __atomic_add_fetch(&lock->cnts, _QR_BIAS, __ATOMIC_ACQUIRE);

	if (likely(!(cnts & _QW_WMASK)))
		return;
	lksync_queued_read_lock_slowpath(lock);
}

/**
 * queued_write_lock - take @lock for writing
 * Context: any; not recursive.
 */
static __always_inline void queued_write_lock(struct qrwlock *lock)
{
	u32 cnts = 0;

	/* Acquire: the write section starts after the previous holders' release. */
	if (likely(__atomic_compare_exchange_n(&lock->cnts, &cnts, _QW_LOCKED, 0,
					       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)))
		return;
	lksync_queued_write_lock_slowpath(lock);
}

/**
 * queued_write_unlock - release a write hold of @lock, waking sleepers
 * Context: the writer holding @lock.
 *
 * The releasing store is the last access to @lock: once it is visible
 * another task may take the lock, drop the last reference to the object the
 * lock is embedded in and free it. So _QW_PARKED is read first; if set, the
 * out-of-line path releases and clears it in one RMW and wakes by address.
 * A sleeper that parks between our load and our store can miss its wake-up;
 * its sleep is bounded (qrwlock_wait() in src/locking/qrwlock.c).
 */
static __always_inline void queued_write_unlock(struct qrwlock *lock)
{
	/* Relaxed: a release store is not reordered before an earlier load. */
	if (unlikely(__atomic_load_n(&lock->cnts, __ATOMIC_RELAXED) & _QW_PARKED))
		lksync_queued_write_unlock_slowpath(lock);
	else
		/* Release: the write section happens before the next holders'. */
		__atomic_store_n(&lock->wlocked, 0, __ATOMIC_RELEASE);
}

/**
 * queued_rwlock_is_contended - is a task waiting for @lock?
 * Context: any. Return: nonzero if a waiter holds or queues for the wait lock.
 */
static __always_inline int queued_rwlock_is_contended(struct qrwlock *lock)
{
	return arch_spin_is_locked(&lock->wait_lock);
}

#define arch_read_lock(l)		queued_read_lock(l)
#define arch_write_lock(l)		queued_write_lock(l)
#define arch_read_trylock(l)		queued_read_trylock(l)
#define arch_write_trylock(l)		queued_write_trylock(l)
#define arch_read_unlock(l)		queued_read_unlock(l)
#define arch_write_unlock(l)		queued_write_unlock(l)
#define arch_rwlock_is_contended(l)	queued_rwlock_is_contended(l)

#else /* LKSYNC_UP */

#define arch_read_lock(l)		do { barrier(); (void)(l); } while (0)
#define arch_write_lock(l)		do { barrier(); (void)(l); } while (0)
#define arch_read_trylock(l)		({ barrier(); (void)(l); 1; })
#define arch_write_trylock(l)		({ barrier(); (void)(l); 1; })
#define arch_read_unlock(l)		do { barrier(); (void)(l); } while (0)
#define arch_write_unlock(l)		do { barrier(); (void)(l); } while (0)
#define arch_rwlock_is_contended(l)	((void)(l), 0)

#endif /* LKSYNC_UP */

#endif /* LKSYNC_QRWLOCK_H */
