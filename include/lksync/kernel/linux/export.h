/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/export.h>: EXPORT_SYMBOL() (a no-op). */
#ifndef LKSYNC_KERNEL_LINUX_EXPORT_H
#define LKSYNC_KERNEL_LINUX_EXPORT_H

#include <linux/compiler_types.h>
#include <lksync/export.h>

#endif /* LKSYNC_KERNEL_LINUX_EXPORT_H */
