/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/math.h>: DIV_ROUND_UP(), roundup() and friends. */
#ifndef LKSYNC_KERNEL_LINUX_MATH_H
#define LKSYNC_KERNEL_LINUX_MATH_H

#include <linux/compiler_types.h>
#include <lksync/kernel.h>

#endif /* LKSYNC_KERNEL_LINUX_MATH_H */
