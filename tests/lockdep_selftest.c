// SPDX-License-Identifier: MIT
/*
 * The lock validator's scenario suite, in the shape of the kernel's
 * lib/locking-selftest.c: scenario bodies x lock types x contexts, each
 * case asserting the exact kind of report lockdep makes (matched on its
 * headline, captured through the report sink), or that it makes none.
 *
 * The matrix: the A-A .. A-B-C-D-B-C-D-A cycles, double unlock and
 * initializing a held lock for every lock type; the read/write mixes
 * (recursive read, read-write, the chain-cache ABBA, the three-lock
 * W/R cycles); the irq-safety families (irqs-on + irq-safe-A, safe-A +
 * irqs-on, safe-A + unsafe-B, irq lock inversion, irq read recursion) in
 * hardirq and softirq flavors and every permutation of their events; the
 * queued-rwlock cases and a safe -> unsafe chain of four locks; the nesting
 * annotations that make a legitimate nesting pass.
 *
 * What differs from the kernel's self-test, and why:
 *  - The interrupt side really runs in an interrupt: a hard interrupt
 *    handler (request_irq() + lksync_irq_raise()) on this task, or a tasklet
 *    run at local_bh_enable() on this task; not a simulated irq_enter().
 *    A real softirq runs with hard interrupts enabled (the kernel's test
 *    disables them), which adds HARDIRQ-ON marks but changes no verdict.
 *  - read_lock() is recursive only in interrupt or bottom-half context (the
 *    kernel's queued rwlocks with force_read_lock_recursive off): the
 *    "rlock" column runs in task context, where a reader queues behind a
 *    waiting writer, so every cycle through a reader is a deadlock; the
 *    "rl/bh" column runs the same body with bottom halves disabled, where
 *    read_lock() is recursive, and gives the kernel's classic rlock verdicts.
 *  - down_read() is never recursive ("rsem").
 *  - Scenarios unlock what they lock (the library's state stays sane);
 *    between cases lockdep is reset (lksync_lockdep_reset()), debug_locks
 *    re-armed and every lock re-initialized.
 *
 * A case whose verdict is wrong because of a known gap in the validator is
 * listed in known_failing[] with the reason: it is shown as "known" in the
 * table and listed after it, and does not fail the run.
 *
 * Set LKSYNC_SELFTEST_VERBOSE=1 to print every report; =2 also every case.
 */
#include <stdbool.h>
#include <lksync/spinlock.h>
#include <lksync/rwlock.h>
#include <lksync/mutex.h>
#include <lksync/rwsem.h>
#include <lksync/seqlock.h>
#include <lksync/interrupt.h>
#include <lksync/lockdep.h>
#include <lksync/bug.h>
#include "lksync_test.h"

#ifndef LKSYNC_DEBUG

int main(void)
{
	printf("lockdep_selftest: skipped (release flavor)\n");
	return 0;
}

#else /* LKSYNC_DEBUG */

/* ---- what a case expects -------------------------------------------------- */

/* X-macro: kind, short name, the headline that identifies it. */
#define REPORT_KINDS(X)								\
	X(NONE,		"none",		NULL)					\
	X(RECURSIVE,	"recursive",	"possible recursive locking detected")	\
	X(CIRCULAR,	"circular",	"possible circular locking dependency detected") \
	X(UNLOCK,	"unlock-bal",	"bad unlock balance detected!")		\
	X(FREED,	"freed",	"held lock freed!")			\
	X(INCONS,	"inconsistent",	"inconsistent lock state")		\
	X(ORDER,	"safe->unsafe",	"-unsafe lock order detected")		\
	X(INVERSION,	"inversion",	"possible irq lock inversion dependency detected")

enum kind {
#define X(k, n, h)	K_##k,
	REPORT_KINDS(X)
#undef X
	K_OTHER,	/* a report none of the above */
};

static const char *const kind_name[] = {
#define X(k, n, h)	n,
	REPORT_KINDS(X)
#undef X
	"other",
};

static const char *const kind_headline[] = {
#define X(k, n, h)	h,
	REPORT_KINDS(X)
#undef X
	NULL,
};

enum irqclass { IC_NONE, IC_HARD, IC_SOFT };

/* ---- report capture --------------------------------------------------------- */

/*
 * The first report of a case, and how many. The sink may run in a hard
 * interrupt handler on this thread (a report made there): a fixed buffer,
 * no allocation, nothing that takes a lock.
 */
static char first_report[8192];
static int nr_reports;
static int verbose;
static pid_t main_tid;
static int foreign_reports;

static void selftest_sink(const char *text, void *arg)
{
	(void)arg;
	/*
	 * Every case runs on the main thread (its interrupt handlers and
	 * tasklets too); a report from another thread (the library's own
	 * kthreads) is not a verdict: count it and show it.
	 */
	if (gettid() != main_tid) {
		__atomic_add_fetch(&foreign_reports, 1, __ATOMIC_RELAXED);
		if (write(2, text, strlen(text)) < 0) {
			/* nothing to do */
		}
		return;
	}
	if (nr_reports++ == 0) {
		size_t n = strlen(text);

		if (n >= sizeof(first_report))
			n = sizeof(first_report) - 1;
		memcpy(first_report, text, n);
		first_report[n] = '\0';
	}
	if (verbose && write(2, text, strlen(text)) < 0) {
		/* nothing to do */
	}
}

/* The line of @text containing @needle, copied into @line. Return: found. */
static bool line_with(const char *text, const char *needle, char *line, size_t len)
{
	const char *p = strstr(text, needle), *b, *e;
	size_t n;

	if (!p)
		return false;
	for (b = p; b > text && b[-1] != '\n'; b--)
		;
	e = strchr(p, '\n');
	n = e ? (size_t)(e - b) : strlen(b);
	if (n >= len)
		n = len - 1;
	memcpy(line, b, n);
	line[n] = '\0';
	return true;
}

static enum kind classify(const char *text)
{
	if (!nr_reports)
		return K_NONE;
	for (int k = K_RECURSIVE; k < K_OTHER; k++)
		if (strstr(text, kind_headline[k]))
			return (enum kind)k;
	return K_OTHER;
}

/*
 * The interrupt class a report is about: the headline of a safe -> unsafe
 * report names it ("HARDIRQ-safe -> HARDIRQ-unsafe", or the -READ forms);
 * the others name it in their state lines ("{IN-SOFTIRQ-W} -> ...",
 * "SOFTIRQ-safe lock"). Checked only for presence.
 */
static bool mentions_class(const char *text, enum kind k, enum irqclass ic)
{
	const char *name = ic == IC_HARD ? "HARDIRQ" : "SOFTIRQ";
	char line[256];

	if (ic == IC_NONE)
		return true;
	if (k == K_ORDER && line_with(text, kind_headline[K_ORDER], line, sizeof(line)))
		return strstr(line, name) != NULL;
	if (k == K_INCONS && line_with(text, "inconsistent {", line, sizeof(line)))
		return strstr(line, name) != NULL;
	return strstr(text, name) != NULL;
}

/* ---- the locks ---------------------------------------------------------- */

/*
 * A, B, C, D: four classes. X1/X2, Y1/Y2, Z1/Z2: two instances of each of
 * three classes (initialized at one place each, as the kernel's
 * init_class_X()), so that "recursion" can be shown without a real
 * deadlock.
 */
enum { A, B, C, D, X1, X2, Y1, Y2, Z1, Z2, NR_SLOTS };

static spinlock_t spin_l[NR_SLOTS];
static raw_spinlock_t raw_l[NR_SLOTS];
static rwlock_t rw_l[NR_SLOTS];
static struct mutex mtx_l[NR_SLOTS];
static struct rw_semaphore sem_l[NR_SLOTS];
static seqlock_t seq_l[NR_SLOTS];

/* One function per class: each initializer expansion is its own lock class. */
#define DEFINE_INIT_CLASS(cls)							\
static noinline void init_class_##cls(int i)					\
{										\
	spin_lock_init(&spin_l[i]);						\
	raw_spin_lock_init(&raw_l[i]);						\
	rwlock_init(&rw_l[i]);							\
	mutex_init(&mtx_l[i]);							\
	init_rwsem(&sem_l[i]);							\
	seqlock_init(&seq_l[i]);						\
}
DEFINE_INIT_CLASS(A)
DEFINE_INIT_CLASS(B)
DEFINE_INIT_CLASS(C)
DEFINE_INIT_CLASS(D)
DEFINE_INIT_CLASS(X)
DEFINE_INIT_CLASS(Y)
DEFINE_INIT_CLASS(Z)

static void init_all_locks(void)
{
	init_class_A(A);
	init_class_B(B);
	init_class_C(C);
	init_class_D(D);
	init_class_X(X1);
	init_class_X(X2);
	init_class_Y(Y1);
	init_class_Y(Y2);
	init_class_Z(Z1);
	init_class_Z(Z2);
}

/* ---- lock types: the columns -------------------------------------------- */

struct ltype {
	const char *name;
	void (*lock)(int i);
	void (*unlock)(int i);
	void (*init)(int i);			/* re-initialize (may be held) */
	void (*nested)(int i, int sub);		/* NULL: no _nested() form */
	void (*set_class)(int i, struct lock_class_key *key);
	void (*set_subclass)(int i, int sub);
	void (*forget)(int i);			/* drop lockdep's record of holding it */
	int (*trylock)(int i);			/* NULL: no trylock form */
	bool bh;				/* the body runs with bh disabled */
};

static void spin_lk(int i) { spin_lock(&spin_l[i]); }
static void spin_ul(int i) { spin_unlock(&spin_l[i]); }
static void spin_in(int i) { spin_lock_init(&spin_l[i]); }
static void spin_ne(int i, int s) { spin_lock_nested(&spin_l[i], s); }
static void spin_sc(int i, struct lock_class_key *k) { lockdep_set_class(&spin_l[i], k); }
static void spin_ss(int i, int s) { lockdep_set_subclass(&spin_l[i], s); }
static void spin_fg(int i) { lock_release(&spin_l[i].dep_map, _THIS_IP_); }
static int spin_tr(int i) { return spin_trylock(&spin_l[i]); }

static void raw_lk(int i) { raw_spin_lock(&raw_l[i]); }
static void raw_ul(int i) { raw_spin_unlock(&raw_l[i]); }
static void raw_in(int i) { raw_spin_lock_init(&raw_l[i]); }
static void raw_ne(int i, int s) { raw_spin_lock_nested(&raw_l[i], s); }
static void raw_sc(int i, struct lock_class_key *k) { lockdep_set_class(&raw_l[i], k); }
static void raw_ss(int i, int s) { lockdep_set_subclass(&raw_l[i], s); }
static void raw_fg(int i) { lock_release(&raw_l[i].dep_map, _THIS_IP_); }
static int raw_tr(int i) { return raw_spin_trylock(&raw_l[i]); }

static void wl_lk(int i) { write_lock(&rw_l[i]); }
static void wl_ul(int i) { write_unlock(&rw_l[i]); }
static void rw_in(int i) { rwlock_init(&rw_l[i]); }
static void wl_ne(int i, int s) { write_lock_nested(&rw_l[i], s); }
static void rw_sc(int i, struct lock_class_key *k) { lockdep_set_class(&rw_l[i], k); }
static void rw_ss(int i, int s) { lockdep_set_subclass(&rw_l[i], s); }
static void rw_fg(int i) { lock_release(&rw_l[i].dep_map, _THIS_IP_); }
static int wl_tr(int i) { return write_trylock(&rw_l[i]); }
static int rl_tr(int i) { return read_trylock(&rw_l[i]); }
static void rl_lk(int i) { read_lock(&rw_l[i]); }
static void rl_ul(int i) { read_unlock(&rw_l[i]); }

static void mtx_lk(int i) { mutex_lock(&mtx_l[i]); }
static void mtx_ul(int i) { mutex_unlock(&mtx_l[i]); }
static void mtx_in(int i) { mutex_init(&mtx_l[i]); }
static void mtx_ne(int i, int s) { mutex_lock_nested(&mtx_l[i], s); }
static void mtx_sc(int i, struct lock_class_key *k) { lockdep_set_class(&mtx_l[i], k); }
static void mtx_ss(int i, int s) { lockdep_set_subclass(&mtx_l[i], s); }
static void mtx_fg(int i) { lock_release(&mtx_l[i].dep_map, _THIS_IP_); }
static int mtx_tr(int i) { return mutex_trylock(&mtx_l[i]); }

static void ws_lk(int i) { down_write(&sem_l[i]); }
static void ws_ul(int i) { up_write(&sem_l[i]); }
static void sem_in(int i) { init_rwsem(&sem_l[i]); }
static void ws_ne(int i, int s) { down_write_nested(&sem_l[i], s); }
static void sem_sc(int i, struct lock_class_key *k) { lockdep_set_class(&sem_l[i], k); }
static void sem_ss(int i, int s) { lockdep_set_subclass(&sem_l[i], s); }
static void sem_fg(int i) { lock_release(&sem_l[i].dep_map, _THIS_IP_); }
static int ws_tr(int i) { return down_write_trylock(&sem_l[i]); }
static int rs_tr(int i) { return down_read_trylock(&sem_l[i]); }
static void rs_lk(int i) { down_read(&sem_l[i]); }
static void rs_ul(int i) { up_read(&sem_l[i]); }
static void rs_ne(int i, int s) { down_read_nested(&sem_l[i], s); }

static void seq_lk(int i) { write_seqlock(&seq_l[i]); }
static void seq_ul(int i) { write_sequnlock(&seq_l[i]); }
static void seq_in(int i) { seqlock_init(&seq_l[i]); }
static void seq_fg(int i)
{
	lock_release(&seq_l[i].seqcount.seqcount.dep_map, _THIS_IP_);
	lock_release(&seq_l[i].lock.dep_map, _THIS_IP_);
}

#define LOCK_TYPES(X)								\
	X(SPIN, "spin", spin_lk, spin_ul, spin_in, spin_ne, spin_sc, spin_ss,	\
	  spin_fg, spin_tr, false)						\
	X(RAW, "raw", raw_lk, raw_ul, raw_in, raw_ne, raw_sc, raw_ss, raw_fg, raw_tr, false) \
	X(WLOCK, "wlock", wl_lk, wl_ul, rw_in, wl_ne, rw_sc, rw_ss, rw_fg, wl_tr, false) \
	X(RLOCK, "rlock", rl_lk, rl_ul, rw_in, NULL, rw_sc, rw_ss, rw_fg, rl_tr, false) \
	X(RLBH, "rl/bh", rl_lk, rl_ul, rw_in, NULL, rw_sc, rw_ss, rw_fg, rl_tr, true)  \
	X(MUTEX, "mutex", mtx_lk, mtx_ul, mtx_in, mtx_ne, mtx_sc, mtx_ss,	\
	  mtx_fg, mtx_tr, false)						\
	X(WSEM, "wsem", ws_lk, ws_ul, sem_in, ws_ne, sem_sc, sem_ss, sem_fg, ws_tr, false) \
	X(RSEM, "rsem", rs_lk, rs_ul, sem_in, rs_ne, sem_sc, sem_ss, sem_fg, rs_tr, false) \
	X(SEQ, "seq", seq_lk, seq_ul, seq_in, NULL, NULL, NULL, seq_fg, NULL, false)

enum {
#define X(id, n, l, u, in, ne, sc, ss, fg, tr, bh)	T_##id,
	LOCK_TYPES(X)
#undef X
	NR_TYPES
};

static const struct ltype ltypes[NR_TYPES] = {
#define X(id, n, l, u, in, ne, sc, ss, fg, tr, bh)	\
	[T_##id] = { n, l, u, in, ne, sc, ss, fg, tr, bh },
	LOCK_TYPES(X)
#undef X
};

/* The type of the case being run, and the interrupt flavor of its events. */
static const struct ltype *T;
static int ttype;
static enum irqclass ctx;

#define LOCK(x)		T->lock(x)
#define UNLOCK(x)	T->unlock(x)
#define INIT(x)		T->init(x)
#define LU(x)		do { LOCK(x); UNLOCK(x); } while (0)
#define LOCK_UNLOCK_2(x, y)	do { LOCK(x); LOCK(y); UNLOCK(y); UNLOCK(x); } while (0)

/* Fixed-type shortcuts, the kernel's names. */
#define L(x)	spin_lock(&spin_l[x])
#define U(x)	spin_unlock(&spin_l[x])
#define WL(x)	write_lock(&rw_l[x])
#define WU(x)	write_unlock(&rw_l[x])
#define RL(x)	read_lock(&rw_l[x])
#define RU(x)	read_unlock(&rw_l[x])
#define ML(x)	mutex_lock(&mtx_l[x])
#define MU(x)	mutex_unlock(&mtx_l[x])
#define WSL(x)	down_write(&sem_l[x])
#define WSU(x)	up_write(&sem_l[x])
#define RSL(x)	down_read(&sem_l[x])
#define RSU(x)	up_read(&sem_l[x])

/* ---- real interrupt contexts ---------------------------------------------- */

#define SELFTEST_IRQ	77

static void (*irq_body)(void);
static int irq_ran;
static int irq_dev;

static irqreturn_t selftest_handler(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	irq_body();
	__atomic_store_n(&irq_ran, 1, __ATOMIC_RELEASE);
	return IRQ_HANDLED;
}

static void (*soft_body)(void);
static int soft_ran;

static void selftest_tasklet_fn(struct tasklet_struct *t)
{
	(void)t;
	soft_body();
	__atomic_store_n(&soft_ran, 1, __ATOMIC_RELEASE);
}

static DECLARE_TASKLET(selftest_tasklet, selftest_tasklet_fn);

static void wait_ran(int *flag, const char *what)
{
	long long end = test_now_ms() + 5000;

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (test_now_ms() > end) {
			fprintf(stderr, "FAIL %s: the %s never ran\n", test_current, what);
			test_failed++;
			return;
		}
	}
}

/* Run @fn in a hard interrupt handler on this task, and wait for it. */
static void run_hardirq(void (*fn)(void))
{
	irq_body = fn;
	__atomic_store_n(&irq_ran, 0, __ATOMIC_RELAXED);
	CHECK_EQ(lksync_irq_raise(SELFTEST_IRQ), 0);
	wait_ran(&irq_ran, "hard interrupt handler");
}

/*
 * Run @fn in a tasklet on this task: scheduled with bottom halves disabled
 * (so it stays queued here rather than going to ksoftirqd), it runs at the
 * local_bh_enable().
 */
static void run_softirq(void (*fn)(void))
{
	soft_body = fn;
	__atomic_store_n(&soft_ran, 0, __ATOMIC_RELAXED);
	local_bh_disable();
	tasklet_schedule(&selftest_tasklet);
	local_bh_enable();
	wait_ran(&soft_ran, "tasklet");
}

/* The events' interrupt side: a hard interrupt or a softirq, by ctx. */
static void IRQ_RUN(void (*fn)(void))
{
	if (ctx == IC_SOFT)
		run_softirq(fn);
	else
		run_hardirq(fn);
}

static void IRQ_DISABLE(void)
{
	if (ctx == IC_SOFT)
		local_bh_disable();
	else
		local_irq_disable();
}

static void IRQ_ENABLE(void)
{
	if (ctx == IC_SOFT)
		local_bh_enable();
	else
		local_irq_enable();
}

/* ---- running a case ------------------------------------------------------- */

struct known {
	const char *row;	/* prefix of the row name */
	const char *cols;	/* column names, space-separated; NULL: every column */
	const char *reason;
};

/*
 * Cases whose verdict is wrong because of a gap in the validator (not in
 * this suite); each is reported to the validator's owner. Keep this list
 * short and precise: an entry that no longer fails is flagged.
 */
static const struct known known_failing[] = {
	{ NULL, NULL, NULL }
};

static int cases, cases_ok, cases_bad, cases_known, cases_fixed;
static const struct known *known_rows_seen[16];
static int nr_known_rows;

static bool in_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

static const struct known *known_lookup(const char *row, const char *col)
{
	for (const struct known *k = known_failing; k->row; k++)
		if (!strncmp(row, k->row, strlen(k->row)) && (!k->cols || in_list(k->cols, col)))
			return k;
	return NULL;
}

static void reset_all(void)
{
	lksync_lockdep_reset();		/* also re-arms debug_locks */
	init_all_locks();
	nr_reports = 0;
	first_report[0] = '\0';
}

/* Print the first line of the report that names what happened. */
static void print_headline(const char *text)
{
	char line[256];

	for (int k = K_RECURSIVE; k < K_OTHER; k++)
		if (line_with(text, kind_headline[k], line, sizeof(line))) {
			fprintf(stderr, "      got: %s\n", line);
			return;
		}
	if (line_with(text, "WARNING", line, sizeof(line)) ||
	    line_with(text, "BUG", line, sizeof(line)))
		fprintf(stderr, "      got: %s\n", line);
}

/*
 * Run @fn as one case of row @row, column @col, expecting report kind
 * @expect about interrupt class @ic. Return: the cell to print.
 */
static const char *dotest(const char *row, const char *col, void (*fn)(void),
			  enum kind expect, enum irqclass ic)
{
	int pc0 = preempt_count(), pc1;
	int foreign = __atomic_load_n(&foreign_reports, __ATOMIC_RELAXED);
	const struct known *kn;
	enum kind got;
	int armed;
	bool ok;

	reset_all();
	if (T && T->bh)
		local_bh_disable();
	pc1 = preempt_count();
	fn();
	/*
	 * A case may leave the count off (a double unlock enables preemption
	 * once more than it disabled it; a re-initialized held spinlock
	 * never enables it): restore it, as the kernel's dotest() does.
	 */
	lksync_tls.preempt_count = pc1;
	if (T && T->bh)
		local_bh_enable();
	if (irqs_disabled()) {
		fprintf(stderr, "FAIL %s/%s: left interrupts disabled\n", row, col);
		local_irq_enable();
		test_failed++;
	}
	lksync_tls.preempt_count = pc0;

	/* An atomic load (debug_locks is _Atomic): other threads may clear it. */
	armed = debug_locks;
	got = classify(first_report);
	if (expect == K_NONE)
		ok = got == K_NONE && armed;
	else
		ok = got == expect && !armed && mentions_class(first_report, got, ic);

	cases++;
	if (__atomic_load_n(&foreign_reports, __ATOMIC_RELAXED) != foreign)
		fprintf(stderr, "NOTE %s/%s: another thread made a report during this case "
			"(above); it may have switched debug_locks off\n", row, col);
	kn = known_lookup(row, col);
	if (verbose > 1)
		fprintf(stderr, "case %s/%s: expect %s, got %s%s\n", row, col,
			kind_name[expect], kind_name[got], ok ? "" : " (WRONG)");
	if (ok && kn) {
		cases_fixed++;
		cases_ok++;
		fprintf(stderr, "NOTE %s/%s: listed as known failing (%s) but passes\n",
			row, col, kn->reason);
		return "  ok  ";
	}
	if (ok) {
		cases_ok++;
		return "  ok  ";
	}
	if (kn) {
		int i;

		cases_known++;
		for (i = 0; i < nr_known_rows && known_rows_seen[i] != kn; i++)
			;
		if (i == nr_known_rows && i < 16)
			known_rows_seen[nr_known_rows++] = kn;
		return "known ";
	}
	cases_bad++;
	test_failed++;
	fprintf(stderr, "FAIL %s/%s: expected %s%s, got %s (%d report%s, debug_locks %d)\n",
		row, col, kind_name[expect],
		ic == IC_HARD ? " (HARDIRQ)" : ic == IC_SOFT ? " (SOFTIRQ)" : "",
		kind_name[got], nr_reports, nr_reports == 1 ? "" : "s", armed);
	if (nr_reports)
		print_headline(first_report);
	return "FAILED";
}

static void print_row_name(const char *name)
{
	printf("%33s:", name);
}

static const char rule[] =
	"----------------------------------------------------------------------------";

static void header(const char *title, const int *cols, int ncols)
{
	printf("  %s\n", rule);
	if (title)
		printf("  | %s |\n", title);
	printf("%33s |", "");
	for (int i = 0; i < ncols; i++)
		printf("%-6s|", ltypes[cols[i]].name);
	printf("\n  %s\n", rule);
}

/* One row over @cols: @expect(type) gives each column's verdict (-1: n/a). */
static void row(const char *name, void (*fn)(void), const int *cols, int ncols,
		int (*expect)(int type), enum irqclass ic)
{
	print_row_name(name);
	for (int i = 0; i < ncols; i++) {
		int e = expect(cols[i]);

		if (e < 0) {
			printf("      |");
			continue;
		}
		T = &ltypes[cols[i]];
		ttype = cols[i];
		printf("%s|", dotest(name, T->name, fn, (enum kind)e, ic));
	}
	printf("\n");
	fflush(stdout);
	T = NULL;
}

/* ---- the A-A .. A-B-C-D-B-C-D-A cycles, double unlock, init held --------- */

static void AA(void)
{
	LOCK(X1);
	LOCK(X2);	/* this one is reported */
	UNLOCK(X2);
	UNLOCK(X1);
}

static void ABBA(void)
{
	LOCK_UNLOCK_2(A, B);
	LOCK_UNLOCK_2(B, A);	/* reported */
}

static void ABBCCA(void)
{
	LOCK_UNLOCK_2(A, B);
	LOCK_UNLOCK_2(B, C);
	LOCK_UNLOCK_2(C, A);	/* reported */
}

static void ABCABC(void)
{
	LOCK_UNLOCK_2(A, B);
	LOCK_UNLOCK_2(C, A);
	LOCK_UNLOCK_2(B, C);	/* reported */
}

static void ABBCCDDA(void)
{
	LOCK_UNLOCK_2(A, B);
	LOCK_UNLOCK_2(B, C);
	LOCK_UNLOCK_2(C, D);
	LOCK_UNLOCK_2(D, A);	/* reported */
}

static void ABCDBDDA(void)
{
	LOCK_UNLOCK_2(A, B);
	LOCK_UNLOCK_2(C, D);
	LOCK_UNLOCK_2(B, D);
	LOCK_UNLOCK_2(D, A);	/* reported */
}

static void ABCDBCDA(void)
{
	LOCK_UNLOCK_2(A, B);
	LOCK_UNLOCK_2(C, D);
	LOCK_UNLOCK_2(B, C);
	LOCK_UNLOCK_2(D, A);	/* reported */
}

static void double_unlock(void)
{
	LOCK(A);
	UNLOCK(A);
	UNLOCK(A);	/* reported */
}

static void init_held(void)
{
	LOCK(A);
	INIT(A);	/* reported: the memory of a held lock is reinitialized */
	/*
	 * The lock is free now, but lockdep still records it as held (as the
	 * kernel's would): drop that record, not the lock.
	 */
	T->forget(A);
}

/* Unlocking in another order than locking is legal (not reported). */
static void unlock_order(void)
{
	LOCK(A);
	LOCK(B);
	UNLOCK(A);
	UNLOCK(B);
}

static const int all_cols[] = {
	T_SPIN, T_RAW, T_WLOCK, T_RLOCK, T_RLBH, T_MUTEX, T_WSEM, T_RSEM, T_SEQ
};
#define NR_ALL	((int)(sizeof(all_cols) / sizeof(all_cols[0])))

/* A cycle: reported for every type; not through recursive readers (rl/bh). */
static int e_cycle(int t) { return t == T_RLBH ? K_NONE : K_CIRCULAR; }
static int e_aa(int t) { return t == T_RLBH ? K_NONE : K_RECURSIVE; }
static int e_unlock(int t) { (void)t; return K_UNLOCK; }
static int e_freed(int t) { (void)t; return K_FREED; }
static int e_none(int t) { (void)t; return K_NONE; }

static void basic_tests(void)
{
	header(NULL, all_cols, NR_ALL);
	row("A-A deadlock", AA, all_cols, NR_ALL, e_aa, IC_NONE);
	row("A-B-B-A deadlock", ABBA, all_cols, NR_ALL, e_cycle, IC_NONE);
	row("A-B-B-C-C-A deadlock", ABBCCA, all_cols, NR_ALL, e_cycle, IC_NONE);
	row("A-B-C-A-B-C deadlock", ABCABC, all_cols, NR_ALL, e_cycle, IC_NONE);
	row("A-B-B-C-C-D-D-A deadlock", ABBCCDDA, all_cols, NR_ALL, e_cycle, IC_NONE);
	row("A-B-C-D-B-D-D-A deadlock", ABCDBDDA, all_cols, NR_ALL, e_cycle, IC_NONE);
	row("A-B-C-D-B-C-D-A deadlock", ABCDBCDA, all_cols, NR_ALL, e_cycle, IC_NONE);
	row("double unlock", double_unlock, all_cols, NR_ALL, e_unlock, IC_NONE);
	row("initialize held", init_held, all_cols, NR_ALL, e_freed, IC_NONE);
	row("unlock in another order", unlock_order, all_cols, NR_ALL, e_none, IC_NONE);
}

/* ---- read/write mixes (rwlock in task and bh context, rw_semaphore) ------- */

/*
 * Each body has an rwlock form (RL/WL, with spinlock Y) and an rwsem form
 * (RSL/WSL, with mutex Y), picked by the column.
 */
static bool is_sem(void) { return ttype == T_RSEM; }

#define RD(x)	do { if (is_sem()) RSL(x); else RL(x); } while (0)
#define RDU(x)	do { if (is_sem()) RSU(x); else RU(x); } while (0)
#define WR(x)	do { if (is_sem()) WSL(x); else WL(x); } while (0)
#define WRU(x)	do { if (is_sem()) WSU(x); else WU(x); } while (0)
#define OL(x)	do { if (is_sem()) ML(x); else L(x); } while (0)
#define OU(x)	do { if (is_sem()) MU(x); else U(x); } while (0)

static void rd_AA1(void)	{ RD(X1); RD(X1); RDU(X1); RDU(X1); }
static void rd_AA1B(void)	{ RD(X1); RD(X2); RDU(X2); RDU(X1); }
static void rd_AA2(void)	{ RD(X1); WR(X2); WRU(X2); RDU(X1); }
static void rd_AA3(void)	{ WR(X1); RD(X2); RDU(X2); WRU(X1); }

/* read_lock(A); lock(B) / lock(B); write_lock(A) */
static void rd_ABBA1(void)
{
	RD(X1); OL(Y1); OU(Y1); RDU(X1);
	OL(Y1); WR(X1); WRU(X1); OU(Y1);
}

/* read_lock(A); lock(B) / lock(B); read_lock(A) */
static void rd_ABBA2(void)
{
	RD(X1); OL(Y1); OU(Y1); RDU(X1);
	OL(Y1); RD(X1); RDU(X1); OU(Y1);
}

/* write_lock(A); lock(B) / lock(B); write_lock(A) */
static void rd_ABBA3(void)
{
	WR(X1); OL(Y1); OU(Y1); WRU(X1);
	OL(Y1); WR(X1); WRU(X1); OU(Y1);
}

/*
 * The chain cache must tell read from write: lock(B); read_lock(A) is
 * cached first, then lock(B); write_lock(A) must still be validated.
 */
static void rd_chaincache_ABBA1(void)
{
	RD(X1); OL(Y1); OU(Y1); RDU(X1);
	OL(Y1); RD(X1); RDU(X1); OU(Y1);
	OL(Y1); WR(X1); WRU(X1); OU(Y1);
}

static const int rw_cols[] = { T_RLOCK, T_RLBH, T_RSEM };
#define NR_RW	3

/* Same-class read-after-read: allowed only for recursive readers. */
static int e_rd_aa1(int t) { return t == T_RLBH ? K_NONE : K_RECURSIVE; }
static int e_recursive(int t) { (void)t; return K_RECURSIVE; }
static int e_circular(int t) { (void)t; return K_CIRCULAR; }
static int e_rd_abba2(int t) { return t == T_RLBH ? K_NONE : K_CIRCULAR; }
static int e_rlock_only_circular(int t) { return t == T_RSEM ? -1 : K_CIRCULAR; }

/* The three-lock read/write cycles (rwlocks only), permuted. */
static void (*ev[3])(void);
static const char *perm;

static void run_perm(void)
{
	for (const char *p = perm; *p; p++)
		ev[*p - '1']();
}

static void W1R2_e1(void) { WL(X1); RL(Y1); RU(Y1); WU(X1); }
static void W1R2_e2(void) { WL(Y1); RL(Z1); RU(Z1); WU(Y1); }
static void W1R2_e3(void) { WL(Z1); RL(X1); RU(X1); WU(Z1); }

static void W1W2_e1(void) { WL(X1); WL(Y1); WU(Y1); WU(X1); }
static void R2R3_e2(void) { RL(Y1); RL(Z1); RU(Z1); RU(Y1); }
static void W3R1_e3(void) { WL(Z1); RL(X1); RU(X1); WU(Z1); }
static void R3W1_e3(void) { RL(Z1); WL(X1); WU(X1); RU(Z1); }
static void W3W1_e3(void) { WL(Z1); WL(X1); WU(X1); WU(Z1); }

static const char *const perms3[] = { "123", "132", "213", "231", "312", "321" };
static const char *const perms2[] = { "12", "21" };

static const int rl_cols[] = { T_RLOCK, T_RLBH };

/*
 * A cycle through readers: with non-recursive readers (task context) every
 * one of these is a deadlock; with recursive ones (bh) only those where no
 * reader is followed by a read acquisition.
 */
static int e_w1r2_w2r3_w3r1(int t) { (void)t; return K_CIRCULAR; }
static int e_w1w2_r2r3_w3r1(int t) { (void)t; return K_CIRCULAR; }
static int e_w1w2_r2r3_r3w1(int t) { return t == T_RLBH ? K_NONE : K_CIRCULAR; }
static int e_w1r2_r2r3_w3w1(int t) { return t == T_RLBH ? K_NONE : K_CIRCULAR; }

static void rw3_family(const char *desc, void (*e1)(void), void (*e2)(void),
		       void (*e3)(void), int (*expect)(int))
{
	char name[64];

	ev[0] = e1;
	ev[1] = e2;
	ev[2] = e3;
	for (int i = 0; i < 6; i++) {
		perm = perms3[i];
		snprintf(name, sizeof(name), "%s/%s", desc, perm);
		row(name, run_perm, rl_cols, 2, expect, IC_NONE);
	}
}

static void rw_tests(void)
{
	header("read/write mixes: rwlock in task context, with bh off, and rw_semaphore",
	       rw_cols, NR_RW);
	row("recursive read-lock", rd_AA1, rw_cols, NR_RW, e_rd_aa1, IC_NONE);
	row("recursive read-lock #2", rd_AA1B, rw_cols, NR_RW, e_rd_aa1, IC_NONE);
	row("mixed read-write-lock", rd_AA2, rw_cols, NR_RW, e_recursive, IC_NONE);
	row("mixed write-read-lock", rd_AA3, rw_cols, NR_RW, e_recursive, IC_NONE);
	row("mixed read-lock/lock-write ABBA", rd_ABBA1, rw_cols, NR_RW, e_circular, IC_NONE);
	row("mixed read-lock/lock-read ABBA", rd_ABBA2, rw_cols, NR_RW, e_rd_abba2, IC_NONE);
	row("mixed write-lock/lock-write ABBA", rd_ABBA3, rw_cols, NR_RW, e_circular, IC_NONE);
	row("chain cached mixed R-L/L-W ABBA", rd_chaincache_ABBA1, rw_cols, NR_RW,
	    e_rlock_only_circular, IC_NONE);

	header("three-lock read/write cycles", rl_cols, 2);
	rw3_family("rlock W1R2/W2R3/W3R1", W1R2_e1, W1R2_e2, W1R2_e3, e_w1r2_w2r3_w3r1);
	rw3_family("rlock W1W2/R2R3/W3R1", W1W2_e1, R2R3_e2, W3R1_e3, e_w1w2_r2r3_w3r1);
	rw3_family("rlock W1W2/R2R3/R3W1", W1W2_e1, R2R3_e2, R3W1_e3, e_w1w2_r2r3_r3w1);
	rw3_family("rlock W1R2/R2R3/W3W1", W1R2_e1, R2R3_e2, W3W1_e3, e_w1r2_r2r3_w3w1);
}

/* ---- interrupt-safety families ------------------------------------------- */

static void nop(void) { }
static void lu_A(void) { LU(A); }
static void rl_ru_A(void) { RL(A); RU(A); }
static void l_u_B(void) { L(B); U(B); }
static void rl_ru_B(void) { RL(B); RU(B); }

/* irqs-on + irq-safe-A: A taken in an interrupt, and with interrupts on. */
static void irqsafe1_e1(void) { IRQ_RUN(lu_A); }
static void irqsafe1_e2(void) { LU(A); }

/* sirq-safe-A => hirqs-on: A taken in a softirq; hard irqs enabled with A held. */
static void irqsafe2A_e1(void) { run_softirq(lu_A); }
static void irqsafe2A_e2(void) { local_irq_disable(); LOCK(A); local_irq_enable(); UNLOCK(A); }

/* safe-A + irqs-on: interrupts enabled with an irq-safe lock held. */
static void irqsafe2B_e1(void) { IRQ_RUN(lu_A); }
static void irqsafe2B_e2(void) { IRQ_DISABLE(); LOCK(A); IRQ_ENABLE(); UNLOCK(A); }

/* safe-A + unsafe-B #1: A -> B with interrupts on, then A in an interrupt. */
static void irqsafe3_e1(void) { LOCK_UNLOCK_2(A, B); }
static void irqsafe3_e2(void) { LU(B); }
static void irqsafe3_e3(void) { IRQ_RUN(lu_A); }

/* safe-A + unsafe-B #2: A -> B with interrupts off: the order, not A itself. */
static void irqsafe4_e1(void) { IRQ_DISABLE(); LOCK_UNLOCK_2(A, B); IRQ_ENABLE(); }
static void irqsafe4_e2(void) { LU(B); }
static void irqsafe4_e3(void) { IRQ_RUN(lu_A); }

/* irq lock inversion: write_lock(A) -> B with irqs off; read_lock(A) in the irq. */
static void inversion_e1(void)
{
	IRQ_DISABLE();
	WL(A);
	LU(B);
	WU(A);
	IRQ_ENABLE();
}
static void inversion_e2(void) { LU(B); }
static void inversion_e3(void) { IRQ_RUN(rl_ru_A); }

/* irq read recursion: the interrupt takes A (type: wlock or rlock) -> spin B. */
static void rr1_irq(void) { LOCK(A); L(B); U(B); UNLOCK(A); }
static void rr1_e1(void) { IRQ_DISABLE(); WL(A); WU(A); IRQ_ENABLE(); }
static void rr_e2(void) { RL(A); RU(A); }
static void rr1_e3(void) { IRQ_RUN(rr1_irq); }

/* #2: spin B -> A (type) with irqs off; B in the interrupt. */
static void rr2_e1(void) { IRQ_DISABLE(); L(B); LU(A); U(B); IRQ_ENABLE(); }
static void rr2_e3(void) { IRQ_RUN(l_u_B); }

/* #3: write_lock(B) -> A (type) with irqs off; read_lock(B) in the interrupt. */
static void rr3_e1(void) { IRQ_DISABLE(); WL(B); LU(A); WU(B); IRQ_ENABLE(); }
static void rr3_e3(void) { IRQ_RUN(rl_ru_B); }

/*
 * The verdict of a failing safe -> unsafe case depends on which event comes
 * last: if it is the one that adds the dependency (E1), lockdep reports the
 * order ("X-safe -> X-unsafe lock order detected"); if it is one that marks
 * a lock's usage, it reports the inversion it just completed.
 */
static enum kind tail_kind(void)
{
	return perm[strlen(perm) - 1] == '1' ? K_ORDER : K_INVERSION;
}

/* Readers only: read-read never conflicts, in any context. */
static int e_incons_rlock_ok(int t) { return t == T_RLOCK ? K_NONE : K_INCONS; }
static int e_tail_rlock_ok(int t) { return t == T_RLOCK ? K_NONE : (int)tail_kind(); }
/*
 * A reader taken in task context is not recursive: a writer queued on B
 * (on a third CPU) makes the chain a deadlock. With bottom halves disabled
 * (the softirq flavor's E1) the reader is recursive and the chain is safe.
 */
static int e_tail_rlock_soft_ok(int t)
{
	return t == T_RLOCK && ctx == IC_SOFT ? K_NONE : (int)tail_kind();
}
static int e_rr_incons(int t) { return t == T_WLOCK ? K_INCONS : K_NONE; }

struct irqfam {
	const char *desc;
	void (*e[3])(void);
	int nev;
	bool hard, soft;
	const int *cols;
	int ncols;
	int (*expect)(int type);
};

static const int irq_cols[] = { T_SPIN, T_RAW, T_WLOCK, T_RLOCK, T_SEQ };
static const int rr_cols[] = { T_WLOCK, T_RLOCK };

static const struct irqfam irqfams[] = {
	{ "irqs-on + irq-safe-A", { irqsafe1_e1, irqsafe1_e2 }, 2, true, true,
	  irq_cols, 5, e_incons_rlock_ok },
	{ "sirq-safe-A => hirqs-on", { irqsafe2A_e1, irqsafe2A_e2 }, 2, false, true,
	  irq_cols, 5, e_incons_rlock_ok },
	{ "safe-A + irqs-on", { irqsafe2B_e1, irqsafe2B_e2 }, 2, true, true,
	  irq_cols, 5, e_incons_rlock_ok },
	{ "safe-A + unsafe-B #1", { irqsafe3_e1, irqsafe3_e2, irqsafe3_e3 }, 3, true, true,
	  irq_cols, 5, e_incons_rlock_ok },
	{ "safe-A + unsafe-B #2", { irqsafe4_e1, irqsafe4_e2, irqsafe4_e3 }, 3, true, true,
	  irq_cols, 5, e_tail_rlock_ok },
	{ "irq lock-inversion", { inversion_e1, inversion_e2, inversion_e3 }, 3, true, true,
	  irq_cols, 5, e_tail_rlock_soft_ok },
	{ "irq read-recursion", { rr1_e1, rr_e2, rr1_e3 }, 3, true, true,
	  rr_cols, 2, e_rr_incons },
	{ "irq read-recursion #2", { rr2_e1, rr_e2, rr2_e3 }, 3, true, true,
	  rr_cols, 2, e_tail_rlock_soft_ok },
	{ "irq read-recursion #3", { rr3_e1, rr_e2, rr3_e3 }, 3, true, true,
	  rr_cols, 2, e_tail_rlock_soft_ok },
};

static void irq_family(const struct irqfam *f)
{
	char name[64];

	for (int c = IC_HARD; c <= IC_SOFT; c++) {
		if ((c == IC_HARD && !f->hard) || (c == IC_SOFT && !f->soft))
			continue;
		ctx = (enum irqclass)c;
		for (int i = 0; i < f->nev; i++)
			ev[i] = f->e[i];
		for (int i = 0; i < (f->nev == 2 ? 2 : 6); i++) {
			perm = f->nev == 2 ? perms2[i] : perms3[i];
			snprintf(name, sizeof(name), "%s-%s/%s",
				 c == IC_HARD ? "hard" : "soft", f->desc, perm);
			row(name, run_perm, f->cols, f->ncols, f->expect, ctx);
		}
	}
	ctx = IC_NONE;
}

static void irq_tests(void)
{
	header("interrupt safety: the irq side runs in a real handler or tasklet",
	       irq_cols, 5);
	for (size_t i = 0; i < sizeof(irqfams) / sizeof(irqfams[0]); i++) {
		if (irqfams[i].cols == rr_cols && (i == 0 || irqfams[i - 1].cols != rr_cols))
			header(NULL, rr_cols, 2);
		irq_family(&irqfams[i]);
	}
}

/* ---- queued rwlock: task-context readers are not recursive ------------------ */

static void q_re_irq(void) { RL(A); L(B); U(B); RU(A); }
static void q_er_irq(void) { L(B); RL(A); RU(A); U(B); }

/* read_lock(A) -> B in the irq; B -> read_lock(A) with irqs off: a deadlock. */
static void queued_RE_Er(void)
{
	run_hardirq(q_re_irq);
	local_irq_disable();
	L(B);
	RL(A);
	RU(A);
	U(B);
	local_irq_enable();
}

/* B -> read_lock(A) in the irq; read_lock(A) -> B with irqs off: fine. */
static void queued_ER_rE(void)
{
	run_hardirq(q_er_irq);
	local_irq_disable();
	RL(A);
	L(B);
	U(B);
	RU(A);
	local_irq_enable();
}

/* B in the irq; B -> read_lock(A) with irqs off; read_lock(A) with irqs on. */
static void queued_inversion(void)
{
	run_hardirq(l_u_B);
	local_irq_disable();
	L(B);
	RL(A);
	RU(A);
	U(B);
	local_irq_enable();
	RL(A);
	RU(A);
}

/*
 * A chain: mutex A -> C; A hardirq-safe, A -> B -> C -> D with irqs off; D
 * softirq-safe and hardirq-unsafe. C -> D closes hardirq-safe A -> ... ->
 * hardirq-unsafe D (a deadlock); mutex A -> C -> D is softirq-unsafe ->
 * softirq-safe, which is not.
 */
static void d_lu(void) { L(D); U(D); }
static void a_lu(void) { L(A); U(A); }

static void hardirq_unsafe_softirq_safe(void)
{
	ML(A);
	local_irq_disable();
	L(C);
	U(C);
	local_irq_enable();
	MU(A);

	run_hardirq(a_lu);

	local_irq_disable();
	L(A);
	L(B);
	U(B);
	U(A);
	local_irq_enable();

	local_irq_disable();
	L(B);
	L(C);
	U(C);
	U(B);
	local_irq_enable();

	run_softirq(d_lu);

	local_bh_disable();
	L(D);
	U(D);
	local_bh_enable();

	local_irq_disable();
	L(C);
	L(D);	/* reported */
	U(D);
	U(C);
	local_irq_enable();
}

/*
 * The softirq form, reported as the order is made: C softirq-unsafe, A
 * softirq-safe (taken in a tasklet), then A -> B and B -> C with bottom
 * halves off: B -> C closes softirq-safe A -> B -> softirq-unsafe C.
 */
static void softirq_safe_unsafe_chain(void)
{
	L(C);
	U(C);
	run_softirq(a_lu);
	local_bh_disable();
	L(A);
	L(B);
	U(B);
	U(A);
	local_bh_enable();
	local_bh_disable();
	L(B);
	L(C);	/* reported */
	U(C);
	U(B);
	local_bh_enable();
}

static const int spin_col[] = { T_SPIN };
static const int rlock_col[] = { T_RLOCK };
static int e_q_circ(int t) { (void)t; return K_CIRCULAR; }
static int e_q_inv(int t) { (void)t; return K_INVERSION; }
static int e_order(int t) { (void)t; return K_ORDER; }

static void queued_tests(void)
{
	header("queued read lock tests", rlock_col, 1);
	row("hardirq read-lock/lock-read", queued_RE_Er, rlock_col, 1, e_q_circ, IC_NONE);
	row("hardirq lock-read/read-lock", queued_ER_rE, rlock_col, 1, e_none, IC_NONE);
	row("hardirq inversion", queued_inversion, rlock_col, 1, e_q_inv, IC_HARD);
	header("irq safety through a chain of locks", spin_col, 1);
	row("hardirq_unsafe_softirq_safe", hardirq_unsafe_softirq_safe, spin_col, 1,
	    e_order, IC_HARD);
	row("softirq-safe A -> B -> unsafe C", softirq_safe_unsafe_chain, spin_col, 1,
	    e_order, IC_SOFT);
}

/* ---- nesting annotations -------------------------------------------------- */

static struct lock_class_key other_key;

/* Two locks of one class, the inner annotated: legitimate nesting. */
static void nested_single(void)
{
	LOCK(X1);
	T->nested(X2, SINGLE_DEPTH_NESTING);
	UNLOCK(X2);
	UNLOCK(X1);
}

/* The annotation with subclass 0 says nothing: still recursion. */
static void nested_zero(void)
{
	LOCK(X1);
	T->nested(X2, 0);	/* reported */
	UNLOCK(X2);
	UNLOCK(X1);
}

/* X1 -> X2 nested, then X2 -> X1 nested: the subclasses make it a cycle. */
static void nested_abba(void)
{
	LOCK(X1);
	T->nested(X2, SINGLE_DEPTH_NESTING);
	UNLOCK(X2);
	UNLOCK(X1);
	LOCK(Y1);
	LOCK(X1);
	UNLOCK(X1);
	UNLOCK(Y1);
	T->nested(X2, SINGLE_DEPTH_NESTING);
	LOCK(Y1);	/* reported: X/1 -> Y closes X/0 -> X/1 -> Y -> X/0 */
	UNLOCK(Y1);
	UNLOCK(X2);
}

/* lockdep_set_class(): X2 gets a class of its own. */
static void set_class(void)
{
	T->set_class(X2, &other_key);
	LOCK(X1);
	LOCK(X2);
	UNLOCK(X2);
	UNLOCK(X1);
}

/* lockdep_set_subclass(): X2 is subclass 1 of X's class. */
static void set_subclass(void)
{
	T->set_subclass(X2, SINGLE_DEPTH_NESTING);
	LOCK(X1);
	LOCK(X2);
	UNLOCK(X2);
	UNLOCK(X1);
}

/* A trylock never waits, so it adds no dependency: B -> trylock(A) is no ABBA. */
static void trylock_abba(void)
{
	LOCK_UNLOCK_2(A, B);
	LOCK(B);
	if (T->trylock(A))
		UNLOCK(A);
	UNLOCK(B);
}

/* ... but a trylocked lock held is a lock held: A -> trylock(B) -> C, then C -> A. */
static void trylock_held_abba(void)
{
	LOCK(A);
	if (T->trylock(B)) {
		LOCK(C);
		UNLOCK(C);
		UNLOCK(B);
	}
	UNLOCK(A);
	LOCK_UNLOCK_2(C, A);	/* reported: A -> C exists */
}

static const int nest_cols[] = {
	T_SPIN, T_RAW, T_WLOCK, T_RLOCK, T_RLBH, T_MUTEX, T_WSEM, T_RSEM, T_SEQ
};

static int e_nested_ok(int t) { return ltypes[t].nested ? K_NONE : -1; }
static int e_nested_zero(int t) { return ltypes[t].nested ? K_RECURSIVE : -1; }
/* Y -> X1 (X/0) and X2 (X/1) -> Y close X/0 -> X/1 -> Y -> X/0. */
static int e_nested_abba(int t) { return ltypes[t].nested ? K_CIRCULAR : -1; }
static int e_set_ok(int t) { return ltypes[t].set_class ? K_NONE : -1; }
static int e_try_ok(int t) { return ltypes[t].trylock ? K_NONE : -1; }
static int e_try_held(int t)
{
	return !ltypes[t].trylock ? -1 : t == T_RLBH ? K_NONE : K_CIRCULAR;
}

static void nest_tests(void)
{
	header("nesting annotations and trylocks", nest_cols, NR_ALL);
	row("_nested(SINGLE_DEPTH_NESTING)", nested_single, nest_cols, NR_ALL,
	    e_nested_ok, IC_NONE);
	row("_nested(0)", nested_zero, nest_cols, NR_ALL, e_nested_zero, IC_NONE);
	row("_nested() subclass cycle", nested_abba, nest_cols, NR_ALL, e_nested_abba, IC_NONE);
	row("lockdep_set_class()", set_class, nest_cols, NR_ALL, e_set_ok, IC_NONE);
	row("lockdep_set_subclass()", set_subclass, nest_cols, NR_ALL, e_set_ok, IC_NONE);
	row("trylock B -> A after A -> B", trylock_abba, nest_cols, NR_ALL, e_try_ok, IC_NONE);
	row("A -> trylock B -> C, C -> A", trylock_held_abba, nest_cols, NR_ALL, e_try_held,
	    IC_NONE);
}

int main(void)
{
	const char *v = getenv("LKSYNC_SELFTEST_VERBOSE");

	verbose = v ? atoi(v) : 0;
	main_tid = gettid();
	test_watchdog(60);
	test_current = "lockdep_selftest";
	lksync_set_report_sink(selftest_sink, NULL);
	/* The line is routed to this task: its handler interrupts us. */
	CHECK_EQ(request_irq(SELFTEST_IRQ, selftest_handler, 0, "selftest", &irq_dev), 0);
	/*
	 * The first request_irq() and tasklet start the library's own threads
	 * (the clock, ksoftirqd, the workqueue manager), which take locks as
	 * they start: let them settle before lockdep is reset under them.
	 */
	run_hardirq(nop);
	run_softirq(nop);
	usleep(test_under_sanitizer() ? 300000 : 50000);

	printf("------------------------\n");
	printf("| Locking API testsuite:\n");
	basic_tests();
	rw_tests();
	irq_tests();
	queued_tests();
	nest_tests();

	free_irq(SELFTEST_IRQ, &irq_dev);
	lksync_lockdep_reset();
	lksync_set_report_sink(NULL, NULL);

	printf("  %s\n", rule);
	if (nr_known_rows) {
		printf("known failing: %d cases, debug-flavor gaps (known_failing[]):\n",
		       cases_known);
		for (int i = 0; i < nr_known_rows; i++)
			printf("  %s* [%s]: %s\n", known_rows_seen[i]->row,
			       known_rows_seen[i]->cols ? known_rows_seen[i]->cols : "all",
			       known_rows_seen[i]->reason);
	}
	if (cases_bad)
		printf("BUG: %3d unexpected failures (out of %3d)\n", cases_bad, cases);
	else
		printf("Good, all %3d testcases passed (%d known failing)! |\n",
		       cases_ok, cases_known);
	if (cases_fixed)
		printf("%d known-failing cases now pass: update known_failing[]\n", cases_fixed);
	if (foreign_reports)
		printf("%d reports from the library's own threads (printed above)\n",
		       foreign_reports);
	return test_done();
}

#endif /* LKSYNC_DEBUG */
