// SPDX-License-Identifier: MIT
/*
 * A pipe between kernel threads: producers put items into a small ring,
 * consumers take them out, and each side sleeps on a wait queue when the ring
 * is full or empty ("wait_event*() sleeps until a condition occurs, a second
 * thread calls wake_up*()", and Love's "sleeping and synchronization"). The
 * consumers use wait_event_interruptible(); the producers the open-coded
 * loop it stands for (prepare_to_wait(), test, schedule(), finish_wait()).
 * A mutex protects the ring, so the sleeper never tests the condition under
 * a lock it would sleep with: the count is read locklessly as a hint and
 * tested again under the mutex. kthread_stop() ends the consumers, which
 * drain the ring first. Every item must be consumed exactly once.
 *
 * kthread_stop() is no "join": a thread stopped before it first ran never
 * runs its function (kthread_stop() then returns -EINTR), as in the kernel.
 * So the producers report the end of their work with a completion and wait
 * to be stopped, and a consumer that never ran has simply consumed nothing.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/wait.h>

#define RING_SIZE	16
#define PRODUCERS	3
#define CONSUMERS	3
#define PER_PRODUCER	5000
#define ITEMS		(PRODUCERS * PER_PRODUCER)

static struct {
	struct mutex lock;		/* protects ring[], head, tail, count */
	unsigned int ring[RING_SIZE];
	unsigned int head, tail;
	unsigned int count;		/* also read without the lock, as a hint */
	wait_queue_head_t readq;	/* consumers wait here for an item */
	wait_queue_head_t writeq;	/* producers wait here for a free slot */
} pipe;

static DECLARE_COMPLETION(produced);	/* completed once per producer */
static atomic_t seen[ITEMS];		/* times each item was consumed */
static atomic_t producer_sleeps = ATOMIC_INIT(0);

static int pipe_write(unsigned int item)
{
	DEFINE_WAIT(wait);

	for (;;) {
		mutex_lock(&pipe.lock);
		if (pipe.count < RING_SIZE)
			break;
		mutex_unlock(&pipe.lock);

		prepare_to_wait(&pipe.writeq, &wait, TASK_INTERRUPTIBLE);
		if (READ_ONCE(pipe.count) == RING_SIZE && !signal_pending(current)) {
			atomic_inc(&producer_sleeps);
			schedule();
		}
		finish_wait(&pipe.writeq, &wait);
		if (signal_pending(current))
			return -ERESTARTSYS;
	}
	pipe.ring[pipe.head] = item;
	pipe.head = (pipe.head + 1) % RING_SIZE;
	WRITE_ONCE(pipe.count, pipe.count + 1);
	mutex_unlock(&pipe.lock);
	wake_up(&pipe.readq);
	return 0;
}

/* Return: 1 and the item in *item, 0 if the ring was empty. */
static int pipe_try_read(unsigned int *item)
{
	int got = 0;

	mutex_lock(&pipe.lock);
	if (pipe.count) {
		*item = pipe.ring[pipe.tail];
		pipe.tail = (pipe.tail + 1) % RING_SIZE;
		WRITE_ONCE(pipe.count, pipe.count - 1);
		got = 1;
	}
	mutex_unlock(&pipe.lock);
	if (got)
		wake_up(&pipe.writeq);
	return got;
}

/* Sleep until kthread_stop(); the state is set before the test. */
static void wait_for_stop(void)
{
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
}

static int producer_fn(void *data)
{
	unsigned int base = (unsigned int)(unsigned long)data * PER_PRODUCER;
	int ret = 0;

	for (unsigned int i = 0; i < PER_PRODUCER && !ret; i++)
		ret = pipe_write(base + i);
	complete(&produced);
	wait_for_stop();
	return ret;
}

static int consumer_fn(void *data)
{
	unsigned int item;
	int consumed = 0;

	for (;;) {
		if (wait_event_interruptible(pipe.readq, READ_ONCE(pipe.count) ||
					     kthread_should_stop()))
			return -ERESTARTSYS;
		if (pipe_try_read(&item)) {
			atomic_inc(&seen[item]);
			consumed++;
		} else if (kthread_should_stop()) {
			return consumed;	/* stopped, and the ring is drained */
		}
	}
}

int main(void)
{
	struct task_struct *prod[PRODUCERS], *cons[CONSUMERS];
	int total = 0, bad = 0;

	/* "insmod": set up the device, start the threads. */
	mutex_init(&pipe.lock);
	init_waitqueue_head(&pipe.readq);
	init_waitqueue_head(&pipe.writeq);
	for (int i = 0; i < CONSUMERS; i++) {
		cons[i] = kthread_run(consumer_fn, NULL, "pipe_cons/%d", i);
		if (IS_ERR(cons[i]))
			return 1;
	}
	for (long i = 0; i < PRODUCERS; i++) {
		prod[i] = kthread_run(producer_fn, (void *)i, "pipe_prod/%ld", i);
		if (IS_ERR(prod[i]))
			return 1;
	}

	/* "rmmod": the producers finish their work, then everyone stops. */
	for (int i = 0; i < PRODUCERS; i++)
		wait_for_completion(&produced);
	for (int i = 0; i < PRODUCERS; i++) {
		int ret = kthread_stop(prod[i]);

		if (ret) {
			pr_err("producer %d: %d\n", i, ret);
			bad++;
		}
	}
	for (int i = 0; i < CONSUMERS; i++) {
		int ret = kthread_stop(cons[i]);

		if (ret == -EINTR)
			continue;	/* never ran: the others did its share */
		if (ret < 0) {
			pr_err("consumer %d: %d\n", i, ret);
			bad++;
		} else {
			total += ret;
		}
	}

	for (int i = 0; i < ITEMS; i++) {
		if (atomic_read(&seen[i]) != 1) {
			if (bad++ < 5)
				pr_err("item %d consumed %d times\n", i, atomic_read(&seen[i]));
		}
	}
	if (total != ITEMS || pipe.count || waitqueue_active(&pipe.readq) ||
	    waitqueue_active(&pipe.writeq))
		bad++;
	pr_info("waitqueue pipe: %d items consumed (want %d), producers slept %d times: %s\n",
		total, ITEMS, atomic_read(&producer_sleeps), bad ? "FAILED" : "ok");
	return bad ? 1 : 0;
}
