/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/swait.h>: simple wait queues (struct
 * swait_queue_head, swake_up_one(), swake_up_all() ...), declared with the
 * ordinary wait queues in lksync/wait.h.
 */
#ifndef LKSYNC_KERNEL_LINUX_SWAIT_H
#define LKSYNC_KERNEL_LINUX_SWAIT_H

#include <linux/compiler_types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <asm/current.h>
#include <lksync/wait.h>

#endif /* LKSYNC_KERNEL_LINUX_SWAIT_H */
