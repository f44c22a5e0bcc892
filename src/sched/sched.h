/* SPDX-License-Identifier: MIT */
/* Layer: sched (private). What the sleeping core shares with other layers. */
#ifndef LKSYNC_SRC_SCHED_SCHED_H
#define LKSYNC_SRC_SCHED_SCHED_H

#include <lksync/sched.h>
#include <lksync/types.h>

/*
 * Set in task_struct::__state by a task parked in the futex on that word, so
 * a waker knows a FUTEX_WAKE is needed: one atomic tells both the state and
 * whether the sleeper must be woken, and the waker touches nothing in the
 * task after that atomic but the address it passes to the system call.
 */
#define LKSYNC_TASK_PARKED	0x80000000u

/*
 * lksync_task_parked - is @t asleep in the futex? The userspace analogue of
 * "the owner is not on a CPU" that ends optimistic spinning. @t may be a
 * stale pointer: task structs are type-stable (src/sched/task.c), so this
 * reads some task's state, never freed memory.
 */
#ifdef LKSYNC_TSAN
/*
 * A spinner reaches the owner's task through a lock word with no release
 * on the owner's side, so TSan sees no order between the task's allocation
 * and this read. The read is benign whatever it sees (the memory is a task,
 * never freed; a wrong answer only shortens or lengthens a spin); tell TSan
 * the creation happens before it, as task_alloc() releases the task.
 */
void __tsan_acquire(void *addr) __attribute__((weak));
void __tsan_release(void *addr) __attribute__((weak));
#define lksync_tsan_task_acquire(t)	do { if (__tsan_acquire) __tsan_acquire((void *)(t)); } while (0)
#define lksync_tsan_task_release(t)	do { if (__tsan_release) __tsan_release((void *)(t)); } while (0)
#else
#define lksync_tsan_task_acquire(t)	do { } while (0)
#define lksync_tsan_task_release(t)	do { } while (0)
#endif

static inline int lksync_task_parked(const struct task_struct *t)
{
	lksync_tsan_task_acquire(t);
	return !!(__atomic_load_n(&t->__state, __ATOMIC_RELAXED) & LKSYNC_TASK_PARKED);
}

/*
 * lksync_pcpu_static_canon - if @addr lies in some CPU's copy of a static
 * per-CPU variable (DEFINE_PER_CPU), the per-CPU pointer of that variable
 * (the same for every CPU's copy, as the kernel's __is_kernel_percpu_address()
 * gives lockdep a canonical address), else 0. Context: any; lock-free.
 */
uintptr_t lksync_pcpu_static_canon(const void *addr);

#ifdef LKSYNC_DEBUG
/*
 * The hung-task detector (debug flavor; src/debug/mutex_debug.c, the sleep
 * is watched in src/sched/core.c). lksync_hung_task_bound(): how long a task
 * may sleep in TASK_UNINTERRUPTIBLE, in ns (0: no bound). lksync_hung_task():
 * the report, made by the sleeper itself once it has slept that long.
 * hung_task_set_blocker(lock, type): what the current task is about to
 * sleep for, named in the report with its holder, as the kernel's
 * (hung_task_clear_blocker() after the sleep).
 */
#define BLOCKER_TYPE_MUTEX		0x0UL
#define BLOCKER_TYPE_SEM		0x1UL
#define BLOCKER_TYPE_RWSEM_READER	0x2UL
#define BLOCKER_TYPE_RWSEM_WRITER	0x3UL
#define BLOCKER_TYPE_MASK		0x3UL

u64 lksync_hung_task_bound(void);
void lksync_hung_task(void);
void lksync_hung_task_set_blocker(const void *lock, unsigned long type);
#define hung_task_set_blocker(lock, type)	lksync_hung_task_set_blocker(lock, type)
#define hung_task_clear_blocker()		lksync_hung_task_set_blocker(NULL, 0)
#else
#define hung_task_set_blocker(lock, type)	do { } while (0)
#define hung_task_clear_blocker()		do { } while (0)
#endif

#ifdef LKSYNC_TSAN
/*
 * src/lib/tsan.c: create this thread's TSan signal context now, while no
 * interrupt can be sent to it (libtsan's lazy creation can lose a signal).
 */
void lksync_tsan_signal_prime(void);
#endif

/* Monotonic clock in nanoseconds. */
long long lksync_now_ns(void);
/* The monotonic time, in nanoseconds, at which jiffy @j begins. */
long long lksync_jiffy_start_ns(u64 j);

/*
 * The Big Kernel Lock around a sleep (src/locking/bkl.c): schedule() drops it
 * for a holder and takes it again before returning, as the kernel did.
 */
void lksync_bkl_drop(void);
void lksync_bkl_retake(void);

/*
 * Set once by the context layer (src/context/): called on the exiting
 * thread, before its task is marked PF_EXITING, so interrupt routes,
 * pending interrupts and tasklets queued on the task move elsewhere
 * instead of being lost (the kernel's CPU-hotplug takeover).
 */
extern void (*lksync_context_task_exit)(struct task_struct *t);

/*
 * Debug flavor (src/debug/sleep.c): report "BUG: scheduling while atomic"
 * when @prev calls schedule() with a nonzero preempt_count(). Every path
 * that really sleeps calls it first.
 */
#ifdef LKSYNC_DEBUG
void lksync_schedule_debug(struct task_struct *prev);
#define schedule_debug(prev)	lksync_schedule_debug(prev)
#else
#define schedule_debug(prev)	do { } while (0)
#endif

#endif /* LKSYNC_SRC_SCHED_SCHED_H */
