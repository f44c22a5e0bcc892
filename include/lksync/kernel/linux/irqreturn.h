/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/irqreturn.h>: irqreturn_t, IRQ_NONE, IRQ_HANDLED, IRQ_WAKE_THREAD. */
#ifndef LKSYNC_KERNEL_LINUX_IRQRETURN_H
#define LKSYNC_KERNEL_LINUX_IRQRETURN_H

#include <lksync/interrupt.h>

#endif /* LKSYNC_KERNEL_LINUX_IRQRETURN_H */
