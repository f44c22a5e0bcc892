// SPDX-License-Identifier: MIT
/*
 * Layer: context. Tasklets: TASKLET_SOFTIRQ and HI_SOFTIRQ actions running
 * the tasklets queued on the current task.
 *
 * tasklet_struct::state:
 *
 *   SCHED  RUN
 *     0     0    idle
 *     1     0    queued on some task's list (or a ksoftirqd inbox)
 *     0     1    running; may be scheduled again meanwhile (-> 1 1)
 *     1     1    running and queued again: runs once more after
 *
 * SCHED is set by whoever queues the tasklet (test_and_set_bit: only one
 * queues it) and cleared just before it runs; RUN is the tasklet's own lock
 * (tasklet_trylock()), so it never runs on two tasks at once. A tasklet
 * found disabled (count != 0) or running elsewhere goes back on the list
 * and its softirq is raised again: deferred, never lost.
 *
 * Each task's lists live in task->context_private[0] (TASKLET_SOFTIRQ) and
 * [1] (HI_SOFTIRQ), circular and held by their tail, touched only by their
 * own thread with interrupts disabled: scheduling is async-signal-safe.
 * Waiters (tasklet_disable(), tasklet_kill()) sleep on one wait queue that
 * the RUN and SCHED clearings wake, the kernel's wake_up_var().
 */
#include <sched.h>
#include <lksync/interrupt.h>
#include <lksync/printk.h>
#include <lksync/processor.h>
#include <lksync/wait.h>
#include "context/online.h"
#include "context/softirq.h"

static DECLARE_WAIT_QUEUE_HEAD(tasklet_wq);
static __thread unsigned long tasklets_ran LKSYNC_TLS_MODEL;

unsigned long lksync_tasklet_ran(void)
{
	return tasklets_ran;
}

struct tasklet_struct *lksync_tasklet_splice(struct tasklet_struct *tail,
					     struct tasklet_struct *more)
{
	struct tasklet_struct *head;

	if (!more)
		return tail;
	if (!tail)
		return more;
	head = tail->next;
	tail->next = more->next;
	more->next = head;
	return more;
}

static void tasklet_wake_waiters(void)
{
	/* wq_has_sleeper()'s full barrier pairs with the waiter's prepare_to_wait(). */
	if (wq_has_sleeper(&tasklet_wq))
		wake_up_all(&tasklet_wq);
}

void lksync_tasklet_schedule(struct tasklet_struct *t, unsigned int nr)
{
	void **slot;
	struct task_struct *me;
	unsigned long flags;

	if (unlikely(!lksync_softirq_ready()))
		lksync_context_online();
	me = current;	/* a handler's thread always has its task */
	local_irq_save(flags);
	slot = &me->context_private[LKSYNC_TASKLET_SLOT(nr)];
	t->next = t;
	*slot = lksync_tasklet_splice(*slot, t);
	if (unlikely(me->flags & PF_EXITING)) {
		/* After the exit hook nothing would run it here. */
		__raise_softirq_irqoff(nr);
		lksync_softirq_handoff();
	} else {
		lksync_raise_softirq_irqoff(nr);
	}
	local_irq_restore(flags);
}

static bool tasklet_clear_sched(struct tasklet_struct *t)
{
	if (test_and_clear_bit(TASKLET_STATE_SCHED, &t->state)) {
		tasklet_wake_waiters();
		return true;
	}
	WARN(1, "tasklet SCHED state not set: %s %p\n",
	     t->use_callback ? "callback" : "func",
	     t->use_callback ? (void *)t->callback : (void *)t->func);
	return false;
}

static void tasklet_action_common(unsigned int nr)
{
	struct task_struct *me = lksync_tls.task;
	void **slot;
	struct tasklet_struct *tail, *list;

	if (!me)
		return;
	slot = &me->context_private[LKSYNC_TASKLET_SLOT(nr)];
	local_irq_disable();
	tail = *slot;
	*slot = NULL;
	local_irq_enable();
	if (!tail)
		return;
	list = tail->next;
	tail->next = NULL;
	while (list) {
		struct tasklet_struct *t = list;

		list = list->next;	/* before it runs: it may be queued again */
		if (tasklet_trylock(t)) {
			if (!atomic_read(&t->count)) {
				if (tasklet_clear_sched(t)) {
					if (t->use_callback)
						t->callback(t);
					else
						t->func(t->data);
					tasklets_ran++;
				}
				tasklet_unlock(t);
				continue;
			}
			tasklet_unlock(t);
		}
		local_irq_disable();
		t->next = t;
		*slot = lksync_tasklet_splice(*slot, t);
		__raise_softirq_irqoff(nr);
		local_irq_enable();
	}
}

void lksync_tasklet_action(void)
{
	tasklet_action_common(TASKLET_SOFTIRQ);
}

void lksync_tasklet_hi_action(void)
{
	tasklet_action_common(HI_SOFTIRQ);
}

void lksync_tasklet_unlock(struct tasklet_struct *t)
{
	/* Release: the run's effects are visible to whoever sees RUN clear. */
	clear_bit_unlock(TASKLET_STATE_RUN, &t->state);
	tasklet_wake_waiters();
}

void lksync_tasklet_unlock_wait(struct tasklet_struct *t)
{
	wait_event(tasklet_wq, !test_bit_acquire(TASKLET_STATE_RUN, &t->state));
}

void lksync_tasklet_unlock_spin_wait(struct tasklet_struct *t)
{
	unsigned int spins = 0;

	while (test_bit_acquire(TASKLET_STATE_RUN, &t->state)) {
		cpu_relax();
		/* The runner may be descheduled by the OS: let it run. */
		if (!(++spins & 1023))
			sched_yield();
	}
}

void lksync_tasklet_kill(struct tasklet_struct *t)
{
	if (in_interrupt())
		pr_notice("Attempt to kill tasklet from interrupt\n");
	while (test_and_set_bit(TASKLET_STATE_SCHED, &t->state))
		wait_event(tasklet_wq, !test_bit(TASKLET_STATE_SCHED, &t->state));
	tasklet_unlock_wait(t);
	clear_bit(TASKLET_STATE_SCHED, &t->state);
	tasklet_wake_waiters();
}

void lksync_tasklet_enable(struct tasklet_struct *t)
{
	smp_mb__before_atomic();
	/* A tasklet scheduled while disabled may be parked in a backing-off ksoftirqd. */
	if (atomic_dec_and_test(&t->count) && test_bit(TASKLET_STATE_SCHED, &t->state)) {
		if (unlikely(!lksync_softirq_ready()))
			lksync_context_online();
		lksync_softirq_kick();
	}
}

void lksync_tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data)
{
	t->next = NULL;
	t->state = 0;
	atomic_set(&t->count, 0);
	t->func = func;
	t->use_callback = false;
	t->data = data;
	lksync_context_online();
}

void lksync_tasklet_setup(struct tasklet_struct *t, void (*callback)(struct tasklet_struct *))
{
	t->next = NULL;
	t->state = 0;
	atomic_set(&t->count, 0);
	t->callback = callback;
	t->use_callback = true;
	t->data = 0;
	lksync_context_online();
}
