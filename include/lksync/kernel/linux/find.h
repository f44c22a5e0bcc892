/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/find.h>: find_first_bit() and friends. */
#ifndef LKSYNC_KERNEL_LINUX_FIND_H
#define LKSYNC_KERNEL_LINUX_FIND_H

#include <linux/compiler_types.h>
#include <lksync/bitops.h>

#endif /* LKSYNC_KERNEL_LINUX_FIND_H */
