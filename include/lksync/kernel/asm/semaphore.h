/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <asm/semaphore.h> (kernels before 2.6.26, as the seeds use): <linux/semaphore.h>. */
#ifndef LKSYNC_KERNEL_ASM_SEMAPHORE_H
#define LKSYNC_KERNEL_ASM_SEMAPHORE_H

#include <linux/semaphore.h>

#endif /* LKSYNC_KERNEL_ASM_SEMAPHORE_H */
