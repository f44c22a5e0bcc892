/* SPDX-License-Identifier: MIT */
/*
 * Layer: sched. Time in jiffies, as linux/jiffies.h: HZ ticks per second,
 * counted from INITIAL_JIFFIES (the kernel's start value, five minutes before
 * the 32-bit counter wraps) at the start of the process. jiffies_64 is a real
 * counter, advanced by the tick (src/context/tick.c) and caught up from the
 * monotonic clock on every read, so jiffies never go back and advance while
 * no tick runs.
 * The wrap-safe comparisons are the kernel's, type-checked the same way.
 */
#ifndef LKSYNC_JIFFIES_H
#define LKSYNC_JIFFIES_H

#include <limits.h>
#include <lksync/compiler.h>
#include <lksync/types.h>
#include <lksync/param.h>

#define TICK_NSEC	(1000000000L / HZ)
#define INITIAL_JIFFIES	((unsigned long)(unsigned int)(-300 * HZ))
#define MAX_JIFFY_OFFSET ((LONG_MAX >> 1) - 1)

/*
 * lksync_jiffies_64 - the jiffies counter itself, a real u64 that only moves
 * forward. The tick interrupt advances it under xtime_lock (<lksync/timer.h>);
 * between ticks (no timers pending: NO_HZ) every read catches it up from the
 * monotonic clock with a lock-free compare-and-exchange, so a read is always
 * current, and no reader ever sees it go back.
 */
LKSYNC_API extern u64 lksync_jiffies_64;

/**
 * get_jiffies_64 - the 64-bit jiffies counter, brought up to date.
 * Context: any (async-signal-safe). Return: jiffies since the process
 * started, plus INITIAL_JIFFIES.
 */
LKSYNC_API u64 lksync_get_jiffies_64(void);
static inline u64 get_jiffies_64(void) { return lksync_get_jiffies_64(); }

/*
 * lksync_jiffies_64_snapshot - bring the counter up to date, copy it into a
 * per-thread snapshot and return the snapshot's address: `jiffies_64` is an
 * lvalue that reads like the kernel's variable (`ret = jiffies_64;`), with
 * no data race against the tick. A write to it (the seeds' tick does
 * `jiffies_64 += 1`) changes only the caller's snapshot; lksync's own tick
 * owns the counter. Context: any (async-signal-safe).
 */
LKSYNC_API u64 *lksync_jiffies_64_snapshot(void);

/* jiffies, jiffies_64 - the current tick count (unsigned long / u64). */
#define jiffies		((unsigned long)lksync_get_jiffies_64())
#define jiffies_64	(*lksync_jiffies_64_snapshot())

/* time_after(a, b) - is jiffy @a after @b (wrap-safe)? Arguments: unsigned long lvalues. */
#define time_after(a, b)							\
	({ unsigned long __ta = (a), __tb = (b); (long)(__tb - __ta) < 0; })
#define time_before(a, b)		time_after(b, a)
#define time_after_eq(a, b)							\
	({ unsigned long __ta = (a), __tb = (b); (long)(__ta - __tb) >= 0; })
#define time_before_eq(a, b)		time_after_eq(b, a)
/* time_in_range(a, b, c) - is @a in [@b, @c]? */
#define time_in_range(a, b, c)		(time_after_eq(a, b) && time_before_eq(a, c))
/* time_in_range_open(a, b, c) - is @a in [@b, @c)? */
#define time_in_range_open(a, b, c)	(time_after_eq(a, b) && time_before(a, c))
#define time_after64(a, b)							\
	({ u64 __ta = (a), __tb = (b); (s64)(__tb - __ta) < 0; })
#define time_before64(a, b)		time_after64(b, a)
#define time_after_eq64(a, b)							\
	({ u64 __ta = (a), __tb = (b); (s64)(__ta - __tb) >= 0; })
#define time_before_eq64(a, b)		time_after_eq64(b, a)
#define time_in_range64(a, b, c)	(time_after_eq64(a, b) && time_before_eq64(a, c))
#define time_is_before_jiffies(a)	time_after(jiffies, a)
#define time_is_after_jiffies(a)	time_before(jiffies, a)
#define time_is_before_eq_jiffies(a)	time_after_eq(jiffies, a)
#define time_is_after_eq_jiffies(a)	time_before_eq(jiffies, a)

/* jiffies_to_msecs - @j jiffies in milliseconds. Return: the milliseconds. */
static inline unsigned int jiffies_to_msecs(const unsigned long j)
{
	return (unsigned int)(j * (1000 / HZ));
}

/* jiffies_to_usecs - @j jiffies in microseconds. Return: the microseconds. */
static inline unsigned int jiffies_to_usecs(const unsigned long j)
{
	return (unsigned int)(j * (1000000 / HZ));
}

/* jiffies_to_nsecs - @j jiffies in nanoseconds. Return: the nanoseconds. */
static inline u64 jiffies_to_nsecs(const unsigned long j)
{
	return (u64)j * TICK_NSEC;
}

/*
 * msecs_to_jiffies - @m milliseconds in jiffies, rounded up.
 * Return: the jiffies; MAX_JIFFY_OFFSET for a negative (as int) value.
 */
static inline unsigned long msecs_to_jiffies(const unsigned int m)
{
	if ((int)m < 0)
		return MAX_JIFFY_OFFSET;
	return ((unsigned long)m + (1000 / HZ) - 1) / (1000 / HZ);
}

/* usecs_to_jiffies - @u microseconds in jiffies, rounded up. Return: the jiffies. */
static inline unsigned long usecs_to_jiffies(const unsigned int u)
{
	if (u > jiffies_to_usecs(MAX_JIFFY_OFFSET))
		return MAX_JIFFY_OFFSET;
	return ((unsigned long)u + (1000000 / HZ) - 1) / (1000000 / HZ);
}

/* nsecs_to_jiffies - @n nanoseconds in jiffies, rounded down. Return: the jiffies. */
static inline unsigned long nsecs_to_jiffies(u64 n)
{
	return (unsigned long)(n / TICK_NSEC);
}

/* jiffies_64_to_clock_t / jiffies_to_clock_t - jiffies in USER_HZ ticks. */
static inline unsigned long jiffies_to_clock_t(unsigned long x)
{
	return x / (HZ / USER_HZ);
}

#endif /* LKSYNC_JIFFIES_H */
