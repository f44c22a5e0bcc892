// SPDX-License-Identifier: MIT
/*
 * DEBUG_ATOMIC_SLEEP (debug flavor): might_sleep() and "scheduling while
 * atomic" reports, in every atomic context (spinlock, preempt_disable(),
 * bottom halves off, interrupts off, hardirq and softirq handlers), none in
 * task context or under the Big Kernel Lock; every sleeping function of the
 * audit list reports from atomic context; the rate limit and its test hook;
 * a thread exiting with a lock held (lockdep's report, when lockdep tracks).
 */
#include <lksync/sched.h>
#include <lksync/spinlock.h>
#include <lksync/mutex.h>
#include <lksync/semaphore.h>
#include <lksync/rwsem.h>
#include <lksync/completion.h>
#include <lksync/wait.h>
#include <lksync/delay.h>
#include <lksync/kthread.h>
#include <lksync/workqueue.h>
#include <lksync/interrupt.h>
#include <lksync/smp_lock.h>
#include <lksync/lockdep.h>
#include <lksync/bug.h>
#include "lksync_test.h"

#ifdef LKSYNC_DEBUG

/* Every report since the last reset, concatenated. */
static char reports[65536];
static size_t reports_len;
static int nreports;

static void sink(const char *text, void *arg)
{
	size_t n = strlen(text);

	(void)arg;
	if (n > sizeof(reports) - 1 - reports_len)
		n = sizeof(reports) - 1 - reports_len;
	memcpy(reports + reports_len, text, n);
	reports_len += n;
	reports[reports_len] = '\0';
	__atomic_add_fetch(&nreports, 1, __ATOMIC_RELEASE);
}

/* DEBUG_SLEEP_SHOW=1: print what each case reported (to read the reports). */
static void reset(void)
{
	if (reports_len && getenv("DEBUG_SLEEP_SHOW"))
		fprintf(stderr, "%s", reports);
	reports_len = 0;
	reports[0] = '\0';
	__atomic_store_n(&nreports, 0, __ATOMIC_RELEASE);
	lksync_might_sleep_ratelimit_reset();
	/*
	 * Re-arm only if a lockdep report switched it off (the exit test):
	 * other debug checks read it unmarked, so a needless store races.
	 */
	if (!READ_ONCE(debug_locks))
		WRITE_ONCE(debug_locks, 1);
}

static int count_of(const char *what)
{
	int n = 0;

	for (const char *p = reports; (p = strstr(p, what)); p++)
		n++;
	return n;
}

#define MIGHT_SLEEP_BUG	"BUG: sleeping function called from invalid context at "
#define SCHED_BUG	"BUG: scheduling while atomic: "

/* "in_atomic(): A, irqs_disabled(): I, non_block: 0, pid: P, name: C" */
static int has_state(int atomic, int irqs, unsigned int count)
{
	char want[160];

	snprintf(want, sizeof(want),
		 "in_atomic(): %d, irqs_disabled(): %d, non_block: 0, pid: %d, name: %s\n",
		 atomic, irqs, current->pid, current->comm);
	if (!strstr(reports, want)) {
		fprintf(stderr, "want \"%s\" in:\n%s\n", want, reports);
		return 0;
	}
	snprintf(want, sizeof(want), "preempt_count: %x, expected: 0\n", count);
	if (!strstr(reports, want)) {
		fprintf(stderr, "want \"%s\" in:\n%s\n", want, reports);
		return 0;
	}
	return 1;
}

/* The report names the might_sleep() line, the task's locks, a trace. */
static int has_site(int line)
{
	char want[64], held[64];

	snprintf(want, sizeof(want), "debug_sleep.c:%d\n", line);
	snprintf(held, sizeof(held), " held by %s/%d", current->comm, current->pid);
	return strstr(reports, MIGHT_SLEEP_BUG) && strstr(reports, want) &&
	       strstr(reports, held) && strstr(reports, "Call Trace:");
}

static DEFINE_SPINLOCK(lock);

TEST(task_context_is_quiet)
{
	static DEFINE_MUTEX(m);
	DECLARE_COMPLETION_ONSTACK(done);
	DECLARE_WAIT_QUEUE_HEAD(wq);

	reset();
	might_sleep();
	msleep(1);
	usleep_range(10, 20);
	mutex_lock(&m);
	mutex_unlock(&m);
	complete(&done);
	wait_for_completion(&done);
	wait_event(wq, 1);
	CHECK_EQ(schedule_timeout_interruptible(1), 0);
	/* Under the Big Kernel Lock: legal, schedule() drops it. */
	lock_kernel();
	CHECK_EQ(preempt_count(), 0);
	might_sleep();
	msleep(1);
	mutex_lock(&m);
	mutex_unlock(&m);
	unlock_kernel();
	CHECK_EQ(nreports, 0);
	if (nreports)
		fprintf(stderr, "%s\n", reports);
}

TEST(spinlock_held)
{
	int line;

	unsigned long ip, fn = (unsigned long)test_spinlock_held;
	char want[64];

	reset();
	spin_lock(&lock);
	ip = lksync_tls.preempt_disable_ip;
	line = __LINE__; might_sleep();
	spin_unlock(&lock);
	CHECK_EQ(nreports, 1);
	CHECK(has_site(line));
	CHECK(has_state(1, 0, 1));
	/* DEBUG_PREEMPT: where preemption went off, i.e. this spin_lock() call. */
	CHECK(ip > fn && ip < fn + 4096);
	snprintf(want, sizeof(want), "Preemption disabled at:\n[<%016lx>] ", ip);
	CHECK(strstr(reports, want) != NULL);
}

TEST(rate_limit)
{
	reset();
	preempt_disable();
	might_sleep();
	might_sleep();
	preempt_enable();
	/* The kernel's: once a second at most. */
	CHECK_EQ(nreports, 1);
	lksync_might_sleep_ratelimit_reset();
	preempt_disable();
	might_sleep();
	preempt_enable();
	CHECK_EQ(nreports, 2);
}

TEST(contexts)
{
	unsigned long flags;
	int line;

	reset();
	local_irq_disable();
	line = __LINE__; might_sleep();
	local_irq_enable();
	CHECK(has_site(line));
	CHECK(has_state(0, 1, 0));
	/* The count is the expected one: no "Preemption disabled at:". */
	CHECK(!strstr(reports, "Preemption disabled at:"));

	reset();
	spin_lock_irqsave(&lock, flags);
	might_sleep();
	spin_unlock_irqrestore(&lock, flags);
	CHECK(has_state(1, 1, 1));

	reset();
	local_bh_disable();
	might_sleep();
	local_bh_enable();
	CHECK(has_state(1, 0, (unsigned int)SOFTIRQ_DISABLE_OFFSET));

	reset();
	spin_lock_bh(&lock);
	might_sleep();
	spin_unlock_bh(&lock);
	CHECK(has_state(1, 0, (unsigned int)(SOFTIRQ_DISABLE_OFFSET + 1)));

	/* The BKL adds nothing: spinlock + BKL is atomic by the spinlock alone. */
	reset();
	lock_kernel();
	spin_lock(&lock);
	might_sleep();
	spin_unlock(&lock);
	unlock_kernel();
	CHECK(has_state(1, 0, 1));
}

TEST(cant_sleep)
{
	char want[160];
	int line;

	reset();
	spin_lock(&lock);
	cant_sleep();		/* atomic: fine */
	spin_unlock(&lock);
	local_irq_disable();
	cant_sleep();
	local_irq_enable();
	CHECK_EQ(nreports, 0);
	line = __LINE__; cant_sleep();	/* preemptible: reported */
	CHECK_EQ(nreports, 1);
	snprintf(want, sizeof(want), "BUG: assuming atomic context at %s:%d\n", __FILE__, line);
	CHECK(strstr(reports, want));
	snprintf(want, sizeof(want), "in_atomic(): 0, irqs_disabled(): 0, pid: %d, name: %s\n",
		 current->pid, current->comm);
	CHECK(strstr(reports, want));
}

TEST(blocking_op_in_sleep_state)
{
	static DEFINE_MUTEX(m);

	reset();
	set_current_state(TASK_INTERRUPTIBLE);
	mutex_lock(&m);		/* the kernel's WARN_ONCE: it destroys the state */
	mutex_unlock(&m);
	__set_current_state(TASK_RUNNING);
	CHECK_EQ(nreports, 1);
	CHECK(strstr(reports, "do not call blocking ops when !TASK_RUNNING; state=1 set at [<0x"));
	CHECK(strstr(reports, "WARNING: CPU: "));
	CHECK_EQ(count_of(MIGHT_SLEEP_BUG), 0);	/* task context otherwise */
	/* Once only, until the hook re-arms it. */
	set_current_state(TASK_UNINTERRUPTIBLE);
	might_sleep();
	__set_current_state(TASK_RUNNING);
	CHECK_EQ(nreports, 1);
	/* In TASK_RUNNING, or state set by a wake-up: quiet. */
	reset();
	set_current_state(TASK_INTERRUPTIBLE);
	wake_up_process(current);
	might_sleep();
	CHECK_EQ(nreports, 0);
}

/* ---- interrupt handlers -------------------------------------------------- */

static int dev;
static int irq_line;

static irqreturn_t sleepy_handler(int irq, void *d)
{
	(void)irq;
	(void)d;
	irq_line = __LINE__; might_sleep();
	return IRQ_HANDLED;
}

TEST(hardirq)
{
	reset();
	CHECK_EQ(request_irq(12, sleepy_handler, 0, "sleepy", &dev), 0);
	/* Raised by this task itself: handled by the time the raise returns. */
	CHECK_EQ(lksync_irq_raise(12), 0);
	CHECK_EQ(nreports, 1);
	CHECK(has_site(irq_line));
	CHECK(has_state(1, 1, (unsigned int)HARDIRQ_OFFSET));
	free_irq(12, &dev);
}

static int tasklet_line, tasklet_ran;
static unsigned int tasklet_count;

static void sleepy_tasklet(struct tasklet_struct *t)
{
	(void)t;
	tasklet_count = (unsigned int)preempt_count();
	tasklet_line = __LINE__; might_sleep();
	__atomic_store_n(&tasklet_ran, 1, __ATOMIC_RELEASE);
}

static DECLARE_TASKLET(sleepy, sleepy_tasklet);

TEST(softirq)
{
	reset();
	tasklet_schedule(&sleepy);
	for (int i = 0; i < 5000 && !__atomic_load_n(&nreports, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	CHECK(__atomic_load_n(&tasklet_ran, __ATOMIC_ACQUIRE));
	CHECK_EQ(__atomic_load_n(&nreports, __ATOMIC_ACQUIRE), 1);
	CHECK(tasklet_count & SOFTIRQ_OFFSET);
	CHECK(strstr(reports, MIGHT_SLEEP_BUG));
	{
		char want[80];

		snprintf(want, sizeof(want), "preempt_count: %x, expected: 0\n", tasklet_count);
		CHECK(strstr(reports, want));
		snprintf(want, sizeof(want), "debug_sleep.c:%d\n", tasklet_line);
		CHECK(strstr(reports, want));
	}
	tasklet_kill(&sleepy);
}

/* ---- schedule() in atomic context --------------------------------------- */

TEST(scheduling_while_atomic)
{
	char want[96];

	reset();
	preempt_disable();
	schedule();		/* TASK_RUNNING: returns at once, but it is still a bug */
	schedule();		/* and the kernel reports it every time */
	preempt_enable();
	snprintf(want, sizeof(want), SCHED_BUG "%s/%d/0x00000001\n", current->comm, current->pid);
	CHECK_EQ(count_of(want), 2);
	CHECK_EQ(count_of(" held by "), 2);
	CHECK_EQ(count_of("Call Trace:"), 2);

	/* A real sleep under a spinlock: both reports, as the kernel. */
	reset();
	spin_lock(&lock);
	msleep(1);
	spin_unlock(&lock);
	CHECK_EQ(count_of(MIGHT_SLEEP_BUG), 1);
	CHECK(count_of(want) >= 1);

	reset();
	spin_lock(&lock);
	set_current_state(TASK_UNINTERRUPTIBLE);
	schedule_timeout(1);
	spin_unlock(&lock);
	CHECK(count_of(want) >= 1);
	CHECK_EQ(count_of(MIGHT_SLEEP_BUG), 0);	/* schedule_timeout() has no might_sleep() */

	/* Under the BKL alone schedule() is fine. */
	reset();
	lock_kernel();
	schedule();
	__set_current_state(TASK_UNINTERRUPTIBLE);
	schedule_timeout(1);
	unlock_kernel();
	CHECK_EQ(nreports, 0);
}

/* ---- the audit: every sleeping function reports from atomic context ----- */

static int kt_fn(void *d)
{
	(void)d;
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static void work_fn(struct work_struct *w) { (void)w; }
static irqreturn_t nop_handler(int irq, void *d) { (void)irq; (void)d; return IRQ_HANDLED; }
static void nop_tasklet(struct tasklet_struct *t) { (void)t; }

#define ATOMIC_CALL(expr) do {							\
	reset();								\
	preempt_disable();							\
	expr;									\
	preempt_enable();							\
	if (!count_of(MIGHT_SLEEP_BUG)) {					\
		CHECK(!"might_sleep() in " #expr);				\
	} else {								\
		CHECK(1);							\
	}									\
} while (0)

TEST(audit)
{
	static DEFINE_MUTEX(m);
	static DECLARE_RWSEM(rw);
	static DEFINE_SEMAPHORE(sem, 1);
	DECLARE_COMPLETION_ONSTACK(done);
	DECLARE_WAIT_QUEUE_HEAD(wq);
	struct work_struct w;
	struct delayed_work dw;
	struct workqueue_struct *q;
	struct task_struct *k;
	struct tasklet_struct t;

	ATOMIC_CALL(msleep(0));
	ATOMIC_CALL(msleep_interruptible(0));
	ATOMIC_CALL(ssleep(0));
	ATOMIC_CALL(usleep_range(0, 0));
	ATOMIC_CALL(fsleep(0));
	ATOMIC_CALL(schedule_timeout_interruptible(0));
	ATOMIC_CALL(schedule_timeout_uninterruptible(0));
	ATOMIC_CALL(schedule_timeout_killable(0));
	ATOMIC_CALL(schedule_timeout_idle(0));
	ATOMIC_CALL(mutex_lock(&m); mutex_unlock(&m));
	ATOMIC_CALL(if (!mutex_lock_interruptible(&m)) mutex_unlock(&m));
	ATOMIC_CALL(if (!mutex_lock_killable(&m)) mutex_unlock(&m));
	ATOMIC_CALL(down(&sem); up(&sem));
	ATOMIC_CALL(if (!down_interruptible(&sem)) up(&sem));
	ATOMIC_CALL(if (!down_killable(&sem)) up(&sem));
	ATOMIC_CALL(if (!down_timeout(&sem, 1)) up(&sem));
	ATOMIC_CALL(down_read(&rw); up_read(&rw));
	ATOMIC_CALL(if (!down_read_killable(&rw)) up_read(&rw));
	ATOMIC_CALL(down_write(&rw); up_write(&rw));
	ATOMIC_CALL(if (!down_write_killable(&rw)) up_write(&rw));
	ATOMIC_CALL(complete(&done); wait_for_completion(&done));
	ATOMIC_CALL(complete(&done); (void)wait_for_completion_timeout(&done, 1));
	ATOMIC_CALL(complete(&done); (void)wait_for_completion_interruptible(&done));
	ATOMIC_CALL(complete(&done); (void)wait_for_completion_killable(&done));
	ATOMIC_CALL(wait_event(wq, 1));
	ATOMIC_CALL((void)wait_event_timeout(wq, 1, 1));
	ATOMIC_CALL((void)wait_event_interruptible(wq, 1));
	ATOMIC_CALL((void)wait_event_killable(wq, 1));
	ATOMIC_CALL((void)wait_event_interruptible_timeout(wq, 1, 1));

	INIT_WORK(&w, work_fn);
	INIT_DELAYED_WORK(&dw, work_fn);
	q = alloc_workqueue("dbg_sleep", 0, 1);
	CHECK(q != NULL);
	ATOMIC_CALL(flush_work(&w));
	ATOMIC_CALL(cancel_work_sync(&w));
	ATOMIC_CALL(flush_delayed_work(&dw));
	ATOMIC_CALL(cancel_delayed_work_sync(&dw));
	ATOMIC_CALL(flush_workqueue(q));
	ATOMIC_CALL(destroy_workqueue(q));

	CHECK_EQ(request_irq(13, nop_handler, 0, "nop", &dev), 0);
	ATOMIC_CALL(synchronize_irq(13));
	ATOMIC_CALL(free_irq(13, &dev));

	tasklet_setup(&t, nop_tasklet);
	ATOMIC_CALL(tasklet_kill(&t));

	ATOMIC_CALL(k = kthread_run(kt_fn, NULL, "dbg_sleep_kt"));
	CHECK(!IS_ERR(k));
	ATOMIC_CALL(kthread_stop(k));
}

/* ---- a thread exits holding a lock (lockdep's check at task exit) ------- */

static DEFINE_MUTEX(exit_mutex);
static unsigned int exit_depth;

static void *exit_holding(void *a)
{
	mutex_lock(&exit_mutex);
	exit_depth = lksync_lockdep_depth();
	return a;	/* exits with exit_mutex held: a bug, reported at exit */
}

TEST(exit_with_lock_held)
{
	pthread_t th;
	char want[96];

	reset();
	pthread_create(&th, NULL, exit_holding, NULL);
	pthread_join(th, NULL);
	if (!exit_depth) {
		printf("     (lockdep does not track held locks yet: exit report not checked)\n");
		return;
	}
	snprintf(want, sizeof(want), "still has locks held!");
	CHECK(strstr(reports, want));
	CHECK(strstr(reports, "exit_mutex"));
	reset();
}

int main(void)
{
	test_watchdog(60);
	lksync_set_report_sink(sink, NULL);
	RUN(task_context_is_quiet);
	RUN(spinlock_held);
	RUN(rate_limit);
	RUN(contexts);
	RUN(cant_sleep);
	RUN(blocking_op_in_sleep_state);
	RUN(hardirq);
	RUN(softirq);
	RUN(scheduling_while_atomic);
	RUN(audit);
	RUN(exit_with_lock_held);
	lksync_set_report_sink(NULL, NULL);
	return test_done();
}

#else

int main(void)
{
	printf("skipped (release flavor)\n");
	return 0;
}

#endif /* LKSYNC_DEBUG */
