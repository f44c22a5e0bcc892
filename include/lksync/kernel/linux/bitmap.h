/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/bitmap.h>: bitmaps. */
#ifndef LKSYNC_KERNEL_LINUX_BITMAP_H
#define LKSYNC_KERNEL_LINUX_BITMAP_H

#include <linux/compiler_types.h>
#include <lksync/bitmap.h>

#endif /* LKSYNC_KERNEL_LINUX_BITMAP_H */
