// SPDX-License-Identifier: MIT
/*
 * Layer: debug. DEBUG_MUTEXES (kernel/locking/mutex-debug.c and the checks
 * in kernel/locking/mutex.c) and lockdep's mutex hooks. Debug flavor only:
 * <lksync/mutex.h> sends every mutex operation here, out of line as the
 * kernel's debug build does (no inline fast path), so that lockdep and
 * lock_stat see the caller's address.
 *
 * Checks, in the kernel's words: each a WARNING "DEBUG_LOCKS_WARN_ON(cond)"
 * at its place here, once (debug_locks goes off, lockdep stops too):
 *   lock->magic != lock              used before mutex_init(), after
 *                                    mutex_destroy(), or corrupted
 *   in_interrupt()                   mutex_lock()/mutex_trylock() in
 *                                    interrupt or bottom-half context
 *   __owner_task(owner) != current   unlock by another task than the owner,
 *                                    or of an unlocked mutex
 *   mutex_is_locked(lock)            mutex_destroy() of a held mutex
 * Recursion (mutex_lock() of a mutex the task holds) is lockdep's "possible
 * recursive locking detected". Without lockdep's report (debug_locks off
 * after an earlier one, lockdep_off()), the task sleeps forever, as in the
 * kernel; after the hung-task bound (120 s; LKSYNC_HUNG_TASK_TIMEOUT_MS or
 * lksync_hung_task_timeout_ms, 0 = off) it reports "INFO: task comm:pid
 * blocked for more than N seconds.", naming the mutex, its owner and a
 * self-deadlock as such, once per wait.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <lksync/mutex.h>
#include "locking/debug_hooks.h"
#include "debug/lock_debug.h"
#include "debug/debug.h"
#include "sched/sched.h"

#ifdef LKSYNC_DEBUG

LKSYNC_API long lksync_hung_task_timeout_ms = -1;	/* -1: take the environment's */

static inline struct task_struct *__owner_task(unsigned long owner)
{
	return (struct task_struct *)(owner & ~MUTEX_FLAGS);
}

void lksync_mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key)
{
	/* Re-initializing a held mutex is lockdep's "held lock freed!". */
	debug_check_no_locks_freed((void *)lock, sizeof(*lock));
	lockdep_init_map_wait(&lock->dep_map, name, key, 0, LD_WAIT_SLEEP);
	atomic_long_set(&lock->owner, 0);
	raw_spin_lock_init(&lock->wait_lock);
	lock->handoff_at = 0;
	INIT_LIST_HEAD(&lock->wait_list);
	lock->magic = lock;
}

void lksync_mutex_destroy(struct mutex *lock)
{
	DEBUG_LOCKS_WARN_ON(mutex_is_locked(lock));
	/*
	 * Poisoned: a later use fails the magic check. magic is written only
	 * here and at initialization, when nobody may use the mutex.
	 */
	lock->magic = NULL;
}

int lksync_mutex_lock_common(struct mutex *lock, unsigned int state,
			     unsigned int subclass, struct lockdep_map *nest)
{
	unsigned long ip = _RET_IP_;
	int ret;

	might_sleep();
	DEBUG_LOCKS_WARN_ON(lock->magic != lock);
	DEBUG_LOCKS_WARN_ON(in_interrupt());
	/* Before it may block: a deadlock is reported before it happens. */
	mutex_acquire_nest(&lock->dep_map, subclass, 0, nest, ip);
	if (__mutex_trylock_fast(lock)) {
		lock_acquired(&lock->dep_map, ip);
		return 0;
	}
	lock_contended(&lock->dep_map, ip);
	ret = lksync_mutex_lock_slowpath(lock, state);
	if (ret) {
		/* Interrupted (-EINTR): the lock was never ours. */
		mutex_release(&lock->dep_map, ip);
		return ret;
	}
	lock_acquired(&lock->dep_map, ip);
	return 0;
}

int lksync_mutex_trylock_debug(struct mutex *lock)
{
	int locked;

	DEBUG_LOCKS_WARN_ON(lock->magic != lock);
	DEBUG_LOCKS_WARN_ON(in_interrupt());
	locked = __mutex_trylock_fast(lock) || lksync_mutex_trylock_slowpath(lock);
	if (locked)
		mutex_acquire(&lock->dep_map, 0, 1, _RET_IP_);
	return locked;
}

void lksync_mutex_unlock_debug(struct mutex *lock)
{
	long curr = (long)current;
	unsigned long owner;

	mutex_release(&lock->dep_map, _RET_IP_);
	if (likely(READ_ONCE(debug_locks))) {
		DEBUG_LOCKS_WARN_ON(lock->magic != lock);
		owner = (unsigned long)atomic_long_read(&lock->owner);
		DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current);
		DEBUG_LOCKS_WARN_ON(owner & MUTEX_FLAG_PICKUP);
	}
	/*
	 * As mutex_unlock()'s release fast path; everything else (tasks
	 * queued, or not ours: the kernel releases it anyway) goes slow.
	 * Release: the critical section happens before the next owner's.
	 */
	if (!READ_ONCE(lock->handoff_at) &&
	    atomic_long_try_cmpxchg_release(&lock->owner, &curr, 0))
		return;
	lksync_mutex_unlock_slowpath(lock);
}

u64 lksync_hung_task_bound(void)
{
	long ms = __atomic_load_n(&lksync_hung_task_timeout_ms, __ATOMIC_RELAXED);

	if (ms < 0) {
		const char *e = getenv("LKSYNC_HUNG_TASK_TIMEOUT_MS");

		ms = e && *e ? atol(e) : 120000;
		if (ms < 0)
			ms = 0;
		__atomic_store_n(&lksync_hung_task_timeout_ms, ms, __ATOMIC_RELAXED);
	}
	return (u64)ms * 1000000u;
}

void lksync_mutex_hung(struct mutex *lock, u64 waited_ns)
{
	struct task_struct *me = current, *owner;
	char headline[160], held[2048], sym[128];
	Dl_info info;

	(void)waited_ns;
	owner = __owner_task((unsigned long)atomic_long_read(&lock->owner));
	if (owner)
		lksync_tsan_task_acquire(owner);	/* type-stable, see sched.h */
	if (dladdr(lock, &info) && info.dli_sname && info.dli_saddr)
		snprintf(sym, sizeof(sym), "%s+0x%tx", info.dli_sname,
			 (char *)lock - (char *)info.dli_saddr);
	else
		snprintf(sym, sizeof(sym), "%p", (void *)lock);
	snprintf(headline, sizeof(headline), "INFO: task %.16s:%d blocked for more than %llu seconds.",
		 me->comm, me->pid,
		 (unsigned long long)((lksync_hung_task_bound() + 999999999u) / 1000000000u));
	lksync_debug_held_locks_text(me, held, sizeof(held));
	lksync_report(headline,
		      "\"LKSYNC_HUNG_TASK_TIMEOUT_MS=0\" disables this message.\n"
		      "task:%.16s state:D waiting for mutex %s (%s), .owner: %.16s/%d%s\n%s",
		      me->comm, sym, lock->dep_map.name ? lock->dep_map.name : "?",
		      owner ? owner->comm : "<none>", owner ? owner->pid : -1,
		      owner == me ? "\nthe task holds this mutex itself: recursive locking (self-deadlock)" : "",
		      held);
}

#endif /* LKSYNC_DEBUG */
