/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/errno.h>, which is also a system (UAPI) header (glibc's
 * <errno.h> includes it): then the kernel-internal codes (ERESTARTSYS,
 * ENOTSUPP, ...). Must include nothing but the system header and macros.
 * The system header comes first, under its own guard; this file keeps a
 * guard of its own and adds only kernel-internal names, never a UAPI or libc
 * one. glibc may include it from inside its own headers.
 */
#ifndef LKSYNC_KERNEL_LINUX_ERRNO_H
#define LKSYNC_KERNEL_LINUX_ERRNO_H

#if __has_include_next(<linux/errno.h>)
#include_next <linux/errno.h>
#endif

#include <lksync/errno.h>

#endif /* LKSYNC_KERNEL_LINUX_ERRNO_H */
