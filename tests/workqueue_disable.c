// SPDX-License-Identifier: MIT
/*
 * disable_work() and friends (a disable count: queuing a disabled item
 * fails), schedule_on_each_cpu(), work_on_cpu(), queue_work_node().
 */
#include <errno.h>
#include <lksync/workqueue.h>
#include <lksync/kthread.h>
#include <lksync/delay.h>
#include <lksync/bug.h>
#include "lksync_test.h"

struct item {
	struct work_struct work;
	int runs;
	int gate;		/* the item waits while gate == 1 */
	int started;
	int requeue;
};

static void item_fn(struct work_struct *work)
{
	struct item *it = container_of(work, struct item, work);

	__atomic_store_n(&it->started, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&it->gate, __ATOMIC_ACQUIRE) == 1)
		usleep(200);
	__atomic_add_fetch(&it->runs, 1, __ATOMIC_RELEASE);
	if (__atomic_load_n(&it->requeue, __ATOMIC_RELAXED))
		queue_work(system_wq, work);
}

static int runs(struct item *it)
{
	return __atomic_load_n(&it->runs, __ATOMIC_ACQUIRE);
}

static void wait_started(struct item *it)
{
	for (int i = 0; i < 10000 && !__atomic_load_n(&it->started, __ATOMIC_ACQUIRE); i++)
		usleep(200);
	CHECK(__atomic_load_n(&it->started, __ATOMIC_ACQUIRE));
}

TEST(disable_idle_and_nested)
{
	struct item a = { 0 };

	INIT_WORK(&a.work, item_fn);
	CHECK(!disable_work(&a.work));			/* idle: false */
	CHECK(!queue_work(system_wq, &a.work));		/* disabled: refused */
	CHECK(!schedule_work(&a.work));
	CHECK(!work_pending(&a.work));
	CHECK(!disable_work(&a.work));			/* count 2 */
	CHECK(!enable_work(&a.work));			/* count 1: still disabled */
	CHECK(!queue_work(system_wq, &a.work));
	CHECK(enable_work(&a.work));			/* count 0 */
	CHECK(queue_work(system_wq, &a.work));
	flush_work(&a.work);
	CHECK_EQ(runs(&a), 1);

	/* An unbalanced enable_work() is reported, as the kernel's WARN_ONCE. */
	lksync_set_report_sink(test_report_sink, NULL);
	test_reports = 0;
	CHECK(enable_work(&a.work));
	CHECK_EQ(test_reports, 1);
	CHECK(strstr(test_last_report, "disable count underflowed") != NULL);
	lksync_set_report_sink(NULL, NULL);
	CHECK(queue_work(system_wq, &a.work));		/* the count stayed 0 */
	flush_work(&a.work);
	CHECK_EQ(runs(&a), 2);
}

/* Opens an item's gate 30 ms from now. */
static int opener(void *d)
{
	msleep(30);
	__atomic_store_n(&((struct item *)d)->gate, 0, __ATOMIC_RELEASE);
	return 0;
}

TEST(disable_pending_and_running)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("dis-ord", 0);
	struct item blocker = { .gate = 1 }, a = { 0 };
	long long t0;

	INIT_WORK(&blocker.work, item_fn);
	INIT_WORK(&a.work, item_fn);
	CHECK(queue_work(wq, &blocker.work));
	wait_started(&blocker);
	CHECK(queue_work(wq, &a.work));			/* behind the blocker */
	CHECK(disable_work(&a.work));			/* pending: true, dequeued */
	CHECK(!work_pending(&a.work));
	__atomic_store_n(&blocker.gate, 0, __ATOMIC_RELEASE);
	flush_workqueue(wq);
	CHECK_EQ(runs(&a), 0);
	CHECK(enable_work(&a.work));
	CHECK(queue_work(wq, &a.work));
	flush_work(&a.work);
	CHECK_EQ(runs(&a), 1);

	/* disable_work_sync() of a running item waits for it. */
	a.gate = 1;
	a.started = 0;
	CHECK(queue_work(wq, &a.work));
	wait_started(&a);
	struct task_struct *k = kthread_run(opener, &a, "opener");
	t0 = test_now_ms();
	CHECK(!disable_work_sync(&a.work));		/* running, not pending */
	CHECK(test_now_ms() - t0 >= 25);
	CHECK_EQ(runs(&a), 2);
	CHECK(!queue_work(wq, &a.work));
	kthread_stop(k);
	CHECK(enable_work(&a.work));
	destroy_workqueue(wq);
}

/* A self-requeuing item: disable_work_sync() stops it for good, enable lets it go. */
TEST(disable_sync_self_requeue)
{
	struct item a = { .requeue = 1 };
	int n;

	INIT_WORK(&a.work, item_fn);
	CHECK(queue_work(system_wq, &a.work));
	for (int i = 0; i < 5000 && runs(&a) < 3; i++)
		usleep(200);
	disable_work_sync(&a.work);
	n = runs(&a);
	CHECK(n >= 3);
	msleep(20);
	CHECK_EQ(runs(&a), n);				/* neither pending nor running */
	CHECK(!work_pending(&a.work));
	__atomic_store_n(&a.requeue, 0, __ATOMIC_RELAXED);
	CHECK(enable_work(&a.work));
	CHECK(queue_work(system_wq, &a.work));
	flush_work(&a.work);
	CHECK_EQ(runs(&a), n + 1);
}

struct ditem {
	struct delayed_work dwork;
	int runs;
};

static void ditem_fn(struct work_struct *work)
{
	struct ditem *d = container_of(to_delayed_work(work), struct ditem, dwork);

	__atomic_add_fetch(&d->runs, 1, __ATOMIC_RELEASE);
}

TEST(disable_delayed)
{
	struct ditem d = { 0 };

	INIT_DELAYED_WORK(&d.dwork, ditem_fn);
	CHECK(queue_delayed_work(system_wq, &d.dwork, msecs_to_jiffies(30)));
	CHECK(disable_delayed_work(&d.dwork));		/* armed: true, disarmed */
	CHECK(!delayed_work_pending(&d.dwork));
	CHECK(!queue_delayed_work(system_wq, &d.dwork, 1));
	CHECK(!mod_delayed_work(system_wq, &d.dwork, 1));	/* idle: false, not queued */
	CHECK(!delayed_work_pending(&d.dwork));
	msleep(60);
	CHECK_EQ(__atomic_load_n(&d.runs, __ATOMIC_ACQUIRE), 0);
	CHECK(enable_delayed_work(&d.dwork));
	CHECK(queue_delayed_work(system_wq, &d.dwork, 1));
	flush_delayed_work(&d.dwork);
	CHECK_EQ(__atomic_load_n(&d.runs, __ATOMIC_ACQUIRE), 1);

	CHECK(queue_delayed_work(system_wq, &d.dwork, msecs_to_jiffies(20)));
	CHECK(disable_delayed_work_sync(&d.dwork));
	CHECK(!disable_delayed_work_sync(&d.dwork));	/* count 2 */
	msleep(40);
	CHECK_EQ(__atomic_load_n(&d.runs, __ATOMIC_ACQUIRE), 1);
	CHECK(!enable_delayed_work(&d.dwork));
	CHECK(enable_delayed_work(&d.dwork));
	CHECK(queue_delayed_work(system_wq, &d.dwork, 0));
	flush_delayed_work(&d.dwork);
	CHECK_EQ(__atomic_load_n(&d.runs, __ATOMIC_ACQUIRE), 2);
}

/* disable/enable while another task's cancel_work_sync() owns the item. */
struct cancel_arg {
	struct item *it;
	int done;
};

static int canceler(void *p)
{
	struct cancel_arg *c = p;

	cancel_work_sync(&c->it->work);
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

TEST(disable_while_canceling)
{
	struct item a = { .gate = 1 };
	struct cancel_arg c = { .it = &a };
	struct task_struct *k;

	INIT_WORK(&a.work, item_fn);
	CHECK(queue_work(system_wq, &a.work));
	wait_started(&a);
	k = kthread_run(canceler, &c, "canceler");
	msleep(20);					/* it now waits for the run */
	CHECK(!__atomic_load_n(&c.done, __ATOMIC_ACQUIRE));
	disable_work(&a.work);				/* count 1, in place */
	disable_work(&a.work);				/* count 2 */
	CHECK(!enable_work(&a.work));			/* count 1 */
	__atomic_store_n(&a.gate, 0, __ATOMIC_RELEASE);
	for (int i = 0; i < 5000 && !__atomic_load_n(&c.done, __ATOMIC_ACQUIRE); i++)
		usleep(200);
	CHECK(__atomic_load_n(&c.done, __ATOMIC_ACQUIRE));
	kthread_stop(k);
	/* The canceler's release kept the count. */
	CHECK(!queue_work(system_wq, &a.work));
	CHECK(enable_work(&a.work));
	CHECK(queue_work(system_wq, &a.work));
	flush_work(&a.work);
	CHECK_EQ(runs(&a), 2);
}

/*
 * Queuers race disable/enable: every successful queue is exactly one run
 * or one disable that found it pending.
 */
struct race {
	struct item it[2];
	long queued[2];
	long canceled;
	int stop;
};

static void race_fn(struct work_struct *work)
{
	struct item *it = container_of(work, struct item, work);

	__atomic_add_fetch(&it->runs, 1, __ATOMIC_RELAXED);
}

static void race_queuer(int idx, void *arg)
{
	struct race *r = arg;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		if (queue_work(system_wq, &r->it[idx].work))
			__atomic_add_fetch(&r->queued[idx], 1, __ATOMIC_RELAXED);
		else
			sched_yield();
	}
}

static void race_toggler(int idx, void *arg)
{
	struct race *r = arg;
	long n = test_scale(3000);
	long long deadline = test_now_ms() + 3000;

	/* Until the queuers have queued n items each (or 3 s have passed). */
	for (long i = 0; test_now_ms() < deadline; i++) {
		if (__atomic_load_n(&r->queued[0], __ATOMIC_RELAXED) >= n &&
		    __atomic_load_n(&r->queued[1], __ATOMIC_RELAXED) >= n)
			break;
		if (i & 1)
			sched_yield();
		struct work_struct *w = &r->it[i & 1].work;

		bool was_pending = i % 3 == 0 ? disable_work_sync(w) : disable_work(w);

		r->canceled += was_pending;
		enable_work(w);
	}
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
}

static void race_thread(int idx, void *arg)
{
	if (idx < 2)
		race_queuer(idx, arg);
	else
		race_toggler(idx, arg);
}

TEST(disable_race)
{
	struct race r = { 0 };
	long runs_total = 0, queued_total = 0;

	for (int i = 0; i < 2; i++)
		INIT_WORK(&r.it[i].work, race_fn);
	test_threads(3, race_thread, &r);
	for (int i = 0; i < 2; i++) {
		flush_work(&r.it[i].work);
		CHECK(queue_work(system_wq, &r.it[i].work));	/* enabled again: count 0 */
		flush_work(&r.it[i].work);
		runs_total += __atomic_load_n(&r.it[i].runs, __ATOMIC_ACQUIRE);
		queued_total += r.queued[i] + 1;
	}
	CHECK_EQ(queued_total, runs_total + r.canceled);
	CHECK(runs_total >= 2);
	printf("race: %ld queued, %ld ran, %ld canceled\n", queued_total, runs_total, r.canceled);
}

/* ---- schedule_on_each_cpu, work_on_cpu, queue_work_node ---- */

static int each_runs;

static void each_fn(struct work_struct *work)
{
	CHECK(current_work() == work);
	__atomic_add_fetch(&each_runs, 1, __ATOMIC_RELAXED);
}

static struct task_struct *caller;

static long on_cpu_fn(void *arg)
{
	CHECK(current_work() != NULL);		/* on a worker */
	CHECK(current != caller);
	return (long)arg * 2;
}

TEST(per_cpu_helpers)
{
	/* max_active 1: an item queued behind a running one stays pending. */
	struct workqueue_struct *ubq = alloc_workqueue("dis-ub", WQ_UNBOUND, 1);
	struct item a = { 0 }, blocker = { .gate = 1 };

	CHECK_EQ(schedule_on_each_cpu(each_fn), 0);
	CHECK_EQ(__atomic_load_n(&each_runs, __ATOMIC_RELAXED), num_online_cpus());

	caller = current;
	CHECK_EQ(work_on_cpu(0, on_cpu_fn, (void *)21L), 42);
	CHECK_EQ(work_on_cpu_safe(0, on_cpu_fn, (void *)-5L), -10);
	CHECK_EQ(work_on_cpu_safe((int)nr_cpu_ids + 3, on_cpu_fn, (void *)1L), -ENODEV);

	INIT_WORK(&a.work, item_fn);
	INIT_WORK(&blocker.work, item_fn);
	CHECK(queue_work_node(0, ubq, &blocker.work));
	wait_started(&blocker);
	CHECK(queue_work_node(0, ubq, &a.work));
	CHECK(!queue_work_node(0, ubq, &a.work));	/* pending */
	__atomic_store_n(&blocker.gate, 0, __ATOMIC_RELEASE);
	flush_work(&a.work);
	CHECK_EQ(runs(&a), 1);
	disable_work(&a.work);
	CHECK(!queue_work_node(1, ubq, &a.work));	/* disabled */
	enable_work(&a.work);
	/* A per-CPU queue is reported once, as the kernel's WARN_ON_ONCE. */
	lksync_set_report_sink(test_report_sink, NULL);
	test_reports = 0;
	CHECK(queue_work_node(0, system_wq, &a.work));
	flush_work(&a.work);
	CHECK_EQ(test_reports, 1);
	lksync_set_report_sink(NULL, NULL);
	CHECK_EQ(runs(&a), 2);
	destroy_workqueue(ubq);
}

int main(void)
{
	test_watchdog(20);
	RUN(disable_idle_and_nested);
	RUN(disable_pending_and_running);
	RUN(disable_sync_self_requeue);
	RUN(disable_delayed);
	RUN(disable_while_canceling);
	RUN(disable_race);
	RUN(per_cpu_helpers);
	return test_done();
}
