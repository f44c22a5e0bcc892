// SPDX-License-Identifier: MIT
/*
 * Reader-writer spinlock types: read_lock/write_lock and their _irq and _bh
 * forms. Under --irqs, as the kernel pairs them:
 *
 *   rw_lock_irq     hardirq handlers read_lock() (interrupts already off);
 *   rw_lock_irq_rd  the classic pattern: readers everywhere, hardirq handlers
 *                   included, take plain read_lock(); only writers disable
 *                   interrupts. A handler that lands on a task holding the
 *                   read lock while a writer waits must still get in (the
 *                   queued rwlock lets interrupt-context readers pass a
 *                   waiting writer), or the three deadlock;
 *   rw_lock_bh      a tasklet takes write_lock() against _bh holders.
 *
 * rw_lock_bh is not in --types all: a reader with bottom halves disabled is
 * in_interrupt(), so, as in the kernel's queued rwlock, it passes a waiting
 * writer; with readers always inside, writers starve for seconds (a stall)
 * even without interrupts. Named explicitly it runs as the others.
 */
#include <lksync/rwlock.h>
#include <lksync/spinlock.h>

#include "torture.h"

static DEFINE_RWLOCK(torture_rwlock);

static void rw_init(void) { rwlock_init(&torture_rwlock); }

static void rw_w_lock(unsigned long *flags) { write_lock(&torture_rwlock); }
static void rw_w_unlock(unsigned long *flags) { write_unlock(&torture_rwlock); }
static unsigned long rw_r_lock(unsigned long *flags)
{
	read_lock(&torture_rwlock);
	return 0;
}
static int rw_r_unlock(unsigned long cookie, unsigned long *flags)
{
	read_unlock(&torture_rwlock);
	return 0;
}

static void rw_irq_w_lock(unsigned long *flags) { write_lock_irq(&torture_rwlock); }
static void rw_irq_w_unlock(unsigned long *flags) { write_unlock_irq(&torture_rwlock); }
static unsigned long rw_irq_r_lock(unsigned long *flags)
{
	read_lock_irq(&torture_rwlock);
	return 0;
}
static int rw_irq_r_unlock(unsigned long cookie, unsigned long *flags)
{
	read_unlock_irq(&torture_rwlock);
	return 0;
}

static void rw_bh_w_lock(unsigned long *flags) { write_lock_bh(&torture_rwlock); }
static void rw_bh_w_unlock(unsigned long *flags) { write_unlock_bh(&torture_rwlock); }
static unsigned long rw_bh_r_lock(unsigned long *flags)
{
	read_lock_bh(&torture_rwlock);
	return 0;
}
static int rw_bh_r_unlock(unsigned long cookie, unsigned long *flags)
{
	read_unlock_bh(&torture_rwlock);
	return 0;
}

/* The interrupt side (hardirq handler or tasklet): the plain forms. */
static unsigned long rw_ctx_r_lock(void)
{
	read_lock(&torture_rwlock);
	return 0;
}
static int rw_ctx_r_unlock(unsigned long cookie)
{
	read_unlock(&torture_rwlock);
	return 0;
}
static void rw_ctx_w_lock(void) { write_lock(&torture_rwlock); }
static void rw_ctx_w_unlock(void) { write_unlock(&torture_rwlock); }

const struct torture_ops rw_lock_ops = {
	.name = "rw_lock",
	.desc = "read_lock/write_lock",
	.init = rw_init,
	.writelock = rw_w_lock,
	.writeunlock = rw_w_unlock,
	.readlock = rw_r_lock,
	.readunlock = rw_r_unlock,
	.write_ctx = TORTURE_CTX_PREEMPT,
	.read_ctx = TORTURE_CTX_PREEMPT,
};

const struct torture_ops rw_lock_irq_ops = {
	.name = "rw_lock_irq",
	.desc = "read_lock_irq/write_lock_irq; hardirq: read_lock",
	.init = rw_init,
	.writelock = rw_irq_w_lock,
	.writeunlock = rw_irq_w_unlock,
	.readlock = rw_irq_r_lock,
	.readunlock = rw_irq_r_unlock,
	.irq_readlock = rw_ctx_r_lock,
	.irq_readunlock = rw_ctx_r_unlock,
	.write_ctx = TORTURE_CTX_PREEMPT | TORTURE_CTX_IRQ,
	.read_ctx = TORTURE_CTX_PREEMPT | TORTURE_CTX_IRQ,
};

const struct torture_ops rw_lock_irq_rd_ops = {
	.name = "rw_lock_irq_rd",
	.desc = "read_lock (tasks and hardirq)/write_lock_irq",
	.init = rw_init,
	.writelock = rw_irq_w_lock,
	.writeunlock = rw_irq_w_unlock,
	.readlock = rw_r_lock,
	.readunlock = rw_r_unlock,
	.irq_readlock = rw_ctx_r_lock,
	.irq_readunlock = rw_ctx_r_unlock,
	.write_ctx = TORTURE_CTX_PREEMPT | TORTURE_CTX_IRQ,
	.read_ctx = TORTURE_CTX_PREEMPT,
};

const struct torture_ops rw_lock_bh_ops = {
	.name = "rw_lock_bh",
	.desc = "read_lock_bh/write_lock_bh; tasklet: write_lock; readers starve writers",
	.init = rw_init,
	.writelock = rw_bh_w_lock,
	.writeunlock = rw_bh_w_unlock,
	.readlock = rw_bh_r_lock,
	.readunlock = rw_bh_r_unlock,
	.irq_writelock = rw_ctx_w_lock,
	.irq_writeunlock = rw_ctx_w_unlock,
	.write_ctx = TORTURE_CTX_PREEMPT | TORTURE_CTX_BH,
	.read_ctx = TORTURE_CTX_PREEMPT | TORTURE_CTX_BH,
	.flags = TORTURE_IRQ_BH | TORTURE_EXPLICIT,
};
