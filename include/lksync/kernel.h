/* SPDX-License-Identifier: MIT */
/*
 * Layer: lib. The small helpers of the kernel's linux/kernel.h, minmax.h,
 * math.h, align.h, err.h and build_bug.h: type-checked min()/max()/clamp(),
 * rounding, ERR_PTR(), BUILD_BUG_ON_*(). Includes compiler.h, types.h, bug.h
 * and printk.h only. Every name that libc or an application might already
 * define is defined only if undefined.
 */
#ifndef LKSYNC_KERNEL_H
#define LKSYNC_KERNEL_H

#include <lksync/compiler.h>
#include <lksync/types.h>
#include <lksync/bug.h>
#include <lksync/printk.h>

/* __stringify - the argument, macro-expanded, as a string literal. */
#define __lksync_stringify_1(x...)	#x
#ifndef __stringify
#define __stringify(x...)	__lksync_stringify_1(x)
#endif

/* __same_type - true if @a and @b have compatible types. */
#ifndef __same_type
#define __same_type(a, b)	__builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#endif

/* typecheck - compile-time warning unless @x has type @type. Return: 1. */
#ifndef typecheck
#define typecheck(type, x) ({							\
	type __tc_dummy;							\
	__typeof__(x) __tc_dummy2;						\
	(void)(&__tc_dummy == &__tc_dummy2);					\
	1; })
#endif

/* BUILD_BUG_ON_ZERO - 0 as a constant expression, or a build error if @e. */
#ifndef BUILD_BUG_ON_ZERO
#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int:(-!!(e)); })))
#endif
/* BUILD_BUG_ON_MSG - build error with @msg if @cond is true. */
#ifndef BUILD_BUG_ON_MSG
#define BUILD_BUG_ON_MSG(cond, msg)	_Static_assert(!(cond), msg)
#endif
#ifndef BUILD_BUG_ON_NOT_POWER_OF_2
#define BUILD_BUG_ON_NOT_POWER_OF_2(n)	BUILD_BUG_ON((n) == 0 || (((n) & ((n) - 1)) != 0))
#endif
#ifndef BUILD_BUG
#define BUILD_BUG()	BUILD_BUG_ON_MSG(1, "BUILD_BUG failed")
#endif
#ifndef __must_be_array
#define __must_be_array(a)	BUILD_BUG_ON_ZERO(__same_type((a), &(a)[0]))
#endif

/*
 * min/max - the smaller/larger of @x and @y, each evaluated once; the
 * comparison of distinct types is diagnosed, as in the kernel.
 */
#define __lksync_cmp(op, x, y, tx, ty) ({					\
	__typeof__(x) tx = (x);							\
	__typeof__(y) ty = (y);							\
	(void)(&tx == &ty);							\
	tx op ty ? tx : ty; })
#ifndef min
#define min(x, y)	__lksync_cmp(<, x, y, __min_x, __min_y)
#endif
#ifndef max
#define max(x, y)	__lksync_cmp(>, x, y, __max_x, __max_y)
#endif
/* min3/max3 - of three values. */
#ifndef min3
#define min3(x, y, z)	min((__typeof__(x))min(x, y), z)
#endif
#ifndef max3
#define max3(x, y, z)	max((__typeof__(x))max(x, y), z)
#endif
/* min_t/max_t - compare after converting both to @type. */
#ifndef min_t
#define min_t(type, x, y)	min((type)(x), (type)(y))
#endif
#ifndef max_t
#define max_t(type, x, y)	max((type)(x), (type)(y))
#endif
/* clamp - @val limited to [@lo, @hi]. */
#ifndef clamp
#define clamp(val, lo, hi)	min((__typeof__(val))max(val, lo), hi)
#endif
#ifndef clamp_t
#define clamp_t(type, val, lo, hi)	min_t(type, max_t(type, val, lo), hi)
#endif
#ifndef clamp_val
#define clamp_val(val, lo, hi)	clamp_t(__typeof__(val), val, lo, hi)
#endif
/* swap - exchange the values of @a and @b. */
#ifndef swap
#define swap(a, b) do {								\
	__typeof__(a) __swap_tmp = (a);						\
	(a) = (b);								\
	(b) = __swap_tmp;							\
} while (0)
#endif

/* DIV_ROUND_UP - @n / @d rounded up. */
#ifndef DIV_ROUND_UP
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#endif
/* roundup/rounddown - to a multiple of @y (any positive @y). */
#ifndef roundup
#define roundup(x, y)	({ __typeof__(y) __ru_y = (y); (((x) + (__ru_y - 1)) / __ru_y) * __ru_y; })
#endif
#ifndef rounddown
#define rounddown(x, y)	({ __typeof__(x) __rd_x = (x); __rd_x - (__rd_x % (y)); })
#endif
/* round_up/round_down - to a multiple of @y, a power of two. */
#ifndef round_up
#define round_up(x, y)		((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#endif
#ifndef round_down
#define round_down(x, y)	((x) & ~((__typeof__(x))((y) - 1)))
#endif
/* ALIGN/ALIGN_DOWN/IS_ALIGNED/PTR_ALIGN - power-of-two alignment of @x to @a. */
#ifndef ALIGN
#define ALIGN(x, a)		(((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#endif
#ifndef ALIGN_DOWN
#define ALIGN_DOWN(x, a)	ALIGN((x) - ((a) - 1), (a))
#endif
#ifndef IS_ALIGNED
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#endif
#ifndef PTR_ALIGN
#define PTR_ALIGN(p, a)		((__typeof__(p))ALIGN((unsigned long)(p), (a)))
#endif
/* upper_32_bits/lower_32_bits - halves of a 64-bit value. */
#ifndef upper_32_bits
#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))
#endif
#ifndef lower_32_bits
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#endif

/* Error pointers: the top MAX_ERRNO addresses encode -errno values. */
#define MAX_ERRNO	4095
#ifndef IS_ERR_VALUE
#define IS_ERR_VALUE(x)	unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
#endif

/**
 * ERR_PTR - encode the negative errno @error as a pointer.
 * Context: any. Return: the error pointer.
 */
static inline void *__must_check ERR_PTR(long error)
{
	return (void *)error;
}

/**
 * PTR_ERR - the negative errno encoded in @ptr.
 * Context: any. Return: the errno value (meaningful only if IS_ERR(@ptr)).
 */
static inline long __must_check PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

/**
 * IS_ERR - does @ptr encode an errno?
 * Context: any. Return: true for an error pointer.
 */
static inline bool __must_check IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

/**
 * IS_ERR_OR_NULL - is @ptr NULL or an error pointer?
 * Context: any. Return: true if so.
 */
static inline bool __must_check IS_ERR_OR_NULL(const void *ptr)
{
	return unlikely(!ptr) || IS_ERR_VALUE((unsigned long)ptr);
}

/**
 * ERR_CAST - an error pointer converted to another pointer type.
 * Context: any. Return: @ptr, unchanged.
 */
static inline void *__must_check ERR_CAST(const void *ptr)
{
	return (void *)ptr;
}

/**
 * PTR_ERR_OR_ZERO - the errno of an error pointer, or 0.
 * Context: any. Return: PTR_ERR(@ptr) if IS_ERR(@ptr), else 0.
 */
static inline int __must_check PTR_ERR_OR_ZERO(const void *ptr)
{
	return IS_ERR(ptr) ? (int)PTR_ERR(ptr) : 0;
}

#endif /* LKSYNC_KERNEL_H */
