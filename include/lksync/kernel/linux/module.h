/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/module.h>, which is also a system (UAPI) header: the
 * finit_module() flags, then the module boilerplate of lksync/module.h.
 * The system header comes first, under its own guard; this file keeps a
 * guard of its own and adds only kernel-internal names, never a UAPI or libc
 * one. glibc may include it from inside its own headers.
 */
#ifndef LKSYNC_KERNEL_LINUX_MODULE_H
#define LKSYNC_KERNEL_LINUX_MODULE_H

#if __has_include_next(<linux/module.h>)
#include_next <linux/module.h>
#endif

#include <linux/compiler_types.h>
#include <linux/printk.h>
#include <linux/export.h>
#include <lksync/module.h>

#endif /* LKSYNC_KERNEL_LINUX_MODULE_H */
