/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/kconfig.h>: the configuration kernel code tests
 * with #ifdef CONFIG_... and IS_ENABLED(), derived from lksync's flavor
 * (lksync/config.h). Only options lksync gives a meaning are defined.
 */
#ifndef LKSYNC_KERNEL_LINUX_KCONFIG_H
#define LKSYNC_KERNEL_LINUX_KCONFIG_H

#include <lksync/compiler.h>

#ifndef LKSYNC_UP
#define CONFIG_SMP 1
#endif
#define CONFIG_PREEMPT_COUNT 1

/* IS_ENABLED - 1 if CONFIG_@option is defined to 1, else 0; usable in #if and C. */
#ifndef IS_ENABLED
#define __LKSYNC_ARG_PLACEHOLDER_1 0,
#define __lksync_take_second_arg(ignored, val, ...) val
#define __lksync_is_defined(x) ___lksync_is_defined(x)
#define ___lksync_is_defined(val) ____lksync_is_defined(__LKSYNC_ARG_PLACEHOLDER_##val)
#define ____lksync_is_defined(arg1_or_junk) __lksync_take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option) __lksync_is_defined(option)
#define IS_BUILTIN(option) __lksync_is_defined(option)
#endif

#endif /* LKSYNC_KERNEL_LINUX_KCONFIG_H */
