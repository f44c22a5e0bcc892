// SPDX-License-Identifier: MIT
/*
 * lksync-bench: interrupt latency and timer accuracy.
 *
 * irq: one-way latency from lksync_irq_raise() on one thread to the first
 * instruction of the handler on the target task, for a target that sleeps
 * (in schedule(), so the interrupt must wake its thread) and for one that
 * busy-loops in process context. The baseline is the mechanism underneath:
 * pthread_kill() of a real-time signal to a thread blocked in a futex wait
 * or spinning, with a bare sigaction handler. The difference is lksync's own
 * cost (line lookup, pending bitmap, hardirq entry and exit).
 *
 * timers: a set of timers, each re-armed from its callback with a delay of
 * 1..10 ms, records when it fired against when it asked to; the same for
 * delayed work, and for clock_nanosleep() as the baseline. A timer expires
 * at a jiffy (HZ = 1000): asked for d ms at some point inside a jiffy, it
 * fires at the start of a jiffy up to 1 ms earlier, as in the kernel, so
 * its error is in (-1 ms, 0] plus the latency of the tick and the softirq.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <lksync/interrupt.h>
#include <lksync/irq.h>
#include <lksync/kthread.h>
#include <lksync/timer.h>
#if __has_include(<lksync/workqueue.h>)
#include <lksync/workqueue.h>
#define BENCH_HAVE_WQ 1
#endif
#include "context.h"

#define IRQ_LINE	200
#define MAX_SAMPLES	(1 << 20)

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median_d(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Median and 99th percentile of @n samples (sorted in place), in µs. */
static void summarize(long long *v, unsigned n, double *p50, double *p99)
{
	if (!n) {
		*p50 = *p99 = 0;
		return;
	}
	qsort(v, n, sizeof(*v), cmp_ll);
	*p50 = v[n / 2] / 1e3;
	*p99 = v[(unsigned)((n - 1) * 0.99)] / 1e3;
}

struct dist {
	const char *name, *key;
	unsigned reps;
	double p50[64], p99[64];
	unsigned long samples;
};

static void dist_print(FILE *out, const struct bench_ctx_params *p, struct dist *d,
		       const char *family)
{
	double a = median_d(d->p50, d->reps), b = median_d(d->p99, d->reps);

	fprintf(out, "  %-52s %10.1f %10.1f %10lu\n", d->name, a, b, d->samples / d->reps);
	if (p->csv) {
		fprintf(p->csv, "%s,%s,p50_us,%.2f\n", family, d->key, a);
		fprintf(p->csv, "%s,%s,p99_us,%.2f\n", family, d->key, b);
	}
}

/* ----- interrupt latency ----- */

static long long *samples;
static unsigned nr_samples;
static long long raised_at;	/* written by the raiser before each raise */
static int answered;		/* set by the handler, cleared by the raiser */
static int lk_spin, base_spin, target_busy, target_stop;

static void record(void)
{
	long long t = now_ns() - __atomic_load_n(&raised_at, __ATOMIC_ACQUIRE);

	if (nr_samples < MAX_SAMPLES)
		samples[nr_samples++] = t;
	__atomic_store_n(&answered, 1, __ATOMIC_RELEASE);
}

static irqreturn_t bench_isr(int irq, void *dev)
{
	record();
	return IRQ_HANDLED;
}

/* Sleeps in schedule(), or spins while lk_spin is set (woken to start). */
static int lksync_target(void *arg)
{
	while (!kthread_should_stop()) {
		if (__atomic_load_n(&lk_spin, __ATOMIC_RELAXED)) {
			while (__atomic_load_n(&lk_spin, __ATOMIC_RELAXED))
				__asm__ __volatile__("" ::: "memory");
		} else {
			set_current_state(TASK_INTERRUPTIBLE);
			if (!__atomic_load_n(&lk_spin, __ATOMIC_RELAXED) && !kthread_should_stop())
				schedule();
			__set_current_state(TASK_RUNNING);
		}
	}
	return 0;
}

#define BASE_SIG	(SIGRTMIN + 9)
static int base_futex;

static void base_handler(int sig, siginfo_t *si, void *uc)
{
	record();
}

/* Waits in a futex, or spins while base_spin is set (woken to start). */
static void *base_target(void *arg)
{
	for (;;) {
		int gen = __atomic_load_n(&base_futex, __ATOMIC_ACQUIRE);

		if (__atomic_load_n(&target_stop, __ATOMIC_RELAXED))
			break;
		if (__atomic_load_n(&base_spin, __ATOMIC_RELAXED)) {
			while (__atomic_load_n(&base_spin, __ATOMIC_RELAXED))
				__asm__ __volatile__("" ::: "memory");
			continue;
		}
		syscall(SYS_futex, &base_futex, FUTEX_WAIT_PRIVATE, gen, NULL, NULL, 0);
	}
	return NULL;
}

static void base_kick(void)
{
	__atomic_add_fetch(&base_futex, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &base_futex, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Raise, wait for the handler, repeat for @duration. Return: samples taken. */
static unsigned irq_loop(double duration, int (*raise)(void *), void *arg)
{
	long long end = now_ns() + (long long)(duration * 1e9);

	nr_samples = 0;
	while (now_ns() < end && nr_samples < MAX_SAMPLES) {
		long long deadline;

		__atomic_store_n(&answered, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&raised_at, now_ns(), __ATOMIC_RELEASE);
		if (raise(arg))
			return 0;
		deadline = now_ns() + 1000000000LL;
		while (!__atomic_load_n(&answered, __ATOMIC_ACQUIRE))
			if (now_ns() > deadline)
				return 0;	/* lost: report nothing rather than a lie */
		/* Let the target go back to sleep before the next one. */
		if (!__atomic_load_n(&target_busy, __ATOMIC_RELAXED))
			usleep(50);
	}
	return nr_samples;
}

static int raise_lksync(void *arg)
{
	return lksync_irq_raise(IRQ_LINE);
}

static int raise_signal(void *arg)
{
	return pthread_kill(*(pthread_t *)arg, BASE_SIG);
}

int bench_irq_latency(FILE *out, const struct bench_ctx_params *p)
{
	struct dist d[4] = {
		{ .name = "lksync_irq_raise -> handler, target asleep", .key = "lksync_irq_idle" },
		{ .name = "pthread_kill -> sigaction handler, target in futex", .key = "signal_idle" },
		{ .name = "lksync_irq_raise -> handler, target busy", .key = "lksync_irq_busy" },
		{ .name = "pthread_kill -> sigaction handler, target busy", .key = "signal_busy" },
	};
	struct sigaction sa = { .sa_sigaction = base_handler, .sa_flags = SA_SIGINFO | SA_RESTART };
	unsigned reps = p->reps > 64 ? 64 : p->reps;
	double dur = p->duration / 2;

	samples = malloc(sizeof(*samples) * MAX_SAMPLES);
	if (!samples)
		return 0;
	sigaction(BASE_SIG, &sa, NULL);
	for (int busy = 0; busy < 2; busy++) {
		struct task_struct *t;
		pthread_t bt;

		__atomic_store_n(&target_busy, busy, __ATOMIC_RELAXED);
		__atomic_store_n(&target_stop, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&lk_spin, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&base_spin, 0, __ATOMIC_RELAXED);
		t = kthread_run(lksync_target, NULL, "irq-target");
		if (IS_ERR(t) || request_irq(IRQ_LINE, bench_isr, 0, "bench", &samples) ||
		    lksync_irq_route(IRQ_LINE, t)) {
			fprintf(out, "  (lksync interrupts unavailable)\n");
			free(samples);
			return 0;
		}
		pthread_create(&bt, NULL, base_target, NULL);
		usleep(10000);
		for (unsigned r = 0; r < reps; r++) {
			struct dist *l = &d[2 * busy], *b = &d[2 * busy + 1];
			unsigned n;

			/* Only the measured target spins: the other sleeps. */
			if (busy) {
				__atomic_store_n(&lk_spin, 1, __ATOMIC_RELAXED);
				wake_up_process(t);
				usleep(1000);
			}
			n = irq_loop(dur, raise_lksync, NULL);
			__atomic_store_n(&lk_spin, 0, __ATOMIC_RELAXED);
			summarize(samples, n, &l->p50[l->reps], &l->p99[l->reps]);
			l->samples += n;
			l->reps += !!n;
			if (busy) {
				__atomic_store_n(&base_spin, 1, __ATOMIC_RELAXED);
				base_kick();
				usleep(1000);
			}
			n = irq_loop(dur, raise_signal, &bt);
			__atomic_store_n(&base_spin, 0, __ATOMIC_RELAXED);
			summarize(samples, n, &b->p50[b->reps], &b->p99[b->reps]);
			b->samples += n;
			b->reps += !!n;
		}
		__atomic_store_n(&target_stop, 1, __ATOMIC_RELAXED);
		base_kick();
		pthread_join(bt, NULL);
		free_irq(IRQ_LINE, &samples);
		kthread_stop(t);
	}
	fprintf(out, "\n== interrupt latency: raise on one thread to handler entry on another "
		"(µs; medians of %u runs)\n", reps);
	fprintf(out, "  %-52s %10s %10s %10s\n", "", "p50", "p99", "samples/run");
	for (int i = 0; i < 4; i++)
		if (d[i].reps)
			dist_print(out, p, &d[i], "irq");
		else
			fprintf(out, "  %-52s (no samples: interrupts lost)\n", d[i].name);
	free(samples);
	return 0;
}

/* ----- timer accuracy ----- */

#define NR_TIMERS	16

struct btimer {
	struct timer_list timer;
#ifdef BENCH_HAVE_WQ
	struct delayed_work dwork;
#endif
	long long armed_at;
	int delay_ms;
	unsigned seed;
};

static struct btimer btimers[NR_TIMERS];
static long long *tsamples;
static unsigned nr_tsamples;
static int timers_stop;
static DEFINE_SPINLOCK(tsample_lock);

static void trecord(struct btimer *b)
{
	long long err = now_ns() - b->armed_at - b->delay_ms * 1000000LL;
	unsigned long flags;

	spin_lock_irqsave(&tsample_lock, flags);
	if (nr_tsamples < MAX_SAMPLES)
		tsamples[nr_tsamples++] = err;
	spin_unlock_irqrestore(&tsample_lock, flags);
	b->delay_ms = 1 + (int)(rand_r(&b->seed) % 10);
	b->armed_at = now_ns();
}

static void btimer_fn(struct timer_list *t)
{
	struct btimer *b = from_timer(b, t, timer);

	trecord(b);
	if (!__atomic_load_n(&timers_stop, __ATOMIC_RELAXED))
		mod_timer(&b->timer, jiffies + msecs_to_jiffies(b->delay_ms));
}

#ifdef BENCH_HAVE_WQ
static void bwork_fn(struct work_struct *w)
{
	struct btimer *b = container_of(to_delayed_work(w), struct btimer, dwork);

	trecord(b);
	if (!__atomic_load_n(&timers_stop, __ATOMIC_RELAXED))
		queue_delayed_work(system_wq, &b->dwork, msecs_to_jiffies(b->delay_ms));
}
#endif

static void *sleeper(void *arg)
{
	struct btimer *b = arg;

	while (!__atomic_load_n(&timers_stop, __ATOMIC_RELAXED)) {
		struct timespec ts = { 0, b->delay_ms * 1000000L };

		clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
		trecord(b);
	}
	return NULL;
}

/* One run of @kind: 0 timer_list, 1 delayed work, 2 clock_nanosleep. Return: samples. */
static unsigned timer_run(int kind, double duration)
{
	pthread_t th[NR_TIMERS];

	nr_tsamples = 0;
	__atomic_store_n(&timers_stop, 0, __ATOMIC_RELAXED);
	for (int i = 0; i < NR_TIMERS; i++) {
		struct btimer *b = &btimers[i];

		b->seed = 12345u + (unsigned)i;
		b->delay_ms = 1 + i % 10;
		b->armed_at = now_ns();
		if (kind == 0) {
			timer_setup(&b->timer, btimer_fn, 0);
			mod_timer(&b->timer, jiffies + msecs_to_jiffies(b->delay_ms));
		} else if (kind == 1) {
#ifdef BENCH_HAVE_WQ
			INIT_DELAYED_WORK(&b->dwork, bwork_fn);
			queue_delayed_work(system_wq, &b->dwork, msecs_to_jiffies(b->delay_ms));
#endif
		} else {
			pthread_create(&th[i], NULL, sleeper, b);
		}
	}
	usleep((useconds_t)(duration * 1e6));
	__atomic_store_n(&timers_stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < NR_TIMERS; i++) {
		if (kind == 0)
			del_timer_sync(&btimers[i].timer);
		else if (kind == 1) {
#ifdef BENCH_HAVE_WQ
			cancel_delayed_work_sync(&btimers[i].dwork);
#endif
		}
		else
			pthread_join(th[i], NULL);
	}
	return nr_tsamples;
}

int bench_timer_accuracy(FILE *out, const struct bench_ctx_params *p)
{
	struct dist d[3] = {
		{ .name = "timer_list (mod_timer from its callback)", .key = "timer_list" },
		{ .name = "delayed_work (queue_delayed_work, system_wq)", .key = "delayed_work" },
		{ .name = "clock_nanosleep, 16 threads (baseline)", .key = "clock_nanosleep" },
	};
	unsigned reps = p->reps > 64 ? 64 : p->reps;

	tsamples = malloc(sizeof(*tsamples) * MAX_SAMPLES);
	if (!tsamples)
		return 0;
	for (unsigned r = 0; r < reps; r++) {
		for (int k = 0; k < 3; k++) {
			unsigned n = timer_run(k, p->duration);

			summarize(tsamples, n, &d[k].p50[d[k].reps], &d[k].p99[d[k].reps]);
			d[k].samples += n;
			d[k].reps += !!n;
		}
	}
	fprintf(out, "\n== timer accuracy: fired minus asked-for (1..10 ms; µs; a jiffy timer may "
		"fire up to 1000 µs early, as the kernel's; medians of %u runs)\n", reps);
	fprintf(out, "  %-52s %10s %10s %10s\n", "", "p50", "p99", "samples/run");
	for (int i = 0; i < 3; i++)
		if (d[i].reps)
			dist_print(out, p, &d[i], "timer");
		else
			fprintf(out, "  %-52s (no samples)\n", d[i].name);
	free(tsamples);
	return 0;
}
