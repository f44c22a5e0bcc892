// SPDX-License-Identifier: MIT
/*
 * Layer: debug. The lock validator (PROVE_LOCKING), as the kernel's
 * kernel/locking/lockdep.c. Built only into the debug flavor.
 *
 * Classes. A lockdep_map names its class by a key address; subclass n of a
 * key is the key's byte n. Classes are found through an open-addressed hash
 * of key addresses, cached in the map (class_cache[subclass]).
 *
 * Held locks. Each task has a stack of up to MAX_LOCK_DEPTH held locks and a
 * chain key: a hash over the (class, read) of the locks held in the current
 * interrupt context. A chain key already seen means the dependencies it
 * implies were validated before: the steady state is one hash probe.
 *
 * The graph. On a new chain the new lock is checked against the held ones:
 * same class held (recursion, unless both are recursive reads or a nest lock
 * serializes them), then for the previous held lock (and any trylocks on top
 * of it) the new dependency prev -> next: a breadth-first search from next
 * for a strong path back to prev (a cycle), then the interrupt-usage check
 * (an irq-safe lock behind prev, an irq-unsafe one after next), then the
 * edge is added in both directions.
 *
 * Interrupt state. Without irq tracing hooks, the state is sampled at each
 * acquisition: in_hardirq(), in_serving_softirq(), irqs_disabled() and
 * softirq_count(); each class collects USED_IN / ENABLED bits per state and
 * read mode, and a new bit is checked against the class (inconsistent lock
 * state) and against the graph (irq lock inversion).
 *
 * Locking. The graph lock is a test-and-set lock taken with this task's
 * interrupts masked, so an interrupt handler on this thread never finds its
 * own thread holding it; a per-task recursion count keeps lockdep out of
 * itself (a report's sink may take locks). Reports are built under the
 * graph lock and emitted after it is dropped.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <dlfcn.h>
#include <link.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <execinfo.h>
#include <lksync/lockdep.h>
#include <lksync/processor.h>
#include "debug/debug.h"
#include "debug/lockdep_internals.h"
#include "sched/sched.h"

#ifdef LKSYNC_DEBUG

_Atomic int lksync_debug_locks = 1;
_Atomic int lksync_debug_locks_silent;
struct lock_class_key lksync_lockdep_no_validate;
struct lock_class_key lksync_lockdep_no_track;

struct lock_class lock_classes[MAX_LOCKDEP_KEYS];
struct lock_list list_entries[MAX_LOCKDEP_ENTRIES];
struct ld_task ld_tasks[LD_MAX_TASKS];
unsigned int nr_lock_classes;		/* classes used, index 0 reserved */
static unsigned int nr_list_entries;	/* entries used, index 0 reserved */
static unsigned int nr_chains;
/* Slots given back by zapped keys (graph lock): classes chained through
 * next_free, list entries through next; 0 ends each list. */
static u16 free_classes;
static u32 free_entries;

/* Class hash: key address -> class index; 0 = empty slot. */
#define CLASSHASH_SIZE	(2 * MAX_LOCKDEP_KEYS)
static u16 classhash[CLASSHASH_SIZE];
/* Chain cache: chain keys seen, open addressing; 0 = empty slot. */
#define CHAINHASH_SIZE	(2 * MAX_LOCKDEP_CHAINS)
static u64 chainhash[CHAINHASH_SIZE];
static u32 chain_slot[MAX_LOCKDEP_CHAINS];	/* the slots in use, for a flush */
/* Saved traces by content (graph lock): pool index, 0 = empty slot. */
#define TRACE_HASH_SIZE	(1U << 17)
static u32 trace_hash[TRACE_HASH_SIZE];
static unsigned int nr_trace_hashed;
/* Bumped by lksync_lockdep_reset(): held locks' class indices are stale. */
static unsigned int ld_gen;

static __thread struct ld_task *ld_self LKSYNC_TLS_MODEL;
static pthread_key_t ld_task_key;

#define INITIAL_CHAIN_KEY	0

/* ---------------------------------------------------------------- */
/* The graph lock. */

static int graph_lock_word;
static pthread_t graph_owner;	/* for lockdep_assert_locked()-style sanity only */

static void graph_lock(void)
{
	unsigned int spins = 0;

	/* Acquire: the graph written by the previous holder is visible. */
	while (__atomic_exchange_n(&graph_lock_word, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&graph_lock_word, __ATOMIC_RELAXED)) {
			if (++spins > 1000)
				sched_yield();
			else
				cpu_relax();
		}
	}
	graph_owner = pthread_self();
}

static void graph_unlock(void)
{
	graph_owner = 0;
	/* Release: our graph updates happen before the next holder's reads. */
	__atomic_store_n(&graph_lock_word, 0, __ATOMIC_RELEASE);
}

/* Mask this task's interrupts around a hook; returns the previous state. */
static __always_inline unsigned long ld_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	WRITE_ONCE(lksync_tls.irqs_off, 1);
	barrier();
	return flags;
}

/*
 * Not local_irq_restore(): that tells lockdep that interrupts came back on
 * (lksync_lockdep_hardirqs_on()); lockdep's own masking changes nothing.
 */
static __always_inline void ld_irq_restore(unsigned long flags)
{
	barrier();
	if (!flags) {
		WRITE_ONCE(lksync_tls.irqs_off, 0);
		barrier();
		if (unlikely(READ_ONCE(lksync_tls.pending)))
			lksync_irq_enable_slow();
	}
}

int lksync_debug_locks_off(void)
{
	/* Relaxed: only the first caller reports; the flag guards no data. */
	return atomic_exchange_explicit(&lksync_debug_locks, 0, memory_order_relaxed);
}

static __always_inline int ld_lock_stat_on(void)
{
	return __atomic_load_n(&lksync_lock_stat_enabled, __ATOMIC_RELAXED);
}

/* Emit a report this task built (rare: one global flag to look at). */
static __always_inline void ld_flush(void)
{
	if (unlikely(__atomic_load_n(&lksync_ld_report_busy, __ATOMIC_RELAXED)))
		ld_report_flush();
}

static __always_inline int ld_enabled(void)
{
	return atomic_load_explicit(&lksync_debug_locks, memory_order_relaxed);
}

/* ---------------------------------------------------------------- */
/* Per-task state: a slot of ld_tasks, bound on first use. */

static void ld_task_exit(void *arg)
{
	struct ld_task *lt = arg;

	if (lt != ld_self)
		return;
	if (lt->lockdep_depth)
		lksync_debug_check_no_locks_held();
	if (lt->task && __atomic_load_n(&lt->task->debug_private, __ATOMIC_RELAXED) == lt)
		__atomic_store_n(&lt->task->debug_private, NULL, __ATOMIC_RELAXED);
	ld_self = NULL;
	lt->lockdep_depth = 0;
	lt->task = NULL;
	/* Release: our last writes to the slot precede its next owner's. */
	__atomic_store_n(&lt->slot_used, 0, __ATOMIC_RELEASE);
}

__attribute__((constructor)) static void ld_init(void)
{
	pthread_key_create(&ld_task_key, ld_task_exit);
}

static noinline struct ld_task *ld_task_bind(void)
{
	static unsigned int next_slot;
	struct task_struct *t = lksync_tls.task;
	unsigned int i, start;

	if (!t) {
		/*
		 * Creating the task allocates: not in an interrupt handler
		 * (which only ever runs on a task that exists anyway).
		 */
		if (in_hardirq() || in_nmi())
			return NULL;
		t = current;
	}
	start = __atomic_fetch_add(&next_slot, 1, __ATOMIC_RELAXED);
	for (i = 0; i < LD_MAX_TASKS; i++) {
		struct ld_task *lt = &ld_tasks[(start + i) % LD_MAX_TASKS];
		int free = 0;

		/* Acquire: pairs with ld_task_exit()'s release. */
		if (__atomic_load_n(&lt->slot_used, __ATOMIC_RELAXED) ||
		    !__atomic_compare_exchange_n(&lt->slot_used, &free, 1, 0,
						 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			continue;
		lt->task = t;
		lt->curr_chain_key = INITIAL_CHAIN_KEY;
		lt->lockdep_depth = 0;
		lt->recursion = 0;
		lt->gen = __atomic_load_n(&ld_gen, __ATOMIC_RELAXED);
		__atomic_store_n(&t->debug_private, lt, __ATOMIC_RELEASE);
		ld_self = lt;
		/* A first-level key: a plain store in glibc, no allocation. */
		pthread_setspecific(ld_task_key, lt);
		return lt;
	}
	if (lksync_debug_locks_off())
		lksync_report("BUG: MAX_LOCKDEP_TASKS too low!",
			      "turning off the locking correctness validator.");
	return NULL;
}

static __always_inline struct ld_task *ld_task(void)
{
	struct ld_task *lt = ld_self;

	if (unlikely(!lt))
		lt = ld_task_bind();
	return lt;
}

/* The lockdep state of @t (NULL: current), or NULL if it has none. */
static struct ld_task *ld_task_of(struct task_struct *t)
{
	struct ld_task *lt;

	if (!t || t == lksync_tls.task)
		return ld_self;
	lt = __atomic_load_n(&t->debug_private, __ATOMIC_ACQUIRE);
	/* The slot may be changing hands as we look: a snapshot (data_race()). */
	if (lt && data_race(lt->task) != t)
		return NULL;
	return lt;
}

/* ---------------------------------------------------------------- */
/* Stack traces: a pool of [nr, pc...] records. */

static unsigned int nr_trace_entries = 1;
unsigned long ld_trace_pool[MAX_STACK_TRACE_ENTRIES];

/*
 * Skip lockdep's own frames: everything up to the return address of the
 * hook that the instrumented code called (recorded at the hook's entry).
 */
int ld_trace_skip(void *const *pc, int n)
{
	struct ld_task *lt = ld_self;

	for (int i = 1; lt && i < n; i++)
		if ((unsigned long)pc[i] == lt->hook_ret)
			return i;
	return 1;
}

static void ld_table_full(const char *table);

/* Save the caller's stack, without lockdep's own frames. Graph lock held. */
u32 ld_save_trace(void)
{
	void *pc[LD_TRACE_FRAMES + 16];
	int n = backtrace(pc, (int)ARRAY_SIZE(pc)), skip = ld_trace_skip(pc, n);
	u32 at, h, slot;

	n -= skip;
	if (n > LD_TRACE_FRAMES)
		n = LD_TRACE_FRAMES;
	if (n < 0)
		n = 0;
	/*
	 * One copy of each distinct trace, as the kernel's save_trace() (since
	 * 5.4): the same call sites, seen again for new classes (objects that
	 * come and go with dynamic keys), must not use the pool up.
	 */
	h = (u32)n;
	for (int i = 0; i < n; i++)
		h = (h ^ (u32)((unsigned long)pc[skip + i] >> 2)) * 0x9E3779B1u;
	slot = h % TRACE_HASH_SIZE;
	for (u32 probe = 0; probe < TRACE_HASH_SIZE; probe++, slot = (slot + 1) % TRACE_HASH_SIZE) {
		u32 t = trace_hash[slot];

		if (!t)
			break;
		if (ld_trace_pool[t] == (unsigned long)n &&
		    !memcmp(&ld_trace_pool[t + 1], &pc[skip], (size_t)n * sizeof(pc[0])))
			return t;
	}
	if (nr_trace_entries + (unsigned int)n + 1 > MAX_STACK_TRACE_ENTRIES) {
		ld_table_full("MAX_STACK_TRACE_ENTRIES");
		return 0;
	}
	at = nr_trace_entries;
	ld_trace_pool[at] = (unsigned long)n;
	for (int i = 0; i < n; i++)
		ld_trace_pool[at + 1 + i] = (unsigned long)pc[skip + i];
	nr_trace_entries += (unsigned int)n + 1;
	if (nr_trace_hashed < TRACE_HASH_SIZE * 3 / 4 && !trace_hash[slot]) {
		trace_hash[slot] = at;
		nr_trace_hashed++;
	}
	return at;
}

/* ---------------------------------------------------------------- */
/* Classes. */

/*
 * A map's key: set at init, or on first use for a static lock by whichever
 * task gets there first (all store the same value).
 */
static __always_inline struct lock_class_key *map_key(const struct lockdep_map *lock)
{
	return __atomic_load_n(&lock->key, __ATOMIC_RELAXED);
}

static inline u32 ptr_hash(const void *p)
{
	u64 h = (u64)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;

	return (u32)(h >> 40);
}

static struct lock_class *look_up_class(const void *subkey)
{
	u32 i = ptr_hash(subkey) % CLASSHASH_SIZE;

	for (;;) {
		/* Acquire: the class was filled in before its index was published. */
		u16 idx = __atomic_load_n(&classhash[i], __ATOMIC_ACQUIRE);

		if (!idx)
			return NULL;
		if (__atomic_load_n(&lock_classes[idx].key, __ATOMIC_RELAXED) == subkey)
			return &lock_classes[idx];
		i = (i + 1) % CLASSHASH_SIZE;
	}
}

/*
 * Static storage: the loaded segments of the program and its libraries
 * (PT_LOAD), learned from dl_iterate_phdr() and kept, so that the check
 * costs a short scan once an object is known; an address outside them asks
 * the loader again (an object dlopen()ed since). Published with a release
 * store of the count; appended under seg_lock.
 */
#define LD_MAX_SEGS	512
static struct { uintptr_t lo, hi; } ld_segs[LD_MAX_SEGS];
static unsigned int nr_ld_segs;
static int seg_lock;

static int seg_known(uintptr_t a)
{
	/* Acquire: pairs with the release in add_segs(). */
	unsigned int n = __atomic_load_n(&nr_ld_segs, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < n; i++)
		if (a - ld_segs[i].lo < ld_segs[i].hi - ld_segs[i].lo)
			return 1;
	return 0;
}

static int add_segs(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
		unsigned int n = nr_ld_segs;

		if (ph->p_type != PT_LOAD || !ph->p_memsz || seg_known(lo))
			continue;
		if (n == LD_MAX_SEGS)
			return 1;
		ld_segs[n].lo = lo;
		ld_segs[n].hi = hi;
		__atomic_store_n(&nr_ld_segs, n + 1, __ATOMIC_RELEASE);
	}
	return 0;
}

/*
 * Is @p static storage: in a loaded object's image, or a static per-CPU
 * variable (the kernel's static_obj())? Context: any but a signal handler
 * that interrupted the loader, on a miss (as dladdr() before it).
 */
static int static_obj(const void *p)
{
	uintptr_t a = (uintptr_t)p;
	unsigned long flags;
	Dl_info info;

	if (seg_known(a) || lksync_pcpu_static_canon(p))
		return 1;
	if (!dladdr(p, &info))
		return 0;
	/* Interrupts masked: a handler on this thread must not spin on us. */
	flags = ld_irq_save();
	while (__atomic_exchange_n(&seg_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	dl_iterate_phdr(add_segs, NULL);
	__atomic_store_n(&seg_lock, 0, __ATOMIC_RELEASE);
	ld_irq_restore(flags);
	return 1;
}

/*
 * Dynamic keys (lockdep_register_key()): an open-addressing set of key
 * addresses; LD_KEY_TOMB marks a removed one. Written under the graph lock
 * (rebuilt there when tombstones pile up); read without it, and a miss is
 * confirmed under it, so a rebuild never makes a registered key look
 * unregistered.
 */
#define KEYHASH_SIZE	MAX_LOCKDEP_KEYS
#define LD_KEY_TOMB	((const struct lock_class_key *)1)
static const struct lock_class_key *keyhash[KEYHASH_SIZE];
static unsigned int nr_keyhash_used;	/* live + tombstones */

static int key_slot(const struct lock_class_key *key, int insert)
{
	u32 i = ptr_hash(key) % KEYHASH_SIZE;

	for (unsigned int n = 0; n < KEYHASH_SIZE; n++, i = (i + 1) % KEYHASH_SIZE) {
		/* Acquire: pairs with the release of the inserting store. */
		const struct lock_class_key *k = __atomic_load_n(&keyhash[i], __ATOMIC_ACQUIRE);

		if (k == key || (!k && insert))
			return (int)i;
		if (!k)
			return -1;
	}
	return -1;
}

static void keyhash_rebuild(void)
{
	static const struct lock_class_key *live[KEYHASH_SIZE];
	unsigned int n = 0;

	for (unsigned int i = 0; i < KEYHASH_SIZE; i++) {
		if (keyhash[i] && keyhash[i] != LD_KEY_TOMB)
			live[n++] = keyhash[i];
		__atomic_store_n(&keyhash[i], NULL, __ATOMIC_RELAXED);
	}
	nr_keyhash_used = n;
	for (unsigned int i = 0; i < n; i++)
		__atomic_store_n(&keyhash[key_slot(live[i], 1)], live[i], __ATOMIC_RELEASE);
}

static int is_dynamic_key(const struct lock_class_key *key)
{
	unsigned long flags;
	int found;

	if (key_slot(key, 0) >= 0)
		return 1;
	flags = ld_irq_save();
	graph_lock();
	found = key_slot(key, 0) >= 0;
	graph_unlock();
	ld_irq_restore(flags);
	return found;
}

/*
 * The first report turns the validator off and gets the buffer; a later one
 * (debug_locks already 0), a silenced one, or one made while another is
 * being written gets NULL and prints nothing, as in the kernel.
 */
static struct ld_buf *ld_report_open(void)
{
	if (!lksync_debug_locks_off() || debug_locks_silent)
		return NULL;
	return ld_report_begin();
}

/* A fixed table ran out: "BUG: @table too low!", once, and lockdep stops. */
static noinline __cold void ld_table_full(const char *table)
{
	char headline[48];

	if (!lksync_debug_locks_off() || debug_locks_silent)
		return;
	snprintf(headline, sizeof(headline), "BUG: %s too low!", table);
	lksync_report(headline, "turning off the locking correctness validator.");
}

static noinline __cold void report_non_static_key(struct lockdep_map *lock)
{
	struct ld_buf *b;

	b = ld_report_open();
	if (!b)
		return;
	ld_printf(b, "INFO: trying to register non-static key.\n");
	ld_printf(b, "The code is fine but needs lockdep annotation, or maybe\n");
	ld_printf(b, "you didn't initialize this object before use?\n");
	ld_printf(b, "turning off the locking correctness validator.\n");
	ld_printf(b, "lock: %p name: %s\n", (void *)lock, lock->name ? lock->name : "(null)");
	ld_report_end(b);
}

/*
 * The class of @lock as @subclass, registered on first use. Takes the graph
 * lock for a new class. Return: the class, or NULL (reported).
 */
static noinline struct lock_class *register_lock_class(struct lockdep_map *lock,
						       unsigned int subclass)
{
	struct lock_class_key *key;
	struct lock_class *class;
	const void *subkey;
	u32 i;

	if (subclass >= MAX_LOCKDEP_SUBCLASSES) {
		if (lksync_debug_locks_off() && !debug_locks_silent)
			lksync_report("BUG: looking up invalid subclass",
				      "BUG: looking up invalid subclass: %u\n"
				      "turning off the locking correctness validator.",
				      subclass);
		return NULL;
	}
	key = map_key(lock);
	if (!key) {
		/*
		 * A static lock (a static initializer, or zero-initialized): its
		 * own address is its key; every CPU's copy of a static per-CPU
		 * lock shares the variable's per-CPU pointer, as the kernel's
		 * assign_lock_key() does. Anything else (the stack, the heap, a
		 * per-CPU allocation) needs an initializer that brings a key.
		 */
		key = (struct lock_class_key *)lksync_pcpu_static_canon(lock);
		if (!key && static_obj(lock))
			key = (struct lock_class_key *)lock;
		if (!key) {
			report_non_static_key(lock);
			return NULL;
		}
		/* Relaxed: every task that races here stores the same value. */
		__atomic_store_n(&lock->key, key, __ATOMIC_RELAXED);
	}
	subkey = key->subkeys + subclass;
	class = look_up_class(subkey);
	if (class)
		goto out;

	graph_lock();
	class = look_up_class(subkey);
	if (class) {
		graph_unlock();
		goto out;
	}
	if (free_classes) {
		/* A slot a zapped key gave back (its lists are empty). */
		class = &lock_classes[free_classes];
		free_classes = class->next_free;
	} else if (nr_lock_classes + 1 >= MAX_LOCKDEP_KEYS) {
		graph_unlock();
		ld_table_full("MAX_LOCKDEP_KEYS");
		return NULL;
	} else {
		class = &lock_classes[nr_lock_classes + 1];
	}
	memset(&class->name, 0, sizeof(*class) - offsetof(struct lock_class, name));
	class->name = lock->name ? lock->name : "(unnamed)";
	class->subclass = (u8)subclass;
	class->wait_type_inner = lock->wait_type_inner;
	class->wait_type_outer = lock->wait_type_outer;
	class->lock_type = lock->lock_type;
	/*
	 * Another key with the same name: told apart as name#2, name#3...; the
	 * subclasses of one key share its version.
	 */
	class->name_version = 1;
	for (unsigned int c = 1; c <= nr_lock_classes; c++) {
		const struct lock_class *o = &lock_classes[c];
		const char *base = (const char *)o->key - o->subclass;

		if (!o->key || !o->name)
			continue;
		if (base == key->subkeys) {
			class->name_version = o->name_version;
			break;
		}
		if (!strcmp(o->name, class->name) && o->name_version >= class->name_version)
			class->name_version = o->name_version + 1;
	}
	__atomic_store_n(&class->key, subkey, __ATOMIC_RELAXED);
	i = ptr_hash(subkey) % CLASSHASH_SIZE;
	while (classhash[i])
		i = (i + 1) % CLASSHASH_SIZE;
	/* Release: publish the filled-in class (to lookups and to lock_stat). */
	__atomic_store_n(&classhash[i], (u16)(class - lock_classes), __ATOMIC_RELEASE);
	if ((unsigned int)(class - lock_classes) > nr_lock_classes)
		__atomic_store_n(&nr_lock_classes, nr_lock_classes + 1, __ATOMIC_RELEASE);
	graph_unlock();
out:
	/*
	 * Release: a task that finds the class through this cache reads its
	 * fields (the wait types) with no other ordering; this task saw them
	 * filled in (through the class hash's acquire, or by filling them).
	 */
	if (subclass < NR_LOCKDEP_CACHING_CLASSES)
		__atomic_store_n(&lock->class_cache[subclass], class, __ATOMIC_RELEASE);
	return class;
}

static __always_inline struct lock_class *lock_class_of(struct lockdep_map *lock,
							unsigned int subclass)
{
	/* lockdep_set_subclass(): the map's default for a plain lock(). */
	if (!subclass)
		subclass = lock->subclass;
	if (likely(subclass < NR_LOCKDEP_CACHING_CLASSES)) {
		/* Acquire: pairs with the release in register_lock_class(). */
		struct lock_class *c = __atomic_load_n(&lock->class_cache[subclass],
						       __ATOMIC_ACQUIRE);

		/* The key check catches a map re-keyed or a lockdep reset. */
		struct lock_class_key *key = map_key(lock);

		if (likely(c && key &&
			   __atomic_load_n(&c->key, __ATOMIC_RELAXED) == key->subkeys + subclass))
			return c;
	}
	return register_lock_class(lock, subclass);
}

void lksync_lockdep_init_map_type(struct lockdep_map *lock, const char *name,
				  struct lock_class_key *key, int subclass,
				  u8 inner, u8 outer, u8 lock_type)
{
	lock->class_cache[0] = lock->class_cache[1] = NULL;
	/*
	 * The key must be static storage or registered (the kernel's check);
	 * NULL is left for a static lock, which lockdep keys by its address.
	 */
	if (key && key_slot(key, 0) < 0 && !seg_known((uintptr_t)key) &&
	    !is_dynamic_key(key) && !static_obj(key)) {
		if (lksync_debug_locks_off() && !debug_locks_silent) {
			char headline[64];

			snprintf(headline, sizeof(headline),
				 "BUG: key %p has not been registered!", (void *)key);
			lksync_report(headline, "DEBUG_LOCKS_WARN_ON(1)\n"
				      "turning off the locking correctness validator.");
		}
		lock->key = NULL;
		lock->name = name;
		return;
	}
	lock->key = key;
	lock->name = name;
	lock->wait_type_inner = inner;
	lock->wait_type_outer = outer;
	lock->lock_type = lock_type;
	lock->cpu = sched_getcpu();
	lock->ip = 0;
	lock->subclass = subclass > 0 && subclass < (int)MAX_LOCKDEP_SUBCLASSES ? (u8)subclass : 0;
	/* A nonzero subclass is registered at once, as the kernel does. */
	if (subclass && key && ld_enabled()) {
		struct ld_task *lt = ld_task();
		unsigned long flags;

		if (!lt || lt->recursion)
			return;
		flags = ld_irq_save();
		lt->recursion++;
		lt->hook_ret = (unsigned long)__builtin_return_address(0);
		register_lock_class(lock, (unsigned int)subclass);
		ld_flush();
		lt->recursion--;
		ld_irq_restore(flags);
	}
}

/* ---------------------------------------------------------------- */
/* Chains. */

static __always_inline u64 iterate_chain_key(u64 key, u32 id)
{
	u64 h = (key ^ (key >> 31)) + id + 1;

	h *= 0x9E3779B97F4A7C15ULL;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	return h ^ (h >> 32);
}

static __always_inline u32 hlock_id(const struct held_lock *h)
{
	return h->class_idx | ((u32)h->read << MAX_LOCKDEP_KEYS_BITS);
}

static __always_inline int chain_cached(u64 key)
{
	u32 i = (u32)(key >> 7) % CHAINHASH_SIZE;

	for (;;) {
		/* Relaxed: a key is self-contained, nothing is published with it. */
		u64 k = __atomic_load_n(&chainhash[i], __ATOMIC_RELAXED);

		if (k == key)
			return 1;
		if (!k)
			return 0;
		i = (i + 1) % CHAINHASH_SIZE;
	}
}

/* Graph lock held. Return: 0 if the table is full (reported). */
static int chain_add(u64 key)
{
	u32 i = (u32)(key >> 7) % CHAINHASH_SIZE;

	if (nr_chains >= MAX_LOCKDEP_CHAINS) {
		ld_table_full("MAX_LOCKDEP_CHAINS");
		return 0;
	}
	while (__atomic_load_n(&chainhash[i], __ATOMIC_RELAXED))
		i = (i + 1) % CHAINHASH_SIZE;
	__atomic_store_n(&chainhash[i], key, __ATOMIC_RELAXED);
	chain_slot[nr_chains++] = i;
	return 1;
}

/* ---------------------------------------------------------------- */
/* Breadth-first search over (class, only_xr) states. Graph lock held. */

struct bfs_state {
	u16 class;
	u8 only_xr;	/* reached through -(*R)-> edges only */
	u32 entry;	/* the edge we came by (0: root) */
	int parent;	/* index in the queue (-1: root) */
};

static struct bfs_state bfs_queue[2 * MAX_LOCKDEP_KEYS + 2];
static u32 bfs_seen[MAX_LOCKDEP_KEYS][2];
static u32 bfs_gen;

typedef int (*bfs_match_t)(const struct bfs_state *s, void *data);

/*
 * Search from @root along locks_after (@forward) or locks_before for a
 * state @match accepts, by strong paths only. Return: its queue index, or -1.
 */
static int bfs(u16 root, int root_only_xr, int forward, bfs_match_t match, void *data)
{
	unsigned int head = 0, tail = 1;

	if (++bfs_gen == 0) {
		memset(bfs_seen, 0, sizeof(bfs_seen));
		bfs_gen = 1;
	}
	bfs_queue[0] = (struct bfs_state){ root, (u8)root_only_xr, 0, -1 };
	bfs_seen[root][root_only_xr] = bfs_gen;
	while (head < tail) {
		struct bfs_state *s = &bfs_queue[head];
		struct lock_class *c = &lock_classes[s->class];
		u32 e;

		if (match(s, data))
			return (int)head;
		for (e = forward ? c->locks_after : c->locks_before; e; e = list_entries[e].next) {
			const struct lock_list *l = &list_entries[e];
			unsigned int dep = l->dep, oxr;

			/* -(*R)-> -(S*)-> is no strong path: mask out S* edges. */
			if (s->only_xr)
				dep &= ~(DEP_SR_MASK | DEP_SN_MASK);
			if (!dep)
				continue;
			oxr = !(dep & (DEP_SN_MASK | DEP_EN_MASK));
			/* A state reached by a -(*N)-> edge covers the -(*R)-> one. */
			if (bfs_seen[l->class][oxr] == bfs_gen || bfs_seen[l->class][0] == bfs_gen)
				continue;
			bfs_seen[l->class][oxr] = bfs_gen;
			bfs_queue[tail++] = (struct bfs_state){ l->class, (u8)oxr, e, (int)head };
		}
		head++;
	}
	return -1;
}

struct ld_match {
	u16 class;
	u8 read;
	unsigned int mask;
};

/* A cycle: @next reaches prev's class by a path that, with prev -> next, is strong. */
static int match_conflict(const struct bfs_state *s, void *data)
{
	const struct ld_match *m = data;

	return s->class == m->class && (m->read == 0 || !s->only_xr);
}

static int match_usage(const struct bfs_state *s, void *data)
{
	const struct ld_match *m = data;
	unsigned int usage = __atomic_load_n(&lock_classes[s->class].usage_mask, __ATOMIC_RELAXED);

	if (s->only_xr)
		usage &= LOCKF_IRQ;	/* reached by recursive reads: write usages only */
	return !!(usage & m->mask);
}

static int match_accumulate(const struct bfs_state *s, void *data)
{
	struct ld_match *m = data;
	unsigned int usage = __atomic_load_n(&lock_classes[s->class].usage_mask, __ATOMIC_RELAXED);

	m->mask |= s->only_xr ? (usage & LOCKF_IRQ) : usage;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Reports that need the graph (built under the graph lock). */

static void print_path_traces(struct ld_buf *b, int leaf, u32 root_trace)
{
	int depth = 0, i;

	for (i = leaf; bfs_queue[i].parent >= 0; i = bfs_queue[i].parent)
		depth++;
	for (i = leaf; i >= 0; i = bfs_queue[i].parent, depth--) {
		const struct bfs_state *s = &bfs_queue[i];

		ld_printf(b, "\n-> #%d", depth);
		ld_lock_name_full(b, &lock_classes[s->class]);
		ld_printf(b, ":\n");
		ld_trace(b, s->parent >= 0 ? list_entries[s->entry].trace : root_trace, 7);
	}
}

static void ld_rname(struct ld_buf *b, int read, const struct lock_class *c)
{
	ld_printf(b, "%s(", read ? "rlock" : "lock");
	ld_lock_name(b, c);
	ld_printf(b, ");\n");
}

static inline u8 calc_dep(const struct held_lock *prev, const struct held_lock *next)
{
	return (u8)(1U << ((prev->read == 0) + ((next->read != 2) << 1)));
}

/* The same edge seen from next: next as the "from" end, prev as the "to". */
static inline u8 calc_depb(const struct held_lock *prev, const struct held_lock *next)
{
	return (u8)(1U << ((next->read != 2) + ((prev->read == 0) << 1)));
}

/*
 * LKSYNC_LOCKDEP_DOT / lksync_lockdep_set_dot_file(): a detected cycle as a
 * Graphviz digraph. Written with open()/write() from the hook (no stdio).
 */
static char dot_path[512];

int lksync_lockdep_set_dot_file(const char *path)
{
	if (!path)
		path = "";
	snprintf(dot_path, sizeof(dot_path), "%s", path);
	return 0;
}

__attribute__((constructor)) static void ld_dot_init(void)
{
	const char *p = getenv("LKSYNC_LOCKDEP_DOT");

	if (p)
		lksync_lockdep_set_dot_file(p);
}

static const char *const dep_names[] = { "S->R", "E->R", "S->N", "E->N" };

static void dot_edge(struct ld_buf *b, u16 from, u16 to, unsigned int dep, int new_edge)
{
	char kinds[32] = "";

	for (int i = 0; i < 4; i++)
		if (dep & (1U << i))
			snprintf(kinds + strlen(kinds), sizeof(kinds) - strlen(kinds), "%s%s",
				 kinds[0] ? "," : "", dep_names[i]);
	ld_printf(b, "  c%u -> c%u [label=\"%s\"%s];\n", from, to, kinds,
		  new_edge ? ", color=red, style=dashed" : "");
}

static void write_cycle_dot(struct held_lock *prev, struct held_lock *next, int target)
{
	char text[8192];
	struct ld_buf b = { text, 0, sizeof(text) };
	int fd, i;

	if (!dot_path[0])
		return;
	ld_printf(&b, "digraph lockdep_cycle {\n  node [shape=box];\n");
	for (i = target; i >= 0; i = bfs_queue[i].parent) {
		const struct lock_class *c = &lock_classes[bfs_queue[i].class];

		ld_printf(&b, "  c%u [label=\"", bfs_queue[i].class);
		ld_lock_name(&b, c);
		ld_printf(&b, "\"];\n");
	}
	for (i = target; bfs_queue[i].parent >= 0; i = bfs_queue[i].parent)
		dot_edge(&b, bfs_queue[bfs_queue[i].parent].class, bfs_queue[i].class,
			 list_entries[bfs_queue[i].entry].dep, 0);
	/* The dependency that would close the cycle. */
	dot_edge(&b, prev->class_idx, next->class_idx, calc_dep(prev, next), 1);
	ld_printf(&b, "}\n");
	fd = open(dot_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	for (size_t off = 0; off < b.len;) {
		ssize_t w = write(fd, text + off, b.len - off);

		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd);
}

static noinline __cold void print_circular_bug(struct ld_task *lt, struct held_lock *prev,
			       struct held_lock *next, int target)
{
	struct ld_buf *b;
	struct lock_class *source = hlock_class(next), *tgt = hlock_class(prev), *parent;
	int p;

	b = ld_report_open();
	if (!b)
		return;
	ld_header(b, "WARNING: possible circular locking dependency detected");
	ld_printf(b, "%s/%d is trying to acquire lock:\n", lt->task->comm, lt->task->pid);
	ld_print_lock(b, next);
	ld_printf(b, "\nbut task is already holding lock:\n");
	ld_print_lock(b, prev);
	ld_printf(b, "\nwhich lock already depends on the new lock.\n\n");
	ld_printf(b, "\nthe existing dependency chain (in reverse order) is:\n");
	print_path_traces(b, target, ld_save_trace());
	write_cycle_dot(prev, next, target);

	/* The lock before prev on the path (the "middle" of the scenario). */
	p = bfs_queue[target].parent >= 0 ? bfs_queue[target].parent : target;
	parent = &lock_classes[bfs_queue[p].class];
	ld_printf(b, "\nother info that might help us debug this:\n\n");
	if (parent != source) {
		ld_printf(b, "Chain exists of:\n  ");
		ld_lock_name(b, source);
		ld_printf(b, " --> ");
		ld_lock_name(b, parent);
		ld_printf(b, " --> ");
		ld_lock_name(b, tgt);
		ld_printf(b, "\n\n");
	}
	ld_printf(b, " Possible unsafe locking scenario:\n\n");
	ld_printf(b, "       CPU0                    CPU1\n");
	ld_printf(b, "       ----                    ----\n");
	ld_printf(b, "  ");
	ld_rname(b, prev->read, tgt);
	ld_printf(b, "                               ");
	ld_rname(b, 0, parent);
	ld_printf(b, "                               ");
	ld_rname(b, 0, tgt);
	ld_printf(b, "  ");
	ld_rname(b, next->read, source);
	ld_printf(b, "\n *** DEADLOCK ***\n\n");
	ld_held_locks(b, lt);
	ld_report_end(b);
}

static noinline __cold void print_deadlock_bug(struct ld_task *lt, struct held_lock *prev,
			       struct held_lock *next)
{
	struct ld_buf *b;

	b = ld_report_open();
	if (!b)
		return;
	ld_header(b, "WARNING: possible recursive locking detected");
	ld_printf(b, "%s/%d is trying to acquire lock:\n", lt->task->comm, lt->task->pid);
	ld_print_lock(b, next);
	ld_printf(b, "\nbut task is already holding lock:\n");
	ld_print_lock(b, prev);
	ld_printf(b, "\nother info that might help us debug this:\n");
	ld_printf(b, " Possible unsafe locking scenario:\n\n");
	ld_printf(b, "       CPU0\n");
	ld_printf(b, "       ----\n");
	ld_printf(b, "  ");
	ld_rname(b, prev->read, hlock_class(prev));
	ld_printf(b, "  ");
	ld_rname(b, next->read, hlock_class(next));
	ld_printf(b, "\n *** DEADLOCK ***\n\n");
	ld_printf(b, " May be due to missing lock nesting notation\n\n");
	ld_held_locks(b, lt);
	ld_report_end(b);
}

static void print_ctx(struct ld_buf *b, struct ld_task *lt)
{
	ld_printf(b, "%s/%d [HC%u[%lu]:SC%u[%lu]:HE%u:SE%u]", lt->task->comm, lt->task->pid,
		  !!in_hardirq(), (unsigned long)(hardirq_count() >> HARDIRQ_SHIFT),
		  !!in_serving_softirq(), (unsigned long)(softirq_count() >> SOFTIRQ_SHIFT),
		  !lt->held_locks[lt->lockdep_depth].hardirqs_off,
		  !lt->held_locks[lt->lockdep_depth].softirqs_off);
}

static void print_lock_class_header(struct ld_buf *b, const struct lock_class *c, int depth)
{
	ld_printf(b, "%*s->", depth, "");
	ld_lock_name_full(b, c);
	ld_printf(b, " {\n");
	for (int bit = 0; bit < LOCK_TRACE_STATES; bit++) {
		if (!(c->usage_mask & LOCKF(bit)))
			continue;
		ld_printf(b, "%*s   %s at:\n", depth, "", ld_usage_str(bit));
		ld_trace(b, c->usage_traces[bit], depth + 7);
	}
	ld_printf(b, "%*s }\n", depth, "");
	ld_printf(b, "%*s ... key      at: [<%p>] ", depth, "", c->key);
	ld_sym(b, (unsigned long)c->key);
	ld_printf(b, "\n");
}

static void print_shortest_dependencies(struct ld_buf *b, int leaf, u32 root_trace)
{
	int depth = 0, i;

	for (i = leaf; bfs_queue[i].parent >= 0; i = bfs_queue[i].parent)
		depth++;
	for (i = leaf; i >= 0; i = bfs_queue[i].parent, depth--) {
		const struct bfs_state *s = &bfs_queue[i];

		print_lock_class_header(b, &lock_classes[s->class], depth);
		ld_printf(b, "%*s ... acquired at:\n", depth, "");
		ld_trace(b, s->parent >= 0 ? list_entries[s->entry].trace : root_trace, depth + 7);
		ld_printf(b, "\n");
	}
}

static void print_irq_scenario(struct ld_buf *b, struct lock_class *safe,
			       struct lock_class *unsafe, struct lock_class *prev_class,
			       struct lock_class *next_class)
{
	struct lock_class *middle = prev_class == safe ? next_class : prev_class;

	if (middle != unsafe) {
		ld_printf(b, "Chain exists of:\n  ");
		ld_lock_name(b, safe);
		ld_printf(b, " --> ");
		ld_lock_name(b, middle);
		ld_printf(b, " --> ");
		ld_lock_name(b, unsafe);
		ld_printf(b, "\n\n");
	}
	ld_printf(b, " Possible interrupt unsafe locking scenario:\n\n");
	ld_printf(b, "       CPU0                    CPU1\n");
	ld_printf(b, "       ----                    ----\n");
	ld_printf(b, "  ");
	ld_rname(b, 0, unsafe);
	ld_printf(b, "                               local_irq_disable();\n");
	ld_printf(b, "                               ");
	ld_rname(b, 0, safe);
	ld_printf(b, "                               ");
	ld_rname(b, 0, middle);
	ld_printf(b, "  <Interrupt>\n    ");
	ld_rname(b, 0, safe);
	ld_printf(b, "\n *** DEADLOCK ***\n\n");
}

static int exclusive_bit(int bit)
{
	return (bit & LOCK_USAGE_STATE_MASK) | ((bit & LOCK_USAGE_DIR_MASK) ^ LOCK_USAGE_DIR_MASK);
}

static unsigned int invert_dir_mask(unsigned int mask)
{
	return ((mask & LOCKF_ENABLED_IRQ_ALL) >> LOCK_USAGE_DIR_MASK) |
	       ((mask & LOCKF_USED_IN_IRQ_ALL) << LOCK_USAGE_DIR_MASK);
}

/* The usages that conflict with @mask (read-in-irq against enabled writes, etc.). */
static unsigned int exclusive_mask(unsigned int mask)
{
	unsigned int excl = invert_dir_mask(mask);

	excl |= (excl & LOCKF_IRQ_READ) >> LOCK_USAGE_READ_MASK;
	excl |= (excl & LOCKF_IRQ) << LOCK_USAGE_READ_MASK;
	return excl;
}

/*
 * prev -> next would connect an irq-safe lock (prev or a lock before it) to
 * an irq-unsafe one (next or a lock after it). Return: 1 if fine.
 */
static int check_irq_usage(struct ld_task *lt, struct held_lock *prev, struct held_lock *next)
{
	struct ld_match acc = { 0 }, fwd, bwd;
	int f, bk, bit, fbit = -1, bbit = -1;
	unsigned int fmask, bmask, excl;
	struct lock_class *fc, *bc;
	struct ld_buf *b;
	static struct bfs_state fsave[2 * MAX_LOCKDEP_KEYS + 2];
	int fdepth;

	bfs(prev->class_idx, prev->read != 0, 0, match_accumulate, &acc);
	acc.mask &= LOCKF_USED_IN_IRQ_ALL;
	if (!acc.mask)
		return 1;
	fwd.mask = exclusive_mask(acc.mask);
	f = bfs(next->class_idx, next->read == 2, 1, match_usage, &fwd);
	if (f < 0)
		return 1;
	fc = &lock_classes[bfs_queue[f].class];
	fmask = fc->usage_mask & LOCKF_ENABLED_IRQ_ALL;
	/* The forward path, saved: the backward search reuses the queue. */
	fdepth = 0;
	for (int i = f; i >= 0; i = bfs_queue[i].parent)
		fsave[fdepth++] = bfs_queue[i];
	bwd.mask = invert_dir_mask(fmask);
	bwd.mask |= (bwd.mask & LOCKF_IRQ_READ) >> LOCK_USAGE_READ_MASK;
	bwd.mask |= (bwd.mask & LOCKF_IRQ) << LOCK_USAGE_READ_MASK;
	bk = bfs(prev->class_idx, prev->read != 0, 0, match_usage, &bwd);
	if (bk < 0)
		return 1;	/* cannot happen: the accumulated mask came from there */
	bc = &lock_classes[bfs_queue[bk].class];
	bmask = bc->usage_mask;
	for (bit = 0; bit < LOCK_USED; bit++) {
		if (!(bmask & LOCKF(bit)))
			continue;
		excl = (unsigned int)exclusive_bit(bit);
		if (fc->usage_mask & LOCKF(excl)) {
			bbit = bit, fbit = (int)excl;
			break;
		}
		if (fc->usage_mask & LOCKF(excl | LOCK_USAGE_READ_MASK)) {
			bbit = bit, fbit = (int)(excl | LOCK_USAGE_READ_MASK);
			break;
		}
	}
	if (bbit < 0)
		return 1;
	b = ld_report_open();
	if (!b)
		return 0;
	{
		const char *irqclass = ld_state_name(bbit);
		char hdr[96];
		u32 now = ld_save_trace();

		snprintf(hdr, sizeof(hdr), "WARNING: %s-safe -> %s-unsafe lock order detected",
			 irqclass, irqclass);
		ld_header(b, hdr);
		print_ctx(b, lt);
		ld_printf(b, " is trying to acquire:\n");
		ld_print_lock(b, next);
		ld_printf(b, "\nand this task is already holding:\n");
		ld_print_lock(b, prev);
		ld_printf(b, "which would create a new lock dependency:\n");
		ld_lock_name_full(b, hlock_class(prev));
		ld_printf(b, " ->");
		ld_lock_name_full(b, hlock_class(next));
		ld_printf(b, "\n\nbut this new dependency connects a %s-irq-safe lock:\n", irqclass);
		ld_lock_name_full(b, bc);
		ld_printf(b, "\n\n... which became %s-irq-safe at:\n", irqclass);
		ld_trace(b, bc->usage_traces[bbit], 1);
		ld_printf(b, "\nto a %s-irq-unsafe lock:\n", irqclass);
		ld_lock_name_full(b, fc);
		ld_printf(b, "\n\n... which became %s-irq-unsafe at:\n...\n", irqclass);
		ld_trace(b, fc->usage_traces[fbit], 1);
		ld_printf(b, "\nother info that might help us debug this:\n\n");
		print_irq_scenario(b, bc, fc, hlock_class(prev), hlock_class(next));
		ld_held_locks(b, lt);
		ld_printf(b, "\nthe dependencies between %s-irq-safe lock and the holding lock:\n",
			  irqclass);
		print_shortest_dependencies(b, bk, now);
		ld_printf(b, "\nthe dependencies between the lock to be acquired and %s-irq-unsafe lock:\n",
			  irqclass);
		/* The forward path, leaf first. */
		for (int i = 0; i < fdepth; i++) {
			int depth = fdepth - 1 - i;

			print_lock_class_header(b, &lock_classes[fsave[i].class], depth);
			ld_printf(b, "%*s ... acquired at:\n", depth, "");
			ld_trace(b, fsave[i].parent >= 0 ? list_entries[fsave[i].entry].trace : now,
				 depth + 7);
			ld_printf(b, "\n");
		}
	}
	ld_report_end(b);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Usage bits. Graph lock held for the checks. */

/* The current task's last irq and bottom-half events (the kernel's print_irqtrace_events()). */
static void print_irqtrace_events(struct ld_buf *b)
{
	static const char *const what[] = {
		"hardirqs last  enabled", "hardirqs last disabled",
		"softirqs last  enabled", "softirqs last disabled",
	};
	const unsigned int event[] = {
		lksync_tls.hardirq_enable_event, lksync_tls.hardirq_disable_event,
		lksync_tls.softirq_enable_event, lksync_tls.softirq_disable_event,
	};
	const unsigned long ip[] = {
		lksync_tls.hardirq_enable_ip, lksync_tls.hardirq_disable_ip,
		lksync_tls.softirq_enable_ip, lksync_tls.softirq_disable_ip,
	};

	ld_printf(b, "irq event stamp: %u\n", lksync_tls.irq_events);
	for (int i = 0; i < 4; i++) {
		ld_printf(b, "%s at (%u): [<%016lx>] ", what[i], event[i], ip[i]);
		if (ip[i])
			ld_sym(b, ip[i]);
		else
			ld_printf(b, "0x0");
		ld_printf(b, "\n");
	}
}

static noinline __cold void print_usage_bug(struct ld_task *lt, struct held_lock *h, int prev_bit, int new_bit)
{
	struct ld_buf *b;

	b = ld_report_open();
	if (!b)
		return;
	ld_header(b, "WARNING: inconsistent lock state");
	ld_printf(b, "inconsistent {%s} -> {%s} usage.\n", ld_usage_str(prev_bit),
		  ld_usage_str(new_bit));
	print_ctx(b, lt);
	ld_printf(b, " takes:\n");
	ld_print_lock(b, h);
	ld_printf(b, "{%s} state was registered at:\n", ld_usage_str(prev_bit));
	ld_trace(b, hlock_class(h)->usage_traces[prev_bit], 1);
	print_irqtrace_events(b);
	ld_printf(b, "\nother info that might help us debug this:\n");
	ld_printf(b, " Possible unsafe locking scenario:\n\n");
	ld_printf(b, "       CPU0\n");
	ld_printf(b, "       ----\n");
	ld_printf(b, "  ");
	ld_rname(b, 0, hlock_class(h));
	ld_printf(b, "  <Interrupt>\n    ");
	ld_rname(b, 0, hlock_class(h));
	ld_printf(b, "\n *** DEADLOCK ***\n\n");
	ld_held_locks(b, lt);
	ld_report_end(b);
}

static noinline __cold void print_irq_inversion_bug(struct ld_task *lt, struct held_lock *h, int other,
				    int forwards, const char *irqclass)
{
	struct lock_class *this_class = hlock_class(h), *oc, *middle;
	struct ld_buf *b;
	int p;

	b = ld_report_open();
	if (!b)
		return;
	oc = &lock_classes[bfs_queue[other].class];
	ld_header(b, "WARNING: possible irq lock inversion dependency detected");
	ld_printf(b, "%s/%d just changed the state of lock:\n", lt->task->comm, lt->task->pid);
	ld_print_lock(b, h);
	if (forwards)
		ld_printf(b, "but this lock took another, %s-unsafe lock in the past:\n", irqclass);
	else
		ld_printf(b, "but this lock was taken by another, %s-safe lock in the past:\n",
			  irqclass);
	ld_lock_name_full(b, oc);
	ld_printf(b, "\n\nand interrupts could create inverse lock ordering between them.\n\n");
	ld_printf(b, "\nother info that might help us debug this:\n");
	for (p = other; bfs_queue[p].parent > 0; p = bfs_queue[p].parent)
		;
	middle = &lock_classes[bfs_queue[p].class];
	if (forwards)
		print_irq_scenario(b, this_class, oc, middle, middle);
	else
		print_irq_scenario(b, oc, this_class, middle, middle);
	ld_held_locks(b, lt);
	ld_printf(b, "\nthe shortest dependencies between 2nd lock and 1st lock:\n");
	print_shortest_dependencies(b, other, ld_save_trace());
	ld_report_end(b);
}

static int valid_state(struct ld_task *lt, struct held_lock *h, int new_bit, int bad_bit)
{
	if (unlikely(hlock_class(h)->usage_mask & LOCKF(bad_bit))) {
		print_usage_bug(lt, h, bad_bit, new_bit);
		return 0;
	}
	return 1;
}

static int mark_lock_irq(struct ld_task *lt, struct held_lock *h, int new_bit)
{
	int excl_bit = exclusive_bit(new_bit);
	int read = new_bit & LOCK_USAGE_READ_MASK;
	int dir = new_bit & LOCK_USAGE_DIR_MASK;
	struct ld_match m = { .mask = LOCKF(excl_bit) | LOCKF(excl_bit + LOCK_USAGE_READ_MASK) };
	int t;

	if (!valid_state(lt, h, new_bit, excl_bit))
		return 0;
	/* A write usage also conflicts with the opposite read usage. */
	if (!read && !valid_state(lt, h, new_bit, excl_bit + LOCK_USAGE_READ_MASK))
		return 0;
	if (dir) {
		/* ENABLED: no lock before this one may be USED_IN that state. */
		t = bfs(h->class_idx, h->read != 0, 0, match_usage, &m);
	} else {
		/* USED_IN: no lock after this one may be ENABLED in that state. */
		t = bfs(h->class_idx, h->read == 2, 1, match_usage, &m);
	}
	if (t < 0)
		return 1;
	print_irq_inversion_bug(lt, h, t, !dir,
				ld_state_name((lock_classes[bfs_queue[t].class].usage_mask &
					       LOCKF(excl_bit)) ? excl_bit
							       : excl_bit + LOCK_USAGE_READ_MASK));
	return 0;
}

static noinline int mark_lock(struct ld_task *lt, struct held_lock *h, int bit)
{
	struct lock_class *c = hlock_class(h);
	int ret = 1;

	if (bit == LOCK_USED && h->read)
		bit = LOCK_USED_READ;
	/* Already set: no check, no write (the common case). */
	if (likely(__atomic_load_n(&c->usage_mask, __ATOMIC_RELAXED) & LOCKF(bit)))
		return 1;
	graph_lock();
	if (!(c->usage_mask & LOCKF(bit))) {
		__atomic_or_fetch(&c->usage_mask, LOCKF(bit), __ATOMIC_RELAXED);
		if (bit < LOCK_TRACE_STATES)
			c->usage_traces[bit] = ld_save_trace();
		if (bit < LOCK_USED)
			ret = mark_lock_irq(lt, h, bit);
	}
	graph_unlock();
	return ret;
}

static int mark_usage(struct ld_task *lt, struct held_lock *h)
{
	int hardirq = h->irq_context & LOCK_CHAIN_HARDIRQ_CONTEXT;
	int softirq = h->irq_context & LOCK_CHAIN_SOFTIRQ_CONTEXT;
	int r = h->read ? 1 : 0;
	unsigned int need = LOCKF(r ? LOCK_USED_READ : LOCK_USED);

	if (!h->trylock) {
		if (hardirq)
			need |= LOCKF(LOCK_USED_IN_HARDIRQ + r);
		if (softirq)
			need |= LOCKF(LOCK_USED_IN_SOFTIRQ + r);
	}
	if (!h->hardirqs_off) {
		need |= LOCKF(LOCK_ENABLED_HARDIRQ + r);
		if (!h->softirqs_off)
			need |= LOCKF(LOCK_ENABLED_SOFTIRQ + r);
	}
	/* The steady state: every usage seen before, nothing to check. */
	if (likely((__atomic_load_n(&hlock_class(h)->usage_mask, __ATOMIC_RELAXED) & need) == need))
		return 1;
	/* The kernel's order: in-irq usages, then enabled ones, then USED. */
	{
		static const u8 order[] = {
			LOCK_USED_IN_HARDIRQ, LOCK_USED_IN_HARDIRQ_READ,
			LOCK_USED_IN_SOFTIRQ, LOCK_USED_IN_SOFTIRQ_READ,
			LOCK_ENABLED_HARDIRQ, LOCK_ENABLED_HARDIRQ_READ,
			LOCK_ENABLED_SOFTIRQ, LOCK_ENABLED_SOFTIRQ_READ,
			LOCK_USED, LOCK_USED_READ,
		};

		for (unsigned int i = 0; i < ARRAY_SIZE(order); i++)
			if ((need & LOCKF(order[i])) &&
			    !mark_lock(lt, h, order[i] == LOCK_USED_READ ? LOCK_USED : order[i]))
				return 0;
	}
	return 1;
}

/* ---------------------------------------------------------------- */
/* Dependencies. Graph lock held. */

static u32 alloc_list_entry(void)
{
	if (free_entries) {
		u32 e = free_entries;

		free_entries = list_entries[e].next;
		return e;
	}
	if (nr_list_entries + 1 >= MAX_LOCKDEP_ENTRIES) {
		ld_table_full("MAX_LOCKDEP_ENTRIES");
		return 0;
	}
	return ++nr_list_entries;
}

static int add_lock_to_list(u32 *head, u16 other, u8 dep, u8 distance, u32 trace)
{
	u32 e = alloc_list_entry();

	if (!e)
		return 0;
	list_entries[e] = (struct lock_list){ *head, other, dep, distance, trace };
	*head = e;
	return 1;
}

/* Two held locks of one class, taken in the order lock_set_cmp_fn() allows? */
static int cmp_in_order(const struct held_lock *prev, const struct held_lock *next)
{
	const struct lock_class *c = hlock_class(prev);

	return prev->class_idx == next->class_idx && c->cmp_fn &&
	       c->cmp_fn(prev->instance, next->instance) < 0;
}

/* Return: 0 on a report, 1 otherwise. */
static int check_prev_add(struct ld_task *lt, struct held_lock *prev,
			  struct held_lock *next, u8 distance, u32 *trace)
{
	struct lock_class *pc = hlock_class(prev), *nc = hlock_class(next);
	struct ld_match m = { .class = prev->class_idx, .read = prev->read };
	int t;
	u32 e;

	if (pc->key == lksync_lockdep_no_validate.subkeys ||
	    nc->key == lksync_lockdep_no_validate.subkeys)
		return 1;
	/* Nesting within one class in its allowed order: no self-edge. */
	if (cmp_in_order(prev, next))
		return 1;
	t = bfs(next->class_idx, next->read == 2, 1, match_conflict, &m);
	if (t >= 0) {
		print_circular_bug(lt, prev, next, t);
		return 0;
	}
	if (!check_irq_usage(lt, prev, next))
		return 0;
	for (e = pc->locks_after; e; e = list_entries[e].next) {
		if (list_entries[e].class != next->class_idx)
			continue;
		if (distance == 1)
			list_entries[e].distance = 1;
		list_entries[e].dep |= calc_dep(prev, next);
		for (e = nc->locks_before; e; e = list_entries[e].next) {
			if (list_entries[e].class == prev->class_idx) {
				if (distance == 1)
					list_entries[e].distance = 1;
				list_entries[e].dep |= calc_depb(prev, next);
				break;
			}
		}
		return 1;
	}
	if (!*trace)
		*trace = ld_save_trace();
	if (!add_lock_to_list(&pc->locks_after, next->class_idx, calc_dep(prev, next),
			      distance, *trace) ||
	    !add_lock_to_list(&nc->locks_before, prev->class_idx, calc_depb(prev, next),
			      distance, *trace))
		return 0;
	return 1;
}

static int check_prevs_add(struct ld_task *lt, struct held_lock *next)
{
	unsigned int depth = lt->lockdep_depth;
	u32 trace = 0;

	for (;;) {
		struct held_lock *h = lt->held_locks + depth - 1;
		u8 distance = (u8)(lt->lockdep_depth - depth + 1);

		if (h->check && h->class_idx) {
			if (!check_prev_add(lt, h, next, distance, &trace))
				return 0;
			/*
			 * A non-trylock held lock added its own dependencies
			 * on those below it: stop there.
			 */
			if (!h->trylock)
				break;
		}
		depth--;
		if (!depth || lt->held_locks[depth].irq_context !=
			      lt->held_locks[depth - 1].irq_context)
			break;
	}
	return 1;
}

/* Return: 0 on a report, 2 if a nest lock makes it fine, else 1. */
static int check_deadlock(struct ld_task *lt, struct held_lock *next)
{
	struct held_lock *nest = NULL;

	for (unsigned int i = 0; i < lt->lockdep_depth; i++) {
		struct held_lock *prev = lt->held_locks + i;

		if (next->nest_lock && prev->instance == next->nest_lock)
			nest = prev;
		if (prev->class_idx != next->class_idx)
			continue;
		/* read_lock() recursion on a recursive-read lock is fine. */
		if (next->read == 2 && prev->read)
			continue;
		/* In the order the class's comparison allows. */
		if (cmp_in_order(prev, next))
			continue;
		if (nest)
			return 2;
		if (hlock_class(prev)->key == lksync_lockdep_no_validate.subkeys)
			return 2;
		print_deadlock_bug(lt, prev, next);
		return 0;
	}
	return 1;
}

/* A chain not seen before: check it under the graph lock. Return: 0 after a report. */
static noinline int validate_new_chain(struct ld_task *lt, struct held_lock *h, int chain_head,
				       u64 key)
{
	int ret;

	graph_lock();
	if (chain_cached(key) || !ld_enabled()) {
		graph_unlock();
		return 1;
	}
	ret = check_deadlock(lt, h);
	if (ret && !chain_head && ret != 2)
		ret = check_prevs_add(lt, h);
	if (ret)
		chain_add(key);
	graph_unlock();
	return ret;
}

/* Return: 0 after a report. */
static __always_inline int validate_chain(struct ld_task *lt, struct held_lock *h,
					  int chain_head, u64 key)
{
	/* Trylocks are recorded but add no dependency: any order works for them. */
	if (h->trylock || !h->check)
		return 1;
	if (likely(chain_cached(key)))
		return 1;
	return validate_new_chain(lt, h, chain_head, key);
}

/* ---------------------------------------------------------------- */
/* Acquire and release. */

static noinline __cold void print_lock_nested_lock_not_held(struct ld_task *lt, struct held_lock *h)
{
	struct ld_buf *b;

	b = ld_report_open();
	if (!b)
		return;
	ld_header(b, "WARNING: Nested lock was not taken");
	ld_printf(b, "%s/%d is trying to lock:\n", lt->task->comm, lt->task->pid);
	ld_print_lock(b, h);
	ld_printf(b, "\nbut this task is not holding:\n%s\n",
		  h->nest_lock->name ? h->nest_lock->name : "(null)");
	ld_printf(b, "\nother info that might help us debug this:\n");
	ld_held_locks(b, lt);
	ld_report_end(b);
}

static noinline __cold void print_depth_bug(struct ld_task *lt)
{
	struct ld_buf *b;

	b = ld_report_open();
	if (!b)
		return;
	ld_printf(b, "BUG: MAX_LOCK_DEPTH too low!\n");
	ld_printf(b, "turning off the locking correctness validator.\n");
	ld_printf(b, "depth: %u  max: %lu!\n", lt->lockdep_depth, MAX_LOCK_DEPTH);
	ld_held_locks(b, lt);
	ld_report_end(b);
}

static struct held_lock *find_held_lock(struct ld_task *lt, const struct lockdep_map *lock,
					unsigned int *idx);

static int lock_is_held_in(struct ld_task *lt, const struct lockdep_map *lock)
{
	unsigned int i;

	for (i = 0; i < lt->lockdep_depth; i++)
		if (lt->held_locks[i].instance == lock)
			return 1;
	return 0;
}

static inline u8 task_irq_context(void)
{
	return (u8)((in_hardirq() ? LOCK_CHAIN_HARDIRQ_CONTEXT : 0) |
		    (in_serving_softirq() ? LOCK_CHAIN_SOFTIRQ_CONTEXT : 0));
}

/* The wait type the current context allows (the kernel's task_wait_context()). */
static inline u8 task_wait_context(void)
{
	if (in_hardirq())
		return LD_WAIT_SPIN;
	if (in_serving_softirq())
		return LD_WAIT_CONFIG;
	return LD_WAIT_MAX;
}

static noinline __cold void print_invalid_wait_context(struct ld_task *lt, struct held_lock *h)
{
	struct ld_buf *b = ld_report_open();
	u8 inner = task_wait_context();

	if (!b)
		return;
	ld_header(b, "[ BUG: Invalid wait context ]");
	ld_printf(b, "%s/%d is trying to lock:\n", lt->task->comm, lt->task->pid);
	ld_print_lock(b, h);
	ld_printf(b, "other info that might help us debug this:\n");
	ld_printf(b, "context-{%d:%d}\n", inner, inner);
	ld_held_locks(b, lt);
	ld_report_end(b);
}

/*
 * PROVE_LOCKING's wait-context rule: a lock may only be taken where its
 * outer wait type is allowed, i.e. no lock that sleeps (LD_WAIT_SLEEP: a
 * mutex, an rwsem) under one that spins or in interrupt context, by the
 * held locks of the current irq context and the context itself. As the
 * kernel without PROVE_RAW_LOCK_NESTING, a spinlock_t (LD_WAIT_CONFIG) is a
 * spinning lock, so it nests inside a raw_spinlock_t. A trylock never
 * waits, and a map of wait type 0 is not checked. Return: 1 if reported.
 */
static int check_wait_context(struct ld_task *lt, struct held_lock *next)
{
	u8 next_outer = next->wait_type_outer ? next->wait_type_outer : next->wait_type_inner;
	u8 curr_inner = task_wait_context();
	int depth;

	if (!next->wait_type_inner || next->trylock)
		return 0;
	for (depth = (int)lt->lockdep_depth - 1; depth >= 0; depth--)
		if (lt->held_locks[depth].irq_context != next->irq_context)
			break;
	for (depth++; depth < (int)lt->lockdep_depth; depth++) {
		const struct held_lock *prev = &lt->held_locks[depth];

		if (!prev->wait_type_inner)
			continue;
		if (prev->wait_type_inner < curr_inner)
			curr_inner = prev->wait_type_inner;
		/* An annotation that lifts the rule (lock_map with LD_LOCK_WAIT_OVERRIDE). */
		if (unlikely(prev->lock_type == LD_LOCK_WAIT_OVERRIDE))
			curr_inner = prev->wait_type_inner;
	}
	if (next_outer <= curr_inner)
		return 0;
	print_invalid_wait_context(lt, next);
	return 1;
}

/*
 * Push @lock on the held-lock stack and validate the new chain (if
 * @validate). Return: 0 after a report.
 */
static __always_inline int __lock_acquire(struct ld_task *lt, struct lockdep_map *lock,
					  unsigned int subclass,
			  int trylock, int read, int check, struct lockdep_map *nest_lock,
			  unsigned long ip, int hardirqs_off, int softirqs_off, u8 irq_context,
			  unsigned int references, u64 holdtime, int mark)
{
	struct lock_class *class;
	struct held_lock *h;
	unsigned int depth = lt->lockdep_depth;
	int chain_head = 0, enabled = ld_enabled();
	u64 key;

	if (map_key(lock) == &lksync_lockdep_no_validate)
		check = 0;
	class = lock_class_of(lock, subclass);
	if (unlikely(!class))
		return 0;
	if (depth) {
		h = lt->held_locks + depth - 1;
		/* Same class under its nest lock: one entry, counted. */
		if (h->class_idx == class - lock_classes && nest_lock) {
			if (!references)
				references++;
			if (!h->references)
				h->references++;
			h->references += references;
			return 1;
		}
	}
	if (unlikely(depth >= MAX_LOCK_DEPTH)) {
		if (enabled)
			print_depth_bug(lt);
		return 0;
	}
	h = lt->held_locks + depth;
	h->class_idx = (u16)(class - lock_classes);
	h->acquire_ip = ip;
	h->instance = lock;
	h->nest_lock = nest_lock;
	h->irq_context = irq_context;
	h->trylock = (u8)trylock;
	h->read = (u8)read;
	h->check = (u8)check;
	h->hardirqs_off = (u8)hardirqs_off;
	h->softirqs_off = (u8)softirqs_off;
	h->references = (u16)references;
	h->subclass = (u8)subclass;
	h->waittime_stamp = 0;
	h->holdtime_stamp = holdtime;
	h->wait_type_inner = lock->wait_type_inner;
	h->wait_type_outer = lock->wait_type_outer;
	h->lock_type = lock->lock_type;

	if (enabled && mark && h->wait_type_inner && check_wait_context(lt, h))
		enabled = 0;
	if (enabled && mark && check && !mark_usage(lt, h))
		enabled = 0;
	key = lt->curr_chain_key;
	if (!depth)
		chain_head = 1;
	h->prev_chain_key = key;
	if (depth && lt->held_locks[depth - 1].irq_context != irq_context) {
		key = INITIAL_CHAIN_KEY;
		chain_head = 1;
	}
	key = iterate_chain_key(key, hlock_id(h));
	if (enabled && nest_lock && !lock_is_held_in(lt, nest_lock)) {
		print_lock_nested_lock_not_held(lt, h);
		enabled = 0;
	}
	if (enabled && !validate_chain(lt, h, chain_head, key))
		enabled = 0;
	/* Pushed even after a report: the stack stays true to what is held. */
	lt->curr_chain_key = key;
	lt->lockdep_depth = depth + 1;
	return enabled;
}

/* The same, out of line, for re-pushing held locks (release out of order, reset). */
static noinline int lock_acquire_again(struct ld_task *lt, const struct held_lock *s, int mark)
{
	return __lock_acquire(lt, s->instance, s->subclass, s->trylock, s->read, s->check,
			      s->nest_lock, s->acquire_ip, s->hardirqs_off, s->softirqs_off,
			      s->irq_context, s->references, s->holdtime_stamp, mark);
}

/* lksync_lockdep_reset() ran: re-resolve the held locks' classes and chain. */
static noinline void ld_task_regen(struct ld_task *lt)
{
	unsigned int depth = lt->lockdep_depth, i;
	struct held_lock saved[MAX_LOCK_DEPTH];

	lt->gen = __atomic_load_n(&ld_gen, __ATOMIC_RELAXED);
	memcpy(saved, lt->held_locks, depth * sizeof(saved[0]));
	lt->lockdep_depth = 0;
	lt->curr_chain_key = INITIAL_CHAIN_KEY;
	for (i = 0; i < depth; i++) {
		struct held_lock *s = &saved[i];

		lock_acquire_again(lt, s, 1);
	}
}

void lksync_lock_acquire(struct lockdep_map *lock, unsigned int subclass, int trylock,
			 int read, int check, struct lockdep_map *nest_lock, unsigned long ip)
{
	struct ld_task *lt = ld_task();
	unsigned long flags;
	int softirqs_off;

	if (unlikely(!lt || lt->recursion || map_key(lock) == &lksync_lockdep_no_track))
		return;
	softirqs_off = softirq_count() != 0;
	flags = ld_irq_save();
	lt->recursion++;
	lt->hook_ret = (unsigned long)__builtin_return_address(0);
	if (unlikely(lt->gen != __atomic_load_n(&ld_gen, __ATOMIC_RELAXED)))
		ld_task_regen(lt);
	__lock_acquire(lt, lock, subclass, trylock, read, check, nest_lock, ip,
		       flags != 0 || in_hardirq(), softirqs_off, task_irq_context(), 0,
		       ld_lock_stat_on() ? lockstat_clock() : 0, 1);
	ld_flush();
	lt->recursion--;
	ld_irq_restore(flags);
}

/*
 * "bad unlock balance" and "bad contention": the task names a lock it does
 * not hold (@verb: "release", "contend"; @but: what lockdep found instead).
 */
static noinline __cold void print_not_held_bug(struct ld_task *lt, struct lockdep_map *lock,
					       unsigned long ip, const char *headline,
					       const char *verb, const char *but)
{
	struct ld_buf *b;

	b = ld_report_open();
	if (!b)
		return;
	ld_header(b, headline);
	ld_printf(b, "%s/%d is trying to %s lock (%s) at:\n", lt->task->comm,
		  lt->task->pid, verb, lock->name ? lock->name : "(null)");
	ld_printf(b, "[<%p>] ", (void *)ip);
	ld_sym(b, ip);
	ld_printf(b, "\nbut %s!\n", but);
	ld_printf(b, "\nother info that might help us debug this:\n");
	ld_held_locks(b, lt);
	ld_report_end(b);
}

static void print_unlock_imbalance_bug(struct ld_task *lt, struct lockdep_map *lock,
				       unsigned long ip)
{
	print_not_held_bug(lt, lock, ip, "WARNING: bad unlock balance detected!", "release",
			   "there are no more locks to release");
}

static int match_held_lock(const struct held_lock *h, const struct lockdep_map *lock)
{
	if (h->instance == lock)
		return 1;
	/*
	 * A merged nest_lock entry stands for every lock of its class: is
	 * @lock, in the subclass the entry was taken with, of that class? (The
	 * kernel looks at subclass 0 only; a nest taken with a subclass would
	 * then fail to release.)
	 */
	if (h->references) {
		const struct lock_class_key *key = map_key(lock);
		unsigned int sub = h->subclass ? h->subclass : lock->subclass;
		const struct lock_class *c;

		if (!key || sub >= MAX_LOCKDEP_SUBCLASSES)
			return 0;
		c = sub < NR_LOCKDEP_CACHING_CLASSES ?
		    __atomic_load_n(&lock->class_cache[sub], __ATOMIC_ACQUIRE) : NULL;
		if (!c || __atomic_load_n(&c->key, __ATOMIC_RELAXED) != key->subkeys + sub)
			c = look_up_class(key->subkeys + sub);
		if (!c) {
			/*
			 * A lock-free lookup can miss while a zap moves hash
			 * entries; look again under the graph lock (never held
			 * by the callers: the release and is-held paths).
			 */
			unsigned long flags = ld_irq_save();

			graph_lock();
			c = look_up_class(key->subkeys + sub);
			graph_unlock();
			ld_irq_restore(flags);
		}
		return c && c - lock_classes == h->class_idx;
	}
	return 0;
}

/* Search from the top, never crossing into another interrupt context. */
static struct held_lock *find_held_lock(struct ld_task *lt, const struct lockdep_map *lock,
					unsigned int *idx)
{
	int i = (int)lt->lockdep_depth - 1;

	if (i < 0)
		return NULL;
	if (match_held_lock(&lt->held_locks[i], lock)) {
		*idx = (unsigned int)i;
		return &lt->held_locks[i];
	}
	for (i--; i >= 0; i--) {
		if (lt->held_locks[i].irq_context != lt->held_locks[i + 1].irq_context)
			return NULL;
		if (match_held_lock(&lt->held_locks[i], lock)) {
			*idx = (unsigned int)i;
			return &lt->held_locks[i];
		}
	}
	return NULL;
}

/* Pop held_locks[@i] and push back those above it. */
static void reacquire_held_locks(struct ld_task *lt, unsigned int depth, unsigned int i)
{
	struct held_lock saved[MAX_LOCK_DEPTH];
	unsigned int n = depth - i - 1;

	memcpy(saved, lt->held_locks + i + 1, n * sizeof(saved[0]));
	lt->lockdep_depth = i;
	lt->curr_chain_key = lt->held_locks[i].prev_chain_key;
	for (unsigned int j = 0; j < n; j++) {
		struct held_lock *s = &saved[j];

		lock_acquire_again(lt, s, 0);
		lt->held_locks[lt->lockdep_depth - 1].waittime_stamp = s->waittime_stamp;
	}
}

void lksync_lock_release(struct lockdep_map *lock, unsigned long ip)
{
	struct ld_task *lt = ld_task();
	struct held_lock *h;
	unsigned long flags;
	unsigned int i, depth;

	if (unlikely(!lt || lt->recursion || map_key(lock) == &lksync_lockdep_no_track))
		return;
	flags = ld_irq_save();
	lt->recursion++;
	lt->hook_ret = (unsigned long)__builtin_return_address(0);
	if (unlikely(lt->gen != __atomic_load_n(&ld_gen, __ATOMIC_RELAXED)))
		ld_task_regen(lt);
	depth = lt->lockdep_depth;
	h = find_held_lock(lt, lock, &i);
	if (unlikely(!h)) {
		if (ld_enabled())
			print_unlock_imbalance_bug(lt, lock, ip);
		goto out;
	}
	if (ld_lock_stat_on() && h->instance == lock)
		lockstat_release(h, lockstat_clock());
	if (h->references && --h->references)
		goto out;
	if (i == depth - 1) {
		/* The common case: the innermost lock. */
		lt->lockdep_depth = i;
		lt->curr_chain_key = h->prev_chain_key;
	} else {
		reacquire_held_locks(lt, depth, i);
	}
out:
	ld_flush();
	lt->recursion--;
	ld_irq_restore(flags);
}

/* lock_contended()/lock_acquired() on a lock the task is not acquiring. */
static void print_lock_contention_bug(struct ld_task *lt, struct lockdep_map *lock,
				      unsigned long ip)
{
	print_not_held_bug(lt, lock, ip, "WARNING: bad contention detected!", "contend",
			   "there are no locks held");
}

/* lock_stat's two events on the lock being taken: contended, then acquired. */
static __always_inline void lock_stat_event(struct lockdep_map *lock, unsigned long ip,
					    bool acquired, unsigned long hook_ret)
{
	struct ld_task *lt = ld_self;
	struct held_lock *h;
	unsigned long flags;
	unsigned int i;

	if (!ld_lock_stat_on() || unlikely(!lt || lt->recursion))
		return;
	flags = ld_irq_save();
	lt->recursion++;
	lt->hook_ret = hook_ret;
	h = find_held_lock(lt, lock, &i);
	if (h && h->instance == lock) {
		if (acquired)
			lockstat_acquired(h, lock, ip);
		else
			lockstat_contended(h, lock, ip);
	} else if (!h && ld_enabled()) {
		print_lock_contention_bug(lt, lock, ip);
	}
	ld_flush();
	lt->recursion--;
	ld_irq_restore(flags);
}

void lksync_lock_contended(struct lockdep_map *lock, unsigned long ip)
{
	lock_stat_event(lock, ip, false, (unsigned long)__builtin_return_address(0));
}

void lksync_lock_acquired(struct lockdep_map *lock, unsigned long ip)
{
	lock_stat_event(lock, ip, true, (unsigned long)__builtin_return_address(0));
}

/*
 * Interrupts (bottom halves) are about to be enabled with locks held: each
 * held lock becomes HARDIRQ-ON (SOFTIRQ-ON), as the kernel's
 * lockdep_hardirqs_on() / lockdep_softirqs_on() -> mark_held_locks().
 */
static void mark_held_locks(struct ld_task *lt, int base_bit)
{
	for (unsigned int i = 0; i < lt->lockdep_depth; i++) {
		struct held_lock *h = &lt->held_locks[i];

		int bit = base_bit + (h->read ? LOCK_USAGE_READ_MASK : 0);

		if (!h->check || !h->class_idx ||
		    (__atomic_load_n(&hlock_class(h)->usage_mask, __ATOMIC_RELAXED) & LOCKF(bit)))
			continue;
		if (!mark_lock(lt, h, bit))
			return;
	}
}

void lksync_lockdep_hardirqs_on(unsigned long ip)
{
	struct ld_task *lt = ld_self;
	unsigned long flags;

	(void)ip;
	if (!lt || !lt->lockdep_depth || lt->recursion || !ld_enabled() || in_hardirq())
		return;
	flags = ld_irq_save();
	lt->recursion++;
	lt->hook_ret = (unsigned long)__builtin_return_address(0);
	if (unlikely(lt->gen != __atomic_load_n(&ld_gen, __ATOMIC_RELAXED)))
		ld_task_regen(lt);
	mark_held_locks(lt, LOCK_ENABLED_HARDIRQ);
	if (!softirq_count() && ld_enabled())
		mark_held_locks(lt, LOCK_ENABLED_SOFTIRQ);
	ld_flush();
	lt->recursion--;
	ld_irq_restore(flags);
}

void lksync_lockdep_softirqs_on(unsigned long ip)
{
	struct ld_task *lt = ld_self;
	unsigned long flags;

	(void)ip;
	/* With interrupts off, softirqs cannot run yet: nothing changes. */
	if (!lt || !lt->lockdep_depth || lt->recursion || !ld_enabled() ||
	    irqs_disabled() || in_hardirq())
		return;
	flags = ld_irq_save();
	lt->recursion++;
	lt->hook_ret = (unsigned long)__builtin_return_address(0);
	if (unlikely(lt->gen != __atomic_load_n(&ld_gen, __ATOMIC_RELAXED)))
		ld_task_regen(lt);
	mark_held_locks(lt, LOCK_ENABLED_SOFTIRQ);
	ld_flush();
	lt->recursion--;
	ld_irq_restore(flags);
}

/* Change a held lock's class (or its read mode), re-validating those above. */
static __always_inline void set_class_common(struct lockdep_map *lock, const char *name,
			     struct lock_class_key *key, unsigned int subclass,
			     int downgrade, unsigned long ip)
{
	struct ld_task *lt = ld_task();
	struct held_lock *h;
	unsigned long flags;
	unsigned int i, depth;

	if (unlikely(!lt || lt->recursion))
		return;
	flags = ld_irq_save();
	lt->recursion++;
	lt->hook_ret = (unsigned long)__builtin_return_address(0);
	depth = lt->lockdep_depth;
	h = find_held_lock(lt, lock, &i);
	if (!h) {
		if (ld_enabled())
			print_unlock_imbalance_bug(lt, lock, ip);
		goto out;
	}
	if (downgrade) {
		h->read = 1;
	} else {
		struct lock_class *c;

		lock->class_cache[0] = lock->class_cache[1] = NULL;
		lock->key = key;
		lock->name = name;
		c = lock_class_of(lock, subclass);
		if (!c)
			goto out;
		h->class_idx = (u16)(c - lock_classes);
		h->subclass = (u8)subclass;
	}
	/* Recompute this entry's chain and push back those above it. */
	{
		struct held_lock saved[MAX_LOCK_DEPTH];
		unsigned int n = depth - i;

		memcpy(saved, lt->held_locks + i, n * sizeof(saved[0]));
		lt->lockdep_depth = i;
		lt->curr_chain_key = saved[0].prev_chain_key;
		for (unsigned int j = 0; j < n; j++) {
			struct held_lock *s = &saved[j];

			lock_acquire_again(lt, s, 0);
		}
	}
out:
	ld_flush();
	lt->recursion--;
	ld_irq_restore(flags);
}

void lksync_lock_set_class(struct lockdep_map *lock, const char *name,
			   struct lock_class_key *key, unsigned int subclass, unsigned long ip)
{
	set_class_common(lock, name, key, subclass, 0, ip);
}

void lksync_lockdep_set_lock_cmp_fn(struct lockdep_map *lock, lock_cmp_fn cmp_fn,
				    lock_print_fn print_fn)
{
	struct ld_task *lt = ld_task();
	struct lock_class *c;
	unsigned long flags;
	int clash = 0;

	if (!lt || lt->recursion)
		return;
	flags = ld_irq_save();
	lt->recursion++;
	c = lock_class_of(lock, 0);
	if (c) {
		graph_lock();
		if (c->cmp_fn && c->cmp_fn != cmp_fn) {
			clash = 1;
		} else {
			c->cmp_fn = cmp_fn;
			c->print_fn = print_fn;
		}
		graph_unlock();
	}
	lt->recursion--;
	ld_irq_restore(flags);
	/* As the kernel's: one comparison per class. */
	WARN_ON_ONCE(clash);
}

void lksync_lock_downgrade(struct lockdep_map *lock, unsigned long ip)
{
	set_class_common(lock, lock->name, map_key(lock), 0, 1, ip);
}

int lksync_lock_is_held_type(const struct lockdep_map *lock, int read)
{
	struct ld_task *lt = ld_self;
	unsigned int i;

	/* Unknown while the validator is off: assertions must not fire. */
	if (!ld_enabled() || !lt || lt->recursion)
		return -1;
	for (i = 0; i < lt->lockdep_depth; i++) {
		const struct held_lock *h = &lt->held_locks[i];

		if (match_held_lock(h, lock))
			return read == -1 || !!h->read == read;
	}
	return 0;
}

unsigned int lksync_lockdep_depth(void)
{
	struct ld_task *lt = ld_self;

	return lt ? lt->lockdep_depth : 0;
}

unsigned int lksync_lockdep_task_depth(struct task_struct *tsk)
{
	struct ld_task *lt = ld_task_of(tsk);

	return lt ? data_race(lt->lockdep_depth) : 0;
}

void lksync_lockdep_off(void)
{
	struct ld_task *lt = ld_task();

	if (lt)
		lt->recursion++;
}

void lksync_lockdep_on(void)
{
	struct ld_task *lt = ld_self;

	if (lt && lt->recursion > 0)
		lt->recursion--;
}

bool lksync_read_lock_is_recursive(void)
{
	return in_interrupt();
}

/* ---------------------------------------------------------------- */
/* Freed memory, exit, held-lock listings. */

void lksync_debug_check_no_locks_freed(const void *from, unsigned long len)
{
	struct ld_task *lt = ld_self;
	const char *lo = from, *hi = lo + len;
	unsigned long flags;
	struct ld_buf *b;

	if (!lt || lt->recursion || !ld_enabled())
		return;
	flags = ld_irq_save();
	lt->recursion++;
	lt->hook_ret = (unsigned long)__builtin_return_address(0);
	for (unsigned int i = 0; i < lt->lockdep_depth; i++) {
		struct held_lock *h = &lt->held_locks[i];
		const char *p = (const char *)h->instance;

		if (p + sizeof(*h->instance) <= lo || p >= hi)
			continue;
		b = ld_report_open();
		if (!b)
			break;
		ld_header(b, "WARNING: held lock freed!");
		ld_printf(b, "%s/%d is freeing memory %p-%p, with a lock still held there!\n",
			  lt->task->comm, lt->task->pid, from, (void *)(hi - 1));
		ld_print_lock(b, h);
		ld_held_locks(b, lt);
		ld_report_end(b);
		break;
	}
	ld_flush();
	lt->recursion--;
	ld_irq_restore(flags);
}

void lksync_debug_check_no_locks_held(void)
{
	struct ld_task *lt = ld_self;
	unsigned long flags;
	struct ld_buf *b;
	char hdr[96];

	if (!lt || !lt->lockdep_depth || lt->recursion)
		return;
	if (!lksync_debug_locks_off() || debug_locks_silent)
		return;
	flags = ld_irq_save();
	lt->recursion++;
	lt->hook_ret = (unsigned long)__builtin_return_address(0);
	b = ld_report_begin();
	if (b) {
		snprintf(hdr, sizeof(hdr), "WARNING: %s/%d still has locks held!",
			 lt->task->comm, lt->task->pid);
		ld_header(b, hdr);
		ld_held_locks(b, lt);
		ld_report_end(b);
	}
	ld_flush();
	lt->recursion--;
	ld_irq_restore(flags);
}

void lksync_lockdep_sys_exit(void)
{
	struct ld_task *lt = ld_self;
	unsigned long flags;
	struct ld_buf *b;

	if (!lt || !lt->lockdep_depth || lt->recursion)
		return;
	if (!lksync_debug_locks_off() || debug_locks_silent)
		return;
	flags = ld_irq_save();
	lt->recursion++;
	lt->hook_ret = (unsigned long)__builtin_return_address(0);
	b = ld_report_begin();
	if (b) {
		ld_header(b, "WARNING: lock held when returning to user space!");
		ld_printf(b, "%s/%d is leaving the kernel with locks still held!\n",
			  lt->task->comm, lt->task->pid);
		ld_held_locks(b, lt);
		ld_report_end(b);
	}
	ld_flush();
	lt->recursion--;
	ld_irq_restore(flags);
}

size_t lksync_debug_held_locks_text(struct task_struct *t, char *buf, size_t len)
{
	struct ld_task *lt;
	struct ld_buf b = { buf, 0, len };

	if (!len)
		return 0;
	buf[0] = '\0';
	if (!t)
		t = current;
	lt = ld_task_of(t);
	if (!lt || !lt->lockdep_depth) {
		ld_printf(&b, "no locks held by %s/%d.\n", t->comm, t->pid);
		return b.len;
	}
	ld_held_locks(&b, lt);
	return b.len;
}

static void ld_print_text(const char *text)
{
	lksync_report_printk(text);
}

void lksync_lockdep_print_held_locks(struct task_struct *task)
{
	char buf[4096];
	struct ld_task *lt = ld_self;

	if (lt) {
		lt->recursion++;
		lt->hook_ret = (unsigned long)__builtin_return_address(0);
	}
	lksync_debug_held_locks_text(task, buf, sizeof(buf));
	ld_print_text(buf);
	if (lt)
		lt->recursion--;
}

void lksync_debug_show_all_locks(void)
{
	char buf[8192];
	struct ld_buf b = { buf, 0, sizeof(buf) };
	struct ld_task *self = ld_self;

	if (self)
		self->recursion++;
	ld_printf(&b, "\nShowing all locks held in the system:\n");
	for (unsigned int i = 0; i < LD_MAX_TASKS; i++) {
		struct ld_task *lt = &ld_tasks[i];

		if (!__atomic_load_n(&lt->slot_used, __ATOMIC_ACQUIRE) ||
		    !data_race(lt->task && lt->lockdep_depth))
			continue;
		ld_held_locks(&b, lt);
	}
	ld_printf(&b, "\n=============================================\n\n");
	ld_print_text(buf);
	if (self)
		self->recursion--;
}

/* ---------------------------------------------------------------- */
/* Keys going away, and the test hook. */

/*
 * Graph lock held: remove class @idx (key @key) from the class hash, moving
 * later entries of its probe run back so no run is broken (no tombstones).
 * A lookup racing with the move may miss and then registers under the
 * graph lock, where it finds the class.
 */
static void classhash_del(const void *key, u16 idx)
{
	u32 i = ptr_hash(key) % CLASSHASH_SIZE, j;

	while (classhash[i] != idx) {
		if (!classhash[i])
			return;
		i = (i + 1) % CLASSHASH_SIZE;
	}
	for (j = (i + 1) % CLASSHASH_SIZE; classhash[j]; j = (j + 1) % CLASSHASH_SIZE) {
		u32 home = ptr_hash(lock_classes[classhash[j]].key) % CLASSHASH_SIZE;

		/* Can the entry at j move to the hole at i (is i on its run)? */
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			/* Release: as when first published. */
			__atomic_store_n(&classhash[i], classhash[j], __ATOMIC_RELEASE);
			i = j;
		}
	}
	__atomic_store_n(&classhash[i], 0, __ATOMIC_RELAXED);
}

/* Graph lock held: drop the entries of list *@head whose other end is zapped (all if @all). */
static void zap_list(u32 *head, const u8 *zapped, int all)
{
	u32 *link = head, e;

	while ((e = *link)) {
		if (all || zapped[list_entries[e].class]) {
			*link = list_entries[e].next;
			list_entries[e].next = free_entries;
			free_entries = e;
		} else {
			link = &list_entries[e].next;
		}
	}
}

/*
 * Graph lock held. Forget every class whose key lies in [@lo, @hi): its
 * dependencies both ways, its slot (reused by the next new class), its hash
 * entry; and every cached chain, since a cached chain may run through it
 * (the others are validated again, once). Return: how many were zapped.
 */
static unsigned int zap_key_range(const char *lo, const char *hi)
{
	static u8 zapped[MAX_LOCKDEP_KEYS];
	unsigned int n = 0, nr = nr_lock_classes;

	for (unsigned int c = 1; c <= nr; c++) {
		const char *k = __atomic_load_n(&lock_classes[c].key, __ATOMIC_RELAXED);

		if (k && k >= lo && k < hi) {
			zapped[c] = 1;
			n++;
		}
	}
	if (!n)
		return 0;
	for (unsigned int c = 1; c <= nr; c++) {
		/* A free slot (no key) has no lists. */
		if (!lock_classes[c].key)
			continue;
		zap_list(&lock_classes[c].locks_after, zapped, zapped[c]);
		zap_list(&lock_classes[c].locks_before, zapped, zapped[c]);
	}
	for (unsigned int c = 1; c <= nr; c++) {
		struct lock_class *class = &lock_classes[c];

		if (!zapped[c])
			continue;
		zapped[c] = 0;
		classhash_del(class->key, (u16)c);
		/* Lookups and map caches compare the key: they miss from now on. */
		__atomic_store_n(&class->key, NULL, __ATOMIC_RELAXED);
		memset(&class->name, 0, sizeof(*class) - offsetof(struct lock_class, name));
		class->next_free = free_classes;
		free_classes = (u16)c;
	}
	for (unsigned int k = 0; k < nr_chains; k++)
		__atomic_store_n(&chainhash[chain_slot[k]], 0, __ATOMIC_RELAXED);
	nr_chains = 0;
	return n;
}

void lksync_lockdep_free_key_range(void *start, unsigned long size)
{
	unsigned long flags = ld_irq_save();

	graph_lock();
	zap_key_range(start, (const char *)start + size);
	graph_unlock();
	ld_irq_restore(flags);
}

void lksync_lockdep_register_key(struct lock_class_key *key)
{
	unsigned long flags;
	int i;

	if (WARN_ON_ONCE(static_obj(key)))
		return;
	flags = ld_irq_save();
	graph_lock();
	i = key_slot(key, 0);
	if (WARN_ON_ONCE(i >= 0))
		goto out;
	if (nr_keyhash_used + 1 > KEYHASH_SIZE * 3 / 4)
		keyhash_rebuild();
	i = nr_keyhash_used < KEYHASH_SIZE * 3 / 4 ? key_slot(key, 1) : -1;
	if (i < 0) {
		graph_unlock();
		ld_irq_restore(flags);
		ld_table_full("MAX_LOCKDEP_KEYS");
		return;
	}
	nr_keyhash_used++;
	/* Release: pairs with the acquire in key_slot(). */
	__atomic_store_n(&keyhash[i], key, __ATOMIC_RELEASE);
out:
	graph_unlock();
	ld_irq_restore(flags);
}

void lksync_lockdep_unregister_key(struct lock_class_key *key)
{
	unsigned long flags;
	int i;

	might_sleep();
	if (WARN_ON_ONCE(static_obj(key)))
		return;
	flags = ld_irq_save();
	graph_lock();
	i = key_slot(key, 0);
	if (i >= 0) {
		__atomic_store_n(&keyhash[i], LD_KEY_TOMB, __ATOMIC_RELAXED);
		zap_key_range((const char *)key, (const char *)(key + 1));
	}
	graph_unlock();
	ld_irq_restore(flags);
	WARN_ON_ONCE(i < 0 && debug_locks);
}

/* Graph lock held: mark the entries of list @head; -1 if one is marked already. */
static int selfcheck_list(u32 head, u8 *seen)
{
	for (u32 e = head, n = 0; e; e = list_entries[e].next, n++) {
		if (e >= MAX_LOCKDEP_ENTRIES || seen[e] || n > nr_list_entries)
			return -1;
		seen[e] = 1;
	}
	return 0;
}

/* Graph lock held: does @c's list @head hold an edge to @other? */
static int list_has(u32 head, u16 other)
{
	for (u32 e = head; e; e = list_entries[e].next)
		if (list_entries[e].class == other)
			return 1;
	return 0;
}

int lksync_lockdep_selfcheck(void)
{
	static u8 seen[MAX_LOCKDEP_ENTRIES];
	unsigned long flags = ld_irq_save();
	unsigned int nr, n = 0;
	int ret = 0;

	graph_lock();
	nr = nr_lock_classes;
	memset(seen, 0, sizeof(seen));
	for (unsigned int c = 1; c <= nr && !ret; c++) {
		const struct lock_class *class = &lock_classes[c];

		if (!class->key)
			continue;
		if (selfcheck_list(class->locks_after, seen) ||
		    selfcheck_list(class->locks_before, seen))
			ret = -1;	/* an entry in two lists, or a cycle */
		for (u32 e = class->locks_after; e && !ret; e = list_entries[e].next) {
			u16 o = list_entries[e].class;

			if (!lock_classes[o].key || !list_has(lock_classes[o].locks_before, (u16)c))
				ret = -2;	/* an edge to a freed class, or one way only */
		}
	}
	if (!ret && selfcheck_list(free_entries, seen))
		ret = -3;		/* a free entry in use, or a cycle */
	for (u16 c = free_classes; c && !ret; c = lock_classes[c].next_free)
		if (lock_classes[c].key || ++n > nr)
			ret = -4;	/* a live class freed, or a cycle */
	graph_unlock();
	ld_irq_restore(flags);
	return ret;
}

void lksync_lockdep_reset(void)
{
	unsigned long flags = ld_irq_save();

	graph_lock();
	for (unsigned int i = 0; i < CLASSHASH_SIZE; i++)
		__atomic_store_n(&classhash[i], 0, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < CHAINHASH_SIZE; i++)
		__atomic_store_n(&chainhash[i], 0, __ATOMIC_RELAXED);
	for (unsigned int c = 1; c <= nr_lock_classes; c++)
		__atomic_store_n(&lock_classes[c].key, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&nr_lock_classes, 0, __ATOMIC_RELAXED);
	nr_list_entries = 0;
	nr_chains = 0;
	free_classes = 0;
	free_entries = 0;
	memset(trace_hash, 0, sizeof(trace_hash));
	nr_trace_hashed = 0;
	nr_trace_entries = 1;
	__atomic_add_fetch(&ld_gen, 1, __ATOMIC_RELAXED);
	graph_unlock();
	atomic_store_explicit(&lksync_debug_locks, 1, memory_order_relaxed);
	ld_irq_restore(flags);
}

#endif /* LKSYNC_DEBUG */
