/* SPDX-License-Identifier: MIT */
/*
 * Layer: arch. Memory barriers, as the kernel's asm/barrier.h and
 * Documentation/memory-barriers.txt define them. Includes compiler.h and
 * processor.h only.
 *
 * x86-64 follows the kernel: TSO makes smp_rmb()/smp_wmb() compiler barriers,
 * and smp_mb() is a locked add to the stack (cheaper than MFENCE). Mandatory
 * mb()/rmb()/wmb() order device and non-temporal accesses too, so they are the
 * fence instructions. Elsewhere the compiler's __atomic fences are used.
 *
 * ThreadSanitizer does not model stand-alone fences; under TSan the SMP
 * barriers are seq_cst fences and smp_load_acquire()/smp_store_release() are
 * real acquire/release atomics, which TSan does model.
 */
#ifndef LKSYNC_BARRIER_H
#define LKSYNC_BARRIER_H

#include <lksync/compiler.h>
#include <lksync/processor.h>

#if defined(LKSYNC_TSAN)
/*
 * GCC warns (-Wtsan) at every fence it compiles with -fsanitize=thread, which
 * would break users' -Werror TSan builds; the fence lives in one function
 * compiled with that warning off.
 */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wtsan"
#endif
static __always_inline void lksync_tsan_fence(int order)
{
	__atomic_thread_fence(order);
}
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#pragma GCC diagnostic pop
#endif
#define mb()		lksync_tsan_fence(__ATOMIC_SEQ_CST)
#define rmb()		lksync_tsan_fence(__ATOMIC_SEQ_CST)
#define wmb()		lksync_tsan_fence(__ATOMIC_SEQ_CST)
#define __smp_mb()	lksync_tsan_fence(__ATOMIC_SEQ_CST)
#define __smp_rmb()	lksync_tsan_fence(__ATOMIC_ACQUIRE)
#define __smp_wmb()	lksync_tsan_fence(__ATOMIC_RELEASE)
#elif defined(__x86_64__)
#define mb()		__asm__ __volatile__("mfence" ::: "memory")
#define rmb()		__asm__ __volatile__("lfence" ::: "memory")
#define wmb()		__asm__ __volatile__("sfence" ::: "memory")
#define __smp_mb()	__asm__ __volatile__("lock; addl $0,-4(%%rsp)" ::: "memory", "cc")
#define __smp_rmb()	barrier()
#define __smp_wmb()	barrier()
#elif defined(__aarch64__)
#define mb()		__asm__ __volatile__("dsb sy" ::: "memory")
#define rmb()		__asm__ __volatile__("dsb ld" ::: "memory")
#define wmb()		__asm__ __volatile__("dsb st" ::: "memory")
#define __smp_mb()	__asm__ __volatile__("dmb ish" ::: "memory")
#define __smp_rmb()	__asm__ __volatile__("dmb ishld" ::: "memory")
#define __smp_wmb()	__asm__ __volatile__("dmb ishst" ::: "memory")
#else
#define mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define wmb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define __smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define __smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define __smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#endif

#ifdef LKSYNC_UP
/* Without CONFIG_SMP the SMP barriers order against this CPU only. */
#define smp_mb()	barrier()
#define smp_rmb()	barrier()
#define smp_wmb()	barrier()
#else
/* smp_mb - full barrier between CPUs: orders all earlier loads and stores before all later ones. */
#define smp_mb()	__smp_mb()
/* smp_rmb - orders earlier loads before later loads. */
#define smp_rmb()	__smp_rmb()
/* smp_wmb - orders earlier stores before later stores. */
#define smp_wmb()	__smp_wmb()
#endif

/*
 * read_barrier_depends - legacy: ordered a pointer load before loads through
 * it (Alpha only). Since v4.15 READ_ONCE() implies it, and both are no-ops.
 */
#define read_barrier_depends()		do { } while (0)
#define smp_read_barrier_depends()	do { } while (0)

/* Atomic RMW ops that return no value are unordered; these order them. */
#if defined(__x86_64__) && !defined(LKSYNC_TSAN)
#define smp_mb__before_atomic()	barrier()	/* x86 locked ops are full barriers */
#define smp_mb__after_atomic()	barrier()
#else
#define smp_mb__before_atomic()	smp_mb()
#define smp_mb__after_atomic()	smp_mb()
#endif

/* smp_load_acquire - load *@p; no later access moves before it. */
#define smp_load_acquire(p) ({							\
	__unqual_scalar_typeof(*(p)) __la_v;					\
	__atomic_load((p), &__la_v, __ATOMIC_ACQUIRE);				\
	__la_v; })

/* smp_store_release - store @v to *@p; no earlier access moves after it. */
#define smp_store_release(p, v) do {						\
	__unqual_scalar_typeof(*(p)) __sr_v = (v);				\
	__atomic_store((p), &__sr_v, __ATOMIC_RELEASE);				\
} while (0)

/* smp_store_mb - WRITE_ONCE(@var, @value) followed by a full barrier. */
#define smp_store_mb(var, value) do {						\
	__unqual_scalar_typeof(var) __sm_v = (value);				\
	__atomic_exchange(&(var), &__sm_v, &__sm_v, __ATOMIC_SEQ_CST);		\
} while (0)

/*
 * smp_cond_load_relaxed - spin until @cond_expr holds for VAL = *@ptr.
 * Return: the value of *@ptr that satisfied @cond_expr. No ordering.
 */
#define smp_cond_load_relaxed(ptr, cond_expr) ({				\
	__unqual_scalar_typeof(*(ptr)) VAL;					\
	for (;;) {								\
		VAL = READ_ONCE(*(ptr));					\
		if (cond_expr)							\
			break;							\
		cpu_relax();							\
	}									\
	VAL; })

/*
 * smp_cond_load_acquire - smp_cond_load_relaxed() with ACQUIRE ordering:
 * accesses after it are ordered after the load that satisfied @cond_expr.
 */
#define smp_cond_load_acquire(ptr, cond_expr) ({				\
	__unqual_scalar_typeof(*(ptr)) VAL;					\
	for (;;) {								\
		VAL = smp_load_acquire(ptr);					\
		if (cond_expr)							\
			break;							\
		cpu_relax();							\
	}									\
	VAL; })

/* smp_acquire__after_ctrl_dep - upgrade a control dependency to ACQUIRE. */
#define smp_acquire__after_ctrl_dep()	smp_rmb()

#endif /* LKSYNC_BARRIER_H */
