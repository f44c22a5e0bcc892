/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/cpumask.h>: cpumasks and CPU iterators. */
#ifndef LKSYNC_KERNEL_LINUX_CPUMASK_H
#define LKSYNC_KERNEL_LINUX_CPUMASK_H

#include <linux/compiler_types.h>
#include <lksync/cpumask.h>

#endif /* LKSYNC_KERNEL_LINUX_CPUMASK_H */
