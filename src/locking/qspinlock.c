// SPDX-License-Identifier: MIT
/*
 * Layer: locking. Queued spinlock slow paths: an MCS queue whose waiters spin
 * a bounded time and then sleep on a futex (the kernel's paravirtual
 * qspinlock idea), with bounded lock stealing (its hybrid unfair mode).
 *
 * Lock word (include/lksync/spinlock_types.h), T = tail, W = _Q_WAITING_VAL,
 * H = _Q_HANDOFF_VAL, P = _Q_PARKED_VAL, L = locked byte (1 held,
 * 2 = _Q_HANDED_VAL):
 *
 *   T  W H P L
 *   0  0 0 0 0   free, no waiters               fast path: byte cmpxchg L 0 -> 1
 *   *  0 0 0 1   held                           fast unlock: byte store L = 0
 *   t  * 0 * 0   free, queue head spinning      head or any running task takes it
 *   t  1 * * 1   held, tasks queued: every unlock takes the slow path, which
 *                hands the lock over (L = 2) once the holder has run its stint
 *   t  * * 1 1   held, queue head sleeping on the word: unlocker must wake it
 *   t  * 1 * 1   held, head waited long enough: unlocker hands it over (L = 2)
 *   t  0 0 0 2   handed to the queue head: only the head may take it (L = 1)
 *
 * t is the last queued node (its index + 1). P and H are set only by the
 * queue head, while the lock is held; the unlock slow path clears both in the
 * RMW that releases (H: hands over) the lock, and the head clears them when it
 * acquires. W is set in the head's acquiring RMW when a successor is queued,
 * and kept by the unlock slow path's RMW while T is nonzero; it only routes
 * unlocks to the slow path, so a stale W costs one slow unlock, which drops
 * it. The unlocker never touches the word after its releasing store or RMW:
 * the lock may be freed then. A task outside the queue takes a free lock
 * (L = 0); this keeps the lock with running tasks instead of handing it to a
 * waiter the OS has descheduled, and H and W bound the unfairness. A second
 * contender (T = 0) first leaves the word alone for FIRST_LOOK rounds, so a
 * holder that re-takes the lock at once keeps it for that long.
 *
 * Why W: with more tasks than CPUs, the head the new owner wakes is often
 * queued by the OS behind that very owner on its CPU. It cannot set H while
 * it does not run, and the owner, alone on the fast path, would keep the lock
 * for a whole time slice (milliseconds) while the queue waits: a few tasks
 * would do most of the work. So each task runs a bounded stint (STINT_NS from
 * taking the lock out of the queue) while others are queued; after it, its
 * unlock hands the lock to the head and it steals no more, so it queues and
 * sleeps, which also frees its CPU for the head.
 *
 * MCS nodes: each thread owns a block of NR_NODES nodes (task, softirq,
 * hardirq, NMI nesting) in a global table indexed by the tail encoding.
 * Blocks are allocated in chunks and never freed, since a waker may touch a
 * node after its owner has moved on; a thread's block is recycled at exit.
 * Everything a slow path calls is async-signal-safe (system calls, atomics).
 */
#include <pthread.h>
#include <sys/mman.h>
#include <sched.h>
#include <time.h>
#include <errno.h>
#include <lksync/processor.h>
#include <lksync/preempt.h>
#include <lksync/qspinlock.h>
#include "arch/futex.h"
#include "locking/qspinlock_internal.h"

#ifndef LKSYNC_UP

#define NR_NODES		4	/* nesting depth: task, softirq, hardirq, NMI */
#define BLOCKS_PER_CHUNK	256
#define MAX_BLOCKS		16383	/* block * NR_NODES + NR_NODES must fit 16 bits */
#define NR_CHUNKS		((MAX_BLOCKS + BLOCKS_PER_CHUNK - 1) / BLOCKS_PER_CHUNK)

/* Spin bounds before sleeping (iterations of cpu_relax()); -D overrides for tuning. */
#ifndef FIRST_LOOK
#define FIRST_LOOK		32	/* before a newcomer first reads the word */
#endif
#ifndef STEAL_SPINS
#define STEAL_SPINS		256	/* before queuing: try to take a free lock */
#endif
#ifndef NODE_SPINS
#define NODE_SPINS		512	/* queued, not head: wait to become head */
#endif
#ifndef HEAD_SPINS
#define HEAD_SPINS		2048	/* head: wait for the locked byte to clear */
#endif
/* Brief waits (the rwlock's wait lock, whose holder itself waits): about 1/16. */
#define BRIEF_FIRST_LOOK	0
#define BRIEF_STEAL_SPINS	16
#define BRIEF_NODE_SPINS	32
#define BRIEF_HEAD_SPINS	64
#define NEXT_SPINS		256	/* head, after acquiring: wait for the successor's link */
#ifndef BACKOFF_MAX
#define BACKOFF_MAX		64	/* cap of the cpu_relax() rounds between two reads */
#endif
#ifndef HANDOFF_NS
#define HANDOFF_NS		10000	/* queued this long: the head is owed the lock */
#endif
#define PARK_NS			1000000	/* bound of a head's sleep (lost wake-up window) */
#ifndef STINT_NS
#define STINT_NS		1000000	/* run this long with tasks queued: yield the lock */
#endif
#define STINT_CHECK		128	/* read the clock at every 128th stint check */

enum { NODE_RUNNING, NODE_HALTED };

struct qnode {
	struct qnode *next;	/* successor, set by it once it has queued */
	u32 head;		/* set by the predecessor: this node is the queue head */
	u32 state;		/* futex word: NODE_HALTED while the owner sleeps */
};

struct qnode_block {
	struct qnode node[NR_NODES];
} __aligned(64);

/*
 * Node blocks must be obtainable from a signal handler (an interrupt handler
 * taking a contended lock on a thread's first slow path), so nothing here
 * locks or calls malloc: chunks come from mmap and are published with a
 * cmpxchg, block ids come from a counter or from a lock-free stack of
 * recycled ids whose head carries a tag against ABA.
 */
static struct qnode_block *chunks[NR_CHUNKS];
static u32 nr_fresh;			/* ids handed out so far */
static u64 free_head;			/* tag << 32 | (top id + 1); 0: empty */
static u32 free_next[MAX_BLOCKS];	/* link below each stacked id (id + 1) */
static pthread_key_t block_key;
static int block_key_ok;

static __thread u32 my_id LKSYNC_TLS_MODEL;	/* this thread's block id + 1; 0: none */
static __thread u32 my_unregistered LKSYNC_TLS_MODEL;
static __thread unsigned int my_depth LKSYNC_TLS_MODEL;
/*
 * This thread's stint: when it last took a lock out of a queue, whether it
 * has run STINT_NS since (sticky until the next such lock), and a counter
 * that spaces out the clock reads. Heuristics only: an interrupt handler on
 * this thread that updates them midway does no harm.
 */
static __thread u64 my_stint LKSYNC_TLS_MODEL;
static __thread unsigned int my_stint_over LKSYNC_TLS_MODEL;
static __thread unsigned int my_stint_ticks LKSYNC_TLS_MODEL;

static struct qnode_block *block_of(u32 id)
{
	/* Acquire: pairs with the chunk's publication in chunk_get(). */
	struct qnode_block *chunk =
		__atomic_load_n(&chunks[id / BLOCKS_PER_CHUNK], __ATOMIC_ACQUIRE);

	return &chunk[id % BLOCKS_PER_CHUNK];
}

static void free_push(u32 id)
{
	u64 old = __atomic_load_n(&free_head, __ATOMIC_RELAXED), new;

	do {
		/* Relaxed: published by the release CAS below. */
		__atomic_store_n(&free_next[id], (u32)old, __ATOMIC_RELAXED);
		new = ((old >> 32) + 1) << 32 | (id + 1);
		/* Release: a popper that reads our link sees it written. */
	} while (!__atomic_compare_exchange_n(&free_head, &old, new, 1,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
}

/* Return: a recycled id + 1, or 0 if none. */
static u32 free_pop(void)
{
	/* Acquire: the top's link was written before it was pushed. */
	u64 old = __atomic_load_n(&free_head, __ATOMIC_ACQUIRE), new;

	while ((u32)old) {
		/*
		 * Relaxed: if the top was popped and pushed again meanwhile, this
		 * link may be stale, but the tag then differs and the CAS fails.
		 */
		u32 below = __atomic_load_n(&free_next[(u32)old - 1], __ATOMIC_RELAXED);

		new = ((old >> 32) + 1) << 32 | below;
		/* Acquire: as the load above, for the retry. */
		if (__atomic_compare_exchange_n(&free_head, &old, new, 1,
						__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE))
			return (u32)old;
	}
	return 0;
}

/* Make sure the chunk of @id exists. Return: 0, or -1 if out of memory. */
static int chunk_get(u32 id)
{
	struct qnode_block **slot = &chunks[id / BLOCKS_PER_CHUNK], *chunk, *none = NULL;
	size_t size = BLOCKS_PER_CHUNK * sizeof(*chunk);

	if (__atomic_load_n(slot, __ATOMIC_ACQUIRE))
		return 0;
	/* Zeroed and page aligned. */
	chunk = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (chunk == MAP_FAILED)
		return -1;
	/* Release: a decoder that reads the chunk sees it zeroed. Acquire: the winner's. */
	if (!__atomic_compare_exchange_n(slot, &none, chunk, 0,
					 __ATOMIC_RELEASE, __ATOMIC_ACQUIRE))
		munmap(chunk, size);
	return 0;
}

/* Thread exit (key destructor): the block goes back for reuse. */
static void block_release(void *arg)
{
	__atomic_store_n(&my_id, 0, __ATOMIC_RELAXED);
	free_push((u32)(uintptr_t)arg - 1);
}

/* At load time, so that the slow path never creates the key. */
__attribute__((constructor)) static void block_key_create(void)
{
	block_key_ok = !pthread_key_create(&block_key, block_release);
}

/*
 * Have the exit destructor recycle our block. Only in task context: a glibc
 * key created at load time sits in the thread descriptor's first block and
 * pthread_setspecific() just stores to it, but POSIX does not promise that,
 * so an interrupt handler defers it to the thread's next slow path. A thread
 * whose only slow paths ran in interrupt context leaks its block.
 */
static void block_register(void)
{
	if (!in_task() || !block_key_ok)
		return;
	my_unregistered = 0;
	pthread_setspecific(block_key, (void *)(uintptr_t)my_id);
}

/* Return: this thread's block id + 1, or 0 if none can be had. */
static __cold noinline u32 block_alloc(void)
{
	u32 id = free_pop(), zero = 0, n;

	if (!id) {
		n = __atomic_load_n(&nr_fresh, __ATOMIC_RELAXED);
		do {
			if (n >= MAX_BLOCKS)
				return 0;	/* more live threads than the tail encodes */
			/* Relaxed: only the counter itself is at stake. */
		} while (!__atomic_compare_exchange_n(&nr_fresh, &n, n + 1, 1,
						      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
		id = n + 1;
		if (chunk_get(n))
			return 0;	/* no memory: the id is lost, not recycled chunkless */
	}
	/*
	 * A signal handler that interrupted us may have installed a block of
	 * its own meanwhile: keep that one. Relaxed: same thread.
	 */
	if (!__atomic_compare_exchange_n(&my_id, &zero, id, 0,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
		free_push(id - 1);
		return zero;
	}
	my_unregistered = 1;
	block_register();
	return id;
}

static inline struct qnode *decode_tail(u32 tail)
{
	u32 id = tail - 1;

	return &block_of(id / NR_NODES)->node[id % NR_NODES];
}

/*
 * Exponential backoff between two looks at the lock word. A waiter that
 * reads the line at every cpu_relax() pulls it away from the holder, whose
 * next unlock and lock then each miss: at two threads the lock word would
 * ping-pong on every acquisition. Return: the rounds spent.
 */
static inline unsigned int backoff(unsigned int *delay)
{
	unsigned int d = *delay;

	for (unsigned int i = 0; i < d; i++)
		cpu_relax();
	if (d < BACKOFF_MAX)
		*delay = d * 2;
	return d;
}

static inline u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000u + (u64)ts.tv_nsec;
}

/*
 * The debug flavor's lockup detector (DEBUG_SPINLOCK): every wait below
 * is bounded there (a sleep too), and after each one the waiter looks
 * whether the lock has changed hands since its previous look (then it
 * starts timing again: a slow or oversubscribed machine is not a lockup)
 * and how long one holder has kept it; past lksync_spin_lockup_bound() it
 * reports once (src/debug/spinlock_debug.c) and waits on. The release
 * flavor compiles none of it: its waits and their arguments are unchanged.
 */
#ifdef LKSYNC_DEBUG
#define LOCKUP_POLL_NS	50000000	/* a sleeping non-head waiter looks this often */

struct lockup_watch {
	struct qspinlock *lock;
	u64 start, bound;
	int reported;
};

static void lockup_check(struct lockup_watch *w)
{
	u64 now;

	if (!w->bound || w->reported)
		return;
	now = now_ns();
	if (lksync_spin_lockup_progress(w->lock)) {
		w->start = now;
		return;
	}
	if (now - w->start > w->bound) {
		w->reported = 1;
		lksync_spin_lockup(w->lock, now - w->start);
	}
}

static const struct timespec lockup_poll = { 0, LOCKUP_POLL_NS };
#define LW_PARAM		, struct lockup_watch *lw
#define LW_ARG			, lw
#define LW_CHECK()		lockup_check(lw)
#define LW_POLL			(&lockup_poll)
#else
#define LW_PARAM
#define LW_ARG
#define LW_CHECK()		do { } while (0)
#define LW_POLL			NULL
#endif

static inline void stint_start(void)
{
	my_stint = now_ns();
	my_stint_over = 0;
	my_stint_ticks = 0;
}

/* Return: nonzero if this thread has run its stint (reads the clock rarely). */
static inline int stint_over(void)
{
	if (my_stint_over)
		return 1;
	if (++my_stint_ticks % STINT_CHECK)
		return 0;
	my_stint_over = now_ns() - my_stint > STINT_NS;
	return my_stint_over;
}

/* Take @lock if it is free and not owed to the head. Return: 1 if taken. */
static inline int steal(struct qspinlock *lock, u32 val)
{
	u8 free = 0;

	if (val & (_Q_LOCKED_MASK | _Q_HANDOFF_VAL))
		return 0;
	/* Acquire: the critical section starts after the lock is ours. */
	return __atomic_compare_exchange_n(&lock->locked, &free, _Q_LOCKED_VAL, 0,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * Wait until our predecessor makes @node the queue head. Dekker on two words,
 * both sides seq_cst: we set state = HALTED, then read head; the predecessor
 * sets head, then exchanges state. One of us sees the other's write, so
 * either we do not sleep or the predecessor sees HALTED and wakes us.
 */
static void wait_for_head(struct qnode *node, unsigned int node_spins LW_PARAM)
{
	for (;;) {
		for (unsigned int i = 0; i < node_spins; i++) {
			/* Acquire: what the predecessor did comes before our turn. */
			if (__atomic_load_n(&node->head, __ATOMIC_ACQUIRE))
				return;
			cpu_relax();
		}
		__atomic_exchange_n(&node->state, NODE_HALTED, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&node->head, __ATOMIC_SEQ_CST))
			return;
		lksync_futex_wait(&node->state, NODE_HALTED, LW_POLL);
		LW_CHECK();
	}
}

/* Make @next the queue head, waking it if it sleeps (see wait_for_head()). */
static void set_head(struct qnode *next)
{
	__atomic_store_n(&next->head, 1, __ATOMIC_SEQ_CST);
	/*
	 * @next's owner may already have run on and reused the node; the
	 * exchange and the wake are then spurious, and its wait loops re-check.
	 */
	if (__atomic_exchange_n(&next->state, NODE_RUNNING, __ATOMIC_SEQ_CST) == NODE_HALTED)
		lksync_futex_wake(&next->state, 1);
}

/*
 * Queue head: sleep on the lock word until the holder's unlock wakes us.
 * @val was read with the locked byte set. Return: when worth re-checking.
 *
 * queued_spin_unlock() (include/lksync/qspinlock.h) loads the flags, then
 * either stores L = 0 (P clear) or releases and clears P in one RMW and wakes
 * us (P set). We set P with a seq_cst RMW, then lksync_membarrier_heavy(),
 * after which every other thread has executed a full barrier, then futex-wait
 * expecting the word unchanged. If the unlocker's load comes after its
 * barrier, it sees P and wakes us; if its load and store both come before,
 * the store is visible to our futex check, which fails with -EAGAIN. An
 * acquirer after our RMW reads P in its own RMW, so its unlock sees P too.
 * Left over: an unlocker interrupted exactly between its load and its store
 * (or no membarrier): its store lands after our check and nobody wakes us.
 * So the sleep is bounded; a timeout costs one futex call, which re-checks
 * the word and sleeps again while it is unchanged (no spinning, no new
 * membarrier: P has stayed set since the last one).
 */
static void head_park(struct qspinlock *lock, u32 val, int handoff, int *fenced LW_PARAM)
{
	static const struct timespec bound = { 0, PARK_NS };
	u32 want = val | _Q_PARKED_VAL | (handoff ? _Q_HANDOFF_VAL : 0);

	if (want != val) {
		if (!__atomic_compare_exchange_n(&lock->val, &val, want, 0,
						 __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			return;
		*fenced = 0;
	}
	if (!*fenced) {
		lksync_membarrier_heavy();
		*fenced = 1;
	}
	while (lksync_futex_wait(&lock->val, want, &bound) == -ETIMEDOUT) {
		LW_CHECK();
		if (want & _Q_HANDOFF_VAL)
			continue;
		/* Parked longer than HANDOFF_NS: forbid stealing. Relaxed: as in the spin loop. */
		val = want;
		if (!__atomic_compare_exchange_n(&lock->val, &val, want | _Q_HANDOFF_VAL, 0,
						 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return;
		want |= _Q_HANDOFF_VAL;
	}
}

static __always_inline void slowpath(struct qspinlock *lock, u32 val, unsigned int first_look,
				     unsigned int steal_spins, unsigned int node_spins,
				     unsigned int head_spins)
{
	struct qnode *node, *next;
	unsigned int idx;
	u32 id, tail, old, want;
	u64 start;
	unsigned int delay = 1, spent = 0;
	int fenced = 0;
#ifdef LKSYNC_DEBUG
	struct lockup_watch watch = { lock, now_ns(), lksync_spin_lockup_bound(), 0 }, *lw = &watch;
#endif

	/*
	 * A second contender (nobody queued) leaves the line alone for a
	 * while before its first look. Our failed cmpxchg took the line from
	 * the holder, whose unlock store then waits for it; against a holder
	 * that re-takes the lock at once, our reads land between its unlock
	 * and its next cmpxchg nearly every time (measured: 98% of reads saw
	 * the lock free although the holder took it 10-100 times between two
	 * of them), and we take it. Two such threads swapped the lock every
	 * 7-40 acquisitions, each swap moving the lock's line and the
	 * data's, and together made a fifth of the progress of one thread
	 * alone. Waiting lets the holder run on its own cache; a lock that was
	 * about to be released costs us the wait. With tasks queued, the
	 * queue's hand-off and the stints below set the pace instead.
	 * Relaxed: the tail is only a hint here; the loop below re-reads it.
	 */
	if (first_look && !(__atomic_load_n(&lock->val, __ATOMIC_RELAXED) & _Q_TAIL_MASK)) {
		for (unsigned int i = 0; i < first_look; i++)
			cpu_relax();
		spent = delay = first_look;
	}
	/* Hybrid mode: a running task takes a free lock unless it is owed to the head. */
	for (; spent < steal_spins; spent += backoff(&delay)) {
		val = __atomic_load_n(&lock->val, __ATOMIC_RELAXED);
		if (steal(lock, val))
			return;
		if (val & _Q_HANDOFF_VAL)
			break;
		if ((val & _Q_TAIL_MASK) && stint_over())
			break;	/* ran our stint while others waited: queue */
	}

	id = my_id;
	if (unlikely(!id))
		id = block_alloc();
	else if (unlikely(my_unregistered))
		block_register();
	idx = my_depth;
	if (unlikely(!id || idx >= NR_NODES)) {
		/* Nested deeper than the kernel allows, or no block: spin without a node. */
		for (unsigned int i = 1; !queued_spin_trylock(lock); i++) {
			cpu_relax();
			if (!(i % HEAD_SPINS)) {
				sched_yield();
				LW_CHECK();
			}
		}
		return;
	}
	my_depth = idx + 1;
	barrier();	/* an interrupt on this thread now uses the next node */
	node = &block_of(id - 1)->node[idx];
	tail = (id - 1) * NR_NODES + 1 + idx;
	__atomic_store_n(&node->next, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&node->head, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&node->state, NODE_RUNNING, __ATOMIC_RELAXED);

	start = now_ns();	/* the hand-off clock runs from joining the queue */
	/* Seq_cst (release at least): the node's initialization is published with it. */
	old = __atomic_exchange_n(&lock->tail, (u16)tail, __ATOMIC_SEQ_CST);
	if (old) {
		/* Release: the predecessor reads an initialized node through ->next. */
		__atomic_store_n(&decode_tail(old)->next, node, __ATOMIC_RELEASE);
		wait_for_head(node, node_spins LW_ARG);
	}

	/* Queue head: wait for the locked byte to clear and take it. */
	delay = 1;
	for (unsigned int spins = 0, looks = 0;; looks++) {
		val = __atomic_load_n(&lock->val, __ATOMIC_RELAXED);
		if ((val & _Q_LOCKED_MASK) != _Q_LOCKED_VAL) {	/* free or handed to us */
			/* A successor waits: route unlocks to the slow path (W). */
			want = (val & _Q_TAIL_MASK) | _Q_WAITING_VAL | _Q_LOCKED_VAL;
			if ((val >> _Q_TAIL_OFFSET) == tail)
				want = _Q_LOCKED_VAL;	/* last in the queue: empty it */
			/* Acquire: the critical section starts after the lock is ours. */
			if (__atomic_compare_exchange_n(&lock->val, &val, want, 0,
							__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				break;
			continue;
		}
		if (spins < head_spins) {
			if (!(looks % 4) && !(val & _Q_HANDOFF_VAL) &&
			    now_ns() - start > HANDOFF_NS)
				/* Relaxed: a stealer that misses it steals once more. */
				__atomic_fetch_or(&lock->val, _Q_HANDOFF_VAL, __ATOMIC_RELAXED);
			if (val & _Q_HANDOFF_VAL)
				delay = 1;	/* the next unlock hands over: watch for it */
			spins += backoff(&delay);
			continue;
		}
		head_park(lock, val, now_ns() - start > HANDOFF_NS, &fenced LW_ARG);
		LW_CHECK();
		spins = 0;
		delay = 1;
	}

	if ((val >> _Q_TAIL_OFFSET) != tail) {
		/* A successor exists; it may not have linked itself yet. */
		for (unsigned int i = 1;
		     !(next = __atomic_load_n(&node->next, __ATOMIC_ACQUIRE)); i++) {
			cpu_relax();
			if (!(i % NEXT_SPINS))
				sched_yield();
		}
		set_head(next);
	}
	stint_start();
	barrier();
	my_depth = idx;
}

void lksync_queued_spin_lock_slowpath(struct qspinlock *lock, u32 val)
{
	slowpath(lock, val, FIRST_LOOK, STEAL_SPINS, NODE_SPINS, HEAD_SPINS);
}

/* Library-internal, see locking/qspinlock_internal.h: the same, parking sooner. */
void lksync_queued_spin_lock_slowpath_brief(struct qspinlock *lock, u32 val)
{
	slowpath(lock, val, BRIEF_FIRST_LOOK, BRIEF_STEAL_SPINS, BRIEF_NODE_SPINS,
		 BRIEF_HEAD_SPINS);
}

void lksync_queued_spin_unlock_slowpath(struct qspinlock *lock)
{
	/*
	 * Byte and halfword loads that do not overlap the locked byte: a word
	 * load right after the lock's byte cmpxchg made a W unlock cost 13 ns
	 * instead of 4 (measured, one thread), as a wider load that overlaps a
	 * recent narrower store does. Relaxed: as the fast path's load.
	 */
	u8 flags = __atomic_load_n(&lock->flags, __ATOMIC_RELAXED);
	u16 queued = __atomic_load_n(&lock->tail, __ATOMIC_RELAXED);
	u8 wake_or_hand = (_Q_PARKED_VAL | _Q_HANDOFF_VAL) >> _Q_FLAGS_OFFSET;
	int owed = queued && stint_over();
	u32 val, new;

	if (!owed && queued && !(flags & wake_or_hand)) {
		/*
		 * Only W, with tasks queued and our stint not over: release as
		 * the fast path does, leaving W set. A P or H set after our
		 * load is missed as by the fast path (see head_park()).
		 * Release: the critical section happens before the next owner's.
		 */
		__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
		return;
	}
	val = __atomic_load_n(&lock->val, __ATOMIC_RELAXED);
	/*
	 * One RMW releases the lock, or hands it to the queue head if that is
	 * owed it (H, or our stint is over), clears P and H, and keeps W while
	 * tasks are queued; after it we touch @lock no more. A nonzero tail
	 * means a queue head exists (its predecessor made it head before
	 * returning with the lock), so a handed lock is always taken. Until the
	 * RMW succeeds the lock is ours, so retrying reads a live word.
	 * Release: the critical section happens before the next owner's.
	 */
	do {
		new = val & _Q_TAIL_MASK;
		if (new && (owed || (val & _Q_HANDOFF_VAL)))
			new |= _Q_HANDED_VAL;
		else if (new)
			new |= _Q_WAITING_VAL;
	} while (!__atomic_compare_exchange_n(&lock->val, &val, new, 1,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	if (!(val & _Q_PARKED_VAL))
		return;
	/*
	 * The lock may be freed by now. FUTEX_WAKE_PRIVATE keys on (process,
	 * address) and neither reads nor writes the word: on freed or reused
	 * memory it wakes nobody, or some other futex waiter at that address,
	 * and futex waiters tolerate spurious wake-ups.
	 */
	lksync_futex_wake(&lock->val, 1);
}

#endif /* !LKSYNC_UP */
