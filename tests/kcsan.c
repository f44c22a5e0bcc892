// SPDX-License-Identifier: MIT
/*
 * Race annotations (<lksync/kcsan-checks.h>, data_race()).
 *
 * Every build: values, single evaluation, the assertions leave the variable
 * alone, the scoped forms are declarations. Without ThreadSanitizer
 * (release, ASan, debug flavor) the annotations are the plain access: the
 * expansion of data_race() holds nothing else, and the assertions touch no
 * memory (checked on freed memory, which ASan would report).
 *
 * Under TSan: this program runs itself as a child with a scenario name and
 * its own TSAN_OPTIONS, and asserts whether TSan reported a race:
 *   plain read vs plain write                      reported (the control)
 *   data_race() read vs plain write                not reported
 *   ASSERT_EXCLUSIVE_WRITER + READ_ONCE vs WRITE_ONCE   reported
 *   READ_ONCE vs WRITE_ONCE, no assertion          not reported (the control)
 *   ASSERT_EXCLUSIVE_WRITER vs concurrent readers  not reported
 *   ASSERT_EXCLUSIVE_ACCESS vs a concurrent reader reported
 *   ASSERT_EXCLUSIVE_WRITER_SCOPED vs a writer     reported
 *   kcsan_check_write() vs a concurrent reader     reported
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <lksync/compiler.h>
#include <lksync/kcsan-checks.h>
#include "lksync_test.h"

#define STR2(x)	#x
#define STR(x)	STR2(x)

TEST(values)
{
	volatile int vx = 7;
	const int cx = 3;
	int i = 0, arr[2] = { 1, 2 };
	struct { int a; long b; } s = { 4, 5 }, s2;

	CHECK_EQ(data_race(vx), 7);
	CHECK_EQ(data_race(cx + 1), 4);
	/* The value is unqualified, as the kernel's. */
	_Static_assert(__builtin_types_compatible_p(__typeof__(data_race(vx)), int), "unqualified");
	_Static_assert(__builtin_types_compatible_p(__typeof__(data_race(cx)), int), "unqualified");
	/* Evaluated once. */
	CHECK_EQ(data_race(i++), 0);
	CHECK_EQ(i, 1);
	CHECK_EQ(data_race(arr[i]), 2);
	s2 = data_race(s);
	CHECK_EQ(s2.a, 4);
	CHECK_EQ(s2.b, 5);
	/* Nests. */
	CHECK_EQ(data_race(data_race(vx) + 1), 8);
}

static int shared_word;

TEST(assertions_leave_value)
{
	long l = 42;
	unsigned int bits = 0xf0;

	shared_word = 5;
	ASSERT_EXCLUSIVE_WRITER(shared_word);
	ASSERT_EXCLUSIVE_ACCESS(shared_word);
	ASSERT_EXCLUSIVE_BITS(bits, 0x0f);
	ASSERT_EXCLUSIVE_WRITER(l);
	kcsan_check_read(&l, sizeof(l));
	kcsan_check_write(&l, sizeof(l));
	kcsan_check_read_write(&l, sizeof(l));
	kcsan_check_atomic_read(&l, sizeof(l));
	kcsan_check_atomic_write(&l, sizeof(l));
	CHECK_EQ(shared_word, 5);
	CHECK_EQ(l, 42);
	CHECK_EQ(bits, 0xf0);
	{
		ASSERT_EXCLUSIVE_WRITER_SCOPED(shared_word);
		ASSERT_EXCLUSIVE_ACCESS_SCOPED(l);
		shared_word++;
		l++;
	}
	CHECK_EQ(shared_word, 6);
	CHECK_EQ(l, 43);
	kcsan_disable_current();
	kcsan_nestable_atomic_begin();
	shared_word++;
	kcsan_nestable_atomic_end();
	kcsan_enable_current();
	kcsan_atomic_next(1);
	kcsan_set_access_mask(0);
	CHECK_EQ(shared_word, 7);
}

#ifndef LKSYNC_TSAN
/* The plain access: nothing but the expression and a local copy. */
TEST(plain_without_tsan)
{
	static const char want[] = "({ do { } while (0); __auto_type __dr_v = (shared_word); "
				   "do { } while (0); __dr_v; })";
	int *p = malloc(sizeof(*p));

	CHECK(!strcmp(STR(data_race(shared_word)), want));
	if (strcmp(STR(data_race(shared_word)), want))
		fprintf(stderr, "data_race expands to %s\n", STR(data_race(shared_word)));
	/*
	 * The assertions read nothing: on freed memory ASan would report
	 * any access (and a plain build reads nothing either).
	 */
	free(p);
	ASSERT_EXCLUSIVE_WRITER(*p);
	ASSERT_EXCLUSIVE_ACCESS(*p);
	ASSERT_EXCLUSIVE_BITS(*p, 1);
	kcsan_check_read(p, sizeof(*p));
	kcsan_check_write(p, sizeof(*p));
	{
		ASSERT_EXCLUSIVE_ACCESS_SCOPED(*p);
	}
	CHECK(1);
}
#else
/* ---- TSan scenarios, each in a child process ---------------------------- */

static int race_var;
static int go;
#define ITERS	2000

static void wait_go(void)
{
	/* Relaxed: TSan sees no happens-before in it, so the threads stay unordered. */
	__atomic_add_fetch(&go, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&go, __ATOMIC_RELAXED) < 2)
		;
}

static void *plain_writer(void *a)
{
	wait_go();
	for (int i = 0; i < ITERS; i++)
		race_var = i;
	return a;
}

static void *once_writer(void *a)
{
	wait_go();
	for (int i = 0; i < ITERS; i++)
		WRITE_ONCE(race_var, i);
	return a;
}

static void *once_reader(void *a)
{
	long sum = 0;

	wait_go();
	for (int i = 0; i < ITERS; i++)
		sum += READ_ONCE(race_var);
	(void)a;
	return (void *)sum;
}

static void *scn_plain_read(void *a)
{
	long sum = 0;

	wait_go();
	for (int i = 0; i < ITERS; i++)
		sum += *(volatile int *)&race_var;
	(void)a;
	return (void *)sum;
}

static void *scn_data_race_read(void *a)
{
	long sum = 0;

	wait_go();
	for (int i = 0; i < ITERS; i++)
		sum += data_race(*(volatile int *)&race_var);
	(void)a;
	return (void *)sum;
}

static void *scn_assert_writer(void *a)
{
	long sum = 0;

	wait_go();
	for (int i = 0; i < ITERS; i++) {
		ASSERT_EXCLUSIVE_WRITER(race_var);
		sum += READ_ONCE(race_var);
	}
	(void)a;
	return (void *)sum;
}

static void *scn_assert_access(void *a)
{
	wait_go();
	for (int i = 0; i < ITERS; i++)
		ASSERT_EXCLUSIVE_ACCESS(race_var);
	return a;
}

static void *scn_assert_writer_scoped(void *a)
{
	long sum = 0;

	wait_go();
	for (int i = 0; i < ITERS; i++) {
		ASSERT_EXCLUSIVE_WRITER_SCOPED(race_var);
		sum += READ_ONCE(race_var);
	}
	(void)a;
	return (void *)sum;
}

static void *scn_check_write(void *a)
{
	wait_go();
	for (int i = 0; i < ITERS; i++)
		kcsan_check_write(&race_var, sizeof(race_var));
	return a;
}

static const struct scenario {
	const char *name;
	void *(*a)(void *);
	void *(*b)(void *);
	int reported;
} scenarios[] = {
	{ "plain_read_vs_write",	scn_plain_read,		  plain_writer, 1 },
	{ "data_race_read_vs_write",	scn_data_race_read,	  plain_writer, 0 },
	{ "once_vs_once",		once_reader,		  once_writer,  0 },
	{ "assert_writer_vs_writer",	scn_assert_writer,	  once_writer,  1 },
	{ "assert_writer_vs_reader",	scn_assert_writer,	  once_reader,  0 },
	{ "assert_access_vs_reader",	scn_assert_access,	  once_reader,  1 },
	{ "assert_scoped_vs_writer",	scn_assert_writer_scoped, once_writer,  1 },
	{ "check_write_vs_reader",	scn_check_write,	  once_reader,  1 },
};

static int run_scenario(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(scenarios); i++) {
		pthread_t ta, tb;

		if (strcmp(name, scenarios[i].name))
			continue;
		pthread_create(&ta, NULL, scenarios[i].a, NULL);
		pthread_create(&tb, NULL, scenarios[i].b, NULL);
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		return 0;
	}
	return 2;
}

/* Run @name in a child; return its exit status, its output in @out. */
static int spawn(const char *name, char *out, size_t len)
{
	int fd[2], status;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[0]);
		setenv("TSAN_OPTIONS", "halt_on_error=0 exitcode=66 report_signal_unsafe=0", 1);
		execl("/proc/self/exe", "kcsan", "--scenario", name, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	while (n < len - 1 && ((r = read(fd[0], out + n, len - 1 - n)) > 0 ||
			       (r < 0 && errno == EINTR)))
		if (r > 0)
			n += (size_t)r;
	out[n] = '\0';
	close(fd[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(tsan_scenarios)
{
	static char out[65536];

	for (size_t i = 0; i < ARRAY_SIZE(scenarios); i++) {
		int rc = spawn(scenarios[i].name, out, sizeof(out));
		int reported = strstr(out, "WARNING: ThreadSanitizer: data race") != NULL;

		test_current = scenarios[i].name;
		CHECK_EQ(rc, scenarios[i].reported ? 66 : 0);
		CHECK_EQ(reported, scenarios[i].reported);
		if (rc != (scenarios[i].reported ? 66 : 0) || reported != scenarios[i].reported)
			fprintf(stderr, "--- %s (exit %d) ---\n%.4000s\n", scenarios[i].name, rc, out);
	}
	test_current = "tsan_scenarios";
}
#endif /* LKSYNC_TSAN */

int main(int argc, char **argv)
{
#ifdef LKSYNC_TSAN
	if (argc == 3 && !strcmp(argv[1], "--scenario"))
		return run_scenario(argv[2]);
#endif
	(void)argc;
	(void)argv;
	test_watchdog(60);
	RUN(values);
	RUN(assertions_leave_value);
#ifndef LKSYNC_TSAN
	RUN(plain_without_tsan);
#else
	RUN(tsan_scenarios);
#endif
	return test_done();
}
