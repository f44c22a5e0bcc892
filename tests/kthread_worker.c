// SPDX-License-Identifier: MIT
/*
 * kthread_worker: items run one at a time, in queuing order, on the
 * worker's thread; queuing a pending item returns false; flush, cancel and
 * delayed items as the kernel's.
 */
#include <errno.h>
#include <lksync/kthread.h>
#include <lksync/delay.h>
#include <lksync/jiffies.h>
#include "lksync_test.h"

struct item {
	struct kthread_work work;
	int id;
	int runs;
	int gate;		/* the item waits while gate == 1 */
	int started;
	int requeue;		/* times left to requeue itself */
	struct kthread_worker *worker;
	struct task_struct *ran_on;
};

static int order[64], norder;

static void item_fn(struct kthread_work *work)
{
	struct item *it = container_of(work, struct item, work);

	it->ran_on = current;
	__atomic_store_n(&it->started, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&it->gate, __ATOMIC_ACQUIRE) == 1)
		usleep(200);
	if (norder < 64)
		order[norder++] = it->id;	/* one worker: no race */
	__atomic_add_fetch(&it->runs, 1, __ATOMIC_RELEASE);
	if (it->requeue > 0) {
		it->requeue--;
		kthread_queue_work(it->worker, work);
	}
}

/* Opens an item's gate 30 ms after it starts. */
static int opener_fn(void *d)
{
	msleep(30);
	__atomic_store_n(&((struct item *)d)->gate, 0, __ATOMIC_RELEASE);
	return 0;
}

static void wait_started(struct item *it)
{
	for (int i = 0; i < 10000 && !__atomic_load_n(&it->started, __ATOMIC_ACQUIRE); i++)
		usleep(200);
	CHECK(__atomic_load_n(&it->started, __ATOMIC_ACQUIRE));
}

TEST(create_queue_flush)
{
	struct kthread_worker *w = kthread_create_worker(0, "kw-%d", 7);
	struct item a = { .id = 1, .gate = 1 }, b = { .id = 2 }, c = { .id = 3 };

	CHECK(!IS_ERR(w));
	CHECK(w->task && !strcmp(w->task->comm, "kw-7"));
	kthread_init_work(&a.work, item_fn);
	kthread_init_work(&b.work, item_fn);
	kthread_init_work(&c.work, item_fn);
	norder = 0;
	/* Not woken by kthread_create_worker() (Linux 6.14): the first item starts it. */
	CHECK(kthread_queue_work(w, &a.work));
	wait_started(&a);
	CHECK(a.ran_on == w->task);
	CHECK(kthread_queue_work(w, &b.work));
	CHECK(!kthread_queue_work(w, &b.work));		/* pending: false */
	CHECK(kthread_queue_work(w, &c.work));
	/* a is running, gated: a running item may be queued again. */
	CHECK(kthread_queue_work(w, &a.work));
	CHECK(!kthread_queue_work(w, &a.work));
	msleep(10);
	CHECK_EQ(__atomic_load_n(&b.runs, __ATOMIC_ACQUIRE), 0);	/* one at a time */
	__atomic_store_n(&a.gate, 0, __ATOMIC_RELEASE);
	kthread_flush_work(&c.work);
	CHECK_EQ(c.runs, 1);
	CHECK_EQ(b.runs, 1);
	kthread_flush_worker(w);
	CHECK_EQ(a.runs, 2);
	CHECK_EQ(norder, 4);
	CHECK(order[0] == 1 && order[1] == 2 && order[2] == 3 && order[3] == 1);
	kthread_flush_work(&b.work);	/* idle: returns at once */
	kthread_destroy_worker(w);
}

TEST(flush_waits_for_running)
{
	struct kthread_worker *w = kthread_run_worker(0, "kw-run");
	struct item a = { .id = 1, .gate = 1 };
	long long t0;

	CHECK(!IS_ERR(w));
	kthread_init_work(&a.work, item_fn);
	CHECK(kthread_queue_work(w, &a.work));
	wait_started(&a);
	t0 = test_now_ms();
	/* Open the gate 30 ms from now, from another thread. */
	struct task_struct *opener;
	opener = kthread_run(opener_fn, &a, "opener");
	kthread_flush_work(&a.work);
	CHECK_EQ(__atomic_load_n(&a.runs, __ATOMIC_ACQUIRE), 1);
	CHECK(test_now_ms() - t0 >= 25);
	kthread_stop(opener);
	kthread_destroy_worker(w);
}

/* A worker run by the caller's own kthread: kthread_worker_fn and the static initializers. */
static DEFINE_KTHREAD_WORKER(static_worker);
static int static_runs;
static void static_fn(struct kthread_work *work)
{
	__atomic_add_fetch(&static_runs, 1, __ATOMIC_RELEASE);
}
static DEFINE_KTHREAD_WORK(static_work, static_fn);

TEST(own_thread_and_static)
{
	struct task_struct *k = kthread_run(kthread_worker_fn, &static_worker, "kw-own");
	struct kthread_worker local;
	DEFINE_KTHREAD_WORK(local_work, static_fn);

	CHECK(!IS_ERR(k));
	CHECK(kthread_queue_work(&static_worker, &static_work));
	kthread_flush_worker(&static_worker);
	CHECK_EQ(static_runs, 1);
	CHECK(static_worker.task == k);
	CHECK_EQ(kthread_stop(k), 0);
	CHECK(static_worker.task == NULL);

	kthread_init_worker(&local);
	CHECK(list_empty(&local.work_list) && !local.task && !local.current_work);
	k = kthread_run(kthread_worker_fn, &local, "kw-local");
	/* A work item belongs to one worker: use another one here. */
	CHECK(kthread_queue_work(&local, &local_work));
	kthread_flush_work(&local_work);
	CHECK_EQ(static_runs, 2);
	CHECK_EQ(kthread_stop(k), 0);
}

TEST(cancel_sync)
{
	struct kthread_worker *w = kthread_run_worker(0, "kw-cancel");
	struct item a = { .id = 1, .gate = 1 }, b = { .id = 2 }, r = { .id = 3 };
	long long t0;

	kthread_init_work(&a.work, item_fn);
	kthread_init_work(&b.work, item_fn);
	kthread_init_work(&r.work, item_fn);
	CHECK(!kthread_cancel_work_sync(&b.work));	/* never queued */
	CHECK(kthread_queue_work(w, &a.work));
	wait_started(&a);
	CHECK(kthread_queue_work(w, &b.work));
	CHECK(kthread_cancel_work_sync(&b.work));	/* pending: true, never runs */
	CHECK(!kthread_cancel_work_sync(&b.work));
	/* Cancel the running a: waits for it (gate opened by a thread). */
	struct task_struct *opener = kthread_run(opener_fn, &a, "opener");
	t0 = test_now_ms();
	CHECK(!kthread_cancel_work_sync(&a.work));	/* running, not pending: false */
	CHECK_EQ(__atomic_load_n(&a.runs, __ATOMIC_ACQUIRE), 1);
	CHECK(test_now_ms() - t0 >= 25);
	kthread_stop(opener);
	kthread_flush_worker(w);
	CHECK_EQ(b.runs, 0);

	/* A self-requeuing item: after cancel it is neither pending nor running. */
	r.worker = w;
	r.requeue = 1000000;
	CHECK(kthread_queue_work(w, &r.work));
	wait_started(&r);
	msleep(5);
	kthread_cancel_work_sync(&r.work);
	int runs = __atomic_load_n(&r.runs, __ATOMIC_ACQUIRE);
	msleep(10);
	CHECK_EQ(__atomic_load_n(&r.runs, __ATOMIC_ACQUIRE), runs);
	CHECK(runs > 0);
	CHECK(list_empty(&r.work.node));
	kthread_destroy_worker(w);
}

struct ditem {
	struct kthread_delayed_work dwork;
	int runs;
	long long ran_at;
};

static void ditem_fn(struct kthread_work *work)
{
	struct ditem *d = container_of(work, struct ditem, dwork.work);

	d->ran_at = test_now_ms();
	__atomic_add_fetch(&d->runs, 1, __ATOMIC_RELEASE);
}

static int wait_runs(struct ditem *d, int n)
{
	for (int i = 0; i < 5000 && __atomic_load_n(&d->runs, __ATOMIC_ACQUIRE) < n; i++)
		usleep(500);
	return __atomic_load_n(&d->runs, __ATOMIC_ACQUIRE);
}

static DEFINE_KTHREAD_DELAYED_WORK(static_dwork, static_fn);

TEST(delayed)
{
	struct kthread_worker *w = kthread_run_worker(0, "kw-delay");
	struct ditem d = { 0 };
	long long t0;

	kthread_init_delayed_work(&d.dwork, ditem_fn);
	t0 = test_now_ms();
	CHECK(kthread_queue_delayed_work(w, &d.dwork, msecs_to_jiffies(40)));
	CHECK(!kthread_queue_delayed_work(w, &d.dwork, 1));	/* pending */
	CHECK(!kthread_queue_work(w, &d.dwork.work));		/* pending, timer armed */
	msleep(10);
	CHECK_EQ(__atomic_load_n(&d.runs, __ATOMIC_ACQUIRE), 0);
	CHECK_EQ(wait_runs(&d, 1), 1);
	CHECK(d.ran_at - t0 >= 38);

	/* delay 0: queued at once. */
	CHECK(kthread_queue_delayed_work(w, &d.dwork, 0));
	CHECK_EQ(wait_runs(&d, 2), 2);

	/* mod on an idle item: false, queued. On a pending one: true, moved. */
	t0 = test_now_ms();
	CHECK(!kthread_mod_delayed_work(w, &d.dwork, msecs_to_jiffies(500)));
	CHECK(kthread_mod_delayed_work(w, &d.dwork, msecs_to_jiffies(20)));
	CHECK_EQ(wait_runs(&d, 3), 3);
	CHECK(d.ran_at - t0 < 400);

	/* Cancel an armed item: true, it never runs. */
	CHECK(kthread_queue_delayed_work(w, &d.dwork, msecs_to_jiffies(20)));
	CHECK(kthread_cancel_delayed_work_sync(&d.dwork));
	CHECK(!kthread_cancel_delayed_work_sync(&d.dwork));
	msleep(40);
	CHECK_EQ(__atomic_load_n(&d.runs, __ATOMIC_ACQUIRE), 3);
	CHECK(list_empty(&w->delayed_work_list));

	/* The static initializer. */
	static_runs = 0;
	CHECK(kthread_queue_delayed_work(w, &static_dwork, 2));
	kthread_flush_work(&static_dwork.work);	/* armed, not queued: no wait */
	for (int i = 0; i < 5000 && !__atomic_load_n(&static_runs, __ATOMIC_ACQUIRE); i++)
		usleep(500);
	kthread_flush_worker(w);
	CHECK_EQ(static_runs, 1);
	kthread_destroy_worker(w);
}

/* Many queuers: every true return is exactly one run. */
struct stress {
	struct kthread_worker *w;
	struct item it[4];
	long queued[4];
};

static void stress_fn(struct kthread_work *work)
{
	struct item *it = container_of(work, struct item, work);

	__atomic_add_fetch(&it->runs, 1, __ATOMIC_RELAXED);
}

static void stress_queuer(int idx, void *arg)
{
	struct stress *s = arg;
	long n = test_scale(20000);

	for (long i = 0; i < n; i++) {
		/* Each thread queues its own item and one shared with the next. */
		if (kthread_queue_work(s->w, &s->it[idx].work))
			__atomic_add_fetch(&s->queued[idx], 1, __ATOMIC_RELAXED);
		if ((i & 255) == 0)
			kthread_flush_work(&s->it[idx].work);
	}
}

TEST(stress_queue)
{
	struct stress s = { 0 };
	long total = 0, runs = 0;

	s.w = kthread_run_worker(0, "kw-stress");
	for (int i = 0; i < 4; i++)
		kthread_init_work(&s.it[i].work, stress_fn);
	test_threads(4, stress_queuer, &s);
	kthread_flush_worker(s.w);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(s.queued[i], s.it[i].runs);
		total += s.queued[i];
		runs += s.it[i].runs;
	}
	CHECK(total > 4);
	printf("stress: %ld queued, %ld runs\n", total, runs);
	kthread_destroy_worker(s.w);
}

TEST(destroy_runs_pending)
{
	struct kthread_worker *w = kthread_create_worker_on_cpu(1, 0, "kw/%u");
	struct item a = { .id = 1 };

	CHECK(!IS_ERR(w));
	CHECK(!strcmp(w->task->comm, "kw/1"));
	kthread_init_work(&a.work, item_fn);
	CHECK(kthread_queue_work(w, &a.work));
	kthread_destroy_worker(w);		/* flushes first */
	CHECK_EQ(a.runs, 1);
}

int main(void)
{
	test_watchdog(20);
	RUN(create_queue_flush);
	RUN(flush_waits_for_running);
	RUN(own_thread_and_static);
	RUN(cancel_sync);
	RUN(delayed);
	RUN(stress_queue);
	RUN(destroy_runs_pending);
	return test_done();
}
