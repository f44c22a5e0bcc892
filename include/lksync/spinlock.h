/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. Spinlocks, as linux/spinlock.h: raw_spin_*() and spin_*()
 * with their _irq, _irqsave/_irqrestore and _bh variants. Includes the
 * sched layer (preempt/irqflags/bottom_half) and qspinlock.h.
 *
 * Each variant is one context prologue/epilogue around the arch lock,
 * generated once by __LKSYNC_BUILD_LOCK_OPS below:
 *   ""        preempt_disable()
 *   _irq      local_irq_disable(), then preempt_disable()
 *   _irqsave  local_irq_save(flags), then preempt_disable()
 *   _bh       SOFTIRQ_LOCK_OFFSET: bottom halves and preemption disabled
 * The lock is taken after the prologue and released before the epilogue,
 * which undoes it in reverse; a failed trylock runs the epilogue too.
 * In the uniprocessor build (LKSYNC_UP) only the bookkeeping remains.
 */
#ifndef LKSYNC_SPINLOCK_H
#define LKSYNC_SPINLOCK_H

#include <lksync/cleanup.h>
#include <lksync/compiler.h>
#include <lksync/bug.h>
#include <lksync/processor.h>
#include <lksync/preempt.h>
#include <lksync/irqflags.h>
#include <lksync/bottom_half.h>
#include <lksync/spinlock_types.h>
#include <lksync/qspinlock.h>
#include <lksync/atomic.h>

#ifndef PREEMPT_LOCK_OFFSET
#define PREEMPT_LOCK_OFFSET	PREEMPT_DISABLE_OFFSET
#endif
#ifndef SOFTIRQ_LOCK_OFFSET
/* What spin_lock_bh() adds to preempt_count: bh disabled plus preempt disabled. */
#define SOFTIRQ_LOCK_OFFSET	(SOFTIRQ_DISABLE_OFFSET + PREEMPT_LOCK_OFFSET)
#endif

#ifndef LKSYNC_DEBUG
static __always_inline void do_raw_spin_lock(raw_spinlock_t *lock)
{
	arch_spin_lock(&lock->raw_lock);
}

static __always_inline int do_raw_spin_trylock(raw_spinlock_t *lock)
{
	return arch_spin_trylock(&lock->raw_lock);
}

static __always_inline void do_raw_spin_unlock(raw_spinlock_t *lock)
{
	arch_spin_unlock(&lock->raw_lock);
}
#define __do_raw_spin_lock_try(lock)	do_raw_spin_trylock(lock)
#else
/*
 * DEBUG_SPINLOCK (src/debug/spinlock_debug.c): the arch operations wrapped
 * in the magic, owner and lockup checks. __do_raw_spin_lock_try() is the
 * first try of a blocking lock (LOCK_CONTENDED()): it checks for bad magic
 * and recursion before trying, as do_raw_spin_lock() does before spinning.
 */
LKSYNC_API void lksync_do_raw_spin_lock(raw_spinlock_t *lock);
LKSYNC_API int lksync_do_raw_spin_trylock(raw_spinlock_t *lock);
LKSYNC_API int lksync_do_raw_spin_lock_try(raw_spinlock_t *lock);
LKSYNC_API void lksync_do_raw_spin_unlock(raw_spinlock_t *lock);
LKSYNC_API void lksync_raw_spin_lock_init(raw_spinlock_t *lock, const char *name,
					  struct lock_class_key *key, short inner);
#define do_raw_spin_lock(lock)		lksync_do_raw_spin_lock(lock)
#define do_raw_spin_trylock(lock)	lksync_do_raw_spin_trylock(lock)
#define do_raw_spin_unlock(lock)	lksync_do_raw_spin_unlock(lock)
#define __do_raw_spin_lock_try(lock)	lksync_do_raw_spin_lock_try(lock)
#define __raw_spin_lock_init(lock, name, key, inner)				\
	lksync_raw_spin_lock_init(lock, name, key, inner)
/*
 * The lockup detector's bound in milliseconds: a task that waits longer for
 * a spinlock reports "spinlock lockup suspected" (default 1000; 0: off; -1:
 * read LKSYNC_SPIN_LOCKUP_MS from the environment at the next wait).
 */
extern LKSYNC_API long lksync_spin_lockup_ms;
#endif

/* Context prologues and epilogues, @f: unsigned long * (used by _irqsave only). */
#define __LKSYNC_ENTER_(f)	preempt_disable()
#define __LKSYNC_EXIT_(f)	preempt_enable()
#define __LKSYNC_ENTER__irq(f)	do { local_irq_disable(); preempt_disable(); } while (0)
#define __LKSYNC_EXIT__irq(f)	do { local_irq_enable(); preempt_enable(); } while (0)
#define __LKSYNC_ENTER__irqsave(f) do { local_irq_save(*(f)); preempt_disable(); } while (0)
#define __LKSYNC_EXIT__irqsave(f) do { local_irq_restore(*(f)); preempt_enable(); } while (0)
/* As the kernel's __local_bh_disable_ip(SOFTIRQ_LOCK_OFFSET) / __local_bh_enable_ip(). */
#define __LKSYNC_ENTER__bh(f)	preempt_count_add(SOFTIRQ_LOCK_OFFSET)
#define __LKSYNC_EXIT__bh(f)	do { local_bh_enable(); preempt_enable(); } while (0)

/*
 * One body per variant, as the kernel's __raw_spin_lock*(): the prologue,
 * then lockdep's acquire (before a blocking lock, so a deadlock is reported
 * before it happens; a trylock reports only success), then the lock with
 * lock_stat's contended/acquired around a failed first try; the unlock
 * releases for lockdep first. @pfx names the functions: inline in the
 * release flavor, where every hook compiles away and the body is just the
 * prologue and the arch operation; out of line in the debug flavor
 * (src/locking/spinlock.c), so that _RET_IP_ is the lock's caller.
 */
#define __LKSYNC_BUILD_LOCK_OPS(qual, pfx, sfx)					\
qual void pfx##_lock##sfx(raw_spinlock_t *lock, unsigned long *flags __maybe_unused,	\
			  unsigned int subclass __maybe_unused,			\
			  struct lockdep_map *nest __maybe_unused)		\
{										\
	__LKSYNC_ENTER_##sfx(flags);						\
	spin_acquire_nest(&lock->dep_map, subclass, 0, nest, _RET_IP_);	\
	LOCK_CONTENDED(lock, __do_raw_spin_lock_try, do_raw_spin_lock);	\
}										\
qual int pfx##_trylock##sfx(raw_spinlock_t *lock, unsigned long *flags __maybe_unused) \
{										\
	__LKSYNC_ENTER_##sfx(flags);						\
	if (do_raw_spin_trylock(lock)) {					\
		spin_acquire(&lock->dep_map, 0, 1, _RET_IP_);			\
		return 1;							\
	}									\
	__LKSYNC_EXIT_##sfx(flags);						\
	return 0;								\
}										\
qual void pfx##_unlock##sfx(raw_spinlock_t *lock, unsigned long *flags __maybe_unused) \
{										\
	spin_release(&lock->dep_map, _RET_IP_);					\
	do_raw_spin_unlock(lock);						\
	__LKSYNC_EXIT_##sfx(flags);						\
}

#ifndef LKSYNC_DEBUG
#define __LKSYNC_LOCK_OPS(sfx)	__LKSYNC_BUILD_LOCK_OPS(static __always_inline, _raw_spin, sfx)
#else
#define __LKSYNC_LOCK_OPS(sfx)							\
LKSYNC_API void lksync_raw_spin_lock##sfx(raw_spinlock_t *lock, unsigned long *flags,	\
					  unsigned int subclass, struct lockdep_map *nest); \
LKSYNC_API int lksync_raw_spin_trylock##sfx(raw_spinlock_t *lock, unsigned long *flags); \
LKSYNC_API void lksync_raw_spin_unlock##sfx(raw_spinlock_t *lock, unsigned long *flags); \
static __always_inline void _raw_spin_lock##sfx(raw_spinlock_t *lock, unsigned long *flags, \
						unsigned int subclass,		\
						struct lockdep_map *nest)	\
{										\
	lksync_raw_spin_lock##sfx(lock, flags, subclass, nest);			\
}										\
static __always_inline int _raw_spin_trylock##sfx(raw_spinlock_t *lock, unsigned long *flags) \
{										\
	return lksync_raw_spin_trylock##sfx(lock, flags);			\
}										\
static __always_inline void _raw_spin_unlock##sfx(raw_spinlock_t *lock, unsigned long *flags) \
{										\
	lksync_raw_spin_unlock##sfx(lock, flags);				\
}
#endif

__LKSYNC_LOCK_OPS()
__LKSYNC_LOCK_OPS(_irq)
__LKSYNC_LOCK_OPS(_irqsave)
__LKSYNC_LOCK_OPS(_bh)

/* Restore the irqsave name for the epilogue of a restore. */
#define _raw_spin_unlock_irqrestore	_raw_spin_unlock_irqsave

/**
 * raw_spin_lock_init - initialize @lock as unlocked. Context: any; @lock not in use.
 * In the debug flavor every lock initialized at this place is one lockdep class.
 */
#ifndef LKSYNC_DEBUG
#define raw_spin_lock_init(lock)	do { *(lock) = __RAW_SPIN_LOCK_UNLOCKED(lock); } while (0)
#else
#define raw_spin_lock_init(lock)						\
do {										\
	static struct lock_class_key __key;					\
										\
	__raw_spin_lock_init((lock), #lock, &__key, LD_WAIT_SPIN);		\
} while (0)
#endif

/**
 * raw_spin_lock - acquire @lock with preemption disabled; spins (then sleeps in
 * the futex slow path) while another task holds it. Not recursive.
 * Context: any; must not already hold @lock.
 */
#define raw_spin_lock(lock)		_raw_spin_lock(lock, NULL, 0, NULL)
/*
 * raw_spin_lock_nested - raw_spin_lock() as lockdep subclass @subclass (an
 * intended nesting of two locks of one class; ignored in the release flavor).
 */
#define raw_spin_lock_nested(lock, subclass)					\
	_raw_spin_lock(lock, NULL, subclass, NULL)
/*
 * raw_spin_lock_nest_lock - raw_spin_lock() of one of many locks of a class,
 * all taken under @nest_lock, which the caller holds (lockdep then allows any
 * number of them in any order). Ignored in the release flavor.
 */
#ifdef LKSYNC_DEBUG
#define raw_spin_lock_nest_lock(lock, nest_lock)				\
	_raw_spin_lock(lock, NULL, 0, &(nest_lock)->dep_map)
#else
#define raw_spin_lock_nest_lock(lock, nest_lock)				\
	do { (void)(nest_lock); raw_spin_lock(lock); } while (0)
#endif
/**
 * raw_spin_lock_irq - disable local interrupts, then raw_spin_lock().
 * Context: interrupts enabled (raw_spin_unlock_irq() enables them unconditionally).
 */
#define raw_spin_lock_irq(lock)		_raw_spin_lock_irq(lock, NULL, 0, NULL)
/**
 * raw_spin_lock_irqsave - save and disable local interrupts into @flags
 * (an unsigned long lvalue), then raw_spin_lock(). Context: any.
 */
#define raw_spin_lock_irqsave(lock, flags) _raw_spin_lock_irqsave(lock, &(flags), 0, NULL)
/* raw_spin_lock_irqsave_nested - raw_spin_lock_irqsave() with a lockdep subclass. */
#define raw_spin_lock_irqsave_nested(lock, flags, subclass)			\
	_raw_spin_lock_irqsave(lock, &(flags), subclass, NULL)
/**
 * raw_spin_lock_bh - disable bottom halves (and preemption), then take @lock.
 * Context: process or softirq context.
 */
#define raw_spin_lock_bh(lock)		_raw_spin_lock_bh(lock, NULL, 0, NULL)

/**
 * raw_spin_trylock - take @lock if that needs no waiting.
 * Context: any. Return: 1 if acquired (preemption now disabled), 0 if not
 * (nothing changed).
 */
#define raw_spin_trylock(lock)		_raw_spin_trylock(lock, NULL)
/**
 * raw_spin_trylock_irq - raw_spin_trylock() with local interrupts disabled on
 * success. Context: interrupts enabled. Return: 1 if acquired, 0 if not
 * (interrupts enabled again).
 */
#define raw_spin_trylock_irq(lock)	_raw_spin_trylock_irq(lock, NULL)
/**
 * raw_spin_trylock_irqsave - save interrupt state into @flags and disable
 * interrupts, then try @lock. Context: any. Return: 1 if acquired, 0 if not
 * (interrupt state restored from @flags).
 */
#define raw_spin_trylock_irqsave(lock, flags) _raw_spin_trylock_irqsave(lock, &(flags))
/**
 * raw_spin_trylock_bh - raw_spin_trylock() with bottom halves disabled on
 * success. Context: process or softirq context. Return: 1 if acquired, 0 if not.
 */
#define raw_spin_trylock_bh(lock)	_raw_spin_trylock_bh(lock, NULL)

/* raw_spin_unlock - release @lock, then re-enable preemption. Context: holder. */
#define raw_spin_unlock(lock)		_raw_spin_unlock(lock, NULL)
/* raw_spin_unlock_irq - release @lock, enable interrupts and preemption. Context: holder. */
#define raw_spin_unlock_irq(lock)	_raw_spin_unlock_irq(lock, NULL)
/**
 * raw_spin_unlock_irqrestore - release @lock, restore the interrupt state in
 * @flags, enable preemption. Context: holder, with @flags from the lock.
 */
#define raw_spin_unlock_irqrestore(lock, flags)					\
	_raw_spin_unlock_irqrestore(lock, &(flags))
/* raw_spin_unlock_bh - release @lock, then enable bottom halves. Context: holder. */
#define raw_spin_unlock_bh(lock)	_raw_spin_unlock_bh(lock, NULL)

/**
 * raw_spin_is_locked - is @lock held by anyone?
 * Context: any. Return: nonzero if held (always 0 in the uniprocessor build).
 */
#define raw_spin_is_locked(lock)	arch_spin_is_locked(&(lock)->raw_lock)
/**
 * raw_spin_is_contended - do tasks wait for @lock?
 * Context: any. Return: nonzero if contended (always 0 uniprocessor).
 */
#define raw_spin_is_contended(lock)	arch_spin_is_contended(&(lock)->raw_lock)

#ifndef LKSYNC_UP
/* assert_raw_spin_locked - BUG() unless @lock is held. Context: any. */
#define assert_raw_spin_locked(lock)	BUG_ON(!raw_spin_is_locked(lock))
#else
#define assert_raw_spin_locked(lock)	do { (void)(lock); } while (0)
#endif

/* spinlock_t: the same operations on the embedded raw lock. */
static __always_inline raw_spinlock_t *spinlock_check(spinlock_t *lock)
{
	return &lock->rlock;
}

/**
 * spin_lock_init - initialize @lock as unlocked. Context: any; @lock not in use.
 * In the debug flavor every lock initialized at this place is one lockdep class.
 */
#ifndef LKSYNC_DEBUG
#define spin_lock_init(lock)	do { *(lock) = __SPIN_LOCK_UNLOCKED(lock); } while (0)
#else
#define spin_lock_init(lock)							\
do {										\
	static struct lock_class_key __key;					\
										\
	__raw_spin_lock_init(spinlock_check(lock), #lock, &__key, LD_WAIT_CONFIG); \
} while (0)
#endif

/**
 * spin_lock - acquire @lock with preemption disabled. Not recursive.
 * Context: any; must not already hold @lock.
 */
static __always_inline void spin_lock(spinlock_t *lock)
{
	raw_spin_lock(&lock->rlock);
}

/* spin_lock_nested - spin_lock() as lockdep subclass @subclass (see raw_spin_lock_nested()). */
#define spin_lock_nested(lock, subclass)	raw_spin_lock_nested(spinlock_check(lock), subclass)
/* spin_lock_nest_lock - spin_lock() under an outer lock @nest (see raw_spin_lock_nest_lock()). */
#define spin_lock_nest_lock(lock, nest)	raw_spin_lock_nest_lock(spinlock_check(lock), nest)

/**
 * spin_lock_bh - disable bottom halves (and preemption), then take @lock.
 * Context: process or softirq context.
 */
static __always_inline void spin_lock_bh(spinlock_t *lock)
{
	raw_spin_lock_bh(&lock->rlock);
}

/**
 * spin_lock_irq - disable local interrupts, then take @lock.
 * Context: interrupts enabled.
 */
static __always_inline void spin_lock_irq(spinlock_t *lock)
{
	raw_spin_lock_irq(&lock->rlock);
}

/**
 * spin_lock_irqsave - save the interrupt state into @flags (an unsigned long
 * lvalue), disable local interrupts, take @lock. Context: any.
 */
#define spin_lock_irqsave(lock, flags)	raw_spin_lock_irqsave(spinlock_check(lock), flags)
/* spin_lock_irqsave_nested - spin_lock_irqsave() with a lockdep subclass. */
#define spin_lock_irqsave_nested(lock, flags, subclass)				\
	raw_spin_lock_irqsave_nested(spinlock_check(lock), flags, subclass)

/* spin_unlock - release @lock and re-enable preemption. Context: holder. */
static __always_inline void spin_unlock(spinlock_t *lock)
{
	raw_spin_unlock(&lock->rlock);
}

/* spin_unlock_bh - release @lock, then enable bottom halves. Context: holder. */
static __always_inline void spin_unlock_bh(spinlock_t *lock)
{
	raw_spin_unlock_bh(&lock->rlock);
}

/* spin_unlock_irq - release @lock and enable local interrupts. Context: holder. */
static __always_inline void spin_unlock_irq(spinlock_t *lock)
{
	raw_spin_unlock_irq(&lock->rlock);
}

/**
 * spin_unlock_irqrestore - release @lock and restore the interrupt state
 * saved in @flags by spin_lock_irqsave(). Context: holder.
 */
static __always_inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	raw_spin_unlock_irqrestore(&lock->rlock, flags);
}

/**
 * spin_trylock - take @lock if that needs no waiting.
 * Context: any. Return: 1 if acquired, 0 if not (state unchanged).
 */
static __always_inline int spin_trylock(spinlock_t *lock)
{
	return raw_spin_trylock(&lock->rlock);
}

/**
 * spin_trylock_bh - spin_trylock() with bottom halves disabled on success.
 * Context: process or softirq context. Return: 1 if acquired, 0 if not.
 */
static __always_inline int spin_trylock_bh(spinlock_t *lock)
{
	return raw_spin_trylock_bh(&lock->rlock);
}

/**
 * spin_trylock_irq - spin_trylock() with local interrupts disabled on success.
 * Context: interrupts enabled. Return: 1 if acquired, 0 if not.
 */
static __always_inline int spin_trylock_irq(spinlock_t *lock)
{
	return raw_spin_trylock_irq(&lock->rlock);
}

/**
 * spin_trylock_irqsave - save interrupt state into @flags, disable interrupts
 * and try @lock. Context: any. Return: 1 if acquired, 0 if not (state restored).
 */
#define spin_trylock_irqsave(lock, flags)					\
	raw_spin_trylock_irqsave(spinlock_check(lock), flags)

/**
 * spin_is_locked - is @lock held by anyone?
 * Context: any. Return: nonzero if held (always 0 in the uniprocessor build).
 */
static __always_inline int spin_is_locked(spinlock_t *lock)
{
	return raw_spin_is_locked(&lock->rlock);
}

/**
 * spin_is_contended - do tasks wait for @lock?
 * Context: any. Return: nonzero if contended.
 */
static __always_inline int spin_is_contended(spinlock_t *lock)
{
	return raw_spin_is_contended(&lock->rlock);
}

/* assert_spin_locked - BUG() unless @lock is held (no-op uniprocessor). Context: any. */
#define assert_spin_locked(lock)	assert_raw_spin_locked(&(lock)->rlock)

/*
 * One body for atomic_dec_and_lock() and its variants: decrement @atomic;
 * only a decrement to 0 takes @lock (with @lock_op), and then returns holding it.
 */
#define __LKSYNC_DEC_AND_LOCK(atomic, lock_op, unlock_op) ({			\
	int __dal_ret = 0;							\
	/* Not the last reference: drop it without the lock. */		\
	if (!atomic_add_unless((atomic), -1, 1)) {				\
		lock_op;							\
		if (atomic_dec_and_test(atomic))				\
			__dal_ret = 1;						\
		else								\
			unlock_op;						\
	}									\
	__dal_ret; })

/**
 * atomic_dec_and_lock - decrement @atomic; if it hits 0, return with @lock held
 * Context: process context. Return: 1 with @lock held if the count dropped
 * to 0, 0 (lock not held) otherwise.
 */
#define atomic_dec_and_lock(atomic, lock)					\
	__LKSYNC_DEC_AND_LOCK(atomic, spin_lock(lock), spin_unlock(lock))
/* atomic_dec_and_lock_irqsave - as atomic_dec_and_lock(), with spin_lock_irqsave(). */
#define atomic_dec_and_lock_irqsave(atomic, lock, flags)			\
	__LKSYNC_DEC_AND_LOCK(atomic, spin_lock_irqsave(lock, flags),		\
			      spin_unlock_irqrestore(lock, flags))
/* atomic_dec_and_raw_lock - as atomic_dec_and_lock() on a raw_spinlock_t. */
#define atomic_dec_and_raw_lock(atomic, lock)					\
	__LKSYNC_DEC_AND_LOCK(atomic, raw_spin_lock(lock), raw_spin_unlock(lock))
/* atomic_dec_and_raw_lock_irqsave - as atomic_dec_and_lock_irqsave() on a raw_spinlock_t. */
#define atomic_dec_and_raw_lock_irqsave(atomic, lock, flags)			\
	__LKSYNC_DEC_AND_LOCK(atomic, raw_spin_lock_irqsave(lock, flags),	\
			      raw_spin_unlock_irqrestore(lock, flags))

/*
 * Scoped guards (<lksync/cleanup.h>): guard(spinlock_irqsave)(&lock),
 * scoped_guard(spinlock, &lock) { ... }, and the _try forms.
 */
DEFINE_LOCK_GUARD_1(raw_spinlock, raw_spinlock_t, raw_spin_lock(_T->lock), raw_spin_unlock(_T->lock))
DEFINE_LOCK_GUARD_1_COND(raw_spinlock, _try, raw_spin_trylock(_T->lock))
DEFINE_LOCK_GUARD_1(raw_spinlock_irq, raw_spinlock_t, raw_spin_lock_irq(_T->lock),
		    raw_spin_unlock_irq(_T->lock))
DEFINE_LOCK_GUARD_1_COND(raw_spinlock_irq, _try, raw_spin_trylock_irq(_T->lock))
DEFINE_LOCK_GUARD_1(raw_spinlock_irqsave, raw_spinlock_t, raw_spin_lock_irqsave(_T->lock, _T->flags),
		    raw_spin_unlock_irqrestore(_T->lock, _T->flags), unsigned long flags)
DEFINE_LOCK_GUARD_1_COND(raw_spinlock_irqsave, _try, raw_spin_trylock_irqsave(_T->lock, _T->flags))
DEFINE_LOCK_GUARD_1(raw_spinlock_bh, raw_spinlock_t, raw_spin_lock_bh(_T->lock),
		    raw_spin_unlock_bh(_T->lock))
DEFINE_LOCK_GUARD_1(spinlock, spinlock_t, spin_lock(_T->lock), spin_unlock(_T->lock))
DEFINE_LOCK_GUARD_1_COND(spinlock, _try, spin_trylock(_T->lock))
DEFINE_LOCK_GUARD_1(spinlock_irq, spinlock_t, spin_lock_irq(_T->lock), spin_unlock_irq(_T->lock))
DEFINE_LOCK_GUARD_1_COND(spinlock_irq, _try, spin_trylock_irq(_T->lock))
DEFINE_LOCK_GUARD_1(spinlock_irqsave, spinlock_t, spin_lock_irqsave(_T->lock, _T->flags),
		    spin_unlock_irqrestore(_T->lock, _T->flags), unsigned long flags)
DEFINE_LOCK_GUARD_1_COND(spinlock_irqsave, _try, spin_trylock_irqsave(_T->lock, _T->flags))
DEFINE_LOCK_GUARD_1(spinlock_bh, spinlock_t, spin_lock_bh(_T->lock), spin_unlock_bh(_T->lock))
DEFINE_LOCK_GUARD_1_COND(spinlock_bh, _try, spin_trylock_bh(_T->lock))

#endif /* LKSYNC_SPINLOCK_H */
