// SPDX-License-Identifier: MIT
/*
 * lksync itself, through its public kernel-named API only: spin_lock,
 * read_lock/write_lock, read_seqbegin/read_seqretry, atomic_inc and
 * atomic_add_return; mutex_lock, down/up, down_read/down_write; and the
 * wake-ups: complete/wait_for_completion, wake_up/wait_event and
 * wake_up_process/schedule. The fast paths are inline, so they are measured
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

#if __has_include(<lksync/mutex.h>)
#include <lksync/mutex.h>

static void lkmutex_init(void *o) { mutex_init((struct mutex *)o); }
#define MUTEX_LOCK(l, c)	mutex_lock(l)
#define MUTEX_UNLOCK(l, c)	mutex_unlock(l)
BENCH_SPIN_LOOPS(lkmutex, struct mutex, bench_noctx, MUTEX_LOCK, MUTEX_UNLOCK)

const struct bench_adapter bench_lksync_mutex = {
	.name = "lksync mutex", .key = "lksync_mutex", .family = BENCH_MUTEX,
	.size = sizeof(struct mutex), .init = lkmutex_init,
	BENCH_SPIN_OPS(lkmutex),
};
#endif

#if __has_include(<lksync/semaphore.h>)
#include <lksync/semaphore.h>

static void lksem1_init(void *o) { sema_init((struct semaphore *)o, 1); }
static void lksem4_init(void *o) { sema_init((struct semaphore *)o, BENCH_SEM_COUNT); }
#define SEM_DOWN(l, c)	down(l)
#define SEM_UP(l, c)	up(l)
BENCH_SPIN_LOOPS(lksem, struct semaphore, bench_noctx, SEM_DOWN, SEM_UP)

const struct bench_adapter bench_lksync_sem = {
	.name = "lksync semaphore (1)", .key = "lksync_sem", .family = BENCH_SEM,
	.size = sizeof(struct semaphore), .init = lksem1_init,
	BENCH_SPIN_OPS(lksem),
};

BENCH_COUNT_LOOPS(lksemc, struct semaphore, down, up)

const struct bench_adapter bench_lksync_sem_count = {
	.name = "lksync semaphore (" BENCH_STR(BENCH_SEM_COUNT) ")", .key = "lksync_sem_count",
	.family = BENCH_SEM, .limit = BENCH_SEM_COUNT,
	.size = sizeof(struct semaphore), .init = lksem4_init,
	BENCH_COUNT_OPS(lksemc),
};
#endif

#if __has_include(<lksync/rwsem.h>)
#include <lksync/rwsem.h>

static void lkrwsem_init(void *o) { init_rwsem((struct rw_semaphore *)o); }
BENCH_RW_LOOPS(lkrwsem, struct rw_semaphore, down_read, up_read, down_write, up_write)

const struct bench_adapter bench_lksync_rwsem = {
	.name = "lksync rw_semaphore", .key = "lksync_rwsem", .family = BENCH_RWSEM,
	.size = sizeof(struct rw_semaphore), .init = lkrwsem_init,
	BENCH_RW_OPS(lkrwsem),
};
#endif

#define NO_START(l, i)	do { } while (0)

#if __has_include(<lksync/completion.h>)
#include <lksync/completion.h>

struct completion_pair {
	struct completion done[2] __aligned(64);
};

static void completion_pair_init(void *o)
{
	struct completion_pair *p = o;

	init_completion(&p->done[0]);
	init_completion(&p->done[1]);
}

#define COMPLETION_WAIT(l, i)	wait_for_completion(&(l)->done[i])
#define COMPLETION_SIGNAL(l, i)	complete(&(l)->done[i])
BENCH_WAKE_LOOPS(lkcompl, struct completion_pair, NO_START, COMPLETION_WAIT,
		 COMPLETION_SIGNAL)

const struct bench_adapter bench_lksync_completion = {
	.name = "lksync completion", .key = "lksync_completion", .family = BENCH_WAKE,
	.size = sizeof(struct completion_pair), .init = completion_pair_init,
	BENCH_WAKE_OPS(lkcompl),
};
#endif

#if __has_include(<lksync/wait.h>)
#include <lksync/barrier.h>
#include <lksync/wait.h>

struct waitq_pair {
	struct {
		wait_queue_head_t wq;
		int flag;
	} ch[2] __aligned(64);
};

static void waitq_pair_init(void *o)
{
	struct waitq_pair *p = o;

	for (int i = 0; i < 2; i++) {
		init_waitqueue_head(&p->ch[i].wq);
		p->ch[i].flag = 0;
	}
}

/*
 * wait_event()/wake_up() order the flag against the sleep; a condition
 * found true without sleeping is a bare load, so the flag hands over the
 * turn by release/acquire, as a kernel user would write it.
 */
static inline void waitq_wait_turn(struct waitq_pair *p, unsigned i)
{
	wait_event(p->ch[i].wq, smp_load_acquire(&p->ch[i].flag));
	/* relaxed: the peer sets it again only after this thread signals it */
	WRITE_ONCE(p->ch[i].flag, 0);
}

static inline void waitq_signal(struct waitq_pair *p, unsigned i)
{
	smp_store_release(&p->ch[i].flag, 1);
	wake_up(&p->ch[i].wq);
}

BENCH_WAKE_LOOPS(lkwaitq, struct waitq_pair, NO_START, waitq_wait_turn, waitq_signal)

const struct bench_adapter bench_lksync_waitqueue = {
	.name = "lksync wait_event/wake_up", .key = "lksync_waitqueue", .family = BENCH_WAKE,
	.size = sizeof(struct waitq_pair), .init = waitq_pair_init,
	BENCH_WAKE_OPS(lkwaitq),
};
#endif

#if __has_include(<lksync/sched.h>)
#include <lksync/sched.h>

/* The open-coded sleep: each thread publishes its task, the peer wakes it. */
struct task_pair {
	struct {
		struct task_struct *task;
		int flag;
	} ch[2] __aligned(64);
};

static void task_pair_init(void *o)
{
	struct task_pair *p = o;

	for (int i = 0; i < 2; i++) {
		p->ch[i].task = NULL;
		p->ch[i].flag = 0;
	}
}

/* The references keep each task valid for its peer's last wake-up. */
static void task_pair_fini(void *o)
{
	struct task_pair *p = o;

	for (int i = 0; i < 2; i++)
		if (p->ch[i].task)
			put_task_struct(p->ch[i].task);
}

/* bench_arrive() publishes the task to the peer */
#define TASK_START(l, i)	((l)->ch[i].task = get_task_struct(current))

static inline void task_wait_turn(struct task_pair *p, unsigned i)
{
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		/* acquire: pairs with the signaller's release of the flag */
		if (__atomic_load_n(&p->ch[i].flag, __ATOMIC_ACQUIRE))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	/* relaxed: the peer sets it again only after this thread signals it */
	__atomic_store_n(&p->ch[i].flag, 0, __ATOMIC_RELAXED);
}

static inline void task_signal(struct task_pair *p, unsigned i)
{
	/* release: publishes the turn; wake_up_process() orders it before its state test */
	__atomic_store_n(&p->ch[i].flag, 1, __ATOMIC_RELEASE);
	wake_up_process(p->ch[i].task);
}

BENCH_WAKE_LOOPS(lktask, struct task_pair, TASK_START, task_wait_turn, task_signal)

const struct bench_adapter bench_lksync_wake_up_process = {
	.name = "lksync wake_up_process", .key = "lksync_wake_up_process",
	.family = BENCH_WAKE,
	.size = sizeof(struct task_pair), .init = task_pair_init, .fini = task_pair_fini,
	BENCH_WAKE_OPS(lktask),
};
#endif
