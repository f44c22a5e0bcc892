/* SPDX-License-Identifier: MIT */
/*
 * Layer: tools. The benchmark's adapters, one X() per lock type, in the
 * order they are printed. Each bench_<id> is defined in adapters_*.c; the
 * lksync ones exist once their headers do, the CK ones when CK was found.
 * "broken" takes no lock; it runs only when named, to show the check fails.
 */
#ifndef BENCH_ADAPTERS_H
#define BENCH_ADAPTERS_H

#include "bench.h"

#if __has_include(<lksync/spinlock.h>)
#define BENCH_LKSYNC_SPIN(X)	X(lksync_spin)
#else
#define BENCH_LKSYNC_SPIN(X)
#endif
#if __has_include(<lksync/rwlock.h>)
#define BENCH_LKSYNC_RW(X)	X(lksync_rwlock)
#else
#define BENCH_LKSYNC_RW(X)
#endif
#if __has_include(<lksync/seqlock.h>)
#define BENCH_LKSYNC_SEQ(X)	X(lksync_seqlock)
#else
#define BENCH_LKSYNC_SEQ(X)
#endif
#if __has_include(<lksync/atomic.h>)
#define BENCH_LKSYNC_ATOMIC_INC(X)	X(lksync_atomic_inc)
#define BENCH_LKSYNC_ATOMIC_ADD(X)	X(lksync_atomic_add_return)
#else
#define BENCH_LKSYNC_ATOMIC_INC(X)
#define BENCH_LKSYNC_ATOMIC_ADD(X)
#endif

#ifdef BENCH_CK
#define BENCH_CK_SPIN(X)	X(ck_fas) X(ck_ticket) X(ck_mcs)
#define BENCH_CK_RW(X)		X(ck_rwlock)
#define BENCH_CK_SEQ(X)		X(ck_sequence)
#else
#define BENCH_CK_SPIN(X)
#define BENCH_CK_RW(X)
#define BENCH_CK_SEQ(X)
#endif

#define BENCH_ADAPTERS(X)							\
	BENCH_LKSYNC_SPIN(X)							\
	X(pthread_spin) X(pthread_mutex) X(pthread_mutex_adaptive)		\
	BENCH_CK_SPIN(X)							\
	X(c11_ttas) X(broken)							\
	BENCH_LKSYNC_RW(X)							\
	X(pthread_rwlock)							\
	BENCH_CK_RW(X)								\
	BENCH_LKSYNC_SEQ(X)							\
	X(plain_read)								\
	BENCH_CK_SEQ(X)								\
	BENCH_LKSYNC_ATOMIC_INC(X)						\
	X(c11_fetch_add)							\
	BENCH_LKSYNC_ATOMIC_ADD(X)

#define BENCH_DECLARE(id) extern const struct bench_adapter bench_##id;
BENCH_ADAPTERS(BENCH_DECLARE)
#undef BENCH_DECLARE

#endif /* BENCH_ADAPTERS_H */
