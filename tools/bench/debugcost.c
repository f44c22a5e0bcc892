// SPDX-License-Identifier: MIT
/*
 * lksync-debug-cost: what the debug flavor costs per acquire/release pair,
 * side by side with the release flavor, in one run.
 *
 * The two flavors differ in structure layouts and inline fast paths, so one
 * program cannot hold both: this source is built twice, as
 * lksync-debug-cost (linked with liblksync) and lksync-debug-cost-debug
 * (LKSYNC_DEBUG, linked with liblksync-debug). The release program
 * measures its own pairs, then runs its debug twin from the same directory
 * with --child, reads the twin's medians from a pipe and prints both, the
 * difference, and the target: lockdep's steady-state overhead (the
 * dependency chain already seen) under 150 ns per pair.
 *
 * One thread, nothing contended: this is the bookkeeping cost. Each case
 * runs a warm-up first, so every class, dependency and chain is known
 * before the clock starts. Medians over repetitions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <lksync/spinlock.h>
#include <lksync/rwlock.h>
#include <lksync/mutex.h>
#include <lksync/rwsem.h>
#include <lksync/bug.h>

#ifdef LKSYNC_DEBUG
#define FLAVOR "debug"
#else
#define FLAVOR "release"
#endif

#define TARGET_NS	150.0
#define MAX_REPS	15

static DEFINE_SPINLOCK(sa);
static DEFINE_SPINLOCK(sb);
static DEFINE_RWLOCK(rw);
static DEFINE_MUTEX(ma);
static DECLARE_RWSEM(rs);

/* Each case: one iteration = @pairs acquire/release pairs. */
struct bench_case {
	const char *name;
	unsigned int pairs;
	void (*fn)(unsigned long n);
};

static void c_spin(unsigned long n)
{
	while (n--) {
		spin_lock(&sa);
		spin_unlock(&sa);
	}
}

static void c_spin_irqsave(unsigned long n)
{
	unsigned long flags;

	while (n--) {
		spin_lock_irqsave(&sa, flags);
		spin_unlock_irqrestore(&sa, flags);
	}
}

static void c_spin_nested(unsigned long n)
{
	while (n--) {
		spin_lock(&sa);
		spin_lock(&sb);
		spin_unlock(&sb);
		spin_unlock(&sa);
	}
}

static void c_read_lock(unsigned long n)
{
	while (n--) {
		read_lock(&rw);
		read_unlock(&rw);
	}
}

static void c_write_lock(unsigned long n)
{
	while (n--) {
		write_lock(&rw);
		write_unlock(&rw);
	}
}

static void c_mutex(unsigned long n)
{
	while (n--) {
		mutex_lock(&ma);
		mutex_unlock(&ma);
	}
}

static void c_mutex_spin(unsigned long n)
{
	while (n--) {
		mutex_lock(&ma);
		spin_lock(&sa);
		spin_unlock(&sa);
		mutex_unlock(&ma);
	}
}

static void c_down_read(unsigned long n)
{
	while (n--) {
		down_read(&rs);
		up_read(&rs);
	}
}

static void c_down_write(unsigned long n)
{
	while (n--) {
		down_write(&rs);
		up_write(&rs);
	}
}

static const struct bench_case cases[] = {
	{ "spin_lock/spin_unlock",		1, c_spin },
	{ "spin_lock_irqsave/restore",		1, c_spin_irqsave },
	{ "2 nested spinlocks (chain seen)",	2, c_spin_nested },
	{ "read_lock/read_unlock",		1, c_read_lock },
	{ "write_lock/write_unlock",		1, c_write_lock },
	{ "mutex_lock/mutex_unlock",		1, c_mutex },
	{ "mutex + nested spinlock",		2, c_mutex_spin },
	{ "down_read/up_read",			1, c_down_read },
	{ "down_write/up_write",		1, c_down_write },
};
#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median ns per pair of @c over @reps runs of about @ms milliseconds each. */
static double measure(const struct bench_case *c, unsigned int reps, double ms)
{
	double r[MAX_REPS], t0, t;
	unsigned long n = 1000;

	c->fn(20000);	/* warm-up: classes, dependencies and chains are known from here on */
	for (;;) {	/* calibrate: an iteration count that takes about @ms */
		t0 = now_ns();
		c->fn(n);
		t = now_ns() - t0;
		if (t > ms * 1e6 / 4 || n > (1UL << 30))
			break;
		n *= 4;
	}
	n = (unsigned long)(n * (ms * 1e6) / (t > 1 ? t : 1)) + 1;
	for (unsigned int i = 0; i < reps; i++) {
		t0 = now_ns();
		c->fn(n);
		r[i] = (now_ns() - t0) / ((double)n * c->pairs);
	}
	qsort(r, reps, sizeof(r[0]), cmp_double);
	return r[reps / 2];
}

static void usage(FILE *f)
{
	fprintf(f, "usage: lksync-debug-cost [--reps R] [--ms MS] [--check]\n"
		"  the debug flavor's cost per acquire/release pair against the release\n"
		"  flavor's (1 thread, uncontended, chains already seen); medians of R runs\n"
		"  of about MS milliseconds each (default 7 x 200). --check: exit 1 if\n"
		"  lockdep's overhead misses its target (%.0f ns per pair).\n", TARGET_NS);
}

int main(int argc, char **argv)
{
	unsigned int reps = 7;
	double ms = 200, rel[NR_CASES], dbg[NR_CASES];
	int child = 0, check = 0, have_debug = 0, fail = 0;
	char twin[4096];
	FILE *in;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--child"))
			child = 1;
		else if (!strcmp(argv[i], "--check"))
			check = 1;
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--ms") && i + 1 < argc)
			ms = atof(argv[++i]);
		else if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (reps < 1 || reps > MAX_REPS || ms <= 0) {
		fprintf(stderr, "lksync-debug-cost: --reps 1..%d, --ms > 0\n", MAX_REPS);
		return 2;
	}

	if (child) {	/* the twin: medians on stdout, one per line, in case order */
		for (unsigned int i = 0; i < NR_CASES; i++)
			printf("%.3f\n", measure(&cases[i], reps, ms));
		/* A report here means a false positive in the debug flavor: say so. */
		printf("reports %lu\n", lksync_report_count());
		return 0;
	}
#ifdef LKSYNC_DEBUG
	fprintf(stderr, "lksync-debug-cost: run the release program; this is its twin\n");
	return 2;
#endif
	for (unsigned int i = 0; i < NR_CASES; i++)
		rel[i] = measure(&cases[i], reps, ms);

	/* The twin lives next to us. */
	{
		ssize_t len = readlink("/proc/self/exe", twin, sizeof(twin) - 32);
		char cmd[4200];

		if (len > 0) {
			twin[len] = 0;
			strcat(twin, "-debug");
			if (access(twin, X_OK) == 0) {
				snprintf(cmd, sizeof(cmd), "'%s' --child --reps %u --ms %g", twin, reps, ms);
				in = popen(cmd, "r");
				if (in) {
					unsigned long reports = 0;

					have_debug = 1;
					for (unsigned int i = 0; i < NR_CASES; i++)
						if (fscanf(in, "%lf", &dbg[i]) != 1)
							have_debug = 0;
					if (fscanf(in, " reports %lu", &reports) != 1)
						have_debug = 0;
					if (pclose(in) != 0)
						have_debug = 0;
					if (reports) {
						fprintf(stderr, "lksync-debug-cost: the debug flavor made %lu "
							"report(s) on correct code\n", reports);
						fail = 1;
					}
				}
			}
		}
	}

	printf("== debug flavor cost: one acquire/release pair, 1 thread, uncontended "
	       "(ns per pair; medians of %u runs of ~%.0f ms)\n", reps, ms);
	printf("%-36s %10s %10s %10s\n", "pair", "release", "debug", "overhead");
	for (unsigned int i = 0; i < NR_CASES; i++) {
		if (have_debug)
			printf("%-36s %10.2f %10.2f %10.2f\n", cases[i].name, rel[i], dbg[i],
			       dbg[i] - rel[i]);
		else
			printf("%-36s %10.2f %10s %10s\n", cases[i].name, rel[i], "-", "-");
	}
	if (!have_debug) {
		printf("SKIP  lockdep steady-state overhead < %.0f ns per pair   not measured: "
		       "no %s\n", TARGET_NS, twin);
		return fail;
	}
	/* The chain case is the target's: nested locks whose dependency is known. */
	{
		double worst = 0;
		const char *what = "";

		for (unsigned int i = 0; i < NR_CASES; i++) {
			if (dbg[i] - rel[i] > worst) {
				worst = dbg[i] - rel[i];
				what = cases[i].name;
			}
		}
		printf("%s  lockdep steady-state overhead < %.0f ns per pair   worst %.1f ns (%s)\n",
		       worst < TARGET_NS ? "PASS" : "FAIL", TARGET_NS, worst, what);
		if (worst >= TARGET_NS && check)
			fail = 1;
	}
	return fail;
}
