// SPDX-License-Identifier: MIT
/*
 * Layer: sched. The one sleeping mechanism: a task sets its state, schedule()
 * parks it on a futex on that state word, wake_up_process() sets it back to
 * TASK_RUNNING and wakes the futex. Every sleeping primitive ends up here.
 *
 * task_struct::__state (P = LKSYNC_TASK_PARKED):
 *
 *   TASK_RUNNING          running; wakers leave it alone
 *   S (a sleep state)     about to sleep: still testing its condition
 *   S | P                 parked in FUTEX_WAIT on the word: wakers FUTEX_WAKE
 *
 * Only the task moves RUNNING -> S -> S|P; anyone moves S or S|P -> RUNNING
 * with a compare-and-exchange, and only a waker that saw P makes the system
 * call. Signals, timeouts and wakers all end a sleep the same way, by that
 * transition, so a sleep ends exactly once and no wake-up is lost.
 *
 * Debug flavor: the hung-task detector (the kernel's DETECT_HUNG_TASK) is
 * a watch on each sleep here rather than a thread scanning every task. A
 * sleep in TASK_UNINTERRUPTIBLE (not killable, not TASK_NOLOAD) that may
 * last longer than the bound parks with a futex timeout at the bound;
 * waking there with the state still asleep, the task reports itself once,
 * from its own stack, and parks again. The report changes no state, so a
 * wake-up during it is seen by the loop and none is lost.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <time.h>
#include <lksync/barrier.h>
#include <lksync/processor.h>
#include <lksync/printk.h>
#include <lksync/jiffies.h>
#include <lksync/delay.h>
#include "arch/futex.h"
#include "sched/sched.h"

long long lksync_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* End the sleep ourselves (signal, timeout) unless a waker already did. Return: 1 if we did. */
static int set_running(struct task_struct *t, unsigned int s)
{
	/* Acquire pairs with a waker's release: what it published before waking is visible. */
	return __atomic_compare_exchange_n(&t->__state, &s, TASK_RUNNING, 0,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

#ifdef LKSYNC_DEBUG

/*
 * When a sleep in @state that ends by @deadline (0: none) becomes a hung
 * task, or 0 if it cannot: the kernel watches TASK_UNINTERRUPTIBLE only,
 * not TASK_KILLABLE (TASK_WAKEKILL) nor TASK_IDLE (TASK_NOLOAD), and a
 * sleep whose timeout comes first wakes before the bound.
 */
static long long hung_at(unsigned int state, long long deadline)
{
	long long now;
	u64 bound;

	if ((state & (TASK_UNINTERRUPTIBLE | TASK_WAKEKILL | TASK_NOLOAD)) != TASK_UNINTERRUPTIBLE)
		return 0;
	bound = lksync_hung_task_bound();
	if (!bound)
		return 0;
	now = lksync_now_ns();
	/* Past the clock's range: never. */
	if (bound >= (u64)(LLONG_MAX - now) || (deadline && deadline - now <= (long long)bound))
		return 0;
	return now + (long long)bound;
}
#endif

/*
 * Sleep until the state is TASK_RUNNING, a pending signal ends a sleep in
 * this state, or @deadline (ns, 0 = none) passes.
 * Return: 1 if the deadline ended the sleep, else 0. The state is TASK_RUNNING.
 */
static int sleep_until(struct task_struct *t, long long deadline)
{
	unsigned int s;
#ifdef LKSYNC_DEBUG
	long long hung = hung_at(__atomic_load_n(&t->__state, __ATOMIC_RELAXED), deadline);
#endif

	/*
	 * No spinning here, as the kernel's schedule() does not spin: the
	 * sleeping locks spin on their own words before they get here, and a
	 * spin in front of every sleep measured 14 us on a machine with a
	 * slow pause instruction, three times a futex round trip.
	 */
	for (;;) {
		struct timespec rel, *relp = NULL;
		long long until;

		s = __atomic_load_n(&t->__state, __ATOMIC_ACQUIRE);
		if (s == TASK_RUNNING)
			return 0;
		if (!(s & LKSYNC_TASK_PARKED)) {
			/*
			 * Full barrier: the signal test below is ordered after
			 * the state is visible, pairing with send_sig(), which
			 * sets the pending bit before it reads the state.
			 */
			if (!__atomic_compare_exchange_n(&t->__state, &s, s | LKSYNC_TASK_PARKED, 0,
							 __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE))
				continue;
			s |= LKSYNC_TASK_PARKED;
		}
		if (signal_pending_state(s & ~LKSYNC_TASK_PARKED, t)) {
			set_running(t, s);
			return 0;
		}
		until = deadline;
#ifdef LKSYNC_DEBUG
		if (hung) {
			if (lksync_now_ns() >= hung) {
				/* Once per sleep; then look at the state again. */
				hung = 0;
				lksync_hung_task();
				continue;
			}
			until = hung;	/* before @deadline, see hung_at() */
		}
#endif
		if (until) {
			long long left = until - lksync_now_ns();

			if (left <= 0) {
				if (until == deadline)
					return set_running(t, s);
				continue;	/* the hung-task bound */
			}
		}
#ifdef LKSYNC_TSAN
		{
			/*
			 * TSan defers a signal that lands between the look above
			 * and the futex wait until the thread's next intercepted
			 * call: an interrupt handler that would wake us could wait
			 * behind our own sleep. Look again every few ms (TSan
			 * builds only; the release flavor sleeps until woken).
			 */
			long long cap = lksync_now_ns() + 5000000LL;

			if (!until || until > cap)
				until = cap;
		}
#endif
		if (until) {
			long long left = until - lksync_now_ns();

			if (left <= 0)
				continue;
			rel.tv_sec = left / 1000000000LL;
			rel.tv_nsec = left % 1000000000LL;
			relp = &rel;
		}
		/* -EINTR (an interrupt signal), -EAGAIN, -ETIMEDOUT: all re-examined above. */
		lksync_futex_wait(&t->__state, s, relp);
	}
}

int lksync_wake_up_state(struct task_struct *p, unsigned int state)
{
	unsigned int s;

	/*
	 * Full barrier before reading the state: the caller's condition store
	 * cannot pass it, pairing with set_current_state()'s barrier.
	 */
	__smp_mb();	/* even uniprocessor: the threads run on several CPUs */
	s = __atomic_load_n(&p->__state, __ATOMIC_RELAXED);
	do {
		if (!(s & state))
			return 0;
		/* Release: the sleeper sees what we published when it sees TASK_RUNNING. */
	} while (!__atomic_compare_exchange_n(&p->__state, &s, TASK_RUNNING, 0,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	if (s & LKSYNC_TASK_PARKED)
		lksync_futex_wake(&p->__state, 1);
	return 1;
}

/* The Big Kernel Lock is released for any call of schedule(), as the kernel's was. */
static long long schedule_deadline(long long deadline)
{
	struct task_struct *t = current;
	int bkl = t->lock_depth >= 0;
	int timed_out;

	schedule_debug(t);
	if (unlikely(bkl))
		lksync_bkl_drop();
	timed_out = sleep_until(t, deadline);
	if (unlikely(bkl))
		lksync_bkl_retake();
	if (!deadline || timed_out)
		return 0;
	deadline -= lksync_now_ns();
	return deadline > 0 ? deadline : 1;
}

void lksync_schedule(void)
{
	schedule_deadline(0);
}

long long lksync_schedule_hrtimeout(long long ns)
{
	long long now;

	if (ns <= 0) {
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	now = lksync_now_ns();
	/* Saturate: a deadline past the clock's range is no deadline at all. */
	return schedule_deadline(ns > LLONG_MAX - now ? LLONG_MAX : now + ns);
}

long lksync_schedule_timeout(long timeout)
{
	long long start, ns, elapsed;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0) {
		pr_err("schedule_timeout: wrong timeout value %lx\n", (unsigned long)timeout);
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	if (!timeout)
		schedule_debug(current);	/* the kernel's schedule_timeout(0) still calls schedule() */
	start = lksync_now_ns();
	/* Beyond the clock's range the sleep is unbounded (it saturates). */
	ns = timeout > LLONG_MAX / TICK_NSEC ? LLONG_MAX : (long long)timeout * TICK_NSEC;
	if (!lksync_schedule_hrtimeout(ns))
		return 0;
	/* Woken early: the jiffies left (the kernel's expire - jiffies), at least 1. */
	elapsed = (lksync_now_ns() - start) / TICK_NSEC;
	return elapsed < timeout ? timeout - (long)elapsed : 1;
}

void lksync_yield(void)
{
	sched_yield();
}

unsigned long lksync_msleep(unsigned int ms, unsigned int state)
{
	long long left = (long long)ms * 1000000;

	might_sleep();
	while (left > 0) {
		if ((state & TASK_INTERRUPTIBLE) && signal_pending(current))
			break;
		__set_current_state(state);
		left = lksync_schedule_hrtimeout(left);
	}
	return left > 0 ? (unsigned long)((left + 999999) / 1000000) : 0;
}

void lksync_ndelay(unsigned long long ns)
{
	long long end = lksync_now_ns() + (long long)ns;

	while (lksync_now_ns() < end)
		cpu_relax();
}

/*
 * Jiffies start at INITIAL_JIFFIES when the process does (or at the first
 * read). The counter is a u64 that only grows: the clock's jiffy, computed
 * on each read, is published with a compare-and-exchange maximum, so
 * concurrent readers, the tick and a reader in a signal handler all agree
 * and none sees it go back. It publishes nothing but itself: relaxed order.
 */
static long long jiffies_base_ns;
u64 lksync_jiffies_64 = INITIAL_JIFFIES;
static __thread u64 jiffies_64_snap LKSYNC_TLS_MODEL;

__attribute__((constructor)) static void jiffies_init(void)
{
	long long zero = 0;

	__atomic_compare_exchange_n(&jiffies_base_ns, &zero, lksync_now_ns(), 0,
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

u64 lksync_get_jiffies_64(void)
{
	long long base = __atomic_load_n(&jiffies_base_ns, __ATOMIC_RELAXED);
	u64 now, cur;

	if (unlikely(!base)) {
		jiffies_init();
		base = __atomic_load_n(&jiffies_base_ns, __ATOMIC_RELAXED);
	}
	now = (u64)INITIAL_JIFFIES + (u64)((lksync_now_ns() - base) / TICK_NSEC);
	cur = __atomic_load_n(&lksync_jiffies_64, __ATOMIC_RELAXED);
	/* A failed exchange reloads cur: stop once someone published >= now. */
	while (cur < now) {
		if (__atomic_compare_exchange_n(&lksync_jiffies_64, &cur, now, 1,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return now;
	}
	return cur;
}

/* The monotonic time at which jiffy @j begins (for the tick's clock thread). */
long long lksync_jiffy_start_ns(u64 j)
{
	if (unlikely(!__atomic_load_n(&jiffies_base_ns, __ATOMIC_RELAXED)))
		jiffies_init();
	return __atomic_load_n(&jiffies_base_ns, __ATOMIC_RELAXED) +
	       (long long)(j - INITIAL_JIFFIES) * TICK_NSEC;
}

u64 *lksync_jiffies_64_snapshot(void)
{
	jiffies_64_snap = lksync_get_jiffies_64();
	return &jiffies_64_snap;
}
