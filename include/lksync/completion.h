/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. Completions, as linux/completion.h: a count of "done"
 * events and a simple wait queue. Each complete() lets exactly one
 * wait_for_completion() through, now or later; complete_all() lets every
 * current and future waiter through until reinit_completion().
 * Slow paths and the lock protocol: src/locking/completion.c.
 */
#ifndef LKSYNC_COMPLETION_H
#define LKSYNC_COMPLETION_H

#include <limits.h>
#include <stdbool.h>
#include <lksync/compiler.h>
#include <lksync/wait.h>

/*
 * struct completion - @done: completions not yet consumed, UINT_MAX after
 * complete_all(); @wait: the waiters, whose lock also protects @done.
 */
struct completion {
	unsigned int done;
	struct swait_queue_head wait;
};

#define COMPLETION_INITIALIZER(work) {						\
	.done = 0,								\
	.wait = __SWAIT_QUEUE_HEAD_INITIALIZER((work).wait) }

#define COMPLETION_INITIALIZER_ONSTACK(work)	(*({ init_completion(&(work)); &(work); }))

/* DECLARE_COMPLETION - define and initialize a completion @work, not done. */
#define DECLARE_COMPLETION(work)						\
	struct completion work = COMPLETION_INITIALIZER(work)

/* DECLARE_COMPLETION_ONSTACK - DECLARE_COMPLETION() for an automatic variable. */
#define DECLARE_COMPLETION_ONSTACK(work)					\
	struct completion work = COMPLETION_INITIALIZER_ONSTACK(work)
#define DECLARE_COMPLETION_ONSTACK_MAP(work, map)	DECLARE_COMPLETION_ONSTACK(work)

/**
 * init_completion - initialize @x as not done, with no waiters.
 * Context: any; @x not in use. In the debug flavor the wait queue's lock
 * takes its lockdep class from this place.
 */
#ifndef LKSYNC_DEBUG
static inline void init_completion(struct completion *x)
{
	x->done = 0;
	init_swait_queue_head(&x->wait);
}
#else
#define init_completion(x)							\
do {										\
	static struct lock_class_key __key;					\
	struct completion *__ic_x = (x);					\
										\
	__ic_x->done = 0;							\
	__init_swait_queue_head(&__ic_x->wait, "&x->wait", &__key);		\
} while (0)
#endif

/**
 * reinit_completion - make @x not done again (after complete_all() or to
 * reuse it), keeping its wait queue. Context: any; no waiters may be
 * racing with it.
 */
static inline void reinit_completion(struct completion *x)
{
	WRITE_ONCE(x->done, 0);
}

/*
 * INIT_COMPLETION - legacy (removed from the kernel in 3.13): the old
 * spelling of reinit_completion(), taking the completion by name.
 */
#define INIT_COMPLETION(x)	reinit_completion(&(x))

/*
 * The one wait body: sleep in @state for at most @timeout jiffies
 * (MAX_SCHEDULE_TIMEOUT: no bound). Return: -ERESTARTSYS, 0 (timed out), or
 * the jiffies left, at least 1 (MAX_SCHEDULE_TIMEOUT if unbounded).
 */
LKSYNC_API long lksync_wait_for_completion_common(struct completion *x, long timeout,
						  unsigned int state);

/**
 * wait_for_completion - sleep (TASK_UNINTERRUPTIBLE) until @x is completed,
 * then consume one completion. Context: task context; sleeps.
 */
static inline void wait_for_completion(struct completion *x)
{
	might_sleep();
	lksync_wait_for_completion_common(x, MAX_SCHEDULE_TIMEOUT, TASK_UNINTERRUPTIBLE);
}

/* wait_for_completion_io - wait_for_completion() accounted as I/O wait (no accounting here). */
static inline void wait_for_completion_io(struct completion *x)
{
	wait_for_completion(x);
}

/**
 * wait_for_completion_interruptible - wait_for_completion() that a signal ends.
 * Context: task context; sleeps.
 * Return: 0 if completed, -ERESTARTSYS if a signal ended the wait.
 */
static inline int wait_for_completion_interruptible(struct completion *x)
{
	long t;

	might_sleep();
	t = lksync_wait_for_completion_common(x, MAX_SCHEDULE_TIMEOUT, TASK_INTERRUPTIBLE);
	return t == -ERESTARTSYS ? -ERESTARTSYS : 0;
}

/**
 * wait_for_completion_killable - wait_for_completion() that a fatal signal
 * (SIGKILL) ends. Context: task context; sleeps.
 * Return: 0 if completed, -ERESTARTSYS if a fatal signal ended the wait.
 */
static inline int wait_for_completion_killable(struct completion *x)
{
	long t;

	might_sleep();
	t = lksync_wait_for_completion_common(x, MAX_SCHEDULE_TIMEOUT, TASK_KILLABLE);
	return t == -ERESTARTSYS ? -ERESTARTSYS : 0;
}

/**
 * wait_for_completion_state - wait_for_completion() in task state @state.
 * Context: task context; sleeps.
 * Return: 0 if completed, -ERESTARTSYS if a signal @state admits ended it.
 */
static inline int wait_for_completion_state(struct completion *x, unsigned int state)
{
	long t;

	might_sleep();
	t = lksync_wait_for_completion_common(x, MAX_SCHEDULE_TIMEOUT, state);
	return t == -ERESTARTSYS ? -ERESTARTSYS : 0;
}

/**
 * wait_for_completion_timeout - wait_for_completion() for at most @timeout
 * jiffies. Context: task context; sleeps.
 * Return: 0 if the time ran out, else the jiffies left (at least 1).
 */
static inline unsigned long wait_for_completion_timeout(struct completion *x,
							unsigned long timeout)
{
	might_sleep();
	return (unsigned long)lksync_wait_for_completion_common(x, (long)timeout,
								TASK_UNINTERRUPTIBLE);
}

/* wait_for_completion_io_timeout - wait_for_completion_timeout() as I/O wait. */
static inline unsigned long wait_for_completion_io_timeout(struct completion *x,
							   unsigned long timeout)
{
	return wait_for_completion_timeout(x, timeout);
}

/**
 * wait_for_completion_interruptible_timeout - interruptible, at most
 * @timeout jiffies. Context: task context; sleeps.
 * Return: -ERESTARTSYS if a signal ended the wait, 0 if the time ran out,
 * else the jiffies left (at least 1).
 */
static inline long wait_for_completion_interruptible_timeout(struct completion *x,
							     unsigned long timeout)
{
	might_sleep();
	return lksync_wait_for_completion_common(x, (long)timeout, TASK_INTERRUPTIBLE);
}

/**
 * wait_for_completion_killable_timeout - killable, at most @timeout jiffies.
 * Context: task context; sleeps.
 * Return: -ERESTARTSYS if a fatal signal ended the wait, 0 if the time ran
 * out, else the jiffies left (at least 1).
 */
static inline long wait_for_completion_killable_timeout(struct completion *x,
							unsigned long timeout)
{
	might_sleep();
	return lksync_wait_for_completion_common(x, (long)timeout, TASK_KILLABLE);
}

/**
 * try_wait_for_completion - consume one completion of @x if there is one,
 * without sleeping. Context: any.
 * Return: true if one was consumed (or @x is completed for all), false if
 * waiting would have been needed.
 */
LKSYNC_API bool lksync_try_wait_for_completion(struct completion *x);
#define try_wait_for_completion(x)	lksync_try_wait_for_completion(x)

/**
 * completion_done - does @x have completions to consume? Does not consume.
 * Context: any.
 * Return: false if a waiter would block, true otherwise.
 */
LKSYNC_API bool lksync_completion_done(struct completion *x);
#define completion_done(x)		lksync_completion_done(x)

/**
 * complete - add one completion to @x and wake the first waiter, if any.
 * One lock round trip, wake_up_process() only: async-signal-safe, so it may
 * be called from interrupt handlers and from a signal handler that
 * interrupted any thread not holding @x's lock.
 * Context: any.
 */
LKSYNC_API void lksync_complete(struct completion *x);
#define complete(x)			lksync_complete(x)
/* complete_on_current_cpu - complete(); the CPU hint has no meaning here. */
#define complete_on_current_cpu(x)	lksync_complete(x)

/**
 * complete_all - complete @x for every waiter, current and future, until
 * reinit_completion(). Context: any.
 */
LKSYNC_API void lksync_complete_all(struct completion *x);
#define complete_all(x)			lksync_complete_all(x)

#endif /* LKSYNC_COMPLETION_H */
