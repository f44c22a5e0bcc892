/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/log2.h>: ilog2(), roundup_pow_of_two() and friends. */
#ifndef LKSYNC_KERNEL_LINUX_LOG2_H
#define LKSYNC_KERNEL_LINUX_LOG2_H

#include <linux/compiler_types.h>
#include <lksync/log2.h>

#endif /* LKSYNC_KERNEL_LINUX_LOG2_H */
