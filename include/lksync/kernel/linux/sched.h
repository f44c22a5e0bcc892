/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/sched.h>, which is also a system (UAPI) header: the clone
 * flags and scheduling policies, then struct task_struct and current.
 * The system header comes first, under its own guard; this file keeps a
 * guard of its own and adds only kernel-internal names, never a UAPI or libc
 * one. glibc may include it from inside its own headers.
 */
#ifndef LKSYNC_KERNEL_LINUX_SCHED_H
#define LKSYNC_KERNEL_LINUX_SCHED_H

#if __has_include_next(<linux/sched.h>)
#include_next <linux/sched.h>
#endif

#include <linux/compiler_types.h>
#include <lksync/sched.h>
#include <linux/jiffies.h>
#include <linux/sched/signal.h>

#endif /* LKSYNC_KERNEL_LINUX_SCHED_H */
