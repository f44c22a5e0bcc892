// SPDX-License-Identifier: MIT
/*
 * Softirqs: deferred by local_bh_disable() and run at the outermost
 * local_bh_enable() on the raising task; run at hardirq exit on the
 * interrupted task, in softirq context with interrupts enabled (a hard
 * interrupt may come in, and does not run softirqs itself); raised from
 * plain task context, run by ksoftirqd; kept pending when raised in a
 * handler that interrupted a bh-disabled section; the restart limit hands
 * the rest to ksoftirqd; local_irq_enable() does not run them; an exiting
 * task's pending softirqs are not lost.
 */
#include <errno.h>
#include <string.h>
#include <lksync/interrupt.h>
#include <lksync/delay.h>
#include <lksync/spinlock.h>
#include "lksync_test.h"

#define WAIT_FOR(cond, ms) ({							\
	long long __end = test_now_ms() + (ms);					\
	while (!(cond) && test_now_ms() < __end)				\
		usleep(100);							\
	(cond); })

#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define INC(x)		__atomic_add_fetch(&(x), 1, __ATOMIC_ACQ_REL)

static void spin_ms(long ms)
{
	long long end = test_now_ns() + ms * 1000000LL;
	int dummy = 0;

	while (test_now_ns() < end)
		(void)READ_ONCE(dummy);
}

static int dev;

/* What a softirq action saw. */
struct sirq_rec {
	int runs;
	struct task_struct *task;
	char comm[TASK_COMM_LEN];
	unsigned int preempt;
	int serving, softirq, interrupt, hardirq, irqs_off;
	int seq;
};

static int seq;

static void record(struct sirq_rec *r)
{
	r->task = current;
	memcpy(r->comm, current->comm, TASK_COMM_LEN);
	r->preempt = (unsigned int)preempt_count();
	r->serving = !!in_serving_softirq();
	r->softirq = !!in_softirq();
	r->interrupt = !!in_interrupt();
	r->hardirq = !!in_hardirq();
	r->irqs_off = !!irqs_disabled();
	r->seq = INC(seq);
	INC(r->runs);
}

static struct sirq_rec rx;

static void rx_action(void)
{
	record(&rx);
}

/* ---- local_bh_disable() defers, local_bh_enable() runs ------------------- */

TEST(bh_defers)
{
	static DEFINE_SPINLOCK(lock);

	open_softirq(NET_RX_SOFTIRQ, rx_action);
	local_bh_disable();
	CHECK(in_softirq() && !in_serving_softirq());
	raise_softirq(NET_RX_SOFTIRQ);
	CHECK(local_softirq_pending() & (1u << NET_RX_SOFTIRQ));
	spin_ms(10);
	CHECK_EQ(LOAD(rx.runs), 0);
	/* Nested: only the outermost enable runs it. */
	local_bh_disable();
	local_bh_enable();
	CHECK_EQ(LOAD(rx.runs), 0);
	local_bh_enable();
	CHECK_EQ(LOAD(rx.runs), 1);
	CHECK_EQ(local_softirq_pending(), 0);
	/* On this task, in softirq context, interrupts enabled. */
	CHECK(rx.task == current);
	CHECK(rx.serving && rx.softirq && rx.interrupt && !rx.hardirq && !rx.irqs_off);
	CHECK_EQ(rx.preempt, SOFTIRQ_OFFSET);
	CHECK_EQ(preempt_count(), 0);

	/* spin_lock_bh() is a bh-disabled section too. */
	spin_lock_bh(&lock);
	raise_softirq(NET_RX_SOFTIRQ);
	CHECK_EQ(LOAD(rx.runs), 1);
	spin_unlock_bh(&lock);
	CHECK_EQ(LOAD(rx.runs), 2);

	/* local_irq_enable() does not run softirqs; do_softirq() does. */
	{
		unsigned long flags;

		local_irq_save(flags);
		__raise_softirq_irqoff(NET_RX_SOFTIRQ);
		local_irq_restore(flags);
		CHECK_EQ(LOAD(rx.runs), 2);
		do_softirq();
		CHECK_EQ(LOAD(rx.runs), 3);
	}
}

/* ---- at hardirq exit -------------------------------------------------------- */

static struct sirq_rec tx;
static int tx_handler_seq, tx_handler_runs;

static void tx_action(void)
{
	record(&tx);
}

static irqreturn_t tx_irq(int irq, void *d)
{
	(void)irq;
	(void)d;
	raise_softirq(NET_TX_SOFTIRQ);
	/* Not run inside the handler: at its exit. */
	CHECK(local_softirq_pending() & (1u << NET_TX_SOFTIRQ));
	tx_handler_seq = INC(seq);
	INC(tx_handler_runs);
	return IRQ_HANDLED;
}

static void raise30(struct test_task *t)
{
	(void)t;
	lksync_irq_raise(30);
}

TEST(irq_exit)
{
	struct test_task r;

	open_softirq(NET_TX_SOFTIRQ, tx_action);
	CHECK_EQ(request_irq(30, tx_irq, 0, "tx", &dev), 0);
	test_task_start(&r, raise30);
	test_task_join(&r);
	/* The join's first blocking call once lost this raise under TSan (tests/irq.c). */
	CHECK(WAIT_FOR(LOAD(tx.runs) == 1, 5000));
	CHECK(tx.task == current);
	CHECK_EQ(tx.seq, tx_handler_seq + 1);
	CHECK(tx.serving && !tx.hardirq && !tx.irqs_off);
	CHECK_EQ(tx.preempt, SOFTIRQ_OFFSET);

	/* A handler that interrupted a bh-disabled section leaves it pending. */
	local_bh_disable();
	CHECK_EQ(lksync_irq_raise(30), 0);
	CHECK(WAIT_FOR(LOAD(tx_handler_runs) == 2, 5000));
	spin_ms(5);
	CHECK_EQ(LOAD(tx.runs), 1);
	CHECK(local_softirq_pending() & (1u << NET_TX_SOFTIRQ));
	local_bh_enable();
	CHECK_EQ(LOAD(tx.runs), 2);
	CHECK(tx.task == current);
	free_irq(30, &dev);
}

/* ---- raised in task context: ksoftirqd -------------------------------------- */

static struct sirq_rec blk;

static void blk_action(void)
{
	record(&blk);
}

TEST(ksoftirqd)
{
	open_softirq(BLOCK_SOFTIRQ, blk_action);
	raise_softirq(BLOCK_SOFTIRQ);
	/* Handed over at once: nothing stays pending here. */
	CHECK_EQ(local_softirq_pending(), 0);
	CHECK(WAIT_FOR(LOAD(blk.runs) == 1, 5000));
	CHECK(blk.task != current);
	CHECK(!strncmp(blk.comm, "ksoftirqd/", 10));
	CHECK(blk.serving && !blk.irqs_off);
	CHECK_EQ(blk.preempt, SOFTIRQ_OFFSET);
}

/* ---- the restart limit ------------------------------------------------------ */

#define POLL_TOTAL	60
static int poll_runs, poll_here, poll_ksoftirqd;
static struct task_struct *poll_origin;

static void poll_action(void)
{
	if (current == poll_origin)
		poll_here++;
	else if (!strncmp(current->comm, "ksoftirqd/", 10))
		INC(poll_ksoftirqd);
	/* In softirq context: only marks it pending again. */
	if (INC(poll_runs) < POLL_TOTAL)
		raise_softirq(IRQ_POLL_SOFTIRQ);
}

TEST(restart_limit)
{
	poll_origin = current;
	open_softirq(IRQ_POLL_SOFTIRQ, poll_action);
	local_bh_disable();
	raise_softirq(IRQ_POLL_SOFTIRQ);
	local_bh_enable();
	/* At most 10 rounds here (fewer if 2 ms ran out), the rest in ksoftirqd. */
	CHECK(poll_here >= 1 && poll_here <= 10);
	CHECK(WAIT_FOR(LOAD(poll_runs) == POLL_TOTAL, 5000));
	CHECK_EQ(poll_here + LOAD(poll_ksoftirqd), POLL_TOTAL);
}

/* ---- a hard interrupt inside a softirq -------------------------------------- */

static int nest_irq_runs, nest_irq_serving, nest_inner_runs, nest_action_runs;
static int nest_seen_inside;

static void inner_action(void)
{
	INC(nest_inner_runs);
}

static irqreturn_t nest_irq(int irq, void *d)
{
	(void)irq;
	(void)d;
	nest_irq_serving = in_serving_softirq() && in_hardirq();
	/* The interrupted softirq is still running: this one waits for its turn. */
	raise_softirq(HRTIMER_SOFTIRQ);
	INC(nest_irq_runs);
	return IRQ_HANDLED;
}

static void outer_action(void)
{
	CHECK(!irqs_disabled());
	lksync_irq_raise(31);
	/* Interrupts are on: delivered here (TSan: at this atomic load). */
	nest_seen_inside = LOAD(nest_irq_runs) == 1;
	CHECK_EQ(LOAD(nest_inner_runs), 0);
	INC(nest_action_runs);
}

TEST(hardirq_in_softirq)
{
	CHECK_EQ(request_irq(31, nest_irq, 0, "nest", &dev), 0);
	open_softirq(SCHED_SOFTIRQ, outer_action);
	open_softirq(HRTIMER_SOFTIRQ, inner_action);
	local_bh_disable();
	raise_softirq(SCHED_SOFTIRQ);
	local_bh_enable();
	CHECK_EQ(LOAD(nest_action_runs), 1);
	CHECK(nest_seen_inside);
	CHECK(nest_irq_serving);
	/* Raised by the handler, run by the same __do_softirq() round. */
	CHECK_EQ(LOAD(nest_inner_runs), 1);
	free_irq(31, &dev);
}

/* ---- an exiting task's pending softirqs ------------------------------------- */

static struct sirq_rec ex;

static void ex_action(void)
{
	record(&ex);
}

static void exiting_body(struct test_task *t)
{
	(void)t;
	local_bh_disable();
	raise_softirq(NET_RX_SOFTIRQ);
	_local_bh_enable();	/* leaves it pending */
	CHECK(local_softirq_pending() & (1u << NET_RX_SOFTIRQ));
}

TEST(exiting_task)
{
	struct test_task t;

	open_softirq(NET_RX_SOFTIRQ, ex_action);
	test_task_start(&t, exiting_body);
	test_task_join(&t);
	CHECK(WAIT_FOR(LOAD(ex.runs) == 1, 5000));
	CHECK(!strncmp(ex.comm, "ksoftirqd/", 10));
}

int main(void)
{
	test_watchdog(60);
	RUN(bh_defers);
	RUN(irq_exit);
	RUN(ksoftirqd);
	RUN(restart_limit);
	RUN(hardirq_in_softirq);
	RUN(exiting_task);
	return test_done();
}
