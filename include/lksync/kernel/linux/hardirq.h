/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/hardirq.h>: in_irq(), in_interrupt() and the context tests; irq_enter()/irq_exit(). */
#ifndef LKSYNC_KERNEL_LINUX_HARDIRQ_H
#define LKSYNC_KERNEL_LINUX_HARDIRQ_H

#include <linux/compiler_types.h>
#include <lksync/preempt.h>
#include <lksync/irqflags.h>
#include <lksync/interrupt.h>	/* irq_enter(), irq_exit() */

#endif /* LKSYNC_KERNEL_LINUX_HARDIRQ_H */
