/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/preempt.h>: preempt_count and preemption control. */
#ifndef LKSYNC_KERNEL_LINUX_PREEMPT_H
#define LKSYNC_KERNEL_LINUX_PREEMPT_H

#include <linux/compiler_types.h>
#include <lksync/preempt.h>

#endif /* LKSYNC_KERNEL_LINUX_PREEMPT_H */
