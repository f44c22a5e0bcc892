/* SPDX-License-Identifier: MIT */
/*
 * Layer: sched. The lock validator's interface, as linux/lockdep.h.
 *
 * This header is the narrow interface between the lock implementations and
 * the debug layer (src/debug/, which implements it). It sits in the sched
 * layer so that every layer above can report into it: every lock type of the debug flavor
 * (LKSYNC_DEBUG) embeds a struct lockdep_map and reports through the
 * acquire/release/contended/acquired hooks below; the release flavor
 * compiles every hook, annotation and assertion here to nothing, and its
 * lock types carry no map.
 *
 * Classes. A lock's class is named by the address of a struct
 * lock_class_key: a statically defined lock (DEFINE_SPINLOCK() and friends)
 * uses its own address, so it is its own class; a lock initialized at run
 * time (spin_lock_init() and friends) uses a static key hidden in the
 * initializer macro, so every lock initialized at one place in the source
 * shares a class, as in the kernel. lockdep_set_class() and friends change
 * that. Up to MAX_LOCKDEP_SUBCLASSES subclasses of a class (the _nested()
 * annotations) are told apart.
 *
 * Acquisition kinds (@read of lock_acquire()): 0 = exclusive (write),
 * 1 = shared, non-recursive (down_read(), read_lock() in task context),
 * 2 = shared and recursive (read_lock() in interrupt or bottom-half context,
 * rcu_read_lock()-like maps).
 */
#ifndef LKSYNC_LOCKDEP_H
#define LKSYNC_LOCKDEP_H

#include <stdbool.h>
#include <lksync/compiler.h>
#include <lksync/types.h>
#include <lksync/bug.h>
#include <lksync/irqflags.h>

struct task_struct;

/* The caller's address and this place's, as linux/instruction_pointer.h. */
#ifndef _RET_IP_
#define _RET_IP_	((unsigned long)__builtin_return_address(0))
#endif
#ifndef _THIS_IP_
#define _THIS_IP_	({ __label__ __here; __here: (unsigned long)&&__here; })
#endif

/* The kernel's limits. */
#define MAX_LOCKDEP_SUBCLASSES		8UL
#define MAX_LOCK_DEPTH			48UL
#define SINGLE_DEPTH_NESTING		1
#define NR_LOCKDEP_CACHING_CLASSES	2

struct lock_class;

/*
 * struct lock_class_key - names a lock class by its address. Define one
 * static key per class; MAX_LOCKDEP_SUBCLASSES consecutive bytes are
 * the subclass keys.
 */
struct lock_class_key {
	char subkeys[MAX_LOCKDEP_SUBCLASSES];
};

/* Wait types, as the kernel's (for the PROVE_RAW_LOCK_NESTING check). */
enum lockdep_wait_type {
	LD_WAIT_INV = 0,	/* not checked, catch all */
	LD_WAIT_FREE,		/* wait free, rcu etc.. */
	LD_WAIT_SPIN,		/* spin loops, raw_spinlock_t etc.. */
	LD_WAIT_CONFIG = LD_WAIT_SPIN,	/* preemptible in PREEMPT_RT: spinlock_t */
	LD_WAIT_SLEEP,		/* sleeping locks, mutex_t etc.. */
	LD_WAIT_MAX,
};

/* Lock types, for lock_stat and the reports. */
enum lockdep_lock_type {
	LD_LOCK_NORMAL = 0,	/* normal, catch all */
	LD_LOCK_PERCPU,		/* percpu */
	LD_LOCK_WAIT_OVERRIDE,	/* annotation */
	LD_LOCK_MAX,
};

/*
 * Two locks of one class may be held together when the class's comparison
 * says they are taken in order (lock_set_cmp_fn()): @a held, @b taken, a
 * negative result means "in order".
 */
struct lockdep_map;
typedef int (*lock_cmp_fn)(const struct lockdep_map *a, const struct lockdep_map *b);
typedef void (*lock_print_fn)(const struct lockdep_map *map);

#ifdef LKSYNC_DEBUG

/*
 * struct lockdep_map - what the validator knows about one lock instance.
 * Embedded as @dep_map in every lock type of the debug flavor.
 */
struct lockdep_map {
	struct lock_class_key	*key;
	struct lock_class	*class_cache[NR_LOCKDEP_CACHING_CLASSES];
	const char		*name;
	u8			wait_type_outer;	/* can be taken in this context */
	u8			wait_type_inner;	/* presents this context */
	u8			lock_type;
	u8			subclass;		/* lockdep_set_subclass(): default */
	/* lock_stat: where and on which CPU the lock was last taken. */
	int			cpu;
	unsigned long		ip;
};

/* STATIC_LOCKDEP_MAP_INIT - initializer of a map named @_name in class @_key. */
#define STATIC_LOCKDEP_MAP_INIT(_name, _key)					\
	{ .key = (void *)(_key), .name = (_name) }

/* The hooks. Context: any; they never sleep. @ip: the caller, _RET_IP_ or _THIS_IP_. */
LKSYNC_API void lksync_lockdep_init_map_type(struct lockdep_map *lock, const char *name,
					     struct lock_class_key *key, int subclass,
					     u8 inner, u8 outer, u8 lock_type);
LKSYNC_API void lksync_lock_acquire(struct lockdep_map *lock, unsigned int subclass,
				    int trylock, int read, int check,
				    struct lockdep_map *nest_lock, unsigned long ip);
LKSYNC_API void lksync_lock_release(struct lockdep_map *lock, unsigned long ip);
LKSYNC_API void lksync_lock_contended(struct lockdep_map *lock, unsigned long ip);
LKSYNC_API void lksync_lock_acquired(struct lockdep_map *lock, unsigned long ip);
LKSYNC_API void lksync_lock_set_class(struct lockdep_map *lock, const char *name,
				      struct lock_class_key *key, unsigned int subclass,
				      unsigned long ip);
LKSYNC_API void lksync_lock_downgrade(struct lockdep_map *lock, unsigned long ip);
LKSYNC_API void lksync_lockdep_set_lock_cmp_fn(struct lockdep_map *lock, lock_cmp_fn cmp_fn,
					       lock_print_fn print_fn);
/* 1 if the current task holds @lock as @read (-1: in any mode), else 0. */
LKSYNC_API int lksync_lock_is_held_type(const struct lockdep_map *lock, int read);
/* The current task is about to free or reinitialize [@from, @from + @len). */
LKSYNC_API void lksync_debug_check_no_locks_freed(const void *from, unsigned long len);
LKSYNC_API void lksync_lockdep_free_key_range(void *start, unsigned long size);
LKSYNC_API void lksync_lockdep_register_key(struct lock_class_key *key);
LKSYNC_API void lksync_lockdep_unregister_key(struct lock_class_key *key);
/* Reports: the locks @task (NULL: current) holds; every task's held locks. */
LKSYNC_API void lksync_lockdep_print_held_locks(struct task_struct *task);
LKSYNC_API void lksync_debug_show_all_locks(void);
/* The current task holds no lock (reported otherwise): thread exit, return to user. */
LKSYNC_API void lksync_debug_check_no_locks_held(void);
/* lockdep_off() / lockdep_on(): stop and restart tracking for the current task. */
LKSYNC_API void lksync_lockdep_off(void);
LKSYNC_API void lksync_lockdep_on(void);

/*
 * The kernel's irq-tracing hooks, for <lksync/irqflags.h> and
 * <lksync/bottom_half.h> in the debug flavor: interrupts (bottom halves)
 * are about to be enabled on this task, so every lock it holds becomes
 * HARDIRQ-ON (SOFTIRQ-ON). Without them the state is sampled only when a
 * lock is taken. Context: any; @ip: the caller.
 */
LKSYNC_API void lksync_lockdep_hardirqs_on(unsigned long ip);
LKSYNC_API void lksync_lockdep_softirqs_on(unsigned long ip);

/**
 * lksync_lockdep_reset - test hook: forget every class, dependency and
 * chain the validator has seen, and turn it back on (debug_locks = 1), so
 * that a test can provoke one report after another from a clean slate.
 * Locks held across the call keep being tracked (their classes are looked
 * up again). Not for production code: the kernel has no equivalent.
 * Context: task context; no other task may be inside a lock operation.
 */
LKSYNC_API void lksync_lockdep_reset(void);
/*
 * lksync_lockdep_selfcheck - test hook: check the validator's own tables
 * (every dependency recorded both ways, no list entry in two lists or on
 * the free list too, the free lists finite). Context: task.
 * Return: 0 if consistent, else a negative code naming the first fault.
 */
LKSYNC_API int lksync_lockdep_selfcheck(void);

/**
 * lksync_lockdep_sys_exit - the kernel's lockdep_sys_exit(): report
 * "lock held when returning to user space!" if the current task holds any
 * lock. For an event loop's "back to the caller" point.
 * Context: task context.
 */
LKSYNC_API void lksync_lockdep_sys_exit(void);

/**
 * lksync_lockdep_set_dot_file - write each circular dependency that
 * lockdep detects (the cycle, with the dependency kinds) as a Graphviz file
 * at @path (NULL: stop). The environment variable LKSYNC_LOCKDEP_DOT=path
 * sets it at start-up. Context: task context.
 * Return: 0.
 */
LKSYNC_API int lksync_lockdep_set_dot_file(const char *path);

/**
 * lksync_lock_stat_print - print the lock statistics (LOCK_STAT) in the
 * kernel's /proc/lock_stat layout to @f (a FILE *; NULL: stderr). Classes
 * are sorted by contentions; times are in microseconds. Statistics are
 * collected once LKSYNC_LOCK_STAT is set in the environment (=1: printed to
 * stderr at exit; =path: written to that file at exit) or
 * lksync_lock_stat_enable(1) was called: unlike the kernel's sched_clock(),
 * a userspace clock read is not free, so collection is off by default.
 * Context: task context (uses stdio).
 */
LKSYNC_API void lksync_lock_stat_print(void *f);
/* lksync_lock_stat_clear - zero every class's statistics. Context: task context. */
LKSYNC_API void lksync_lock_stat_clear(void);
/*
 * lksync_lock_stat_enable - start (1) or stop (0) collecting statistics.
 * Context: any. Return: the previous setting.
 */
LKSYNC_API int lksync_lock_stat_enable(int on);

/*
 * debug_locks - 1 while the validator trusts its state; the first report
 * turns it off (debug_locks_off()), as in the kernel. debug_locks_silent
 * suppresses the reports themselves (the self-tests use it). Atomic, so a
 * test may re-arm them with a plain assignment while other tasks run.
 */
extern LKSYNC_API _Atomic int lksync_debug_locks;
extern LKSYNC_API _Atomic int lksync_debug_locks_silent;
#define debug_locks		lksync_debug_locks
#define debug_locks_silent	lksync_debug_locks_silent
/* debug_locks_off - turn checking off. Return: 1 if it was on (the caller reports). */
LKSYNC_API int lksync_debug_locks_off(void);
#define debug_locks_off()	lksync_debug_locks_off()

#define lockdep_init_map_type(lock, name, key, sub, inner, outer, type)		\
	lksync_lockdep_init_map_type(lock, name, key, sub, inner, outer, type)
#define lockdep_init_map_waits(lock, name, key, sub, inner, outer)		\
	lockdep_init_map_type(lock, name, key, sub, inner, outer, LD_LOCK_NORMAL)
#define lockdep_init_map_wait(lock, name, key, sub, inner)			\
	lockdep_init_map_waits(lock, name, key, sub, inner, LD_WAIT_INV)
#define lockdep_init_map(lock, name, key, sub)					\
	lockdep_init_map_wait(lock, name, key, sub, LD_WAIT_INV)

#define lock_acquire(l, s, t, r, c, n, i)	lksync_lock_acquire(l, s, t, r, c, n, i)
#define lock_release(l, i)			lksync_lock_release(l, i)
#define lock_contended(l, i)			lksync_lock_contended(l, i)
#define lock_acquired(l, i)			lksync_lock_acquired(l, i)
#define lock_set_class(l, n, k, s, i)		lksync_lock_set_class(l, n, k, s, i)
#define lock_set_subclass(l, s, i)						\
	lksync_lock_set_class(l, (l)->name, (l)->key, s, i)
#define lock_downgrade(l, i)			lksync_lock_downgrade(l, i)
#define lock_is_held_type(l, r)			lksync_lock_is_held_type(l, r)
#define lock_is_held(l)				lock_is_held_type(l, -1)
#define lockdep_is_held(lock)			lock_is_held(&(lock)->dep_map)
#define lockdep_is_held_type(lock, r)		lock_is_held_type(&(lock)->dep_map, (r))
#define debug_check_no_locks_freed(from, len)	lksync_debug_check_no_locks_freed(from, len)
#define debug_check_no_locks_held()		lksync_debug_check_no_locks_held()
#define lockdep_free_key_range(s, n)		lksync_lockdep_free_key_range(s, n)
#define lockdep_register_key(k)			lksync_lockdep_register_key(k)
#define lockdep_unregister_key(k)		lksync_lockdep_unregister_key(k)
#define lockdep_print_held_locks(t)		lksync_lockdep_print_held_locks(t)
#define debug_show_all_locks()			lksync_debug_show_all_locks()
#define lockdep_off()				lksync_lockdep_off()
#define lockdep_on()				lksync_lockdep_on()

/*
 * Re-class a lock after its initializer (lockdep_set_class()), typically so
 * that locks of one type initialized in one place but nested by design do
 * not look like recursion.
 */
#define lockdep_set_class(lock, key)						\
	lockdep_init_map_type(&(lock)->dep_map, #key, key, 0,			\
			      (lock)->dep_map.wait_type_inner,			\
			      (lock)->dep_map.wait_type_outer,			\
			      (lock)->dep_map.lock_type)
#define lockdep_set_class_and_name(lock, key, name)				\
	lockdep_init_map_type(&(lock)->dep_map, name, key, 0,			\
			      (lock)->dep_map.wait_type_inner,			\
			      (lock)->dep_map.wait_type_outer,			\
			      (lock)->dep_map.lock_type)
#define lockdep_set_class_and_subclass(lock, key, sub)				\
	lockdep_init_map_type(&(lock)->dep_map, #key, key, sub,			\
			      (lock)->dep_map.wait_type_inner,			\
			      (lock)->dep_map.wait_type_outer,			\
			      (lock)->dep_map.lock_type)
#define lockdep_set_subclass(lock, sub)						\
	lockdep_init_map_type(&(lock)->dep_map, (lock)->dep_map.name,		\
			      (lock)->dep_map.key, sub,				\
			      (lock)->dep_map.wait_type_inner,			\
			      (lock)->dep_map.wait_type_outer,			\
			      (lock)->dep_map.lock_type)
/* The locks of this class are never validated (the kernel's __lockdep_no_validate__). */
extern LKSYNC_API struct lock_class_key lksync_lockdep_no_validate;
#define lockdep_set_novalidate_class(lock)					\
	lockdep_set_class_and_name(lock, &lksync_lockdep_no_validate, #lock)
/*
 * lock_set_cmp_fn - the order in which locks of @lock's class may nest: two
 * of them held together are fine when @cmp_fn(held, new) < 0, a recursion
 * otherwise (the kernel's, 6.4+). One function per class (a second, different
 * one warns). @print_fn may be NULL. Context: task.
 */
#define lock_set_cmp_fn(lock, ...)	lksync_lockdep_set_lock_cmp_fn(&(lock)->dep_map, __VA_ARGS__)
#define lockdep_set_lock_cmp_fn(map, cmp, print) lksync_lockdep_set_lock_cmp_fn(map, cmp, print)

/* The locks of this class are not tracked at all, not even as held (the kernel's __lockdep_no_track__). */
extern LKSYNC_API struct lock_class_key lksync_lockdep_no_track;
#define lockdep_set_notrack_class(lock)						\
	lockdep_set_class_and_name(lock, &lksync_lockdep_no_track, #lock)

/*
 * DEFINE_WAIT_OVERRIDE_MAP - a pseudo-lock @_name that, held (taken with
 * lock_map_acquire_try()), lets the code under it take locks of wait type
 * up to @_wait_type whatever the context, for code that is known to be
 * safe on this configuration. Define it static.
 */
#define DEFINE_WAIT_OVERRIDE_MAP(_name, _wait_type)				\
	struct lockdep_map _name = {						\
		.name = #_name "-wait-type-override",				\
		.wait_type_inner = _wait_type,					\
		.lock_type = LD_LOCK_WAIT_OVERRIDE, }

/*
 * might_lock - annotate that this path may take @lock: lockdep learns the
 * dependency from the locks held now, as if @lock were taken and released
 * here. might_lock_read() for the read side; might_lock_nested() with a
 * subclass (a read acquisition, as the kernel's). Context: where @lock could
 * be taken.
 */
#define might_lock(lock)							\
do {										\
	lock_acquire(&(lock)->dep_map, 0, 0, 0, 1, NULL, _THIS_IP_);		\
	lock_release(&(lock)->dep_map, _THIS_IP_);				\
} while (0)
#define might_lock_read(lock)							\
do {										\
	lock_acquire(&(lock)->dep_map, 0, 0, 1, 1, NULL, _THIS_IP_);		\
	lock_release(&(lock)->dep_map, _THIS_IP_);				\
} while (0)
#define might_lock_nested(lock, subclass)					\
do {										\
	lock_acquire(&(lock)->dep_map, subclass, 0, 1, 1, NULL, _THIS_IP_);	\
	lock_release(&(lock)->dep_map, _THIS_IP_);				\
} while (0)

/*
 * lock_sync - a wait that takes @lock's map only for an instant (the
 * kernel's, for synchronize_srcu()): the dependency from the held locks is
 * recorded, the lock is not left held. Context: any.
 */
#define lock_sync(l, s, r, c, n, i)						\
do {										\
	lock_acquire(l, s, 0, r, c, n, i);					\
	lock_release(l, i);							\
} while (0)

/* debug_show_held_locks - the held locks of @task, or that lockdep is off. */
#define debug_show_held_locks(task)						\
do {										\
	if (!debug_locks)							\
		lksync_report_printk("INFO: lockdep is turned off.\n");	\
	else									\
		lockdep_print_held_locks(task);					\
} while (0)
#define lockdep_match_class(lock, key)	((lock)->dep_map.key == (key))

/**
 * lockdep_copy_map - copy map @from into @to, without @from's class cache
 * @to: the copy, e.g. on the stack around a callback that may free @from
 * @from: the original
 *
 * As the kernel's: a work item or a timer may free itself, so the
 * pseudo-lock held around its callback is a copy. Word by word, relaxed: a
 * task may be filling in @from's class cache (or lock_stat its cpu and ip)
 * right now; the copy's cache starts empty.
 * Context: any.
 */
static inline void lockdep_copy_map(struct lockdep_map *to, const struct lockdep_map *from)
{
	typedef unsigned long __attribute__((may_alias)) __ld_word_t;
	const __ld_word_t *src = (const __ld_word_t *)from;
	__ld_word_t *dst = (__ld_word_t *)to;

	_Static_assert(sizeof(*to) % sizeof(__ld_word_t) == 0, "lockdep_map: not whole words");
	for (unsigned long i = 0; i < sizeof(*to) / sizeof(__ld_word_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	for (int i = 0; i < NR_LOCKDEP_CACHING_CLASSES; i++)
		to->class_cache[i] = (struct lock_class *)0;
}

/*
 * Acquisition helpers used by the lock implementations, as the kernel's:
 * @t = trylock, @n = nest_lock, @i = caller address.
 */
#define lock_acquire_exclusive(l, s, t, n, i)	lock_acquire(l, s, t, 0, 1, n, i)
#define lock_acquire_shared(l, s, t, n, i)	lock_acquire(l, s, t, 1, 1, n, i)
#define lock_acquire_shared_recursive(l, s, t, n, i) lock_acquire(l, s, t, 2, 1, n, i)

#define spin_acquire(l, s, t, i)		lock_acquire_exclusive(l, s, t, NULL, i)
#define spin_acquire_nest(l, s, t, n, i)	lock_acquire_exclusive(l, s, t, n, i)
#define spin_release(l, i)			lock_release(l, i)

#define rwlock_acquire(l, s, t, i)		lock_acquire_exclusive(l, s, t, NULL, i)
/*
 * A queued rwlock's read side is recursive only in interrupt or bottom-half
 * context (a reader there never waits for a writer); in task context a
 * reader queues behind a waiting writer, so read_lock() is not recursive.
 */
#define rwlock_acquire_read(l, s, t, i)						\
	lock_acquire(l, s, t, lksync_read_lock_is_recursive() ? 2 : 1, 1, NULL, i)
#define rwlock_release(l, i)			lock_release(l, i)

#define seqcount_acquire(l, s, t, i)		lock_acquire_exclusive(l, s, t, NULL, i)
#define seqcount_acquire_read(l, s, t, i)	lock_acquire_shared_recursive(l, s, t, NULL, i)
#define seqcount_release(l, i)			lock_release(l, i)

#define mutex_acquire(l, s, t, i)		lock_acquire_exclusive(l, s, t, NULL, i)
#define mutex_acquire_nest(l, s, t, n, i)	lock_acquire_exclusive(l, s, t, n, i)
#define mutex_release(l, i)			lock_release(l, i)

#define rwsem_acquire(l, s, t, i)		lock_acquire_exclusive(l, s, t, NULL, i)
#define rwsem_acquire_nest(l, s, t, n, i)	lock_acquire_exclusive(l, s, t, n, i)
#define rwsem_acquire_read(l, s, t, i)		lock_acquire_shared(l, s, t, NULL, i)
#define rwsem_release(l, i)			lock_release(l, i)

/* A map not tied to a lock (a "pseudo lock"): annotates waits such as flush_work(). */
#define lock_map_acquire(l)		lock_acquire_exclusive(l, 0, 0, NULL, _THIS_IP_)
#define lock_map_acquire_try(l)		lock_acquire_exclusive(l, 0, 1, NULL, _THIS_IP_)
#define lock_map_acquire_read(l)	lock_acquire_shared_recursive(l, 0, 0, NULL, _THIS_IP_)
#define lock_map_acquire_tryread(l)	lock_acquire_shared_recursive(l, 0, 1, NULL, _THIS_IP_)
#define lock_map_release(l)		lock_release(l, _THIS_IP_)

/* LOCK_CONTENDED - try, and on failure report the contention around the blocking lock. */
#define LOCK_CONTENDED(_lock, try, lock)					\
do {										\
	if (!try(_lock)) {							\
		lock_contended(&(_lock)->dep_map, _RET_IP_);			\
		lock(_lock);							\
	}									\
	lock_acquired(&(_lock)->dep_map, _RET_IP_);				\
} while (0)

/* Out of line: the current context takes read_lock() recursively. */
LKSYNC_API bool lksync_read_lock_is_recursive(void);

/* Assertions: a WARN, once per site, while debug_locks is on. */
#define lockdep_assert(cond)							\
	do { WARN_ON(debug_locks && !(cond)); } while (0)
#define lockdep_assert_once(cond)						\
	do { WARN_ON_ONCE(debug_locks && !(cond)); } while (0)
#define lockdep_assert_held(l)		lockdep_assert(lockdep_is_held(l) != 0)
#define lockdep_assert_not_held(l)	lockdep_assert(lockdep_is_held(l) != 1)
#define lockdep_assert_held_write(l)	lockdep_assert(lockdep_is_held_type(l, 0))
#define lockdep_assert_held_read(l)	lockdep_assert(lockdep_is_held_type(l, 1))
#define lockdep_assert_held_once(l)	lockdep_assert_once(lockdep_is_held(l))
#define lockdep_assert_none_held_once()	lockdep_assert_once(!lksync_lockdep_depth())
/* The context assertions warn once per site, as the kernel's WARN_ON_ONCE() ones. */
#define lockdep_assert_irqs_enabled()	lockdep_assert_once(!irqs_disabled())
#define lockdep_assert_irqs_disabled()	lockdep_assert_once(irqs_disabled())
#define lockdep_assert_in_irq()		lockdep_assert_once(in_hardirq())
#define lockdep_assert_in_softirq()	lockdep_assert_once(in_softirq())
#define lockdep_assert_preemption_enabled()					\
	lockdep_assert_once(preempt_count() == 0 && !irqs_disabled())
#define lockdep_assert_preemption_disabled()					\
	lockdep_assert_once(preempt_count() != 0 || irqs_disabled())
/* No hardirq context, and interrupts on (the kernel's lockdep_assert_no_hardirq()). */
#define lockdep_assert_no_hardirq()	lockdep_assert_once(!in_hardirq() && !irqs_disabled())
/* PREEMPT_RT only in the kernel: nothing to check here. */
#define lockdep_assert_RT_in_threaded_ctx()	do { } while (0)
#define lockdep_recursing(tsk)		0
/* The number of locks the current task holds. */
LKSYNC_API unsigned int lksync_lockdep_depth(void);
/* The number of locks @tsk holds (a snapshot if it is another, running task). */
LKSYNC_API unsigned int lksync_lockdep_task_depth(struct task_struct *tsk);
#define lockdep_depth(tsk)		lksync_lockdep_task_depth(tsk)

/* lockdep_pin_lock() & co.: accepted, not checked. */
struct pin_cookie { unsigned int val; };
#define NIL_COOKIE			(struct pin_cookie){ .val = 0U, }
#define lockdep_pin_lock(l)		({ (void)(l); NIL_COOKIE; })
#define lockdep_repin_lock(l, c)	do { (void)(l); (void)(c); } while (0)
#define lockdep_unpin_lock(l, c)	do { (void)(l); (void)(c); } while (0)

#else /* !LKSYNC_DEBUG: everything compiles away, as in a kernel without LOCKDEP. */

struct lockdep_map { };
#define STATIC_LOCKDEP_MAP_INIT(_name, _key)	{ }

#define debug_locks			0
#define debug_locks_silent		0
#define debug_locks_off()		0
#define lockdep_init_map_type(lock, name, key, sub, inner, outer, type)		\
	do { (void)(name); (void)(key); } while (0)
#define lockdep_init_map_waits(lock, name, key, sub, inner, outer)		\
	do { (void)(name); (void)(key); } while (0)
#define lockdep_init_map_wait(lock, name, key, sub, inner)			\
	do { (void)(name); (void)(key); } while (0)
#define lockdep_init_map(lock, name, key, sub)					\
	do { (void)(name); (void)(key); } while (0)
#define lock_acquire(l, s, t, r, c, n, i)	do { } while (0)
#define lock_release(l, i)			do { } while (0)
#define lock_contended(l, i)			do { } while (0)
#define lock_acquired(l, i)			do { } while (0)
#define lock_set_class(l, n, k, s, i)		do { (void)(k); } while (0)
#define lock_set_subclass(l, s, i)		do { } while (0)
#define lock_downgrade(l, i)			do { } while (0)
#define lockdep_set_class(lock, key)		do { (void)(key); } while (0)
#define lockdep_set_class_and_name(lock, key, name)				\
	do { (void)(key); (void)(name); } while (0)
#define lockdep_set_class_and_subclass(lock, key, sub)				\
	do { (void)(key); } while (0)
#define lockdep_set_subclass(lock, sub)		do { } while (0)
#define lockdep_set_novalidate_class(lock)	do { } while (0)
#define lockdep_set_notrack_class(lock)		do { } while (0)
#define lock_set_cmp_fn(lock, ...)		do { (void)(lock); } while (0)
#define lockdep_set_lock_cmp_fn(map, cmp, print) do { (void)(cmp); (void)(print); } while (0)
#define DEFINE_WAIT_OVERRIDE_MAP(_name, _wait_type)				\
	struct lockdep_map __maybe_unused _name = { }
#define might_lock(lock)			do { (void)(lock); } while (0)
#define might_lock_read(lock)			do { (void)(lock); } while (0)
#define might_lock_nested(lock, subclass)	do { (void)(lock); } while (0)
#define lock_sync(l, s, r, c, n, i)		do { (void)(l); } while (0)
#define debug_show_held_locks(task)		do { (void)(task); } while (0)
#define lockdep_match_class(lock, key)		1
#define lockdep_copy_map(to, from)		do { (void)(to); (void)(from); } while (0)
#define debug_check_no_locks_freed(from, len)	do { } while (0)
#define debug_check_no_locks_held()		do { } while (0)
#define lockdep_free_key_range(s, n)		do { } while (0)
#define lockdep_register_key(k)			do { } while (0)
#define lockdep_unregister_key(k)		do { } while (0)
#define lockdep_print_held_locks(t)		do { } while (0)
#define debug_show_all_locks()			do { } while (0)
#define lockdep_off()				do { } while (0)
#define lockdep_on()				do { } while (0)
#define lockdep_depth(tsk)			0

#define spin_acquire(l, s, t, i)		do { } while (0)
#define spin_acquire_nest(l, s, t, n, i)	do { } while (0)
#define spin_release(l, i)			do { } while (0)
#define rwlock_acquire(l, s, t, i)		do { } while (0)
#define rwlock_acquire_read(l, s, t, i)		do { } while (0)
#define rwlock_release(l, i)			do { } while (0)
#define seqcount_acquire(l, s, t, i)		do { } while (0)
#define seqcount_acquire_read(l, s, t, i)	do { } while (0)
#define seqcount_release(l, i)			do { } while (0)
#define mutex_acquire(l, s, t, i)		do { } while (0)
#define mutex_acquire_nest(l, s, t, n, i)	do { } while (0)
#define mutex_release(l, i)			do { } while (0)
#define rwsem_acquire(l, s, t, i)		do { } while (0)
#define rwsem_acquire_nest(l, s, t, n, i)	do { } while (0)
#define rwsem_acquire_read(l, s, t, i)		do { } while (0)
#define rwsem_release(l, i)			do { } while (0)
#define lock_map_acquire(l)			do { } while (0)
#define lock_map_acquire_try(l)			do { } while (0)
#define lock_map_acquire_read(l)		do { } while (0)
#define lock_map_acquire_tryread(l)		do { } while (0)
#define lock_map_release(l)			do { } while (0)
#define LOCK_CONTENDED(_lock, try, lock)	lock(_lock)

/* Without lockdep the kernel's assertions check nothing (and evaluate nothing). */
#define lockdep_is_held(lock)			({ (void)(lock); 1; })
#define lockdep_is_held_type(lock, r)		({ (void)(lock); 1; })
#define lockdep_assert(c)			do { } while (0)
#define lockdep_assert_once(c)			do { } while (0)
#define lockdep_assert_held(l)			do { (void)(l); } while (0)
#define lockdep_assert_not_held(l)		do { (void)(l); } while (0)
#define lockdep_assert_held_write(l)		do { (void)(l); } while (0)
#define lockdep_assert_held_read(l)		do { (void)(l); } while (0)
#define lockdep_assert_held_once(l)		do { (void)(l); } while (0)
#define lockdep_assert_none_held_once()		do { } while (0)
#define lockdep_assert_irqs_enabled()		do { } while (0)
#define lockdep_assert_irqs_disabled()		do { } while (0)
#define lockdep_assert_in_irq()			do { } while (0)
#define lockdep_assert_in_softirq()		do { } while (0)
#define lockdep_assert_preemption_enabled()	do { } while (0)
#define lockdep_assert_preemption_disabled()	do { } while (0)
#define lockdep_assert_no_hardirq()		do { } while (0)
#define lockdep_assert_RT_in_threaded_ctx()	do { } while (0)
#define lockdep_recursing(tsk)			0

/* The debug flavor's controls, as no-ops, so one program builds in both flavors. */
static inline void lksync_lockdep_reset(void) { }
static inline int lksync_lockdep_selfcheck(void) { return 0; }
static inline void lksync_lockdep_sys_exit(void) { }
static inline int lksync_lockdep_set_dot_file(const char *path) { (void)path; return 0; }
static inline void lksync_lock_stat_print(void *f) { (void)f; }
static inline void lksync_lock_stat_clear(void) { }
static inline int lksync_lock_stat_enable(int on) { (void)on; return 0; }

struct pin_cookie { };
#define NIL_COOKIE				(struct pin_cookie){ }
#define lockdep_pin_lock(l)			({ (void)(l); NIL_COOKIE; })
#define lockdep_repin_lock(l, c)		do { (void)(l); (void)(c); } while (0)
#define lockdep_unpin_lock(l, c)		do { (void)(l); (void)(c); } while (0)

#endif /* LKSYNC_DEBUG */

#endif /* LKSYNC_LOCKDEP_H */
