// SPDX-License-Identifier: MIT
/*
 * Layer: sched. The CPU sets (read once) and CPU claims for get_cpu().
 *
 * Claim word of each CPU, one per cache line:
 *   0  free
 *   1  claimed, nobody sleeping
 *   2  claimed, a thread may be sleeping on the futex
 * A claimer spins a bounded time on its own CPU's word, then tries the other
 * CPUs once, then sleeps on its CPU's word (setting 2); the releaser wakes
 * one sleeper when it finds 2.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <lksync/smp.h>
#include <lksync/processor.h>
#include <lksync/bug.h>
#include "arch/futex.h"

struct lksync_cpus lksync_cpus;

struct cpu_claim {
	u32 word;
} __aligned(64);

static struct cpu_claim *claims;
static pthread_once_t cpus_once = PTHREAD_ONCE_INIT;

#define CLAIM_SPINS	200

/* Parse a sysfs CPU list ("0-3,5,8-9") into @mask. Return: highest CPU + 1, 0 on error. */
static __maybe_unused unsigned int parse_cpu_list(const char *path, struct cpumask *mask)
{
	char buf[4096], *p;
	unsigned int top = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	if (!p)
		return 0;
	while (*p >= '0' && *p <= '9') {
		unsigned long lo = strtoul(p, &p, 10), hi = lo;

		if (*p == '-')
			hi = strtoul(p + 1, &p, 10);
		for (unsigned long c = lo; c <= hi && c < NR_CPUS; c++)
			__cpumask_set_cpu((unsigned int)c, mask);
		if (hi + 1 > top)
			top = hi + 1 < NR_CPUS ? (unsigned int)hi + 1 : NR_CPUS;
		if (*p == ',')
			p++;
	}
	return top;
}

static void cpus_setup(void)
{
	struct lksync_cpus *c = &lksync_cpus;
	unsigned int n = 0;

	cpumask_clear(&c->possible);
	cpumask_clear(&c->online);
#ifdef LKSYNC_UP
	n = 1;
	__cpumask_set_cpu(0, &c->possible);
	__cpumask_set_cpu(0, &c->online);
#else
	n = parse_cpu_list("/sys/devices/system/cpu/possible", &c->possible);
	if (!n) {
		long conf = sysconf(_SC_NPROCESSORS_CONF);

		n = conf > 0 ? (conf < NR_CPUS ? (unsigned int)conf : NR_CPUS) : 1;
		for (unsigned int i = 0; i < n; i++)
			__cpumask_set_cpu(i, &c->possible);
	}
	if (!parse_cpu_list("/sys/devices/system/cpu/online", &c->online))
		c->online = c->possible;
	/* Online CPUs are possible ones; never report an impossible one. */
	for (int i = 0; i < __LKSYNC_CPU_LONGS; i++)
		c->online.bits[i] &= c->possible.bits[i];
#endif
	claims = aligned_alloc(64, sizeof(*claims) * n);
	if (!claims)
		abort();
	memset(claims, 0, sizeof(*claims) * n);
	c->nr_possible = cpumask_weight(&c->possible);
	c->nr_online = cpumask_weight(&c->online);
	c->nr_present = c->nr_possible;
	/* Release: publishes the sets and the claim words with nr_cpu_ids. */
	__atomic_store_n(&c->nr_ids, n, __ATOMIC_RELEASE);
}

unsigned int lksync_cpus_init(void)
{
	pthread_once(&cpus_once, cpus_setup);
	return lksync_cpus.nr_ids;
}

__attribute__((constructor(101))) static void cpus_ctor(void)
{
	lksync_cpus_init();
}

unsigned int lksync_getcpu_slow(void)
{
	int cpu = sched_getcpu();
	unsigned int n = lksync_cpus_get()->nr_ids;

	if (cpu < 0 || (unsigned int)cpu >= n)
		return 0;
	return (unsigned int)cpu;
}

static bool claim_try(unsigned int cpu)
{
	u32 old = 0;

	/* Acquire: the previous owner's accesses to this CPU's data come first. */
	return __atomic_compare_exchange_n(&claims[cpu].word, &old, 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static unsigned int claim_cpu(unsigned int cpu)
{
	const struct lksync_cpus *c = lksync_cpus_get();
	u32 *w = &claims[cpu].word;

	for (int i = 0; i < CLAIM_SPINS; i++) {
		if (__atomic_load_n(w, __ATOMIC_RELAXED) == 0 && claim_try(cpu))
			return cpu;
		cpu_relax();
	}
	/* Any free CPU will do: where a thread runs is only ever a snapshot. */
	for (unsigned int i = 1; i < c->nr_ids && i <= 64; i++) {
		unsigned int other = (cpu + i) % c->nr_ids;

		if (cpumask_test_cpu((int)other, &c->possible) && claim_try(other))
			return other;
	}
	/* Acquire on success, as claim_try(). */
	while (__atomic_exchange_n(w, 2, __ATOMIC_ACQUIRE) != 0)
		lksync_futex_wait(w, 2, NULL);
	return cpu;
}

unsigned int lksync_cpu_claim_slow(void)
{
	unsigned int n = lksync_cpus_get()->nr_ids;
	unsigned int cpu = lksync_cpu_now();

	if (cpu >= n)
		cpu %= n;
	cpu = claim_cpu(cpu);
	lksync_tls.cpu_claim_depth = 1;
	WRITE_ONCE(lksync_tls.cpu_claim, cpu + 1);
	return cpu;
}

void lksync_cpu_release_slow(void)
{
	unsigned int cpu = lksync_tls.cpu_claim - 1;

	if (WARN_ON_ONCE(!lksync_tls.cpu_claim)) {	/* put_cpu() without get_cpu() */
		lksync_tls.cpu_claim_depth = 0;
		return;
	}
	WRITE_ONCE(lksync_tls.cpu_claim, 0);
	/* Release: this section's accesses to the CPU's data precede the next owner's. */
	if (__atomic_exchange_n(&claims[cpu].word, 0, __ATOMIC_RELEASE) == 2)
		lksync_futex_wake(&claims[cpu].word, 1);
}

#ifdef LKSYNC_DEBUG
unsigned int lksync_debug_smp_processor_id(void)
{
	if (!lksync_tls.cpu_claim && preemptible()) {
		static int once;

		if (!__atomic_exchange_n(&once, 1, __ATOMIC_RELAXED))
			lksync_report("BUG: using smp_processor_id() in preemptible code",
				      "caller is %p\n", __builtin_return_address(0));
	}
	return raw_smp_processor_id();
}
#endif
