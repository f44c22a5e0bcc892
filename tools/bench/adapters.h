/* SPDX-License-Identifier: MIT */
/*
 * Layer: tools. The benchmark's adapters, one X() per lock type, in the
 * order they are printed. Each bench_<id> is defined in adapters_*.c; the
 * lksync ones exist once their headers do, the CK and GLib ones when those
 * were found.
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

#if __has_include(<lksync/mutex.h>)
#define BENCH_LKSYNC_MUTEX(X)	X(lksync_mutex)
#else
#define BENCH_LKSYNC_MUTEX(X)
#endif
#if __has_include(<lksync/semaphore.h>)
#define BENCH_LKSYNC_SEM(X)	X(lksync_sem) X(lksync_sem_count)
#else
#define BENCH_LKSYNC_SEM(X)
#endif
#if __has_include(<lksync/rwsem.h>)
#define BENCH_LKSYNC_RWSEM(X)	X(lksync_rwsem)
#else
#define BENCH_LKSYNC_RWSEM(X)
#endif
#if __has_include(<lksync/completion.h>)
#define BENCH_LKSYNC_COMPLETION(X)	X(lksync_completion)
#else
#define BENCH_LKSYNC_COMPLETION(X)
#endif
#if __has_include(<lksync/wait.h>)
#define BENCH_LKSYNC_WAITQ(X)	X(lksync_waitqueue)
#else
#define BENCH_LKSYNC_WAITQ(X)
#endif
#if __has_include(<lksync/sched.h>)
#define BENCH_LKSYNC_TASK(X)	X(lksync_wake_up_process)
#else
#define BENCH_LKSYNC_TASK(X)
#endif

#ifdef BENCH_GLIB
#define BENCH_GLIB_MUTEX(X)	X(glib_mutex)
#define BENCH_GLIB_RWSEM(X)	X(glib_rwlock)
#define BENCH_GLIB_WAKE(X)	X(glib_cond)
#else
#define BENCH_GLIB_MUTEX(X)
#define BENCH_GLIB_RWSEM(X)
#define BENCH_GLIB_WAKE(X)
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
	BENCH_LKSYNC_ATOMIC_ADD(X)						\
	BENCH_LKSYNC_MUTEX(X)							\
	BENCH_GLIB_MUTEX(X)							\
	BENCH_LKSYNC_SEM(X)							\
	X(posix_sem) X(posix_sem_count)						\
	BENCH_LKSYNC_RWSEM(X)							\
	BENCH_GLIB_RWSEM(X)							\
	BENCH_LKSYNC_COMPLETION(X)						\
	BENCH_LKSYNC_WAITQ(X)							\
	BENCH_LKSYNC_TASK(X)							\
	X(futex_pingpong) X(pthread_cond)					\
	BENCH_GLIB_WAKE(X)

#define BENCH_DECLARE(id) extern const struct bench_adapter bench_##id;
BENCH_ADAPTERS(BENCH_DECLARE)
#undef BENCH_DECLARE

#endif /* BENCH_ADAPTERS_H */
