/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/limits.h>, which is also a system (UAPI) header (glibc's
 * <limits.h> includes it): then U8_MAX..S64_MIN. Macros only: it is
 * included while <limits.h> is half done.
 * The system header comes first, under its own guard; this file keeps a
 * guard of its own and adds only kernel-internal names, never a UAPI or libc
 * one. glibc may include it from inside its own headers.
 */
#ifndef LKSYNC_KERNEL_LINUX_LIMITS_H
#define LKSYNC_KERNEL_LINUX_LIMITS_H

#if __has_include_next(<linux/limits.h>)
#include_next <linux/limits.h>
#endif

#ifndef U8_MAX
#define U8_MAX		((unsigned char)~0U)
#define S8_MAX		((signed char)(U8_MAX >> 1))
#define S8_MIN		((signed char)(-S8_MAX - 1))
#define U16_MAX		((unsigned short)~0U)
#define S16_MAX		((short)(U16_MAX >> 1))
#define S16_MIN		((short)(-S16_MAX - 1))
#define U32_MAX		((unsigned int)~0U)
#define U32_MIN		((unsigned int)0)
#define S32_MAX		((int)(U32_MAX >> 1))
#define S32_MIN		((int)(-S32_MAX - 1))
#define U64_MAX		((unsigned long long)~0ULL)
#define S64_MAX		((long long)(U64_MAX >> 1))
#define S64_MIN		((long long)(-S64_MAX - 1))
#endif

#endif /* LKSYNC_KERNEL_LINUX_LIMITS_H */
