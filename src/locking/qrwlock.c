// SPDX-License-Identifier: MIT
/*
 * Layer: locking. Slow paths of the queued rwlock (the kernel's qrwlock
 * algorithm), with bounded spinning then futex sleeping instead of spinning
 * forever, so that it does not collapse when threads outnumber CPUs.
 *
 * The count word, cnts:
 *
 *   bits 10-31  readers holding, or trying to take, the lock (_QR_BIAS each)
 *   bit  9      _QW_PARKED   a task may sleep on cnts: wake on release
 *   bit  8      _QW_WAITING  the writer at the head of the queue waits
 *   bits 0-7    _QW_LOCKED   (0xff) a writer holds the lock
 *
 *   readers  WAITING  LOCKED   meaning
 *   0        0        0        free (a lone _QW_PARKED is stale)
 *   n        0        0        n readers hold it
 *   n        1        0        readers hold it, a writer waits for them
 *   0/n      0/1      1        a writer holds it; n readers are in the
 *                              fast path's transient add or are interrupt
 *                              readers waiting for the writer
 *
 * wait_lock, a queued spinlock, orders waiters FIFO. Only its holder (a
 * process-context reader or a writer) and interrupt-context readers ever
 * wait on cnts, and each of them holds a read count or _QW_WAITING while it
 * sleeps; that is why a lone _QW_PARKED is stale and may be dropped.
 *
 * Waking: sleepers wait for the wlocked byte to clear or for the reader
 * count to drop to zero. Readers leave with an atomic RMW, which returns
 * _QW_PARKED; the last one wakes. A writer leaves with a byte store, paired
 * with lksync_membarrier_heavy() on the sleeper's side (see
 * queued_write_unlock()). The waker clears _QW_PARKED and wakes every
 * sleeper; a sleeper whose condition still fails sets it again.
 */
#include <limits.h>
#include <lksync/preempt.h>
#include <lksync/processor.h>
#include <lksync/qrwlock.h>
#include "arch/futex.h"

#ifndef LKSYNC_UP

/* cpu_relax() rounds before sleeping: a few microseconds, a short critical section. */
#define QRW_SPINS	512

/*
 * Wait until (cnts & @mask) == @want and return that value, spinning a
 * bounded time, then sleeping on the word. The returned value is read with
 * ACQUIRE, so what the releasing holder wrote is visible to the caller.
 */
static u32 qrwlock_wait(struct qrwlock *lock, u32 mask, u32 want)
{
	static const struct timespec poll = { 0, 1000000 };
	int spins = 0;
	u32 cnts;

	for (;;) {
		/* Acquire: pairs with the release of the holder we wait for. */
		cnts = __atomic_load_n(&lock->cnts, __ATOMIC_ACQUIRE);
		if ((cnts & mask) == want)
			return cnts;
		if (++spins < QRW_SPINS) {
			cpu_relax();
			continue;
		}
		spins = 0;
		/*
		 * Seq_cst (a locked RMW): announce the sleeper before re-reading
		 * the word. Acquire, for the case where it already satisfies us.
		 */
		cnts = __atomic_or_fetch(&lock->cnts, _QW_PARKED, __ATOMIC_SEQ_CST);
#ifndef LKSYNC_TSAN
		if (cnts & _QW_LOCKED) {
			/* The writer leaves with a plain store: fence it (see queued_write_unlock()). */
			lksync_membarrier_heavy();
			/* Acquire: as above. */
			cnts = __atomic_load_n(&lock->cnts, __ATOMIC_ACQUIRE);
		}
#endif
		if ((cnts & mask) == want)
			return cnts;
		/* A waker cleared it after we set it: set it again before sleeping. */
		if (!(cnts & _QW_PARKED)) {
			spins = QRW_SPINS;
			continue;
		}
		/* Without membarrier a byte-store wake-up can be missed: bound the sleep. */
		lksync_futex_wait(&lock->cnts, cnts,
				  lksync_membarrier_available() ? NULL : &poll);
	}
}

void lksync_qrwlock_wake(struct qrwlock *lock)
{
	/* Relaxed: the futex call orders nothing; sleepers re-check the word. */
	__atomic_fetch_and(&lock->cnts, ~_QW_PARKED, __ATOMIC_RELAXED);
	lksync_futex_wake(&lock->cnts, INT_MAX);
}

void lksync_queued_read_lock_slowpath(struct qrwlock *lock)
{
	/*
	 * In interrupt context, keep the read count taken in the fast path and
	 * wait only for an active writer: a waiting writer cannot take the lock
	 * while we count, so an interrupt never deadlocks against a writer
	 * queued behind the reader it interrupted.
	 */
	if (unlikely(in_interrupt())) {
		qrwlock_wait(lock, _QW_LOCKED, 0);
		return;
	}
	/* Back out and queue behind the writer (queued_read_unlock() wakes if due). */
	queued_read_unlock(lock);
	arch_spin_lock(&lock->wait_lock);
	/* Relaxed: the wait below reads the word with acquire. */
	__atomic_fetch_add(&lock->cnts, _QR_BIAS, __ATOMIC_RELAXED);
	/* Only an active writer can hold us up now: queued writers are behind us. */
	qrwlock_wait(lock, _QW_LOCKED, 0);
	/* The next waiter in the queue may be a reader that can share with us. */
	arch_spin_unlock(&lock->wait_lock);
}

void lksync_queued_write_lock_slowpath(struct qrwlock *lock)
{
	u32 cnts;

	arch_spin_lock(&lock->wait_lock);
	/* Relaxed: the cmpxchg decides. */
	cnts = __atomic_load_n(&lock->cnts, __ATOMIC_RELAXED);
	/* Acquire: the write section starts after the previous holders' release. */
	if (!(cnts & ~_QW_PARKED) &&
	    __atomic_compare_exchange_n(&lock->cnts, &cnts, _QW_LOCKED, 0,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		goto unlock;
	/* Relaxed: new readers see it and queue; ordering comes from the cmpxchg. */
	__atomic_fetch_or(&lock->cnts, _QW_WAITING, __ATOMIC_RELAXED);
	do {
		cnts = qrwlock_wait(lock, ~_QW_PARKED, _QW_WAITING);
		/*
		 * Acquire, as above. No reader counts and we hold wait_lock, so
		 * nobody else sleeps on the word: _QW_PARKED may be dropped.
		 */
	} while (!__atomic_compare_exchange_n(&lock->cnts, &cnts, _QW_LOCKED, 0,
					      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
unlock:
	arch_spin_unlock(&lock->wait_lock);
}

#endif /* LKSYNC_UP */
