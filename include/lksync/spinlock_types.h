/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. Spinlock types and static initializers only, so that other
 * types headers (rwlock, seqlock) can embed a spinlock without pulling in the
 * operations. Includes arch-layer headers only.
 *
 * arch_spinlock_t is the bare 4-byte queued spinlock word (see
 * src/locking/qspinlock.c for its states); raw_spinlock_t and spinlock_t wrap
 * it. In the release flavor all three are 4 bytes.
 */
#ifndef LKSYNC_SPINLOCK_TYPES_H
#define LKSYNC_SPINLOCK_TYPES_H

#include <lksync/compiler.h>
#include <lksync/types.h>

/*
 * The lock word: locked byte (bits 0-7), flags byte (bits 8-15), MCS queue
 * tail (bits 16-31). The byte views let the unlock store one byte.
 */
typedef struct qspinlock {
	union {
		u32 val;
		struct {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			u8 locked;
			u8 flags;
			u16 tail;
#else
			u16 tail;
			u8 flags;
			u8 locked;
#endif
		};
	};
} arch_spinlock_t;

/* __ARCH_SPIN_LOCK_UNLOCKED - initializer of an unlocked arch_spinlock_t. */
#define __ARCH_SPIN_LOCK_UNLOCKED	{ { .val = 0 } }

/* raw_spinlock_t - a spinlock that stays a spinning lock in every configuration. */
typedef struct raw_spinlock {
	arch_spinlock_t raw_lock;
} raw_spinlock_t;

/* spinlock_t - the kernel's spinlock; the debug flavor may add fields. */
typedef struct spinlock {
	union {
		struct raw_spinlock rlock;
	};
} spinlock_t;

BUILD_BUG_ON(sizeof(arch_spinlock_t) != 4);
BUILD_BUG_ON(sizeof(raw_spinlock_t) != 4);
BUILD_BUG_ON(sizeof(spinlock_t) != 4);

#define __RAW_SPIN_LOCK_INITIALIZER(lockname)	{ .raw_lock = __ARCH_SPIN_LOCK_UNLOCKED }
/* __RAW_SPIN_LOCK_UNLOCKED - an unlocked raw_spinlock_t value named @lockname. */
#define __RAW_SPIN_LOCK_UNLOCKED(lockname)	\
	((raw_spinlock_t)__RAW_SPIN_LOCK_INITIALIZER(lockname))
/* DEFINE_RAW_SPINLOCK - define and initialize an unlocked raw_spinlock_t @x. */
#define DEFINE_RAW_SPINLOCK(x)	raw_spinlock_t x = __RAW_SPIN_LOCK_UNLOCKED(x)

#define ___SPIN_LOCK_INITIALIZER(lockname)	{ .raw_lock = __ARCH_SPIN_LOCK_UNLOCKED }
#define __SPIN_LOCK_INITIALIZER(lockname)	\
	{ { .rlock = ___SPIN_LOCK_INITIALIZER(lockname) } }
/* __SPIN_LOCK_UNLOCKED - an unlocked spinlock_t value named @lockname. */
#define __SPIN_LOCK_UNLOCKED(lockname)	((spinlock_t)__SPIN_LOCK_INITIALIZER(lockname))
/* DEFINE_SPINLOCK - define and initialize an unlocked spinlock_t @x. */
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED(x)

/*
 * SPIN_LOCK_UNLOCKED - legacy (removed from the kernel in 2.6.39): an
 * anonymous unlocked spinlock_t value. Prefer DEFINE_SPINLOCK() or
 * spin_lock_init(), which give each lock its own name for lock debugging.
 */
#define SPIN_LOCK_UNLOCKED	__SPIN_LOCK_UNLOCKED(old_style_spin_init)

#endif /* LKSYNC_SPINLOCK_TYPES_H */
