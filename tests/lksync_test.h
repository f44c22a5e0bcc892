/* SPDX-License-Identifier: MIT */
/*
 * Minimal test harness shared by every tests/NAME.c.
 *
 *   CHECK(cond)           one assertion; counts pass/fail, prints failures
 *   CHECK_EQ(a, b)        integer equality, printing both sides on failure
 *   TEST(name) { ... }    a test function; RUN(name) runs it
 *   test_threads(n, fn, arg)  run fn(index, arg) on n real threads, join all
 *   test_watchdog(secs)   abort with a message instead of hanging
 *   test_scale(n)         iterations scaled down under sanitizers
 *   test_report_sink      a report sink for lksync_set_report_sink(): keeps
 *                         the last report in test_last_report, counts test_reports
 *   return test_done();   prints "N passed, N failed", exit status
 */
#ifndef LKSYNC_TEST_H
#define LKSYNC_TEST_H

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

static unsigned long test_passed, test_failed;
static const char *test_current = "?";

#define CHECK(cond) do {							\
	if (cond) {								\
		__atomic_add_fetch(&test_passed, 1, __ATOMIC_RELAXED);		\
	} else {								\
		__atomic_add_fetch(&test_failed, 1, __ATOMIC_RELAXED);		\
		fprintf(stderr, "FAIL %s: %s:%d: %s\n", test_current,		\
			__FILE__, __LINE__, #cond);				\
	}									\
} while (0)

#define CHECK_EQ(a, b) do {							\
	long long __ca = (long long)(a), __cb = (long long)(b);			\
	if (__ca == __cb) {							\
		__atomic_add_fetch(&test_passed, 1, __ATOMIC_RELAXED);		\
	} else {								\
		__atomic_add_fetch(&test_failed, 1, __ATOMIC_RELAXED);		\
		fprintf(stderr, "FAIL %s: %s:%d: %s == %s (%lld != %lld)\n",	\
			test_current, __FILE__, __LINE__, #a, #b, __ca, __cb);	\
	}									\
} while (0)

static char test_last_report[8192];
static int test_reports;

/* Pass to lksync_set_report_sink(): captures each report's text and counts it. */
static __attribute__((unused)) void test_report_sink(const char *text, void *arg)
{
	(void)arg;
	snprintf(test_last_report, sizeof(test_last_report), "%s", text);
	test_reports++;
}

#define TEST(name)	static void test_##name(void)
#define RUN(name) do {								\
	test_current = #name;							\
	unsigned long __f = test_failed;					\
	test_##name();								\
	printf("%s %s\n", test_failed == __f ? "ok  " : "FAIL", #name);	\
	fflush(stdout);								\
} while (0)

static void test_watchdog_fire(int sig)
{
	static const char msg[] = "WATCHDOG: test did not finish in time (hang?)\n";
	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0) { /* nothing more to do */ }
	fprintf(stderr, "while running: %s\n", test_current);
	abort();
}

/* Abort with a message after @secs seconds instead of hanging forever. */
static inline void test_watchdog(unsigned secs)
{
	signal(SIGALRM, test_watchdog_fire);
	alarm(secs);
}

static inline int test_under_sanitizer(void)
{
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
	return 1;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
	return 1;
#endif
#endif
	return 0;
}

/* Scale an iteration count down under sanitizers (10x slower machines). */
static inline long test_scale(long n)
{
	return test_under_sanitizer() ? (n / 10 > 0 ? n / 10 : 1) : n;
}

struct test_thread_arg {
	void (*fn)(int idx, void *arg);
	void *arg;
	int idx;
};

static void *test_thread_main(void *p)
{
	struct test_thread_arg *a = p;
	a->fn(a->idx, a->arg);
	return NULL;
}

/* Run fn(i, arg) for i in [0, n) on n threads and wait for all of them. */
static inline void test_threads(int n, void (*fn)(int, void *), void *arg)
{
	pthread_t tid[n];
	struct test_thread_arg a[n];

	for (int i = 0; i < n; i++) {
		a[i] = (struct test_thread_arg){ fn, arg, i };
		if (pthread_create(&tid[i], NULL, test_thread_main, &a[i])) {
			perror("pthread_create");
			abort();
		}
	}
	for (int i = 0; i < n; i++)
		pthread_join(tid[i], NULL);
}

#ifdef LKSYNC_SCHED_H
/*
 * A helper thread running @body, typically a sleep the test then wakes,
 * signals or lets time out. Its task is published, and referenced until
 * test_task_join(), so the test may wake_up_process() or send_sig() it at
 * any time; done is set once @body has returned.
 */
struct test_task {
	pthread_t thread;
	struct task_struct *task;
	int done;
	void (*body)(struct test_task *t);
};

static void *test_task_main(void *arg)
{
	struct test_task *t = arg;

	__atomic_store_n(&t->task, get_task_struct(current), __ATOMIC_RELEASE);
	t->body(t);
	__atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static inline __attribute__((unused)) void
test_task_start(struct test_task *t, void (*body)(struct test_task *t))
{
	t->body = body;
	t->task = NULL;
	t->done = 0;
	if (pthread_create(&t->thread, NULL, test_task_main, t)) {
		perror("pthread_create");
		abort();
	}
	while (!__atomic_load_n(&t->task, __ATOMIC_ACQUIRE))
		usleep(500);
}

static inline __attribute__((unused)) int test_task_done(struct test_task *t)
{
	return __atomic_load_n(&t->done, __ATOMIC_ACQUIRE);
}

static inline __attribute__((unused)) void test_task_join(struct test_task *t)
{
	pthread_join(t->thread, NULL);
	put_task_struct(t->task);
}

/* How many of @n array elements (each with a struct test_task t) are done. */
#define test_count_done(arr, n) ({						\
	int __c = 0;								\
	for (int __i = 0; __i < (n); __i++)					\
		__c += test_task_done(&(arr)[__i].t);				\
	__c; })

/* Wait (at most 5 s: machines are noisy) until @expect are done, then a little more. */
#define test_settle(arr, n, expect) ({						\
	for (int __j = 0; __j < 5000 && test_count_done(arr, n) < (expect); __j++) \
		usleep(1000);							\
	usleep(30000);								\
	test_count_done(arr, n); })
#endif /* LKSYNC_SCHED_H */

/* The monotonic clock, for timing assertions. */
static inline __attribute__((unused)) long long test_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline __attribute__((unused)) long long test_now_us(void) { return test_now_ns() / 1000; }
static inline __attribute__((unused)) long long test_now_ms(void) { return test_now_ns() / 1000000; }

static inline int test_done(void)
{
	printf("%lu passed, %lu failed\n", test_passed, test_failed);
	return test_failed ? 1 : 0;
}

#endif /* LKSYNC_TEST_H */
