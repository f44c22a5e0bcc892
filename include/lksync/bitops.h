/* SPDX-License-Identifier: MIT */
/*
 * Layer: arch. Bit operations on bitmaps of unsigned long (the kernel's
 * linux/bitops.h, asm-generic/bitops/{atomic,lock,non-atomic}.h and
 * linux/find.h). Includes compiler.h, types.h, bits.h and cmpxchg.h, and
 * <strings.h> so that libc's ffs() and ours are one and the same.
 *
 * Bit @nr of a bitmap is bit (@nr % BITS_PER_LONG) of word
 * (@nr / BITS_PER_LONG): numbers past the first word index the following
 * words. Ordering follows Documentation/atomic_bitops.txt: set_bit(),
 * clear_bit() and change_bit() are unordered; test_and_{set,clear,change}_bit()
 * are fully ordered; test_and_set_bit_lock() is acquire (and unordered when
 * the bit was already set); clear_bit_unlock() is release. The __ forms are
 * not atomic. The operations are generated from scripts/atomics.tbl into
 * bitops/generated.h.
 */
#ifndef LKSYNC_BITOPS_H
#define LKSYNC_BITOPS_H

#include <stdbool.h>
#include <strings.h>
#include <lksync/compiler.h>
#include <lksync/types.h>
#include <lksync/bits.h>
#include <lksync/cmpxchg.h>

/* DECLARE_BITMAP - define an array @name of unsigned long holding @bits bits. */
#define DECLARE_BITMAP(name, bits)	unsigned long name[BITS_TO_LONGS(bits)]

#include <lksync/bitops/generated.h>

/**
 * ffs - find the first (least significant) set bit, counting from 1
 * @x: the int to search
 *
 * The same function as libc's ffs(), which <strings.h> declares; the macro
 * only makes sure it is inlined.
 * Context: any.
 * Return: 1 + the index of the lowest set bit, or 0 if @x is 0.
 */
#define ffs(x)	__builtin_ffs(x)

/**
 * fls - find the last (most significant) set bit, counting from 1
 * @x: the word to search
 * Context: any.
 * Return: 1 + the index of the highest set bit, or 0 if @x is 0; fls(1) = 1,
 * fls(0x80000000) = 32.
 */
static __always_inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

/**
 * fls64 - fls() of a 64-bit word
 * @x: the word to search
 * Context: any.
 * Return: 1 + the index of the highest set bit, or 0 if @x is 0.
 */
static __always_inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

/**
 * fls_long - fls() of an unsigned long
 * @l: the word to search
 * Context: any.
 * Return: 1 + the index of the highest set bit, or 0 if @l is 0.
 */
static __always_inline unsigned int fls_long(unsigned long l)
{
	return l ? BITS_PER_LONG - __builtin_clzl(l) : 0;
}

/**
 * __ffs - index of the first set bit, counting from 0
 * @word: the word to search; must not be 0 (the result is undefined)
 * Context: any.
 * Return: the index of the lowest set bit.
 */
static __always_inline unsigned long __ffs(unsigned long word)
{
	return (unsigned long)__builtin_ctzl(word);
}

/**
 * __fls - index of the last set bit, counting from 0
 * @word: the word to search; must not be 0 (the result is undefined)
 * Context: any.
 * Return: the index of the highest set bit.
 */
static __always_inline unsigned long __fls(unsigned long word)
{
	return (unsigned long)(BITS_PER_LONG - 1 - __builtin_clzl(word));
}

/**
 * __ffs64 - __ffs() of a 64-bit word
 * @word: the word to search; must not be 0
 * Context: any.
 * Return: the index of the lowest set bit.
 */
static __always_inline unsigned long __ffs64(u64 word)
{
	return (unsigned long)__builtin_ctzll(word);
}

/**
 * ffz - index of the first zero bit, counting from 0
 * @x: the word to search; must not be ~0UL (the result is undefined)
 * Context: any.
 * Return: the index of the lowest clear bit.
 */
#define ffz(x)	__ffs(~(unsigned long)(x))

/*
 * hweight8/16/32/64 - Hamming weight (number of set bits) of the low 8, 16,
 * 32 or 64 bits of @w; hweight_long() of an unsigned long. Constant for a
 * constant argument. Context: any. Return: the number of set bits.
 */
#define hweight8(w)	((unsigned int)__builtin_popcount((u8)(w)))
#define hweight16(w)	((unsigned int)__builtin_popcount((u16)(w)))
#define hweight32(w)	((unsigned int)__builtin_popcount((u32)(w)))
#define hweight64(w)	((unsigned long)__builtin_popcountll((u64)(w)))
#define hweight_long(w)	((unsigned long)__builtin_popcountl((unsigned long)(w)))

/* rol32/ror32/rol64/ror64 - rotate @word left/right by @shift (mod width). Return: the rotated word. */
static __always_inline u32 rol32(u32 word, unsigned int shift)
{
	return (word << (shift & 31)) | (word >> ((-shift) & 31));
}
static __always_inline u32 ror32(u32 word, unsigned int shift)
{
	return (word >> (shift & 31)) | (word << ((-shift) & 31));
}
static __always_inline u64 rol64(u64 word, unsigned int shift)
{
	return (word << (shift & 63)) | (word >> ((-shift) & 63));
}
static __always_inline u64 ror64(u64 word, unsigned int shift)
{
	return (word >> (shift & 63)) | (word << ((-shift) & 63));
}

/* Out of line scans (src/lib/find_bit.c); call the find_*() wrappers below. */
LKSYNC_API unsigned long lksync_find_next_bit(const unsigned long *addr, unsigned long size,
					     unsigned long offset);
LKSYNC_API unsigned long lksync_find_next_zero_bit(const unsigned long *addr, unsigned long size,
						  unsigned long offset);
LKSYNC_API unsigned long lksync_find_last_bit(const unsigned long *addr, unsigned long size);

/* One word, size known at compile time: scan inline, as the kernel does. */
#define __lksync_small_const_nbits(n)	\
	(__builtin_constant_p(n) && (n) <= BITS_PER_LONG && (n) > 0)
#define __lksync_word_mask(h, l)	GENMASK((h), (l))

/**
 * find_next_bit - find the next set bit at or after @offset
 * @addr: the bitmap
 * @size: the bitmap size in bits
 * @offset: the bit number to start at
 *
 * find_next_zero_bit() finds the next clear bit the same way; find_first_bit()
 * and find_first_zero_bit() start at 0. Only the first @size bits are read.
 * Context: any; the scan is not atomic against concurrent updates.
 * Return: the bit number found, or @size if there is none.
 */
static __always_inline unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
						   unsigned long offset)
{
	if (__lksync_small_const_nbits(size)) {
		unsigned long val;

		if (unlikely(offset >= size))
			return size;
		val = *addr & __lksync_word_mask(size - 1, offset);
		return val ? __ffs(val) : size;
	}
	return lksync_find_next_bit(addr, size, offset);
}

static __always_inline unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
							unsigned long offset)
{
	if (__lksync_small_const_nbits(size)) {
		unsigned long val;

		if (unlikely(offset >= size))
			return size;
		val = ~*addr & __lksync_word_mask(size - 1, offset);
		return val ? __ffs(val) : size;
	}
	return lksync_find_next_zero_bit(addr, size, offset);
}

static __always_inline unsigned long find_first_bit(const unsigned long *addr, unsigned long size)
{
	return find_next_bit(addr, size, 0);
}

static __always_inline unsigned long find_first_zero_bit(const unsigned long *addr, unsigned long size)
{
	return find_next_zero_bit(addr, size, 0);
}

/**
 * find_last_bit - find the highest set bit below @size
 * @addr: the bitmap
 * @size: the bitmap size in bits
 * Context: any; the scan is not atomic against concurrent updates.
 * Return: the bit number found, or @size if no bit is set.
 */
static __always_inline unsigned long find_last_bit(const unsigned long *addr, unsigned long size)
{
	if (__lksync_small_const_nbits(size)) {
		unsigned long val = *addr & __lksync_word_mask(size - 1, 0);

		return val ? __fls(val) : size;
	}
	return lksync_find_last_bit(addr, size);
}

/**
 * for_each_set_bit - iterate @bit over the set bits of the first @size bits of @addr
 * @bit: an unsigned long (or unsigned int) iteration variable
 * @addr: the bitmap
 * @size: the bitmap size in bits
 *
 * for_each_clear_bit() iterates over the clear bits; the _from forms start
 * at the current value of @bit instead of 0.
 */
#define for_each_set_bit(bit, addr, size)					\
	for ((bit) = 0; (bit) = find_next_bit((addr), (size), (bit)), (bit) < (size); (bit)++)
#define for_each_set_bit_from(bit, addr, size)					\
	for (; (bit) = find_next_bit((addr), (size), (bit)), (bit) < (size); (bit)++)
#define for_each_clear_bit(bit, addr, size)					\
	for ((bit) = 0; (bit) = find_next_zero_bit((addr), (size), (bit)), (bit) < (size); (bit)++)
#define for_each_clear_bit_from(bit, addr, size)				\
	for (; (bit) = find_next_zero_bit((addr), (size), (bit)), (bit) < (size); (bit)++)

#endif /* LKSYNC_BITOPS_H */
