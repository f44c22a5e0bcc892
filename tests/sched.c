// SPDX-License-Identifier: MIT
/*
 * The sleeping core: task states, schedule()/wake_up_process() and their
 * return values, timeouts, task-level signals against OS signals, jiffies and
 * delays, and no lost wake-up in the open-coded wait loop under
 * oversubscription.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <lksync/sched.h>
#include <lksync/jiffies.h>
#include <lksync/delay.h>
#include "lksync_test.h"

#define now_ms()	test_now_ms()

/* A helper thread that sleeps in a given state; the test wakes or signals it. */
struct sleeper {
	pthread_t thread;
	struct task_struct *task;	/* referenced */
	unsigned int state;
	long timeout;			/* jiffies, or MAX_SCHEDULE_TIMEOUT */
	long ret;			/* schedule_timeout()'s */
	int started, done;
	int pending_after;		/* signal_pending(current) after waking */
	unsigned int state_after;
};

static void *sleeper_main(void *arg)
{
	struct sleeper *s = arg;

	s->task = get_task_struct(current);
	set_current_state(s->state);
	__atomic_store_n(&s->started, 1, __ATOMIC_RELEASE);
	s->ret = schedule_timeout(s->timeout);
	s->state_after = READ_ONCE(current->__state);
	s->pending_after = signal_pending(current);
	flush_signals(current);
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void sleeper_start(struct sleeper *s, unsigned int state, long timeout)
{
	memset(s, 0, sizeof(*s));
	s->state = state;
	s->timeout = timeout;
	pthread_create(&s->thread, NULL, sleeper_main, s);
	while (!__atomic_load_n(&s->started, __ATOMIC_ACQUIRE))
		sched_yield();
	/* Let it reach the futex (not required for correctness: both paths are covered). */
	usleep(20000);
}

static void sleeper_join(struct sleeper *s)
{
	pthread_join(s->thread, NULL);
	put_task_struct(s->task);
}

static int sleeper_done(struct sleeper *s)
{
	return __atomic_load_n(&s->done, __ATOMIC_ACQUIRE);
}

TEST(states)
{
	CHECK_EQ(TASK_RUNNING, 0);
	CHECK_EQ(TASK_KILLABLE, TASK_WAKEKILL | TASK_UNINTERRUPTIBLE);
	CHECK_EQ(TASK_NORMAL, TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE);
	CHECK(task_is_running(current));
	set_current_state(TASK_INTERRUPTIBLE);
	CHECK_EQ(READ_ONCE(current->__state), TASK_INTERRUPTIBLE);
	CHECK(!task_is_running(current));
	__set_current_state(TASK_RUNNING);
	/* schedule() in TASK_RUNNING returns at once. */
	schedule();
	CHECK(task_is_running(current));
	/* Woken before it sleeps: the state is running again and schedule() does not block. */
	set_current_state(TASK_UNINTERRUPTIBLE);
	CHECK_EQ(wake_up_process(current), 1);
	CHECK(task_is_running(current));
	schedule();
	CHECK_EQ(wake_up_process(current), 0);	/* already running */
	CHECK_EQ(cond_resched(), 0);
	yield();
}

TEST(wake_up_process)
{
	struct sleeper s;

	sleeper_start(&s, TASK_UNINTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
	CHECK(!sleeper_done(&s));
	/* The wrong state is not woken. */
	CHECK_EQ(wake_up_state(s.task, TASK_INTERRUPTIBLE), 0);
	usleep(20000);
	CHECK(!sleeper_done(&s));
	CHECK_EQ(wake_up_process(s.task), 1);
	sleeper_join(&s);
	CHECK_EQ(s.ret, MAX_SCHEDULE_TIMEOUT);
	CHECK_EQ(s.state_after, TASK_RUNNING);

	sleeper_start(&s, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
	CHECK_EQ(wake_up_state(s.task, TASK_INTERRUPTIBLE), 1);
	sleeper_join(&s);
	CHECK_EQ(s.pending_after, 0);
}

TEST(schedule_timeout)
{
	struct sleeper s;
	long long t0 = now_ms();
	long r;

	/* Runs out: 0, after at least the timeout, state running. */
	set_current_state(TASK_UNINTERRUPTIBLE);
	r = schedule_timeout(msecs_to_jiffies(50));
	CHECK_EQ(r, 0);
	CHECK(now_ms() - t0 >= 50);
	CHECK(now_ms() - t0 < 1000);
	CHECK(task_is_running(current));

	/* Woken early: the jiffies left, between 1 and the timeout. */
	sleeper_start(&s, TASK_UNINTERRUPTIBLE, msecs_to_jiffies(5000));
	CHECK_EQ(wake_up_process(s.task), 1);
	sleeper_join(&s);
	CHECK(s.ret >= 1 && s.ret <= 5000);
	CHECK(s.ret > 4000);

	/* A bad timeout returns 0 at once with the task running. */
	set_current_state(TASK_INTERRUPTIBLE);
	CHECK_EQ(schedule_timeout(-5), 0);
	CHECK(task_is_running(current));
	CHECK_EQ(schedule_timeout_uninterruptible(0), 0);

	/* Timeouts past the clock's range saturate (no overflow): woken, not timed out. */
	sleeper_start(&s, TASK_UNINTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT - 1);
	CHECK_EQ(wake_up_process(s.task), 1);
	sleeper_join(&s);
	CHECK(s.ret > MAX_SCHEDULE_TIMEOUT / 2);
	sleeper_start(&s, TASK_UNINTERRUPTIBLE, MAX_JIFFY_OFFSET);
	CHECK_EQ(wake_up_process(s.task), 1);
	sleeper_join(&s);
	CHECK(s.ret > 0 && s.ret <= MAX_JIFFY_OFFSET);

	/* hrtimeout: nanoseconds left or 0. */
	t0 = now_ms();
	__set_current_state(TASK_UNINTERRUPTIBLE);
	CHECK_EQ(lksync_schedule_hrtimeout(10 * 1000000LL), 0);
	CHECK(now_ms() - t0 >= 10);
}

TEST(signals)
{
	struct sleeper s;

	CHECK_EQ(send_sig(-1, current, 0), -EINVAL);
	CHECK_EQ(send_sig(65, current, 0), -EINVAL);
	CHECK_EQ(send_sig(0, current, 0), 0);
	CHECK(!signal_pending(current));
	CHECK_EQ(send_sig(SIGUSR1, current, 0), 0);
	CHECK(signal_pending(current));
	CHECK(!fatal_signal_pending(current));
	CHECK(signal_pending_state(TASK_INTERRUPTIBLE, current));
	CHECK(!signal_pending_state(TASK_UNINTERRUPTIBLE, current));
	CHECK(!signal_pending_state(TASK_KILLABLE, current));
	/* A pending signal ends an interruptible sleep before it starts; the state is running. */
	CHECK_EQ(schedule_timeout_interruptible(msecs_to_jiffies(5000)) > 4000, 1);
	CHECK(task_is_running(current));
	CHECK(signal_pending(current));		/* still pending: the kernel's rule */
	flush_signals(current);
	CHECK(!signal_pending(current));
	CHECK_EQ(send_sig(SIGKILL, current, 1), 0);
	CHECK(fatal_signal_pending(current));
	CHECK(signal_pending_state(TASK_KILLABLE, current));
	flush_signals(current);
	/* disallow_signal() ignores it; SIGKILL cannot be ignored. */
	disallow_signal(SIGUSR2);
	CHECK_EQ(send_sig(SIGUSR2, current, 0), 0);
	CHECK(!signal_pending(current));
	allow_signal(SIGUSR2);
	CHECK_EQ(send_sig(SIGUSR2, current, 0), 0);
	CHECK(signal_pending(current));
	flush_signals(current);

	/* An interruptible sleeper is ended by a signal, with it still pending. */
	sleeper_start(&s, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
	CHECK_EQ(send_sig(SIGINT, s.task, 0), 0);
	sleeper_join(&s);
	CHECK_EQ(s.pending_after, 1);
	CHECK_EQ(s.state_after, TASK_RUNNING);

	/* An uninterruptible one is not, not even by SIGKILL. */
	sleeper_start(&s, TASK_UNINTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
	send_sig(SIGINT, s.task, 0);
	send_sig(SIGKILL, s.task, 0);
	usleep(30000);
	CHECK(!sleeper_done(&s));
	wake_up_process(s.task);
	sleeper_join(&s);
	CHECK_EQ(s.pending_after, 1);

	/* A killable one: not by SIGINT, by SIGKILL. */
	sleeper_start(&s, TASK_KILLABLE, MAX_SCHEDULE_TIMEOUT);
	send_sig(SIGINT, s.task, 0);
	usleep(30000);
	CHECK(!sleeper_done(&s));
	send_sig(SIGKILL, s.task, 0);
	sleeper_join(&s);
	CHECK_EQ(s.pending_after, 1);
}

static int os_signals;
static void os_handler(int sig) { (void)sig; __atomic_add_fetch(&os_signals, 1, __ATOMIC_RELAXED); }

/* A real OS signal interrupts the futex wait; the sleep goes on. */
TEST(os_signal_does_not_wake)
{
	struct sigaction sa = { .sa_handler = os_handler };	/* no SA_RESTART */
	struct sleeper s;

	sigaction(SIGUSR1, &sa, NULL);
	sleeper_start(&s, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
	for (int i = 0; i < 5; i++) {
		pthread_kill(s.thread, SIGUSR1);
		usleep(5000);
	}
	usleep(20000);
	CHECK(__atomic_load_n(&os_signals, __ATOMIC_RELAXED) >= 1);
	CHECK(!sleeper_done(&s));
	CHECK_EQ(wake_up_process(s.task), 1);
	sleeper_join(&s);
	CHECK_EQ(s.pending_after, 0);
	signal(SIGUSR1, SIG_DFL);
}

/*
 * The open-coded wait loop never loses a wake-up: a token passes around a
 * ring of more threads than cores, each waiting for its turn with
 * set_current_state()/test/schedule() and handing on with wake_up_process().
 */
#define RING	8
static struct task_struct *ring_task[RING];
static unsigned long ring_turn;
static long ring_rounds;
static int ring_ready;

static void ring_thread(int idx, void *arg)
{
	(void)arg;
	ring_task[idx] = get_task_struct(current);	/* wakers outlive us */
	__atomic_add_fetch(&ring_ready, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&ring_ready, __ATOMIC_ACQUIRE) < RING)
		sched_yield();
	for (long r = 0; r < ring_rounds; r++) {
		unsigned long mine = (unsigned long)(r * RING + idx);

		for (;;) {
			set_current_state(TASK_UNINTERRUPTIBLE);
			if (__atomic_load_n(&ring_turn, __ATOMIC_ACQUIRE) == mine)
				break;
			schedule();
		}
		__set_current_state(TASK_RUNNING);
		__atomic_store_n(&ring_turn, mine + 1, __ATOMIC_RELEASE);
		wake_up_process(ring_task[(idx + 1) % RING]);
	}
}

TEST(no_lost_wakeup_ring)
{
	ring_rounds = test_scale(3000);
	test_threads(RING, ring_thread, NULL);
	for (int i = 0; i < RING; i++)
		put_task_struct(ring_task[i]);
	CHECK_EQ(ring_turn, (unsigned long)(ring_rounds * RING));
}

/* Wakers racing with the sleeper's condition test, from several threads at once. */
static int race_flag;
static struct task_struct *race_sleeper;
static long race_iters;
static struct task_struct *race_self;
static int race_done;

static void race_thread(int idx, void *arg)
{
	(void)arg;
	if (idx == 0) {
		struct task_struct *self = get_task_struct(current);

		__atomic_store_n(&race_sleeper, self, __ATOMIC_RELEASE);
		for (long i = 0; i < race_iters; i++) {
			for (;;) {
				set_current_state(TASK_INTERRUPTIBLE);
				if (__atomic_load_n(&race_flag, __ATOMIC_ACQUIRE))
					break;
				schedule();
			}
			__set_current_state(TASK_RUNNING);
			__atomic_store_n(&race_flag, 0, __ATOMIC_RELEASE);
		}
		__atomic_store_n(&race_sleeper, NULL, __ATOMIC_RELEASE);
		__atomic_store_n(&race_done, 1, __ATOMIC_RELEASE);
		race_self = self;	/* put once every waker is done */
		return;
	}
	/* The sleeper may even be done before a slow waker gets here. */
	while (!__atomic_load_n(&race_sleeper, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&race_done, __ATOMIC_ACQUIRE))
		sched_yield();
	for (;;) {
		struct task_struct *t = __atomic_load_n(&race_sleeper, __ATOMIC_ACQUIRE);

		if (!t)
			break;
		__atomic_store_n(&race_flag, 1, __ATOMIC_RELEASE);
		wake_up_process(t);	/* t lives until the test's threads are joined */
		if (idx & 1)
			sched_yield();
	}
}

TEST(no_lost_wakeup_racing_wakers)
{
	race_iters = test_scale(20000);
	test_threads(4, race_thread, NULL);
	CHECK_EQ(race_sleeper, NULL);
	put_task_struct(race_self);
}

TEST(jiffies)
{
	unsigned long j0 = jiffies, a, b, c;
	u64 j64 = get_jiffies_64();

	CHECK_EQ(HZ, 1000);
	CHECK(j64 >= INITIAL_JIFFIES);
	CHECK(jiffies_64 >= j64);
	CHECK(j0 - (unsigned long)INITIAL_JIFFIES < 60UL * HZ);	/* counted from process start */
	CHECK_EQ(msecs_to_jiffies(1000), HZ);
	CHECK_EQ(msecs_to_jiffies(0), 0);
	CHECK_EQ(msecs_to_jiffies((unsigned int)-1), MAX_JIFFY_OFFSET);
	CHECK_EQ(usecs_to_jiffies(1), 1);		/* rounded up */
	CHECK_EQ(usecs_to_jiffies(2500), 3);
	CHECK_EQ(jiffies_to_msecs(HZ), 1000);
	CHECK_EQ(jiffies_to_usecs(2), 2000);
	/* Wrap-safe comparisons across the wrap of the counter. */
	a = ~0UL - 5;
	b = 10;
	CHECK(time_after(b, a));
	CHECK(time_before(a, b));
	CHECK(!time_after(a, b));
	CHECK(time_after_eq(a, a));
	CHECK(time_before_eq(a, a));
	c = a + 3;
	CHECK(time_in_range(c, a, b));
	CHECK(!time_in_range(b + 1, a, b));
	CHECK(time_in_range_open(a, a, b));
	CHECK(!time_in_range_open(b, a, b));
	CHECK(time_after64(j64 + 1, j64));
	msleep(30);
	CHECK(time_after_eq(jiffies, j0 + msecs_to_jiffies(30)));
	CHECK(time_is_before_jiffies(j0));
	CHECK(time_is_after_jiffies(jiffies + HZ));
}

TEST(delays)
{
	long long t0 = now_ms();
	struct timespec a, b;

	msleep(25);
	CHECK(now_ms() - t0 >= 25);
	t0 = now_ms();
	usleep_range(10000, 20000);
	CHECK(now_ms() - t0 >= 10);
	t0 = now_ms();
	fsleep(5000);
	CHECK(now_ms() - t0 >= 5);
	clock_gettime(CLOCK_MONOTONIC, &a);
	udelay(2000);
	clock_gettime(CLOCK_MONOTONIC, &b);
	CHECK((b.tv_sec - a.tv_sec) * 1000000000LL + b.tv_nsec - a.tv_nsec >= 2000000);
	ssleep(0);
	mdelay(1);
	ndelay(10);

	/* msleep_interruptible: 0 after the full sleep, the ms left after a signal. */
	t0 = now_ms();
	CHECK_EQ(msleep_interruptible(20), 0);
	CHECK(now_ms() - t0 >= 20);
	send_sig(SIGINT, current, 0);
	t0 = now_ms();
	CHECK_EQ(msleep_interruptible(3000), 3000);
	CHECK(now_ms() - t0 < 1000);
	/* msleep is not interrupted. */
	t0 = now_ms();
	msleep(20);
	CHECK(now_ms() - t0 >= 20);
	flush_signals(current);
}

int main(void)
{
	test_watchdog(120);
	RUN(states);
	RUN(wake_up_process);
	RUN(schedule_timeout);
	RUN(signals);
	RUN(os_signal_does_not_wake);
	RUN(no_lost_wakeup_ring);
	RUN(no_lost_wakeup_racing_wakers);
	RUN(jiffies);
	RUN(delays);
	return test_done();
}
