// SPDX-License-Identifier: MIT
/*
 * Kernel threads: created asleep, run once woken, stopped with the
 * function's result; signals and wake-ups reach them through their task.
 */
#include <errno.h>
#include <lksync/kthread.h>
#include <lksync/delay.h>
#include <lksync/smp_lock.h>
#include <lksync/bug.h>
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

/* Parking: a thread that parks whenever asked, counting its passes. */
struct parker {
	int passes;
	int in_park;		/* set around kthread_parkme() */
	int saw_should_park;
};

static int park_loop(void *data)
{
	struct parker *p = data;

	while (!kthread_should_stop()) {
		if (kthread_should_park()) {
			__atomic_store_n(&p->saw_should_park, 1, __ATOMIC_RELAXED);
			__atomic_store_n(&p->in_park, 1, __ATOMIC_RELEASE);
			kthread_parkme();
			__atomic_store_n(&p->in_park, 0, __ATOMIC_RELEASE);
		}
		__atomic_add_fetch(&p->passes, 1, __ATOMIC_RELEASE);
		schedule_timeout_uninterruptible(1);
	}
	return 11;
}

static int passes_after(struct parker *p, int old)
{
	/* Wait (bounded) for the thread to make progress past @old. */
	for (int i = 0; i < 2000; i++) {
		int now = __atomic_load_n(&p->passes, __ATOMIC_ACQUIRE);

		if (now > old)
			return now;
		usleep(500);
	}
	return old;
}

TEST(park_unpark)
{
	struct parker p = { 0 };
	struct task_struct *k = kthread_run(park_loop, &p, "parker");
	int n, iters = (int)test_scale(300);

	CHECK(!IS_ERR(k));
	CHECK(!kthread_should_park());		/* not a kthread: false */
	n = passes_after(&p, 0);
	CHECK(n > 0);
	CHECK_EQ(kthread_park(k), 0);
	/* kthread_park() returned: the thread is in kthread_parkme(), and stays. */
	CHECK_EQ(__atomic_load_n(&p.in_park, __ATOMIC_ACQUIRE), 1);
	CHECK(p.saw_should_park);
	n = __atomic_load_n(&p.passes, __ATOMIC_ACQUIRE);
	CHECK_EQ(wake_up_process(k), 0);	/* TASK_PARKED: a normal wake-up does nothing */
	msleep(30);
	CHECK_EQ(__atomic_load_n(&p.passes, __ATOMIC_ACQUIRE), n);
	CHECK_EQ(__atomic_load_n(&p.in_park, __ATOMIC_ACQUIRE), 1);
	kthread_unpark(k);
	n = passes_after(&p, n);
	CHECK_EQ(__atomic_load_n(&p.in_park, __ATOMIC_ACQUIRE), 0);
	kthread_unpark(k);			/* not parked: nothing */

	/* Many rounds: no lost wake-up on either side. */
	for (int i = 0; i < iters; i++) {
		if (kthread_park(k) || !__atomic_load_n(&p.in_park, __ATOMIC_ACQUIRE)) {
			CHECK(0);
			break;
		}
		n = __atomic_load_n(&p.passes, __ATOMIC_ACQUIRE);
		kthread_unpark(k);
		if (passes_after(&p, n) == n) {
			CHECK(0);
			break;
		}
	}

	/* kthread_stop() of a parked thread unparks it and reaps it. */
	CHECK_EQ(kthread_park(k), 0);
	CHECK_EQ(kthread_stop(k), 11);
}

TEST(park_before_first_run)
{
	struct task_struct *k;

	ran = 0;
	k = kthread_create(count_and_return, (void *)8L, "parknew");
	CHECK(!IS_ERR(k));
	/* A thread never woken parks before its function runs. */
	CHECK_EQ(kthread_park(k), 0);
	msleep(20);
	CHECK_EQ(__atomic_load_n(&ran, __ATOMIC_RELAXED), 0);
	kthread_unpark(k);
	for (int i = 0; i < 2000 && !__atomic_load_n(&ran, __ATOMIC_RELAXED); i++)
		usleep(500);
	CHECK_EQ(__atomic_load_n(&ran, __ATOMIC_RELAXED), 1);
	CHECK_EQ(kthread_stop(k), 8);

	/* Created, parked, stopped: like the kernel, the function then runs once. */
	ran = 0;
	k = kthread_create(count_and_return, (void *)9L, "parkstop");
	CHECK_EQ(kthread_park(k), 0);
	CHECK_EQ(kthread_stop(k), 9);
	CHECK_EQ(ran, 1);
}

static int self_park(void *data)
{
	int *state = data;

	CHECK_EQ(kthread_park(current), 0);	/* itself: returns at once */
	CHECK(kthread_should_park());
	__atomic_store_n(state, 1, __ATOMIC_RELEASE);
	kthread_parkme();			/* sleeps until unparked */
	__atomic_store_n(state, 2, __ATOMIC_RELEASE);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

TEST(park_self_and_errors)
{
	int state = 0;
	struct task_struct *k = kthread_run(self_park, &state, "selfpark");

	for (int i = 0; i < 2000 && !__atomic_load_n(&state, __ATOMIC_ACQUIRE); i++)
		usleep(500);
	msleep(20);
	CHECK_EQ(__atomic_load_n(&state, __ATOMIC_ACQUIRE), 1);	/* parked */
	lksync_set_report_sink(test_report_sink, NULL);
	test_reports = 0;
	CHECK_EQ(kthread_park(k), -EBUSY);	/* already asked to park: warned */
	CHECK_EQ(test_reports, 1);
	kthread_unpark(k);
	for (int i = 0; i < 2000 && __atomic_load_n(&state, __ATOMIC_ACQUIRE) != 2; i++)
		usleep(500);
	CHECK_EQ(__atomic_load_n(&state, __ATOMIC_ACQUIRE), 2);
	CHECK_EQ(kthread_stop(k), 0);

	/* A thread whose function has returned cannot park: -ENOSYS. */
	k = kthread_run(count_and_return, (void *)3L, "parkexit");
	for (int i = 0; i < 100; i++)
		msleep(2);
	test_reports = 0;
	CHECK_EQ(kthread_park(k), -ENOSYS);
	CHECK_EQ(test_reports, 1);
	CHECK(strstr(test_last_report, "has exited") != NULL);
	lksync_set_report_sink(NULL, NULL);
	CHECK_EQ(kthread_stop(k), 3);
}

static int report_cpu(void *data)
{
	__atomic_store_n((int *)data, 1, __ATOMIC_RELEASE);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 4;
}

TEST(on_cpu)
{
	int started = 0;
	struct task_struct *k = kthread_create_on_cpu(report_cpu, &started, 1, "percpu/%u");

	CHECK(!IS_ERR(k));
	CHECK(!strcmp(k->comm, "percpu/1"));
	msleep(10);
	CHECK_EQ(__atomic_load_n(&started, __ATOMIC_ACQUIRE), 0);	/* created asleep */
	CHECK_EQ(kthread_stop(k), -EINTR);
	k = kthread_run_on_cpu(report_cpu, &started, 0, "runcpu/%u");
	CHECK(!IS_ERR(k));
	CHECK(!strcmp(k->comm, "runcpu/0"));
	for (int i = 0; i < 2000 && !__atomic_load_n(&started, __ATOMIC_ACQUIRE); i++)
		usleep(500);
	CHECK_EQ(__atomic_load_n(&started, __ATOMIC_ACQUIRE), 1);
	CHECK_EQ(kthread_stop(k), 4);
}

int main(void)
{
	test_watchdog(60);
	RUN(create_run_stop);
	RUN(signal_to_kthread);
	RUN(exit_and_many);
	RUN(stop_put);
	RUN(stop_with_bkl_held);
	RUN(park_unpark);
	RUN(park_before_first_run);
	RUN(park_self_and_errors);
	RUN(on_cpu);
	return test_done();
}
