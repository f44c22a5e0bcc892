/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/bug.h>: WARN_ON(), BUG_ON() and BUILD_BUG_ON(). */
#ifndef LKSYNC_KERNEL_LINUX_BUG_H
#define LKSYNC_KERNEL_LINUX_BUG_H

#include <linux/compiler_types.h>
#include <lksync/bug.h>
#include <lksync/kernel.h>

#endif /* LKSYNC_KERNEL_LINUX_BUG_H */
