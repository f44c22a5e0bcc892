/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/build_bug.h>: BUILD_BUG_ON() and friends. */
#ifndef LKSYNC_KERNEL_LINUX_BUILD_BUG_H
#define LKSYNC_KERNEL_LINUX_BUILD_BUG_H

#include <linux/compiler_types.h>
#include <lksync/kernel.h>

#endif /* LKSYNC_KERNEL_LINUX_BUILD_BUG_H */
