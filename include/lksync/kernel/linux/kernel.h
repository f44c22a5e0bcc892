/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/kernel.h>, which is also a system (UAPI) header (glibc's
 * <sys/sysinfo.h> includes it): then min()/max(), ARRAY_SIZE(),
 * container_of(), printk() and the other helpers of the kernel's version.
 * The system header comes first, under its own guard; this file keeps a
 * guard of its own and adds only kernel-internal names, never a UAPI or libc
 * one. glibc may include it from inside its own headers.
 */
#ifndef LKSYNC_KERNEL_LINUX_KERNEL_H
#define LKSYNC_KERNEL_LINUX_KERNEL_H

#if __has_include_next(<linux/kernel.h>)
#include_next <linux/kernel.h>
#endif

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/limits.h>
#include <lksync/kernel.h>

#endif /* LKSYNC_KERNEL_LINUX_KERNEL_H */
