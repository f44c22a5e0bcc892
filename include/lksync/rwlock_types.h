/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. Reader-writer spinlock types and static initializers only,
 * as linux/rwlock_types.h. Includes arch-layer headers and spinlock_types.h.
 *
 * arch_rwlock_t is the queued rwlock: a 32-bit count word (reader count in
 * the upper bits, writer state in the low byte and bits; the states are
 * listed at the top of src/locking/qrwlock.c) and a queued spinlock that
 * orders contending waiters FIFO. rwlock_t wraps it; 8 bytes in the release
 * flavor. The debug flavor adds DEBUG_SPINLOCK's magic and writer owner and a
 * lockdep map (see spinlock_types.h for the classes).
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

#ifdef LKSYNC_DEBUG
#define RWLOCK_MAGIC		0xdeaf1eed
#endif

/* rwlock_t - the kernel's reader-writer spinlock; the debug flavor adds fields. */
typedef struct {
	arch_rwlock_t raw_lock;
#ifdef LKSYNC_DEBUG
	unsigned int magic, owner_cpu;	/* RWLOCK_MAGIC; the writer's CPU or -1 */
	void *owner;			/* the writer's task or SPINLOCK_OWNER_INIT */
	struct lockdep_map dep_map;
#endif
} rwlock_t;

#if !defined(LKSYNC_DEBUG)
BUILD_BUG_ON(sizeof(rwlock_t) != 8);
#endif

#ifdef LKSYNC_DEBUG
#define RW_DEBUG_INIT(lockname)							\
	.magic = RWLOCK_MAGIC, .owner_cpu = -1, .owner = SPINLOCK_OWNER_INIT,
#else
#define RW_DEBUG_INIT(lockname)
#endif

#define __RW_LOCK_INITIALIZER_KEY(lockname, key)				\
	{ .raw_lock = __ARCH_RW_LOCK_UNLOCKED,					\
	  RW_DEBUG_INIT(lockname)						\
	  SPIN_DEP_MAP_INIT_KEY(lockname, LD_WAIT_CONFIG, key) }
#define __RW_LOCK_INITIALIZER(lockname)	__RW_LOCK_INITIALIZER_KEY(lockname, NULL)
/* __RW_LOCK_UNLOCKED - an unlocked rwlock_t value named @lockname. */
#define __RW_LOCK_UNLOCKED(lockname)	((rwlock_t)__RW_LOCK_INITIALIZER(lockname))
/* DEFINE_RWLOCK - define and initialize an unlocked rwlock_t @x (its own lockdep class). */
#define DEFINE_RWLOCK(x)	rwlock_t x = __RW_LOCK_INITIALIZER_KEY(x, NULL)
/*
 * RW_LOCK_UNLOCKED - legacy (removed from the kernel in 2.6.39): an anonymous
 * unlocked rwlock_t value. Prefer DEFINE_RWLOCK() or rwlock_init().
 */
#define RW_LOCK_UNLOCKED	__RW_LOCK_UNLOCKED(old_style_rw_init)

#endif /* LKSYNC_RWLOCK_TYPES_H */
