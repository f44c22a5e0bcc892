// SPDX-License-Identifier: MIT
/*
 * Bit operations: every op, bit numbers past the first word, find_*() and
 * for_each_*() against a naive scan on partial words, the bit/mask macros,
 * ffs/fls/hweight, bitmap helpers, and atomicity under contention with more
 * threads than cores.
 */
#include <strings.h>	/* before <lksync/bitops.h> on purpose: ffs() must not clash */
#include <string.h>
#include <sched.h>
#include <lksync/bitmap.h>
#include <lksync/atomic.h>
#include "lksync_test.h"

TEST(macros)
{
	DECLARE_BITMAP(map, 130);

	CHECK_EQ(BITS_PER_LONG, 8 * sizeof(long));
	CHECK_EQ(sizeof(map), 3 * sizeof(long));
	CHECK_EQ(BITS_TO_LONGS(0), 0);
	CHECK_EQ(BITS_TO_LONGS(1), 1);
	CHECK_EQ(BITS_TO_LONGS(64), 1);
	CHECK_EQ(BITS_TO_LONGS(65), 2);
	CHECK(BIT(0) == 1UL && BIT(63) == 0x8000000000000000UL);
	CHECK(BIT_ULL(40) == 0x10000000000ULL);
	CHECK(BIT_MASK(70) == BIT(6) && BIT_WORD(70) == 1);
	CHECK(BIT_MASK(63) == BIT(63) && BIT_WORD(63) == 0 && BIT_WORD(64) == 1);
	CHECK(GENMASK(7, 4) == 0xf0UL);
	CHECK(GENMASK(0, 0) == 1UL);
	CHECK(GENMASK(63, 0) == ~0UL);
	CHECK(GENMASK(63, 60) == 0xf000000000000000UL);
	CHECK(GENMASK_ULL(39, 21) == 0x000000ffffe00000ULL);
	_Static_assert(GENMASK(3, 1) == 0xe, "GENMASK is a constant expression");
}

TEST(ffs_fls_hweight)
{
	CHECK_EQ(ffs(0), 0);
	CHECK_EQ(ffs(1), 1);
	CHECK_EQ(ffs(0x18), 4);
	CHECK_EQ(ffs((int)0x80000000u), 32);
	CHECK_EQ(fls(0), 0);
	CHECK_EQ(fls(1), 1);
	CHECK_EQ(fls(0x18), 5);
	CHECK_EQ(fls(0x80000000u), 32);
	CHECK_EQ(fls64(0), 0);
	CHECK_EQ(fls64(1), 1);
	CHECK_EQ(fls64(1ULL << 63), 64);
	CHECK_EQ(fls_long(0), 0);
	CHECK_EQ(fls_long(1UL << 40), 41);
	CHECK_EQ(__ffs(1), 0);
	CHECK_EQ(__ffs(0x18), 3);
	CHECK_EQ(__ffs(1UL << 63), 63);
	CHECK_EQ(__ffs64(1ULL << 50), 50);
	CHECK_EQ(__fls(1), 0);
	CHECK_EQ(__fls(0x18), 4);
	CHECK_EQ(__fls(~0UL), 63);
	CHECK_EQ(ffz(0), 0);
	CHECK_EQ(ffz(0xff), 8);
	CHECK_EQ(ffz(~(1UL << 63) | 0), 63);
	CHECK_EQ(hweight8(0xff), 8);
	CHECK_EQ(hweight8(0x1ff), 8);	/* only the low 8 bits count */
	CHECK_EQ(hweight16(0x1ffff), 16);	/* only the low 16 bits count */
	CHECK_EQ(hweight32(0xf0f0f0f0u), 16);
	CHECK_EQ(hweight64(~0ULL), 64);
	CHECK_EQ(hweight64(0x8000000000000001ULL), 2);
	CHECK_EQ(hweight_long(0x5UL), 2);
	CHECK(rol32(0x80000001u, 1) == 3u && ror32(3u, 1) == 0x80000001u);
	CHECK(rol64(1ULL << 63, 2) == 2ULL && ror64(2ULL, 2) == 1ULL << 63);
	CHECK(rol32(5u, 0) == 5u);
}

TEST(single_ops_multiword)
{
	DECLARE_BITMAP(map, 192);

	memset(map, 0, sizeof(map));
	set_bit(70, map);			/* word 1, bit 6 */
	CHECK(map[0] == 0 && map[1] == BIT(6) && map[2] == 0);
	CHECK(test_bit(70, map) && !test_bit(6, map) && !test_bit(134, map));
	set_bit(0, map);
	set_bit(191, map);
	CHECK(map[0] == 1 && map[2] == BIT(63));
	clear_bit(70, map);
	CHECK(map[1] == 0);
	change_bit(128, map);
	CHECK(map[2] == (BIT(63) | 1));
	change_bit(128, map);
	CHECK(map[2] == BIT(63));
	CHECK(test_bit_acquire(191, map));

	CHECK(!test_and_set_bit(100, map));
	CHECK(test_and_set_bit(100, map));
	CHECK(map[1] == BIT(36));
	CHECK(test_and_clear_bit(100, map));
	CHECK(!test_and_clear_bit(100, map));
	CHECK(map[1] == 0);
	CHECK(!test_and_change_bit(65, map));
	CHECK(test_and_change_bit(65, map));
	CHECK(map[1] == 0);

	CHECK(!test_and_set_bit_lock(150, map));
	CHECK(test_and_set_bit_lock(150, map));
	clear_bit_unlock(150, map);
	CHECK(!test_bit(150, map));
	CHECK(!test_and_set_bit_lock(150, map));
	__clear_bit_unlock(150, map);
	CHECK(map[2] == BIT(63));

	__set_bit(66, map);
	CHECK(map[1] == BIT(2));
	__change_bit(67, map);
	CHECK(map[1] == (BIT(2) | BIT(3)));
	__change_bit(67, map);
	__clear_bit(66, map);
	CHECK(map[1] == 0);
	CHECK(!__test_and_set_bit(127, map));
	CHECK(__test_and_set_bit(127, map));
	CHECK(map[1] == BIT(63));
	CHECK(__test_and_clear_bit(127, map));
	CHECK(!__test_and_clear_bit(127, map));
	CHECK(!__test_and_change_bit(1, map));
	CHECK(__test_and_change_bit(1, map));
	CHECK(map[0] == 1 && map[1] == 0 && map[2] == BIT(63));
}

/* Naive references over the first @size bits. */
static unsigned long ref_next(const unsigned long *m, unsigned long size, unsigned long off, int val)
{
	for (unsigned long i = off; i < size; i++)
		if (!!(m[i / 64] & (1UL << (i % 64))) == val)
			return i;
	return size;
}

static unsigned long ref_last(const unsigned long *m, unsigned long size)
{
	for (unsigned long i = size; i-- > 0;)
		if (m[i / 64] & (1UL << (i % 64)))
			return i;
	return size;
}

static unsigned long rng = 88172645463325252UL;
static unsigned long xrand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

TEST(find_against_reference)
{
	static const unsigned long sizes[] = { 0, 1, 2, 31, 63, 64, 65, 100, 127, 128, 129, 200, 256 };
	unsigned long m[5];

	for (int round = 0; round < 400; round++) {
		for (int w = 0; w < 5; w++) {
			unsigned long r = xrand();
			/* sparse, dense, empty and full words, bits past size set too */
			m[w] = round % 4 == 0 ? r & xrand() & xrand() :
			       round % 4 == 1 ? r | xrand() : round % 4 == 2 ? 0 : ~0UL;
			if (round % 7 == 3)
				m[w] = 0;
		}
		if (round % 5 == 0)
			m[xrand() % 5] = 0;
		for (unsigned s = 0; s < ARRAY_SIZE(sizes); s++) {
			unsigned long size = sizes[s];

			CHECK_EQ(find_first_bit(m, size), ref_next(m, size, 0, 1));
			CHECK_EQ(find_first_zero_bit(m, size), ref_next(m, size, 0, 0));
			CHECK_EQ(find_last_bit(m, size), ref_last(m, size));
			for (unsigned long off = 0; off <= size + 1; off += 1 + xrand() % 9) {
				CHECK_EQ(find_next_bit(m, size, off), ref_next(m, size, off, 1));
				CHECK_EQ(find_next_zero_bit(m, size, off), ref_next(m, size, off, 0));
			}
		}
	}
}

/* Constant sizes up to one word take the inline path. */
TEST(find_small_const)
{
	unsigned long w = 0x8000000000000012UL;

	CHECK_EQ(find_first_bit(&w, 64), 1);
	CHECK_EQ(find_next_bit(&w, 64, 2), 4);
	CHECK_EQ(find_next_bit(&w, 64, 5), 63);
	CHECK_EQ(find_next_bit(&w, 40, 5), 40);
	CHECK_EQ(find_next_bit(&w, 40, 41), 40);
	CHECK_EQ(find_first_zero_bit(&w, 64), 0);
	CHECK_EQ(find_next_zero_bit(&w, 5, 4), 5);
	CHECK_EQ(find_last_bit(&w, 64), 63);
	CHECK_EQ(find_last_bit(&w, 63), 4);
	CHECK_EQ(find_last_bit(&w, 1), 1);	/* none: returns size */
	w = ~0UL;
	CHECK_EQ(find_first_zero_bit(&w, 64), 64);
}

TEST(for_each)
{
	DECLARE_BITMAP(map, 150);
	unsigned long bit, n = 0, sum = 0;
	static const unsigned long want[] = { 0, 5, 63, 64, 65, 127, 128, 149 };

	memset(map, 0, sizeof(map));
	for (unsigned i = 0; i < ARRAY_SIZE(want); i++)
		set_bit(want[i], map);
	set_bit(150, map);			/* past size: must not be visited */
	set_bit(191, map);
	for_each_set_bit(bit, map, 150) {
		CHECK(n < ARRAY_SIZE(want) && bit == want[n]);
		n++;
	}
	CHECK_EQ(n, ARRAY_SIZE(want));
	n = 0;
	for_each_clear_bit(bit, map, 150) {
		CHECK(!test_bit(bit, map));
		n++;
		sum += bit;
	}
	CHECK_EQ(n, 150 - ARRAY_SIZE(want));
	CHECK_EQ(sum, 149 * 150 / 2 - (0 + 5 + 63 + 64 + 65 + 127 + 128 + 149));
	n = 0;
	bit = 64;
	for_each_set_bit_from(bit, map, 150)
		n++;
	CHECK_EQ(n, 5);
	n = 0;
	bit = 140;
	for_each_clear_bit_from(bit, map, 150)
		n++;
	CHECK_EQ(n, 9);
}

TEST(bitmap_helpers)
{
	DECLARE_BITMAP(a, 100);
	DECLARE_BITMAP(b, 100);

	bitmap_zero(a, 100);
	CHECK(bitmap_empty(a, 100));
	CHECK_EQ(bitmap_weight(a, 100), 0);
	bitmap_fill(a, 100);
	CHECK(bitmap_full(a, 100));
	CHECK_EQ(bitmap_weight(a, 100), 100);	/* bits past 100 do not count */
	clear_bit(99, a);
	CHECK(!bitmap_full(a, 100));
	CHECK(bitmap_full(a, 99));
	bitmap_copy(b, a, 100);
	CHECK(bitmap_equal(a, b, 100));
	change_bit(70, b);
	CHECK(!bitmap_equal(a, b, 100));
	CHECK(bitmap_equal(a, b, 70));
	b[1] ^= BIT(63);			/* bit 127: past nbits */
	change_bit(70, b);
	CHECK(bitmap_equal(a, b, 100));
	bitmap_zero(a, 100);
	bitmap_set(a, 60, 10);
	CHECK_EQ(bitmap_weight(a, 100), 10);
	CHECK_EQ(find_first_bit(a, 100), 60);
	CHECK_EQ(find_last_bit(a, 100), 69);
	bitmap_clear(a, 62, 3);
	CHECK_EQ(bitmap_weight(a, 100), 7);
	CHECK(!test_bit(63, a) && test_bit(65, a));
	CHECK(BITMAP_LAST_WORD_MASK(100) == GENMASK(35, 0));
	CHECK(BITMAP_LAST_WORD_MASK(128) == ~0UL);
	CHECK(BITMAP_FIRST_WORD_MASK(70) == GENMASK(63, 6));
}

#define NTHREADS 8
static long iters;
static unsigned long shared_map[2];	/* thread i owns bits i, i+8, ..., of both words */
static atomic_t gate = ATOMIC_INIT(0);

static void start_gate(void)
{
	atomic_inc(&gate);
	while (atomic_read(&gate) < NTHREADS)
		sched_yield();
}

/* Concurrent set/clear/change of distinct bits of one word lose nothing. */
static void own_bits(int idx, void *arg)
{
	start_gate();
	for (long k = 0; k < iters; k++) {
		for (int b = idx; b < 128; b += NTHREADS)
			set_bit(b, shared_map);
		for (int b = idx; b < 128; b += NTHREADS)
			CHECK(test_bit(b, shared_map));
		for (int b = idx; b < 128; b += NTHREADS)
			clear_bit(b, shared_map);
		for (int b = idx; b < 128; b += NTHREADS)
			CHECK(!test_bit(b, shared_map));
		for (int b = idx; b < 128; b += NTHREADS)
			change_bit(b, shared_map);
		for (int b = idx; b < 128; b += NTHREADS)
			CHECK(test_and_change_bit(b, shared_map));
	}
	for (int b = idx; b < 128; b += 2 * NTHREADS)
		set_bit(b, shared_map);
}

TEST(concurrent_distinct_bits)
{
	unsigned long want = 0;

	iters = test_scale(3000);
	gate.counter = 0;
	test_threads(NTHREADS, own_bits, NULL);
	for (int b = 0; b < 64; b++)
		if ((b % NTHREADS) == b % (2 * NTHREADS))
			want |= BIT(b);
	CHECK(shared_map[0] == want && shared_map[1] == want);
}

/* test_and_set_bit() has exactly one winner per bit among many threads. */
#define RACE_BITS 1024
static unsigned long race_map[BITS_TO_LONGS(RACE_BITS)];
static atomic_t winners[RACE_BITS];

static void racer(int idx, void *arg)
{
	start_gate();
	for (int b = 0; b < RACE_BITS; b++)
		if (!test_and_set_bit(b, race_map))
			atomic_inc(&winners[b]);
}

TEST(test_and_set_bit_one_winner)
{
	gate.counter = 0;
	test_threads(NTHREADS, racer, NULL);
	for (int b = 0; b < RACE_BITS; b++)
		if (atomic_read(&winners[b]) != 1)
			CHECK_EQ(atomic_read(&winners[b]), 1);
	CHECK(bitmap_full(race_map, RACE_BITS));
}

/* A bit lock excludes: a plain counter under it is exact. */
static unsigned long lock_word[2];
static long locked_counter;

static void bit_locker(int idx, void *arg)
{
	start_gate();
	for (long k = 0; k < iters; k++) {
		while (test_and_set_bit_lock(77, lock_word))
			sched_yield();
		locked_counter++;
		if (k & 1)
			clear_bit_unlock(77, lock_word);
		else
			__clear_bit_unlock(77, lock_word);	/* nobody else writes the word */
	}
}

TEST(bit_lock_excludes)
{
	iters = test_scale(20000);
	gate.counter = 0;
	test_threads(NTHREADS, bit_locker, NULL);
	CHECK_EQ(locked_counter, iters * NTHREADS);
	CHECK(lock_word[1] == 0);
}

int main(void)
{
	test_watchdog(100);
	RUN(macros);
	RUN(ffs_fls_hweight);
	RUN(single_ops_multiword);
	RUN(find_against_reference);
	RUN(find_small_const);
	RUN(for_each);
	RUN(bitmap_helpers);
	RUN(concurrent_distinct_bits);
	RUN(test_and_set_bit_one_winner);
	RUN(bit_lock_excludes);
	return test_done();
}
