// SPDX-License-Identifier: MIT
/*
 * Baselines on C11 <stdatomic.h>: a test-and-test-and-set lock (exchange to
 * take, spin reading while held) and atomic_fetch_add.
 */
#include <stdatomic.h>
#include <lksync/processor.h>
#include "adapters.h"

typedef char bench_noctx;

static void ttas_init(void *o) { atomic_init((atomic_int *)o, 0); }

static inline void ttas_lock(atomic_int *l)
{
	/* acquire: the critical section reads what the last holder wrote */
	while (atomic_exchange_explicit(l, 1, memory_order_acquire)) {
		/* relaxed: only a hint that the exchange may now succeed */
		while (atomic_load_explicit(l, memory_order_relaxed))
			cpu_relax();
	}
}

static inline void ttas_unlock(atomic_int *l)
{
	/* release: publish the critical section to the next holder */
	atomic_store_explicit(l, 0, memory_order_release);
}

#define TTAS_LOCK(l, c)		ttas_lock(l)
#define TTAS_UNLOCK(l, c)	ttas_unlock(l)
BENCH_SPIN_LOOPS(ttas, atomic_int, bench_noctx, TTAS_LOCK, TTAS_UNLOCK)

const struct bench_adapter bench_c11_ttas = {
	.name = "C11 atomic TTAS", .key = "c11_ttas", .family = BENCH_SPIN,
	.size = sizeof(atomic_int), .init = ttas_init,
	BENCH_SPIN_OPS(ttas),
};

static void faa_init(void *o) { atomic_init((atomic_ulong *)o, 0); }
static unsigned long faa_value(void *o) { return atomic_load((atomic_ulong *)o); }
/* seq_cst, the default: what a plain atomic_fetch_add() call gives */
#define FAA_OP(v)	atomic_fetch_add(v, 1)
BENCH_ATOMIC_LOOPS(faa, atomic_ulong, FAA_OP)

const struct bench_adapter bench_c11_fetch_add = {
	.name = "C11 atomic_fetch_add", .key = "c11_fetch_add", .family = BENCH_ATOMIC,
	.size = sizeof(atomic_ulong), .init = faa_init, .value = faa_value,
	BENCH_ATOMIC_OPS(faa),
};

/* The seqlock baseline: the same two loads with no synchronization at all. */
#define PLAIN_BEGIN(l)		((void)(l), 0u)
#define PLAIN_RETRY(l, s)	((void)(l), (void)(s), 0)
#define PLAIN_WRITE(l)		((void)(l))
BENCH_SEQ_LOOPS(plain, char, PLAIN_BEGIN, PLAIN_RETRY, PLAIN_WRITE, PLAIN_WRITE, 0)

const struct bench_adapter bench_plain_read = {
	.name = "plain read", .key = "plain_read", .family = BENCH_SEQ,
	.size = 1,
	BENCH_SEQ_OPS(plain),
};

/* No lock at all: the driver's data check must fail on it (exit status 2). */
#define NONE_LOCK(l, c)		((void)(l))
BENCH_SPIN_LOOPS(none, char, bench_noctx, NONE_LOCK, NONE_LOCK)

const struct bench_adapter bench_broken = {
	.name = "no lock (broken)", .key = "broken", .family = BENCH_SPIN,
	.hidden = 1, .size = 1,
	BENCH_SPIN_OPS(none),
};
