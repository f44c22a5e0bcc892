/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/compiler.h>: READ_ONCE()/WRITE_ONCE(), barrier(),
 * likely()/unlikely() from lksync, plus the few helpers kernel code uses
 * from this header.
 */
#ifndef LKSYNC_KERNEL_LINUX_COMPILER_H
#define LKSYNC_KERNEL_LINUX_COMPILER_H

#include <linux/compiler_types.h>
#include <lksync/compiler.h>
#include <lksync/kcsan-checks.h>	/* data_race(): the kernel gets it through asm/rwonce.h */

/* barrier_data - compiler barrier that also treats *@ptr as read. */
#ifndef barrier_data
#define barrier_data(ptr)	__asm__ __volatile__("" : : "r"(ptr) : "memory")
#endif
/* OPTIMIZER_HIDE_VAR - make the compiler forget what it knows of @var. */
#ifndef OPTIMIZER_HIDE_VAR
#define OPTIMIZER_HIDE_VAR(var)	__asm__ ("" : "=r"(var) : "0"(var))
#endif
/* unreachable - this point is never reached. */
#ifndef unreachable
#define unreachable()	__builtin_unreachable()
#endif
/*
 * data_race - evaluate @expr, a deliberately racy access the race checker
 * should not report. Return: the value of @expr.
 */
#ifndef data_race
#define data_race(expr) ({ __auto_type __dr_v = (expr); __dr_v; })
#endif
#ifndef __UNIQUE_ID
#define __lksync_paste2(a, b)	a##b
#define __lksync_paste(a, b)	__lksync_paste2(a, b)
#define __UNIQUE_ID(prefix)	__lksync_paste(__lksync_paste(__UNIQUE_ID_, prefix), __COUNTER__)
#endif
#ifndef is_signed_type
#define is_signed_type(type)	(((type)(-1)) < (type)1)
#endif
#ifndef is_unsigned_type
#define is_unsigned_type(type)	(!is_signed_type(type))
#endif

#endif /* LKSYNC_KERNEL_LINUX_COMPILER_H */
