/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/bottom_half.h>: local_bh_disable()/local_bh_enable(). */
#ifndef LKSYNC_KERNEL_LINUX_BOTTOM_HALF_H
#define LKSYNC_KERNEL_LINUX_BOTTOM_HALF_H

#include <linux/compiler_types.h>
#include <lksync/bottom_half.h>

#endif /* LKSYNC_KERNEL_LINUX_BOTTOM_HALF_H */
