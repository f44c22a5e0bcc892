/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/rwonce.h>: READ_ONCE()/WRITE_ONCE(). */
#ifndef LKSYNC_KERNEL_ASM_RWONCE_H
#define LKSYNC_KERNEL_ASM_RWONCE_H

#include <linux/compiler_types.h>
#include <lksync/compiler.h>

#endif /* LKSYNC_KERNEL_ASM_RWONCE_H */
