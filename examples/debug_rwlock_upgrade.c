// SPDX-License-Identifier: MIT
/*
 * Mistake: upgrading a read lock to a write lock. "Read locks cannot later
 * be transformed to write locks without first releasing the read lock": the
 * writer waits for every reader to leave, including itself, forever.
 *
 * lookup_or_insert() looks a key up under read_lock() and, on a miss, takes
 * write_lock() to insert it without dropping the read lock. The debug
 * flavor reports the write_lock() before it starts waiting:
 * "WARNING: possible recursive locking detected". That write_lock() would
 * then spin forever, so the program's report sink, having seen the report,
 * ends the program (exit status 0); if no report came, a watchdog ends it
 * with status 1. The release flavor cannot check anything, and must not
 * hang: there the bad write_lock() is a write_trylock(), which fails, and
 * the program says so. The fix: read_unlock(), write_lock(), look again.
 */
#include <linux/rwlock.h>
#include <linux/spinlock.h>
#include <lksync/bug.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static DEFINE_RWLOCK(table_lock);
static int table[16];

static void capture(const char *text, void *arg)
{
	(void)arg;
	if (strstr(text, "possible recursive locking detected")) {
		static const char msg[] = "debug_rwlock_upgrade: reported, as expected:\n";

		if (write(1, msg, sizeof(msg) - 1) < 0 || write(1, text, strlen(text)) < 0)
			_exit(1);
		_exit(0);	/* the write_lock() below would never return */
	}
	if (write(2, text, strlen(text)) < 0)
		_exit(1);
}

static void watchdog(int sig)
{
	static const char msg[] = "debug_rwlock_upgrade: no report (stuck in write_lock?)\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

static int lookup_or_insert(int key)
{
	int found;

	read_lock(&table_lock);
	found = table[key & 15] == key;
	if (!found) {
#ifdef LKSYNC_DEBUG
		write_lock(&table_lock);	/* BUG: upgrade; deadlocks here */
#else
		/* Here the real write_lock() would wait for ourselves forever. */
		if (!write_trylock(&table_lock)) {
			printf("debug_rwlock_upgrade: release flavor, nothing checked; "
			       "write_lock() here would deadlock\n");
			read_unlock(&table_lock);
			return -1;
		}
		/* A uniprocessor build's rwlock is preemption bookkeeping only. */
		printf("debug_rwlock_upgrade: release flavor, nothing checked; "
		       "uniprocessor build: the rwlock excludes nothing\n");
#endif
		table[key & 15] = key;
		write_unlock(&table_lock);
	}
	read_unlock(&table_lock);
	return found;
}

int main(void)
{
	signal(SIGALRM, watchdog);
	alarm(10);
	lksync_set_report_sink(capture, NULL);
	lookup_or_insert(5);
#ifdef LKSYNC_DEBUG
	fprintf(stderr, "debug_rwlock_upgrade: write_lock() returned without a report\n");
	return 1;
#else
	return 0;
#endif
}
