// SPDX-License-Identifier: MIT
/*
 * The hung-task detector and the rwlock/BKL lockup watch, in the debug
 * flavor. With the hung-task bound at 200 ms, a task asleep in
 * TASK_UNINTERRUPTIBLE past it (down(), down_read(), down_write(),
 * wait_for_completion(), wait_event(), a bare schedule(), a long
 * uninterruptible timeout) reports itself once, with the kernel's headline
 * and, for the locks, the blocker line naming the holder, and still wakes
 * when its waker comes; killable, interruptible and idle sleeps, a timeout
 * shorter than the bound and a sleep woken in time make no report. With
 * the lockup bound at 150 ms, a reader or writer waiting for an rwlock a
 * writer keeps (or readers keep) reports "read-lock lockup" or
 * "write-lock lockup" naming the writer, and a task spinning for the Big
 * Kernel Lock reports a spinlock lockup naming its holder; a series of
 * short holders, however long the wait, makes no report, nor a BKL holder
 * that sleeps (schedule() drops it). Real threads; the holders sleep in
 * usleep(), which the detector does not watch. Skipped in the release
 * flavor.
 */
#include <errno.h>
#include <lksync/sched.h>
#include <lksync/mutex.h>
#include <lksync/semaphore.h>
#include <lksync/rwsem.h>
#include <lksync/completion.h>
#include <lksync/wait.h>
#include <lksync/rwlock.h>
#include <lksync/smp_lock.h>
#include <lksync/jiffies.h>
#include "lksync_test.h"

#ifndef LKSYNC_DEBUG
int main(void)
{
	printf("skipped (release flavor)\n");
	return 0;
}
#else

#define BOUND_MS	200	/* hung-task bound */
#define LOCKUP_MS	150	/* spinlock/rwlock lockup bound */
#define HOLD_MS		450	/* a holder or waker past the bound */
#define SHORT_MS	80	/* a sleep woken before the bound */

/* Every report is made by the task that waits, here always the main thread. */
static long long report_ns;

static void sink(const char *text, void *arg)
{
	(void)arg;
	snprintf(test_last_report, sizeof(test_last_report), "%s", text);
	test_reports++;
	report_ns = test_now_ns();
	if (getenv("TEST_SHOW_REPORTS"))
		fputs(text, stderr);
}

static int has(const char *s)
{
	return strstr(test_last_report, s) != NULL;
}

/*
 * A helper thread: takes what the test will wait for (or nothing), says so
 * (ready), keeps it @ms in usleep() and lets it go (or wakes the test).
 */
struct helper {
	pthread_t thread;
	void (*take)(struct helper *h);
	void (*release)(struct helper *h);
	void *obj;
	int ms;
	int ready;
	pid_t pid;
	char comm[TASK_COMM_LEN];
};

static void *helper_main(void *arg)
{
	struct helper *h = arg;

	h->pid = current->pid;
	snprintf(h->comm, sizeof(h->comm), "%.15s", current->comm);
	if (h->take)
		h->take(h);
	__atomic_store_n(&h->ready, 1, __ATOMIC_RELEASE);
	usleep(h->ms * 1000);
	h->release(h);
	return NULL;
}

static void helper_start(struct helper *h, void (*take)(struct helper *),
			 void (*release)(struct helper *), void *obj, int ms)
{
	h->take = take;
	h->release = release;
	h->obj = obj;
	h->ms = ms;
	h->ready = 0;
	if (pthread_create(&h->thread, NULL, helper_main, h))
		abort();
	while (!__atomic_load_n(&h->ready, __ATOMIC_ACQUIRE))
		usleep(500);
}

static char headline[128];

static void set_headline(void)
{
	snprintf(headline, sizeof(headline), "INFO: task %.16s:%d blocked for more than 1 seconds.",
		 current->comm, current->pid);
}

/*
 * After a wait that began at @start and a helper @h that let go after
 * HOLD_MS: one report, made during the wait (after the bound) with the
 * headline, and the wait ended by the helper, not by the report.
 */
static void check_reported(struct helper *h, long long start, int before)
{
	long long end = test_now_ns();

	pthread_join(h->thread, NULL);
	if (test_reports != before + 1)
		fprintf(stderr, "last report:\n%s", test_last_report);
	CHECK_EQ(test_reports, before + 1);
	CHECK(has(headline));
	CHECK(has("\"LKSYNC_HUNG_TASK_TIMEOUT_MS=0\" disables this message."));
	CHECK(report_ns - start >= BOUND_MS * 1000000LL);
	CHECK(report_ns < end);
	CHECK(end - start >= (HOLD_MS - 20) * 1000000LL);
}

/* ---- the sleeps that are watched ---- */

/* The report names @h as the semaphore's likely last holder. */
static int has_sem_holder(const struct helper *h)
{
	char line[160];

	snprintf(line, sizeof(line),
		 "INFO: task %.16s:%d blocked on a semaphore likely last held by task %.16s:%d\n",
		 current->comm, current->pid, h->comm, h->pid);
	return has(line);
}

static void sem_down(struct helper *h) { down(h->obj); }
static void sem_up(struct helper *h) { up(h->obj); }

TEST(down)
{
	static DEFINE_SEMAPHORE(empty, 0);
	static DEFINE_SEMAPHORE(sem, 1);
	static DEFINE_SEMAPHORE(fast, 1);
	struct helper h, q;
	char line[160];
	long long start;
	int before;

	/* Nobody ever took @empty: the holder is not found. */
	helper_start(&h, NULL, sem_up, &empty, HOLD_MS);
	before = test_reports;
	start = test_now_ns();
	down(&empty);
	check_reported(&h, start, before);
	snprintf(line, sizeof(line),
		 "INFO: task %.16s:%d is blocked on a semaphore, but the last holder is not found.",
		 current->comm, current->pid);
	CHECK(has(line));
	CHECK(has("waiting for semaphore"));

	/*
	 * @sem's last holder is seen when it takes the unit in the slow path:
	 * q queues behind us, gets our unit, keeps it HOLD_MS.
	 */
	down(&sem);
	q.take = sem_down;
	q.release = sem_up;
	q.obj = &sem;
	q.ms = HOLD_MS;
	q.ready = 0;
	if (pthread_create(&q.thread, NULL, helper_main, &q))
		abort();
	while (!(__atomic_load_n(&sem.count, __ATOMIC_RELAXED) & LKSYNC_SEM_WAITERS))
		usleep(500);
	up(&sem);
	while (!__atomic_load_n(&q.ready, __ATOMIC_ACQUIRE))
		usleep(500);
	before = test_reports;
	start = test_now_ns();
	down(&sem);
	check_reported(&q, start, before);
	CHECK(has_sem_holder(&q));
	up(&sem);

	/* A holder that took its unit uncontended (the inline path) is named too. */
	helper_start(&h, sem_down, sem_up, &fast, HOLD_MS);
	before = test_reports;
	start = test_now_ns();
	down(&fast);
	check_reported(&h, start, before);
	CHECK(has_sem_holder(&h));
	up(&fast);
	/* up() by the holder cleared it. */
	CHECK_EQ(fast.last_holder, 0UL);
}

static void rw_down_write(struct helper *h) { down_write(h->obj); }
static void rw_up_write(struct helper *h) { up_write(h->obj); }
static void rw_down_read(struct helper *h) { down_read(h->obj); }
static void rw_up_read(struct helper *h) { up_read(h->obj); }

/* A reader blocked by a writer (@write 0), or a writer blocked by a reader. */
static void check_rwsem_blocker(struct rw_semaphore *rw, int write)
{
	struct helper h;
	char line[200];
	long long start;
	int before = test_reports;

	helper_start(&h, write ? rw_down_read : rw_down_write,
		     write ? rw_up_read : rw_up_write, rw, HOLD_MS);
	start = test_now_ns();
	if (write)
		down_write(rw);
	else
		down_read(rw);
	check_reported(&h, start, before);
	snprintf(line, sizeof(line),
		 "INFO: task %.16s:%d <%s> blocked on an rw-semaphore likely owned by task %.16s:%d <%s>\n",
		 current->comm, current->pid, write ? "writer" : "reader", h.comm, h.pid,
		 write ? "reader" : "writer");
	CHECK(has(line));
	CHECK(has("waiting for rw-semaphore"));
	if (write)
		up_write(rw);
	else
		up_read(rw);
}

TEST(down_read)
{
	static DECLARE_RWSEM(rw);

	check_rwsem_blocker(&rw, 0);
}

TEST(down_write)
{
	static DECLARE_RWSEM(rw);

	check_rwsem_blocker(&rw, 1);
}

static void do_complete(struct helper *h) { complete(h->obj); }

TEST(wait_for_completion)
{
	static DECLARE_COMPLETION(done);
	struct helper h;
	long long start;
	int before = test_reports;

	helper_start(&h, NULL, do_complete, &done, HOLD_MS);
	start = test_now_ns();
	wait_for_completion(&done);
	check_reported(&h, start, before);
	CHECK(!has("blocked on"));
}

static DECLARE_WAIT_QUEUE_HEAD(wq);
static int flag;

static void set_flag_wake(struct helper *h)
{
	(void)h;
	__atomic_store_n(&flag, 1, __ATOMIC_RELEASE);
	wake_up(&wq);
}

TEST(wait_event)
{
	struct helper h;
	long long start;
	int before = test_reports;

	flag = 0;
	helper_start(&h, NULL, set_flag_wake, NULL, HOLD_MS);
	start = test_now_ns();
	wait_event(wq, __atomic_load_n(&flag, __ATOMIC_ACQUIRE));
	check_reported(&h, start, before);
	CHECK(!has("blocked on"));
}

static void set_flag_wake_task(struct helper *h)
{
	__atomic_store_n(&flag, 1, __ATOMIC_RELEASE);
	wake_up_process(h->obj);
}

TEST(schedule)
{
	struct helper h;
	long long start;
	int before = test_reports, sleeps = 0;

	flag = 0;
	helper_start(&h, NULL, set_flag_wake_task, current, HOLD_MS);
	start = test_now_ns();
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (__atomic_load_n(&flag, __ATOMIC_ACQUIRE))
			break;
		schedule();
		sleeps++;
	}
	__set_current_state(TASK_RUNNING);
	check_reported(&h, start, before);
	/* The report did not end the sleep: one wake-up, the helper's. */
	CHECK_EQ(sleeps, 1);
	CHECK(!has("blocked on"));

	/* A finite timeout longer than the bound is watched too (the kernel's msleep()). */
	before = test_reports;
	start = test_now_ns();
	CHECK_EQ(schedule_timeout_uninterruptible(msecs_to_jiffies(HOLD_MS)), 0);
	CHECK_EQ(test_reports, before + 1);
	CHECK(has(headline));
	CHECK(test_now_ns() - start >= (HOLD_MS - 20) * 1000000LL);
}

/* ---- the sleeps that are not ---- */

TEST(not_watched)
{
	static DEFINE_SEMAPHORE(s1, 0);
	static DEFINE_SEMAPHORE(s2, 0);
	static DECLARE_COMPLETION(c1);
	static DECLARE_COMPLETION(c2);
	static DECLARE_COMPLETION(c3);
	struct helper h;
	long long start;
	int before = test_reports;

	helper_start(&h, NULL, sem_up, &s1, HOLD_MS);
	CHECK_EQ(down_interruptible(&s1), 0);
	pthread_join(h.thread, NULL);

	helper_start(&h, NULL, sem_up, &s2, HOLD_MS);
	CHECK_EQ(down_killable(&s2), 0);
	pthread_join(h.thread, NULL);

	helper_start(&h, NULL, do_complete, &c1, HOLD_MS);
	CHECK_EQ(wait_for_completion_killable(&c1), 0);
	pthread_join(h.thread, NULL);

	/* A timeout shorter than the bound: it ends first. */
	start = test_now_ns();
	CHECK_EQ(wait_for_completion_timeout(&c2, msecs_to_jiffies(BOUND_MS - 50)), 0);
	CHECK(test_now_ns() - start >= (BOUND_MS - 60) * 1000000LL);

	flag = 0;
	helper_start(&h, NULL, set_flag_wake, NULL, HOLD_MS);
	CHECK_EQ(wait_event_interruptible(wq, __atomic_load_n(&flag, __ATOMIC_ACQUIRE)), 0);
	pthread_join(h.thread, NULL);

	/* TASK_IDLE: uninterruptible, but not counted (the kernel skips TASK_NOLOAD). */
	flag = 0;
	helper_start(&h, NULL, set_flag_wake, NULL, HOLD_MS);
	wait_event_idle(wq, __atomic_load_n(&flag, __ATOMIC_ACQUIRE));
	pthread_join(h.thread, NULL);

	/* Woken before the bound. */
	helper_start(&h, NULL, do_complete, &c3, SHORT_MS);
	wait_for_completion(&c3);
	pthread_join(h.thread, NULL);

	/* The bound at 0: off. */
	__atomic_store_n(&lksync_hung_task_timeout_ms, 0, __ATOMIC_RELAXED);
	flag = 0;
	helper_start(&h, NULL, set_flag_wake, NULL, HOLD_MS);
	wait_event(wq, __atomic_load_n(&flag, __ATOMIC_ACQUIRE));
	pthread_join(h.thread, NULL);
	__atomic_store_n(&lksync_hung_task_timeout_ms, BOUND_MS, __ATOMIC_RELAXED);

	if (test_reports != before)
		fprintf(stderr, "last report:\n%s", test_last_report);
	CHECK_EQ(test_reports, before);
}

/* ---- rwlock and BKL lockups ---- */

static void rwl_write_lock(struct helper *h) { write_lock(h->obj); }
static void rwl_write_unlock(struct helper *h) { write_unlock(h->obj); }
static void rwl_read_lock(struct helper *h) { read_lock(h->obj); }
static void rwl_read_unlock(struct helper *h) { read_unlock(h->obj); }

/* One report, naming @h as the writer (or nobody), with the side's headline. */
static void check_rw_report(struct helper *h, const char *side, void *lock, int before)
{
	char line[160];

	pthread_join(h->thread, NULL);
	if (test_reports != before + 1)
		fprintf(stderr, "last report:\n%s", test_last_report);
	CHECK_EQ(test_reports, before + 1);
	snprintf(line, sizeof(line), "BUG: %s-lock lockup on CPU#", side);
	CHECK(has(line));
	snprintf(line, sizeof(line), ", %.16s/%d, %p\n", current->comm, current->pid, lock);
	CHECK(has(line));
	if (h->take == rwl_write_lock)
		snprintf(line, sizeof(line), ".owner: %.16s/%d,", h->comm, h->pid);
	else
		snprintf(line, sizeof(line), ".owner: <none>/-1, .owner_cpu: -1, readers: 1,");
	CHECK(has(line));
}

TEST(rwlock_lockup)
{
	static DEFINE_RWLOCK(rwl);
	struct helper h;
	int before;

	/* A writer keeps it: a reader waits. */
	before = test_reports;
	helper_start(&h, rwl_write_lock, rwl_write_unlock, &rwl, HOLD_MS);
	read_lock(&rwl);
	read_unlock(&rwl);
	check_rw_report(&h, "read", &rwl, before);

	/* A writer keeps it: a writer waits. */
	before = test_reports;
	helper_start(&h, rwl_write_lock, rwl_write_unlock, &rwl, HOLD_MS);
	write_lock(&rwl);
	write_unlock(&rwl);
	check_rw_report(&h, "write", &rwl, before);

	/* A reader keeps it: a writer waits. */
	before = test_reports;
	helper_start(&h, rwl_read_lock, rwl_read_unlock, &rwl, HOLD_MS);
	write_lock(&rwl);
	write_unlock(&rwl);
	check_rw_report(&h, "write", &rwl, before);
}

#define SERIES		8
#define SERIES_MS	30

static DEFINE_RWLOCK(series_lock);
static int series_go;

/* Queue for the lock, keep it SERIES_MS, pass it on. */
static void *series_main(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&series_go, __ATOMIC_ACQUIRE))
		usleep(100);
	write_lock(&series_lock);
	usleep(SERIES_MS * 1000);
	write_unlock(&series_lock);
	return NULL;
}

TEST(rwlock_progress)
{
	pthread_t t[SERIES];
	long long start, waited;
	int before = test_reports;

	/*
	 * Holders one after another, each well within the bound, while we
	 * wait behind all of them far longer than the bound: no lockup.
	 */
	series_go = 0;
	for (int i = 0; i < SERIES; i++)
		pthread_create(&t[i], NULL, series_main, NULL);
	write_lock(&series_lock);
	__atomic_store_n(&series_go, 1, __ATOMIC_RELEASE);
	usleep(SERIES_MS * 1000);	/* the first holder: us */
	start = test_now_ns();
	write_unlock(&series_lock);
	usleep(5000);			/* let them queue first */
	read_lock(&series_lock);
	waited = test_now_ns() - start;
	read_unlock(&series_lock);
	for (int i = 0; i < SERIES; i++)
		pthread_join(t[i], NULL);
	if (test_reports != before)
		fprintf(stderr, "last report:\n%s", test_last_report);
	CHECK_EQ(test_reports, before);
	if (waited < LOCKUP_MS * 1000000LL)
		printf("note: waited only %lld ms behind the series\n", waited / 1000000);
}

static void bkl_take(struct helper *h) { (void)h; lock_kernel(); }
static void bkl_give(struct helper *h) { (void)h; unlock_kernel(); }

/* Keeps the BKL while it sleeps in schedule(), which drops it meanwhile. */
static void bkl_sleep_give(struct helper *h)
{
	(void)h;
	schedule_timeout_interruptible(msecs_to_jiffies(HOLD_MS));
	unlock_kernel();
}

TEST(bkl_lockup)
{
	struct helper h;
	char line[160];
	int before = test_reports;

	/* The holder spins (usleep() is no schedule()): we report, naming it. */
	helper_start(&h, bkl_take, bkl_give, NULL, HOLD_MS);
	lock_kernel();
	unlock_kernel();
	pthread_join(h.thread, NULL);
	if (test_reports != before + 1)
		fprintf(stderr, "last report:\n%s", test_last_report);
	CHECK_EQ(test_reports, before + 1);
	snprintf(line, sizeof(line), "BUG: spinlock lockup suspected on CPU#");
	CHECK(has(line));
	snprintf(line, sizeof(line), ", %.16s/%d\n", current->comm, current->pid);
	CHECK(has(line));
	snprintf(line, sizeof(line), ".owner: %.16s/%d,", h.comm, h.pid);
	CHECK(has(line));

	/* The holder sleeps in schedule(): the lock is free meanwhile. */
	before = test_reports;
	h.take = bkl_take;
	h.release = bkl_sleep_give;
	h.obj = NULL;
	h.ms = 0;
	h.ready = 0;
	if (pthread_create(&h.thread, NULL, helper_main, &h))
		abort();
	while (!__atomic_load_n(&h.ready, __ATOMIC_ACQUIRE))
		usleep(500);
	usleep(20000);
	lock_kernel();
	CHECK(kernel_locked());
	unlock_kernel();
	pthread_join(h.thread, NULL);
	CHECK_EQ(test_reports, before);
}

int main(void)
{
	test_watchdog(60);
	lksync_set_report_sink(sink, NULL);
	__atomic_store_n(&lksync_hung_task_timeout_ms, BOUND_MS, __ATOMIC_RELAXED);
	__atomic_store_n(&lksync_spin_lockup_ms, LOCKUP_MS, __ATOMIC_RELAXED);
	set_headline();
	RUN(down);
	RUN(down_read);
	RUN(down_write);
	RUN(wait_for_completion);
	RUN(wait_event);
	RUN(schedule);
	RUN(not_watched);
	RUN(rwlock_lockup);
	RUN(rwlock_progress);
	RUN(bkl_lockup);
	__atomic_store_n(&lksync_hung_task_timeout_ms, -1, __ATOMIC_RELAXED);
	__atomic_store_n(&lksync_spin_lockup_ms, -1, __ATOMIC_RELAXED);
	return test_done();
}
#endif /* LKSYNC_DEBUG */
