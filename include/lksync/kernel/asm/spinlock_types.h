/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/spinlock_types.h>: arch_spinlock_t. */
#ifndef LKSYNC_KERNEL_ASM_SPINLOCK_TYPES_H
#define LKSYNC_KERNEL_ASM_SPINLOCK_TYPES_H

#include <linux/compiler_types.h>
#include <lksync/spinlock_types.h>

#endif /* LKSYNC_KERNEL_ASM_SPINLOCK_TYPES_H */
