/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/lockdep_types.h>: struct lock_class_key,
 * struct lockdep_map, the wait and lock types and the kernel's limits.
 */
#ifndef LKSYNC_KERNEL_LINUX_LOCKDEP_TYPES_H
#define LKSYNC_KERNEL_LINUX_LOCKDEP_TYPES_H

#include <lksync/lockdep.h>

#endif /* LKSYNC_KERNEL_LINUX_LOCKDEP_TYPES_H */
