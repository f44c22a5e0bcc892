// SPDX-License-Identifier: MIT
/*
 * A character device's open() and read(), the way the seeds use sleeping
 * locks in process context. open() admits one opener at a time with a
 * semaphore declared as the seeds do (static DECLARE_MUTEX, down_trylock()
 * for O_NONBLOCK, down_interruptible() otherwise; a semaphore, not a mutex,
 * because it stays held from open() to release(), across "system calls").
 * read() takes a mutex protecting the buffer and sleeps on a wait queue until
 * data arrives. Every sleep is interruptible, and the driver hands the error
 * back as the kernel's own code does: down_interruptible() and
 * mutex_lock_interruptible() give -EINTR, wait_event_interruptible()
 * -ERESTARTSYS (the system call may be restarted after the handler).
 *
 * Each "system call" runs in a kernel thread standing for the user process;
 * main() is the other side (a writer, and the one sending signals). Signals
 * are task-level and stay pending: the "return to user space" flushes them.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/semaphore.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <fcntl.h>

#define BUF_SIZE	64

static DECLARE_MUTEX(open_sem);		/* one opener at a time (legacy name) */
static DEFINE_MUTEX(buf_lock);		/* protects buf, len */
static DECLARE_WAIT_QUEUE_HEAD(readq);
static char buf[BUF_SIZE];
static size_t len;			/* written under buf_lock, read as a hint */

static int dev_open(int f_flags)
{
	if (f_flags & O_NONBLOCK)
		return down_trylock(&open_sem) ? -EBUSY : 0;
	if (down_interruptible(&open_sem))
		return -EINTR;	/* signal received, semaphore not acquired */
	return 0;
}

static void dev_release(void)
{
	up(&open_sem);
}

static long dev_read(char *dst, size_t count)
{
	int ret;

	ret = mutex_lock_interruptible(&buf_lock);
	if (ret)
		return ret;
	while (!len) {
		mutex_unlock(&buf_lock);
		if (wait_event_interruptible(readq, READ_ONCE(len) != 0))
			return -ERESTARTSYS;
		ret = mutex_lock_interruptible(&buf_lock);
		if (ret)
			return ret;
	}
	if (count > len)
		count = len;
	memcpy(dst, buf, count);
	memmove(buf, buf + count, len - count);
	WRITE_ONCE(len, len - count);
	mutex_unlock(&buf_lock);
	return count;
}

static long dev_write(const char *src, size_t count)
{
	if (mutex_lock_interruptible(&buf_lock))
		return -EINTR;
	if (count > BUF_SIZE - len)
		count = BUF_SIZE - len;
	memcpy(buf + len, src, count);
	WRITE_ONCE(len, len + count);
	mutex_unlock(&buf_lock);
	wake_up_interruptible(&readq);
	return count;
}

/* ---- the "user processes": one system call each, in a kernel thread ---- */

enum op { OP_OPEN, OP_READ };

struct syscall {
	enum op op;
	char data[BUF_SIZE];
	long ret;
	struct completion entered;	/* it is about to make the call */
};

static int syscall_fn(void *arg)
{
	struct syscall *sc = arg;

	complete(&sc->entered);
	if (sc->op == OP_OPEN)
		sc->ret = dev_open(0);
	else
		sc->ret = dev_read(sc->data, sizeof(sc->data) - 1);
	flush_signals(current);	/* delivered on the way back to user space */
	return 0;
}

static struct task_struct *start(struct syscall *sc, enum op op)
{
	struct task_struct *t;

	memset(sc, 0, sizeof(*sc));
	sc->op = op;
	init_completion(&sc->entered);
	t = kthread_run(syscall_fn, sc, "user/%d", op);
	if (!IS_ERR(t))
		wait_for_completion(&sc->entered);
	return t;
}

/* Let the call reach its sleep (the result does not depend on it). */
static void let_it_sleep(struct task_struct *t)
{
	for (int i = 0; i < 200 && (READ_ONCE(t->__state) & TASK_INTERRUPTIBLE) == 0; i++)
		msleep(1);
	msleep(5);
}

static int failures;

static void expect(const char *what, long got, long want)
{
	pr_info("%-48s %ld%s\n", what, got, got == want ? "" : "  <-- wrong");
	if (got != want)
		failures++;
}

int main(void)
{
	struct syscall sc;
	struct task_struct *t;

	/* "Open" the device from main, so that others wait for it. */
	expect("open()", dev_open(0), 0);
	expect("open(O_NONBLOCK) while open", dev_open(O_NONBLOCK), -EBUSY);

	t = start(&sc, OP_OPEN);
	if (IS_ERR(t))
		return 1;
	let_it_sleep(t);
	send_sig(SIGINT, t, 0);
	kthread_stop(t);
	expect("open() while open, interrupted", sc.ret, -EINTR);

	t = start(&sc, OP_OPEN);
	if (IS_ERR(t))
		return 1;
	let_it_sleep(t);
	dev_release();		/* the waiter gets the device */
	kthread_stop(t);
	expect("open() while open, then released", sc.ret, 0);

	/* read() sleeps for data; a write wakes it. */
	t = start(&sc, OP_READ);
	if (IS_ERR(t))
		return 1;
	let_it_sleep(t);
	expect("write(\"hello\")", dev_write("hello", 5), 5);
	kthread_stop(t);
	expect("read() after sleeping for data", sc.ret, 5);
	if (strcmp(sc.data, "hello"))
		failures++;

	/* read() with no data, interrupted: -ERESTARTSYS. */
	t = start(&sc, OP_READ);
	if (IS_ERR(t))
		return 1;
	let_it_sleep(t);
	send_sig(SIGINT, t, 0);
	kthread_stop(t);
	expect("read() waiting for data, interrupted", sc.ret, -ERESTARTSYS);

	/* read() while the buffer is locked, interrupted: -EINTR. */
	dev_write("x", 1);
	mutex_lock(&buf_lock);
	t = start(&sc, OP_READ);
	if (IS_ERR(t))
		return 1;
	let_it_sleep(t);
	send_sig(SIGINT, t, 0);
	kthread_stop(t);
	mutex_unlock(&buf_lock);
	expect("read() waiting for the buffer lock, interrupted", sc.ret, -EINTR);

	/* The data is still there; and a signal sent first ends the sleep at once. */
	t = start(&sc, OP_READ);
	if (IS_ERR(t))
		return 1;
	kthread_stop(t);
	expect("read() of what the interrupted read left", sc.ret, 1);
	send_sig(SIGINT, current, 0);
	expect("read() with a signal already pending", dev_read(sc.data, 1), -ERESTARTSYS);
	flush_signals(current);

	dev_release();	/* the opener in the second test */
	expect("open(O_NONBLOCK) after release", dev_open(O_NONBLOCK), 0);
	dev_release();
	pr_info("chardev read: %s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
