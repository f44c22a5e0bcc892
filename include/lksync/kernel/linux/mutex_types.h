/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/mutex_types.h>: struct mutex and its initializers. */
#ifndef LKSYNC_KERNEL_LINUX_MUTEX_TYPES_H
#define LKSYNC_KERNEL_LINUX_MUTEX_TYPES_H

#include <linux/compiler_types.h>
#include <lksync/mutex_types.h>

#endif /* LKSYNC_KERNEL_LINUX_MUTEX_TYPES_H */
