/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/bug.h>: BUG() and WARN(). */
#ifndef LKSYNC_KERNEL_ASM_BUG_H
#define LKSYNC_KERNEL_ASM_BUG_H

#include <linux/compiler_types.h>
#include <lksync/bug.h>

#endif /* LKSYNC_KERNEL_ASM_BUG_H */
