// SPDX-License-Identifier: MIT
/*
 * Spinlock types: spin_lock and its _irq, _irqsave, _bh forms; raw_spin_lock.
 * Under --irqs the interrupt side takes the lock with plain spin_lock(): the
 * hardirq handler against _irq/_irqsave holders, a tasklet against _bh
 * holders, as the kernel pairs them. spin_lock_irq_busted pairs it wrongly.
 */
#include <lksync/spinlock.h>

#include "torture.h"

static DEFINE_SPINLOCK(torture_spinlock);
static DEFINE_RAW_SPINLOCK(torture_raw_spinlock);

static void spin_init(void) { spin_lock_init(&torture_spinlock); }
static void raw_spin_init(void) { raw_spin_lock_init(&torture_raw_spinlock); }

static void spin_w_lock(unsigned long *flags) { spin_lock(&torture_spinlock); }
static void spin_w_unlock(unsigned long *flags) { spin_unlock(&torture_spinlock); }
static void spin_irq_lock(unsigned long *flags) { spin_lock_irq(&torture_spinlock); }
static void spin_irq_unlock(unsigned long *flags) { spin_unlock_irq(&torture_spinlock); }
static void spin_irqsave_lock(unsigned long *flags) { spin_lock_irqsave(&torture_spinlock, *flags); }
static void spin_irqsave_unlock(unsigned long *flags) { spin_unlock_irqrestore(&torture_spinlock, *flags); }
static void spin_bh_lock(unsigned long *flags) { spin_lock_bh(&torture_spinlock); }
static void spin_bh_unlock(unsigned long *flags) { spin_unlock_bh(&torture_spinlock); }
static void raw_spin_w_lock(unsigned long *flags) { raw_spin_lock(&torture_raw_spinlock); }
static void raw_spin_w_unlock(unsigned long *flags) { raw_spin_unlock(&torture_raw_spinlock); }

/* The interrupt side: in a hardirq handler or a tasklet, plain spin_lock(). */
static void spin_ctx_lock(void) { spin_lock(&torture_spinlock); }
static void spin_ctx_unlock(void) { spin_unlock(&torture_spinlock); }

#define SPIN_OPS(tname, init_fn, lock_fn, unlock_fn, ctx, text, ...)	\
	const struct torture_ops tname##_ops = {				\
		.name = #tname, .desc = text, .init = init_fn,			\
		.writelock = lock_fn, .writeunlock = unlock_fn,			\
		.write_ctx = TORTURE_CTX_PREEMPT | (ctx),			\
		__VA_ARGS__							\
	}
#define IRQ_WRITER	.irq_writelock = spin_ctx_lock, .irq_writeunlock = spin_ctx_unlock

SPIN_OPS(spin_lock, spin_init, spin_w_lock, spin_w_unlock, 0,
	 "spin_lock/spin_unlock");
SPIN_OPS(spin_lock_irq, spin_init, spin_irq_lock, spin_irq_unlock, TORTURE_CTX_IRQ,
	 "spin_lock_irq/spin_unlock_irq; hardirq: spin_lock", IRQ_WRITER);
SPIN_OPS(spin_lock_irqsave, spin_init, spin_irqsave_lock, spin_irqsave_unlock, TORTURE_CTX_IRQ,
	 "spin_lock_irqsave/spin_unlock_irqrestore; hardirq: spin_lock", IRQ_WRITER);
SPIN_OPS(spin_lock_bh, spin_init, spin_bh_lock, spin_bh_unlock, TORTURE_CTX_BH,
	 "spin_lock_bh/spin_unlock_bh; tasklet: spin_lock", IRQ_WRITER,
	 .flags = TORTURE_IRQ_BH);
SPIN_OPS(raw_spin_lock, raw_spin_init, raw_spin_w_lock, raw_spin_w_unlock, 0,
	 "raw_spin_lock/raw_spin_unlock");
/*
 * The seeds' warning: tasks take the lock with plain spin_lock() while the
 * interrupt handler takes it too. An interrupt that lands on the holder spins
 * on a lock its own task holds and cannot release: a deadlock, which the
 * stall detector must report (interrupts are injected even without --irqs).
 */
SPIN_OPS(spin_lock_irq_busted, spin_init, spin_w_lock, spin_w_unlock, 0,
	 "BROKEN: tasks spin_lock, hardirq spin_lock; must deadlock", IRQ_WRITER,
	 .flags = TORTURE_EXPLICIT | TORTURE_IRQ_FORCE);
