// SPDX-License-Identifier: MIT
/*
 * Layer: locking. The debug flavor's spinlock and rwlock operations, out of
 * line as the kernel's kernel/locking/spinlock.c is when lock debugging is
 * on: one body per variant (the builders in <lksync/spinlock.h> and
 * <lksync/rwlock.h>), so that the caller's address (_RET_IP_) is where the
 * lock was taken, which lockdep and lock_stat record. The release flavor
 * inlines the same bodies and compiles nothing here.
 */
#include <lksync/spinlock.h>
#include <lksync/rwlock.h>

#ifdef LKSYNC_DEBUG

__LKSYNC_BUILD_LOCK_OPS(noinline, lksync_raw_spin, )
__LKSYNC_BUILD_LOCK_OPS(noinline, lksync_raw_spin, _irq)
__LKSYNC_BUILD_LOCK_OPS(noinline, lksync_raw_spin, _irqsave)
__LKSYNC_BUILD_LOCK_OPS(noinline, lksync_raw_spin, _bh)

__LKSYNC_BUILD_RWLOCK_OPS(noinline, lksync_, read, )
__LKSYNC_BUILD_RWLOCK_OPS(noinline, lksync_, read, _irq)
__LKSYNC_BUILD_RWLOCK_OPS(noinline, lksync_, read, _irqsave)
__LKSYNC_BUILD_RWLOCK_OPS(noinline, lksync_, read, _bh)
__LKSYNC_BUILD_RWLOCK_OPS(noinline, lksync_, write, )
__LKSYNC_BUILD_RWLOCK_OPS(noinline, lksync_, write, _irq)
__LKSYNC_BUILD_RWLOCK_OPS(noinline, lksync_, write, _irqsave)
__LKSYNC_BUILD_RWLOCK_OPS(noinline, lksync_, write, _bh)

#endif /* LKSYNC_DEBUG */
