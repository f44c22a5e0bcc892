/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compatible <linux/slab.h>: kmalloc() and kmem_cache on the C
 * library's allocator. The kernel's guarantees are kept: kmalloc(0) returns
 * ZERO_SIZE_PTR, kfree() accepts it and NULL, and a power-of-two size is
 * naturally aligned (up to PAGE_SIZE). GFP flags select zeroing only; the
 * allocation never sleeps in a way lksync can see.
 */
#ifndef LKSYNC_KERNEL_LINUX_SLAB_H
#define LKSYNC_KERNEL_LINUX_SLAB_H

#include <stdlib.h>
#include <string.h>
#include <linux/compiler_types.h>
#include <linux/types.h>
#include <lksync/kernel.h>

#define ___GFP_HIGH		0x01u
#define ___GFP_IO		0x02u
#define ___GFP_FS		0x04u
#define ___GFP_ZERO		0x08u
#define ___GFP_DIRECT_RECLAIM	0x10u
#define ___GFP_KSWAPD_RECLAIM	0x20u
#define ___GFP_NOWARN		0x40u
#define ___GFP_NOFAIL		0x80u
#define ___GFP_NORETRY		0x100u
#define ___GFP_ACCOUNT		0x200u
#define ___GFP_DMA		0x400u
#define ___GFP_HARDWALL		0x800u

#define __GFP_HIGH		((__force gfp_t)___GFP_HIGH)
#define __GFP_IO		((__force gfp_t)___GFP_IO)
#define __GFP_FS		((__force gfp_t)___GFP_FS)
#define __GFP_ZERO		((__force gfp_t)___GFP_ZERO)
#define __GFP_DIRECT_RECLAIM	((__force gfp_t)___GFP_DIRECT_RECLAIM)
#define __GFP_KSWAPD_RECLAIM	((__force gfp_t)___GFP_KSWAPD_RECLAIM)
#define __GFP_RECLAIM		(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define __GFP_NOWARN		((__force gfp_t)___GFP_NOWARN)
#define __GFP_NOFAIL		((__force gfp_t)___GFP_NOFAIL)
#define __GFP_NORETRY		((__force gfp_t)___GFP_NORETRY)
#define __GFP_ACCOUNT		((__force gfp_t)___GFP_ACCOUNT)
#define __GFP_DMA		((__force gfp_t)___GFP_DMA)
#define __GFP_HARDWALL		((__force gfp_t)___GFP_HARDWALL)

#define GFP_ATOMIC		(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_NOWAIT		(__GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL		(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOIO		(__GFP_RECLAIM)
#define GFP_NOFS		(__GFP_RECLAIM | __GFP_IO)
#define GFP_USER		(__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA			__GFP_DMA

#ifndef PAGE_SIZE
#define PAGE_SIZE		4096UL
#endif

/* ZERO_SIZE_PTR - what kmalloc(0) returns: not NULL, never dereferenceable. */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

/**
 * kmalloc - allocate @size bytes.
 * @flags: GFP_KERNEL, GFP_ATOMIC, ...; __GFP_ZERO zeroes the memory.
 * Context: task context or softirq; not in a hard interrupt handler (it is
 * malloc(), which is not async-signal-safe, whatever the GFP flags).
 * Return: the memory, ZERO_SIZE_PTR if @size is 0, NULL if out of memory.
 */
static inline __must_check void *kmalloc(size_t size, gfp_t flags)
{
	void *p;

	if (!size)
		return ZERO_SIZE_PTR;
	if (size > 16 && size <= PAGE_SIZE && !(size & (size - 1)))
		p = aligned_alloc(size, size);
	else
		p = malloc(size);
	if (p && (flags & __GFP_ZERO))
		memset(p, 0, size);
	return p;
}

/**
 * kzalloc - kmalloc() zeroed memory.
 * Context: as kmalloc(). Return: as kmalloc().
 */
static inline __must_check void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

/**
 * kmalloc_array - allocate @n elements of @size bytes.
 * Context: as kmalloc(). Return: as kmalloc(); NULL if @n * @size overflows.
 */
static inline __must_check void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, flags);
}

/**
 * kcalloc - kmalloc_array() of zeroed memory.
 * Context: as kmalloc(). Return: as kmalloc_array().
 */
static inline __must_check void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

/**
 * kfree - free memory from kmalloc() and friends; NULL and ZERO_SIZE_PTR are ignored.
 * Context: any.
 */
static inline void kfree(const void *p)
{
	if (!ZERO_OR_NULL_PTR(p))
		free((void *)p);
}

/**
 * krealloc - resize @p to @new_size bytes, keeping its contents.
 * Context: as kmalloc().
 * Return: the new memory (@p is then invalid), NULL on failure (@p is
 * unchanged), ZERO_SIZE_PTR (and @p freed) if @new_size is 0.
 */
static inline __must_check void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	void *n;

	if (!new_size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(p))
		return kmalloc(new_size, flags);
	n = realloc((void *)p, new_size);
	return n;
}

/* kvmalloc()/kvzalloc()/kvfree() and vmalloc(): the same allocator here. */
#define kvmalloc(size, flags)		kmalloc(size, flags)
#define kvzalloc(size, flags)		kzalloc(size, flags)
#define kvmalloc_array(n, size, flags)	kmalloc_array(n, size, flags)
#define kvcalloc(n, size, flags)	kcalloc(n, size, flags)
#define kvfree(p)			kfree(p)

/* kmem_cache flags. SLAB_TYPESAFE_BY_RCU is accepted but not honoured. */
#define SLAB_HWCACHE_ALIGN	((__force slab_flags_t)0x00002000u)
#define SLAB_PANIC		((__force slab_flags_t)0x00040000u)
#define SLAB_TYPESAFE_BY_RCU	((__force slab_flags_t)0x00080000u)
#define SLAB_RECLAIM_ACCOUNT	((__force slab_flags_t)0x00020000u)
#define SLAB_ACCOUNT		((__force slab_flags_t)0x04000000u)

/* A cache of equally sized objects; here a size, an alignment and a constructor. */
struct kmem_cache {
	const char *name;
	size_t size;
	size_t align;
	void (*ctor)(void *);
};

/**
 * kmem_cache_create - create a cache of @size-byte objects.
 * @align: minimum alignment (0: the allocator's); SLAB_HWCACHE_ALIGN in
 *         @flags raises it to a cache line.
 * @ctor: called on each object as it is allocated, or NULL.
 * Context: process context.
 * Return: the cache, or NULL if out of memory (abort with SLAB_PANIC).
 */
static inline struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
		unsigned int align, slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *c = (struct kmem_cache *)malloc(sizeof(*c));

	if (!c) {
		if (flags & SLAB_PANIC)
			abort();
		return NULL;
	}
	if (align < sizeof(void *))
		align = sizeof(void *);
	if ((flags & SLAB_HWCACHE_ALIGN) && align < L1_CACHE_BYTES)
		align = L1_CACHE_BYTES;
	while (align & (align - 1))
		align++;
	c->name = name;
	c->size = size ? size : 1;
	c->align = align;
	c->ctor = ctor;
	return c;
}

/* KMEM_CACHE - a cache for struct @s, named and aligned after it. */
#define KMEM_CACHE(s, flags)							\
	kmem_cache_create(#s, sizeof(struct s), __alignof__(struct s), (flags), NULL)

/**
 * kmem_cache_alloc - allocate one object from @c.
 * Context: as kmalloc(). Return: the object (constructed), NULL if out of memory.
 */
static inline __must_check void *kmem_cache_alloc(struct kmem_cache *c, gfp_t flags)
{
	size_t bytes = (c->size + c->align - 1) & ~(c->align - 1);
	void *p = aligned_alloc(c->align, bytes);

	if (!p)
		return NULL;
	if (flags & __GFP_ZERO)
		memset(p, 0, c->size);
	else if (c->ctor)
		c->ctor(p);
	return p;
}

/**
 * kmem_cache_zalloc - kmem_cache_alloc() zeroed.
 * Context: as kmalloc(). Return: the object, NULL if out of memory.
 */
static inline __must_check void *kmem_cache_zalloc(struct kmem_cache *c, gfp_t flags)
{
	return kmem_cache_alloc(c, flags | __GFP_ZERO);
}

/* kmem_cache_free - return @p to @c; NULL is ignored. Context: any. */
static inline void kmem_cache_free(struct kmem_cache *c, void *p)
{
	free(p);
}

/* kmem_cache_destroy - free the cache @c (all its objects freed first). Context: process. */
static inline void kmem_cache_destroy(struct kmem_cache *c)
{
	free(c);
}

/**
 * kmemdup - kmalloc() a copy of @len bytes at @src.
 * Context: as kmalloc(). Return: the copy, or NULL.
 */
static inline __must_check void *kmemdup(const void *src, size_t len, gfp_t flags)
{
	void *p = kmalloc(len, flags);

	if (p && len)
		memcpy(p, src, len);
	return p;
}

/**
 * kstrdup - kmalloc() a copy of the string @s.
 * Context: as kmalloc(). Return: the copy, or NULL (also for @s NULL).
 */
static inline __must_check char *kstrdup(const char *s, gfp_t flags)
{
	return s ? (char *)kmemdup(s, strlen(s) + 1, flags) : NULL;
}

/**
 * kstrndup - kmalloc() a copy of at most @max characters of @s, terminated.
 * Context: as kmalloc(). Return: the copy, or NULL.
 */
static inline __must_check char *kstrndup(const char *s, size_t max, gfp_t flags)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strnlen(s, max);
	p = (char *)kmalloc(len + 1, flags);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

#endif /* LKSYNC_KERNEL_LINUX_SLAB_H */
