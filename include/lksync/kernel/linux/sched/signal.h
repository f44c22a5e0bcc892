/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/sched/signal.h>: signal_pending(), send_sig(), flush_signals(). */
#ifndef LKSYNC_KERNEL_LINUX_SCHED_SIGNAL_H
#define LKSYNC_KERNEL_LINUX_SCHED_SIGNAL_H

#include <linux/compiler_types.h>
#include <lksync/sched.h>

#endif /* LKSYNC_KERNEL_LINUX_SCHED_SIGNAL_H */
