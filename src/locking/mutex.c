// SPDX-License-Identifier: MIT
/*
 * Layer: locking. Mutex slow paths: the kernel's design (kernel/locking/
 * mutex.c) of an owner word, optimistic spinning, a FIFO of sleeping waiters
 * under a raw spinlock, and hand-off so that no waiter starves.
 *
 * mutex::owner = task address | flags (T = owner task, W = WAITERS,
 * H = HANDOFF, P = PICKUP), and mutex::handoff_at (A):
 *
 *   T  P H W  A
 *   0  0 0 0  0   free                     fast path: cmpxchg 0 -> current
 *   t  0 0 0  0   held, nobody queued      fast unlock: cmpxchg t -> 0
 *   t  0 0 0  a   held, tasks queued, the  unlock as the fast path until
 *                 first one awake          time a, then the slow path hands
 *                                          over: owner = f | P
 *   t  0 * 1  a   held, the first waiter   every unlock takes the slow path:
 *                 may sleep                release (W cleared), wake it
 *   t  0 1 1  a   held, the first waiter   unlock hands over: owner = f | P
 *                 asked for a hand-off
 *   f  1 0 *  a   handed to first waiter f only f may take it (clears P)
 *   0  0 0 *  a   free, tasks queued       taken by anyone, as above
 *
 * W and H are set only by the first waiter, under wait_lock, with a cmpxchg
 * that succeeds only while the lock is held, right before it sleeps (its
 * task state already set, so the wake-up cannot be lost); H once it has
 * been first for MUTEX_HANDOFF_NS. The unlock slow path clears both in the
 * cmpxchg that releases or hands over the lock, under wait_lock, and then
 * wakes the first waiter. So unlike the kernel's "the list is not empty",
 * W here means "the first waiter may be asleep": a first waiter that was
 * woken and spins, awake, costs its competitors little. A waiter that takes
 * the lock and leaves others queued sets W (its unlock must wake the new
 * first one); the last one out clears it.
 *
 * A (never 0) is when the owner must hand the lock to the first waiter even
 * if that waiter never ran to ask. With more tasks than CPUs, the waiter an
 * unlock wakes is often queued by the OS behind the very owner that woke
 * it, which keeps re-taking the lock on the fast path: the waiter cannot
 * set H before the OS preempts that owner, a time slice (milliseconds)
 * later, and with many waiters a few tasks did most of the work. So while
 * A is set, mutex_unlock() counts a per-task budget down and, when it runs
 * out, enters the slow path, which reads the clock; once A has passed it
 * hands over, and the owner then queues and sleeps, which also frees its
 * CPU for the new owner. A is written only under wait_lock, when the first
 * waiter changes (a turn of MUTEX_WAIT_NS / tasks queued, at least
 * MUTEX_HANDOFF_NS: a queued task waits about MUTEX_WAIT_NS in all), and 0
 * when the queue empties. The unlock reads it without wait_lock: a stale
 * value costs one slow unlock or delays one hand-off, never a wake-up (W
 * sees to those).
 *
 * Spinning: before queueing a task looks at the word for a bounded time and
 * takes the lock if it becomes free, as the kernel's optimistic spinning;
 * a woken first waiter does the same. Like the kernel, which stops when the
 * owner is off its CPU, the spin stops when the owner has parked in
 * schedule() (task structs are type-stable, so reading a stale owner's state
 * is safe, as the kernel's read under RCU); as the OS may preempt a running
 * owner unseen, it is also bounded; see docs/mutex.md.
 *
 * The unlock slow path takes wait_lock before its releasing cmpxchg (unless
 * it releases as the fast path does) and touches nothing of the mutex after
 * dropping it: a new owner's unlock would have to take wait_lock first, so
 * the mutex may be freed then. The task to wake is held by a reference
 * across the wake-up, as wake_q does.
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
#ifndef MUTEX_WAIT_NS
#define MUTEX_WAIT_NS		8000000	/* about the longest wait in the queue */
#endif
#ifndef MUTEX_CLOCK_SKIP
#define MUTEX_CLOCK_SKIP	1024	/* most unlocks between two clock reads */
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

/* The clock in handoff_at's units (1024 ns); it wraps every 73 minutes. */
static inline unsigned int handoff_clock(long long ns)
{
	return (unsigned int)((unsigned long long)ns >> 10);
}

/*
 * @w has become the first waiter at @now (under wait_lock): note when the
 * owner must hand it the lock even if it cannot run to ask (handoff_at):
 * after a turn of MUTEX_WAIT_NS / (tasks queued), so that a task waits for
 * about MUTEX_WAIT_NS in all whatever the queue's length, but no sooner
 * than MUTEX_HANDOFF_NS, when it would ask itself (a hand-off costs a sleep
 * and a wake-up). Rounded up so that the check never fires before
 * waited_enough(w) holds; 0 means "nobody queued", so it is never stored.
 * Relaxed: a hint that routes unlocks, read without wait_lock; the owner
 * word carries every order that matters.
 */
static void set_first(struct mutex *lock, struct mutex_waiter *w, long long now)
{
	long long turn = MUTEX_WAIT_NS;
	struct list_head *p = &w->list;
	unsigned int at, n = 1;

	w->first_since = now;
	/* Count @w and those behind it, as far as it can shorten the turn. */
	while (n < MUTEX_WAIT_NS / MUTEX_HANDOFF_NS &&
	       (p = p->next) != &lock->wait_list)
		n++;
	turn /= n;
	if (turn < MUTEX_HANDOFF_NS)
		turn = MUTEX_HANDOFF_NS;
	at = handoff_clock(now + turn) + 1;
	WRITE_ONCE(lock->handoff_at, at ? at : 1);
}

/*
 * When this task next reads the clock for handoff_due(): mutex_unlock()
 * counts lksync_mutex_looks down while tasks are queued and comes here at
 * 0. The clock costs as much as eight lock operations, so a task reads it
 * again only after about half the time left before the hand-off, estimated
 * from how fast it went through its unlocks since its previous read (an
 * overestimate of the time per unlock, so an early read rather than a late
 * one), and at least every MUTEX_CLOCK_SKIP unlocks. Per task rather than
 * per lock: with several contended locks, a look may come later, never
 * more than that bound.
 */
LKSYNC_API __thread unsigned int lksync_mutex_looks LKSYNC_TLS_MODEL;

static __thread struct {
	unsigned int span;	/* unlocks between the previous two reads */
	long long last;		/* ns at the previous read */
} clock_look LKSYNC_TLS_MODEL;

/* Has the time @at (handoff_at) passed? */
static bool handoff_due(unsigned int at)
{
	long long now, rest, per;

	if (lksync_mutex_looks) {	/* called after a failed release */
		lksync_mutex_looks--;
		return false;
	}
	now = lksync_now_ns();
	/* Left until @at, in ns; as a signed difference it survives a wrap. */
	rest = (long long)(int)(at - handoff_clock(now)) * 1024;
	per = (now - clock_look.last) / (clock_look.span + 1) + 1;
	clock_look.last = now;
	if (rest <= 0) {
		clock_look.span = 0;
		return true;
	}
	rest /= 2 * per;
	clock_look.span = lksync_mutex_looks =
		rest < MUTEX_CLOCK_SKIP ? (unsigned int)rest : MUTEX_CLOCK_SKIP;
	return false;
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
		bool take = true;

		if (!task)
			new = curr | flags;
		else if (task == curr && (flags & MUTEX_FLAG_PICKUP))
			new = curr | (flags & ~MUTEX_FLAG_PICKUP);
		else if ((flags | mark) != flags)
			/* Marking, not taking: even if the owner is current (recursion). */
			new = (unsigned long)owner | mark, take = false;
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
			return take;
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

/*
 * The debug flavor's hung-task detector (src/sched/core.c) reports a
 * waiter asleep in TASK_UNINTERRUPTIBLE past its bound, naming the mutex
 * and its owner (and a self-deadlock, which lockdep may not have reported,
 * as such): hung_task_set_blocker(), as the kernel's.
 */

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
	 * would keep taking it. The owner itself keeps re-taking a lock it
	 * released until the first waiter is owed it (handoff_at).
	 */
	if (list_empty(&lock->wait_list) &&
	    mutex_spin(lock, MUTEX_SPIN_LOOKS, false))
		return 0;

	hung_task_set_blocker(lock, BLOCKER_TYPE_MUTEX);
	raw_spin_lock(&lock->wait_lock);
	list_add_tail(&waiter.list, &lock->wait_list);
	if (waiter_is_first(lock, &waiter))
		set_first(lock, &waiter, lksync_now_ns());
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
	hung_task_clear_blocker();

	first = waiter_is_first(lock, &waiter);
	list_del(&waiter.list);
	if (list_empty(&lock->wait_list))
		WRITE_ONCE(lock->handoff_at, 0);	/* relaxed: see set_first() */
	else if (first)
		set_first(lock, list_first_entry(&lock->wait_list,
						 struct mutex_waiter, list),
			  lksync_now_ns());
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

/* Release or hand over @lock under wait_lock, and wake the first waiter. */
static noinline void unlock_queued(struct mutex *lock)
{
	struct mutex_waiter *first = NULL;
	struct task_struct *wake;
	bool handoff = false;
	long owner, new;

	raw_spin_lock(&lock->wait_lock);
	if (!list_empty(&lock->wait_list)) {
		first = list_first_entry(&lock->wait_list, struct mutex_waiter, list);
		/*
		 * Owed the lock: the first waiter sets H itself when it runs,
		 * but under oversubscription it may wait long for a CPU.
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

void lksync_mutex_unlock_slowpath(struct mutex *lock)
{
	unsigned int at = READ_ONCE(lock->handoff_at);	/* relaxed: a hint */
	long owner = (long)current;

	/*
	 * Tasks are queued, the first is not owed the lock yet, and no flag
	 * asks for a wake-up: release as the fast path does. Release: the
	 * critical section happens before the next owner's acquire.
	 */
	if (at && !handoff_due(at) &&
	    likely(atomic_long_try_cmpxchg_release(&lock->owner, &owner, 0)))
		return;
	unlock_queued(lock);
}

int lksync_mutex_trylock_slowpath(struct mutex *lock)
{
	return trylock_or_mark(lock, 0);
}
