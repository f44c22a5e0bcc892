/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/rwsem.h>: struct rw_semaphore and its operations. */
#ifndef LKSYNC_KERNEL_LINUX_RWSEM_H
#define LKSYNC_KERNEL_LINUX_RWSEM_H

#include <linux/compiler_types.h>
#include <lksync/rwsem.h>

#endif /* LKSYNC_KERNEL_LINUX_RWSEM_H */
