// SPDX-License-Identifier: MIT
/*
 * Wait queues: the return value of every wait_event*() form, exclusive
 * versus non-exclusive wake counts, wake_up_interruptible() leaving
 * uninterruptible waiters asleep, send_sig() against killable and
 * interruptible waits, OS signals that must not end a wait, timeouts, the
 * _lock_irq and _locked forms, wait_woken(), and no lost wake-up over
 * thousands of handovers among more threads than cores.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <lksync/wait.h>
#include "lksync_test.h"

/* In the uniprocessor build a spinlock is bookkeeping: never seen held. */
#ifdef LKSYNC_UP
#define HELD(l)		1
#define UP_BUILD	1
#else
#define HELD(l)		spin_is_locked(l)
#define UP_BUILD	0
#endif

#define now_ms()	test_now_ms()

static DECLARE_WAIT_QUEUE_HEAD(wq);
static int cond;

static int cond_true(void) { return __atomic_load_n(&cond, __ATOMIC_ACQUIRE); }
static void cond_set(int v) { __atomic_store_n(&cond, v, __ATOMIC_RELEASE); }

/* How many entries are queued on @q (under its lock). */
static int queued(struct wait_queue_head *q)
{
	unsigned long flags;
	int n;

	spin_lock_irqsave(&q->lock, flags);
	n = (int)list_count_nodes(&q->head);
	spin_unlock_irqrestore(&q->lock, flags);
	return n;
}

static void wait_queued(struct wait_queue_head *q, int n)
{
	while (queued(q) < n)
		usleep(1000);
	usleep(5000);	/* let them reach schedule() (either way is correct) */
}

/* A thread running one kind of wait on wq until cond_true(). */
enum kind { EV, EV_INTR, EV_INTR_EXCL, EV_KILL, EV_TIMEOUT, EV_INTR_TIMEOUT, EV_KILL_TIMEOUT,
	    EV_IDLE, EV_STATE_INTR };

struct waiter {
	struct test_task t;
	enum kind kind;
	long timeout;
	long ret;
	int pending_after;
};

static void waiter_body(struct test_task *t)
{
	struct waiter *w = container_of(t, struct waiter, t);

	switch (w->kind) {
	case EV: wait_event(wq, cond_true()); w->ret = 0; break;
	case EV_IDLE: wait_event_idle(wq, cond_true()); w->ret = 0; break;
	case EV_INTR: w->ret = wait_event_interruptible(wq, cond_true()); break;
	case EV_INTR_EXCL: w->ret = wait_event_interruptible_exclusive(wq, cond_true()); break;
	case EV_KILL: w->ret = wait_event_killable(wq, cond_true()); break;
	case EV_STATE_INTR: w->ret = wait_event_state(wq, cond_true(), TASK_INTERRUPTIBLE); break;
	case EV_TIMEOUT: w->ret = wait_event_timeout(wq, cond_true(), w->timeout); break;
	case EV_INTR_TIMEOUT:
		w->ret = wait_event_interruptible_timeout(wq, cond_true(), w->timeout);
		break;
	case EV_KILL_TIMEOUT:
		w->ret = wait_event_killable_timeout(wq, cond_true(), w->timeout);
		break;
	}
	CHECK(task_is_running(current));
	w->pending_after = signal_pending(current);
	flush_signals(current);
}

static void waiter_start(struct waiter *w, enum kind kind, long timeout)
{
	memset(w, 0, sizeof(*w));
	w->kind = kind;
	w->timeout = timeout;
	test_task_start(&w->t, waiter_body);
}

TEST(initializers)
{
	DECLARE_WAIT_QUEUE_HEAD_ONSTACK(local);
	struct wait_queue_head dyn;
	DECLARE_WAITQUEUE(e, current);
	DEFINE_WAIT(d);
	struct wait_queue_entry f;

	init_waitqueue_head(&dyn);
	CHECK(!waitqueue_active(&local));
	CHECK(!waitqueue_active(&dyn));
	CHECK(!wq_has_sleeper(&dyn));
	CHECK(e.private == current && e.func == default_wake_function && e.flags == 0);
	CHECK(d.private == current && d.func == autoremove_wake_function);
	CHECK(list_empty(&d.entry));
	init_wait(&f);
	CHECK(f.private == current && f.func == autoremove_wake_function && list_empty(&f.entry));
	init_waitqueue_entry(&f, current);
	CHECK(f.func == default_wake_function);
	init_waitqueue_func_entry(&f, woken_wake_function);
	CHECK(f.func == woken_wake_function && f.private == NULL);

	add_wait_queue(&dyn, &e);
	CHECK(waitqueue_active(&dyn));
	CHECK(wq_has_sleeper(&dyn));
	CHECK(wq_has_single_sleeper(&dyn));
	CHECK_EQ(e.flags & WQ_FLAG_EXCLUSIVE, 0);
	remove_wait_queue(&dyn, &e);
	CHECK(!waitqueue_active(&dyn));
	add_wait_queue_exclusive(&dyn, &e);
	CHECK(e.flags & WQ_FLAG_EXCLUSIVE);
	remove_wait_queue(&dyn, &e);

	/* prepare_to_wait_exclusive(): true when first; finish_wait() dequeues. */
	CHECK(prepare_to_wait_exclusive(&dyn, &d, TASK_UNINTERRUPTIBLE));
	CHECK_EQ(READ_ONCE(current->__state), TASK_UNINTERRUPTIBLE);
	CHECK(!prepare_to_wait_exclusive(&dyn, &f, TASK_UNINTERRUPTIBLE));
	finish_wait(&dyn, &d);
	finish_wait(&dyn, &f);
	CHECK(task_is_running(current));
	CHECK(!waitqueue_active(&dyn));
	prepare_to_wait(&dyn, &d, TASK_INTERRUPTIBLE);
	CHECK_EQ(d.flags & WQ_FLAG_EXCLUSIVE, 0);
	CHECK(waitqueue_active(&dyn));
	finish_wait(&dyn, &d);
	CHECK(!waitqueue_active(&dyn));
	/* A wake-up of nobody: __wake_up() reports no exclusive waiter woken. */
	CHECK_EQ(__wake_up(&dyn, TASK_NORMAL, 1, NULL), 0);
}

/* The condition already true: no sleep, and each form's "true" value. */
TEST(returns_immediate)
{
	cond_set(1);
	wait_event(wq, cond_true());
	wait_event_idle(wq, cond_true());
	CHECK_EQ(wait_event_interruptible(wq, cond_true()), 0);
	CHECK_EQ(wait_event_killable(wq, cond_true()), 0);
	CHECK_EQ(wait_event_timeout(wq, cond_true(), 100), 100);
	CHECK_EQ(wait_event_interruptible_timeout(wq, cond_true(), 100), 100);
	CHECK_EQ(wait_event_killable_timeout(wq, cond_true(), 7), 7);
	/* True with no time at all: 1, not 0. */
	CHECK_EQ(wait_event_timeout(wq, cond_true(), 0), 1);
	CHECK_EQ(wait_event_interruptible_timeout(wq, cond_true(), 0), 1);
	cond_set(0);
	CHECK_EQ(wait_event_timeout(wq, cond_true(), 0), 0);
	/* A pending signal ends an interruptible wait at once, not an uninterruptible one. */
	send_sig(SIGUSR1, current, 0);
	CHECK_EQ(wait_event_interruptible(wq, cond_true()), -ERESTARTSYS);
	CHECK_EQ(wait_event_interruptible_timeout(wq, cond_true(), 1000), -ERESTARTSYS);
	CHECK_EQ(wait_event_timeout(wq, cond_true(), 20), 0);	/* slept, timed out */
	CHECK_EQ(wait_event_killable_timeout(wq, cond_true(), 20), 0);
	flush_signals(current);
	CHECK(!waitqueue_active(&wq));
}

TEST(timeouts)
{
	long long t0 = now_ms(), dt;
	long r;

	cond_set(0);
	r = wait_event_timeout(wq, cond_true(), msecs_to_jiffies(50));
	dt = now_ms() - t0;
	CHECK_EQ(r, 0);
	CHECK(dt >= 50 && dt < 2000);	/* upper bound: a loaded machine */
	t0 = now_ms();
	r = wait_event_interruptible_timeout(wq, cond_true(), msecs_to_jiffies(50));
	dt = now_ms() - t0;
	CHECK_EQ(r, 0);
	CHECK(dt >= 50 && dt < 2000);	/* upper bound: a loaded machine */
	t0 = now_ms();
	r = wait_event_idle_timeout(wq, cond_true(), msecs_to_jiffies(50));
	CHECK_EQ(r, 0);
	CHECK(now_ms() - t0 >= 50);

	/* Woken early with the condition true: the jiffies left, at least 1. */
	struct waiter w;

	waiter_start(&w, EV_TIMEOUT, msecs_to_jiffies(5000));
	wait_queued(&wq, 1);
	cond_set(1);
	wake_up(&wq);
	test_task_join(&w.t);
	CHECK(w.ret >= 1 && w.ret < (long)msecs_to_jiffies(5000));
	/* Woken with the condition still false: it sleeps on. */
	cond_set(0);
	waiter_start(&w, EV_INTR_TIMEOUT, msecs_to_jiffies(5000));
	wait_queued(&wq, 1);
	wake_up(&wq);
	usleep(30000);
	CHECK(!test_task_done(&w.t));
	cond_set(1);
	wake_up_all(&wq);
	test_task_join(&w.t);
	CHECK(w.ret >= 1);
	cond_set(0);
}

/* 4 exclusive + 3 non-exclusive waiters: wake_up() wakes the 3 and one; wake_up_nr(2) two more. */
TEST(exclusive_counts)
{
	struct waiter w[7];
	int r;

	cond_set(0);
	for (int i = 0; i < 3; i++)
		waiter_start(&w[i], EV_INTR, 0);
	for (int i = 3; i < 7; i++)
		waiter_start(&w[i], EV_INTR_EXCL, 0);
	wait_queued(&wq, 7);
	cond_set(1);
	r = wake_up(&wq);
	CHECK_EQ(r, 1);
	(void)test_settle(w, 7, 4);
	CHECK_EQ(test_count_done(w, 3), 3);
	CHECK_EQ(test_count_done(w + 3, 4), 1);
	CHECK_EQ(queued(&wq), 3);
	r = wake_up_nr(&wq, 2);
	CHECK_EQ(r, 2);
	(void)test_settle(w, 7, 6);
	CHECK_EQ(test_count_done(w + 3, 4), 3);
	r = wake_up_all(&wq);
	CHECK_EQ(r, 1);
	for (int i = 0; i < 7; i++) {
		test_task_join(&w[i].t);
		CHECK_EQ(w[i].ret, 0);
	}
	CHECK(!waitqueue_active(&wq));
	cond_set(0);
}

/* wake_up_interruptible*() leave TASK_UNINTERRUPTIBLE (and killable) waiters asleep. */
TEST(interruptible_wakes_only_interruptible)
{
	struct waiter w[6];

	cond_set(0);
	waiter_start(&w[0], EV, 0);
	waiter_start(&w[1], EV_IDLE, 0);
	waiter_start(&w[2], EV_KILL, 0);
	waiter_start(&w[3], EV_INTR, 0);
	waiter_start(&w[4], EV_STATE_INTR, 0);
	waiter_start(&w[5], EV_INTR_EXCL, 0);
	wait_queued(&wq, 6);
	cond_set(1);
	wake_up_interruptible(&wq);
	(void)test_settle(w, 6, 3);
	CHECK_EQ(test_count_done(w, 3), 0);
	CHECK_EQ(test_count_done(w + 3, 3), 3);
	CHECK_EQ(wake_up_interruptible_all(&wq), 0);
	CHECK_EQ(wake_up_interruptible_nr(&wq, 5), 0);
	usleep(30000);
	CHECK_EQ(test_count_done(w, 3), 0);
	wake_up(&wq);
	for (int i = 0; i < 6; i++) {
		test_task_join(&w[i].t);
		CHECK_EQ(w[i].ret, 0);
	}
	cond_set(0);
}

/* send_sig(): any signal ends interruptible waits, only SIGKILL killable ones. */
TEST(signals)
{
	struct waiter w[5];

	cond_set(0);
	waiter_start(&w[0], EV_INTR, 0);
	waiter_start(&w[1], EV_INTR_TIMEOUT, msecs_to_jiffies(10000));
	waiter_start(&w[2], EV_KILL, 0);
	waiter_start(&w[3], EV_KILL_TIMEOUT, msecs_to_jiffies(10000));
	waiter_start(&w[4], EV, 0);
	wait_queued(&wq, 5);
	for (int i = 0; i < 5; i++)
		send_sig(SIGUSR1, w[i].t.task, 0);
	(void)test_settle(w, 5, 2);
	CHECK(test_task_done(&w[0].t) && test_task_done(&w[1].t));
	CHECK(!test_task_done(&w[2].t) && !test_task_done(&w[3].t) && !test_task_done(&w[4].t));
	CHECK_EQ(queued(&wq), 3);
	for (int i = 2; i < 5; i++)
		send_sig(SIGKILL, w[i].t.task, 0);
	(void)test_settle(w, 5, 4);
	CHECK(test_task_done(&w[2].t) && test_task_done(&w[3].t));
	CHECK(!test_task_done(&w[4].t));	/* uninterruptible: not even SIGKILL */
	cond_set(1);
	wake_up(&wq);
	for (int i = 0; i < 5; i++)
		test_task_join(&w[i].t);
	CHECK_EQ(w[0].ret, -ERESTARTSYS);
	CHECK_EQ(w[1].ret, -ERESTARTSYS);
	CHECK_EQ(w[2].ret, -ERESTARTSYS);
	CHECK_EQ(w[3].ret, -ERESTARTSYS);
	CHECK_EQ(w[4].ret, 0);
	CHECK_EQ(w[4].pending_after, 1);
	CHECK(!waitqueue_active(&wq));
	cond_set(0);
}

static int os_signals;
static void os_handler(int sig) { (void)sig; __atomic_add_fetch(&os_signals, 1, __ATOMIC_RELAXED); }

/* A real POSIX signal (no SA_RESTART) interrupts the futex, never the wait. */
TEST(os_signal_does_not_end_wait)
{
	struct sigaction sa = { .sa_handler = os_handler };
	struct waiter w[2];

	sigaction(SIGUSR2, &sa, NULL);
	cond_set(0);
	waiter_start(&w[0], EV_INTR, 0);
	waiter_start(&w[1], EV_KILL_TIMEOUT, msecs_to_jiffies(10000));
	wait_queued(&wq, 2);
	for (int i = 0; i < 5; i++) {
		pthread_kill(w[0].t.thread, SIGUSR2);
		pthread_kill(w[1].t.thread, SIGUSR2);
		usleep(5000);
	}
	usleep(30000);
	CHECK(__atomic_load_n(&os_signals, __ATOMIC_RELAXED) >= 2);
	CHECK(!test_task_done(&w[0].t) && !test_task_done(&w[1].t));
	cond_set(1);
	wake_up_all(&wq);
	test_task_join(&w[0].t);
	test_task_join(&w[1].t);
	CHECK_EQ(w[0].ret, 0);
	CHECK(w[1].ret >= 1);
	CHECK_EQ(w[0].pending_after, 0);
	signal(SIGUSR2, SIG_DFL);
	cond_set(0);
}

/* _lock_irq forms: the condition's lock held on entry and exit, dropped while asleep. */
static DEFINE_SPINLOCK(dlock);
static int dval;

static void *lock_irq_waker(void *arg)
{
	(void)arg;
	usleep(20000);
	spin_lock_irq(&dlock);
	dval = 1;
	spin_unlock_irq(&dlock);
	wake_up(&wq);
	return NULL;
}

TEST(lock_irq)
{
	pthread_t t;
	long r;
	long long t0;

	dval = 0;
	pthread_create(&t, NULL, lock_irq_waker, NULL);
	spin_lock_irq(&dlock);
	wait_event_lock_irq(wq, dval == 1, dlock);
	CHECK(HELD(&dlock));
	CHECK_EQ(dval, 1);
	spin_unlock_irq(&dlock);
	pthread_join(t, NULL);

	dval = 0;
	pthread_create(&t, NULL, lock_irq_waker, NULL);
	spin_lock_irq(&dlock);
	CHECK_EQ(wait_event_interruptible_lock_irq(wq, dval == 1, dlock), 0);
	CHECK_EQ(dval, 1);
	spin_unlock_irq(&dlock);
	pthread_join(t, NULL);

	dval = 0;
	pthread_create(&t, NULL, lock_irq_waker, NULL);
	spin_lock_irq(&dlock);
	r = wait_event_lock_irq_timeout(wq, dval == 1, dlock, msecs_to_jiffies(5000));
	CHECK(r >= 1);
	spin_unlock_irq(&dlock);
	pthread_join(t, NULL);

	/* Timing out, and a signal, both with the lock held again on return. */
	dval = 0;
	t0 = now_ms();
	spin_lock_irq(&dlock);
	r = wait_event_lock_irq_timeout(wq, dval == 1, dlock, msecs_to_jiffies(50));
	CHECK_EQ(r, 0);
	CHECK(HELD(&dlock));
	CHECK(now_ms() - t0 >= 50);
	send_sig(SIGUSR1, current, 0);
	CHECK_EQ(wait_event_interruptible_lock_irq(wq, dval == 1, dlock), -ERESTARTSYS);
	CHECK_EQ(wait_event_interruptible_lock_irq_timeout(wq, dval == 1, dlock, 100),
		 -ERESTARTSYS);
	CHECK(HELD(&dlock));
	flush_signals(current);
	spin_unlock_irq(&dlock);
	CHECK(!waitqueue_active(&wq));
}

/* _locked forms: the caller holds wq.lock; wakers use wake_up_locked(). */
static void *locked_waker(void *arg)
{
	(void)arg;
	usleep(20000);
	spin_lock(&wq.lock);
	cond_set(1);
	wake_up_locked(&wq);
	spin_unlock(&wq.lock);
	return NULL;
}

TEST(locked)
{
	pthread_t t;

	cond_set(0);
	pthread_create(&t, NULL, locked_waker, NULL);
	spin_lock(&wq.lock);
	CHECK_EQ(wait_event_interruptible_locked(wq, cond_true()), 0);
	CHECK(HELD(&wq.lock));
	spin_unlock(&wq.lock);
	pthread_join(t, NULL);

	cond_set(0);
	pthread_create(&t, NULL, locked_waker, NULL);
	spin_lock_irq(&wq.lock);
	CHECK_EQ(wait_event_interruptible_exclusive_locked_irq(wq, cond_true()), 0);
	spin_unlock_irq(&wq.lock);
	pthread_join(t, NULL);

	cond_set(0);
	send_sig(SIGUSR1, current, 0);
	spin_lock(&wq.lock);
	CHECK_EQ(wait_event_interruptible_locked(wq, cond_true()), -ERESTARTSYS);
	spin_unlock(&wq.lock);
	flush_signals(current);
	CHECK(!waitqueue_active(&wq));
	cond_set(0);
}

/* The open-coded forms: DECLARE_WAITQUEUE + add_wait_queue, and wait_woken(). */
static long handovers;

static void *classic_waker(void *arg)
{
	long n = (long)arg;

	for (long i = 1; i <= n; i++) {
		while (__atomic_load_n(&cond, __ATOMIC_ACQUIRE) != 2 * i - 1)
			sched_yield();
		__atomic_store_n(&cond, 2 * i, __ATOMIC_RELEASE);
		wake_up(&wq);
	}
	return NULL;
}

TEST(open_coded)
{
	long n = test_scale(2000);
	pthread_t t;

	cond_set(0);
	pthread_create(&t, NULL, classic_waker, (void *)n);
	for (long i = 1; i <= n; i++) {
		if (i & 1) {
			DECLARE_WAITQUEUE(e, current);

			add_wait_queue(&wq, &e);
			__atomic_store_n(&cond, 2 * i - 1, __ATOMIC_RELEASE);
			for (;;) {
				set_current_state(TASK_UNINTERRUPTIBLE);
				if (__atomic_load_n(&cond, __ATOMIC_ACQUIRE) == 2 * i)
					break;
				schedule();
			}
			__set_current_state(TASK_RUNNING);
			remove_wait_queue(&wq, &e);
		} else {
			DEFINE_WAIT_FUNC(e, woken_wake_function);

			add_wait_queue(&wq, &e);
			__atomic_store_n(&cond, 2 * i - 1, __ATOMIC_RELEASE);
			while (__atomic_load_n(&cond, __ATOMIC_ACQUIRE) != 2 * i)
				wait_woken(&e, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
			remove_wait_queue(&wq, &e);
		}
		handovers++;
	}
	pthread_join(t, NULL);
	CHECK_EQ(handovers, n);
	CHECK(!waitqueue_active(&wq));
	/* wait_woken() with the flag already set does not sleep, and clears it. */
	DEFINE_WAIT_FUNC(e, woken_wake_function);
	add_wait_queue(&wq, &e);
	set_current_state(TASK_INTERRUPTIBLE);
	wake_up(&wq);
	CHECK(e.flags & WQ_FLAG_WOKEN);
	CHECK_EQ(wait_woken(&e, TASK_INTERRUPTIBLE, 1000), 1000);
	CHECK(!(e.flags & WQ_FLAG_WOKEN));
	CHECK_EQ(wait_woken(&e, TASK_INTERRUPTIBLE, 10), 0);	/* times out */
	remove_wait_queue(&wq, &e);
	cond_set(0);
}

/*
 * No lost wake-up: a token passes around 8 threads (more than cores), each
 * waiting with wait_event() for its turn while the others flip the
 * condition; and producers hand tokens to exclusive consumers one wake_up()
 * each.
 */
#define NTHREADS 8
static DECLARE_WAIT_QUEUE_HEAD(ring_wq);
static unsigned long ring_turn;
static long ring_rounds;

static void ring_thread(int idx, void *arg)
{
	(void)arg;
	for (long r = 0; r < ring_rounds; r++) {
		unsigned long mine = (unsigned long)(r * NTHREADS + idx);

		if (r & 1)
			wait_event(ring_wq, __atomic_load_n(&ring_turn, __ATOMIC_ACQUIRE) == mine);
		else
			CHECK_EQ(wait_event_interruptible(ring_wq,
				__atomic_load_n(&ring_turn, __ATOMIC_ACQUIRE) == mine), 0);
		__atomic_store_n(&ring_turn, mine + 1, __ATOMIC_RELEASE);
		wake_up_all(&ring_wq);
	}
}

TEST(no_lost_wakeup_ring)
{
	ring_rounds = test_scale(1000);
	ring_turn = 0;
	test_threads(NTHREADS, ring_thread, NULL);
	CHECK_EQ(ring_turn, (unsigned long)(ring_rounds * NTHREADS));
}

static DECLARE_WAIT_QUEUE_HEAD(tok_wq);
static long tokens, consumed;
static long per_consumer;

static int take_token(void)
{
	long t = __atomic_load_n(&tokens, __ATOMIC_ACQUIRE);

	while (t > 0)
		if (__atomic_compare_exchange_n(&tokens, &t, t - 1, 0, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return 1;
	return 0;
}

static void token_thread(int idx, void *arg)
{
	(void)arg;
	if (idx < 2) {	/* producers: 3 * per_consumer tokens each, one wake-up per token */
		for (long i = 0; i < 3 * per_consumer; i++) {
			__atomic_add_fetch(&tokens, 1, __ATOMIC_RELEASE);
			wake_up(&tok_wq);
		}
		return;
	}
	for (long i = 0; i < per_consumer; i++) {
		if (idx & 1)
			CHECK_EQ(wait_event_interruptible_exclusive(tok_wq, take_token()), 0);
		else
			wait_event_idle_exclusive(tok_wq, take_token());
		__atomic_add_fetch(&consumed, 1, __ATOMIC_RELAXED);
	}
}

TEST(no_lost_wakeup_exclusive)
{
	per_consumer = test_scale(3000);
	tokens = consumed = 0;
	test_threads(NTHREADS, token_thread, NULL);	/* 2 producers, 6 consumers */
	CHECK_EQ(consumed, 6 * per_consumer);
	CHECK_EQ(tokens, 0);
	CHECK(!waitqueue_active(&tok_wq));
}

int main(void)
{
	test_watchdog(60);
	RUN(initializers);
	RUN(returns_immediate);
	RUN(timeouts);
	RUN(exclusive_counts);
	RUN(interruptible_wakes_only_interruptible);
	RUN(signals);
	RUN(os_signal_does_not_end_wait);
	/*
	 * The _lock_irq and _locked forms protect the queue with the caller's
	 * spin_lock(&wq.lock), which the uniprocessor build reduces to
	 * bookkeeping while the test's threads still run in parallel.
	 */
	if (!UP_BUILD) {
		RUN(lock_irq);
		RUN(locked);
	}
	RUN(open_coded);
	RUN(no_lost_wakeup_ring);
	RUN(no_lost_wakeup_exclusive);
	return test_done();
}
