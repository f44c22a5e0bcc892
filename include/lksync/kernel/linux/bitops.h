/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/bitops.h>: atomic and non-atomic bit operations. */
#ifndef LKSYNC_KERNEL_LINUX_BITOPS_H
#define LKSYNC_KERNEL_LINUX_BITOPS_H

#include <linux/compiler_types.h>
#include <linux/bits.h>
#include <lksync/bitops.h>

#endif /* LKSYNC_KERNEL_LINUX_BITOPS_H */
