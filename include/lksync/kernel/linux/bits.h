/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/bits.h>: BIT(), GENMASK() and friends. */
#ifndef LKSYNC_KERNEL_LINUX_BITS_H
#define LKSYNC_KERNEL_LINUX_BITS_H

#include <linux/compiler_types.h>
#include <lksync/bits.h>

#endif /* LKSYNC_KERNEL_LINUX_BITS_H */
