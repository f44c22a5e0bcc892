// SPDX-License-Identifier: MIT
/*
 * Mistake: two code paths take the same two locks in opposite orders (ABBA).
 * Path one (a kernel thread adding a device) takes devices_lock, then the
 * device's own lock; path two (main, reconfiguring a device) takes the
 * device's lock, then devices_lock. Run at the same time they can deadlock,
 * each holding the lock the other waits for, but only with bad timing.
 *
 * The validator needs no bad timing: it remembers the order in which each
 * pair of lock classes was ever taken, and reports the first acquisition
 * that closes a cycle. Here the two paths run one after the other, so no
 * deadlock can happen, and the debug flavor still reports
 * "WARNING: possible circular locking dependency detected", with both
 * orders and where each was first taken. The fix: one documented order.
 */
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <lksync/bug.h>
#include <stdio.h>
#include <string.h>

static DEFINE_MUTEX(devices_lock);	/* protects the device list */

struct device {
	struct mutex lock;		/* protects the device's settings */
	int registered, mode;
};

static struct device dev;
static DECLARE_COMPLETION(path_one_done);

/* Path one: devices_lock -> dev.lock. */
static int add_device(void *unused)
{
	(void)unused;
	mutex_lock(&devices_lock);
	mutex_lock(&dev.lock);
	dev.registered = 1;
	mutex_unlock(&dev.lock);
	mutex_unlock(&devices_lock);
	complete(&path_one_done);
	return 0;
}

/* Path two: dev.lock -> devices_lock (BUG: the other order). */
static void set_mode(int mode)
{
	mutex_lock(&dev.lock);
	dev.mode = mode;
	mutex_lock(&devices_lock);	/* reported here */
	mutex_unlock(&devices_lock);
	mutex_unlock(&dev.lock);
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

	mutex_init(&dev.lock);
	lksync_set_report_sink(capture, NULL);
	t = kthread_run(add_device, NULL, "add_device");
	if (IS_ERR(t))
		return 1;
	wait_for_completion(&path_one_done);
	kthread_stop(t);
	set_mode(2);
	lksync_set_report_sink(NULL, NULL);
#ifdef LKSYNC_DEBUG
	if (!strstr(report, "possible circular locking dependency detected")) {
		fprintf(stderr, "debug_abba: the ABBA order was not reported%s%s",
			reports ? "; the first report was:\n" : "\n", report);
		return 1;
	}
	printf("debug_abba: reported, as expected:\n%s", report);
#else
	printf("debug_abba: release flavor, nothing checked (mode %d)\n", dev.mode);
#endif
	return 0;
}
