/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/smp_lock.h>: the Big Kernel Lock (lock_kernel(), unlock_kernel()). */
#ifndef LKSYNC_KERNEL_LINUX_SMP_LOCK_H
#define LKSYNC_KERNEL_LINUX_SMP_LOCK_H

#include <linux/compiler_types.h>
#include <lksync/smp_lock.h>

#endif /* LKSYNC_KERNEL_LINUX_SMP_LOCK_H */
