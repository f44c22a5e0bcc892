/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking (private). What the sleeping locks' slow paths call in the
 * debug flavor, implemented by the debug layer (src/debug/mutex_debug.c).
 * Debug flavor only.
 */
#ifndef LKSYNC_SRC_LOCKING_DEBUG_HOOKS_H
#define LKSYNC_SRC_LOCKING_DEBUG_HOOKS_H

#include <lksync/types.h>

#ifdef LKSYNC_DEBUG
struct mutex;

/*
 * The hung-task check of a mutex waiter: lksync_hung_task_bound() is how
 * long a task may wait for a mutex, in ns (0: no bound); a waiter past it
 * calls lksync_mutex_hung() once, which reports "INFO: task ... blocked for
 * more than N seconds." naming the holder (and a self-deadlock as such).
 */
u64 lksync_hung_task_bound(void);
void lksync_mutex_hung(struct mutex *lock, u64 waited_ns);
#endif

#endif /* LKSYNC_SRC_LOCKING_DEBUG_HOOKS_H */
