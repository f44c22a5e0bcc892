// SPDX-License-Identifier: MIT
/*
 * Layer: locking. Completions (include/lksync/completion.h).
 *
 * x->done, protected by x->wait.lock together with the queue:
 *
 *   0             not completed: wait_for_completion() queues and sleeps
 *   n (> 0)       n complete()s not yet consumed, and no waiter queued: the
 *                 next n waits pass at once, each taking one
 *   UINT_MAX      complete_all(): every wait passes and none consumes,
 *                 until reinit_completion() stores 0
 *
 * A complete() that finds a waiter queued hands its completion to that
 * waiter instead of counting it (state WAITING -> CHOSEN, under the lock).
 * complete() wakes after its unlock, holding a reference on the task (taken
 * under the lock), so the woken task, which in userspace often preempts its
 * waker on the same CPU, finds the lock free. complete() touches neither x
 * nor the waiter's entry after the unlock. A woken waiter still takes the
 * lock once before it returns: a waiter awake early (spurious wake-up,
 * timeout, signal) could otherwise see CHOSEN while complete() or
 * complete_all() still holds the lock, return, and free x under them; the
 * kernel's waiter takes the lock again for the same reason. A waiter that sees CHOSEN has its
 * completion: a signal or a timeout at the same moment cannot take it away.
 * Such a waiter may return before the wake-up lands, which then finds it
 * running or ends a later sleep early: a spurious wake-up, which every wait
 * loop tolerates (as with the kernel's wake_q).
 *
 * Nothing here allocates or calls into libc: complete() is async-signal-safe
 * (put_task_struct() frees only if the woken thread has exited meanwhile).
 */
#include <lksync/completion.h>
#include "locking/wait_lock.h"

enum { WAITING, CHOSEN };

struct waiter {
	struct swait_queue wait;	/* on x->wait.task_list while WAITING */
	unsigned int state;		/* WAITING or CHOSEN */
};

/* Hand the completion to @w (lock held): its last touch by the waker. */
static void choose(struct waiter *w)
{
	list_del_init(&w->wait.task_list);
	/*
	 * Release: pairs with the waiter's acquire; the unlinking happens
	 * before the waiter may return and reuse its stack.
	 */
	__atomic_store_n(&w->state, CHOSEN, __ATOMIC_RELEASE);
}

long lksync_wait_for_completion_common(struct completion *x, long timeout, unsigned int state)
{
	struct waiter w;

	raw_spin_lock_irq(&x->wait.lock);
	if (x->done) {
		/* WRITE_ONCE: try_wait_for_completion() and completion_done() peek unlocked. */
		if (x->done != UINT_MAX)
			WRITE_ONCE(x->done, x->done - 1);
		raw_spin_unlock_irq(&x->wait.lock);
		return timeout > 0 ? timeout : 1;
	}
	w.wait.task = current;
	w.state = WAITING;
	list_add_tail(&w.wait.task_list, &x->wait.task_list);
	for (;;) {
		if (signal_pending_state(state, current)) {
			timeout = -ERESTARTSYS;
			break;
		}
		if (!timeout)
			break;
		/* No barrier: complete() reads the state after taking the lock we hold. */
		__set_current_state(state);
		raw_spin_unlock_irq(&x->wait.lock);
		timeout = schedule_timeout(timeout);
		raw_spin_lock_irq(&x->wait.lock);
		/* Acquire: pairs with choose(). */
		if (__atomic_load_n(&w.state, __ATOMIC_ACQUIRE) == CHOSEN) {
			raw_spin_unlock_irq(&x->wait.lock);
			goto chosen;
		}
	}
	/* A signal or the timeout, still queued: leave the queue empty-handed. */
	list_del(&w.wait.task_list);
	raw_spin_unlock_irq(&x->wait.lock);
	return timeout;

chosen:
	/* Completed as the time ran out still counts as completed: 1, not 0. */
	return timeout > 0 ? timeout : 1;
}

void lksync_complete(struct completion *x)
{
	struct task_struct *task = NULL;
	unsigned long flags;

	raw_spin_lock_irqsave(&x->wait.lock, flags);
	if (!list_empty(&x->wait.task_list)) {
		struct waiter *w = list_first_entry(&x->wait.task_list, struct waiter,
						    wait.task_list);

		/* The waiter may be gone once chosen: its task stays, by reference. */
		task = get_task_struct(w->wait.task);
		choose(w);
	} else if (x->done != UINT_MAX) {
		WRITE_ONCE(x->done, x->done + 1);
	}
	raw_spin_unlock_irqrestore(&x->wait.lock, flags);
	if (task) {
		wake_up_process(task);
		put_task_struct(task);
	}
}

void lksync_complete_all(struct completion *x)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&x->wait.lock, flags);
	WRITE_ONCE(x->done, UINT_MAX);
	/*
	 * Woken under the lock, each chosen only after its wake: a waiter
	 * that is not chosen yet takes the lock, so its task outlives the
	 * wake without a reference.
	 */
	while (!list_empty(&x->wait.task_list)) {
		struct waiter *w = list_first_entry(&x->wait.task_list, struct waiter,
						    wait.task_list);

		wake_up_process(w->wait.task);
		choose(w);
	}
	raw_spin_unlock_irqrestore(&x->wait.lock, flags);
}

bool lksync_try_wait_for_completion(struct completion *x)
{
	unsigned long flags;
	bool ret = true;

	/* A lockless peek first: nothing to take means no lock round trip. */
	if (!READ_ONCE(x->done))
		return false;
	raw_spin_lock_irqsave(&x->wait.lock, flags);
	if (!x->done)
		ret = false;
	else if (x->done != UINT_MAX)
		WRITE_ONCE(x->done, x->done - 1);
	raw_spin_unlock_irqrestore(&x->wait.lock, flags);
	return ret;
}

bool lksync_completion_done(struct completion *x)
{
	unsigned long flags;

	if (!READ_ONCE(x->done))
		return false;
	/*
	 * done is set, but complete() may still hold the lock: wait for it to
	 * let go, so that a caller that frees @x after seeing true does not
	 * free it under complete()'s feet.
	 */
	raw_spin_lock_irqsave(&x->wait.lock, flags);
	raw_spin_unlock_irqrestore(&x->wait.lock, flags);
	return true;
}
