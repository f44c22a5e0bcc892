// SPDX-License-Identifier: MIT
/*
 * Layer: lib. Bitmap scans behind find_next_bit() and friends
 * (include/lksync/bitops.h). A word at a time; the first word is masked
 * below @offset and the answer is clamped to @size, so bits past @size in the
 * last word never count.
 */
#include <lksync/bitops.h>

/* Scan words from @offset; @invert flips each word so clear bits are found. */
static inline unsigned long scan_next(const unsigned long *addr, unsigned long size,
				      unsigned long offset, unsigned long invert)
{
	unsigned long idx, word;

	if (offset >= size)
		return size;
	idx = BIT_WORD(offset);
	word = (addr[idx] ^ invert) & (~0UL << (offset % BITS_PER_LONG));
	while (!word) {
		if (++idx * BITS_PER_LONG >= size)
			return size;
		word = addr[idx] ^ invert;
	}
	offset = idx * BITS_PER_LONG + __ffs(word);
	return offset < size ? offset : size;
}

unsigned long lksync_find_next_bit(const unsigned long *addr, unsigned long size,
				   unsigned long offset)
{
	return scan_next(addr, size, offset, 0);
}

unsigned long lksync_find_next_zero_bit(const unsigned long *addr, unsigned long size,
					unsigned long offset)
{
	return scan_next(addr, size, offset, ~0UL);
}

unsigned long lksync_find_last_bit(const unsigned long *addr, unsigned long size)
{
	unsigned long idx, word;

	if (!size)
		return 0;
	idx = BIT_WORD(size - 1);
	/* mask off the bits at and past @size in the last word */
	word = addr[idx] & (~0UL >> (BITS_PER_LONG - 1 - (size - 1) % BITS_PER_LONG));
	for (;;) {
		if (word)
			return idx * BITS_PER_LONG + __fls(word);
		if (!idx--)
			return size;
		word = addr[idx];
	}
}
