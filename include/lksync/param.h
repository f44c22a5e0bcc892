/* SPDX-License-Identifier: MIT */
/*
 * Layer: lib. HZ as the kernel sees it (CONFIG_HZ = 1000), replacing the
 * userspace value (100) that <sys/param.h> may have defined, exactly as the
 * kernel's own asm/param.h does under __KERNEL__. Includes nothing, since
 * the kernel-compatible linux/param.h includes it from inside glibc.
 */
#ifndef LKSYNC_PARAM_H
#define LKSYNC_PARAM_H

#undef HZ
#define HZ		1000
#ifndef USER_HZ
#define USER_HZ		100
#endif

#endif /* LKSYNC_PARAM_H */
