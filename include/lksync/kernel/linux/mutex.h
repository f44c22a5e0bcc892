/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/mutex.h>: struct mutex, its operations and guards. */
#ifndef LKSYNC_KERNEL_LINUX_MUTEX_H
#define LKSYNC_KERNEL_LINUX_MUTEX_H

#include <linux/compiler_types.h>
#include <lksync/mutex.h>

#endif /* LKSYNC_KERNEL_LINUX_MUTEX_H */
