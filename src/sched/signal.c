// SPDX-License-Identifier: MIT
/*
 * Layer: sched. Task-level signals: a pending set per task that ends
 * interruptible (and, for SIGKILL, killable) sleeps until flush_signals().
 */
#include <errno.h>
#include <signal.h>
#include "sched/sched.h"

int lksync_send_sig(int sig, struct task_struct *p, int priv)
{
	unsigned long long bit;
	unsigned int state = TASK_INTERRUPTIBLE;

	(void)priv;
	if (sig < 0 || sig > 64)
		return -EINVAL;
	if (!sig)
		return 0;	/* signal 0: only a permission check */
	bit = 1ULL << (sig - 1);
	if (sig != SIGKILL && (__atomic_load_n(&p->sigignored, __ATOMIC_RELAXED) & bit))
		return 0;
	if (sig == SIGKILL)
		state |= TASK_WAKEKILL;
	/*
	 * Full barrier: the pending bit is visible before we read the state,
	 * pairing with the barrier in schedule() between publishing the sleep
	 * state and testing for signals.
	 */
	__atomic_or_fetch(&p->sigpending, bit, __ATOMIC_SEQ_CST);
	lksync_wake_up_state(p, state);
	return 0;
}
