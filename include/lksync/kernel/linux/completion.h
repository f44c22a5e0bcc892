/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/completion.h>: struct completion, complete(),
 * wait_for_completion() and their forms; as in the kernel it brings in
 * <linux/swait.h> and the wait queue types.
 */
#ifndef LKSYNC_KERNEL_LINUX_COMPLETION_H
#define LKSYNC_KERNEL_LINUX_COMPLETION_H

#include <linux/compiler_types.h>
#include <linux/swait.h>
#include <lksync/completion.h>

#endif /* LKSYNC_KERNEL_LINUX_COMPLETION_H */
