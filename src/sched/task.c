// SPDX-License-Identifier: MIT
/*
 * Layer: sched. Task creation on first use and release at thread exit.
 *
 * A thread's task is created the first time it asks for `current`. A
 * pthread key destructor drops the thread's own reference when it exits; the
 * task is freed when the last reference goes.
 *
 * Task structs are type-stable, as the kernel's SLAB_TYPESAFE_BY_RCU caches:
 * the last put_task_struct() pushes the task onto a free list (one
 * compare-and-exchange: async-signal-safe, since complete() or up() in an
 * interrupt handler may drop the last reference) and a new thread reuses it;
 * the memory never goes back to malloc. A stale pointer thus still reads a
 * task: a waker's late wake-up is at worst a spurious one, which every wait
 * loop tolerates, and optimistic spinning may look at whether a possibly
 * departed lock owner is parked (the kernel does that under RCU).
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
#include <lksync/lockdep.h>
#include "sched/sched.h"

__thread struct lksync_tls lksync_tls LKSYNC_TLS_MODEL;

static pthread_key_t task_key;
static pthread_once_t task_key_once = PTHREAD_ONCE_INIT;

/* After the key destructor ran: the stand-in task (see above). */
static __thread struct task_struct exit_task LKSYNC_TLS_MODEL;
static __thread int task_torn_down LKSYNC_TLS_MODEL;
#define TASK_USAGE_PINNED	(1u << 30)	/* never reaches zero */

/* Free tasks: pushed lock-free, popped by one thread at a time (no ABA). */
static struct task_struct *free_tasks;
static pthread_mutex_t free_pop_lock = PTHREAD_MUTEX_INITIALIZER;

static struct task_struct *task_alloc(void)
{
	struct task_struct *t, *next;

	pthread_mutex_lock(&free_pop_lock);
	/* Acquire: the previous owner's last writes happen before our reuse. */
	t = __atomic_load_n(&free_tasks, __ATOMIC_ACQUIRE);
	do {
		if (!t)
			break;
		next = t->sched_private;
	} while (!__atomic_compare_exchange_n(&free_tasks, &t, next, 0,
					      __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE));
	pthread_mutex_unlock(&free_pop_lock);
	if (!t) {
		/*
		 * Zero all but __state plainly, __state with an atomic store:
		 * optimistic spinners read a lock owner's state with no
		 * ordering against its creation (sched.h: lksync_task_parked()).
		 */
		t = malloc(sizeof(*t));
		if (!t)
			return NULL;
		__atomic_store_n(&t->__state, TASK_RUNNING, __ATOMIC_RELAXED);
		memset((char *)t + sizeof(t->__state), 0, sizeof(*t) - sizeof(t->__state));
		lksync_tsan_task_release(t);
		return t;
	}
	/* Stale wakers may still compare-and-exchange __state: reset it atomically. */
	__atomic_store_n(&t->__state, TASK_RUNNING, __ATOMIC_RELAXED);
	t->usage = 0;
	t->flags = 0;
	t->sigpending = 0;
	t->sigignored = 0;
	t->kthread = NULL;
	t->sched_private = NULL;
	memset(t->context_private, 0, sizeof(t->context_private));
	return t;
}

static void task_free(struct task_struct *t)
{
	struct task_struct *head = __atomic_load_n(&free_tasks, __ATOMIC_RELAXED);

	do {
		t->sched_private = head;
		/* Release: our uses of the task happen before its reuse. */
	} while (!__atomic_compare_exchange_n(&free_tasks, &head, t, 0,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
}

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

void (*lksync_context_task_exit)(struct task_struct *t);

static void task_exit(void *arg)
{
	struct task_struct *t = arg;
	void (*context_exit)(struct task_struct *) =
		__atomic_load_n(&lksync_context_task_exit, __ATOMIC_ACQUIRE);

	/*
	 * Debug flavor: a thread that ends holding a lock is reported by
	 * lockdep ("WARNING: comm/pid still has locks held!"), as the
	 * kernel's do_exit() does; a held mutex is one of those locks, which
	 * covers DEBUG_MUTEXES' "lock held at task exit time" too. Checked
	 * first, while the task is still fully itself.
	 */
	debug_check_no_locks_held();
	if (context_exit)
		context_exit(t);
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
	t = task_alloc();
	if (!t)
		abort();	/* as the kernel: no task, no progress */
	task_init(t);
	t->usage = 1;
	pthread_once(&task_key_once, task_key_create);
	pthread_setspecific(task_key, t);
	lksync_tls.task = t;
#ifdef LKSYNC_TSAN
	/* Before any interrupt can target the task: see src/lib/tsan.c. */
	lksync_tsan_signal_prime();
#endif
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
	/* Release on drop, acquire on the last one: all uses happen before reuse. */
	if (__atomic_sub_fetch(&t->usage, 1, __ATOMIC_ACQ_REL) == 0)
		task_free(t);
}
