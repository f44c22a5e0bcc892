// SPDX-License-Identifier: MIT
/*
 * Concurrency Kit peers: fas, ticket and MCS spinlocks, ck_rwlock and
 * ck_sequence, driven through the same loops as everyone else.
 */
#include "adapters.h"

#ifdef BENCH_CK
#include <ck_spinlock.h>
#include <ck_rwlock.h>
#include <ck_sequence.h>

typedef char bench_noctx;

static void fas_init(void *o) { ck_spinlock_fas_init(o); }
#define FAS_LOCK(l, c)		ck_spinlock_fas_lock(l)
#define FAS_UNLOCK(l, c)	ck_spinlock_fas_unlock(l)
BENCH_SPIN_LOOPS(fas, ck_spinlock_fas_t, bench_noctx, FAS_LOCK, FAS_UNLOCK)

const struct bench_adapter bench_ck_fas = {
	.name = "ck fas", .key = "ck_fas", .family = BENCH_SPIN,
	.size = sizeof(ck_spinlock_fas_t), .init = fas_init,
	BENCH_SPIN_OPS(fas),
};

static void ticket_init(void *o) { ck_spinlock_ticket_init(o); }
#define TICKET_LOCK(l, c)	ck_spinlock_ticket_lock(l)
#define TICKET_UNLOCK(l, c)	ck_spinlock_ticket_unlock(l)
BENCH_SPIN_LOOPS(ticket, ck_spinlock_ticket_t, bench_noctx, TICKET_LOCK, TICKET_UNLOCK)

const struct bench_adapter bench_ck_ticket = {
	.name = "ck ticket", .key = "ck_ticket", .family = BENCH_SPIN,
	.size = sizeof(ck_spinlock_ticket_t), .init = ticket_init,
	BENCH_SPIN_OPS(ticket),
};

/* The lock is the queue tail; each thread brings its own node. */
static void mcs_init(void *o) { ck_spinlock_mcs_init(o); }
#define MCS_LOCK(l, c)		ck_spinlock_mcs_lock(l, c)
#define MCS_UNLOCK(l, c)	ck_spinlock_mcs_unlock(l, c)
BENCH_SPIN_LOOPS(mcs, ck_spinlock_mcs_t, struct ck_spinlock_mcs, MCS_LOCK, MCS_UNLOCK)

const struct bench_adapter bench_ck_mcs = {
	.name = "ck mcs", .key = "ck_mcs", .family = BENCH_SPIN,
	.size = sizeof(ck_spinlock_mcs_t), .init = mcs_init,
	BENCH_SPIN_OPS(mcs),
};

static void ckrw_init(void *o) { ck_rwlock_init(o); }
BENCH_RW_LOOPS(ckrw, ck_rwlock_t, ck_rwlock_read_lock, ck_rwlock_read_unlock,
	       ck_rwlock_write_lock, ck_rwlock_write_unlock)

const struct bench_adapter bench_ck_rwlock = {
	.name = "ck rwlock", .key = "ck_rwlock", .family = BENCH_RW,
	.size = sizeof(ck_rwlock_t), .init = ckrw_init,
	BENCH_RW_OPS(ckrw),
};

static void ckseq_init(void *o) { ck_sequence_init(o); }
BENCH_SEQ_LOOPS(ckseq, ck_sequence_t, ck_sequence_read_begin, ck_sequence_read_retry,
		ck_sequence_write_begin, ck_sequence_write_end, 1)

const struct bench_adapter bench_ck_sequence = {
	.name = "ck sequence", .key = "ck_sequence", .family = BENCH_SEQ,
	.size = sizeof(ck_sequence_t), .init = ckseq_init,
	BENCH_SEQ_OPS(ckseq),
};
#endif /* BENCH_CK */
