/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. Reader-writer spinlocks, as linux/rwlock.h (and the parts
 * of linux/rwlock_api_smp.h that give it its preemption, interrupt and
 * bottom-half behavior). Includes sched-layer headers, rwlock_types.h and
 * qrwlock.h.
 *
 * Many readers or one writer. Fair in process context: a reader that
 * arrives while a writer waits queues behind the writer. Readers in
 * interrupt context (in_interrupt(), which includes bottom halves disabled)
 * wait only for an active writer, so read_lock() in an interrupt handler
 * never deadlocks against a writer queued behind the interrupted reader.
 * Not upgradable: a reader that calls write_lock() deadlocks. Process-context
 * read_lock() recursion deadlocks if a writer queues in between.
 *
 * Like spin_lock(), every lock operation disables preemption; the _irq,
 * _irqsave and _bh forms also disable local interrupts / bottom halves.
 */
#ifndef LKSYNC_RWLOCK_H
#define LKSYNC_RWLOCK_H

#include <lksync/cleanup.h>
#include <lksync/compiler.h>
#include <lksync/preempt.h>
#include <lksync/irqflags.h>
#include <lksync/bottom_half.h>
#include <lksync/rwlock_types.h>
#include <lksync/qrwlock.h>

/**
 * rwlock_init - runtime initializer for a rwlock_t
 * Context: any; not concurrently with users of the lock.
 */
#define rwlock_init(lock)	do { *(lock) = __RW_LOCK_UNLOCKED(lock); } while (0)

#define do_raw_read_lock(l)	arch_read_lock(&(l)->raw_lock)
#define do_raw_read_trylock(l)	arch_read_trylock(&(l)->raw_lock)
#define do_raw_read_unlock(l)	arch_read_unlock(&(l)->raw_lock)
#define do_raw_write_lock(l)	arch_write_lock(&(l)->raw_lock)
#define do_raw_write_trylock(l)	arch_write_trylock(&(l)->raw_lock)
#define do_raw_write_unlock(l)	arch_write_unlock(&(l)->raw_lock)

/*
 * One builder for every variant of @op (read or write), as the kernel's
 * BUILD_LOCK_OPS: the variants differ only in what they disable first and
 * re-enable last. Unlock order is the reverse of lock order, and the _bh
 * unlock drops the preemption count before local_bh_enable() runs pending
 * softirqs (the kernel's single SOFTIRQ_LOCK_OFFSET subtraction).
 */
#define __LKSYNC_BUILD_RWLOCK_OPS(op)						\
static __always_inline void op##_lock(rwlock_t *lock)				\
{										\
	preempt_disable();							\
	do_raw_##op##_lock(lock);						\
}										\
static __always_inline void op##_lock_irq(rwlock_t *lock)			\
{										\
	local_irq_disable();							\
	preempt_disable();							\
	do_raw_##op##_lock(lock);						\
}										\
static __always_inline unsigned long __##op##_lock_irqsave(rwlock_t *lock)	\
{										\
	unsigned long flags;							\
										\
	local_irq_save(flags);							\
	preempt_disable();							\
	do_raw_##op##_lock(lock);						\
	return flags;								\
}										\
static __always_inline void op##_lock_bh(rwlock_t *lock)			\
{										\
	local_bh_disable();							\
	preempt_disable();							\
	do_raw_##op##_lock(lock);						\
}										\
static __always_inline int op##_trylock(rwlock_t *lock)			\
{										\
	preempt_disable();							\
	if (do_raw_##op##_trylock(lock))					\
		return 1;							\
	preempt_enable();							\
	return 0;								\
}										\
static __always_inline void op##_unlock(rwlock_t *lock)			\
{										\
	do_raw_##op##_unlock(lock);						\
	preempt_enable();							\
}										\
static __always_inline void op##_unlock_irq(rwlock_t *lock)			\
{										\
	do_raw_##op##_unlock(lock);						\
	local_irq_enable();							\
	preempt_enable();							\
}										\
static __always_inline void							\
op##_unlock_irqrestore(rwlock_t *lock, unsigned long flags)			\
{										\
	do_raw_##op##_unlock(lock);						\
	local_irq_restore(flags);						\
	preempt_enable();							\
}										\
static __always_inline void op##_unlock_bh(rwlock_t *lock)			\
{										\
	do_raw_##op##_unlock(lock);						\
	preempt_enable_no_resched();						\
	local_bh_enable();							\
}

/**
 * read_lock - take @lock for reading; read_unlock() drops it.
 * read_lock_irq / read_unlock_irq - also disable / enable local interrupts.
 * read_lock_bh / read_unlock_bh - also disable / enable bottom halves.
 * read_trylock - read_lock() if no writer holds or waits for the lock.
 *
 * Context: any; see the top of this file for interrupt-context readers.
 * Return (read_trylock): 1 if the lock was taken, 0 otherwise.
 */
__LKSYNC_BUILD_RWLOCK_OPS(read)
/**
 * write_lock - take @lock for writing, excluding readers and writers;
 * write_unlock() drops it. _irq, _bh: as for read_lock().
 * write_trylock - write_lock() if the lock is entirely free.
 *
 * Context: any, but a lock also taken for reading in interrupt context must
 * be write-locked with interrupts disabled (_irq/_irqsave).
 * Return (write_trylock): 1 if the lock was taken, 0 otherwise.
 */
__LKSYNC_BUILD_RWLOCK_OPS(write)

/**
 * read_lock_irqsave - read_lock() after saving and disabling local
 * interrupts into @flags; read_unlock_irqrestore() restores them.
 * Context: any.
 */
#define read_lock_irqsave(lock, flags)						\
	do { (flags) = __read_lock_irqsave(lock); } while (0)
/**
 * write_lock_irqsave - write_lock() after saving and disabling local
 * interrupts into @flags; write_unlock_irqrestore() restores them.
 * Context: any.
 */
#define write_lock_irqsave(lock, flags)						\
	do { (flags) = __write_lock_irqsave(lock); } while (0)

/**
 * write_trylock_irqsave - save and disable local interrupts into @flags,
 * then write_trylock(); on failure restore them.
 * Context: any. Return: 1 if the lock was taken (interrupts stay disabled),
 * 0 otherwise (interrupts restored).
 */
#define write_trylock_irqsave(lock, flags) ({					\
	local_irq_save(flags);							\
	write_trylock(lock) ? 1 : ({ local_irq_restore(flags); 0; });		\
})

/* write_lock_nested - write_lock() with a lockdep subclass. Context: as write_lock(). */
#define write_lock_nested(lock, subclass)	((void)(subclass), write_lock(lock))

/**
 * rwlock_is_contended - is a task waiting for @lock?
 * Context: any. Return: nonzero if so (a holder may then break out early).
 */
#define rwlock_is_contended(lock)	arch_rwlock_is_contended(&(lock)->raw_lock)

/* rwlock_needbreak - should a holder of @lock drop it for a waiter? Return: nonzero if so. */
#define rwlock_needbreak(lock)		rwlock_is_contended(lock)

/* Scoped guards (<lksync/cleanup.h>): guard(read_lock)(&l), guard(write_lock_irqsave)(&l), ... */
DEFINE_LOCK_GUARD_1(read_lock, rwlock_t, read_lock(_T->lock), read_unlock(_T->lock))
DEFINE_LOCK_GUARD_1(read_lock_irq, rwlock_t, read_lock_irq(_T->lock), read_unlock_irq(_T->lock))
DEFINE_LOCK_GUARD_1(read_lock_irqsave, rwlock_t, read_lock_irqsave(_T->lock, _T->flags),
		    read_unlock_irqrestore(_T->lock, _T->flags), unsigned long flags)
DEFINE_LOCK_GUARD_1(read_lock_bh, rwlock_t, read_lock_bh(_T->lock), read_unlock_bh(_T->lock))
DEFINE_LOCK_GUARD_1(write_lock, rwlock_t, write_lock(_T->lock), write_unlock(_T->lock))
DEFINE_LOCK_GUARD_1(write_lock_irq, rwlock_t, write_lock_irq(_T->lock), write_unlock_irq(_T->lock))
DEFINE_LOCK_GUARD_1(write_lock_irqsave, rwlock_t, write_lock_irqsave(_T->lock, _T->flags),
		    write_unlock_irqrestore(_T->lock, _T->flags), unsigned long flags)
DEFINE_LOCK_GUARD_1(write_lock_bh, rwlock_t, write_lock_bh(_T->lock), write_unlock_bh(_T->lock))

#endif /* LKSYNC_RWLOCK_H */
