/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/workqueue.h>: work items, delayed work,
 * workqueues, the system workqueues; <linux/timer.h> comes with it, as in
 * the kernel.
 */
#ifndef LKSYNC_KERNEL_LINUX_WORKQUEUE_H
#define LKSYNC_KERNEL_LINUX_WORKQUEUE_H

#include <linux/compiler_types.h>
#include <linux/timer.h>
#include <lksync/workqueue.h>

#endif /* LKSYNC_KERNEL_LINUX_WORKQUEUE_H */
