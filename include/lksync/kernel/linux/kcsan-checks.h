/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/kcsan-checks.h>: the race annotations
 * (ASSERT_EXCLUSIVE_WRITER(), kcsan_check_read(), ...) of
 * <lksync/kcsan-checks.h>, which ThreadSanitizer honors; data_race() comes
 * with them, as in the kernel.
 */
#ifndef LKSYNC_KERNEL_LINUX_KCSAN_CHECKS_H
#define LKSYNC_KERNEL_LINUX_KCSAN_CHECKS_H

#include <lksync/kcsan-checks.h>

#endif /* LKSYNC_KERNEL_LINUX_KCSAN_CHECKS_H */
