/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/smp.h>: raw_smp_processor_id(). */
#ifndef LKSYNC_KERNEL_ASM_SMP_H
#define LKSYNC_KERNEL_ASM_SMP_H

#include <linux/compiler_types.h>
#include <lksync/smp.h>

#endif /* LKSYNC_KERNEL_ASM_SMP_H */
