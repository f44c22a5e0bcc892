/* SPDX-License-Identifier: MIT */
/*
 * Layer: sched. Which CPU this task is on, and claiming it: linux/smp.h's
 * smp_processor_id(), raw_smp_processor_id(), get_cpu() and put_cpu().
 * Includes preempt.h, cpumask.h and libc headers.
 *
 * smp_processor_id() is the CPU the thread runs on now, read from the rseq
 * area glibc registers for every thread (a TLS load, no system call), with
 * sched_getcpu() as the fallback. The OS may migrate the thread right after:
 * the answer is a hint unless the CPU is claimed.
 *
 * get_cpu() claims a CPU until the matching put_cpu(): a per-CPU ownership
 * lock (spin a bounded time, then sleep on a futex), so two threads that both
 * run on CPU n serialize, as two kernel tasks on one CPU with preemption
 * disabled would. If that CPU is taken, another free one may be claimed
 * instead. Claims nest; while one is held, smp_processor_id() returns the
 * claimed CPU whatever the OS does, so this_cpu_ptr() and per_cpu(..,
 * smp_processor_id()) between get_cpu() and put_cpu() name the claimed copy.
 * A claim is a lock: never sleep in it, and do not wait in it for a lock that
 * a thread waiting for a claim may hold (with every CPU claimed by waiters,
 * that deadlocks, where the kernel could not even get there).
 *
 * Uniprocessor build (LKSYNC_UP, as !CONFIG_SMP): smp_processor_id() is
 * always 0 and get_cpu() claims CPU 0.
 */
#ifndef LKSYNC_SMP_H
#define LKSYNC_SMP_H

#include <sched.h>
#include <lksync/preempt.h>
#include <lksync/cpumask.h>

#if !defined(LKSYNC_UP) && defined(__GLIBC__) && \
	(__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35)) && \
	(defined(__x86_64__) || defined(__aarch64__))
#define LKSYNC_HAVE_RSEQ_CPU 1
/* glibc's rseq registration (the same declarations as <sys/rseq.h>). */
extern const ptrdiff_t __rseq_offset;
extern const unsigned int __rseq_size;
#define __LKSYNC_RSEQ_CPU_ID	4	/* offsetof(struct rseq, cpu_id) */
#endif

/* Out of line: the CPU from sched_getcpu(), when rseq cannot tell. */
LKSYNC_API unsigned int lksync_getcpu_slow(void);
/* Out of line: claim a CPU for get_cpu(). Return: the CPU. */
LKSYNC_API unsigned int lksync_cpu_claim_slow(void);
/* Out of line: release the claimed CPU, waking a waiter. */
LKSYNC_API void lksync_cpu_release_slow(void);
#ifdef LKSYNC_DEBUG
LKSYNC_API unsigned int lksync_debug_smp_processor_id(void);
#endif

/* The CPU the thread runs on now, ignoring claims. */
static __always_inline unsigned int lksync_cpu_now(void)
{
#ifdef LKSYNC_UP
	return 0;
#elif defined(LKSYNC_HAVE_RSEQ_CPU)
	/* The kernel rewrites cpu_id on every migration before we run again. */
	int cpu = *(volatile int *)((char *)__builtin_thread_pointer() +
				    __rseq_offset + __LKSYNC_RSEQ_CPU_ID);

	if (unlikely(cpu < 0))	/* rseq not registered on this thread */
		return lksync_getcpu_slow();
	return (unsigned int)cpu;
#else
	return lksync_getcpu_slow();
#endif
}

/**
 * raw_smp_processor_id - this thread's CPU: the claimed one inside
 * get_cpu()..put_cpu(), otherwise the one it runs on now.
 * Context: any. Return: a CPU number below nr_cpu_ids.
 */
static __always_inline unsigned int raw_smp_processor_id(void)
{
	unsigned int claim = READ_ONCE(lksync_tls.cpu_claim);

	if (claim)
		return claim - 1;
	return lksync_cpu_now();
}

/**
 * smp_processor_id - as raw_smp_processor_id(); with LKSYNC_DEBUG, reports
 * use in preemptible code outside a claim, as the kernel's DEBUG_PREEMPT.
 * Context: any; stable only between get_cpu() and put_cpu().
 * Return: a CPU number below nr_cpu_ids.
 */
#ifdef LKSYNC_DEBUG
#define smp_processor_id()	lksync_debug_smp_processor_id()
#else
#define smp_processor_id()	raw_smp_processor_id()
#endif
#define __smp_processor_id()	raw_smp_processor_id()

/**
 * get_cpu - disable preemption and claim this thread's CPU for exclusive use
 * until put_cpu(); nests.
 * Context: any; must not sleep until put_cpu().
 * Return: the claimed CPU.
 */
static __always_inline int get_cpu(void)
{
	unsigned int claim;

	preempt_disable();
	claim = lksync_tls.cpu_claim;
	if (claim) {
		lksync_tls.cpu_claim_depth++;
		return (int)claim - 1;
	}
	return (int)lksync_cpu_claim_slow();
}

/**
 * put_cpu - end the section begun by get_cpu(); the outermost one releases
 * the CPU. Context: after get_cpu() on this thread.
 */
static __always_inline void put_cpu(void)
{
	if (lksync_tls.cpu_claim_depth-- <= 1)	/* outermost, or unbalanced */
		lksync_cpu_release_slow();
	preempt_enable();
}

#endif /* LKSYNC_SMP_H */
