// SPDX-License-Identifier: MIT
/*
 * Mistake: waiting for a work item while holding a lock the item takes.
 * A driver's stats_work updates counters under stats_lock; the remove path
 * takes stats_lock to clear them and, still holding it, calls flush_work()
 * to make sure the item has finished. If the item is running at that
 * moment and reaches its mutex_lock(), it waits for stats_lock, which the
 * remover holds while it waits for the item: a deadlock, but only with bad
 * timing. The same holds for cancel_work_sync() and flush_workqueue().
 *
 * The validator needs no bad timing: a work item is a pseudo-lock, held by
 * the worker around the function (so it learns "item -> stats_lock") and
 * taken by flush_work() and cancel_work_sync() while the item is queued or
 * running (so it learns "stats_lock -> item"). The second order is
 * reported the first time it is seen, as "WARNING: possible circular
 * locking dependency detected" naming "(work_completion)(&stats_work)".
 * Here the running item sees the device removed and leaves before it takes
 * the lock, so nothing deadlocks in either flavor; the report still says
 * the code can. The fix: flush (or cancel) first, then take the lock.
 */
#include <linux/delay.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <lksync/bug.h>
#include <stdio.h>
#include <string.h>

static DEFINE_MUTEX(stats_lock);	/* protects the counters */
static unsigned long packets, bytes;
static struct work_struct stats_work;
static int slow, started, removed;

/* The item: stats_work -> stats_lock. */
static void stats_fn(struct work_struct *work)
{
	(void)work;
	if (READ_ONCE(slow)) {
		smp_store_release(&started, 1);
		msleep(100);		/* stands for waiting on the hardware */
	}
	if (READ_ONCE(removed))
		return;
	mutex_lock(&stats_lock);
	packets += 10;
	bytes += 15000;
	mutex_unlock(&stats_lock);
}

/* The remove path: stats_lock -> stats_work (BUG: the other order). */
static void stats_remove(void)
{
	mutex_lock(&stats_lock);
	WRITE_ONCE(removed, 1);
	packets = bytes = 0;
	flush_work(&stats_work);	/* reported here */
	mutex_unlock(&stats_lock);
}

static char report[8192];
static int reports;

static void capture(const char *text, void *arg)
{
	(void)arg;
	if (!reports++)
		snprintf(report, sizeof(report), "%s", text);
}

int main(void)
{
	INIT_WORK(&stats_work, stats_fn);
	lksync_set_report_sink(capture, NULL);
	queue_work(system_wq, &stats_work);	/* runs once: item -> stats_lock */
	flush_work(&stats_work);
	WRITE_ONCE(slow, 1);
	queue_work(system_wq, &stats_work);
	while (!smp_load_acquire(&started))
		msleep(1);
	stats_remove();				/* the item is running */
	lksync_set_report_sink(NULL, NULL);
#ifdef LKSYNC_DEBUG
	if (!strstr(report, "possible circular locking dependency detected") ||
	    !strstr(report, "(work_completion)(&stats_work)")) {
		fprintf(stderr, "debug_flush_under_lock: the wait was not reported%s%s",
			reports ? "; the first report was:\n" : "\n", report);
		return 1;
	}
	printf("debug_flush_under_lock: reported, as expected:\n%s", report);
#else
	printf("debug_flush_under_lock: release flavor, nothing checked (%lu packets)\n",
	       packets);
#endif
	return 0;
}
