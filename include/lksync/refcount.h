/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. refcount_t: a reference counter that saturates instead of
 * wrapping (the kernel's linux/refcount.h). Includes atomic.h, bug.h and,
 * for refcount_dec_and_lock(), spinlock.h.
 *
 * Counter states:
 *   > 0                 live, that many references
 *   0                   freed (or about to be); only *_not_zero may look
 *   REFCOUNT_SATURATED  (INT_MIN / 2) a bug was seen: the object is leaked,
 *                       and the counter stays far from 0 and from overflow
 *                       whatever racing inc/dec do to it
 * Any operation that sees a negative value, an increment from 0, an overflow
 * past INT_MAX, or a decrement to 0 where that is not allowed, saturates the
 * counter and warns once (lksync_refcount_warn_saturate()).
 *
 * Ordering, as Documentation/core-api/refcount-vs-atomic.rst: inc/add and
 * *_not_zero are unordered (a successful *_not_zero only gives a control
 * dependency); dec, sub_and_test, dec_and_test, dec_if_one and dec_not_one
 * are release, and the *_and_test forms are acquire too when they return
 * true, so the freeing path sees every earlier access of every owner.
 *
 * refcount_dec_and_lock() and refcount_dec_and_lock_irqsave() take a
 * spinlock_t, refcount_dec_and_mutex_lock() a struct mutex (same layer).
 */
#ifndef LKSYNC_REFCOUNT_H
#define LKSYNC_REFCOUNT_H

#include <limits.h>
#include <lksync/atomic.h>
#include <lksync/bug.h>
#include <lksync/spinlock.h>
#include <lksync/mutex.h>

/* refcount_t - a saturating reference counter. */
typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

/* REFCOUNT_INIT - static initializer: refcount_t r = REFCOUNT_INIT(1); */
#define REFCOUNT_INIT(n)	{ .refs = ATOMIC_INIT(n), }
/* REFCOUNT_MAX - the largest count before saturation. */
#define REFCOUNT_MAX		INT_MAX
/* REFCOUNT_SATURATED - the value of a counter that has seen a bug. */
#define REFCOUNT_SATURATED	(INT_MIN / 2)

/* Which misuse saturated the counter; selects the warning text. */
enum refcount_saturation_type {
	REFCOUNT_ADD_NOT_ZERO_OVF,
	REFCOUNT_ADD_OVF,
	REFCOUNT_ADD_UAF,
	REFCOUNT_SUB_UAF,
	REFCOUNT_DEC_LEAK,
};

/*
 * lksync_refcount_warn_saturate - saturate @r and warn once per kind
 * ("refcount_t: saturated; leaking memory." and so on, as the kernel's
 * refcount_warn_saturate()). Context: any.
 */
LKSYNC_API __cold void lksync_refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t);
#define refcount_warn_saturate(r, t)	lksync_refcount_warn_saturate(r, t)

/*
 * TSan does not model the control dependency + smp_rmb() that upgrades a
 * release decrement to acquire; an acquire load of the counter after the
 * decrement gives the same edge in a form it understands.
 */
#ifdef LKSYNC_TSAN
#define __refcount_acquire_after_dec(r)	((void)atomic_read_acquire(&(r)->refs))
#else
#define __refcount_acquire_after_dec(r)	smp_acquire__after_ctrl_dep()
#endif

/**
 * refcount_set - set a refcount's value
 * @r: the refcount
 * @n: the value
 * Context: any. Unordered.
 */
static __always_inline void refcount_set(refcount_t *r, int n)
{
	atomic_set(&r->refs, n);
}

/**
 * refcount_set_release - refcount_set() with release ordering, for publishing
 * an object whose count is only ever read with *_not_zero_acquire.
 * Context: any.
 */
static __always_inline void refcount_set_release(refcount_t *r, int n)
{
	atomic_set_release(&r->refs, n);
}

/**
 * refcount_read - get a refcount's value
 * @r: the refcount
 * Context: any.
 * Return: the refcount's value.
 */
static __always_inline unsigned int refcount_read(const refcount_t *r)
{
	return (unsigned int)atomic_read(&r->refs);
}

static __always_inline __must_check bool __refcount_add_not_zero(int i, refcount_t *r, int *oldp)
{
	int old = refcount_read(r);

	do {
		if (!old)
			break;
	} while (!atomic_try_cmpxchg_relaxed(&r->refs, &old, (int)((unsigned int)old + i))); /* unordered: ctrl dep */
	if (oldp)
		*oldp = old;
	if (unlikely(old < 0 || (int)((unsigned int)old + i) < 0))
		refcount_warn_saturate(r, REFCOUNT_ADD_NOT_ZERO_OVF);
	return old;
}

/**
 * refcount_add_not_zero - add @i to @r unless it is 0
 * @i: the amount to add
 * @r: the refcount
 *
 * Saturates (and warns) on overflow; no ordering, only a control dependency
 * for stores that depend on success.
 * Context: any.
 * Return: false if @r was 0 (nothing added), true otherwise.
 */
static __always_inline __must_check bool refcount_add_not_zero(int i, refcount_t *r)
{
	return __refcount_add_not_zero(i, r, NULL);
}

/**
 * refcount_inc_not_zero - increment @r unless it is 0
 * @r: the refcount
 * Context: any. Unordered, as refcount_add_not_zero().
 * Return: false if @r was 0, true otherwise.
 */
static __always_inline __must_check bool refcount_inc_not_zero(refcount_t *r)
{
	return __refcount_add_not_zero(1, r, NULL);
}

static __always_inline void __refcount_add(int i, refcount_t *r, int *oldp)
{
	int old = atomic_fetch_add_relaxed(i, &r->refs); /* unordered: the caller holds a reference */

	if (oldp)
		*oldp = old;
	if (unlikely(!old))
		refcount_warn_saturate(r, REFCOUNT_ADD_UAF);
	else if (unlikely(old < 0 || (int)((unsigned int)old + i) < 0))
		refcount_warn_saturate(r, REFCOUNT_ADD_OVF);
}

/**
 * refcount_add - add @i to @r
 * @i: the amount to add
 * @r: the refcount
 *
 * Adding to 0 is a use-after-free: it saturates and warns, as does overflow.
 * Context: any. Unordered.
 */
static __always_inline void refcount_add(int i, refcount_t *r)
{
	__refcount_add(i, r, NULL);
}

/**
 * refcount_inc - increment @r
 * @r: the refcount
 * Context: any. Unordered; saturates and warns as refcount_add().
 */
static __always_inline void refcount_inc(refcount_t *r)
{
	__refcount_add(1, r, NULL);
}

static __always_inline __must_check bool __refcount_sub_and_test(int i, refcount_t *r, int *oldp)
{
	int old = atomic_fetch_sub_release(i, &r->refs); /* release: our accesses precede the free */

	if (oldp)
		*oldp = old;
	if (old > 0 && old == i) {
		__refcount_acquire_after_dec(r); /* acquire: the free follows everyone's accesses */
		return true;
	}
	if (unlikely(old <= 0 || (int)((unsigned int)old - i) < 0))
		refcount_warn_saturate(r, REFCOUNT_SUB_UAF);
	return false;
}

/**
 * refcount_sub_and_test - subtract @i from @r and test for 0
 * @i: the amount to subtract
 * @r: the refcount
 *
 * Release ordering, and acquire ordering too when it returns true.
 * Underflow saturates and warns.
 * Context: any.
 * Return: true if the count reached 0 (the caller frees the object).
 */
static __always_inline __must_check bool refcount_sub_and_test(int i, refcount_t *r)
{
	return __refcount_sub_and_test(i, r, NULL);
}

/**
 * refcount_dec_and_test - decrement @r and test for 0
 * @r: the refcount
 * Context: any. Ordering as refcount_sub_and_test().
 * Return: true if the count reached 0.
 */
static __always_inline __must_check bool refcount_dec_and_test(refcount_t *r)
{
	return __refcount_sub_and_test(1, r, NULL);
}

/**
 * refcount_dec - decrement @r, which must not reach 0
 * @r: the refcount
 *
 * Reaching 0 here leaks the object: it saturates and warns
 * ("decrement hit 0; leaking memory").
 * Context: any. Release ordering.
 */
static __always_inline void refcount_dec(refcount_t *r)
{
	int old = atomic_fetch_sub_release(1, &r->refs); /* release: as every dec */

	if (unlikely(old <= 1))
		refcount_warn_saturate(r, REFCOUNT_DEC_LEAK);
}

/**
 * refcount_dec_if_one - decrement @r from 1 to 0, or do nothing
 * @r: the refcount
 * Context: any. Release ordering on success.
 * Return: true if @r went from 1 to 0.
 */
static __always_inline __must_check bool refcount_dec_if_one(refcount_t *r)
{
	int val = 1;

	return atomic_try_cmpxchg_release(&r->refs, &val, 0); /* release: as every dec */
}

/**
 * refcount_dec_not_one - decrement @r unless it is 1
 * @r: the refcount
 *
 * A saturated counter stays saturated; an underflow warns.
 * Context: any. Release ordering when it decrements.
 * Return: false if @r was 1 (nothing done), true otherwise.
 */
static __always_inline __must_check bool refcount_dec_not_one(refcount_t *r)
{
	int val = atomic_read(&r->refs), n;

	do {
		if (unlikely(val == REFCOUNT_SATURATED))
			return true;
		if (val == 1)
			return false;
		n = (int)((unsigned int)val - 1);
		if (unlikely(val == 0)) {
			WARN_ONCE(1, "refcount_t: underflow; use-after-free.\n");
			return true;
		}
	} while (!atomic_try_cmpxchg_release(&r->refs, &val, n)); /* release: as every dec */
	return true;
}

/**
 * refcount_dec_and_lock - decrement @r; if it hits 0, return with @lock held
 * @r: the refcount
 * @lock: the spinlock that protects lookups of the object
 *
 * The lock is taken only for the final put, so a concurrent lookup under
 * @lock can never find an object whose count is on its way to 0.
 * Context: process context, or any context where @lock is taken with spin_lock().
 * Return: true, with @lock held, if the count dropped to 0; false otherwise.
 */
static inline __must_check bool refcount_dec_and_lock(refcount_t *r, spinlock_t *lock)
{
	if (refcount_dec_not_one(r))
		return false;
	spin_lock(lock);
	if (!refcount_dec_and_test(r)) {
		spin_unlock(lock);
		return false;
	}
	return true;
}

/**
 * refcount_dec_and_lock_irqsave - refcount_dec_and_lock() taking @lock with
 * spin_lock_irqsave(), the saved state in *@flags
 * Context: any. Return: true, with @lock held and interrupts disabled, if
 * the count dropped to 0; false otherwise (interrupt state unchanged).
 */
static inline __must_check bool refcount_dec_and_lock_irqsave(refcount_t *r, spinlock_t *lock,
							      unsigned long *flags)
{
	if (refcount_dec_not_one(r))
		return false;
	spin_lock_irqsave(lock, *flags);
	if (!refcount_dec_and_test(r)) {
		spin_unlock_irqrestore(lock, *flags);
		return false;
	}
	return true;
}

/**
 * refcount_dec_and_mutex_lock - decrement @r; if it hits 0, return with @lock held
 * @r: the refcount
 * @lock: the mutex that protects lookups of the object
 * Context: task context; may sleep.
 * Return: true, with @lock held, if the count dropped to 0; false otherwise.
 */
static inline __must_check bool refcount_dec_and_mutex_lock(refcount_t *r, struct mutex *lock)
{
	if (refcount_dec_not_one(r))
		return false;
	mutex_lock(lock);
	if (!refcount_dec_and_test(r)) {
		mutex_unlock(lock);
		return false;
	}
	return true;
}

#endif /* LKSYNC_REFCOUNT_H */
