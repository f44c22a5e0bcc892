/* SPDX-License-Identifier: MIT */
/*
 * Layer: context. Kernel threads, as linux/kthread.h: a thread created
 * asleep (TASK_UNINTERRUPTIBLE) that runs its function once woken
 * (kthread_run() does both), polls kthread_should_stop(), and is reaped by
 * kthread_stop(), which returns the function's result.
 *
 * A kthread whose function returns on its own stays a zombie, its
 * task_struct valid, until kthread_stop() reaps it; the kernel requires a
 * get_task_struct() for that case, lksync does not.
 */
#ifndef LKSYNC_KTHREAD_H
#define LKSYNC_KTHREAD_H

#include <stdbool.h>
#include <lksync/sched.h>
#include <lksync/kernel.h>

LKSYNC_API struct task_struct *lksync_kthread_create(int (*threadfn)(void *data), void *data,
						     const char *namefmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * kthread_create - create a kernel thread, asleep until wake_up_process().
 * @threadfn: the function to run; its return value is kthread_stop()'s.
 * @data: its argument.
 * @namefmt: printf-style name (the thread's comm, at most 15 characters).
 * Context: task context; may sleep.
 * Return: the new task, or ERR_PTR(-ENOMEM) / ERR_PTR(-EAGAIN) on failure.
 */
#define kthread_create(threadfn, data, namefmt, ...) ({			\
	might_sleep();								\
	lksync_kthread_create((threadfn), (data), namefmt, ##__VA_ARGS__);	\
})

/* kthread_create_on_node - kthread_create(); @node (NUMA) is ignored. */
#define kthread_create_on_node(threadfn, data, node, namefmt, ...)		\
	kthread_create(threadfn, data, namefmt, ##__VA_ARGS__)

/**
 * kthread_run - create and wake a kernel thread.
 * Context: task context; may sleep.
 * Return: the task, or an ERR_PTR() as kthread_create().
 */
#define kthread_run(threadfn, data, namefmt, ...) ({				\
	struct task_struct *__k =						\
		kthread_create(threadfn, data, namefmt, ##__VA_ARGS__);		\
	if (!IS_ERR(__k))							\
		wake_up_process(__k);						\
	__k;									\
})

/**
 * kthread_stop - ask @k to stop, wake it, wait for it to exit, reap it.
 * If @k was never woken, its function never runs.
 * Context: task context; sleeps.
 * Return: the thread function's result; -EINTR if it never ran.
 */
LKSYNC_API int lksync_kthread_stop(struct task_struct *k);
#define kthread_stop(k)		lksync_kthread_stop(k)

/* kthread_stop_put - kthread_stop() and drop a reference taken by the caller. */
static inline int kthread_stop_put(struct task_struct *k)
{
	int ret = kthread_stop(k);

	put_task_struct(k);
	return ret;
}

/**
 * kthread_should_stop - has kthread_stop() been called on this thread?
 * Context: a kernel thread (false in any other task).
 * Return: true once it has.
 */
LKSYNC_API bool lksync_kthread_should_stop(void);
#define kthread_should_stop()	lksync_kthread_should_stop()

/**
 * kthread_exit - end the calling kernel thread now, with @result for kthread_stop().
 * Context: a kernel thread. Does not return.
 */
LKSYNC_API __attribute__((noreturn)) void lksync_kthread_exit(long result);
#define kthread_exit(result)	lksync_kthread_exit(result)

/**
 * kthread_bind - restrict the not yet woken thread @k to CPU @cpu.
 * Context: task context.
 */
LKSYNC_API void lksync_kthread_bind(struct task_struct *k, unsigned int cpu);
#define kthread_bind(k, cpu)	lksync_kthread_bind((k), (cpu))

/* kthread_data - the @data argument @k was created with. Return: it, or NULL. */
LKSYNC_API void *lksync_kthread_data(struct task_struct *k);
#define kthread_data(k)		lksync_kthread_data(k)

#endif /* LKSYNC_KTHREAD_H */
