/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/barrier.h>: memory barriers. */
#ifndef LKSYNC_KERNEL_ASM_BARRIER_H
#define LKSYNC_KERNEL_ASM_BARRIER_H

#include <linux/compiler_types.h>
#include <lksync/barrier.h>

#endif /* LKSYNC_KERNEL_ASM_BARRIER_H */
