// SPDX-License-Identifier: MIT
/*
 * LOCK_STAT: per-class acquisitions, contentions, wait and hold times and
 * contention points, printed in /proc/lock_stat's layout. Driven through
 * pseudo-locks (lockdep_map + lock_acquire/lock_contended/lock_acquired/
 * lock_release) so the times are known. Debug flavor only.
 */
#include <lksync/sched.h>
#include <lksync/lockdep.h>
#include "lksync_test.h"

#ifndef LKSYNC_DEBUG
int main(void)
{
	printf("skipped (release flavor)\n");
	return 0;
}
#else

static struct lock_class_key kw, kr;
static struct lockdep_map W, R;

/* The whole /proc/lock_stat text, through a memory stream. */
static char *stat_text(void)
{
	static char *buf;
	size_t len;
	FILE *f;

	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	lksync_lock_stat_print(f);
	fclose(f);
	return buf;
}

/* The line of @text that starts (after padding) with @name. */
static const char *line_of(const char *text, const char *name)
{
	const char *p = text;

	while ((p = strstr(p, name))) {
		const char *bol = p;

		while (bol > text && bol[-1] == ' ')
			bol--;
		if (bol == text || bol[-1] == '\n')
			return p;
		p++;
	}
	return NULL;
}

/* Field @n (0-based, after the "name:") of the line at @l. */
static double field(const char *l, int n)
{
	const char *p = strchr(l, ':');
	double v = -1;

	if (!p)
		return -1;
	p++;
	for (int i = 0; i <= n; i++) {
		char *end;

		v = strtod(p, &end);
		if (end == p)
			return -1;
		p = end;
	}
	return v;
}

/* A contention-point line: "name count [<addr>] symbol". */
static int point_line(const char *text, const char *name, unsigned long count)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		char n[64], ip[64];
		unsigned long c;

		if (sscanf(p, " %63s %lu %63s", n, &c, ip) == 3 && !strcmp(n, name) &&
		    c == count && !strncmp(ip, "[<", 2))
			return 1;
	}
	return 0;
}

static void sleep_us(long us)
{
	struct timespec ts = { 0, us * 1000 };

	nanosleep(&ts, NULL);
}

TEST(layout_and_counts)
{
	const char *text, *l;

	lksync_lockdep_reset();
	lksync_lock_stat_clear();
	lockdep_init_map(&W, "wlock", &kw, 0);
	lockdep_init_map(&R, "rwlock", &kr, 0);
	CHECK_EQ(lksync_lock_stat_enable(1), 0);

	/* wlock: 10 uncontended acquisitions held ~200 us, 2 contended ones. */
	for (int i = 0; i < 10; i++) {
		lock_acquire(&W, 0, 0, 0, 1, NULL, _THIS_IP_);
		lock_acquired(&W, _THIS_IP_);
		sleep_us(200);
		lock_release(&W, _THIS_IP_);
	}
	for (int i = 0; i < 2; i++) {
		lock_acquire(&W, 0, 0, 0, 1, NULL, _THIS_IP_);
		lock_contended(&W, _THIS_IP_);
		sleep_us(1000);
		lock_acquired(&W, _THIS_IP_);
		lock_release(&W, _THIS_IP_);
	}
	/* rwlock: read and write acquisitions are shown apart. */
	lock_acquire(&R, 0, 0, 1, 1, NULL, _THIS_IP_);
	lock_release(&R, _THIS_IP_);
	lock_acquire(&R, 0, 0, 0, 1, NULL, _THIS_IP_);
	lock_release(&R, _THIS_IP_);

	text = stat_text();
	CHECK(text != NULL);
	if (!text)
		return;
	CHECK(strncmp(text, "lock_stat version 0.4\n", 22) == 0);
	CHECK(strstr(text, "class name    con-bounces    contentions   waittime-min") != NULL);
	CHECK(strstr(text, "acq-bounces   acquisitions   holdtime-min   holdtime-max "
			   "holdtime-total   holdtime-avg\n") != NULL);

	l = line_of(text, "wlock:");
	CHECK(l != NULL);
	if (l) {
		CHECK_EQ(field(l, 1), 2);		/* contentions */
		CHECK(field(l, 3) >= 900);		/* waittime-max, us */
		CHECK(field(l, 3) < 1000000);
		CHECK_EQ(field(l, 7), 12);		/* acquisitions */
		CHECK(field(l, 8) >= 0);		/* holdtime-min */
		CHECK(field(l, 9) >= 150);		/* holdtime-max */
		CHECK(field(l, 10) >= 1500);		/* holdtime-total */
	}
	/* The contention points, after a rule of '-' under the name. */
	CHECK(strstr(text, "                                   -----\n") != NULL);
	CHECK(point_line(text, "wlock", 2));
	l = line_of(text, "rwlock-W:");
	CHECK(l != NULL && field(l, 7) == 1);
	l = line_of(text, "rwlock-R:");
	CHECK(l != NULL && field(l, 7) == 1);
	/* Sorted by contentions: wlock first. */
	CHECK(line_of(text, "wlock:") && line_of(text, "rwlock-W:") &&
	      line_of(text, "wlock:") < line_of(text, "rwlock-W:"));

	/* Cleared, and not collected while off. */
	lksync_lock_stat_clear();
	lksync_lock_stat_enable(0);
	lock_acquire(&W, 0, 0, 0, 1, NULL, _THIS_IP_);
	lock_release(&W, _THIS_IP_);
	text = stat_text();
	CHECK(text && line_of(text, "wlock:") == NULL);
}

static void contend(int idx, void *arg)
{
	for (int i = 0; i < 200; i++) {
		lock_acquire(&W, 0, 0, 0, 1, NULL, _THIS_IP_);
		if (i % 4 == idx % 4)
			lock_contended(&W, _THIS_IP_);
		lock_acquired(&W, _THIS_IP_);
		lock_release(&W, _THIS_IP_);
	}
	(void)arg;
}

TEST(many_tasks)
{
	const char *text, *l;

	lksync_lock_stat_clear();
	lksync_lock_stat_enable(1);
	test_threads(4, contend, NULL);
	lksync_lock_stat_enable(0);
	text = stat_text();
	l = text ? line_of(text, "wlock:") : NULL;
	CHECK(l != NULL);
	if (l) {
		CHECK_EQ(field(l, 7), 800);
		CHECK_EQ(field(l, 1), 200);
	}
	CHECK_EQ(test_reports, 0);
}

int main(void)
{
	test_watchdog(60);
	lksync_set_report_sink(test_report_sink, NULL);
	RUN(layout_and_counts);
	RUN(many_tasks);
	return test_done();
}
#endif /* LKSYNC_DEBUG */
