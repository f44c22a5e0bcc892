// SPDX-License-Identifier: MIT
/*
 * Delayed work: fires after its delay (a jiffy timer may fire up to one
 * jiffy early, as the kernel's; late by a tolerance on a noisy machine);
 * queuing a pending item returns false; mod_delayed_work() moves it (and
 * reports whether it was pending); cancel_delayed_work() and
 * cancel_delayed_work_sync() on armed, queued and running items, and on an
 * item that re-arms itself; flush_delayed_work() runs an armed item at
 * once; several threads modifying one item never make it run twice at once.
 */
#include <lksync/workqueue.h>
#include <lksync/delay.h>
#include "lksync_test.h"

#define TOLERANCE_MS	(test_under_sanitizer() ? 500 : 250)	/* late: a noisy machine (lateness is measured by lksync-bench) */

struct dw {
	struct delayed_work dwork;
	long long fired_ms;
	int runs;
	int sleep_ms;
	int rearm;		/* re-arm itself with this many jiffies, if > 0 */
	int inside, overlap;
};

static void dw_fn(struct work_struct *work)
{
	struct dw *d = container_of(to_delayed_work(work), struct dw, dwork);

	if (__atomic_add_fetch(&d->inside, 1, __ATOMIC_ACQ_REL) != 1)
		d->overlap = 1;
	WRITE_ONCE(d->fired_ms, test_now_ms());
	if (d->sleep_ms)
		msleep((unsigned int)d->sleep_ms);
	__atomic_add_fetch(&d->runs, 1, __ATOMIC_RELEASE);
	if (READ_ONCE(d->rearm) > 0)
		schedule_delayed_work(&d->dwork, (unsigned long)d->rearm);
	__atomic_sub_fetch(&d->inside, 1, __ATOMIC_ACQ_REL);
}

static int runs(struct dw *d)
{
	return __atomic_load_n(&d->runs, __ATOMIC_ACQUIRE);
}

static void wait_runs(struct dw *d, int n)
{
	long long end = test_now_ms() + 5000;

	while (runs(d) < n && test_now_ms() < end)
		usleep(500);
}

TEST(fires_after_delay)
{
	struct dw d = { 0 };
	long long t0;

	INIT_DELAYED_WORK(&d.dwork, dw_fn);
	CHECK(!delayed_work_pending(&d.dwork));
	t0 = test_now_ms();
	CHECK(queue_delayed_work(system_wq, &d.dwork, msecs_to_jiffies(50)));
	CHECK(delayed_work_pending(&d.dwork));
	CHECK(!queue_delayed_work(system_wq, &d.dwork, 1));
	CHECK(!schedule_delayed_work(&d.dwork, 1));
	CHECK(!queue_work(system_wq, &d.dwork.work));	/* pending: the timer owns it */
	msleep(20);
	CHECK_EQ(runs(&d), 0);
	wait_runs(&d, 1);
	CHECK_EQ(runs(&d), 1);
	CHECK(d.fired_ms - t0 >= 49);
	CHECK(d.fired_ms - t0 <= 50 + TOLERANCE_MS);
	flush_delayed_work(&d.dwork);
	CHECK(!delayed_work_pending(&d.dwork));

	/* Delay 0 queues at once; on another queue and CPU too. */
	t0 = test_now_ms();
	CHECK(queue_delayed_work_on(1, system_unbound_wq, &d.dwork, 0));
	CHECK(flush_delayed_work(&d.dwork) || runs(&d) == 2);
	CHECK_EQ(runs(&d), 2);
	CHECK(d.fired_ms - t0 < TOLERANCE_MS);
	CHECK(!flush_delayed_work(&d.dwork));		/* idle */
}

static int declared_runs;
static void declared_fn(struct work_struct *work)
{
	CHECK(to_delayed_work(work) != NULL);
	declared_runs++;
}
static DECLARE_DELAYED_WORK(declared, declared_fn);

TEST(declare_delayed_work)
{
	/* A static item's timer works without INIT_DELAYED_WORK(). */
	CHECK(schedule_delayed_work(&declared, msecs_to_jiffies(200)));
	CHECK(flush_delayed_work(&declared) || declared_runs == 1);
	CHECK_EQ(declared_runs, 1);
	CHECK(!delayed_work_pending(&declared));
	CHECK(!cancel_delayed_work_sync(&declared));
}

TEST(mod_delayed_work)
{
	struct dw d = { 0 };
	long long t0;

	INIT_DELAYED_WORK(&d.dwork, dw_fn);
	/* Idle: queued, returns false. */
	t0 = test_now_ms();
	CHECK(!mod_delayed_work(system_wq, &d.dwork, msecs_to_jiffies(1000)));
	CHECK(delayed_work_pending(&d.dwork));
	/* Pending: moved earlier, returns true. */
	CHECK(mod_delayed_work(system_wq, &d.dwork, msecs_to_jiffies(30)));
	wait_runs(&d, 1);
	CHECK_EQ(runs(&d), 1);
	CHECK(d.fired_ms - t0 >= 29);
	CHECK(d.fired_ms - t0 <= 30 + TOLERANCE_MS);

	/* Pending: moved later. */
	t0 = test_now_ms();
	CHECK(!mod_delayed_work(system_wq, &d.dwork, msecs_to_jiffies(10)));
	CHECK(mod_delayed_work(system_unbound_wq, &d.dwork, msecs_to_jiffies(80)));
	msleep(40);
	CHECK_EQ(runs(&d), 1);
	wait_runs(&d, 2);
	CHECK(d.fired_ms - t0 >= 79);
	CHECK(d.fired_ms - t0 <= 80 + TOLERANCE_MS);

	/*
	 * Queued, waiting behind a busy item on an ordered queue (delay 0):
	 * grabbed off the queue and re-armed.
	 */
	{
		struct workqueue_struct *wq = alloc_ordered_workqueue("dw-ordered", 0);
		struct dw blocker = { .sleep_ms = 100 };

		INIT_DELAYED_WORK(&blocker.dwork, dw_fn);
		CHECK(queue_delayed_work(wq, &blocker.dwork, 0));
		msleep(5);
		CHECK(queue_delayed_work(wq, &d.dwork, 0));
		CHECK(mod_delayed_work(wq, &d.dwork, msecs_to_jiffies(300)));
		flush_delayed_work(&blocker.dwork);
		CHECK_EQ(runs(&d), 2);
		CHECK(delayed_work_pending(&d.dwork));
		CHECK(cancel_delayed_work_sync(&d.dwork));
		CHECK_EQ(runs(&d), 2);
		destroy_workqueue(wq);
	}
}

TEST(cancel_delayed_work)
{
	struct dw d = { 0 };

	INIT_DELAYED_WORK(&d.dwork, dw_fn);
	CHECK(!cancel_delayed_work(&d.dwork));
	CHECK(schedule_delayed_work(&d.dwork, msecs_to_jiffies(30)));
	CHECK(cancel_delayed_work(&d.dwork));
	CHECK(!delayed_work_pending(&d.dwork));
	CHECK(!cancel_delayed_work(&d.dwork));
	msleep(60);
	CHECK_EQ(runs(&d), 0);

	/* cancel_delayed_work_sync(): armed -> true, never runs. */
	CHECK(schedule_delayed_work(&d.dwork, msecs_to_jiffies(30)));
	CHECK(cancel_delayed_work_sync(&d.dwork));
	msleep(60);
	CHECK_EQ(runs(&d), 0);
	CHECK(!cancel_delayed_work_sync(&d.dwork));

	/* Running (and not pending): false, and it has finished on return. */
	d.sleep_ms = 100;
	CHECK(schedule_delayed_work(&d.dwork, 0));
	while (!(work_busy(&d.dwork.work) & WORK_BUSY_RUNNING))
		usleep(200);
	CHECK(!cancel_delayed_work_sync(&d.dwork));
	CHECK_EQ(runs(&d), 1);
	CHECK(!work_busy(&d.dwork.work));

	/* Running and armed again: true, the armed run never happens. */
	CHECK(schedule_delayed_work(&d.dwork, 0));
	while (!(work_busy(&d.dwork.work) & WORK_BUSY_RUNNING))
		usleep(200);
	CHECK(schedule_delayed_work(&d.dwork, msecs_to_jiffies(5)));
	CHECK(cancel_delayed_work_sync(&d.dwork));
	CHECK_EQ(runs(&d), 2);
	msleep(30);
	CHECK_EQ(runs(&d), 2);
	d.sleep_ms = 0;
}

TEST(cancel_self_rearming)
{
	int rounds = (int)test_scale(60), bad = 0;

	for (int i = 0; i < rounds; i++) {
		struct dw d = { .rearm = i % 3 };	/* 0: requeued at once */
		int n;

		if (!d.rearm)
			d.rearm = -1;
		INIT_DELAYED_WORK(&d.dwork, dw_fn);
		if (d.rearm < 0) {
			/* Requeue through mod_delayed_work(…, 0) from outside instead. */
			schedule_delayed_work(&d.dwork, 0);
			for (int k = 0; k < 50; k++)
				mod_delayed_work(system_wq, &d.dwork, (unsigned long)(k & 1));
		} else {
			schedule_delayed_work(&d.dwork, (unsigned long)d.rearm);
			msleep(5 + (unsigned int)(i % 7));
		}
		cancel_delayed_work_sync(&d.dwork);
		n = runs(&d);
		if (delayed_work_pending(&d.dwork) || work_busy(&d.dwork.work))
			bad++;
		msleep(10);
		if (runs(&d) != n || d.overlap)
			bad++;
	}
	CHECK_EQ(bad, 0);
}

TEST(flush_delayed_work)
{
	struct dw d = { 0 };
	long long t0;

	INIT_DELAYED_WORK(&d.dwork, dw_fn);
	CHECK(!flush_delayed_work(&d.dwork));
	t0 = test_now_ms();
	CHECK(schedule_delayed_work(&d.dwork, msecs_to_jiffies(1000)));
	/* Queued at once; true unless a worker ran it before the flush looked. */
	CHECK(flush_delayed_work(&d.dwork) || runs(&d) == 1);
	CHECK_EQ(runs(&d), 1);
	CHECK(test_now_ms() - t0 < 500);
	CHECK(!delayed_work_pending(&d.dwork));
}

/* Several threads hammer one item with mod/queue/cancel: it never overlaps itself. */
static struct dw storm;
static void storm_fn(int idx, void *arg)
{
	long long end = test_now_ms() + (test_under_sanitizer() ? 1200 : 800);
	unsigned int seed = (unsigned int)idx + 1;

	(void)arg;
	while (test_now_ms() < end) {
		seed = seed * 1103515245u + 12345u;
		switch ((seed >> 16) % 5) {
		case 0: mod_delayed_work(system_wq, &storm.dwork, (seed >> 8) % 3); break;
		case 1: queue_delayed_work(system_wq, &storm.dwork, (seed >> 8) % 2); break;
		case 2: cancel_delayed_work(&storm.dwork); break;
		case 3: queue_work(system_wq, &storm.dwork.work); break;
		default: usleep(20); break;
		}
	}
}

TEST(storm)
{
	INIT_DELAYED_WORK(&storm.dwork, dw_fn);
	test_threads(4, storm_fn, NULL);
	cancel_delayed_work_sync(&storm.dwork);
	CHECK(!delayed_work_pending(&storm.dwork));
	CHECK_EQ(storm.overlap, 0);
	CHECK(runs(&storm) > 0);
	printf("    storm: %d runs\n", runs(&storm));
}

int main(void)
{
	test_watchdog(60);
	RUN(fires_after_delay);
	RUN(declare_delayed_work);
	RUN(mod_delayed_work);
	RUN(cancel_delayed_work);
	RUN(cancel_self_rearming);
	RUN(flush_delayed_work);
	RUN(storm);
	return test_done();
}
