/* SPDX-License-Identifier: MIT */
/*
 * Layer: sched. The task: every thread that touches lksync has a struct
 * task_struct, reachable as `current`, created on first use and released when
 * the thread exits (tasks are reference counted, so a pointer held by another
 * thread stays valid until put_task_struct()).
 */
#ifndef LKSYNC_SCHED_H
#define LKSYNC_SCHED_H

#include <sys/types.h>
#include <lksync/preempt.h>
#include <lksync/irqflags.h>
#include <lksync/bottom_half.h>

#define TASK_COMM_LEN 16

struct task_struct {
	pid_t pid;			/* kernel thread id (gettid()) */
	pid_t tgid;			/* process id */
	char comm[TASK_COMM_LEN];	/* thread name at creation */
	volatile long __state;		/* TASK_RUNNING, ... (sleeping layer) */
	unsigned int usage;		/* references; the thread itself holds one */
	unsigned int flags;		/* PF_* */
	struct lksync_tls *tls;		/* the owner thread's hot state */
	void *sched_private;		/* reserved for the sleeping layer */
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

#endif /* LKSYNC_SCHED_H */
