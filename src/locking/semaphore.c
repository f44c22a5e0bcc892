// SPDX-License-Identifier: MIT
/*
 * Layer: locking. The semaphore's slow paths; the fast paths are inline in
 * <lksync/semaphore.h>.
 *
 * sem->count (n = free units, W = LKSYNC_SEM_WAITERS, H = LKSYNC_SEM_HANDOFF):
 *
 *   n          wait_list empty. down: n -> n-1 if n > 0 (compare-and-
 *              exchange); up: n -> n+1 (atomic add). No lock.
 *   n | W      tasks sleep on wait_list. down may still take a free unit
 *              without the lock; up adds its unit, sees W and takes the
 *              lock to wake the head for it.
 *   n | W | H  the head waited too long: the free units are reserved for
 *              it. down fails its fast path and queues; up adds its unit,
 *              then takes one back under the lock and hands it to the head.
 *
 * W and H are set and cleared only under sem->lock; H only with W. A task
 * queues by turning n == 0 into W with the compare-and-exchange that would
 * have taken a unit had there been one, so every up() after that sees W
 * and comes to the lock. Under sem->lock:
 *  - W is set iff wait_list is not empty; H is set iff the head's
 *    waiter->handoff is;
 *  - if n > 0 and W is set, the head has been woken (waiter->woken) and will
 *    look at the count again: whoever frees a unit or changes the head
 *    (up(), a head leaving with or without a unit) wakes the new head.
 *
 * Why not hand every unit to the head, as the kernel does? With more tasks
 * than CPUs a semaphore that is never free while tasks sleep convoys: every
 * down() queues behind a sleeper and every unit waits for a wake-up, so
 * throughput falls to one unit per context switch. Here running tasks may
 * take free units while the woken head gets to the CPU, and the head's turn
 * is bounded: once it has waited SEM_HANDOFF_NS and lost a unit, it sets H
 * and the next unit is handed to it alone, as the kernel's does. Sleepers are
 * served in FIFO order, only the head is ever woken, and a unit is in n or
 * handed to exactly one task, never both.
 */
#include <lksync/semaphore.h>
#include <lksync/processor.h>
#include "sched/sched.h"
#include "locking/wait_lock.h"

/* Look at the count this many times before queueing: a unit freed soon is cheaper than a sleep. */
#ifndef SEM_SPINS
#define SEM_SPINS	100
#endif
/* A head that waited this long and then lost a unit to a running task gets the next one. */
#ifndef SEM_HANDOFF_NS
#define SEM_HANDOFF_NS	1000000LL
#endif

/*
 * Debug flavor: the hung-task detector (src/sched/core.c) names the
 * semaphore a task sleeps on past its bound (hung_task_set_blocker()) and
 * its likely last holder, sem->last_holder, which the inline paths and the
 * slow paths below set when they take a unit and up() clears, as the
 * kernel's DETECT_HUNG_TASK_BLOCKER.
 */
#ifdef LKSYNC_DEBUG
struct task_struct *lksync_sem_last_holder(struct semaphore *sem)
{
	return (struct task_struct *)__atomic_load_n(&sem->last_holder, __ATOMIC_RELAXED);
}
#endif
#define sem_set_holder(sem)		__lksync_sem_set_holder(sem)

struct sem_waiter {
	struct list_head list;
	struct task_struct *task;
	bool woken;		/* the head was woken to look at the count (under lock) */
	bool handoff;		/* the next up() hands its unit to us (under lock) */
	int granted;		/* we hold a unit and are off the list (release/acquire) */
};

/*
 * Another task changed the count between our look and our compare-and-
 * exchange: the count's line is bouncing between CPUs. Retrying at once
 * keeps it bouncing, once per operation; waiting a little lets the other
 * task do several down()/up() pairs on a line it holds (two tasks on a
 * count of 4: 26 -> 70 Mops/s in a test program, failed exchanges 8.5% ->
 * 0.9%). The wait doubles with every lost exchange, up to 8x.
 */
#ifndef SEM_BACKOFF
#define SEM_BACKOFF	32	/* cpu_relax() rounds after the first lost exchange */
#endif

bool lksync_sem_trydown_contended(struct semaphore *sem, unsigned int tries)
{
	unsigned int c, spins = SEM_BACKOFF;

	/*
	 * Bounded for down(): a task that keeps losing to running tasks must
	 * reach the slow path, whose queue is FIFO with hand-off; retrying
	 * here for as long as a unit was free starved it (torture: three of
	 * six tasks got no unit in 7.7 s). down_trylock() retries while a unit
	 * is free: it fails only when none is.
	 */
	for (unsigned int n = 0; !tries || n < tries; n++) {
		for (unsigned int i = 0; i < spins; i++)
			cpu_relax();
		c = __atomic_load_n(&sem->count, __ATOMIC_RELAXED);
		if (!__lksync_sem_free(c))
			return false;
		/* Acquire: as in __lksync_sem_trydown(). */
		if (__atomic_compare_exchange_n(&sem->count, &c, c - 1, 0,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			sem_set_holder(sem);
			return true;
		}
		if (spins < 8 * SEM_BACKOFF)
			spins *= 2;
	}
	return false;
}

static inline struct sem_waiter *sem_head(struct semaphore *sem)
{
	return list_first_entry(&sem->wait_list, struct sem_waiter, list);
}

static inline unsigned int sem_units(struct semaphore *sem)
{
	return __atomic_load_n(&sem->count, __ATOMIC_RELAXED) & LKSYNC_SEM_MAX;
}

/* Under sem->lock: take a free unit, reserved or not. Return: true if taken. */
static bool sem_take(struct semaphore *sem)
{
	unsigned int c = __atomic_load_n(&sem->count, __ATOMIC_RELAXED);

	/* Acquire: as in __lksync_sem_trydown(). */
	while (c & LKSYNC_SEM_MAX) {
		if (__atomic_compare_exchange_n(&sem->count, &c, c - 1, 0,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return true;
	}
	return false;
}

/*
 * Under sem->lock, wait_list not empty: if units are free and the head was
 * not woken yet, mark it and return it with a reference taken, for
 * sem_wake() after the lock is dropped (the kernel's wake_q): the head may
 * leave as soon as we unlock, its task must not.
 */
static struct task_struct *sem_wake_head(struct semaphore *sem)
{
	struct sem_waiter *h = sem_head(sem);

	if (h->woken || !sem_units(sem))
		return NULL;
	h->woken = true;
	return get_task_struct(h->task);
}

/* Under sem->lock: take @w off the queue. Return: a new head to wake, or NULL. */
static struct task_struct *sem_dequeue(struct semaphore *sem, struct sem_waiter *w)
{
	bool was_head = sem_head(sem) == w;

	list_del(&w->list);
	/*
	 * Relaxed: W and H are read by lock holders under the lock; the fast
	 * paths need no order with them (a unit found free is taken with
	 * acquire, a unit added is published with release).
	 */
	if (list_empty(&sem->wait_list)) {
		__atomic_fetch_and(&sem->count, ~(LKSYNC_SEM_WAITERS | LKSYNC_SEM_HANDOFF),
				   __ATOMIC_RELAXED);
		return NULL;
	}
	if (!was_head)
		return NULL;
	if (w->handoff)		/* the reservation was for @w alone */
		__atomic_fetch_and(&sem->count, ~LKSYNC_SEM_HANDOFF, __ATOMIC_RELAXED);
	return sem_wake_head(sem);
}

/* After the lock is dropped: wake @t and drop the reference taken for it. */
static inline void sem_wake(struct task_struct *t)
{
	if (t) {
		wake_up_process(t);
		put_task_struct(t);
	}
}

int lksync_down_slowpath(struct semaphore *sem, unsigned int state, long timeout)
{
	struct task_struct *task = current, *wake;
	struct sem_waiter w;
	unsigned long flags;
	unsigned int c;
	long long queued;
	int ret;

	for (int i = 0; timeout > 0 && i < SEM_SPINS; i++) {
		cpu_relax();
		if (__lksync_sem_trydown(sem, LKSYNC_SEM_DOWN_TRIES))
			return 0;	/* it set the holder */
	}

	raw_spin_lock_irqsave(&sem->lock, flags);
	c = __atomic_load_n(&sem->count, __ATOMIC_RELAXED);
	for (;;) {
		if (c & LKSYNC_SEM_WAITERS) {
			if (!(c & LKSYNC_SEM_HANDOFF) && (c & LKSYNC_SEM_MAX)) {
				/* Acquire: as in __lksync_sem_trydown(). */
				if (__atomic_compare_exchange_n(&sem->count, &c, c - 1, 0,
								__ATOMIC_ACQUIRE,
								__ATOMIC_RELAXED))
					goto out_unlock;
				continue;
			}
			break;
		}
		if (c) {
			if (__atomic_compare_exchange_n(&sem->count, &c, c - 1, 0,
							__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				goto out_unlock;
		} else if (__atomic_compare_exchange_n(&sem->count, &c, LKSYNC_SEM_WAITERS, 0,
						       __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
			/*
			 * Relaxed: one location. An up() whose atomic add
			 * comes later sees W and waits for our lock.
			 */
			break;
		}
	}

	w.task = task;
	w.woken = false;
	w.handoff = false;
	w.granted = 0;
	list_add_tail(&w.list, &sem->wait_list);
	queued = lksync_now_ns();
	hung_task_set_blocker(sem, BLOCKER_TYPE_SEM);

	for (;;) {
		if (sem_head(sem) == &w) {
			bool lost = w.woken;

			w.woken = false;
			/* The head may take reserved units: they are its own. */
			if (sem_take(sem)) {
				wake = sem_dequeue(sem, &w);
				raw_spin_unlock_irqrestore(&sem->lock, flags);
				sem_wake(wake);
				hung_task_clear_blocker();
				sem_set_holder(sem);
				return 0;
			}
			/* Woken for a unit a running task took first: waited long enough? */
			if (lost && !w.handoff && lksync_now_ns() - queued >= SEM_HANDOFF_NS) {
				w.handoff = true;
				__atomic_fetch_or(&sem->count, LKSYNC_SEM_HANDOFF, __ATOMIC_RELAXED);
			}
		}
		if (signal_pending_state(state, task)) {
			ret = -EINTR;
			break;
		}
		if (timeout <= 0) {
			ret = -ETIME;
			break;
		}
		/* No barrier needed: up() wakes us only under the lock we hold. */
		__set_current_state(state);
		raw_spin_unlock_irqrestore(&sem->lock, flags);
		timeout = schedule_timeout(timeout);
		/*
		 * Look at the grant under the lock only: seen earlier, up() may
		 * still hold the lock, and we could return and free @sem under
		 * it (the kernel's waiter re-takes the lock for the same reason).
		 */
		raw_spin_lock_irqsave(&sem->lock, flags);
		/* Acquire pairs with up()'s release: the unit and what came before it. */
		if (__atomic_load_n(&w.granted, __ATOMIC_ACQUIRE))
			goto out_unlock;	/* granted under the lock we now hold */
	}
	/* Interrupted or timed out: leave the count as it was, pass on a wake-up. */
	wake = sem_dequeue(sem, &w);
	raw_spin_unlock_irqrestore(&sem->lock, flags);
	sem_wake(wake);
	hung_task_clear_blocker();
	return ret;

out_unlock:
	raw_spin_unlock_irqrestore(&sem->lock, flags);
	hung_task_clear_blocker();
	sem_set_holder(sem);
	return 0;
}

void lksync_up_slowpath(struct semaphore *sem)
{
	struct task_struct *wake = NULL, *next = NULL;
	struct sem_waiter *h;
	unsigned long flags;

	/* up() has added its unit already (and cleared the holder); it saw W. */
	raw_spin_lock_irqsave(&sem->lock, flags);
	if (list_empty(&sem->wait_list)) {
		/* The waiters left meanwhile: the unit stays in the count. */
	} else if (!(h = sem_head(sem))->handoff) {
		wake = sem_wake_head(sem);
	} else if (sem_take(sem)) {
		/*
		 * Hand a reserved unit to the head. Take the reference first:
		 * the head may return the moment it sees @granted, and its
		 * waiter must not be touched after that.
		 */
		wake = get_task_struct(h->task);
		next = sem_dequeue(sem, h);
		/* Release: our caller's stores before up() are seen by the new holder. */
		__atomic_store_n(&h->granted, 1, __ATOMIC_RELEASE);
	}
	raw_spin_unlock_irqrestore(&sem->lock, flags);
	sem_wake(wake);
	sem_wake(next);
}
