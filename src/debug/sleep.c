// SPDX-License-Identifier: MIT
/*
 * Layer: debug. DEBUG_ATOMIC_SLEEP: might_sleep() and the scheduling-while-
 * atomic check, as the kernel's __might_sleep()/__might_resched() and
 * __schedule_bug() (kernel/sched/core.c). Built only into the debug flavor.
 *
 * Both run in any context, interrupt handlers (signal handlers) included:
 * the report is formatted into buffers on the stack and handed to
 * lksync_report(), which allocates nothing; the held-lock section comes
 * from lockdep (lksync_debug_held_locks_text()), which promises the same.
 *
 * What is "atomic": a nonzero preempt_count() (a spinlock, preempt_disable(),
 * local_bh_disable(), hardirq or softirq context) or interrupts disabled.
 * The Big Kernel Lock is not: here it is an arch spinlock that leaves
 * preempt_count() alone and that schedule() drops across the sleep, so the
 * expected count under lock_kernel() is 0 (the kernel's spinning BKL added
 * one and raised PREEMPT_INATOMIC_BASE to match; the outcome is the same).
 *
 * "Preemption disabled at:" comes from the IP preempt_count_add() records
 * when the count leaves 0 (DEBUG_PREEMPT's preempt_disable_ip): the caller
 * of the lock function, or of the function that called preempt_disable().
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <lksync/sched.h>
#include <lksync/jiffies.h>
#include <lksync/bug.h>
#include "debug/debug.h"
#include "sched/sched.h"

#ifdef LKSYNC_DEBUG

/*
 * The kernel's rate limit: at most one might_sleep() report a second
 * (prev_jiffy + HZ), for the whole system. 0 = nothing reported yet, or
 * re-armed by lksync_might_sleep_ratelimit_reset().
 */
static unsigned long prev_jiffy;

static int state_warned;

void lksync_might_sleep_ratelimit_reset(void)
{
	__atomic_store_n(&prev_jiffy, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&state_warned, 0, __ATOMIC_RELAXED);
}

/* Room for MAX_LOCK_DEPTH lines of the held-lock section. */
#define HELD_TEXT_LEN	4096

static void held_locks(struct task_struct *t, char *buf, size_t len)
{
	buf[0] = '\0';
	lksync_debug_held_locks_text(t, buf, len);
}

/*
 * A blocking call made after set_current_state() would overwrite that
 * state with its own and return TASK_RUNNING: the caller's sleep is lost.
 * The kernel warns once (WARN_ONCE); the test hook re-arms it. Only in
 * task context: a handler sees the state of the task it interrupted.
 */
static void check_state(struct task_struct *t)
{
	unsigned int state = __atomic_load_n(&t->__state, __ATOMIC_RELAXED);
	unsigned long ip = t->task_state_change;
	Dl_info info;
	const char *sym = "?";
	unsigned long off = 0;

	if (likely(state == TASK_RUNNING || !ip) || !in_task())
		return;
	if (__atomic_exchange_n(&state_warned, 1, __ATOMIC_RELAXED))
		return;
	if (dladdr((void *)ip, &info) && info.dli_sname) {
		sym = info.dli_sname;
		off = ip - (unsigned long)info.dli_saddr;
	} else if (info.dli_fname) {
		sym = strrchr(info.dli_fname, '/') ? strrchr(info.dli_fname, '/') + 1
						    : info.dli_fname;
		off = ip - (unsigned long)info.dli_fbase;
	}
	lksync_warn_slowpath(__FILE__, __LINE__, __func__,
			     "do not call blocking ops when !TASK_RUNNING; state=%x set at [<%p>] %s+0x%lx\n",
			     state & ~LKSYNC_TASK_PARKED, (void *)ip, sym, off);
}

/*
 * One report a second, as the kernel (time_before(jiffies, prev_jiffy +
 * HZ)); the compare-and-exchange lets one of several racing tasks report.
 * Relaxed: the word guards nothing else. Return: true if this one may.
 */
static bool report_allowed(void)
{
	unsigned long now = jiffies, prev = __atomic_load_n(&prev_jiffy, __ATOMIC_RELAXED);

	if (prev && time_before(now, prev + HZ))
		return false;
	return __atomic_compare_exchange_n(&prev_jiffy, &prev, now ? now : 1, 0,
					   __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

void lksync_might_sleep(const char *file, int line)
{
	struct task_struct *t = lksync_tls.task;
	char head[320], held[HELD_TEXT_LEN], where[256] = "";
	int count = preempt_count(), irqs = irqs_disabled();
	/* Read first: the report itself may disable preemption. */
	unsigned long ip = lksync_tls.preempt_disable_ip;

	if (t)
		check_state(t);
	if (likely(count == 0 && !irqs))
		return;
	if (!report_allowed())
		return;

	t = current;
	snprintf(head, sizeof(head),
		 "BUG: sleeping function called from invalid context at %s:%d", file, line);
	held_locks(t, held, sizeof(held));
	/* As the kernel: only when the count is not the expected one (0). */
	if (count) {
		int n = snprintf(where, sizeof(where), "[<%016lx>] ", ip);

		lksync_report_symbol(where + n, sizeof(where) - (unsigned long)n, (const void *)ip);
	}
	lksync_report(head,
		      "in_atomic(): %d, irqs_disabled(): %d, non_block: %d, pid: %d, name: %s\n"
		      "preempt_count: %x, expected: %x\n"
		      "%s%s%s%s",
		      count != 0, irqs, 0, t->pid, t->comm, count, 0, held,
		      count ? "Preemption disabled at:\n" : "", where, count ? "\n" : "");
}

/* The kernel's __cant_sleep(): the same rate limit, the opposite test. */
void lksync_cant_sleep(const char *file, int line)
{
	struct task_struct *t;
	char head[320], held[HELD_TEXT_LEN];

	if (likely(preempt_count() != 0 || irqs_disabled()))
		return;
	if (!report_allowed())
		return;
	t = current;
	snprintf(head, sizeof(head), "BUG: assuming atomic context at %s:%d", file, line);
	held_locks(t, held, sizeof(held));
	lksync_report(head, "in_atomic(): %d, irqs_disabled(): %d, pid: %d, name: %s\n%s",
		      0, 0, t->pid, t->comm, held);
}

/*
 * schedule() in atomic context: reported every time, as the kernel's
 * schedule_debug() does (it has no rate limit). The kernel then forces the
 * count back to "preemption disabled once"; here the count belongs to the
 * caller's own bookkeeping (its spin_unlock() will still decrement it), so
 * it is left alone.
 */
void lksync_schedule_debug(struct task_struct *prev)
{
	char head[128], held[HELD_TEXT_LEN];
	int count = preempt_count();

	if (likely(count == 0))
		return;
	snprintf(head, sizeof(head), "BUG: scheduling while atomic: %s/%d/0x%08x",
		 prev->comm, prev->pid, (unsigned int)count);
	held_locks(prev, held, sizeof(held));
	lksync_report(head, "%s", held);
}

#endif /* LKSYNC_DEBUG */
