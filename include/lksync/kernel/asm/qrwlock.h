/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/qrwlock.h>: the queued rwlock. */
#ifndef LKSYNC_KERNEL_ASM_QRWLOCK_H
#define LKSYNC_KERNEL_ASM_QRWLOCK_H

#include <linux/compiler_types.h>
#include <lksync/qrwlock.h>

#endif /* LKSYNC_KERNEL_ASM_QRWLOCK_H */
