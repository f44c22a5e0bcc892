/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/delay.h>: msleep(), ssleep(), usleep_range(), udelay(). */
#ifndef LKSYNC_KERNEL_LINUX_DELAY_H
#define LKSYNC_KERNEL_LINUX_DELAY_H

#include <linux/compiler_types.h>
#include <lksync/delay.h>

#endif /* LKSYNC_KERNEL_LINUX_DELAY_H */
