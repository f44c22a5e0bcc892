// SPDX-License-Identifier: MIT
/* Reader-writer spinlock types: read_lock/write_lock and their _irq forms. */
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
	.desc = "read_lock_irq/write_lock_irq",
	.init = rw_init,
	.writelock = rw_irq_w_lock,
	.writeunlock = rw_irq_w_unlock,
	.readlock = rw_irq_r_lock,
	.readunlock = rw_irq_r_unlock,
	.write_ctx = TORTURE_CTX_PREEMPT | TORTURE_CTX_IRQ,
	.read_ctx = TORTURE_CTX_PREEMPT | TORTURE_CTX_IRQ,
};
