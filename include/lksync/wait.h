/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. Wait queues, as linux/wait.h, and the simple wait queues
 * of linux/swait.h that completions are built on. DESIGN.md lists wait
 * queues under sched/, but a wait_queue_head embeds a spinlock_t, which is
 * the locking layer; they sit on top of schedule()/wake_up_process().
 *
 * A wait queue is a spinlock and a list of entries, each naming a task and a
 * wake function. A waiter queues its entry and sets its task state under the
 * lock, re-tests its condition, then schedule()s; a waker changes the
 * condition, then walks the list under the lock calling each entry's wake
 * function. Because the state is set before the test and the waker's wake
 * comes after the change, no wake-up is lost. Exclusive entries
 * (WQ_FLAG_EXCLUSIVE) are queued at the tail and woken nr_exclusive at a
 * time; the others, at the head, are all woken.
 *
 * The wait_event*() macros take the queue head by name (an lvalue), wake_up*()
 * a pointer to it, as in the kernel.
 */
#ifndef LKSYNC_WAIT_H
#define LKSYNC_WAIT_H

#include <stdbool.h>
#include <stddef.h>
#include <lksync/compiler.h>
#include <lksync/errno.h>
#include <lksync/list.h>
#include <lksync/jiffies.h>
#include <lksync/sched.h>
#include <lksync/spinlock.h>

struct wait_queue_entry;
typedef struct wait_queue_entry wait_queue_entry_t;

/* A wake function: Return: nonzero if it woke the task, negative to stop the walk. */
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry, unsigned int mode,
				 int flags, void *key);

/* wait_queue_entry::flags */
#define WQ_FLAG_EXCLUSIVE	0x01	/* woken one at a time, queued at the tail */
#define WQ_FLAG_WOKEN		0x02	/* woken_wake_function() ran: see wait_woken() */

/* One waiter: the task to wake (private) and how (func). */
struct wait_queue_entry {
	unsigned int		flags;
	void			*private;
	wait_queue_func_t	func;
	struct list_head	entry;
};

/* The queue: the lock protects the list and every entry's place on it. */
struct wait_queue_head {
	spinlock_t		lock;
	struct list_head	head;
};
typedef struct wait_queue_head wait_queue_head_t;

/**
 * default_wake_function - wake the entry's task (private) if its state
 * intersects @mode. Context: any; called under the queue lock.
 * Return: 1 if the task was woken, 0 if it was not sleeping in @mode.
 */
LKSYNC_API int lksync_default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
					    int flags, void *key);
/**
 * autoremove_wake_function - default_wake_function(), and on success take
 * the entry off the queue (so finish_wait() need not lock). Used by
 * DEFINE_WAIT() and the wait_event*() macros.
 * Context: any; called under the queue lock. Return: as default_wake_function().
 */
LKSYNC_API int lksync_autoremove_wake_function(struct wait_queue_entry *wq_entry,
					       unsigned int mode, int flags, void *key);
/**
 * woken_wake_function - set WQ_FLAG_WOKEN on the entry, then
 * default_wake_function(); pairs with wait_woken().
 * Context: any; called under the queue lock. Return: as default_wake_function().
 */
LKSYNC_API int lksync_woken_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
					  int flags, void *key);
#define default_wake_function		lksync_default_wake_function
#define autoremove_wake_function	lksync_autoremove_wake_function
#define woken_wake_function		lksync_woken_wake_function

/* Static initializers. */
#define __WAITQUEUE_INITIALIZER(name, tsk) {					\
	.private	= (tsk),						\
	.func		= default_wake_function,				\
	.entry		= { NULL, NULL } }

/* DECLARE_WAITQUEUE - an entry @name for task @tsk, woken by default_wake_function(). */
#define DECLARE_WAITQUEUE(name, tsk)						\
	struct wait_queue_entry name = __WAITQUEUE_INITIALIZER(name, tsk)

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) {					\
	.lock		= { { .rlock = ___SPIN_LOCK_INITIALIZER_KEY(name.lock,	\
						&(name).lock) } },		\
	.head		= LIST_HEAD_INIT(name.head) }

/* DECLARE_WAIT_QUEUE_HEAD - define and initialize an empty queue @name. */
#define DECLARE_WAIT_QUEUE_HEAD(name)						\
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

/**
 * init_waitqueue_head - initialize @wq_head as an empty queue.
 * Context: any; @wq_head not in use. In the debug flavor the queue's lock
 * takes its lockdep class from this place (@name, @key: the kernel's
 * __init_waitqueue_head()).
 */
static inline void __init_waitqueue_head(struct wait_queue_head *wq_head, const char *name,
					 struct lock_class_key *key)
{
	spin_lock_init(&wq_head->lock);
	lockdep_set_class_and_name(&wq_head->lock, key, name);
	INIT_LIST_HEAD(&wq_head->head);
}
#ifndef LKSYNC_DEBUG
#define init_waitqueue_head(wq_head)	__init_waitqueue_head(wq_head, NULL, NULL)
/* DECLARE_WAIT_QUEUE_HEAD_ONSTACK - DECLARE_WAIT_QUEUE_HEAD() for an automatic variable. */
#define DECLARE_WAIT_QUEUE_HEAD_ONSTACK(name)	DECLARE_WAIT_QUEUE_HEAD(name)
#else
#define init_waitqueue_head(wq_head)						\
do {										\
	static struct lock_class_key __key;					\
										\
	__init_waitqueue_head((wq_head), #wq_head, &__key);			\
} while (0)
/* An automatic queue is not static: its lock needs a class from a key. */
#define DECLARE_WAIT_QUEUE_HEAD_ONSTACK(name)					\
	struct wait_queue_head name = ({ init_waitqueue_head(&name); name; })
#endif

/* init_waitqueue_entry - make @wq_entry a default_wake_function() entry for @p. Context: any. */
static inline void init_waitqueue_entry(struct wait_queue_entry *wq_entry, struct task_struct *p)
{
	wq_entry->flags = 0;
	wq_entry->private = p;
	wq_entry->func = default_wake_function;
}

/* init_waitqueue_func_entry - make @wq_entry an entry with wake function @func, no task. */
static inline void init_waitqueue_func_entry(struct wait_queue_entry *wq_entry,
					     wait_queue_func_t func)
{
	wq_entry->flags = 0;
	wq_entry->private = NULL;
	wq_entry->func = func;
}

/* init_wait_entry - make @wq_entry an unqueued autoremove entry for current with @flags. */
static inline void init_wait_entry(struct wait_queue_entry *wq_entry, int flags)
{
	wq_entry->flags = (unsigned int)flags;
	wq_entry->private = current;
	wq_entry->func = autoremove_wake_function;
	INIT_LIST_HEAD(&wq_entry->entry);
}

/* DEFINE_WAIT_FUNC - an unqueued entry @name for current, woken by @function. */
#define DEFINE_WAIT_FUNC(name, function)					\
	struct wait_queue_entry name = {					\
		.private	= current,					\
		.func		= function,					\
		.entry		= LIST_HEAD_INIT((name).entry) }

/* DEFINE_WAIT - an unqueued autoremove entry @name for current (prepare_to_wait()). */
#define DEFINE_WAIT(name)	DEFINE_WAIT_FUNC(name, autoremove_wake_function)

/* init_wait - make @wait an unqueued autoremove entry for current. */
#define init_wait(wait)		init_wait_entry((wait), 0)

/**
 * waitqueue_active - does @wq_head have waiters? A lockless peek: the caller
 * needs a full barrier between changing the condition and this test (see
 * wq_has_sleeper()), and a waiter's prepare_to_wait() supplies the other.
 * Context: any. Return: true if the queue is not empty.
 */
static inline int waitqueue_active(struct wait_queue_head *wq_head)
{
	return !list_empty(&wq_head->head);
}

/* wq_has_single_sleeper - is there exactly one waiter? Context: any. Return: true if so. */
static inline bool wq_has_single_sleeper(struct wait_queue_head *wq_head)
{
	return list_is_singular(&wq_head->head);
}

/**
 * wq_has_sleeper - waitqueue_active() after a full barrier, so the caller's
 * condition store is ordered before the peek, pairing with the barrier in
 * prepare_to_wait()'s set_current_state().
 * Context: any. Return: true if the queue has waiters.
 */
static inline bool wq_has_sleeper(struct wait_queue_head *wq_head)
{
	__smp_mb();	/* real even uniprocessor: pairs with set_current_state() */
	return waitqueue_active(wq_head);
}

/* Unlocked list operations: the caller holds wq_head->lock. */
static inline void __add_wait_queue(struct wait_queue_head *wq_head,
				    struct wait_queue_entry *wq_entry)
{
	list_add(&wq_entry->entry, &wq_head->head);
}

static inline void __add_wait_queue_entry_tail(struct wait_queue_head *wq_head,
					       struct wait_queue_entry *wq_entry)
{
	list_add_tail(&wq_entry->entry, &wq_head->head);
}

/* __add_wait_queue_exclusive - mark @wq_entry exclusive and queue it at the head (locked). */
static inline void __add_wait_queue_exclusive(struct wait_queue_head *wq_head,
					      struct wait_queue_entry *wq_entry)
{
	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
	__add_wait_queue(wq_head, wq_entry);
}

/* __add_wait_queue_entry_tail_exclusive - mark @wq_entry exclusive, queue it at the tail (locked). */
static inline void __add_wait_queue_entry_tail_exclusive(struct wait_queue_head *wq_head,
							 struct wait_queue_entry *wq_entry)
{
	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
	__add_wait_queue_entry_tail(wq_head, wq_entry);
}

static inline void __remove_wait_queue(struct wait_queue_head *wq_head,
				       struct wait_queue_entry *wq_entry)
{
	(void)wq_head;
	list_del(&wq_entry->entry);
}

/**
 * add_wait_queue - queue @wq_entry (made non-exclusive) at the head of @wq_head.
 * Context: any (takes the queue lock with interrupts saved).
 */
LKSYNC_API void lksync_add_wait_queue(struct wait_queue_head *wq_head,
				      struct wait_queue_entry *wq_entry);
/**
 * add_wait_queue_exclusive - queue @wq_entry, marked exclusive, at the tail.
 * Context: any.
 */
LKSYNC_API void lksync_add_wait_queue_exclusive(struct wait_queue_head *wq_head,
						struct wait_queue_entry *wq_entry);
/**
 * remove_wait_queue - take @wq_entry off @wq_head.
 * Context: any; @wq_entry must be queued on @wq_head.
 */
LKSYNC_API void lksync_remove_wait_queue(struct wait_queue_head *wq_head,
					 struct wait_queue_entry *wq_entry);
#define add_wait_queue(wq, e)		lksync_add_wait_queue((wq), (e))
#define add_wait_queue_exclusive(wq, e)	lksync_add_wait_queue_exclusive((wq), (e))
#define remove_wait_queue(wq, e)	lksync_remove_wait_queue((wq), (e))

/**
 * prepare_to_wait - queue @wq_entry (non-exclusive, at the head) unless it
 * is queued already, and set the task state to @state, under the queue lock.
 * Test the condition after it and schedule() if false; end with finish_wait().
 * Context: task context.
 */
LKSYNC_API void lksync_prepare_to_wait(struct wait_queue_head *wq_head,
				       struct wait_queue_entry *wq_entry, int state);
/**
 * prepare_to_wait_exclusive - prepare_to_wait() for an exclusive waiter,
 * queued at the tail.
 * Context: task context. Return: true if the queue was empty before.
 */
LKSYNC_API bool lksync_prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
						 struct wait_queue_entry *wq_entry, int state);
/**
 * prepare_to_wait_event - the step of the wait_event*() loop: if a pending
 * signal may end a sleep in @state, dequeue @wq_entry; else queue it (at the
 * tail if exclusive) unless queued, and set the task state to @state.
 * Context: task context.
 * Return: 0, or -ERESTARTSYS if a signal is pending (state not changed).
 */
LKSYNC_API long lksync_prepare_to_wait_event(struct wait_queue_head *wq_head,
					     struct wait_queue_entry *wq_entry, int state);
/**
 * finish_wait - set TASK_RUNNING and take @wq_entry off @wq_head if a waker
 * has not already (a lockless check first: autoremove_wake_function()
 * dequeues with a release store that this pairs with).
 * Context: task context.
 */
LKSYNC_API void lksync_finish_wait(struct wait_queue_head *wq_head,
				   struct wait_queue_entry *wq_entry);
#define prepare_to_wait(wq, e, s)		lksync_prepare_to_wait((wq), (e), (s))
#define prepare_to_wait_exclusive(wq, e, s)	lksync_prepare_to_wait_exclusive((wq), (e), (s))
#define prepare_to_wait_event(wq, e, s)		lksync_prepare_to_wait_event((wq), (e), (s))
#define finish_wait(wq, e)			lksync_finish_wait((wq), (e))

/**
 * wait_woken - sleep in @mode for at most @timeout jiffies unless
 * woken_wake_function() has run on @wq_entry since the last call; then
 * clear WQ_FLAG_WOKEN. The entry stays queued (add_wait_queue() before,
 * remove_wait_queue() after); the caller re-tests its condition around it.
 * Context: task context; sleeps.
 * Return: the jiffies left, as schedule_timeout().
 */
LKSYNC_API long lksync_wait_woken(struct wait_queue_entry *wq_entry, unsigned int mode,
				  long timeout);
#define wait_woken(e, mode, timeout)	lksync_wait_woken((e), (mode), (timeout))

/**
 * __wake_up - walk @wq_head calling each entry's wake function with @mode
 * and @key: every non-exclusive entry, and exclusive ones until @nr_exclusive
 * have been woken (0: all).
 * Context: any, interrupt handlers included (takes the lock irqsave).
 * Return: the number of exclusive waiters woken.
 */
LKSYNC_API int lksync_wake_up(struct wait_queue_head *wq_head, unsigned int mode,
			      int nr_exclusive, void *key);
/**
 * __wake_up_locked_key - __wake_up() of one exclusive waiter with @key,
 * the caller holding wq_head->lock. Context: any, lock held.
 */
LKSYNC_API void lksync_wake_up_locked_key(struct wait_queue_head *wq_head, unsigned int mode,
					  int nr_exclusive, void *key);
#define __wake_up(wq, mode, nr, key)	lksync_wake_up((wq), (mode), (nr), (key))
#define __wake_up_locked_key(wq, mode, key) lksync_wake_up_locked_key((wq), (mode), 1, (key))
#define __wake_up_locked(wq, mode, nr)	lksync_wake_up_locked_key((wq), (mode), (nr), NULL)
/* Sync wakes are a scheduler hint (the waker will sleep soon): plain wakes here. */
#define __wake_up_sync(wq, mode)	lksync_wake_up((wq), (mode), 1, NULL)
#define __wake_up_sync_key(wq, mode, key) lksync_wake_up((wq), (mode), 1, (key))

/*
 * wake_up*() - wake the waiters of the queue *@x: wake_up() every
 * non-exclusive waiter and one exclusive one; _nr() @nr exclusive ones; _all()
 * all; _interruptible*() only tasks in TASK_INTERRUPTIBLE; _locked() with the
 * queue lock held by the caller. Context: any, interrupt handlers included.
 */
#define wake_up(x)			__wake_up((x), TASK_NORMAL, 1, NULL)
#define wake_up_nr(x, nr)		__wake_up((x), TASK_NORMAL, (nr), NULL)
#define wake_up_all(x)			__wake_up((x), TASK_NORMAL, 0, NULL)
#define wake_up_locked(x)		__wake_up_locked((x), TASK_NORMAL, 1)
#define wake_up_all_locked(x)		__wake_up_locked((x), TASK_NORMAL, 0)
#define wake_up_interruptible(x)	__wake_up((x), TASK_INTERRUPTIBLE, 1, NULL)
#define wake_up_interruptible_nr(x, nr)	__wake_up((x), TASK_INTERRUPTIBLE, (nr), NULL)
#define wake_up_interruptible_all(x)	__wake_up((x), TASK_INTERRUPTIBLE, 0, NULL)
#define wake_up_interruptible_sync(x)	__wake_up_sync((x), TASK_INTERRUPTIBLE)
#define wake_up_sync(x)			__wake_up_sync((x), TASK_NORMAL)

/*
 * ___wait_event - the loop behind every wait_event*(): queue, set @state,
 * test @condition, run @cmd (which sleeps) and repeat; a pending signal that
 * may end a sleep in @state ends the loop with -ERESTARTSYS, but only after
 * the condition was found false, so an exclusive waiter that was woken
 * consumes its wake-up. The value is @ret as updated by @cmd (timeouts).
 */
#define ___wait_is_interruptible(state)						\
	(!__builtin_constant_p(state) ||					\
	 ((state) & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)))

#define ___wait_event(wq_head, condition, state, exclusive, ret, cmd) ({	\
	struct wait_queue_entry __we;						\
	long __ret = (ret);							\
										\
	init_wait_entry(&__we, (exclusive) ? WQ_FLAG_EXCLUSIVE : 0);		\
	for (;;) {								\
		long __intr = prepare_to_wait_event(&(wq_head), &__we, (state));\
										\
		if (condition)							\
			break;							\
		if (___wait_is_interruptible(state) && __intr) {		\
			__ret = __intr;						\
			break;							\
		}								\
		cmd;								\
	}									\
	finish_wait(&(wq_head), &__we);						\
	__ret;									\
})

/*
 * ___wait_cond_timeout - the condition of the timed waits, with __ret the
 * jiffies left: true when @condition is, or when the time ran out; a
 * condition that came true as the time ran out makes __ret 1, not 0.
 */
#define ___wait_cond_timeout(condition) ({					\
	bool __cond = (condition);						\
	if (__cond && !__ret)							\
		__ret = 1;							\
	__cond || !__ret;							\
})

#define __wait_event(wq_head, condition)					\
	(void)___wait_event(wq_head, condition, TASK_UNINTERRUPTIBLE, 0, 0, schedule())

/**
 * wait_event - sleep (TASK_UNINTERRUPTIBLE) until @condition is true,
 * re-tested after every wake-up of @wq_head. Wakers change the condition,
 * then call wake_up().
 * Context: task context; sleeps.
 */
#define wait_event(wq_head, condition) do {					\
	might_sleep();								\
	if (condition)								\
		break;								\
	__wait_event(wq_head, condition);					\
} while (0)

/* wait_event_cmd - wait_event() running @cmd1 before and @cmd2 after each sleep. */
#define wait_event_cmd(wq_head, condition, cmd1, cmd2) do {			\
	if (condition)								\
		break;								\
	(void)___wait_event(wq_head, condition, TASK_UNINTERRUPTIBLE, 0, 0,	\
			    cmd1; schedule(); cmd2);				\
} while (0)

/* wait_event_exclusive_cmd - wait_event_cmd() as an exclusive waiter. */
#define wait_event_exclusive_cmd(wq_head, condition, cmd1, cmd2) do {		\
	if (condition)								\
		break;								\
	(void)___wait_event(wq_head, condition, TASK_UNINTERRUPTIBLE, 1, 0,	\
			    cmd1; schedule(); cmd2);				\
} while (0)

/* io_wait_event - wait_event() for I/O (the accounting does not exist here). */
#define io_wait_event(wq_head, condition)	wait_event(wq_head, condition)

/*
 * __wait_event_state - a ___wait_event() in @state, exclusive or not, with
 * schedule(): 0, or -ERESTARTSYS if a signal ended it.
 */
#define __wait_event_state(wq_head, condition, state, exclusive)		\
	___wait_event(wq_head, condition, state, exclusive, 0, schedule())

#define __lksync_wait_event_state(wq_head, condition, state, exclusive) ({	\
	long __r = 0;								\
	might_sleep();								\
	if (!(condition))							\
		__r = __wait_event_state(wq_head, condition, state, exclusive);	\
	(int)__r;								\
})

/**
 * wait_event_interruptible - wait_event() in TASK_INTERRUPTIBLE: a signal
 * (send_sig()) ends it. Context: task context; sleeps.
 * Return: 0 when @condition is true, -ERESTARTSYS if a signal ended the wait.
 */
#define wait_event_interruptible(wq_head, condition)				\
	__lksync_wait_event_state(wq_head, condition, TASK_INTERRUPTIBLE, 0)

/**
 * wait_event_interruptible_exclusive - wait_event_interruptible() as an
 * exclusive waiter. Return: as wait_event_interruptible().
 */
#define wait_event_interruptible_exclusive(wq_head, condition)			\
	__lksync_wait_event_state(wq_head, condition, TASK_INTERRUPTIBLE, 1)

/**
 * wait_event_killable - wait_event() in TASK_KILLABLE: only a fatal signal
 * (SIGKILL) ends it. Context: task context; sleeps.
 * Return: 0 when @condition is true, -ERESTARTSYS if a fatal signal ended it.
 */
#define wait_event_killable(wq_head, condition)					\
	__lksync_wait_event_state(wq_head, condition, TASK_KILLABLE, 0)

/* wait_event_killable_exclusive - wait_event_killable() as an exclusive waiter. */
#define wait_event_killable_exclusive(wq_head, condition)			\
	__lksync_wait_event_state(wq_head, condition, TASK_KILLABLE, 1)

/**
 * wait_event_state - wait_event() in task state @state.
 * Return: 0, or -ERESTARTSYS if @state lets a pending signal end the wait.
 */
#define wait_event_state(wq_head, condition, state)				\
	__lksync_wait_event_state(wq_head, condition, state, 0)

/**
 * wait_event_idle - wait_event() in TASK_IDLE (uninterruptible, not counted
 * as load). Context: task context; sleeps.
 */
#define wait_event_idle(wq_head, condition) do {				\
	might_sleep();								\
	if (!(condition))							\
		(void)___wait_event(wq_head, condition, TASK_IDLE, 0, 0, schedule()); \
} while (0)

/* wait_event_idle_exclusive - wait_event_idle() as an exclusive waiter. */
#define wait_event_idle_exclusive(wq_head, condition) do {			\
	might_sleep();								\
	if (!(condition))							\
		(void)___wait_event(wq_head, condition, TASK_IDLE, 1, 0, schedule()); \
} while (0)

/* The timed waits: __ret carries the jiffies left through schedule_timeout(). */
#define __lksync_wait_event_timeout(wq_head, condition, state, exclusive, timeout) ({ \
	long __ret = (timeout);							\
	might_sleep();								\
	if (!___wait_cond_timeout(condition))					\
		__ret = ___wait_event(wq_head, ___wait_cond_timeout(condition),	\
				      state, exclusive, timeout,		\
				      __ret = schedule_timeout(__ret));		\
	__ret;									\
})

/**
 * wait_event_timeout - wait_event() for at most @timeout jiffies.
 * Context: task context; sleeps.
 * Return: 0 if the time ran out with @condition false, 1 if @condition came
 * true as it ran out, else the jiffies left (at least 1).
 */
#define wait_event_timeout(wq_head, condition, timeout)				\
	__lksync_wait_event_timeout(wq_head, condition, TASK_UNINTERRUPTIBLE, 0, timeout)

/**
 * wait_event_interruptible_timeout - wait_event_interruptible() for at most
 * @timeout jiffies. Context: task context; sleeps.
 * Return: -ERESTARTSYS if a signal ended it, else as wait_event_timeout().
 */
#define wait_event_interruptible_timeout(wq_head, condition, timeout)		\
	__lksync_wait_event_timeout(wq_head, condition, TASK_INTERRUPTIBLE, 0, timeout)

/**
 * wait_event_killable_timeout - wait_event_killable() for at most @timeout
 * jiffies. Context: task context; sleeps.
 * Return: -ERESTARTSYS if a fatal signal ended it, else as wait_event_timeout().
 */
#define wait_event_killable_timeout(wq_head, condition, timeout)		\
	__lksync_wait_event_timeout(wq_head, condition, TASK_KILLABLE, 0, timeout)

/* wait_event_idle_timeout - wait_event_idle() for at most @timeout jiffies. Return: as wait_event_timeout(). */
#define wait_event_idle_timeout(wq_head, condition, timeout)			\
	__lksync_wait_event_timeout(wq_head, condition, TASK_IDLE, 0, timeout)

/* wait_event_idle_exclusive_timeout - the exclusive form of wait_event_idle_timeout(). */
#define wait_event_idle_exclusive_timeout(wq_head, condition, timeout)		\
	__lksync_wait_event_timeout(wq_head, condition, TASK_IDLE, 1, timeout)

/*
 * The _lock_irq waits: @lock (a spinlock_t, by name) is held with interrupts
 * disabled on entry and exit, and dropped (spin_unlock_irq()) around each
 * sleep; @condition is tested with it held.
 */
#define __wait_event_lock_irq(wq_head, condition, lock, state, cmd)		\
	___wait_event(wq_head, condition, state, 0, 0,				\
		      spin_unlock_irq(&(lock)); cmd; schedule(); spin_lock_irq(&(lock)))

/**
 * wait_event_lock_irq_cmd - wait_event_lock_irq() that runs @cmd after
 * dropping @lock, before each sleep. Context: task context; @lock held (irq).
 */
#define wait_event_lock_irq_cmd(wq_head, condition, lock, cmd) do {		\
	if (condition)								\
		break;								\
	(void)__wait_event_lock_irq(wq_head, condition, lock, TASK_UNINTERRUPTIBLE, cmd); \
} while (0)

/**
 * wait_event_lock_irq - wait_event() with @lock held (spin_lock_irq()) around
 * every test of @condition and released for each sleep.
 * Context: task context; @lock held with interrupts disabled; sleeps.
 */
#define wait_event_lock_irq(wq_head, condition, lock)				\
	wait_event_lock_irq_cmd(wq_head, condition, lock, )

/**
 * wait_event_interruptible_lock_irq_cmd - the interruptible form of
 * wait_event_lock_irq_cmd(). Return: 0, or -ERESTARTSYS on a signal.
 */
#define wait_event_interruptible_lock_irq_cmd(wq_head, condition, lock, cmd) ({	\
	long __r = 0;								\
	if (!(condition))							\
		__r = __wait_event_lock_irq(wq_head, condition, lock,		\
					    TASK_INTERRUPTIBLE, cmd);		\
	(int)__r;								\
})

/**
 * wait_event_interruptible_lock_irq - the interruptible form of
 * wait_event_lock_irq(). Context: as wait_event_lock_irq().
 * Return: 0, or -ERESTARTSYS if a signal ended the wait (@lock held again).
 */
#define wait_event_interruptible_lock_irq(wq_head, condition, lock)		\
	wait_event_interruptible_lock_irq_cmd(wq_head, condition, lock, )

#define __lksync_wait_event_lock_irq_timeout(wq_head, condition, lock, timeout, state) ({ \
	long __ret = (timeout);							\
	if (!___wait_cond_timeout(condition))					\
		__ret = ___wait_event(wq_head, ___wait_cond_timeout(condition),	\
				      state, 0, timeout,			\
				      spin_unlock_irq(&(lock));			\
				      __ret = schedule_timeout(__ret);		\
				      spin_lock_irq(&(lock)));			\
	__ret;									\
})

/**
 * wait_event_lock_irq_timeout - wait_event_lock_irq() for at most @timeout
 * jiffies. Return: as wait_event_timeout().
 */
#define wait_event_lock_irq_timeout(wq_head, condition, lock, timeout)		\
	__lksync_wait_event_lock_irq_timeout(wq_head, condition, lock, timeout,	\
					     TASK_UNINTERRUPTIBLE)

/**
 * wait_event_interruptible_lock_irq_timeout - wait_event_interruptible_lock_irq()
 * for at most @timeout jiffies. Return: as wait_event_interruptible_timeout().
 */
#define wait_event_interruptible_lock_irq_timeout(wq_head, condition, lock, timeout) \
	__lksync_wait_event_lock_irq_timeout(wq_head, condition, lock, timeout,	\
					     TASK_INTERRUPTIBLE)

/**
 * do_wait_intr / do_wait_intr_irq - one step of the _locked waits: queue
 * @wait at the tail unless queued, set TASK_INTERRUPTIBLE, and unless a
 * signal is pending drop wq->lock (spin_unlock / spin_unlock_irq), schedule()
 * and retake it. Context: task context; wq->lock held.
 * Return: 0, or -ERESTARTSYS if a signal is pending.
 */
LKSYNC_API int lksync_do_wait_intr(struct wait_queue_head *wq, struct wait_queue_entry *wait);
LKSYNC_API int lksync_do_wait_intr_irq(struct wait_queue_head *wq, struct wait_queue_entry *wait);
#define do_wait_intr(wq, wait)		lksync_do_wait_intr((wq), (wait))
#define do_wait_intr_irq(wq, wait)	lksync_do_wait_intr_irq((wq), (wait))

#define __wait_event_interruptible_locked(wq, condition, exclusive, fn) ({	\
	int __r;								\
	DEFINE_WAIT(__wait);							\
	if (exclusive)								\
		__wait.flags |= WQ_FLAG_EXCLUSIVE;				\
	do {									\
		__r = fn(&(wq), &__wait);					\
		if (__r)							\
			break;							\
	} while (!(condition));							\
	__remove_wait_queue(&(wq), &__wait);					\
	__set_current_state(TASK_RUNNING);					\
	__r;									\
})

/**
 * wait_event_interruptible_locked - wait_event_interruptible() with
 * @wq.lock held by the caller (spin_lock()), dropped only while asleep;
 * wakers use wake_up_locked(). Context: task context; @wq.lock held.
 * Return: 0, or -ERESTARTSYS if a signal ended the wait (lock held again).
 */
#define wait_event_interruptible_locked(wq, condition)				\
	((condition) ? 0 : __wait_event_interruptible_locked(wq, condition, 0, do_wait_intr))

/* wait_event_interruptible_locked_irq - as above with spin_lock_irq() held. */
#define wait_event_interruptible_locked_irq(wq, condition)			\
	((condition) ? 0 : __wait_event_interruptible_locked(wq, condition, 0, do_wait_intr_irq))

/* wait_event_interruptible_exclusive_locked - the exclusive form. */
#define wait_event_interruptible_exclusive_locked(wq, condition)		\
	((condition) ? 0 : __wait_event_interruptible_locked(wq, condition, 1, do_wait_intr))

/* wait_event_interruptible_exclusive_locked_irq - the exclusive form, irq. */
#define wait_event_interruptible_exclusive_locked_irq(wq, condition)		\
	((condition) ? 0 : __wait_event_interruptible_locked(wq, condition, 1, do_wait_intr_irq))

/*
 * Simple wait queues (linux/swait.h): a raw spinlock and a FIFO of tasks,
 * no wake functions, every waiter exclusive; completions use them. The
 * swake_up*() walk is bounded by the queue, never by callbacks.
 */
struct swait_queue_head {
	raw_spinlock_t		lock;
	struct list_head	task_list;
};

struct swait_queue {
	struct task_struct	*task;
	struct list_head	task_list;
};

#define __SWAITQUEUE_INITIALIZER(name) {					\
	.task		= current,						\
	.task_list	= LIST_HEAD_INIT((name).task_list) }

/* DECLARE_SWAITQUEUE - an unqueued swait entry @name for current. */
#define DECLARE_SWAITQUEUE(name)						\
	struct swait_queue name = __SWAITQUEUE_INITIALIZER(name)

#define __SWAIT_QUEUE_HEAD_INITIALIZER(name) {					\
	.lock		= __RAW_SPIN_LOCK_INITIALIZER_KEY(name.lock, &(name).lock), \
	.task_list	= LIST_HEAD_INIT((name).task_list) }

/* DECLARE_SWAIT_QUEUE_HEAD - define and initialize an empty simple queue @name. */
#define DECLARE_SWAIT_QUEUE_HEAD(name)						\
	struct swait_queue_head name = __SWAIT_QUEUE_HEAD_INITIALIZER(name)
/*
 * init_swait_queue_head - initialize @q as empty. Context: any; @q not in
 * use. In the debug flavor the queue's lock takes its lockdep class from
 * this place (@name, @key: the kernel's __init_swait_queue_head()).
 */
static inline void __init_swait_queue_head(struct swait_queue_head *q, const char *name,
					   struct lock_class_key *key)
{
	raw_spin_lock_init(&q->lock);
	lockdep_set_class_and_name(&q->lock, key, name);
	INIT_LIST_HEAD(&q->task_list);
}
#ifndef LKSYNC_DEBUG
#define init_swait_queue_head(q)	__init_swait_queue_head(q, NULL, NULL)
#define DECLARE_SWAIT_QUEUE_HEAD_ONSTACK(name)	DECLARE_SWAIT_QUEUE_HEAD(name)
#else
#define init_swait_queue_head(q)						\
do {										\
	static struct lock_class_key __key;					\
										\
	__init_swait_queue_head((q), #q, &__key);				\
} while (0)
#define DECLARE_SWAIT_QUEUE_HEAD_ONSTACK(name)					\
	struct swait_queue_head name = ({ init_swait_queue_head(&name); name; })
#endif

/* swait_active - does @wq have waiters? As waitqueue_active(). Return: true if so. */
static inline int swait_active(struct swait_queue_head *wq)
{
	return !list_empty(&wq->task_list);
}

/* swq_has_sleeper - swait_active() after a full barrier, as wq_has_sleeper(). */
static inline bool swq_has_sleeper(struct swait_queue_head *wq)
{
	__smp_mb();	/* real even uniprocessor: pairs with set_current_state() */
	return swait_active(wq);
}

/* __prepare_to_swait - queue @wait at the tail unless queued (q->lock held). */
static inline void __prepare_to_swait(struct swait_queue_head *q, struct swait_queue *wait)
{
	wait->task = current;
	if (list_empty(&wait->task_list))
		list_add_tail(&wait->task_list, &q->task_list);
}

/* __finish_swait - set TASK_RUNNING and dequeue @wait if queued (q->lock held). */
static inline void __finish_swait(struct swait_queue_head *q, struct swait_queue *wait)
{
	(void)q;
	__set_current_state(TASK_RUNNING);
	if (!list_empty(&wait->task_list))
		list_del_init(&wait->task_list);
}

/*
 * swake_up_locked - wake the first waiter of @q and dequeue it (q->lock held).
 * The waiter retakes q->lock before it leaves, so its task outlives the wake.
 * Context: any, lock held.
 */
static inline void swake_up_locked(struct swait_queue_head *q, int wake_flags)
{
	struct swait_queue *curr;

	(void)wake_flags;
	if (list_empty(&q->task_list))
		return;
	curr = list_first_entry(&q->task_list, struct swait_queue, task_list);
	wake_up_process(curr->task);
	list_del_init(&curr->task_list);
}

/* swake_up_all_locked - wake and dequeue every waiter of @q (q->lock held). */
static inline void swake_up_all_locked(struct swait_queue_head *q)
{
	while (!list_empty(&q->task_list))
		swake_up_locked(q, 0);
}

/* swake_up_one - wake the first waiter of @q. Context: any. */
static inline void swake_up_one(struct swait_queue_head *q)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&q->lock, flags);
	swake_up_locked(q, 0);
	raw_spin_unlock_irqrestore(&q->lock, flags);
}

/* swake_up_all - wake every waiter of @q. Context: task context (irq on). */
static inline void swake_up_all(struct swait_queue_head *q)
{
	raw_spin_lock_irq(&q->lock);
	swake_up_all_locked(q);
	raw_spin_unlock_irq(&q->lock);
}

#endif /* LKSYNC_WAIT_H */
