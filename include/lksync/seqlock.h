/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. Sequence counters and sequential locks, as linux/seqlock.h.
 * Includes arch-layer headers, seqlock_types.h and spinlock.h.
 *
 * A reader samples the counter (waiting while it is odd), reads the data and
 * retries if the counter moved. Writers make it odd, write, make it even.
 *
 * Readers wait while a write is in progress; as writers can be descheduled
 * in userspace, the wait spins a bounded time and then yields the CPU.
 *
 * Ordering. The kernel's read side is smp_rmb()-based; here the opening load
 * is an ACQUIRE load instead: on x86-64 and in the compiler's model both are
 * a plain load with a compiler barrier (no fence instruction), on arm64 an
 * LDAR is cheaper than a DMB, and ThreadSanitizer, which ignores stand-alone
 * fences, sees the writer's RELEASE in write_seqcount_end() pair with it.
 * Protected data that readers load concurrently with writers should be
 * accessed with READ_ONCE()/WRITE_ONCE() (ThreadSanitizer treats plain
 * accesses racing with a writer as data races, as KCSAN would).
 */
#ifndef LKSYNC_SEQLOCK_H
#define LKSYNC_SEQLOCK_H

#include <lksync/compiler.h>
#include <lksync/barrier.h>
#include <lksync/processor.h>
#include <lksync/seqlock_types.h>
#include <lksync/spinlock.h>

#ifdef LKSYNC_DEBUG
#define SEQCOUNT_DEP_MAP_INIT_KEY(lockname, _key)				\
	, .dep_map = { .key = (void *)(_key), .name = #lockname }
#else
#define SEQCOUNT_DEP_MAP_INIT_KEY(lockname, _key)
#endif
#define SEQCOUNT_DEP_MAP_INIT(lockname)	SEQCOUNT_DEP_MAP_INIT_KEY(lockname, NULL)
/* SEQCNT_ZERO - static initializer for a seqcount_t (debug flavor: its own lockdep class). */
#define SEQCNT_ZERO(name)	{ .sequence = 0 SEQCOUNT_DEP_MAP_INIT(name) }
/* SEQCNT_LOCKNAME_ZERO - static initializers for the lock-associated forms. */
#define SEQCNT_SPINLOCK_ZERO(name, lock)	{ .seqcount = SEQCNT_ZERO(name.seqcount) }
#define SEQCNT_RAW_SPINLOCK_ZERO(name, lock)	{ .seqcount = SEQCNT_ZERO(name.seqcount) }
#define SEQCNT_RWLOCK_ZERO(name, lock)		{ .seqcount = SEQCNT_ZERO(name.seqcount) }
#define SEQCNT_MUTEX_ZERO(name, lock)		{ .seqcount = SEQCNT_ZERO(name.seqcount) }

/* The seqcount_t inside any seqcount type (the kernel's seqprop_ptr()). */
static __always_inline seqcount_t *__seqprop_seqcount(const seqcount_t *s)
{
	return (seqcount_t *)s;
}
#define __SEQPROP_LOCKNAME(lockname)						\
static __always_inline seqcount_t *						\
__seqprop_##lockname(const seqcount_##lockname##_t *s)			\
{										\
	return (seqcount_t *)&s->seqcount;					\
}
__SEQPROP_LOCKNAME(spinlock)
__SEQPROP_LOCKNAME(raw_spinlock)
__SEQPROP_LOCKNAME(rwlock)
__SEQPROP_LOCKNAME(mutex)

#define __seqprop_ptr(s) _Generic((s),						\
	seqcount_t *:				__seqprop_seqcount,		\
	const seqcount_t *:			__seqprop_seqcount,		\
	seqcount_spinlock_t *:			__seqprop_spinlock,		\
	const seqcount_spinlock_t *:		__seqprop_spinlock,		\
	seqcount_raw_spinlock_t *:		__seqprop_raw_spinlock,		\
	const seqcount_raw_spinlock_t *:	__seqprop_raw_spinlock,		\
	seqcount_rwlock_t *:			__seqprop_rwlock,		\
	const seqcount_rwlock_t *:		__seqprop_rwlock,		\
	seqcount_mutex_t *:			__seqprop_mutex,		\
	const seqcount_mutex_t *:		__seqprop_mutex)(s)

/* Writers of this form may be preempted: write_seqcount_begin() disables preemption. */
#define __seqprop_preemptible(s) _Generic((s),					\
	seqcount_mutex_t *:			1,				\
	const seqcount_mutex_t *:		1,				\
	default:				0)

/**
 * seqcount_init - runtime initializer for a seqcount_t (or any seqcount form)
 * Context: any; not concurrently with readers or writers. In the debug
 * flavor every seqcount initialized at this place is one lockdep class.
 */
#ifndef LKSYNC_DEBUG
#define seqcount_init(s)	WRITE_ONCE(__seqprop_ptr(s)->sequence, 0u)
#else
static inline void __seqcount_init(seqcount_t *s, const char *name, struct lock_class_key *key)
{
	/* Re-initializing a seqcount inside its write section is "held lock freed!". */
	debug_check_no_locks_freed((void *)s, sizeof(*s));
	lockdep_init_map(&s->dep_map, name, key, 0);
	WRITE_ONCE(s->sequence, 0u);
}
#define seqcount_init(s)							\
do {										\
	static struct lock_class_key __key;					\
										\
	__seqcount_init(__seqprop_ptr(s), #s, &__key);				\
} while (0)
#endif
/* seqcount_LOCKNAME_init - runtime initializers; @lock is the writers' lock. */
#define seqcount_spinlock_init(s, lock)		do { (void)(lock); seqcount_init(s); } while (0)
#define seqcount_raw_spinlock_init(s, lock)	do { (void)(lock); seqcount_init(s); } while (0)
#define seqcount_rwlock_init(s, lock)		do { (void)(lock); seqcount_init(s); } while (0)
#define seqcount_mutex_init(s, lock)		do { (void)(lock); seqcount_init(s); } while (0)

/* Out of line: wait for a write in progress to end (spin, then yield). */
LKSYNC_API unsigned lksync_read_seqcount_wait(const seqcount_t *s);

/*
 * Under ThreadSanitizer a reader's data accesses between read_seqcount_begin()
 * and read_seqcount_retry() are racy by design; they are hidden from TSan as
 * the kernel hides them from KCSAN (src/lib/tsan.c).
 */
LKSYNC_API void lksync_tsan_seq_begin(void);
LKSYNC_API void lksync_tsan_seq_end(void);
#ifdef LKSYNC_TSAN
#define __lksync_seq_reader_begin()	lksync_tsan_seq_begin()
#define __lksync_seq_reader_end()	lksync_tsan_seq_end()
#else
#define __lksync_seq_reader_begin()	do { } while (0)
#define __lksync_seq_reader_end()	do { } while (0)
#endif

static __always_inline unsigned __lksync_read_seqcount_begin(const seqcount_t *s)
{
	/* Relaxed (READ_ONCE): __read_seqcount_begin() leaves ordering to its caller. */
	unsigned seq = READ_ONCE(s->sequence);

	if (unlikely(seq & 1))
		seq = lksync_read_seqcount_wait(s);
	return seq;
}

static __always_inline unsigned __lksync_raw_read_seqcount_begin(const seqcount_t *s)
{
	/* ACQUIRE: the protected loads cannot pass it; pairs with the writer's RELEASE end. */
	unsigned seq = smp_load_acquire(&s->sequence);

	if (unlikely(seq & 1))
		seq = lksync_read_seqcount_wait(s);	/* acquire too */
	__lksync_seq_reader_begin();
	return seq;
}

static __always_inline unsigned __lksync_raw_read_seqcount(const seqcount_t *s)
{
	/* ACQUIRE, as in raw_read_seqcount_begin(). */
	return smp_load_acquire(&s->sequence);
}

static __always_inline int __lksync_read_seqcount_retry(const seqcount_t *s, unsigned start)
{
	__lksync_seq_reader_end();
	/* Relaxed: __read_seqcount_retry() leaves ordering to its caller. */
	return unlikely(READ_ONCE(s->sequence) != start);
}

/**
 * __read_seqcount_begin - begin a read section without any barrier
 * @s: the seqcount
 *
 * Waits while a write is in progress. The caller orders the protected loads
 * (smp_rmb()) itself. Context: any, not from the writer's own context.
 * Return: the count to pass to read_seqcount_retry().
 */
#define __read_seqcount_begin(s)	__lksync_read_seqcount_begin(__seqprop_ptr(s))

/**
 * raw_read_seqcount_begin - begin a read section, waiting out a write
 * Context: any. Return: the (even) count to pass to read_seqcount_retry().
 */
#define raw_read_seqcount_begin(s)	__lksync_raw_read_seqcount_begin(__seqprop_ptr(s))

/*
 * Lockdep's view of a reader (the kernel's seqcount_lockdep_reader_access()):
 * a recursive read acquisition and its release at once, with interrupts
 * off, so that a reader in a context that may interrupt the writer is an
 * inversion lockdep reports.
 */
#ifdef LKSYNC_DEBUG
static __always_inline void __seqcount_lockdep_reader_access(const seqcount_t *s, unsigned long ip)
{
	seqcount_t *l = (seqcount_t *)s;
	unsigned long flags;

	local_irq_save(flags);
	seqcount_acquire_read(&l->dep_map, 0, 0, ip);
	seqcount_release(&l->dep_map, ip);
	local_irq_restore(flags);
}
#define __lksync_seqcount_reader(s)						\
	__seqcount_lockdep_reader_access(__seqprop_ptr(s), _THIS_IP_)
#else
#define __lksync_seqcount_reader(s)	do { } while (0)
#endif

/**
 * read_seqcount_begin - begin a read section (lockdep-checked in the debug flavor)
 * Context: any, not from the writer's own context.
 * Return: the (even) count to pass to read_seqcount_retry().
 */
#define read_seqcount_begin(s) ({						\
	__lksync_seqcount_reader(s);						\
	raw_read_seqcount_begin(s); })

/**
 * raw_read_seqcount - read the count without waiting for it to be even
 * Context: any. Return: the count, possibly odd.
 */
#define raw_read_seqcount(s)		__lksync_raw_read_seqcount(__seqprop_ptr(s))

/**
 * raw_seqcount_begin - begin a read section without waiting out a write: an
 * odd count is rounded down, so a write in progress makes the retry fail.
 * Context: any. Return: the count, rounded down to even.
 */
#define raw_seqcount_begin(s) ({						\
	unsigned __rsb_seq = raw_read_seqcount(s) & ~1u;			\
	__lksync_seq_reader_begin();						\
	__rsb_seq; })

/**
 * __read_seqcount_retry - end a read section without any barrier
 * Context: any. Return: true if a write began or ended since @start.
 */
#define __read_seqcount_retry(s, start)	__lksync_read_seqcount_retry(__seqprop_ptr(s), (start))

static __always_inline int __lksync_seqcount_retry(const seqcount_t *s, unsigned start)
{
	smp_rmb();	/* the protected loads complete before the re-read */
	return __lksync_read_seqcount_retry(s, start);
}

/**
 * read_seqcount_retry - end a read section
 * @s: the seqcount
 * @start: the value returned by read_seqcount_begin()
 *
 * Context: any. Return: true if a write intervened and the data read since
 * @start may be inconsistent (the caller retries), false otherwise.
 */
#define read_seqcount_retry(s, start)	__lksync_seqcount_retry(__seqprop_ptr(s), (start))

static __always_inline void __lksync_write_seqcount_begin(seqcount_t *s)
{
	/* Relaxed store: writers are serialized; smp_wmb() orders the data stores after it. */
	WRITE_ONCE(s->sequence, READ_ONCE(s->sequence) + 1);
	smp_wmb();
}

static __always_inline void __lksync_write_seqcount_end(seqcount_t *s)
{
	/* RELEASE: the data stores are visible before the count turns even. */
	smp_store_release(&s->sequence, READ_ONCE(s->sequence) + 1);
}

/**
 * raw_write_seqcount_begin - begin a write section (count becomes odd)
 * Context: writers serialized by the caller; not preemptible by readers of
 * the same seqcount on this CPU (disable preemption/interrupts as needed).
 */
#define raw_write_seqcount_begin(s)	__lksync_write_seqcount_begin(__seqprop_ptr(s))
/* raw_write_seqcount_end - end a write section (count becomes even). Context: as the begin. */
#define raw_write_seqcount_end(s)	__lksync_write_seqcount_end(__seqprop_ptr(s))
/**
 * write_seqcount_begin_nested - write_seqcount_begin() as lockdep subclass
 * @subclass (ignored in the release flavor).
 * Context: as write_seqcount_begin().
 */
#define write_seqcount_begin_nested(s, subclass) do {				\
	if (__seqprop_preemptible(s))						\
		preempt_disable();						\
	raw_write_seqcount_begin(s);						\
	seqcount_acquire(&__seqprop_ptr(s)->dep_map, subclass, 0, _THIS_IP_);	\
} while (0)
/**
 * write_seqcount_begin - begin a write section (lockdep-checked in the debug flavor)
 * Context: the writers' lock held or otherwise serialized, preemption disabled.
 */
#define write_seqcount_begin(s)		write_seqcount_begin_nested(s, 0)
/* write_seqcount_end - end a write section. Context: as write_seqcount_begin(). */
#define write_seqcount_end(s) do {						\
	seqcount_release(&__seqprop_ptr(s)->dep_map, _THIS_IP_);		\
	raw_write_seqcount_end(s);						\
	if (__seqprop_preemptible(s))						\
		preempt_enable();						\
} while (0)

static __always_inline void __lksync_write_seqcount_barrier(seqcount_t *s)
{
	WRITE_ONCE(s->sequence, READ_ONCE(s->sequence) + 1);
	smp_wmb();	/* stores before the barrier stay before the odd value */
	/* RELEASE, as write_seqcount_end(). */
	smp_store_release(&s->sequence, READ_ONCE(s->sequence) + 1);
}

/**
 * raw_write_seqcount_barrier - make any read section that overlaps it retry:
 * an empty write section, ordering the stores before it against those after.
 * Context: as write_seqcount_begin().
 */
#define raw_write_seqcount_barrier(s)	__lksync_write_seqcount_barrier(__seqprop_ptr(s))

static __always_inline void __lksync_write_seqcount_invalidate(seqcount_t *s)
{
	/* RELEASE (the kernel's smp_wmb() before the add): earlier stores first. */
	smp_store_release(&s->sequence, READ_ONCE(s->sequence) + 2);
}

/**
 * write_seqcount_invalidate - force every read section in flight to retry
 * Context: as write_seqcount_begin(), outside a write section.
 */
#define write_seqcount_invalidate(s)	__lksync_write_seqcount_invalidate(__seqprop_ptr(s))

/**
 * raw_read_seqcount_latch - pick a copy of latch-protected data
 * Context: any. Return: the count; its low bit selects the copy to read.
 */
#define raw_read_seqcount_latch(s) ({					\
	unsigned __rsl_seq = raw_read_seqcount(s);				\
	__lksync_seq_reader_begin();						\
	__rsl_seq; })
/* read_seqcount_latch_retry - end a latch read section. Return: true to retry. */
#define read_seqcount_latch_retry(s, start)	read_seqcount_retry(s, start)

static __always_inline void __lksync_write_seqcount_latch(seqcount_t *s)
{
	smp_wmb();	/* the copy just written is complete before the switch */
	/* RELEASE: readers that see the new count see the copy's contents. */
	smp_store_release(&s->sequence, READ_ONCE(s->sequence) + 1);
	smp_wmb();	/* the switch is visible before the other copy is touched */
}

/* raw_write_seqcount_latch - switch latch readers to the other copy. Context: single writer. */
#define raw_write_seqcount_latch(s)	__lksync_write_seqcount_latch(__seqprop_ptr(s))

/*
 * seqlock_t - a seqcount whose writers serialize on an embedded spinlock;
 * readers never block writers.
 */
typedef struct {
	seqcount_spinlock_t seqcount;
	spinlock_t lock;
} seqlock_t;

/* __SEQLOCK_UNLOCKED - static initializer for the seqlock_t named @lockname. */
#define __SEQLOCK_UNLOCKED(lockname) {						\
	.seqcount = SEQCNT_SPINLOCK_ZERO(lockname, &(lockname).lock),		\
	.lock = __SPIN_LOCK_UNLOCKED(lockname) }

/* SEQLOCK_UNLOCKED - legacy (removed in 2.6.3x) initializer: `seqlock_t x = SEQLOCK_UNLOCKED;`. */
#define SEQLOCK_UNLOCKED	__SEQLOCK_UNLOCKED(old_style_seqlock_init)

/*
 * DEFINE_SEQLOCK - define and initialize a seqlock_t named @sl (in the debug
 * flavor its seqcount and its lock are their own classes, by address:
 * static storage only, as in the kernel; elsewhere use seqlock_init()).
 */
#define DEFINE_SEQLOCK(sl)							\
	seqlock_t sl = {							\
		.seqcount = { .seqcount = { .sequence = 0			\
			SEQCOUNT_DEP_MAP_INIT_KEY(sl.seqcount, NULL) } }, \
		.lock = { { .rlock = ___SPIN_LOCK_INITIALIZER(sl) } } }

/**
 * seqlock_init - runtime initializer for a seqlock_t
 * Context: any; not concurrently with users of the lock.
 */
#define seqlock_init(sl) do {							\
	seqcount_spinlock_init(&(sl)->seqcount, &(sl)->lock);			\
	spin_lock_init(&(sl)->lock);						\
} while (0)

/**
 * read_seqbegin - begin a lockless read section of a seqlock_t
 * Context: any, not from a writer's own context.
 * Return: the count to pass to read_seqretry().
 */
static __always_inline unsigned read_seqbegin(const seqlock_t *sl)
{
	return read_seqcount_begin(&sl->seqcount);
}

/**
 * read_seqretry - end a lockless read section of a seqlock_t
 * Context: any. Return: nonzero if a writer intervened since @start, so the
 * data read may be inconsistent and the section must be retried.
 */
static __always_inline unsigned read_seqretry(const seqlock_t *sl, unsigned start)
{
	return read_seqcount_retry(&sl->seqcount, start);
}

/* A seqlock_t's write section: the seqcount's, with lockdep's write acquisition. */
#define __lksync_write_seqlock_begin(sl) do {					\
	__lksync_write_seqcount_begin(&(sl)->seqcount.seqcount);		\
	seqcount_acquire(&(sl)->seqcount.seqcount.dep_map, 0, 0, _THIS_IP_);	\
} while (0)
#define __lksync_write_seqlock_end(sl) do {					\
	seqcount_release(&(sl)->seqcount.seqcount.dep_map, _THIS_IP_);		\
	__lksync_write_seqcount_end(&(sl)->seqcount.seqcount);			\
} while (0)

/*
 * The locked sides, one body per lock variant (the kernel's pattern): the
 * writer takes the spinlock with the variant's interrupt/bottom-half
 * handling, then opens the write section; the exclusive reader only locks.
 */
#define __LKSYNC_SEQLOCK_VARIANT(sfx)						\
static __always_inline void write_seqlock##sfx(seqlock_t *sl)			\
{										\
	spin_lock##sfx(&sl->lock);						\
	__lksync_write_seqlock_begin(sl);					\
}										\
static __always_inline void write_sequnlock##sfx(seqlock_t *sl)		\
{										\
	__lksync_write_seqlock_end(sl);						\
	spin_unlock##sfx(&sl->lock);						\
}										\
static __always_inline void read_seqlock_excl##sfx(seqlock_t *sl)		\
{										\
	spin_lock##sfx(&sl->lock);						\
}										\
static __always_inline void read_sequnlock_excl##sfx(seqlock_t *sl)		\
{										\
	spin_unlock##sfx(&sl->lock);						\
}

/**
 * write_seqlock - begin a write section: lock out other writers and make
 * readers retry. The _bh and _irq forms also disable bottom halves / local
 * interrupts, for data readers may touch from those contexts.
 * Context: process context; _bh/_irq forms as spin_lock_bh()/spin_lock_irq().
 *
 * write_sequnlock - end the write section and unlock (_bh/_irq: re-enable).
 *
 * read_seqlock_excl - read as a locking reader: excludes writers and other
 * locking readers, never retried. read_sequnlock_excl() ends it.
 */
__LKSYNC_SEQLOCK_VARIANT()
__LKSYNC_SEQLOCK_VARIANT(_bh)
__LKSYNC_SEQLOCK_VARIANT(_irq)

static __always_inline unsigned long __write_seqlock_irqsave(seqlock_t *sl)
{
	unsigned long flags;

	spin_lock_irqsave(&sl->lock, flags);
	__lksync_write_seqlock_begin(sl);
	return flags;
}

static __always_inline void
write_sequnlock_irqrestore(seqlock_t *sl, unsigned long flags)
{
	__lksync_write_seqlock_end(sl);
	spin_unlock_irqrestore(&sl->lock, flags);
}

/**
 * write_seqlock_irqsave - write_seqlock() saving and disabling local
 * interrupts; write_sequnlock_irqrestore() restores them from @flags.
 * Context: any.
 */
#define write_seqlock_irqsave(lock, flags)					\
	do { (flags) = __write_seqlock_irqsave(lock); } while (0)

static __always_inline unsigned long __read_seqlock_excl_irqsave(seqlock_t *sl)
{
	unsigned long flags;

	spin_lock_irqsave(&sl->lock, flags);
	return flags;
}

static __always_inline void
read_sequnlock_excl_irqrestore(seqlock_t *sl, unsigned long flags)
{
	spin_unlock_irqrestore(&sl->lock, flags);
}

/**
 * read_seqlock_excl_irqsave - read_seqlock_excl() saving and disabling local
 * interrupts; read_sequnlock_excl_irqrestore() restores them. Context: any.
 */
#define read_seqlock_excl_irqsave(lock, flags)					\
	do { (flags) = __read_seqlock_excl_irqsave(lock); } while (0)

/**
 * write_tryseqlock - legacy (removed from the kernel in 3.x): write_seqlock()
 * if the lock is free. Context: any. Return: 1 if locked, 0 otherwise.
 */
static __always_inline int write_tryseqlock(seqlock_t *sl)
{
	if (!spin_trylock(&sl->lock))
		return 0;
	__lksync_write_seqlock_begin(sl);
	return 1;
}

/**
 * read_seqbegin_or_lock - begin a read section that is lockless when *@seq
 * is even and a locking (read_seqlock_excl) section when it is odd
 * @lock: the seqlock
 * @seq: in: 0 for a first, lockless pass, odd to lock; out: the sequence
 *
 * Typical use: seq = 0; again: read_seqbegin_or_lock(); read;
 * if (need_seqretry()) { seq = 1; goto again; } done_seqretry().
 * Context: as read_seqbegin() / read_seqlock_excl().
 */
static __always_inline void read_seqbegin_or_lock(seqlock_t *lock, int *seq)
{
	if (!(*seq & 1))
		*seq = (int)read_seqbegin(lock);
	else
		read_seqlock_excl(lock);
}

/* need_seqretry - Return: true if the lockless pass begun with @seq must be retried. */
static __always_inline int need_seqretry(seqlock_t *lock, int seq)
{
	return !(seq & 1) && read_seqretry(lock, (unsigned)seq);
}

/* done_seqretry - end the section; unlocks if it was a locking one. Context: any. */
static __always_inline void done_seqretry(seqlock_t *lock, int seq)
{
	if (seq & 1)
		read_sequnlock_excl(lock);
}

/**
 * read_seqbegin_or_lock_irqsave - read_seqbegin_or_lock() whose locking pass
 * also saves and disables local interrupts.
 * Context: any. Return: the flags for done_seqretry_irqrestore().
 */
static __always_inline unsigned long
read_seqbegin_or_lock_irqsave(seqlock_t *lock, int *seq)
{
	unsigned long flags = 0;

	if (!(*seq & 1))
		*seq = (int)read_seqbegin(lock);
	else
		read_seqlock_excl_irqsave(lock, flags);
	return flags;
}

/* done_seqretry_irqrestore - done_seqretry() restoring interrupts from @flags. */
static __always_inline void
done_seqretry_irqrestore(seqlock_t *lock, int seq, unsigned long flags)
{
	if (seq & 1)
		read_sequnlock_excl_irqrestore(lock, flags);
}

#endif /* LKSYNC_SEQLOCK_H */
