/* SPDX-License-Identifier: MIT */
/*
 * Layer: sched. The task: every thread that touches lksync has a struct
 * task_struct, reachable as `current`, created on first use and released when
 * the thread exits (tasks are reference counted, so a pointer held by another
 * thread stays valid until put_task_struct()).
 */
#ifndef LKSYNC_SCHED_H
#define LKSYNC_SCHED_H

#include <signal.h>
#include <sys/types.h>
#include <lksync/barrier.h>
#include <lksync/preempt.h>
#include <lksync/irqflags.h>
#include <lksync/bottom_half.h>

#define TASK_COMM_LEN 16
/* Interrupt lines (NR_IRQS in <lksync/irq.h>); sized here for the task's pending set. */
#define LKSYNC_NR_IRQS 256

struct task_struct {
	unsigned int __state;		/* TASK_RUNNING, ...: also the sleep futex word */
	pid_t pid;			/* kernel thread id (gettid()) */
	pid_t tgid;			/* process id */
	char comm[TASK_COMM_LEN];	/* thread name at creation */
	unsigned int usage;		/* references; the thread itself holds one */
	unsigned int flags;		/* PF_* */
	int lock_depth;			/* Big Kernel Lock nesting, -1 = not held */
	unsigned long long sigpending;	/* bit (sig - 1): send_sig() pending */
	unsigned long long sigignored;	/* bit (sig - 1): disallow_signal() */
	struct lksync_tls *tls;		/* the owner thread's hot state */
	struct kthread *kthread;	/* kthread_create() bookkeeping, or NULL */
	void *sched_private;		/* free-list link while no thread owns it */
	/*
	 * Context layer (src/context/): each task is also a "CPU" that
	 * interrupts are routed to and softirqs run on.
	 */
	unsigned long irq_pending[LKSYNC_NR_IRQS / (8 * sizeof(unsigned long))];
					/* bit n: line n raised here, not yet handled */
	void *context_private[4];	/* owned by src/context/ (tasklet lists, ...) */
#ifdef LKSYNC_DEBUG
	/*
	 * Debug layer (src/debug/, debug flavor only): the held-lock stack
	 * and the rest of lockdep's per-task state, readable from other
	 * tasks for the reports.
	 */
	void *debug_private;
	/*
	 * DEBUG_ATOMIC_SLEEP (src/debug/sleep.c): where the task last set
	 * its state, for "do not call blocking ops when !TASK_RUNNING".
	 * Written and read by the task itself.
	 */
	unsigned long task_state_change;
#endif
};

#define PF_EXITING	0x00000004	/* the thread is exiting */
#define PF_KTHREAD	0x00200000	/* created by kthread_create() */

/* Out of line: creates the calling thread's task on first use. */
LKSYNC_API struct task_struct *lksync_current_slow(void);

static __always_inline struct task_struct *lksync_get_current(void)
{
	struct task_struct *t = lksync_tls.task;

	if (unlikely(!t))
		t = lksync_current_slow();
	return t;
}

/* current - the calling thread's task. Context: any; never NULL. */
#define current	lksync_get_current()

/**
 * get_task_struct - take a reference on @t so it outlives its thread.
 * Context: any. Return: @t.
 */
LKSYNC_API struct task_struct *lksync_get_task_struct(struct task_struct *t);
/**
 * put_task_struct - drop a reference taken with get_task_struct().
 * Context: any.
 */
LKSYNC_API void lksync_put_task_struct(struct task_struct *t);
#define get_task_struct(t)	lksync_get_task_struct(t)
#define put_task_struct(t)	lksync_put_task_struct(t)

/* task_pid_nr - the task's thread id. */
static inline pid_t task_pid_nr(const struct task_struct *t) { return t->pid; }
/* task_tgid_nr - the task's process id. */
static inline pid_t task_tgid_nr(const struct task_struct *t) { return t->tgid; }

/*
 * Task states (the kernel's values). A task sets its own state before it
 * tests its wait condition; schedule() then sleeps until a waker sets it back
 * to TASK_RUNNING. TASK_WAKEKILL lets a fatal signal end the sleep.
 */
#define TASK_RUNNING		0x00000000
#define TASK_INTERRUPTIBLE	0x00000001
#define TASK_UNINTERRUPTIBLE	0x00000002
#define __TASK_STOPPED		0x00000004
#define __TASK_TRACED		0x00000008
#define EXIT_DEAD		0x00000010
#define EXIT_ZOMBIE		0x00000020
#define TASK_PARKED		0x00000040
#define TASK_DEAD		0x00000080
#define TASK_WAKEKILL		0x00000100
#define TASK_WAKING		0x00000200
#define TASK_NOLOAD		0x00000400
#define TASK_NEW		0x00000800
#define TASK_KILLABLE		(TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_STOPPED		(TASK_WAKEKILL | __TASK_STOPPED)
#define TASK_IDLE		(TASK_UNINTERRUPTIBLE | TASK_NOLOAD)
#define TASK_NORMAL		(TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

/* task_is_running - is @p in TASK_RUNNING? Context: any. Return: true if so. */
#define task_is_running(p)	(READ_ONCE((p)->__state) == TASK_RUNNING)

/* Debug flavor: remember where the state was set (see task_state_change). */
#ifdef LKSYNC_DEBUG
#define __lksync_state_change()							\
	((void)(current->task_state_change =					\
		({ __label__ __here; __here: (unsigned long)&&__here; })))
#else
#define __lksync_state_change()	((void)0)
#endif

/*
 * __set_current_state - set this task's state with no barrier: for setting
 * TASK_RUNNING, or when a lock already orders the condition test.
 * Context: task (process) context.
 */
#define __set_current_state(state_value)					\
	(__lksync_state_change(),						\
	 __atomic_store_n(&current->__state, (state_value), __ATOMIC_RELAXED))

/*
 * set_current_state - set this task's state, then a full barrier, so that
 * the condition test that follows cannot be ordered before the store; pairs
 * with the full barrier of wake_up_process() (try_to_wake_up). The open-coded
 * wait loop is
 *
 *	for (;;) {
 *		set_current_state(TASK_UNINTERRUPTIBLE);
 *		if (CONDITION)
 *			break;
 *		schedule();
 *	}
 *	__set_current_state(TASK_RUNNING);
 *
 * and the waker sets CONDITION, then calls wake_up_process(): no wake-up is lost.
 * Context: task context.
 */
/*
 * The barrier is __smp_mb(), a full one (a store-release would let the
 * condition load pass the store), even in the uniprocessor build, whose
 * threads still run on several CPUs.
 */
#define set_current_state(state_value) do {					\
	__lksync_state_change();						\
	__atomic_store_n(&current->__state, (state_value), __ATOMIC_RELAXED);	\
	__smp_mb();								\
} while (0)

/*
 * might_sleep - annotate a function that may sleep. The debug flavor
 * (DEBUG_ATOMIC_SLEEP) reports a call from atomic context (preempt_count()
 * nonzero: a spinlock, preempt_disable(), bottom halves disabled, hardirq or
 * softirq context; or interrupts disabled) as the kernel does: "BUG:
 * sleeping function called from invalid context at FILE:LINE", with
 * in_atomic(), irqs_disabled(), the task, preempt_count, the held locks and
 * a call trace; at most one report a second, as the kernel. Holding the Big
 * Kernel Lock is not atomic (schedule() drops it). schedule() itself
 * reports "BUG: scheduling while atomic" every time it is called in atomic
 * context. In the release flavor might_sleep() is empty, as in a kernel
 * without that option.
 * Context: any (the check is what tells).
 */
#ifdef LKSYNC_DEBUG
LKSYNC_API void lksync_might_sleep(const char *file, int line);
#define might_sleep()	lksync_might_sleep(__FILE__, __LINE__)
/*
 * lksync_might_sleep_ratelimit_reset - test hook (debug flavor only): forget
 * the once-a-second rate limit, so the next might_sleep() from atomic
 * context reports at once, and re-arm the once-only warning "do not call
 * blocking ops when !TASK_RUNNING" (might_sleep() after set_current_state()
 * set a sleeping state). Context: any.
 */
LKSYNC_API void lksync_might_sleep_ratelimit_reset(void);
/*
 * cant_sleep - annotate code that relies on running in atomic context; the
 * debug flavor reports "BUG: assuming atomic context at FILE:LINE" when it
 * runs preemptible (preempt_count() 0, interrupts enabled), rate limited as
 * might_sleep(). Context: atomic (that is what it checks).
 */
LKSYNC_API void lksync_cant_sleep(const char *file, int line);
#define cant_sleep()	lksync_cant_sleep(__FILE__, __LINE__)
#else
#define might_sleep()	do { } while (0)
#define cant_sleep()	do { } while (0)
#endif
/* MAX_SCHEDULE_TIMEOUT - schedule_timeout() argument meaning "no timeout". */
#define MAX_SCHEDULE_TIMEOUT	((long)(~0UL >> 1))

/**
 * schedule - sleep until woken, if the task's state is not TASK_RUNNING.
 *
 * Returns at once if the state is TASK_RUNNING, or if a pending signal may
 * end this state's sleep (TASK_INTERRUPTIBLE and any signal, TASK_WAKEKILL
 * and a fatal one); the state is TASK_RUNNING on return. A holder of the Big
 * Kernel Lock releases it for the sleep and holds it again on return.
 * Interrupt signals that land in the sleep do not end it.
 * Context: task context; may sleep.
 */
LKSYNC_API void lksync_schedule(void);
#define schedule()	lksync_schedule()

/**
 * schedule_timeout - sleep as schedule() does, at most @timeout jiffies.
 * @timeout: jiffies, or MAX_SCHEDULE_TIMEOUT for no bound.
 * The caller sets the task state first; it is TASK_RUNNING on return.
 * Context: task context; may sleep.
 * Return: 0 if the time ran out, else the jiffies left (at least 1 when woken
 * early); MAX_SCHEDULE_TIMEOUT for an unbounded sleep. A negative @timeout is
 * reported and returns 0 at once.
 */
LKSYNC_API long lksync_schedule_timeout(long timeout);
#define schedule_timeout(t)	lksync_schedule_timeout(t)

/* schedule_timeout_interruptible - set TASK_INTERRUPTIBLE, then schedule_timeout(). */
static inline long schedule_timeout_interruptible(long timeout)
{
	might_sleep();
	__set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

/* schedule_timeout_killable - set TASK_KILLABLE, then schedule_timeout(). */
static inline long schedule_timeout_killable(long timeout)
{
	might_sleep();
	__set_current_state(TASK_KILLABLE);
	return schedule_timeout(timeout);
}

/* schedule_timeout_uninterruptible - set TASK_UNINTERRUPTIBLE, then schedule_timeout(). */
static inline long schedule_timeout_uninterruptible(long timeout)
{
	might_sleep();
	__set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

/* schedule_timeout_idle - set TASK_IDLE, then schedule_timeout(). */
static inline long schedule_timeout_idle(long timeout)
{
	might_sleep();
	__set_current_state(TASK_IDLE);
	return schedule_timeout(timeout);
}

/*
 * lksync_schedule_hrtimeout - schedule() bounded by @ns nanoseconds
 * (CLOCK_MONOTONIC), for usleep_range() and the lock slow paths.
 * Return: nanoseconds left, 0 if the time ran out.
 */
LKSYNC_API long long lksync_schedule_hrtimeout(long long ns);

/**
 * wake_up_process - wake @p if it sleeps in any TASK_NORMAL state.
 * A full barrier orders the caller's earlier stores (the condition) before
 * the state test. The caller keeps @p alive (a reference or a lock).
 * Context: any, interrupt handlers included.
 * Return: 1 if @p was woken (its state set to TASK_RUNNING), 0 if it was
 * already running.
 */
LKSYNC_API int lksync_wake_up_state(struct task_struct *p, unsigned int state);
#define wake_up_process(p)	lksync_wake_up_state((p), TASK_NORMAL)
/* wake_up_state - wake @p only if its state intersects @state. Return: as wake_up_process(). */
#define wake_up_state(p, state)	lksync_wake_up_state((p), (state))

/*
 * cond_resched - a voluntary preemption point. The OS preempts userspace
 * threads at will, so there is never a pending reschedule to honor here.
 * Context: task context. Return: 0 (did not reschedule).
 */
static inline int cond_resched(void) { return 0; }

#define might_sleep_if(cond)	do { if (cond) might_sleep(); } while (0)
#define might_resched()		do { } while (0)
#define yield()			lksync_yield()
/* yield - give up the CPU to another runnable thread. Context: task context. */
LKSYNC_API void lksync_yield(void);

/*
 * Signals to tasks (the kernel's task-level pending set; linux/sched/signal.h).
 * A signal sent with send_sig() stays pending until flush_signals(): it ends
 * interruptible sleeps (and, if fatal, killable ones) with -EINTR or
 * -ERESTARTSYS. Real POSIX signals are not involved; an OS signal that
 * interrupts a futex wait does not end a sleep.
 */

/**
 * send_sig - make signal @sig pending on @p and wake it from an interruptible
 * sleep (a killable one too if @sig is SIGKILL).
 * @priv: nonzero if sent by the kernel itself (accepted, unused).
 * Context: any, interrupt handlers included.
 * Return: 0, or -EINVAL if @sig is not a signal number (1..64).
 */
LKSYNC_API int lksync_send_sig(int sig, struct task_struct *p, int priv);
#define send_sig(sig, p, priv)	lksync_send_sig((sig), (p), (priv))

/* signal_pending - does @p have a pending signal? Context: any. Return: nonzero if so. */
static inline int signal_pending(struct task_struct *p)
{
	return __atomic_load_n(&p->sigpending, __ATOMIC_RELAXED) != 0;
}

/* __fatal_signal_pending - is SIGKILL pending on @p? Return: nonzero if so. */
static inline int __fatal_signal_pending(struct task_struct *p)
{
	return (__atomic_load_n(&p->sigpending, __ATOMIC_RELAXED) >> (SIGKILL - 1)) & 1;
}

/* fatal_signal_pending - is a fatal signal (SIGKILL) pending? Return: nonzero if so. */
static inline int fatal_signal_pending(struct task_struct *p)
{
	return signal_pending(p) && __fatal_signal_pending(p);
}

/*
 * signal_pending_state - may a pending signal end a sleep in @state?
 * Return: nonzero for TASK_INTERRUPTIBLE with any signal pending, or
 * TASK_WAKEKILL with a fatal one.
 */
static inline int signal_pending_state(unsigned int state, struct task_struct *p)
{
	if (!(state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)))
		return 0;
	if (!signal_pending(p))
		return 0;
	return (state & TASK_INTERRUPTIBLE) || __fatal_signal_pending(p);
}

/* flush_signals - discard every signal pending on @t. Context: any. */
static inline void flush_signals(struct task_struct *t)
{
	__atomic_store_n(&t->sigpending, 0, __ATOMIC_RELAXED);
}

/*
 * allow_signal/disallow_signal - accept or ignore @sig for the current task.
 * Every signal is accepted by default (a kernel thread there must allow
 * signals first; here send_sig() works on any task). Context: task context.
 */
static inline void allow_signal(int sig)
{
	if (sig > 0 && sig <= 64)
		__atomic_and_fetch(&current->sigignored, ~(1ULL << (sig - 1)), __ATOMIC_RELAXED);
}

static inline void disallow_signal(int sig)
{
	if (sig > 0 && sig <= 64 && sig != SIGKILL)
		__atomic_or_fetch(&current->sigignored, 1ULL << (sig - 1), __ATOMIC_RELAXED);
}

#endif /* LKSYNC_SCHED_H */
