/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/spinlock_types.h>: the spinlock types and initializers. */
#ifndef LKSYNC_KERNEL_LINUX_SPINLOCK_TYPES_H
#define LKSYNC_KERNEL_LINUX_SPINLOCK_TYPES_H

#include <linux/compiler_types.h>
#include <lksync/spinlock_types.h>

#endif /* LKSYNC_KERNEL_LINUX_SPINLOCK_TYPES_H */
