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
 * Context: any; not concurrently with users of the lock. In the debug flavor
 * every lock initialized at this place is one lockdep class.
 */
#ifndef LKSYNC_DEBUG
#define rwlock_init(lock)	do { *(lock) = __RW_LOCK_UNLOCKED(lock); } while (0)

#define do_raw_read_lock(l)	arch_read_lock(&(l)->raw_lock)
#define do_raw_read_trylock(l)	arch_read_trylock(&(l)->raw_lock)
#define do_raw_read_unlock(l)	arch_read_unlock(&(l)->raw_lock)
#define do_raw_write_lock(l)	arch_write_lock(&(l)->raw_lock)
#define do_raw_write_trylock(l)	arch_write_trylock(&(l)->raw_lock)
#define do_raw_write_unlock(l)	arch_write_unlock(&(l)->raw_lock)
#define __do_raw_read_lock_try(l)	do_raw_read_trylock(l)
#define __do_raw_write_lock_try(l)	do_raw_write_trylock(l)
#else
LKSYNC_API void lksync_rwlock_init(rwlock_t *lock, const char *name,
				   struct lock_class_key *key);
#define __rwlock_init(lock, name, key)	lksync_rwlock_init(lock, name, key)
#define rwlock_init(lock)							\
do {										\
	static struct lock_class_key __key;					\
										\
	__rwlock_init((lock), #lock, &__key);					\
} while (0)

/* DEBUG_SPINLOCK's rwlock checks (src/debug/spinlock_debug.c). */
LKSYNC_API void lksync_do_raw_read_lock(rwlock_t *lock);
LKSYNC_API int lksync_do_raw_read_trylock(rwlock_t *lock);
LKSYNC_API int lksync_do_raw_read_lock_try(rwlock_t *lock);
LKSYNC_API void lksync_do_raw_read_unlock(rwlock_t *lock);
LKSYNC_API void lksync_do_raw_write_lock(rwlock_t *lock);
LKSYNC_API int lksync_do_raw_write_trylock(rwlock_t *lock);
LKSYNC_API int lksync_do_raw_write_lock_try(rwlock_t *lock);
LKSYNC_API void lksync_do_raw_write_unlock(rwlock_t *lock);
#define do_raw_read_lock(l)		lksync_do_raw_read_lock(l)
#define do_raw_read_trylock(l)		lksync_do_raw_read_trylock(l)
#define do_raw_read_unlock(l)		lksync_do_raw_read_unlock(l)
#define do_raw_write_lock(l)		lksync_do_raw_write_lock(l)
#define do_raw_write_trylock(l)		lksync_do_raw_write_trylock(l)
#define do_raw_write_unlock(l)		lksync_do_raw_write_unlock(l)
#define __do_raw_read_lock_try(l)	lksync_do_raw_read_lock_try(l)
#define __do_raw_write_lock_try(l)	lksync_do_raw_write_lock_try(l)
#endif

/* Context prologues and epilogues, @f: unsigned long * (_irqsave only). */
#define __LKSYNC_RW_ENTER_(f)		preempt_disable()
#define __LKSYNC_RW_EXIT_(f)		preempt_enable()
#define __LKSYNC_RW_ENTER__irq(f)	do { local_irq_disable(); preempt_disable(); } while (0)
#define __LKSYNC_RW_EXIT__irq(f)	do { local_irq_enable(); preempt_enable(); } while (0)
#define __LKSYNC_RW_ENTER__irqsave(f)	do { local_irq_save(*(f)); preempt_disable(); } while (0)
#define __LKSYNC_RW_EXIT__irqsave(f)	do { local_irq_restore(*(f)); preempt_enable(); } while (0)
#define __LKSYNC_RW_ENTER__bh(f)	do { local_bh_disable(); preempt_disable(); } while (0)
#define __LKSYNC_RW_EXIT__bh(f)	do { preempt_enable_no_resched(); local_bh_enable(); } while (0)

/* lockdep's view: the read side as rwlock_acquire_read() decides, the write side exclusive. */
#define __lksync_rw_acquire_read(map, sub, try, ip)	rwlock_acquire_read(map, sub, try, ip)
#define __lksync_rw_acquire_write(map, sub, try, ip)	rwlock_acquire(map, sub, try, ip)

/*
 * One builder for every variant of @op (read or write), as the kernel's
 * BUILD_LOCK_OPS: the variants differ only in what they disable first and
 * re-enable last. Unlock order is the reverse of lock order, and the _bh
 * unlock drops the preemption count before local_bh_enable() runs pending
 * softirqs (the kernel's single SOFTIRQ_LOCK_OFFSET subtraction). Lockdep's
 * hooks sit where the kernel's do (see spinlock.h); the release flavor
 * compiles them away and inlines everything, the debug flavor defines the
 * functions out of line (src/locking/spinlock.c).
 */
#define __LKSYNC_BUILD_RWLOCK_OPS(qual, pfx, op, sfx)				\
qual void pfx##op##_lock##sfx(rwlock_t *lock, unsigned long *flags __maybe_unused,	\
			      unsigned int subclass __maybe_unused)		\
{										\
	__LKSYNC_RW_ENTER_##sfx(flags);						\
	__lksync_rw_acquire_##op(&lock->dep_map, subclass, 0, _RET_IP_);	\
	LOCK_CONTENDED(lock, __do_raw_##op##_lock_try, do_raw_##op##_lock);	\
}										\
qual int pfx##op##_trylock##sfx(rwlock_t *lock, unsigned long *flags __maybe_unused) \
{										\
	__LKSYNC_RW_ENTER_##sfx(flags);						\
	if (do_raw_##op##_trylock(lock)) {					\
		__lksync_rw_acquire_##op(&lock->dep_map, 0, 1, _RET_IP_);	\
		return 1;							\
	}									\
	__LKSYNC_RW_EXIT_##sfx(flags);						\
	return 0;								\
}										\
qual void pfx##op##_unlock##sfx(rwlock_t *lock, unsigned long *flags __maybe_unused) \
{										\
	rwlock_release(&lock->dep_map, _RET_IP_);				\
	do_raw_##op##_unlock(lock);						\
	__LKSYNC_RW_EXIT_##sfx(flags);						\
}

#ifndef LKSYNC_DEBUG
#define __LKSYNC_RWLOCK_OPS(op, sfx)						\
	__LKSYNC_BUILD_RWLOCK_OPS(static __always_inline, __lksync_, op, sfx)
#else
#define __LKSYNC_RWLOCK_OPS(op, sfx)						\
LKSYNC_API void lksync_##op##_lock##sfx(rwlock_t *lock, unsigned long *flags,	\
					unsigned int subclass);			\
LKSYNC_API int lksync_##op##_trylock##sfx(rwlock_t *lock, unsigned long *flags); \
LKSYNC_API void lksync_##op##_unlock##sfx(rwlock_t *lock, unsigned long *flags); \
static __always_inline void __lksync_##op##_lock##sfx(rwlock_t *lock, unsigned long *flags, \
						      unsigned int subclass)	\
{										\
	lksync_##op##_lock##sfx(lock, flags, subclass);				\
}										\
static __always_inline int __lksync_##op##_trylock##sfx(rwlock_t *lock, unsigned long *flags) \
{										\
	return lksync_##op##_trylock##sfx(lock, flags);				\
}										\
static __always_inline void __lksync_##op##_unlock##sfx(rwlock_t *lock, unsigned long *flags) \
{										\
	lksync_##op##_unlock##sfx(lock, flags);					\
}
#endif

#define __LKSYNC_RWLOCK_API(op)							\
__LKSYNC_RWLOCK_OPS(op, )							\
__LKSYNC_RWLOCK_OPS(op, _irq)							\
__LKSYNC_RWLOCK_OPS(op, _irqsave)						\
__LKSYNC_RWLOCK_OPS(op, _bh)							\
static __always_inline void op##_lock(rwlock_t *lock)				\
{										\
	__lksync_##op##_lock(lock, NULL, 0);					\
}										\
static __always_inline void op##_lock_irq(rwlock_t *lock)			\
{										\
	__lksync_##op##_lock_irq(lock, NULL, 0);				\
}										\
static __always_inline unsigned long __##op##_lock_irqsave(rwlock_t *lock)	\
{										\
	unsigned long flags;							\
										\
	__lksync_##op##_lock_irqsave(lock, &flags, 0);				\
	return flags;								\
}										\
static __always_inline void op##_lock_bh(rwlock_t *lock)			\
{										\
	__lksync_##op##_lock_bh(lock, NULL, 0);					\
}										\
static __always_inline int op##_trylock(rwlock_t *lock)			\
{										\
	return __lksync_##op##_trylock(lock, NULL);				\
}										\
static __always_inline void op##_unlock(rwlock_t *lock)			\
{										\
	__lksync_##op##_unlock(lock, NULL);					\
}										\
static __always_inline void op##_unlock_irq(rwlock_t *lock)			\
{										\
	__lksync_##op##_unlock_irq(lock, NULL);					\
}										\
static __always_inline void							\
op##_unlock_irqrestore(rwlock_t *lock, unsigned long flags)			\
{										\
	__lksync_##op##_unlock_irqsave(lock, &flags);				\
}										\
static __always_inline void op##_unlock_bh(rwlock_t *lock)			\
{										\
	__lksync_##op##_unlock_bh(lock, NULL);					\
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
__LKSYNC_RWLOCK_API(read)
/**
 * write_lock - take @lock for writing, excluding readers and writers;
 * write_unlock() drops it. _irq, _bh: as for read_lock().
 * write_trylock - write_lock() if the lock is entirely free.
 *
 * Context: any, but a lock also taken for reading in interrupt context must
 * be write-locked with interrupts disabled (_irq/_irqsave).
 * Return (write_trylock): 1 if the lock was taken, 0 otherwise.
 */
__LKSYNC_RWLOCK_API(write)

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

/*
 * write_lock_nested - write_lock() as lockdep subclass @subclass (ignored in
 * the release flavor). Context: as write_lock().
 */
#define write_lock_nested(lock, subclass)	__lksync_write_lock(lock, NULL, subclass)

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
