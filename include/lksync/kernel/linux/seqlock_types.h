/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/seqlock_types.h>: the seqcount and seqlock types. */
#ifndef LKSYNC_KERNEL_LINUX_SEQLOCK_TYPES_H
#define LKSYNC_KERNEL_LINUX_SEQLOCK_TYPES_H

#include <linux/compiler_types.h>
#include <lksync/seqlock_types.h>

#endif /* LKSYNC_KERNEL_LINUX_SEQLOCK_TYPES_H */
