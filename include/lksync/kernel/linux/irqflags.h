/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/irqflags.h>: local interrupt masking. */
#ifndef LKSYNC_KERNEL_LINUX_IRQFLAGS_H
#define LKSYNC_KERNEL_LINUX_IRQFLAGS_H

#include <linux/compiler_types.h>
#include <lksync/irqflags.h>

#endif /* LKSYNC_KERNEL_LINUX_IRQFLAGS_H */
