/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/percpu.h>: per-CPU accessors. */
#ifndef LKSYNC_KERNEL_ASM_PERCPU_H
#define LKSYNC_KERNEL_ASM_PERCPU_H

#include <linux/compiler_types.h>
#include <lksync/percpu.h>

#endif /* LKSYNC_KERNEL_ASM_PERCPU_H */
