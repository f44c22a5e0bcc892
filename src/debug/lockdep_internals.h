/* SPDX-License-Identifier: MIT */
/*
 * Layer: debug. The lock validator's private state, shared by lockdep.c
 * (the graph and the hooks), lockdep_report.c (the reports) and lockstat.c.
 * Debug flavor only.
 *
 * Everything lives in fixed, preallocated tables indexed by small integers:
 * the hooks run inside our interrupt handlers (signal handlers), where
 * nothing may allocate. The graph (classes' dependency lists, usage bits'
 * traces, the trace pool) is written under the graph lock, a raw spinlock
 * taken with interrupts masked; the hot path reads only the class and chain
 * hash tables, which are published with release stores.
 */
#ifndef LKSYNC_SRC_LOCKDEP_INTERNALS_H
#define LKSYNC_SRC_LOCKDEP_INTERNALS_H

#include <stddef.h>
#include <stdint.h>
#include <lksync/lockdep.h>
#include <lksync/sched.h>

/*
 * Names shared between the files: the static library may only define
 * lksync_* globals (tests/compat/symbols.cmake), so they are prefixed here.
 */
#define ld_save_trace	lksync_ld_save_trace
#define ld_tasks	lksync_ld_tasks
#define ld_trace_pool	lksync_ld_trace_pool
#define ld_trace_skip	lksync_ld_trace_skip
#define list_entries	lksync_ld_list_entries
#define lock_classes	lksync_ld_lock_classes
#define nr_lock_classes	lksync_ld_nr_lock_classes
#define ld_header	lksync_ld_header
#define ld_held_locks	lksync_ld_held_locks
#define ld_lock_name	lksync_ld_lock_name
#define ld_lock_name_full	lksync_ld_lock_name_full
#define ld_print_lock	lksync_ld_print_lock
#define ld_printf	lksync_ld_printf
#define ld_report_begin	lksync_ld_report_begin
#define ld_report_end	lksync_ld_report_end
#define ld_report_flush	lksync_ld_report_flush
#define report_busy	lksync_ld_report_busy
#define ld_state_name	lksync_ld_state_name
#define ld_sym	lksync_ld_sym
#define ld_trace	lksync_ld_trace
#define ld_usage_chars	lksync_ld_usage_chars
#define ld_usage_str	lksync_ld_usage_str
#define lockstat_acquired	lksync_ld_lockstat_acquired
#define lockstat_clock	lksync_ld_lockstat_clock
#define lockstat_contended	lksync_ld_lockstat_contended
#define lockstat_release	lksync_ld_lockstat_release

/* Table sizes (the kernel's names). Index 0 of each table means "none". */
#define MAX_LOCKDEP_KEYS_BITS		13
#define MAX_LOCKDEP_KEYS		(1U << MAX_LOCKDEP_KEYS_BITS)
#define MAX_LOCKDEP_ENTRIES		65536U
#define MAX_LOCKDEP_CHAINS_BITS		17
#define MAX_LOCKDEP_CHAINS		(1U << MAX_LOCKDEP_CHAINS_BITS)
#define MAX_STACK_TRACE_ENTRIES		(1U << 19)
#define LD_TRACE_FRAMES			16	/* frames kept per trace */
#define LD_MAX_TASKS			4096	/* tasks with lockdep state at once */
#define LOCKSTAT_POINTS			4

/*
 * Usage bits, as the kernel's lockdep_states.h: per interrupt state, USED_IN
 * (taken in that context), ENABLED (taken with it enabled), each for write
 * and read; bit 0 = read, bit 1 = direction. An X-macro list.
 */
#define LOCKDEP_STATES(X)	X(HARDIRQ) X(SOFTIRQ)
enum lock_usage_bit {
#define LD_STATE_BITS(s)							\
	LOCK_USED_IN_##s, LOCK_USED_IN_##s##_READ,				\
	LOCK_ENABLED_##s, LOCK_ENABLED_##s##_READ,
	LOCKDEP_STATES(LD_STATE_BITS)
#undef LD_STATE_BITS
	LOCK_USED,
	LOCK_USED_READ,
	LOCK_USAGE_STATES,
};
#define LOCK_TRACE_STATES	(LOCK_USAGE_STATES - 1)
#define LOCK_USAGE_READ_MASK	1
#define LOCK_USAGE_DIR_MASK	2
#define LOCK_USAGE_STATE_MASK	(~(LOCK_USAGE_READ_MASK | LOCK_USAGE_DIR_MASK))
#define LOCKF(bit)		(1U << (bit))
#define LOCKF_USED_IN_IRQ	(LOCKF(LOCK_USED_IN_HARDIRQ) | LOCKF(LOCK_USED_IN_SOFTIRQ))
#define LOCKF_ENABLED_IRQ	(LOCKF(LOCK_ENABLED_HARDIRQ) | LOCKF(LOCK_ENABLED_SOFTIRQ))
#define LOCKF_USED_IN_IRQ_READ	(LOCKF(LOCK_USED_IN_HARDIRQ_READ) | LOCKF(LOCK_USED_IN_SOFTIRQ_READ))
#define LOCKF_ENABLED_IRQ_READ	(LOCKF(LOCK_ENABLED_HARDIRQ_READ) | LOCKF(LOCK_ENABLED_SOFTIRQ_READ))
#define LOCKF_IRQ		(LOCKF_USED_IN_IRQ | LOCKF_ENABLED_IRQ)
#define LOCKF_IRQ_READ		(LOCKF_USED_IN_IRQ_READ | LOCKF_ENABLED_IRQ_READ)
#define LOCKF_USED_IN_IRQ_ALL	(LOCKF_USED_IN_IRQ | LOCKF_USED_IN_IRQ_READ)
#define LOCKF_ENABLED_IRQ_ALL	(LOCKF_ENABLED_IRQ | LOCKF_ENABLED_IRQ_READ)

/*
 * Dependency kinds, as the kernel's: an edge prev -> next records whether
 * prev was held shared (S) or exclusive (E) and whether next was acquired
 * recursive-read (R) or not (N). -(*R)-> followed by -(S*)-> is not a strong
 * path (a recursive reader never waits for a reader).
 */
#define DEP_SR_BIT	0
#define DEP_ER_BIT	1
#define DEP_SN_BIT	2
#define DEP_EN_BIT	3
#define DEP_SR_MASK	(1U << DEP_SR_BIT)
#define DEP_ER_MASK	(1U << DEP_ER_BIT)
#define DEP_SN_MASK	(1U << DEP_SN_BIT)
#define DEP_EN_MASK	(1U << DEP_EN_BIT)

/* Chain contexts of a held lock (dependencies never cross them). */
#define LOCK_CHAIN_SOFTIRQ_CONTEXT	1
#define LOCK_CHAIN_HARDIRQ_CONTEXT	2

struct lock_time {
	u64 min, max, total;
	unsigned long nr;
};

enum bounce_type {
	bounce_acquired_write,
	bounce_acquired_read,
	bounce_contended_write,
	bounce_contended_read,
	nr_bounce_types,
};

/* LOCK_STAT, per class. Updated with relaxed atomics (any task, any context). */
struct lock_class_stats {
	unsigned long contention_point[LOCKSTAT_POINTS];
	unsigned long contending_point[LOCKSTAT_POINTS];
	struct lock_time read_waittime, write_waittime;
	struct lock_time read_holdtime, write_holdtime;
	unsigned long bounces[nr_bounce_types];
};

struct lock_class {
	const void *key;		/* the subkey: &key->subkeys[subclass] */
	const char *name;
	int name_version;		/* >1: another class has the same name */
	u8 subclass;
	u8 wait_type_inner, wait_type_outer, lock_type;
	unsigned int usage_mask;	/* LOCKF_*: relaxed atomic reads */
	u32 usage_traces[LOCK_TRACE_STATES];	/* where each bit was set */
	u32 locks_after, locks_before;	/* heads of lock_list chains */
	u16 next_free;			/* a free slot: the next free one (graph lock) */
	lock_cmp_fn cmp_fn;		/* lock_set_cmp_fn(): nesting order in the class */
	lock_print_fn print_fn;
	unsigned long contention_point[LOCKSTAT_POINTS];
	unsigned long contending_point[LOCKSTAT_POINTS];
	struct lock_class_stats stats;
};

/* One edge of the graph, in prev's locks_after or next's locks_before. */
struct lock_list {
	u32 next;		/* next entry of the same list */
	u16 class;		/* the other end */
	u8 dep;			/* DEP_*_MASK bits seen */
	u8 distance;		/* 1: taken directly one after the other */
	u32 trace;		/* where the dependency was first seen */
};

/* A lock the task holds, as the kernel's struct held_lock. */
struct held_lock {
	u64 prev_chain_key;
	unsigned long acquire_ip;
	struct lockdep_map *instance;
	struct lockdep_map *nest_lock;
	u64 waittime_stamp, holdtime_stamp;
	u16 class_idx;
	u16 references;
	u8 subclass;
	u8 irq_context;
	u8 trylock;
	u8 read;
	u8 check;
	u8 hardirqs_off;
	u8 softirqs_off;
	/* The map's wait types and lock type (the class's, read without the graph lock). */
	u8 wait_type_inner, wait_type_outer, lock_type;
};

/* Per task: the held-lock stack. task_struct->debug_private points here. */
struct ld_task {
	struct task_struct *task;
	u64 curr_chain_key;
	unsigned int lockdep_depth;
	int recursion;		/* inside lockdep, or lockdep_off() */
	unsigned int gen;	/* ld_gen when class_idx values were resolved */
	int slot_used;
	unsigned long hook_ret;	/* the hook's return address: traces start there */
	struct held_lock held_locks[MAX_LOCK_DEPTH];
};

extern struct lock_class lock_classes[MAX_LOCKDEP_KEYS];
extern struct lock_list list_entries[MAX_LOCKDEP_ENTRIES];
extern struct ld_task ld_tasks[LD_MAX_TASKS];
extern unsigned long ld_trace_pool[MAX_STACK_TRACE_ENTRIES];
extern unsigned int nr_lock_classes;

static inline struct lock_class *hlock_class(const struct held_lock *h)
{
	return h->class_idx ? &lock_classes[h->class_idx] : NULL;
}

/* lockdep_report.c: the reports, in the kernel's layout. */
struct ld_buf {
	char *text;
	size_t len, size;
};
void ld_printf(struct ld_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ld_sym(struct ld_buf *b, unsigned long ip);
void ld_header(struct ld_buf *b, const char *headline);
void ld_lock_name(struct ld_buf *b, const struct lock_class *c);
void ld_lock_name_full(struct ld_buf *b, const struct lock_class *c);
void ld_print_lock(struct ld_buf *b, const struct held_lock *h);
void ld_held_locks(struct ld_buf *b, const struct ld_task *lt);
void ld_trace(struct ld_buf *b, u32 trace, int indent);
void ld_usage_chars(const struct lock_class *c, char *usage);
const char *ld_usage_str(int bit);
const char *ld_state_name(int bit);
/* Claim the shared report buffer (NULL: another report is being built). */
struct ld_buf *ld_report_begin(void);
/* Append the current stack ("stack backtrace:"), emit, release the buffer. */
void ld_report_end(struct ld_buf *b);
/* Emit a report ld_report_end() finished on this thread (graph lock not held). */
void ld_report_flush(void);
extern int report_busy;
int ld_trace_skip(void *const *pc, int n);
u32 ld_save_trace(void);

/* lockstat.c */
u64 lockstat_clock(void);
void lockstat_release(struct held_lock *h, u64 now);
void lockstat_contended(struct held_lock *h, struct lockdep_map *lock, unsigned long ip);
void lockstat_acquired(struct held_lock *h, struct lockdep_map *lock, unsigned long ip);
extern int lksync_lock_stat_enabled;

#endif /* LKSYNC_SRC_LOCKDEP_INTERNALS_H */
