// SPDX-License-Identifier: MIT
/* current, preempt_count, irq and bottom-half state of the task core. */
#include <stdint.h>
#include <sys/prctl.h>
#include <lksync/sched.h>
#include "lksync_test.h"

TEST(current_is_this_thread)
{
	struct task_struct *t = current;

	CHECK(t != NULL);
	CHECK(t == current);
	CHECK_EQ(t->pid, gettid());
	CHECK_EQ(t->tgid, getpid());
	CHECK(t->comm[0] != '\0');
}

static struct task_struct *seen[4];
static void named(int i, void *arg)
{
	char name[16];

	snprintf(name, sizeof(name), "worker-%d", i);
	prctl(PR_SET_NAME, name);
	seen[i] = get_task_struct(current);
	CHECK_EQ(seen[i]->pid, gettid());
	CHECK(strcmp(seen[i]->comm, name) == 0);
}

TEST(current_per_thread_and_refcounted)
{
	test_threads(4, named, NULL);
	for (int i = 0; i < 4; i++) {
		CHECK(seen[i] != current);
		for (int j = 0; j < i; j++)
			CHECK(seen[i] != seen[j]);
		/* The thread exited; our reference keeps the task readable. */
		CHECK(seen[i]->flags & PF_EXITING);
		put_task_struct(seen[i]);
	}
}

/* A destructor that runs after lksync's own: current still works, no leak. */
static pthread_key_t late_key;
static int late_rounds, late_ok;

static void late_destructor(void *arg)
{
	struct task_struct *t = current;
	/* Exiting, unless this thread's first task is being created right now. */
	int fresh = arg == (void *)1;
	int ok = t && t->pid == gettid() && t->comm[0] && (fresh || (t->flags & PF_EXITING));

	get_task_struct(t);
	preempt_disable();
	ok = ok && in_atomic();
	preempt_enable();
	put_task_struct(t);
	ok = ok && current == t;
	__atomic_fetch_add(&late_ok, ok, __ATOMIC_RELAXED);
	if (__atomic_add_fetch(&late_rounds, 1, __ATOMIC_RELAXED) % 2)
		pthread_setspecific(late_key, (void *)3);	/* ask for another round */
}

static void uses_task_then_exits(int i, void *arg)
{
	if (i % 2)
		(void)current;	/* half of them create the task before exit */
	pthread_setspecific(late_key, (void *)(uintptr_t)(1 + i % 2));
}

TEST(current_after_teardown)
{
	(void)current;	/* lksync's key exists first, so its destructor runs first */
	CHECK_EQ(pthread_key_create(&late_key, late_destructor), 0);
	test_threads(8, uses_task_then_exits, NULL);
	CHECK_EQ(late_rounds, 16);
	CHECK_EQ(late_ok, 16);
	pthread_key_delete(late_key);
}

static void churn(int i, void *arg)
{
	struct task_struct *t = current;

	CHECK_EQ(t->usage, 1);
	CHECK(t->tls == &lksync_tls);
	CHECK(!(t->flags & PF_EXITING));
}

/* Thousands of short threads: tasks are freed (ASan's leak check sees it). */
TEST(task_churn)
{
	for (int i = 0; i < test_scale(200); i++)
		test_threads(8, churn, NULL);
}

int main(void)
{
	test_watchdog(60);
	RUN(current_is_this_thread);
	RUN(current_per_thread_and_refcounted);
	RUN(current_after_teardown);
	RUN(task_churn);
	return test_done();
}
