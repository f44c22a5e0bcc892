/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/param.h>, which is also a system (UAPI) header (glibc's
 * <sys/param.h> includes it). Then the kernel's HZ.
 * The system header comes first, under its own guard; this file keeps a
 * guard of its own and adds only kernel-internal names, never a UAPI or libc
 * one. glibc may include it from inside its own headers.
 */
#ifndef LKSYNC_KERNEL_LINUX_PARAM_H
#define LKSYNC_KERNEL_LINUX_PARAM_H

#if __has_include_next(<linux/param.h>)
#include_next <linux/param.h>
#endif

#include <lksync/param.h>

#endif /* LKSYNC_KERNEL_LINUX_PARAM_H */
