/* SPDX-License-Identifier: MIT */
/*
 * Layer: context. The "device" side of lksync's interrupts: raising a line
 * and routing it to a task (the analogue of IRQ affinity). Handlers are
 * registered with request_irq() in <lksync/interrupt.h>.
 *
 * Every task is a CPU for interrupt purposes. A line is delivered to one
 * task: by default the task that requested it, or the one given to
 * lksync_irq_route(). Delivery is a real-time signal (LKSYNC_IRQ_SIGNAL)
 * sent to that thread with tgkill(); its handler runs the line's handlers in
 * hardirq context on that thread, or, when the thread has interrupts masked
 * (local_irq_disable(), spin_lock_irqsave(), ...), marks the interrupt
 * pending and leaves it to local_irq_enable()/local_irq_restore().
 * See docs/interrupts.md.
 */
#ifndef LKSYNC_IRQ_H
#define LKSYNC_IRQ_H

#include <signal.h>
#include <stdbool.h>
#include <lksync/sched.h>

/* NR_IRQS - the number of interrupt lines: valid lines are 0 .. NR_IRQS - 1. */
#define NR_IRQS		LKSYNC_NR_IRQS

/*
 * LKSYNC_IRQ_SIGNAL - the real-time signal that carries interrupts to a
 * task. lksync installs its handler (SA_SIGINFO | SA_RESTART | SA_NODEFER)
 * at the first request_irq(); a program must not use it for anything else,
 * nor block it in threads that receive interrupts.
 */
#define LKSYNC_IRQ_SIGNAL	(SIGRTMIN + 6)

/**
 * lksync_irq_raise - raise interrupt line @irq, as a device asserting it.
 * @irq: the line, below NR_IRQS.
 *
 * The line is marked pending on its target task and the task is signalled;
 * its handlers run there asynchronously, at once if the task has interrupts
 * enabled, otherwise when it enables them. Raising a line that is already
 * pending on its target does nothing more (interrupts coalesce, as edges on a
 * busy line do). A line raised while disabled (disable_irq()) or masked by a
 * oneshot threaded handler is remembered and delivered when it is enabled.
 * Context: any, hardirq and softirq handlers included; async-signal-safe.
 * Return: 0; -EINVAL if @irq is not a line; -ENODEV if no handler is
 * requested on the line (the raise is then counted as spurious, and lost);
 * -EAGAIN if the signal could not be queued (the process's real-time signal
 * queue is full, RLIMIT_SIGPENDING): that raise is lost, the next one tries
 * again.
 */
LKSYNC_API int lksync_irq_raise(unsigned int irq);

/**
 * lksync_irq_route - deliver line @irq to @task from now on (IRQ affinity).
 * @irq: the line, below NR_IRQS.
 * @task: the target; NULL routes back to the task that requested the line.
 *
 * An interrupt already pending on the previous target still runs there. The
 * route holds a reference on @task; when @task's thread exits, its lines move
 * to a ksoftirqd thread (like the kernel moving interrupts off an unplugged
 * CPU) and nothing pending on it is lost.
 * Context: task context.
 * Return: 0; -EINVAL if @irq is not a line or no handler is requested on it;
 * -ESRCH if @task is exiting.
 */
LKSYNC_API int lksync_irq_route(unsigned int irq, struct task_struct *task);

/**
 * lksync_irq_spurious - how many raises found no handler on line @irq.
 * Context: any.
 * Return: the count, or 0 if @irq is not a line.
 */
LKSYNC_API unsigned long lksync_irq_spurious(unsigned int irq);

/**
 * irq_has_action - does line @irq have a handler requested?
 * Context: any; a snapshot.
 * Return: true if at least one action is installed; false for a free line
 * or one that is not a line.
 */
LKSYNC_API bool lksync_irq_has_action(unsigned int irq);
#define irq_has_action(irq)	lksync_irq_has_action(irq)

/**
 * lksync_irq_wake_depth - how many irq_set_irq_wake(@irq, 1) are not yet undone.
 * Context: any; a snapshot.
 * Return: the depth (the line is a wake source while it is not 0); 0 if
 * @irq is not a line.
 */
LKSYNC_API unsigned int lksync_irq_wake_depth(unsigned int irq);

#endif /* LKSYNC_IRQ_H */
