/* SPDX-License-Identifier: MIT */
/*
 * Layer: arch. Bit and mask constructors (the kernel's linux/bits.h and the
 * sizes from asm/bitsperlong.h). Includes nothing.
 */
#ifndef LKSYNC_BITS_H
#define LKSYNC_BITS_H

/* BITS_PER_LONG - bits in an unsigned long (64 on LP64). */
#define BITS_PER_LONG		(__SIZEOF_LONG__ * 8)
/* BITS_PER_LONG_LONG - bits in an unsigned long long. */
#define BITS_PER_LONG_LONG	64
/* BITS_PER_BYTE - bits in a byte. */
#define BITS_PER_BYTE		8
/* BITS_PER_TYPE - bits in an object of @type. */
#define BITS_PER_TYPE(type)	(sizeof(type) * BITS_PER_BYTE)

/* BIT - the unsigned long with only bit @nr set. */
#define BIT(nr)			(1UL << (nr))
/* BIT_ULL - the unsigned long long with only bit @nr set. */
#define BIT_ULL(nr)		(1ULL << (nr))
/* BIT_MASK - the mask of bit @nr within its word of a bitmap. */
#define BIT_MASK(nr)		(1UL << ((nr) % BITS_PER_LONG))
/* BIT_WORD - the index of the word of a bitmap that holds bit @nr. */
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
/* BIT_ULL_MASK/BIT_ULL_WORD - the same for arrays of unsigned long long. */
#define BIT_ULL_MASK(nr)	(1ULL << ((nr) % BITS_PER_LONG_LONG))
#define BIT_ULL_WORD(nr)	((nr) / BITS_PER_LONG_LONG)

/* BITS_TO_LONGS - unsigned longs needed to hold @nr bits. */
#define BITS_TO_LONGS(nr)	(((nr) + BITS_PER_TYPE(long) - 1) / BITS_PER_TYPE(long))
/* BITS_TO_U64/BITS_TO_U32/BITS_TO_BYTES - the same for other units. */
#define BITS_TO_U64(nr)		(((nr) + 63) / 64)
#define BITS_TO_U32(nr)		(((nr) + 31) / 32)
#define BITS_TO_BYTES(nr)	(((nr) + 7) / 8)

/*
 * GENMASK - contiguous mask of bits @l..@h (inclusive) in an unsigned long;
 * GENMASK_ULL in an unsigned long long. Requires @l <= @h.
 */
#define GENMASK(h, l)							\
	(((~0UL) - (1UL << (l)) + 1) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l)						\
	(((~0ULL) - (1ULL << (l)) + 1) & (~0ULL >> (BITS_PER_LONG_LONG - 1 - (h))))

#endif /* LKSYNC_BITS_H */
