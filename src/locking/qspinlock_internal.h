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

#endif /* LKSYNC_SRC_LOCKING_QSPINLOCK_INTERNAL_H */
