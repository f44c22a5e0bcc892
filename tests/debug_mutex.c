// SPDX-License-Identifier: MIT
/*
 * DEBUG_MUTEXES in the debug flavor: the magic and lockdep map of struct
 * mutex and its initializers, each check provoked with its report asserted
 * (uninitialized or destroyed mutex, unlock by a non-owner, unlock of an
 * unlocked mutex, mutex_destroy() of a held mutex, mutex in interrupt
 * context, a waiter past the hung-task bound naming the owner, and a
 * self-deadlock named as such), an interrupted wait giving the lock back
 * for lockdep, and the nesting annotations. Skipped in the release flavor.
 */
#include <errno.h>
#include <signal.h>
#include <lksync/sched.h>
#include <lksync/mutex.h>
#include <lksync/rwsem.h>
#include <lksync/lockdep.h>
#include "lksync_test.h"

#ifndef LKSYNC_DEBUG
int main(void)
{
	printf("skipped (release flavor)\n");
	return 0;
}
#else

/*
 * A self-deadlock's report frees the mutex and wakes the sleeper (the
 * report is made by the sleeping task itself, from inside its sleep, which
 * goes on after it), so that the test goes on.
 */
static struct mutex *free_on_report;

static void sink(const char *text, void *arg)
{
	(void)arg;
	snprintf(test_last_report, sizeof(test_last_report), "%s", text);
	test_reports++;
	if (getenv("TEST_SHOW_REPORTS"))
		fputs(text, stderr);
	if (free_on_report) {
		atomic_long_andnot(~MUTEX_FLAGS, &free_on_report->owner);
		free_on_report = NULL;
		wake_up_process(current);
	}
}

static int has(const char *s)
{
	return strstr(test_last_report, s) != NULL;
}

static void rearm(void)
{
	WRITE_ONCE(lksync_debug_locks, 1);
}

static int lockdep_real(void)
{
	static struct lockdep_map map = { .name = "probe" };

	return !lock_is_held(&map);
}

static DEFINE_MUTEX(static_mutex);

static void init_here(struct mutex *m)
{
	mutex_init(m);
}

TEST(initializers)
{
	struct mutex a, b, c;

	CHECK(static_mutex.magic == &static_mutex);
	CHECK(strcmp(static_mutex.dep_map.name, "static_mutex") == 0);
	/* Its own class, keyed by the map's address at first use. */
	CHECK(static_mutex.dep_map.key == NULL);
	mutex_lock(&static_mutex);
	mutex_unlock(&static_mutex);
	CHECK((void *)static_mutex.dep_map.key == (void *)&static_mutex.dep_map);
	init_here(&a);
	init_here(&b);
	mutex_init(&c);
	CHECK(a.magic == &a);
	CHECK(a.dep_map.key != NULL && a.dep_map.key == b.dep_map.key);
	CHECK(a.dep_map.key != c.dep_map.key);
	CHECK(strcmp(c.dep_map.name, "&c") == 0);
	CHECK(!mutex_is_locked(&a));
	mutex_lock(&a);
	CHECK(mutex_is_locked(&a));
	mutex_unlock(&a);
	mutex_destroy(&a);
	mutex_destroy(&b);
	mutex_destroy(&c);
}

TEST(bad_magic)
{
	static struct mutex zeroed;	/* never initialized */

	rearm();
	lockdep_off();
	mutex_lock(&zeroed);
	CHECK(has("WARNING: "));
	CHECK(has("DEBUG_LOCKS_WARN_ON(lock->magic != lock)"));
	CHECK(has("mutex_debug.c:"));
	CHECK(lksync_debug_locks == 0);
	mutex_unlock(&zeroed);
	lockdep_on();
	rearm();
}

static struct {
	struct mutex *m;
	int hold_ms;		/* > 0: unlock after this long; 0: leave it locked */
	int held;
	pid_t pid;
	char comm[32];
} holder;

static void *holder_main(void *arg)
{
	(void)arg;
	lockdep_off();
	mutex_lock(holder.m);
	holder.pid = current->pid;
	snprintf(holder.comm, sizeof(holder.comm), "%.16s", current->comm);
	__atomic_store_n(&holder.held, 1, __ATOMIC_RELEASE);
	if (holder.hold_ms) {
		usleep(holder.hold_ms * 1000);
		mutex_unlock(holder.m);
	}
	lockdep_on();
	return NULL;
}

static pthread_t start_holder(struct mutex *m, int hold_ms)
{
	pthread_t t;

	memset(&holder, 0, sizeof(holder));
	holder.m = m;
	holder.hold_ms = hold_ms;
	pthread_create(&t, NULL, holder_main, NULL);
	while (!__atomic_load_n(&holder.held, __ATOMIC_ACQUIRE))
		usleep(500);
	return t;
}

TEST(unlock_checks)
{
	static DEFINE_MUTEX(m);
	pthread_t t;

	/* By another task than the owner (the mutex is released all the same). */
	rearm();
	t = start_holder(&m, 0);
	pthread_join(t, NULL);
	lockdep_off();
	mutex_unlock(&m);
	CHECK(has("DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)"));
	CHECK(!mutex_is_locked(&m));

	/* Of an unlocked mutex. */
	rearm();
	mutex_unlock(&m);
	CHECK(has("DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)"));
	CHECK(!mutex_is_locked(&m));
	lockdep_on();
	rearm();
	/* Still usable. */
	mutex_lock(&m);
	mutex_unlock(&m);
}

TEST(destroy_held)
{
	struct mutex m;
	int before;

	mutex_init(&m);
	rearm();
	lockdep_off();
	mutex_lock(&m);
	mutex_destroy(&m);
	CHECK(has("DEBUG_LOCKS_WARN_ON(mutex_is_locked(lock))"));
	mutex_unlock(&m);		/* debug_locks is off: silent */

	/* Destroyed: poisoned. */
	rearm();
	before = test_reports;
	CHECK_EQ(mutex_trylock(&m), 1);
	CHECK_EQ(test_reports, before + 1);
	CHECK(has("DEBUG_LOCKS_WARN_ON(lock->magic != lock)"));
	mutex_unlock(&m);
	lockdep_on();
	rearm();
}

TEST(interrupt_context)
{
	static DEFINE_MUTEX(m);

	rearm();
	lockdep_off();
	local_bh_disable();		/* in_interrupt() from here */
	CHECK_EQ(mutex_trylock(&m), 1);
	CHECK(has("DEBUG_LOCKS_WARN_ON(in_interrupt())"));
	mutex_unlock(&m);
	local_bh_enable();
	lockdep_on();
	rearm();
}

TEST(hung_task)
{
	static DEFINE_MUTEX(m);
	char owner[64], me[64];
	pthread_t t;
	int before;

	rearm();
	__atomic_store_n(&lksync_hung_task_timeout_ms, 300, __ATOMIC_RELAXED);
	t = start_holder(&m, 1000);
	before = test_reports;
	mutex_lock(&m);			/* waits ~1 s: reported once, at ~300 ms */
	mutex_unlock(&m);
	pthread_join(t, NULL);
	if (test_reports != before + 1)
		fprintf(stderr, "last report:\n%s", test_last_report);
	CHECK_EQ(test_reports, before + 1);
	snprintf(me, sizeof(me), "INFO: task %.16s:%d blocked for more than 1 seconds.",
		 current->comm, current->pid);
	CHECK(has(me));
	snprintf(owner, sizeof(owner), ".owner: %s/%d", holder.comm, holder.pid);
	CHECK(has(owner));
	CHECK(has("waiting for mutex"));
	CHECK(lksync_debug_locks == 1);

	/* Recursion without lockdep's report: named as a self-deadlock. */
	lockdep_off();
	mutex_lock(&m);
	before = test_reports;
	free_on_report = &m;
	mutex_lock(&m);
	CHECK_EQ(test_reports, before + 1);
	CHECK(has("recursive locking (self-deadlock)"));
	snprintf(owner, sizeof(owner), ".owner: %.16s/%d", current->comm, current->pid);
	CHECK(has(owner));
	mutex_unlock(&m);
	CHECK(!mutex_is_locked(&m));
	lockdep_on();
	__atomic_store_n(&lksync_hung_task_timeout_ms, -1, __ATOMIC_RELAXED);
}

TEST(interrupted_wait)
{
	static DEFINE_MUTEX(m);
	pthread_t t;
	int before = test_reports;

	t = start_holder(&m, 300);
	send_sig(SIGUSR1, current, 0);
	CHECK_EQ(mutex_lock_interruptible(&m), -EINTR);
	if (lockdep_real())
		CHECK(!lockdep_is_held(&m));
	flush_signals(current);
	CHECK_EQ(mutex_lock_interruptible(&m), 0);
	if (lockdep_real())
		CHECK(lockdep_is_held(&m));
	mutex_unlock(&m);
	pthread_join(t, NULL);
	CHECK_EQ(test_reports, before);
}

TEST(nesting)
{
	struct mutex a, b;
	struct rw_semaphore s1, s2;
	int before = test_reports;

	init_here(&a);
	init_here(&b);			/* one class */
	mutex_lock(&a);
	mutex_lock_nested(&b, SINGLE_DEPTH_NESTING);
	if (lockdep_real())
		CHECK(lockdep_is_held(&b));
	mutex_unlock(&b);
	mutex_lock_nest_lock(&b, &a);
	mutex_unlock(&b);
	CHECK_EQ(mutex_lock_killable_nested(&b, SINGLE_DEPTH_NESTING), 0);
	mutex_unlock(&b);
	mutex_unlock(&a);

	init_rwsem(&s1);
	init_rwsem(&s2);
	down_write(&s1);
	if (lockdep_real())
		CHECK(lockdep_is_held_type(&s1, 0));
	down_read_nested(&s2, SINGLE_DEPTH_NESTING);
	up_read(&s2);
	downgrade_write(&s1);
	if (lockdep_real())
		CHECK(lockdep_is_held_type(&s1, 1));
	up_read(&s1);
	down_read_non_owner(&s1);
	up_read_non_owner(&s1);
	CHECK_EQ(down_write_trylock(&s1), 1);
	up_write(&s1);
	if (lockdep_real())
		CHECK(!lockdep_is_held(&s1));
	CHECK_EQ(test_reports, before);
}

int main(void)
{
	test_watchdog(30);
	lksync_set_report_sink(sink, NULL);
	RUN(initializers);
	RUN(bad_magic);
	RUN(unlock_checks);
	RUN(destroy_held);
	RUN(interrupt_context);
	RUN(hung_task);
	RUN(interrupted_wait);
	RUN(nesting);
	return test_done();
}
#endif /* LKSYNC_DEBUG */
