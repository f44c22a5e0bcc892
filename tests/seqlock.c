// SPDX-License-Identifier: MIT
/* seqcount_t and seqlock_t: retry semantics, torn-read freedom, locked forms. */
#include <time.h>
#include <lksync/processor.h>
#include <lksync/seqlock.h>
#include "lksync_test.h"

/* Uniprocessor build: spinlocks do not exclude other threads, so one writer. */
#ifdef LKSYNC_UP
#define NR_WRITERS	1
#define SMP_ONLY(x)	do { } while (0)
#else
#define NR_WRITERS	2
#define SMP_ONLY(x)	x
#endif

static DEFINE_SEQLOCK(static_sl);
static seqlock_t legacy_sl = SEQLOCK_UNLOCKED;
static seqcount_t static_sc = SEQCNT_ZERO(static_sc);
static DEFINE_SPINLOCK(sc_lock);
static seqcount_spinlock_t static_scl = SEQCNT_SPINLOCK_ZERO(static_scl, &sc_lock);

TEST(initializers)
{
	seqlock_t sl;
	seqcount_t sc;
	seqcount_spinlock_t scl;
	seqcount_raw_spinlock_t scr;
	seqcount_rwlock_t scw;

	CHECK_EQ(read_seqbegin(&static_sl), 0);
	CHECK_EQ(read_seqbegin(&legacy_sl), 0);
	CHECK_EQ(read_seqcount_begin(&static_sc), 0);
	CHECK_EQ(read_seqcount_begin(&static_scl), 0);
	memset(&sl, 0xff, sizeof(sl));
	seqlock_init(&sl);
	CHECK_EQ(sl.seqcount.seqcount.sequence, 0);
	SMP_ONLY(CHECK(!spin_is_locked(&sl.lock)));
	memset(&sc, 0xff, sizeof(sc));
	seqcount_init(&sc);
	CHECK_EQ(sc.sequence, 0);
	memset(&scl, 0xff, sizeof(scl));
	seqcount_spinlock_init(&scl, &sc_lock);
	CHECK_EQ(raw_read_seqcount(&scl), 0);
	memset(&scr, 0xff, sizeof(scr));
	seqcount_raw_spinlock_init(&scr, (raw_spinlock_t *)NULL);
	CHECK_EQ(raw_read_seqcount(&scr), 0);
	memset(&scw, 0xff, sizeof(scw));
	seqcount_rwlock_init(&scw, (void *)NULL);
	CHECK_EQ(raw_read_seqcount(&scw), 0);
}

/* read_seqcount_retry() is true iff a write section began or ended since begin. */
TEST(seqcount_retry_semantics)
{
	seqcount_t s;
	unsigned seq;

	seqcount_init(&s);
	seq = read_seqcount_begin(&s);
	CHECK_EQ(seq, 0);
	CHECK_EQ(read_seqcount_retry(&s, seq), 0);
	CHECK_EQ(__read_seqcount_retry(&s, seq), 0);

	write_seqcount_begin(&s);
	CHECK_EQ(raw_read_seqcount(&s), 1);		/* odd: in progress */
	CHECK_EQ(raw_seqcount_begin(&s), 0);		/* rounded down ... */
	CHECK(read_seqcount_retry(&s, raw_seqcount_begin(&s)));	/* ... so it retries */
	CHECK(read_seqcount_retry(&s, seq));		/* a write began */
	write_seqcount_end(&s);
	CHECK_EQ(raw_read_seqcount(&s), 2);
	CHECK(read_seqcount_retry(&s, seq));		/* a write happened */

	seq = read_seqcount_begin(&s);
	CHECK_EQ(seq, 2);
	CHECK_EQ(read_seqcount_retry(&s, seq), 0);
	CHECK_EQ(__read_seqcount_begin(&s), 2);
	CHECK_EQ(raw_read_seqcount_begin(&s), 2);

	raw_write_seqcount_begin(&s);
	CHECK_EQ(raw_read_seqcount(&s), 3);
	raw_write_seqcount_end(&s);
	CHECK(read_seqcount_retry(&s, seq));
	seq = raw_read_seqcount_begin(&s);
	CHECK_EQ(seq, 4);

	raw_write_seqcount_barrier(&s);			/* an empty write section */
	CHECK_EQ(raw_read_seqcount(&s), 6);
	CHECK(read_seqcount_retry(&s, seq));

	seq = read_seqcount_begin(&s);
	write_seqcount_invalidate(&s);			/* forces readers to retry */
	CHECK_EQ(raw_read_seqcount(&s), 8);
	CHECK(read_seqcount_retry(&s, seq));
	CHECK_EQ(read_seqcount_begin(&s) & 1, 0);	/* still even: not "in progress" */

	seq = raw_read_seqcount_latch(&s);
	raw_write_seqcount_latch(&s);
	CHECK_EQ(raw_read_seqcount_latch(&s), seq + 1);
	CHECK(read_seqcount_latch_retry(&s, seq));

	/* The lock-associated forms behave the same. */
	seq = read_seqcount_begin(&static_scl);
	spin_lock(&sc_lock);
	write_seqcount_begin(&static_scl);
	CHECK_EQ(raw_read_seqcount(&static_scl), seq + 1);
	write_seqcount_end(&static_scl);
	spin_unlock(&sc_lock);
	CHECK(read_seqcount_retry(&static_scl, seq));
}

TEST(seqlock_retry_semantics)
{
	static DEFINE_SEQLOCK(sl);
	unsigned long flags;
	unsigned seq;

	seq = read_seqbegin(&sl);
	CHECK_EQ(read_seqretry(&sl, seq), 0);
	CHECK_EQ(read_seqretry(&sl, seq), 0);

	write_seqlock(&sl);
	SMP_ONLY(CHECK(spin_is_locked(&sl.lock)));
	CHECK(read_seqretry(&sl, seq));
	CHECK_EQ(preempt_count(), 1);
	write_sequnlock(&sl);
	CHECK(read_seqretry(&sl, seq));
	CHECK_EQ(preempt_count(), 0);
	seq = read_seqbegin(&sl);
	CHECK_EQ(seq, 2);

	write_seqlock_bh(&sl);
	CHECK(in_softirq());
	write_sequnlock_bh(&sl);
	CHECK(!in_softirq());
	write_seqlock_irq(&sl);
	CHECK(irqs_disabled());
	write_sequnlock_irq(&sl);
	CHECK(!irqs_disabled());
	write_seqlock_irqsave(&sl, flags);
	CHECK_EQ(flags, 0);
	CHECK(irqs_disabled());
	write_sequnlock_irqrestore(&sl, flags);
	CHECK(!irqs_disabled());
	CHECK_EQ(read_seqbegin(&sl), 8);
	CHECK(read_seqretry(&sl, seq));

	/* Locking readers do not move the count. */
	seq = read_seqbegin(&sl);
	read_seqlock_excl(&sl);
	SMP_ONLY(CHECK(spin_is_locked(&sl.lock)));
	SMP_ONLY(CHECK_EQ(write_tryseqlock(&sl), 0));	/* excludes writers */
	read_sequnlock_excl(&sl);
	CHECK_EQ(read_seqretry(&sl, seq), 0);
	CHECK_EQ(write_tryseqlock(&sl), 1);
	CHECK(read_seqretry(&sl, seq));
	write_sequnlock(&sl);
	CHECK_EQ(preempt_count(), 0);
}

/* Interrupt/bottom-half state across every locked form, nested. */
TEST(locked_forms_restore_state)
{
	static DEFINE_SEQLOCK(a);
	static DEFINE_SEQLOCK(b);
	unsigned long f1, f2;

	read_seqlock_excl_bh(&a);
	CHECK(in_softirq());
	CHECK_EQ(preempt_count(), SOFTIRQ_DISABLE_OFFSET + 1);
	read_sequnlock_excl_bh(&a);
	CHECK_EQ(preempt_count(), 0);

	read_seqlock_excl_irq(&a);
	CHECK(irqs_disabled());
	read_seqlock_excl_irqsave(&b, f1);
	CHECK(f1 != 0);
	read_sequnlock_excl_irqrestore(&b, f1);
	CHECK(irqs_disabled());
	read_sequnlock_excl_irq(&a);
	CHECK(!irqs_disabled());

	local_irq_save(f1);
	write_seqlock_irqsave(&a, f2);
	CHECK(f2 != 0);
	write_sequnlock_irqrestore(&a, f2);
	CHECK(irqs_disabled());			/* restored to the outer state */
	local_irq_restore(f1);
	CHECK(!irqs_disabled());

	write_seqlock_bh(&a);
	write_seqlock_irqsave(&b, f1);
	CHECK(in_softirq());
	CHECK(irqs_disabled());
	CHECK_EQ(preempt_count(), SOFTIRQ_DISABLE_OFFSET + 2);
	write_sequnlock_irqrestore(&b, f1);
	CHECK(!irqs_disabled());
	write_sequnlock_bh(&a);
	CHECK_EQ(preempt_count(), 0);
	CHECK_EQ(read_seqbegin(&a), 4);
	CHECK_EQ(read_seqbegin(&b), 2);
}

/* read_seqbegin_or_lock: lockless first pass, locking second pass. */
TEST(seqbegin_or_lock)
{
	static DEFINE_SEQLOCK(sl);
	unsigned long flags;
	int seq = 0, passes = 0;

again:
	passes++;
	read_seqbegin_or_lock(&sl, &seq);
	if (passes == 1) {
		CHECK_EQ(seq & 1, 0);
		CHECK(!spin_is_locked(&sl.lock));
		write_seqlock(&sl);		/* a writer intervenes */
		write_sequnlock(&sl);
	} else {
		SMP_ONLY(CHECK(spin_is_locked(&sl.lock)));	/* second pass locks */
	}
	if (need_seqretry(&sl, seq)) {
		seq = 1;
		goto again;
	}
	done_seqretry(&sl, seq);
	CHECK_EQ(passes, 2);
	CHECK(!spin_is_locked(&sl.lock));
	CHECK_EQ(preempt_count(), 0);

	seq = 0;
	flags = read_seqbegin_or_lock_irqsave(&sl, &seq);
	CHECK_EQ(need_seqretry(&sl, seq), 0);
	done_seqretry_irqrestore(&sl, seq, flags);
	seq = 1;
	flags = read_seqbegin_or_lock_irqsave(&sl, &seq);
	CHECK(irqs_disabled());
	SMP_ONLY(CHECK(spin_is_locked(&sl.lock)));
	CHECK_EQ(need_seqretry(&sl, seq), 0);
	done_seqretry_irqrestore(&sl, seq, flags);
	CHECK(!irqs_disabled());
	CHECK(!spin_is_locked(&sl.lock));
}

/*
 * Torn reads: writers keep x == y (and z == ~x) while changing all three;
 * readers must never accept an inconsistent triple. More threads than CPUs.
 */
static DEFINE_SEQLOCK(data_sl);
static seqcount_t data_sc = SEQCNT_ZERO(data_sc);
static DEFINE_SPINLOCK(data_sc_lock);
static u64 dx, dy, dz = ~0ULL;	/* consistent from the start */
static int stop, torn;
static long accepted, retries, excl_reads;

static void data_write(u64 v)
{
	WRITE_ONCE(dx, v);
	WRITE_ONCE(dz, ~v);
	WRITE_ONCE(dy, v);
}

static int data_consistent(u64 x, u64 y, u64 z)
{
	return x == y && z == ~x;
}

static void torn_worker(int idx, void *arg)
{
	int use_sc = *(int *)arg;
	unsigned seed = idx + 1;

	if (idx < NR_WRITERS) {
		long n = test_scale(200000);

		/* Keep writing until readers have overlapped with us for a while. */
		for (long i = 1; i <= n || __atomic_load_n(&accepted, __ATOMIC_RELAXED) < 1000;
		     i++) {
			u64 v = ((u64)idx << 56) | (u64)i * 0x10001;

			if (use_sc) {
				spin_lock(&data_sc_lock);
				write_seqcount_begin(&data_sc);
				data_write(v);
				write_seqcount_end(&data_sc);
				spin_unlock(&data_sc_lock);
			} else if (i & 1) {
				write_seqlock(&data_sl);
				data_write(v);
				write_sequnlock(&data_sl);
			} else {
				unsigned long flags;

				write_seqlock_irqsave(&data_sl, flags);
				data_write(v);
				write_sequnlock_irqrestore(&data_sl, flags);
			}
		}
		__atomic_add_fetch(&stop, 1, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(&stop, __ATOMIC_ACQUIRE) < NR_WRITERS) {
		u64 x, y, z;
		unsigned seq;

		seed = seed * 1103515245 + 12345;
		if (!use_sc && NR_WRITERS > 1 && (seed >> 16) % 64 == 0) {
			read_seqlock_excl(&data_sl);
			x = READ_ONCE(dx); z = READ_ONCE(dz); y = READ_ONCE(dy);
			read_sequnlock_excl(&data_sl);
			if (!data_consistent(x, y, z))
				__atomic_add_fetch(&torn, 1, __ATOMIC_RELAXED);
			__atomic_add_fetch(&excl_reads, 1, __ATOMIC_RELAXED);
			continue;
		}
		for (int tries = 0;; tries++) {
			seq = use_sc ? read_seqcount_begin(&data_sc) : read_seqbegin(&data_sl);
			x = READ_ONCE(dx);
			for (int k = 0; k < (int)(seed % 8); k++)
				cpu_relax();	/* widen the window */
			z = READ_ONCE(dz);
			y = READ_ONCE(dy);
			if (use_sc ? !read_seqcount_retry(&data_sc, seq)
				   : !read_seqretry(&data_sl, seq))
				break;
			__atomic_add_fetch(&retries, 1, __ATOMIC_RELAXED);
		}
		if (!data_consistent(x, y, z))
			__atomic_add_fetch(&torn, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&accepted, 1, __ATOMIC_RELAXED);
	}
}

static void run_torn(int threads, int use_sc)
{
	stop = torn = 0;
	accepted = retries = excl_reads = 0;
	test_threads(threads, torn_worker, &use_sc);
	CHECK_EQ(torn, 0);
	CHECK(accepted > 0);
	CHECK(data_consistent(dx, dy, dz));
	CHECK_EQ((use_sc ? raw_read_seqcount(&data_sc)
			 : raw_read_seqcount(&data_sl.seqcount)) & 1, 0);
}

TEST(seqlock_no_torn_reads_8_threads)
{
	run_torn(8, 0);
	SMP_ONLY(CHECK(excl_reads > 0));
}

TEST(seqlock_no_torn_reads_32_threads)
{
	run_torn(32, 0);	/* readers outnumber CPUs 16:1 */
}

TEST(seqcount_no_torn_reads_8_threads)
{
	run_torn(8, 1);
}

/* A reader that began before a write in progress must wait for it (spins while odd). */
static seqcount_t wait_sc = SEQCNT_ZERO(wait_sc);
static int wait_stage;

static void odd_waiter(int idx, void *arg)
{
	if (idx == 0) {
		write_seqcount_begin(&wait_sc);
		__atomic_store_n(&wait_stage, 1, __ATOMIC_RELEASE);
		usleep(20000);
		__atomic_store_n(&wait_stage, 2, __ATOMIC_RELEASE);
		write_seqcount_end(&wait_sc);
	} else {
		unsigned seq;

		while (__atomic_load_n(&wait_stage, __ATOMIC_ACQUIRE) == 0)
			usleep(100);
		seq = read_seqcount_begin(&wait_sc);
		CHECK_EQ(seq, 2);
		CHECK_EQ(__atomic_load_n(&wait_stage, __ATOMIC_ACQUIRE), 2);
	}
}

TEST(begin_waits_for_writer)
{
	test_threads(2, odd_waiter, NULL);
}

#include <lksync/mutex.h>

static DEFINE_MUTEX(scm_lock);
static seqcount_mutex_t static_scm = SEQCNT_MUTEX_ZERO(static_scm, &scm_lock);

/* seqcount_mutex_t: writers hold a mutex; the write section disables preemption. */
TEST(seqcount_mutex)
{
	seqcount_mutex_t scm;
	unsigned int seq;

	seqcount_mutex_init(&scm, &scm_lock);
	CHECK_EQ(raw_read_seqcount(&static_scm), 0);
	seq = read_seqcount_begin(&scm);
	mutex_lock(&scm_lock);
	CHECK_EQ(preempt_count(), 0);
	write_seqcount_begin(&scm);
	CHECK_EQ(preempt_count(), 1);
	CHECK(read_seqcount_retry(&scm, seq));
	write_seqcount_end(&scm);
	CHECK_EQ(preempt_count(), 0);
	mutex_unlock(&scm_lock);
	CHECK(read_seqcount_retry(&scm, seq));
	seq = read_seqcount_begin(&scm);
	CHECK(!read_seqcount_retry(&scm, seq));
	CHECK_EQ(seq, 2);
}

int main(void)
{
	test_watchdog(100);
	RUN(initializers);
	RUN(seqcount_mutex);
	RUN(seqcount_retry_semantics);
	RUN(seqlock_retry_semantics);
	RUN(locked_forms_restore_state);
	RUN(seqbegin_or_lock);
	RUN(seqlock_no_torn_reads_8_threads);
	RUN(seqlock_no_torn_reads_32_threads);
	RUN(seqcount_no_torn_reads_8_threads);
	RUN(begin_waits_for_writer);
	return test_done();
}
