/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/printk.h>: printk() and pr_*(). */
#ifndef LKSYNC_KERNEL_LINUX_PRINTK_H
#define LKSYNC_KERNEL_LINUX_PRINTK_H

#include <linux/compiler_types.h>
#include <lksync/printk.h>

#endif /* LKSYNC_KERNEL_LINUX_PRINTK_H */
