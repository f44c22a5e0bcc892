// SPDX-License-Identifier: MIT
/*
 * Tasklets: both DECLARE_TASKLET() forms, the _OLD and _DISABLED variants,
 * tasklet_init()/tasklet_setup()/from_tasklet(); a tasklet runs once however
 * often it was scheduled meanwhile, HI before normal, in softirq context on
 * the scheduling task (at local_bh_enable() or irq exit) or in ksoftirqd;
 * scheduled while running it runs again after; never on two tasks at once,
 * under heavy scheduling from several threads and from interrupts, and
 * nothing scheduled is lost; disable defers (and tasklet_disable() waits for
 * a running one), enable runs what was deferred; tasklet_kill() waits;
 * tasklet_trylock()/tasklet_unlock(); an exiting task's tasklets still run.
 */
#include <errno.h>
#include <string.h>
#include <lksync/interrupt.h>
#include <lksync/delay.h>
#include "lksync_test.h"

#define WAIT_FOR(cond, ms) ({							\
	long long __end = test_now_ms() + (ms);					\
	while (!(cond) && test_now_ms() < __end)				\
		usleep(100);							\
	(cond); })

#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELEASE)
#define INC(x)		__atomic_add_fetch(&(x), 1, __ATOMIC_ACQ_REL)

static void spin_ms(long ms)
{
	long long end = test_now_ns() + ms * 1000000LL;
	int dummy = 0;

	while (test_now_ns() < end)
		(void)READ_ONCE(dummy);
}

static int order[8], order_n;

static void note(int who)
{
	int i = INC(order_n) - 1;

	if (i < 8)
		order[i] = who;
}

/* ---- the declaration forms -------------------------------------------- */

static unsigned long old_data;
static int old_runs, old_ctx_ok;

static void old_func(unsigned long data)
{
	old_data = data;
	old_ctx_ok = in_serving_softirq() && !in_hardirq() && !irqs_disabled();
	INC(old_runs);
	note(1);
}

static int new_runs;
static struct tasklet_struct *new_seen;

static void new_cb(struct tasklet_struct *t)
{
	new_seen = t;
	INC(new_runs);
	note(2);
}

static DECLARE_TASKLET(t_old, old_func, 42);		/* (name, func, data) */
static DECLARE_TASKLET(t_new, new_cb);			/* (name, callback) */
static DECLARE_TASKLET_OLD(t_old0, old_func);
static DECLARE_TASKLET_DISABLED(t_dis_new, new_cb);
static DECLARE_TASKLET_DISABLED(t_dis_old, old_func, 7);

struct mydev {
	int hits;
	struct tasklet_struct bh;
};

static void mydev_bh(struct tasklet_struct *t)
{
	struct mydev *d = from_tasklet(d, t, bh);

	d->hits++;
}

TEST(forms)
{
	struct mydev d = { .hits = 0 };
	struct tasklet_struct ti;

	CHECK(!t_old.use_callback && t_new.use_callback);
	CHECK_EQ(atomic_read(&t_dis_new.count), 1);
	CHECK_EQ(atomic_read(&t_dis_old.count), 1);

	local_bh_disable();
	tasklet_schedule(&t_old);
	CHECK_EQ(LOAD(old_runs), 0);
	local_bh_enable();
	CHECK_EQ(LOAD(old_runs), 1);
	CHECK_EQ(old_data, 42);
	CHECK(old_ctx_ok);

	local_bh_disable();
	tasklet_schedule(&t_new);
	tasklet_schedule(&t_old0);
	local_bh_enable();
	CHECK_EQ(LOAD(new_runs), 1);
	CHECK(new_seen == &t_new);
	CHECK_EQ(LOAD(old_runs), 2);
	CHECK_EQ(old_data, 0);

	/* Disabled from the start: deferred until enabled. */
	local_bh_disable();
	tasklet_schedule(&t_dis_new);
	tasklet_schedule(&t_dis_old);
	local_bh_enable();
	spin_ms(10);
	CHECK_EQ(LOAD(new_runs), 1);
	CHECK_EQ(LOAD(old_runs), 2);
	tasklet_enable(&t_dis_new);
	tasklet_enable(&t_dis_old);
	CHECK(WAIT_FOR(LOAD(new_runs) == 2 && LOAD(old_runs) == 3, 5000));
	CHECK_EQ(old_data, 7);

	/* tasklet_setup() + from_tasklet(), tasklet_init(). */
	tasklet_setup(&d.bh, mydev_bh);
	local_bh_disable();
	tasklet_schedule(&d.bh);
	local_bh_enable();
	CHECK_EQ(d.hits, 1);
	tasklet_init(&ti, old_func, 99);
	local_bh_disable();
	tasklet_hi_schedule(&ti);
	local_bh_enable();
	CHECK_EQ(old_data, 99);
	tasklet_kill(&d.bh);
	tasklet_kill(&ti);
	tasklet_kill(&t_dis_new);
	tasklet_kill(&t_dis_old);
}

/* ---- once per scheduling window; HI first ------------------------------- */

TEST(once_and_hi_first)
{
	int before = LOAD(new_runs);

	local_bh_disable();
	tasklet_schedule(&t_new);
	tasklet_schedule(&t_new);
	tasklet_schedule(&t_new);
	CHECK(test_bit(TASKLET_STATE_SCHED, &t_new.state));
	local_bh_enable();
	CHECK_EQ(LOAD(new_runs), before + 1);
	CHECK(!test_bit(TASKLET_STATE_SCHED, &t_new.state));

	STORE(order_n, 0);
	local_bh_disable();
	tasklet_schedule(&t_new);	/* TASKLET_SOFTIRQ */
	tasklet_hi_schedule(&t_old);	/* HI_SOFTIRQ runs first */
	local_bh_enable();
	CHECK_EQ(LOAD(order_n), 2);
	CHECK_EQ(order[0], 1);
	CHECK_EQ(order[1], 2);
}

/* ---- where it runs --------------------------------------------------------- */

static int where_runs;
static struct task_struct *where_task;
static char where_comm[TASK_COMM_LEN];
static int where_after_handler, handler_done;

static void where_cb(struct tasklet_struct *t)
{
	(void)t;
	where_task = current;
	memcpy(where_comm, current->comm, TASK_COMM_LEN);
	where_after_handler = LOAD(handler_done);
	INC(where_runs);
}

static DECLARE_TASKLET(t_where, where_cb);

static irqreturn_t sched_irq(int irq, void *dev)
{
	(void)irq;
	tasklet_schedule(dev);
	STORE(handler_done, 1);
	return IRQ_HANDLED;
}

static void raise40(struct test_task *t)
{
	(void)t;
	lksync_irq_raise(40);
}

TEST(where)
{
	struct test_task r;

	/* From task context with bottom halves enabled: ksoftirqd. */
	tasklet_schedule(&t_where);
	CHECK(WAIT_FOR(LOAD(where_runs) == 1, 5000));
	CHECK(where_task != current);
	CHECK(!strncmp(where_comm, "ksoftirqd/", 10));

	/* From a hardirq handler: at its exit, on the interrupted task. */
	CHECK_EQ(request_irq(40, sched_irq, 0, "tl", &t_where), 0);
	test_task_start(&r, raise40);
	test_task_join(&r);
	CHECK(WAIT_FOR(LOAD(where_runs) == 2, 5000));
	CHECK(where_task == current);
	CHECK(where_after_handler);
	free_irq(40, &t_where);
	tasklet_kill(&t_where);
}

/* ---- scheduled while running: runs again after --------------------------- */

static int rr_runs, rr_inside, rr_max, rr_release;

static void rr_cb(struct tasklet_struct *t)
{
	int in = INC(rr_inside);

	(void)t;
	if (in > rr_max)
		rr_max = in;
	if (INC(rr_runs) == 1) {
		/* Hold the first run until the test has scheduled it again. */
		while (!LOAD(rr_release))
			;
	}
	__atomic_sub_fetch(&rr_inside, 1, __ATOMIC_ACQ_REL);
}

static DECLARE_TASKLET(t_rr, rr_cb);

TEST(rescheduled_while_running)
{
	tasklet_schedule(&t_rr);
	CHECK(WAIT_FOR(LOAD(rr_inside) == 1, 5000));
	CHECK(test_bit(TASKLET_STATE_RUN, &t_rr.state));
	CHECK(!test_bit(TASKLET_STATE_SCHED, &t_rr.state));
	tasklet_schedule(&t_rr);
	spin_ms(20);
	CHECK_EQ(LOAD(rr_runs), 1);	/* not alongside itself */
	STORE(rr_release, 1);
	CHECK(WAIT_FOR(LOAD(rr_runs) == 2, 5000));
	tasklet_kill(&t_rr);
	CHECK_EQ(rr_max, 1);
	CHECK_EQ(t_rr.state, 0);
}

/* ---- heavy scheduling from threads and interrupts ---------------------- */

static int st_seq, st_last_seen, st_inside, st_max, st_runs;

static void stress_cb(struct tasklet_struct *t)
{
	int in = INC(st_inside);

	(void)t;
	if (in > st_max)
		st_max = in;
	/* Every schedule before our SCHED bit was cleared is seen here. */
	STORE(st_last_seen, LOAD(st_seq));
	for (int i = 0; i < 50; i++)
		(void)LOAD(st_seq);
	INC(st_runs);
	__atomic_sub_fetch(&st_inside, 1, __ATOMIC_ACQ_REL);
}

static DECLARE_TASKLET(t_stress, stress_cb);

static irqreturn_t stress_irq(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	INC(st_seq);
	tasklet_schedule(&t_stress);
	return IRQ_HANDLED;
}

static void stress_thread(int idx, void *arg)
{
	long n = test_scale(20000);

	(void)arg;
	for (long i = 0; i < n; i++) {
		INC(st_seq);
		if (i & 1)
			tasklet_schedule(&t_stress);
		else
			tasklet_hi_schedule(&t_stress);
		if (!(i & 63))
			lksync_irq_raise(41);
		if (idx == 0 && !(i & 7)) {
			/* Also from bh-disabled sections: runs here at the enable. */
			local_bh_disable();
			INC(st_seq);
			tasklet_schedule(&t_stress);
			local_bh_enable();
		}
	}
}

TEST(stress)
{
	int dev;

	CHECK_EQ(request_irq(41, stress_irq, 0, "stress", &dev), 0);
	test_threads(4, stress_thread, NULL);
	tasklet_kill(&t_stress);
	CHECK_EQ(st_max, 1);
	CHECK(LOAD(st_runs) > 0);
	CHECK_EQ(LOAD(st_last_seen), LOAD(st_seq));
	CHECK_EQ(t_stress.state, 0);
	free_irq(41, &dev);
	printf("  %d schedules, %d runs\n", LOAD(st_seq), LOAD(st_runs));
}

/* ---- disable, enable, kill, trylock ----------------------------------------- */

static int dk_runs, dk_inside, dk_hold, dk_release;

static void dk_cb(struct tasklet_struct *t)
{
	(void)t;
	STORE(dk_inside, 1);
	if (LOAD(dk_hold))
		while (!LOAD(dk_release))
			;
	INC(dk_runs);
	STORE(dk_inside, 0);
}

static DECLARE_TASKLET(t_dk, dk_cb);

static void dk_releaser(struct test_task *t)
{
	(void)t;
	msleep(30);
	STORE(dk_release, 1);
}

/* Schedule t_dk to run held in ksoftirqd; return once it runs. */
static void dk_start_held(void)
{
	STORE(dk_hold, 1);
	STORE(dk_release, 0);
	tasklet_schedule(&t_dk);
	CHECK(WAIT_FOR(LOAD(dk_inside), 5000));
}

TEST(disable_enable)
{
	struct test_task rel;

	/* Disabled: deferred, not lost. */
	tasklet_disable(&t_dk);
	tasklet_schedule(&t_dk);
	spin_ms(30);
	CHECK_EQ(LOAD(dk_runs), 0);
	CHECK(test_bit(TASKLET_STATE_SCHED, &t_dk.state));
	/* Nested. */
	tasklet_disable(&t_dk);
	tasklet_enable(&t_dk);
	spin_ms(10);
	CHECK_EQ(LOAD(dk_runs), 0);
	tasklet_enable(&t_dk);
	CHECK(WAIT_FOR(LOAD(dk_runs) == 1, 5000));

	/* tasklet_disable() waits for a running instance... */
	dk_start_held();
	test_task_start(&rel, dk_releaser);
	tasklet_disable(&t_dk);
	CHECK_EQ(LOAD(dk_inside), 0);
	CHECK_EQ(LOAD(dk_runs), 2);
	test_task_join(&rel);
	tasklet_enable(&t_dk);

	/* ...tasklet_disable_nosync() does not. */
	dk_start_held();
	tasklet_disable_nosync(&t_dk);
	CHECK_EQ(LOAD(dk_inside), 1);
	STORE(dk_release, 1);
	tasklet_unlock_wait(&t_dk);
	CHECK_EQ(LOAD(dk_runs), 3);
	tasklet_enable(&t_dk);
	STORE(dk_hold, 0);
}

TEST(kill)
{
	struct test_task rel;
	int runs = LOAD(dk_runs);

	/* Idle: returns at once. */
	tasklet_kill(&t_dk);
	/* Scheduled: waits until it has run. */
	tasklet_schedule(&t_dk);
	tasklet_kill(&t_dk);
	CHECK_EQ(LOAD(dk_runs), runs + 1);
	CHECK_EQ(t_dk.state, 0);
	/* Running: waits until it is done. */
	dk_start_held();
	test_task_start(&rel, dk_releaser);
	tasklet_kill(&t_dk);
	CHECK_EQ(LOAD(dk_inside), 0);
	CHECK_EQ(LOAD(dk_runs), runs + 2);
	CHECK_EQ(t_dk.state, 0);
	test_task_join(&rel);
	STORE(dk_hold, 0);
	/* It can be scheduled again afterwards. */
	tasklet_schedule(&t_dk);
	CHECK(WAIT_FOR(LOAD(dk_runs) == runs + 3, 5000));
	tasklet_kill(&t_dk);
}

TEST(trylock)
{
	struct tasklet_struct t;

	tasklet_setup(&t, new_cb);
	CHECK(tasklet_trylock(&t));
	CHECK(!tasklet_trylock(&t));
	tasklet_unlock(&t);
	CHECK(tasklet_trylock(&t));
	tasklet_unlock(&t);
	tasklet_unlock_wait(&t);
	tasklet_unlock_spin_wait(&t);
	/* Locked by someone else: the softirq puts it back and runs it later. */
	CHECK(tasklet_trylock(&t));
	int before = LOAD(new_runs);

	local_bh_disable();
	tasklet_schedule(&t);
	local_bh_enable();
	CHECK_EQ(LOAD(new_runs), before);
	tasklet_unlock(&t);
	CHECK(WAIT_FOR(LOAD(new_runs) == before + 1, 5000));
	tasklet_kill(&t);
}

/* ---- an exiting task ------------------------------------------------------ */

static int ex_runs;
static char ex_comm[TASK_COMM_LEN];

static void ex_cb(struct tasklet_struct *t)
{
	(void)t;
	memcpy(ex_comm, current->comm, TASK_COMM_LEN);
	INC(ex_runs);
}

static DECLARE_TASKLET(t_ex, ex_cb);

static void exiting_body(struct test_task *t)
{
	(void)t;
	local_bh_disable();
	tasklet_schedule(&t_ex);
	_local_bh_enable();	/* leaves it queued here */
}

TEST(exiting_task)
{
	struct test_task t;

	test_task_start(&t, exiting_body);
	test_task_join(&t);
	CHECK(WAIT_FOR(LOAD(ex_runs) == 1, 5000));
	CHECK(!strncmp(ex_comm, "ksoftirqd/", 10));
	tasklet_kill(&t_ex);
}

int main(void)
{
	test_watchdog(60);
	RUN(forms);
	RUN(once_and_hi_first);
	RUN(where);
	RUN(rescheduled_while_running);
	RUN(stress);
	RUN(disable_enable);
	RUN(kill);
	RUN(trylock);
	RUN(exiting_task);
	return test_done();
}
