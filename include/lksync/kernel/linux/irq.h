/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/irq.h>: NR_IRQS and the interrupt lines; in lksync
 * a line is raised with lksync_irq_raise() and routed with lksync_irq_route().
 */
#ifndef LKSYNC_KERNEL_LINUX_IRQ_H
#define LKSYNC_KERNEL_LINUX_IRQ_H

#include <linux/irqreturn.h>
#include <lksync/irq.h>
#include <lksync/interrupt.h>

#endif /* LKSYNC_KERNEL_LINUX_IRQ_H */
