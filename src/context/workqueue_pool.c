// SPDX-License-Identifier: MIT
/*
 * Layer: context. Workqueue pools: worker threads, the manager thread that
 * creates and reaps them and watches for stalled pools, and the rescuers of
 * WQ_MEM_RECLAIM workqueues. Design: workqueue_internal.h.
 *
 * Worker life: created by the manager (kthread_create() allocates, so never
 * by a queuer), it sleeps on the pool's idle list until kicked, runs items
 * while the pool wants it to, then goes idle again; the manager reaps it
 * after the idle timeout when the pool has more idle workers than it needs.
 *
 * Tunables, read once when the manager starts (environment):
 *   LKSYNC_WQ_IDLE_MS      idle time before a spare worker is reaped (300000)
 *   LKSYNC_WQ_MAX_WORKERS  workers per pool (256); when a pool is at the
 *                          limit, rescuers of WQ_MEM_RECLAIM queues step in
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <lksync/bug.h>
#include <lksync/kthread.h>
#include <lksync/printk.h>
#include <lksync/smp.h>
#include "context/online.h"
#include "context/workqueue_internal.h"
#include "sched/sched.h"

struct worker_pool lksync_wq_pools[WQ_NR_POOLS];
unsigned int lksync_wq_nr_cpu_pools;
raw_spinlock_t lksync_wq_mayday_lock = __RAW_SPIN_LOCK_UNLOCKED(lksync_wq_mayday_lock);

int lksync_wq_online;
static int wq_manager_started;
static struct task_struct *wq_manager;
static int wq_manager_req;		/* a pool wants the manager's attention */
static int wq_manager_tick;		/* the manager is ticking (watching workers) */
static long long wq_idle_ns = WQ_DFL_IDLE_MS * 1000000LL;
static int wq_max_workers = WQ_DFL_MAX_WORKERS;

/* ---- worker flags and the running count (pool locked) ---- */

void lksync_wq_worker_set_flags(struct worker *worker, unsigned int flags)
{
	if ((flags & WORKER_NOT_RUNNING) && !(worker->flags & WORKER_NOT_RUNNING))
		worker->pool->nr_running--;
	worker->flags |= flags;
}

void lksync_wq_worker_clr_flags(struct worker *worker, unsigned int flags)
{
	unsigned int oflags = worker->flags;

	worker->flags &= ~flags;
	if ((flags & WORKER_NOT_RUNNING) && (oflags & WORKER_NOT_RUNNING) &&
	    !(worker->flags & WORKER_NOT_RUNNING))
		worker->pool->nr_running++;
}

struct worker *lksync_wq_current_worker(void)
{
	struct task_struct *t = lksync_tls.task;

	/* An interrupt that landed on a kworker is not running its item (the kernel's in_task()). */
	if (!t || !in_task() || !(READ_ONCE(t->flags) & PF_WQ_WORKER))
		return NULL;
	return kthread_data(t);
}

/* ---- the manager ---- */

int lksync_wq_manager_ticking(void)
{
	return __atomic_load_n(&wq_manager_tick, __ATOMIC_RELAXED);
}

/*
 * Ask the manager to look at the pools. Any context (a hard interrupt
 * handler too): one exchange, and a wake-up only if no request is pending.
 * A request made under a pool lock is seen by the manager's next scan of
 * that pool, which clears the flag before it scans.
 */
void lksync_wq_request_manager(void)
{
	struct task_struct *mgr;

	if (__atomic_exchange_n(&wq_manager_req, 1, __ATOMIC_SEQ_CST))
		return;
	/* Acquire: the manager's task was set up before it was published. */
	mgr = __atomic_load_n(&wq_manager, __ATOMIC_ACQUIRE);
	if (mgr)
		wake_up_process(mgr);
}

/*
 * kick_pool - wake an idle worker if the pool has items and nobody runs
 * them; with no idle worker, ask the manager for one. Pool locked.
 * Return: true if a worker was woken.
 */
bool lksync_wq_kick_pool(struct worker_pool *pool)
{
	struct worker *worker;

	if (!wq_need_more_worker(pool))
		return false;
	worker = wq_first_idle_worker(pool);
	if (unlikely(!worker)) {
		lksync_wq_request_manager();
		return false;
	}
	wake_up_process(worker->task);
	return true;
}

/* The kernel's rule: keep two idle workers, more only if many are busy. */
static bool too_many_workers(struct worker_pool *pool)
{
	int nr_idle = pool->nr_idle;
	int nr_busy = pool->nr_workers - nr_idle;

	return nr_idle > 2 && (nr_idle - 2) * WQ_MAX_IDLE_RATIO >= nr_busy;
}

static void worker_enter_idle(struct worker *worker)
{
	struct worker_pool *pool = worker->pool;

	worker->flags |= WORKER_IDLE;
	pool->nr_idle++;
	worker->last_active = lksync_now_ns();
	list_add(&worker->entry, &pool->idle_list);
	/* The kernel arms the pool's idle timer here; the manager is ours. */
	if (!pool->reap_armed && too_many_workers(pool)) {
		pool->reap_armed = true;
		lksync_wq_request_manager();
	}
}

static void worker_leave_idle(struct worker *worker)
{
	worker->flags &= ~WORKER_IDLE;
	worker->pool->nr_idle--;
	list_del_init(&worker->entry);
}

static int worker_thread(void *arg);

static void worker_name(struct worker_pool *pool, int id, char *buf, size_t len)
{
	const char *hi = pool->flags & POOL_HIGHPRI ? "H" : "";

	if (pool->cpu < 0)
		snprintf(buf, len, "kworker/u%d:%d%s", pool->id - WQ_UNBOUND_POOL_BASE, id, hi);
	else
		snprintf(buf, len, "kworker/%d:%d%s", pool->cpu, id, hi);
}

/* Create a worker for @pool and leave it idle (then running, if kicked). Manager only. */
static int create_worker(struct worker_pool *pool)
{
	struct worker *worker = calloc(1, sizeof(*worker));
	struct task_struct *task;
	char name[32];

	if (!worker)
		return -ENOMEM;
	INIT_LIST_HEAD(&worker->entry);
	INIT_LIST_HEAD(&worker->hentry);
	INIT_LIST_HEAD(&worker->scheduled);
	worker->pool = pool;
	worker->flags = WORKER_PREP | (pool->flags & POOL_UNBOUND ? WORKER_UNBOUND : 0);
	raw_spin_lock_irq(&pool->lock);
	worker->id = pool->next_id++;
	raw_spin_unlock_irq(&pool->lock);
	worker_name(pool, worker->id, name, sizeof(name));
	task = kthread_create(worker_thread, worker, "%s", name);
	if (IS_ERR(task)) {
		free(worker);
		return (int)PTR_ERR(task);
	}
	worker->task = task;
	raw_spin_lock_irq(&pool->lock);
	list_add_tail(&worker->node, &pool->workers);
	pool->nr_workers++;
	worker_enter_idle(worker);
	wake_up_process(task);
	raw_spin_unlock_irq(&pool->lock);
	return 0;
}

/*
 * No worker can be had for @pool: hand the waiting items of WQ_MEM_RECLAIM
 * queues to their rescuers. Pool locked.
 */
static void send_mayday(struct worker_pool *pool)
{
	struct work_struct *work;

	raw_spin_lock(&lksync_wq_mayday_lock);
	list_for_each_entry(work, &pool->worklist, entry) {
		unsigned long data = __atomic_load_n(work_data_bits(work), __ATOMIC_RELAXED);
		struct pool_workqueue *pwq;
		struct workqueue_struct *wq;

		if (!(data & WORK_STRUCT_PWQ))
			continue;
		pwq = (struct pool_workqueue *)(data & WORK_STRUCT_WQ_DATA_MASK);
		wq = pwq->wq;
		if (!wq->rescuer || !list_empty(&pwq->mayday_node))
			continue;
		list_add_tail(&pwq->mayday_node, &wq->maydays);
		wake_up_process(wq->rescuer->task);
	}
	raw_spin_unlock(&lksync_wq_mayday_lock);
}

struct manage_result {
	bool busy;		/* a managed worker is running items: keep ticking */
	bool create;		/* the pool needs another worker */
	long long next;		/* next reap deadline */
	struct worker *reaped[8];
	int nr_reaped;
};

/*
 * One look at @pool: mark workers stuck on one item as not running (so
 * another one takes the queue), kick, decide on creation, reap idle ones.
 */
static void manage_pool(struct worker_pool *pool, long long now, struct manage_result *r)
{
	struct worker *worker;

	r->create = false;
	r->nr_reaped = 0;
	raw_spin_lock_irq(&pool->lock);
	if (!(pool->flags & POOL_UNBOUND)) {
		list_for_each_entry(worker, &pool->workers, node) {
			if (!worker->current_work || (worker->flags & WORKER_NOT_RUNNING))
				continue;
			r->busy = true;
			if (worker->wd_seen != worker->nr_started) {
				worker->wd_seen = worker->nr_started;
				worker->wd_since = now;
			} else if (now - worker->wd_since >= WQ_WATCHDOG_NS) {
				/*
				 * Asleep or computing, it has held the pool for
				 * a whole tick: the kernel's CPU-hog rule.
				 */
				lksync_wq_worker_set_flags(worker, WORKER_CPU_INTENSIVE);
			}
		}
	}
	lksync_wq_kick_pool(pool);
	if ((wq_need_more_worker(pool) || pool->need_spare) && !pool->nr_idle) {
		if (pool->nr_workers < wq_max_workers)
			r->create = true;
		else if (!list_empty(&pool->worklist))
			send_mayday(pool);
	}
	pool->need_spare = false;
	while (too_many_workers(pool) && r->nr_reaped < 8) {
		long long expires;

		worker = list_last_entry(&pool->idle_list, struct worker, entry);
		expires = worker->last_active + wq_idle_ns;
		if (now < expires) {
			if (expires < r->next)
				r->next = expires;
			break;
		}
		worker_leave_idle(worker);
		list_del_init(&worker->node);
		pool->nr_workers--;
		worker->flags |= WORKER_DIE;
		r->reaped[r->nr_reaped++] = worker;
	}
	if (r->nr_reaped == 8)
		r->next = now;
	pool->reap_armed = too_many_workers(pool);	/* and r->next says when */
	raw_spin_unlock_irq(&pool->lock);

	for (int i = 0; i < r->nr_reaped; i++) {
		kthread_stop(r->reaped[i]->task);
		free(r->reaped[i]);
	}
	if (r->create) {
		if (create_worker(pool)) {
			raw_spin_lock_irq(&pool->lock);
			if (!list_empty(&pool->worklist))
				send_mayday(pool);
			raw_spin_unlock_irq(&pool->lock);
		}
		r->next = now;	/* look again at once: one worker may not be enough */
	}
}

static void *wq_manager_main(void *arg)
{
	long long linger_until = 0;
	const char *env;

	(void)arg;
	prctl(PR_SET_NAME, "kworker/manager");
	snprintf(current->comm, sizeof(current->comm), "kworker/manager");
	env = getenv("LKSYNC_WQ_IDLE_MS");
	if (env && atol(env) > 0)
		wq_idle_ns = atol(env) * 1000000LL;
	env = getenv("LKSYNC_WQ_MAX_WORKERS");
	if (env && atoi(env) > 0)
		wq_max_workers = atoi(env);
	/* Release: lksync_wq_request_manager() may wake us from now on. */
	__atomic_store_n(&wq_manager, get_task_struct(current), __ATOMIC_RELEASE);
	__atomic_store_n(&lksync_wq_online, 1, __ATOMIC_RELEASE);

	for (;;) {
		struct manage_result r = { .next = LLONG_MAX };
		long long now = lksync_now_ns();
		bool ticking;

		/* Cleared before the scan: a request made after it is seen next time. */
		__atomic_store_n(&wq_manager_req, 0, __ATOMIC_SEQ_CST);
		for (unsigned int i = 0; i < WQ_NR_POOLS; i++) {
			if (lksync_wq_pools[i].id < 0)
				continue;
			manage_pool(&lksync_wq_pools[i], now, &r);
		}
		if (r.busy)
			linger_until = now + WQ_MANAGER_LINGER_NS;
		ticking = now < linger_until;
		if (!ticking && __atomic_load_n(&wq_manager_tick, __ATOMIC_RELAXED)) {
			/*
			 * Stop ticking only after a scan that began with the
			 * flag clear: a worker that starts an item under its
			 * pool lock either is seen busy by that scan, or sees
			 * the flag clear and asks for us (the lock orders it).
			 */
			__atomic_store_n(&wq_manager_tick, 0, __ATOMIC_RELAXED);
			continue;
		}
		__atomic_store_n(&wq_manager_tick, ticking, __ATOMIC_RELAXED);
		if (ticking && now + WQ_WATCHDOG_NS < r.next)
			r.next = now + WQ_WATCHDOG_NS;

		set_current_state(TASK_IDLE);
		if (__atomic_load_n(&wq_manager_req, __ATOMIC_SEQ_CST) || r.next <= now) {
			__set_current_state(TASK_RUNNING);
			continue;
		}
		if (r.next == LLONG_MAX)
			schedule();
		else
			lksync_schedule_hrtimeout(r.next - now);
	}
	return NULL;
}

/*
 * Start the manager, once, from process context (creating a thread is not
 * async-signal-safe). Until then queued items wait; the next process-context
 * workqueue call starts it.
 */
void lksync_wq_online_slow(void)
{
	lksync_context_online();
}

void lksync_wq_manager_start(void)
{
	pthread_attr_t attr;
	pthread_t thread;
	int expected = 0;

	if (__atomic_load_n(&wq_manager_started, __ATOMIC_ACQUIRE))
		return;
	if (!__atomic_compare_exchange_n(&wq_manager_started, &expected, 1, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&thread, &attr, wq_manager_main, NULL)) {
		pr_err("workqueue: cannot start the manager thread\n");
		__atomic_store_n(&wq_manager_started, 0, __ATOMIC_RELEASE);
	}
	pthread_attr_destroy(&attr);
}

/* ---- workers ---- */

static int worker_thread(void *arg)
{
	struct worker *worker = arg;
	struct worker_pool *pool = worker->pool;

	__atomic_or_fetch(&current->flags, PF_WQ_WORKER, __ATOMIC_RELAXED);
	raw_spin_lock_irq(&pool->lock);
	for (;;) {
		if (unlikely(worker->flags & WORKER_DIE)) {
			raw_spin_unlock_irq(&pool->lock);
			__atomic_and_fetch(&current->flags, ~(unsigned int)PF_WQ_WORKER,
					   __ATOMIC_RELAXED);
			return 0;
		}
		if (worker->flags & WORKER_IDLE)
			worker_leave_idle(worker);
		if (wq_need_more_worker(pool)) {
			/* Keep a spare idle worker, for when this one sleeps in an item. */
			if (!pool->nr_idle) {
				pool->need_spare = true;
				lksync_wq_request_manager();
			}
			lksync_wq_worker_clr_flags(worker, WORKER_PREP);
			do {
				struct work_struct *work = list_first_entry(&pool->worklist,
									    struct work_struct,
									    entry);

				if (lksync_wq_assign_work(work, worker, NULL))
					lksync_wq_process_scheduled_works(worker);
			} while (wq_keep_working(pool));
			lksync_wq_worker_set_flags(worker, WORKER_PREP);
		}
		worker_enter_idle(worker);
		/* A kick between here and schedule() finds TASK_IDLE and wakes us. */
		__set_current_state(TASK_IDLE);
		raw_spin_unlock_irq(&pool->lock);
		schedule();
		raw_spin_lock_irq(&pool->lock);
	}
}

/* ---- rescuers (WQ_MEM_RECLAIM) ---- */

static int rescuer_thread(void *arg)
{
	struct worker *rescuer = arg;
	struct workqueue_struct *wq = rescuer->rescue_wq;

	__atomic_or_fetch(&current->flags, PF_WQ_WORKER, __ATOMIC_RELAXED);
	for (;;) {
		bool should_stop;

		set_current_state(TASK_IDLE);
		should_stop = kthread_should_stop();
		raw_spin_lock_irq(&lksync_wq_mayday_lock);
		while (!list_empty(&wq->maydays)) {
			struct pool_workqueue *pwq =
				list_first_entry(&wq->maydays, struct pool_workqueue, mayday_node);
			struct worker_pool *pool = pwq->pool;
			struct work_struct *work, *n;

			__set_current_state(TASK_RUNNING);
			list_del_init(&pwq->mayday_node);
			raw_spin_unlock_irq(&lksync_wq_mayday_lock);

			raw_spin_lock_irq(&pool->lock);
			rescuer->pool = pool;
			/* Take this queue's waiting items: nobody else can run them now. */
			list_for_each_entry_safe(work, n, &pool->worklist, entry) {
				unsigned long data = __atomic_load_n(work_data_bits(work),
								     __ATOMIC_RELAXED);

				if ((data & WORK_STRUCT_PWQ) && (data & WORK_STRUCT_WQ_DATA_MASK) ==
				    (unsigned long)pwq)
					lksync_wq_assign_work(work, rescuer, &n);
			}
			lksync_wq_process_scheduled_works(rescuer);
			rescuer->pool = NULL;
			lksync_wq_kick_pool(pool);
			raw_spin_unlock_irq(&pool->lock);
			raw_spin_lock_irq(&lksync_wq_mayday_lock);
		}
		raw_spin_unlock_irq(&lksync_wq_mayday_lock);
		if (should_stop) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		schedule();
	}
	__atomic_and_fetch(&current->flags, ~(unsigned int)PF_WQ_WORKER, __ATOMIC_RELAXED);
	return 0;
}

int lksync_wq_create_rescuer(struct workqueue_struct *wq)
{
	struct worker *rescuer = calloc(1, sizeof(*rescuer));
	struct task_struct *task;

	if (!rescuer)
		return -ENOMEM;
	INIT_LIST_HEAD(&rescuer->entry);
	INIT_LIST_HEAD(&rescuer->hentry);
	INIT_LIST_HEAD(&rescuer->node);
	INIT_LIST_HEAD(&rescuer->scheduled);
	rescuer->flags = WORKER_UNBOUND | WORKER_RESCUER;
	rescuer->rescue_wq = wq;
	task = kthread_create(rescuer_thread, rescuer, "kworker/R-%.5s", wq->name);
	if (IS_ERR(task)) {
		free(rescuer);
		return (int)PTR_ERR(task);
	}
	rescuer->task = task;
	wq->rescuer = rescuer;
	wake_up_process(task);
	return 0;
}

void lksync_wq_destroy_rescuer(struct workqueue_struct *wq)
{
	struct worker *rescuer = wq->rescuer;

	kthread_stop(rescuer->task);
	wq->rescuer = NULL;
	free(rescuer);
}

/* ---- boot ---- */

/*
 * Pools and the system workqueues exist from load time, so that a hard
 * interrupt handler may queue work on system_wq before anything else ran;
 * threads come later (lksync_wq_online_slow()).
 */
__attribute__((constructor)) static void workqueue_init_early(void)
{
	unsigned int ncpu = nr_cpu_ids;

	lksync_wq_nr_cpu_pools = ncpu < 1 ? 1 : ncpu > WQ_MAX_CPU_POOLS ? WQ_MAX_CPU_POOLS : ncpu;
	for (int i = 0; i < WQ_NR_POOLS; i++) {
		struct worker_pool *pool = &lksync_wq_pools[i];
		bool unbound = i >= WQ_UNBOUND_POOL_BASE;
		int cpu = unbound ? -1 : i / WQ_NR_STD_POOLS;

		pool->id = !unbound && cpu >= (int)lksync_wq_nr_cpu_pools ? -1 : i;
		raw_spin_lock_init(&pool->lock);
		pool->cpu = cpu;
		pool->flags = (unbound ? POOL_UNBOUND : 0) |
			      (i % WQ_NR_STD_POOLS ? POOL_HIGHPRI : 0);
		INIT_LIST_HEAD(&pool->worklist);
		INIT_LIST_HEAD(&pool->idle_list);
		INIT_LIST_HEAD(&pool->workers);
		for (int b = 0; b < (1 << WQ_BUSY_HASH_BITS); b++)
			INIT_LIST_HEAD(&pool->busy_hash[b]);
	}
	lksync_system_wq = lksync_wq_alloc("events", 0, 0);
	lksync_system_highpri_wq = lksync_wq_alloc("events_highpri", WQ_HIGHPRI, 0);
	lksync_system_long_wq = lksync_wq_alloc("events_long", 0, 0);
	lksync_system_unbound_wq = lksync_wq_alloc("events_unbound", WQ_UNBOUND, WQ_MAX_ACTIVE);
	BUG_ON(!lksync_system_wq || !lksync_system_highpri_wq || !lksync_system_long_wq ||
	       !lksync_system_unbound_wq);
}
