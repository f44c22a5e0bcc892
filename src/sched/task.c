// SPDX-License-Identifier: MIT
/*
 * Layer: sched. Task creation on first use and release at thread exit.
 *
 * A thread's task is created the first time it asks for `current`. A
 * pthread key destructor drops the thread's own reference when it exits; the
 * task is freed when the last reference goes.
 *
 * Code that runs after that destructor on the same thread (another key's
 * destructor in the same or a later round) still gets a task: a stand-in
 * kept in the thread's own TLS, marked PF_EXITING, never freed and never
 * allocated, so nothing leaks however late the call comes. Its references
 * are counted but never free it; it vanishes with the thread.
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

/* After the key destructor ran: the stand-in task (see above). */
static __thread struct task_struct exit_task LKSYNC_TLS_MODEL;
static __thread int task_torn_down LKSYNC_TLS_MODEL;
#define TASK_USAGE_PINNED	(1u << 30)	/* never reaches zero */

static void task_init(struct task_struct *t)
{
	t->pid = (pid_t)gettid();
	t->tgid = getpid();
	if (prctl(PR_GET_NAME, t->comm) != 0)
		strcpy(t->comm, "task");
	t->comm[TASK_COMM_LEN - 1] = '\0';
	t->tls = &lksync_tls;
	t->lock_depth = -1;
}

static void task_exit(void *arg)
{
	struct task_struct *t = arg;

	__atomic_or_fetch(&t->flags, PF_EXITING, __ATOMIC_RELAXED);
	task_torn_down = 1;
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
	struct task_struct *t;

	if (task_torn_down) {
		t = &exit_task;
		task_init(t);
		t->usage = TASK_USAGE_PINNED;
		t->flags = PF_EXITING;
		lksync_tls.task = t;
		return t;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		abort();	/* as the kernel: no task, no progress */
	task_init(t);
	t->usage = 1;
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
