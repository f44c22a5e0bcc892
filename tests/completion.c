// SPDX-License-Identifier: MIT
/*
 * Completions: the return value of every wait form, counting (N complete()s
 * let exactly N waits through, timed waits racing with complete() included),
 * complete_all() until reinit_completion(), send_sig() against killable and
 * interruptible waits, OS signals that must not end a wait, complete() from
 * a signal handler, and no lost wake-up among more threads than cores.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <lksync/completion.h>
#include "lksync_test.h"

#define now_ms()	test_now_ms()

static DECLARE_COMPLETION(comp);

/* How many tasks sleep on @x (under its lock). */
static int queued(struct completion *x)
{
	unsigned long flags;
	int n;

	raw_spin_lock_irqsave(&x->wait.lock, flags);
	n = (int)list_count_nodes(&x->wait.task_list);
	raw_spin_unlock_irqrestore(&x->wait.lock, flags);
	return n;
}

static void wait_queued(struct completion *x, int n)
{
	while (queued(x) < n)
		usleep(1000);
	usleep(5000);
}

enum kind { PLAIN, INTR, KILL, TIMEOUT, INTR_TIMEOUT, KILL_TIMEOUT, IO, STATE_INTR };

struct waiter {
	struct test_task t;
	struct completion *x;
	enum kind kind;
	long timeout;
	long ret;
};

static void waiter_body(struct test_task *t)
{
	struct waiter *w = container_of(t, struct waiter, t);

	switch (w->kind) {
	case PLAIN: wait_for_completion(w->x); w->ret = 0; break;
	case IO: wait_for_completion_io(w->x); w->ret = 0; break;
	case INTR: w->ret = wait_for_completion_interruptible(w->x); break;
	case KILL: w->ret = wait_for_completion_killable(w->x); break;
	case STATE_INTR: w->ret = wait_for_completion_state(w->x, TASK_INTERRUPTIBLE); break;
	case TIMEOUT: w->ret = (long)wait_for_completion_timeout(w->x, w->timeout); break;
	case INTR_TIMEOUT:
		w->ret = wait_for_completion_interruptible_timeout(w->x, w->timeout);
		break;
	case KILL_TIMEOUT:
		w->ret = wait_for_completion_killable_timeout(w->x, w->timeout);
		break;
	}
	CHECK(task_is_running(current));
	flush_signals(current);
}

static void waiter_start(struct waiter *w, struct completion *x, enum kind kind, long timeout)
{
	memset(w, 0, sizeof(*w));
	w->x = x;
	w->kind = kind;
	w->timeout = timeout;
	test_task_start(&w->t, waiter_body);
}

TEST(initializers_and_returns)
{
	DECLARE_COMPLETION_ONSTACK(local);
	struct completion dyn;
	long long t0;

	init_completion(&dyn);
	CHECK(!completion_done(&local));
	CHECK(!completion_done(&dyn));
	CHECK(!try_wait_for_completion(&dyn));
	complete(&dyn);
	CHECK(completion_done(&dyn));
	CHECK(completion_done(&dyn));		/* does not consume */
	CHECK(try_wait_for_completion(&dyn));	/* consumes */
	CHECK(!try_wait_for_completion(&dyn));
	CHECK(!completion_done(&dyn));

	/* Completed already: each form passes at once with its success value. */
	complete(&dyn);
	wait_for_completion(&dyn);
	complete(&dyn);
	wait_for_completion_io(&dyn);
	complete(&dyn);
	CHECK_EQ(wait_for_completion_interruptible(&dyn), 0);
	complete(&dyn);
	CHECK_EQ(wait_for_completion_killable(&dyn), 0);
	complete(&dyn);
	CHECK_EQ(wait_for_completion_state(&dyn, TASK_KILLABLE), 0);
	complete(&dyn);
	CHECK_EQ(wait_for_completion_timeout(&dyn, 100), 100);
	complete(&dyn);
	CHECK_EQ(wait_for_completion_timeout(&dyn, 0), 1);	/* done, no time: 1 */
	complete(&dyn);
	CHECK_EQ(wait_for_completion_interruptible_timeout(&dyn, 100), 100);
	complete(&dyn);
	CHECK_EQ(wait_for_completion_killable_timeout(&dyn, 9), 9);
	complete(&dyn);
	CHECK_EQ(wait_for_completion_io_timeout(&dyn, 9), 9);
	CHECK(!completion_done(&dyn));
	CHECK_EQ(wait_for_completion_timeout(&dyn, 0), 0);

	/* Timeouts: 0 after at least the time asked. */
	t0 = now_ms();
	CHECK_EQ(wait_for_completion_timeout(&dyn, msecs_to_jiffies(50)), 0);
	CHECK(now_ms() - t0 >= 50 && now_ms() - t0 < 2000);	/* upper bound: a loaded machine */
	t0 = now_ms();
	CHECK_EQ(wait_for_completion_interruptible_timeout(&dyn, msecs_to_jiffies(50)), 0);
	CHECK(now_ms() - t0 >= 50 && now_ms() - t0 < 2000);	/* upper bound: a loaded machine */
	t0 = now_ms();
	CHECK_EQ(wait_for_completion_killable_timeout(&dyn, msecs_to_jiffies(50)), 0);
	CHECK(now_ms() - t0 >= 50);

	/* A pending signal: interruptible forms fail at once, the others sleep. */
	send_sig(SIGUSR1, current, 0);
	CHECK_EQ(wait_for_completion_interruptible(&dyn), -ERESTARTSYS);
	CHECK_EQ(wait_for_completion_interruptible_timeout(&dyn, 1000), -ERESTARTSYS);
	CHECK_EQ(wait_for_completion_state(&dyn, TASK_INTERRUPTIBLE), -ERESTARTSYS);
	CHECK_EQ(wait_for_completion_killable_timeout(&dyn, 20), 0);
	send_sig(SIGKILL, current, 0);
	CHECK_EQ(wait_for_completion_killable(&dyn), -ERESTARTSYS);
	CHECK_EQ(wait_for_completion_killable_timeout(&dyn, 1000), -ERESTARTSYS);
	CHECK_EQ(wait_for_completion_timeout(&dyn, 20), 0);	/* uninterruptible */
	/* A completion wins over a pending signal. */
	complete(&dyn);
	CHECK_EQ(wait_for_completion_interruptible(&dyn), 0);
	flush_signals(current);
	CHECK_EQ(queued(&dyn), 0);

	/* reinit_completion() and the legacy INIT_COMPLETION() forget completions. */
	complete(&dyn);
	reinit_completion(&dyn);
	CHECK(!completion_done(&dyn));
	complete(&dyn);
	INIT_COMPLETION(dyn);
	CHECK(!try_wait_for_completion(&dyn));
}

/* Woken early: the jiffies left, at least 1; N complete()s release exactly N of M waiters. */
TEST(counting)
{
	struct waiter w[8];
	int n;

	reinit_completion(&comp);
	waiter_start(&w[0], &comp, TIMEOUT, msecs_to_jiffies(10000));
	wait_queued(&comp, 1);
	complete(&comp);
	test_task_join(&w[0].t);
	CHECK(w[0].ret >= 1 && w[0].ret <= (long)msecs_to_jiffies(10000));

	for (int i = 0; i < 8; i++)
		waiter_start(&w[i], &comp, (enum kind)(i % 8), msecs_to_jiffies(10000));
	wait_queued(&comp, 8);
	for (int i = 0; i < 5; i++)
		complete(&comp);
	(void)test_settle(w, 8, 5);
	CHECK_EQ(test_count_done(w, 8), 5);
	CHECK_EQ(queued(&comp), 3);
	CHECK(!completion_done(&comp));	/* all five were consumed */
	for (int i = 0; i < 3; i++)
		complete(&comp);
	for (int i = 0; i < 8; i++) {
		test_task_join(&w[i].t);
		CHECK(w[i].ret >= 0);
	}
	CHECK(!completion_done(&comp));

	/* Completions before the waits: counted, each consumed once. */
	for (int i = 0; i < 5; i++)
		complete(&comp);
	for (n = 0; try_wait_for_completion(&comp); n++)
		;
	CHECK_EQ(n, 5);
}

/* complete_all(): every waiter, now and later, until reinit_completion(). */
TEST(complete_all)
{
	struct waiter w[6];

	reinit_completion(&comp);
	for (int i = 0; i < 6; i++)
		waiter_start(&w[i], &comp, (enum kind)i, msecs_to_jiffies(10000));
	wait_queued(&comp, 6);
	complete_all(&comp);
	for (int i = 0; i < 6; i++) {
		test_task_join(&w[i].t);
		CHECK(w[i].ret >= 0);
	}
	CHECK(completion_done(&comp));
	for (int i = 0; i < 100; i++)
		wait_for_completion(&comp);
	CHECK(try_wait_for_completion(&comp));
	CHECK_EQ(wait_for_completion_timeout(&comp, 0), 1);
	complete(&comp);			/* stays "all" */
	CHECK(completion_done(&comp));
	reinit_completion(&comp);
	CHECK(!completion_done(&comp));
	CHECK(!try_wait_for_completion(&comp));
}

/* send_sig(): any signal ends interruptible waits, only SIGKILL killable ones. */
TEST(signals)
{
	struct waiter w[6];

	reinit_completion(&comp);
	waiter_start(&w[0], &comp, INTR, 0);
	waiter_start(&w[1], &comp, INTR_TIMEOUT, msecs_to_jiffies(10000));
	waiter_start(&w[2], &comp, KILL, 0);
	waiter_start(&w[3], &comp, KILL_TIMEOUT, msecs_to_jiffies(10000));
	waiter_start(&w[4], &comp, PLAIN, 0);
	waiter_start(&w[5], &comp, TIMEOUT, msecs_to_jiffies(10000));
	wait_queued(&comp, 6);
	for (int i = 0; i < 6; i++)
		send_sig(SIGUSR1, w[i].t.task, 0);
	(void)test_settle(w, 6, 2);
	CHECK(test_task_done(&w[0].t) && test_task_done(&w[1].t));
	CHECK_EQ(test_count_done(w + 2, 4), 0);
	for (int i = 2; i < 6; i++)
		send_sig(SIGKILL, w[i].t.task, 0);
	(void)test_settle(w, 6, 4);
	CHECK(test_task_done(&w[2].t) && test_task_done(&w[3].t));
	CHECK_EQ(test_count_done(w + 4, 2), 0);
	CHECK_EQ(queued(&comp), 2);
	complete(&comp);
	complete(&comp);
	for (int i = 0; i < 6; i++)
		test_task_join(&w[i].t);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(w[i].ret, -ERESTARTSYS);
	CHECK_EQ(w[4].ret, 0);
	CHECK(w[5].ret >= 1);
	CHECK(!completion_done(&comp));	/* the signalled waiters took none */
}

static int os_signals;
static void os_handler(int sig) { (void)sig; __atomic_add_fetch(&os_signals, 1, __ATOMIC_RELAXED); }

/* A real POSIX signal (no SA_RESTART) interrupts the futex, never the wait. */
TEST(os_signal_does_not_end_wait)
{
	struct sigaction sa = { .sa_handler = os_handler };
	struct waiter w[2];

	sigaction(SIGUSR2, &sa, NULL);
	reinit_completion(&comp);
	waiter_start(&w[0], &comp, INTR, 0);
	waiter_start(&w[1], &comp, KILL_TIMEOUT, msecs_to_jiffies(10000));
	wait_queued(&comp, 2);
	for (int i = 0; i < 5; i++) {
		pthread_kill(w[0].t.thread, SIGUSR2);
		pthread_kill(w[1].t.thread, SIGUSR2);
		usleep(5000);
	}
	usleep(30000);
	CHECK(__atomic_load_n(&os_signals, __ATOMIC_RELAXED) >= 2);
	CHECK_EQ(test_count_done(w, 2), 0);
	complete_all(&comp);
	test_task_join(&w[0].t);
	test_task_join(&w[1].t);
	CHECK_EQ(w[0].ret, 0);
	CHECK(w[1].ret >= 1);
	signal(SIGUSR2, SIG_DFL);
	reinit_completion(&comp);
}

/* complete() from a signal handler, as an interrupt would. */
static DECLARE_COMPLETION(irq_comp);
static int irq_stop;

static void irq_handler(int sig)
{
	(void)sig;
	complete(&irq_comp);
}

static void *irq_target(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&irq_stop, __ATOMIC_ACQUIRE))
		usleep(1000);
	return NULL;
}

TEST(complete_from_signal_handler)
{
	struct sigaction sa = { .sa_handler = irq_handler };
	long n = test_scale(200);
	pthread_t t;

	sigaction(SIGUSR2, &sa, NULL);
	irq_stop = 0;
	pthread_create(&t, NULL, irq_target, NULL);
	for (long i = 0; i < n; i++) {
		pthread_kill(t, SIGUSR2);
		CHECK(wait_for_completion_timeout(&irq_comp, msecs_to_jiffies(5000)) > 0);
	}
	pthread_kill(t, SIGUSR2);	/* the handler on our own thread, not waiting */
	wait_for_completion(&irq_comp);
	raise(SIGUSR2);
	CHECK(try_wait_for_completion(&irq_comp));
	__atomic_store_n(&irq_stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	signal(SIGUSR2, SIG_DFL);
	CHECK(!completion_done(&irq_comp));
}

/* No lost wake-up: a token passes around a ring of 8 threads (more than cores). */
#define NTHREADS 8
static struct completion ring[NTHREADS];
static long ring_rounds, ring_passes;

static void ring_thread(int idx, void *arg)
{
	(void)arg;
	for (long r = 0; r < ring_rounds; r++) {
		switch (r % 3) {
		case 0: wait_for_completion(&ring[idx]); break;
		case 1: CHECK_EQ(wait_for_completion_interruptible(&ring[idx]), 0); break;
		case 2: CHECK(wait_for_completion_timeout(&ring[idx], 100000) > 0); break;
		}
		__atomic_add_fetch(&ring_passes, 1, __ATOMIC_RELAXED);
		complete(&ring[(idx + 1) % NTHREADS]);
	}
}

TEST(no_lost_wakeup_ring)
{
	ring_rounds = test_scale(2000);
	ring_passes = 0;
	for (int i = 0; i < NTHREADS; i++)
		init_completion(&ring[i]);
	complete(&ring[0]);
	test_threads(NTHREADS, ring_thread, NULL);
	CHECK_EQ(ring_passes, ring_rounds * NTHREADS);
	/* The last pass left one completion on ring[0], nothing anywhere else. */
	CHECK(try_wait_for_completion(&ring[0]));
	for (int i = 0; i < NTHREADS; i++)
		CHECK(!completion_done(&ring[i]));
}

/*
 * Counting under contention: 4 completers, 4 waiters on one completion,
 * the waiters using 1-jiffy timed waits that race with complete(): every
 * complete() is consumed exactly once, none lost, none doubled.
 */
static DECLARE_COMPLETION(many);
static long per_thread, got;

static void many_thread(int idx, void *arg)
{
	(void)arg;
	if (idx < 4) {
		for (long i = 0; i < per_thread; i++) {
			complete(&many);
			if (!(i & 63))
				usleep(100);
		}
		return;
	}
	for (long mine = 0; mine < per_thread; ) {
		long r;

		switch (idx) {
		case 4: r = (long)wait_for_completion_timeout(&many, 1); break;
		case 5: r = wait_for_completion_interruptible_timeout(&many, 1); break;
		case 6: wait_for_completion(&many); r = 1; break;
		default: r = try_wait_for_completion(&many); if (!r) sched_yield(); break;
		}
		CHECK(r >= 0);
		if (r > 0) {
			mine++;
			__atomic_add_fetch(&got, 1, __ATOMIC_RELAXED);
		}
	}
}

TEST(no_lost_wakeup_counting)
{
	per_thread = test_scale(5000);
	got = 0;
	test_threads(NTHREADS, many_thread, NULL);
	CHECK_EQ(got, 4 * per_thread);
	CHECK(!completion_done(&many));
	CHECK_EQ(queued(&many), 0);
}

/*
 * A waiter may free its completion as soon as its wait returns, even when
 * it woke early (here: 1-jiffy timed waits racing complete() and
 * complete_all()); ASan reports any touch by the completer after that.
 */
struct handoff {
	struct completion *x;
	int stop;
};

static void *free_after_wait_completer(void *arg)
{
	struct handoff *h = arg;
	unsigned long n = 0;

	while (!__atomic_load_n(&h->stop, __ATOMIC_ACQUIRE)) {
		struct completion *x = __atomic_exchange_n(&h->x, NULL, __ATOMIC_ACQ_REL);

		if (!x)
			continue;
		if (n++ & 1)
			complete(x);
		else
			complete_all(x);
	}
	return NULL;
}

TEST(free_after_wait)
{
	struct handoff h = { NULL, 0 };
	pthread_t t;
	long rounds = test_scale(20000), completed = 0;

	pthread_create(&t, NULL, free_after_wait_completer, &h);
	for (long i = 0; i < rounds; i++) {
		struct completion *x = malloc(sizeof(*x));

		init_completion(x);
		__atomic_store_n(&h.x, x, __ATOMIC_RELEASE);
		while (!wait_for_completion_timeout(x, 1))
			;
		completed++;
		/* The completer has taken x (it completed it): free it at once. */
		while (__atomic_load_n(&h.x, __ATOMIC_ACQUIRE) == x)
			;
		free(x);
	}
	__atomic_store_n(&h.stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	CHECK_EQ(completed, rounds);	/* and, under ASan, no use after free */
	CHECK(!__atomic_load_n(&h.x, __ATOMIC_ACQUIRE));
}

int main(void)
{
	test_watchdog(60);
	RUN(initializers_and_returns);
	RUN(counting);
	RUN(complete_all);
	RUN(signals);
	RUN(os_signal_does_not_end_wait);
	RUN(complete_from_signal_handler);
	RUN(no_lost_wakeup_ring);
	RUN(no_lost_wakeup_counting);
	RUN(free_after_wait);
	return test_done();
}
