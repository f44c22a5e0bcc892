/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/rwlock.h>: rwlock_t operations. */
#ifndef LKSYNC_KERNEL_LINUX_RWLOCK_H
#define LKSYNC_KERNEL_LINUX_RWLOCK_H

#include <linux/compiler_types.h>
#include <lksync/rwlock.h>

#endif /* LKSYNC_KERNEL_LINUX_RWLOCK_H */
