/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/compiler_types.h>: the annotations kernel code
 * carries (sparse address spaces, lock-context and capability annotations,
 * attribute shorthands). Sparse and the lock-context checker are not run
 * here, so their annotations are empty; attribute shorthands are the
 * attributes. The kernel forces this header into every file; every forwarder
 * of this tree includes it. Each name is defined only if undefined, so that
 * libc's and lksync's definitions win.
 */
#ifndef LKSYNC_KERNEL_LINUX_COMPILER_TYPES_H
#define LKSYNC_KERNEL_LINUX_COMPILER_TYPES_H

#include <lksync/compiler.h>
#include <linux/kconfig.h>

/* Sparse address spaces and type modifiers. */
#ifndef __user
#define __user
#endif
#ifndef __kernel
#define __kernel
#endif
#ifndef __iomem
#define __iomem
#endif
#ifndef __percpu
#define __percpu
#endif
#ifndef __rcu
#define __rcu
#endif
#ifndef __force
#define __force
#endif
#ifndef __nocast
#define __nocast
#endif
#ifndef __safe
#define __safe
#endif
#ifndef __private
#define __private
#endif
#ifndef __bitwise
#define __bitwise
#endif
#ifndef ACCESS_PRIVATE
#define ACCESS_PRIVATE(p, member)	((p)->member)
#endif

/* Lock-context annotations (sparse's context checking, Clang capabilities). */
#ifndef __must_hold
#define __must_hold(x)
#endif
#ifndef __must_hold_shared
#define __must_hold_shared(x)
#endif
#ifndef __acquires
#define __acquires(x)
#endif
#ifndef __acquires_shared
#define __acquires_shared(x)
#endif
#ifndef __releases
#define __releases(x)
#endif
#ifndef __releases_shared
#define __releases_shared(x)
#endif
#ifndef __cond_acquires
#define __cond_acquires(x...)
#endif
#ifndef __cond_acquires_shared
#define __cond_acquires_shared(x...)
#endif
#ifndef __acquire
#define __acquire(x)	((void)0)
#endif
#ifndef __release
#define __release(x)	((void)0)
#endif
#ifndef __acquire_shared
#define __acquire_shared(x)	((void)0)
#endif
#ifndef __release_shared
#define __release_shared(x)	((void)0)
#endif
#ifndef __cond_lock
#define __cond_lock(x, c)	(c)
#endif
#ifndef __guarded_by
#define __guarded_by(x...)
#endif
#ifndef __pt_guarded_by
#define __pt_guarded_by(x...)
#endif
#ifndef __no_context_analysis
#define __no_context_analysis
#endif
#ifndef __no_capability_analysis
#define __no_capability_analysis
#endif

/* Attribute shorthands. */
#ifndef notrace
#define notrace		__attribute__((__no_instrument_function__))
#endif
#ifndef __visible
#define __visible	__attribute__((__externally_visible__))
#endif
#ifndef __weak
#define __weak		__attribute__((__weak__))
#endif
#ifndef __used
#define __used		__attribute__((__used__))
#endif
#ifndef __section
#define __section(s)	__attribute__((__section__(s)))
#endif
#ifndef __noreturn
#define __noreturn	__attribute__((__noreturn__))
#endif
#ifndef __pure
#define __pure		__attribute__((__pure__))
#endif
#ifndef __attribute_const__
#define __attribute_const__	__attribute__((__const__))
#endif
#ifndef __malloc
#define __malloc	__attribute__((__malloc__))
#endif
#ifndef __printf
#define __printf(a, b)	__attribute__((__format__(printf, a, b)))
#endif
#ifndef __scanf
#define __scanf(a, b)	__attribute__((__format__(scanf, a, b)))
#endif
#ifndef __always_unused
#define __always_unused	__attribute__((__unused__))
#endif
#ifndef __flatten
#define __flatten	__attribute__((__flatten__))
#endif
#ifndef __noclone
#define __noclone
#endif
#ifndef __nonstring
#define __nonstring
#endif
#ifndef __counted_by
#define __counted_by(member)
#endif
#ifndef __designated_init
#define __designated_init
#endif
#ifndef __randomize_layout
#define __randomize_layout
#endif
#ifndef __no_randomize_layout
#define __no_randomize_layout
#endif
#ifndef __latent_entropy
#define __latent_entropy
#endif
#ifndef __no_kcsan
#define __no_kcsan
#endif
#ifndef noinstr
#define noinstr
#endif
#ifndef __inline_maybe_unused
#define __inline_maybe_unused	__maybe_unused
#endif

/* fallthrough - marks an intended fall-through to the next case label. */
#ifndef fallthrough
#if defined(__has_attribute)
#if __has_attribute(__fallthrough__)
#define fallthrough	__attribute__((__fallthrough__))
#endif
#endif
#ifndef fallthrough
#define fallthrough	do {} while (0)
#endif
#endif

#include <linux/cache.h>

#endif /* LKSYNC_KERNEL_LINUX_COMPILER_TYPES_H */
