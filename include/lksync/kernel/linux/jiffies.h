/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/jiffies.h>: HZ, jiffies, time_after() and the conversions. */
#ifndef LKSYNC_KERNEL_LINUX_JIFFIES_H
#define LKSYNC_KERNEL_LINUX_JIFFIES_H

#include <linux/compiler_types.h>
#include <lksync/jiffies.h>

#endif /* LKSYNC_KERNEL_LINUX_JIFFIES_H */
