/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/cleanup.h>: guard(), scoped_guard(), __free(), DEFINE_GUARD(). */
#ifndef LKSYNC_KERNEL_LINUX_CLEANUP_H
#define LKSYNC_KERNEL_LINUX_CLEANUP_H

#include <linux/compiler_types.h>
#include <lksync/cleanup.h>

#endif /* LKSYNC_KERNEL_LINUX_CLEANUP_H */
