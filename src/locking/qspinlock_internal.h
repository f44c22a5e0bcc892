/* SPDX-License-Identifier: MIT */
/* Layer: locking (private). Queued-spinlock entry points shared inside the library. */
#ifndef LKSYNC_SRC_LOCKING_QSPINLOCK_INTERNAL_H
#define LKSYNC_SRC_LOCKING_QSPINLOCK_INTERNAL_H

#include <lksync/qspinlock.h>

#ifndef LKSYNC_UP
/*
 * The spinlock slow path with short spin bounds, for locks whose holder is
 * itself waiting for other tasks (the queued rwlock's wait lock): spinning
 * behind it only keeps a CPU from the tasks it waits for. Not exported.
 */
void lksync_queued_spin_lock_slowpath_brief(struct qspinlock *lock, u32 val);
#endif

#ifdef LKSYNC_DEBUG
/*
 * The spinlock lockup detector (DEBUG_SPINLOCK, src/debug/spinlock_debug.c):
 * lksync_spin_lockup_bound() is how long a task may wait for a lock with no
 * progress, in ns (0: no bound). The slow path asks
 * lksync_spin_lockup_progress() at each look whether the lock has changed
 * hands since its previous look (1: yes, or not known: the watch starts
 * again), and calls lksync_spin_lockup() once when one holder has kept it
 * past the bound, which reports "spinlock lockup suspected" naming the
 * holder. The release flavor has none of them.
 */
u64 lksync_spin_lockup_bound(void);
int lksync_spin_lockup_progress(struct qspinlock *lock);
void lksync_spin_lockup(struct qspinlock *lock, u64 waited_ns);

/*
 * The same for the queued rwlock's slow paths (src/locking/qrwlock.c):
 * lksync_rwlock_lockup_progress() tells whether @lock has changed hands
 * since the previous look (1: yes, or @lock is not the rwlock_t this task
 * is taking: no watch) and lksync_rwlock_lockup() reports "BUG: read-lock
 * lockup" or "BUG: write-lock lockup", naming the writer holding it.
 */
struct qrwlock;
int lksync_rwlock_lockup_progress(struct qrwlock *lock);
void lksync_rwlock_lockup(struct qrwlock *lock, u64 waited_ns);
#endif

#endif /* LKSYNC_SRC_LOCKING_QSPINLOCK_INTERNAL_H */
