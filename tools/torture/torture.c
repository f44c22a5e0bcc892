// SPDX-License-Identifier: MIT
/*
 * lksync-torture: the kernel's locktorture idea in userspace. For each lock
 * type, writer and reader threads hammer one lock for a set time with random
 * critical-section lengths (some long enough that the OS deschedules the
 * holder), and every acquisition is checked:
 *
 *   - writers: no other writer and no reader inside; the payload is not torn;
 *   - readers: no writer inside; the payload is not torn;
 *   - sequence readers: never accept (read_seqretry() == 0) a torn payload;
 *   - the task context the lock type promises while held (preemption,
 *     interrupts, bottom halves disabled) and a clean context after release;
 *   - counting semaphores: never more holders inside than the count;
 *   - wake-up primitives (completion, wait queue): pairs of threads take
 *     turns; a wake-up without a turn is a violation, a lost one a stall;
 *   - after the run, the lock is whole again (every unit of a count back).
 *
 * With --signals a signaller thread send_sig()s random threads that are
 * acquiring; half of the acquisitions are interruptible. An interrupted one
 * must return the kernel's error with the signal still pending and without
 * the lock (a lock kept would stall everyone, or fail the final check); the
 * victim flushes the signal.
 *
 * With --irqs every thread requests its own interrupt line and an injector
 * thread raises random lines. The handler runs on the thread it interrupts,
 * in hardirq context, and takes the lock as the kernel pairs the variants:
 * spin_lock() as a writer against spin_lock_irq[save]() holders, read_lock()
 * against rwlock holders, a seqlock read against write_seqlock_irqsave();
 * against _bh holders it schedules a tasklet that takes the lock. Handlers
 * and tasklets check their context and the same exclusion as the threads;
 * every raise must reach its handler and every schedule its tasklet.
 *
 * The checker's own counters are relaxed atomics: they are race-free, yet
 * create no happens-before edges, so under ThreadSanitizer the plain payload
 * accesses are ordered only by the lock under test. A monitor (the main
 * thread) prints statistics and fails the run when nothing progresses.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <lksync/compiler.h>
#include <lksync/delay.h>
#include <lksync/interrupt.h>
#include <lksync/irqflags.h>
#include <lksync/lockdep.h>
#include <lksync/preempt.h>
#include <lksync/processor.h>
#include <lksync/sched.h>

#include <lksync/bug.h>
#include "torture.h"

static const struct torture_ops *const torture_all[] = {
#define TORTURE_TYPE(name) &name##_ops,
#include "lock_types.h"
#undef TORTURE_TYPE
};
#define NR_TYPES	(sizeof(torture_all) / sizeof(torture_all[0]))

#define PAYLOAD_WORDS	8
#define MAX_REPORTS	10	/* violation messages printed per type */
#define IRQ_BASE	64	/* --irqs: thread i owns line IRQ_BASE + i ... */
#define IRQ_LINES	128	/* ... for the first IRQ_LINES threads */
#define IRQ_DRAIN_S	2.0	/* a raised line must reach its handler within this */

static struct {
	double duration;	/* seconds per type */
	int writers, readers;
	double stat_interval;	/* seconds between progress lines; 0 = none */
	double long_hold;	/* probability of a long hold per acquisition */
	unsigned int long_hold_us;
	double stall;		/* seconds without progress that count as a stall */
	unsigned long long seed;
	bool quiet;
	bool signals;		/* send_sig() at threads in interruptible sleeps */
	unsigned int signal_us;	/* mean interval between signals */
	bool irqs;		/* inject interrupts */
	unsigned int irq_us;	/* mean interval between interrupts */
} opt = {
	.signal_us = 200, .irq_us = 100,
	.duration = 5, .writers = -1, .readers = -1, .stat_interval = 1,
	.long_hold = 1e-4, .long_hold_us = 1000, .stall = -1,
};

enum tstate { TS_START, TS_ACQUIRE, TS_HOLD, TS_RELEASE, TS_OUTSIDE, TS_DRAIN, TS_DONE };
static const char *const tstate_name[] = {
	"starting", "acquiring", "holding", "releasing", "outside",
	"draining its interrupts", "done",
};

/* Where a thread's interrupt handler, or its tasklet, is. */
enum istate { IS_NONE, IS_ACQUIRE, IS_HOLD };
static const char *const istate_name[] = { "", "acquiring", "holding" };

/*
 * One per thread, a cache line or more each. Counters are written only by
 * their thread and read by the monitor, both with relaxed atomics.
 */
struct torture_thread {
	pthread_t pthread;
	int id;
	bool reader;
	uint64_t rnd;
	unsigned long flags;		/* irqsave state while holding */
	unsigned long ops, fails, retries, long_holds;
	unsigned long intr, late;	/* interrupted acquisitions; signals flushed after one */
	unsigned long pp_last;		/* ping-pong: the pair's sequence I last wrote */
	struct task_struct *task;	/* a reference, for the signaller */
	int state;
	/* The monitor's own: progress last seen, and when. */
	unsigned long seen;
	double seen_at;
	/*
	 * --irqs. The line's handler runs on this thread, the tasklet here or
	 * in ksoftirqd; both write these with relaxed atomics (RMWs where
	 * both may write), the injector irq_raised.
	 */
	int line;			/* IRQ_BASE + id, or -1: none */
	int hirq_state, tl_state;	/* enum istate: the handler, the tasklet */
	bool tl_self;			/* the tasklet runs on this thread */
	unsigned long irq_raised;	/* raises of the line (the injector's) */
	unsigned long irq_seen;		/* irq_raised as the last handler run read it */
	unsigned long irqs, irq_ops, irq_retries, irq_fails;
	unsigned long tl_sched, tl_seen, tasklets, tl_away;
	uint64_t irq_rnd;		/* the interrupt side's own generator */
	struct tasklet_struct tasklet;
} __attribute__((aligned(64)));

/* A violation seen by a handler or tasklet, printed later (no stdio there). */
struct irq_report {
	const char *fmt;		/* up to two %ld */
	const struct torture_thread *t;
	bool tasklet;
	long a, b;
};

/* The checker's view of who is inside; see the top of the file for why relaxed. */
static struct {
	int writers_in __attribute__((aligned(64)));
	int readers_in __attribute__((aligned(64)));
	int stop __attribute__((aligned(64)));
	unsigned int reports;
	int peak;			/* most holders inside at once (counting) */
	unsigned long sigs_sent;	/* by the signaller */
	bool irqs;			/* this type runs with interrupts */
	int inj_done;			/* the injector raises no more */
	unsigned long irqs_raised, raise_errs;
	unsigned int irq_reports;
	struct irq_report irq_rep[MAX_REPORTS];
} chk;

/* Ping-pong: each pair's turn number, plain: ordered by the primitive alone. */
static unsigned long pp_seq[TORTURE_MAX_CHANNELS / 2];

/* Protected by the lock under test; plain accesses unless readers are sequence readers. */
static struct {
	unsigned long w[PAYLOAD_WORDS];
} payload __attribute__((aligned(64)));

static const struct torture_ops *cur;
static pthread_barrier_t start_barrier;

/*
 * Relaxed everywhere: the checker needs atomicity, not ordering, and must not
 * lend the lock under test happens-before edges (see the top of the file).
 */
#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define BUMP(x)		STORE(x, LOAD(x) + 1)	/* single writer: no RMW needed */
#define IBUMP(x)	__atomic_fetch_add(&(x), 1, __ATOMIC_RELAXED)	/* handler and tasklet */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* xorshift64*: cheap, per thread, reproducible from --seed. */
static uint64_t xorshift(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static uint64_t trand(struct torture_thread *t) { return xorshift(&t->rnd); }
/* The interrupt side has its own: a handler may interrupt trand(). */
static uint64_t trand_irq(struct torture_thread *t) { return xorshift(&t->irq_rnd); }

static bool chance(struct torture_thread *t, double p)
{
	return p > 0 && (trand(t) >> 11) * 0x1p-53 < p;
}

static void spin_relax(unsigned int n)
{
	while (n--)
		cpu_relax();
}

static void udelay_busy(unsigned int us)
{
	double end = now_s() + us * 1e-6;

	while (now_s() < end)
		cpu_relax();
}

static const char *role(const struct torture_thread *t)
{
	return t->reader ? "reader" : "writer";
}

static void violation(struct torture_thread *t, const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	BUMP(t->fails);
	if (__atomic_fetch_add(&chk.reports, 1, __ATOMIC_RELAXED) >= MAX_REPORTS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("%s: VIOLATION: %s %d: %s\n", cur->name, role(t), t->id, msg);
}

static void check_held_ctx(struct torture_thread *t, unsigned int want)
{
	if ((want & TORTURE_CTX_PREEMPT) && !in_atomic())
		violation(t, "preemption enabled while holding the lock (preempt_count %#x)",
			  preempt_count());
	if ((want & TORTURE_CTX_IRQ) && !irqs_disabled())
		violation(t, "interrupts enabled while holding the lock");
	if ((want & TORTURE_CTX_BH) && !in_softirq())
		violation(t, "bottom halves enabled while holding the lock (preempt_count %#x)",
			  preempt_count());
}

static void check_released_ctx(struct torture_thread *t)
{
	if (preempt_count() != 0 || irqs_disabled())
		violation(t, "context not restored after unlock (preempt_count %#x, irqs %s)",
			  preempt_count(), irqs_disabled() ? "off" : "on");
}

/*
 * Time inside the critical section: mostly a few hundred cycles, sometimes
 * a few thousand, rarely a yield, and with probability --long-hold a hold of
 * up to --long-hold-us, sleeping or spinning, so that holders get descheduled
 * and waiters pile up behind them.
 */
static void hold_delay(struct torture_thread *t)
{
	uint64_t r = trand(t);

	if (chance(t, opt.long_hold)) {
		unsigned int us = 1 + trand(t) % opt.long_hold_us;

		BUMP(t->long_holds);
		if ((cur->flags & TORTURE_SLEEPS) && (r & 2) && us >= 1000)
			msleep(us / 1000);
		else if (cur->flags & TORTURE_SLEEPS)
			usleep_range(us, us + us / 4);
		else if (r & 1)
			/*
			 * A spinning lock's holder must not sleep (the debug
			 * flavor reports it); here the OS takes its CPU away,
			 * as a hypervisor takes a vCPU's: libc's sleep, which
			 * lksync does not see as a kernel sleep.
			 */
			usleep(us);
		else
			udelay_busy(us);
	} else if (chance(t, opt.long_hold * 10)) {
		/* sleeping holders sleep briefly; others are merely descheduled */
		if ((cur->flags & TORTURE_SLEEPS) && (r & 1))
			usleep_range(1, 20);
		else
			sched_yield();
	} else if ((r & 31) == 0) {
		spin_relax((r >> 8) & 1023);
	} else {
		spin_relax((r >> 8) & 63);
	}
}

static unsigned long pl_read(int i, bool marked)
{
	return marked ? READ_ONCE(payload.w[i]) : payload.w[i];
}

static void pl_write(int i, unsigned long v, bool marked)
{
	if (marked)
		WRITE_ONCE(payload.w[i], v);
	else
		payload.w[i] = v;
}

/* Returns the index of the first word that differs from word 0, or 0. */
static int pl_check(unsigned long v0, bool marked)
{
	for (int i = 1; i < PAYLOAD_WORDS; i++)
		if (pl_read(i, marked) != v0)
			return i;
	return 0;
}

/*
 * An interruptible acquisition returned @ret instead of the lock: it must be
 * the kernel's error for a signal, and the signal must still be pending
 * (only the victim's flush_signals() may discard it).
 */
static void interrupted(struct torture_thread *t, int ret)
{
	if (ret != cur->intr_err)
		violation(t, "interruptible acquisition returned %d, expected 0 or %d",
			  ret, cur->intr_err);
	if (!signal_pending(current))
		violation(t, "acquisition interrupted (%d) with no signal pending", ret);
	flush_signals(current);
	BUMP(t->intr);
}

/* A signal that came too late to interrupt anything: the victim flushes it. */
static void flush_late(struct torture_thread *t)
{
	if (opt.signals && signal_pending(current)) {
		flush_signals(current);
		BUMP(t->late);
	}
}

/* Returns false when an interruptible acquisition was interrupted. */
static bool acquire(struct torture_thread *t, bool reader, unsigned long *cookie)
{
	int (*intr)(unsigned long *) = reader ? cur->readlock_intr : cur->writelock_intr;
	int ret;

	STORE(t->state, TS_ACQUIRE);
	if (opt.signals && intr && chance(t, 0.5)) {
		ret = intr(&t->flags);
		if (ret) {
			interrupted(t, ret);
			return false;
		}
		*cookie = 0;
	} else if (reader) {
		*cookie = cur->readlock(&t->flags);
	} else {
		cur->writelock(&t->flags);
	}
	STORE(t->state, TS_HOLD);
	return true;
}

/* Counting semaphore: up to max_inside writers at once, never more. */
static void counting_body(struct torture_thread *t)
{
	int in = __atomic_add_fetch(&chk.writers_in, 1, __ATOMIC_RELAXED);
	int peak = LOAD(chk.peak);

	while (in > peak && !__atomic_compare_exchange_n(&chk.peak, &peak, in, false,
							 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	if (in > (int)cur->max_inside)
		violation(t, "entered with %d holders inside; the count is %u", in,
			  cur->max_inside);
	hold_delay(t);
	__atomic_sub_fetch(&chk.writers_in, 1, __ATOMIC_RELAXED);
}

static void writer_once(struct torture_thread *t)
{
	bool marked = cur->flags & TORTURE_SEQREAD;
	unsigned long v, cookie;
	int w, r, torn;

	if (!acquire(t, false, &cookie))
		return;
	if (cur->flags & TORTURE_COUNTING) {
		counting_body(t);
		goto release;
	}
	w = __atomic_fetch_add(&chk.writers_in, 1, __ATOMIC_RELAXED);
	r = LOAD(chk.readers_in);
	if (w || r)
		violation(t, "entered with %d other writer(s) and %d reader(s) inside", w, r);
	check_held_ctx(t, cur->write_ctx);

	v = pl_read(0, marked);
	torn = pl_check(v, marked);
	if (torn)
		violation(t, "found a torn payload (word %d differs from word 0)", torn);
	for (int i = 0; i < PAYLOAD_WORDS; i++) {
		pl_write(i, v + 1, marked);
		if (i == PAYLOAD_WORDS / 2 - 1)
			hold_delay(t);
	}

	w = __atomic_fetch_sub(&chk.writers_in, 1, __ATOMIC_RELAXED);
	if (w != 1)
		violation(t, "left with %d other writer(s) inside", w - 1);
release:
	STORE(t->state, TS_RELEASE);
	cur->writeunlock(&t->flags);
	check_released_ctx(t);
	flush_late(t);
	BUMP(t->ops);
}

static void reader_once(struct torture_thread *t)
{
	bool seq = cur->flags & TORTURE_SEQREAD;
	unsigned long cookie, v;
	int w, torn, retry;

	if (!acquire(t, true, &cookie))
		return;
	if (!seq) {
		__atomic_fetch_add(&chk.readers_in, 1, __ATOMIC_RELAXED);
		w = LOAD(chk.writers_in);
		if (w)
			violation(t, "entered with %d writer(s) inside", w);
	}
	check_held_ctx(t, cur->read_ctx);

	v = pl_read(0, seq);
	hold_delay(t);
	torn = pl_check(v, seq);

	if (!seq)
		__atomic_fetch_sub(&chk.readers_in, 1, __ATOMIC_RELAXED);
	STORE(t->state, TS_RELEASE);
	retry = cur->readunlock(cookie, &t->flags);
	check_released_ctx(t);
	flush_late(t);
	if (seq && retry) {
		BUMP(t->retries);
		return;
	}
	if (torn)
		violation(t, "%s a torn payload (word %d differs from word 0)",
			  seq ? "accepted" : "saw", torn);
	BUMP(t->ops);
}

/*
 * Ping-pong: threads 2k and 2k+1 take turns. The one whose turn it is
 * checks the pair's sequence is one past what it last wrote (so it was
 * really handed the turn), advances it and signals its peer. Returns false
 * when it woke to find the run stopping.
 */
static bool pingpong_once(struct torture_thread *t)
{
	const int me = t->id, pair = me / 2;
	unsigned long seq;
	int ret;

	STORE(t->state, TS_ACQUIRE);
	if (trand(t) % 8 == 0)		/* let the signal come first now and then */
		spin_relax(trand(t) & 1023);
	while ((ret = cur->pp_wait(me, opt.signals && chance(t, 0.5))))
		interrupted(t, ret);	/* the turn is still to come: wait again */
	STORE(t->state, TS_HOLD);
	if (LOAD(chk.stop))
		return false;
	seq = pp_seq[pair];
	if (seq != t->pp_last + 1)
		violation(t, "woke without its turn: sequence %lu, expected %lu",
			  seq, t->pp_last + 1);
	if (trand(t) % 64 == 0)
		hold_delay(t);
	pp_seq[pair] = t->pp_last = seq + 1;
	STORE(t->state, TS_RELEASE);
	cur->pp_signal(me ^ 1);
	flush_late(t);
	BUMP(t->ops);
	return true;
}

/* ---- interrupt injection (--irqs) ---------------------------------------- */

static unsigned int held_ctx(const struct torture_thread *t)
{
	return t->reader ? cur->read_ctx : cur->write_ctx;
}

/*
 * A violation in a hardirq handler or tasklet: async-signal-safe, so only
 * counted and recorded here; printed by the main thread. @fmt takes up to
 * two longs.
 */
static void irq_violation(struct torture_thread *t, bool tasklet, const char *fmt,
			  long a, long b)
{
	unsigned int i = __atomic_fetch_add(&chk.irq_reports, 1, __ATOMIC_RELAXED);
	struct irq_report *r;

	IBUMP(t->irq_fails);
	if (i >= MAX_REPORTS)
		return;
	r = &chk.irq_rep[i];
	STORE(r->t, t);
	STORE(r->tasklet, tasklet);
	STORE(r->a, a);
	STORE(r->b, b);
	/* release: a stall report may print it while we run; fmt comes last */
	__atomic_store_n(&r->fmt, fmt, __ATOMIC_RELEASE);
}

static void print_irq_reports(void)
{
	unsigned int n = LOAD(chk.irq_reports);

	for (unsigned int i = 0; i < n && i < MAX_REPORTS; i++) {
		const struct irq_report *r = &chk.irq_rep[i];
		const char *fmt = __atomic_load_n(&r->fmt, __ATOMIC_ACQUIRE);

		if (!fmt)
			continue;
		printf("%s: VIOLATION: %s of %s %d: ", cur->name,
		       r->tasklet ? "tasklet" : "interrupt handler", role(r->t), r->t->id);
		printf(fmt, r->a, r->b);
		printf("\n");
	}
	if (n > MAX_REPORTS)
		printf("%s: (%u more interrupt-side violations not shown)\n", cur->name,
		       n - MAX_REPORTS);
}

/*
 * The interrupt side's critical section, as a writer or a reader of the
 * process side's lock, briefly (no long holds: interrupts must be short).
 */
static void irq_side(struct torture_thread *t, bool tasklet, int *state)
{
	bool seq = cur->flags & TORTURE_SEQREAD;
	unsigned long v, cookie;
	long w, r, torn;
	int retry;

	STORE(*state, IS_ACQUIRE);
	if (cur->irq_writelock) {
		cur->irq_writelock();
		STORE(*state, IS_HOLD);
		w = __atomic_fetch_add(&chk.writers_in, 1, __ATOMIC_RELAXED);
		r = LOAD(chk.readers_in);
		if (w || r)
			irq_violation(t, tasklet, "entered with %ld other writer(s) and %ld reader(s) inside", w, r);
		v = pl_read(0, seq);
		torn = pl_check(v, seq);
		if (torn)
			irq_violation(t, tasklet, "found a torn payload (word %ld differs from word 0)", torn, 0);
		for (int i = 0; i < PAYLOAD_WORDS; i++) {
			pl_write(i, v + 1, seq);
			if (i == PAYLOAD_WORDS / 2 - 1)
				spin_relax(trand_irq(t) & 63);
		}
		w = __atomic_fetch_sub(&chk.writers_in, 1, __ATOMIC_RELAXED);
		if (w != 1)
			irq_violation(t, tasklet, "left with %ld other writer(s) inside", w - 1, 0);
		cur->irq_writeunlock();
	} else if (seq) {
		do {
			cookie = cur->irq_readlock();
			STORE(*state, IS_HOLD);
			v = pl_read(0, true);
			spin_relax(trand_irq(t) & 63);
			torn = pl_check(v, true);
			retry = cur->irq_readunlock(cookie);
			if (retry)
				IBUMP(t->irq_retries);
		} while (retry);
		if (torn)
			irq_violation(t, tasklet, "accepted a torn payload (word %ld differs from word 0)", torn, 0);
	} else {
		cookie = cur->irq_readlock();
		STORE(*state, IS_HOLD);
		__atomic_fetch_add(&chk.readers_in, 1, __ATOMIC_RELAXED);
		w = LOAD(chk.writers_in);
		if (w)
			irq_violation(t, tasklet, "entered with %ld writer(s) inside", w, 0);
		v = pl_read(0, false);
		spin_relax(trand_irq(t) & 63);
		torn = pl_check(v, false);
		__atomic_fetch_sub(&chk.readers_in, 1, __ATOMIC_RELAXED);
		cur->irq_readunlock(cookie);
		if (torn)
			irq_violation(t, tasklet, "saw a torn payload (word %ld differs from word 0)", torn, 0);
	}
	STORE(*state, IS_NONE);
	IBUMP(t->irq_ops);
}

/* The thread's line handler: hardirq context, on the thread itself. */
static irqreturn_t torture_irq(int irq, void *dev)
{
	struct torture_thread *t = dev;

	/* acquire: pairs with the injector's release before it raised */
	STORE(t->irq_seen, __atomic_load_n(&t->irq_raised, __ATOMIC_ACQUIRE));
	IBUMP(t->irqs);
	if (!in_hardirq() || !irqs_disabled())
		irq_violation(t, false, "runs outside hardirq context (preempt_count %#lx, irqs_disabled %ld)",
			      preempt_count(), !!irqs_disabled());
	if (irq != t->line)
		irq_violation(t, false, "called for line %ld, requested line %ld", irq, t->line);
	if (current != LOAD(t->task))
		irq_violation(t, false, "runs on another task than the one that requested line %ld",
			      t->line, 0);
	else if (LOAD(t->state) == TS_HOLD && (held_ctx(t) & TORTURE_CTX_IRQ))
		irq_violation(t, false, "interrupted a critical section held with interrupts disabled",
			      0, 0);
	if (cur->flags & TORTURE_IRQ_BH) {
		IBUMP(t->tl_sched);	/* before the schedule: the tasklet reads it */
		tasklet_schedule(&t->tasklet);
	} else if (cur->irq_writelock || cur->irq_readlock) {
		irq_side(t, false, &t->hirq_state);
	}
	return IRQ_HANDLED;
}

/* The bottom half of a TORTURE_IRQ_BH type: softirq context, anywhere. */
static void torture_tasklet(struct tasklet_struct *tl)
{
	struct torture_thread *t = container_of(tl, struct torture_thread, tasklet);
	bool self = current == LOAD(t->task);

	/*
	 * acquire: the handler's count before tasklet_schedule(); the run
	 * clears the scheduled bit before calling us, so a later schedule
	 * runs us again and this reads at least what it counted.
	 */
	STORE(t->tl_seen, __atomic_load_n(&t->tl_sched, __ATOMIC_ACQUIRE));
	STORE(t->tl_self, self);
	IBUMP(t->tasklets);
	if (!self)
		IBUMP(t->tl_away);
	if (!in_serving_softirq() || in_hardirq() || irqs_disabled())
		irq_violation(t, true, "runs outside softirq context (preempt_count %#lx, irqs_disabled %ld)",
			      preempt_count(), !!irqs_disabled());
	if (self && LOAD(t->state) == TS_HOLD && (held_ctx(t) & TORTURE_CTX_BH))
		irq_violation(t, true, "ran inside a critical section held with bottom halves disabled",
			      0, 0);
	irq_side(t, true, &t->tl_state);
}

/* Before the barrier: the thread's line (and tasklet), delivered to it. */
static void irq_setup(struct torture_thread *t)
{
	int ret;

	if (cur->flags & TORTURE_IRQ_BH)
		tasklet_setup(&t->tasklet, torture_tasklet);
	ret = request_irq(t->line, torture_irq, 0, "lksync-torture", t);
	if (ret) {
		violation(t, "request_irq(%d) returned %d", t->line, ret);
		t->line = -1;
	}
}

/*
 * After the run: once the injector is done, the last raise of the line must
 * reach the handler (raises coalesce, none may be lost), and the last
 * schedule of the tasklet must run it. Then free the line and the tasklet.
 */
static void irq_drain(struct torture_thread *t)
{
	unsigned long raised;
	double end;

	STORE(t->state, TS_DRAIN);
	while (!__atomic_load_n(&chk.inj_done, __ATOMIC_ACQUIRE))
		usleep(1000);
	raised = LOAD(t->irq_raised);
	end = now_s() + IRQ_DRAIN_S;
	while (LOAD(t->irq_seen) != raised && now_s() < end)
		usleep(1000);
	if (LOAD(t->irq_seen) != raised)
		violation(t, "interrupt lost: line %d raised %lu times, its handler last ran for raise %lu (%.0f s later)",
			  t->line, raised, LOAD(t->irq_seen), IRQ_DRAIN_S);
	free_irq(t->line, t);
	if (cur->flags & TORTURE_IRQ_BH) {
		tasklet_kill(&t->tasklet);
		if (LOAD(t->tl_seen) != LOAD(t->tl_sched))
			violation(t, "tasklet lost: scheduled %lu times, last ran for schedule %lu",
				  LOAD(t->tl_sched), LOAD(t->tl_seen));
	}
}

struct injector {
	pthread_t pthread;
	struct torture_thread *th;
	int n;
	uint64_t rnd;
};

/* Raises a random thread's line every irq_us on average. */
static void *injector_fn(void *arg)
{
	struct injector *inj = arg;
	struct torture_thread self = { .rnd = inj->rnd };
	struct timespec next, now;

	prctl(PR_SET_TIMERSLACK, 1UL);	/* intervals of tens of microseconds */
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!LOAD(chk.stop)) {
		struct torture_thread *t = &inj->th[trand(&self) % inj->n];
		uint64_t ns = 1000 + trand(&self) % (2000ULL * opt.irq_us);

		clock_gettime(CLOCK_MONOTONIC, &now);
		/* a busy machine made us late: do not burst to catch up */
		if ((now.tv_sec - next.tv_sec) * 1000000000LL + now.tv_nsec - next.tv_nsec > 10000000)
			next = now;
		next.tv_nsec += ns;
		next.tv_sec += next.tv_nsec / 1000000000;
		next.tv_nsec %= 1000000000;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		if (t->line < 0)
			continue;
		/* release: the handler reads the count with acquire */
		__atomic_store_n(&t->irq_raised, LOAD(t->irq_raised) + 1, __ATOMIC_RELEASE);
		if (lksync_irq_raise(t->line))
			BUMP(chk.raise_errs);
		else
			BUMP(chk.irqs_raised);
	}
	/* release: the threads read the final counts after seeing this */
	__atomic_store_n(&chk.inj_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *torture_thread_fn(void *arg)
{
	struct torture_thread *t = arg;
	bool pp = cur->flags & TORTURE_PINGPONG;

	/* release: the signaller reads the task pointer with acquire */
	__atomic_store_n(&t->task, get_task_struct(current), __ATOMIC_RELEASE);
	if (t->line >= 0)
		irq_setup(t);
	pthread_barrier_wait(&start_barrier);
	if (pp && !(t->id & 1)) {	/* the even thread of a pair serves first */
		pp_seq[t->id / 2] = t->pp_last = 1;
		cur->pp_signal(t->id ^ 1);
	}
	/*
	 * A ping-pong thread leaves only while it holds the pair's turn, and
	 * hands it over one last time: its peer wakes, finds the stop flag
	 * (ordered by that wake-up) and leaves too. So no signal ever races
	 * with a waiter's reinit_completion().
	 */
	while (pp || !LOAD(chk.stop)) {
		if (pp) {
			if (!pingpong_once(t))
				break;
		} else if (t->reader) {
			reader_once(t);
		} else {
			writer_once(t);
		}
		STORE(t->state, TS_OUTSIDE);
		spin_relax(trand(t) & 31);
	}
	if (pp)
		cur->pp_signal(t->id ^ 1);
	if (t->line >= 0)
		irq_drain(t);
	flush_signals(current);
	STORE(t->state, TS_DONE);
	return NULL;
}

struct signaller {
	pthread_t pthread;
	struct torture_thread *th;
	int n;
	uint64_t rnd;
};

/* Sends SIGUSR1 to a random thread that is acquiring, every signal_us or so. */
static void *signaller_fn(void *arg)
{
	struct signaller *s = arg;
	struct torture_thread self = { .rnd = s->rnd };

	while (!LOAD(chk.stop)) {
		struct torture_thread *t = &s->th[trand(&self) % s->n];
		struct task_struct *task;

		usleep(1 + trand(&self) % (2 * opt.signal_us));
		if (LOAD(t->state) != TS_ACQUIRE)
			continue;
		task = __atomic_load_n(&t->task, __ATOMIC_ACQUIRE);
		if (task && !send_sig(SIGUSR1, task, 0))
			BUMP(chk.sigs_sent);
	}
	return NULL;
}

struct group_stats {
	int n;
	unsigned long total, max, min, fails, retries, long_holds, intr, late;
};

static struct group_stats gather(const struct torture_thread *th, int n, bool reader)
{
	struct group_stats s = { .min = ~0UL };

	for (int i = 0; i < n; i++) {
		unsigned long ops = LOAD(th[i].ops);

		if (th[i].reader != reader)
			continue;
		s.n++;
		s.total += ops;
		s.max = ops > s.max ? ops : s.max;
		s.min = ops < s.min ? ops : s.min;
		s.fails += LOAD(th[i].fails);
		s.retries += LOAD(th[i].retries);
		s.long_holds += LOAD(th[i].long_holds);
		s.intr += LOAD(th[i].intr);
		s.late += LOAD(th[i].late);
	}
	if (!s.n)
		s.min = 0;
	return s;
}

struct irq_stats {
	unsigned long irqs, ops, retries, tasklets, away, fails;
};

static struct irq_stats gather_irqs(const struct torture_thread *th, int n)
{
	struct irq_stats s = { 0 };

	for (int i = 0; i < n; i++) {
		s.irqs += LOAD(th[i].irqs);
		s.ops += LOAD(th[i].irq_ops);
		s.retries += LOAD(th[i].irq_retries);
		s.tasklets += LOAD(th[i].tasklets);
		s.away += LOAD(th[i].tl_away);
		s.fails += LOAD(th[i].irq_fails);
	}
	return s;
}

/* The kernel's progress line: "???" marks imbalance, "!!!" failures. */
static void print_progress(const struct torture_thread *th, int n)
{
	for (int reader = 0; reader <= 1; reader++) {
		struct group_stats s = gather(th, n, reader);

		if (!s.n)
			continue;
		printf("%s: %s Total: %lu Max/Min: %lu/%lu%s Fail: %lu%s", cur->name,
		       reader ? "Reads: " : "Writes:", s.total, s.max, s.min,
		       s.max / 2 > s.min ? " ???" : "", s.fails, s.fails ? " !!!" : "");
		if (opt.signals)
			printf(" Intr: %lu", s.intr);
		printf("\n");
	}
	if (chk.irqs) {
		struct irq_stats s = gather_irqs(th, n);

		printf("%s: Irqs:   Total: %lu Ops: %lu Fail: %lu%s\n", cur->name, s.irqs,
		       s.ops, s.fails, s.fails ? " !!!" : "");
	}
	fflush(stdout);
}

static void print_summary(const struct torture_thread *th, int n, double elapsed)
{
	for (int reader = 0; reader <= 1; reader++) {
		struct group_stats s = gather(th, n, reader);

		if (!s.n)
			continue;
		if (!opt.quiet) {
			printf("%s: %s ops per thread:", cur->name, reader ? "reader" : "writer");
			for (int i = 0; i < n; i++)
				if (th[i].reader == reader)
					printf(" %lu", LOAD(th[i].ops));
			printf("\n");
		}
		printf("%s: %s: %d threads, %lu ops in %.2f s = %.0f ops/s, fairness %.2f (min/max %lu/%lu), long holds %lu",
		       cur->name, reader ? "Reads " : "Writes", s.n, s.total, elapsed,
		       s.total / elapsed, s.max ? (double)s.min / s.max : 0.0, s.min, s.max,
		       s.long_holds);
		if (cur->flags & TORTURE_SEQREAD && reader)
			printf(", retries %lu", s.retries);
		if (opt.signals)
			printf(", interrupted %lu, late signals %lu", s.intr, s.late);
		printf(", failures %lu\n", s.fails);
	}
}

static void print_irq_summary(const struct torture_thread *th, int n, double elapsed)
{
	struct irq_stats s = gather_irqs(th, n);
	const char *where = cur->flags & TORTURE_IRQ_BH ? "tasklets" : "handlers";

	printf("%s: Irqs: %lu raised (%.0f/s), %lu handled", cur->name, chk.irqs_raised,
	       chk.irqs_raised / elapsed, s.irqs);
	if (chk.raise_errs)
		printf(", %lu raises failed", chk.raise_errs);
	if (cur->flags & TORTURE_IRQ_BH)
		printf(", %lu tasklets run (%lu in another task)", s.tasklets, s.away);
	if (cur->irq_writelock)
		printf(", %lu writes in %s", s.ops, where);
	else if (cur->irq_readlock)
		printf(", %lu reads in %s", s.ops, where);
	else
		printf(", handlers only count");
	if (cur->flags & TORTURE_SEQREAD && cur->irq_readlock)
		printf(", retries %lu", s.retries);
	printf(", failures %lu\n", s.fails);
}

static void stall_report(const struct torture_thread *th, int n,
			 const struct torture_thread *stuck, double secs)
{
	bool all = true;
	int deadlocks = 0;

	for (int i = 0; i < n; i++)
		if (LOAD(th[i].state) != TS_DONE && now_s() - th[i].seen_at <= secs / 2)
			all = false;
	if (all)
		printf("%s: STALL: no lock operation completed for %.1f s\n", cur->name, secs);
	else
		printf("%s: STALL: %s %d made no progress for %.1f s while others did (starved, or a lost wake-up)\n",
		       cur->name, role(stuck), stuck->id, secs);
	printf("%s: checker: %d writer(s) and %d reader(s) inside\n", cur->name,
	       LOAD(chk.writers_in), LOAD(chk.readers_in));
	for (int i = 0; i < n; i++) {
		int hs = LOAD(th[i].hirq_state), ts = LOAD(th[i].tl_state);

		printf("%s:   %s %d: %s, %lu ops, %lu retries, %lu interrupted, %lu failures",
		       cur->name, role(&th[i]), th[i].id, tstate_name[LOAD(th[i].state)],
		       LOAD(th[i].ops), LOAD(th[i].retries), LOAD(th[i].intr), LOAD(th[i].fails));
		if (chk.irqs)
			printf(", %lu irqs", LOAD(th[i].irqs));
		if (hs)
			printf("; its interrupt handler is %s the lock", istate_name[hs]);
		if (ts)
			printf("; its tasklet is %s the lock%s", istate_name[ts],
			       LOAD(th[i].tl_self) ? "" : " in another task");
		printf("\n");
	}
	/*
	 * An interrupt side that waits for the lock on a thread interrupted
	 * inside it (holding, or queued to acquire) waits for itself.
	 */
	for (int i = 0; i < n; i++) {
		int st = LOAD(th[i].state), hs = LOAD(th[i].hirq_state);
		int ts = LOAD(th[i].tl_self) ? LOAD(th[i].tl_state) : IS_NONE;
		const char *side = hs == IS_ACQUIRE ? "hardirq handler" : "tasklet";

		if ((hs != IS_ACQUIRE && ts != IS_ACQUIRE) || (st != TS_HOLD && st != TS_ACQUIRE))
			continue;
		deadlocks++;
		if (st == TS_HOLD)
			printf("%s: DEADLOCK: %s %d was interrupted while holding the lock and its own %s "
			       "waits for it: the %s cannot return before the lock is free, the task cannot "
			       "free it before the %s returns (the task side needs the %s form)\n",
			       cur->name, role(&th[i]), th[i].id, side, side, side,
			       hs == IS_ACQUIRE ? "_irq/_irqsave" : "_bh");
		else
			printf("%s: DEADLOCK: %s %d was interrupted while acquiring the lock and its own %s "
			       "waits for it too\n", cur->name, role(&th[i]), th[i].id, side);
	}
	if (chk.irqs)
		print_irq_reports();
	if (cur->flags & TORTURE_PINGPONG)
		printf("%s: a pair that stopped together lost a wake-up\n", cur->name);
	else if (!LOAD(chk.writers_in) && !LOAD(chk.readers_in) && !deadlocks)
		printf("%s: nobody inside, yet nobody gets in: the lock leaked (an interrupted "
		       "acquisition that kept it?) or a wake-up was lost\n", cur->name);
	print_progress(th, n);
	printf("%s: FAIL (stall)\n", cur->name);
	printf("lksync-torture: [ End of test: FAILURE ]\n");
	fflush(stdout);
	/* Threads may be stuck in the lock: they cannot be joined. */
	_exit(1);
}

/*
 * Returns a thread that has not finished an operation (a sequence reader's
 * retry counts) for @stall seconds, or NULL. A lock where nobody progresses
 * stalls every thread; one where a single waiter is never served, just it.
 */
static struct torture_thread *find_stalled(struct torture_thread *th, int n,
					   double now, double stall)
{
	for (int i = 0; i < n; i++) {
		unsigned long p = LOAD(th[i].ops) + LOAD(th[i].retries) + LOAD(th[i].intr);
		int st = LOAD(th[i].state);

		if (st == TS_DONE)
			continue;
		if (p != th[i].seen) {
			th[i].seen = p;
			th[i].seen_at = now;
		} else if (now - th[i].seen_at > stall + (st == TS_DRAIN ? IRQ_DRAIN_S + 1 : 0)) {
			return &th[i];
		}
	}
	return NULL;
}

static bool all_done(const struct torture_thread *th, int n)
{
	for (int i = 0; i < n; i++)
		if (LOAD(th[i].state) != TS_DONE)
			return false;
	return true;
}

/* Runs one lock type; returns true when it passed. */
static bool run_type(const struct torture_ops *ops)
{
	int nw = opt.writers, nr = ops->readlock ? opt.readers : 0, n;
	double stall = opt.stall, t0, t_stop, next_stat, now;
	unsigned long fails = 0;
	struct torture_thread *th;
	struct signaller sig = { 0 };
	struct injector inj = { 0 };
	bool stopping = false, signals, irqs;
	const char *why;

	if (stall < 0)
		stall = opt.duration / 3 > 5 ? opt.duration / 3 : 5;
	if (ops->flags & TORTURE_PINGPONG) {
		/* pairs of writers; at least one pair */
		nr = 0;
		nw = nw < 2 ? 2 : nw + (nw & 1);
		if (nw > TORTURE_MAX_CHANNELS)
			nw = TORTURE_MAX_CHANNELS;
	}
	if ((ops->flags & TORTURE_COUNTING) && nw > 1 && nw < 2 * (int)ops->max_inside)
		nw = 2 * ops->max_inside;	/* enough to fill the count and wait */
	n = nw + nr;
	signals = opt.signals && (ops->writelock_intr || ops->readlock_intr || ops->pp_wait);
	irqs = opt.irqs || (ops->flags & TORTURE_IRQ_FORCE);
	if (n == 0) {
		printf("%s: no threads to run (--writers 0%s)\n", ops->name,
		       ops->readlock ? " --readers 0" : " and the type has no readers");
		return false;
	}
	if (posix_memalign((void **)&th, 64, n * sizeof(*th))) {
		perror("posix_memalign");
		exit(2);
	}
	memset(th, 0, n * sizeof(*th));
	memset(&chk, 0, sizeof(chk));
	memset(&payload, 0, sizeof(payload));
	memset(pp_seq, 0, sizeof(pp_seq));
	chk.irqs = irqs;
	cur = ops;
	if (ops->flags & TORTURE_PINGPONG)
		ops->pp_init(nw);
	else
		ops->init();

	printf("%s: %d %s, %d readers, %.1f s, long-hold %g up to %u us, %s%sseed %llu (%s)\n",
	       ops->name, nw, ops->flags & TORTURE_PINGPONG ? "ping-pong threads" : "writers",
	       nr, opt.duration, opt.long_hold, opt.long_hold_us,
	       signals ? "signals, " : "", irqs ? "interrupts, " : "", opt.seed, ops->desc);
	if (irqs && n > IRQ_LINES)
		printf("%s: only the first %d threads get an interrupt line\n", ops->name, IRQ_LINES);
	fflush(stdout);

	pthread_barrier_init(&start_barrier, NULL, n + 1);
	for (int i = 0; i < n; i++) {
		th[i].reader = i >= nw;
		th[i].id = th[i].reader ? i - nw : i;
		th[i].rnd = (opt.seed + 1) * 0x9e3779b97f4a7c15ULL + (uint64_t)(i + 1) * 0xbf58476d1ce4e5b9ULL;
		th[i].rnd |= 1;
		th[i].irq_rnd = th[i].rnd * 0xd1b54a32d192ed03ULL | 1;
		th[i].line = irqs && i < IRQ_LINES ? IRQ_BASE + i : -1;
		if (pthread_create(&th[i].pthread, NULL, torture_thread_fn, &th[i])) {
			perror("pthread_create");
			exit(2);
		}
	}
	pthread_barrier_wait(&start_barrier);
	if (signals) {
		sig.th = th;
		sig.n = n;
		sig.rnd = (opt.seed + 7) * 0x9e3779b97f4a7c15ULL | 1;
		if (pthread_create(&sig.pthread, NULL, signaller_fn, &sig)) {
			perror("pthread_create");
			exit(2);
		}
	}
	if (irqs) {
		inj.th = th;
		inj.n = n;
		inj.rnd = (opt.seed + 11) * 0x9e3779b97f4a7c15ULL | 1;
		if (pthread_create(&inj.pthread, NULL, injector_fn, &inj)) {
			perror("pthread_create");
			exit(2);
		}
	}
	t0 = t_stop = now_s();
	for (int i = 0; i < n; i++)
		th[i].seen_at = t0;
	next_stat = opt.stat_interval > 0 ? t0 + opt.stat_interval : -1;

	for (;;) {
		struct torture_thread *stuck;

		usleep(20000);
		now = now_s();
		stuck = find_stalled(th, n, now, stall);
		if (stuck)
			stall_report(th, n, stuck, now - stuck->seen_at);
		if (stopping) {
			if (all_done(th, n))
				break;
			continue;
		}
		if (next_stat > 0 && now >= next_stat && now - t0 < opt.duration) {
			if (!opt.quiet)
				print_progress(th, n);
			next_stat += opt.stat_interval;
		}
		if (now - t0 >= opt.duration) {
			t_stop = now;
			STORE(chk.stop, 1);
			stopping = true;
		}
	}
	if (signals)
		pthread_join(sig.pthread, NULL);
	if (irqs)
		pthread_join(inj.pthread, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(th[i].pthread, NULL);
	pthread_barrier_destroy(&start_barrier);
	for (int i = 0; i < n; i++)
		put_task_struct(th[i].task);

	if (!opt.quiet)
		print_progress(th, n);
	print_summary(th, n, t_stop - t0);
	for (int i = 0; i < n; i++)
		fails += th[i].fails + th[i].irq_fails;
	if (irqs) {
		print_irq_summary(th, n, t_stop - t0);
		print_irq_reports();
	}
	if (ops->flags & TORTURE_COUNTING)
		printf("%s: at most %d of %u inside at once\n", ops->name, chk.peak,
		       ops->max_inside);
	if (signals)
		printf("%s: signals: %lu sent to acquiring threads\n", ops->name, chk.sigs_sent);
	why = ops->idle ? ops->idle() : NULL;
	if (why) {
		printf("%s: VIOLATION: after the run: %s\n", ops->name, why);
		fails++;
	}
	if (chk.reports > MAX_REPORTS)
		printf("%s: (%u more violations not shown)\n", ops->name, chk.reports - MAX_REPORTS);
	printf("%s: %s\n", ops->name, fails ? "FAIL" : "PASS");
	fflush(stdout);
	free(th);
	return fails == 0;
}

static const struct torture_ops *find_type(const char *name, size_t len)
{
	for (size_t i = 0; i < NR_TYPES; i++)
		if (strlen(torture_all[i]->name) == len && !strncmp(torture_all[i]->name, name, len))
			return torture_all[i];
	return NULL;
}

static void list_types(FILE *f)
{
	for (size_t i = 0; i < NR_TYPES; i++)
		fprintf(f, "  %-20s %s%s\n", torture_all[i]->name, torture_all[i]->desc,
			torture_all[i]->flags & TORTURE_EXPLICIT ? " [not in 'all']" : "");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lksync-torture [options]\n"
		"  -d, --duration SECONDS    time per lock type (default 5)\n"
		"  -w, --writers N           writer threads (default 2 x CPUs)\n"
		"  -r, --readers N           reader threads, for types with readers (default 2 x CPUs)\n"
		"  -t, --types LIST          comma-separated types, or 'all' (default: all;\n"
		"                            'all' excludes the *_busted types and the pthread peers)\n"
		"  -i, --stat-interval SECS  seconds between progress lines, 0 = none (default 1)\n"
		"  -l, --long-hold PROB      probability of a long hold per acquisition (default 1e-4)\n"
		"  -u, --long-hold-us US     longest long hold in microseconds (default 1000)\n"
		"  -S, --stall SECONDS       no progress for this long = stall (default max(5, duration/3))\n"
		"  -s, --seed N              random seed (default: from the clock)\n"
		"  -g, --signals             send_sig() random acquiring threads; half of the\n"
		"                            acquisitions are interruptible and may be interrupted\n"
		"  -G, --signal-us US        mean microseconds between signals (default 200)\n"
		"  -I, --irqs                every thread owns an interrupt line, raised at random;\n"
		"                            handlers take the _irq/_irqsave locks, tasklets the _bh\n"
		"  -U, --irq-us US           mean microseconds between interrupts (default 100)\n"
		"  -q, --quiet               only the summary of each type\n"
		"  -L, --list                list the lock types\n"
		"  -h, --help                this text\n"
		"Exit status: 0 when every type passed, 1 on a violation or stall, 2 on bad usage.\n"
		"Lock types:\n");
	list_types(f);
}

static double parse_num(const char *s, const char *what, double min)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || v < min) {
		fprintf(stderr, "lksync-torture: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "writers", required_argument, NULL, 'w' },
		{ "readers", required_argument, NULL, 'r' },
		{ "types", required_argument, NULL, 't' },
		{ "stat-interval", required_argument, NULL, 'i' },
		{ "long-hold", required_argument, NULL, 'l' },
		{ "long-hold-us", required_argument, NULL, 'u' },
		{ "stall", required_argument, NULL, 'S' },
		{ "seed", required_argument, NULL, 's' },
		{ "signals", no_argument, NULL, 'g' },
		{ "signal-us", required_argument, NULL, 'G' },
		{ "irqs", no_argument, NULL, 'I' },
		{ "irq-us", required_argument, NULL, 'U' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "list", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const struct torture_ops *run[NR_TYPES];
	const char *types = "all", *failed[NR_TYPES];
	size_t nrun = 0, nfailed = 0;
	bool seeded = false;
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	int c;

	while ((c = getopt_long(argc, argv, "d:w:r:t:i:l:u:S:s:gG:IU:qLh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': opt.duration = parse_num(optarg, "duration", 0.01); break;
		case 'w': opt.writers = (int)parse_num(optarg, "writer count", 0); break;
		case 'r': opt.readers = (int)parse_num(optarg, "reader count", 0); break;
		case 't': types = optarg; break;
		case 'i': opt.stat_interval = parse_num(optarg, "stat interval", 0); break;
		case 'l': opt.long_hold = parse_num(optarg, "long-hold probability", 0); break;
		case 'u': opt.long_hold_us = (unsigned int)parse_num(optarg, "long-hold time", 1); break;
		case 'S': opt.stall = parse_num(optarg, "stall time", 0.1); break;
		case 's': opt.seed = strtoull(optarg, NULL, 0); seeded = true; break;
		case 'g': opt.signals = true; break;
		case 'G': opt.signal_us = (unsigned int)parse_num(optarg, "signal interval", 1); break;
		case 'I': opt.irqs = true; break;
		case 'U': opt.irq_us = (unsigned int)parse_num(optarg, "interrupt interval", 1); break;
		case 'q': opt.quiet = true; break;
		case 'L': list_types(stdout); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "lksync-torture: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (ncpus < 1)
		ncpus = 1;
	if (opt.writers < 0)
		opt.writers = 2 * ncpus;
	if (opt.readers < 0)
		opt.readers = 2 * ncpus;
	if (!seeded)
		opt.seed = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 16);

	for (const char *p = types; *p; ) {
		size_t len = strcspn(p, ",");

		if (len == 3 && !strncmp(p, "all", 3)) {
			for (size_t i = 0; i < NR_TYPES; i++)
				if (!(torture_all[i]->flags & TORTURE_EXPLICIT) && nrun < NR_TYPES)
					run[nrun++] = torture_all[i];
		} else if (len) {
			const struct torture_ops *ops = find_type(p, len);

			if (!ops) {
				fprintf(stderr, "lksync-torture: unknown lock type '%.*s'; known types:\n",
					(int)len, p);
				list_types(stderr);
				return 2;
			}
			if (nrun < NR_TYPES)
				run[nrun++] = ops;
		}
		p += len + (p[len] == ',');
	}
	if (!nrun) {
		fprintf(stderr, "lksync-torture: no lock types given\n");
		return 2;
	}

	setvbuf(stdout, NULL, _IOLBF, 0);
#ifdef LKSYNC_UP
	printf("lksync-torture: uniprocessor build: spinlocks keep only the preempt/irq/bh state and\n"
	       "lksync-torture: exclude no concurrent threads; run one writer, or readers only\n");
#endif
	for (size_t i = 0; i < nrun; i++) {
		unsigned long reports;
		bool ok;

#ifdef LKSYNC_DEBUG
		/*
		 * Each type is its own experiment, as each load of the
		 * kernel's locktorture module runs one type: the types share
		 * lock objects (spin_lock with interrupts on, spin_lock_irq
		 * from a handler), which lockdep would rightly call
		 * inconsistent if it remembered one type into the next.
		 */
		lksync_lockdep_reset();
#endif
		reports = lksync_report_count();
		ok = run_type(run[i]);

		/*
		 * A correct lock type makes no report (a WARN, a BUG, and in
		 * the debug flavor any lockdep or lock-debugging report); the
		 * busted types exist to make them.
		 */
		reports = lksync_report_count() - reports;
		if (ok && reports && !strstr(run[i]->name, "busted")) {
			printf("lksync-torture: %s: %lu report(s) on correct use (see stderr)\n",
			       run[i]->name, reports);
			ok = false;
		}
		if (!ok)
			failed[nfailed++] = run[i]->name;
	}

	if (!nfailed) {
		printf("lksync-torture: [ End of test: SUCCESS ] %zu type(s) passed\n", nrun);
		return 0;
	}
	printf("lksync-torture: [ End of test: FAILURE ] failed:");
	for (size_t i = 0; i < nfailed; i++)
		printf(" %s", failed[i]);
	printf("\n");
	return 1;
}
