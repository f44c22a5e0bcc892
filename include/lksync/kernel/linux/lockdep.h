/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/lockdep.h>: the lock validator's annotations and
 * assertions (lockdep_assert_held(), lock_acquire(), lockdep_set_class(),
 * ...). In the release flavor every one of them compiles to nothing.
 */
#ifndef LKSYNC_KERNEL_LINUX_LOCKDEP_H
#define LKSYNC_KERNEL_LINUX_LOCKDEP_H

#include <linux/lockdep_types.h>
#include <lksync/lockdep.h>

#endif /* LKSYNC_KERNEL_LINUX_LOCKDEP_H */
