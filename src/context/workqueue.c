// SPDX-License-Identifier: MIT
/*
 * Layer: context. Workqueues: queuing, running, flushing and canceling work
 * items. Pools, workers and the manager: workqueue_pool.c. The design is
 * in workqueue_internal.h; the item's state word is:
 *
 * work->data (P = PENDING, Q = PWQ, I = INACTIVE, L = LINKED, C = color):
 *
 *   D << 36 | pool_id << 5         idle; last ran on pool_id (NONE: never)
 *   D << 36 | pool_id << 5 | P     owned by a queuer, a timer or a grabber,
 *                                  in transition (interrupts off around it)
 *   D << 36 | pool_id << 5 | CANCELING | P
 *                                  owned by cancel_*_sync() while it waits
 *   pwq | C << 4 | [L] [I] Q P     on a worklist (I: pwq->inactive_works)
 *
 * D is the disable count (disable_work()): an item with D > 0 is never
 * queued (a queuer that wins PENDING drops it again), so a queued item has
 * D == 0, and every off-queue rewrite keeps D. While a canceler owns the
 * word (CANCELING), disable and enable change D in place with a CAS; the
 * canceler's final clear is a CAS too, keeping D.
 *
 * Idle -> P by test-and-set (whoever wins owns the item); P -> queued,
 * queued -> P (grabbed) and every worklist move happen under the pool lock;
 * P -> idle is the worker taking the item to run it, or a canceler
 * releasing it. An item being run is idle or pending again: the busy hash,
 * not the word, says it runs, so it can be queued again while running and
 * is then held back until the running instance returns (non-reentrancy).
 *
 * Lockdep's pseudo-locks (debug flavor; see workqueue_internal.h):
 *
 *   process_one_work()    holds wq map, then item map, around the function
 *   flush_work()          item map; wq map if max_active 1 or a rescuer
 *   cancel_work_sync()    item map only (the item is off the queue by then)
 *   flush_workqueue()     wq map (drain_workqueue(), destroy_workqueue() too)
 *
 * all exclusive, taken and dropped at once; flush_work() and
 * cancel_work_sync() take them only if the item is queued or running (the
 * kernel's start_flush_work()): there is nothing to wait for otherwise.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lksync/bug.h>
#include <lksync/lockdep.h>
#include <lksync/printk.h>
#include <lksync/smp.h>
#include <lksync/wait.h>
#include "context/workqueue_internal.h"

#define WORK_OFFQ_DISABLE_MASK	(((1UL << WORK_OFFQ_DISABLE_BITS) - 1) << WORK_OFFQ_DISABLE_SHIFT)
_Static_assert(WORK_OFFQ_DISABLE_SHIFT + WORK_OFFQ_DISABLE_BITS <= 8 * sizeof(long),
	       "work->data: no room for the disable count");

struct workqueue_struct *lksync_system_wq;
struct workqueue_struct *lksync_system_highpri_wq;
struct workqueue_struct *lksync_system_long_wq;
struct workqueue_struct *lksync_system_unbound_wq;

/* Waiters for another task's cancel_*_sync() of the same item. */
static DECLARE_WAIT_QUEUE_HEAD(cancel_waitq);

/* ---- lockdep's pseudo-locks (debug flavor) ---- */

#ifdef LKSYNC_DEBUG

/* Every flush barrier is one class, as the kernel's (threaded queues). */
static struct lock_class_key wq_barrier_key;

/* A workqueue is a class of its own: a dynamic key in it, as the kernel's. */
static void wq_init_lockdep(struct workqueue_struct *wq)
{
	lockdep_register_key(&wq->key);
	snprintf(wq->lock_name, sizeof(wq->lock_name), "(wq_completion)%s", wq->name);
	lockdep_init_map(&wq->lockdep_map, wq->lock_name, &wq->key, 0);
}

static void wq_unregister_lockdep(struct workqueue_struct *wq)
{
	lockdep_unregister_key(&wq->key);
}
#else
static inline void wq_init_lockdep(struct workqueue_struct *wq) { (void)wq; }
static inline void wq_unregister_lockdep(struct workqueue_struct *wq) { (void)wq; }
#endif

/* A wait for all of @wq's items: take its pseudo-lock. */
static inline void touch_wq_lockdep_map(struct workqueue_struct *wq)
{
	(void)wq;
	lock_map_acquire(&wq->lockdep_map);
	lock_map_release(&wq->lockdep_map);
}

/* A wait for @work: take its pseudo-lock. */
static inline void touch_work_lockdep_map(struct work_struct *work)
{
	(void)work;
	lock_map_acquire(&work->lockdep_map);
	lock_map_release(&work->lockdep_map);
}

/*
 * The pseudo-locks of a wait for @work, queued or running on @wq: the
 * item's, and the queue's where the item may wait behind the waiter (one
 * item at a time) or behind a stalled rescuer; a cancel waits only for a
 * running instance, so not for what is queued behind it.
 */
static inline void touch_flush_lockdep_maps(struct work_struct *work,
					    struct workqueue_struct *wq, bool from_cancel)
{
#ifdef LKSYNC_DEBUG
	touch_work_lockdep_map(work);
	/* Unlocked reads, as the kernel's: a racing max_active change may go either way. */
	if (!from_cancel && (READ_ONCE(wq->saved_max_active) == 1 || READ_ONCE(wq->rescuer)))
		touch_wq_lockdep_map(wq);
#else
	(void)work;
	(void)wq;
	(void)from_cancel;
#endif
}

/* ---- the state word ---- */

static inline unsigned long work_data(struct work_struct *work)
{
	/* Acquire: a pwq read from the word was initialized before it was stored. */
	return __atomic_load_n(work_data_bits(work), __ATOMIC_ACQUIRE);
}

static inline void set_work_data(struct work_struct *work, unsigned long data)
{
	/* Release: pairs with work_data(). The owner of PENDING is the only writer. */
	__atomic_store_n(work_data_bits(work), data, __ATOMIC_RELEASE);
}

static inline int work_color(unsigned long data)
{
	return (int)((data >> WORK_STRUCT_COLOR_SHIFT) & ((1 << WORK_STRUCT_COLOR_BITS) - 1));
}

static inline struct pool_workqueue *data_pwq(unsigned long data)
{
	return data & WORK_STRUCT_PWQ ? (struct pool_workqueue *)(data & WORK_STRUCT_WQ_DATA_MASK)
				      : NULL;
}

static inline int data_pool_id(unsigned long data)
{
	if (data & WORK_STRUCT_PWQ)
		return data_pwq(data)->pool->id;
	return (int)((data >> WORK_OFFQ_POOL_SHIFT) & WORK_OFFQ_POOL_NONE);
}

/* The disable count of an off-queue word (a queued item has none). */
static inline unsigned long offq_disable(unsigned long data)
{
	return data & WORK_STRUCT_PWQ ? 0 : (data & WORK_OFFQ_DISABLE_MASK) >> WORK_OFFQ_DISABLE_SHIFT;
}

static inline struct worker_pool *get_work_pool(struct work_struct *work)
{
	int id = data_pool_id(work_data(work));

	return id == WORK_OFFQ_POOL_NONE || id >= WQ_NR_POOLS ? NULL : &lksync_wq_pools[id];
}

/*
 * test_and_set PENDING. Fully ordered even when it fails: a queuer whose
 * item is already pending has its earlier stores seen by that pending run,
 * which starts only after the worker's clear (an RMW later in the word's
 * order, so the release sequence carries them).
 */
static inline bool test_and_set_pending(struct work_struct *work)
{
	return __atomic_fetch_or(work_data_bits(work), WORK_STRUCT_PENDING,
				 __ATOMIC_SEQ_CST) & WORK_STRUCT_PENDING;
}

static inline void set_work_pwq(struct work_struct *work, struct pool_workqueue *pwq,
				unsigned long flags)
{
	set_work_data(work, (unsigned long)pwq | WORK_STRUCT_PENDING | WORK_STRUCT_PWQ | flags);
}

static inline void set_work_pool_and_keep_pending(struct work_struct *work, int pool_id)
{
	set_work_data(work, ((unsigned long)pool_id << WORK_OFFQ_POOL_SHIFT) | WORK_STRUCT_PENDING);
}

/*
 * Clear PENDING, leaving the pool ID. An exchange, sequentially consistent:
 * what the item's function reads next is ordered after the clear, so a
 * queuer that saw PENDING still set (and so did not queue) has its stores
 * seen by this run.
 */
static inline void set_work_pool_and_clear_pending(struct work_struct *work, int pool_id)
{
	__atomic_exchange_n(work_data_bits(work), (unsigned long)pool_id << WORK_OFFQ_POOL_SHIFT,
			    __ATOMIC_SEQ_CST);
}

/* set_work_pool_and_clear_pending(), with disable count @disable. */
static inline void set_work_pool_disable_and_clear_pending(struct work_struct *work, int pool_id,
							   unsigned long disable)
{
	__atomic_exchange_n(work_data_bits(work),
			    ((unsigned long)pool_id << WORK_OFFQ_POOL_SHIFT) |
			    (disable << WORK_OFFQ_DISABLE_SHIFT), __ATOMIC_SEQ_CST);
}

/*
 * After winning PENDING of an idle item: if it is disabled, give PENDING
 * back (keeping the count) and say so; the caller then does not queue it.
 */
static inline bool clear_pending_if_disabled(struct work_struct *work)
{
	unsigned long data = work_data(work);

	if (likely(!offq_disable(data)))
		return false;
	set_work_pool_disable_and_clear_pending(work, data_pool_id(data), offq_disable(data));
	return true;
}

static inline bool work_is_canceling(struct work_struct *work)
{
	unsigned long data = work_data(work);

	return !(data & WORK_STRUCT_PWQ) && (data & WORK_OFFQ_CANCELING);
}

/* ---- worklists (pool locked) ---- */

static inline struct list_head *busy_bucket(struct worker_pool *pool, struct work_struct *work)
{
	unsigned long h = (unsigned long)work;

	h ^= h >> 7;
	h ^= h >> 17;
	return &pool->busy_hash[h & ((1 << WQ_BUSY_HASH_BITS) - 1)];
}

/*
 * The worker of @pool running @work, if any. The function is compared too:
 * an item freed and reused for something else by its last run is not the
 * same item (the kernel's rule).
 */
static struct worker *find_worker_executing_work(struct worker_pool *pool,
						 struct work_struct *work)
{
	struct worker *worker;

	list_for_each_entry(worker, busy_bucket(pool, work), hentry)
		if (worker->current_work == work && worker->current_func == work->func)
			return worker;
	return NULL;
}

/*
 * Move @work and the items linked behind it (flush barriers) to the tail
 * of @head. *@nextp, if given, becomes the item after the last one moved.
 */
static void move_linked_works(struct work_struct *work, struct list_head *head,
			      struct work_struct **nextp)
{
	struct work_struct *next;

	for (;;) {
		next = list_next_entry(work, entry);
		list_move_tail(&work->entry, head);
		if (!(work_data(work) & WORK_STRUCT_LINKED))
			break;
		work = next;
	}
	if (nextp)
		*nextp = next;
}

/*
 * Give @work (and its linked barriers) to @worker, unless another worker of
 * the pool is running it: then to that one, which runs it after its current
 * run. Return: true if @worker got it.
 */
bool lksync_wq_assign_work(struct work_struct *work, struct worker *worker,
			   struct work_struct **nextp)
{
	struct worker *collision = find_worker_executing_work(worker->pool, work);

	if (unlikely(collision)) {
		move_linked_works(work, &collision->scheduled, nextp);
		return false;
	}
	move_linked_works(work, &worker->scheduled, nextp);
	return true;
}

static void insert_work(struct pool_workqueue *pwq, struct work_struct *work,
			struct list_head *head, unsigned long flags)
{
	set_work_pwq(work, pwq, flags);
	list_add_tail(&work->entry, head);
}

/* Let the first inactive item of @pwq run. */
static void pwq_activate_work(struct pool_workqueue *pwq, struct work_struct *work)
{
	move_linked_works(work, &pwq->pool->worklist, NULL);
	/* Only the pool lock holder changes a queued item's word; readers see either. */
	__atomic_fetch_and(work_data_bits(work), ~(unsigned long)WORK_STRUCT_INACTIVE,
			   __ATOMIC_RELEASE);
	pwq->nr_active++;
}

static void pwq_activate_first_inactive(struct pool_workqueue *pwq)
{
	struct work_struct *work;

	while (pwq->nr_active < pwq->max_active &&
	       (work = list_first_entry_or_null(&pwq->inactive_works, struct work_struct, entry))) {
		pwq_activate_work(pwq, work);
		lksync_wq_kick_pool(pwq->pool);
	}
}

/*
 * An item of @pwq left its queue (ran, or was grabbed): update the counts;
 * the last item of a color being flushed completes the flush.
 */
static void pwq_dec_nr_in_flight(struct pool_workqueue *pwq, unsigned long data)
{
	int color = work_color(data);

	if (!(data & WORK_STRUCT_INACTIVE)) {
		pwq->nr_active--;
		pwq_activate_first_inactive(pwq);
	}
	pwq->nr_in_flight[color]--;
	if (color == pwq->flush_color && !pwq->nr_in_flight[color]) {
		struct workqueue_struct *wq = pwq->wq;

		pwq->flush_color = -1;
		if (atomic_dec_and_test(&wq->nr_pwqs_to_flush))
			complete(wq->flush_done);
	}
}

/* ---- queuing ---- */

static struct pool_workqueue *wq_select_pwq(struct workqueue_struct *wq, int cpu)
{
	if (wq->nr_pwqs == 1)
		return &wq->pwqs[0];
	if (cpu < 0 || cpu >= WORK_CPU_UNBOUND)
		cpu = (int)raw_smp_processor_id();
	return &wq->pwqs[(unsigned int)cpu % (unsigned int)wq->nr_pwqs];
}

/* Is the caller an item of @wq (or its rescuer), allowed to queue while it drains? */
static bool is_chained_work(struct workqueue_struct *wq)
{
	struct worker *worker = in_task() ? lksync_wq_current_worker() : NULL;

	return worker && worker->current_pwq && worker->current_pwq->wq == wq;
}

/*
 * Queue @work, whose PENDING the caller owns, on @wq. Interrupts are
 * disabled, so nothing on this task can see the item in transition.
 */
static void __queue_work(int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	struct pool_workqueue *pwq;
	struct worker_pool *last_pool, *pool;
	unsigned long flags;

	if (unlikely(READ_ONCE(wq->flags) & (__WQ_DRAINING | __WQ_DESTROYING)) &&
	    WARN_ONCE(!is_chained_work(wq), "workqueue: queuing on %s while it drains\n",
		      wq->name)) {
		/* Dropped, as the kernel drops it; but not left pending forever. */
		set_work_pool_and_clear_pending(work, data_pool_id(work_data(work)));
		return;
	}
	pwq = wq_select_pwq(wq, cpu);
	pool = pwq->pool;
	/*
	 * An item still running on another pool must queue there, behind its
	 * running instance, or it could run twice at once.
	 */
	last_pool = get_work_pool(work);
	if (last_pool && last_pool != pool) {
		struct worker *worker;

		raw_spin_lock(&last_pool->lock);
		worker = find_worker_executing_work(last_pool, work);
		if (worker && worker->current_pwq->wq == wq) {
			pwq = worker->current_pwq;
			pool = last_pool;
		} else {
			raw_spin_unlock(&last_pool->lock);
			raw_spin_lock(&pool->lock);
		}
	} else {
		raw_spin_lock(&pool->lock);
	}

	if (WARN_ON(!list_empty(&work->entry))) {
		raw_spin_unlock(&pool->lock);
		return;
	}
	pwq->nr_in_flight[pwq->work_color]++;
	flags = (unsigned long)pwq->work_color << WORK_STRUCT_COLOR_SHIFT;
	if (likely(pwq->nr_active < pwq->max_active)) {
		pwq->nr_active++;
		insert_work(pwq, work, &pool->worklist, flags);
		lksync_wq_kick_pool(pool);
	} else {
		insert_work(pwq, work, &pwq->inactive_works, flags | WORK_STRUCT_INACTIVE);
	}
	raw_spin_unlock(&pool->lock);
}

bool lksync_queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	unsigned long flags;
	bool ret = false;

	lksync_wq_prepare();
	local_irq_save(flags);
	if (!test_and_set_pending(work) && !clear_pending_if_disabled(work)) {
		__queue_work(cpu, wq, work);
		ret = true;
	}
	local_irq_restore(flags);
	return ret;
}

void lksync_delayed_work_timer_fn(struct timer_list *t)
{
	struct delayed_work *dwork = from_timer(dwork, t, timer);
	unsigned long flags;

	/* A TIMER_IRQSAFE callback runs with interrupts off already. */
	local_irq_save(flags);
	__queue_work(dwork->cpu, dwork->wq, &dwork->work);
	local_irq_restore(flags);
}

/* Arm @dwork's timer (or queue it now); the caller owns PENDING, interrupts off. */
static void __queue_delayed_work(int cpu, struct workqueue_struct *wq,
				 struct delayed_work *dwork, unsigned long delay)
{
	struct timer_list *timer = &dwork->timer;

	WARN_ON_ONCE(timer->function != lksync_delayed_work_timer_fn);
	WARN_ON_ONCE(timer_pending(timer));
	WARN_ON_ONCE(!list_empty(&dwork->work.entry));
	if (!delay) {
		__queue_work(cpu, wq, &dwork->work);
		return;
	}
	dwork->wq = wq;
	dwork->cpu = cpu;
	timer->expires = jiffies + delay;
	add_timer(timer);
}

bool lksync_queue_delayed_work_on(int cpu, struct workqueue_struct *wq,
				  struct delayed_work *dwork, unsigned long delay)
{
	unsigned long flags;
	bool ret = false;

	lksync_wq_prepare();
	local_irq_save(flags);
	if (!test_and_set_pending(&dwork->work) && !clear_pending_if_disabled(&dwork->work)) {
		__queue_delayed_work(cpu, wq, dwork, delay);
		ret = true;
	}
	local_irq_restore(flags);
	return ret;
}

/* ---- grabbing a pending item ---- */

/*
 * Take PENDING of @work away from whoever holds it, so that the caller owns
 * it: disarm its timer, or take it off its worklist.
 * Return, with interrupts disabled (*@irqflags to restore) when >= 0:
 *   1        it was pending and is now the caller's
 *   0        it was idle and is now the caller's
 *   -EAGAIN  it is in transition (being queued, its timer firing): retry
 *   -ENOENT  another task is canceling it
 */
static int try_to_grab_pending(struct work_struct *work, bool is_dwork, unsigned long *irqflags)
{
	struct worker_pool *pool;
	struct pool_workqueue *pwq;

	local_irq_save(*irqflags);
	if (is_dwork) {
		struct delayed_work *dwork = to_delayed_work(work);

		/* An armed timer holds PENDING: disarming it hands it to us. */
		if (likely(del_timer(&dwork->timer)))
			return 1;
	}
	if (!test_and_set_pending(work))
		return 0;

	pool = get_work_pool(work);
	if (!pool)
		goto fail;
	raw_spin_lock(&pool->lock);
	/*
	 * Queued on this pool? Its word names a pwq only while it is on a
	 * worklist of that pwq's pool, and changes only under that lock.
	 */
	pwq = data_pwq(work_data(work));
	if (pwq && pwq->pool == pool) {
		unsigned long data = work_data(work);

		if (data & WORK_STRUCT_INACTIVE) {
			/* Count it as active first, so the bookkeeping below balances. */
			pwq_activate_work(pwq, work);
			data &= ~(unsigned long)WORK_STRUCT_INACTIVE;
		}
		list_del_init(&work->entry);
		pwq_dec_nr_in_flight(pwq, data);
		set_work_pool_and_keep_pending(work, pool->id);
		raw_spin_unlock(&pool->lock);
		return 1;
	}
	raw_spin_unlock(&pool->lock);
fail:
	local_irq_restore(*irqflags);
	if (work_is_canceling(work))
		return -ENOENT;
	cpu_relax();
	return -EAGAIN;
}

/* Grab, retrying while the item is in transition (briefly: interrupts are off there). */
static int grab_pending_retry(struct work_struct *work, bool is_dwork, unsigned long *irqflags)
{
	unsigned int spins = 0;
	int ret;

	while ((ret = try_to_grab_pending(work, is_dwork, irqflags)) == -EAGAIN) {
		/* The holder may have been preempted by the OS: let it run. */
		if (++spins % 64 == 0 && in_task() && !irqs_disabled())
			yield();
	}
	return ret;
}

bool lksync_mod_delayed_work_on(int cpu, struct workqueue_struct *wq,
				struct delayed_work *dwork, unsigned long delay)
{
	unsigned long flags;
	int ret;

	lksync_wq_prepare();
	ret = grab_pending_retry(&dwork->work, true, &flags);
	if (likely(ret >= 0)) {
		/* Disabled: it stays off (and the result still says if it was pending). */
		if (!clear_pending_if_disabled(&dwork->work))
			__queue_delayed_work(cpu, wq, dwork, delay);
		local_irq_restore(flags);
	}
	/* -ENOENT (being canceled) reads as true, as in the kernel. */
	return ret;
}

static bool __cancel_work(struct work_struct *work, bool is_dwork)
{
	unsigned long flags, data;
	int ret;

	ret = grab_pending_retry(work, is_dwork, &flags);
	if (unlikely(ret < 0))
		return false;
	data = work_data(work);
	set_work_pool_disable_and_clear_pending(work, data_pool_id(data), offq_disable(data));
	local_irq_restore(flags);
	return ret;
}

bool lksync_cancel_work(struct work_struct *work)
{
	return __cancel_work(work, false);
}

bool lksync_cancel_delayed_work(struct delayed_work *dwork)
{
	return __cancel_work(&dwork->work, true);
}

/* ---- flushing ---- */

struct wq_barrier {
	struct work_struct work;
	struct completion done;
};

static void wq_barrier_func(struct work_struct *work)
{
	struct wq_barrier *barr = container_of(work, struct wq_barrier, work);

	complete(&barr->done);
}

/*
 * Queue @barr right behind @target: after it on its worklist (linked, so
 * they move together), or first on @worker's list if @worker runs it.
 * A barrier does not count against max_active (INACTIVE) and takes the
 * color of its target, so that flush_workqueue() (and so drain) waits for
 * it too. Pool locked.
 */
static void insert_wq_barrier(struct pool_workqueue *pwq, struct wq_barrier *barr,
			      struct work_struct *target, struct worker *worker)
{
	unsigned long flags = WORK_STRUCT_INACTIVE;
	struct list_head *head;
	int color;

	INIT_LIST_HEAD(&barr->work.entry);
	barr->work.func = wq_barrier_func;
#ifdef LKSYNC_DEBUG
	lockdep_init_map(&barr->work.lockdep_map, "(work_completion)(&barr->work)",
			 &wq_barrier_key, 0);
#endif
	init_completion(&barr->done);
	if (worker) {
		head = worker->scheduled.next;
		color = worker->current_color;
	} else {
		unsigned long data = __atomic_fetch_or(work_data_bits(target), WORK_STRUCT_LINKED,
						       __ATOMIC_RELAXED);

		head = target->entry.next;
		flags |= data & WORK_STRUCT_LINKED;	/* barriers already behind it */
		color = work_color(data);
	}
	pwq->nr_in_flight[color]++;
	flags |= (unsigned long)color << WORK_STRUCT_COLOR_SHIFT;
	insert_work(pwq, &barr->work, head, flags);
}

static bool start_flush_work(struct work_struct *work, struct wq_barrier *barr,
			     bool from_cancel)
{
	struct worker_pool *pool;
	struct pool_workqueue *pwq;
	struct workqueue_struct *wq;
	struct worker *worker = NULL;

	local_irq_disable();
	pool = get_work_pool(work);
	if (!pool) {
		local_irq_enable();
		return false;
	}
	raw_spin_lock(&pool->lock);
	pwq = data_pwq(work_data(work));
	if (pwq) {
		if (unlikely(pwq->pool != pool))
			goto already_gone;
	} else {
		worker = find_worker_executing_work(pool, work);
		if (!worker)
			goto already_gone;
		pwq = worker->current_pwq;
	}
	wq = pwq->wq;
	insert_wq_barrier(pwq, barr, work, worker);
	raw_spin_unlock_irq(&pool->lock);
	/*
	 * There is something to wait for: lockdep sees the wait as taking the
	 * item's (and maybe the queue's) pseudo-lock. The queue lives as long
	 * as an item of it is queued or running: ours is, behind the barrier.
	 */
	touch_flush_lockdep_maps(work, wq, from_cancel);
	return true;
already_gone:
	/*
	 * Not queued, not running: its last run released this lock after it
	 * finished, so the caller sees what it did.
	 */
	raw_spin_unlock_irq(&pool->lock);
	return false;
}

static bool __flush_work(struct work_struct *work, bool from_cancel)
{
	struct wq_barrier barr;

	might_sleep();
	if (WARN_ONCE(!work->func, "workqueue: flush of an uninitialized work item\n"))
		return false;
	if (unlikely(current_work() == work)) {
		/*
		 * The kernel would wait for ever; its lockdep says why first:
		 * the worker holds the item's (and queue's) pseudo-lock, and
		 * the wait takes it again.
		 */
#ifdef LKSYNC_DEBUG
		touch_flush_lockdep_maps(work, lksync_wq_current_worker()->current_pwq->wq,
					 from_cancel);
#endif
		WARN_ONCE(1, "workqueue: %p flushing itself\n", (void *)work->func);
		return false;
	}
	if (!start_flush_work(work, &barr, from_cancel))
		return false;
	wait_for_completion(&barr.done);
	return true;
}

bool lksync_flush_work(struct work_struct *work)
{
	lksync_wq_prepare();
	return __flush_work(work, false);
}

bool lksync_flush_delayed_work(struct delayed_work *dwork)
{
	unsigned long flags;

	lksync_wq_prepare();
	for (unsigned int spins = 0;; spins++) {
		unsigned long data;

		local_irq_save(flags);
		if (del_timer(&dwork->timer)) {
			/* We hold the timer's PENDING now: queue it at once. */
			__queue_work(dwork->cpu, dwork->wq, &dwork->work);
			local_irq_restore(flags);
			break;
		}
		data = work_data(&dwork->work);
		local_irq_restore(flags);
		/*
		 * Pending but on no worklist, and nobody canceling: the timer
		 * callback is queuing it right now. Let it finish, so the
		 * flush below finds it.
		 */
		if (!(data & WORK_STRUCT_PENDING) || (data & WORK_STRUCT_PWQ) ||
		    (data & WORK_OFFQ_CANCELING))
			break;
		/* The queuer may be descheduled on a busy machine: give it the CPU. */
		if ((spins & 63) == 63)
			yield();
		else
			cpu_relax();
	}
	return __flush_work(&dwork->work, false);
}

/* ---- canceling and waiting ---- */

/*
 * A canceler owns @work (CANCELING): change its disable count by @delta in
 * place. Return: false if no canceler owns it any more (grab it instead).
 */
static bool offq_adjust_while_canceling(struct work_struct *work, long delta)
{
	unsigned long old = work_data(work), new, d;

	do {
		if (!(old & WORK_STRUCT_PENDING) || (old & WORK_STRUCT_PWQ) ||
		    !(old & WORK_OFFQ_CANCELING))
			return false;
		d = offq_disable(old);
		if (delta > 0 && WARN_ONCE(d == (1UL << WORK_OFFQ_DISABLE_BITS) - 1,
					   "workqueue: work disable count overflowed\n"))
			return true;
		if (delta < 0 && WARN_ONCE(!d, "workqueue: work disable count underflowed\n"))
			return true;
		new = (old & ~WORK_OFFQ_DISABLE_MASK) | ((d + delta) << WORK_OFFQ_DISABLE_SHIFT);
		/* Sequentially consistent, as every other change of the word. */
	} while (!__atomic_compare_exchange_n(work_data_bits(work), &old, new, false,
					      __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE));
	return true;
}

/* The disable count @d changed by @delta within its bounds (the kernel's warnings). */
static unsigned long offq_adjust(unsigned long d, long delta)
{
	if (delta > 0) {
		if (WARN_ONCE(d == (1UL << WORK_OFFQ_DISABLE_BITS) - 1,
			      "workqueue: work disable count overflowed\n"))
			return d;
		return d + 1;
	}
	if (delta < 0) {
		if (WARN_ONCE(!d, "workqueue: work disable count underflowed\n"))
			return d;
		return d - 1;
	}
	return d;
}

static bool __cancel_work_sync(struct work_struct *work, bool is_dwork, bool disable)
{
	unsigned long flags, data, old;
	int ret;

	might_sleep();
	lksync_wq_prepare();
	for (;;) {
		ret = grab_pending_retry(work, is_dwork, &flags);
		if (ret >= 0)
			break;
		/* Another task cancels it: wait for that to end, then take over. */
		wait_event(cancel_waitq, !work_is_canceling(work));
	}
	/*
	 * Keep PENDING while we wait, so that queuing it (from its own run,
	 * say) fails; CANCELING tells other cancelers to wait for us.
	 */
	data = work_data(work);
	set_work_data(work, ((unsigned long)data_pool_id(data) << WORK_OFFQ_POOL_SHIFT) |
		      (offq_adjust(offq_disable(data), disable) << WORK_OFFQ_DISABLE_SHIFT) |
		      WORK_OFFQ_CANCELING | WORK_STRUCT_PENDING);
	local_irq_restore(flags);
	__flush_work(work, true);
	/*
	 * Release the item, keeping its disable count, which disable_work()
	 * and enable_work() may have changed meanwhile (in place, by CAS).
	 */
	old = work_data(work);
	while (!__atomic_compare_exchange_n(work_data_bits(work), &old,
					    (old & WORK_OFFQ_DISABLE_MASK) | WORK_STRUCT_NO_POOL,
					    false, __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE))
		;
	wake_up_all(&cancel_waitq);
	return ret;
}

bool lksync_cancel_work_sync(struct work_struct *work)
{
	return __cancel_work_sync(work, false, false);
}

bool lksync_cancel_delayed_work_sync(struct delayed_work *dwork)
{
	return __cancel_work_sync(&dwork->work, true, false);
}

/* ---- disabling ---- */

/*
 * Grab @work, change its disable count by @delta and release it, idle.
 * Return: the grab's result (1: it was pending) and *@count the new count.
 */
static int offq_change_disable(struct work_struct *work, bool is_dwork, long delta,
			       unsigned long *count)
{
	unsigned long flags, data, d;
	int ret;

	for (;;) {
		ret = grab_pending_retry(work, is_dwork, &flags);
		if (ret >= 0)
			break;
		/* A canceler owns it: change the count under its feet. */
		if (offq_adjust_while_canceling(work, delta)) {
			*count = offq_disable(work_data(work));
			return 0;
		}
	}
	data = work_data(work);
	d = offq_adjust(offq_disable(data), delta);
	set_work_pool_disable_and_clear_pending(work, data_pool_id(data), d);
	local_irq_restore(flags);
	*count = d;
	return ret;
}

bool lksync_disable_work(struct work_struct *work, bool is_dwork, bool sync)
{
	unsigned long count;

	lksync_wq_prepare();
	if (sync)
		return __cancel_work_sync(work, is_dwork, true);
	return offq_change_disable(work, is_dwork, 1, &count) > 0;
}

bool lksync_enable_work(struct work_struct *work)
{
	unsigned long count;

	lksync_wq_prepare();
	offq_change_disable(work, false, -1, &count);
	return !count;
}

/* ---- flushing a workqueue ---- */

/*
 * Wait for every item queued on @wq before now. Each queued item carries
 * its pwq's current color; a flusher moves every pwq to the next color and
 * waits until no item of the old one is in flight. Flushers take turns on
 * wq->mutex, so two colors would do; the kernel's fifteen are kept for the
 * word's layout.
 */
void lksync_flush_workqueue(struct workqueue_struct *wq)
{
	struct completion done;
	int flush_color, next_color;

	might_sleep();
	lksync_wq_prepare();
	/* Waiting for every item: lockdep sees the queue's pseudo-lock taken. */
	touch_wq_lockdep_map(wq);
	/* From one of its items it would wait for ever (lockdep: recursion). */
	if (WARN_ONCE(is_chained_work(wq), "workqueue: %s flushed from its own item\n", wq->name))
		return;
	init_completion(&done);
	mutex_lock(&wq->mutex);
	flush_color = wq->work_color;
	next_color = (flush_color + 1) % WQ_FLUSH_COLORS;
	wq->flush_done = &done;
	atomic_set(&wq->nr_pwqs_to_flush, 1);
	for (int i = 0; i < wq->nr_pwqs; i++) {
		struct pool_workqueue *pwq = &wq->pwqs[i];

		raw_spin_lock_irq(&pwq->pool->lock);
		pwq->work_color = next_color;
		if (pwq->nr_in_flight[flush_color]) {
			pwq->flush_color = flush_color;
			atomic_inc(&wq->nr_pwqs_to_flush);
		}
		raw_spin_unlock_irq(&pwq->pool->lock);
	}
	wq->work_color = next_color;
	if (atomic_dec_and_test(&wq->nr_pwqs_to_flush))
		complete(&done);
	wait_for_completion(&done);
	wq->flush_done = NULL;
	mutex_unlock(&wq->mutex);
}

static bool pwq_busy(struct pool_workqueue *pwq)
{
	for (int i = 0; i < WORK_NR_COLORS; i++)
		if (pwq->nr_in_flight[i])
			return true;
	return pwq->nr_active || !list_empty(&pwq->inactive_works);
}

static bool wq_busy(struct workqueue_struct *wq)
{
	bool busy = false;

	for (int i = 0; i < wq->nr_pwqs && !busy; i++) {
		struct pool_workqueue *pwq = &wq->pwqs[i];

		raw_spin_lock_irq(&pwq->pool->lock);
		busy = pwq_busy(pwq);
		raw_spin_unlock_irq(&pwq->pool->lock);
	}
	return busy;
}

void lksync_drain_workqueue(struct workqueue_struct *wq)
{
	unsigned int flush_cnt = 0;

	might_sleep();
	lksync_wq_prepare();
	mutex_lock(&wq->mutex);
	if (!wq->nr_drainers++)
		__atomic_or_fetch(&wq->flags, __WQ_DRAINING, __ATOMIC_RELAXED);
	mutex_unlock(&wq->mutex);
	for (;;) {
		flush_workqueue(wq);
		if (!wq_busy(wq))
			break;
		if (++flush_cnt % 100 == 0)
			pr_warn("workqueue %s: drain_workqueue() isn't complete after %u tries\n",
				wq->name, flush_cnt);
	}
	mutex_lock(&wq->mutex);
	if (!--wq->nr_drainers)
		__atomic_and_fetch(&wq->flags, ~(unsigned int)__WQ_DRAINING, __ATOMIC_RELAXED);
	mutex_unlock(&wq->mutex);
}

/* ---- running items (workers) ---- */

/*
 * Run @work on @worker: pool locked on entry and on return, unlocked while
 * the function runs (process context, interrupts enabled).
 */
static void process_one_work(struct worker *worker, struct work_struct *work)
{
	struct pool_workqueue *pwq = data_pwq(work_data(work));
	struct worker_pool *pool = worker->pool;
	bool cpu_intensive = READ_ONCE(pwq->wq->flags) & WQ_CPU_INTENSIVE;
	unsigned long data = work_data(work);
	int lockdep_start_depth;
#ifdef LKSYNC_DEBUG
	/* The function may free the item: hold a copy of its pseudo-lock. */
	struct lockdep_map lockdep_map;

	lockdep_copy_map(&lockdep_map, &work->lockdep_map);
#endif

	list_add(&worker->hentry, busy_bucket(pool, work));
	worker->current_work = work;
	worker->current_func = work->func;
	worker->current_pwq = pwq;
	worker->current_color = work_color(data);
	worker->nr_started++;
	list_del_init(&work->entry);
	if (unlikely(cpu_intensive))
		lksync_wq_worker_set_flags(worker, WORKER_CPU_INTENSIVE);
	/*
	 * Someone must watch a per-CPU pool's running item (the CPU-hog
	 * rule). Checked for every item, under the pool lock that also
	 * publishes current_work: the manager stops watching only after a
	 * scan that began with the flag clear, which either sees this item or
	 * is seen here. Checking once per batch of items was not enough: a
	 * worker that went on from an item the manager no longer counted (one
	 * marked CPU-intensive) to a hog was never watched again.
	 */
	if (!(pool->flags & POOL_UNBOUND) && !lksync_wq_manager_ticking())
		lksync_wq_request_manager();
	/* Unmanaged workers (unbound, CPU-intensive) chain execution here. */
	lksync_wq_kick_pool(pool);
	set_work_pool_and_clear_pending(work, pool->id);
	raw_spin_unlock_irq(&pool->lock);

	lockdep_start_depth = (int)lockdep_depth(current);
	/*
	 * Couple the function's lock chain with flush_*()'s and
	 * cancel_work_sync()'s, which take these too. Exclusive, both: two
	 * items of one queue never nest on one worker.
	 */
	lock_map_acquire(&pwq->wq->lockdep_map);
	lock_map_acquire(&lockdep_map);
	worker->current_func(work);
	lock_map_release(&lockdep_map);
	lock_map_release(&pwq->wq->lockdep_map);

	/*
	 * A worker runs items at preempt_count 0, interrupts on and no lock
	 * held: so must they return (the debug flavor also counts locks).
	 */
	if (unlikely(preempt_count() || irqs_disabled() ||
		     (int)lockdep_depth(current) != lockdep_start_depth)) {
		pr_err("BUG: workqueue leaked atomic, lock or RCU: %s[%d]\n"
		       "     preempt=0x%08x lock=%d->%d irqs_disabled=%d workfn=%p\n",
		       current->comm, current->pid, preempt_count(), lockdep_start_depth,
		       (int)lockdep_depth(current), !!irqs_disabled(),
		       (void *)worker->current_func);
		lockdep_print_held_locks(current);
	}
	raw_spin_lock_irq(&pool->lock);
	/* The item may be freed by now: only its address is used below. */
	lksync_wq_worker_clr_flags(worker, WORKER_CPU_INTENSIVE);
	list_del_init(&worker->hentry);
	worker->current_work = NULL;
	worker->current_func = NULL;
	worker->current_pwq = NULL;
	worker->current_color = WORK_NO_COLOR;
	pwq_dec_nr_in_flight(pwq, data);
}

void lksync_wq_process_scheduled_works(struct worker *worker)
{
	struct work_struct *work;

	while ((work = list_first_entry_or_null(&worker->scheduled, struct work_struct, entry)))
		process_one_work(worker, work);
}

/* ---- workqueues ---- */

struct workqueue_struct *lksync_wq_alloc(const char *name, unsigned int flags, int max_active)
{
	struct workqueue_struct *wq;
	int n;

	if (flags & WQ_BH) {
		WARN_ONCE(1, "workqueue %s: WQ_BH is not supported, using WQ_HIGHPRI\n", name);
		flags = (flags & ~(unsigned int)WQ_BH) | WQ_HIGHPRI;
	}
	if (!max_active)
		max_active = WQ_DFL_ACTIVE;
	if (max_active < 1 || max_active > WQ_MAX_ACTIVE) {
		pr_warn("workqueue: max_active %d requested for %s is out of range, "
			"clamping between 1 and %d\n", max_active, name, WQ_MAX_ACTIVE);
		max_active = max_active < 1 ? 1 : WQ_MAX_ACTIVE;
	}
	wq = calloc(1, sizeof(*wq));
	if (!wq)
		return NULL;
	n = flags & WQ_UNBOUND ? 1 : (int)lksync_wq_nr_cpu_pools;
	wq->pwqs = aligned_alloc(_Alignof(struct pool_workqueue),
				 sizeof(struct pool_workqueue) * (size_t)n);
	if (!wq->pwqs) {
		free(wq);
		return NULL;
	}
	memset(wq->pwqs, 0, sizeof(struct pool_workqueue) * (size_t)n);
	wq->flags = flags;
	wq->saved_max_active = max_active;
	wq->nr_pwqs = n;
	mutex_init(&wq->mutex);
	INIT_LIST_HEAD(&wq->maydays);
	snprintf(wq->name, sizeof(wq->name), "%s", name);
	wq_init_lockdep(wq);
	for (int i = 0; i < n; i++) {
		struct pool_workqueue *pwq = &wq->pwqs[i];
		int hi = !!(flags & WQ_HIGHPRI);

		pwq->pool = &lksync_wq_pools[flags & WQ_UNBOUND ? WQ_UNBOUND_POOL_BASE + hi
							 : i * WQ_NR_STD_POOLS + hi];
		pwq->wq = wq;
		pwq->flush_color = -1;
		pwq->max_active = max_active;
		INIT_LIST_HEAD(&pwq->inactive_works);
		INIT_LIST_HEAD(&pwq->mayday_node);
	}
	return wq;
}

struct workqueue_struct *lksync_alloc_workqueue(const char *fmt, unsigned int flags,
						int max_active, ...)
{
	struct workqueue_struct *wq;
	char name[WORKER_DESC_LEN];
	va_list ap;

	might_sleep();
	lksync_wq_prepare();
	va_start(ap, max_active);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	wq = lksync_wq_alloc(name, flags, max_active);
	if (wq && (wq->flags & WQ_MEM_RECLAIM) && lksync_wq_create_rescuer(wq)) {
		wq_unregister_lockdep(wq);
		free(wq->pwqs);
		free(wq);
		return NULL;
	}
	return wq;
}

void lksync_destroy_workqueue(struct workqueue_struct *wq)
{
	might_sleep();
	drain_workqueue(wq);
	__atomic_or_fetch(&wq->flags, __WQ_DESTROYING, __ATOMIC_RELAXED);
	if (wq->rescuer)
		lksync_wq_destroy_rescuer(wq);
	if (WARN(wq_busy(wq), "destroy_workqueue: %s is still busy\n", wq->name))
		return;	/* leak it rather than free what workers use */
	mutex_destroy(&wq->mutex);
	/* No item of it runs or waits: its class (and what it ordered) goes. */
	wq_unregister_lockdep(wq);
	free(wq->pwqs);
	free(wq);
}

void lksync_workqueue_set_max_active(struct workqueue_struct *wq, int max_active)
{
	if (WARN_ON(READ_ONCE(wq->flags) & __WQ_ORDERED_EXPLICIT))
		return;
	if (max_active < 1 || max_active > WQ_MAX_ACTIVE)
		max_active = max_active < 1 ? 1 : WQ_MAX_ACTIVE;
	mutex_lock(&wq->mutex);
	WRITE_ONCE(wq->saved_max_active, max_active);	/* read unlocked by flush_work() */
	for (int i = 0; i < wq->nr_pwqs; i++) {
		struct pool_workqueue *pwq = &wq->pwqs[i];

		raw_spin_lock_irq(&pwq->pool->lock);
		pwq->max_active = max_active;
		pwq_activate_first_inactive(pwq);
		raw_spin_unlock_irq(&pwq->pool->lock);
	}
	mutex_unlock(&wq->mutex);
}

bool lksync_workqueue_congested(int cpu, struct workqueue_struct *wq)
{
	struct pool_workqueue *pwq = wq_select_pwq(wq, cpu);
	unsigned long flags;
	bool ret;

	raw_spin_lock_irqsave(&pwq->pool->lock, flags);
	ret = !list_empty(&pwq->inactive_works);
	raw_spin_unlock_irqrestore(&pwq->pool->lock, flags);
	return ret;
}

/* ---- introspection ---- */

struct work_struct *lksync_current_work(void)
{
	struct worker *worker = lksync_wq_current_worker();

	return worker ? worker->current_work : NULL;
}

bool lksync_current_is_workqueue_rescuer(void)
{
	struct worker *worker = lksync_wq_current_worker();

	return worker && (worker->flags & WORKER_RESCUER);
}

unsigned int lksync_work_busy(struct work_struct *work)
{
	struct worker_pool *pool;
	unsigned long flags;
	unsigned int ret = 0;

	if (work_pending(work))
		ret |= WORK_BUSY_PENDING;
	pool = get_work_pool(work);
	if (pool) {
		raw_spin_lock_irqsave(&pool->lock, flags);
		if (find_worker_executing_work(pool, work))
			ret |= WORK_BUSY_RUNNING;
		raw_spin_unlock_irqrestore(&pool->lock, flags);
	}
	return ret;
}

/* ---- per-CPU helpers ---- */

bool lksync_queue_work_node(int node, struct workqueue_struct *wq, struct work_struct *work)
{
	(void)node;		/* no NUMA nodes here */
	WARN_ON_ONCE(!(READ_ONCE(wq->flags) & WQ_UNBOUND));
	return lksync_queue_work_on(WORK_CPU_UNBOUND, wq, work);
}

int lksync_schedule_on_each_cpu(work_func_t func)
{
	struct work_struct *works;
	unsigned int cpu;

	might_sleep();
	works = calloc(nr_cpu_ids, sizeof(*works));
	if (!works)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		INIT_WORK(&works[cpu], func);
		schedule_work_on((int)cpu, &works[cpu]);
	}
	for_each_online_cpu(cpu)
		flush_work(&works[cpu]);
	free(works);
	return 0;
}

struct work_for_cpu {
	struct work_struct work;
	long (*fn)(void *);
	void *arg;
	long ret;
};

static void work_for_cpu_fn(struct work_struct *work)
{
	struct work_for_cpu *wfc = container_of(work, struct work_for_cpu, work);

	wfc->ret = wfc->fn(wfc->arg);	/* flush_work() orders it before the caller's read */
}

static long __work_on_cpu(int cpu, long (*fn)(void *), void *arg, struct lock_class_key *key)
{
	struct work_for_cpu wfc = { .fn = fn, .arg = arg };

	might_sleep();
	INIT_WORK_ONSTACK_KEY(&wfc.work, work_for_cpu_fn, key);
	schedule_work_on(cpu, &wfc.work);
	flush_work(&wfc.work);
	destroy_work_on_stack(&wfc.work);
	return wfc.ret;
}

long lksync_work_on_cpu(int cpu, long (*fn)(void *), void *arg)
{
#ifdef LKSYNC_DEBUG
	static struct lock_class_key key;	/* callers without a key of their own */

	return __work_on_cpu(cpu, fn, arg, &key);
#else
	return __work_on_cpu(cpu, fn, arg, NULL);
#endif
}

#ifdef LKSYNC_DEBUG
long lksync_work_on_cpu_key(int cpu, long (*fn)(void *), void *arg, struct lock_class_key *key)
{
	return __work_on_cpu(cpu, fn, arg, key);
}
#endif
