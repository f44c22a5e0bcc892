/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/list.h>: lksync/list.h plus the kernel's
 * LIST_HEAD(name) definition macro. <sys/queue.h> defines an unrelated
 * LIST_HEAD(name, type) unconditionally, so it is included first here (its
 * own guard then keeps later includes from redefining the name) and the
 * kernel's meaning wins in kernel-style code, whichever order the two come in.
 */
#ifndef LKSYNC_KERNEL_LINUX_LIST_H
#define LKSYNC_KERNEL_LINUX_LIST_H

#include <linux/compiler_types.h>
#include <linux/types.h>
#include <sys/queue.h>
#include <lksync/list.h>

#undef LIST_HEAD
#define LIST_HEAD(name)	struct list_head name = LIST_HEAD_INIT(name)

#endif /* LKSYNC_KERNEL_LINUX_LIST_H */
