/* SPDX-License-Identifier: MIT */
/*
 * Layer: arch. Whole-bitmap helpers (a subset of the kernel's linux/bitmap.h).
 * Includes bitops.h and <string.h>. None of these is atomic.
 */
#ifndef LKSYNC_BITMAP_H
#define LKSYNC_BITMAP_H

#include <string.h>
#include <lksync/bitops.h>

/* BITMAP_FIRST_WORD_MASK - the bits of the first word at or after bit @start. */
#define BITMAP_FIRST_WORD_MASK(start)	(~0UL << ((start) & (BITS_PER_LONG - 1)))
/* BITMAP_LAST_WORD_MASK - the bits of the last word below bit @nbits. */
#define BITMAP_LAST_WORD_MASK(nbits)	(~0UL >> (-(nbits) & (BITS_PER_LONG - 1)))

/* bitmap_zero - clear the first @nbits bits of @dst (whole words). Context: any. */
static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

/* bitmap_fill - set the first @nbits bits of @dst (whole words). Context: any. */
static inline void bitmap_fill(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0xff, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

/* bitmap_copy - copy @nbits bits (whole words) from @src to @dst. Context: any. */
static inline void bitmap_copy(unsigned long *dst, const unsigned long *src, unsigned int nbits)
{
	memcpy(dst, src, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

/**
 * bitmap_equal - compare the first @nbits bits of two bitmaps
 * Context: any. Return: true if they are equal; bits past @nbits are ignored.
 */
static inline bool bitmap_equal(const unsigned long *a, const unsigned long *b, unsigned int nbits)
{
	unsigned int k, full = nbits / BITS_PER_LONG;

	for (k = 0; k < full; k++)
		if (a[k] != b[k])
			return false;
	if (nbits % BITS_PER_LONG)
		return !((a[k] ^ b[k]) & BITMAP_LAST_WORD_MASK(nbits));
	return true;
}

/**
 * bitmap_weight - count the set bits among the first @nbits bits of @src
 * Context: any. Return: the number of set bits.
 */
static inline unsigned int bitmap_weight(const unsigned long *src, unsigned int nbits)
{
	unsigned int k, w = 0, full = nbits / BITS_PER_LONG;

	for (k = 0; k < full; k++)
		w += hweight_long(src[k]);
	if (nbits % BITS_PER_LONG)
		w += hweight_long(src[k] & BITMAP_LAST_WORD_MASK(nbits));
	return w;
}

/* bitmap_empty - Context: any. Return: true if none of the first @nbits bits is set. */
static inline bool bitmap_empty(const unsigned long *src, unsigned int nbits)
{
	return find_first_bit(src, nbits) >= nbits;
}

/* bitmap_full - Context: any. Return: true if all of the first @nbits bits are set. */
static inline bool bitmap_full(const unsigned long *src, unsigned int nbits)
{
	return find_first_zero_bit(src, nbits) >= nbits;
}

/* bitmap_set - set bits @start .. @start + @len - 1 of @map (not atomic). Context: any. */
static inline void bitmap_set(unsigned long *map, unsigned int start, unsigned int len)
{
	for (unsigned int i = start; i < start + len; i++)
		__set_bit(i, map);
}

/* bitmap_clear - clear bits @start .. @start + @len - 1 of @map (not atomic). Context: any. */
static inline void bitmap_clear(unsigned long *map, unsigned int start, unsigned int len)
{
	for (unsigned int i = start; i < start + len; i++)
		__clear_bit(i, map);
}

#endif /* LKSYNC_BITMAP_H */
