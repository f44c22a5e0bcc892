/* SPDX-License-Identifier: MIT */
/*
 * Layer: tools. The lock-torture driver's view of a lock type: a tiny ops
 * table, like the kernel's locktorture. The driver (torture.c) is generic;
 * each lock type is one `const struct torture_ops NAME_ops` defined in an
 * ops_*.c file and listed once in lock_types.h.
 */
#ifndef LKSYNC_TORTURE_H
#define LKSYNC_TORTURE_H

#define TORTURE_MAX_CHANNELS	256	/* ping-pong threads */

/* What must hold while the lock is held (checked after every acquisition). */
#define TORTURE_CTX_PREEMPT	0x1u	/* in_atomic(): preemption disabled */
#define TORTURE_CTX_IRQ		0x2u	/* irqs_disabled() */
#define TORTURE_CTX_BH		0x4u	/* in_softirq(): bottom halves disabled */

/* torture_ops.flags */
#define TORTURE_SEQREAD		0x1u	/* readers do not exclude writers; they retry */
#define TORTURE_EXPLICIT	0x2u	/* not part of --types all (broken lock, peers) */
#define TORTURE_SLEEPS		0x4u	/* holders may sleep (mutex, semaphore, ...) */
#define TORTURE_COUNTING	0x8u	/* up to max_inside writers at once (semaphore) */
#define TORTURE_PINGPONG	0x10u	/* a wake-up primitive: pairs of threads take turns */
#define TORTURE_IRQ_BH		0x20u	/* --irqs: the handler's tasklet takes the lock */
#define TORTURE_IRQ_FORCE	0x40u	/* always inject interrupts (a broken irq pairing) */

struct torture_ops {
	const char *name;
	const char *desc;
	void (*init)(void);			/* (re)initialize the one lock */
	void (*writelock)(unsigned long *flags);
	void (*writeunlock)(unsigned long *flags);
	/*
	 * NULL for exclusive-only locks. readlock returns a cookie handed to
	 * readunlock (the sequence number for a seqlock); readunlock returns
	 * nonzero when a TORTURE_SEQREAD reader must discard what it read.
	 */
	unsigned long (*readlock)(unsigned long *flags);
	int (*readunlock)(unsigned long cookie, unsigned long *flags);
	/*
	 * Interruptible acquisitions, used half the time under --signals:
	 * 0 when acquired, else the error the kernel returns (intr_err) for
	 * a sleep ended by a signal, without the lock. NULL when none.
	 */
	int (*writelock_intr)(unsigned long *flags);
	int (*readlock_intr)(unsigned long *flags);
	int intr_err;				/* -EINTR or -ERESTARTSYS */
	/* After the run, with every thread gone: NULL if the lock is whole. */
	const char *(*idle)(void);
	unsigned int max_inside;		/* TORTURE_COUNTING: the count */
	/*
	 * TORTURE_PINGPONG: channel i belongs to thread i. pp_wait() sleeps
	 * until the channel is signalled and consumes the signal (interruptibly
	 * if @intr: then 0 or intr_err); pp_signal() signals it.
	 */
	void (*pp_init)(int nr_channels);
	int (*pp_wait)(int ch, int intr);
	void (*pp_signal)(int ch);
	/*
	 * The lock's interrupt side under --irqs, paired as the kernel pairs
	 * them. Every thread owns an interrupt line; its hardirq handler (or,
	 * with TORTURE_IRQ_BH, a tasklet the handler schedules) is a writer
	 * with irq_writelock (spin_lock() against spin_lock_irq() holders) or
	 * a reader with irq_readlock (read_lock(), or read_seqbegin() with
	 * TORTURE_SEQREAD, whose irq_readunlock returns nonzero to retry).
	 * Both NULL: the handler only counts, and only interrupts the holders.
	 */
	void (*irq_writelock)(void);
	void (*irq_writeunlock)(void);
	unsigned long (*irq_readlock)(void);
	int (*irq_readunlock)(unsigned long cookie);
	unsigned int write_ctx;			/* TORTURE_CTX_* while write-held */
	unsigned int read_ctx;			/* TORTURE_CTX_* while read-held */
	unsigned int flags;			/* TORTURE_* */
};

#define TORTURE_TYPE(name) extern const struct torture_ops name##_ops;
#include "lock_types.h"
#undef TORTURE_TYPE

#endif /* LKSYNC_TORTURE_H */
