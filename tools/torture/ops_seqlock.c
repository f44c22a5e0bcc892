// SPDX-License-Identifier: MIT
/*
 * seqlock: writers take write_seqlock() and rewrite the whole payload;
 * readers never block writers, they read between read_seqbegin() and
 * read_seqretry() and must never accept a torn payload.
 *
 * seqlock_irq: writers take write_seqlock_irqsave(), so hardirq handlers may
 * read too (under --irqs they do). With the plain write_seqlock() a handler
 * that reads would spin forever on the count of the writer it interrupted,
 * so under --irqs the plain type's handlers only count.
 */
#include <lksync/seqlock.h>

#include "torture.h"

static DEFINE_SEQLOCK(torture_seqlock);

static void seq_init(void) { seqlock_init(&torture_seqlock); }
static void seq_w_lock(unsigned long *flags) { write_seqlock(&torture_seqlock); }
static void seq_w_unlock(unsigned long *flags) { write_sequnlock(&torture_seqlock); }
static void seq_irq_w_lock(unsigned long *flags) { write_seqlock_irqsave(&torture_seqlock, *flags); }
static void seq_irq_w_unlock(unsigned long *flags) { write_sequnlock_irqrestore(&torture_seqlock, *flags); }
static unsigned long seq_r_begin(unsigned long *flags) { return read_seqbegin(&torture_seqlock); }
static int seq_r_retry(unsigned long seq, unsigned long *flags)
{
	return read_seqretry(&torture_seqlock, (unsigned int)seq);
}
static unsigned long seq_ctx_begin(void) { return read_seqbegin(&torture_seqlock); }
static int seq_ctx_retry(unsigned long seq)
{
	return read_seqretry(&torture_seqlock, (unsigned int)seq);
}

const struct torture_ops seqlock_ops = {
	.name = "seqlock",
	.desc = "write_seqlock / read_seqbegin+read_seqretry",
	.init = seq_init,
	.writelock = seq_w_lock,
	.writeunlock = seq_w_unlock,
	.readlock = seq_r_begin,
	.readunlock = seq_r_retry,
	.write_ctx = TORTURE_CTX_PREEMPT,
	.flags = TORTURE_SEQREAD,
};

const struct torture_ops seqlock_irq_ops = {
	.name = "seqlock_irq",
	.desc = "write_seqlock_irqsave / read_seqbegin+read_seqretry; hardirq: read",
	.init = seq_init,
	.writelock = seq_irq_w_lock,
	.writeunlock = seq_irq_w_unlock,
	.readlock = seq_r_begin,
	.readunlock = seq_r_retry,
	.irq_readlock = seq_ctx_begin,
	.irq_readunlock = seq_ctx_retry,
	.write_ctx = TORTURE_CTX_PREEMPT | TORTURE_CTX_IRQ,
	.flags = TORTURE_SEQREAD,
};
