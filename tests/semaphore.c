// SPDX-License-Identifier: MIT
/*
 * struct semaphore: return conventions, the legacy names, counting and
 * binary exclusion under oversubscription, FIFO service of sleepers,
 * timeouts and signals that leave the count as it was, up() from a signal
 * handler, and no lost wake-ups over thousands of hand-overs.
 */
#include <errno.h>
#include <time.h>
#include <lksync/semaphore.h>
#include <lksync/delay.h>
#include <lksync/jiffies.h>
#include "lksync_test.h"

#define now_ms()	test_now_ms()

/* Free units of an idle @sem: take them all with down_trylock(), give them back. */
static int units(struct semaphore *sem)
{
	int n = 0;

	while (down_trylock(sem) == 0)
		n++;
	for (int i = 0; i < n; i++)
		up(sem);
	return n;
}

/* Wait (bounded) until @t sleeps in a semaphore. Return: 1 if it does. */
static int wait_sleeping(struct task_struct *const *tp)
{
	for (int i = 0; i < 5000; i++) {
		struct task_struct *t = __atomic_load_n(tp, __ATOMIC_ACQUIRE);

		if (t && (__atomic_load_n(&t->__state, __ATOMIC_RELAXED) &
			  (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)))
			return 1;
		usleep(1000);
	}
	return 0;
}

/* A thread that runs one down variant on a semaphore and reports the result. */
struct downer {
	struct semaphore *sem;
	int kind;			/* 0 down, 1 interruptible, 2 killable, 3 timeout */
	long timeout;
	struct task_struct *task;	/* published before it sleeps */
	int done;
	int ret;
};

static void *downer_main(void *p)
{
	struct downer *d = p;
	int ret = 0;

	/* A reference for the test, which may send_sig() us while we exit. */
	__atomic_store_n(&d->task, get_task_struct(current), __ATOMIC_RELEASE);
	switch (d->kind) {
	case 0: down(d->sem); break;
	case 1: ret = down_interruptible(d->sem); break;
	case 2: ret = down_killable(d->sem); break;
	default: ret = down_timeout(d->sem, d->timeout); break;
	}
	d->ret = ret;
	__atomic_store_n(&d->done, 1, __ATOMIC_RELEASE);
	flush_signals(current);
	return NULL;
}

static void downer_start(pthread_t *tid, struct downer *d)
{
	if (pthread_create(tid, NULL, downer_main, d))
		abort();
}

static void downer_join(pthread_t tid, struct downer *d)
{
	pthread_join(tid, NULL);
	put_task_struct(d->task);
}

static int downer_done(struct downer *d)
{
	return __atomic_load_n(&d->done, __ATOMIC_ACQUIRE);
}

TEST(conventions)
{
	struct semaphore s;

	sema_init(&s, 1);
	CHECK_EQ(down_trylock(&s), 0);		/* 0 = acquired */
	CHECK_EQ(down_trylock(&s), 1);		/* 1 = not: the reverse of mutex_trylock */
	up(&s);
	CHECK_EQ(down_interruptible(&s), 0);
	up(&s);
	CHECK_EQ(down_killable(&s), 0);
	up(&s);
	CHECK_EQ(down_timeout(&s, 10), 0);
	CHECK_EQ(down_timeout(&s, 0), -ETIME);	/* no time and no unit: fails at once */
	CHECK_EQ(down_timeout(&s, -5), -ETIME);
	up(&s);
	down(&s);
	CHECK_EQ(units(&s), 0);
	up(&s);
	CHECK_EQ(units(&s), 1);

	/* A pending signal ends the wait for a unit, not the taking of a free one. */
	send_sig(SIGUSR1, current, 0);
	CHECK_EQ(down_interruptible(&s), 0);
	CHECK_EQ(down_interruptible(&s), -EINTR);
	up(&s);
	CHECK_EQ(down_killable(&s), 0);		/* non-fatal: killable takes the unit */
	send_sig(SIGKILL, current, 0);
	CHECK_EQ(down_killable(&s), -EINTR);
	CHECK_EQ(down_timeout(&s, 5), -ETIME);	/* uninterruptible: times out */
	flush_signals(current);
	up(&s);
	CHECK_EQ(units(&s), 1);

	sema_init(&s, 5);
	CHECK_EQ(units(&s), 5);
	for (int i = 0; i < 5; i++)
		down(&s);
	CHECK_EQ(down_trylock(&s), 1);
	for (int i = 0; i < 7; i++)
		up(&s);
	CHECK_EQ(units(&s), 7);		/* up() may go above the initial count */
}

static DEFINE_SEMAPHORE(def_old);
static DEFINE_SEMAPHORE(def_new, 3);
static DEFINE_SEMAPHORE(def_zero, 0);
static DECLARE_MUTEX(legacy_mutex);
static struct semaphore st_init = __SEMAPHORE_INITIALIZER(st_init, 2);

TEST(initializers)
{
	struct semaphore s;

	CHECK_EQ(units(&def_old), 1);
	CHECK_EQ(units(&def_new), 3);
	CHECK_EQ(units(&def_zero), 0);
	CHECK_EQ(units(&legacy_mutex), 1);
	CHECK_EQ(units(&st_init), 2);
	init_MUTEX(&s);
	CHECK_EQ(units(&s), 1);
	init_MUTEX_LOCKED(&s);
	CHECK_EQ(units(&s), 0);
	up(&s);
	CHECK_EQ(units(&s), 1);
}

/* Count N never admits N+1; with N = 1, also a plain counter stays exact. */
struct excl {
	struct semaphore sem;
	int n;
	int inside, max_inside;
	long counter;
	long iters;
};

static void excl_body(int idx, void *arg)
{
	struct excl *e = arg;

	for (long i = 0; i < e->iters; i++) {
		int in;

		switch ((idx + i) % 4) {
		case 0: down(&e->sem); break;
		case 1: CHECK_EQ(down_interruptible(&e->sem), 0); break;
		case 2: CHECK_EQ(down_killable(&e->sem), 0); break;
		default:
			while (down_timeout(&e->sem, 1000) != 0)
				;
			break;
		}
		in = __atomic_add_fetch(&e->inside, 1, __ATOMIC_RELAXED);
		if (in > __atomic_load_n(&e->max_inside, __ATOMIC_RELAXED))
			__atomic_store_n(&e->max_inside, in, __ATOMIC_RELAXED);
		CHECK(in <= e->n);
		if (e->n == 1)
			e->counter++;	/* plain: the semaphore must exclude */
		if (i % 64 == 0)
			sched_yield();	/* get preempted while holding a unit */
		__atomic_sub_fetch(&e->inside, 1, __ATOMIC_RELAXED);
		up(&e->sem);
	}
}

static void excl_run(int n, int threads)
{
	static struct excl e;

	e = (struct excl){ .n = n, .iters = test_scale(20000) };
	sema_init(&e.sem, n);
	test_threads(threads, excl_body, &e);
	CHECK(e.max_inside <= n);
	CHECK(e.max_inside >= 1);
	if (n == 1)
		CHECK_EQ(e.counter, e.iters * threads);
	CHECK_EQ(units(&e.sem), n);
}

TEST(counting_never_n_plus_1)
{
	excl_run(3, 8);
}

TEST(binary_exclusion)
{
	excl_run(1, 8);
}

/* Sleepers get units in the order they queued. */
#define FIFO_N 6
static struct semaphore fifo_sem;
static int fifo_order[FIFO_N], fifo_got;

struct fifo_arg {
	int idx;
	struct task_struct *task;
};

static void *fifo_main(void *p)
{
	struct fifo_arg *a = p;

	__atomic_store_n(&a->task, current, __ATOMIC_RELEASE);
	down(&fifo_sem);
	fifo_order[__atomic_fetch_add(&fifo_got, 1, __ATOMIC_ACQ_REL)] = a->idx;
	return NULL;
}

TEST(fifo_order)
{
	pthread_t tid[FIFO_N];
	struct fifo_arg a[FIFO_N];

	sema_init(&fifo_sem, 0);
	for (int i = 0; i < FIFO_N; i++) {
		a[i] = (struct fifo_arg){ .idx = i };
		pthread_create(&tid[i], NULL, fifo_main, &a[i]);
		CHECK(wait_sleeping(&a[i].task));
		msleep(5);	/* it has queued: its state is set only then */
	}
	for (int i = 0; i < FIFO_N; i++) {
		up(&fifo_sem);
		for (int w = 0; w < 5000 && __atomic_load_n(&fifo_got, __ATOMIC_ACQUIRE) <= i; w++)
			usleep(1000);
		CHECK_EQ(__atomic_load_n(&fifo_got, __ATOMIC_ACQUIRE), i + 1);
	}
	for (int i = 0; i < FIFO_N; i++) {
		pthread_join(tid[i], NULL);
		CHECK_EQ(fifo_order[i], i);
	}
	CHECK_EQ(units(&fifo_sem), 0);
}

TEST(timeout)
{
	struct semaphore s;
	struct downer d;
	pthread_t tid;
	long long t0, dt;

	sema_init(&s, 0);
	t0 = now_ms();
	CHECK_EQ(down_timeout(&s, msecs_to_jiffies(50)), -ETIME);
	dt = now_ms() - t0;
	CHECK(dt >= 49);
	CHECK(dt < 2000);
	CHECK_EQ(units(&s), 0);

	/* A unit given in time ends the wait with 0. */
	d = (struct downer){ .sem = &s, .kind = 3, .timeout = msecs_to_jiffies(10000) };
	downer_start(&tid, &d);
	CHECK(wait_sleeping(&d.task));
	up(&s);
	downer_join(tid, &d);
	CHECK_EQ(d.ret, 0);
	CHECK_EQ(units(&s), 0);

	/* A timed-out waiter behind others leaves the queue and the count alone. */
	sema_init(&s, 1);
	down(&s);
	d = (struct downer){ .sem = &s, .kind = 3, .timeout = msecs_to_jiffies(30) };
	downer_start(&tid, &d);
	downer_join(tid, &d);
	CHECK_EQ(d.ret, -ETIME);
	up(&s);
	CHECK_EQ(units(&s), 1);
}

TEST(signals)
{
	struct semaphore s;
	struct downer d;
	pthread_t tid;

	sema_init(&s, 0);
	d = (struct downer){ .sem = &s, .kind = 1 };
	downer_start(&tid, &d);
	CHECK(wait_sleeping(&d.task));
	msleep(10);
	CHECK(!downer_done(&d));
	send_sig(SIGUSR1, d.task, 0);
	downer_join(tid, &d);
	CHECK_EQ(d.ret, -EINTR);
	CHECK_EQ(units(&s), 0);

	/* down_killable: a non-fatal signal does not end it, SIGKILL does. */
	d = (struct downer){ .sem = &s, .kind = 2 };
	downer_start(&tid, &d);
	CHECK(wait_sleeping(&d.task));
	send_sig(SIGUSR1, d.task, 0);
	msleep(30);
	CHECK(!downer_done(&d));
	send_sig(SIGKILL, d.task, 0);
	downer_join(tid, &d);
	CHECK_EQ(d.ret, -EINTR);
	CHECK_EQ(units(&s), 0);

	/* down() ignores task signals; a unit ends it. */
	d = (struct downer){ .sem = &s, .kind = 0 };
	downer_start(&tid, &d);
	CHECK(wait_sleeping(&d.task));
	send_sig(SIGKILL, d.task, 0);
	msleep(30);
	CHECK(!downer_done(&d));
	up(&s);
	downer_join(tid, &d);
	CHECK_EQ(units(&s), 0);

	/* An interrupted waiter behind another: the queue keeps working. */
	{
		struct downer d1 = { .sem = &s, .kind = 0 }, d2 = { .sem = &s, .kind = 1 };
		pthread_t t1, t2;

		downer_start(&t1, &d1);
		CHECK(wait_sleeping(&d1.task));
		downer_start(&t2, &d2);
		CHECK(wait_sleeping(&d2.task));
		send_sig(SIGUSR1, d2.task, 0);
		downer_join(t2, &d2);
		CHECK_EQ(d2.ret, -EINTR);
		up(&s);
		downer_join(t1, &d1);
		CHECK_EQ(units(&s), 0);
	}
}

/* up() racing with a signal: the unit is either taken (0) or left in the count (-EINTR). */
TEST(signal_races_up)
{
	struct semaphore s;
	int eintr = 0, got = 0;

	for (int i = 0; i < test_scale(300); i++) {
		struct downer d = { .sem = &s, .kind = (i & 1) ? 1 : 2 };
		pthread_t tid;

		sema_init(&s, 0);
		downer_start(&tid, &d);
		CHECK(wait_sleeping(&d.task));
		if (i & 2) {
			up(&s);
			send_sig(SIGKILL, d.task, 0);
		} else {
			send_sig(SIGKILL, d.task, 0);
			up(&s);
		}
		downer_join(tid, &d);
		if (d.ret == 0) {
			got++;
			CHECK_EQ(units(&s), 0);
		} else {
			eintr++;
			CHECK_EQ(d.ret, -EINTR);
			CHECK_EQ(units(&s), 1);
		}
	}
	CHECK_EQ(got + eintr, test_scale(300));
}

/* A real OS signal (handler, no SA_RESTART) lands in down(): it keeps sleeping. */
static int os_signals;

static void os_handler(int sig)
{
	__atomic_add_fetch(&os_signals, 1, __ATOMIC_RELAXED);
}

TEST(os_signal_does_not_end_down)
{
	struct sigaction sa = { .sa_handler = os_handler }, old;
	struct semaphore s;
	struct downer d;
	pthread_t tid;

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, &old);
	for (int kind = 0; kind < 3; kind++) {
		int before = __atomic_load_n(&os_signals, __ATOMIC_RELAXED);

		sema_init(&s, 0);
		d = (struct downer){ .sem = &s, .kind = kind };
		downer_start(&tid, &d);
		CHECK(wait_sleeping(&d.task));
		for (int i = 0; i < 5; i++) {
			pthread_kill(tid, SIGUSR1);
			msleep(5);
		}
		/* Signals sent before the last was handled coalesce: at least one landed. */
		for (int i = 0; i < 200 && __atomic_load_n(&os_signals, __ATOMIC_RELAXED) == before; i++)
			msleep(5);
		CHECK(__atomic_load_n(&os_signals, __ATOMIC_RELAXED) > before);
		CHECK(!downer_done(&d));
		up(&s);
		downer_join(tid, &d);
		CHECK_EQ(d.ret, 0);
		CHECK_EQ(units(&s), 0);
	}
	sigaction(SIGUSR1, &old, NULL);
}

/* up() from a signal handler (interrupt context) wakes a sleeper. */
static struct semaphore irq_sem;

static void up_handler(int sig)
{
	up(&irq_sem);
}

TEST(up_from_signal_handler)
{
	struct sigaction sa = { .sa_handler = up_handler }, old;
	struct downer d;
	pthread_t tid;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, &old);
	sema_init(&irq_sem, 0);
	d = (struct downer){ .sem = &irq_sem, .kind = 0 };
	downer_start(&tid, &d);
	CHECK(wait_sleeping(&d.task));
	pthread_kill(pthread_self(), SIGUSR2);
	downer_join(tid, &d);
	CHECK(downer_done(&d));
	pthread_kill(pthread_self(), SIGUSR2);	/* no waiter: the fast path */
	CHECK_EQ(units(&irq_sem), 1);
	sigaction(SIGUSR2, &old, NULL);
}

/*
 * A task competing with four others that take and release the unit in a
 * tight loop still gets it twenty times in bounded time (sleeping heads that
 * lose to running tasks are bounded by the hand-off).
 */
struct starve {
	struct semaphore sem;
	int stop;
};

static void starve_body(int idx, void *arg)
{
	struct starve *st = arg;
	long long deadline = now_ms() + 5000;

	while (!__atomic_load_n(&st->stop, __ATOMIC_ACQUIRE) && now_ms() < deadline) {
		down(&st->sem);
		up(&st->sem);
	}
}

static void *starve_hammer(void *arg)
{
	test_threads(4, starve_body, arg);
	return NULL;
}

TEST(sleeper_not_starved)
{
	static struct starve st;
	pthread_t tid;
	long long t0, dt;

	sema_init(&st.sem, 1);
	st.stop = 0;
	pthread_create(&tid, NULL, starve_hammer, &st);
	msleep(20);
	t0 = now_ms();
	for (int i = 0; i < 20; i++) {
		down(&st.sem);
		up(&st.sem);
		msleep(1);
	}
	dt = now_ms() - t0;
	__atomic_store_n(&st.stop, 1, __ATOMIC_RELEASE);
	pthread_join(tid, NULL);
	CHECK(dt < 3000);
	if (getenv("SEM_TEST_VERBOSE"))
		printf("starvation: 20 downs in %lld ms\n", dt);
	CHECK_EQ(units(&st.sem), 1);
}

/*
 * Lost wake-ups: producers up() and consumers down() a semaphore that
 * starts empty, so consumers sleep and are woken thousands of times; every
 * unit must arrive. Consumers mix the down variants; the watchdog catches a
 * sleeper nobody wakes.
 */
struct pc {
	struct semaphore sem;
	long per_thread;
	long consumed;
};

static void pc_body(int idx, void *arg)
{
	struct pc *p = arg;

	for (long i = 0; i < p->per_thread; i++) {
		if (idx & 1) {
			up(&p->sem);
			if (i % 16 == 0)
				sched_yield();
			continue;
		}
		switch (i % 3) {
		case 0: down(&p->sem); break;
		case 1: CHECK_EQ(down_interruptible(&p->sem), 0); break;
		default:
			while (down_timeout(&p->sem, 1) != 0)
				;	/* short timeouts: waiters leave and requeue */
			break;
		}
		__atomic_add_fetch(&p->consumed, 1, __ATOMIC_RELAXED);
	}
}

TEST(no_lost_wakeups)
{
	static struct pc p;

	for (int threads = 4; threads <= 8; threads += 4) {
		p = (struct pc){ .per_thread = test_scale(20000) };
		sema_init(&p.sem, 0);
		test_threads(threads, pc_body, &p);
		CHECK_EQ(p.consumed, p.per_thread * threads / 2);
		CHECK_EQ(units(&p.sem), 0);
	}
}

int main(void)
{
	test_watchdog(60);
	RUN(conventions);
	RUN(initializers);
	RUN(counting_never_n_plus_1);
	RUN(binary_exclusion);
	RUN(fifo_order);
	RUN(timeout);
	RUN(signals);
	RUN(signal_races_up);
	RUN(os_signal_does_not_end_down);
	RUN(up_from_signal_handler);
	RUN(sleeper_not_starved);
	RUN(no_lost_wakeups);
	return test_done();
}
