// SPDX-License-Identifier: MIT
/*
 * Layer: locking. Mutex slow paths: the kernel's design (kernel/locking/
 * mutex.c) of an owner word, optimistic spinning, a FIFO of sleeping waiters
 * under a raw spinlock, and hand-off so that no waiter starves.
 *
 * mutex::owner = task address | flags (T = owner task, W = WAITERS,
 * H = HANDOFF, P = PICKUP):
 *
 *   T  P H W
 *   0  0 0 0   free                        fast path: cmpxchg 0 -> current
 *   t  0 0 0   held, nobody to wake        fast unlock: cmpxchg t -> 0
 *   t  0 * 1   held, the first waiter may  every unlock takes the slow path:
 *              sleep                       release (W cleared), wake it
 *   t  0 1 1   held, the first waiter has  unlock hands over: owner = f | P
 *              waited HANDOFF_NS as first
 *   f  1 0 *   handed to first waiter f    only f may take it (clears P)
 *   0  0 0 1   free, W left by a waiter    the next owner's unlock wakes
 *
 * W and H are set only by the first waiter, under wait_lock, with a cmpxchg
 * that succeeds only while the lock is held, right before it sleeps (its
 * task state already set, so the wake-up cannot be lost). The unlock slow
 * path clears both in the cmpxchg that releases or hands over the lock,
 * under wait_lock, and then wakes the first waiter. So unlike the kernel's
 * "the list is not empty", W here means "the first waiter may be asleep":
 * a first waiter that was woken and spins, awake, costs its competitors
 * nothing, and a barging owner runs on the fast path until that waiter
 * sleeps again. A waiter that takes the lock and leaves others queued sets
 * W (its unlock must wake the new first one); the last one out clears it.
 *
 * Spinning: before queueing a task looks at the word for a bounded time and
 * takes the lock if it becomes free, as the kernel's optimistic spinning;
 * a woken first waiter does the same. Like the kernel, which stops when the
 * owner is off its CPU, the spin stops when the owner has parked in
 * schedule() (task structs are type-stable, so reading a stale owner's state
 * is safe, as the kernel's read under RCU); as the OS may preempt a running
 * owner unseen, it is also bounded; see docs/mutex.md.
 *
 * The unlock slow path takes wait_lock before its releasing cmpxchg and
 * touches nothing of the mutex after dropping it: a new owner's unlock
 * would have to take wait_lock first, so the mutex may be freed then. The
 * task to wake is held by a reference across the wake-up, as wake_q does.
 */
#include <errno.h>
#include <lksync/mutex.h>
#include <lksync/processor.h>
#include "sched/sched.h"
#include "locking/wait_lock.h"

/* Bounds, in looks at the owner word with exponential backoff; -D overrides. */
#ifndef MUTEX_SPIN_LOOKS
#define MUTEX_SPIN_LOOKS	24	/* before queueing */
#endif
#ifndef MUTEX_HEAD_LOOKS
#define MUTEX_HEAD_LOOKS	24	/* first waiter, after a wake-up */
#endif
#ifndef MUTEX_BACKOFF_MAX
#define MUTEX_BACKOFF_MAX	64	/* cpu_relax() rounds between two looks */
#endif
#ifndef MUTEX_HANDOFF_NS
#define MUTEX_HANDOFF_NS	200000	/* first this long: the lock is owed to it */
#endif

struct mutex_waiter {
	struct list_head list;
	struct task_struct *task;
	long long first_since;		/* ns when it became the first waiter */
};

BUILD_BUG_ON(_Alignof(struct task_struct) <= MUTEX_FLAGS);

/* Has @w been the first waiter for MUTEX_HANDOFF_NS? Under wait_lock. */
static bool waited_enough(struct mutex_waiter *w)
{
	return lksync_now_ns() - w->first_since >= MUTEX_HANDOFF_NS;
}

static inline bool waiter_is_first(struct mutex *lock, struct mutex_waiter *w)
{
	/* Only w itself removes w; others only add behind it. */
	return READ_ONCE(lock->wait_list.next) == &w->list;
}

/*
 * The kernel's __mutex_trylock_common: take a free lock, or one handed to
 * current; otherwise, if @mark, set those flags on the held lock in the same
 * cmpxchg, so that its unlock is sure to see them.
 * Return: true if current now owns @lock.
 */
static bool trylock_or_mark(struct mutex *lock, unsigned long mark)
{
	unsigned long curr = (unsigned long)current;
	long owner = atomic_long_read(&lock->owner);

	for (;;) {
		unsigned long task = (unsigned long)owner & ~MUTEX_FLAGS;
		unsigned long flags = (unsigned long)owner & MUTEX_FLAGS;
		unsigned long new;

		if (!task)
			new = curr | flags;
		else if (task == curr && (flags & MUTEX_FLAG_PICKUP))
			new = curr | (flags & ~MUTEX_FLAG_PICKUP);
		else if ((flags | mark) != flags)
			new = (unsigned long)owner | mark;
		else
			return false;
		/*
		 * Acquire: the previous owner's critical section happens before
		 * ours (pairs with the release in both unlock paths). Marking
		 * needs no order of its own: the waiter's state was set with a
		 * full barrier before, and the unlocker sees the flag in the
		 * cmpxchg that releases.
		 */
		if (atomic_long_try_cmpxchg_acquire(&lock->owner, &owner, (long)new))
			return (new & ~MUTEX_FLAGS) == curr;
	}
}

/*
 * Optimistic spinning: look at the word up to @looks times, with growing
 * pauses so as not to steal the cache line from the owner, and take the
 * lock when it is free. A task outside the queue gives up at once when the
 * lock is owed to the first waiter (H or P). Return: true if acquired.
 */
static bool mutex_spin(struct mutex *lock, unsigned int looks, bool first)
{
	unsigned long curr = (unsigned long)current;
	unsigned int backoff = 1;

	for (unsigned int i = 0; i < looks; i++) {
		unsigned long owner = (unsigned long)atomic_long_read(&lock->owner);
		unsigned long task = owner & ~MUTEX_FLAGS;

		if (!task || (task == curr && (owner & MUTEX_FLAG_PICKUP))) {
			if (trylock_or_mark(lock, 0))
				return true;
		} else if (!first && (owner & (MUTEX_FLAG_HANDOFF | MUTEX_FLAG_PICKUP))) {
			return false;
		} else if (task != curr && lksync_task_parked((struct task_struct *)task)) {
			return false;	/* the owner sleeps: the kernel's !owner_on_cpu() */
		}
		for (unsigned int j = 0; j < backoff; j++)
			cpu_relax();
		if (backoff < MUTEX_BACKOFF_MAX)
			backoff <<= 1;
	}
	return false;
}

/* Wake @t (taken with get_task_struct() under wait_lock) and drop it. */
static void wake_and_put(struct task_struct *t)
{
	if (t) {
		wake_up_process(t);
		put_task_struct(t);
	}
}

/* @lock's first waiter if it may be asleep, with a reference; else NULL. */
static struct task_struct *first_to_wake(struct mutex *lock)
{
	struct task_struct *t;

	if (list_empty(&lock->wait_list))
		return NULL;
	t = list_first_entry(&lock->wait_list, struct mutex_waiter, list)->task;
	/*
	 * A running first waiter sets its state, with a full barrier, before
	 * it next tests the lock word, so it sees whatever was released before
	 * this read: wake_up_process() would leave it alone as well.
	 */
	if (task_is_running(t))
		return NULL;
	return get_task_struct(t);
}

int lksync_mutex_lock_slowpath(struct mutex *lock, unsigned int state)
{
	struct mutex_waiter waiter = { .task = current };
	struct task_struct *wake = NULL;
	long owner;
	bool first;
	int ret = 0;

	/*
	 * Spin only if nobody is queued: with waiters, a newcomer that took
	 * the lock would be served before them, and one that keeps running
	 * would keep taking it. The owner itself keeps its fast path until
	 * the first waiter is owed the lock.
	 */
	if (list_empty(&lock->wait_list) &&
	    mutex_spin(lock, MUTEX_SPIN_LOOKS, false))
		return 0;

	raw_spin_lock(&lock->wait_lock);
	if (list_empty(&lock->wait_list))
		waiter.first_since = lksync_now_ns();
	list_add_tail(&waiter.list, &lock->wait_list);
	for (;;) {
		unsigned long mark = 0;

		if (waiter_is_first(lock, &waiter)) {
			mark = MUTEX_FLAG_WAITERS;
			if (waited_enough(&waiter))
				mark |= MUTEX_FLAG_HANDOFF;
		}
		/* State first (full barrier), then the test: no lost wake-up. */
		set_current_state(state);
		/* Under wait_lock: a hand-off to us is taken before a signal counts. */
		if (trylock_or_mark(lock, mark))
			break;
		if (signal_pending_state(state, waiter.task)) {
			ret = -EINTR;
			break;
		}
		raw_spin_unlock(&lock->wait_lock);
		schedule();
		if (waiter_is_first(lock, &waiter) &&
		    mutex_spin(lock, MUTEX_HEAD_LOOKS, true)) {
			raw_spin_lock(&lock->wait_lock);
			break;
		}
		raw_spin_lock(&lock->wait_lock);
	}
	__set_current_state(TASK_RUNNING);

	first = waiter_is_first(lock, &waiter);
	list_del(&waiter.list);
	if (first && !list_empty(&lock->wait_list))
		list_first_entry(&lock->wait_list, struct mutex_waiter, list)->first_since =
			lksync_now_ns();
	/*
	 * Interrupted first waiter: the next one sleeps unmarked and W may be
	 * clear (we were awake), so wake it to mark the lock itself. An H we
	 * set stays and passes to it, as in the kernel.
	 */
	if (ret && first)
		wake = first_to_wake(lock);
	owner = atomic_long_read(&lock->owner);
	if (list_empty(&lock->wait_list)) {
		/* Nobody left to wake or hand to (no P can be pending). */
		if (owner & (MUTEX_FLAG_WAITERS | MUTEX_FLAG_HANDOFF))
			atomic_long_andnot(MUTEX_FLAG_WAITERS | MUTEX_FLAG_HANDOFF,
					   &lock->owner);
	} else if (!ret && !(owner & MUTEX_FLAG_WAITERS)) {
		/* Ours now, others queued: our unlock must wake the next one. */
		atomic_long_or(MUTEX_FLAG_WAITERS, &lock->owner);
	}
	raw_spin_unlock(&lock->wait_lock);
	wake_and_put(wake);
	return ret;
}

void lksync_mutex_unlock_slowpath(struct mutex *lock)
{
	struct mutex_waiter *first = NULL;
	struct task_struct *wake;
	bool handoff = false;
	long owner, new;

	raw_spin_lock(&lock->wait_lock);
	if (!list_empty(&lock->wait_list)) {
		first = list_first_entry(&lock->wait_list, struct mutex_waiter, list);
		/*
		 * The first waiter sets H itself when it runs; under
		 * oversubscription it may wait long for a CPU to do so.
		 */
		handoff = waited_enough(first);
	}
	owner = atomic_long_read(&lock->owner);
	do {
		new = 0;
		if (first && (handoff || (owner & MUTEX_FLAG_HANDOFF)))
			new = (long)first->task | MUTEX_FLAG_PICKUP;
		/*
		 * Fully ordered: release for our critical section, and the
		 * first waiter's state is read below only after the lock is
		 * visibly free (the store-to-load order wake_up_process needs).
		 */
	} while (!atomic_long_try_cmpxchg(&lock->owner, &owner, new));
	wake = first_to_wake(lock);
	raw_spin_unlock(&lock->wait_lock);
	wake_and_put(wake);
}

int lksync_mutex_trylock_slowpath(struct mutex *lock)
{
	return trylock_or_mark(lock, 0);
}
