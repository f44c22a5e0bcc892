/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/percpu-defs.h>: per-CPU variables. */
#ifndef LKSYNC_KERNEL_LINUX_PERCPU_DEFS_H
#define LKSYNC_KERNEL_LINUX_PERCPU_DEFS_H

#include <linux/compiler_types.h>
#include <lksync/percpu.h>

#endif /* LKSYNC_KERNEL_LINUX_PERCPU_DEFS_H */
