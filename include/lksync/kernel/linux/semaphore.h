/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/semaphore.h>: struct semaphore, down(), up(). */
#ifndef LKSYNC_KERNEL_LINUX_SEMAPHORE_H
#define LKSYNC_KERNEL_LINUX_SEMAPHORE_H

#include <linux/compiler_types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <lksync/semaphore.h>

#endif /* LKSYNC_KERNEL_LINUX_SEMAPHORE_H */
