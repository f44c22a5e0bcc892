/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/timer.h>: struct timer_list, timer_setup(), mod_timer(), timer_delete_sync(). */
#ifndef LKSYNC_KERNEL_LINUX_TIMER_H
#define LKSYNC_KERNEL_LINUX_TIMER_H

#include <linux/compiler_types.h>
#include <linux/list.h>
#include <linux/jiffies.h>
#include <lksync/timer.h>

#endif /* LKSYNC_KERNEL_LINUX_TIMER_H */
