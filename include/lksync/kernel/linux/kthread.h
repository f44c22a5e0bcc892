/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/kthread.h>: kthread_create(), kthread_run(), kthread_stop(). */
#ifndef LKSYNC_KERNEL_LINUX_KTHREAD_H
#define LKSYNC_KERNEL_LINUX_KTHREAD_H

#include <linux/compiler_types.h>
#include <linux/err.h>
#include <lksync/kthread.h>

#endif /* LKSYNC_KERNEL_LINUX_KTHREAD_H */
