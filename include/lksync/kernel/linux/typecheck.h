/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/typecheck.h>: typecheck(). */
#ifndef LKSYNC_KERNEL_LINUX_TYPECHECK_H
#define LKSYNC_KERNEL_LINUX_TYPECHECK_H

#include <linux/compiler_types.h>
#include <lksync/kernel.h>

#endif /* LKSYNC_KERNEL_LINUX_TYPECHECK_H */
