/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/minmax.h>: min(), max(), clamp() and swap(). */
#ifndef LKSYNC_KERNEL_LINUX_MINMAX_H
#define LKSYNC_KERNEL_LINUX_MINMAX_H

#include <linux/compiler_types.h>
#include <lksync/kernel.h>

#endif /* LKSYNC_KERNEL_LINUX_MINMAX_H */
