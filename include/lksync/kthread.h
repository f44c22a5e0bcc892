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
 *
 * Parking (kthread_park()/kthread_parkme()/kthread_unpark()) and the
 * kthread_worker API (a kthread that runs struct kthread_work items one at
 * a time, in queuing order) are the kernel's. CPUs given to the _on_cpu()
 * forms only name the thread: lksync does not pin threads (threads migrate;
 * see DESIGN.md); kthread_bind() pins for real.
 */
#ifndef LKSYNC_KTHREAD_H
#define LKSYNC_KTHREAD_H

#include <stdbool.h>
#include <string.h>
#include <lksync/sched.h>
#include <lksync/kernel.h>
#include <lksync/list.h>
#include <lksync/spinlock.h>
#include <lksync/timer.h>

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

/**
 * kthread_create_on_cpu - kthread_create() for a per-CPU thread.
 * @threadfn: the function to run.
 * @data: its argument.
 * @cpu: the CPU; it fills in @namefmt's one conversion ("name/%u").
 * @namefmt: the name's format, with exactly one %u for @cpu.
 * Unlike the kernel, the thread is not bound to @cpu (lksync does not pin
 * threads: @cpu is a hint); call kthread_bind() to pin it.
 * Context: task context; may sleep.
 * Return: the new (sleeping) task, or an ERR_PTR() as kthread_create().
 */
static inline struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data),
							void *data, unsigned int cpu,
							const char *namefmt)
{
	might_sleep();
	return lksync_kthread_create(threadfn, data, namefmt, cpu);
}

/**
 * kthread_run_on_cpu - kthread_create_on_cpu(), then wake the thread.
 * Context: task context; may sleep.
 * Return: the task, or an ERR_PTR() as kthread_create().
 */
static inline struct task_struct *kthread_run_on_cpu(int (*threadfn)(void *data),
						     void *data, unsigned int cpu,
						     const char *namefmt)
{
	struct task_struct *p = kthread_create_on_cpu(threadfn, data, cpu, namefmt);

	if (!IS_ERR(p))
		wake_up_process(p);
	return p;
}

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

/**
 * kthread_park - park @k: make it sleep in kthread_parkme() until kthread_unpark().
 * The thread must call kthread_should_park()/kthread_parkme() in its loop
 * (a thread not yet woken parks before its function runs). Waits until
 * the thread has parked, unless @k is the caller.
 * Context: task context; sleeps.
 * Return: 0 once parked; -ENOSYS (and a warning) if @k's function has
 * returned; -EBUSY (and a warning, once) if @k is already asked to park.
 */
LKSYNC_API int lksync_kthread_park(struct task_struct *k);
#define kthread_park(k)		lksync_kthread_park(k)

/**
 * kthread_unpark - let @k leave kthread_parkme(); nothing if it was not asked to park.
 * Context: any task context.
 * Return: nothing.
 */
LKSYNC_API void lksync_kthread_unpark(struct task_struct *k);
#define kthread_unpark(k)	lksync_kthread_unpark(k)

/**
 * kthread_should_park - has kthread_park() been called on this thread?
 * The thread should then call kthread_parkme() (after releasing what it holds).
 * Context: a kernel thread (false in any other task).
 * Return: true if it should park.
 */
LKSYNC_API bool lksync_kthread_should_park(void);
#define kthread_should_park()	lksync_kthread_should_park()

/**
 * kthread_parkme - sleep in TASK_PARKED while kthread_should_park(),
 * telling kthread_park() that the thread has parked. A wake_up_process()
 * does not end it: only kthread_unpark() (or kthread_stop()) does.
 * Context: a kernel thread; sleeps. Nothing if not asked to park.
 * Return: nothing.
 */
LKSYNC_API void lksync_kthread_parkme(void);
#define kthread_parkme()	lksync_kthread_parkme()

/*
 * kthread_worker: a kernel thread running kthread_worker_fn() executes the
 * struct kthread_work items queued on it, one at a time, in queuing order.
 * A work item is used with one worker only (reported otherwise).
 */
struct kthread_work;
typedef void (*kthread_work_func_t)(struct kthread_work *work);

/* kthread_worker flags: KTW_FREEZABLE is accepted (there is no freezer). */
enum {
	KTW_FREEZABLE		= 1 << 0,
};

/**
 * struct kthread_worker - a worker thread and its queue.
 * @flags: KTW_*.
 * @lock: protects the lists, @current_work and the items' @worker (raw, irqsave).
 * @work_list: items ready to run.
 * @delayed_work_list: delayed items whose timer is armed.
 * @task: the thread running kthread_worker_fn(), NULL before it starts or after it stops.
 * @current_work: the item being run, or NULL.
 */
struct kthread_worker {
	unsigned int		flags;
	raw_spinlock_t		lock;
	struct list_head	work_list;
	struct list_head	delayed_work_list;
	struct task_struct	*task;
	struct kthread_work	*current_work;
};

/**
 * struct kthread_work - a work item for a kthread_worker.
 * @node: link on the worker's lists; empty while not queued.
 * @func: the function the worker runs, with the item as argument.
 * @worker: the worker it was last queued on.
 * @canceling: cancelers at work: while non-zero, queuing it is refused.
 */
struct kthread_work {
	struct list_head	node;
	kthread_work_func_t	func;
	struct kthread_worker	*worker;
	int			canceling;
};

/**
 * struct kthread_delayed_work - a kthread_work queued when its timer expires.
 * @work: the item.
 * @timer: the timer (TIMER_IRQSAFE) that queues it.
 */
struct kthread_delayed_work {
	struct kthread_work	work;
	struct timer_list	timer;
};

/**
 * kthread_delayed_work_timer_fn - the timer callback of every
 * kthread_delayed_work: moves the item to its worker's work_list, unless a
 * canceler is at work.
 * Context: timer (softirq) context, interrupts disabled (TIMER_IRQSAFE).
 * Return: nothing.
 */
LKSYNC_API void lksync_kthread_delayed_work_timer_fn(struct timer_list *t);
#define kthread_delayed_work_timer_fn	lksync_kthread_delayed_work_timer_fn

#define KTHREAD_WORKER_INIT(worker) {						\
	.lock = __RAW_SPIN_LOCK_INITIALIZER_KEY((worker).lock, &(worker).lock),	\
	.work_list = LIST_HEAD_INIT((worker).work_list),			\
	.delayed_work_list = LIST_HEAD_INIT((worker).delayed_work_list),	\
}
#define KTHREAD_WORK_INIT(work, fn) {						\
	.node = LIST_HEAD_INIT((work).node),					\
	.func = (fn),								\
}
#define KTHREAD_DELAYED_WORK_INIT(dwork, fn) {					\
	.work = KTHREAD_WORK_INIT((dwork).work, (fn)),				\
	.timer = __TIMER_INITIALIZER(lksync_kthread_delayed_work_timer_fn,	\
				     TIMER_IRQSAFE),				\
}
/* DEFINE_KTHREAD_WORKER - define an initialized (not yet running) worker @worker. */
#define DEFINE_KTHREAD_WORKER(worker)						\
	struct kthread_worker worker = KTHREAD_WORKER_INIT(worker)
/* DEFINE_KTHREAD_WORK - define a work item @work running @fn. */
#define DEFINE_KTHREAD_WORK(work, fn)						\
	struct kthread_work work = KTHREAD_WORK_INIT(work, fn)
/* DEFINE_KTHREAD_DELAYED_WORK - define a delayed work item @dwork running @fn. */
#define DEFINE_KTHREAD_DELAYED_WORK(dwork, fn)					\
	struct kthread_delayed_work dwork = KTHREAD_DELAYED_WORK_INIT(dwork, fn)
#define DEFINE_KTHREAD_WORKER_ONSTACK(worker)	DEFINE_KTHREAD_WORKER(worker)

/**
 * kthread_init_worker - initialize @worker, to be run by kthread_worker_fn().
 * Context: any; @worker not in use.
 * Return: nothing.
 */
#define kthread_init_worker(worker) do {					\
	struct kthread_worker *__kw = (worker);					\
	memset(__kw, 0, sizeof(*__kw));						\
	raw_spin_lock_init(&__kw->lock);					\
	INIT_LIST_HEAD(&__kw->work_list);					\
	INIT_LIST_HEAD(&__kw->delayed_work_list);				\
} while (0)

/**
 * kthread_init_work - initialize @work to run @fn.
 * Context: any; @work not queued nor running.
 * Return: nothing.
 */
#define kthread_init_work(work, fn) do {					\
	memset((work), 0, sizeof(struct kthread_work));				\
	INIT_LIST_HEAD(&(work)->node);						\
	(work)->func = (fn);							\
} while (0)

/**
 * kthread_init_delayed_work - initialize the delayed item @dwork to run @fn.
 * Context: task context (its timer's first set-up starts the tick).
 * Return: nothing.
 */
#define kthread_init_delayed_work(dwork, fn) do {				\
	kthread_init_work(&(dwork)->work, (fn));				\
	timer_setup(&(dwork)->timer, lksync_kthread_delayed_work_timer_fn,	\
		    TIMER_IRQSAFE);						\
} while (0)

/**
 * kthread_worker_fn - the thread function of a kthread worker.
 * @worker_ptr: the struct kthread_worker, initialized; pass it as the
 *	kthread's data (kthread_run(kthread_worker_fn, &worker, ...)).
 * Runs queued items one by one until kthread_stop().
 * Context: a kernel thread.
 * Return: 0 once stopped.
 */
LKSYNC_API int lksync_kthread_worker_fn(void *worker_ptr);
#define kthread_worker_fn	lksync_kthread_worker_fn

LKSYNC_API struct kthread_worker *lksync_kthread_create_worker(int cpu, unsigned int flags,
							       const char *namefmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * kthread_create_worker - allocate a worker and create its thread, asleep.
 * @flags: KTW_*.
 * @namefmt: printf-style name of the thread, then its arguments.
 * As since Linux 6.14, the thread is not woken: the first queued item (or
 * kthread_run_worker(), or wake_up_process(worker->task)) starts it.
 * Context: task context; may sleep.
 * Return: the worker, or an ERR_PTR() (-ENOMEM, -EAGAIN).
 */
#define kthread_create_worker(flags, namefmt, ...) ({				\
	might_sleep();								\
	lksync_kthread_create_worker(-1, (flags), namefmt, ##__VA_ARGS__);	\
})
/* kthread_create_worker_on_node - kthread_create_worker(); @node is ignored. Return: as it. */
#define kthread_create_worker_on_node(flags, node, namefmt, ...)		\
	kthread_create_worker(flags, namefmt, ##__VA_ARGS__)

/**
 * kthread_run_worker - kthread_create_worker(), then wake its thread.
 * Context: task context; may sleep.
 * Return: the worker, or an ERR_PTR().
 */
#define kthread_run_worker(flags, namefmt, ...) ({				\
	struct kthread_worker *__kw =						\
		kthread_create_worker(flags, namefmt, ##__VA_ARGS__);		\
	if (!IS_ERR(__kw))							\
		wake_up_process(__kw->task);					\
	__kw;									\
})

/**
 * kthread_create_worker_on_cpu - kthread_create_worker() named for @cpu.
 * @namefmt: the name's format, with exactly one %u (or %d) for @cpu.
 * Not bound to @cpu (a hint: lksync does not pin threads).
 * Context: task context; may sleep.
 * Return: the worker, or an ERR_PTR().
 */
#define kthread_create_worker_on_cpu(cpu, flags, namefmt) ({			\
	might_sleep();								\
	lksync_kthread_create_worker((cpu), (flags), (namefmt), (cpu));		\
})
/* kthread_run_worker_on_cpu - kthread_create_worker_on_cpu(), woken. Return: as it. */
#define kthread_run_worker_on_cpu(cpu, flags, namefmt) ({			\
	struct kthread_worker *__kw =						\
		kthread_create_worker_on_cpu(cpu, flags, namefmt);		\
	if (!IS_ERR(__kw))							\
		wake_up_process(__kw->task);					\
	__kw;									\
})

/**
 * kthread_queue_work - queue @work on @worker.
 * Context: any, hard interrupt handlers included.
 * Return: true if queued; false if @work was already pending (queued, or
 * its delayed timer armed) or is being canceled.
 */
LKSYNC_API bool lksync_kthread_queue_work(struct kthread_worker *worker,
					  struct kthread_work *work);
#define kthread_queue_work(worker, work)	lksync_kthread_queue_work((worker), (work))

/**
 * kthread_queue_delayed_work - queue @dwork on @worker after @delay jiffies (now if 0).
 * Context: any, hard interrupt handlers included.
 * Return: true if queued; false if already pending or being canceled.
 */
LKSYNC_API bool lksync_kthread_queue_delayed_work(struct kthread_worker *worker,
						  struct kthread_delayed_work *dwork,
						  unsigned long delay);
#define kthread_queue_delayed_work(worker, dwork, delay)			\
	lksync_kthread_queue_delayed_work((worker), (dwork), (delay))

/**
 * kthread_mod_delayed_work - queue @dwork after @delay jiffies, or move
 * its pending timer to that; cancels a queued but not yet running @dwork
 * first.
 * Context: any, hard interrupt handlers included.
 * Return: false if @dwork was idle and has been queued; true if it was
 * pending (and has been modified), or is being canceled (left alone).
 */
LKSYNC_API bool lksync_kthread_mod_delayed_work(struct kthread_worker *worker,
						struct kthread_delayed_work *dwork,
						unsigned long delay);
#define kthread_mod_delayed_work(worker, dwork, delay)				\
	lksync_kthread_mod_delayed_work((worker), (dwork), (delay))

/**
 * kthread_flush_work - wait until @work, if queued or running, has run.
 * A delayed item whose timer is still armed is not waited for (the
 * kernel's waits forever there: its flusher is linked where no worker
 * looks); cancel it, or kthread_mod_delayed_work() it to 0, first.
 * Context: task context; sleeps. Not from @work itself.
 * Return: nothing.
 */
LKSYNC_API void lksync_kthread_flush_work(struct kthread_work *work);
#define kthread_flush_work(work)	lksync_kthread_flush_work(work)

/**
 * kthread_flush_worker - wait until every item queued on @worker before
 * the call has run.
 * Context: task context; sleeps. Not from an item of @worker.
 * Return: nothing.
 */
LKSYNC_API void lksync_kthread_flush_worker(struct kthread_worker *worker);
#define kthread_flush_worker(worker)	lksync_kthread_flush_worker(worker)

/**
 * kthread_cancel_work_sync - dequeue @work and wait for a running instance.
 * Works on an item that requeues itself (queuing is refused meanwhile).
 * Context: task context; sleeps.
 * Return: true if @work was pending.
 */
LKSYNC_API bool lksync_kthread_cancel_work_sync(struct kthread_work *work);
#define kthread_cancel_work_sync(work)	lksync_kthread_cancel_work_sync(work)

/**
 * kthread_cancel_delayed_work_sync - disarm @dwork's timer, dequeue it and
 * wait for a running instance.
 * Context: task context; sleeps.
 * Return: true if @dwork was pending.
 */
LKSYNC_API bool lksync_kthread_cancel_delayed_work_sync(struct kthread_delayed_work *dwork);
#define kthread_cancel_delayed_work_sync(dwork)				\
	lksync_kthread_cancel_delayed_work_sync(dwork)

/**
 * kthread_destroy_worker - flush @worker, stop its thread and free it.
 * For workers from kthread_create_worker() only; nothing may queue on it
 * meanwhile, and no delayed item may be armed.
 * Context: task context; sleeps.
 * Return: nothing.
 */
LKSYNC_API void lksync_kthread_destroy_worker(struct kthread_worker *worker);
#define kthread_destroy_worker(worker)	lksync_kthread_destroy_worker(worker)

#endif /* LKSYNC_KTHREAD_H */
