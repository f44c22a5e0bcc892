// SPDX-License-Identifier: MIT
/*
 * Mistake: recursion on a spinlock. "Spinlocks are not recursive: trying to
 * acquire the same lock again will hang the thread of execution."
 *
 * stats_update() takes stats_lock and calls stats_reset(), a helper that
 * also takes stats_lock (it is called unlocked from elsewhere). The debug
 * flavor reports the second spin_lock() before it spins:
 * "WARNING: possible recursive locking detected" (the lock validator), the
 * kernel's DEBUG_SPINLOCK would add "BUG: spinlock recursion" were the
 * first report not the only one printed. That spin_lock() would then spin
 * forever, so the report sink, having seen the report, ends the program
 * (status 0); a watchdog ends it with status 1 if none came. In the release
 * flavor, which must not hang, the inner acquisition is a spin_trylock(),
 * which fails. The fix: a __stats_reset() for callers that hold the lock.
 */
#include <linux/spinlock.h>
#include <lksync/bug.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static DEFINE_SPINLOCK(stats_lock);
static unsigned long packets, bytes;

static void capture(const char *text, void *arg)
{
	(void)arg;
	if (strstr(text, "possible recursive locking detected") ||
	    strstr(text, "spinlock recursion")) {
		static const char msg[] = "debug_spin_recursion: reported, as expected:\n";

		if (write(1, msg, sizeof(msg) - 1) < 0 || write(1, text, strlen(text)) < 0)
			_exit(1);
		_exit(0);	/* the spin_lock() below would never return */
	}
	if (write(2, text, strlen(text)) < 0)
		_exit(1);
}

static void watchdog(int sig)
{
	static const char msg[] = "debug_spin_recursion: no report (stuck in spin_lock?)\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

static void stats_reset(void)
{
#ifdef LKSYNC_DEBUG
	spin_lock(&stats_lock);		/* BUG: the caller holds it */
#else
	/* Here the real spin_lock() would spin on ourselves forever. */
	if (!spin_trylock(&stats_lock)) {
		printf("debug_spin_recursion: release flavor, nothing checked; "
		       "spin_lock() here would deadlock\n");
		return;
	}
	/* A uniprocessor build's spinlock is preemption bookkeeping only. */
	printf("debug_spin_recursion: release flavor, nothing checked; "
	       "uniprocessor build: the spinlock excludes nothing\n");
#endif
	packets = bytes = 0;
	spin_unlock(&stats_lock);
}

static void stats_update(unsigned long len)
{
	spin_lock(&stats_lock);
	packets++;
	bytes += len;
	if (bytes > 1000)
		stats_reset();
	spin_unlock(&stats_lock);
}

int main(void)
{
	signal(SIGALRM, watchdog);
	alarm(10);
	lksync_set_report_sink(capture, NULL);
	stats_update(1500);
#ifdef LKSYNC_DEBUG
	fprintf(stderr, "debug_spin_recursion: spin_lock() returned without a report\n");
	return 1;
#else
	return 0;
#endif
}
