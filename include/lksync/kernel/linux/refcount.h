/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/refcount.h>: refcount_t. */
#ifndef LKSYNC_KERNEL_LINUX_REFCOUNT_H
#define LKSYNC_KERNEL_LINUX_REFCOUNT_H

#include <linux/compiler_types.h>
#include <lksync/refcount.h>

#endif /* LKSYNC_KERNEL_LINUX_REFCOUNT_H */
