// SPDX-License-Identifier: MIT
/*
 * Workqueues: return values of queuing and canceling; the context items run
 * in; non-reentrancy under heavy requeuing from several threads (an overlap
 * counter proves it); ordered queues run in queuing order one at a time;
 * max_active; flush_work()/flush_workqueue() wait for exactly what they
 * must and publish what the items wrote; cancel_work_sync() against an item
 * that requeues itself; a sleeping item does not stall the next one;
 * drain_workqueue()/destroy_workqueue() run chained items first.
 */
#include <errno.h>
#include <string.h>
#include <lksync/workqueue.h>
#include <lksync/completion.h>
#include <lksync/delay.h>
#include <lksync/kthread.h>
#include "lksync_test.h"

/* ---- return values, context ---- */

struct basic {
	struct work_struct work;
	struct completion gate;		/* the item waits here when told to */
	int block;
	int runs;
	int in_task, irqs_off, preempt;
	int kthread, is_current, kworker_name;
};

static void basic_fn(struct work_struct *work)
{
	struct basic *b = container_of(work, struct basic, work);

	b->in_task = in_task();
	b->irqs_off = irqs_disabled() != 0;
	b->preempt = preempt_count();
	b->kthread = !!(current->flags & PF_KTHREAD);
	b->is_current = current_work() == work;
	b->kworker_name = !strncmp(current->comm, "kworker/", 8);
	if (READ_ONCE(b->block))
		wait_for_completion(&b->gate);
	b->runs++;
}

TEST(return_values)
{
	static struct basic b;

	INIT_WORK(&b.work, basic_fn);
	init_completion(&b.gate);
	CHECK(!work_pending(&b.work));
	CHECK(!flush_work(&b.work));		/* never queued */
	CHECK(queue_work(system_wq, &b.work));
	CHECK(flush_work(&b.work) || b.runs == 1);
	CHECK_EQ(b.runs, 1);
	CHECK(!flush_work(&b.work));		/* idle again */
	CHECK(b.in_task);
	CHECK(!b.irqs_off);
	CHECK_EQ(b.preempt, 0);
	CHECK(b.kthread);
	CHECK(b.is_current);
	CHECK(b.kworker_name);
	CHECK(current_work() == NULL);

	/* Block the item, then queue it again while it runs, and again. */
	WRITE_ONCE(b.block, 1);
	CHECK(schedule_work(&b.work));
	while (!(work_busy(&b.work) & WORK_BUSY_RUNNING))
		usleep(100);
	CHECK(!work_pending(&b.work));
	CHECK(schedule_work(&b.work));		/* running, not pending: queued */
	CHECK(work_pending(&b.work));
	CHECK(!schedule_work(&b.work));		/* pending: nothing */
	CHECK(!queue_work(system_unbound_wq, &b.work));
	CHECK_EQ(work_busy(&b.work), WORK_BUSY_PENDING | WORK_BUSY_RUNNING);
	WRITE_ONCE(b.block, 0);
	complete(&b.gate);
	flush_work(&b.work);			/* may have finished already */
	CHECK_EQ(b.runs, 3);
	CHECK_EQ(work_busy(&b.work), 0);

	/* cancel_work(): pending -> true, and it never runs. */
	WRITE_ONCE(b.block, 1);
	reinit_completion(&b.gate);
	CHECK(schedule_work(&b.work));
	while (!(work_busy(&b.work) & WORK_BUSY_RUNNING))
		usleep(100);
	CHECK(schedule_work(&b.work));
	CHECK(cancel_work(&b.work));
	CHECK(!work_pending(&b.work));
	CHECK(!cancel_work(&b.work));
	WRITE_ONCE(b.block, 0);
	complete(&b.gate);
	CHECK(!cancel_work_sync(&b.work));	/* running, not pending: waits, false */
	CHECK_EQ(b.runs, 4);
	CHECK_EQ(work_busy(&b.work), 0);
}

static int declared_runs;
static void declared_fn(struct work_struct *work)
{
	(void)work;
	declared_runs++;
}
static DECLARE_WORK(declared, declared_fn);

TEST(declare_work)
{
	CHECK(schedule_work(&declared));
	flush_scheduled_work();
	CHECK_EQ(declared_runs, 1);
	CHECK(queue_work_on(0, system_highpri_wq, &declared));
	flush_work(&declared);	/* false if it already ran: not checked */
	CHECK(schedule_work_on(1, &declared));
	flush_work(&declared);
	CHECK(queue_work(system_long_wq, &declared));
	flush_workqueue(system_long_wq);
	CHECK_EQ(declared_runs, 4);
}

/* flush_work() publishes what the item wrote (plain stores, TSan checks). */
struct publish {
	struct work_struct work;
	long value[8];
};

static void publish_fn(struct work_struct *work)
{
	struct publish *p = container_of(work, struct publish, work);

	for (int i = 0; i < 8; i++)
		p->value[i]++;
}

TEST(flush_publishes)
{
	struct publish p = { 0 };
	long n = test_scale(2000);

	INIT_WORK_ONSTACK(&p.work, publish_fn);
	for (long i = 1; i <= n; i++) {
		queue_work(i & 1 ? system_wq : system_unbound_wq, &p.work);
		flush_work(&p.work);
		for (int k = 0; k < 8; k++)
			if (p.value[k] != i) {
				CHECK_EQ(p.value[k], i);
				i = n;
				break;
			}
	}
	destroy_work_on_stack(&p.work);
	CHECK_EQ(p.value[7], n);
}

/* ---- non-reentrancy ---- */

#define NR_ITEMS 4
struct reent {
	struct work_struct work;
	int inside;
	int overlap;
	long runs;
	long queued;
};
static struct reent reent[NR_ITEMS];
static struct workqueue_struct *reent_wq[3];
static int reent_stop;

static void reent_fn(struct work_struct *work)
{
	struct reent *r = container_of(work, struct reent, work);

	if (__atomic_add_fetch(&r->inside, 1, __ATOMIC_ACQ_REL) != 1)
		__atomic_store_n(&r->overlap, 1, __ATOMIC_RELAXED);
	r->runs++;			/* plain: only one instance may run */
	for (volatile int i = 0; i < 200; i++)
		;
	if ((r->runs & 63) == 0)
		usleep(50);		/* sleep sometimes: other workers step in */
	__atomic_sub_fetch(&r->inside, 1, __ATOMIC_ACQ_REL);
}

static void reent_producer(int idx, void *arg)
{
	long end = test_now_ms() + (test_under_sanitizer() ? 1500 : 1000);
	unsigned int seed = (unsigned int)idx * 7919u + 1;

	(void)arg;
	while (test_now_ms() < end) {
		for (int k = 0; k < 64; k++) {
			struct reent *r;

			seed = seed * 1103515245u + 12345u;
			r = &reent[(seed >> 16) % NR_ITEMS];
			/*
			 * Any CPU, so several pools: the item must still never
			 * overlap itself. Always the same workqueue per item: the
			 * kernel promises nothing for an item queued on two.
			 */
			if (queue_work_on((int)((seed >> 8) % 4), reent_wq[(r - reent) % 3], &r->work))
				__atomic_add_fetch(&r->queued, 1, __ATOMIC_RELAXED);
		}
		if (idx & 1)
			usleep(10);
	}
}

TEST(non_reentrant)
{
	long runs = 0, queued = 0;

	reent_wq[0] = system_wq;
	reent_wq[1] = system_unbound_wq;
	reent_wq[2] = alloc_workqueue("reent", WQ_UNBOUND, 8);
	CHECK(reent_wq[2] != NULL);
	for (int i = 0; i < NR_ITEMS; i++)
		INIT_WORK(&reent[i].work, reent_fn);
	test_threads(6, reent_producer, NULL);
	for (int i = 0; i < NR_ITEMS; i++) {
		flush_work(&reent[i].work);
		CHECK_EQ(reent[i].overlap, 0);
		CHECK(reent[i].runs > 0);
		/* Every successful queuing ran exactly once. */
		CHECK_EQ(reent[i].runs, reent[i].queued);
		runs += reent[i].runs;
		queued += reent[i].queued;
	}
	printf("    non-reentrant: %ld queued, %ld runs\n", queued, runs);
	destroy_workqueue(reent_wq[2]);
	(void)reent_stop;
}

/* A self-requeuing item under several requeuers, from several CPUs. */
struct selfq {
	struct work_struct work;
	struct workqueue_struct *wq;
	int inside, overlap;
	int left;
};

static void selfq_fn(struct work_struct *work)
{
	struct selfq *s = container_of(work, struct selfq, work);

	if (__atomic_add_fetch(&s->inside, 1, __ATOMIC_ACQ_REL) != 1)
		s->overlap = 1;
	if (__atomic_sub_fetch(&s->left, 1, __ATOMIC_RELAXED) > 0)
		queue_work(s->wq, work);
	__atomic_sub_fetch(&s->inside, 1, __ATOMIC_ACQ_REL);
}

static struct selfq selfq;
static void selfq_kicker(int idx, void *arg)
{
	(void)arg;
	while (__atomic_load_n(&selfq.left, __ATOMIC_RELAXED) > 0) {
		queue_work_on(idx, selfq.wq, &selfq.work);
		sched_yield();
	}
}

TEST(self_requeue)
{
	for (int round = 0; round < 2; round++) {
		INIT_WORK(&selfq.work, selfq_fn);
		selfq.wq = round ? system_unbound_wq : system_wq;
		selfq.left = (int)test_scale(20000);
		queue_work(selfq.wq, &selfq.work);
		test_threads(3, selfq_kicker, NULL);
		cancel_work_sync(&selfq.work);
		CHECK_EQ(selfq.overlap, 0);
		CHECK(selfq.left <= 0);
	}
}

/* ---- ordered queues, max_active ---- */

#define NR_ORDER 64
struct ordered_item {
	struct work_struct work;
	int idx;
};
static struct ordered_item order_items[NR_ORDER];
static int order_seen[NR_ORDER], order_next, order_inside, order_max_inside;

static void ordered_fn(struct work_struct *work)
{
	struct ordered_item *it = container_of(work, struct ordered_item, work);
	int in = __atomic_add_fetch(&order_inside, 1, __ATOMIC_ACQ_REL);

	if (in > order_max_inside)
		order_max_inside = in;
	/* One item at a time writes; the test reads the count while others run. */
	order_seen[order_next] = it->idx;
	__atomic_store_n(&order_next, order_next + 1, __ATOMIC_RELEASE);
	if (it->idx % 16 == 0)
		msleep(2);	/* the next item must still wait */
	__atomic_sub_fetch(&order_inside, 1, __ATOMIC_ACQ_REL);
}

TEST(ordered)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("ordered-%d", 0, 1);
	struct workqueue_struct *legacy = create_singlethread_workqueue("legacy");
	int in_order = 1;

	CHECK(wq && legacy);
	for (int round = 0; round < 2; round++) {
		struct workqueue_struct *q = round ? legacy : wq;

		order_next = 0;
		for (int i = 0; i < NR_ORDER; i++) {
			order_items[i].idx = i;
			INIT_WORK(&order_items[i].work, ordered_fn);
			/* From several CPUs' point of view: order is the queue's. */
			CHECK(queue_work_on(i % 3, q, &order_items[i].work));
		}
		if (!round) {
			/* Flushing an item still waiting for max_active room. */
			CHECK(flush_work(&order_items[NR_ORDER / 2].work));
			CHECK(__atomic_load_n(&order_next, __ATOMIC_RELAXED) > NR_ORDER / 2);
			flush_workqueue(q);
			CHECK_EQ(order_next, NR_ORDER);
		} else {
			/* Canceling one: true while it waits, and it never runs. */
			bool was = cancel_work_sync(&order_items[NR_ORDER - 1].work);

			flush_workqueue(q);
			CHECK_EQ(order_next, was ? NR_ORDER - 1 : NR_ORDER);
			order_seen[NR_ORDER - 1] = NR_ORDER - 1;
		}
		for (int i = 0; i < NR_ORDER; i++)
			if (order_seen[i] != i)
				in_order = 0;
	}
	CHECK(in_order);
	CHECK_EQ(order_max_inside, 1);
	destroy_workqueue(wq);
	destroy_workqueue(legacy);
}

struct active_item {
	struct work_struct work;
};
static int active_inside, active_max;

static void active_fn(struct work_struct *work)
{
	int in = __atomic_add_fetch(&active_inside, 1, __ATOMIC_ACQ_REL);
	int m = __atomic_load_n(&active_max, __ATOMIC_RELAXED);

	(void)work;
	while (in > m && !__atomic_compare_exchange_n(&active_max, &m, in, 0,
						      __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	msleep(20);
	__atomic_sub_fetch(&active_inside, 1, __ATOMIC_ACQ_REL);
}

TEST(max_active)
{
	struct workqueue_struct *wq = alloc_workqueue("active", WQ_UNBOUND, 3);
	struct active_item items[9];

	CHECK(wq != NULL);
	for (int i = 0; i < 9; i++) {
		INIT_WORK(&items[i].work, active_fn);
		queue_work(wq, &items[i].work);
	}
	msleep(5);
	CHECK(workqueue_congested(WORK_CPU_UNBOUND, wq));
	flush_workqueue(wq);
	CHECK_EQ(active_max, 3);
	CHECK(!workqueue_congested(WORK_CPU_UNBOUND, wq));
	/* Raising max_active lets waiting items start at once. */
	active_max = 0;
	workqueue_set_max_active(wq, 1);
	for (int i = 0; i < 6; i++)
		queue_work(wq, &items[i].work);
	msleep(5);
	workqueue_set_max_active(wq, 6);
	flush_workqueue(wq);
	CHECK(active_max >= 3);
	destroy_workqueue(wq);
}

/* ---- flush_workqueue ---- */

struct sleeper {
	struct work_struct work;
	int ms;
	int done;
};

static void sleeper_fn(struct work_struct *work)
{
	struct sleeper *s = container_of(work, struct sleeper, work);

	msleep((unsigned int)s->ms);
	WRITE_ONCE(s->done, 1);
}

static struct workqueue_struct *flush_wq;
static void flusher_body(struct test_task *t)
{
	(void)t;
	flush_workqueue(flush_wq);
}

TEST(flush_workqueue)
{
	struct sleeper before[6], later = { .ms = 1500 };
	struct test_task flusher;
	long long t0;

	flush_wq = alloc_workqueue("flush", 0, 0);
	CHECK(flush_wq != NULL);
	for (int i = 0; i < 6; i++) {
		before[i] = (struct sleeper){ .ms = 10 + 10 * i };
		INIT_WORK(&before[i].work, sleeper_fn);
		queue_work_on(i % 2, flush_wq, &before[i].work);
	}
	t0 = test_now_ms();
	flush_workqueue(flush_wq);
	for (int i = 0; i < 6; i++)
		CHECK(before[i].done);
	CHECK(test_now_ms() - t0 >= 50);

	/* An item queued after the flush began is not waited for. */
	before[0] = (struct sleeper){ .ms = 200 };
	INIT_WORK(&before[0].work, sleeper_fn);
	INIT_WORK(&later.work, sleeper_fn);
	t0 = test_now_ms();
	queue_work_on(0, flush_wq, &before[0].work);
	test_task_start(&flusher, flusher_body);
	msleep(30);
	queue_work_on(0, flush_wq, &later.work);
	while (!test_task_done(&flusher) && test_now_ms() - t0 < 5000)
		usleep(1000);
	CHECK(before[0].done);
	CHECK(!READ_ONCE(later.done));
	CHECK(test_now_ms() - t0 < 1200);
	test_task_join(&flusher);
	flush_workqueue(flush_wq);
	CHECK(later.done);
	destroy_workqueue(flush_wq);
}

/* ---- cancel_work_sync against a self-requeuing item ---- */

struct requeuer {
	struct work_struct work;
	struct workqueue_struct *wq;
	int runs;
	int inside;
	int stop_seen;
};

static void requeuer_fn(struct work_struct *work)
{
	struct requeuer *r = container_of(work, struct requeuer, work);

	WRITE_ONCE(r->inside, 1);
	r->runs++;
	if (r->runs % 8 == 0)
		usleep(20);
	queue_work(r->wq, work);		/* fails while being canceled */
	WRITE_ONCE(r->inside, 0);
}

TEST(cancel_sync_race)
{
	int rounds = (int)test_scale(300), bad = 0;

	for (int i = 0; i < rounds; i++) {
		struct requeuer r = { .wq = i & 1 ? system_wq : system_unbound_wq };
		int runs;

		INIT_WORK(&r.work, requeuer_fn);
		queue_work_on(i % 3, r.wq, &r.work);
		if (i % 3)
			usleep((useconds_t)(i % 7) * 30);
		cancel_work_sync(&r.work);
		/* Not pending, not running; what it did is visible (plain reads). */
		runs = r.runs;
		if (work_pending(&r.work) || r.inside || work_busy(&r.work))
			bad++;
		usleep(200);
		if (r.runs != runs)
			bad++;
	}
	CHECK_EQ(bad, 0);
}

/* Two cancelers of one item: both return, the item is idle. */
static struct requeuer twocancel;
static void two_cancel_fn(int idx, void *arg)
{
	(void)idx;
	(void)arg;
	for (int i = 0; i < (int)test_scale(200); i++) {
		cancel_work_sync(&twocancel.work);
		queue_work(system_wq, &twocancel.work);
	}
}

TEST(concurrent_cancel)
{
	twocancel.wq = system_wq;
	INIT_WORK(&twocancel.work, requeuer_fn);
	queue_work(system_wq, &twocancel.work);
	test_threads(3, two_cancel_fn, NULL);
	cancel_work_sync(&twocancel.work);
	CHECK(!work_pending(&twocancel.work));
	CHECK(!(work_busy(&twocancel.work) & WORK_BUSY_RUNNING));
}

/* ---- concurrency management: a sleeping item does not stall the pool ---- */

TEST(sleeping_item_no_stall)
{
	/* Twice: the second time after the pools were quiet long enough to stop watching. */
	for (int round = 0; round < 2; round++) {
		struct sleeper slow = { .ms = 400 }, fast = { .ms = 0 };
		long long t0;

		if (round)
			msleep(300);
		INIT_WORK(&slow.work, sleeper_fn);
		INIT_WORK(&fast.work, sleeper_fn);
		/* Same CPU, same pool: the kernel would run fast while slow sleeps. */
		queue_work_on(0, system_wq, &slow.work);
		msleep(5);
		t0 = test_now_ms();
		queue_work_on(0, system_wq, &fast.work);
		flush_work(&fast.work);
		CHECK(test_now_ms() - t0 < 200);
		CHECK(!READ_ONCE(slow.done));
		flush_work(&slow.work);
		CHECK(slow.done);
	}
}

/* A spinning (CPU-bound) item does not stall it either. */
static int spin_stop;
static void spinner_fn(struct work_struct *work)
{
	(void)work;
	while (!__atomic_load_n(&spin_stop, __ATOMIC_ACQUIRE))
		cpu_relax();
}

TEST(spinning_item_no_stall)
{
	struct work_struct spin;
	struct sleeper fast = { .ms = 0 };
	long long t0;

	INIT_WORK(&spin, spinner_fn);
	INIT_WORK(&fast.work, sleeper_fn);
	queue_work_on(1, system_wq, &spin);
	msleep(5);
	t0 = test_now_ms();
	queue_work_on(1, system_wq, &fast.work);
	flush_work(&fast.work);
	CHECK(test_now_ms() - t0 < 500);
	__atomic_store_n(&spin_stop, 1, __ATOMIC_RELEASE);
	flush_work(&spin);
}

/* ---- an item that returns holding a lock (debug flavor) ---- */

#ifdef LKSYNC_DEBUG
#include <fcntl.h>
#include <lksync/mutex.h>

static DEFINE_MUTEX(leak_mutex);

/*
 * Returns with the mutex held: a bug. The worker keeps holding it until the
 * program ends (nobody else takes leak_mutex, so no dependency can close a
 * cycle; the pool's idle workers are reaped only after minutes).
 */
static void leak_fn(struct work_struct *work)
{
	mutex_lock(&leak_mutex);
}

TEST(item_leaking_a_lock_reported)
{
	struct work_struct w;
	int fds[2], saved;
	char buf[1024] = "";
	ssize_t n;

	CHECK_EQ(pipe(fds), 0);
	fflush(stderr);
	saved = dup(2);
	dup2(fds[1], 2);
	INIT_WORK(&w, leak_fn);
	queue_work(system_unbound_wq, &w);
	flush_work(&w);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	buf[n > 0 ? n : 0] = 0;
	/* The kernel's words: a worker must return with no lock held. */
	CHECK(strstr(buf, "BUG: workqueue leaked atomic, lock or RCU") != NULL);
	CHECK(strstr(buf, "lock=0->1") != NULL);
	CHECK(strstr(buf, "leak_mutex") != NULL);
}
#endif

/* ---- drain and destroy ---- */

struct chain {
	struct work_struct work;
	struct workqueue_struct *wq;
	int left;
	int runs;
};

static void chain_fn(struct work_struct *work)
{
	struct chain *c = container_of(work, struct chain, work);

	c->runs++;
	if (--c->left > 0)
		CHECK(queue_work(c->wq, work));		/* chained: allowed while draining */
	usleep(100);
}

TEST(drain_destroy)
{
	struct workqueue_struct *wq = alloc_workqueue("drain%s", WQ_MEM_RECLAIM, 0, "-me");
	struct chain c[4];
	struct sleeper s[4];

	CHECK(wq != NULL);
	for (int i = 0; i < 4; i++) {
		c[i] = (struct chain){ .wq = wq, .left = 50 };
		INIT_WORK(&c[i].work, chain_fn);
		queue_work_on(i, wq, &c[i].work);
	}
	drain_workqueue(wq);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(c[i].runs, 50);
	/* After a drain the queue works again; destroy drains first. */
	for (int i = 0; i < 4; i++) {
		c[i].left = 20;
		c[i].runs = 0;
		CHECK(queue_work(wq, &c[i].work));
		s[i] = (struct sleeper){ .ms = 20 };
		INIT_WORK(&s[i].work, sleeper_fn);
		queue_work(wq, &s[i].work);
	}
	destroy_workqueue(wq);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(c[i].runs, 20);
		CHECK(s[i].done);
	}
}

/* An item may free itself: the pool must not touch it after its function. */
static void self_free_fn(struct work_struct *work)
{
	free(work);
}

TEST(self_free)
{
	struct workqueue_struct *wq = alloc_workqueue("selffree", WQ_UNBOUND, 0);

	for (int i = 0; i < 200; i++) {
		struct work_struct *w = malloc(sizeof(*w));

		INIT_WORK(w, self_free_fn);
		queue_work(i & 1 ? wq : system_wq, w);
	}
	flush_workqueue(wq);
	flush_workqueue(system_wq);
	destroy_workqueue(wq);
	CHECK(1);
}

int main(void)
{
	test_watchdog(60);
	RUN(return_values);
	RUN(declare_work);
	RUN(flush_publishes);
	RUN(non_reentrant);
	RUN(self_requeue);
	RUN(ordered);
	RUN(max_active);
	RUN(flush_workqueue);
	RUN(cancel_sync_race);
	RUN(concurrent_cancel);
	RUN(sleeping_item_no_stall);
	RUN(spinning_item_no_stall);
#ifdef LKSYNC_DEBUG
	RUN(item_leaking_a_lock_reported);
#endif
	RUN(drain_destroy);
	RUN(self_free);
	return test_done();
}
