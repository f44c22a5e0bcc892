/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/compiler_attributes.h>: see linux/compiler_types.h. */
#ifndef LKSYNC_KERNEL_LINUX_COMPILER_ATTRIBUTES_H
#define LKSYNC_KERNEL_LINUX_COMPILER_ATTRIBUTES_H

#include <linux/compiler_types.h>

#endif /* LKSYNC_KERNEL_LINUX_COMPILER_ATTRIBUTES_H */
