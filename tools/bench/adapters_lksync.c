// SPDX-License-Identifier: MIT
/*
 * lksync itself, through its public kernel-named API only: spin_lock,
 * read_lock/write_lock, read_seqbegin/read_seqretry, atomic_inc and
 * atomic_add_return. The lock fast paths are inline, so they are measured
 * as a user's code would run them.
 */
#include "adapters.h"

typedef char bench_noctx;

/*
 * In the uniprocessor flavor a spinlock excludes nothing between threads
 * (CONFIG_SMP off), so its lock adapters run single-threaded only.
 */
#ifdef LKSYNC_UP
#define BENCH_LKSYNC_SERIAL 1
#else
#define BENCH_LKSYNC_SERIAL 0
#endif

#if __has_include(<lksync/spinlock.h>)
#include <lksync/spinlock.h>

static void spin_init(void *o) { spin_lock_init((spinlock_t *)o); }
#define SPIN_LOCK(l, c)		spin_lock(l)
#define SPIN_UNLOCK(l, c)	spin_unlock(l)
BENCH_SPIN_LOOPS(lkspin, spinlock_t, bench_noctx, SPIN_LOCK, SPIN_UNLOCK)

const struct bench_adapter bench_lksync_spin = {
	.name = "lksync spin_lock", .key = "lksync_spin", .family = BENCH_SPIN,
	.serial_only = BENCH_LKSYNC_SERIAL,
	.size = sizeof(spinlock_t), .init = spin_init,
	BENCH_SPIN_OPS(lkspin),
};
#endif

#if __has_include(<lksync/rwlock.h>)
#include <lksync/rwlock.h>

static void rw_init(void *o) { rwlock_init((rwlock_t *)o); }
BENCH_RW_LOOPS(lkrw, rwlock_t, read_lock, read_unlock, write_lock, write_unlock)

const struct bench_adapter bench_lksync_rwlock = {
	.name = "lksync rwlock_t", .key = "lksync_rwlock", .family = BENCH_RW,
	.serial_only = BENCH_LKSYNC_SERIAL,
	.size = sizeof(rwlock_t), .init = rw_init,
	BENCH_RW_OPS(lkrw),
};
#endif

#if __has_include(<lksync/seqlock.h>)
#include <lksync/seqlock.h>

static void seq_init(void *o) { seqlock_init((seqlock_t *)o); }
BENCH_SEQ_LOOPS(lkseq, seqlock_t, read_seqbegin, read_seqretry,
		write_seqlock, write_sequnlock, 1)

const struct bench_adapter bench_lksync_seqlock = {
	.name = "lksync seqlock", .key = "lksync_seqlock", .family = BENCH_SEQ,
	.size = sizeof(seqlock_t), .init = seq_init,
	BENCH_SEQ_OPS(lkseq),
};
#endif

#if __has_include(<lksync/atomic.h>)
#include <lksync/atomic.h>

static void atomic_zero(void *o) { atomic_set((atomic_t *)o, 0); }
static unsigned long atomic_value(void *o) { return (unsigned)atomic_read((atomic_t *)o); }

BENCH_ATOMIC_LOOPS(lkinc, atomic_t, atomic_inc)

const struct bench_adapter bench_lksync_atomic_inc = {
	.name = "lksync atomic_inc", .key = "lksync_atomic_inc", .family = BENCH_ATOMIC,
	.size = sizeof(atomic_t), .init = atomic_zero, .value = atomic_value,
	BENCH_ATOMIC_OPS(lkinc),
};

#define ADD_RETURN(v)	((void)atomic_add_return(1, v))
BENCH_ATOMIC_LOOPS(lkadd, atomic_t, ADD_RETURN)

const struct bench_adapter bench_lksync_atomic_add_return = {
	.name = "lksync atomic_add_return", .key = "lksync_atomic_add_return",
	.family = BENCH_ATOMIC,
	.size = sizeof(atomic_t), .init = atomic_zero, .value = atomic_value,
	BENCH_ATOMIC_OPS(lkadd),
};
#endif
