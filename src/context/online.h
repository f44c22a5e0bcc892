/* SPDX-License-Identifier: MIT */
/* Layer: context (private). Bringing the context layer's threads online. */
#ifndef LKSYNC_SRC_CONTEXT_ONLINE_H
#define LKSYNC_SRC_CONTEXT_ONLINE_H

/*
 * lksync_context_online - start ksoftirqd, the clock (ktimerd) and the
 * workqueue manager, each once, if the caller is in task context.
 *
 * They are threads, and creating a thread is not async-signal-safe, so it
 * cannot happen in a handler. In task context it is always safe, even with
 * interrupts masked or bottom halves disabled: those are flags here, not a
 * signal handler's frame. Every task-context entry point calls this
 * (request_irq(), timer_setup(), tasklet_init(), INIT_WORK(), the first
 * raise, schedule, arm or queue), and handlers exist only after a
 * request_irq(), so a statically declared tasklet, timer or work item first
 * used from a handler finds the machinery running.
 * Context: any; does nothing outside task context.
 * Return: 0, or the error of starting ksoftirqd.
 */
int lksync_context_online(void);

/* workqueue_pool.c: start the manager thread (once). Context: task. */
void lksync_wq_manager_start(void);

#endif /* LKSYNC_SRC_CONTEXT_ONLINE_H */
