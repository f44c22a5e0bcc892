/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/rwlock_types.h>: the rwlock types and initializers. */
#ifndef LKSYNC_KERNEL_LINUX_RWLOCK_TYPES_H
#define LKSYNC_KERNEL_LINUX_RWLOCK_TYPES_H

#include <linux/compiler_types.h>
#include <lksync/rwlock_types.h>

#endif /* LKSYNC_KERNEL_LINUX_RWLOCK_TYPES_H */
