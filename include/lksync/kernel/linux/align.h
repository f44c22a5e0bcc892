/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/align.h>: ALIGN() and friends. */
#ifndef LKSYNC_KERNEL_LINUX_ALIGN_H
#define LKSYNC_KERNEL_LINUX_ALIGN_H

#include <linux/compiler_types.h>
#include <lksync/kernel.h>

#endif /* LKSYNC_KERNEL_LINUX_ALIGN_H */
