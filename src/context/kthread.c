// SPDX-License-Identifier: MIT
/*
 * Layer: context. Kernel threads on pthreads. The creator waits until the new
 * thread has its task and is asleep in TASK_UNINTERRUPTIBLE, so the returned
 * task is ready for wake_up_process(). kthread_stop() sets the stop flag,
 * wakes the thread, waits for it to exit and joins it; a reference taken at
 * creation keeps the task_struct valid until then.
 *
 * Parking: kthread_park() sets SHOULD_PARK and wakes the thread, which
 * sleeps in TASK_PARKED inside kthread_parkme() (a state wake_up_process()
 * does not end) after completing kt->parked; kthread_unpark() clears the
 * bit and wakes TASK_PARKED. Both sides follow the classic order (publish
 * the bit, then wake; set the state, then test the bit), whose full
 * barriers leave no lost wake-up.
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
#include <lksync/completion.h>
#include "arch/futex.h"
#include "locking/wait_lock.h"	/* worker->lock excludes for real in the UP build too */

#define KTHREAD_SHOULD_STOP	0x1u
#define KTHREAD_SHOULD_PARK	0x2u

struct kthread {
	int (*threadfn)(void *data);
	void *data;
	char comm[TASK_COMM_LEN];
	unsigned int flags;		/* KTHREAD_SHOULD_STOP, KTHREAD_SHOULD_PARK */
	struct completion parked;	/* completed by the thread as it parks */
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
	if (!(__atomic_load_n(&kt->flags, __ATOMIC_ACQUIRE) & KTHREAD_SHOULD_STOP)) {
		/* Parked before it ever ran (kthread_park() of a new thread): wait here. */
		lksync_kthread_parkme();
		ret = kt->threadfn(kt->data);
	}
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
	init_completion(&kt->parked);
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
	kthread_unpark(k);	/* a parked thread leaves kthread_parkme() to see the stop */
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

static bool kthread_flag(struct kthread *kt, unsigned int bit)
{
	/* Acquire: pairs with the release (or stronger) that set @bit. */
	return __atomic_load_n(&kt->flags, __ATOMIC_ACQUIRE) & bit;
}

int lksync_kthread_park(struct task_struct *k)
{
	struct kthread *kt = to_kthread(k);

	if (!kt)
		return -EINVAL;
	if (WARN(__atomic_load_n(&kt->exited, __ATOMIC_SEQ_CST),
		 "kthread_park: %s/%d has exited\n", k->comm, k->pid))
		return -ENOSYS;
	if (WARN_ON_ONCE(kthread_flag(kt, KTHREAD_SHOULD_PARK)))
		return -EBUSY;
	/* Only this function sets the bit, so parked has no stale completion. */
	reinit_completion(&kt->parked);
	/* Sequentially consistent: ordered before wake_up_process()'s state read. */
	__atomic_or_fetch(&kt->flags, KTHREAD_SHOULD_PARK, __ATOMIC_SEQ_CST);
	if (k != current) {
		wake_up_process(k);
		wait_for_completion(&kt->parked);
	}
	return 0;
}

void lksync_kthread_unpark(struct task_struct *k)
{
	struct kthread *kt = to_kthread(k);

	if (!kt || !kthread_flag(kt, KTHREAD_SHOULD_PARK))
		return;
	/*
	 * Sequentially consistent, then wake_up_state()'s full barrier: the
	 * parker either sees the bit clear after setting TASK_PARKED, or is
	 * in TASK_PARKED when we read its state, and is woken.
	 */
	__atomic_and_fetch(&kt->flags, ~KTHREAD_SHOULD_PARK, __ATOMIC_SEQ_CST);
	wake_up_state(k, TASK_PARKED);
}

bool lksync_kthread_should_park(void)
{
	struct kthread *kt = current->kthread;

	return kt && kthread_flag(kt, KTHREAD_SHOULD_PARK);
}

void lksync_kthread_parkme(void)
{
	struct kthread *kt = current->kthread;

	if (WARN_ONCE(!kt, "kthread_parkme() outside a kthread\n"))
		return;
	for (;;) {
		set_current_state(TASK_PARKED);	/* full barrier before the test */
		if (!kthread_flag(kt, KTHREAD_SHOULD_PARK))
			break;
		/*
		 * Completed on every pass: a spurious return from schedule()
		 * completes again, which only a later kthread_park()'s
		 * reinit_completion() clears.
		 */
		complete(&kt->parked);
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

/*
 * kthread_worker. worker->lock (raw, interrupts saved: items are queued from
 * hard interrupt handlers and timer callbacks) protects both lists,
 * current_work, and each item's node, worker and canceling. An item is
 * pending while its node is on a list: work_list (ready) or
 * delayed_work_list (its timer armed).
 */
struct kthread_flush_work {
	struct kthread_work work;
	struct completion done;
};

static void kthread_flush_work_fn(struct kthread_work *work)
{
	struct kthread_flush_work *fwork = container_of(work, struct kthread_flush_work, work);

	complete(&fwork->done);
}

int lksync_kthread_worker_fn(void *worker_ptr)
{
	struct kthread_worker *worker = worker_ptr;
	struct kthread_work *work;

	raw_spin_lock_irq(&worker->lock);
	WARN_ON(worker->task && worker->task != current);
	worker->task = current;
	raw_spin_unlock_irq(&worker->lock);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);	/* before looking for work */
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			raw_spin_lock_irq(&worker->lock);
			worker->task = NULL;
			raw_spin_unlock_irq(&worker->lock);
			return 0;
		}
		raw_spin_lock_irq(&worker->lock);
		work = list_first_entry_or_null(&worker->work_list, struct kthread_work, node);
		if (work)
			list_del_init(&work->node);
		worker->current_work = work;
		raw_spin_unlock_irq(&worker->lock);
		if (work) {
			__set_current_state(TASK_RUNNING);
			work->func(work);
		} else {
			schedule();
		}
		cond_resched();
	}
}

struct kthread_worker *lksync_kthread_create_worker(int cpu, unsigned int flags,
						    const char *namefmt, ...)
{
	struct kthread_worker *worker;
	struct task_struct *task;
	char name[TASK_COMM_LEN];
	va_list ap;

	(void)cpu;		/* a hint: threads are not pinned */
	worker = malloc(sizeof(*worker));
	if (!worker)
		return ERR_PTR(-ENOMEM);
	kthread_init_worker(worker);
	worker->flags = flags;
	va_start(ap, namefmt);
	vsnprintf(name, sizeof(name), namefmt, ap);
	va_end(ap);
	task = lksync_kthread_create(lksync_kthread_worker_fn, worker, "%s", name);
	if (IS_ERR(task)) {
		free(worker);
		return ERR_CAST(task);
	}
	/* The thread sleeps until woken: it cannot look at task yet. */
	raw_spin_lock_irq(&worker->lock);
	worker->task = task;
	raw_spin_unlock_irq(&worker->lock);
	return worker;
}

/* Must not be queued nor pending; used with one worker only. Lock held. */
static void kthread_insert_work_sanity_check(struct kthread_worker *worker,
					     struct kthread_work *work)
{
	WARN_ON_ONCE(!list_empty(&work->node));
	WARN_ON_ONCE(work->worker && work->worker != worker);
}

/* Queue @work before @pos and wake the worker if it idles. Lock held. */
static void kthread_insert_work(struct kthread_worker *worker, struct kthread_work *work,
				struct list_head *pos)
{
	kthread_insert_work_sanity_check(worker, work);
	list_add_tail(&work->node, pos);
	WRITE_ONCE(work->worker, worker);	/* read lock-free by kthread_flush_work() */
	if (!worker->current_work && likely(worker->task))
		wake_up_process(worker->task);
}

static bool queuing_blocked(struct kthread_work *work)
{
	return !list_empty(&work->node) || work->canceling;
}

bool lksync_kthread_queue_work(struct kthread_worker *worker, struct kthread_work *work)
{
	unsigned long flags;
	bool ret = false;

	raw_spin_lock_irqsave(&worker->lock, flags);
	if (!queuing_blocked(work)) {
		kthread_insert_work(worker, work, &worker->work_list);
		ret = true;
	}
	raw_spin_unlock_irqrestore(&worker->lock, flags);
	return ret;
}

void lksync_kthread_delayed_work_timer_fn(struct timer_list *t)
{
	struct kthread_delayed_work *dwork = from_timer(dwork, t, timer);
	struct kthread_work *work = &dwork->work;
	struct kthread_worker *worker = READ_ONCE(work->worker);
	unsigned long flags;

	if (WARN_ON_ONCE(!worker))
		return;
	raw_spin_lock_irqsave(&worker->lock, flags);
	WARN_ON_ONCE(work->worker != worker);
	WARN_ON_ONCE(list_empty(&work->node));
	list_del_init(&work->node);
	/* A canceler waits for this callback and wants the item idle. */
	if (!work->canceling)
		kthread_insert_work(worker, work, &worker->work_list);
	raw_spin_unlock_irqrestore(&worker->lock, flags);
}

/* Queue @dwork now, or put it on delayed_work_list and arm its timer. Lock held. */
static void __kthread_queue_delayed_work(struct kthread_worker *worker,
					 struct kthread_delayed_work *dwork,
					 unsigned long delay)
{
	struct kthread_work *work = &dwork->work;
	struct timer_list *timer = &dwork->timer;

	WARN_ON_ONCE(timer->function != lksync_kthread_delayed_work_timer_fn);
	if (!delay) {
		kthread_insert_work(worker, work, &worker->work_list);
		return;
	}
	kthread_insert_work_sanity_check(worker, work);
	list_add(&work->node, &worker->delayed_work_list);
	WRITE_ONCE(work->worker, worker);
	timer->expires = jiffies + delay;
	add_timer(timer);
}

bool lksync_kthread_queue_delayed_work(struct kthread_worker *worker,
				       struct kthread_delayed_work *dwork,
				       unsigned long delay)
{
	unsigned long flags;
	bool ret = false;

	raw_spin_lock_irqsave(&worker->lock, flags);
	if (!queuing_blocked(&dwork->work)) {
		__kthread_queue_delayed_work(worker, dwork, delay);
		ret = true;
	}
	raw_spin_unlock_irqrestore(&worker->lock, flags);
	return ret;
}

/*
 * Is @work a delayed item whose timer is still armed (on delayed_work_list)?
 * The kernel links the flusher after it there, where no worker ever runs
 * it, and waits forever; lksync does not wait for an armed item. Lock held.
 */
static bool kthread_work_armed(struct kthread_worker *worker, struct kthread_work *work)
{
	struct kthread_work *pos;

	list_for_each_entry(pos, &worker->delayed_work_list, node)
		if (pos == work)
			return true;
	return false;
}

void lksync_kthread_flush_work(struct kthread_work *work)
{
	struct kthread_flush_work fwork = {
		.work = KTHREAD_WORK_INIT(fwork.work, kthread_flush_work_fn),
	};
	struct kthread_worker *worker;
	bool noop = false;

	might_sleep();
	worker = READ_ONCE(work->worker);
	if (!worker)
		return;
	init_completion(&fwork.done);
	raw_spin_lock_irq(&worker->lock);
	WARN_ON_ONCE(work->worker != worker);
	if (kthread_work_armed(worker, work))
		noop = true;
	else if (!list_empty(&work->node))	/* queued: run right after it */
		kthread_insert_work(worker, &fwork.work, work->node.next);
	else if (worker->current_work == work)	/* running: run next */
		kthread_insert_work(worker, &fwork.work, worker->work_list.next);
	else
		noop = true;
	raw_spin_unlock_irq(&worker->lock);
	if (!noop)
		wait_for_completion(&fwork.done);
}

void lksync_kthread_flush_worker(struct kthread_worker *worker)
{
	struct kthread_flush_work fwork = {
		.work = KTHREAD_WORK_INIT(fwork.work, kthread_flush_work_fn),
	};

	might_sleep();
	init_completion(&fwork.done);
	kthread_queue_work(worker, &fwork.work);
	wait_for_completion(&fwork.done);
}

/*
 * Disarm a delayed item's timer. The timer callback takes worker->lock, so
 * drop it around timer_delete_sync(); canceling keeps queuers (and the
 * callback) off the item meanwhile. Lock held on entry and return.
 */
static void kthread_cancel_delayed_work_timer(struct kthread_work *work, unsigned long *flags)
{
	struct kthread_delayed_work *dwork = container_of(work, struct kthread_delayed_work, work);
	struct kthread_worker *worker = work->worker;

	work->canceling++;
	raw_spin_unlock_irqrestore(&worker->lock, *flags);
	timer_delete_sync(&dwork->timer);
	raw_spin_lock_irqsave(&worker->lock, *flags);
	work->canceling--;
}

/* Take @work off whichever list it is on. Lock held. Return: true if it was pending. */
static bool __kthread_cancel_work(struct kthread_work *work)
{
	if (list_empty(&work->node))
		return false;
	list_del_init(&work->node);
	return true;
}

bool lksync_kthread_mod_delayed_work(struct kthread_worker *worker,
				     struct kthread_delayed_work *dwork,
				     unsigned long delay)
{
	struct kthread_work *work = &dwork->work;
	unsigned long flags;
	bool ret;

	raw_spin_lock_irqsave(&worker->lock, flags);
	if (!work->worker) {		/* never queued: nothing to cancel */
		ret = false;
		goto queue;
	}
	WARN_ON_ONCE(work->worker != worker);
	/*
	 * The timer first (it drops the lock); the item leaves its list only
	 * once it can be queued again, so the result counts pending items.
	 */
	kthread_cancel_delayed_work_timer(work, &flags);
	if (work->canceling) {		/* another canceler wins; it stays as it is */
		ret = true;
		goto out;
	}
	ret = __kthread_cancel_work(work);
queue:
	__kthread_queue_delayed_work(worker, dwork, delay);
out:
	raw_spin_unlock_irqrestore(&worker->lock, flags);
	return ret;
}

static bool __kthread_cancel_work_sync(struct kthread_work *work, bool is_dwork)
{
	struct kthread_worker *worker;
	unsigned long flags;
	bool ret = false;

	might_sleep();
	worker = READ_ONCE(work->worker);
	if (!worker)
		return false;
	raw_spin_lock_irqsave(&worker->lock, flags);
	WARN_ON_ONCE(work->worker != worker);
	if (is_dwork)
		kthread_cancel_delayed_work_timer(work, &flags);
	ret = __kthread_cancel_work(work);
	if (worker->current_work == work) {
		/* Running: refuse requeuing while waiting for this run to end. */
		work->canceling++;
		raw_spin_unlock_irqrestore(&worker->lock, flags);
		kthread_flush_work(work);
		raw_spin_lock_irqsave(&worker->lock, flags);
		work->canceling--;
	}
	raw_spin_unlock_irqrestore(&worker->lock, flags);
	return ret;
}

bool lksync_kthread_cancel_work_sync(struct kthread_work *work)
{
	return __kthread_cancel_work_sync(work, false);
}

bool lksync_kthread_cancel_delayed_work_sync(struct kthread_delayed_work *dwork)
{
	return __kthread_cancel_work_sync(&dwork->work, true);
}

void lksync_kthread_destroy_worker(struct kthread_worker *worker)
{
	struct task_struct *task;
	unsigned long flags;

	raw_spin_lock_irqsave(&worker->lock, flags);
	task = worker->task;
	raw_spin_unlock_irqrestore(&worker->lock, flags);
	if (WARN_ON(!task))
		return;
	kthread_flush_worker(worker);
	kthread_stop(task);
	WARN_ON(!list_empty(&worker->delayed_work_list));
	WARN_ON(!list_empty(&worker->work_list));
	free(worker);
}
