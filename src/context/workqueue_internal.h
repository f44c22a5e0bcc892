/* SPDX-License-Identifier: MIT */
/*
 * Layer: context (private). The workqueue machinery's structures, shared by
 * src/context/workqueue.c (queuing, flushing, canceling, running an item)
 * and src/context/workqueue_pool.c (pools, workers, the manager, rescuers).
 *
 * The kernel's design, in userspace:
 *
 *   workqueue_struct --(one per pool it uses)--> pool_workqueue (pwq)
 *   pwq --> worker_pool: a worklist, idle and busy workers, one lock
 *
 * Pools: a normal and a high-priority pool per CPU (CPUs beyond
 * WQ_MAX_CPU_POOLS share pools, cpu % WQ_MAX_CPU_POOLS), and a normal and
 * a high-priority unbound pool. Pools are static, so queuing never
 * allocates: a hard interrupt handler may queue work.
 *
 * Concurrency management: a per-CPU pool tries to keep exactly one worker
 * running (nr_running); it wakes an idle worker when work arrives and none
 * runs. The kernel learns from the scheduler when a worker sleeps; lksync
 * cannot see every way a thread blocks (a read(), a pthread mutex), so the
 * manager thread plays the scheduler tick's part (the kernel's
 * wq_worker_tick() CPU-hog rule, with a short threshold): a worker that has
 * been on one item for WQ_WATCHDOG_NS stops counting as running, so another
 * worker takes the queued items. Unbound pools are not managed: every
 * queued item wakes an idle worker, up to max_active per workqueue.
 *
 * Worker creation (kthread_create() allocates) and idle reaping are the
 * manager thread's job, never the queuer's.
 *
 * Locking: pool->lock (a raw spinlock, always with interrupts disabled)
 * protects the pool, its workers' current_* fields, the pwqs' counters and
 * lists and every worklist; wq->mutex serializes flushers; lksync_wq_mayday_lock
 * the rescuers' mayday lists.
 *
 * Lockdep (debug flavor), as the kernel's: a worker holds two pseudo-locks
 * around each item, its workqueue's (wq->lockdep_map) and a copy of the
 * item's (work->lockdep_map); flush_work() and cancel_work_sync() take the
 * item's, flush_workqueue() and drain_workqueue() the workqueue's, and
 * flush_work() the workqueue's too where one item can wait behind another
 * (max_active 1, or a rescuer). A lock held across such a wait that the
 * item takes is then a lock-order cycle, and a wait from inside the item is
 * recursion, reported the first time it is seen.
 */
#ifndef LKSYNC_SRC_CONTEXT_WORKQUEUE_INTERNAL_H
#define LKSYNC_SRC_CONTEXT_WORKQUEUE_INTERNAL_H

#include <lksync/workqueue.h>
#include <lksync/spinlock.h>
#include <lksync/mutex.h>
#include <lksync/completion.h>
#include "locking/wait_lock.h"	/* the UP build: internal locks still exclude */

#ifndef PF_WQ_WORKER
#define PF_WQ_WORKER		0x00000020	/* the kernel's value */
#endif

#define WQ_MAX_CPU_POOLS	64
#define WQ_NR_STD_POOLS		2	/* normal, high priority */
#define WQ_UNBOUND_POOL_BASE	(WQ_MAX_CPU_POOLS * WQ_NR_STD_POOLS)
#define WQ_NR_POOLS		(WQ_UNBOUND_POOL_BASE + WQ_NR_STD_POOLS)
#define WQ_BUSY_HASH_BITS	5
#define WQ_FLUSH_COLORS		(WORK_NR_COLORS - 1)	/* WORK_NO_COLOR is not used */

/* A worker that ran one item this long stops counting as running. */
#define WQ_WATCHDOG_NS		1000000LL
/* The manager keeps ticking this long after the last busy worker. */
#define WQ_MANAGER_LINGER_NS	100000000LL
#define WQ_DFL_IDLE_MS		300000	/* the kernel's IDLE_WORKER_TIMEOUT */
#define WQ_DFL_MAX_WORKERS	256	/* per pool */
#define WQ_MAX_IDLE_RATIO	4	/* the kernel's MAX_IDLE_WORKERS_RATIO */

enum {
	POOL_UNBOUND		= 1 << 0,	/* not concurrency managed */
	POOL_HIGHPRI		= 1 << 1,
};

enum {
	WORKER_DIE		= 1 << 1,	/* reaped: exit when woken */
	WORKER_IDLE		= 1 << 2,	/* on the idle list */
	WORKER_PREP		= 1 << 3,	/* not running items (between them) */
	WORKER_CPU_INTENSIVE	= 1 << 6,	/* ran long: not counted as running */
	WORKER_UNBOUND		= 1 << 7,	/* of an unbound pool, or a rescuer */
	WORKER_RESCUER		= 1 << 8,

	WORKER_NOT_RUNNING	= WORKER_PREP | WORKER_CPU_INTENSIVE | WORKER_UNBOUND,
};

struct worker_pool {
	raw_spinlock_t		lock;
	int			id;		/* index in lksync_wq_pools[], kept in work->data */
	int			cpu;		/* -1 for an unbound pool */
	unsigned int		flags;		/* POOL_*, set at boot */
	bool			need_spare;	/* a worker started with none idle */
	bool			reap_armed;	/* the manager knows it has idle workers to reap */
	struct list_head	worklist;	/* items ready to run */
	int			nr_workers;
	int			nr_idle;
	int			nr_running;	/* workers without WORKER_NOT_RUNNING */
	int			next_id;	/* worker numbering */
	struct list_head	idle_list;	/* most recently idle first */
	struct list_head	workers;	/* every worker of the pool */
	struct list_head	busy_hash[1 << WQ_BUSY_HASH_BITS];	/* running workers */
} __aligned(64);

struct worker {
	struct list_head	entry;		/* idle_list while idle */
	struct list_head	hentry;		/* busy_hash while running an item */
	struct list_head	node;		/* pool->workers */
	struct work_struct	*current_work;
	work_func_t		current_func;
	struct pool_workqueue	*current_pwq;
	int			current_color;	/* of the item it runs */
	struct list_head	scheduled;	/* items assigned to this worker */
	struct task_struct	*task;
	struct worker_pool	*pool;		/* a rescuer's changes with its mayday */
	unsigned int		flags;		/* WORKER_* */
	int			id;
	unsigned long		nr_started;	/* items started: the watchdog's progress mark */
	unsigned long		wd_seen;	/* nr_started when the watchdog last looked */
	long long		wd_since;	/* ... and when */
	long long		last_active;	/* when it last became idle (ns) */
	struct workqueue_struct	*rescue_wq;	/* a rescuer's workqueue */
};

/*
 * Aligned so that a pointer to it leaves WORK_STRUCT_FLAG_BITS free for
 * flags in work->data.
 */
struct pool_workqueue {
	struct worker_pool	*pool;
	struct workqueue_struct	*wq;
	int			work_color;	/* color of new items */
	int			flush_color;	/* color being flushed, -1 if none */
	int			nr_in_flight[WORK_NR_COLORS];	/* queued or running, per color */
	int			nr_active;	/* on the worklist or running */
	int			max_active;
	struct list_head	inactive_works;	/* waiting for nr_active < max_active */
	struct list_head	mayday_node;	/* on wq->maydays (lksync_wq_mayday_lock) */
} __aligned(1 << WORK_STRUCT_FLAG_BITS);

struct workqueue_struct {
	unsigned int		flags;		/* WQ_* and __WQ_*; READ_ONCE outside wq->mutex */
	int			saved_max_active;
	int			nr_pwqs;	/* one per CPU pool, or one if unbound */
	struct pool_workqueue	*pwqs;
	struct mutex		mutex;		/* flushers, drainers, max_active */
	int			work_color;	/* under mutex */
	int			nr_drainers;	/* under mutex */
	atomic_t		nr_pwqs_to_flush;
	struct completion	*flush_done;	/* the current flusher's */
	struct worker		*rescuer;	/* WQ_MEM_RECLAIM */
	struct list_head	maydays;	/* pwqs needing the rescuer */
	char			name[WORKER_DESC_LEN];
#ifdef LKSYNC_DEBUG
	/*
	 * Lockdep: the pseudo-lock a worker holds around each item of this
	 * queue and that flushes take, in a class of its own (a dynamic key,
	 * unregistered by destroy_workqueue()), named "(wq_completion)" + name.
	 */
	struct lock_class_key	key;
	struct lockdep_map	lockdep_map;
	char			lock_name[sizeof("(wq_completion)") + WORKER_DESC_LEN];
#endif
};

extern struct worker_pool lksync_wq_pools[WQ_NR_POOLS];
extern unsigned int lksync_wq_nr_cpu_pools;
extern raw_spinlock_t lksync_wq_mayday_lock;

/* workqueue_pool.c */
void lksync_wq_request_manager(void);
bool lksync_wq_kick_pool(struct worker_pool *pool);
void lksync_wq_worker_set_flags(struct worker *worker, unsigned int flags);
void lksync_wq_worker_clr_flags(struct worker *worker, unsigned int flags);
int lksync_wq_create_rescuer(struct workqueue_struct *wq);
void lksync_wq_destroy_rescuer(struct workqueue_struct *wq);
int lksync_wq_manager_ticking(void);
struct worker *lksync_wq_current_worker(void);

/* workqueue.c */
bool lksync_wq_assign_work(struct work_struct *work, struct worker *worker,
		    struct work_struct **nextp);
void lksync_wq_process_scheduled_works(struct worker *worker);
struct workqueue_struct *lksync_wq_alloc(const char *name, unsigned int flags, int max_active);

/* need_more_worker - queued items and nobody running them. Pool locked. */
static inline bool wq_need_more_worker(struct worker_pool *pool)
{
	return !list_empty(&pool->worklist) && !pool->nr_running;
}

/* keep_working - may a running worker take another item? Pool locked. */
static inline bool wq_keep_working(struct worker_pool *pool)
{
	return !list_empty(&pool->worklist) && pool->nr_running <= 1;
}

static inline struct worker *wq_first_idle_worker(struct worker_pool *pool)
{
	return list_first_entry_or_null(&pool->idle_list, struct worker, entry);
}

#endif /* LKSYNC_SRC_CONTEXT_WORKQUEUE_INTERNAL_H */
