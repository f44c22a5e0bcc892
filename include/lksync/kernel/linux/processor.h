/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/processor.h>: cpu_relax(). */
#ifndef LKSYNC_KERNEL_LINUX_PROCESSOR_H
#define LKSYNC_KERNEL_LINUX_PROCESSOR_H

#include <linux/compiler_types.h>
#include <lksync/processor.h>

#endif /* LKSYNC_KERNEL_LINUX_PROCESSOR_H */
