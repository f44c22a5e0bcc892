/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/string.h>, which is also a system (UAPI) header:
 * the C library's string functions, then strscpy(), memzero_explicit() and
 * (from linux/slab.h) kstrdup()/kmemdup(). Own guard; adds no libc name.
 */
#ifndef LKSYNC_KERNEL_LINUX_STRING_H
#define LKSYNC_KERNEL_LINUX_STRING_H

#if __has_include_next(<linux/string.h>)
#include_next <linux/string.h>
#endif
#include <errno.h>
#include <string.h>
#include <sys/types.h>
#include <linux/compiler.h>
#include <linux/slab.h>

/**
 * strscpy - copy the string @src into @dest of @count bytes, always terminated.
 * Context: any.
 * Return: the number of characters copied (without the NUL), or -E2BIG if
 * @src was truncated (or @count is 0).
 */
static inline ssize_t strscpy(char *dest, const char *src, size_t count)
{
	size_t len;

	if (count == 0)
		return -E2BIG;
	len = strnlen(src, count);
	if (len == count) {
		memcpy(dest, src, count - 1);
		dest[count - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dest, src, len + 1);
	return (ssize_t)len;
}

/* memzero_explicit - zero @n bytes at @s; never optimized away. Context: any. */
static inline void memzero_explicit(void *s, size_t n)
{
	memset(s, 0, n);
	barrier_data(s);
}

#endif /* LKSYNC_KERNEL_LINUX_STRING_H */
