/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/qspinlock.h>: the queued spinlock. */
#ifndef LKSYNC_KERNEL_ASM_QSPINLOCK_H
#define LKSYNC_KERNEL_ASM_QSPINLOCK_H

#include <linux/compiler_types.h>
#include <lksync/qspinlock.h>

#endif /* LKSYNC_KERNEL_ASM_QSPINLOCK_H */
