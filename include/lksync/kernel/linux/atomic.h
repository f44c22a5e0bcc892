/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/atomic.h>: atomic_t, atomic64_t, atomic_long_t. */
#ifndef LKSYNC_KERNEL_LINUX_ATOMIC_H
#define LKSYNC_KERNEL_LINUX_ATOMIC_H

#include <linux/compiler_types.h>
#include <lksync/atomic.h>

#endif /* LKSYNC_KERNEL_LINUX_ATOMIC_H */
