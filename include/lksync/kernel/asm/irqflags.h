/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/irqflags.h>: arch_local_irq_save() and friends. */
#ifndef LKSYNC_KERNEL_ASM_IRQFLAGS_H
#define LKSYNC_KERNEL_ASM_IRQFLAGS_H

#include <linux/compiler_types.h>
#include <lksync/irqflags.h>

#endif /* LKSYNC_KERNEL_ASM_IRQFLAGS_H */
