// SPDX-License-Identifier: MIT
/*
 * Layer: locking. The rw_semaphore slow paths: the kernel's algorithm
 * (kernel/locking/rwsem.c) on lksync's one sleeping mechanism.
 *
 * sem->count (RWSEM_* in include/lksync/rwsem.h):
 *
 *   bit 0      WRITER_LOCKED  a writer holds the lock
 *   bit 1      FLAG_WAITERS   wait_list is not empty
 *   bit 2      FLAG_HANDOFF   the first waiter waited too long: nobody steals
 *   bit 3      FLAG_WAKING    the head writer was woken and has not yet looked
 *                             at the lock: releasers need not wake it again
 *   bits 8-62  reader count   held read locks, plus readers passing through
 *                             the slow path with their bias still added
 *   bit 63     READFAIL       reader count overflow guard
 *
 *   0                    free
 *   WRITER_LOCKED        held by one writer
 *   n * READER_BIAS      held by n readers
 *   ... | WAITERS        as above, with sleepers; the releaser that drops
 *                        the lock (last reader, writer) wakes the queue head
 *   WAITERS              free with sleepers: the woken head is on its way,
 *                        and others may still steal it unless HANDOFF
 *
 * FLAG_WAKING is lksync's: a woken thread may wait milliseconds for a CPU,
 * and meanwhile every release would take wait_lock to wake it again. It is
 * set under wait_lock when the head writer is woken and cleared by that
 * writer's own compare-and-exchange when it looks at the count (or when it
 * leaves the queue), so a release either sees it clear and wakes, or
 * happened before the look and the writer sees the lock free.
 *
 * The fast paths are one atomic each (the header). A reader that sees
 * WRITER_LOCKED, WAITERS or HANDOFF comes here with its bias added: it may
 * keep it (steal the lock) only if no writer holds it, no hand-off is
 * pending and no other reader holds it (a stream of readers must not starve
 * a queued writer); else it queues and subtracts the bias. A writer spins
 * a bounded time while the lock changes hands, then queues.
 *
 * Waiters sleep on their own stacks in FIFO order on wait_list, protected by
 * wait_lock. Granting, waking and dequeuing happen under wait_lock, the
 * wake-ups after it is dropped: the waker holds a task reference across that
 * window (the kernel's wake_q), since a reader whose grant is published may
 * return and its thread exit at once. A reader is granted the lock by its
 * waker (bias added for it, then waiter.task cleared); a writer takes the
 * lock itself under wait_lock once woken.
 */
#include <lksync/rwsem.h>
#include <lksync/jiffies.h>
#include <lksync/processor.h>
#include "sched/sched.h"
#include "locking/wait_lock.h"

/* A waiter that waited this long may set the hand-off bit (4 ms). */
#define RWSEM_WAIT_TIMEOUT	DIV_ROUND_UP_ULONG(HZ, 250)
#define DIV_ROUND_UP_ULONG(n, d)	(((n) + (d) - 1) / (d))

/* The most readers one wake-up grants. */
#define MAX_READERS_WAKEUP	0x100

/*
 * How long a writer spins for the lock before it queues. The kernel spins as
 * long as a writer owner is on a CPU; here, until the owner has parked in
 * schedule() (task structs are type-stable, so a stale owner pointer is safe
 * to look at), and because the OS may preempt a running owner, at most this long.
 * On a reader owner, the kernel's bound: 10 us plus 0.5 us per reader.
 */
#ifndef RWSEM_WSPIN_NS
#define RWSEM_WSPIN_NS		5000
#endif
#define RWSEM_RSPIN_NS(readers)	((20 + ((readers) > 30 ? 30 : (readers))) * 500LL)

/*
 * The debug flavor's hung-task detector (src/sched/core.c) names the rwsem
 * a task sleeps on past its bound, and its writer or last reader:
 * hung_task_set_blocker() (sched/sched.h), as the kernel's.
 */

enum rwsem_waiter_type { RWSEM_WAITING_FOR_WRITE, RWSEM_WAITING_FOR_READ };

enum rwsem_wake_type {
	RWSEM_WAKE_ANY,		/* wake whatever is at the head */
	RWSEM_WAKE_READERS,	/* wake readers only */
	RWSEM_WAKE_READ_OWNED,	/* waker holds a read lock: grant without checking */
};

struct rwsem_waiter {
	struct list_head list;
	struct task_struct *task;	/* a reader's: cleared (release) to grant */
	enum rwsem_waiter_type type;
	unsigned long timeout;		/* jiffies after which it may hand off */
	bool handoff_set;		/* set the hand-off bit (under wait_lock) */
};

/* Tasks to wake once wait_lock is dropped, each with a reference held. */
struct wake_q {
	unsigned int n;
	struct task_struct *task[MAX_READERS_WAKEUP];
};

static void wake_q_add(struct wake_q *q, struct task_struct *t)
{
	q->task[q->n++] = get_task_struct(t);
}

static void wake_up_q(struct wake_q *q)
{
	for (unsigned int i = 0; i < q->n; i++) {
		wake_up_process(q->task[i]);
		put_task_struct(q->task[i]);
	}
	q->n = 0;
}

static inline struct rwsem_waiter *rwsem_first_waiter(struct rw_semaphore *sem)
{
	return list_first_entry(&sem->wait_list, struct rwsem_waiter, list);
}

static inline void rwsem_set_owner(struct rw_semaphore *sem)
{
	atomic_long_set(&sem->owner, (long)current);
}

static inline void rwsem_set_reader_owned_by(struct rw_semaphore *sem, struct task_struct *t)
{
	long old = atomic_long_read(&sem->owner);
	long val = (long)t | RWSEM_READER_OWNED | (old & RWSEM_NONSPINNABLE);

	if (old != val)
		atomic_long_set(&sem->owner, val);
}

static inline void rwsem_clear_nonspinnable(struct rw_semaphore *sem)
{
	if (unlikely(atomic_long_read(&sem->owner) & RWSEM_NONSPINNABLE))
		atomic_long_andnot(RWSEM_NONSPINNABLE, &sem->owner);
}

/* Set NONSPINNABLE while the lock is still reader-owned. */
static void rwsem_set_nonspinnable(struct rw_semaphore *sem)
{
	long owner = atomic_long_read(&sem->owner);

	do {
		if (!(owner & RWSEM_READER_OWNED) || (owner & RWSEM_NONSPINNABLE))
			return;
	} while (!atomic_long_try_cmpxchg(&sem->owner, &owner, owner | RWSEM_NONSPINNABLE));
}

/*
 * After any change to wait_list: publish whether a reader heads it, so that
 * a reader stealing the lock takes wait_lock to bring queued readers along
 * only when there are some to bring. A stale hint costs a useless lock
 * round trip or a later wake-up (by the last release), never a lost one.
 */
static void rwsem_update_head(struct rw_semaphore *sem)
{
	WRITE_ONCE(sem->reader_head, !list_empty(&sem->wait_list) &&
		   rwsem_first_waiter(sem)->type == RWSEM_WAITING_FOR_READ);
}

/* Queue @waiter at the tail; the caller sets FLAG_WAITERS. */
static void rwsem_add_waiter(struct rw_semaphore *sem, struct rwsem_waiter *waiter)
{
	list_add_tail(&waiter->list, &sem->wait_list);
	rwsem_update_head(sem);
}

/* Dequeue @waiter. Return: true if others still wait (else the flags are cleared). */
static bool rwsem_del_waiter(struct rw_semaphore *sem, struct rwsem_waiter *waiter)
{
	list_del(&waiter->list);
	rwsem_update_head(sem);
	if (likely(!list_empty(&sem->wait_list)))
		return true;
	atomic_long_andnot(RWSEM_FLAG_HANDOFF | RWSEM_FLAG_WAITERS | RWSEM_FLAG_WAKING,
			   &sem->count);
	return false;
}

/*
 * Hand the lock to the head of the queue, under wait_lock. A writer at the
 * head is only woken (for RWSEM_WAKE_ANY): it takes the lock itself, and
 * until it does others may steal it. Readers are granted here: the bias for
 * the first is added (backed out if a writer got in first), then every
 * queued reader, writers skipped, up to MAX_READERS_WAKEUP, is moved off the
 * queue, counted into the lock and told by clearing its waiter.task.
 */
static void rwsem_mark_wake(struct rw_semaphore *sem, enum rwsem_wake_type wake_type,
			    struct wake_q *wake_q)
{
	struct rwsem_waiter *waiter, *tmp;
	long oldcount, woken = 0, adjustment = 0;
	struct list_head wlist;

	waiter = rwsem_first_waiter(sem);
	if (waiter->type == RWSEM_WAITING_FOR_WRITE) {
		if (wake_type == RWSEM_WAKE_ANY) {
			/* Releasers leave it to the writer until it has looked. */
			atomic_long_or(RWSEM_FLAG_WAKING, &sem->count);
			wake_q_add(wake_q, waiter->task);
		}
		return;
	}
	/* Reader count overflow: let the holders drain first. */
	if (unlikely(atomic_long_read(&sem->count) < 0))
		return;

	if (wake_type != RWSEM_WAKE_READ_OWNED) {
		adjustment = RWSEM_READER_BIAS;
		/* Fully ordered: orders the grant after the last holder's release. */
		oldcount = atomic_long_fetch_add(adjustment, &sem->count);
		if (unlikely(oldcount & RWSEM_WRITER_MASK)) {
			/* A writer stole it. Waited too long: ask for hand-off. */
			if (time_after(jiffies, waiter->timeout)) {
				if (!(oldcount & RWSEM_FLAG_HANDOFF))
					adjustment -= RWSEM_FLAG_HANDOFF;
				WRITE_ONCE(waiter->handoff_set, true);
			}
			atomic_long_add(-adjustment, &sem->count);
			return;
		}
		rwsem_set_reader_owned_by(sem, waiter->task);
	}

	INIT_LIST_HEAD(&wlist);
	list_for_each_entry_safe(waiter, tmp, &sem->wait_list, list) {
		if (waiter->type == RWSEM_WAITING_FOR_WRITE)
			continue;
		woken++;
		list_move_tail(&waiter->list, &wlist);
		if (unlikely(woken >= MAX_READERS_WAKEUP))
			break;
	}
	rwsem_update_head(sem);

	adjustment = woken * RWSEM_READER_BIAS - adjustment;
	oldcount = atomic_long_read(&sem->count);
	if (list_empty(&sem->wait_list)) {
		adjustment -= RWSEM_FLAG_WAITERS;
		if (oldcount & RWSEM_FLAG_HANDOFF)
			adjustment -= RWSEM_FLAG_HANDOFF;
	} else if (woken) {
		/* Readers got in: writers need not be forced out any more. */
		if (oldcount & RWSEM_FLAG_HANDOFF)
			adjustment -= RWSEM_FLAG_HANDOFF;
	}
	if (adjustment)
		atomic_long_add(adjustment, &sem->count);

	list_for_each_entry_safe(waiter, tmp, &wlist, list) {
		struct task_struct *t = waiter->task;

		/*
		 * Reference first: once waiter->task is NULL the reader may
		 * return without sleeping, and its thread may exit.
		 * Release: the reader's acquire load sees its grant complete.
		 */
		wake_q_add(wake_q, t);
		__atomic_store_n(&waiter->task, NULL, __ATOMIC_RELEASE);
	}
}

/*
 * After queueing, wake the head if the lock is not writer-held: readers
 * only if readers hold it, anyone if it is free.
 */
static void rwsem_cond_wake_waiter(struct rw_semaphore *sem, long count, struct wake_q *wake_q)
{
	enum rwsem_wake_type wake_type;

	if (count & RWSEM_WRITER_MASK)
		return;
	if (count & RWSEM_READER_MASK) {
		wake_type = RWSEM_WAKE_READERS;
	} else {
		wake_type = RWSEM_WAKE_ANY;
		rwsem_clear_nonspinnable(sem);
	}
	rwsem_mark_wake(sem, wake_type, wake_q);
}

/*
 * A waiter gives up (signal), under wait_lock, which this drops. If it was
 * the head, whoever now heads the queue may be able to run: wake it.
 */
static void rwsem_del_wake_waiter(struct rw_semaphore *sem, struct rwsem_waiter *waiter,
				  struct wake_q *wake_q)
{
	struct rwsem_waiter *first = rwsem_first_waiter(sem);

	if (first == waiter && waiter->type == RWSEM_WAITING_FOR_WRITE)
		atomic_long_andnot(RWSEM_FLAG_WAKING, &sem->count);
	if (rwsem_del_waiter(sem, waiter) && first == waiter)
		rwsem_mark_wake(sem, RWSEM_WAKE_ANY, wake_q);
	raw_spin_unlock_irq(&sem->wait_lock);
	wake_up_q(wake_q);
}

int lksync_rwsem_down_read_slowpath(struct rw_semaphore *sem, long count, unsigned int state)
{
	long adjustment = -(long)RWSEM_READER_BIAS;
	long rcnt = (long)((unsigned long)count >> RWSEM_READER_SHIFT);
	struct rwsem_waiter waiter;
	struct wake_q wake_q;

	wake_q.n = 0;
	/*
	 * Other readers hold it and someone waits: queue, so that a stream
	 * of readers cannot starve the waiting writer.
	 */
	if ((atomic_long_read(&sem->owner) & RWSEM_READER_OWNED) && rcnt > 1 &&
	    !(count & RWSEM_WRITER_LOCKED))
		goto queue;

	/* Steal: no writer, no hand-off; keep the bias already added. */
	if (!(count & (RWSEM_WRITER_LOCKED | RWSEM_FLAG_HANDOFF))) {
		rwsem_set_reader_owned_by(sem, current);
		/* The first reader in brings the queued readers along. */
		if (rcnt == 1 && (count & RWSEM_FLAG_WAITERS) && READ_ONCE(sem->reader_head)) {
			raw_spin_lock_irq(&sem->wait_lock);
			if (!list_empty(&sem->wait_list))
				rwsem_mark_wake(sem, RWSEM_WAKE_READ_OWNED, &wake_q);
			raw_spin_unlock_irq(&sem->wait_lock);
			wake_up_q(&wake_q);
		}
		return 0;
	}

queue:
	waiter.task = current;
	waiter.type = RWSEM_WAITING_FOR_READ;
	waiter.timeout = jiffies + RWSEM_WAIT_TIMEOUT;
	waiter.handoff_set = false;

	raw_spin_lock_irq(&sem->wait_lock);
	if (list_empty(&sem->wait_list)) {
		/*
		 * Nobody queued and no writer holds it: the bias we added is
		 * a read lock. Acquire orders the section after the writer's
		 * release that cleared WRITER_LOCKED.
		 */
		if (!(atomic_long_read_acquire(&sem->count) & RWSEM_WRITER_MASK)) {
			raw_spin_unlock_irq(&sem->wait_lock);
			rwsem_set_reader_owned_by(sem, current);
			return 0;
		}
		adjustment += RWSEM_FLAG_WAITERS;
	}
	rwsem_add_waiter(sem, &waiter);
	/* Fully ordered: queued before the count says so. */
	count = atomic_long_add_return(adjustment, &sem->count);
	rwsem_cond_wake_waiter(sem, count, &wake_q);
	raw_spin_unlock_irq(&sem->wait_lock);
	wake_up_q(&wake_q);

	hung_task_set_blocker(sem, BLOCKER_TYPE_RWSEM_READER);
	for (;;) {
		set_current_state(state);
		/* Acquire: pairs with the grant's release in rwsem_mark_wake(). */
		if (!__atomic_load_n(&waiter.task, __ATOMIC_ACQUIRE))
			break;
		if (signal_pending_state(state, current)) {
			raw_spin_lock_irq(&sem->wait_lock);
			if (waiter.task)
				goto out_nolock;
			raw_spin_unlock_irq(&sem->wait_lock);
			/* Granted meanwhile; wait_lock ordered the grant before us. */
			break;
		}
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	hung_task_clear_blocker();
	return 0;

out_nolock:
	rwsem_del_wake_waiter(sem, &waiter, &wake_q);
	__set_current_state(TASK_RUNNING);
	hung_task_clear_blocker();
	return -EINTR;
}

/* The lock is free of holders and hand-off: take it for writing. */
static bool rwsem_try_write_lock_unqueued(struct rw_semaphore *sem)
{
	long count = atomic_long_read(&sem->count);

	while (!(count & (RWSEM_LOCK_MASK | RWSEM_FLAG_HANDOFF))) {
		/* Acquire on success: the section follows the last holder's. */
		if (atomic_long_try_cmpxchg_acquire(&sem->count, &count,
						    count | RWSEM_WRITER_LOCKED)) {
			rwsem_set_owner(sem);
			return true;
		}
	}
	return false;
}

/*
 * Optimistic spinning: while the lock changes hands quickly, a writer takes
 * it without sleeping. One spinner at a time (the kernel's osq), the others
 * queue. Ends when the owner is marked non-spinnable, after
 * RWSEM_WSPIN_NS, or after the reader bound on a reader-owned lock (then
 * marked non-spinnable, as the kernel does, until a reader wakes a waiter).
 */
static bool rwsem_optimistic_spin(struct rw_semaphore *sem)
{
	long long start, limit = RWSEM_WSPIN_NS;
	bool taken = false, reader_phase = false;
	int zero = 0;

	if (atomic_long_read(&sem->owner) & RWSEM_NONSPINNABLE)
		return false;
	/* Acquire/release pair the osq slot between successive spinners. */
	if (!atomic_try_cmpxchg_acquire(&sem->osq, &zero, 1))
		return false;
	start = 0;
	for (unsigned int loop = 1;; loop++) {
		long owner;

		if (rwsem_try_write_lock_unqueued(sem)) {
			taken = true;
			break;
		}
		owner = atomic_long_read(&sem->owner);
		if (owner & RWSEM_NONSPINNABLE)
			break;
		/* A writer owner asleep will not release soon: the kernel's !owner_on_cpu(). */
		if (!(owner & RWSEM_READER_OWNED) && (owner & ~RWSEM_OWNER_FLAGS_MASK) &&
		    lksync_task_parked((struct task_struct *)(owner & ~RWSEM_OWNER_FLAGS_MASK)))
			break;
		if ((owner & RWSEM_READER_OWNED) && !reader_phase) {
			long rcnt = (long)((unsigned long)atomic_long_read(&sem->count) >>
					   RWSEM_READER_SHIFT);

			reader_phase = true;
			limit = (start ? lksync_now_ns() - start : 0) + RWSEM_RSPIN_NS(rcnt);
		}
		/* The clock is read rarely: most spins are far shorter. */
		if (!(loop & 0x3f)) {
			long long now = lksync_now_ns();

			if (!start) {
				start = now;
			} else if (now - start > limit) {
				if (owner & RWSEM_READER_OWNED)
					rwsem_set_nonspinnable(sem);
				break;
			}
		}
		cpu_relax();
	}
	atomic_set_release(&sem->osq, 0);
	return taken;
}

/*
 * Under wait_lock: take the lock for @waiter, or set the hand-off bit if it
 * has waited too long. Return: true if taken (then it is off the queue).
 */
static bool rwsem_try_write_lock(struct rw_semaphore *sem, struct rwsem_waiter *waiter)
{
	struct rwsem_waiter *first = rwsem_first_waiter(sem);
	long count, new;
	bool taken;

	count = atomic_long_read(&sem->count);
	do {
		bool has_handoff = count & RWSEM_FLAG_HANDOFF;

		/* Looked at the lock: a releaser must wake us again. */
		new = count & ~RWSEM_FLAG_WAKING;
		taken = false;
		if (has_handoff && READ_ONCE(first->handoff_set) && waiter != first) {
			/* The hand-off belongs to the head that asked for it. */
		} else if (count & RWSEM_LOCK_MASK) {
			if (!has_handoff && time_after(jiffies, waiter->timeout))
				new |= RWSEM_FLAG_HANDOFF;
		} else {
			new |= RWSEM_WRITER_LOCKED;
			new &= ~RWSEM_FLAG_HANDOFF;
			if (list_is_singular(&sem->wait_list))
				new &= ~RWSEM_FLAG_WAITERS;
			taken = true;
		}
		if (new == count)
			return false;
		/* Acquire on success: the section follows the last holder's. */
	} while (!atomic_long_try_cmpxchg_acquire(&sem->count, &count, new));

	if (!taken) {
		if ((new & RWSEM_FLAG_HANDOFF) && !(count & RWSEM_FLAG_HANDOFF))
			WRITE_ONCE(first->handoff_set, true);
		return false;
	}
	list_del(&waiter->list);
	rwsem_update_head(sem);
	rwsem_set_owner(sem);
	return true;
}

/* Spin briefly after a hand-off: true if the lock came free meanwhile. */
static bool rwsem_spin_for_handoff(struct rw_semaphore *sem)
{
	long long start = lksync_now_ns();

	for (unsigned int loop = 1;; loop++) {
		if (!(atomic_long_read(&sem->count) & RWSEM_LOCK_MASK))
			return true;
		if (!(loop & 0xf) && lksync_now_ns() - start > RWSEM_WSPIN_NS)
			return false;
		cpu_relax();
	}
}

int lksync_rwsem_down_write_slowpath(struct rw_semaphore *sem, unsigned int state)
{
	struct rwsem_waiter waiter;
	struct wake_q wake_q;

	if (rwsem_optimistic_spin(sem))
		return 0;

	wake_q.n = 0;
	waiter.task = current;
	waiter.type = RWSEM_WAITING_FOR_WRITE;
	waiter.timeout = jiffies + RWSEM_WAIT_TIMEOUT;
	waiter.handoff_set = false;

	raw_spin_lock_irq(&sem->wait_lock);
	rwsem_add_waiter(sem, &waiter);
	if (rwsem_first_waiter(sem) != &waiter) {
		/* Readers ahead of us may be able to run: let them. */
		rwsem_cond_wake_waiter(sem, atomic_long_read(&sem->count), &wake_q);
		if (wake_q.n) {
			raw_spin_unlock_irq(&sem->wait_lock);
			wake_up_q(&wake_q);
			raw_spin_lock_irq(&sem->wait_lock);
		}
	} else {
		/* Fully ordered: the releaser that drops the lock sees it. */
		atomic_long_or(RWSEM_FLAG_WAITERS, &sem->count);
	}

	hung_task_set_blocker(sem, BLOCKER_TYPE_RWSEM_WRITER);
	set_current_state(state);
	for (;;) {
		if (rwsem_try_write_lock(sem, &waiter))
			break;
		raw_spin_unlock_irq(&sem->wait_lock);
		if (signal_pending_state(state, current))
			goto out_nolock;
		/* Hand-off is ours: the lock is about to come to us. */
		if (READ_ONCE(waiter.handoff_set) && rwsem_spin_for_handoff(sem))
			goto trylock_again;
		schedule();
		set_current_state(state);
trylock_again:
		raw_spin_lock_irq(&sem->wait_lock);
	}
	__set_current_state(TASK_RUNNING);
	raw_spin_unlock_irq(&sem->wait_lock);
	hung_task_clear_blocker();
	return 0;

out_nolock:
	__set_current_state(TASK_RUNNING);
	hung_task_clear_blocker();
	raw_spin_lock_irq(&sem->wait_lock);
	rwsem_del_wake_waiter(sem, &waiter, &wake_q);
	return -EINTR;
}

/* up_read()/up_write() found waiters: wake the head. */
void lksync_rwsem_wake(struct rw_semaphore *sem)
{
	struct wake_q wake_q;
	unsigned long flags;

	wake_q.n = 0;
	rwsem_clear_nonspinnable(sem);
	raw_spin_lock_irqsave(&sem->wait_lock, flags);
	if (!list_empty(&sem->wait_list))
		rwsem_mark_wake(sem, RWSEM_WAKE_ANY, &wake_q);
	raw_spin_unlock_irqrestore(&sem->wait_lock, flags);
	wake_up_q(&wake_q);
}

/* downgrade_write() found waiters: the caller reads now, let readers in. */
void lksync_rwsem_downgrade_wake(struct rw_semaphore *sem)
{
	struct wake_q wake_q;
	unsigned long flags;

	wake_q.n = 0;
	raw_spin_lock_irqsave(&sem->wait_lock, flags);
	if (!list_empty(&sem->wait_list))
		rwsem_mark_wake(sem, RWSEM_WAKE_READ_OWNED, &wake_q);
	raw_spin_unlock_irqrestore(&sem->wait_lock, flags);
	wake_up_q(&wake_q);
}

#ifdef LKSYNC_DEBUG
/*
 * The debug flavor's entry points: lockdep's hooks where the kernel's
 * kernel/locking/rwsem.c has them (acquire before the blocking lock, read
 * acquisitions shared and never recursive, a trylock reported only when it
 * succeeds, a failed interruptible or killable wait released again, the
 * unlock released first), with _RET_IP_ the caller of the inline wrapper.
 */
void lksync_init_rwsem(struct rw_semaphore *sem, const char *name, struct lock_class_key *key)
{
	/* Re-initializing a held rwsem is lockdep's "held lock freed!". */
	debug_check_no_locks_freed((void *)sem, sizeof(*sem));
	lockdep_init_map_wait(&sem->dep_map, name, key, 0, LD_WAIT_SLEEP);
	atomic_long_set(&sem->count, RWSEM_UNLOCKED_VALUE);
	atomic_long_set(&sem->owner, 0);
	atomic_set(&sem->osq, 0);
	sem->reader_head = 0;
	raw_spin_lock_init(&sem->wait_lock);
	INIT_LIST_HEAD(&sem->wait_list);
}

int lksync_down_read_debug(struct rw_semaphore *sem, unsigned int state, unsigned int subclass)
{
	unsigned long ip = _RET_IP_;
	int ret = 0;

	might_sleep();
	rwsem_acquire_read(&sem->dep_map, subclass, 0, ip);
	if (!__down_read_trylock(sem)) {
		lock_contended(&sem->dep_map, ip);
		ret = __down_read_common(sem, state);
	}
	if (ret) {
		rwsem_release(&sem->dep_map, ip);
		return ret;
	}
	lock_acquired(&sem->dep_map, ip);
	return 0;
}

int lksync_down_write_debug(struct rw_semaphore *sem, unsigned int state,
			    unsigned int subclass, struct lockdep_map *nest)
{
	unsigned long ip = _RET_IP_;
	int ret = 0;

	might_sleep();
	rwsem_acquire_nest(&sem->dep_map, subclass, 0, nest, ip);
	if (!__down_write_trylock(sem)) {
		lock_contended(&sem->dep_map, ip);
		ret = __down_write_common(sem, state);
	}
	if (ret) {
		rwsem_release(&sem->dep_map, ip);
		return ret;
	}
	lock_acquired(&sem->dep_map, ip);
	return 0;
}

int lksync_down_read_trylock_debug(struct rw_semaphore *sem)
{
	int ret = __down_read_trylock(sem);

	if (ret)
		rwsem_acquire_read(&sem->dep_map, 0, 1, _RET_IP_);
	return ret;
}

int lksync_down_write_trylock_debug(struct rw_semaphore *sem)
{
	int ret = __down_write_trylock(sem);

	if (ret)
		rwsem_acquire(&sem->dep_map, 0, 1, _RET_IP_);
	return ret;
}

void lksync_up_read_debug(struct rw_semaphore *sem)
{
	rwsem_release(&sem->dep_map, _RET_IP_);
	__up_read(sem);
}

void lksync_up_write_debug(struct rw_semaphore *sem)
{
	rwsem_release(&sem->dep_map, _RET_IP_);
	__up_write(sem);
}

void lksync_downgrade_write_debug(struct rw_semaphore *sem)
{
	lock_downgrade(&sem->dep_map, _RET_IP_);
	__downgrade_write(sem);
}
#endif /* LKSYNC_DEBUG */
