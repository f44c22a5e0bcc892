/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/init.h>: __init, __exit and module_init() (see lksync/module.h). */
#ifndef LKSYNC_KERNEL_LINUX_INIT_H
#define LKSYNC_KERNEL_LINUX_INIT_H

#include <linux/compiler_types.h>
#include <lksync/module.h>

#endif /* LKSYNC_KERNEL_LINUX_INIT_H */
