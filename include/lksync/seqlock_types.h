/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. seqcount_t and its lock-associated forms, as the types of
 * linux/seqlock.h. Includes compiler.h and lockdep.h only, so any header may
 * embed them. The debug flavor adds a lockdep map to seqcount_t.
 */
#ifndef LKSYNC_SEQLOCK_TYPES_H
#define LKSYNC_SEQLOCK_TYPES_H

#include <lksync/compiler.h>
#include <lksync/lockdep.h>

/*
 * seqcount_t - a sequence counter: even while no write is in progress, odd
 * during one. Writers must serialize among themselves (a lock, or a single
 * writer) and must not be preempted by readers on the same CPU.
 */
typedef struct seqcount {
	unsigned sequence;
#ifdef LKSYNC_DEBUG
	struct lockdep_map dep_map;
#endif
} seqcount_t;

/*
 * seqcount_LOCKNAME_t - a seqcount whose writers hold a lock of type
 * LOCKNAME. The kernel records the lock for lockdep; the release flavor
 * has nothing to record, so each is a seqcount_t with its own type.
 */
typedef struct seqcount_spinlock { seqcount_t seqcount; } seqcount_spinlock_t;
typedef struct seqcount_raw_spinlock { seqcount_t seqcount; } seqcount_raw_spinlock_t;
typedef struct seqcount_rwlock { seqcount_t seqcount; } seqcount_rwlock_t;
/* Writers hold a struct mutex: write_seqcount_begin() disables preemption itself. */
typedef struct seqcount_mutex { seqcount_t seqcount; } seqcount_mutex_t;

#endif /* LKSYNC_SEQLOCK_TYPES_H */
