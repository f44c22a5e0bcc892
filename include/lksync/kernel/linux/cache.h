/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/cache.h>: cache-line size and alignment
 * annotations. Included by linux/compiler_types.h, so it includes nothing.
 * In the uniprocessor build (LKSYNC_UP) the _in_smp forms are empty, as
 * without CONFIG_SMP.
 */
#ifndef LKSYNC_KERNEL_LINUX_CACHE_H
#define LKSYNC_KERNEL_LINUX_CACHE_H

#ifndef L1_CACHE_SHIFT
#define L1_CACHE_SHIFT		6
#endif
#ifndef L1_CACHE_BYTES
#define L1_CACHE_BYTES		(1 << L1_CACHE_SHIFT)
#endif
#ifndef SMP_CACHE_BYTES
#define SMP_CACHE_BYTES		L1_CACHE_BYTES
#endif
#ifndef L1_CACHE_ALIGN
#define L1_CACHE_ALIGN(x)	(((x) + (L1_CACHE_BYTES - 1)) & ~(__typeof__(x))(L1_CACHE_BYTES - 1))
#endif
#ifndef cache_line_size
#define cache_line_size()	L1_CACHE_BYTES
#endif

#ifndef __read_mostly
#define __read_mostly
#endif
#ifndef __ro_after_init
#define __ro_after_init
#endif
#ifndef ____cacheline_aligned
#define ____cacheline_aligned	__attribute__((__aligned__(SMP_CACHE_BYTES)))
#endif
#ifndef __cacheline_aligned
#define __cacheline_aligned	____cacheline_aligned
#endif
#ifndef ____cacheline_internodealigned_in_smp
#define ____cacheline_internodealigned_in_smp	____cacheline_aligned_in_smp
#endif
#ifdef LKSYNC_UP
#ifndef ____cacheline_aligned_in_smp
#define ____cacheline_aligned_in_smp
#endif
#ifndef __cacheline_aligned_in_smp
#define __cacheline_aligned_in_smp
#endif
#else
#ifndef ____cacheline_aligned_in_smp
#define ____cacheline_aligned_in_smp	____cacheline_aligned
#endif
#ifndef __cacheline_aligned_in_smp
#define __cacheline_aligned_in_smp	__cacheline_aligned
#endif
#endif

#endif /* LKSYNC_KERNEL_LINUX_CACHE_H */
