// SPDX-License-Identifier: MIT
/*
 * Layer: sched. Slow paths of local_irq_enable() and local_bh_enable(): work
 * that arrived while masked. The context layer (interrupts, softirqs) hooks
 * its replay in here; until something raises work, nothing is ever pending.
 */
#include <lksync/irqflags.h>
#include <lksync/bottom_half.h>

void lksync_irq_enable_slow(void)
{
	__atomic_and_fetch(&lksync_tls.pending, ~LKSYNC_PENDING_IRQ, __ATOMIC_RELAXED);
}

void lksync_bh_enable_slow(void)
{
	__atomic_and_fetch(&lksync_tls.pending, ~LKSYNC_PENDING_SOFTIRQ, __ATOMIC_RELAXED);
}
