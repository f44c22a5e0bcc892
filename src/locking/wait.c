// SPDX-License-Identifier: MIT
/*
 * Layer: locking. Wait queues (include/lksync/wait.h): the queue operations
 * and the wake-up walk. The sleeping itself is schedule().
 *
 * An entry's life, with wq_head->lock held for every list change:
 *
 *   unqueued    entry points at itself: finish_wait() need not lock
 *   queued      on wq_head->head; the waiter's state is set under the lock
 *   woken       autoremove_wake_function() woke the task and unqueued the
 *               entry with a release store (list_del_init_careful), after
 *               which the waker never touches it: the waiter may return and
 *               free it as soon as its acquire load sees it unqueued
 *
 * A waiter never leaves while its entry is queued without taking the lock,
 * so a waker holding the lock may use entry->private (the task) freely.
 */
#include <lksync/wait.h>
#include "locking/wait_lock.h"

void lksync_add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	unsigned long flags;

	spin_lock_irqsave(&wq_head->lock, flags);
	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	__add_wait_queue(wq_head, wq_entry);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

void lksync_add_wait_queue_exclusive(struct wait_queue_head *wq_head,
				     struct wait_queue_entry *wq_entry)
{
	unsigned long flags;

	spin_lock_irqsave(&wq_head->lock, flags);
	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
	__add_wait_queue_entry_tail(wq_head, wq_entry);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

void lksync_remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	unsigned long flags;

	spin_lock_irqsave(&wq_head->lock, flags);
	__remove_wait_queue(wq_head, wq_entry);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

/*
 * The state is set under the lock, after queuing: a waker that finds the
 * entry then also finds the state, and set_current_state()'s full barrier
 * orders it before the caller's condition test.
 */
void lksync_prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
			    int state)
{
	unsigned long flags;

	/* Flags change under the lock: a waker may be reading them. */
	spin_lock_irqsave(&wq_head->lock, flags);
	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	if (list_empty(&wq_entry->entry))
		__add_wait_queue(wq_head, wq_entry);
	set_current_state(state);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

bool lksync_prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
				      struct wait_queue_entry *wq_entry, int state)
{
	unsigned long flags;
	bool was_empty = false;

	spin_lock_irqsave(&wq_head->lock, flags);
	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
	if (list_empty(&wq_entry->entry)) {
		was_empty = list_empty(&wq_head->head);
		__add_wait_queue_entry_tail(wq_head, wq_entry);
	}
	set_current_state(state);
	spin_unlock_irqrestore(&wq_head->lock, flags);
	return was_empty;
}

long lksync_prepare_to_wait_event(struct wait_queue_head *wq_head,
				  struct wait_queue_entry *wq_entry, int state)
{
	unsigned long flags;
	long ret = 0;

	spin_lock_irqsave(&wq_head->lock, flags);
	if (signal_pending_state((unsigned int)state, current)) {
		/*
		 * Leave the queue now: a wake-up after this must go to another
		 * waiter. One that came before was for us; the caller re-tests
		 * the condition before it gives up, and the wake-up's lock
		 * round trip makes the waker's condition store visible.
		 */
		list_del_init(&wq_entry->entry);
		ret = -ERESTARTSYS;
	} else {
		if (list_empty(&wq_entry->entry)) {
			if (wq_entry->flags & WQ_FLAG_EXCLUSIVE)
				__add_wait_queue_entry_tail(wq_head, wq_entry);
			else
				__add_wait_queue(wq_head, wq_entry);
		}
		set_current_state(state);
	}
	spin_unlock_irqrestore(&wq_head->lock, flags);
	return ret;
}

void lksync_finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	/*
	 * Unqueued already (by autoremove_wake_function(), or never queued):
	 * no lock. Otherwise a wake-up may be in flight; the lock waits it out.
	 */
	if (!list_empty_careful(&wq_entry->entry)) {
		spin_lock_irqsave(&wq_head->lock, flags);
		list_del_init(&wq_entry->entry);
		spin_unlock_irqrestore(&wq_head->lock, flags);
	}
}

int lksync_default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
				 int flags, void *key)
{
	(void)flags;
	(void)key;
	return wake_up_state(wq_entry->private, mode);
}

int lksync_autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
				    int flags, void *key)
{
	int ret = lksync_default_wake_function(wq_entry, mode, flags, key);

	if (ret)
		list_del_init_careful(&wq_entry->entry);
	return ret;
}

/*
 * wait_woken() and woken_wake_function() hand over through WQ_FLAG_WOKEN:
 *
 *   waiter: set_current_state(mode)  [A]     waker:  smp_mb()  [C]
 *           if (!(flags & WOKEN))                    flags |= WOKEN
 *                   schedule_timeout()                wake_up_state()
 *           flags &= ~WOKEN; smp_mb()  [B]
 *
 * A pairs with the barrier in wake_up_state(): either the waiter sees WOKEN
 * or the waker sees its sleep state. B and C order the clearing of WOKEN
 * after the caller's condition test, against the waker's condition store, so
 * a wake-up that raced with the test is not forgotten. The flags word is
 * written by both sides: every access is atomic.
 */
int lksync_woken_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			       int flags, void *key)
{
	/* Full barrier (C): the waker's condition store before WOKEN. */
	__atomic_fetch_or(&wq_entry->flags, WQ_FLAG_WOKEN, __ATOMIC_SEQ_CST);
	return lksync_default_wake_function(wq_entry, mode, flags, key);
}

long lksync_wait_woken(struct wait_queue_entry *wq_entry, unsigned int mode, long timeout)
{
	set_current_state(mode);	/* A */
	if (!(__atomic_load_n(&wq_entry->flags, __ATOMIC_ACQUIRE) & WQ_FLAG_WOKEN))
		timeout = schedule_timeout(timeout);
	__set_current_state(TASK_RUNNING);
	/* B: full barrier; the caller's next condition test comes after the clear. */
	__atomic_fetch_and(&wq_entry->flags, ~WQ_FLAG_WOKEN, __ATOMIC_SEQ_CST);
	return timeout;
}

/*
 * The walk: every entry in order, non-exclusive ones (at the head) all
 * woken, exclusive ones (at the tail) until @nr_exclusive of them were; a
 * wake function may remove its own entry, so the next one is read first.
 * Return: the exclusive budget left (negative or 0 if it was spent or
 * unbounded).
 */
static int wake_up_common(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive,
			  int wake_flags, void *key)
{
	struct wait_queue_entry *curr, *next;

	list_for_each_entry_safe(curr, next, &wq_head->head, entry) {
		unsigned int flags = READ_ONCE(curr->flags);
		int ret = curr->func(curr, mode, wake_flags, key);

		if (ret < 0)
			break;
		if (ret && (flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
	return nr_exclusive;
}

int lksync_wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive, void *key)
{
	unsigned long flags;
	int left;

	spin_lock_irqsave(&wq_head->lock, flags);
	left = wake_up_common(wq_head, mode, nr_exclusive, 0, key);
	spin_unlock_irqrestore(&wq_head->lock, flags);
	return nr_exclusive > 0 ? nr_exclusive - left : -left;
}

void lksync_wake_up_locked_key(struct wait_queue_head *wq_head, unsigned int mode,
			       int nr_exclusive, void *key)
{
	wake_up_common(wq_head, mode, nr_exclusive, 0, key);
}

/* One step of the _locked waits; @irq: the caller holds wq->lock with spin_lock_irq(). */
static int wait_intr_step(struct wait_queue_head *wq, struct wait_queue_entry *wait, int irq)
{
	if (likely(list_empty(&wait->entry)))
		__add_wait_queue_entry_tail(wq, wait);
	set_current_state(TASK_INTERRUPTIBLE);
	if (signal_pending(current))
		return -ERESTARTSYS;
	if (irq)
		spin_unlock_irq(&wq->lock);
	else
		spin_unlock(&wq->lock);
	schedule();
	if (irq)
		spin_lock_irq(&wq->lock);
	else
		spin_lock(&wq->lock);
	return 0;
}

int lksync_do_wait_intr(struct wait_queue_head *wq, struct wait_queue_entry *wait)
{
	return wait_intr_step(wq, wait, 0);
}

int lksync_do_wait_intr_irq(struct wait_queue_head *wq, struct wait_queue_entry *wait)
{
	return wait_intr_step(wq, wait, 1);
}
