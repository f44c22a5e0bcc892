/* SPDX-License-Identifier: MIT */
/*
 * Layer: sched. Sleeping and busy-waiting delays, as linux/delay.h:
 * msleep() and friends sleep (task context only; the debug flavor's
 * might_sleep() reports a call from atomic context), udelay() and friends
 * spin (any context).
 */
#ifndef LKSYNC_DELAY_H
#define LKSYNC_DELAY_H

#include <lksync/sched.h>
#include <lksync/jiffies.h>

/* Busy-wait @ns nanoseconds on the monotonic clock. */
LKSYNC_API void lksync_ndelay(unsigned long long ns);

/* ndelay/udelay/mdelay - busy-wait (never sleep). Context: any. */
#define ndelay(n)	lksync_ndelay((unsigned long long)(n))
#define udelay(n)	lksync_ndelay((unsigned long long)(n) * 1000ULL)
#define mdelay(n)	lksync_ndelay((unsigned long long)(n) * 1000000ULL)

/*
 * lksync_msleep - sleep @ms milliseconds in @state.
 * Return: milliseconds left when a signal ended the sleep, else 0.
 */
LKSYNC_API unsigned long lksync_msleep(unsigned int ms, unsigned int state);

/**
 * msleep - sleep at least @msecs milliseconds; signals do not end it.
 * Context: task context; sleeps.
 */
static inline void msleep(unsigned int msecs)
{
	lksync_msleep(msecs, TASK_UNINTERRUPTIBLE);
}

/**
 * msleep_interruptible - sleep @msecs milliseconds or until a signal.
 * Context: task context; sleeps.
 * Return: 0 after the full sleep, else the milliseconds left.
 */
static inline unsigned long msleep_interruptible(unsigned int msecs)
{
	return lksync_msleep(msecs, TASK_INTERRUPTIBLE);
}

/* ssleep - sleep @seconds seconds (uninterruptible). Context: task context; sleeps. */
static inline void ssleep(unsigned int seconds)
{
	msleep(seconds * 1000);
}

/**
 * usleep_range - sleep between @min and @max microseconds (at least @min).
 * Context: task context; sleeps; signals do not end it.
 */
static inline void usleep_range(unsigned long min, unsigned long max)
{
	long long left = (long long)min * 1000;

	(void)max;
	might_sleep();
	do {
		__set_current_state(TASK_UNINTERRUPTIBLE);
		left = lksync_schedule_hrtimeout(left);
	} while (left > 0);
}

/* usleep_range_state - usleep_range() sleeping in @state. */
static inline void usleep_range_state(unsigned long min, unsigned long max, unsigned int state)
{
	long long left = (long long)min * 1000;

	(void)max;
	might_sleep();
	do {
		__set_current_state(state);
		left = lksync_schedule_hrtimeout(left);
	} while (left > 0 && !signal_pending_state(state, current));
}

/* fsleep - sleep about @usecs microseconds, by the best means. Context: task context. */
static inline void fsleep(unsigned long usecs)
{
	usleep_range(usecs, usecs + usecs / 4);
}

#endif /* LKSYNC_DELAY_H */
