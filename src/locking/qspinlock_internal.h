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
 * lksync_spin_lockup_bound() is how long a task may wait for a lock, in ns
 * (0: no bound); the slow path calls lksync_spin_lockup() once per
 * acquisition that waits longer, which reports "spinlock lockup suspected"
 * naming the holder. The release flavor has neither.
 */
u64 lksync_spin_lockup_bound(void);
void lksync_spin_lockup(struct qspinlock *lock, u64 waited_ns);
#endif

#endif /* LKSYNC_SRC_LOCKING_QSPINLOCK_INTERNAL_H */
