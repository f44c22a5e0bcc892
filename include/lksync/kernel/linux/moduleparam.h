/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/moduleparam.h>: module_param() (checked and discarded). */
#ifndef LKSYNC_KERNEL_LINUX_MODULEPARAM_H
#define LKSYNC_KERNEL_LINUX_MODULEPARAM_H

#include <linux/compiler_types.h>
#include <lksync/module.h>

#endif /* LKSYNC_KERNEL_LINUX_MODULEPARAM_H */
