// SPDX-License-Identifier: MIT
/*
 * Layer: context. Softirqs: per-task pending bits run at hardirq exit, at the
 * outermost local_bh_enable(), or by a ksoftirqd/N thread.
 *
 * Each task is a CPU, so a task's pending softirqs are bits in its TLS block
 * (lksync_tls.softirq_pending), with LKSYNC_PENDING_SOFTIRQ set in
 * lksync_tls.pending whenever a bit is (the local_bh_enable() fast path tests
 * only that word). Both are written only by their own thread, in task
 * context with interrupts disabled or in a handler on that thread; a handler
 * that finds interrupts disabled writes neither (it only marks
 * LKSYNC_PENDING_IRQ), but it may OR into lksync_tls.pending at any moment,
 * so every change of that word is an atomic read-modify-write (relaxed: one
 * thread is the only reader).
 *
 * ksoftirqd is where another thread's work goes: raising a softirq from plain
 * task context, or a __do_softirq() that hit its restart limit, moves the
 * task's pending bits and tasklet lists into the inbox of the ksoftirqd of
 * the CPU the task runs on (the kernel's wakeup_softirqd()), under the
 * inbox's lock, taken with interrupts disabled; ksoftirqd takes them into its
 * own TLS and runs them. A ksoftirqd that finds only tasklets it cannot run
 * (disabled, or running elsewhere) sleeps a jiffy instead of spinning;
 * tasklet_enable() wakes it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <lksync/interrupt.h>
#include <lksync/kthread.h>
#include <lksync/printk.h>
#include <lksync/smp.h>
#include <lksync/cpumask.h>
#include <lksync/spinlock.h>
#include "locking/wait_lock.h"
#include "sched/sched.h"
#include "context/online.h"
#include "context/softirq.h"

/* The kernel's budget for one __do_softirq(): 2 ms or 10 restarts. */
#define MAX_SOFTIRQ_TIME_NS	2000000LL
#define MAX_SOFTIRQ_RESTART	10
#define TASKLET_MASK		((1u << TASKLET_SOFTIRQ) | (1u << HI_SOFTIRQ))

const char *const lksync_softirq_to_name[NR_SOFTIRQS] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL",
	"TASKLET", "SCHED", "HRTIMER", "RCU"
};

static struct softirq_action softirq_vec[NR_SOFTIRQS] = {
	[HI_SOFTIRQ] = { lksync_tasklet_hi_action },
	[TASKLET_SOFTIRQ] = { lksync_tasklet_action },
};

struct ksoftirqd {
	raw_spinlock_t lock;			/* the inbox, interrupts disabled */
	unsigned int pending;			/* softirqs handed over */
	struct tasklet_struct *tasklets[2];	/* tasklet lists handed over (tails) */
	struct task_struct *task;
} __aligned(64);

static struct ksoftirqd *ksoftirqds;	/* published once all threads exist */
static unsigned int nr_ksoftirqds;
static pthread_mutex_t ksoftirqd_create_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread struct ksoftirqd *this_ksoftirqd LKSYNC_TLS_MODEL;

/* Take this task's pending softirqs. Context: interrupts disabled. */
static unsigned int softirq_take(void)
{
	__atomic_and_fetch(&lksync_tls.pending, ~LKSYNC_PENDING_SOFTIRQ, __ATOMIC_RELAXED);
	return __atomic_exchange_n(&lksync_tls.softirq_pending, 0, __ATOMIC_RELAXED);
}

static struct ksoftirqd *ksoftirqd_array(void)
{
	/* Acquire: pairs with the publication in lksync_softirq_init(). */
	return __atomic_load_n(&ksoftirqds, __ATOMIC_ACQUIRE);
}

bool lksync_softirq_ready(void)
{
	return ksoftirqd_array() != NULL;
}

struct task_struct *lksync_ksoftirqd_task(unsigned int hint)
{
	struct ksoftirqd *ks = ksoftirqd_array();

	return ks ? ks[hint % nr_ksoftirqds].task : NULL;
}

void lksync_softirq_handoff(void)
{
	struct ksoftirqd *ks = ksoftirqd_array(), *k;
	struct task_struct *me = lksync_tls.task;
	struct tasklet_struct *tl[2] = { NULL, NULL };
	unsigned int p;

	if (unlikely(!ks) && in_task()) {
		lksync_context_online();	/* masked, but task context: may start it */
		ks = ksoftirqd_array();
	}
	if (!ks || this_ksoftirqd)
		return;	/* ksoftirqd runs its own; before any exists, they wait here */
	p = softirq_take();
	if (me) {
		for (int i = 0; i < 2; i++) {
			tl[i] = me->context_private[i];
			me->context_private[i] = NULL;
		}
	}
	if (!p && !tl[0] && !tl[1])
		return;
	k = &ks[raw_smp_processor_id() % nr_ksoftirqds];
	raw_spin_lock(&k->lock);
	/* Atomic stores: ksoftirqd peeks without the lock (ksoftirqd_has_work()). */
	__atomic_store_n(&k->pending, k->pending | p, __ATOMIC_RELAXED);
	for (int i = 0; i < 2; i++)
		__atomic_store_n(&k->tasklets[i], lksync_tasklet_splice(k->tasklets[i], tl[i]),
				 __ATOMIC_RELAXED);
	raw_spin_unlock(&k->lock);
	wake_up_process(k->task);
}

/*
 * The kernel's __do_softirq(): run the pending softirqs in softirq context
 * with interrupts enabled, again while more arrive, within the time and
 * restart budget; what is left goes to ksoftirqd.
 * Context: interrupts disabled, not in interrupt context.
 */
static void do_softirq_pending(void)
{
	long long end = lksync_now_ns() + MAX_SOFTIRQ_TIME_NS;
	int restart = MAX_SOFTIRQ_RESTART;
	unsigned int pending;

	__preempt_count_add(SOFTIRQ_OFFSET);
	pending = softirq_take();
	for (;;) {
		/* Hard interrupts may come while softirq handlers run. */
		lksync_irq_set_enabled();
		while (pending) {
			unsigned int nr = __builtin_ctz(pending);
			/* Acquire: pairs with open_softirq()'s release. */
			void (*action)(void) = __atomic_load_n(&softirq_vec[nr].action,
								__ATOMIC_ACQUIRE);
			int prev = preempt_count();

			pending &= pending - 1;
			if (!action)
				continue;
			action();
			if (unlikely(preempt_count() != prev)) {
				pr_err("huh, entered softirq %u %s %p with preempt_count %08x, exited with %08x?\n",
				       nr, softirq_to_name[nr], (void *)action, prev, preempt_count());
				lksync_tls.preempt_count = (unsigned int)prev;
			}
		}
		local_irq_disable();
		pending = softirq_take();
		if (!pending)
			break;
		if (lksync_now_ns() < end && --restart)
			continue;
		or_softirq_pending(pending);
		lksync_softirq_handoff();
		break;
	}
	__preempt_count_sub(SOFTIRQ_OFFSET);
}

void lksync_softirq_irq_exit(void)
{
	if (!in_interrupt() && local_softirq_pending())
		do_softirq_pending();
}

void lksync_do_softirq(void)
{
	unsigned long flags;

	if (in_interrupt())
		return;
	local_irq_save(flags);
	if (local_softirq_pending())
		do_softirq_pending();
	else	/* handed over meanwhile: nothing left to run here */
		__atomic_and_fetch(&lksync_tls.pending, ~LKSYNC_PENDING_SOFTIRQ, __ATOMIC_RELAXED);
	local_irq_restore(flags);
}

void lksync_bh_enable_slow(void)
{
	lksync_do_softirq();
}

void lksync_open_softirq(int nr, void (*action)(void))
{
	if (WARN(nr < 0 || nr >= NR_SOFTIRQS, "open_softirq: bad softirq %d\n", nr))
		return;
	/* Release: what the action needs is set up before it can be found. */
	__atomic_store_n(&softirq_vec[nr].action, action, __ATOMIC_RELEASE);
}

void lksync_raise_softirq_irqoff(unsigned int nr)
{
	__raise_softirq_irqoff(nr);
	/*
	 * Outside interrupt context (and with bottom halves enabled) nothing
	 * would run it soon: ksoftirqd does, as in the kernel.
	 */
	if (!in_interrupt())
		lksync_softirq_handoff();
}

void lksync_raise_softirq(unsigned int nr)
{
	unsigned long flags;

	if (WARN_ONCE(nr >= NR_SOFTIRQS, "raise_softirq: bad softirq %u\n", nr))
		return;
	/* Lazily, where creating threads is safe: task context, not in a handler. */
	if (unlikely(!lksync_softirq_ready()))
		lksync_context_online();
	local_irq_save(flags);
	lksync_raise_softirq_irqoff(nr);
	local_irq_restore(flags);
}

/* Take what was handed over into this thread's own pending state. */
static void ksoftirqd_take(struct ksoftirqd *k, struct task_struct *me)
{
	unsigned int p;

	raw_spin_lock(&k->lock);
	p = k->pending;
	__atomic_store_n(&k->pending, 0, __ATOMIC_RELAXED);
	for (int i = 0; i < 2; i++) {
		me->context_private[i] = lksync_tasklet_splice(me->context_private[i],
							       k->tasklets[i]);
		if (k->tasklets[i])
			p |= 1u << (i ? HI_SOFTIRQ : TASKLET_SOFTIRQ);
		__atomic_store_n(&k->tasklets[i], NULL, __ATOMIC_RELAXED);
	}
	raw_spin_unlock(&k->lock);
	if (p)
		or_softirq_pending(p);
}

static bool ksoftirqd_has_work(struct ksoftirqd *k)
{
	/* Relaxed: a hint; the inbox is read under its lock. */
	return __atomic_load_n(&k->pending, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&k->tasklets[0], __ATOMIC_RELAXED) ||
	       __atomic_load_n(&k->tasklets[1], __ATOMIC_RELAXED) ||
	       local_softirq_pending();
}

static int run_ksoftirqd(void *data)
{
	struct ksoftirqd *k = data;
	struct task_struct *me = current;

	this_ksoftirqd = k;
#ifdef LKSYNC_TSAN
	lksync_tsan_signal_prime();	/* lines move here when their task exits */
#endif
	while (!kthread_should_stop()) {
		unsigned long ran;

		/*
		 * The wait-loop pattern: a handoff fills the inbox under its
		 * lock and then calls wake_up_process(), whose barrier pairs
		 * with set_current_state()'s.
		 */
		set_current_state(TASK_INTERRUPTIBLE);
		if (!ksoftirqd_has_work(k)) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		local_irq_disable();
		ksoftirqd_take(k, me);
		ran = lksync_tasklet_ran();
		if (local_softirq_pending())
			do_softirq_pending();
		local_irq_enable();
		/*
		 * Only tasklets left that could not run (disabled, or
		 * running on another task): the kernel's ksoftirqd would spin
		 * on them; sleep a jiffy, or until new work or an enable.
		 */
		if (local_softirq_pending() && !(local_softirq_pending() & ~TASKLET_MASK) &&
		    lksync_tasklet_ran() == ran)
			schedule_timeout_interruptible(1);
	}
	return 0;
}

void lksync_softirq_kick(void)
{
	struct ksoftirqd *ks = ksoftirqd_array();

	if (!ks)
		return;
	for (unsigned int i = 0; i < nr_ksoftirqds; i++)
		wake_up_process(ks[i].task);
}

int lksync_softirq_init(void)
{
	struct ksoftirqd *ks;
	unsigned int n, i;
	int ret = 0;

	if (lksync_softirq_ready())
		return 0;
	pthread_mutex_lock(&ksoftirqd_create_lock);
	if (lksync_softirq_ready())
		goto out;
	n = nr_cpu_ids;
	ks = calloc(n, sizeof(*ks));
	if (!ks) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct task_struct *t;

		raw_spin_lock_init(&ks[i].lock);
		/*
		 * Not kthread_run(): its might_sleep() would report this lazy
		 * start, which may come from any task context (a tasklet or
		 * timer armed with interrupts masked), as the kernel's boot-time
		 * start does not.
		 */
		t = lksync_kthread_create(run_ksoftirqd, &ks[i], "ksoftirqd/%u", i);
		if (IS_ERR(t)) {
			/* Never freed: threads already created use their slots. */
			pr_err("ksoftirqd: cannot create ksoftirqd/%u (%ld)\n", i, PTR_ERR(t));
			ret = (int)PTR_ERR(t);
			goto out;
		}
		wake_up_process(t);
		ks[i].task = t;
	}
	nr_ksoftirqds = n;
	/* Release: the slots and their threads before anyone hands work over. */
	__atomic_store_n(&ksoftirqds, ks, __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&ksoftirqd_create_lock);
	return ret;
}

/*
 * A thread exits (the kernel's CPU going offline): its interrupt lines move
 * to another task, its pending softirqs and tasklets to ksoftirqd.
 */
static void context_task_exit(struct task_struct *t)
{
	unsigned long flags;

	/* Slot 2 (lines routed here) is also written by other tasks under irq locks. */
	if (t->context_private[0] || t->context_private[1] || local_softirq_pending() ||
	    __atomic_load_n(&t->context_private[2], __ATOMIC_RELAXED))
		lksync_softirq_init();
	local_irq_save(flags);
	lksync_irq_task_exit(t);
	lksync_softirq_handoff();
	local_irq_restore(flags);
}

__attribute__((constructor)) static void softirq_setup(void)
{
	/* Release: the function is complete before an exiting thread calls it. */
	__atomic_store_n(&lksync_context_task_exit, context_task_exit, __ATOMIC_RELEASE);
}
