// SPDX-License-Identifier: MIT
/*
 * Layer: context. Softirqs: run at interrupt exit and local_bh_enable().
 * (Stubs: the softirq core is being written; the declarations are final.)
 */
#include <lksync/interrupt.h>

const char *const lksync_softirq_to_name[NR_SOFTIRQS] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL",
	"TASKLET", "SCHED", "HRTIMER", "RCU"
};

static struct softirq_action softirq_vec[NR_SOFTIRQS];

void lksync_bh_enable_slow(void)
{
	__atomic_and_fetch(&lksync_tls.pending, ~LKSYNC_PENDING_SOFTIRQ, __ATOMIC_RELAXED);
}

void lksync_open_softirq(int nr, void (*action)(void))
{
	softirq_vec[nr].action = action;
}

void lksync_raise_softirq_irqoff(unsigned int nr) { __raise_softirq_irqoff(nr); }
void lksync_raise_softirq(unsigned int nr) { __raise_softirq_irqoff(nr); }
void lksync_do_softirq(void) { }
