// SPDX-License-Identifier: MIT
/*
 * Layer: debug. DEBUG_SPINLOCK: the kernel's spinlock and rwlock checks
 * (kernel/locking/spinlock_debug.c) around the arch operations, and a
 * lockup detector. Debug flavor only; the release flavor calls the arch
 * operations directly.
 *
 * Checks, each reported once (the first report turns debug_locks off, as
 * the kernel's spin_bug()), with the kernel's words:
 *   lock:   bad magic (uninitialized or corrupted), recursion (the caller
 *           holds it already)
 *   unlock: bad magic, already unlocked, wrong owner
 * and for rwlocks the same on the write side (bad magic on both sides,
 * already unlocked for readers too). The kernel's "cpu recursion" and
 * "wrong CPU" checks are left out: here a CPU is not a task's for the time
 * it holds a spinlock (the OS migrates threads whatever preempt_count says),
 * so a lock may rightly be released on another CPU than it was taken on,
 * and another task may take a lock on the CPU where its holder ran. The
 * owner checks catch what those would (the owner is the task, not the CPU).
 *
 * Lockup detector: a task that waits for a spinlock (spinning or parked in
 * the queued spinlock's slow path, src/locking/qspinlock.c) while one holder
 * keeps it longer than the bound reports "spinlock lockup suspected" once,
 * naming the holder, and goes on waiting. A lock that changes hands
 * meanwhile restarts the clock: waiting long behind many holders on a
 * loaded machine is not a lockup. The bound is 1 s; LKSYNC_SPIN_LOCKUP_MS
 * in the environment (read once) or lksync_spin_lockup_ms sets it, 0 turns
 * it off.
 *
 * The same for rwlocks (the old kernel's "BUG: read-lock lockup" and
 * "BUG: write-lock lockup", with the address of the lock): a reader or
 * writer waiting in the queued rwlock's slow path (src/locking/qrwlock.c),
 * at the head or queued on its wait lock, while the same holders keep the
 * lock (one writer, named, or readers that do not drain) past the same
 * bound. The Big Kernel Lock (src/locking/bkl.c) is a raw spinlock of its
 * own in the debug flavor, so it is watched as one, its holder named.
 *
 * The owner fields are read by other tasks without the lock: relaxed
 * atomics (a stale value can only miss a report, never make a false one:
 * only the task itself stores its own address there, and clears it before
 * it releases the lock). Everything here is async-signal-safe: the checks
 * run in interrupt handlers too.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <lksync/spinlock.h>
#include <lksync/rwlock.h>
#include <lksync/smp.h>
#include <lksync/qrwlock.h>
#include "locking/qspinlock_internal.h"
#include "debug/lock_debug.h"
#include "sched/sched.h"

#ifdef LKSYNC_DEBUG

LKSYNC_API long lksync_spin_lockup_ms = -1;	/* -1: not set, take the environment's */

/*
 * The raw spinlock this task is waiting for, so that a lockup names it,
 * and its holder at the previous look (lksync_spin_lockup_progress()).
 */
static __thread raw_spinlock_t *waiting_for LKSYNC_TLS_MODEL;
static __thread void *waiting_owner LKSYNC_TLS_MODEL;

/* The same for an rwlock: the lock, its holders at the previous look, the side. */
struct rw_wait {
	rwlock_t *lock;
	unsigned long holders;
	int write;
};
#ifndef LKSYNC_UP
static __thread struct rw_wait rw_waiting LKSYNC_TLS_MODEL;
#endif

#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

u64 lksync_spin_lockup_bound(void)
{
	long ms = LOAD(lksync_spin_lockup_ms);

	if (ms < 0) {
		/* getenv() only reads: safe here. */
		const char *e = getenv("LKSYNC_SPIN_LOCKUP_MS");

		ms = e && *e ? atol(e) : 1000;
		if (ms < 0)
			ms = 0;
		STORE(lksync_spin_lockup_ms, ms);
	}
	return (u64)ms * 1000000u;
}

/* The lock's name as the kernel's %ps: a symbol and offset, else its address. */
static void lock_sym(char *buf, size_t len, const void *lock)
{
	Dl_info info;

	/* dladdr() takes the loader's lock: only in task context. */
	if (in_task() && dladdr(lock, &info) && info.dli_sname && info.dli_saddr)
		snprintf(buf, len, "%s+0x%tx", info.dli_sname,
			 (const char *)lock - (const char *)info.dli_saddr);
	else
		snprintf(buf, len, "%p", lock);
}

/* The kernel's spin_dump(): the headline and the lock line, for @lock. */
static void spin_dump(raw_spinlock_t *lock, const char *msg)
{
	struct task_struct *owner = LOAD(lock->owner), *me = current;
	char headline[160], sym[128];

	if (owner == SPINLOCK_OWNER_INIT)
		owner = NULL;
	if (owner)
		lksync_tsan_task_acquire(owner);	/* type-stable, see sched.h */
	lock_sym(sym, sizeof(sym), lock);
	snprintf(headline, sizeof(headline), "BUG: spinlock %s on CPU#%d, %.16s/%d",
		 msg, (int)raw_smp_processor_id(), me->comm, me->pid);
	lksync_report(headline, " lock: %s, .magic: %08x, .owner: %.16s/%d, .owner_cpu: %d\n",
		      sym, LOAD(lock->magic), owner ? owner->comm : "<none>",
		      owner ? owner->pid : -1, (int)LOAD(lock->owner_cpu));
}

static __cold noinline void spin_bug(raw_spinlock_t *lock, const char *msg)
{
	if (!debug_locks_off())
		return;
	if (!debug_locks_silent)
		spin_dump(lock, msg);
}

#define SPIN_BUG_ON(cond, lock, msg)	do { if (unlikely(cond)) spin_bug(lock, msg); } while (0)

static inline void debug_spin_lock_before(raw_spinlock_t *lock)
{
	SPIN_BUG_ON(LOAD(lock->magic) != SPINLOCK_MAGIC, lock, "bad magic");
	SPIN_BUG_ON(LOAD(lock->owner) == current, lock, "recursion");
}

static inline void debug_spin_lock_after(raw_spinlock_t *lock)
{
	STORE(lock->owner_cpu, raw_smp_processor_id());
	STORE(lock->owner, (void *)current);
}

/* Is @lock free? The UP build has no lock word: the owner tells. */
static inline int spin_unlocked(raw_spinlock_t *lock)
{
#ifdef LKSYNC_UP
	return LOAD(lock->owner) == SPINLOCK_OWNER_INIT;
#else
	return !arch_spin_is_locked(&lock->raw_lock);
#endif
}

/* Return: 0 if @lock is not held at all: the arch unlock must not run then. */
static inline int debug_spin_unlock(raw_spinlock_t *lock)
{
	int unlocked = spin_unlocked(lock);

	SPIN_BUG_ON(LOAD(lock->magic) != SPINLOCK_MAGIC, lock, "bad magic");
	SPIN_BUG_ON(unlocked, lock, "already unlocked");
	SPIN_BUG_ON(!unlocked && LOAD(lock->owner) != current, lock, "wrong owner");
	STORE(lock->owner, SPINLOCK_OWNER_INIT);
	STORE(lock->owner_cpu, -1u);
	return !unlocked;
}

void lksync_raw_spin_lock_init(raw_spinlock_t *lock, const char *name,
			       struct lock_class_key *key, short inner)
{
	/* Re-initializing a held lock is lockdep's "held lock freed!". */
	debug_check_no_locks_freed((void *)lock, sizeof(*lock));
	lockdep_init_map_wait(&lock->dep_map, name, key, 0, (u8)inner);
	lock->raw_lock = (arch_spinlock_t)__ARCH_SPIN_LOCK_UNLOCKED;
	lock->magic = SPINLOCK_MAGIC;
	lock->owner = SPINLOCK_OWNER_INIT;
	lock->owner_cpu = -1u;
}

void lksync_do_raw_spin_lock(raw_spinlock_t *lock)
{
	raw_spinlock_t *outer = waiting_for;
	void *outer_owner = waiting_owner;

	debug_spin_lock_before(lock);
	/* An interrupt handler's wait on this thread saves and restores them. */
	waiting_owner = LOAD(lock->owner);
	waiting_for = lock;
	arch_spin_lock(&lock->raw_lock);
	waiting_for = outer;
	waiting_owner = outer_owner;
	debug_spin_lock_after(lock);
}

int lksync_do_raw_spin_trylock(raw_spinlock_t *lock)
{
	int ret = arch_spin_trylock(&lock->raw_lock);

	if (ret)
		debug_spin_lock_after(lock);
	return ret;
}

int lksync_do_raw_spin_lock_try(raw_spinlock_t *lock)
{
	debug_spin_lock_before(lock);
	return lksync_do_raw_spin_trylock(lock);
}

/*
 * Unlocking a free lock is reported and then skipped (the kernel goes on):
 * releasing a free queued lock could hand it to a parked waiter that is not
 * owed it, and a free rwlock's reader count would underflow.
 */
void lksync_do_raw_spin_unlock(raw_spinlock_t *lock)
{
	if (debug_spin_unlock(lock))
		arch_spin_unlock(&lock->raw_lock);
}

/*
 * Has @lock changed hands since the previous look? A bare arch lock (an
 * rwlock's wait lock, the BKL) records no holder: always "yes", so its
 * waits are not watched.
 */
int lksync_spin_lockup_progress(struct qspinlock *lock)
{
	raw_spinlock_t *raw = waiting_for;
	void *owner;

#ifndef LKSYNC_UP
	/* Queued on an rwlock's wait lock: the rwlock's holders tell. */
	if (rw_waiting.lock && lock == &rw_waiting.lock->raw_lock.wait_lock)
		return lksync_rwlock_lockup_progress(&rw_waiting.lock->raw_lock);
#endif
	if (!raw || &raw->raw_lock != lock)
		return 1;
	owner = LOAD(raw->owner);
	if (owner == waiting_owner)
		return 0;
	waiting_owner = owner;
	return 1;
}

void lksync_spin_lockup(struct qspinlock *lock, u64 waited_ns)
{
	raw_spinlock_t *raw = waiting_for;
	struct task_struct *me = current;
	char headline[160];

	if (raw && &raw->raw_lock == lock) {
		spin_dump(raw, "lockup suspected");
		return;
	}
#ifndef LKSYNC_UP
	if (rw_waiting.lock && lock == &rw_waiting.lock->raw_lock.wait_lock) {
		lksync_rwlock_lockup(&rw_waiting.lock->raw_lock, waited_ns);
		return;
	}
#endif
	/* A bare arch lock (an rwlock's wait lock, the BKL): no owner recorded. */
	snprintf(headline, sizeof(headline), "BUG: spinlock lockup suspected on CPU#%d, %.16s/%d",
		 (int)raw_smp_processor_id(), me->comm, me->pid);
	lksync_report(headline, " lock: %p, waited %llu ms\n", (void *)lock,
		      (unsigned long long)(waited_ns / 1000000));
}

/* rwlocks: the kernel's rwlock_bug(), whose headline names the lock's address. */
static __cold noinline void rwlock_bug(rwlock_t *lock, const char *msg)
{
	struct task_struct *me = current;
	char headline[160];

	if (!debug_locks_off() || debug_locks_silent)
		return;
	snprintf(headline, sizeof(headline), "BUG: rwlock %s on CPU#%d, %.16s/%d, %p",
		 msg, (int)raw_smp_processor_id(), me->comm, me->pid, (void *)lock);
	lksync_report(headline, NULL);
}

#define RWLOCK_BUG_ON(cond, lock, msg)	do { if (unlikely(cond)) rwlock_bug(lock, msg); } while (0)

void lksync_rwlock_init(rwlock_t *lock, const char *name, struct lock_class_key *key)
{
	debug_check_no_locks_freed((void *)lock, sizeof(*lock));
	lockdep_init_map_wait(&lock->dep_map, name, key, 0, LD_WAIT_CONFIG);
	lock->raw_lock = (arch_rwlock_t)__ARCH_RW_LOCK_UNLOCKED;
	lock->magic = RWLOCK_MAGIC;
	lock->owner = SPINLOCK_OWNER_INIT;
	lock->owner_cpu = -1u;
}

#ifndef LKSYNC_UP
/* Readers hold the lock (the count also has readers passing through its slow path). */
#define rw_no_readers(l)	(!(LOAD((l)->raw_lock.cnts) >> _QR_SHIFT))
#define rw_not_wlocked(l)	(!LOAD((l)->raw_lock.wlocked))
#else
#define rw_no_readers(l)	0
#define rw_not_wlocked(l)	(LOAD((l)->owner) == SPINLOCK_OWNER_INIT)
#endif

#ifndef LKSYNC_UP
/*
 * Who holds @lock, as the lockup detector compares it between two looks:
 * the writer (its owner field; the bit tells a writer from a count), or
 * the number of readers. A writer between taking the lock and writing its
 * owner reads as none: one look later it reads as itself, a change, which
 * only delays a report.
 */
static unsigned long rw_holders(rwlock_t *lock)
{
	u32 cnts = LOAD(lock->raw_lock.cnts);

	if (cnts & _QW_LOCKED)
		return (unsigned long)LOAD(lock->owner) | 1;
	return (unsigned long)(cnts >> _QR_SHIFT) << 1;
}

int lksync_rwlock_lockup_progress(struct qrwlock *lock)
{
	rwlock_t *rw = rw_waiting.lock;
	unsigned long holders;

	if (!rw || &rw->raw_lock != lock)
		return 1;
	holders = rw_holders(rw);
	if (holders == rw_waiting.holders)
		return 0;
	rw_waiting.holders = holders;
	return 1;
}

void lksync_rwlock_lockup(struct qrwlock *lock, u64 waited_ns)
{
	rwlock_t *rw = rw_waiting.lock;
	struct task_struct *me = current, *owner = NULL;
	char headline[160], sym[128];
	u32 cnts;

	if (!rw || &rw->raw_lock != lock)
		return;
	cnts = LOAD(lock->cnts);
	if (cnts & _QW_LOCKED) {
		owner = LOAD(rw->owner);
		if (owner == SPINLOCK_OWNER_INIT)
			owner = NULL;
	}
	if (owner)
		lksync_tsan_task_acquire(owner);	/* type-stable, see sched.h */
	lock_sym(sym, sizeof(sym), rw);
	snprintf(headline, sizeof(headline), "BUG: %s-lock lockup on CPU#%d, %.16s/%d, %p",
		 rw_waiting.write ? "write" : "read", (int)raw_smp_processor_id(),
		 me->comm, me->pid, (void *)rw);
	lksync_report(headline, " lock: %s, .magic: %08x, .owner: %.16s/%d, .owner_cpu: %d, "
		      "readers: %u, waited %llu ms\n", sym, LOAD(rw->magic),
		      owner ? owner->comm : "<none>", owner ? owner->pid : -1,
		      owner ? (int)LOAD(rw->owner_cpu) : -1, cnts >> _QR_SHIFT,
		      (unsigned long long)(waited_ns / 1000000));
}

/* Around a wait for @lock: what the lockup detector looks at (an interrupt nests). */
static inline struct rw_wait rw_wait_begin(rwlock_t *lock, int write)
{
	struct rw_wait outer = rw_waiting;

	rw_waiting.holders = ~0UL;	/* none yet: the first look restarts the clock */
	rw_waiting.write = write;
	barrier();	/* the fields before the lock: an interrupt here sees a whole record */
	rw_waiting.lock = lock;
	return outer;
}

static inline void rw_wait_end(struct rw_wait outer)
{
	rw_waiting.lock = NULL;
	barrier();
	rw_waiting = outer;
}
#else
static inline struct rw_wait rw_wait_begin(rwlock_t *lock, int write)
{
	(void)lock, (void)write;
	return (struct rw_wait){ 0 };
}
static inline void rw_wait_end(struct rw_wait outer) { (void)outer; }
#endif

void lksync_do_raw_read_lock(rwlock_t *lock)
{
	struct rw_wait outer;

	RWLOCK_BUG_ON(LOAD(lock->magic) != RWLOCK_MAGIC, lock, "bad magic");
	outer = rw_wait_begin(lock, 0);
	arch_read_lock(&lock->raw_lock);
	rw_wait_end(outer);
}

int lksync_do_raw_read_trylock(rwlock_t *lock)
{
	return arch_read_trylock(&lock->raw_lock);
}

int lksync_do_raw_read_lock_try(rwlock_t *lock)
{
	RWLOCK_BUG_ON(LOAD(lock->magic) != RWLOCK_MAGIC, lock, "bad magic");
	return arch_read_trylock(&lock->raw_lock);
}

void lksync_do_raw_read_unlock(rwlock_t *lock)
{
	int unlocked = rw_no_readers(lock);

	RWLOCK_BUG_ON(LOAD(lock->magic) != RWLOCK_MAGIC, lock, "bad magic");
	RWLOCK_BUG_ON(unlocked, lock, "already unlocked");
	if (!unlocked)
		arch_read_unlock(&lock->raw_lock);
}

static inline void debug_write_lock_before(rwlock_t *lock)
{
	RWLOCK_BUG_ON(LOAD(lock->magic) != RWLOCK_MAGIC, lock, "bad magic");
	RWLOCK_BUG_ON(LOAD(lock->owner) == current, lock, "recursion");
}

static inline void debug_write_lock_after(rwlock_t *lock)
{
	STORE(lock->owner_cpu, raw_smp_processor_id());
	STORE(lock->owner, (void *)current);
}

void lksync_do_raw_write_lock(rwlock_t *lock)
{
	struct rw_wait outer;

	debug_write_lock_before(lock);
	outer = rw_wait_begin(lock, 1);
	arch_write_lock(&lock->raw_lock);
	rw_wait_end(outer);
	debug_write_lock_after(lock);
}

int lksync_do_raw_write_trylock(rwlock_t *lock)
{
	int ret = arch_write_trylock(&lock->raw_lock);

	if (ret)
		debug_write_lock_after(lock);
	return ret;
}

int lksync_do_raw_write_lock_try(rwlock_t *lock)
{
	debug_write_lock_before(lock);
	return lksync_do_raw_write_trylock(lock);
}

void lksync_do_raw_write_unlock(rwlock_t *lock)
{
	int unlocked = rw_not_wlocked(lock);

	RWLOCK_BUG_ON(LOAD(lock->magic) != RWLOCK_MAGIC, lock, "bad magic");
	RWLOCK_BUG_ON(unlocked, lock, "already unlocked");
	RWLOCK_BUG_ON(!unlocked && LOAD(lock->owner) != current, lock, "wrong owner");
	STORE(lock->owner, SPINLOCK_OWNER_INIT);
	STORE(lock->owner_cpu, -1u);
	if (!unlocked)
		arch_write_unlock(&lock->raw_lock);
}

#endif /* LKSYNC_DEBUG */
