// SPDX-License-Identifier: MIT
/*
 * Layer: context. Hard interrupts: delivery, masking replay.
 * (Stubs: the interrupt layer is being written; the declarations are final.)
 */
#include <errno.h>
#include <lksync/interrupt.h>

void lksync_irq_enable_slow(void)
{
	__atomic_and_fetch(&lksync_tls.pending, ~LKSYNC_PENDING_IRQ, __ATOMIC_RELAXED);
}

int lksync_irq_raise(unsigned int irq)
{
	return irq < NR_IRQS ? -ENODEV : -EINVAL;
}

int lksync_irq_route(unsigned int irq, struct task_struct *task)
{
	(void)task;
	(void)irq;
	return -EINVAL;
}

unsigned long lksync_irq_spurious(unsigned int irq)
{
	(void)irq;
	return 0;
}

int lksync_request_threaded_irq(unsigned int irq, irq_handler_t handler,
				irq_handler_t thread_fn, unsigned long flags,
				const char *name, void *dev_id)
{
	(void)irq; (void)handler; (void)thread_fn; (void)flags; (void)name; (void)dev_id;
	return -ENOSYS;
}

const void *lksync_free_irq(unsigned int irq, void *dev_id)
{
	(void)irq; (void)dev_id;
	return NULL;
}

void lksync_disable_irq_nosync(unsigned int irq) { (void)irq; }
void lksync_disable_irq(unsigned int irq) { (void)irq; }
void lksync_enable_irq(unsigned int irq) { (void)irq; }
bool lksync_synchronize_hardirq(unsigned int irq) { (void)irq; return true; }
void lksync_synchronize_irq(unsigned int irq) { (void)irq; }
