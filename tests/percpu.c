// SPDX-License-Identifier: MIT
/* CPUs, cpumasks, smp_processor_id/get_cpu, per-CPU variables and allocations. */
#include <sched.h>
#include <stdint.h>
#include <sys/wait.h>
#include <lksync/percpu.h>
#include <lksync/bug.h>
#include "lksync_test.h"

static DEFINE_PER_CPU(int, initialized) = 42;
DEFINE_PER_CPU(unsigned long, counter);
DECLARE_PER_CPU(unsigned long, counter);
static DEFINE_PER_CPU(long, rmw);
static DEFINE_PER_CPU_SHARED_ALIGNED(int, aligned_var);
static DEFINE_PER_CPU(int[4], array) = { 1, 2, 3, 4 };

struct stats {
	unsigned long hits;
	int small;
	unsigned char byte;
	short half;
	long long wide;
};

TEST(cpu_sets)
{
	unsigned int n = nr_cpu_ids, seen = 0, online = 0;
	int cpu, last_cpu = -1;
	char visits[NR_CPUS] = { 0 };

	CHECK(n >= 1 && n <= NR_CPUS);
	CHECK(num_possible_cpus() >= 1 && num_possible_cpus() <= n);
	CHECK(num_online_cpus() >= 1 && num_online_cpus() <= num_possible_cpus());
	CHECK_EQ(num_present_cpus(), num_possible_cpus());
#ifdef LKSYNC_UP
	CHECK_EQ(n, 1);
#else
	CHECK_EQ(num_possible_cpus() >= (unsigned int)sysconf(_SC_NPROCESSORS_ONLN), 1);
#endif
	for_each_possible_cpu(cpu) {
		CHECK(cpu > last_cpu && (unsigned int)cpu < n);
		CHECK(cpu_possible(cpu));
		last_cpu = cpu;
		visits[cpu]++;
		seen++;
	}
	CHECK_EQ(seen, num_possible_cpus());
	CHECK_EQ(last_cpu, (int)n - 1);
	for (unsigned int i = 0; i < n; i++)
		CHECK(visits[i] <= 1);
	for_each_online_cpu(cpu) {
		CHECK(cpu_online(cpu) && cpu_possible(cpu));
		CHECK_EQ(visits[cpu], 1);
		online++;
	}
	CHECK_EQ(online, num_online_cpus());
	CHECK(!cpu_online(n));
	CHECK(!cpu_possible(n));
	CHECK(!cpu_online(-1));
	CHECK(cpu_online(0));
}

TEST(cpumask_ops)
{
	cpumask_t a = CPU_MASK_NONE, b, c;
	unsigned int n = nr_cpu_ids, cpu;

	CHECK(cpumask_empty(&a));
	CHECK_EQ(cpumask_weight(&a), 0);
	CHECK(cpumask_first(&a) >= n);
	cpumask_set_cpu(0, &a);
	CHECK(cpumask_test_cpu(0, &a));
	CHECK_EQ(cpumask_first(&a), 0);
	CHECK(cpumask_next(0, &a) >= n);
	cpumask_setall(&b);
	CHECK_EQ(cpumask_weight(&b), n);
	CHECK(!cpumask_test_cpu(n, &b));
	CHECK(cpumask_and(&c, &a, &b));
	CHECK(cpumask_equal(&c, &a));
	cpumask_clear_cpu(0, &c);
	CHECK(!cpumask_and(&c, &c, &b));
	cpumask_or(&c, &a, &b);
	CHECK(cpumask_equal(&c, &b));
	cpumask_copy(&c, cpu_possible_mask);
	CHECK_EQ(cpumask_weight(&c), num_possible_cpus());
	unsigned int count = 0;
	for_each_cpu(cpu, &b)
		CHECK_EQ(cpu, count++);
	CHECK_EQ(count, n);
	cpumask_clear(&b);
	CHECK(cpumask_empty(&b));
	__cpumask_set_cpu(n - 1, &b);
	CHECK_EQ(cpumask_first(&b), n - 1);
	__cpumask_clear_cpu(n - 1, &b);
	CHECK(cpumask_empty(&b));
}

static void cpu_in_range(int idx, void *arg)
{
	for (int i = 0; i < 2000; i++) {
		unsigned int cpu = smp_processor_id();

		CHECK(cpu < nr_cpu_ids);
		CHECK(cpu_possible(cpu));
		CHECK(raw_smp_processor_id() < nr_cpu_ids);
		if ((i & 255) == 0)
			sched_yield();
	}
}

TEST(smp_processor_id)
{
	int matched = 0;

#ifdef LKSYNC_UP
	CHECK_EQ(smp_processor_id(), 0);
	matched = 1;
#else
	/* The real CPU: equal to sched_getcpu() when no migration intervenes. */
	for (int i = 0; i < 1000 && !matched; i++) {
		int before = sched_getcpu();
		unsigned int cpu = smp_processor_id();

		matched = before == sched_getcpu() && (unsigned int)before == cpu;
	}
#endif
	CHECK(matched);
	test_threads(8, cpu_in_range, NULL);
}

TEST(get_cpu_claims)
{
	int pc = preempt_count();
	int cpu = get_cpu();

	CHECK(cpu >= 0 && (unsigned int)cpu < nr_cpu_ids);
	CHECK_EQ(preempt_count(), pc + 1);
	CHECK_EQ(lksync_tls.cpu_claim, cpu + 1);
	for (int i = 0; i < 50; i++) {
		sched_yield();	/* may migrate; the claim holds */
		CHECK_EQ(smp_processor_id(), cpu);
		CHECK_EQ(raw_smp_processor_id(), cpu);
	}
	CHECK_EQ(get_cpu(), cpu);	/* nests */
	CHECK_EQ(preempt_count(), pc + 2);
	put_cpu();
	CHECK_EQ(lksync_tls.cpu_claim, cpu + 1);
	CHECK_EQ(this_cpu_ptr(&counter), per_cpu_ptr(&counter, cpu));
	put_cpu();
	CHECK_EQ(lksync_tls.cpu_claim, 0);
	CHECK_EQ(preempt_count(), pc);
}

TEST(static_per_cpu)
{
	int cpu;
	int *prev = NULL;

	for_each_possible_cpu(cpu) {
		int *p = per_cpu_ptr(&initialized, cpu);

		CHECK_EQ(per_cpu(initialized, cpu), 42);
		CHECK(p != &initialized);
		if (prev) {
			/* Copies of different CPUs are far apart: no shared cache line. */
			uintptr_t d = (uintptr_t)p > (uintptr_t)prev ? (uintptr_t)p - (uintptr_t)prev
								     : (uintptr_t)prev - (uintptr_t)p;
			CHECK(d >= 64);
		}
		prev = p;
		per_cpu(initialized, cpu) = 100 + cpu;
		CHECK_EQ(per_cpu(array, cpu)[2], 3);
		CHECK_EQ((*per_cpu_ptr(&array, cpu))[3], 4);
		CHECK_EQ((uintptr_t)per_cpu_ptr(&aligned_var, cpu) % 64, 0);
	}
	for_each_possible_cpu(cpu)
		CHECK_EQ(per_cpu(initialized, cpu), 100 + cpu);
	CHECK_EQ(initialized, 42);	/* the template is untouched */
	cpu = get_cpu();
	CHECK_EQ(this_cpu_read(initialized), 100 + cpu);
	CHECK_EQ(__this_cpu_read(initialized), 100 + cpu);
	CHECK_EQ(raw_cpu_read(initialized), 100 + cpu);
	put_cpu();
}

/* Every op on this CPU's copy, inside get_cpu() so the CPU is stable. */
TEST(this_cpu_ops)
{
	int cpu = get_cpu();
	long *mine = per_cpu_ptr(&rmw, cpu);
	long o;

	this_cpu_write(rmw, 10);
	CHECK_EQ(*mine, 10);
	this_cpu_add(rmw, 5);
	this_cpu_sub(rmw, 2);
	this_cpu_inc(rmw);
	this_cpu_dec(rmw);
	this_cpu_dec(rmw);
	CHECK_EQ(this_cpu_read(rmw), 12);
	CHECK_EQ(this_cpu_add_return(rmw, 3), 15);
	CHECK_EQ(this_cpu_sub_return(rmw, 5), 10);
	CHECK_EQ(this_cpu_inc_return(rmw), 11);
	CHECK_EQ(this_cpu_dec_return(rmw), 10);
	CHECK_EQ(this_cpu_xchg(rmw, 7), 10);
	CHECK_EQ(this_cpu_cmpxchg(rmw, 8, 9), 7);	/* fails: returns the value found */
	CHECK_EQ(*mine, 7);
	CHECK_EQ(this_cpu_cmpxchg(rmw, 7, 9), 7);
	CHECK_EQ(*mine, 9);
	o = 1;
	CHECK(!this_cpu_try_cmpxchg(rmw, &o, 2));
	CHECK_EQ(o, 9);
	CHECK(this_cpu_try_cmpxchg(rmw, &o, 0xf0));
	this_cpu_or(rmw, 0x0f);
	this_cpu_and(rmw, 0x3c);
	CHECK_EQ(*mine, 0x3c);
	__this_cpu_write(rmw, 1);
	__this_cpu_add(rmw, 2);
	__this_cpu_inc(rmw);
	__this_cpu_sub(rmw, 1);
	__this_cpu_dec(rmw);
	CHECK_EQ(__this_cpu_read(rmw), 2);
	CHECK_EQ(__this_cpu_add_return(rmw, 1), 3);
	CHECK_EQ(__this_cpu_inc_return(rmw), 4);
	CHECK_EQ(__this_cpu_dec_return(rmw), 3);
	CHECK_EQ(__this_cpu_xchg(rmw, 5), 3);
	CHECK_EQ(__this_cpu_cmpxchg(rmw, 5, 6), 5);
	raw_cpu_write(rmw, 1);
	raw_cpu_add(rmw, 2);
	raw_cpu_inc(rmw);
	raw_cpu_sub(rmw, 1);
	raw_cpu_dec(rmw);
	CHECK_EQ(raw_cpu_read(rmw), 2);
	CHECK_EQ(raw_cpu_add_return(rmw, 1), 3);
	CHECK_EQ(raw_cpu_xchg(rmw, 5), 3);
	CHECK_EQ(raw_cpu_cmpxchg(rmw, 5, 6), 5);
	CHECK_EQ(*mine, 6);
	/* Other CPUs' copies are untouched. */
	for (unsigned int c = 0; c < nr_cpu_ids; c++)
		if ((int)c != cpu && cpu_possible(c))
			CHECK_EQ(per_cpu(rmw, c), 0);
	put_cpu();
}

struct sum_arg {
	struct stats __percpu *st;
	long iters;
};

static void incrementer(int idx, void *p)
{
	struct sum_arg *a = p;

	for (long i = 0; i < a->iters; i++) {
		this_cpu_inc(counter);
		this_cpu_inc(a->st->hits);
		__this_cpu_add(a->st->wide, 3);
		raw_cpu_inc(a->st->small);
		this_cpu_add_return(a->st->half, 1);
		if ((i & 1023) == 0)
			sched_yield();
	}
}

/* More threads than cores, so they migrate; atomic ops keep the sums exact. */
TEST(this_cpu_sums_exact)
{
	struct sum_arg a = { alloc_percpu(struct stats), test_scale(200000) };
	unsigned long total = 0, hits = 0;
	long long wide = 0;
	long small = 0, half = 0;
	int cpu, nthreads = 16;

	CHECK(a.st != NULL);
	for_each_possible_cpu(cpu)
		per_cpu(counter, cpu) = 0;
	test_threads(nthreads, incrementer, &a);
	for_each_possible_cpu(cpu) {
		struct stats *s = per_cpu_ptr(a.st, cpu);

		total += per_cpu(counter, cpu);
		hits += s->hits;
		wide += s->wide;
		small += s->small;
		half = (half + (unsigned short)s->half) & 0xffff;
	}
	CHECK_EQ(total, nthreads * a.iters);
	CHECK_EQ(hits, nthreads * a.iters);
	CHECK_EQ(wide, 3LL * nthreads * a.iters);
	CHECK_EQ(small, nthreads * a.iters);
	CHECK_EQ(half, (nthreads * a.iters) & 0xffff);	/* a short wraps */
	free_percpu(a.st);
}

static void get_cpu_var_rmw(int idx, void *arg)
{
	long iters = *(long *)arg;

	for (long i = 0; i < iters; i++) {
		long *v = &get_cpu_var(rmw);
		long t = *v;	/* plain, non-atomic read-modify-write */

		if ((i & 15) == 0)
			sched_yield();
		*v = t + 1;
		put_cpu_var(rmw);
	}
}

/* get_cpu_var() gives exclusive use: no update is lost even across yields. */
TEST(get_cpu_var_exclusive)
{
	long iters = test_scale(20000), total = 0;
	int cpu, nthreads = 12;

	for_each_possible_cpu(cpu)
		per_cpu(rmw, cpu) = 0;
	test_threads(nthreads, get_cpu_var_rmw, &iters);
	for_each_possible_cpu(cpu)
		total += per_cpu(rmw, cpu);
	CHECK_EQ(total, nthreads * iters);
}

struct ptr_arg {
	long __percpu *p;
	long iters;
};

static void get_cpu_ptr_rmw(int idx, void *arg)
{
	struct ptr_arg *a = arg;

	for (long i = 0; i < a->iters; i++) {
		long *v = get_cpu_ptr(a->p);
		long t = *v;

		if ((i & 31) == 0)
			sched_yield();
		*v = t + 1;
		put_cpu_ptr(a->p);
	}
}

TEST(get_cpu_ptr_exclusive)
{
	struct ptr_arg a = { alloc_percpu(long), test_scale(20000) };
	long total = 0;
	int cpu;

	test_threads(12, get_cpu_ptr_rmw, &a);
	for_each_possible_cpu(cpu)
		total += *per_cpu_ptr(a.p, cpu);
	CHECK_EQ(total, 12 * a.iters);
	free_percpu(a.p);
}

struct big_aligned {
	char c[100];
} __aligned(64);

TEST(alloc_free)
{
	struct stats __percpu *s = alloc_percpu(struct stats);
	struct big_aligned __percpu *b = alloc_percpu_gfp(struct big_aligned, 0);
	char __percpu *raw = __alloc_percpu(PCPU_MIN_UNIT_SIZE, 4096);
	int cpu;

	CHECK(s && b && raw);
	CHECK((void *)s != (void *)b);
	CHECK_EQ((uintptr_t)raw % 4096, 0);
	for_each_possible_cpu(cpu) {
		struct stats *p = per_cpu_ptr(s, cpu);
		struct big_aligned *q = per_cpu_ptr(b, cpu);

		CHECK((void *)p != (void *)s);
		CHECK_EQ((uintptr_t)q % 64, 0);
		CHECK(p->hits == 0 && p->wide == 0 && p->small == 0);
		for (int i = 0; i < 100; i++)
			CHECK_EQ(q->c[i], 0);
		for (int other = 0; other < cpu; other++)
			CHECK(per_cpu_ptr(s, other) != p);
		p->hits = 1000 + cpu;
		memset(q->c, 0x5a, sizeof(q->c));
		per_cpu_ptr(raw, cpu)[PCPU_MIN_UNIT_SIZE - 1] = 1;
	}
	for_each_possible_cpu(cpu)
		CHECK_EQ(per_cpu_ptr(s, cpu)->hits, 1000 + cpu);
	free_percpu(b);
	free_percpu(raw);
	/* Freed memory comes back zeroed on every CPU. */
	b = alloc_percpu(struct big_aligned);
	CHECK(b != NULL);
	for_each_possible_cpu(cpu)
		for (int i = 0; i < 100; i++)
			CHECK_EQ(per_cpu_ptr(b, cpu)->c[i], 0);
	free_percpu(b);
	free_percpu(s);
	free_percpu(NULL);
}

TEST(alloc_reuses_memory)
{
	void *first = alloc_percpu(long);
	int reused = 0;

	free_percpu(first);
	for (int i = 0; i < 100000; i++) {
		long __percpu *p = alloc_percpu(long);

		CHECK(p != NULL);
		reused += (void *)p == first;
		this_cpu_inc(*p);
		free_percpu(p);
	}
	CHECK_EQ(reused, 100000);
}

TEST(alloc_illegal)
{
	int before = test_reports;

	CHECK(__alloc_percpu(0, 8) == NULL);
	CHECK(__alloc_percpu(PCPU_MIN_UNIT_SIZE + 1, 8) == NULL);
	CHECK(__alloc_percpu(8, 3) == NULL);
	CHECK(__alloc_percpu(8, 8192) == NULL);
	CHECK_EQ(test_reports, before + 4);
	CHECK(strstr(test_last_report, "illegal size") != NULL);
	free_percpu((void *)&test_reports);	/* not per-CPU: warned, ignored */
	CHECK_EQ(test_reports, before + 5);
	void *p = alloc_percpu(int);
	free_percpu(p);
	free_percpu(p);			/* double free: warned, ignored */
	CHECK_EQ(test_reports, before + 6);
}

static void segv_exit(int sig)
{
	_exit(77);
}

/* A per-CPU pointer is not an address: dereferencing it faults. */
TEST(direct_dereference_faults)
{
	long __percpu *p = alloc_percpu(long);
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGSEGV, segv_exit);
		*(volatile long *)p = 1;
		_exit(0);
	}
	CHECK(pid > 0);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 77);
	free_percpu(p);
}

int main(void)
{
	test_watchdog(60);
	lksync_set_report_sink(test_report_sink, NULL);
	RUN(cpu_sets);
	RUN(cpumask_ops);
	RUN(smp_processor_id);
	RUN(get_cpu_claims);
	RUN(static_per_cpu);
	RUN(this_cpu_ops);
	RUN(this_cpu_sums_exact);
	RUN(get_cpu_var_exclusive);
	RUN(get_cpu_ptr_exclusive);
	RUN(alloc_free);
	RUN(alloc_reuses_memory);
	RUN(alloc_illegal);
	RUN(direct_dereference_faults);
	return test_done();
}
