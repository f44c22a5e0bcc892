/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/spinlock.h>: spinlock_t, raw_spinlock_t and their operations. */
#ifndef LKSYNC_KERNEL_LINUX_SPINLOCK_H
#define LKSYNC_KERNEL_LINUX_SPINLOCK_H

#include <linux/compiler_types.h>
#include <lksync/spinlock.h>

#endif /* LKSYNC_KERNEL_LINUX_SPINLOCK_H */
