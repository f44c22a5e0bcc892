// SPDX-License-Identifier: MIT
/*
 * Layer: context. Kernel threads on pthreads. The creator waits until the new
 * thread has its task and is asleep in TASK_UNINTERRUPTIBLE, so the returned
 * task is ready for wake_up_process(). kthread_stop() sets the stop flag,
 * wakes the thread, waits for it to exit and joins it; a reference taken at
 * creation keeps the task_struct valid until then.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <lksync/kthread.h>
#include <lksync/bug.h>
#include "arch/futex.h"

#define KTHREAD_SHOULD_STOP	0x1u

struct kthread {
	int (*threadfn)(void *data);
	void *data;
	char comm[TASK_COMM_LEN];
	unsigned int flags;		/* KTHREAD_SHOULD_STOP */
	u32 ready;			/* futex: the task exists and sleeps */
	u32 exited;			/* the function has returned */
	struct task_struct *stopper;	/* in kthread_stop(), to be woken at exit */
	long result;
	pthread_t thread;
	struct task_struct *task;
};

static void kthread_finish(struct kthread *kt, long result)
{
	struct task_struct *stopper;

	kt->result = result;
	/*
	 * Sequentially consistent store and load: either kthread_stop() sees
	 * exited, or we see its stopper and wake it (its task lives: it is
	 * running kthread_stop()).
	 */
	__atomic_store_n(&kt->exited, 1, __ATOMIC_SEQ_CST);
	stopper = __atomic_load_n(&kt->stopper, __ATOMIC_SEQ_CST);
	if (stopper)
		wake_up_process(stopper);
}

static void *kthread_main(void *arg)
{
	struct kthread *kt = arg;
	struct task_struct *t = current;
	long ret = -EINTR;

	prctl(PR_SET_NAME, kt->comm);
	snprintf(t->comm, sizeof(t->comm), "%s", kt->comm);
	__atomic_or_fetch(&t->flags, PF_KTHREAD, __ATOMIC_RELAXED);
	t->kthread = kt;
	kt->task = get_task_struct(t);	/* kthread_stop() drops it */
	__set_current_state(TASK_UNINTERRUPTIBLE);
	/* Release: the creator sees the task, and the state, once ready is set. */
	__atomic_store_n(&kt->ready, 1, __ATOMIC_RELEASE);
	lksync_futex_wake(&kt->ready, 1);
	schedule();
	if (!(__atomic_load_n(&kt->flags, __ATOMIC_ACQUIRE) & KTHREAD_SHOULD_STOP))
		ret = kt->threadfn(kt->data);
	kthread_finish(kt, ret);
	return NULL;
}

struct task_struct *lksync_kthread_create(int (*threadfn)(void *data), void *data,
					  const char *namefmt, ...)
{
	struct kthread *kt;
	va_list ap;
	int err;

	/*
	 * No might_sleep() here: kthread_create() has it (kthread.h). The
	 * context layer starts its own threads (ksoftirqd) lazily from any
	 * task context, interrupts masked included, calling this directly.
	 */
	kt = calloc(1, sizeof(*kt));
	if (!kt)
		return ERR_PTR(-ENOMEM);
	kt->threadfn = threadfn;
	kt->data = data;
	va_start(ap, namefmt);
	vsnprintf(kt->comm, sizeof(kt->comm), namefmt, ap);
	va_end(ap);
	err = pthread_create(&kt->thread, NULL, kthread_main, kt);
	if (err) {
		free(kt);
		return ERR_PTR(err == EAGAIN ? -EAGAIN : -ENOMEM);
	}
	while (!__atomic_load_n(&kt->ready, __ATOMIC_ACQUIRE))
		lksync_futex_wait(&kt->ready, 0, NULL);
	return kt->task;
}

static struct kthread *to_kthread(struct task_struct *k)
{
	struct kthread *kt = k->kthread;

	WARN(!kt, "%s/%d is not a kthread\n", k->comm, k->pid);
	return kt;
}

int lksync_kthread_stop(struct task_struct *k)
{
	struct kthread *kt;
	long ret;

	might_sleep();
	kt = to_kthread(k);
	if (!kt)
		return -EINVAL;
	__atomic_store_n(&kt->stopper, current, __ATOMIC_SEQ_CST);
	/* Release: pairs with kthread_should_stop()'s acquire. */
	__atomic_or_fetch(&kt->flags, KTHREAD_SHOULD_STOP, __ATOMIC_RELEASE);
	wake_up_process(k);
	/*
	 * Sleep through schedule(), as the kernel's kthread_stop() does, so a
	 * caller holding the Big Kernel Lock releases it while it waits (the
	 * thread may need it to finish).
	 */
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (__atomic_load_n(&kt->exited, __ATOMIC_SEQ_CST))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	pthread_join(kt->thread, NULL);	/* it has finished: at most its exit is left */
	ret = kt->result;
	k->kthread = NULL;
	free(kt);
	put_task_struct(k);
	return (int)ret;
}

bool lksync_kthread_should_stop(void)
{
	struct kthread *kt = current->kthread;

	return kt && (__atomic_load_n(&kt->flags, __ATOMIC_ACQUIRE) & KTHREAD_SHOULD_STOP);
}

void lksync_kthread_exit(long result)
{
	struct kthread *kt = current->kthread;

	if (WARN(!kt, "kthread_exit() outside a kthread\n"))
		pthread_exit(NULL);
	kthread_finish(kt, result);
	pthread_exit(NULL);
}

void lksync_kthread_bind(struct task_struct *k, unsigned int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(k->pid, sizeof(set), &set))
		WARN(1, "kthread_bind: CPU %u unavailable\n", cpu);
}

void *lksync_kthread_data(struct task_struct *k)
{
	return k->kthread ? k->kthread->data : NULL;
}
