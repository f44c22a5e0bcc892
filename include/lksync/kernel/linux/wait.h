/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/wait.h>, which is also a system (UAPI) header:
 * the waitid() flags and idtypes, then wait queues (lksync/wait.h).
 * The system header comes first, under its own guard; this file keeps a
 * guard of its own and adds only kernel-internal names, never a UAPI or libc
 * one. glibc may include it from inside its own headers.
 */
#ifndef LKSYNC_KERNEL_LINUX_WAIT_H
#define LKSYNC_KERNEL_LINUX_WAIT_H

/*
 * glibc's <sys/wait.h> declares P_ALL, P_PID, ... as an enum, which the
 * UAPI header's macros of the same names break if they come first (the
 * plain system headers fail in that order too). glibc first, so that kernel
 * code including <linux/wait.h> can still include <sys/wait.h> after it.
 */
#if __has_include(<sys/wait.h>)
#include <sys/wait.h>
#endif
#if __has_include_next(<linux/wait.h>)
#include_next <linux/wait.h>
#endif

#include <linux/compiler_types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <asm/current.h>
#include <lksync/wait.h>

#endif /* LKSYNC_KERNEL_LINUX_WAIT_H */
