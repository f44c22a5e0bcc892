/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/spinlock.h>: spinlock_t, raw_spinlock_t and their
 * operations, and, as in the kernel, rwlock_t (linux/spinlock.h includes
 * linux/rwlock.h there) plus the barrier, preempt and irq headers it pulls in.
 */
#ifndef LKSYNC_KERNEL_LINUX_SPINLOCK_H
#define LKSYNC_KERNEL_LINUX_SPINLOCK_H

#include <linux/compiler_types.h>
#include <lksync/barrier.h>
#include <lksync/spinlock.h>
#include <lksync/rwlock.h>

#endif /* LKSYNC_KERNEL_LINUX_SPINLOCK_H */
