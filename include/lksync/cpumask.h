/* SPDX-License-Identifier: MIT */
/*
 * Layer: sched. CPU masks and the possible/online CPU sets, a subset of
 * linux/cpumask.h. Includes arch-layer headers only.
 *
 * The sets are read once, on first use or at library load, from
 * /sys/devices/system/cpu/{possible,online} (sysconf() as a fallback) and do
 * not change afterwards: there is no CPU hotplug. nr_cpu_ids is one more
 * than the highest possible CPU. In the uniprocessor build (LKSYNC_UP), as in
 * a kernel without CONFIG_SMP, there is exactly one CPU, CPU 0.
 */
#ifndef LKSYNC_CPUMASK_H
#define LKSYNC_CPUMASK_H

#include <stdbool.h>
#include <lksync/compiler.h>

#ifdef LKSYNC_UP
#define NR_CPUS			1
#else
#define NR_CPUS			8192	/* the kernel's MAXSMP limit */
#endif

#define __LKSYNC_LONG_BITS	(8 * (int)sizeof(unsigned long))
#define __LKSYNC_CPU_LONGS	((NR_CPUS + __LKSYNC_LONG_BITS - 1) / __LKSYNC_LONG_BITS)

/* struct cpumask - a set of CPUs; bits at and above nr_cpu_ids are always clear. */
typedef struct cpumask {
	unsigned long bits[__LKSYNC_CPU_LONGS];
} cpumask_t;

/* CPU topology, set up once; not for direct use. */
struct lksync_cpus {
	unsigned int nr_ids;		/* nr_cpu_ids; 0 until set up, published last */
	unsigned int nr_possible;
	unsigned int nr_online;
	unsigned int nr_present;
	struct cpumask possible;
	struct cpumask online;
};
extern LKSYNC_API struct lksync_cpus lksync_cpus;
/* Out of line: reads the CPU sets once. Return: nr_cpu_ids. */
LKSYNC_API unsigned int lksync_cpus_init(void);

static __always_inline const struct lksync_cpus *lksync_cpus_get(void)
{
	/* Acquire: the sets are written before nr_cpu_ids is published. */
	if (unlikely(!__atomic_load_n(&lksync_cpus.nr_ids, __ATOMIC_ACQUIRE)))
		lksync_cpus_init();
	return &lksync_cpus;
}

/* nr_cpu_ids - one more than the highest possible CPU number. */
#define nr_cpu_ids		(lksync_cpus_get()->nr_ids)
/* nr_cpumask_bits - the number of valid bits in a cpumask. */
#define nr_cpumask_bits		nr_cpu_ids
/* cpu_possible_mask / cpu_online_mask / cpu_present_mask - the CPU sets. */
#define cpu_possible_mask	((const struct cpumask *)&lksync_cpus_get()->possible)
#define cpu_online_mask		((const struct cpumask *)&lksync_cpus_get()->online)
#define cpu_present_mask	cpu_possible_mask
#define cpu_active_mask		cpu_online_mask

/* cpumask_bits - the bitmap of @maskp. */
#define cpumask_bits(maskp)	((maskp)->bits)
/* to_cpumask - view a bitmap of NR_CPUS bits as a cpumask. */
#define to_cpumask(bitmap)	((struct cpumask *)(bitmap))
/* CPU_MASK_NONE / CPU_MASK_CPU0 - initializers. */
#define CPU_MASK_NONE		{ { [0 ... __LKSYNC_CPU_LONGS - 1] = 0UL } }
#define CPU_MASK_CPU0		{ { [0] = 1UL } }

#define __lksync_cpu_word(cpu)	((unsigned int)(cpu) / __LKSYNC_LONG_BITS)
#define __lksync_cpu_bit(cpu)	(1UL << ((unsigned int)(cpu) % __LKSYNC_LONG_BITS))

/**
 * cpumask_test_cpu - is @cpu in @mask?
 * Context: any. Return: true if set; false for cpu >= nr_cpu_ids.
 */
static inline bool cpumask_test_cpu(int cpu, const struct cpumask *mask)
{
	if ((unsigned int)cpu >= NR_CPUS)
		return false;
	return (READ_ONCE(mask->bits[__lksync_cpu_word(cpu)]) & __lksync_cpu_bit(cpu)) != 0;
}

/* cpumask_set_cpu - add @cpu to @mask, atomically. Context: any. */
static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *mask)
{
	/* Relaxed, like set_bit(): no ordering implied. */
	__atomic_fetch_or(&mask->bits[__lksync_cpu_word(cpu)], __lksync_cpu_bit(cpu), __ATOMIC_RELAXED);
}

/* cpumask_clear_cpu - remove @cpu from @mask, atomically. Context: any. */
static inline void cpumask_clear_cpu(int cpu, struct cpumask *mask)
{
	/* Relaxed, like clear_bit(): no ordering implied. */
	__atomic_fetch_and(&mask->bits[__lksync_cpu_word(cpu)], ~__lksync_cpu_bit(cpu), __ATOMIC_RELAXED);
}

/* __cpumask_set_cpu / __cpumask_clear_cpu - non-atomic forms. */
static inline void __cpumask_set_cpu(unsigned int cpu, struct cpumask *mask)
{
	mask->bits[__lksync_cpu_word(cpu)] |= __lksync_cpu_bit(cpu);
}

static inline void __cpumask_clear_cpu(int cpu, struct cpumask *mask)
{
	mask->bits[__lksync_cpu_word(cpu)] &= ~__lksync_cpu_bit(cpu);
}

/* cpumask_clear - empty @mask. Context: any. */
static inline void cpumask_clear(struct cpumask *mask)
{
	for (int i = 0; i < __LKSYNC_CPU_LONGS; i++)
		mask->bits[i] = 0;
}

/* cpumask_setall - set every CPU below nr_cpu_ids in @mask. Context: any. */
static inline void cpumask_setall(struct cpumask *mask)
{
	unsigned int n = nr_cpu_ids;

	for (unsigned int i = 0; i < __LKSYNC_CPU_LONGS; i++) {
		unsigned int lo = i * __LKSYNC_LONG_BITS;

		if (lo + __LKSYNC_LONG_BITS <= n)
			mask->bits[i] = ~0UL;
		else if (lo < n)
			mask->bits[i] = ~0UL >> (__LKSYNC_LONG_BITS - (n - lo));
		else
			mask->bits[i] = 0;
	}
}

/* cpumask_copy - *@dst = *@src. Context: any. */
static inline void cpumask_copy(struct cpumask *dst, const struct cpumask *src)
{
	*dst = *src;
}

/* cpumask_weight - the number of CPUs in @mask. Context: any. Return: the count. */
static inline unsigned int cpumask_weight(const struct cpumask *mask)
{
	unsigned int w = 0;

	for (int i = 0; i < __LKSYNC_CPU_LONGS; i++)
		w += (unsigned int)__builtin_popcountl(mask->bits[i]);
	return w;
}

/**
 * cpumask_next - the next CPU in @mask after @n (n = -1 starts at CPU 0).
 * Context: any. Return: the CPU, or a value >= nr_cpu_ids if there is none.
 */
static inline unsigned int cpumask_next(int n, const struct cpumask *mask)
{
	unsigned int cpu = (unsigned int)(n + 1), lim = nr_cpu_ids;

	while (cpu < lim) {
		unsigned long w = READ_ONCE(mask->bits[__lksync_cpu_word(cpu)]) &
				  (~0UL << (cpu % __LKSYNC_LONG_BITS));

		if (w) {
			cpu = __lksync_cpu_word(cpu) * __LKSYNC_LONG_BITS +
			      (unsigned int)__builtin_ctzl(w);
			return cpu < lim ? cpu : lim;
		}
		cpu = (__lksync_cpu_word(cpu) + 1) * __LKSYNC_LONG_BITS;
	}
	return lim;
}

/* cpumask_first - the first CPU in @mask. Return: it, or >= nr_cpu_ids if empty. */
static inline unsigned int cpumask_first(const struct cpumask *mask)
{
	return cpumask_next(-1, mask);
}

/* cpumask_empty - is @mask empty? Return: true if so. */
static inline bool cpumask_empty(const struct cpumask *mask)
{
	return cpumask_first(mask) >= nr_cpu_ids;
}

/* cpumask_equal - do @a and @b hold the same CPUs? Return: true if so. */
static inline bool cpumask_equal(const struct cpumask *a, const struct cpumask *b)
{
	for (int i = 0; i < __LKSYNC_CPU_LONGS; i++)
		if (a->bits[i] != b->bits[i])
			return false;
	return true;
}

/* cpumask_and - *@dst = *@a & *@b. Return: false if the result is empty. */
static inline bool cpumask_and(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b)
{
	unsigned long any = 0;

	for (int i = 0; i < __LKSYNC_CPU_LONGS; i++)
		any |= dst->bits[i] = a->bits[i] & b->bits[i];
	return any != 0;
}

/* cpumask_or - *@dst = *@a | *@b. Context: any. */
static inline void cpumask_or(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b)
{
	for (int i = 0; i < __LKSYNC_CPU_LONGS; i++)
		dst->bits[i] = a->bits[i] | b->bits[i];
}

/**
 * for_each_cpu - iterate @cpu (an int or unsigned variable) over @mask.
 * Context: any.
 */
#define for_each_cpu(cpu, mask)							\
	for ((cpu) = -1; (cpu) = cpumask_next((int)(cpu), (mask)), (unsigned int)(cpu) < nr_cpu_ids;)

/* for_each_possible_cpu / for_each_online_cpu / for_each_present_cpu - iterate @cpu over a CPU set. */
#define for_each_possible_cpu(cpu)	for_each_cpu((cpu), cpu_possible_mask)
#define for_each_online_cpu(cpu)	for_each_cpu((cpu), cpu_online_mask)
#define for_each_present_cpu(cpu)	for_each_cpu((cpu), cpu_present_mask)

/* num_possible_cpus / num_online_cpus / num_present_cpus - sizes of the CPU sets. */
#define num_possible_cpus()	(lksync_cpus_get()->nr_possible)
#define num_online_cpus()	(lksync_cpus_get()->nr_online)
#define num_present_cpus()	(lksync_cpus_get()->nr_present)

/* cpu_possible / cpu_online / cpu_present - is @cpu in that set? Return: true if so. */
#define cpu_possible(cpu)	cpumask_test_cpu((cpu), cpu_possible_mask)
#define cpu_online(cpu)		cpumask_test_cpu((cpu), cpu_online_mask)
#define cpu_present(cpu)	cpumask_test_cpu((cpu), cpu_present_mask)
#define cpu_active(cpu)		cpu_online(cpu)
#define cpu_is_offline(cpu)	(!cpu_online(cpu))

#endif /* LKSYNC_CPUMASK_H */
