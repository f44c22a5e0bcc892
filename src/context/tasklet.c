// SPDX-License-Identifier: MIT
/*
 * Layer: context. Tasklets on TASKLET_SOFTIRQ and HI_SOFTIRQ.
 * (Stubs: being written; the declarations are final.)
 */
#include <lksync/interrupt.h>

void lksync_tasklet_schedule(struct tasklet_struct *t, unsigned int nr) { (void)t; (void)nr; }
void lksync_tasklet_unlock(struct tasklet_struct *t)
{
	clear_bit_unlock(TASKLET_STATE_RUN, &t->state);
}
void lksync_tasklet_unlock_wait(struct tasklet_struct *t) { (void)t; }
void lksync_tasklet_unlock_spin_wait(struct tasklet_struct *t) { (void)t; }
void lksync_tasklet_kill(struct tasklet_struct *t) { (void)t; }
void lksync_tasklet_enable(struct tasklet_struct *t)
{
	smp_mb__before_atomic();
	atomic_dec(&t->count);
}
void lksync_tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data)
{
	t->next = NULL;
	t->state = 0;
	atomic_set(&t->count, 0);
	t->func = func;
	t->use_callback = false;
	t->data = data;
}
void lksync_tasklet_setup(struct tasklet_struct *t, void (*callback)(struct tasklet_struct *))
{
	t->next = NULL;
	t->state = 0;
	atomic_set(&t->count, 0);
	t->callback = callback;
	t->use_callback = true;
	t->data = 0;
}
