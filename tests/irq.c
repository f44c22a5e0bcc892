// SPDX-License-Identifier: MIT
/*
 * Hard interrupts: handlers run in hardirq context on the task a line is
 * routed to, interrupting it wherever it is (a busy loop, a sleep); masked
 * interrupts are replayed exactly at local_irq_restore(); handlers never
 * nest; shared lines call every handler; disable/enable nest and replay;
 * synchronize_irq()/disable_irq()/free_irq() wait for running handlers;
 * threaded and oneshot handlers; interrupts landing on a sleeper do not wake
 * it, a handler's complete()/wake_up() does; spin_lock_irqsave() against a
 * handler taking the same lock works while plain spin_lock() deadlocks; a
 * line whose target exits moves, with what was pending on it; the first
 * interrupt to a fresh task is handled however it races with the task's
 * first blocking call.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <lksync/interrupt.h>
#include <lksync/completion.h>
#include <lksync/delay.h>
#include <lksync/kthread.h>
#include <lksync/spinlock.h>
#include <lksync/wait.h>
#include <lksync/bug.h>
#include "lksync_test.h"

/* Poll @cond for at most @ms milliseconds. Return: its final value. */
#define WAIT_FOR(cond, ms) ({							\
	long long __end = test_now_ms() + (ms);					\
	while (!(cond) && test_now_ms() < __end)				\
		usleep(100);							\
	(cond); })

/* Busy-wait @ms milliseconds with atomic reads (TSan delivers signals there). */
static void spin_ms(long ms)
{
	long long end = test_now_ns() + ms * 1000000LL;
	int dummy = 0;

	while (test_now_ns() < end)
		(void)READ_ONCE(dummy);
}

static int dev_a, dev_b, dev_c;	/* dev_id cookies */

/* ---- invalid lines, spurious raises -------------------------------------- */

static irqreturn_t nop_handler(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	return IRQ_HANDLED;
}

TEST(invalid)
{
	unsigned long before = lksync_irq_spurious(3);

	CHECK_EQ(lksync_irq_raise(NR_IRQS), -EINVAL);
	CHECK_EQ(lksync_irq_raise(-1u), -EINVAL);
	CHECK_EQ(lksync_irq_route(NR_IRQS, current), -EINVAL);
	CHECK_EQ(request_irq(NR_IRQS, nop_handler, 0, "bad", &dev_a), -EINVAL);
	CHECK_EQ(request_threaded_irq(3, NULL, NULL, 0, "none", &dev_a), -EINVAL);
	/* Nothing requested on line 3: an error, and counted as spurious. */
	CHECK_EQ(lksync_irq_raise(3), -ENODEV);
	CHECK_EQ(lksync_irq_spurious(3), before + 1);
	CHECK_EQ(lksync_irq_route(3, current), -EINVAL);
}

/* ---- context of a handler ---------------------------------------------- */

struct ctx_record {
	int runs;
	int in_irq, in_hardirq, in_interrupt, irqs_disabled, in_softirq;
	unsigned int preempt;
	struct task_struct *task;
};

static struct ctx_record ctx_rec;

static irqreturn_t ctx_handler(int irq, void *dev)
{
	ctx_rec.in_irq = !!in_irq();
	ctx_rec.in_hardirq = !!in_hardirq();
	ctx_rec.in_interrupt = !!in_interrupt();
	ctx_rec.irqs_disabled = !!irqs_disabled();
	ctx_rec.in_softirq = !!in_serving_softirq();
	ctx_rec.preempt = (unsigned int)preempt_count();
	ctx_rec.task = current;
	CHECK_EQ(irq, 10);
	CHECK(dev == &dev_a);
	__atomic_add_fetch(&ctx_rec.runs, 1, __ATOMIC_RELEASE);
	return IRQ_HANDLED;
}

static void raise_body(struct test_task *t)
{
	(void)t;
	CHECK_EQ(lksync_irq_raise(10), 0);
}

TEST(hardirq_context)
{
	struct test_task raiser;

	CHECK_EQ(request_irq(10, ctx_handler, 0, "ctx", &dev_a), 0);
	/* Raised by another thread: runs here, on the requesting task. */
	test_task_start(&raiser, raise_body);
	test_task_join(&raiser);
	/*
	 * The join is this task's first blocking call: under TSan the raise
	 * used to land while libtsan created the task's signal state, and was
	 * lost (see first_interrupt_fresh_task).
	 */
	CHECK(WAIT_FOR(__atomic_load_n(&ctx_rec.runs, __ATOMIC_ACQUIRE) == 1, 5000));
	CHECK(ctx_rec.in_irq && ctx_rec.in_hardirq && ctx_rec.in_interrupt);
	CHECK(ctx_rec.irqs_disabled);
	CHECK(!ctx_rec.in_softirq);
	CHECK_EQ(ctx_rec.preempt, HARDIRQ_OFFSET);
	CHECK(ctx_rec.task == current);
	/* Back in task context with everything restored. */
	CHECK(!in_interrupt() && !irqs_disabled());
	CHECK_EQ(preempt_count(), 0);
	/* Raised by this task itself: delivered by the time the raise returns. */
	CHECK_EQ(lksync_irq_raise(10), 0);
	CHECK_EQ(__atomic_load_n(&ctx_rec.runs, __ATOMIC_ACQUIRE), 2);
	CHECK_EQ(ctx_rec.preempt, HARDIRQ_OFFSET);
	CHECK(!strcmp(free_irq(10, &dev_a), "ctx"));
}

/* ---- a busy task is interrupted ----------------------------------------- */

static int busy_stop, busy_hits;
static struct task_struct *busy_task;
static unsigned long busy_loops;

static irqreturn_t busy_handler(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	CHECK(current == busy_task);
	CHECK_EQ(preempt_count(), HARDIRQ_OFFSET);	/* it was in plain task context */
	__atomic_add_fetch(&busy_hits, 1, __ATOMIC_RELEASE);
	return IRQ_HANDLED;
}

static void busy_body(struct test_task *t)
{
	(void)t;
	while (!READ_ONCE(busy_stop))
		busy_loops++;
}

TEST(interrupts_busy_loop)
{
	struct test_task busy;
	int n = (int)test_scale(200);

	CHECK_EQ(request_irq(11, busy_handler, 0, "busy", &dev_a), 0);
	test_task_start(&busy, busy_body);
	busy_task = busy.task;
	CHECK_EQ(lksync_irq_route(11, busy.task), 0);
	for (int i = 1; i <= n; i++) {
		CHECK_EQ(lksync_irq_raise(11), 0);
		if (!WAIT_FOR(__atomic_load_n(&busy_hits, __ATOMIC_ACQUIRE) == i, 5000)) {
			CHECK(!"interrupt not delivered to the busy task");
			break;
		}
	}
	WRITE_ONCE(busy_stop, 1);
	test_task_join(&busy);
	CHECK(busy_loops > 0);
	CHECK_EQ(busy_hits, n);
	/* Back to the requesting task. */
	CHECK_EQ(lksync_irq_route(11, NULL), 0);
	busy_task = current;
	CHECK_EQ(lksync_irq_raise(11), 0);
	CHECK(WAIT_FOR(__atomic_load_n(&busy_hits, __ATOMIC_ACQUIRE) == n + 1, 5000));
	free_irq(11, &dev_a);
}

/* ---- masking: replay exactly at local_irq_restore() --------------------- */

static int mask_hits;

static irqreturn_t count_handler(int irq, void *dev)
{
	(void)irq;
	__atomic_add_fetch((int *)dev, 1, __ATOMIC_RELEASE);
	return IRQ_HANDLED;
}

static void raise12_body(struct test_task *t)
{
	(void)t;
	lksync_irq_raise(12);
}

TEST(masked_replay)
{
	unsigned long flags, inner;
	struct test_task raiser;
	static DEFINE_SPINLOCK(lock);

	CHECK_EQ(request_irq(12, count_handler, 0, "mask", &mask_hits), 0);

	local_irq_save(flags);
	CHECK_EQ(lksync_irq_raise(12), 0);
	CHECK(WAIT_FOR(READ_ONCE(lksync_tls.pending) & LKSYNC_PENDING_IRQ, 5000));
	spin_ms(20);
	CHECK_EQ(__atomic_load_n(&mask_hits, __ATOMIC_ACQUIRE), 0);
	/* A nested save/restore keeps it masked. */
	local_irq_save(inner);
	local_irq_restore(inner);
	CHECK_EQ(__atomic_load_n(&mask_hits, __ATOMIC_ACQUIRE), 0);
	local_irq_restore(flags);
	/* The restore itself ran it. */
	CHECK_EQ(__atomic_load_n(&mask_hits, __ATOMIC_ACQUIRE), 1);

	/* From another thread, masked by spin_lock_irqsave(). */
	spin_lock_irqsave(&lock, flags);
	test_task_start(&raiser, raise12_body);
	test_task_join(&raiser);
	CHECK(WAIT_FOR(READ_ONCE(lksync_tls.pending) & LKSYNC_PENDING_IRQ, 5000));
	spin_ms(10);
	CHECK_EQ(__atomic_load_n(&mask_hits, __ATOMIC_ACQUIRE), 1);
	spin_unlock_irqrestore(&lock, flags);
	CHECK_EQ(__atomic_load_n(&mask_hits, __ATOMIC_ACQUIRE), 2);

	/* local_irq_disable()/enable() too; several raises while masked coalesce. */
	local_irq_disable();
	lksync_irq_raise(12);
	lksync_irq_raise(12);
	CHECK(WAIT_FOR(READ_ONCE(lksync_tls.pending) & LKSYNC_PENDING_IRQ, 5000));
	CHECK_EQ(__atomic_load_n(&mask_hits, __ATOMIC_ACQUIRE), 2);
	local_irq_enable();
	CHECK_EQ(__atomic_load_n(&mask_hits, __ATOMIC_ACQUIRE), 3);
	free_irq(12, &mask_hits);
}

/* ---- handlers never nest ----------------------------------------------- */

static int nest_depth, nest_max, nest_a, nest_b;

static irqreturn_t nest_handler(int irq, void *dev)
{
	int d = __atomic_add_fetch(&nest_depth, 1, __ATOMIC_RELAXED);

	(void)dev;
	if (d > nest_max)
		nest_max = d;
	if (irq == 13 && __atomic_add_fetch(&nest_a, 1, __ATOMIC_RELAXED) == 1) {
		/* Both land in this handler: they must wait until it returns. */
		lksync_irq_raise(13);
		lksync_irq_raise(14);
		spin_ms(5);
		CHECK_EQ(nest_b, 0);
		CHECK_EQ(nest_a, 1);
	} else if (irq == 14) {
		nest_b++;
	}
	__atomic_sub_fetch(&nest_depth, 1, __ATOMIC_RELAXED);
	return IRQ_HANDLED;
}

TEST(no_nesting)
{
	CHECK_EQ(request_irq(13, nest_handler, 0, "nestA", &dev_a), 0);
	CHECK_EQ(request_irq(14, nest_handler, 0, "nestB", &dev_b), 0);
	CHECK_EQ(lksync_irq_raise(13), 0);
	CHECK(WAIT_FOR(__atomic_load_n(&nest_a, __ATOMIC_RELAXED) == 2 &&
		       __atomic_load_n(&nest_b, __ATOMIC_RELAXED) == 1, 5000));
	CHECK_EQ(nest_max, 1);
	free_irq(13, &dev_a);
	free_irq(14, &dev_b);
}

/* ---- shared lines --------------------------------------------------------- */

static int shared_a, shared_b;

TEST(shared)
{
	unsigned long before = lksync_report_count();

	CHECK_EQ(request_irq(15, count_handler, IRQF_SHARED, "shA", &shared_a), 0);
	CHECK_EQ(request_irq(15, count_handler, IRQF_SHARED, "shB", &shared_b), 0);
	/* Sharing needs IRQF_SHARED on every action and a dev_id. */
	CHECK_EQ(request_irq(15, count_handler, 0, "shC", &dev_c), -EBUSY);
	CHECK_EQ(request_irq(15, count_handler, IRQF_SHARED, "shC", NULL), -EINVAL);
	CHECK_EQ(request_irq(15, count_handler, IRQF_SHARED | IRQF_ONESHOT, "shC", &dev_c), -EBUSY);
	CHECK_EQ(request_irq(15, count_handler, IRQF_SHARED | IRQF_NO_AUTOEN, "shC", &dev_c),
		 -EINVAL);
	/* IRQF_COND_SUSPEND is for shared lines only, and not with IRQF_NO_SUSPEND. */
	CHECK_EQ(request_irq(16, count_handler, IRQF_COND_SUSPEND, "cs", &dev_c), -EINVAL);
	CHECK_EQ(request_irq(16, count_handler, IRQF_SHARED | IRQF_NO_SUSPEND |
			     IRQF_COND_SUSPEND, "cs", &dev_c), -EINVAL);
	CHECK_EQ(request_irq(16, count_handler, IRQF_SHARED | IRQF_COND_SUSPEND, "cs", &dev_c), 0);
	CHECK(!strcmp(free_irq(16, &dev_c), "cs"));
	CHECK_EQ(lksync_irq_raise(15), 0);
	CHECK(WAIT_FOR(__atomic_load_n(&shared_a, __ATOMIC_ACQUIRE) == 1 &&
		       __atomic_load_n(&shared_b, __ATOMIC_ACQUIRE) == 1, 5000));
	/* free_irq() returns the name of the dev_id's action. */
	CHECK(!strcmp(free_irq(15, &shared_a), "shA"));
	CHECK_EQ(lksync_irq_raise(15), 0);
	CHECK(WAIT_FOR(__atomic_load_n(&shared_b, __ATOMIC_ACQUIRE) == 2, 5000));
	CHECK_EQ(__atomic_load_n(&shared_a, __ATOMIC_ACQUIRE), 1);
	/* Freeing what is not there warns, as the kernel. */
	lksync_set_report_sink(test_report_sink, NULL);
	CHECK(free_irq(15, &shared_a) == NULL);
	lksync_set_report_sink(NULL, NULL);
	CHECK_EQ(lksync_report_count(), before + 1);
	CHECK(strstr(test_last_report, "Trying to free already-free IRQ 15") != NULL);
	CHECK(!strcmp(free_irq(15, &shared_b), "shB"));
	CHECK_EQ(lksync_irq_raise(15), -ENODEV);
	/* A line taken without IRQF_SHARED cannot be shared. */
	CHECK_EQ(request_irq(15, count_handler, 0, "shA", &shared_a), 0);
	CHECK_EQ(request_irq(15, count_handler, IRQF_SHARED, "shB", &shared_b), -EBUSY);
	free_irq(15, &shared_a);
}

/* ---- disable/enable nesting and replay ------------------------------------ */

static int dis_hits;

TEST(disable_enable)
{
	unsigned long before;

	CHECK_EQ(request_irq(16, count_handler, 0, "dis", &dis_hits), 0);
	disable_irq(16);
	disable_irq_nosync(16);
	CHECK_EQ(lksync_irq_raise(16), 0);
	CHECK_EQ(lksync_irq_raise(16), 0);
	spin_ms(10);
	CHECK_EQ(__atomic_load_n(&dis_hits, __ATOMIC_ACQUIRE), 0);
	enable_irq(16);
	spin_ms(10);
	CHECK_EQ(__atomic_load_n(&dis_hits, __ATOMIC_ACQUIRE), 0);
	/* The last enable delivers what came meanwhile, once. */
	enable_irq(16);
	CHECK(WAIT_FOR(__atomic_load_n(&dis_hits, __ATOMIC_ACQUIRE) == 1, 5000));
	spin_ms(10);
	CHECK_EQ(__atomic_load_n(&dis_hits, __ATOMIC_ACQUIRE), 1);
	/* Nothing raised meanwhile: nothing delivered. */
	disable_irq(16);
	enable_irq(16);
	spin_ms(5);
	CHECK_EQ(__atomic_load_n(&dis_hits, __ATOMIC_ACQUIRE), 1);
	/* An enable without a disable warns and changes nothing. */
	before = lksync_report_count();
	lksync_set_report_sink(test_report_sink, NULL);
	enable_irq(16);
	lksync_set_report_sink(NULL, NULL);
	CHECK_EQ(lksync_report_count(), before + 1);
	CHECK(strstr(test_last_report, "Unbalanced enable for IRQ 16") != NULL);
	CHECK_EQ(lksync_irq_raise(16), 0);
	CHECK(WAIT_FOR(__atomic_load_n(&dis_hits, __ATOMIC_ACQUIRE) == 2, 5000));
	free_irq(16, &dis_hits);

	/* IRQF_NO_AUTOEN: requested disabled. */
	CHECK_EQ(request_irq(16, count_handler, IRQF_NO_AUTOEN, "dis", &dis_hits), 0);
	CHECK_EQ(lksync_irq_raise(16), 0);
	spin_ms(10);
	CHECK_EQ(__atomic_load_n(&dis_hits, __ATOMIC_ACQUIRE), 2);
	enable_irq(16);
	CHECK(WAIT_FOR(__atomic_load_n(&dis_hits, __ATOMIC_ACQUIRE) == 3, 5000));
	free_irq(16, &dis_hits);
}

/* ---- waiting for running handlers ---------------------------------------- */

static int slow_started, slow_finished;

static irqreturn_t slow_handler(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	__atomic_store_n(&slow_started, 1, __ATOMIC_RELEASE);
	spin_ms(80);
	__atomic_store_n(&slow_finished, 1, __ATOMIC_RELEASE);
	return IRQ_HANDLED;
}

static int slow_stop;

static void idle_body(struct test_task *t)
{
	(void)t;
	while (!READ_ONCE(slow_stop))
		usleep(200);
}

/* Raise 17 on @target's task and return once its handler runs. */
static void slow_start(void)
{
	__atomic_store_n(&slow_started, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&slow_finished, 0, __ATOMIC_RELAXED);
	CHECK_EQ(lksync_irq_raise(17), 0);
	CHECK(WAIT_FOR(__atomic_load_n(&slow_started, __ATOMIC_ACQUIRE), 5000));
}

TEST(synchronize)
{
	struct test_task idle;

	test_task_start(&idle, idle_body);
	CHECK_EQ(request_irq(17, slow_handler, 0, "slow", &dev_a), 0);
	CHECK_EQ(lksync_irq_route(17, idle.task), 0);

	slow_start();
	synchronize_irq(17);
	CHECK(__atomic_load_n(&slow_finished, __ATOMIC_ACQUIRE));

	slow_start();
	CHECK(synchronize_hardirq(17));
	CHECK(__atomic_load_n(&slow_finished, __ATOMIC_ACQUIRE));

	slow_start();
	disable_irq(17);
	CHECK(__atomic_load_n(&slow_finished, __ATOMIC_ACQUIRE));
	enable_irq(17);

	slow_start();
	CHECK(!strcmp(free_irq(17, &dev_a), "slow"));
	CHECK(__atomic_load_n(&slow_finished, __ATOMIC_ACQUIRE));

	WRITE_ONCE(slow_stop, 1);
	test_task_join(&idle);
}

/* ---- threaded handlers ---------------------------------------------------- */

/*
 * The thread function blocks until the test lets its run number through
 * (thr_allowed), so what happens while it runs does not depend on timing.
 */
static int thr_primary, thr_started, thr_allowed, thr_runs, thr_inside, thr_bad_ctx;
static char thr_comm[TASK_COMM_LEN];

static irqreturn_t thr_primary_handler(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	__atomic_add_fetch(&thr_primary, 1, __ATOMIC_RELEASE);
	return IRQ_WAKE_THREAD;
}

static irqreturn_t thr_fn(int irq, void *dev)
{
	int n = __atomic_add_fetch(&thr_started, 1, __ATOMIC_ACQ_REL);

	(void)irq;
	(void)dev;
	if (in_interrupt() || irqs_disabled())
		thr_bad_ctx = 1;
	memcpy(thr_comm, current->comm, TASK_COMM_LEN);
	__atomic_store_n(&thr_inside, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&thr_allowed, __ATOMIC_ACQUIRE) < n)
		msleep(1);	/* task context: may sleep */
	__atomic_store_n(&thr_inside, 0, __ATOMIC_RELEASE);
	__atomic_add_fetch(&thr_runs, 1, __ATOMIC_RELEASE);
	return IRQ_HANDLED;
}

static void thr_reset(void)
{
	__atomic_store_n(&thr_primary, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&thr_started, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&thr_allowed, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&thr_runs, 0, __ATOMIC_RELAXED);
}

#define THR(x)	__atomic_load_n(&thr_##x, __ATOMIC_ACQUIRE)

static int thr_release_to;

/* Let the thread's runs through up to thr_release_to, a little later. */
static void thr_releaser(struct test_task *t)
{
	(void)t;
	msleep(30);
	__atomic_store_n(&thr_allowed, thr_release_to, __ATOMIC_RELEASE);
}

static irqreturn_t both_handler(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	__atomic_add_fetch(&thr_primary, 1, __ATOMIC_RELEASE);
	return IRQ_HANDLED | IRQ_WAKE_THREAD;
}

/* Only exactly IRQ_WAKE_THREAD wakes the thread, as the kernel's switch on the result. */
TEST(threaded_wakes_on_exact_result)
{
	thr_reset();
	__atomic_store_n(&thr_allowed, 1000, __ATOMIC_RELEASE);
	CHECK_EQ(request_threaded_irq(19, both_handler, thr_fn, 0, "both", &dev_a), 0);
	CHECK_EQ(lksync_irq_raise(19), 0);
	CHECK(WAIT_FOR(THR(primary) == 1, 5000));
	msleep(50);
	CHECK_EQ(THR(started), 0);
	free_irq(19, &dev_a);
}

/*
 * A thread function that requests and frees another line while free_irq()
 * of its own line waits for it: the lines' setup locks are separate, as the
 * kernel's per-descriptor request_mutex (one global lock deadlocked here).
 */
static int cross_freeing, cross_ret = 1;

static irqreturn_t cross_thread_fn(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	while (!__atomic_load_n(&cross_freeing, __ATOMIC_ACQUIRE))
		msleep(1);
	msleep(20);	/* free_irq(20) is waiting for us by now */
	cross_ret = request_irq(21, nop_handler, 0, "cross-b", &dev_b);
	if (!cross_ret)
		free_irq(21, &dev_b);
	return IRQ_HANDLED;
}

TEST(thread_requests_other_line_during_free)
{
	CHECK_EQ(request_threaded_irq(20, NULL, cross_thread_fn, IRQF_ONESHOT, "cross-a", &dev_a), 0);
	CHECK_EQ(lksync_irq_raise(20), 0);
	msleep(10);
	__atomic_store_n(&cross_freeing, 1, __ATOMIC_RELEASE);
	CHECK(!strcmp(free_irq(20, &dev_a), "cross-a"));	/* waits for the thread */
	CHECK_EQ(cross_ret, 0);
}

TEST(threaded_oneshot)
{
	struct test_task rel;

	/* A NULL primary handler needs IRQF_ONESHOT. */
	CHECK_EQ(request_threaded_irq(18, NULL, thr_fn, 0, "thr", &dev_a), -EINVAL);
	CHECK_EQ(request_threaded_irq(18, NULL, thr_fn, IRQF_ONESHOT, "thr", &dev_a), 0);
	thr_reset();
	__atomic_store_n(&thr_allowed, 1000, __ATOMIC_RELEASE);
	CHECK_EQ(lksync_irq_raise(18), 0);
	CHECK(WAIT_FOR(THR(runs) == 1, 5000));
	CHECK(!thr_bad_ctx);
	CHECK(!strncmp(thr_comm, "irq/18-thr", 10));
	free_irq(18, &dev_a);

	/* Oneshot: the line stays masked while the thread runs. */
	thr_reset();
	CHECK_EQ(request_threaded_irq(18, thr_primary_handler, thr_fn, IRQF_ONESHOT,
				      "thr", &dev_a), 0);
	CHECK_EQ(lksync_irq_raise(18), 0);
	CHECK(WAIT_FOR(THR(inside), 5000));
	CHECK_EQ(lksync_irq_raise(18), 0);
	spin_ms(20);
	CHECK_EQ(THR(primary), 1);
	CHECK_EQ(THR(started), 1);
	/* The thread's end unmasks it: the raise that waited comes through. */
	__atomic_store_n(&thr_allowed, 1, __ATOMIC_RELEASE);
	CHECK(WAIT_FOR(THR(started) == 2, 5000));
	CHECK_EQ(THR(primary), 2);
	CHECK_EQ(THR(runs), 1);
	__atomic_store_n(&thr_allowed, 2, __ATOMIC_RELEASE);
	CHECK(WAIT_FOR(THR(runs) == 2 && !THR(inside), 5000));
	/* free_irq() waits for a running thread. */
	CHECK_EQ(lksync_irq_raise(18), 0);
	CHECK(WAIT_FOR(THR(started) == 3, 5000));
	thr_release_to = 3;
	test_task_start(&rel, thr_releaser);
	CHECK(!strcmp(free_irq(18, &dev_a), "thr"));
	CHECK_EQ(THR(runs), 3);
	test_task_join(&rel);

	/* Not oneshot: the primary handler runs while the thread is busy. */
	thr_reset();
	CHECK_EQ(request_threaded_irq(18, thr_primary_handler, thr_fn, 0, "thr", &dev_a), 0);
	CHECK_EQ(lksync_irq_raise(18), 0);
	CHECK(WAIT_FOR(THR(started) == 1, 5000));
	CHECK_EQ(lksync_irq_raise(18), 0);
	CHECK(WAIT_FOR(THR(primary) == 2, 5000));
	CHECK(THR(inside));
	CHECK_EQ(THR(runs), 0);
	/* synchronize_irq() waits for that run and the one the second raise asked for. */
	thr_release_to = 2;
	test_task_start(&rel, thr_releaser);
	synchronize_irq(18);
	CHECK_EQ(THR(runs), 2);
	test_task_join(&rel);
	free_irq(18, &dev_a);
}

/* ---- interrupts and sleepers -------------------------------------------- */

static DECLARE_COMPLETION(sleep_done);
static DECLARE_WAIT_QUEUE_HEAD(sleep_wq);
static int sleep_cond, sleep_hits, sleep_wake_kind;
static struct task_struct *sleeper_task;

static irqreturn_t sleep_handler(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	CHECK(current == sleeper_task);
	if (irq == 20) {
		if (sleep_wake_kind == 0) {
			complete(&sleep_done);
		} else {
			WRITE_ONCE(sleep_cond, 1);
			wake_up(&sleep_wq);
		}
	}
	__atomic_add_fetch(&sleep_hits, 1, __ATOMIC_RELEASE);
	return IRQ_HANDLED;
}

static void completion_sleeper(struct test_task *t)
{
	(void)t;
	wait_for_completion(&sleep_done);
}

static void waitq_sleeper(struct test_task *t)
{
	(void)t;
	wait_event(sleep_wq, READ_ONCE(sleep_cond));
}

static void sleeper_case(void (*body)(struct test_task *), int kind)
{
	struct test_task s;
	int n = (int)test_scale(50);

	sleep_wake_kind = kind;
	__atomic_store_n(&sleep_hits, 0, __ATOMIC_RELAXED);
	test_task_start(&s, body);
	sleeper_task = s.task;
	CHECK_EQ(lksync_irq_route(19, s.task), 0);
	CHECK_EQ(lksync_irq_route(20, s.task), 0);
	spin_ms(5);
	for (int i = 1; i <= n; i++) {
		lksync_irq_raise(19);
		if (!WAIT_FOR(__atomic_load_n(&sleep_hits, __ATOMIC_ACQUIRE) == i, 5000))
			break;
	}
	CHECK_EQ(__atomic_load_n(&sleep_hits, __ATOMIC_ACQUIRE), n);
	usleep(5000);
	CHECK(!test_task_done(&s));	/* still asleep */
	lksync_irq_raise(20);
	CHECK(WAIT_FOR(test_task_done(&s), 5000));
	test_task_join(&s);
}

TEST(sleepers)
{
	CHECK_EQ(request_irq(19, sleep_handler, 0, "sleep", &dev_a), 0);
	CHECK_EQ(request_irq(20, sleep_handler, 0, "wake", &dev_b), 0);
	sleeper_case(completion_sleeper, 0);
	sleeper_case(waitq_sleeper, 1);
	free_irq(19, &dev_a);
	free_irq(20, &dev_b);
}

/* ---- the lock a handler shares with task context ------------------------ */

static DEFINE_SPINLOCK(shared_lock);
static int lk_plain, lk_holding, lk_release, lk_hits, lk_handler_spinning, lk_rescued;
static long long lk_unlock_ns, lk_handler_ns;

static irqreturn_t lock_handler(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	__atomic_store_n(&lk_handler_spinning, 1, __ATOMIC_RELEASE);
	spin_lock(&shared_lock);
	lk_handler_ns = test_now_ns();
	spin_unlock(&shared_lock);
	__atomic_store_n(&lk_handler_spinning, 0, __ATOMIC_RELEASE);
	__atomic_add_fetch(&lk_hits, 1, __ATOMIC_RELEASE);
	return IRQ_HANDLED;
}

/* The holder: takes the lock (irqsave or plain), is interrupted, lets go when told. */
static void holder_body(struct test_task *t)
{
	unsigned long flags = 0;

	(void)t;
	if (READ_ONCE(lk_plain))
		spin_lock(&shared_lock);
	else
		spin_lock_irqsave(&shared_lock, flags);
	__atomic_store_n(&lk_holding, 1, __ATOMIC_RELEASE);
	/* Atomic reads: TSan delivers signals at them. */
	while (!__atomic_load_n(&lk_release, __ATOMIC_ACQUIRE))
		;
	/* Rescued by the watchdog: the lock was released for us. */
	if (__atomic_load_n(&lk_rescued, __ATOMIC_ACQUIRE)) {
		preempt_enable();	/* what our spin_unlock() would have done */
		return;
	}
	lk_unlock_ns = test_now_ns();
	if (irqs_disabled())
		spin_unlock_irqrestore(&shared_lock, flags);
	else
		spin_unlock(&shared_lock);
}

TEST(irqsave_vs_handler)
{
	struct test_task h;

	CHECK_EQ(request_irq(21, lock_handler, 0, "lock", &dev_a), 0);
	/* spin_lock_irqsave(): the interrupt waits until the unlock, then takes the lock. */
	WRITE_ONCE(lk_plain, 0);
	WRITE_ONCE(lk_release, 0);
	test_task_start(&h, holder_body);
	CHECK_EQ(lksync_irq_route(21, h.task), 0);
	CHECK(WAIT_FOR(__atomic_load_n(&lk_holding, __ATOMIC_ACQUIRE), 5000));
	CHECK_EQ(lksync_irq_raise(21), 0);
	spin_ms(30);
	CHECK_EQ(__atomic_load_n(&lk_hits, __ATOMIC_ACQUIRE), 0);
	CHECK_EQ(__atomic_load_n(&lk_handler_spinning, __ATOMIC_ACQUIRE), 0);
	__atomic_store_n(&lk_release, 1, __ATOMIC_RELEASE);
	CHECK(WAIT_FOR(__atomic_load_n(&lk_hits, __ATOMIC_ACQUIRE) == 1, 5000));
	test_task_join(&h);
	CHECK(lk_handler_ns >= lk_unlock_ns);
	free_irq(21, &dev_a);
}

#ifdef LKSYNC_DEBUG
static char plain_first_report[512];

static void plain_sink(const char *text, void *arg)
{
	(void)arg;
	if (!plain_first_report[0])
		snprintf(plain_first_report, sizeof(plain_first_report), "%s", text);
}
#endif

TEST(plain_lock_deadlocks)
{
#ifdef LKSYNC_UP
	/* Uniprocessor spinlocks do not spin: there is nothing to deadlock on. */
	printf("skipped (uniprocessor build)\n");
#else
	struct test_task h;
	long long start;

#ifdef LKSYNC_DEBUG
	/*
	 * The debug flavor sees it coming: lockdep reports the lock taken in
	 * a handler and, elsewhere, with interrupts on, when the handler
	 * takes it (before it spins).
	 */
	lksync_set_report_sink(plain_sink, NULL);
#endif

	__atomic_store_n(&lk_hits, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lk_holding, 0, __ATOMIC_RELAXED);
	CHECK_EQ(request_irq(21, lock_handler, 0, "lock", &dev_a), 0);
	/* Plain spin_lock(): the handler interrupts the holder and spins on its lock. */
	WRITE_ONCE(lk_plain, 1);
	WRITE_ONCE(lk_release, 0);
	test_task_start(&h, holder_body);
	CHECK_EQ(lksync_irq_route(21, h.task), 0);
	CHECK(WAIT_FOR(__atomic_load_n(&lk_holding, __ATOMIC_ACQUIRE), 5000));
	CHECK_EQ(lksync_irq_raise(21), 0);
	/*
	 * The watchdog: the handler has spun for 200 ms on a lock its own
	 * task holds; that task cannot run until the handler returns, which
	 * it never will. Release the lock on the holder's behalf so the test
	 * ends, and tell the holder it lost it.
	 */
	CHECK(WAIT_FOR(__atomic_load_n(&lk_handler_spinning, __ATOMIC_ACQUIRE), 5000));
	start = test_now_ms();
	while (test_now_ms() - start < 200 && !__atomic_load_n(&lk_hits, __ATOMIC_ACQUIRE))
		usleep(1000);
	CHECK(__atomic_load_n(&lk_handler_spinning, __ATOMIC_ACQUIRE));	/* deadlocked */
	CHECK_EQ(__atomic_load_n(&lk_hits, __ATOMIC_ACQUIRE), 0);
	__atomic_store_n(&lk_rescued, 1, __ATOMIC_RELEASE);
	preempt_disable();	/* the unlock's preempt_enable() is the holder's */
	spin_unlock(&shared_lock);
	CHECK(WAIT_FOR(__atomic_load_n(&lk_hits, __ATOMIC_ACQUIRE) == 1, 5000));
	__atomic_store_n(&lk_release, 1, __ATOMIC_RELEASE);
	test_task_join(&h);
	free_irq(21, &dev_a);
#ifdef LKSYNC_DEBUG
	lksync_set_report_sink(NULL, NULL);
	CHECK(strstr(plain_first_report, "WARNING: inconsistent lock state") != NULL);
	CHECK(strstr(plain_first_report, "shared_lock") != NULL);
#endif
#endif
}

/* ---- a target that exits --------------------------------------------- */

static int exit_hits;
static struct task_struct *exit_handler_task;
static char exit_handler_comm[TASK_COMM_LEN];

static irqreturn_t exit_handler(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	exit_handler_task = current;
	memcpy(exit_handler_comm, current->comm, TASK_COMM_LEN);
	__atomic_add_fetch(&exit_hits, 1, __ATOMIC_RELEASE);
	return IRQ_HANDLED;
}

static int exit_go;

static void masked_exit_body(struct test_task *t)
{
	(void)t;
	local_irq_disable();
	__atomic_store_n(&exit_go, 1, __ATOMIC_RELEASE);
	/* Wait until the raise is pending here, then leave with it unhandled. */
	while (!(READ_ONCE(lksync_tls.pending) & LKSYNC_PENDING_IRQ))
		;
}

TEST(target_exits)
{
	struct test_task s;

	CHECK_EQ(request_irq(22, exit_handler, 0, "exit", &dev_a), 0);
	test_task_start(&s, masked_exit_body);
	CHECK_EQ(lksync_irq_route(22, s.task), 0);
	CHECK(WAIT_FOR(__atomic_load_n(&exit_go, __ATOMIC_ACQUIRE), 5000));
	CHECK_EQ(lksync_irq_raise(22), 0);
	pthread_join(s.thread, NULL);
	/* The pending interrupt followed the line to a ksoftirqd. */
	CHECK(WAIT_FOR(__atomic_load_n(&exit_hits, __ATOMIC_ACQUIRE) == 1, 5000));
	CHECK(!strncmp(exit_handler_comm, "ksoftirqd/", 10));
	CHECK_EQ(lksync_irq_route(22, s.task), -ESRCH);
	put_task_struct(s.task);
	/* And the line still works. */
	CHECK_EQ(lksync_irq_raise(22), 0);
	CHECK(WAIT_FOR(__atomic_load_n(&exit_hits, __ATOMIC_ACQUIRE) == 2, 5000));
	CHECK_EQ(lksync_irq_route(22, NULL), 0);
	CHECK_EQ(lksync_irq_raise(22), 0);
	CHECK(WAIT_FOR(__atomic_load_n(&exit_hits, __ATOMIC_ACQUIRE) == 3, 5000));
	CHECK(exit_handler_task == current);
	free_irq(22, &dev_a);
}

/*
 * A raise whose signal cannot be queued (the real-time signal queue is full:
 * here, RLIMIT_SIGPENDING of 0) fails with -EAGAIN and leaves the line
 * usable: once signals can be queued again, the next raise is handled.
 */
static DECLARE_COMPLETION(sigq_done);
static irqreturn_t sigq_isr(int irq, void *dev)
{
	complete(&sigq_done);
	return IRQ_HANDLED;
}

TEST(signal_queue_full)
{
	struct rlimit old, none = { 0, 0 };
	static int dev;
	int ret;

	if (getrlimit(RLIMIT_SIGPENDING, &old)) {
		printf("skip: no RLIMIT_SIGPENDING\n");
		return;
	}
	none.rlim_max = old.rlim_max;
	CHECK_EQ(request_irq(40, sigq_isr, 0, "sigq", &dev), 0);
	CHECK_EQ(setrlimit(RLIMIT_SIGPENDING, &none), 0);
	ret = lksync_irq_raise(40);
	CHECK_EQ(setrlimit(RLIMIT_SIGPENDING, &old), 0);
	if (ret == 0) {
		/* Some kernels let a thread signal itself past the limit: not this case. */
		printf("skip: the signal was queued despite RLIMIT_SIGPENDING 0\n");
	} else {
		CHECK_EQ(ret, -EAGAIN);
		CHECK(!wait_for_completion_timeout(&sigq_done, msecs_to_jiffies(50)));
	}
	CHECK_EQ(lksync_irq_raise(40), 0);
	CHECK(wait_for_completion_timeout(&sigq_done, msecs_to_jiffies(2000)));
	free_irq(40, &dev);
}

/*
 * A WARN in a handler that interrupted a WARN of its own thread: the
 * interrupted report holds the report lock, so the handler's must not wait
 * for it (it would wait forever), and neither report may be lost.
 */
static unsigned long warn_reports;
static void warn_sink(const char *text, void *arg)
{
	__atomic_add_fetch(&warn_reports, 1, __ATOMIC_RELAXED);
	for (volatile int i = 0; i < 20000; i++)
		;	/* a slow console: interrupts land inside the report */
}

static unsigned long warn_handled;
static irqreturn_t warn_isr(int irq, void *dev)
{
	WARN(1, "from the handler\n");
	warn_handled++;
	return IRQ_HANDLED;
}

static int warn_raiser(void *arg)
{
	while (!kthread_should_stop()) {
		lksync_irq_raise(41);
		udelay(200);
	}
	return 0;
}

TEST(warn_in_handler_during_warn)
{
	lksync_report_sink_t old = lksync_set_report_sink(warn_sink, NULL);
	struct task_struct *r;
	static int dev;
	int n = test_scale(1000);

	long long deadline;
	int i;

	CHECK_EQ(request_irq(41, warn_isr, 0, "warn", &dev), 0);
	r = kthread_run(warn_raiser, NULL, "warn-raiser");
	/*
	 * At least n reports, and on until a handler has run (the raiser may
	 * start late on a loaded machine, or under TSan, whose signals land
	 * only at its interceptors): within 5 s.
	 */
	deadline = test_now_ms() + 5000;
	for (i = 0; i < n || (!READ_ONCE(warn_handled) && test_now_ms() < deadline); i++)
		WARN(1, "from process context\n");
	n = i;
	kthread_stop(r);
	free_irq(41, &dev);
	lksync_set_report_sink(old, NULL);
	CHECK_EQ(warn_reports, n + warn_handled);
	CHECK(warn_handled > 0);
}

/* ---- the first interrupt to a fresh task ---------------------------------- */

static int fresh_hits, fresh_ready, mm_stop;

static irqreturn_t fresh_handler(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	__atomic_add_fetch(&fresh_hits, 1, __ATOMIC_RELEASE);
	return IRQ_HANDLED;
}

static void fresh_body(struct test_task *t)
{
	(void)t;
	CHECK_EQ(request_irq(42, fresh_handler, 0, "fresh", &dev_a), 0);
	__atomic_store_n(&fresh_ready, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&fresh_ready, __ATOMIC_ACQUIRE) != 2)
		cpu_relax();
	/*
	 * This thread's first blocking libc call, as the raise comes in: GCC
	 * 12's libtsan creates the thread's signal state here (two mmap()s,
	 * then a plain store) unless request_irq() did, and a signal landing
	 * in between was lost.
	 */
	usleep(1);
	WAIT_FOR(__atomic_load_n(&fresh_hits, __ATOMIC_ACQUIRE), 5000);
	free_irq(42, &dev_a);
}

/* Keep the address-space lock busy: every mmap() of the process waits for it. */
static void *mm_hog(void *arg)
{
	size_t size = 16 << 20;
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	(void)arg;
	if (p == MAP_FAILED)
		return NULL;
	while (!__atomic_load_n(&mm_stop, __ATOMIC_RELAXED)) {
		mprotect(p, size, PROT_READ);
		mprotect(p, size, PROT_READ | PROT_WRITE);
	}
	munmap(p, size);
	return NULL;
}

/* A thread's scheduler state (R, S, D...) from /proc, or '?'. */
static char thread_state(pid_t tid)
{
	char path[64], buf[512], *p;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return '?';
	buf[len] = 0;
	p = strrchr(buf, ')');	/* the name may hold anything */
	return p && p[1] == ' ' ? p[2] : '?';
}

TEST(first_interrupt_fresh_task)
{
	/*
	 * The race is a few microseconds wide: the raise must land while the
	 * task's first blocking call has libtsan inside mmap(). The hog
	 * stretches that mmap() (it waits for the address-space lock, in
	 * state D), and the raise goes out once the task has left state R.
	 * Without the fix about 4 raises in 10 were lost, and every run
	 * failed within its first 3. Not scaled: TSan is the build this is
	 * for.
	 */
	int n = 100, blocked = 0;
	pthread_t hog;

	__atomic_store_n(&mm_stop, 0, __ATOMIC_RELAXED);
	CHECK_EQ(pthread_create(&hog, NULL, mm_hog, NULL), 0);
	for (int i = 0; i < n; i++) {
		struct test_task t;
		long long until;
		char state;

		__atomic_store_n(&fresh_hits, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&fresh_ready, 0, __ATOMIC_RELAXED);
		test_task_start(&t, fresh_body);
		while (!__atomic_load_n(&fresh_ready, __ATOMIC_ACQUIRE))
			cpu_relax();
		__atomic_store_n(&fresh_ready, 2, __ATOMIC_RELEASE);	/* go */
		until = test_now_ms() + 100;
		while ((state = thread_state(t.task->pid)) == 'R' && test_now_ms() < until)
			;
		blocked += state == 'D';
		CHECK_EQ(lksync_irq_raise(42), 0);
		test_task_join(&t);
		if (__atomic_load_n(&fresh_hits, __ATOMIC_ACQUIRE) != 1) {
			CHECK_EQ(__atomic_load_n(&fresh_hits, __ATOMIC_ACQUIRE), 1);
			printf("  first interrupt lost at raise %d of %d (state %c)\n", i + 1, n, state);
			break;
		}
	}
	__atomic_store_n(&mm_stop, 1, __ATOMIC_RELAXED);
	pthread_join(hog, NULL);
	printf("  %d of %d raises while the task was in D\n", blocked, n);
}

int main(void)
{
	test_watchdog(60);
	RUN(invalid);
	RUN(hardirq_context);
	RUN(first_interrupt_fresh_task);
	RUN(interrupts_busy_loop);
	RUN(masked_replay);
	RUN(no_nesting);
	RUN(shared);
	RUN(disable_enable);
	RUN(synchronize);
	RUN(threaded_oneshot);
	RUN(threaded_wakes_on_exact_result);
	RUN(thread_requests_other_line_during_free);
	RUN(sleepers);
	RUN(irqsave_vs_handler);
	RUN(plain_lock_deadlocks);
	RUN(target_exits);
	RUN(signal_queue_full);
	RUN(warn_in_handler_during_warn);
	return test_done();
}
