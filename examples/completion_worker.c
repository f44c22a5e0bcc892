// SPDX-License-Identifier: MIT
/*
 * Completion variables, as the seeds describe them: "one task waits, the
 * other signals on completion", the way the kernel wakes a parent when its
 * vfork child is done. A worker thread sets itself up and says so
 * (complete(&ready)), waits for the order to start, does its job and
 * signals completion. The parent waits with wait_for_completion(), and
 * with wait_for_completion_timeout(), which returns 0 when the time runs out
 * and the jiffies left otherwise. complete_all() releases every waiter at
 * once and stays done until reinit_completion(); complete() counts.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#define WAITERS		4

struct worker {
	struct completion ready;	/* set up; @config may be read */
	struct completion go;		/* the parent's order to start */
	struct completion done;		/* the work is finished; @result is valid */
	int config;
	long result;
};

static int worker_fn(void *data)
{
	struct worker *w = data;

	msleep(5);			/* "probe the hardware" */
	w->config = 42;
	complete(&w->ready);

	wait_for_completion(&w->go);
	for (int i = 1; i <= 1000; i++)
		w->result += i;
	complete(&w->done);		/* the last thing it touches of *w */

	/* Park until kthread_stop(); the state is set before the test. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static DECLARE_COMPLETION(arrived);	/* completed once per waiter */
static DECLARE_COMPLETION(shutdown);
static atomic_t released = ATOMIC_INIT(0);

/*
 * A waiter says it is there first: a kthread stopped before it ever ran
 * would not run its function at all (kthread_stop() is no "join").
 */
static int waiter_fn(void *data)
{
	complete(&arrived);
	wait_for_completion(&shutdown);
	atomic_inc(&released);
	return 0;
}

static int failures;

static void expect(const char *what, long got, long want)
{
	pr_info("%-52s %ld%s\n", what, got, got == want ? "" : "  <-- wrong");
	if (got != want)
		failures++;
}

int main(void)
{
	struct task_struct *k, *waiters[WAITERS];
	struct completion counted;
	struct worker w = { 0 };
	unsigned long t0, left;

	init_completion(&w.ready);
	init_completion(&w.go);
	init_completion(&w.done);
	k = kthread_run(worker_fn, &w, "worker");
	if (IS_ERR(k))
		return 1;

	wait_for_completion(&w.ready);
	expect("config after wait_for_completion(&ready)", w.config, 42);

	t0 = jiffies;
	left = wait_for_completion_timeout(&w.done, msecs_to_jiffies(30));
	expect("wait_for_completion_timeout() before the order", left, 0);
	expect("  ... slept at least 30 jiffies", time_after_eq(jiffies, t0 + 30), 1);

	complete(&w.go);
	left = wait_for_completion_timeout(&w.done, 10 * HZ);
	expect("wait_for_completion_timeout() after it, > 0", left > 0, 1);
	expect("  ... the worker's result", w.result, 500500);
	expect("kthread_stop(worker)", kthread_stop(k), 0);

	/* complete_all(): every waiter goes, and the completion stays done. */
	for (int i = 0; i < WAITERS; i++) {
		waiters[i] = kthread_run(waiter_fn, NULL, "waiter/%d", i);
		if (IS_ERR(waiters[i]))
			return 1;
	}
	for (int i = 0; i < WAITERS; i++)
		wait_for_completion(&arrived);
	msleep(10);
	expect("waiters released before complete_all()", atomic_read(&released), 0);
	complete_all(&shutdown);
	for (int i = 0; i < WAITERS; i++)
		kthread_stop(waiters[i]);
	expect("waiters released by complete_all()", atomic_read(&released), WAITERS);
	expect("completion_done() after complete_all()", completion_done(&shutdown), 1);
	expect("try_wait_for_completion(), twice", try_wait_for_completion(&shutdown) +
	       try_wait_for_completion(&shutdown), 2);
	wait_for_completion(&shutdown);		/* returns at once */
	reinit_completion(&shutdown);
	expect("completion_done() after reinit_completion()", completion_done(&shutdown), 0);

	/* complete() counts: three completions let three waits through. */
	init_completion(&counted);
	complete(&counted);
	complete(&counted);
	complete(&counted);
	for (int i = 0; i < 3; i++)
		wait_for_completion(&counted);
	expect("try_wait_for_completion() after three waits", try_wait_for_completion(&counted), 0);

	/* An interruptible wait ends on a pending signal. */
	send_sig(SIGINT, current, 0);
	expect("wait_for_completion_interruptible(), signalled",
	       wait_for_completion_interruptible(&counted), -ERESTARTSYS);
	flush_signals(current);

	pr_info("completion worker: %s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
