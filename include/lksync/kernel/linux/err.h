/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/err.h>: ERR_PTR(), IS_ERR() and PTR_ERR(). */
#ifndef LKSYNC_KERNEL_LINUX_ERR_H
#define LKSYNC_KERNEL_LINUX_ERR_H

#include <linux/compiler_types.h>
#include <lksync/kernel.h>

#endif /* LKSYNC_KERNEL_LINUX_ERR_H */
