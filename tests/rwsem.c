// SPDX-License-Identifier: MIT
/*
 * struct rw_semaphore: return values, sharing and exclusion under contention,
 * writer hand-off against a stream of readers, reader batching, downgrade,
 * signals (task-level and real OS ones), guards.
 */
#include <errno.h>
#include <time.h>
#include <lksync/rwsem.h>
#include "lksync_test.h"

static DECLARE_RWSEM(static_sem);

#define now()	(test_now_ns() * 1e-9)

static long count_of(struct rw_semaphore *sem)
{
	return atomic_long_read(&sem->count);
}

/* Wait up to @secs for *@p to reach @v. Return: 1 if it did. */
static int wait_for(int *p, int v, double secs)
{
	double end = now() + secs;

	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) < v) {
		if (now() > end)
			return 0;
		usleep(200);
	}
	return 1;
}

/* One lock operation on its own thread, held until told to release. */
enum op_kind { OP_READ, OP_READ_INTR, OP_READ_KILL, OP_WRITE, OP_WRITE_KILL };

struct op {
	struct rw_semaphore *sem;
	enum op_kind kind;
	pthread_t tid;
	struct task_struct *task;
	int ret;
	int stage;		/* 1 locking, 2 returned (ret valid), 3 unlocked */
	int release;
	int *inside;		/* readers inside, shared by a test */
};

static void *op_main(void *p)
{
	struct op *op = p;
	int ret = 0;

	__atomic_store_n(&op->task, current, __ATOMIC_RELEASE);
	__atomic_store_n(&op->stage, 1, __ATOMIC_RELEASE);
	switch (op->kind) {
	case OP_READ:		down_read(op->sem); break;
	case OP_READ_INTR:	ret = down_read_interruptible(op->sem); break;
	case OP_READ_KILL:	ret = down_read_killable(op->sem); break;
	case OP_WRITE:		down_write(op->sem); break;
	case OP_WRITE_KILL:	ret = down_write_killable(op->sem); break;
	}
	op->ret = ret;
	if (!ret && op->inside)
		__atomic_add_fetch(op->inside, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&op->stage, 2, __ATOMIC_RELEASE);
	if (ret) {
		flush_signals(current);
		return NULL;
	}
	wait_for(&op->release, 1, 30);
	if (op->inside)
		__atomic_sub_fetch(op->inside, 1, __ATOMIC_RELAXED);
	if (op->kind == OP_READ || op->kind == OP_READ_INTR || op->kind == OP_READ_KILL)
		up_read(op->sem);
	else
		up_write(op->sem);
	__atomic_store_n(&op->stage, 3, __ATOMIC_RELEASE);
	return NULL;
}

static void op_start(struct op *op, struct rw_semaphore *sem, enum op_kind kind, int *inside)
{
	*op = (struct op){ .sem = sem, .kind = kind, .inside = inside };
	if (pthread_create(&op->tid, NULL, op_main, op))
		abort();
	wait_for(&op->stage, 1, 10);
}

/* The op's thread sleeps in the slow path (it is queued). Return: 1 if so. */
static int op_blocked(struct op *op)
{
	struct task_struct *t = __atomic_load_n(&op->task, __ATOMIC_ACQUIRE);
	double end = now() + 10;

	while (__atomic_load_n(&t->__state, __ATOMIC_RELAXED) == TASK_RUNNING) {
		if (now() > end || __atomic_load_n(&op->stage, __ATOMIC_ACQUIRE) >= 2)
			return 0;
		usleep(200);
	}
	return __atomic_load_n(&op->stage, __ATOMIC_ACQUIRE) == 1;
}

static int op_stage(struct op *op)
{
	return __atomic_load_n(&op->stage, __ATOMIC_ACQUIRE);
}

static void op_finish(struct op *op)
{
	__atomic_store_n(&op->release, 1, __ATOMIC_RELEASE);
	pthread_join(op->tid, NULL);
}

TEST(initializers)
{
	struct rw_semaphore s;

	CHECK_EQ(count_of(&static_sem), 0);
	CHECK(list_empty(&static_sem.wait_list));
	memset(&s, 0x5a, sizeof(s));
	init_rwsem(&s);
	CHECK_EQ(count_of(&s), 0);
	CHECK_EQ(atomic_long_read(&s.owner), 0);
	CHECK(list_empty(&s.wait_list));
	CHECK(!rwsem_is_locked(&s));
	CHECK(!rwsem_is_contended(&s));
	down_write(&static_sem);
	up_write(&static_sem);
	CHECK_EQ(count_of(&static_sem), 0);
}

TEST(return_values)
{
	static DECLARE_RWSEM(s);

	CHECK_EQ(down_read_trylock(&s), 1);
	CHECK(rwsem_is_locked(&s));
	CHECK_EQ(down_read_trylock(&s), 1);		/* readers share */
	CHECK_EQ(down_write_trylock(&s), 0);
	up_read(&s);
	CHECK_EQ(down_write_trylock(&s), 0);
	up_read(&s);
	CHECK(!rwsem_is_locked(&s));

	CHECK_EQ(down_write_trylock(&s), 1);
	CHECK(rwsem_is_locked(&s));
	CHECK_EQ(down_write_trylock(&s), 0);
	CHECK_EQ(down_read_trylock(&s), 0);
	up_write(&s);
	CHECK(!rwsem_is_locked(&s));

	CHECK_EQ(down_read_interruptible(&s), 0);
	up_read(&s);
	/* One after the other: nested, they would be read recursion (a lockdep report). */
	CHECK_EQ(down_read_killable(&s), 0);
	up_read(&s);
	CHECK_EQ(down_write_killable(&s), 0);
	up_write(&s);

	/* An uncontended lock is taken even with a signal pending, as in the kernel. */
	send_sig(SIGKILL, current, 0);
	CHECK_EQ(down_read_interruptible(&s), 0);
	up_read(&s);
	CHECK_EQ(down_write_killable(&s), 0);
	up_write(&s);
	flush_signals(current);

	down_read_nested(&s, SINGLE_DEPTH_NESTING);
	up_read(&s);
	down_write_nested(&s, 1);
	downgrade_write(&s);
	CHECK_EQ(down_read_trylock(&s), 1);
	CHECK_EQ(down_write_trylock(&s), 0);
	up_read(&s);
	up_read(&s);
	down_read_non_owner(&s);
	up_read_non_owner(&s);
	CHECK_EQ(count_of(&s), 0);
}

TEST(trylock_fails_with_waiters)
{
	static DECLARE_RWSEM(s);
	struct op w;

	down_read(&s);
	op_start(&w, &s, OP_WRITE, NULL);
	CHECK(op_blocked(&w));
	CHECK(rwsem_is_contended(&s));
	/* A queued writer keeps new readers out, trylock included. */
	CHECK_EQ(down_read_trylock(&s), 0);
	CHECK_EQ(down_write_trylock(&s), 0);
	up_read(&s);
	CHECK(wait_for(&w.stage, 2, 10));
	op_finish(&w);
	CHECK(!rwsem_is_contended(&s));
	CHECK_EQ(count_of(&s), 0);
}

struct share {
	struct rw_semaphore sem;
	int n, inside, max;
};

static void share_fn(int idx, void *arg)
{
	struct share *sh = arg;
	double end = now() + 10;
	int in;

	down_read(&sh->sem);
	in = __atomic_add_fetch(&sh->inside, 1, __ATOMIC_RELAXED);
	for (int m = __atomic_load_n(&sh->max, __ATOMIC_RELAXED); m < in;)
		if (__atomic_compare_exchange_n(&sh->max, &m, in, 0, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			break;
	while (__atomic_load_n(&sh->max, __ATOMIC_RELAXED) < sh->n && now() < end)
		usleep(100);
	__atomic_sub_fetch(&sh->inside, 1, __ATOMIC_RELAXED);
	up_read(&sh->sem);
}

TEST(readers_share)
{
	struct share sh = { .n = 6 };

	init_rwsem(&sh.sem);
	test_threads(sh.n, share_fn, &sh);
	CHECK_EQ(sh.max, sh.n);
	CHECK_EQ(count_of(&sh.sem), 0);
}

struct excl {
	struct rw_semaphore sem;
	long iters;
	int readers, writers;
	unsigned long a, b;
	int bad;
};

static void excl_fn(int idx, void *arg)
{
	struct excl *e = arg;

	for (long i = 0; i < e->iters; i++) {
		int kind = (int)((i + idx) % 10);

		if (kind == 0 || (kind == 5 && idx % 2)) {
			if (kind == 5) {
				if (down_write_killable(&e->sem))
					__atomic_add_fetch(&e->bad, 1, __ATOMIC_RELAXED);
			} else {
				down_write(&e->sem);
			}
			if (__atomic_add_fetch(&e->writers, 1, __ATOMIC_RELAXED) != 1 ||
			    __atomic_load_n(&e->readers, __ATOMIC_RELAXED))
				__atomic_add_fetch(&e->bad, 1, __ATOMIC_RELAXED);
			e->a++;
			sched_yield();
			e->b++;
			__atomic_sub_fetch(&e->writers, 1, __ATOMIC_RELAXED);
			if (i % 7 == 0) {
				downgrade_write(&e->sem);
				if (e->a != e->b)
					__atomic_add_fetch(&e->bad, 1, __ATOMIC_RELAXED);
				up_read(&e->sem);
			} else {
				up_write(&e->sem);
			}
		} else {
			if (kind == 3) {
				if (!down_read_trylock(&e->sem))
					continue;
			} else if (kind == 4) {
				if (down_read_interruptible(&e->sem))
					__atomic_add_fetch(&e->bad, 1, __ATOMIC_RELAXED);
			} else {
				down_read(&e->sem);
			}
			__atomic_add_fetch(&e->readers, 1, __ATOMIC_RELAXED);
			if (__atomic_load_n(&e->writers, __ATOMIC_RELAXED) || e->a != e->b)
				__atomic_add_fetch(&e->bad, 1, __ATOMIC_RELAXED);
			__atomic_sub_fetch(&e->readers, 1, __ATOMIC_RELAXED);
			up_read(&e->sem);
		}
	}
}

/* 8 threads on 2 cores: many sleeps and wake-ups; none may be lost. */
TEST(exclusion_under_contention)
{
	struct excl e = { .iters = test_scale(40000) };

	init_rwsem(&e.sem);
	test_threads(8, excl_fn, &e);
	CHECK_EQ(e.bad, 0);
	CHECK_EQ(e.a, e.b);
	CHECK_EQ(count_of(&e.sem), 0);
	CHECK(list_empty(&e.sem.wait_list));
}

struct stream {
	struct rw_semaphore sem;
	int stop, started;
	long reads;
};

static void stream_reader(int idx, void *arg)
{
	struct stream *st = arg;

	__atomic_add_fetch(&st->started, 1, __ATOMIC_RELAXED);
	while (!__atomic_load_n(&st->stop, __ATOMIC_ACQUIRE)) {
		down_read(&st->sem);
		/* Hold a while, so that the readers overlap: never free. */
		for (volatile int i = 0; i < 2000; i++)
			;
		__atomic_add_fetch(&st->reads, 1, __ATOMIC_RELAXED);
		up_read(&st->sem);
	}
}

static void *stream_main(void *arg)
{
	test_threads(4, stream_reader, arg);
	return NULL;
}

TEST(writer_not_starved)
{
	struct stream st = { 0 };
	pthread_t tid;
	double t0, waited;

	init_rwsem(&st.sem);
	pthread_create(&tid, NULL, stream_main, &st);
	while (__atomic_load_n(&st.started, __ATOMIC_RELAXED) < 4 ||
	       __atomic_load_n(&st.reads, __ATOMIC_RELAXED) < 1000)
		usleep(1000);
	for (int i = 0; i < 20; i++) {
		t0 = now();
		down_write(&st.sem);
		waited = now() - t0;
		up_write(&st.sem);
		CHECK(waited < 2.0);	/* hand-off after 4 ms; slack for a loaded machine */
		if (getenv("RWSEM_VERBOSE")) fprintf(stderr, "waited %.6f\n", waited);
		usleep(1000);
	}
	__atomic_store_n(&st.stop, 1, __ATOMIC_RELEASE);
	pthread_join(tid, NULL);
	CHECK_EQ(count_of(&st.sem), 0);
}

/* R1 R2 W2 R3 R4 queued behind a writer: all four readers get in together. */
TEST(readers_woken_together)
{
	static DECLARE_RWSEM(s);
	struct op r[4], w2;
	int inside = 0;

	down_write(&s);
	for (int i = 0; i < 4; i++) {
		if (i == 2) {
			op_start(&w2, &s, OP_WRITE, NULL);
			CHECK(op_blocked(&w2));
		}
		op_start(&r[i], &s, OP_READ, &inside);
		CHECK(op_blocked(&r[i]));
	}
	CHECK(rwsem_is_contended(&s));
	up_write(&s);
	for (int i = 0; i < 4; i++)
		CHECK(wait_for(&r[i].stage, 2, 10));
	CHECK_EQ(__atomic_load_n(&inside, __ATOMIC_RELAXED), 4);
	usleep(20000);
	CHECK_EQ(op_stage(&w2), 1);			/* still waiting */
	for (int i = 0; i < 4; i++)
		op_finish(&r[i]);
	CHECK(wait_for(&w2.stage, 2, 10));
	op_finish(&w2);
	CHECK_EQ(count_of(&s), 0);
}

TEST(downgrade_lets_readers_in)
{
	static DECLARE_RWSEM(s);
	struct op r[2], w2;
	int inside = 0;

	down_write(&s);
	op_start(&r[0], &s, OP_READ, &inside);
	CHECK(op_blocked(&r[0]));
	op_start(&w2, &s, OP_WRITE, NULL);
	CHECK(op_blocked(&w2));
	op_start(&r[1], &s, OP_READ, &inside);
	CHECK(op_blocked(&r[1]));

	downgrade_write(&s);
	CHECK(wait_for(&r[0].stage, 2, 10));
	CHECK(wait_for(&r[1].stage, 2, 10));
	CHECK_EQ(__atomic_load_n(&inside, __ATOMIC_RELAXED), 2);
	CHECK_EQ(down_write_trylock(&s), 0);
	usleep(20000);
	CHECK_EQ(op_stage(&w2), 1);			/* writers stay out */
	op_finish(&r[0]);
	op_finish(&r[1]);
	usleep(10000);
	CHECK_EQ(op_stage(&w2), 1);			/* we still read */
	up_read(&s);
	CHECK(wait_for(&w2.stage, 2, 10));
	op_finish(&w2);
	CHECK_EQ(count_of(&s), 0);
}

/* A waiter ended by send_sig() returns -EINTR and leaves no trace. */
static void interrupt_one(enum op_kind kind, int writer_holds)
{
	static DECLARE_RWSEM(s);
	struct op o;

	if (writer_holds)
		down_write(&s);
	else
		down_read(&s);
	op_start(&o, &s, kind, NULL);
	CHECK(op_blocked(&o));
	CHECK(rwsem_is_contended(&s));
	if (kind != OP_READ_INTR) {
		/* A non-fatal signal does not end a killable wait. */
		send_sig(SIGUSR1, o.task, 0);
		usleep(20000);
		CHECK_EQ(op_stage(&o), 1);
		send_sig(SIGKILL, o.task, 0);
	} else {
		send_sig(SIGUSR1, o.task, 0);
	}
	CHECK(wait_for(&o.stage, 2, 10));
	CHECK_EQ(o.ret, -EINTR);
	pthread_join(o.tid, NULL);
	CHECK(!rwsem_is_contended(&s));
	CHECK(list_empty(&s.wait_list));
	if (writer_holds) {
		CHECK_EQ(count_of(&s), RWSEM_WRITER_LOCKED);
		up_write(&s);
	} else {
		CHECK_EQ(count_of(&s), RWSEM_READER_BIAS);
		up_read(&s);
	}
	CHECK_EQ(count_of(&s), 0);
	down_write(&s);
	up_write(&s);
	CHECK_EQ(down_read_trylock(&s), 1);
	up_read(&s);
}

TEST(signals_end_waits)
{
	interrupt_one(OP_READ_INTR, 1);
	interrupt_one(OP_READ_KILL, 1);
	interrupt_one(OP_WRITE_KILL, 1);
	interrupt_one(OP_WRITE_KILL, 0);
}

/*
 * Reader holds; writer W queued at the head, reader R behind it. Killing W
 * lets R in at once (the lock is reader-owned), as the kernel does.
 */
TEST(signal_at_head_wakes_readers_behind)
{
	static DECLARE_RWSEM(s);
	struct op w, r, w2;
	int inside = 0;

	down_read(&s);
	op_start(&w, &s, OP_WRITE_KILL, NULL);
	CHECK(op_blocked(&w));
	op_start(&r, &s, OP_READ, &inside);
	CHECK(op_blocked(&r));
	send_sig(SIGKILL, w.task, 0);
	CHECK(wait_for(&w.stage, 2, 10));
	CHECK_EQ(w.ret, -EINTR);
	pthread_join(w.tid, NULL);
	CHECK(wait_for(&r.stage, 2, 10));
	CHECK_EQ(inside, 1);
	op_finish(&r);
	up_read(&s);
	CHECK_EQ(count_of(&s), 0);

	/* An interrupted reader in mid-queue: the others are still woken. */
	down_write(&s);
	op_start(&r, &s, OP_READ, &inside);
	CHECK(op_blocked(&r));
	op_start(&w, &s, OP_READ_INTR, NULL);
	CHECK(op_blocked(&w));
	op_start(&w2, &s, OP_WRITE, NULL);
	CHECK(op_blocked(&w2));
	send_sig(SIGUSR1, w.task, 0);
	CHECK(wait_for(&w.stage, 2, 10));
	CHECK_EQ(w.ret, -EINTR);
	pthread_join(w.tid, NULL);
	up_write(&s);
	CHECK(wait_for(&r.stage, 2, 10));
	op_finish(&r);
	CHECK(wait_for(&w2.stage, 2, 10));
	op_finish(&w2);
	CHECK_EQ(count_of(&s), 0);
}

static int os_signals;

static void os_handler(int sig)
{
	__atomic_add_fetch(&os_signals, 1, __ATOMIC_RELAXED);
}

/* A real OS signal interrupts the futex wait but does not end the sleep. */
TEST(os_signal_does_not_end_wait)
{
	struct sigaction sa = { .sa_handler = os_handler }, old;	/* no SA_RESTART */
	static DECLARE_RWSEM(s);
	struct op r, w;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, &old);
	down_write(&s);
	op_start(&r, &s, OP_READ, NULL);
	CHECK(op_blocked(&r));
	op_start(&w, &s, OP_WRITE, NULL);
	CHECK(op_blocked(&w));
	for (int i = 0; i < 5; i++) {
		pthread_kill(r.tid, SIGUSR2);
		pthread_kill(w.tid, SIGUSR2);
		usleep(5000);
	}
	CHECK(__atomic_load_n(&os_signals, __ATOMIC_RELAXED) >= 2);
	CHECK_EQ(op_stage(&r), 1);
	CHECK_EQ(op_stage(&w), 1);
	up_write(&s);
	CHECK(wait_for(&r.stage, 2, 10));
	op_finish(&r);
	CHECK(wait_for(&w.stage, 2, 10));
	op_finish(&w);
	CHECK_EQ(count_of(&s), 0);
	sigaction(SIGUSR2, &old, NULL);
}

static int guarded_read(struct rw_semaphore *s)
{
	guard(rwsem_read)(s);
	return rwsem_is_locked(s) && !down_write_trylock(s);
}

TEST(guards)
{
	static DECLARE_RWSEM(s);
	int ran = 0;

	CHECK(guarded_read(&s));
	CHECK_EQ(count_of(&s), 0);
	scoped_guard(rwsem_write, &s) {
		CHECK_EQ(count_of(&s), RWSEM_WRITER_LOCKED);
		scoped_guard(rwsem_read_try, &s)
			ran = -1;			/* must not run */
		scoped_guard(rwsem_write_try, &s)
			ran = -1;
	}
	CHECK_EQ(ran, 0);
	CHECK_EQ(count_of(&s), 0);
	scoped_guard(rwsem_read_try, &s)
		ran = count_of(&s) == RWSEM_READER_BIAS;
	CHECK_EQ(ran, 1);
	ran = 0;
	/* Not nested in the read_try: read recursion is a lockdep report. */
	scoped_guard(rwsem_read_intr, &s)
		ran = count_of(&s) == RWSEM_READER_BIAS;
	CHECK_EQ(ran, 1);
	scoped_guard(rwsem_write_try, &s)
		ran = 2;
	CHECK_EQ(ran, 2);
	scoped_guard(rwsem_write_kill, &s)
		ran = count_of(&s) == RWSEM_WRITER_LOCKED ? 3 : 0;
	CHECK_EQ(ran, 3);
	CHECK_EQ(count_of(&s), 0);
}

int main(void)
{
	test_watchdog(60);
	RUN(initializers);
	RUN(return_values);
	RUN(trylock_fails_with_waiters);
	RUN(readers_share);
	RUN(exclusion_under_contention);
	RUN(writer_not_starved);
	RUN(readers_woken_together);
	RUN(downgrade_lets_readers_in);
	RUN(signals_end_waits);
	RUN(signal_at_head_wakes_readers_behind);
	RUN(os_signal_does_not_end_wait);
	RUN(guards);
	return test_done();
}
