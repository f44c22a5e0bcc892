// SPDX-License-Identifier: MIT
/* rwlock_t: API and return values, context bookkeeping, concurrency, fairness. */
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <lksync/processor.h>
#include <lksync/rwlock.h>
#include "lksync_test.h"

static DEFINE_RWLOCK(static_lock);
static rwlock_t legacy_lock = RW_LOCK_UNLOCKED;

static u32 cnts_of(rwlock_t *l)
{
	return __atomic_load_n(&l->raw_lock.cnts, __ATOMIC_ACQUIRE);
}

#define now()	(test_now_ns() * 1e-9)

TEST(types_and_initializers)
{
	rwlock_t l;

#ifndef LKSYNC_DEBUG	/* the debug flavor adds DEBUG_SPINLOCK's fields and a lockdep map */
	CHECK_EQ(sizeof(rwlock_t), 8);
#endif
	CHECK_EQ(cnts_of(&static_lock), 0);
	CHECK_EQ(cnts_of(&legacy_lock), 0);
	memset(&l, 0xa5, sizeof(l));
	rwlock_init(&l);
	CHECK_EQ(cnts_of(&l), 0);
	CHECK_EQ(l.raw_lock.wait_lock.val, 0);
	CHECK(!rwlock_is_contended(&l));
}

TEST(trylock_return_values)
{
	static DEFINE_RWLOCK(l);
	unsigned long flags;

	CHECK_EQ(read_trylock(&l), 1);
	CHECK_EQ(read_trylock(&l), 1);		/* readers share */
#ifndef LKSYNC_UP
	CHECK_EQ(write_trylock(&l), 0);		/* readers hold it */
	CHECK_EQ(cnts_of(&l) >> _QR_SHIFT, 2);
#endif
	read_unlock(&l);
	read_unlock(&l);
	CHECK_EQ(preempt_count(), 0);
	CHECK_EQ(write_trylock(&l), 1);
#ifndef LKSYNC_UP
	CHECK_EQ(write_trylock(&l), 0);		/* not recursive */
	CHECK_EQ(read_trylock(&l), 0);		/* a writer holds it */
	CHECK_EQ(cnts_of(&l), _QW_LOCKED);	/* the failed reader backed out */
	CHECK_EQ(preempt_count(), 1);		/* only the holder's count */
	CHECK_EQ(write_trylock_irqsave(&l, flags), 0);
	CHECK(!irqs_disabled());		/* restored on failure */
#endif
	write_unlock(&l);
	CHECK_EQ(preempt_count(), 0);
	CHECK_EQ(write_trylock_irqsave(&l, flags), 1);
	CHECK(irqs_disabled());
	CHECK_EQ(flags, 0);
	write_unlock_irqrestore(&l, flags);
	CHECK(!irqs_disabled());
	CHECK_EQ(cnts_of(&l), 0);
	CHECK_EQ(preempt_count(), 0);
}

TEST(blocking_forms_single_thread)
{
	static DEFINE_RWLOCK(l);

#ifndef LKSYNC_DEBUG
	/*
	 * Recursion works while no writer queues. It is still a deadlock in
	 * waiting (a writer queueing between the two makes the second read
	 * wait for ever), so lockdep reports it in the debug flavor; the
	 * lockdep_selftest suite covers that report.
	 */
	read_lock(&l);
	read_lock(&l);
#ifndef LKSYNC_UP
	CHECK_EQ(cnts_of(&l), 2 * _QR_BIAS);
#endif
	read_unlock(&l);
	read_unlock(&l);
#endif
	write_lock(&l);
#ifndef LKSYNC_UP
	CHECK_EQ(cnts_of(&l), _QW_LOCKED);
#endif
	write_unlock(&l);
	write_lock_nested(&l, 1);
	write_unlock(&l);
	CHECK_EQ(cnts_of(&l), 0);
	CHECK_EQ(preempt_count(), 0);
}

/* Every variant's effect on preempt_count / irqs_disabled / in_softirq, nested. */
TEST(context_bookkeeping)
{
	static DEFINE_RWLOCK(a);
	static DEFINE_RWLOCK(b);
	unsigned long f1, f2;

	read_lock(&a);
	CHECK_EQ(preempt_count(), 1);
	CHECK(!irqs_disabled());
	write_lock(&b);
	CHECK_EQ(preempt_count(), 2);
	write_unlock(&b);
	read_unlock(&a);
	CHECK_EQ(preempt_count(), 0);

	read_lock_irq(&a);
	CHECK(irqs_disabled());
	CHECK_EQ(preempt_count(), 1);
	write_lock_irqsave(&b, f1);		/* nested inside irqs-off */
	CHECK(f1 != 0);
	CHECK(irqs_disabled());
	CHECK_EQ(preempt_count(), 2);
	write_unlock_irqrestore(&b, f1);
	CHECK(irqs_disabled());			/* restored to "disabled" */
	CHECK_EQ(preempt_count(), 1);
	read_unlock_irq(&a);
	CHECK(!irqs_disabled());
	CHECK_EQ(preempt_count(), 0);

	write_lock_irq(&a);
	CHECK(irqs_disabled());
	write_unlock_irq(&a);
	CHECK(!irqs_disabled());

	read_lock_irqsave(&a, f1);
	CHECK_EQ(f1, 0);
	CHECK(irqs_disabled());
	read_lock_irqsave(&b, f2);
	CHECK(f2 != 0);
	read_unlock_irqrestore(&b, f2);
	CHECK(irqs_disabled());
	read_unlock_irqrestore(&a, f1);
	CHECK(!irqs_disabled());
	CHECK_EQ(preempt_count(), 0);

	read_lock_bh(&a);
	CHECK(in_softirq());
	CHECK_EQ(preempt_count(), SOFTIRQ_DISABLE_OFFSET + 1);
	write_lock_bh(&b);
	CHECK_EQ(preempt_count(), 2 * SOFTIRQ_DISABLE_OFFSET + 2);
	write_unlock_bh(&b);
	CHECK_EQ(preempt_count(), SOFTIRQ_DISABLE_OFFSET + 1);
	read_unlock_bh(&a);
	CHECK(!in_softirq());
	CHECK_EQ(preempt_count(), 0);

	write_lock_bh(&a);
	read_lock_irq(&b);
	CHECK(in_softirq());
	CHECK(irqs_disabled());
	CHECK_EQ(preempt_count(), SOFTIRQ_DISABLE_OFFSET + 2);
	read_unlock_irq(&b);
	write_unlock_bh(&a);
	CHECK_EQ(preempt_count(), 0);
	CHECK(!irqs_disabled());

	CHECK_EQ(read_trylock(&a), 1);
	CHECK_EQ(preempt_count(), 1);
	read_unlock(&a);
	CHECK_EQ(write_trylock(&a), 1);
	CHECK_EQ(preempt_count(), 1);
	write_unlock(&a);
	CHECK_EQ(preempt_count(), 0);
	CHECK_EQ(cnts_of(&a) | cnts_of(&b), 0);
}

#ifndef LKSYNC_UP

/* N readers inside at the same time: each waits inside for all the others. */
#define NREADERS 6
static DEFINE_RWLOCK(shared_lock);
static int inside, all_met;

static void reader_meet(int idx, void *arg)
{
	double end = now() + 20;

	read_lock(&shared_lock);
	__atomic_add_fetch(&inside, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&inside, __ATOMIC_SEQ_CST) < NREADERS && now() < end)
		usleep(100);
	if (__atomic_load_n(&inside, __ATOMIC_SEQ_CST) == NREADERS)
		__atomic_add_fetch(&all_met, 1, __ATOMIC_SEQ_CST);
	read_unlock(&shared_lock);
}

TEST(readers_share)
{
	test_threads(NREADERS, reader_meet, NULL);
	CHECK_EQ(all_met, NREADERS);
	CHECK_EQ(cnts_of(&shared_lock), 0);
}

/* Mixed readers and writers; invariants checked inside each critical section. */
static DEFINE_RWLOCK(mix_lock);
static long mix_a, mix_b;	/* writers keep a == b */
static int mix_readers, mix_writers, mix_bad;
static long mix_iters;
static long mix_writes[64];

static void mixer(int idx, void *arg)
{
	unsigned seed = idx * 7919 + 1;

	for (long i = 0; i < mix_iters; i++) {
		seed = seed * 1103515245 + 12345;
		if ((seed >> 16) % 10 == 0) {
			unsigned long flags;

			if (i & 1)
				write_lock(&mix_lock);
			else
				write_lock_irqsave(&mix_lock, flags);
			if (__atomic_add_fetch(&mix_writers, 1, __ATOMIC_RELAXED) != 1 ||
			    __atomic_load_n(&mix_readers, __ATOMIC_RELAXED) != 0)
				__atomic_add_fetch(&mix_bad, 1, __ATOMIC_RELAXED);
			mix_a++;
			if ((seed >> 8) % 512 == 0)
				usleep(200);	/* long enough for waiters to sleep */
			mix_b++;
			mix_writes[idx]++;
			__atomic_sub_fetch(&mix_writers, 1, __ATOMIC_RELAXED);
			if (i & 1)
				write_unlock(&mix_lock);
			else
				write_unlock_irqrestore(&mix_lock, flags);
		} else {
			if (i & 1)
				read_lock(&mix_lock);
			else
				read_lock_bh(&mix_lock);
			__atomic_add_fetch(&mix_readers, 1, __ATOMIC_RELAXED);
			if (__atomic_load_n(&mix_writers, __ATOMIC_RELAXED) != 0 ||
			    mix_a != mix_b)
				__atomic_add_fetch(&mix_bad, 1, __ATOMIC_RELAXED);
			__atomic_sub_fetch(&mix_readers, 1, __ATOMIC_RELAXED);
			if (i & 1)
				read_unlock(&mix_lock);
			else
				read_unlock_bh(&mix_lock);
		}
	}
	CHECK_EQ(preempt_count(), 0);
}

static void run_mix(int threads, long iters)
{
	long total = 0;

	mix_a = mix_b = 0;
	mix_bad = 0;
	memset(mix_writes, 0, sizeof(mix_writes));
	mix_iters = iters;
	test_threads(threads, mixer, NULL);
	for (int i = 0; i < threads; i++)
		total += mix_writes[i];
	CHECK_EQ(mix_bad, 0);
	CHECK_EQ(mix_a, total);
	CHECK_EQ(mix_b, total);
	CHECK(total > 0);
	CHECK_EQ(cnts_of(&mix_lock) & ~_QW_PARKED, 0);
}

TEST(exclusion_8_threads)
{
	run_mix(8, test_scale(100000));
}

TEST(exclusion_32_threads)
{
	run_mix(32, test_scale(20000));
}

/* Writers only: the wait_lock queue and the writer hand-over under oversubscription. */
static DEFINE_RWLOCK(wr_lock);
static long wr_count;

static void writer_only(int idx, void *arg)
{
	long n = *(long *)arg;

	for (long i = 0; i < n; i++) {
		write_lock(&wr_lock);
		wr_count++;
		write_unlock(&wr_lock);
	}
}

TEST(writers_exclude_writers)
{
	long n = test_scale(50000);

	wr_count = 0;
	test_threads(16, writer_only, &n);
	CHECK_EQ(wr_count, 16 * n);
}

/* trylock fails across threads while the other side holds the lock. */
static DEFINE_RWLOCK(xt_lock);
static int xt_stage;

static void xt_holder(int idx, void *arg)
{
	int mode = *(int *)arg;

	if (idx == 0) {
		if (mode)
			write_lock(&xt_lock);
		else
			read_lock(&xt_lock);
		__atomic_store_n(&xt_stage, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&xt_stage, __ATOMIC_ACQUIRE) != 2)
			usleep(100);
		if (mode)
			write_unlock(&xt_lock);
		else
			read_unlock(&xt_lock);
		__atomic_store_n(&xt_stage, 3, __ATOMIC_RELEASE);
	} else {
		while (__atomic_load_n(&xt_stage, __ATOMIC_ACQUIRE) != 1)
			usleep(100);
		if (mode) {
			CHECK_EQ(read_trylock(&xt_lock), 0);
			CHECK_EQ(write_trylock(&xt_lock), 0);
		} else {
			CHECK_EQ(write_trylock(&xt_lock), 0);
			CHECK_EQ(read_trylock(&xt_lock), 1);
			read_unlock(&xt_lock);
		}
		CHECK_EQ(preempt_count(), 0);
		__atomic_store_n(&xt_stage, 2, __ATOMIC_RELEASE);
		while (__atomic_load_n(&xt_stage, __ATOMIC_ACQUIRE) != 3)
			usleep(100);
		CHECK_EQ(write_trylock(&xt_lock), 1);
		write_unlock(&xt_lock);
		CHECK_EQ(read_trylock(&xt_lock), 1);
		read_unlock(&xt_lock);
	}
}

TEST(trylock_across_threads)
{
	int mode = 1;

	xt_stage = 0;
	test_threads(2, xt_holder, &mode);
	mode = 0;
	xt_stage = 0;
	test_threads(2, xt_holder, &mode);
}

/*
 * Fairness: readers overlap so the lock is never free of readers, yet a
 * writer gets in (new readers queue behind it), and more than once.
 */
static DEFINE_RWLOCK(fair_lock);
static int fair_stop;
static long fair_reads, fair_writes_done;

static void fair_worker(int idx, void *arg)
{
	if (idx == 0) {
		long n = test_scale(200);

		usleep(20000);		/* let the readers saturate the lock */
		for (long i = 0; i < n; i++) {
			write_lock(&fair_lock);
			fair_writes_done++;
			write_unlock(&fair_lock);
		}
		__atomic_store_n(&fair_stop, 1, __ATOMIC_RELEASE);
		return;
	}
	while (!__atomic_load_n(&fair_stop, __ATOMIC_ACQUIRE)) {
		read_lock(&fair_lock);
		for (int k = 0; k < 200; k++)
			cpu_relax();
		__atomic_add_fetch(&fair_reads, 1, __ATOMIC_RELAXED);
		read_unlock(&fair_lock);
	}
}

TEST(writer_not_starved)
{
	double t0 = now();

	test_threads(8, fair_worker, NULL);
	CHECK_EQ(fair_writes_done, test_scale(200));
	CHECK(fair_reads > 0);
	CHECK(now() - t0 < 30);
}

/*
 * Interrupt-context readers: while a reader holds the lock and a writer
 * waits behind it, a process-context reader cannot get in (read_trylock
 * fails) but a hardirq- or softirq-context reader can.
 */
static DEFINE_RWLOCK(irq_lock);
static int irq_stage, irq_writer_in;

static void irq_scenario(int idx, void *arg)
{
	switch (idx) {
	case 0:		/* the first reader */
		read_lock(&irq_lock);
		__atomic_store_n(&irq_stage, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&irq_stage, __ATOMIC_ACQUIRE) != 3)
			usleep(100);
		read_unlock(&irq_lock);
		break;
	case 1:		/* the writer, queued behind the reader */
		while (__atomic_load_n(&irq_stage, __ATOMIC_ACQUIRE) != 1)
			usleep(100);
		/* _irq: interrupt-context readers exist, as the kernel requires. */
		write_lock_irq(&irq_lock);
		__atomic_store_n(&irq_writer_in, 1, __ATOMIC_RELEASE);
		usleep(20000);	/* hold it: interrupt readers must wait (and sleep) */
		__atomic_store_n(&irq_writer_in, 2, __ATOMIC_RELEASE);
		write_unlock_irq(&irq_lock);
		break;
	case 2:		/* readers in process and interrupt context */
		while (__atomic_load_n(&irq_stage, __ATOMIC_ACQUIRE) != 1)
			usleep(100);
		while (!(cnts_of(&irq_lock) & _QW_WAITING))
			usleep(100);
		CHECK_EQ(read_trylock(&irq_lock), 0);	/* fair: behind the writer */
		preempt_count_add(HARDIRQ_OFFSET);
		CHECK(in_interrupt());
		read_lock(&irq_lock);			/* gets in past the writer */
		CHECK_EQ(__atomic_load_n(&irq_writer_in, __ATOMIC_ACQUIRE), 0);
		read_unlock(&irq_lock);
		preempt_count_sub(HARDIRQ_OFFSET);
		preempt_count_add(SOFTIRQ_OFFSET);
		read_lock(&irq_lock);
		CHECK_EQ(__atomic_load_n(&irq_writer_in, __ATOMIC_ACQUIRE), 0);
		read_unlock(&irq_lock);
		preempt_count_sub(SOFTIRQ_OFFSET);
		CHECK_EQ(preempt_count(), 0);
		__atomic_store_n(&irq_stage, 3, __ATOMIC_RELEASE);
		/* Now an interrupt reader must wait for the active writer. */
		while (__atomic_load_n(&irq_writer_in, __ATOMIC_ACQUIRE) == 0)
			usleep(100);
		preempt_count_add(HARDIRQ_OFFSET);
		read_lock(&irq_lock);
		CHECK_EQ(__atomic_load_n(&irq_writer_in, __ATOMIC_ACQUIRE), 2);
		read_unlock(&irq_lock);
		preempt_count_sub(HARDIRQ_OFFSET);
		break;
	}
}

TEST(interrupt_readers_pass_queued_writer)
{
	test_threads(3, irq_scenario, NULL);
	CHECK_EQ(cnts_of(&irq_lock) & ~_QW_PARKED, 0);
}

/* A process-context reader that arrives while a writer waits enters after it. */
static DEFINE_RWLOCK(order_lock);
static int order_stage, order_writer_done;

static void order_scenario(int idx, void *arg)
{
	if (idx == 0) {
		read_lock(&order_lock);
		__atomic_store_n(&order_stage, 1, __ATOMIC_RELEASE);
		while (!(cnts_of(&order_lock) & _QW_WAITING))
			usleep(100);
		__atomic_store_n(&order_stage, 2, __ATOMIC_RELEASE);
		usleep(20000);		/* the late reader queues meanwhile */
		read_unlock(&order_lock);
	} else if (idx == 1) {
		while (__atomic_load_n(&order_stage, __ATOMIC_ACQUIRE) < 1)
			usleep(100);
		write_lock(&order_lock);
		usleep(5000);
		__atomic_store_n(&order_writer_done, 1, __ATOMIC_RELEASE);
		write_unlock(&order_lock);
	} else {
		while (__atomic_load_n(&order_stage, __ATOMIC_ACQUIRE) < 2)
			usleep(100);
		read_lock(&order_lock);
		CHECK_EQ(__atomic_load_n(&order_writer_done, __ATOMIC_ACQUIRE), 1);
		read_unlock(&order_lock);
	}
}

TEST(late_reader_queues_behind_writer)
{
	test_threads(3, order_scenario, NULL);
	CHECK_EQ(cnts_of(&order_lock) & ~_QW_PARKED, 0);
}

/* ---- an unlocker never touches a lock after releasing it ---- */

/*
 * An object with an embedded rwlock, freed by whoever drops the last
 * reference right after unlocking, as kernel code does. Each thread holds a
 * reference to the current object, takes its lock for writing and reading in
 * turn (contended, so waiters park and unlockers take the slow paths) and
 * drops the reference in its last section: even threads under the write
 * lock, odd ones under the read lock (a last reader then takes the write
 * lock once, to wait for the other readers). The last one frees the object
 * and publishes the next. Any access to the lock after a releasing store or RMW
 * may hit freed memory (ASan).
 */
#define REF_THREADS	8
#define REF_TAKES	6

struct ref_obj {
	rwlock_t lock;
	int refs;
	unsigned long data;
};

static struct ref_obj **ref_objs;
static long ref_rounds;
static int ref_bad;

static struct ref_obj *ref_new(void)
{
	struct ref_obj *o = malloc(sizeof(*o));

	rwlock_init(&o->lock);
	o->refs = REF_THREADS;
	o->data = 0;
	return o;
}

static void ref_worker(int idx, void *arg)
{
	for (long r = 0; r < ref_rounds; r++) {
		struct ref_obj *o;
		int last = 0;

		while (!(o = __atomic_load_n(&ref_objs[r], __ATOMIC_ACQUIRE)))
			sched_yield();
		for (int k = 0; k < REF_TAKES; k++) {
			int final = k == REF_TAKES - 1;

			if (final ? !(idx & 1) : !(k & 1)) {
				write_lock(&o->lock);
				o->data++;
				/* Relaxed: the lock orders it; atomic for the readers' drops. */
				if (final)
					last = __atomic_sub_fetch(&o->refs, 1, __ATOMIC_RELAXED) == 0;
				write_unlock(&o->lock);
			} else {
				read_lock(&o->lock);
				if (READ_ONCE(o->data) > (unsigned long)REF_THREADS * REF_TAKES)
					__atomic_store_n(&ref_bad, 1, __ATOMIC_RELAXED);
				/* Relaxed: readers only drop; the lock orders the rest. */
				if (final)
					last = __atomic_sub_fetch(&o->refs, 1, __ATOMIC_RELAXED) == 0;
				read_unlock(&o->lock);
			}
		}
		if (last && (idx & 1)) {
			/*
			 * Dropped under the read lock: other readers may still
			 * hold it. Wait for them to leave; their read_unlock()
			 * then races with the free below.
			 */
			write_lock(&o->lock);
			write_unlock(&o->lock);
		}
		if (last) {
			/* Writes: REF_TAKES / 2 each, plus a final one from even threads. */
			unsigned long want = REF_THREADS * (REF_TAKES / 2) + REF_THREADS / 2;

			if (o->data != want)
				__atomic_store_n(&ref_bad, 1, __ATOMIC_RELAXED);
			free(o);
			if (r + 1 < ref_rounds)
				__atomic_store_n(&ref_objs[r + 1], ref_new(), __ATOMIC_RELEASE);
		}
	}
}

TEST(unlock_does_not_touch_freed_lock)
{
	ref_rounds = test_scale(20000);
	ref_objs = calloc(ref_rounds, sizeof(*ref_objs));
	__atomic_store_n(&ref_objs[0], ref_new(), __ATOMIC_RELEASE);
	test_threads(REF_THREADS, ref_worker, NULL);
	free(ref_objs);
	CHECK_EQ(ref_bad, 0);
}

/*
 * A lost wake-up: a writer's unlock loaded the word before a waiter set
 * _QW_PARKED, and its releasing store lands after the waiter's futex check,
 * so nobody wakes the waiter. Forced here by clearing the wlocked byte by
 * hand once the waiter is parked. Its sleep is bounded, so it must still get
 * the lock soon. @arg: 1 for a waiting writer, 0 for a waiting reader.
 */
static DEFINE_RWLOCK(lost_lock);
static int lost_stage;

static double lost_scenario(void)
{
	arch_rwlock_t *a = &lost_lock.raw_lock;
	double t0, t = -1;
	int parked = 0;

	lost_stage = 0;
	write_lock(&lost_lock);
	for (int i = 0; i < 20000 && !parked; i++) {
		parked = !!(cnts_of(&lost_lock) & _QW_PARKED);
		usleep(100);
	}
	CHECK(parked);
	usleep(3000);	/* let it sleep in the futex */
	t0 = now();
	/* The racing unlocker's store, after a load that saw no _QW_PARKED. */
#ifdef LKSYNC_DEBUG
	/* Released behind the lock API's back: tell the debug checks. */
	rwlock_release(&lost_lock.dep_map, _THIS_IP_);
	WRITE_ONCE(lost_lock.owner, SPINLOCK_OWNER_INIT);
	WRITE_ONCE(lost_lock.owner_cpu, -1);
#endif
	__atomic_store_n(&a->wlocked, 0, __ATOMIC_RELEASE);
	preempt_enable();
	while (__atomic_load_n(&lost_stage, __ATOMIC_ACQUIRE) != 1 && now() - t0 < 2)
		usleep(50);
	if (__atomic_load_n(&lost_stage, __ATOMIC_ACQUIRE) == 1)
		t = now() - t0;
	CHECK(t >= 0);
	return t;
}

static void lost_waiter(int idx, void *arg)
{
	int writer = (int)(long)arg;

	if (idx == 0) {
		double t = lost_scenario();

		printf("  parked %s took the lock %.2f ms after the unwoken release\n",
		       writer ? "writer" : "reader", t * 1e3);
		return;
	}
	while (!(cnts_of(&lost_lock) & _QW_LOCKED))
		usleep(100);
	if (writer)
		write_lock(&lost_lock);
	else
		read_lock(&lost_lock);
	__atomic_store_n(&lost_stage, 1, __ATOMIC_RELEASE);
	if (writer)
		write_unlock(&lost_lock);
	else
		read_unlock(&lost_lock);
}

TEST(parked_waiters_survive_lost_wakeup)
{
	for (int round = 0; round < 3; round++) {
		test_threads(2, lost_waiter, (void *)1L);
		CHECK_EQ(cnts_of(&lost_lock) & ~_QW_PARKED, 0);
		test_threads(2, lost_waiter, (void *)0L);
		CHECK_EQ(cnts_of(&lost_lock) & ~_QW_PARKED, 0);
	}
}

#endif /* !LKSYNC_UP */

int main(void)
{
	test_watchdog(100);
	RUN(types_and_initializers);
	RUN(trylock_return_values);
	RUN(blocking_forms_single_thread);
	RUN(context_bookkeeping);
#ifndef LKSYNC_UP
	RUN(readers_share);
	RUN(exclusion_8_threads);
	RUN(exclusion_32_threads);
	RUN(writers_exclude_writers);
	RUN(trylock_across_threads);
	RUN(writer_not_starved);
	RUN(interrupt_readers_pass_queued_writer);
	RUN(late_reader_queues_behind_writer);
	RUN(unlock_does_not_touch_freed_lock);
	RUN(parked_waiters_survive_lost_wakeup);
#endif
	return test_done();
}
