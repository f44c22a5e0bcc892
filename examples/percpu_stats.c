// SPDX-License-Identifier: MIT
/*
 * Per-CPU statistics, the kernel's way to count without a shared cache line:
 * each CPU increments its own copy (this_cpu_inc), a reader sums the copies
 * of every possible CPU. Threads outnumber CPUs and migrate freely, yet no
 * increment is lost; get_cpu_var() gives a CPU's copy for exclusive use.
 */
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/printk.h>
#include <pthread.h>
#include <stdlib.h>

#define THREADS		8
#define EVENTS		50000

struct net_stats {
	unsigned long packets;
	unsigned long bytes;
};

static DEFINE_PER_CPU(unsigned long, interrupts);
static DEFINE_PER_CPU(unsigned long, last_seen);
static struct net_stats __percpu *stats;

static void *worker(void *arg)
{
	for (int i = 0; i < EVENTS; i++) {
		this_cpu_inc(interrupts);
		this_cpu_inc(stats->packets);
		this_cpu_add(stats->bytes, 64);
		if (i % 1000 == 0) {
			/* exclusive use of this CPU's copy until put_cpu_var() */
			get_cpu_var(last_seen) += 1;
			put_cpu_var(last_seen);
		}
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	unsigned long irqs = 0, packets = 0, bytes = 0, seen = 0;
	int cpu;

	stats = alloc_percpu(struct net_stats);
	if (!stats)
		return 1;
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);

	for_each_possible_cpu(cpu) {
		irqs += per_cpu(interrupts, cpu);
		packets += per_cpu_ptr(stats, cpu)->packets;
		bytes += per_cpu_ptr(stats, cpu)->bytes;
		seen += per_cpu(last_seen, cpu);
	}
	free_percpu(stats);
	pr_info("%u CPUs: %lu interrupts, %lu packets, %lu bytes, %lu samples\n",
		num_possible_cpus(), irqs, packets, bytes, seen);
	return irqs == THREADS * EVENTS && packets == irqs && bytes == 64 * irqs &&
	       seen == THREADS * (EVENTS / 1000) ? 0 : 1;
}
