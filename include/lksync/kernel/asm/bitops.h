/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/bitops.h>: bit operations. */
#ifndef LKSYNC_KERNEL_ASM_BITOPS_H
#define LKSYNC_KERNEL_ASM_BITOPS_H

#include <linux/compiler_types.h>
#include <lksync/bitops.h>

#endif /* LKSYNC_KERNEL_ASM_BITOPS_H */
