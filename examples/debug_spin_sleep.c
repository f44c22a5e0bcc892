// SPDX-License-Identifier: MIT
/*
 * Mistake: sleeping with a spinlock held. "Cannot hold a spinlock while
 * acquiring a semaphore" (or doing anything else that may sleep): a task that
 * sleeps while holding a spinlock leaves every other CPU that wants the lock
 * spinning for as long as it sleeps, and on the same CPU another task (or an
 * interrupt) that takes the lock spins forever.
 *
 * Here a "read()" copies to the user (which may sleep: msleep() stands for
 * copy_to_user() faulting in a page) inside the critical section. The
 * release flavor runs it silently (nobody else wants the lock); the debug
 * flavor's DEBUG_ATOMIC_SLEEP reports it at the sleep:
 * "BUG: sleeping function called from invalid context".
 * The right shape is in irq_driver.c: copy to a local buffer under the lock,
 * sleep after the unlock.
 *
 * Built against liblksync-kernel-debug the program checks that the report
 * appeared (and exits 1 if not); against the release library it only runs.
 */
#include <linux/delay.h>
#include <linux/spinlock.h>
#include <lksync/bug.h>
#include <stdio.h>
#include <string.h>

static DEFINE_SPINLOCK(buf_lock);
static char dev_buf[64] = "sample data";

static char report[8192];
static int reports;

static void capture(const char *text, void *arg)
{
	(void)arg;
	if (!reports++)
		snprintf(report, sizeof(report), "%s", text);
}

/* "copy_to_user()": may fault and sleep. */
static void copy_to_user_sim(char *dst, const char *src, size_t n)
{
	msleep(1);
	memcpy(dst, src, n);
}

static void dev_read(char *ubuf, size_t n)
{
	spin_lock(&buf_lock);
	copy_to_user_sim(ubuf, dev_buf, n);	/* BUG: may sleep under a spinlock */
	spin_unlock(&buf_lock);
}

int main(void)
{
	char ubuf[64];

	lksync_set_report_sink(capture, NULL);
	dev_read(ubuf, sizeof(ubuf));
	lksync_set_report_sink(NULL, NULL);
#ifdef LKSYNC_DEBUG
	if (!strstr(report, "BUG: sleeping function called from invalid context")) {
		fprintf(stderr, "debug_spin_sleep: the sleep under a spinlock was not reported%s%s",
			reports ? "; the first report was:\n" : "\n", report);
		return 1;
	}
	printf("debug_spin_sleep: reported, as expected:\n%s", report);
#else
	printf("debug_spin_sleep: release flavor, nothing checked (read \"%s\")\n", ubuf);
#endif
	return 0;
}
