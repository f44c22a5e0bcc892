/* SPDX-License-Identifier: MIT */
/* Kernel-compatible <linux/vmalloc.h>: vmalloc() and friends on kmalloc(). */
#ifndef LKSYNC_KERNEL_LINUX_VMALLOC_H
#define LKSYNC_KERNEL_LINUX_VMALLOC_H

#include <linux/slab.h>

#define vmalloc(size)		kmalloc(size, GFP_KERNEL)
#define vzalloc(size)		kzalloc(size, GFP_KERNEL)
#define vmalloc_array(n, size)	kmalloc_array(n, size, GFP_KERNEL)
#define vcalloc(n, size)	kcalloc(n, size, GFP_KERNEL)
#define vfree(p)		kfree(p)

#endif /* LKSYNC_KERNEL_LINUX_VMALLOC_H */
