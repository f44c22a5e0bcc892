// SPDX-License-Identifier: MIT
/* current, preempt_count, irq and bottom-half state of the task core. */
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

int main(void)
{
	test_watchdog(60);
	RUN(current_is_this_thread);
	RUN(current_per_thread_and_refcounted);
	return test_done();
}
