// SPDX-License-Identifier: MIT
/*
 * Layer: sched. Task creation on first use and release at thread exit.
 *
 * A thread's task is created the first time it asks for `current`. A
 * pthread key destructor drops the thread's own reference when it exits; the
 * task is freed when the last reference goes.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <lksync/sched.h>

__thread struct lksync_tls lksync_tls LKSYNC_TLS_MODEL;

static pthread_key_t task_key;
static pthread_once_t task_key_once = PTHREAD_ONCE_INIT;

static void task_exit(void *arg)
{
	struct task_struct *t = arg;

	__atomic_or_fetch(&t->flags, PF_EXITING, __ATOMIC_RELAXED);
	lksync_tls.task = NULL;
	lksync_put_task_struct(t);
}

static void task_key_create(void)
{
	if (pthread_key_create(&task_key, task_exit))
		abort();
}

struct task_struct *lksync_current_slow(void)
{
	struct task_struct *t = calloc(1, sizeof(*t));

	if (!t)
		abort();	/* as the kernel: no task, no progress */
	t->pid = (pid_t)gettid();
	t->tgid = getpid();
	if (prctl(PR_GET_NAME, t->comm) != 0)
		strcpy(t->comm, "task");
	t->comm[TASK_COMM_LEN - 1] = '\0';
	t->usage = 1;
	t->tls = &lksync_tls;
	pthread_once(&task_key_once, task_key_create);
	pthread_setspecific(task_key, t);
	lksync_tls.task = t;
	return t;
}

struct task_struct *lksync_get_task_struct(struct task_struct *t)
{
	/* Relaxed: taking a reference publishes nothing. */
	__atomic_add_fetch(&t->usage, 1, __ATOMIC_RELAXED);
	return t;
}

void lksync_put_task_struct(struct task_struct *t)
{
	/* Release on drop, acquire on the last one: all uses happen before free. */
	if (__atomic_sub_fetch(&t->usage, 1, __ATOMIC_ACQ_REL) == 0)
		free(t);
}
