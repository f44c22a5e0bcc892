// SPDX-License-Identifier: MIT
/*
 * Layer: debug. Lock statistics (LOCK_STAT), per lock class, as the
 * kernel's: acquisitions and hold times (counted at release), contentions
 * and wait times (between lock_contended() and lock_acquired()), cache-line
 * bounces (the lock last taken on another CPU), and the first four code
 * points that contended (where the waiter was) and that were contended
 * (where the holder took the lock). Printed in /proc/lock_stat's layout by
 * lksync_lock_stat_print(), and at exit when LKSYNC_LOCK_STAT is set.
 *
 * Counters are updated with relaxed atomics from any task and any context
 * (interrupt handlers included): they order nothing, they only must not be
 * torn or lost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <time.h>
#include <lksync/lockdep.h>
#include "debug/debug.h"
#include "debug/lockdep_internals.h"

#ifdef LKSYNC_DEBUG

/*
 * Off until asked for (LKSYNC_LOCK_STAT or lksync_lock_stat_enable()): the
 * kernel's sched_clock() is nearly free, a userspace clock read is not
 * (two per acquisition would triple lockdep's cost per lock operation).
 */
int lksync_lock_stat_enabled;

u64 lockstat_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

static void lock_time_inc(struct lock_time *lt, u64 t)
{
	u64 v;

	__atomic_add_fetch(&lt->total, t, __ATOMIC_RELAXED);
	__atomic_add_fetch(&lt->nr, 1, __ATOMIC_RELAXED);
	v = __atomic_load_n(&lt->max, __ATOMIC_RELAXED);
	while (t > v && !__atomic_compare_exchange_n(&lt->max, &v, t, 1, __ATOMIC_RELAXED,
						     __ATOMIC_RELAXED))
		;
	v = __atomic_load_n(&lt->min, __ATOMIC_RELAXED);
	while ((!v || t < v) && t &&
	       !__atomic_compare_exchange_n(&lt->min, &v, t, 1, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
}

/* The slot of @ip among @points (claimed if new), or LOCKSTAT_POINTS. */
static int lock_point(unsigned long points[LOCKSTAT_POINTS], unsigned long ip)
{
	for (int i = 0; i < LOCKSTAT_POINTS; i++) {
		unsigned long p = __atomic_load_n(&points[i], __ATOMIC_RELAXED);

		if (p == ip)
			return i;
		if (!p) {
			if (__atomic_compare_exchange_n(&points[i], &p, ip, 0, __ATOMIC_RELAXED,
							__ATOMIC_RELAXED) || p == ip)
				return i;
		}
	}
	return LOCKSTAT_POINTS;
}

static inline void stat_inc(unsigned long *c)
{
	__atomic_add_fetch(c, 1, __ATOMIC_RELAXED);
}

void lockstat_release(struct held_lock *h, u64 now)
{
	struct lock_class *c = hlock_class(h);

	if (!c || !h->holdtime_stamp)
		return;
	lock_time_inc(h->read ? &c->stats.read_holdtime : &c->stats.write_holdtime,
		      now - h->holdtime_stamp);
}

void lockstat_contended(struct held_lock *h, struct lockdep_map *lock, unsigned long ip)
{
	struct lock_class *c = hlock_class(h);
	int point;

	if (!c)
		return;
	h->waittime_stamp = lockstat_clock();
	point = lock_point(c->contention_point, ip);
	if (point < LOCKSTAT_POINTS)
		stat_inc(&c->stats.contention_point[point]);
	point = lock_point(c->contending_point, __atomic_load_n(&lock->ip, __ATOMIC_RELAXED));
	if (point < LOCKSTAT_POINTS)
		stat_inc(&c->stats.contending_point[point]);
	if (__atomic_load_n(&lock->cpu, __ATOMIC_RELAXED) != sched_getcpu())
		stat_inc(&c->stats.bounces[bounce_contended_write + !!h->read]);
}

void lockstat_acquired(struct held_lock *h, struct lockdep_map *lock, unsigned long ip)
{
	struct lock_class *c = hlock_class(h);
	int cpu = sched_getcpu();

	if (!c)
		return;
	if (h->waittime_stamp) {
		u64 now = lockstat_clock();

		lock_time_inc(h->read ? &c->stats.read_waittime : &c->stats.write_waittime,
			      now - h->waittime_stamp);
		h->holdtime_stamp = now;
	}
	if (__atomic_load_n(&lock->cpu, __ATOMIC_RELAXED) != cpu) {
		stat_inc(&c->stats.bounces[bounce_acquired_write + !!h->read]);
		__atomic_store_n(&lock->cpu, cpu, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&lock->ip, ip, __ATOMIC_RELAXED);
}

/* ---------------------------------------------------------------- */
/* /proc/lock_stat */

#define LS_WIDTH	(40 + 1 + 12 * (14 + 1))

static void seq_line(FILE *f, char c, int offset, int length)
{
	fprintf(f, "%*s", offset, "");
	for (int i = 0; i < length; i++)
		fputc(c, f);
	fputc('\n', f);
}

static void seq_time(FILE *f, u64 ns)
{
	char num[32];

	snprintf(num, sizeof(num), "%llu.%02llu", (unsigned long long)(ns / 1000),
		 (unsigned long long)((ns % 1000) / 10));
	fprintf(f, " %14s", num);
}

static void seq_lock_time(FILE *f, const struct lock_time *lt)
{
	fprintf(f, "%14lu", lt->nr);
	seq_time(f, lt->min);
	seq_time(f, lt->max);
	seq_time(f, lt->total);
	seq_time(f, lt->nr ? lt->total / lt->nr : 0);
}

static unsigned long contentions(const struct lock_class *c)
{
	return __atomic_load_n(&c->stats.read_waittime.nr, __ATOMIC_RELAXED) +
	       __atomic_load_n(&c->stats.write_waittime.nr, __ATOMIC_RELAXED);
}

static int ls_cmp(const void *a, const void *b)
{
	unsigned long x = contentions(&lock_classes[*(const u16 *)a]);
	unsigned long y = contentions(&lock_classes[*(const u16 *)b]);

	return x < y ? 1 : x > y ? -1 : 0;
}

static void seq_stats(FILE *f, const struct lock_class *c)
{
	struct lock_class_stats s;
	char name[64], sym[256];
	int namelen, i;

	/* Word by word, relaxed: updaters run concurrently (no torn counts). */
	for (size_t w = 0; w < sizeof(s) / sizeof(unsigned long); w++)
		((unsigned long *)&s)[w] = __atomic_load_n((const unsigned long *)&c->stats + w,
							   __ATOMIC_RELAXED);
	if (c->name_version > 1 && c->subclass)
		snprintf(name, sizeof(name), "%s#%d/%d", c->name, c->name_version, c->subclass);
	else if (c->name_version > 1)
		snprintf(name, sizeof(name), "%s#%d", c->name, c->name_version);
	else if (c->subclass)
		snprintf(name, sizeof(name), "%s/%d", c->name, c->subclass);
	else
		snprintf(name, sizeof(name), "%s", c->name);
	namelen = (int)strlen(name);
	if (s.write_holdtime.nr) {
		if (s.read_holdtime.nr)
			fprintf(f, "%38s-W:", name);
		else
			fprintf(f, "%40s:", name);
		fprintf(f, "%14lu ", s.bounces[bounce_contended_write]);
		seq_lock_time(f, &s.write_waittime);
		fprintf(f, " %14lu ", s.bounces[bounce_acquired_write]);
		seq_lock_time(f, &s.write_holdtime);
		fputc('\n', f);
	}
	if (s.read_holdtime.nr) {
		fprintf(f, "%38s-R:", name);
		fprintf(f, "%14lu ", s.bounces[bounce_contended_read]);
		seq_lock_time(f, &s.read_waittime);
		fprintf(f, " %14lu ", s.bounces[bounce_acquired_read]);
		seq_lock_time(f, &s.read_holdtime);
		fputc('\n', f);
	}
	if (s.read_waittime.nr + s.write_waittime.nr == 0)
		return;
	if (s.read_holdtime.nr)
		namelen += 2;
	for (i = 0; i < LOCKSTAT_POINTS &&
		    __atomic_load_n(&c->contention_point[i], __ATOMIC_RELAXED); i++) {
		char ip[32];

		if (!i)
			seq_line(f, '-', 40 - namelen, namelen);
		snprintf(ip, sizeof(ip), "[<%p>]", (void *)c->contention_point[i]);
		lksync_report_symbol(sym, sizeof(sym), (void *)c->contention_point[i]);
		fprintf(f, "%40s %14lu %29s %s\n", name, s.contention_point[i], ip, sym);
	}
	for (i = 0; i < LOCKSTAT_POINTS &&
		    __atomic_load_n(&c->contending_point[i], __ATOMIC_RELAXED); i++) {
		char ip[32];

		if (!i)
			seq_line(f, '-', 40 - namelen, namelen);
		snprintf(ip, sizeof(ip), "[<%p>]", (void *)c->contending_point[i]);
		lksync_report_symbol(sym, sizeof(sym), (void *)c->contending_point[i]);
		fprintf(f, "%40s %14lu %29s %s\n", name, s.contending_point[i], ip, sym);
	}
	if (i) {
		fputc('\n', f);
		seq_line(f, '.', 0, LS_WIDTH);
		fputc('\n', f);
	}
}

void lksync_lock_stat_print(void *out)
{
	static u16 order[MAX_LOCKDEP_KEYS];
	static int printing;
	/* Acquire: the classes counted are filled in. */
	unsigned int n = 0, nr = __atomic_load_n(&nr_lock_classes, __ATOMIC_ACQUIRE);
	FILE *f = out ? out : stderr;

	if (__atomic_exchange_n(&printing, 1, __ATOMIC_ACQUIRE))
		return;
	for (unsigned int c = 1; c <= nr && c < MAX_LOCKDEP_KEYS; c++) {
		const struct lock_class *k = &lock_classes[c];

		if (__atomic_load_n(&k->stats.read_holdtime.nr, __ATOMIC_RELAXED) ||
		    __atomic_load_n(&k->stats.write_holdtime.nr, __ATOMIC_RELAXED) ||
		    contentions(k))
			order[n++] = (u16)c;
	}
	qsort(order, n, sizeof(order[0]), ls_cmp);
	fprintf(f, "lock_stat version 0.4\n");
	seq_line(f, '-', 0, LS_WIDTH);
	fprintf(f, "%40s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s\n",
		"class name", "con-bounces", "contentions", "waittime-min", "waittime-max",
		"waittime-total", "waittime-avg", "acq-bounces", "acquisitions",
		"holdtime-min", "holdtime-max", "holdtime-total", "holdtime-avg");
	seq_line(f, '-', 0, LS_WIDTH);
	fputc('\n', f);
	for (unsigned int i = 0; i < n; i++)
		seq_stats(f, &lock_classes[order[i]]);
	fflush(f);
	__atomic_store_n(&printing, 0, __ATOMIC_RELEASE);
}

void lksync_lock_stat_clear(void)
{
	unsigned int nr = __atomic_load_n(&nr_lock_classes, __ATOMIC_ACQUIRE);

	for (unsigned int c = 1; c <= nr && c < MAX_LOCKDEP_KEYS; c++) {
		struct lock_class *k = &lock_classes[c];

		/* Relaxed stores, word by word: updaters may race with us harmlessly. */
		for (size_t w = 0; w < sizeof(k->stats) / sizeof(unsigned long); w++)
			__atomic_store_n((unsigned long *)&k->stats + w, 0, __ATOMIC_RELAXED);
		for (int i = 0; i < LOCKSTAT_POINTS; i++) {
			__atomic_store_n(&k->contention_point[i], 0, __ATOMIC_RELAXED);
			__atomic_store_n(&k->contending_point[i], 0, __ATOMIC_RELAXED);
		}
	}
}

int lksync_lock_stat_enable(int on)
{
	return __atomic_exchange_n(&lksync_lock_stat_enabled, !!on, __ATOMIC_RELAXED);
}

/*
 * LKSYNC_LOCK_STAT=1: collect from the start and print to stderr at exit;
 * any other value but 0 names a file to write them to at exit.
 */
static const char *lock_stat_env;

static void lock_stat_at_exit(void)
{
	FILE *f;

	if (!strcmp(lock_stat_env, "1")) {
		lksync_lock_stat_print(stderr);
		return;
	}
	f = fopen(lock_stat_env, "w");
	if (!f)
		return;
	lksync_lock_stat_print(f);
	fclose(f);
}

__attribute__((constructor)) static void lock_stat_init(void)
{
	lock_stat_env = getenv("LKSYNC_LOCK_STAT");
	if (!lock_stat_env || !*lock_stat_env)
		return;
	if (!strcmp(lock_stat_env, "0"))
		return;
	lksync_lock_stat_enabled = 1;
	atexit(lock_stat_at_exit);
}

#endif /* LKSYNC_DEBUG */
