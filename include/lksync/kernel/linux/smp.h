/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/smp.h>: smp_processor_id(), get_cpu() and friends. */
#ifndef LKSYNC_KERNEL_LINUX_SMP_H
#define LKSYNC_KERNEL_LINUX_SMP_H

#include <linux/compiler_types.h>
#include <lksync/smp.h>

#endif /* LKSYNC_KERNEL_LINUX_SMP_H */
