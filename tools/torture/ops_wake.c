// SPDX-License-Identifier: MIT
/*
 * Wake-up primitives, driven as ping-pong pairs by the torture driver: a
 * lost wake-up leaves both threads of a pair asleep (a stall), a wake-up
 * without a signal hands the turn to the wrong thread (a violation).
 *
 *   completion  one completion per thread: complete(), now and then
 *               complete_all() (the waiter then reinit_completion()s), and
 *               wait_for_completion[_interruptible]();
 *   waitqueue   one wait queue shared by every thread, a flag per thread:
 *               wake_up() wakes every waiter, each rechecks its own flag in
 *               wait_event[_interruptible]().
 */
#include <errno.h>
#include <stdbool.h>
#include <lksync/barrier.h>
#include <lksync/compiler.h>
#include <lksync/errno.h>

#include "torture.h"

#if __has_include(<lksync/completion.h>)
#include <lksync/completion.h>

static struct {
	struct completion done;
	bool all;		/* completed with complete_all(): reinit after waking */
} __attribute__((aligned(64))) compl[TORTURE_MAX_CHANNELS];
static unsigned int compl_calls;

static void compl_init(int n)
{
	for (int i = 0; i < n; i++) {
		init_completion(&compl[i].done);
		compl[i].all = false;
	}
}

static int compl_wait(int ch, int intr)
{
	int ret = 0;

	if (intr)
		ret = wait_for_completion_interruptible(&compl[ch].done);
	else
		wait_for_completion(&compl[ch].done);
	/* the signaller wrote .all before completing: ordered by the completion */
	if (!ret && compl[ch].all) {
		compl[ch].all = false;
		reinit_completion(&compl[ch].done);
	}
	return ret;
}

static void compl_signal(int ch)
{
	/* relaxed: only a rough 1-in-16 choice, any interleaving will do */
	if (!(__atomic_add_fetch(&compl_calls, 1, __ATOMIC_RELAXED) % 16)) {
		compl[ch].all = true;
		complete_all(&compl[ch].done);
	} else {
		complete(&compl[ch].done);
	}
}

const struct torture_ops completion_ops = {
	.name = "completion",
	.desc = "complete[_all]/wait_for_completion[_interruptible] ping-pong",
	.pp_init = compl_init,
	.pp_wait = compl_wait,
	.pp_signal = compl_signal,
	.intr_err = -ERESTARTSYS,
	.flags = TORTURE_SLEEPS | TORTURE_PINGPONG,
};
#endif

#if __has_include(<lksync/wait.h>)
#include <lksync/wait.h>

static DECLARE_WAIT_QUEUE_HEAD(torture_wq);
static struct {
	int flag;
} __attribute__((aligned(64))) wq_ch[TORTURE_MAX_CHANNELS];

static void wq_init(int n)
{
	init_waitqueue_head(&torture_wq);
	for (int i = 0; i < n; i++)
		wq_ch[i].flag = 0;
}

/*
 * wait_event() and wake_up() order the flag against the sleep (no lost
 * wake-up), but a condition found true without sleeping is a bare load: as
 * in the kernel, the flag itself must carry the turn's data, hence
 * release/acquire.
 */
static int wq_wait(int ch, int intr)
{
	int ret = 0;

	if (intr)
		ret = wait_event_interruptible(torture_wq, smp_load_acquire(&wq_ch[ch].flag));
	else
		wait_event(torture_wq, smp_load_acquire(&wq_ch[ch].flag));
	if (!ret)
		WRITE_ONCE(wq_ch[ch].flag, 0);
	return ret;
}

static void wq_signal(int ch)
{
	smp_store_release(&wq_ch[ch].flag, 1);
	wake_up(&torture_wq);
}

static const char *wq_idle(void)
{
	return waitqueue_active(&torture_wq) ? "waiters left on the wait queue" : NULL;
}

const struct torture_ops waitqueue_ops = {
	.name = "waitqueue",
	.desc = "wake_up/wait_event[_interruptible] ping-pong, one shared queue",
	.pp_init = wq_init,
	.pp_wait = wq_wait,
	.pp_signal = wq_signal,
	.idle = wq_idle,
	.intr_err = -ERESTARTSYS,
	.flags = TORTURE_SLEEPS | TORTURE_PINGPONG,
};
#endif
