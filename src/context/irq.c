// SPDX-License-Identifier: MIT
/*
 * Layer: context. Hard interrupts: lines, their handlers and delivery.
 *
 * A line is raised on its target task: the line's bit is set in
 * task->irq_pending[] and, if it was clear, LKSYNC_IRQ_SIGNAL is sent to the
 * thread with tgkill(). The signal handler, or local_irq_enable()/restore()
 * if the signal found interrupts masked (it then only marks
 * LKSYNC_PENDING_IRQ in the task's TLS), takes the bits with an exchange
 * and runs each line's handlers in hardirq context: HARDIRQ_OFFSET in
 * preempt_count, interrupts masked, never nested (a signal that lands in a
 * handler only marks LKSYNC_PENDING_IRQ, and the handler's exit replays it).
 * On the way out it runs pending softirqs (irq_exit()).
 *
 * struct irq_desc::istate:
 *
 *   INPROGRESS  the line's handlers run (on one task only: a raise that
 *               finds them running elsewhere leaves PENDING and the running
 *               task runs them again, the kernel's edge-flow loop)
 *   PENDING     raised while disabled (depth > 0), masked by a oneshot
 *               thread, or while running elsewhere: resent on enable
 *
 * The descriptor's lock is taken with interrupts disabled (raw_spin_lock_
 * irqsave in task context, plain in a handler), so a handler never spins on
 * a lock its own thread holds. Actions are linked under it and read by
 * handlers without it (acquire loads); free_irq() unlinks an action, then
 * waits for running handlers before freeing it.
 *
 * Under ThreadSanitizer the signal is installed without SA_RESTART: TSan
 * defers a signal that arrives outside its interceptors to the thread's next
 * intercepted call or atomic operation, so a futex sleep restarted by the
 * kernel would never let it run; with EINTR, schedule()'s loop comes back
 * out and its atomic load delivers it. And a task becomes a target only
 * after its TSan signal context exists (lksync_tsan_signal_prime(): request
 * and route to oneself, ksoftirqd): libtsan creating it at the task's first
 * blocking call, as a raise lands, lost that raise, and with its pending bit
 * left set every later one.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <lksync/interrupt.h>
#include <lksync/kthread.h>
#include <lksync/mutex.h>
#include <lksync/printk.h>
#include <lksync/processor.h>
#include <lksync/spinlock.h>
#include <lksync/wait.h>
#include "locking/wait_lock.h"
#include "sched/sched.h"
#include "context/online.h"
#include "context/softirq.h"
#include "context/timer.h"

#define IRQS_PENDING	0x1u
#define IRQS_INPROGRESS	0x2u

#define IRQTF_RUNTHREAD	0	/* bit in irqaction::thread_flags */

#define IRQ_WORDS	(NR_IRQS / (8 * sizeof(unsigned long)))
#define IRQ_WORD_BITS	(8 * sizeof(unsigned long))

/* task->context_private[2]: the task's interrupt bookkeeping. */
#define IRQ_TASK_ROUTED	0x1ul	/* some line was routed here: look at exit */
#define IRQ_TASK_DEAD	0x2ul	/* exited: route nothing here any more */

struct irqaction {
	irq_handler_t handler;
	irq_handler_t thread_fn;
	void *dev_id;
	struct irqaction *next;
	struct task_struct *thread;
	unsigned int irq;
	unsigned long flags;
	unsigned long thread_flags;
	unsigned long thread_mask;	/* this action's bit in threads_oneshot */
	const char *name;
};

struct irq_desc {
	raw_spinlock_t lock;
	struct irqaction *action;	/* list; readers in handlers go lockless */
	struct task_struct *target;	/* delivery task (referenced), NULL: no action */
	struct task_struct *owner;	/* the requesting task (referenced) */
	unsigned int depth;		/* disable_irq() nesting; 1 while unrequested */
	unsigned int wake_depth;	/* irq_set_irq_wake() nesting (under lock) */
	unsigned int istate;		/* IRQS_*; written under lock, read racily */
	unsigned long threads_oneshot;	/* oneshot threads still to run: line masked */
	atomic_t threads_active;	/* woken threads not yet finished */
	atomic_t threads_handled;
	unsigned long count;		/* handler runs */
	unsigned long unhandled;	/* runs where every handler said IRQ_NONE */
	unsigned long spurious;		/* raised or delivered with no action */
	struct wait_queue_head wait_for_threads;
	/*
	 * Serializes request_irq()/free_irq()/lksync_irq_route() on this line,
	 * as the kernel's per-descriptor request_mutex: one global mutex held
	 * across free_irq()'s synchronize_irq() and kthread_stop() deadlocked
	 * a threaded handler that requested or freed another line meanwhile.
	 */
	struct mutex request_mutex;
};

static struct irq_desc irq_descs[NR_IRQS];
static pthread_once_t irq_signal_once = PTHREAD_ONCE_INIT;

static unsigned long *task_irq_word(struct task_struct *t)
{
	return (unsigned long *)&t->context_private[2];
}

static bool irq_masked(const struct irq_desc *desc)
{
	return desc->depth || desc->threads_oneshot;
}

static void istate_set(struct irq_desc *desc, unsigned int set, unsigned int clear)
{
	/* Relaxed: synchronize_hardirq() peeks; the lock orders everything else. */
	__atomic_store_n(&desc->istate, (desc->istate | set) & ~clear, __ATOMIC_RELAXED);
}

/* The tgkill() of a raise, done after the descriptor lock is dropped. */
struct irq_kick {
	pid_t tgid, tid;
	struct task_struct *task;	/* whose pending bit the kick is for */
	unsigned int irq;
};

/* Return: 0, or -EAGAIN when the signal could not be queued. */
static int irq_kick(const struct irq_kick *k)
{
	int saved = errno, ret = 0;

	/*
	 * The task may have exited since: the thread id then names no thread
	 * (ESRCH) or another thread of ours, whose handler finds nothing to
	 * do; the line's bit moved with the route (lksync_irq_task_exit()).
	 */
	if (k->tid && syscall(SYS_tgkill, k->tgid, k->tid, LKSYNC_IRQ_SIGNAL) &&
	    errno == EAGAIN) {
		/*
		 * The real-time signal queue is full (RLIMIT_SIGPENDING).
		 * A bit left set would make every later raise think a signal
		 * is on its way, and the line would be dead on that task:
		 * clear it, so the next raise tries again, and say so. (Task
		 * structs are type-stable: the task is still a task.)
		 */
		clear_bit(k->irq, k->task->irq_pending);
		ret = -EAGAIN;
	}
	errno = saved;
	return ret;
}

/* Mark @irq pending on its target. Context: @desc locked. */
static void irq_send_locked(struct irq_desc *desc, unsigned int irq, struct irq_kick *k)
{
	struct task_struct *t = desc->target;

	k->tid = 0;
	if (!t)
		return;
	/* Fully ordered: the raiser's stores happen before the handler's exchange. */
	if (!test_and_set_bit(irq, t->irq_pending)) {
		k->tgid = t->tgid;
		k->tid = t->pid;
		k->task = t;
		k->irq = irq;
	}
}

/* A task that may receive interrupts now, or NULL. */
static bool task_routable(struct task_struct *t)
{
	return !(__atomic_load_n(task_irq_word(t), __ATOMIC_ACQUIRE) & IRQ_TASK_DEAD) &&
	       !(__atomic_load_n(&t->flags, __ATOMIC_RELAXED) & PF_EXITING);
}

/* Point @desc at @t (or a ksoftirqd if @t cannot take it). Context: @desc locked. */
static void irq_set_target_locked(struct irq_desc *desc, unsigned int irq, struct task_struct *t)
{
	struct task_struct *old = desc->target;

	/*
	 * ROUTED is set and DEAD tested in one RMW, against the exit path's
	 * one RMW the other way round (lksync_irq_task_exit()): either the
	 * exit sees ROUTED and moves this line on, or we see DEAD and route
	 * elsewhere. Testing first and setting after left a window where
	 * neither happened and the line kept signalling a dead thread.
	 */
	if (t && ((__atomic_fetch_or(task_irq_word(t), IRQ_TASK_ROUTED, __ATOMIC_ACQ_REL) &
		   IRQ_TASK_DEAD) || (__atomic_load_n(&t->flags, __ATOMIC_RELAXED) & PF_EXITING)))
		t = NULL;
	if (!t) {
		t = lksync_ksoftirqd_task(irq);
		if (t)
			__atomic_or_fetch(task_irq_word(t), IRQ_TASK_ROUTED, __ATOMIC_RELAXED);
	}
	if (t)
		get_task_struct(t);
	desc->target = t;
	if (old)
		put_task_struct(old);
}

/* ---- delivery (hardirq context) ----------------------------------------- */

static irqreturn_t irq_default_primary_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return IRQ_WAKE_THREAD;
}

static void irq_wake_thread(struct irq_desc *desc, struct irqaction *action)
{
	raw_spin_lock(&desc->lock);
	/*
	 * Under the lock with the oneshot mask and the count, so the thread's
	 * finalization (which takes the lock) sees all three or none.
	 */
	if (!test_and_set_bit(IRQTF_RUNTHREAD, &action->thread_flags)) {
		desc->threads_oneshot |= action->thread_mask;
		atomic_inc(&desc->threads_active);
	}
	raw_spin_unlock(&desc->lock);
	wake_up_process(action->thread);
}

static irqreturn_t irq_run_actions(struct irq_desc *desc, unsigned int irq)
{
	irqreturn_t ret = IRQ_NONE;
	/* Acquire: an action is complete before it is linked. */
	struct irqaction *a = __atomic_load_n(&desc->action, __ATOMIC_ACQUIRE);

	for (; a; a = __atomic_load_n(&a->next, __ATOMIC_ACQUIRE)) {
		irqreturn_t r = a->handler((int)irq, a->dev_id);

		if (unlikely(!READ_ONCE(lksync_tls.irqs_off))) {
			WARN_ONCE(1, "irq %u handler %p enabled interrupts\n", irq, (void *)a->handler);
			local_irq_disable();
		}
		/* Exactly IRQ_WAKE_THREAD, as the kernel's switch on the result. */
		if (r == IRQ_WAKE_THREAD) {
			if (unlikely(!a->thread_fn))
				WARN_ONCE(1, "IRQ %u device %s returned IRQ_WAKE_THREAD but no thread function available.",
					  irq, a->name);
			else
				irq_wake_thread(desc, a);
		}
		ret |= r;
	}
	return ret;
}

/* One line, as the kernel's flow handler. Context: hardirq. */
static void irq_handle(unsigned int irq)
{
	struct irq_desc *desc = &irq_descs[irq];
	irqreturn_t ret;

	raw_spin_lock(&desc->lock);
	if (unlikely(!desc->action)) {
		desc->spurious++;
		goto out;
	}
	if (desc->istate & IRQS_INPROGRESS || irq_masked(desc)) {
		istate_set(desc, IRQS_PENDING, 0);
		goto out;
	}
	istate_set(desc, IRQS_INPROGRESS, 0);
	do {
		istate_set(desc, 0, IRQS_PENDING);
		desc->count++;
		raw_spin_unlock(&desc->lock);
		ret = irq_run_actions(desc, irq);
		raw_spin_lock(&desc->lock);
		if (ret == IRQ_NONE)
			desc->unhandled++;
	} while ((desc->istate & IRQS_PENDING) && !irq_masked(desc) && desc->action);
	istate_set(desc, 0, IRQS_INPROGRESS);
out:
	raw_spin_unlock(&desc->lock);
}

/* Run every line pending on @t. Context: hardirq, on @t's thread. */
static void irq_handle_pending(struct task_struct *t)
{
	bool again;

	do {
		again = false;
		for (unsigned int w = 0; w < IRQ_WORDS; w++) {
			/* Acquire: pairs with the raiser's test_and_set_bit(). */
			unsigned long bits = __atomic_exchange_n(&t->irq_pending[w], 0,
								 __ATOMIC_ACQUIRE);

			while (bits) {
				unsigned int b = (unsigned int)__builtin_ctzl(bits);

				bits &= bits - 1;
				irq_handle(w * IRQ_WORD_BITS + b);
				again = true;
			}
		}
	} while (again);
}

/*
 * Take interrupts on this thread: called with interrupts enabled and not in
 * hardirq context, by the signal handler or by local_irq_enable(). Loops
 * while a signal that landed meanwhile marked more.
 */
static void irq_deliver(void)
{
	struct task_struct *t = lksync_tls.task;

	for (;;) {
		__atomic_and_fetch(&lksync_tls.pending, ~LKSYNC_PENDING_IRQ, __ATOMIC_RELAXED);
		if (!t)		/* exiting: its lines were moved (lksync_irq_task_exit()) */
			return;
		WRITE_ONCE(lksync_tls.irqs_off, 1);
		barrier();
		/* irq_enter() */
		__preempt_count_add(HARDIRQ_OFFSET);
		irq_handle_pending(t);
		/* irq_exit() */
		__preempt_count_sub(HARDIRQ_OFFSET);
		lksync_softirq_irq_exit();
		barrier();
		WRITE_ONCE(lksync_tls.irqs_off, 0);
		barrier();
		if (likely(!(READ_ONCE(lksync_tls.pending) & LKSYNC_PENDING_IRQ)))
			return;
	}
}

#ifdef LKSYNC_TSAN
/* src/lib/tsan.c: the seqlock readers' ignore flag follows TSan's own across a signal handler. */
int lksync_tsan_seq_save(void);
void lksync_tsan_seq_restore(int saved);
#endif

static void irq_signal_handler(int sig, siginfo_t *info, void *uctx)
{
	int saved = errno;
#ifdef LKSYNC_TSAN
	int seq = lksync_tsan_seq_save();
#endif

	(void)sig;
	(void)info;
	(void)uctx;
	if (READ_ONCE(lksync_tls.irqs_off) || (preempt_count() & (HARDIRQ_MASK | NMI_MASK)))
		__atomic_or_fetch(&lksync_tls.pending, LKSYNC_PENDING_IRQ, __ATOMIC_RELAXED);
	else
		irq_deliver();
#ifdef LKSYNC_TSAN
	lksync_tsan_seq_restore(seq);
#endif
	errno = saved;
}

void lksync_irq_enable_slow(void)
{
	if (!(READ_ONCE(lksync_tls.pending) & LKSYNC_PENDING_IRQ))
		return;		/* only softirqs pending: local_bh_enable()'s business */
	/*
	 * A handler that enabled interrupts (a bug the kernel warns about):
	 * the handler's exit replays what arrived, never nested.
	 */
	if (READ_ONCE(lksync_tls.irqs_off) || (preempt_count() & (HARDIRQ_MASK | NMI_MASK)))
		return;
	irq_deliver();
}

static void irq_signal_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = irq_signal_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
#ifndef LKSYNC_TSAN
	sa.sa_flags |= SA_RESTART;	/* see the top of this file */
#endif
	sigemptyset(&sa.sa_mask);
	if (sigaction(LKSYNC_IRQ_SIGNAL, &sa, NULL))
		pr_err("irq: cannot install the interrupt signal handler\n");
}

/* ---- the device side ------------------------------------------------------ */

int lksync_irq_raise(unsigned int irq)
{
	struct irq_desc *desc;
	struct irq_kick k;
	unsigned long flags;

	if (irq >= NR_IRQS)
		return -EINVAL;
	desc = &irq_descs[irq];
	raw_spin_lock_irqsave(&desc->lock, flags);
	if (!desc->action) {
		desc->spurious++;
		raw_spin_unlock_irqrestore(&desc->lock, flags);
		return -ENODEV;
	}
	irq_send_locked(desc, irq, &k);
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	return irq_kick(&k);
}

int lksync_irq_route(unsigned int irq, struct task_struct *task)
{
	struct irq_desc *desc;
	unsigned long flags;
	int ret = 0;

	if (irq >= NR_IRQS)
		return -EINVAL;
#ifdef LKSYNC_TSAN
	if (task == current)
		lksync_tsan_signal_prime();
#endif
	desc = &irq_descs[irq];
	mutex_lock(&desc->request_mutex);
	raw_spin_lock_irqsave(&desc->lock, flags);
	if (!desc->action)
		ret = -EINVAL;
	else if (task && !task_routable(task))
		ret = -ESRCH;
	else
		irq_set_target_locked(desc, irq, task ? task : desc->owner);
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	mutex_unlock(&desc->request_mutex);
	return ret;
}

unsigned long lksync_irq_spurious(unsigned int irq)
{
	unsigned long flags, n;

	if (irq >= NR_IRQS)
		return 0;
	raw_spin_lock_irqsave(&irq_descs[irq].lock, flags);
	n = irq_descs[irq].spurious;
	raw_spin_unlock_irqrestore(&irq_descs[irq].lock, flags);
	return n;
}

/* ---- threaded handlers ---------------------------------------------------- */

/* The thread ran: unmask a oneshot line and resend what came meanwhile. */
static void irq_finalize_thread(struct irq_desc *desc, struct irqaction *action)
{
	struct irq_kick k = { 0 };
	unsigned long flags;

	raw_spin_lock_irqsave(&desc->lock, flags);
	/* Woken again meanwhile: the line stays masked until that run. */
	if (action->thread_mask && !test_bit(IRQTF_RUNTHREAD, &action->thread_flags)) {
		desc->threads_oneshot &= ~action->thread_mask;
		if (!irq_masked(desc) && (desc->istate & IRQS_PENDING)) {
			istate_set(desc, 0, IRQS_PENDING);
			irq_send_locked(desc, action->irq, &k);
		}
	}
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	irq_kick(&k);
	if (atomic_dec_and_test(&desc->threads_active))
		wake_up(&desc->wait_for_threads);
}

static int irq_thread(void *data)
{
	struct irqaction *action = data;
	struct irq_desc *desc = &irq_descs[action->irq];

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		if (!test_and_clear_bit(IRQTF_RUNTHREAD, &action->thread_flags)) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		if (action->thread_fn((int)action->irq, action->dev_id) == IRQ_HANDLED)
			atomic_inc(&desc->threads_handled);
		irq_finalize_thread(desc, action);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* ---- request, free, enable, disable ------------------------------------- */

static int irq_setup_action(struct irq_desc *desc, struct irqaction *new)
{
	struct irqaction *old = desc->action, **link = &desc->action;
	unsigned long mask = 0;

	if (old) {
		/* The kernel's rules: all share, same trigger type, same ONESHOT. */
		if (!(old->flags & new->flags & IRQF_SHARED) ||
		    ((old->flags ^ new->flags) & IRQF_TRIGGER_MASK) ||
		    ((old->flags ^ new->flags) & IRQF_ONESHOT) ||
		    ((old->flags ^ new->flags) & IRQF_PERCPU)) {
			if (!(new->flags & IRQF_PROBE_SHARED))
				pr_err("Flags mismatch irq %u. %08lx (%s) vs. %08lx (%s)\n",
				       new->irq, new->flags, new->name, old->flags, old->name);
			return -EBUSY;
		}
		for (; *link; link = &(*link)->next)
			mask |= (*link)->thread_mask;
	}
	if (new->flags & IRQF_ONESHOT) {
		if (mask == ~0UL)
			return -EBUSY;
		new->thread_mask = 1UL << __builtin_ctzl(~mask);
	}
	if (!old) {
		desc->depth = (new->flags & IRQF_NO_AUTOEN) ? 1 : 0;
		istate_set(desc, 0, IRQS_PENDING);
		desc->threads_oneshot = 0;
		desc->unhandled = 0;
		get_task_struct(current);
		desc->owner = current;
		irq_set_target_locked(desc, new->irq, current);
	}
	/* Release: the action is complete before a handler can find it. */
	__atomic_store_n(link, new, __ATOMIC_RELEASE);
	return 0;
}

int lksync_request_threaded_irq(unsigned int irq, irq_handler_t handler,
				irq_handler_t thread_fn, unsigned long flags,
				const char *name, void *dev_id)
{
	struct irq_desc *desc;
	struct irqaction *action;
	unsigned long iflags;
	int ret;

	if (irq >= NR_IRQS)
		return -EINVAL;
	if (((flags & IRQF_SHARED) && !dev_id) ||
	    ((flags & IRQF_SHARED) && (flags & IRQF_NO_AUTOEN)) ||
	    (!(flags & IRQF_SHARED) && (flags & IRQF_COND_SUSPEND)) ||
	    ((flags & IRQF_NO_SUSPEND) && (flags & IRQF_COND_SUSPEND)))
		return -EINVAL;
	if (!handler) {
		if (!thread_fn)
			return -EINVAL;
		if (!(flags & IRQF_ONESHOT)) {
			/* The line would stay asserted while the thread is not yet run. */
			pr_err("Threaded irq requested with handler=NULL and !ONESHOT for %s (irq %u)\n",
			       name, irq);
			return -EINVAL;
		}
		handler = irq_default_primary_handler;
	}
	might_sleep();
#ifdef LKSYNC_TSAN
	lksync_tsan_signal_prime();	/* current becomes the target below */
#endif
	pthread_once(&irq_signal_once, irq_signal_install);
	/*
	 * Handlers exist only from here on, and cannot create threads: bring
	 * ksoftirqd, the clock and the workqueue manager online now, so a
	 * tasklet, timer or work item first used in a handler still runs.
	 */
	ret = lksync_context_online();
	if (ret)
		return ret;
	action = calloc(1, sizeof(*action));
	if (!action)
		return -ENOMEM;
	action->handler = handler;
	action->thread_fn = thread_fn;
	action->dev_id = dev_id;
	action->irq = irq;
	action->flags = flags;
	action->name = name;
	if (thread_fn) {
		struct task_struct *t = kthread_run(irq_thread, action, "irq/%u-%s", irq,
						    name ? name : "");

		if (IS_ERR(t)) {
			free(action);
			return (int)PTR_ERR(t);
		}
		action->thread = t;
	}
	desc = &irq_descs[irq];
	mutex_lock(&desc->request_mutex);
	raw_spin_lock_irqsave(&desc->lock, iflags);
	ret = irq_setup_action(desc, action);
	raw_spin_unlock_irqrestore(&desc->lock, iflags);
	mutex_unlock(&desc->request_mutex);
	if (ret) {
		if (action->thread)
			kthread_stop(action->thread);
		free(action);
	}
	return ret;
}

static void irq_wait_hardirq(struct irq_desc *desc)
{
	unsigned int spins = 0;

	/* Handlers are short; the task running one may be descheduled, though. */
	while (__atomic_load_n(&desc->istate, __ATOMIC_ACQUIRE) & IRQS_INPROGRESS) {
		cpu_relax();
		if (!(++spins & 255))
			sched_yield();
	}
}

bool lksync_synchronize_hardirq(unsigned int irq)
{
	struct irq_desc *desc;
	unsigned long flags;
	bool inprogress;

	if (irq >= NR_IRQS)
		return true;
	desc = &irq_descs[irq];
	do {
		irq_wait_hardirq(desc);
		/* Under the lock: a handler that started meanwhile is seen. */
		raw_spin_lock_irqsave(&desc->lock, flags);
		inprogress = desc->istate & IRQS_INPROGRESS;
		raw_spin_unlock_irqrestore(&desc->lock, flags);
	} while (inprogress);
	return !atomic_read(&desc->threads_active);
}

void lksync_synchronize_irq(unsigned int irq)
{
	struct irq_desc *desc;

	if (irq >= NR_IRQS)
		return;
	might_sleep();
	desc = &irq_descs[irq];
	lksync_synchronize_hardirq(irq);
	wait_event(desc->wait_for_threads, !atomic_read(&desc->threads_active));
}

const void *lksync_free_irq(unsigned int irq, void *dev_id)
{
	struct irq_desc *desc;
	struct irqaction *action, **link;
	struct task_struct *target = NULL, *owner = NULL;
	unsigned long flags;
	const char *name;

	if (irq >= NR_IRQS)
		return NULL;
	desc = &irq_descs[irq];
	WARN(in_interrupt(), "Trying to free IRQ %u from IRQ context!\n", irq);
	might_sleep();
	mutex_lock(&desc->request_mutex);
	raw_spin_lock_irqsave(&desc->lock, flags);
	for (link = &desc->action; (action = *link); link = &action->next)
		if (action->dev_id == dev_id)
			break;
	if (!action) {
		raw_spin_unlock_irqrestore(&desc->lock, flags);
		mutex_unlock(&desc->request_mutex);
		WARN(1, "Trying to free already-free IRQ %u\n", irq);
		return NULL;
	}
	/* Handlers already past this pointer are waited for below. */
	__atomic_store_n(link, action->next, __ATOMIC_RELEASE);
	if (!desc->action) {
		/* The kernel's irq_shutdown(): the line is disabled until requested again. */
		desc->depth = 1;
		istate_set(desc, 0, IRQS_PENDING);
		target = desc->target;
		owner = desc->owner;
		desc->target = NULL;
		desc->owner = NULL;
	}
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	lksync_synchronize_irq(irq);
	if (action->thread)
		kthread_stop(action->thread);
	mutex_unlock(&desc->request_mutex);
	if (target)
		put_task_struct(target);
	if (owner)
		put_task_struct(owner);
	name = action->name;
	free(action);
	return name;
}

void lksync_disable_irq_nosync(unsigned int irq)
{
	unsigned long flags;

	if (irq >= NR_IRQS)
		return;
	raw_spin_lock_irqsave(&irq_descs[irq].lock, flags);
	irq_descs[irq].depth++;
	raw_spin_unlock_irqrestore(&irq_descs[irq].lock, flags);
}

void lksync_disable_irq(unsigned int irq)
{
	if (irq >= NR_IRQS)
		return;
	might_sleep();
	lksync_disable_irq_nosync(irq);
	lksync_synchronize_irq(irq);
}

void lksync_enable_irq(unsigned int irq)
{
	struct irq_desc *desc;
	struct irq_kick k = { 0 };
	unsigned long flags;

	if (irq >= NR_IRQS)
		return;
	desc = &irq_descs[irq];
	raw_spin_lock_irqsave(&desc->lock, flags);
	if (!desc->depth) {
		raw_spin_unlock_irqrestore(&desc->lock, flags);
		WARN(1, "Unbalanced enable for IRQ %u\n", irq);
		return;
	}
	/* The last enable resends what was raised meanwhile (IRQS_PENDING). */
	if (!--desc->depth && desc->action && !irq_masked(desc) &&
	    (desc->istate & IRQS_PENDING)) {
		istate_set(desc, 0, IRQS_PENDING);
		irq_send_locked(desc, irq, &k);
	}
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	irq_kick(&k);
}

bool lksync_irq_has_action(unsigned int irq)
{
	/* Relaxed: a snapshot; handlers that use the action load it with acquire. */
	return irq < NR_IRQS && __atomic_load_n(&irq_descs[irq].action, __ATOMIC_RELAXED);
}

int lksync_irq_set_irq_wake(unsigned int irq, unsigned int on)
{
	struct irq_desc *desc;
	unsigned long flags;
	bool unbalanced = false;

	if (irq >= NR_IRQS)
		return -EINVAL;
	desc = &irq_descs[irq];
	raw_spin_lock_irqsave(&desc->lock, flags);
	/* No wake set-up to do at 0 <-> 1: the chip skips it (IRQCHIP_SKIP_SET_WAKE). */
	if (on)
		desc->wake_depth++;
	else if (!desc->wake_depth)
		unbalanced = true;
	else
		desc->wake_depth--;
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	WARN(unbalanced, "Unbalanced IRQ %u wake disable\n", irq);
	return 0;
}

unsigned int lksync_irq_wake_depth(unsigned int irq)
{
	unsigned int depth;
	unsigned long flags;

	if (irq >= NR_IRQS)
		return 0;
	raw_spin_lock_irqsave(&irq_descs[irq].lock, flags);
	depth = irq_descs[irq].wake_depth;
	raw_spin_unlock_irqrestore(&irq_descs[irq].lock, flags);
	return depth;
}

void lksync_irq_exit(void)
{
	/* Unbalanced: reported, and the preempt count left alone (not underflowed). */
	if (WARN_ONCE(!in_hardirq(), "irq_exit() without irq_enter()\n"))
		return;
	preempt_count_sub(HARDIRQ_OFFSET);
	lksync_softirq_irq_exit();
}

/* ---- tasks leaving ---------------------------------------------------------- */

void lksync_irq_task_exit(struct task_struct *t)
{
	unsigned long word = __atomic_fetch_or(task_irq_word(t), IRQ_TASK_DEAD, __ATOMIC_ACQ_REL);

	if (!(word & IRQ_TASK_ROUTED))
		return;
	/* Lines routed here move to a ksoftirqd; an owner that left is forgotten. */
	for (unsigned int irq = 0; irq < NR_IRQS; irq++) {
		struct irq_desc *desc = &irq_descs[irq];
		struct task_struct *owner = NULL;

		raw_spin_lock(&desc->lock);
		if (desc->target == t)
			irq_set_target_locked(desc, irq, NULL);
		if (desc->owner == t) {
			owner = t;
			desc->owner = NULL;
		}
		raw_spin_unlock(&desc->lock);
		if (owner)
			put_task_struct(owner);
	}
	/* What was raised here and not yet handled follows its line. */
	for (unsigned int w = 0; w < IRQ_WORDS; w++) {
		unsigned long bits = __atomic_exchange_n(&t->irq_pending[w], 0, __ATOMIC_ACQUIRE);

		while (bits) {
			unsigned int irq = w * IRQ_WORD_BITS + (unsigned int)__builtin_ctzl(bits);
			struct irq_desc *desc = &irq_descs[irq];
			struct irq_kick k = { 0 };

			bits &= bits - 1;
			raw_spin_lock(&desc->lock);
			if (desc->action)
				irq_send_locked(desc, irq, &k);
			raw_spin_unlock(&desc->lock);
			irq_kick(&k);
		}
	}
}

__attribute__((constructor)) static void irq_descs_init(void)
{
	for (unsigned int i = 0; i < NR_IRQS; i++) {
		raw_spin_lock_init(&irq_descs[i].lock);
		irq_descs[i].depth = 1;
		init_waitqueue_head(&irq_descs[i].wait_for_threads);
		mutex_init(&irq_descs[i].request_mutex);
	}
}
