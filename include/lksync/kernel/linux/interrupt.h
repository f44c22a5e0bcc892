/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/interrupt.h>: interrupt masking and bottom halves (the interrupt layer comes later). */
#ifndef LKSYNC_KERNEL_LINUX_INTERRUPT_H
#define LKSYNC_KERNEL_LINUX_INTERRUPT_H

#include <linux/compiler_types.h>
#include <linux/hardirq.h>
#include <lksync/irqflags.h>
#include <lksync/bottom_half.h>

#endif /* LKSYNC_KERNEL_LINUX_INTERRUPT_H */
