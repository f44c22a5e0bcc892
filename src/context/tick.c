// SPDX-License-Identifier: MIT
/*
 * Layer: context. The timer tick: a real interrupt line (LKSYNC_TIMER_IRQ,
 * IRQF_TIMER) that lksync requests for itself, raised by a clock thread
 * ("ktimerd") at the jiffies where the timer wheel has work, and not at all
 * while no timer is pending (NO_HZ), or at every jiffy once
 * lksync_tick_set_periodic(true) asked for the kernel's HZ_PERIODIC. Its handler advances jiffies_64 under
 * xtime_lock and raises TIMER_SOFTIRQ when a timer is due; the wheel runs in
 * that softirq (src/context/timer.c).
 *
 * The line is requested by the clock thread, so by default the interrupt is
 * delivered to it and timer callbacks run there, in softirq context; a user
 * can route it to any task with lksync_irq_route(LKSYNC_TIMER_IRQ, task).
 * Should the line be unavailable (taken by the program without IRQF_SHARED),
 * the clock thread runs the handler and the softirq itself, in the same
 * contexts.
 *
 * The clock thread is a plain pthread started on first use (timer_setup(),
 * or the first arming outside interrupt context): pthread_create() allocates,
 * which a hardirq handler must not do, but needs no sleeping on our side, so
 * arming under a spinlock may start it.
 *
 * tick_state:	0 not started -> 1 starting (one winner) -> 2 running
 * clock_seq:	futex word the clock thread sleeps on; bumped by every kick,
 *		so a kick between planning and sleeping is never lost.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <limits.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <lksync/timer.h>
#include <lksync/interrupt.h>
#include <lksync/irq.h>
#include <lksync/bug.h>
#include "arch/futex.h"
#include "sched/sched.h"
#include "context/online.h"
#include "context/timer.h"

seqlock_t lksync_xtime_lock = __SEQLOCK_UNLOCKED(lksync_xtime_lock);

static u32 tick_state;
static u32 clock_seq;
static bool tick_periodic;		/* HZ_PERIODIC rather than NO_HZ */
static struct task_struct *tick_task;
static int tick_dev;			/* the line's dev_id */

/* The tick's work: advance jiffies_64 under the seqlock. Return: a timer is due. */
static bool tick_update(void)
{
	u64 now;

	write_seqlock(&xtime_lock);
	now = get_jiffies_64();		/* catches the counter up to the clock */
	write_sequnlock(&xtime_lock);
	return lksync_timer_due((unsigned long)now);
}

static irqreturn_t tick_interrupt(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	if (tick_update())
		raise_softirq_irqoff(TIMER_SOFTIRQ);
	return IRQ_HANDLED;
}

/* No line: the clock thread is its own interrupt, then its own softirq. */
static void tick_emulated(void)
{
	unsigned long flags;
	bool due;

	local_irq_save(flags);
	preempt_count_add(HARDIRQ_OFFSET);
	due = tick_update();
	preempt_count_sub(HARDIRQ_OFFSET);
	local_irq_restore(flags);
	if (due) {
		preempt_count_add(SOFTIRQ_OFFSET);
		lksync_timer_softirq();
		preempt_count_sub(SOFTIRQ_OFFSET);
	}
}

static void clock_sleep(u32 seq, long long deadline)
{
	struct timespec rel, *relp = NULL;
	long long left;

	if (deadline) {
		left = deadline - lksync_now_ns();
		if (left <= 0)
			return;
		rel.tv_sec = left / 1000000000;
		rel.tv_nsec = left % 1000000000;
		relp = &rel;
	}
	lksync_futex_wait(&clock_seq, seq, relp);
}

static void *clock_main(void *arg)
{
	unsigned long next, last = 0;
	bool have_last = false, irq_ok, have;
	long long deadline;
	u32 seq;

	(void)arg;
	prctl(PR_SET_NAME, "ktimerd");
	/* The default 50 us of timer slack would be added to every tick. */
	prctl(PR_SET_TIMERSLACK, 1UL);
	irq_ok = !request_irq(LKSYNC_TIMER_IRQ, tick_interrupt, IRQF_TIMER, "timer",
			      &tick_dev);
	/* Release: lksync_timer_tick_task() reads the task once it sees 2. */
	__atomic_store_n(&tick_task, current, __ATOMIC_RELAXED);
	__atomic_store_n(&tick_state, 2, __ATOMIC_RELEASE);
	lksync_futex_wake(&tick_state, INT_MAX);

	for (;;) {
		/* Read before planning: a later kick changes it and ends the sleep. */
		seq = __atomic_load_n(&clock_seq, __ATOMIC_RELAXED);
		have = lksync_timer_next_event(&next);
		if (__atomic_load_n(&tick_periodic, __ATOMIC_RELAXED)) {
			/* The jiffy after the last tick; now, if that one is past. */
			unsigned long now = jiffies;
			unsigned long every = have_last && time_after(last + 1, now) ?
					      last + 1 : now;

			if (!have || time_after(next, every))
				next = every;
			have = true;
		}
		if (!have) {
			clock_sleep(seq, 0);
			continue;
		}
		/*
		 * A jiffy already raised but not yet run (the line is routed
		 * to a busy task) is raised again only a jiffy later.
		 */
		if (have_last && !time_after(next, last))
			next = last + 1;
		deadline = lksync_jiffy_start_ns(next);
		if (lksync_now_ns() < deadline) {
			clock_sleep(seq, deadline);
			continue;
		}
		last = jiffies;
		have_last = true;
		if (!irq_ok || lksync_irq_raise(LKSYNC_TIMER_IRQ) < 0)
			tick_emulated();
	}
	return NULL;
}

bool lksync_tick_started(void)
{
	return __atomic_load_n(&tick_state, __ATOMIC_RELAXED) != 0;
}

void lksync_tick_start(void)
{
	pthread_attr_t attr;
	pthread_t thread;
	u32 zero = 0;

	if (!__atomic_compare_exchange_n(&tick_state, &zero, 1, 0,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return;
	open_softirq(TIMER_SOFTIRQ, lksync_timer_softirq);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (WARN(pthread_create(&thread, &attr, clock_main, NULL),
		 "timer: cannot start the clock thread\n"))
		__atomic_store_n(&tick_state, 0, __ATOMIC_RELAXED);
	pthread_attr_destroy(&attr);
}

bool lksync_tick_set_periodic(bool periodic)
{
	bool old = __atomic_exchange_n(&tick_periodic, periodic, __ATOMIC_RELAXED);

	lksync_tick_start();
	lksync_tick_kick();	/* re-plan now */
	return old;
}

void lksync_tick_kick(void)
{
	/* Any value change ends the clock's futex sleep; it re-plans under the base lock. */
	__atomic_add_fetch(&clock_seq, 1, __ATOMIC_RELAXED);
	lksync_futex_wake(&clock_seq, 1);
}

struct task_struct *lksync_timer_tick_task(void)
{
	u32 s;

	lksync_tick_start();
	while ((s = __atomic_load_n(&tick_state, __ATOMIC_ACQUIRE)) != 2) {
		if (s == 0)
			return NULL;	/* could not start: reported */
		lksync_futex_wait(&tick_state, s, NULL);
	}
	return __atomic_load_n(&tick_task, __ATOMIC_RELAXED);
}

void lksync_timer_init(struct timer_list *timer, void (*callback)(struct timer_list *),
		       unsigned int flags)
{
	timer->entry.next = NULL;
	timer->entry.prev = NULL;
	timer->expires = 0;
	timer->function = callback;
	timer->flags = flags & TIMER_INIT_FLAGS;
	if (unlikely(!lksync_tick_started()))
		lksync_context_online();
}
