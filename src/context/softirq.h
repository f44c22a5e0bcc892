/* SPDX-License-Identifier: MIT */
/*
 * Layer: context (private). What hard interrupts, softirqs and tasklets
 * share inside the library (src/context/irq.c, softirq.c, tasklet.c).
 */
#ifndef LKSYNC_SRC_CONTEXT_SOFTIRQ_H
#define LKSYNC_SRC_CONTEXT_SOFTIRQ_H

#include <lksync/interrupt.h>

/*
 * Create the ksoftirqd/N threads once (they are created lazily, so a
 * program that never uses softirqs has none). Context: task context.
 * Return: 0, or a negative errno if they could not be created.
 */
int lksync_softirq_init(void);

/* Created already? Context: any. */
bool lksync_softirq_ready(void);

/*
 * A ksoftirqd thread's task, for interrupt lines whose target exits (the
 * kernel moves them to an online CPU): the one of CPU @hint % nr_cpu_ids.
 * Return: NULL if none exists yet.
 */
struct task_struct *lksync_ksoftirqd_task(unsigned int hint);

/*
 * Hand this task's pending softirqs (and its tasklet lists) to the
 * ksoftirqd of the CPU it runs on, the kernel's wakeup_softirqd(). On a
 * ksoftirqd thread, or before any exists, they stay pending here.
 * Context: interrupts disabled; async-signal-safe.
 */
void lksync_softirq_handoff(void);

/*
 * Hardirq exit, with HARDIRQ_OFFSET already dropped: run pending softirqs
 * if not in interrupt context any more. Context: interrupts disabled.
 */
void lksync_softirq_irq_exit(void);

/* Interrupt lines of an exiting task move elsewhere (src/context/irq.c). */
void lksync_irq_task_exit(struct task_struct *t);

#ifdef LKSYNC_TSAN
/*
 * src/lib/tsan.c: create this thread's TSan signal context before a line
 * can target it (a signal landing while TSan creates it is lost).
 * Context: task context.
 */
void lksync_tsan_signal_prime(void);
#endif

/*
 * Tasklets (src/context/tasklet.c): the TASKLET_SOFTIRQ and HI_SOFTIRQ
 * actions, and moving a task's lists. A list is circular and held by its
 * tail (NULL = empty), so one pointer slot per list is enough and both
 * append and splice are O(1).
 */
void lksync_tasklet_action(void);
void lksync_tasklet_hi_action(void);
#define LKSYNC_TASKLET_SLOT(nr)	((nr) == HI_SOFTIRQ ? 1 : 0)	/* context_private[] */
struct tasklet_struct *lksync_tasklet_splice(struct tasklet_struct *tail,
					     struct tasklet_struct *more);
/*
 * Tasklets this thread ran, and ones it had to put back (disabled or
 * running elsewhere): ksoftirqd backs off when it makes no progress.
 */
unsigned long lksync_tasklet_ran(void);
/* Wake ksoftirqd threads backing off (a disabled tasklet was enabled). */
void lksync_softirq_kick(void);

#endif /* LKSYNC_SRC_CONTEXT_SOFTIRQ_H */
