// SPDX-License-Identifier: MIT
/*
 * Wake-up latency baselines: a bare futex word per thread (the floor any
 * sleeping primitive builds on) and pthread_cond_t with its mutex and flag.
 */
#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "adapters.h"

struct futex_pair {
	unsigned word[2] __aligned(64);
};

static void futex_pair_init(void *o)
{
	struct futex_pair *p = o;

	p->word[0] = p->word[1] = 0;
}

static inline void futex_wait_turn(struct futex_pair *p, unsigned i)
{
	/* acquire: what the signaller wrote before its release is visible */
	while (!__atomic_exchange_n(&p->word[i], 0, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, &p->word[i], FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static inline void futex_signal(struct futex_pair *p, unsigned i)
{
	/* release: pairs with the waiter's exchange */
	__atomic_store_n(&p->word[i], 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &p->word[i], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

#define NO_START(l, i)	do { } while (0)
BENCH_WAKE_LOOPS(futex, struct futex_pair, NO_START, futex_wait_turn, futex_signal)

const struct bench_adapter bench_futex_pingpong = {
	.name = "futex wait/wake", .key = "futex_pingpong", .family = BENCH_WAKE,
	.size = sizeof(struct futex_pair), .init = futex_pair_init,
	BENCH_WAKE_OPS(futex),
};

struct cond_pair {
	struct {
		pthread_mutex_t lock;
		pthread_cond_t cond;
		int flag;
	} ch[2] __aligned(64);
};

static void cond_pair_init(void *o)
{
	struct cond_pair *p = o;

	for (int i = 0; i < 2; i++) {
		pthread_mutex_init(&p->ch[i].lock, NULL);
		pthread_cond_init(&p->ch[i].cond, NULL);
		p->ch[i].flag = 0;
	}
}

static void cond_pair_fini(void *o)
{
	struct cond_pair *p = o;

	for (int i = 0; i < 2; i++) {
		pthread_cond_destroy(&p->ch[i].cond);
		pthread_mutex_destroy(&p->ch[i].lock);
	}
}

static inline void cond_wait_turn(struct cond_pair *p, unsigned i)
{
	pthread_mutex_lock(&p->ch[i].lock);
	while (!p->ch[i].flag)
		pthread_cond_wait(&p->ch[i].cond, &p->ch[i].lock);
	p->ch[i].flag = 0;
	pthread_mutex_unlock(&p->ch[i].lock);
}

static inline void cond_signal(struct cond_pair *p, unsigned i)
{
	pthread_mutex_lock(&p->ch[i].lock);
	p->ch[i].flag = 1;
	pthread_cond_signal(&p->ch[i].cond);
	pthread_mutex_unlock(&p->ch[i].lock);
}

BENCH_WAKE_LOOPS(pcond, struct cond_pair, NO_START, cond_wait_turn, cond_signal)

const struct bench_adapter bench_pthread_cond = {
	.name = "pthread_cond_t + mutex", .key = "pthread_cond", .family = BENCH_WAKE,
	.size = sizeof(struct cond_pair), .init = cond_pair_init, .fini = cond_pair_fini,
	BENCH_WAKE_OPS(pcond),
};
