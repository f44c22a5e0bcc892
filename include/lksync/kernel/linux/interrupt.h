/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/interrupt.h>: request_irq() and friends, softirqs,
 * tasklets, interrupt masking and bottom halves; <lksync/irq.h> (raising and
 * routing lines) comes with it.
 */
#ifndef LKSYNC_KERNEL_LINUX_INTERRUPT_H
#define LKSYNC_KERNEL_LINUX_INTERRUPT_H

#include <linux/compiler_types.h>
#include <linux/hardirq.h>
#include <linux/irqreturn.h>
#include <lksync/irqflags.h>
#include <lksync/bottom_half.h>
#include <lksync/interrupt.h>

#endif /* LKSYNC_KERNEL_LINUX_INTERRUPT_H */
