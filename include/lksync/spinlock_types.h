/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. Spinlock types and static initializers only, so that other
 * types headers (rwlock, seqlock) can embed a spinlock without pulling in the
 * operations. Includes arch-layer headers and lockdep.h only.
 *
 * arch_spinlock_t is the bare 4-byte queued spinlock word (see
 * src/locking/qspinlock.c for its states); raw_spinlock_t and spinlock_t wrap
 * it. In the release flavor all three are 4 bytes.
 *
 * The debug flavor (LKSYNC_DEBUG) adds the kernel's DEBUG_SPINLOCK fields
 * (magic, owner, owner_cpu: src/debug/spinlock_debug.c checks them) and a
 * lockdep map. A statically initialized lock is its own lockdep class (its
 * map's key is left NULL, which the validator reads as "this map's own
 * address", as the kernel's static_obj() rule: such a lock must be in static
 * storage, or a static per-CPU variable, else lockdep reports "trying to
 * register non-static key"); spin_lock_init() gives every lock initialized
 * at one place in the source one class.
 */
#ifndef LKSYNC_SPINLOCK_TYPES_H
#define LKSYNC_SPINLOCK_TYPES_H

#include <stddef.h>
#include <lksync/compiler.h>
#include <lksync/types.h>
#include <lksync/lockdep.h>

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

#ifdef LKSYNC_DEBUG
#define SPINLOCK_MAGIC		0xdead4ead
#define SPINLOCK_OWNER_INIT	((void *)-1L)
#endif

/* raw_spinlock_t - a spinlock that stays a spinning lock in every configuration. */
typedef struct raw_spinlock {
	arch_spinlock_t raw_lock;
#ifdef LKSYNC_DEBUG
	unsigned int magic, owner_cpu;	/* SPINLOCK_MAGIC; holder's CPU or -1 */
	void *owner;			/* holder's task or SPINLOCK_OWNER_INIT */
	struct lockdep_map dep_map;
#endif
} raw_spinlock_t;

#ifdef LKSYNC_DEBUG
/* spinlock_t's dep_map overlays its raw lock's, as the kernel's padding trick. */
#define LOCK_PADSIZE	(offsetof(struct raw_spinlock, dep_map))
#endif

/* spinlock_t - the kernel's spinlock; the debug flavor adds fields. */
typedef struct spinlock {
	union {
		struct raw_spinlock rlock;
#ifdef LKSYNC_DEBUG
		struct {
			u8 __padding[LOCK_PADSIZE];
			struct lockdep_map dep_map;
		};
#endif
	};
} spinlock_t;

#ifndef LKSYNC_DEBUG
BUILD_BUG_ON(sizeof(arch_spinlock_t) != 4);
BUILD_BUG_ON(sizeof(raw_spinlock_t) != 4);
BUILD_BUG_ON(sizeof(spinlock_t) != 4);
#else
BUILD_BUG_ON(sizeof(arch_spinlock_t) != 4);
#endif

#ifdef LKSYNC_DEBUG
#define SPIN_DEBUG_INIT(lockname)						\
	.magic = SPINLOCK_MAGIC, .owner_cpu = -1, .owner = SPINLOCK_OWNER_INIT,
/* The lockdep map of a static lock: class key @key (NULL: the map itself). */
#define SPIN_DEP_MAP_INIT_KEY(lockname, wait, _key)				\
	.dep_map = { .key = (void *)(_key), .name = #lockname,			\
		     .wait_type_inner = (wait) },
#else
#define SPIN_DEBUG_INIT(lockname)
#define SPIN_DEP_MAP_INIT_KEY(lockname, wait, _key)
#endif

#define __RAW_SPIN_LOCK_INITIALIZER_KEY(lockname, key)				\
	{ .raw_lock = __ARCH_SPIN_LOCK_UNLOCKED,				\
	  SPIN_DEBUG_INIT(lockname)						\
	  SPIN_DEP_MAP_INIT_KEY(lockname, LD_WAIT_SPIN, key) }
#define __RAW_SPIN_LOCK_INITIALIZER(lockname)					\
	__RAW_SPIN_LOCK_INITIALIZER_KEY(lockname, NULL)
/* __RAW_SPIN_LOCK_UNLOCKED - an unlocked raw_spinlock_t value named @lockname. */
#define __RAW_SPIN_LOCK_UNLOCKED(lockname)	\
	((raw_spinlock_t)__RAW_SPIN_LOCK_INITIALIZER(lockname))
/* DEFINE_RAW_SPINLOCK - define and initialize an unlocked raw_spinlock_t @x. */
#define DEFINE_RAW_SPINLOCK(x)							\
	raw_spinlock_t x = __RAW_SPIN_LOCK_INITIALIZER(x)

#define ___SPIN_LOCK_INITIALIZER_KEY(lockname, key)				\
	{ .raw_lock = __ARCH_SPIN_LOCK_UNLOCKED,				\
	  SPIN_DEBUG_INIT(lockname)						\
	  SPIN_DEP_MAP_INIT_KEY(lockname, LD_WAIT_CONFIG, key) }
#define ___SPIN_LOCK_INITIALIZER(lockname)					\
	___SPIN_LOCK_INITIALIZER_KEY(lockname, NULL)
#define __SPIN_LOCK_INITIALIZER(lockname)	\
	{ { .rlock = ___SPIN_LOCK_INITIALIZER(lockname) } }
/* __SPIN_LOCK_UNLOCKED - an unlocked spinlock_t value named @lockname. */
#define __SPIN_LOCK_UNLOCKED(lockname)	((spinlock_t)__SPIN_LOCK_INITIALIZER(lockname))
/* DEFINE_SPINLOCK - define and initialize an unlocked spinlock_t @x (its own lockdep class). */
#define DEFINE_SPINLOCK(x)							\
	spinlock_t x = { { .rlock = ___SPIN_LOCK_INITIALIZER(x) } }

/*
 * SPIN_LOCK_UNLOCKED - legacy (removed from the kernel in 2.6.39): an
 * anonymous unlocked spinlock_t value. Prefer DEFINE_SPINLOCK() or
 * spin_lock_init(), which give each lock its own name for lock debugging.
 */
#define SPIN_LOCK_UNLOCKED	__SPIN_LOCK_UNLOCKED(old_style_spin_init)

#endif /* LKSYNC_SPINLOCK_TYPES_H */
