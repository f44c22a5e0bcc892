/* SPDX-License-Identifier: MIT */
/*
 * Layer: arch. Compiler helpers every other header uses; includes nothing of lksync.
 *
 * READ_ONCE()/WRITE_ONCE() are "marked accesses" in the kernel's sense: the
 * compiler may neither tear, fuse nor invent them. Under ThreadSanitizer they
 * become relaxed atomics so that TSan, like KCSAN, treats them as intentional.
 */
#ifndef LKSYNC_COMPILER_H
#define LKSYNC_COMPILER_H

#include <stddef.h>
#if __has_include(<lksync/config.h>)
#include <lksync/config.h>	/* the build's flavor (LKSYNC_UP) */
#endif

#define LKSYNC_API __attribute__((visibility("default")))
#define LKSYNC_TLS_MODEL __attribute__((tls_model("initial-exec")))

#if defined(__SANITIZE_THREAD__)
#define LKSYNC_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LKSYNC_TSAN 1
#endif
#endif

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif

/* barrier - compiler barrier: no memory access moves across it. */
#ifndef barrier
#define barrier()	__asm__ __volatile__("" ::: "memory")
#endif

#ifndef __always_inline
#define __always_inline	inline __attribute__((__always_inline__))
#endif
#ifndef noinline
#define noinline	__attribute__((__noinline__))
#endif
#ifndef __maybe_unused
#define __maybe_unused	__attribute__((__unused__))
#endif
#ifndef __must_check
#define __must_check	__attribute__((__warn_unused_result__))
#endif
#ifndef __cold
#define __cold		__attribute__((__cold__))
#endif
#ifndef __aligned
#define __aligned(x)	__attribute__((__aligned__(x)))
#endif
#ifndef __packed
#define __packed	__attribute__((__packed__))
#endif

/*
 * Strip qualifiers from scalar types, as the kernel's __unqual_scalar_typeof;
 * other types (pointers, structs) through __auto_type, which drops them too
 * (unevaluated: typeof does not evaluate its operand).
 */
#define __unqual_scalar_typeof(x) __typeof__(					\
	_Generic((x),								\
		 char: (char)0,							\
		 unsigned char: (unsigned char)0,				\
		 signed char: (signed char)0,					\
		 unsigned short: (unsigned short)0,				\
		 signed short: (signed short)0,					\
		 unsigned int: (unsigned int)0,					\
		 signed int: (signed int)0,					\
		 unsigned long: (unsigned long)0,				\
		 signed long: (signed long)0,					\
		 unsigned long long: (unsigned long long)0,			\
		 signed long long: (signed long long)0,				\
		 _Bool: (_Bool)0,						\
		 default: ({ __auto_type __uq_t = (x); __uq_t; })))

#define __lksync_native_word(x)							\
	(sizeof(x) == 1 || sizeof(x) == 2 || sizeof(x) == 4 || sizeof(x) == 8)

#ifdef LKSYNC_TSAN
/* READ_ONCE - load @x exactly once; never torn, fused or re-read. */
#define READ_ONCE(x) ({								\
	__unqual_scalar_typeof(x) __ro_v;					\
	__atomic_load(&(x), &__ro_v, __ATOMIC_RELAXED);				\
	__ro_v; })
/* WRITE_ONCE - store @val to @x exactly once. */
#define WRITE_ONCE(x, val) do {							\
	__unqual_scalar_typeof(x) __wo_v = (val);				\
	__atomic_store(&(x), &__wo_v, __ATOMIC_RELAXED);			\
} while (0)
#else
#define READ_ONCE(x)	(*(const volatile __unqual_scalar_typeof(x) *)&(x))
#define WRITE_ONCE(x, val)							\
	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)
#endif

/*
 * The race detector's ignore switch for data_race() and <lksync/kcsan-checks.h>:
 * under ThreadSanitizer, this thread's reads and writes between disable and
 * enable are not reported (TSan's counters nest, as KCSAN's
 * kcsan_disable_current() does); otherwise nothing. The TSan entry points
 * are weak, so a stray object built with this header still links.
 */
#ifdef LKSYNC_TSAN
void AnnotateIgnoreReadsBegin(const char *file, int line) __attribute__((weak));
void AnnotateIgnoreReadsEnd(const char *file, int line) __attribute__((weak));
void AnnotateIgnoreWritesBegin(const char *file, int line) __attribute__((weak));
void AnnotateIgnoreWritesEnd(const char *file, int line) __attribute__((weak));
#define __lksync_kcsan_disable_current() do {					\
	if (AnnotateIgnoreReadsBegin) {						\
		AnnotateIgnoreReadsBegin(__FILE__, __LINE__);			\
		AnnotateIgnoreWritesBegin(__FILE__, __LINE__);			\
	}									\
} while (0)
#define __lksync_kcsan_enable_current() do {					\
	if (AnnotateIgnoreReadsEnd) {						\
		AnnotateIgnoreWritesEnd(__FILE__, __LINE__);			\
		AnnotateIgnoreReadsEnd(__FILE__, __LINE__);			\
	}									\
} while (0)
#else
#define __lksync_kcsan_disable_current()	do { } while (0)
#define __lksync_kcsan_enable_current()		do { } while (0)
#endif

/**
 * data_race - evaluate @expr, whose accesses race on purpose (a statistic,
 * a diagnostic, a value checked again under a lock), so the race detector
 * does not report them. Without TSan it is the plain expression.
 * Context: any.
 * Return: the value of @expr, unqualified.
 */
#ifndef data_race
#define data_race(expr) ({							\
	__lksync_kcsan_disable_current();					\
	__auto_type __dr_v = (expr);						\
	__lksync_kcsan_enable_current();					\
	__dr_v; })
#endif

/* ACCESS_ONCE - legacy (pre-4.15) spelling of a volatile access; prefer READ_ONCE/WRITE_ONCE. */
#define ACCESS_ONCE(x)	(*(volatile __typeof__(x) *)&(x))

#ifndef container_of
#define container_of(ptr, type, member) ({					\
	const __typeof__(((type *)0)->member) *__mptr = (ptr);			\
	(type *)((char *)__mptr - offsetof(type, member)); })
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")

#endif /* LKSYNC_COMPILER_H */
