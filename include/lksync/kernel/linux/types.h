/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/types.h>, which is also a system (UAPI) header: the UAPI
 * __u8.. and __le32.. types, then u8..s64, bool and gfp_t.
 * The system header comes first, under its own guard; this file keeps a
 * guard of its own and adds only kernel-internal names, never a UAPI or libc
 * one. glibc may include it from inside its own headers.
 */
#ifndef LKSYNC_KERNEL_LINUX_TYPES_H
#define LKSYNC_KERNEL_LINUX_TYPES_H

#if __has_include_next(<linux/types.h>)
#include_next <linux/types.h>
#endif

#include <linux/compiler_types.h>
#include <lksync/types.h>

typedef unsigned int __bitwise gfp_t;
typedef unsigned int __bitwise slab_flags_t;
typedef unsigned int __bitwise fmode_t;

#endif /* LKSYNC_KERNEL_LINUX_TYPES_H */
