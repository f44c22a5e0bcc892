/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/irq.h>: NR_IRQS, the number of interrupt lines. */
#ifndef LKSYNC_KERNEL_ASM_IRQ_H
#define LKSYNC_KERNEL_ASM_IRQ_H

#include <linux/compiler_types.h>
#include <lksync/irq.h>

#endif /* LKSYNC_KERNEL_ASM_IRQ_H */
