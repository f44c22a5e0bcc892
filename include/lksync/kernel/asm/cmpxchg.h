/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/cmpxchg.h>: xchg()/cmpxchg() on plain integers. */
#ifndef LKSYNC_KERNEL_ASM_CMPXCHG_H
#define LKSYNC_KERNEL_ASM_CMPXCHG_H

#include <linux/compiler_types.h>
#include <lksync/cmpxchg.h>

#endif /* LKSYNC_KERNEL_ASM_CMPXCHG_H */
