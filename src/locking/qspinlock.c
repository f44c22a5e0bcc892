// SPDX-License-Identifier: MIT
/*
 * Layer: locking. Queued spinlock slow paths: an MCS queue whose waiters spin
 * a bounded time and then sleep on a futex (the kernel's paravirtual
 * qspinlock idea), with bounded lock stealing (its hybrid unfair mode).
 *
 * Lock word (include/lksync/spinlock_types.h), T = tail, H = _Q_HANDOFF_VAL,
 * P = _Q_PARKED_VAL, L = locked byte:
 *
 *   T  H P L
 *   0  0 0 0   free, no waiters                 fast path: cmpxchg 0 -> L
 *   0  0 0 1   held, no waiters                 fast unlock: store L = 0
 *   t  0 0 0   free, queue head spinning        head or any running task takes it
 *   t  0 0 1   held, queue head spinning
 *   t  * 1 1   held, queue head sleeping on the word: unlocker must wake it
 *   t  1 * *   head waited long enough: nobody but the head may take it
 *
 * t is the last queued node (its index + 1). P and H are set only by the
 * queue head and cleared by it when it acquires; the unlock slow path clears
 * P (with L, in one RMW) when it wakes the head. The unlocker never touches
 * the word after its releasing store or RMW: the lock may be freed then. A task outside the queue may steal a free lock
 * (L = 0) unless H is set; this keeps the lock with running tasks instead of
 * handing it to a waiter the OS has descheduled, and H bounds the unfairness.
 *
 * MCS nodes: each thread owns a block of NR_NODES nodes (task, softirq,
 * hardirq, NMI nesting) in a global table indexed by the tail encoding.
 * Blocks are allocated in chunks and never freed, since a waker may touch a
 * node after its owner has moved on; a thread's block is recycled at exit.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <lksync/processor.h>
#include <lksync/qspinlock.h>
#include "arch/futex.h"

#ifndef LKSYNC_UP

#define NR_NODES		4	/* nesting depth: task, softirq, hardirq, NMI */
#define BLOCKS_PER_CHUNK	256
#define MAX_BLOCKS		16383	/* block * NR_NODES + NR_NODES must fit 16 bits */
#define NR_CHUNKS		((MAX_BLOCKS + BLOCKS_PER_CHUNK - 1) / BLOCKS_PER_CHUNK)

/* Spin bounds before sleeping (iterations of cpu_relax()); -D overrides for tuning. */
#ifndef STEAL_SPINS
#define STEAL_SPINS		256	/* before queuing: try to take a free lock */
#endif
#ifndef NODE_SPINS
#define NODE_SPINS		512	/* queued, not head: wait to become head */
#endif
#ifndef HEAD_SPINS
#define HEAD_SPINS		2048	/* head: wait for the locked byte to clear */
#endif
#define NEXT_SPINS		256	/* head, after acquiring: wait for the successor's link */
#ifndef HANDOFF_NS
#define HANDOFF_NS		50000	/* head waiting this long forbids stealing */
#endif
#define PARK_NS			1000000	/* bound of a head's sleep (lost wake-up window) */

enum { NODE_RUNNING, NODE_HALTED };

struct qnode {
	struct qnode *next;	/* successor, set by it once it has queued */
	u32 head;		/* set by the predecessor: this node is the queue head */
	u32 state;		/* futex word: NODE_HALTED while the owner sleeps */
};

struct qnode_block {
	struct qnode node[NR_NODES];
} __aligned(64);

static struct qnode_block *chunks[NR_CHUNKS];
static pthread_mutex_t alloc_lock = PTHREAD_MUTEX_INITIALIZER;
static u16 free_blocks[MAX_BLOCKS];
static unsigned int nr_free, nr_fresh;
static pthread_key_t block_key;
static pthread_once_t block_key_once = PTHREAD_ONCE_INIT;

static __thread struct qnode_block *my_block LKSYNC_TLS_MODEL;
static __thread u32 my_tail_base LKSYNC_TLS_MODEL;	/* encoded tail of node 0 */
static __thread unsigned int my_depth LKSYNC_TLS_MODEL;

static void block_release(void *arg)
{
	u16 id = (u16)((uintptr_t)arg - 1);

	my_block = NULL;
	pthread_mutex_lock(&alloc_lock);
	free_blocks[nr_free++] = id;
	pthread_mutex_unlock(&alloc_lock);
}

static void block_key_create(void)
{
	if (pthread_key_create(&block_key, block_release))
		abort();
}

static __cold noinline struct qnode_block *block_alloc(void)
{
	struct qnode_block *chunk;
	unsigned int id;

	pthread_once(&block_key_once, block_key_create);
	pthread_mutex_lock(&alloc_lock);
	if (nr_free) {
		id = free_blocks[--nr_free];
	} else {
		if (nr_fresh >= MAX_BLOCKS)
			abort();	/* more live threads than the tail can encode */
		id = nr_fresh++;
		if (!chunks[id / BLOCKS_PER_CHUNK]) {
			chunk = aligned_alloc(64, BLOCKS_PER_CHUNK * sizeof(*chunk));
			if (!chunk)
				abort();
			memset(chunk, 0, BLOCKS_PER_CHUNK * sizeof(*chunk));
			/* Release: a decoder that reads this chunk sees it zeroed. */
			__atomic_store_n(&chunks[id / BLOCKS_PER_CHUNK], chunk, __ATOMIC_RELEASE);
		}
	}
	pthread_mutex_unlock(&alloc_lock);
	pthread_setspecific(block_key, (void *)(uintptr_t)(id + 1));
	my_tail_base = id * NR_NODES + 1;
	my_block = &chunks[id / BLOCKS_PER_CHUNK][id % BLOCKS_PER_CHUNK];
	return my_block;
}

static inline struct qnode *decode_tail(u32 tail)
{
	u32 id = tail - 1, block = id / NR_NODES;
	/* Acquire: pairs with the chunk's publication in block_alloc(). */
	struct qnode_block *chunk =
		__atomic_load_n(&chunks[block / BLOCKS_PER_CHUNK], __ATOMIC_ACQUIRE);

	return &chunk[block % BLOCKS_PER_CHUNK].node[id % NR_NODES];
}

static inline u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000u + (u64)ts.tv_nsec;
}

/* Take @lock if it is free and not owed to the head. Return: 1 if taken. */
static inline int steal(struct qspinlock *lock, u32 val)
{
	if (val & (_Q_LOCKED_MASK | _Q_HANDOFF_VAL))
		return 0;
	/* Acquire: the critical section starts after the lock is ours. */
	return __atomic_compare_exchange_n(&lock->val, &val, val | _Q_LOCKED_VAL, 0,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * Wait until our predecessor makes @node the queue head. Dekker on two words,
 * both sides seq_cst: we set state = HALTED, then read head; the predecessor
 * sets head, then exchanges state. One of us sees the other's write, so
 * either we do not sleep or the predecessor sees HALTED and wakes us.
 */
static void wait_for_head(struct qnode *node)
{
	for (;;) {
		for (int i = 0; i < NODE_SPINS; i++) {
			/* Acquire: what the predecessor did comes before our turn. */
			if (__atomic_load_n(&node->head, __ATOMIC_ACQUIRE))
				return;
			cpu_relax();
		}
		__atomic_exchange_n(&node->state, NODE_HALTED, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&node->head, __ATOMIC_SEQ_CST))
			return;
		lksync_futex_wait(&node->state, NODE_HALTED, NULL);
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
static void head_park(struct qspinlock *lock, u32 val, int handoff, int *fenced)
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

void lksync_queued_spin_lock_slowpath(struct qspinlock *lock, u32 val)
{
	struct qnode_block *block;
	struct qnode *node, *next;
	unsigned int idx;
	u32 tail, old, want;
	u64 start;
	int fenced = 0;

	/* Hybrid mode: a running task takes a free lock unless it is owed to the head. */
	for (int i = 0; i < STEAL_SPINS; i++) {
		val = __atomic_load_n(&lock->val, __ATOMIC_RELAXED);
		if (steal(lock, val))
			return;
		if (val & _Q_HANDOFF_VAL)
			break;
		cpu_relax();
	}

	block = my_block;
	if (unlikely(!block))
		block = block_alloc();
	idx = my_depth;
	if (unlikely(idx >= NR_NODES)) {
		/* Nested deeper than the kernel allows: spin without a node. */
		for (unsigned int i = 1; !queued_spin_trylock(lock); i++) {
			cpu_relax();
			if (!(i % HEAD_SPINS))
				sched_yield();
		}
		return;
	}
	my_depth = idx + 1;
	barrier();	/* an interrupt on this thread now uses the next node */
	node = &block->node[idx];
	tail = my_tail_base + idx;
	__atomic_store_n(&node->next, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&node->head, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&node->state, NODE_RUNNING, __ATOMIC_RELAXED);

	/* Seq_cst (release at least): the node's initialization is published with it. */
	old = __atomic_exchange_n(&lock->tail, (u16)tail, __ATOMIC_SEQ_CST);
	if (old) {
		/* Release: the predecessor reads an initialized node through ->next. */
		__atomic_store_n(&decode_tail(old)->next, node, __ATOMIC_RELEASE);
		wait_for_head(node);
	}

	/* Queue head: wait for the locked byte to clear and take it. */
	start = now_ns();
	for (unsigned int spins = 0;; spins++) {
		val = __atomic_load_n(&lock->val, __ATOMIC_RELAXED);
		if (!(val & _Q_LOCKED_MASK)) {
			want = (val & ~_Q_FLAGS_MASK) | _Q_LOCKED_VAL;
			if ((val >> _Q_TAIL_OFFSET) == tail)
				want &= _Q_LOCKED_MASK;	/* last in the queue: empty it */
			/* Acquire: the critical section starts after the lock is ours. */
			if (__atomic_compare_exchange_n(&lock->val, &val, want, 0,
							__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				break;
			continue;
		}
		if (spins < HEAD_SPINS) {
			if (!(spins % 64) && !(val & _Q_HANDOFF_VAL) &&
			    now_ns() - start > HANDOFF_NS)
				/* Relaxed: a stealer that misses it steals once more. */
				__atomic_fetch_or(&lock->val, _Q_HANDOFF_VAL, __ATOMIC_RELAXED);
			cpu_relax();
			continue;
		}
		head_park(lock, val, now_ns() - start > HANDOFF_NS, &fenced);
		spins = 0;
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
	barrier();
	my_depth = idx;
}

void lksync_queued_spin_unlock_slowpath(struct qspinlock *lock)
{
	/*
	 * Release: the critical section happens before the next owner's. One RMW
	 * releases the lock and clears P, so after it we touch @lock no more.
	 */
	__atomic_fetch_and(&lock->val, ~(_Q_LOCKED_MASK | _Q_PARKED_VAL), __ATOMIC_RELEASE);
	/*
	 * The lock may be freed by now. FUTEX_WAKE_PRIVATE keys on (process,
	 * address) and neither reads nor writes the word: on freed or reused
	 * memory it wakes nobody, or some other futex waiter at that address,
	 * and futex waiters tolerate spurious wake-ups.
	 */
	lksync_futex_wake(&lock->val, 1);
}

#endif /* !LKSYNC_UP */
