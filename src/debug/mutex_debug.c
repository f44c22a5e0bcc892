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
 * kernel, and the hung-task detector below reports it, naming the mutex,
 * its owner and a self-deadlock as such.
 *
 * Also here: the hung-task detector's report for every sleep in
 * TASK_UNINTERRUPTIBLE (DETECT_HUNG_TASK): "INFO: task comm:pid blocked
 * for more than N seconds.", with the kernel's blocker line for a mutex,
 * semaphore or rw_semaphore, once per sleep past the bound (120 s;
 * LKSYNC_HUNG_TASK_TIMEOUT_MS or lksync_hung_task_timeout_ms, 0 = off).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lksync/mutex.h>
#include <lksync/rwsem.h>
#include <lksync/semaphore.h>
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
	/* Beyond the clock's range: saturated, which the sleep takes as never. */
	return (u64)ms > ~(u64)0 / 1000000u ? ~(u64)0 : (u64)ms * 1000000u;
}

/*
 * The hung-task detector (the kernel's kernel/hung_task.c with
 * DETECT_HUNG_TASK_BLOCKER). schedule() (src/sched/core.c) bounds each
 * sleep in TASK_UNINTERRUPTIBLE by lksync_hung_task_bound() and, asleep
 * past it, calls lksync_hung_task() on the sleeper itself, once per sleep.
 * The sleeping locks name what they wait for with
 * lksync_hung_task_set_blocker() around their sleeps, as the kernel's
 * hung_task_set_blocker(): the lock's address with its type in the low two
 * bits. Only the task itself writes and reads its blocker.
 */
static __thread unsigned long hung_blocker LKSYNC_TLS_MODEL;

void lksync_hung_task_set_blocker(const void *lock, unsigned long type)
{
	hung_blocker = lock ? (unsigned long)lock | (type & BLOCKER_TYPE_MASK) : 0;
}

/* The lock's name as the kernel's %ps: a symbol and offset, else its address. */
static void lock_sym(char *buf, size_t len, const void *lock)
{
	Dl_info info;

	if (dladdr(lock, &info) && info.dli_sname && info.dli_saddr)
		snprintf(buf, len, "%s+0x%tx", info.dli_sname,
			 (const char *)lock - (const char *)info.dli_saddr);
	else
		snprintf(buf, len, "%p", lock);
}

/*
 * The kernel's debug_show_blocker() lines for @me, into @buf: the task
 * that likely holds what @me waits for (a mutex's owner, a semaphore's
 * last holder, an rw_semaphore's writer or last reader), and what lksync
 * knows besides (the lock, a self-deadlock).
 */
static void hung_blocker_text(struct task_struct *me, char *buf, size_t len)
{
	unsigned long blocker = hung_blocker;
	void *lock = (void *)(blocker & ~BLOCKER_TYPE_MASK);
	struct task_struct *owner = NULL;
	const char *as = "", *by = "";
	char sym[128];
	long word;

	buf[0] = '\0';
	if (!blocker)
		return;
	lock_sym(sym, sizeof(sym), lock);
	switch (blocker & BLOCKER_TYPE_MASK) {
	case BLOCKER_TYPE_MUTEX: {
		struct mutex *m = lock;

		owner = (struct task_struct *)(atomic_long_read(&m->owner) & ~MUTEX_FLAGS);
		if (owner)
			lksync_tsan_task_acquire(owner);	/* type-stable, see sched.h */
		if (owner)
			snprintf(buf, len, "INFO: task %.16s:%d is blocked on a mutex likely owned by task %.16s:%d.\n",
				 me->comm, me->pid, owner->comm, owner->pid);
		else
			snprintf(buf, len, "INFO: task %.16s:%d is blocked on a mutex, but the owner is not found.\n",
				 me->comm, me->pid);
		snprintf(buf + strlen(buf), len - strlen(buf),
			 "waiting for mutex %s (%s), .owner: %.16s/%d\n%s", sym,
			 m->dep_map.name ? m->dep_map.name : "?",
			 owner ? owner->comm : "<none>", owner ? owner->pid : -1,
			 owner == me ? "the task holds this mutex itself: recursive locking (self-deadlock)\n" : "");
		return;
	}
	case BLOCKER_TYPE_SEM:
		owner = lksync_sem_last_holder(lock);
		if (owner)
			lksync_tsan_task_acquire(owner);
		if (owner)
			snprintf(buf, len, "INFO: task %.16s:%d blocked on a semaphore likely last held by task %.16s:%d\n",
				 me->comm, me->pid, owner->comm, owner->pid);
		else
			snprintf(buf, len, "INFO: task %.16s:%d is blocked on a semaphore, but the last holder is not found.\n",
				 me->comm, me->pid);
		snprintf(buf + strlen(buf), len - strlen(buf), "waiting for semaphore %s\n%s", sym,
			 owner == me ? "the task last took this semaphore itself\n" : "");
		return;
	default: {	/* BLOCKER_TYPE_RWSEM_READER, BLOCKER_TYPE_RWSEM_WRITER */
		struct rw_semaphore *sem = lock;

		word = atomic_long_read(&sem->owner);
		owner = (struct task_struct *)(word & ~RWSEM_OWNER_FLAGS_MASK);
		as = (blocker & BLOCKER_TYPE_MASK) == BLOCKER_TYPE_RWSEM_READER ? "reader" : "writer";
		by = word & RWSEM_READER_OWNED ? "reader" : "writer";
		if (owner)
			lksync_tsan_task_acquire(owner);
		if (owner)
			snprintf(buf, len, "INFO: task %.16s:%d <%s> blocked on an rw-semaphore likely owned by task %.16s:%d <%s>\n",
				 me->comm, me->pid, as, owner->comm, owner->pid, by);
		else
			snprintf(buf, len, "INFO: task %.16s:%d is blocked on an rw-semaphore, but the owner is not found.\n",
				 me->comm, me->pid);
		snprintf(buf + strlen(buf), len - strlen(buf),
			 "waiting for rw-semaphore %s (%s) as %s, .count: %#lx\n%s", sym,
			 sem->dep_map.name ? sem->dep_map.name : "?", as,
			 (unsigned long)atomic_long_read(&sem->count),
			 owner == me && *by == 'w' ?
			 "the task holds this rw-semaphore itself: recursive locking (self-deadlock)\n" : "");
		return;
	}
	}
}

void lksync_hung_task(void)
{
	struct task_struct *me = current;
	char headline[160], blocker[768], held[2048];

	snprintf(headline, sizeof(headline), "INFO: task %.16s:%d blocked for more than %llu seconds.",
		 me->comm, me->pid,
		 (unsigned long long)((lksync_hung_task_bound() + 999999999u) / 1000000000u));
	hung_blocker_text(me, blocker, sizeof(blocker));
	lksync_debug_held_locks_text(me, held, sizeof(held));
	lksync_report(headline,
		      "\"LKSYNC_HUNG_TASK_TIMEOUT_MS=0\" disables this message.\n"
		      "task:%-15.15s state:D pid:%-5d tgid:%-5d flags:0x%08x\n%s%s",
		      me->comm, me->pid, me->tgid, me->flags, blocker, held);
}

#endif /* LKSYNC_DEBUG */
