/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/seqlock.h>: seqcount_t and seqlock_t. */
#ifndef LKSYNC_KERNEL_LINUX_SEQLOCK_H
#define LKSYNC_KERNEL_LINUX_SEQLOCK_H

#include <linux/compiler_types.h>
#include <lksync/seqlock.h>

#endif /* LKSYNC_KERNEL_LINUX_SEQLOCK_H */
