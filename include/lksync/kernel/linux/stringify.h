/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/stringify.h>: __stringify(). */
#ifndef LKSYNC_KERNEL_LINUX_STRINGIFY_H
#define LKSYNC_KERNEL_LINUX_STRINGIFY_H

#include <linux/compiler_types.h>
#include <lksync/kernel.h>

#endif /* LKSYNC_KERNEL_LINUX_STRINGIFY_H */
