// SPDX-License-Identifier: MIT
/*
 * Layer: context. Hard interrupts: delivery, masking replay.
 * (Placeholder until the interrupt layer lands: nothing raises interrupts.)
 */
#include <lksync/irqflags.h>

void lksync_irq_enable_slow(void)
{
	__atomic_and_fetch(&lksync_tls.pending, ~LKSYNC_PENDING_IRQ, __ATOMIC_RELAXED);
}
