// SPDX-License-Identifier: MIT
/*
 * Mistake: a mutex unlocked by a task that does not own it. "Only the
 * original locker is allowed to unlock the mutex" (a semaphore has no such
 * rule, which is why a completion or a semaphore is the tool for "one task
 * waits, another signals"). Here a worker takes the mutex to "start a
 * transfer", and main unlocks it when the transfer is done: a completion
 * misused as a mutex.
 *
 * The release flavor lets it happen. The debug flavor reports the unlock
 * (lockdep: main holds no such lock, "WARNING: bad unlock balance
 * detected!"; DEBUG_MUTEXES would say
 * "DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)", but only the first
 * report is printed, as in the kernel).
 */
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <lksync/bug.h>
#include <stdio.h>
#include <string.h>

static DEFINE_MUTEX(xfer_mutex);
static DECLARE_COMPLETION(xfer_started);
static DECLARE_COMPLETION(xfer_done);

static int start_transfer(void *unused)
{
	(void)unused;
	mutex_lock(&xfer_mutex);	/* the worker owns it... */
	complete(&xfer_started);
	wait_for_completion(&xfer_done);
	return 0;			/* ...and leaves it to main to unlock */
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
	struct task_struct *t;

	lksync_set_report_sink(capture, NULL);
	t = kthread_run(start_transfer, NULL, "xfer");
	if (IS_ERR(t))
		return 1;
	wait_for_completion(&xfer_started);
	mutex_unlock(&xfer_mutex);	/* BUG: main does not own it */
	complete(&xfer_done);
	kthread_stop(t);
	lksync_set_report_sink(NULL, NULL);
	if (mutex_is_locked(&xfer_mutex)) {
		fprintf(stderr, "debug_mutex_owner: the mutex is still locked\n");
		return 1;
	}
#ifdef LKSYNC_DEBUG
	if (!strstr(report, "bad unlock balance detected") &&
	    !strstr(report, "__owner_task(owner) != current")) {
		fprintf(stderr, "debug_mutex_owner: the foreign unlock was not reported%s%s",
			reports ? "; the first report was:\n" : "\n", report);
		return 1;
	}
	printf("debug_mutex_owner: reported, as expected:\n%s", report);
#else
	printf("debug_mutex_owner: release flavor, nothing checked\n");
#endif
	return 0;
}
