/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. Reader-writer spinlock types and static initializers only,
 * as linux/rwlock_types.h. Includes arch-layer headers and spinlock_types.h.
 *
 * arch_rwlock_t is the queued rwlock: a 32-bit count word (reader count in
 * the upper bits, writer state in the low byte and bits; the states are
 * listed at the top of src/locking/qrwlock.c) and a queued spinlock that
 * orders contending waiters FIFO. rwlock_t wraps it; 8 bytes in the release
 * flavor.
 */
#ifndef LKSYNC_RWLOCK_TYPES_H
#define LKSYNC_RWLOCK_TYPES_H

#include <lksync/compiler.h>
#include <lksync/types.h>
#include <lksync/spinlock_types.h>

typedef struct qrwlock {
	union {
		u32 cnts;
		struct {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			u8 wlocked;	/* _QW_LOCKED: a writer holds the lock */
			u8 __lstate[3];
#else
			u8 __lstate[3];
			u8 wlocked;
#endif
		};
	};
	arch_spinlock_t wait_lock;
} arch_rwlock_t;

/* __ARCH_RW_LOCK_UNLOCKED - initializer of an unlocked arch_rwlock_t. */
#define __ARCH_RW_LOCK_UNLOCKED	{ { .cnts = 0 }, .wait_lock = __ARCH_SPIN_LOCK_UNLOCKED }

/* rwlock_t - the kernel's reader-writer spinlock; the debug flavor may add fields. */
typedef struct {
	arch_rwlock_t raw_lock;
} rwlock_t;

#if !defined(LKSYNC_DEBUG)
BUILD_BUG_ON(sizeof(rwlock_t) != 8);
#endif

#define __RW_LOCK_INITIALIZER(lockname)	{ .raw_lock = __ARCH_RW_LOCK_UNLOCKED }
/* __RW_LOCK_UNLOCKED - an unlocked rwlock_t value named @lockname. */
#define __RW_LOCK_UNLOCKED(lockname)	((rwlock_t)__RW_LOCK_INITIALIZER(lockname))
/* DEFINE_RWLOCK - define and initialize an unlocked rwlock_t @x. */
#define DEFINE_RWLOCK(x)	rwlock_t x = __RW_LOCK_UNLOCKED(x)
/*
 * RW_LOCK_UNLOCKED - legacy (removed from the kernel in 2.6.39): an anonymous
 * unlocked rwlock_t value. Prefer DEFINE_RWLOCK() or rwlock_init().
 */
#define RW_LOCK_UNLOCKED	__RW_LOCK_UNLOCKED(old_style_rw_init)

#endif /* LKSYNC_RWLOCK_TYPES_H */
