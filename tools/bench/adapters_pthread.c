// SPDX-License-Identifier: MIT
/*
 * Baselines from glibc: pthread spinlock, mutex (default, adaptive), rwlock,
 * POSIX semaphores (binary and counting).
 */
#include <pthread.h>
#include <semaphore.h>
#include "adapters.h"

typedef char bench_noctx;

static void pspin_init(void *o) { pthread_spin_init(o, PTHREAD_PROCESS_PRIVATE); }
static void pspin_fini(void *o) { pthread_spin_destroy(o); }
#define PSPIN_LOCK(l, c)	pthread_spin_lock(l)
#define PSPIN_UNLOCK(l, c)	pthread_spin_unlock(l)
BENCH_SPIN_LOOPS(pspin, pthread_spinlock_t, bench_noctx, PSPIN_LOCK, PSPIN_UNLOCK)

const struct bench_adapter bench_pthread_spin = {
	.name = "pthread_spinlock_t", .key = "pthread_spin", .family = BENCH_SPIN,
	.size = sizeof(pthread_spinlock_t), .init = pspin_init, .fini = pspin_fini,
	BENCH_SPIN_OPS(pspin),
};

static void mutex_init_type(void *o, int type)
{
	pthread_mutexattr_t attr;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, type);
	pthread_mutex_init(o, &attr);
	pthread_mutexattr_destroy(&attr);
}
static void mutex_init(void *o) { mutex_init_type(o, PTHREAD_MUTEX_DEFAULT); }
static void mutex_init_adaptive(void *o) { mutex_init_type(o, PTHREAD_MUTEX_ADAPTIVE_NP); }
static void mutex_fini(void *o) { pthread_mutex_destroy(o); }
#define MUTEX_LOCK(l, c)	pthread_mutex_lock(l)
#define MUTEX_UNLOCK(l, c)	pthread_mutex_unlock(l)
BENCH_SPIN_LOOPS(mutex, pthread_mutex_t, bench_noctx, MUTEX_LOCK, MUTEX_UNLOCK)

const struct bench_adapter bench_pthread_mutex = {
	.name = "pthread_mutex_t", .key = "pthread_mutex", .family = BENCH_SPIN | BENCH_MUTEX,
	.size = sizeof(pthread_mutex_t), .init = mutex_init, .fini = mutex_fini,
	BENCH_SPIN_OPS(mutex),
};

const struct bench_adapter bench_pthread_mutex_adaptive = {
	.name = "pthread_mutex_t adaptive", .key = "pthread_mutex_adaptive",
	.family = BENCH_SPIN | BENCH_MUTEX, .size = sizeof(pthread_mutex_t),
	.init = mutex_init_adaptive, .fini = mutex_fini,
	BENCH_SPIN_OPS(mutex),
};

static void prw_init(void *o) { pthread_rwlock_init(o, NULL); }
static void prw_fini(void *o) { pthread_rwlock_destroy(o); }
BENCH_RW_LOOPS(prw, pthread_rwlock_t, pthread_rwlock_rdlock, pthread_rwlock_unlock,
	       pthread_rwlock_wrlock, pthread_rwlock_unlock)

const struct bench_adapter bench_pthread_rwlock = {
	.name = "pthread_rwlock_t", .key = "pthread_rwlock", .family = BENCH_RW | BENCH_RWSEM,
	.size = sizeof(pthread_rwlock_t), .init = prw_init, .fini = prw_fini,
	BENCH_RW_OPS(prw),
};

static void psem1_init(void *o) { sem_init(o, 0, 1); }
static void psem4_init(void *o) { sem_init(o, 0, BENCH_SEM_COUNT); }
static void psem_fini(void *o) { sem_destroy(o); }
#define PSEM_DOWN(l, c)		sem_wait(l)
#define PSEM_UP(l, c)		sem_post(l)
BENCH_SPIN_LOOPS(psem, sem_t, bench_noctx, PSEM_DOWN, PSEM_UP)

const struct bench_adapter bench_posix_sem = {
	.name = "sem_t (1)", .key = "posix_sem", .family = BENCH_SEM,
	.size = sizeof(sem_t), .init = psem1_init, .fini = psem_fini,
	BENCH_SPIN_OPS(psem),
};

#define PSEM_DOWN1(l)	sem_wait(l)
#define PSEM_UP1(l)	sem_post(l)
BENCH_COUNT_LOOPS(psemc, sem_t, PSEM_DOWN1, PSEM_UP1)

const struct bench_adapter bench_posix_sem_count = {
	.name = "sem_t (" BENCH_STR(BENCH_SEM_COUNT) ")", .key = "posix_sem_count",
	.family = BENCH_SEM, .limit = BENCH_SEM_COUNT,
	.size = sizeof(sem_t), .init = psem4_init, .fini = psem_fini,
	BENCH_COUNT_OPS(psemc),
};
