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
 * count to drop to zero. No unlocker touches the word after its releasing
 * store or RMW (the lock may be freed by then); FUTEX_WAKE after it is fine,
 * it keys on the address and neither reads nor writes the word. Readers
 * leave with an RMW, which returns _QW_PARKED; the last one wakes a writer
 * waiting for the readers to drain, and that writer's cmpxchg clears the bit.
 * A writer with _QW_PARKED set leaves with one RMW that clears the byte and
 * the bit, then wakes every sleeper; a sleeper whose condition still fails
 * sets the bit again. A writer that saw no _QW_PARKED leaves with a byte
 * store; if a sleeper parks in between, its sleep is bounded (see
 * qrwlock_wait()).
 */
#include <errno.h>
#include <limits.h>
#include <lksync/preempt.h>
#include <lksync/processor.h>
#include <lksync/qrwlock.h>
#include "arch/futex.h"
#include "locking/qspinlock_internal.h"
#include "sched/sched.h"

#ifndef LKSYNC_UP

/*
 * The debug flavor's lockup detector (DEBUG_SPINLOCK), as the spinlock's
 * in qspinlock.c: every sleep below is bounded anyway (QRW_PARK_NS), and
 * after each one the waiter asks whether the lock has changed hands since
 * its previous look (then it starts timing again) and, once the same
 * holders have kept it past lksync_spin_lockup_bound(), reports once
 * ("BUG: read-lock lockup" / "BUG: write-lock lockup", naming the writer:
 * src/debug/spinlock_debug.c) and waits on. Waiters queued on wait_lock
 * are watched by the spinlock's detector, which asks the same question.
 * The hooks are in qspinlock_internal.h.
 */
#ifdef LKSYNC_DEBUG

struct rw_watch {
	struct qrwlock *lock;
	long long start;
	u64 bound;
	int reported;
};

static void rw_lockup_check(struct rw_watch *w)
{
	long long now;

	if (!w->bound || w->reported)
		return;
	now = lksync_now_ns();
	if (lksync_rwlock_lockup_progress(w->lock)) {
		w->start = now;
		return;
	}
	if ((u64)(now - w->start) > w->bound) {
		w->reported = 1;
		lksync_rwlock_lockup(w->lock, (u64)(now - w->start));
	}
}

#define RW_WATCH(l)	struct rw_watch __rw = { (l), lksync_now_ns(), lksync_spin_lockup_bound(), 0 }
/* At the head, the wait on wait_lock behind us (watched by the spinlock's detector). */
#define RW_RESTART()	(__rw.start = lksync_now_ns())
#define RW_PARAM	, struct rw_watch *rw
#define RW_ARG		, &__rw
#define RW_CHECK()	rw_lockup_check(rw)
#else
#define RW_WATCH(l)	do { } while (0)
#define RW_RESTART()	do { } while (0)
#define RW_PARAM
#define RW_ARG
#define RW_CHECK()	do { } while (0)
#endif

/* arch_spin_lock() of the wait lock, with the brief slow path. */
static void wait_lock_acquire(struct qspinlock *lock)
{
	u8 free = 0;

	/* Acquire: the wait lock's critical section starts after it is ours. */
	if (likely(__atomic_compare_exchange_n(&lock->locked, &free, _Q_LOCKED_VAL, 0,
					       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)))
		return;
	lksync_queued_spin_lock_slowpath_brief(lock, free);
}

/*
 * cpu_relax() rounds before sleeping: barely any. A waiter here waits for a
 * writer or for readers to leave, and while it spins the running readers'
 * count updates bounce the word between CPUs; asleep, it leaves the CPU to
 * tasks that get work done on a line they keep (90/10 mix, 4 threads on 2
 * CPUs: 50 Mops/s spinning 512 rounds, 85-105 parking at once).
 */
#ifndef QRW_SPINS
#define QRW_SPINS	2
#endif
#define QRW_PARK_NS	1000000		/* bound of one sleep (lost wake-up window) */

/*
 * Wait until (cnts & @mask) == @want and return that value, spinning a
 * bounded time, then sleeping on the word. The returned value is read with
 * ACQUIRE, so what the releasing holder wrote is visible to the caller.
 *
 * Against readers (an RMW each) no wake-up is lost: our RMW that sets
 * _QW_PARKED and theirs are ordered on the word, and the futex value check
 * fails if theirs lands after ours but before we sleep. Against a writer:
 * queued_write_unlock() loads the word, then either stores the byte (no
 * _QW_PARKED) or releases and clears _QW_PARKED in one RMW and wakes us. We
 * set _QW_PARKED with a seq_cst RMW, run lksync_membarrier_heavy() (every
 * other thread then has executed a full barrier), then futex-wait expecting
 * the word unchanged. If the writer's load comes after its barrier, it sees
 * _QW_PARKED and wakes us; if its load and store both come before, the store
 * is visible to our futex check. Left over: a writer interrupted between its
 * load and its store (or no membarrier, or TSan, which skips it): the store
 * lands after our check and nobody wakes us. Hence every sleep is bounded; a
 * timeout costs one futex call, which sleeps again while the word is
 * unchanged and returns at once when that store has landed.
 */
static u32 qrwlock_wait(struct qrwlock *lock, u32 mask, u32 want RW_PARAM)
{
	static const struct timespec bound = { 0, QRW_PARK_NS };
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
			/* Make a writer's store that already ran visible (above). */
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
		while (lksync_futex_wait(&lock->cnts, cnts, &bound) == -ETIMEDOUT)
			RW_CHECK();
		RW_CHECK();
	}
}

void lksync_qrwlock_wake(struct qrwlock *lock)
{
	/*
	 * The caller has released @lock, which may be freed by now. FUTEX_WAKE
	 * keys on (process, address) and never reads or writes the word: on
	 * freed or reused memory it wakes nobody, or a waiter that tolerates
	 * spurious wake-ups as every futex waiter does.
	 */
	lksync_futex_wake(&lock->cnts, INT_MAX);
}

void lksync_queued_write_unlock_slowpath(struct qrwlock *lock)
{
	/*
	 * Release: the write section happens before the next holders'. One RMW
	 * releases the lock and clears _QW_PARKED; after it we touch @lock no
	 * more (every sleeper is woken; those still unsatisfied set it again).
	 */
	__atomic_fetch_and(&lock->cnts, ~(_QW_LOCKED | _QW_PARKED), __ATOMIC_RELEASE);
	lksync_qrwlock_wake(lock);
}

void lksync_queued_read_lock_slowpath(struct qrwlock *lock)
{
	/*
	 * In interrupt context, keep the read count taken in the fast path and
	 * wait only for an active writer: a waiting writer cannot take the lock
	 * while we count, so an interrupt never deadlocks against a writer
	 * queued behind the reader it interrupted.
	 */
	RW_WATCH(lock);

	if (unlikely(in_interrupt())) {
		qrwlock_wait(lock, _QW_LOCKED, 0 RW_ARG);
		return;
	}
	/* Back out and queue behind the writer (queued_read_unlock() wakes if due). */
	queued_read_unlock(lock);
	wait_lock_acquire(&lock->wait_lock);
	RW_RESTART();
	/* Relaxed: the wait below reads the word with acquire. */
	__atomic_fetch_add(&lock->cnts, _QR_BIAS, __ATOMIC_RELAXED);
	/* Only an active writer can hold us up now: queued writers are behind us. */
	qrwlock_wait(lock, _QW_LOCKED, 0 RW_ARG);
	/* The next waiter in the queue may be a reader that can share with us. */
	arch_spin_unlock(&lock->wait_lock);
}

void lksync_queued_write_lock_slowpath(struct qrwlock *lock)
{
	u32 cnts;
	RW_WATCH(lock);

	wait_lock_acquire(&lock->wait_lock);
	/* Relaxed: the cmpxchg decides. */
	cnts = __atomic_load_n(&lock->cnts, __ATOMIC_RELAXED);
	/* Acquire: the write section starts after the previous holders' release. */
	if (!(cnts & ~_QW_PARKED) &&
	    __atomic_compare_exchange_n(&lock->cnts, &cnts, _QW_LOCKED, 0,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		goto unlock;
	/* Relaxed: new readers see it and queue; ordering comes from the cmpxchg. */
	__atomic_fetch_or(&lock->cnts, _QW_WAITING, __ATOMIC_RELAXED);
	RW_RESTART();
	do {
		cnts = qrwlock_wait(lock, ~_QW_PARKED, _QW_WAITING RW_ARG);
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
