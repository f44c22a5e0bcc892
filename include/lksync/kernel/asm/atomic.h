/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/atomic.h>: the atomic_t operations. */
#ifndef LKSYNC_KERNEL_ASM_ATOMIC_H
#define LKSYNC_KERNEL_ASM_ATOMIC_H

#include <linux/compiler_types.h>
#include <lksync/atomic.h>

#endif /* LKSYNC_KERNEL_ASM_ATOMIC_H */
