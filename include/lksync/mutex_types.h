/* SPDX-License-Identifier: MIT */
/*
 * Layer: locking. struct mutex and its static initializers only, as the
 * kernel's linux/mutex_types.h, so that other types can embed a mutex
 * without the operations. Includes lib, arch and locking types headers only.
 *
 * owner is the owning task's address with three flag bits below it (task
 * structures are at least 8-byte aligned); src/locking/mutex.c has the
 * states. wait_lock serializes the FIFO wait_list of sleeping waiters.
 * handoff_at (in the padding after wait_lock) is 0 while nobody waits, else
 * when the owner must hand the lock to the first waiter (a clock in units of
 * 1024 ns), which bounds how long tasks outside the queue keep the lock.
 * The debug flavor adds DEBUG_MUTEXES' magic and a lockdep map.
 */
#ifndef LKSYNC_MUTEX_TYPES_H
#define LKSYNC_MUTEX_TYPES_H

#include <lksync/atomic.h>
#include <lksync/list.h>
#include <lksync/spinlock_types.h>

/*
 * struct mutex - a sleeping lock with one owner. Initialize with
 * DEFINE_MUTEX() or mutex_init(); touch the fields only through the API.
 */
struct mutex {
	atomic_long_t owner;
	raw_spinlock_t wait_lock;
	unsigned int handoff_at;
	struct list_head wait_list;
#ifdef LKSYNC_DEBUG
	void *magic;			/* DEBUG_MUTEXES: the mutex's own address */
	struct lockdep_map dep_map;
#endif
};

#ifdef LKSYNC_DEBUG
#define __DEBUG_MUTEX_INITIALIZER(lockname)	.magic = &(lockname),
#define __DEP_MAP_MUTEX_INITIALIZER(lockname, _key)				\
	.dep_map = { .key = (void *)(_key), .name = #lockname,			\
		     .wait_type_inner = LD_WAIT_SLEEP },
#else
#define __DEBUG_MUTEX_INITIALIZER(lockname)
#define __DEP_MAP_MUTEX_INITIALIZER(lockname, _key)
#endif

#define __MUTEX_INITIALIZER_KEY(lockname, key)					\
	{ .owner = ATOMIC_LONG_INIT(0),						\
	  .wait_lock = __RAW_SPIN_LOCK_INITIALIZER(lockname.wait_lock),		\
	  .handoff_at = 0,							\
	  .wait_list = LIST_HEAD_INIT(lockname.wait_list),			\
	  __DEBUG_MUTEX_INITIALIZER(lockname)					\
	  __DEP_MAP_MUTEX_INITIALIZER(lockname, key) }

/*
 * __MUTEX_INITIALIZER - the value of an unlocked mutex named @lockname (an
 * lvalue: the mutex itself). In the debug flavor the mutex and its wait
 * lock are each their own lockdep class, keyed by their addresses: it must
 * be in static storage, as the kernel requires; a mutex on the stack or the
 * heap needs mutex_init().
 */
#define __MUTEX_INITIALIZER(lockname)	__MUTEX_INITIALIZER_KEY(lockname, NULL)

/* DEFINE_MUTEX - define and initialize an unlocked struct mutex @mutexname. */
#define DEFINE_MUTEX(mutexname)							\
	struct mutex mutexname = __MUTEX_INITIALIZER_KEY(mutexname, NULL)

#endif /* LKSYNC_MUTEX_TYPES_H */
