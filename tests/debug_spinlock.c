// SPDX-License-Identifier: MIT
/*
 * DEBUG_SPINLOCK in the debug flavor: the debug fields and lockdep maps of
 * spinlock_t, raw_spinlock_t and rwlock_t and their initializers, each
 * check provoked with its report asserted (bad magic, recursion, already
 * unlocked, wrong owner, lockup suspected naming the holder), and lockdep's
 * view of the spinlock operations (held after lock and trylock, not after
 * unlock; AA reported as recursive locking; nesting annotations accepted)
 * when the validator is built in. Skipped in the release flavor.
 */
#include <lksync/sched.h>
#include <lksync/spinlock.h>
#include <lksync/rwlock.h>
#include <lksync/lockdep.h>
#include <lksync/seqlock.h>
#include <lksync/wait.h>
#include <lksync/completion.h>
#include "lksync_test.h"

#ifndef LKSYNC_DEBUG
int main(void)
{
	printf("skipped (release flavor)\n");
	return 0;
}
#else

/* A report may leave a lock held that the test needs free: the sink frees it. */
static raw_spinlock_t *free_spin_on_report;
static rwlock_t *free_write_on_report;

static void sink(const char *text, void *arg)
{
	(void)arg;
	snprintf(test_last_report, sizeof(test_last_report), "%s", text);
	test_reports++;
	if (free_spin_on_report) {
		arch_spin_unlock(&free_spin_on_report->raw_lock);
		free_spin_on_report = NULL;
	}
	if (free_write_on_report) {
		arch_write_unlock(&free_write_on_report->raw_lock);
		free_write_on_report = NULL;
	}
}

static int has(const char *s)
{
	return strstr(test_last_report, s) != NULL;
}

/* The part of the headline every DEBUG_SPINLOCK report has: "... on CPU#n, comm/pid". */
static int names_me(void)
{
	char me[64];

	snprintf(me, sizeof(me), ", %.16s/%d", current->comm, current->pid);
	return has(" on CPU#") && has(me);
}

/* Checking on again, for the next case (the first report turns it off). */
static void rearm(void)
{
	lksync_debug_locks = 1;
}

/* Is the validator built in? The stub says every lock is held. */
static int lockdep_real(void)
{
	static struct lockdep_map map = { .name = "probe" };

	return !lock_is_held(&map);
}

static DEFINE_SPINLOCK(static_lock);
static DEFINE_RAW_SPINLOCK(static_raw);
static DEFINE_RWLOCK(static_rw);
static struct { spinlock_t lock; int x; } member = { .lock = __SPIN_LOCK_UNLOCKED(member.lock) };

static void init_here(spinlock_t *l)
{
	spin_lock_init(l);
}

TEST(initializers)
{
	spinlock_t a, b, c;
	raw_spinlock_t r;
	rwlock_t rw;

	CHECK(sizeof(spinlock_t) > 4);
	CHECK_EQ((char *)&static_lock.dep_map - (char *)&static_lock,
		 (char *)&static_lock.rlock.dep_map - (char *)&static_lock);
	CHECK_EQ(static_lock.rlock.magic, SPINLOCK_MAGIC);
	CHECK(static_lock.rlock.owner == SPINLOCK_OWNER_INIT);
	CHECK_EQ((int)static_lock.rlock.owner_cpu, -1);
	CHECK(strcmp(static_lock.dep_map.name, "static_lock") == 0);
	/*
	 * A static lock is its own class: the key is left for lockdep, which
	 * keys the map by its own address at first use (the kernel's rule).
	 */
	CHECK(static_lock.dep_map.key == NULL);
	spin_lock(&static_lock);
	spin_unlock(&static_lock);
	CHECK((void *)static_lock.dep_map.key == (void *)&static_lock.dep_map);
	raw_spin_lock(&static_raw);
	raw_spin_unlock(&static_raw);
	CHECK((void *)static_raw.dep_map.key == (void *)&static_raw.dep_map);
	CHECK(strcmp(static_raw.dep_map.name, "static_raw") == 0);
	CHECK_EQ(static_rw.magic, RWLOCK_MAGIC);
	write_lock(&static_rw);
	write_unlock(&static_rw);
	CHECK((void *)static_rw.dep_map.key == (void *)&static_rw.dep_map);
	/* A static lock without its own key is its own class by its address. */
	CHECK(member.lock.dep_map.key == NULL);
	CHECK(strcmp(member.lock.dep_map.name, "member.lock") == 0);

	/* Run-time initialization: one class per place in the source. */
	init_here(&a);
	init_here(&b);
	spin_lock_init(&c);
	CHECK_EQ(a.rlock.magic, SPINLOCK_MAGIC);
	CHECK(a.rlock.owner == SPINLOCK_OWNER_INIT);
	CHECK(a.dep_map.key != NULL);
	CHECK(a.dep_map.key == b.dep_map.key);
	CHECK(a.dep_map.key != c.dep_map.key);
	CHECK(strcmp(a.dep_map.name, "l") == 0);
	CHECK(strcmp(c.dep_map.name, "&c") == 0);
	raw_spin_lock_init(&r);
	CHECK_EQ(r.magic, SPINLOCK_MAGIC);
	CHECK(r.dep_map.key != NULL);
	rwlock_init(&rw);
	CHECK_EQ(rw.magic, RWLOCK_MAGIC);
	CHECK(rw.owner == SPINLOCK_OWNER_INIT);
	CHECK(rw.dep_map.key != NULL);
	CHECK(strcmp(rw.dep_map.name, "&rw") == 0);
}

TEST(owner_tracking)
{
	unsigned long flags;
	int before = test_reports;

	spin_lock(&static_lock);
	CHECK(static_lock.rlock.owner == current);
	CHECK((int)static_lock.rlock.owner_cpu >= 0);
	spin_unlock(&static_lock);
	CHECK(static_lock.rlock.owner == SPINLOCK_OWNER_INIT);
	CHECK_EQ((int)static_lock.rlock.owner_cpu, -1);

	CHECK_EQ(spin_trylock(&static_lock), 1);
	CHECK(static_lock.rlock.owner == current);
	CHECK_EQ(spin_trylock(&static_lock), 0);	/* a failed try reports nothing */
	spin_unlock(&static_lock);

	spin_lock_irqsave(&static_lock, flags);
	CHECK(irqs_disabled());
	spin_unlock_irqrestore(&static_lock, flags);
	spin_lock_bh(&static_lock);
	spin_unlock_bh(&static_lock);
	raw_spin_lock_irq(&static_raw);
	raw_spin_unlock_irq(&static_raw);

	write_lock(&static_rw);
	CHECK(static_rw.owner == current);
	write_unlock(&static_rw);
	CHECK(static_rw.owner == SPINLOCK_OWNER_INIT);
	read_lock(&static_rw);
	CHECK(static_rw.owner == SPINLOCK_OWNER_INIT);	/* readers are not tracked */
	read_unlock(&static_rw);
	if (test_reports != before)
		fprintf(stderr, "unexpected report:\n%s", test_last_report);
	CHECK_EQ(test_reports, before);
	CHECK_EQ(preempt_count(), 0);
}

TEST(bad_magic)
{
	static raw_spinlock_t zeroed;	/* never initialized */
	static rwlock_t zeroed_rw;

	rearm();
	lockdep_off();
	raw_spin_lock(&zeroed);
	CHECK(has("BUG: spinlock bad magic on CPU#"));
	CHECK(names_me());
	CHECK(has(" lock: "));
	CHECK(has(", .magic: 00000000, .owner: <none>/-1, .owner_cpu: 0"));
	raw_spin_unlock(&zeroed);	/* debug_locks is off: silent */

	rearm();
	read_lock(&zeroed_rw);
	CHECK(has("BUG: rwlock bad magic on CPU#"));
	CHECK(names_me());
	read_unlock(&zeroed_rw);
	lockdep_on();
	rearm();
	CHECK_EQ(preempt_count(), 0);
}

TEST(recursion)
{
	char owner[64];
	int before;

	snprintf(owner, sizeof(owner), ".owner: %.16s/%d", current->comm, current->pid);
	rearm();
	lockdep_off();
	spin_lock(&static_lock);
	before = test_reports;
	free_spin_on_report = &static_lock.rlock;	/* else this would deadlock */
	spin_lock(&static_lock);
	CHECK_EQ(test_reports, before + 1);
	CHECK(has("BUG: spinlock recursion on CPU#"));
	CHECK(names_me());
	CHECK(has(owner));
	CHECK(has("Call Trace:"));
	spin_unlock(&static_lock);
	spin_unlock(&static_lock);	/* the one the sink undid: silent now */

	rearm();
	write_lock(&static_rw);
	free_write_on_report = &static_rw;
	write_lock(&static_rw);
	CHECK(has("BUG: rwlock recursion on CPU#"));
	CHECK(names_me());
	write_unlock(&static_rw);
	write_unlock(&static_rw);
	lockdep_on();
	rearm();
	CHECK_EQ(preempt_count(), 0);
}

TEST(already_unlocked)
{
	rearm();
	lockdep_off();
	preempt_disable();		/* what the unlock gives back */
	spin_unlock(&static_lock);
	CHECK(has("BUG: spinlock already unlocked on CPU#"));
	CHECK(names_me());
	CHECK(has(".owner: <none>/-1, .owner_cpu: -1"));

	rearm();
	preempt_disable();
	write_unlock(&static_rw);
	CHECK(has("BUG: rwlock already unlocked on CPU#"));

	rearm();
	preempt_disable();
	read_unlock(&static_rw);
	CHECK(has("BUG: rwlock already unlocked on CPU#"));
	lockdep_on();
	rearm();
	CHECK_EQ(preempt_count(), 0);
}

/* Another task takes the lock and keeps it until told. */
static struct {
	spinlock_t *spin;
	rwlock_t *rw;
	int hold_ms;		/* > 0: unlock after this long; 0: leave it */
	int held, go;
	pid_t pid;
	char comm[32];
} holder;

static void *holder_main(void *arg)
{
	(void)arg;
	lockdep_off();			/* the main task releases it for lockdep */
	if (holder.spin)
		spin_lock(holder.spin);
	else
		write_lock(holder.rw);
	holder.pid = current->pid;
	snprintf(holder.comm, sizeof(holder.comm), "%.16s", current->comm);
	__atomic_store_n(&holder.held, 1, __ATOMIC_RELEASE);
	if (holder.hold_ms) {
		usleep(holder.hold_ms * 1000);
		if (holder.spin)
			spin_unlock(holder.spin);
		else
			write_unlock(holder.rw);
	} else {
		while (!__atomic_load_n(&holder.go, __ATOMIC_ACQUIRE))
			usleep(1000);
		preempt_enable();	/* its unlock happened elsewhere */
	}
	lockdep_on();
	return NULL;
}

static pthread_t start_holder(spinlock_t *spin, rwlock_t *rw, int hold_ms)
{
	pthread_t t;

	memset(&holder, 0, sizeof(holder));
	holder.spin = spin;
	holder.rw = rw;
	holder.hold_ms = hold_ms;
	pthread_create(&t, NULL, holder_main, NULL);
	while (!__atomic_load_n(&holder.held, __ATOMIC_ACQUIRE))
		usleep(500);
	return t;
}

TEST(wrong_owner)
{
	char owner[64];
	pthread_t t;

	rearm();
	t = start_holder(&static_lock, NULL, 0);
	lockdep_off();
	preempt_disable();
	spin_unlock(&static_lock);
	CHECK(has("BUG: spinlock wrong owner on CPU#"));
	CHECK(names_me());
	snprintf(owner, sizeof(owner), ".owner: %s/%d", holder.comm, holder.pid);
	CHECK(has(owner));
	__atomic_store_n(&holder.go, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);

	rearm();
	t = start_holder(NULL, &static_rw, 0);
	preempt_disable();
	write_unlock(&static_rw);
	CHECK(has("BUG: rwlock wrong owner on CPU#"));
	__atomic_store_n(&holder.go, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	lockdep_on();
	rearm();
	CHECK_EQ(preempt_count(), 0);
}

TEST(lockup)
{
	static DEFINE_SPINLOCK(lk);
	char owner[64];
	long long t0, waited;
	pthread_t t;
	int before;

	rearm();
	__atomic_store_n(&lksync_spin_lockup_ms, 200, __ATOMIC_RELAXED);
	t = start_holder(&lk, NULL, 900);
	before = test_reports;
	t0 = test_now_ms();
	spin_lock(&lk);			/* waits ~900 ms: reported once, at ~200 */
	waited = test_now_ms() - t0;
	spin_unlock(&lk);
	pthread_join(t, NULL);
	CHECK_EQ(test_reports, before + 1);
	CHECK(has("BUG: spinlock lockup suspected on CPU#"));
	CHECK(names_me());
	snprintf(owner, sizeof(owner), ".owner: %s/%d", holder.comm, holder.pid);
	CHECK(has(owner));
	CHECK(waited >= 500);
	CHECK(lksync_debug_locks == 1);	/* a lockup does not end checking */

	/* Off: no report. */
	__atomic_store_n(&lksync_spin_lockup_ms, 0, __ATOMIC_RELAXED);
	t = start_holder(&lk, NULL, 300);
	before = test_reports;
	spin_lock(&lk);
	spin_unlock(&lk);
	pthread_join(t, NULL);
	CHECK_EQ(test_reports, before);
	__atomic_store_n(&lksync_spin_lockup_ms, -1, __ATOMIC_RELAXED);
}

/* Lockdep's view of the spinlock operations, when the validator is built in. */
TEST(lockdep_hooks)
{
	spinlock_t a, b;
	rwlock_t rw;
	int before, before_nest;

	if (!lockdep_real()) {
		printf("  (lockdep not built in: hooks not checked)\n");
		return;
	}
	rearm();
	before_nest = test_reports;
	init_here(&a);
	init_here(&b);			/* same class as a */
	rwlock_init(&rw);
	spin_lock(&a);
	CHECK(lockdep_is_held(&a));
	CHECK(!lockdep_is_held(&b));
	spin_lock_nested(&b, SINGLE_DEPTH_NESTING);	/* annotated: legal */
	CHECK(lockdep_is_held(&b));
	spin_unlock(&b);
	spin_unlock(&a);
	CHECK(!lockdep_is_held(&a));
	{
		/* Many locks of one class under an outer lock: legal in any order. */
		unsigned long flags, flags2;

		spin_lock(&static_lock);
		spin_lock_nest_lock(&b, &static_lock);
		spin_lock_nest_lock(&a, &static_lock);
		CHECK(lockdep_is_held(&a) && lockdep_is_held(&b));
		spin_unlock(&a);
		spin_unlock(&b);
		spin_unlock(&static_lock);
		spin_lock_irqsave(&a, flags);
		spin_lock_irqsave_nested(&b, flags2, SINGLE_DEPTH_NESTING);
		spin_unlock_irqrestore(&b, flags2);
		spin_unlock_irqrestore(&a, flags);
		CHECK(!irqs_disabled());
		CHECK_EQ(test_reports, before_nest);
	}
	CHECK_EQ(spin_trylock(&a), 1);
	CHECK(lockdep_is_held(&a));
	spin_unlock(&a);
	write_lock(&rw);
	CHECK(lockdep_is_held_type(&rw, 0));
	write_unlock(&rw);
	read_lock(&rw);
	CHECK(lockdep_is_held(&rw));
	read_unlock(&rw);

	/* AA: reported by lockdep before it deadlocks. */
	before = test_reports;
	spin_lock(&a);
	free_spin_on_report = &a.rlock;
	spin_lock(&a);
	CHECK_EQ(test_reports, before + 1);
	CHECK(has("possible recursive locking detected"));
	free_spin_on_report = NULL;
	spin_unlock(&a);
	spin_unlock(&a);
	rearm();
	CHECK_EQ(preempt_count(), 0);
}

static void init_queue_here(wait_queue_head_t *q)
{
	init_waitqueue_head(q);
}

/* Seqcounts, seqlocks, wait queues and completions: classes and lockdep's view. */
TEST(seqcount_and_queues)
{
	static DEFINE_SEQLOCK(static_sl);
	wait_queue_head_t q1, q2, q3;
	struct completion c;
	seqcount_t s;
	seqlock_t sl;
	unsigned seq;
	int before = test_reports;

	seqcount_init(&s);
	CHECK(s.dep_map.key != NULL);
	CHECK(strcmp(s.dep_map.name, "&s") == 0);
	/* DEFINE_SEQLOCK(): its seqcount and lock are classes of their own, by address. */
	write_seqlock(&static_sl);
	write_sequnlock(&static_sl);
	CHECK((void *)static_sl.seqcount.seqcount.dep_map.key ==
	      (void *)&static_sl.seqcount.seqcount.dep_map);
	CHECK((void *)static_sl.lock.dep_map.key == (void *)&static_sl.lock.dep_map);
	seqlock_init(&sl);
	CHECK(sl.seqcount.seqcount.dep_map.key != NULL);
	CHECK(sl.lock.dep_map.key != NULL);
	write_seqlock(&sl);
	if (lockdep_real())
		CHECK(lock_is_held(&sl.seqcount.seqcount.dep_map));
	write_sequnlock(&sl);
	if (lockdep_real())
		CHECK(!lock_is_held(&sl.seqcount.seqcount.dep_map));
	do {
		seq = read_seqbegin(&sl);
	} while (read_seqretry(&sl, seq));
	write_seqcount_begin(&s);
	write_seqcount_end(&s);
	seq = read_seqcount_begin(&s);
	CHECK(!read_seqcount_retry(&s, seq));
	write_seqlock_irq(&static_sl);
	write_sequnlock_irq(&static_sl);

	init_queue_here(&q1);
	init_queue_here(&q2);
	init_waitqueue_head(&q3);
	CHECK(q1.lock.dep_map.key != NULL);
	CHECK(q1.lock.dep_map.key == q2.lock.dep_map.key);
	CHECK(q1.lock.dep_map.key != q3.lock.dep_map.key);
	CHECK(strcmp(q3.lock.dep_map.name, "&q3") == 0);
	{
		DECLARE_WAIT_QUEUE_HEAD_ONSTACK(q4);

		CHECK(q4.lock.dep_map.key != NULL);
		spin_lock(&q4.lock);
		spin_unlock(&q4.lock);
	}
	init_completion(&c);
	CHECK(c.wait.lock.dep_map.key != NULL);
	CHECK(strcmp(c.wait.lock.dep_map.name, "&x->wait") == 0);
	complete(&c);
	wait_for_completion(&c);
	CHECK_EQ(test_reports, before);
}

int main(void)
{
	test_watchdog(30);
	lksync_set_report_sink(sink, NULL);
	RUN(initializers);
	RUN(owner_tracking);
	RUN(bad_magic);
	RUN(recursion);
	RUN(already_unlocked);
	RUN(wrong_owner);
	RUN(lockup);
	RUN(lockdep_hooks);
	RUN(seqcount_and_queues);
	return test_done();
}
#endif /* LKSYNC_DEBUG */
