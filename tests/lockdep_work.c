// SPDX-License-Identifier: MIT
/*
 * Lockdep's pseudo-locks for work items, workqueues and timers (debug
 * flavor), as the kernel's: a wait for an item, a queue or a timer callback
 * under a lock that the item or callback takes is reported as a circular
 * dependency the first time both orders are seen (flush_work,
 * flush_workqueue, drain_workqueue, cancel_work_sync, flush_delayed_work,
 * cancel_delayed_work_sync, del_timer_sync/timer_delete_sync); a wait from
 * inside the item itself is recursive locking; flush_work() takes the
 * queue's pseudo-lock only for max_active 1 or a rescuer, cancel never.
 * Correct code makes no report: no lock held, an unrelated lock held, many
 * items of one INIT_WORK() site, a queue destroyed and allocated again, a
 * timer re-armed from its callback, work_on_cpu() nested in another's
 * function (a class per call site), an item or timer that frees itself.
 *
 * flush_work() and cancel_work_sync() take the item's pseudo-lock only when
 * there is something to wait for, so the waited-for run holds until a
 * releaser thread sees the waiter asleep (or the report made).
 */
#include <lksync/sched.h>
#include <lksync/workqueue.h>
#include <lksync/timer.h>
#include <lksync/mutex.h>
#include <lksync/spinlock.h>
#include <lksync/delay.h>
#include <lksync/lockdep.h>
#include "lksync_test.h"

#ifndef LKSYNC_DEBUG
int main(void)
{
	printf("skipped (release flavor)\n");
	return 0;
}
#else

/* ---- report capture ---- */

#define NR_SAVED	4
static char saved[NR_SAVED][8192];
static int nr_reports;		/* reports seen */
static int nr_saved;		/* ... and copied (readable) */

static void sink(const char *text, void *arg)
{
	int i = __atomic_fetch_add(&nr_reports, 1, __ATOMIC_ACQ_REL);

	(void)arg;
	if (i < NR_SAVED)
		snprintf(saved[i], sizeof(saved[i]), "%s", text);
	/* Release: the copy is readable once counted. */
	__atomic_add_fetch(&nr_saved, 1, __ATOMIC_RELEASE);
	if (getenv("LOCKDEP_TEST_VERBOSE"))
		fputs(text, stderr);
}

static int reports(void)
{
	return __atomic_load_n(&nr_saved, __ATOMIC_ACQUIRE);
}

/* Report @i (0: the first) contains @s. */
static int has(int i, const char *s)
{
	return i < reports() && i < NR_SAVED && strstr(saved[i], s) != NULL;
}

/*
 * A clean slate: the workqueue manager has stopped ticking (it lingers
 * 100 ms after the last busy worker), so no task is inside a lock
 * operation when the graph is forgotten.
 */
static void fresh(void)
{
	usleep(150000);
	lksync_lockdep_reset();
	__atomic_store_n(&nr_reports, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&nr_saved, 0, __ATOMIC_RELAXED);
	for (int i = 0; i < NR_SAVED; i++)
		saved[i][0] = '\0';
}

/* ---- items that take a lock, or hold until released ---- */

static int release;

struct item {
	struct delayed_work dw;		/* plain items use dw.work only */
	struct mutex *lock;		/* taken (and dropped) by the function */
	int hold;			/* wait for release (3 s at most) */
	int running;
	int runs;
};

static void item_fn(struct work_struct *work)
{
	struct item *it = container_of(work, struct item, dw.work);

	__atomic_store_n(&it->running, 1, __ATOMIC_RELEASE);
	if (READ_ONCE(it->lock)) {
		mutex_lock(it->lock);
		mutex_unlock(it->lock);
	}
	if (READ_ONCE(it->hold))
		for (int i = 0; i < 3000 && !__atomic_load_n(&release, __ATOMIC_ACQUIRE); i++)
			msleep(1);
	it->runs++;
}

static void wait_running(struct item *it)
{
	for (int i = 0; i < 3000 && !__atomic_load_n(&it->running, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	CHECK(__atomic_load_n(&it->running, __ATOMIC_ACQUIRE));
}

/* Run @it once, taking @lock: lockdep learns item -> lock. */
static void learn(struct workqueue_struct *wq, struct item *it, struct mutex *lock)
{
	it->lock = lock;
	it->hold = 0;
	CHECK(queue_work(wq, &it->dw.work));
	flush_work(&it->dw.work);
	CHECK(it->runs > 0);
	it->lock = NULL;
}

/* Make @it hold when it runs; queue it on @wq and wait for it to run (NULL: the caller queues). */
static void start_holding(struct workqueue_struct *wq, struct item *it)
{
	it->hold = 1;
	__atomic_store_n(&release, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&it->running, 0, __ATOMIC_RELAXED);
	if (wq) {
		CHECK(queue_work(wq, &it->dw.work));
		wait_running(it);
	}
}

/*
 * The releaser: lets holding items go once the waiter (the test's task)
 * sleeps, i.e. has taken the pseudo-locks and waits, or a report is made.
 */
static void *releaser_main(void *arg)
{
	struct task_struct *waiter = arg;

	for (int i = 0; i < 3000; i++) {
		if (reports() ||
		    (__atomic_load_n(&waiter->__state, __ATOMIC_RELAXED) & TASK_UNINTERRUPTIBLE))
			break;
		usleep(1000);
	}
	__atomic_store_n(&release, 1, __ATOMIC_RELEASE);
	return NULL;
}

static pthread_t releaser;

static void releaser_start(void)
{
	if (pthread_create(&releaser, NULL, releaser_main, current))
		abort();
}

static void releaser_join(void)
{
	pthread_join(releaser, NULL);
}

static DEFINE_MUTEX(dev_mutex);		/* taken by the items */
static DEFINE_MUTEX(other_mutex);	/* never taken by them */

static void check_circular(const char *pseudo, const char *lock)
{
	CHECK(reports() >= 1);
	CHECK(has(0, "WARNING: possible circular locking dependency detected"));
	CHECK(has(0, pseudo));
	CHECK(has(0, lock));
	CHECK(has(0, "*** DEADLOCK ***"));
	if (getenv("LOCKDEP_TEST_VERBOSE") == NULL && !(has(0, pseudo) && has(0, lock)))
		fprintf(stderr, "first report:\n%s\n", reports() ? saved[0] : "(none)");
}

/* ---- predicted deadlocks ---- */

TEST(flush_work_under_lock)
{
	static struct item it;

	fresh();
	INIT_WORK(&it.dw.work, item_fn);
	learn(system_wq, &it, &dev_mutex);
	CHECK_EQ(reports(), 0);
	start_holding(system_wq, &it);
	releaser_start();
	mutex_lock(&dev_mutex);
	CHECK(flush_work(&it.dw.work));
	mutex_unlock(&dev_mutex);
	releaser_join();
	check_circular("((work_completion)(&it.dw.work)){+.+.}", "(dev_mutex){+.+.}");
	CHECK(has(0, "is trying to acquire lock:"));
	CHECK(has(0, "but task is already holding lock:"));
	/* The scenario: the flusher holds the mutex, the item wants it. */
	CHECK(has(0, "  lock(dev_mutex);\n                               "
		     "lock((work_completion)(&it.dw.work));"));
}

TEST(cancel_work_sync_under_lock)
{
	static struct item it;

	fresh();
	INIT_WORK(&it.dw.work, item_fn);
	learn(system_wq, &it, &dev_mutex);
	start_holding(system_wq, &it);
	releaser_start();
	mutex_lock(&dev_mutex);
	CHECK(!cancel_work_sync(&it.dw.work));	/* running, not pending */
	mutex_unlock(&dev_mutex);
	releaser_join();
	check_circular("((work_completion)(&it.dw.work))", "(dev_mutex)");
	CHECK_EQ(it.runs, 2);
}

TEST(delayed_work_under_lock)
{
	static struct item it;

	/* flush_delayed_work() of an armed item: queued at once, then waited for. */
	fresh();
	INIT_DELAYED_WORK(&it.dw, item_fn);
	learn(system_wq, &it, &dev_mutex);
	start_holding(NULL, &it);
	CHECK(queue_delayed_work(system_wq, &it.dw, 3600 * HZ));
	releaser_start();
	mutex_lock(&dev_mutex);
	CHECK(flush_delayed_work(&it.dw));
	mutex_unlock(&dev_mutex);
	releaser_join();
	check_circular("((work_completion)(&(&it.dw)->work))", "(dev_mutex)");

	/* cancel_delayed_work_sync() of a running one. */
	fresh();
	learn(system_wq, &it, &dev_mutex);
	start_holding(NULL, &it);
	CHECK(queue_delayed_work(system_wq, &it.dw, 0));
	wait_running(&it);
	releaser_start();
	mutex_lock(&dev_mutex);
	CHECK(!cancel_delayed_work_sync(&it.dw));	/* running, not pending */
	mutex_unlock(&dev_mutex);
	releaser_join();
	check_circular("((work_completion)(&(&it.dw)->work))", "(dev_mutex)");
}

TEST(flush_workqueue_under_lock)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("lockdep_ordered", 0);
	static struct item it;

	CHECK(wq != NULL);
	fresh();
	INIT_WORK(&it.dw.work, item_fn);
	learn(wq, &it, &dev_mutex);
	CHECK_EQ(reports(), 0);
	mutex_lock(&dev_mutex);
	flush_workqueue(wq);		/* always takes the queue's pseudo-lock */
	mutex_unlock(&dev_mutex);
	check_circular("((wq_completion)lockdep_ordered){+.+.}", "(dev_mutex)");
	/* Queue -> item -> mutex, closed by mutex -> queue. */
	CHECK(has(0, "Chain exists of:"));

	fresh();
	learn(wq, &it, &dev_mutex);
	mutex_lock(&dev_mutex);
	drain_workqueue(wq);
	mutex_unlock(&dev_mutex);
	check_circular("((wq_completion)lockdep_ordered)", "(dev_mutex)");
	destroy_workqueue(wq);
}

/*
 * flush_work() on a queue that runs one item at a time (or has a rescuer)
 * may wait behind every item queued before: it takes the queue's
 * pseudo-lock. On a queue running several at once it does not.
 */
static int flush_behind_blocker(struct workqueue_struct *wq)
{
	static struct item a, blocker, target;

	fresh();
	INIT_WORK(&a.dw.work, item_fn);
	INIT_WORK(&blocker.dw.work, item_fn);
	INIT_WORK(&target.dw.work, item_fn);
	learn(wq, &a, &dev_mutex);		/* queue -> a -> mutex */
	start_holding(wq, &blocker);
	start_holding(NULL, &target);
	CHECK(queue_work(wq, &target.dw.work));
	releaser_start();
	mutex_lock(&dev_mutex);
	CHECK(flush_work(&target.dw.work));
	mutex_unlock(&dev_mutex);
	releaser_join();
	flush_work(&blocker.dw.work);
	return reports();
}

TEST(flush_work_takes_queue_map)
{
	struct workqueue_struct *wq;

	wq = alloc_ordered_workqueue("lockdep_one", 0);
	CHECK(flush_behind_blocker(wq) >= 1);
	check_circular("((wq_completion)lockdep_one)", "(dev_mutex)");
	destroy_workqueue(wq);

	wq = alloc_workqueue("lockdep_reclaim", WQ_MEM_RECLAIM | WQ_UNBOUND, 4);
	CHECK(flush_behind_blocker(wq) >= 1);
	check_circular("((wq_completion)lockdep_reclaim)", "(dev_mutex)");
	destroy_workqueue(wq);

	wq = alloc_workqueue("lockdep_many", WQ_UNBOUND, 4);
	CHECK_EQ(flush_behind_blocker(wq), 0);
	destroy_workqueue(wq);
}

TEST(cancel_does_not_take_queue_map)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("lockdep_cancel", 0);
	static struct item a, target;

	fresh();
	INIT_WORK(&a.dw.work, item_fn);
	INIT_WORK(&target.dw.work, item_fn);
	learn(wq, &a, &dev_mutex);		/* queue -> a -> mutex */
	start_holding(wq, &target);
	releaser_start();
	mutex_lock(&dev_mutex);
	cancel_work_sync(&target.dw.work);	/* waits for target alone */
	mutex_unlock(&dev_mutex);
	releaser_join();
	CHECK_EQ(reports(), 0);
	destroy_workqueue(wq);
}

/* ---- timers ---- */

static DEFINE_SPINLOCK(timer_lock);

struct ttimer {
	struct timer_list timer;
	int fired;
};

static void ttimer_fn(struct timer_list *t)
{
	struct ttimer *tt = from_timer(tt, t, timer);

	spin_lock(&timer_lock);		/* softirq context: no _bh needed */
	__atomic_store_n(&tt->fired, 1, __ATOMIC_RELEASE);
	spin_unlock(&timer_lock);
}

static void fire_once(struct ttimer *tt)
{
	__atomic_store_n(&tt->fired, 0, __ATOMIC_RELAXED);
	mod_timer(&tt->timer, jiffies + 1);
	for (int i = 0; i < 3000 && !__atomic_load_n(&tt->fired, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	CHECK(__atomic_load_n(&tt->fired, __ATOMIC_ACQUIRE));
	usleep(2000);		/* the callback has returned */
}

static struct ttimer static_tt = {
	.timer = __TIMER_INITIALIZER(ttimer_fn, 0),
};

TEST(timer_delete_sync_under_lock)
{
	static struct ttimer tt;

	/*
	 * The callback takes timer_lock in softirq context, so the task takes
	 * it with bottom halves off (as it must: a plain spin_lock() would be
	 * an inconsistent lock state already). Deleting the timer
	 * synchronously with it held waits for a callback that wants it.
	 */
	fresh();
	timer_setup(&tt.timer, ttimer_fn, 0);
	fire_once(&tt);
	CHECK_EQ(reports(), 0);
	spin_lock_bh(&timer_lock);
	CHECK_EQ(del_timer_sync(&tt.timer), 0);
	spin_unlock_bh(&timer_lock);
	check_circular("((&tt.timer)){+.-.}", "(timer_lock){+.-.}");
	CHECK(has(0, "  lock(timer_lock);\n                               lock((&tt.timer));"));

	/* timer_delete_sync() of a statically defined timer: class "file:line". */
	fresh();
	fire_once(&static_tt);
	spin_lock_bh(&timer_lock);
	CHECK_EQ(timer_delete_sync(&static_tt.timer), 0);
	spin_unlock_bh(&timer_lock);
	check_circular("lockdep_work.c:", "(timer_lock)");
}

/* ---- recursion: waiting for oneself ---- */

static struct workqueue_struct *self_wq;

static void flush_self_fn(struct work_struct *work)
{
	flush_work(work);
}

static void flush_own_queue_fn(struct work_struct *work)
{
	(void)work;
	flush_workqueue(self_wq);
}

TEST(flush_from_inside)
{
	static struct work_struct w;

	fresh();
	INIT_WORK(&w, flush_self_fn);
	queue_work(system_wq, &w);
	flush_work(&w);
	CHECK(reports() >= 1);
	CHECK(has(0, "WARNING: possible recursive locking detected"));
	CHECK(has(0, "((work_completion)(&w)){+.+.}"));
	/* lksync then refuses to wait for ever (the kernel would hang). */
	CHECK(has(1, "flushing itself"));

	fresh();
	self_wq = alloc_workqueue("lockdep_self", 0, 0);
	INIT_WORK(&w, flush_own_queue_fn);
	queue_work(self_wq, &w);
	flush_work(&w);
	CHECK(reports() >= 1);
	CHECK(has(0, "WARNING: possible recursive locking detected"));
	CHECK(has(0, "((wq_completion)lockdep_self){+.+.}"));
	CHECK(has(1, "flushed from its own item"));
	destroy_workqueue(self_wq);
}

static struct timer_list self_timer;
static int self_deleted;

static void delete_self_fn(struct timer_list *t)
{
	del_timer_sync(t);
	__atomic_store_n(&self_deleted, 1, __ATOMIC_RELEASE);
}

TEST(timer_delete_sync_from_callback)
{
#if defined(__SANITIZE_THREAD__)
	/* The callback may run in a signal handler, where a report allocates. */
	printf("skip under TSan: reports from interrupt context allocate\n");
	return;
#endif
	fresh();
	timer_setup(&self_timer, delete_self_fn, 0);
	mod_timer(&self_timer, jiffies + 1);
	for (int i = 0; i < 3000 && !__atomic_load_n(&self_deleted, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	CHECK(reports() >= 1);
	CHECK(has(0, "WARNING: possible recursive locking detected"));
	CHECK(has(0, "((&self_timer))"));
}

/* ---- correct code: no report ---- */

TEST(no_lock_or_unrelated_lock)
{
	static struct item it;

	fresh();
	INIT_WORK(&it.dw.work, item_fn);
	for (int i = 0; i < 20; i++)
		learn(system_wq, &it, &dev_mutex);
	start_holding(system_wq, &it);
	releaser_start();
	CHECK(flush_work(&it.dw.work));		/* nothing held */
	releaser_join();
	start_holding(system_wq, &it);
	releaser_start();
	mutex_lock(&other_mutex);
	CHECK(flush_work(&it.dw.work));		/* a lock the item never takes */
	mutex_unlock(&other_mutex);
	releaser_join();
	start_holding(system_wq, &it);
	releaser_start();
	mutex_lock(&other_mutex);
	cancel_work_sync(&it.dw.work);
	mutex_unlock(&other_mutex);
	releaser_join();
	CHECK_EQ(reports(), 0);
}

#define NR_SAME 16

TEST(many_items_one_site)
{
	static struct item items[NR_SAME];
	struct workqueue_struct *wq = alloc_workqueue("lockdep_same", WQ_UNBOUND, 4);

	fresh();
	for (int i = 0; i < NR_SAME; i++) {
		INIT_WORK(&items[i].dw.work, item_fn);	/* one class for all */
		items[i].lock = &dev_mutex;
	}
	for (int round = 0; round < 6; round++) {
		for (int i = 0; i < NR_SAME; i++)
			queue_work(i & 1 ? wq : system_wq, &items[i].dw.work);
		for (int i = 0; i < NR_SAME; i++) {
			if (round & 1)
				flush_work(&items[i].dw.work);
			else
				cancel_work_sync(&items[i].dw.work);
		}
		flush_workqueue(wq);
	}
	CHECK_EQ(reports(), 0);
	destroy_workqueue(wq);
}

TEST(queue_destroyed_and_allocated_again)
{
	static struct item it;
	struct workqueue_struct *wq, *old;

	/*
	 * A queue's class goes with it (its key is unregistered): a new
	 * queue, even at the same address, starts with no order learned.
	 */
	fresh();
	INIT_WORK(&it.dw.work, item_fn);
	wq = alloc_ordered_workqueue("lockdep_again", 0);
	learn(wq, &it, &dev_mutex);		/* queue -> item -> mutex */
	destroy_workqueue(wq);
	old = wq;
	wq = alloc_ordered_workqueue("lockdep_again", 0);
	if (wq != old)
		printf("     (the new queue is elsewhere: the check is weaker)\n");
	mutex_lock(&dev_mutex);
	flush_workqueue(wq);			/* mutex -> the new queue */
	mutex_unlock(&dev_mutex);
	destroy_workqueue(wq);
	CHECK_EQ(reports(), 0);
}

static int rearms;

static void rearm_fn(struct timer_list *t)
{
	spin_lock(&timer_lock);
	if (__atomic_add_fetch(&rearms, 1, __ATOMIC_RELAXED) < 5)
		mod_timer(t, jiffies + 1);
	spin_unlock(&timer_lock);
}

TEST(timer_rearmed_from_callback)
{
	static struct timer_list t;

	fresh();
	timer_setup(&t, rearm_fn, 0);
	mod_timer(&t, jiffies + 1);
	for (int i = 0; i < 3000 && __atomic_load_n(&rearms, __ATOMIC_RELAXED) < 5; i++)
		usleep(1000);
	CHECK_EQ(__atomic_load_n(&rearms, __ATOMIC_RELAXED), 5);
	/* From task context, softirqs on, nothing held: fine. */
	del_timer_sync(&t);
	mod_timer(&t, jiffies + 1000);
	CHECK_EQ(timer_shutdown_sync(&t), 1);
	CHECK_EQ(reports(), 0);
}

static long inner_fn(void *arg)
{
	return (long)arg + 1;
}

static long outer_fn(void *arg)
{
	/* From inside another work_on_cpu() item: a class of its own. */
	return work_on_cpu(0, inner_fn, arg) + 1;
}

TEST(nested_work_on_cpu)
{
	fresh();
	CHECK_EQ(work_on_cpu(0, outer_fn, (void *)40), 42);
	CHECK_EQ(reports(), 0);
}

/* The kernel's kfree() checks for held locks in what it frees: so do these. */
static void free_self_fn(struct work_struct *work)
{
	struct item *it = container_of(work, struct item, dw.work);

	mutex_lock(&dev_mutex);
	mutex_unlock(&dev_mutex);
	debug_check_no_locks_freed(it, sizeof(*it));
	free(it);
}

/*
 * A timer "freed" by its callback: poisoned, not freed, because the
 * callback may run in a signal handler (an interrupt's exit), where free()
 * is not async-signal-safe.
 */
#define NR_FREED 8
static struct timer_list freed_timers[NR_FREED];
static int timers_freed;

static void free_timer_fn(struct timer_list *t)
{
	debug_check_no_locks_freed(t, sizeof(*t));
	memset(t, 0x6b, sizeof(*t));
	__atomic_add_fetch(&timers_freed, 1, __ATOMIC_RELEASE);
}

TEST(item_and_timer_free_themselves)
{
	fresh();
	for (int i = 0; i < NR_FREED; i++) {
		struct item *it = calloc(1, sizeof(*it));

		CHECK(it != NULL);
		INIT_WORK(&it->dw.work, free_self_fn);
		queue_work(system_wq, &it->dw.work);
		timer_setup(&freed_timers[i], free_timer_fn, 0);
		mod_timer(&freed_timers[i], jiffies + 1);
	}
	flush_workqueue(system_wq);
	for (int i = 0; i < 3000 && __atomic_load_n(&timers_freed, __ATOMIC_ACQUIRE) < NR_FREED; i++)
		usleep(1000);
	CHECK_EQ(__atomic_load_n(&timers_freed, __ATOMIC_ACQUIRE), NR_FREED);
	CHECK_EQ(reports(), 0);
}

/*
 * Queues and keys come and go while other tasks take locks: three tasks
 * for a while (correct code throughout), then no report, lockdep still on
 * and its tables consistent. A zap that read a free class slot as a list
 * once corrupted the graph here and hung a dependency search.
 */
#define CHURN_LOCKS	8
static int churn_stop;
static DEFINE_MUTEX(churn_outer);
static DEFINE_MUTEX(churn_inner);
static DEFINE_MUTEX(churn_item_lock);
static struct mutex churn_nested[CHURN_LOCKS];

static void churn_fn(struct work_struct *w)
{
	(void)w;
	mutex_lock(&churn_item_lock);
	mutex_unlock(&churn_item_lock);
}

static void churn_thread(int idx, void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&churn_stop, __ATOMIC_ACQUIRE)) {
		if (idx == 0) {
			struct workqueue_struct *wq = alloc_workqueue("churn", 0, 0);
			struct work_struct w;

			INIT_WORK(&w, churn_fn);
			queue_work(wq, &w);
			flush_work(&w);
			flush_workqueue(wq);
			destroy_workqueue(wq);
		} else if (idx == 1) {
			mutex_lock(&churn_outer);
			for (int i = 0; i < CHURN_LOCKS; i++)
				mutex_lock_nest_lock(&churn_nested[i], &churn_outer);
			for (int i = 0; i < CHURN_LOCKS; i++)
				mutex_unlock(&churn_nested[i]);
			mutex_unlock(&churn_outer);
		} else {
			struct lock_class_key *k = calloc(4, sizeof(*k));
			struct mutex m[4];

			for (int i = 0; i < 4; i++) {
				lockdep_register_key(&k[i]);
				mutex_init(&m[i]);
				lockdep_set_class(&m[i], &k[i]);
			}
			mutex_lock(&churn_inner);
			for (int i = 0; i < 4; i++) {
				mutex_lock(&m[i]);
				mutex_unlock(&m[i]);
			}
			mutex_unlock(&churn_inner);
			for (int i = 0; i < 4; i++)
				lockdep_unregister_key(&k[i]);
			free(k);
		}
	}
}

static void *churn_stopper(void *arg)
{
	(void)arg;
	usleep(1500000);
	__atomic_store_n(&churn_stop, 1, __ATOMIC_RELEASE);
	return NULL;
}

TEST(queues_and_keys_come_and_go)
{
	pthread_t stopper;

	fresh();
	for (int i = 0; i < CHURN_LOCKS; i++)
		mutex_init(&churn_nested[i]);
	pthread_create(&stopper, NULL, churn_stopper, NULL);
	test_threads(3, churn_thread, NULL);
	pthread_join(stopper, NULL);
	CHECK_EQ(reports(), 0);
	CHECK_EQ(debug_locks, 1);
	CHECK_EQ(lksync_lockdep_selfcheck(), 0);
}

int main(void)
{
	test_watchdog(60);
	lksync_set_report_sink(sink, NULL);
	RUN(flush_work_under_lock);
	RUN(cancel_work_sync_under_lock);
	RUN(delayed_work_under_lock);
	RUN(flush_workqueue_under_lock);
	RUN(flush_work_takes_queue_map);
	RUN(cancel_does_not_take_queue_map);
	RUN(timer_delete_sync_under_lock);
	RUN(flush_from_inside);
	RUN(timer_delete_sync_from_callback);
	RUN(no_lock_or_unrelated_lock);
	RUN(many_items_one_site);
	RUN(queue_destroyed_and_allocated_again);
	RUN(timer_rearmed_from_callback);
	RUN(nested_work_on_cpu);
	RUN(item_and_timer_free_themselves);
	RUN(queues_and_keys_come_and_go);
	usleep(150000);
	lksync_lockdep_reset();
	lksync_set_report_sink(NULL, NULL);
	return test_done();
}
#endif /* LKSYNC_DEBUG */
