/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/spinlock.h>: the architecture spinlock (queued spinlock and rwlock). */
#ifndef LKSYNC_KERNEL_ASM_SPINLOCK_H
#define LKSYNC_KERNEL_ASM_SPINLOCK_H

#include <linux/compiler_types.h>
#include <lksync/spinlock.h>

#endif /* LKSYNC_KERNEL_ASM_SPINLOCK_H */
