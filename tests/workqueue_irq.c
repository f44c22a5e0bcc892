// SPDX-License-Identifier: MIT
/*
 * Work queued from hard interrupt handlers: the driver pattern (the handler
 * queues the bottom half, the item runs in process context). The handler
 * interrupts a task that is itself queuing, canceling and flushing the same
 * items, so the handler lands in the middle of those paths: queuing must
 * mask interrupts around the PENDING transition, cancels must not spin on
 * a transition their own handler cannot finish, and every successful
 * queuing runs exactly once, never overlapping itself.
 */
#include <lksync/interrupt.h>
#include <lksync/irq.h>
#include <lksync/workqueue.h>
#include <lksync/delay.h>
#include "lksync_test.h"

#define LINE 42

struct item {
	struct work_struct work;
	int inside, overlap;
	int runs;
	int task_ctx;
};

static struct item irq_item;
static struct delayed_work irq_dwork;
static int dwork_runs, dwork_inside, dwork_overlap;
static int handler_calls, handler_queued, handler_ctx_ok = 1;
static int mode;		/* 0: count queuings; 1: storm with mod_delayed_work too */

static void item_fn(struct work_struct *work)
{
	struct item *it = container_of(work, struct item, work);

	if (__atomic_add_fetch(&it->inside, 1, __ATOMIC_ACQ_REL) != 1)
		it->overlap = 1;
	if (in_task() && !in_interrupt() && !irqs_disabled())
		it->task_ctx++;
	it->runs++;
	__atomic_sub_fetch(&it->inside, 1, __ATOMIC_ACQ_REL);
}

static void dwork_fn(struct work_struct *work)
{
	(void)work;
	if (__atomic_add_fetch(&dwork_inside, 1, __ATOMIC_ACQ_REL) != 1)
		dwork_overlap = 1;
	dwork_runs++;
	__atomic_sub_fetch(&dwork_inside, 1, __ATOMIC_ACQ_REL);
}

static irqreturn_t handler(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	if (!in_hardirq() || !irqs_disabled())
		handler_ctx_ok = 0;
	handler_calls++;
	if (queue_work(system_wq, &irq_item.work))
		__atomic_add_fetch(&handler_queued, 1, __ATOMIC_RELAXED);
	if (mode) {
		mod_delayed_work(system_unbound_wq, &irq_dwork, handler_calls & 1);
		if (handler_calls % 3 == 0)
			cancel_delayed_work(&irq_dwork);
	}
	return IRQ_HANDLED;
}

static int raiser_stop;
static void raiser_body(struct test_task *t)
{
	(void)t;
	while (!__atomic_load_n(&raiser_stop, __ATOMIC_ACQUIRE)) {
		lksync_irq_raise(LINE);
		usleep(20);
	}
}

TEST(queue_from_handler)
{
	struct test_task raiser;
	struct item other = { 0 };
	long long end = test_now_ms() + 700;
	int main_queued = 0;

	INIT_WORK(&irq_item.work, item_fn);
	INIT_WORK(&other.work, item_fn);
	CHECK_EQ(request_irq(LINE, handler, 0, "wq-test", &irq_item), 0);
	test_task_start(&raiser, raiser_body);
	/* Meanwhile this task queues the same item and flushes: handlers land inside. */
	while (test_now_ms() < end) {
		if (queue_work(system_wq, &irq_item.work))
			main_queued++;
		queue_work(system_wq, &other.work);
		flush_work(&irq_item.work);
	}
	__atomic_store_n(&raiser_stop, 1, __ATOMIC_RELEASE);
	test_task_join(&raiser);
	flush_work(&irq_item.work);
	flush_work(&other.work);
	CHECK(handler_ctx_ok);
	CHECK(handler_calls > 10);
	CHECK(handler_queued > 0);
	CHECK_EQ(irq_item.runs, handler_queued + main_queued);
	CHECK_EQ(irq_item.task_ctx, irq_item.runs);
	CHECK_EQ(irq_item.overlap, 0);
	printf("    %d interrupts, %d items queued by handlers, %d by the task\n",
	       handler_calls, handler_queued, main_queued);
	free_irq(LINE, &irq_item);
}

TEST(cancel_against_handler)
{
	struct test_task raiser;
	long long end = test_now_ms() + 700;
	int rounds = 0;

	INIT_DELAYED_WORK(&irq_dwork, dwork_fn);
	mode = 1;
	raiser_stop = 0;
	CHECK_EQ(request_irq(LINE, handler, 0, "wq-test", &irq_item), 0);
	test_task_start(&raiser, raiser_body);
	while (test_now_ms() < end) {
		cancel_work_sync(&irq_item.work);
		cancel_delayed_work_sync(&irq_dwork);
		mod_delayed_work(system_wq, &irq_dwork, rounds & 1);
		cancel_delayed_work(&irq_dwork);
		flush_delayed_work(&irq_dwork);
		rounds++;
	}
	__atomic_store_n(&raiser_stop, 1, __ATOMIC_RELEASE);
	test_task_join(&raiser);
	free_irq(LINE, &irq_item);
	cancel_work_sync(&irq_item.work);
	cancel_delayed_work_sync(&irq_dwork);
	CHECK(!work_pending(&irq_item.work));
	CHECK(!delayed_work_pending(&irq_dwork));
	CHECK_EQ(irq_item.overlap, 0);
	CHECK_EQ(dwork_overlap, 0);
	CHECK(handler_ctx_ok);
	printf("    %d cancel rounds, %d delayed runs\n", rounds, dwork_runs);
}

int main(void)
{
	test_watchdog(60);
	RUN(queue_from_handler);
	RUN(cancel_against_handler);
	return test_done();
}
