/* SPDX-License-Identifier: MIT */
/*
 * Layer: arch. The generic xchg()/cmpxchg()/try_cmpxchg() on plain integers
 * and pointers (the kernel's asm/cmpxchg.h), and the one place that says how
 * a fully ordered read-modify-write is built. Includes compiler.h and
 * barrier.h only.
 *
 * The minimum the architecture supplies is the compiler's __atomic builtins.
 * A fully ordered RMW, in the kernel's sense (as if smp_mb() preceded and
 * followed it), is a SEQ_CST builtin; on x86 that is a LOCK-prefixed
 * instruction, itself a full barrier. Elsewhere a SEQ_CST RMW only orders
 * like acquire+release (an LL/SC pair lets a later load pass the store), so
 * __lksync_mb_after_rmw() adds the trailing full barrier the kernel's own
 * fallbacks add. A failed cmpxchg is unordered, as the kernel documents.
 */
#ifndef LKSYNC_CMPXCHG_H
#define LKSYNC_CMPXCHG_H

#include <stdbool.h>
#include <lksync/compiler.h>
#include <lksync/barrier.h>

#if (defined(__x86_64__) || defined(__i386__)) || defined(LKSYNC_TSAN)
/* x86: the LOCK-prefixed RMW is a full barrier. TSan models SEQ_CST RMWs. */
#define __lksync_mb_after_rmw()	do { } while (0)
#else
#define __lksync_mb_after_rmw()	__smp_mb()	/* real barrier even in LKSYNC_UP: threads still run on several CPUs */
#endif

#define __lksync_xchg(ptr, v, mo) ({						\
	__unqual_scalar_typeof(*(ptr)) __x_new = (v), __x_old;			\
	__atomic_exchange((ptr), &__x_new, &__x_old, (mo));			\
	__x_old; })

#define __lksync_cmpxchg(ptr, o, n, mo) ({					\
	__unqual_scalar_typeof(*(ptr)) __c_old = (o), __c_new = (n);		\
	/* a failed cmpxchg is unordered: relaxed on failure */			\
	__atomic_compare_exchange((ptr), &__c_old, &__c_new, false, (mo),	\
				  __ATOMIC_RELAXED);				\
	__c_old; })

#define __lksync_try_cmpxchg(ptr, po, n, mo) ({					\
	__unqual_scalar_typeof(*(ptr)) *__t_po = (po), __t_new = (n);		\
	/* a failed cmpxchg is unordered: relaxed on failure */			\
	__atomic_compare_exchange((ptr), __t_po, &__t_new, false, (mo),	\
				  __ATOMIC_RELAXED); })

/* Fully ordered forms: SEQ_CST, plus the trailing barrier where needed. */
#define __lksync_full(expr) ({							\
	__auto_type __f_ret = (expr);						\
	__lksync_mb_after_rmw();						\
	__f_ret; })

/**
 * xchg - atomically store @v in *@ptr
 * @ptr: pointer to a 1, 2, 4 or 8 byte integer or a pointer
 * @v: the value to store
 *
 * xchg_relaxed(), xchg_acquire() and xchg_release() take the same arguments
 * and have the ordering their names say; xchg() is fully ordered.
 * Context: any.
 * Return: the value *@ptr held before.
 */
#define xchg(ptr, v)		__lksync_full(__lksync_xchg(ptr, v, __ATOMIC_SEQ_CST))
#define xchg_relaxed(ptr, v)	__lksync_xchg(ptr, v, __ATOMIC_RELAXED)
#define xchg_acquire(ptr, v)	__lksync_xchg(ptr, v, __ATOMIC_ACQUIRE)
#define xchg_release(ptr, v)	__lksync_xchg(ptr, v, __ATOMIC_RELEASE)

/**
 * cmpxchg - atomically store @new in *@ptr if it holds @old
 * @ptr: pointer to a 1, 2, 4 or 8 byte integer or a pointer
 * @old: the value expected in *@ptr
 * @new: the value to store
 *
 * Fully ordered if it stores, unordered if it fails; the _relaxed, _acquire
 * and _release forms have the ordering their names say (on success).
 * cmpxchg_local() need only be atomic against the current CPU; here it is
 * cmpxchg(). cmpxchg64*() are the same on 64-bit values.
 * Context: any.
 * Return: the value *@ptr held before; it equals @old exactly when @new was stored.
 */
#define cmpxchg(ptr, old, new)		__lksync_full(__lksync_cmpxchg(ptr, old, new, __ATOMIC_SEQ_CST))
#define cmpxchg_relaxed(ptr, old, new)	__lksync_cmpxchg(ptr, old, new, __ATOMIC_RELAXED)
#define cmpxchg_acquire(ptr, old, new)	__lksync_cmpxchg(ptr, old, new, __ATOMIC_ACQUIRE)
#define cmpxchg_release(ptr, old, new)	__lksync_cmpxchg(ptr, old, new, __ATOMIC_RELEASE)
#define cmpxchg_local(ptr, old, new)	cmpxchg(ptr, old, new)

#define __lksync_check64(ptr)	BUILD_BUG_ON(sizeof(*(ptr)) != 8)
#define cmpxchg64(ptr, old, new)	({ __lksync_check64(ptr); cmpxchg(ptr, old, new); })
#define cmpxchg64_relaxed(ptr, old, new) ({ __lksync_check64(ptr); cmpxchg_relaxed(ptr, old, new); })
#define cmpxchg64_acquire(ptr, old, new) ({ __lksync_check64(ptr); cmpxchg_acquire(ptr, old, new); })
#define cmpxchg64_release(ptr, old, new) ({ __lksync_check64(ptr); cmpxchg_release(ptr, old, new); })
#define cmpxchg64_local(ptr, old, new)	cmpxchg64(ptr, old, new)

/**
 * try_cmpxchg - atomically store @new in *@ptr if it holds *@oldp
 * @ptr: pointer to a 1, 2, 4 or 8 byte integer or a pointer
 * @oldp: pointer to the value expected in *@ptr; on failure it receives
 *        the value *@ptr held
 * @new: the value to store
 *
 * Ordering as cmpxchg(); _relaxed, _acquire and _release forms exist.
 * Context: any.
 * Return: true if @new was stored, false otherwise.
 */
#define try_cmpxchg(ptr, oldp, new)	__lksync_full(__lksync_try_cmpxchg(ptr, oldp, new, __ATOMIC_SEQ_CST))
#define try_cmpxchg_relaxed(ptr, oldp, new) __lksync_try_cmpxchg(ptr, oldp, new, __ATOMIC_RELAXED)
#define try_cmpxchg_acquire(ptr, oldp, new) __lksync_try_cmpxchg(ptr, oldp, new, __ATOMIC_ACQUIRE)
#define try_cmpxchg_release(ptr, oldp, new) __lksync_try_cmpxchg(ptr, oldp, new, __ATOMIC_RELEASE)
#define try_cmpxchg_local(ptr, oldp, new)   try_cmpxchg(ptr, oldp, new)
#define try_cmpxchg64(ptr, oldp, new)	({ __lksync_check64(ptr); try_cmpxchg(ptr, oldp, new); })

#endif /* LKSYNC_CMPXCHG_H */
