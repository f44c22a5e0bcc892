// SPDX-License-Identifier: MIT
/*
 * Layer: context. Kernel timers on a cascading timer wheel (the kernel's
 * classic tvec_base): exact expiry, O(1) arming and deletion.
 *
 * The wheel: tv1 has 256 slots of one jiffy each, covering the 256 jiffies
 * from base.clk (the next jiffy to process); tv2..tv5 have 64 slots each,
 * every level 64 times coarser. A timer goes to the finest level whose span
 * holds expires - clk; one already due goes to tv1's current slot. When clk
 * crosses a tv1 wrap, the current slot of tv2 is cascaded (re-added, so its
 * timers spread over tv1), and so on up. Processing jiffy clk runs tv1's
 * slot clk % 256 entire: every timer there is due exactly then.
 *
 * One wheel for the process (TIMER_PINNED is accepted and means nothing):
 * base.lock, a raw spinlock always taken with interrupts masked, because
 * arming and deleting are legal from hardirq handlers, which run on whatever
 * thread they interrupt.
 *
 * A timer's state (timer->entry.next, read lock-free by timer_pending()):
 *   NULL		inactive (never armed, expired, or deleted)
 *   non-NULL		pending: linked on a wheel slot or on the expiry list
 * and, independently, base.running_timer == timer while its callback runs
 * (it is inactive then, and may be re-armed by anyone).
 * entry.next is written under base.lock with WRITE_ONCE (a single store the
 * lock-free reader cannot see torn); entry.prev is only read under the lock.
 *
 * Expiry runs in TIMER_SOFTIRQ on one task at a time (base.expiring), so a
 * timer never runs concurrently with itself. Callbacks run with base.lock
 * dropped; timer_delete_sync() waits for base.running_timer to move on,
 * asleep on the futex word base.sync_seq, which the expirer bumps after each
 * callback that someone waits for.
 *
 * Lockdep (debug flavor), as the kernel's: each timer carries a pseudo-lock
 * (timer->lockdep_map, one class per initialization site) held around its
 * callback, and timer_delete_sync() takes and drops it, with interrupts
 * masked, before waiting. So waiting for a callback under a lock the
 * callback takes is a lock-order cycle the first time both orders are seen.
 * The callback runs in softirq context, which makes the class softirq-used;
 * masking interrupts in timer_delete_sync() keeps its own acquisition from
 * counting as "softirq enabled" (which would be an inconsistent lock state
 * for every caller in task context).
 */
#include <limits.h>
#include <stdlib.h>
#include <lksync/timer.h>
#include <lksync/spinlock.h>
#include <lksync/preempt.h>
#include <lksync/sched.h>
#include <lksync/bug.h>
#include "arch/futex.h"
#include "locking/wait_lock.h"	/* base.lock excludes for real in the UP build too */
#include "context/online.h"
#include "context/timer.h"

#define TVN_BITS	6
#define TVR_BITS	8
#define TVN_SIZE	(1 << TVN_BITS)
#define TVR_SIZE	(1 << TVR_BITS)
#define TVN_MASK	(TVN_SIZE - 1)
#define TVR_MASK	(TVR_SIZE - 1)
#define MAX_TVAL	((unsigned long)((1ULL << (TVR_BITS + 4 * TVN_BITS)) - 1))

struct timer_base {
	raw_spinlock_t lock;
	unsigned long clk;		/* next jiffy to process */
	unsigned long active;		/* timers on the wheel or the expiry list */
	unsigned long next_event;	/* the clock's plan, valid if planned */
	bool planned;
	bool expiring;			/* some task is running the wheel */
	struct timer_list *running_timer;
	struct task_struct *running_task;
	u32 sync_seq;			/* futex word: bumped after a waited-for callback */
	u32 sync_waiters;
	struct list_head tv1[TVR_SIZE];
	struct list_head tvn[4][TVN_SIZE];	/* tv2 .. tv5 */
};

static struct timer_base base = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(base.lock),
};

/* The slot heads are self-linked at load time: arming needs no set-up call. */
__attribute__((constructor)) static void timer_base_init(void)
{
	int i, l;

	for (i = 0; i < TVR_SIZE; i++)
		INIT_LIST_HEAD(&base.tv1[i]);
	for (l = 0; l < 4; l++)
		for (i = 0; i < TVN_SIZE; i++)
			INIT_LIST_HEAD(&base.tvn[l][i]);
}

/*
 * List surgery with every ->next store marked: the ->next of a timer's entry
 * is its pending flag, read lock-free by timer_pending().
 */
static void entry_link_tail(struct list_head *head, struct list_head *e)
{
	struct list_head *prev = head->prev;

	e->prev = prev;
	WRITE_ONCE(e->next, head);
	WRITE_ONCE(prev->next, e);
	head->prev = e;
}

static void entry_unlink(struct list_head *e)
{
	struct list_head *prev = e->prev, *next = e->next;

	next->prev = prev;
	WRITE_ONCE(prev->next, next);
	WRITE_ONCE(e->next, NULL);
	e->prev = NULL;
}

/* Move all of @from onto the empty @to, leaving @from empty. */
static void entry_splice_init(struct list_head *from, struct list_head *to)
{
	if (from->next == from) {
		INIT_LIST_HEAD(to);
		return;
	}
	to->next = from->next;
	to->prev = from->prev;
	to->next->prev = to;
	WRITE_ONCE(to->prev->next, to);
	INIT_LIST_HEAD(from);
}

static struct timer_list *entry_timer(struct list_head *e)
{
	return container_of(e, struct timer_list, entry);
}

/* Put @timer on the slot for its expires, relative to base.clk. Lock held. */
static void wheel_add(struct timer_list *timer)
{
	unsigned long expires = timer->expires;
	unsigned long idx = expires - base.clk;
	struct list_head *slot;
	int level;

	if ((long)idx < 0) {
		/* Already due: the slot processed next. */
		slot = &base.tv1[base.clk & TVR_MASK];
	} else if (idx < TVR_SIZE) {
		slot = &base.tv1[expires & TVR_MASK];
	} else {
		if (idx > MAX_TVAL) {
			/*
			 * Beyond the wheel (2^32 jiffies, 49 days): park it in
			 * the farthest slot; each cascade re-files it by its
			 * real expires, so it never fires early.
			 */
			idx = MAX_TVAL;
			expires = base.clk + idx;
		}
		for (level = 0; level < 3; level++)
			if (idx < 1UL << (TVR_BITS + (level + 1) * TVN_BITS))
				break;
		slot = &base.tvn[level][(expires >> (TVR_BITS + level * TVN_BITS)) & TVN_MASK];
	}
	entry_link_tail(slot, &timer->entry);
}

/* Re-file the timers of level @level's slot @index. Return: @index (0: cascade on). */
static int wheel_cascade(int level, int index)
{
	struct list_head list, *e;

	entry_splice_init(&base.tvn[level][index], &list);
	while ((e = list.next) != &list) {
		entry_unlink(e);
		wheel_add(entry_timer(e));
	}
	return index;
}

#define TVN_INDEX(clk, n) (((clk) >> (TVR_BITS + (n) * TVN_BITS)) & TVN_MASK)

/* Sync waiters sleep on base.sync_seq; wake them after a callback. Lock held. */
static void sync_wake(void)
{
	if (base.sync_waiters) {
		/* The futex word: atomic for the waiter's lock-free futex read. */
		__atomic_add_fetch(&base.sync_seq, 1, __ATOMIC_RELAXED);
		lksync_futex_wake(&base.sync_seq, INT_MAX);
	}
}

/* Run @timer's callback with the lock dropped. Lock held on entry and return. */
static void expire_one(struct timer_list *timer, unsigned long *flags)
{
	void (*fn)(struct timer_list *) = timer->function;
	bool irqsafe = timer->flags & TIMER_IRQSAFE;
#ifdef LKSYNC_DEBUG
	struct lockdep_map lockdep_map;

	lockdep_copy_map(&lockdep_map, &timer->lockdep_map);
#endif

	base.running_timer = timer;
	base.running_task = current;
	if (irqsafe)
		raw_spin_unlock(&base.lock);
	else
		raw_spin_unlock_irqrestore(&base.lock, *flags);

	if (fn) {
		/* Couples the callback's lock chain with timer_delete_sync()'s. */
		lock_map_acquire(&lockdep_map);
		fn(timer);
		lock_map_release(&lockdep_map);
	}

	if (irqsafe)
		raw_spin_lock(&base.lock);
	else
		raw_spin_lock_irqsave(&base.lock, *flags);
	base.running_timer = NULL;
	base.running_task = NULL;
	sync_wake();
}

void lksync_timer_softirq(void)
{
	struct list_head work, *e;
	unsigned long flags, now;

	raw_spin_lock_irqsave(&base.lock, flags);
	if (base.expiring) {
		/* Another task is running the wheel; it re-reads jiffies before it stops. */
		raw_spin_unlock_irqrestore(&base.lock, flags);
		return;
	}
	base.expiring = true;
	for (;;) {
		now = jiffies;
		if (time_before(now, base.clk))
			break;
		if (!base.active) {
			base.clk = now + 1;
			break;
		}
		int index = base.clk & TVR_MASK;

		if (!index && !wheel_cascade(0, TVN_INDEX(base.clk, 0)) &&
		    !wheel_cascade(1, TVN_INDEX(base.clk, 1)) &&
		    !wheel_cascade(2, TVN_INDEX(base.clk, 2)))
			wheel_cascade(3, TVN_INDEX(base.clk, 3));
		base.clk++;
		entry_splice_init(&base.tv1[index], &work);
		/*
		 * The list head is on this stack while the lock is dropped:
		 * timer_delete() of a timer still on it unlinks it, under the
		 * lock, like any other slot.
		 */
		while ((e = work.next) != &work) {
			struct timer_list *timer = entry_timer(e);

			entry_unlink(e);
			base.active--;
			expire_one(timer, &flags);
		}
	}
	base.expiring = false;
	raw_spin_unlock_irqrestore(&base.lock, flags);
}

/* The next jiffy the wheel must be run at, from base.clk. Lock held, base.active. */
static unsigned long wheel_next_event(void)
{
	unsigned long clk = base.clk;
	int index = clk & TVR_MASK, i;

	/*
	 * At a wrap (index 0) the outer levels cascade in before the slot
	 * runs: tv1 is empty until then, so the run is due now. Scanning the
	 * empty tv1 would answer clk + TVR_SIZE and sleep through every timer
	 * the cascade was about to bring in (up to 255 jiffies late).
	 */
	if (!index)
		return clk;
	/* tv1 up to its wrap; at the wrap the outer levels cascade in. */
	for (i = index; i < TVR_SIZE; i++)
		if (base.tv1[i].next != &base.tv1[i])
			return clk + (i - index);
	return clk + (TVR_SIZE - index);
}

bool lksync_timer_next_event(unsigned long *next)
{
	unsigned long flags;
	bool any;

	raw_spin_lock_irqsave(&base.lock, flags);
	any = base.active;
	if (any)
		*next = base.next_event = wheel_next_event();
	base.planned = any;
	raw_spin_unlock_irqrestore(&base.lock, flags);
	return any;
}

bool lksync_timer_due(unsigned long now)
{
	unsigned long flags;
	bool due;

	raw_spin_lock_irqsave(&base.lock, flags);
	due = base.active && !time_before(now, wheel_next_event());
	raw_spin_unlock_irqrestore(&base.lock, flags);
	return due;
}

/* Unlink @timer if pending. Lock held. Return: 1 if it was pending. */
static int detach_if_pending(struct timer_list *timer)
{
	if (!timer->entry.next)
		return 0;
	entry_unlink(&timer->entry);
	base.active--;
	return 1;
}

int lksync_mod_timer(struct timer_list *timer, unsigned long expires, unsigned int mode)
{
	unsigned long flags, now;
	bool kick = false;
	int ret;

	if (mode == LKSYNC_TIMER_ADD && WARN_ON_ONCE(timer_pending(timer)))
		return 0;
	/*
	 * Starting the clock thread allocates: not from an interrupt handler.
	 * timer_setup() normally started it long before.
	 */
	if (unlikely(!lksync_tick_started())) {
		if (in_task())
			lksync_context_online();
		else
			WARN_ONCE(1, "timer: first timer armed in interrupt context: no tick until a timer is set up in task context\n");
	}

	raw_spin_lock_irqsave(&base.lock, flags);
	ret = timer->entry.next != NULL;
	if (ret && (mode == LKSYNC_TIMER_MOD || mode == LKSYNC_TIMER_PENDING) &&
	    timer->expires == expires)
		goto out;		/* the kernel's shortcut: nothing changes */
	if (mode == LKSYNC_TIMER_PENDING && !ret)
		goto out;
	if (mode == LKSYNC_TIMER_REDUCE && ret && !time_before(expires, timer->expires))
		goto out;		/* timer_reduce() never moves a timer later */
	if (!timer->function) {
		/* Shut down (timer_shutdown()): arming is ignored, silently. */
		ret = 0;
		goto out;
	}
	detach_if_pending(timer);
	if (!base.active++ && !base.expiring) {
		/* An empty wheel skips the idle jiffies instead of walking them. */
		now = jiffies;
		if (time_before(base.clk, now))
			base.clk = now;
	}
	timer->expires = expires;
	wheel_add(timer);
	/* Earlier than the clock planned to wake (or it idles): re-plan. */
	if (!base.planned || time_before(expires, base.next_event)) {
		base.next_event = time_before(expires, base.clk) ? base.clk : expires;
		base.planned = true;
		kick = true;
	}
out:
	raw_spin_unlock_irqrestore(&base.lock, flags);
	if (kick)
		lksync_tick_kick();
	return ret;
}

int lksync_timer_delete(struct timer_list *timer, bool shutdown)
{
	unsigned long flags;
	int ret;

	/* Lock-free shortcut, as the kernel's: inactive and staying so. */
	if (!shutdown && !timer_pending(timer))
		return 0;
	raw_spin_lock_irqsave(&base.lock, flags);
	ret = detach_if_pending(timer);
	if (shutdown)
		timer->function = NULL;
	raw_spin_unlock_irqrestore(&base.lock, flags);
	return ret;
}

/* Delete unless running. Lock held. Return: 0/1 as timer_delete(), -1 if running. */
static int try_delete_locked(struct timer_list *timer, bool shutdown)
{
	int ret = -1;

	if (base.running_timer != timer)
		ret = detach_if_pending(timer);
	if (shutdown)
		timer->function = NULL;
	return ret;
}

int lksync_try_to_del_timer_sync(struct timer_list *timer)
{
	unsigned long flags;
	int ret;

	raw_spin_lock_irqsave(&base.lock, flags);
	ret = try_delete_locked(timer, false);
	raw_spin_unlock_irqrestore(&base.lock, flags);
	return ret;
}

int lksync_timer_delete_sync(struct timer_list *timer, bool shutdown)
{
	unsigned long flags;
	u32 seq;
	int ret;

#ifdef LKSYNC_DEBUG
	/*
	 * Waiting for the callback is taking its pseudo-lock: a lock held
	 * here that the callback takes closes a cycle. Interrupts masked:
	 * the callback's softirq use must not meet a softirqs-enabled use.
	 */
	local_irq_save(flags);
	lock_map_acquire(&timer->lockdep_map);
	lock_map_release(&timer->lockdep_map);
	local_irq_restore(flags);
#endif
	/* The kernel's rule: from hardirq this can deadlock on the interrupted callback. */
	WARN_ON(in_hardirq() && !(timer->flags & TIMER_IRQSAFE));
	raw_spin_lock_irqsave(&base.lock, flags);
	while ((ret = try_delete_locked(timer, shutdown)) < 0) {
		if (base.running_task == current) {
			/*
			 * The callback runs on this very task: called from it,
			 * or from an interrupt on top of it. Waiting would hang
			 * for ever (the kernel deadlocks): report and return.
			 */
			WARN(1, "timer_delete_sync() of a timer whose callback %p this task is running\n",
			     (void *)timer->function);
			ret = 0;
			break;
		}
		base.sync_waiters++;
		seq = __atomic_load_n(&base.sync_seq, __ATOMIC_RELAXED);
		raw_spin_unlock_irqrestore(&base.lock, flags);
		lksync_futex_wait(&base.sync_seq, seq, NULL);
		raw_spin_lock_irqsave(&base.lock, flags);
		base.sync_waiters--;
	}
	raw_spin_unlock_irqrestore(&base.lock, flags);
	return ret;
}

/*
 * Legacy timers (setup_timer(timer, fn, data), before Linux 4.15): the
 * callback takes an unsigned long. struct timer_list has no room for it
 * (adding fields would grow every timer and change the ABI for a legacy
 * API), so each legacy timer's (fn, data) lives in a side table keyed by
 * the timer's address, and its callback is a trampoline that looks it up.
 * An entry lives until destroy_timer_on_stack() or until the address is
 * set up again; one per distinct timer address, never more.
 */
struct legacy_timer {
	struct legacy_timer *next;
	struct timer_list *timer;
	void (*fn)(unsigned long data);
	unsigned long data;
};

#define LEGACY_HASH_BITS	8
static struct legacy_timer *legacy_hash[1 << LEGACY_HASH_BITS];
/* Taken from timer callbacks (softirq) and process context: interrupts off. */
static raw_spinlock_t legacy_lock = __RAW_SPIN_LOCK_UNLOCKED(legacy_lock);

static struct legacy_timer **legacy_bucket(struct timer_list *timer)
{
	unsigned long h = (unsigned long)timer;

	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ULL;
	return &legacy_hash[h >> (8 * sizeof(long) - LEGACY_HASH_BITS)];
}

/* The entry of @timer, or NULL. legacy_lock held. */
static struct legacy_timer *legacy_find(struct timer_list *timer)
{
	struct legacy_timer *lt;

	for (lt = *legacy_bucket(timer); lt; lt = lt->next)
		if (lt->timer == timer)
			return lt;
	return NULL;
}

static void legacy_timer_fn(struct timer_list *timer)
{
	void (*fn)(unsigned long) = NULL;
	unsigned long data = 0, flags;
	struct legacy_timer *lt;

	raw_spin_lock_irqsave(&legacy_lock, flags);
	lt = legacy_find(timer);
	if (lt) {
		fn = lt->fn;
		data = lt->data;
	}
	raw_spin_unlock_irqrestore(&legacy_lock, flags);
	if (!WARN_ONCE(!lt, "timer: legacy timer %p lost its callback\n", (void *)timer) && fn)
		fn(data);
}

void lksync_setup_timer(struct timer_list *timer, void (*fn)(unsigned long),
			unsigned long data, unsigned int flags)
{
	struct legacy_timer *lt, *fresh = NULL;
	unsigned long irqflags;

	/* Allocate first: nothing allocates under a raw spinlock. */
	for (;;) {
		raw_spin_lock_irqsave(&legacy_lock, irqflags);
		lt = legacy_find(timer);
		if (lt || fresh)
			break;
		raw_spin_unlock_irqrestore(&legacy_lock, irqflags);
		fresh = malloc(sizeof(*fresh));
		if (WARN_ONCE(!fresh, "setup_timer: out of memory\n"))
			return;
	}
	if (!lt) {
		lt = fresh;
		fresh = NULL;
		lt->timer = timer;
		lt->next = *legacy_bucket(timer);
		*legacy_bucket(timer) = lt;
	}
	lt->fn = fn;
	lt->data = data;
	raw_spin_unlock_irqrestore(&legacy_lock, irqflags);
	free(fresh);
	lksync_timer_init(timer, legacy_timer_fn, flags);
}

#ifdef LKSYNC_DEBUG
/* The debug flavor's initializers: the release flavor's macros call the plain ones. */
void lksync_setup_timer_key(struct timer_list *timer, void (*fn)(unsigned long),
			    unsigned long data, unsigned int flags,
			    const char *name, struct lock_class_key *key)
{
	lksync_setup_timer(timer, fn, data, flags);
	lockdep_init_map(&timer->lockdep_map, name, key, 0);
}

void lksync_init_timer_key(struct timer_list *timer, void (*callback)(struct timer_list *),
			   unsigned int flags, const char *name, struct lock_class_key *key)
{
	lksync_timer_init(timer, callback, flags);
	lockdep_init_map(&timer->lockdep_map, name, key, 0);
}
#endif

void lksync_legacy_timer_forget(struct timer_list *timer)
{
	struct legacy_timer **pp, *lt = NULL;
	unsigned long flags;

	raw_spin_lock_irqsave(&legacy_lock, flags);
	for (pp = legacy_bucket(timer); *pp; pp = &(*pp)->next) {
		if ((*pp)->timer == timer) {
			lt = *pp;
			*pp = lt->next;
			break;
		}
	}
	raw_spin_unlock_irqrestore(&legacy_lock, flags);
	free(lt);
}
