// SPDX-License-Identifier: MIT
/*
 * Kernel threads: created asleep, run once woken, stopped with the
 * function's result; signals and wake-ups reach them through their task.
 */
#include <errno.h>
#include <lksync/kthread.h>
#include <lksync/delay.h>
#include <lksync/smp_lock.h>
#include "lksync_test.h"

#ifdef LKSYNC_UP
#define SMP_BUILD	0
#else
#define SMP_BUILD	1
#endif

static int ran;

static int count_and_return(void *data)
{
	__atomic_add_fetch(&ran, 1, __ATOMIC_RELAXED);
	return (int)(long)data;
}

static int loop_until_stopped(void *data)
{
	int *iters = data;

	while (!kthread_should_stop()) {
		__atomic_add_fetch(iters, 1, __ATOMIC_RELAXED);
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 7;
}

TEST(create_run_stop)
{
	struct task_struct *k;
	int iters = 0;

	ran = 0;
	k = kthread_create(count_and_return, (void *)42L, "kt-%s-%d", "test", 1);
	CHECK(!IS_ERR(k));
	CHECK(!strcmp(k->comm, "kt-test-1"));
	CHECK(k->flags & PF_KTHREAD);
	CHECK(k->pid > 0 && k->pid != current->pid);
	CHECK_EQ(kthread_data(k), (void *)42L);
	msleep(20);
	CHECK_EQ(__atomic_load_n(&ran, __ATOMIC_RELAXED), 0);	/* asleep until woken */
	CHECK_EQ(wake_up_process(k), 1);
	msleep(20);
	CHECK_EQ(__atomic_load_n(&ran, __ATOMIC_RELAXED), 1);
	/* Returned on its own: still reaped by kthread_stop(), with its result. */
	CHECK_EQ(kthread_stop(k), 42);

	/* Never woken: the function never runs, kthread_stop() says -EINTR. */
	ran = 0;
	k = kthread_create(count_and_return, (void *)1L, "never");
	CHECK(!IS_ERR(k));
	CHECK_EQ(kthread_stop(k), -EINTR);
	CHECK_EQ(ran, 0);

	/* kthread_run: woken at once; kthread_should_stop() ends its loop. */
	k = kthread_run(loop_until_stopped, &iters, "looper");
	CHECK(!IS_ERR(k));
	while (!__atomic_load_n(&iters, __ATOMIC_RELAXED))
		msleep(1);
	wake_up_process(k);
	CHECK(!kthread_should_stop());	/* not a kthread: false */
	CHECK_EQ(kthread_stop(k), 7);
	CHECK(iters >= 1);
}

static int wait_signal(void *data)
{
	int *out = data;

	/* Sleep interruptibly until a signal comes (a wake-up alone does not end it). */
	while (!signal_pending(current) && !kthread_should_stop())
		schedule_timeout_interruptible(MAX_SCHEDULE_TIMEOUT);
	__atomic_store_n(out, signal_pending(current), __ATOMIC_RELEASE);
	flush_signals(current);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

TEST(signal_to_kthread)
{
	int got = -1;
	struct task_struct *k = kthread_run(wait_signal, &got, "sigwait");

	msleep(20);
	CHECK_EQ(send_sig(SIGTERM, k, 0), 0);
	for (int i = 0; i < 200 && __atomic_load_n(&got, __ATOMIC_RELAXED) < 0; i++)
		msleep(5);
	CHECK_EQ(__atomic_load_n(&got, __ATOMIC_ACQUIRE), 1);
	CHECK_EQ(kthread_stop(k), 0);
}

static int exiter(void *data)
{
	(void)data;
	kthread_exit(99);
}

static int stopper_started;

static int stopper_ret(void *data)
{
	(void)data;
	__atomic_add_fetch(&stopper_started, 1, __ATOMIC_RELEASE);
	while (!kthread_should_stop())
		msleep(1);
	return (int)(long)kthread_data(current);
}

TEST(exit_and_many)
{
	struct task_struct *k[16];

	k[0] = kthread_run(exiter, NULL, "exiter");
	msleep(10);
	CHECK_EQ(kthread_stop(k[0]), 99);
	for (long i = 0; i < 16; i++)
		k[i] = kthread_run(stopper_ret, (void *)i, "many%ld", i);
	while (__atomic_load_n(&stopper_started, __ATOMIC_ACQUIRE) < 16)
		msleep(1);
	for (long i = 0; i < 16; i++)
		CHECK_EQ(kthread_stop(k[i]), i);
}

TEST(stop_put)
{
	struct task_struct *k = kthread_create(stopper_ret, (void *)5L, "stopput");

	stopper_started = 0;
	get_task_struct(k);
	wake_up_process(k);
	/* Stopped before it ran, it would return -EINTR without running (the kernel's race too). */
	while (!__atomic_load_n(&stopper_started, __ATOMIC_ACQUIRE))
		msleep(1);
	CHECK_EQ(kthread_stop_put(k), 5);
}

static int bkl_started;

static int bkl_on_exit(void *data)
{
	(void)data;
	__atomic_store_n(&bkl_started, 1, __ATOMIC_RELEASE);
	while (!kthread_should_stop())
		msleep(1);
	lock_kernel();		/* needs the BKL its stopper holds */
	unlock_kernel();
	return 3;
}

/* kthread_stop() sleeps through schedule(), so a BKL holder releases it meanwhile. */
TEST(stop_with_bkl_held)
{
	struct task_struct *k = kthread_run(bkl_on_exit, NULL, "bklexit");

	while (!__atomic_load_n(&bkl_started, __ATOMIC_ACQUIRE))
		msleep(1);
	if (!SMP_BUILD) {	/* the BKL is bookkeeping in the uniprocessor build */
		CHECK_EQ(kthread_stop(k), 3);
		return;
	}
	lock_kernel();
	CHECK_EQ(kthread_stop(k), 3);
	CHECK(kernel_locked());
	unlock_kernel();
}

int main(void)
{
	test_watchdog(60);
	RUN(create_run_stop);
	RUN(signal_to_kthread);
	RUN(exit_and_many);
	RUN(stop_put);
	RUN(stop_with_bkl_held);
	return test_done();
}
