/* SPDX-License-Identifier: MIT */
/* Layer: context (private). What the timer wheel (timer.c) and the tick (tick.c) share. */
#ifndef LKSYNC_SRC_CONTEXT_TIMER_H
#define LKSYNC_SRC_CONTEXT_TIMER_H

#include <stdbool.h>
#include <lksync/types.h>
#include "sched/sched.h"	/* lksync_jiffy_start_ns() */

/* TIMER_SOFTIRQ's action: run every timer whose jiffy has come. Context: softirq. */
void lksync_timer_softirq(void);

/*
 * lksync_timer_next_event - the jiffy at which the tick must next run the
 * wheel (a due timer, or a cascade of the outer levels), remembered as the
 * clock's plan so that arming an earlier timer kicks the clock.
 * Context: any. Return: false if no timer is pending (the clock may idle).
 */
bool lksync_timer_next_event(unsigned long *next);

/* lksync_timer_due - is some timer's jiffy @now reached? Lock-free hint. Context: any. */
bool lksync_timer_due(unsigned long now);

/* tick.c: start the clock thread and the tick line. Context: process; may sleep. */
void lksync_tick_start(void);
/* tick.c: is the clock thread running? Context: any. */
bool lksync_tick_started(void);
/* tick.c: wake the clock to re-plan (a timer was armed earlier than planned). Context: any. */
void lksync_tick_kick(void);

#endif /* LKSYNC_SRC_CONTEXT_TIMER_H */
