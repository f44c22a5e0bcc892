// SPDX-License-Identifier: MIT
/*
 * The context layer's threads (ksoftirqd, the clock, the workqueue manager)
 * start lazily. A statically declared tasklet, timer or work item whose
 * very first use in the process is in task context with interrupts masked
 * or bottom halves disabled, or in a handler, must still run. Each case
 * runs in a fresh child process, since the state is process-wide.
 */
#include <sys/wait.h>
#include <unistd.h>
#include <lksync/interrupt.h>
#include <lksync/irq.h>
#include <lksync/completion.h>
#include <lksync/spinlock.h>
#include <lksync/timer.h>
#include <lksync/workqueue.h>
#include "lksync_test.h"

static DECLARE_COMPLETION(done);
static DEFINE_SPINLOCK(lock);

/* 0 if @done completes within 3 s. */
static int finished(void)
{
	return wait_for_completion_timeout(&done, msecs_to_jiffies(3000)) ? 0 : 1;
}

static void work_fn(struct work_struct *w) { complete(&done); }
static DECLARE_WORK(static_work, work_fn);

static int work_under_irqsave(void)
{
	unsigned long flags;

	spin_lock_irqsave(&lock, flags);
	schedule_work(&static_work);
	spin_unlock_irqrestore(&lock, flags);
	return finished();
}

static void tasklet_fn(struct tasklet_struct *t) { complete(&done); }
static DECLARE_TASKLET(static_tasklet, tasklet_fn);

static int tasklet_under_irqsave(void)
{
	unsigned long flags;

	local_irq_save(flags);
	tasklet_schedule(&static_tasklet);
	local_irq_restore(flags);
	return finished();
}

static void timer_fn(struct timer_list *t) { complete(&done); }
static DEFINE_TIMER(static_timer, timer_fn);

static int timer_under_bh(void)
{
	spin_lock_bh(&lock);
	mod_timer(&static_timer, jiffies + 2);
	spin_unlock_bh(&lock);
	return finished();
}

/* A chain that starts in a handler: tasklet -> timer -> work item. */
static void chain_work_fn(struct work_struct *w) { complete(&done); }
static DECLARE_WORK(chain_work, chain_work_fn);
static void chain_timer_fn(struct timer_list *t) { schedule_work(&chain_work); }
static DEFINE_TIMER(chain_timer, chain_timer_fn);
static void chain_tasklet_fn(struct tasklet_struct *t) { mod_timer(&chain_timer, jiffies + 2); }
static DECLARE_TASKLET(chain_tasklet, chain_tasklet_fn);

static irqreturn_t chain_isr(int irq, void *dev)
{
	tasklet_schedule(&chain_tasklet);
	return IRQ_HANDLED;
}

static int chain_from_handler(void)
{
	static int dev;

	if (request_irq(33, chain_isr, 0, "chain", &dev))
		return 2;
	lksync_irq_raise(33);
	return finished();
}

/* Run @fn in a fresh child; Return: its exit status (0 = passed). */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		alarm(10);	/* a hang fails the case instead of the suite */
		_exit(fn());
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(static_work_first_queued_with_irqs_masked)
{
	CHECK_EQ(in_child(work_under_irqsave), 0);
}

TEST(static_tasklet_first_scheduled_with_irqs_masked)
{
	CHECK_EQ(in_child(tasklet_under_irqsave), 0);
}

TEST(static_timer_first_armed_with_bh_disabled)
{
	CHECK_EQ(in_child(timer_under_bh), 0);
}

TEST(static_items_first_used_from_a_handler)
{
	CHECK_EQ(in_child(chain_from_handler), 0);
}

int main(void)
{
	/* No lksync call before the forks: each child starts from nothing. */
	RUN(static_work_first_queued_with_irqs_masked);
	RUN(static_tasklet_first_scheduled_with_irqs_masked);
	RUN(static_timer_first_armed_with_bh_disabled);
	RUN(static_items_first_used_from_a_handler);
	return test_done();
}
