/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/current.h>: current. */
#ifndef LKSYNC_KERNEL_ASM_CURRENT_H
#define LKSYNC_KERNEL_ASM_CURRENT_H

#include <linux/compiler_types.h>
#include <lksync/sched.h>

#endif /* LKSYNC_KERNEL_ASM_CURRENT_H */
