/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/stddef.h>, which is also a system (UAPI) header: then
 * offsetof(), sizeof_field(), offsetofend() and struct_group().
 * The system header comes first, under its own guard; this file keeps a
 * guard of its own and adds only kernel-internal names, never a UAPI or libc
 * one. glibc may include it from inside its own headers.
 */
#ifndef LKSYNC_KERNEL_LINUX_STDDEF_H
#define LKSYNC_KERNEL_LINUX_STDDEF_H

#if __has_include_next(<linux/stddef.h>)
#include_next <linux/stddef.h>
#endif

#include <stdbool.h>
#include <stddef.h>

/* sizeof_field - the size of @MEMBER in struct type @TYPE. */
#ifndef sizeof_field
#define sizeof_field(TYPE, MEMBER)	sizeof((((TYPE *)0)->MEMBER))
#endif
/* offsetofend - the offset of the first byte after @MEMBER in @TYPE. */
#ifndef offsetofend
#define offsetofend(TYPE, MEMBER)	(offsetof(TYPE, MEMBER) + sizeof_field(TYPE, MEMBER))
#endif
#if defined(__struct_group) && !defined(struct_group)
/* struct_group - members addressable both directly and as the struct @NAME. */
#define struct_group(NAME, MEMBERS...)		__struct_group(, NAME, , MEMBERS)
#define struct_group_tagged(TAG, NAME, MEMBERS...) __struct_group(TAG, NAME, , MEMBERS)
#endif
#if defined(__DECLARE_FLEX_ARRAY) && !defined(DECLARE_FLEX_ARRAY)
#define DECLARE_FLEX_ARRAY(TYPE, NAME)		__DECLARE_FLEX_ARRAY(TYPE, NAME)
#endif

#endif /* LKSYNC_KERNEL_LINUX_STDDEF_H */
