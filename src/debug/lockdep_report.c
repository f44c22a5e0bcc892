// SPDX-License-Identifier: MIT
/*
 * Layer: debug. The lock validator's reports, in the kernel's layout and
 * words (kernel/locking/lockdep.c's print_*_bug()): a ruled headline, the
 * task, the locks involved as "(name){usage}-{outer:inner}", the dependency
 * chain with where each link was first seen, the unsafe scenario, the held
 * locks and the stack. Debug flavor only.
 *
 * One report at a time is built, in a static buffer (the first report turns
 * lockdep off, so there is rarely a second): under the graph lock, with
 * this task's interrupts masked; it is emitted by ld_report_flush() once
 * the graph lock is dropped, still inside the hook.
 */
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <unistd.h>
#include <lksync/lockdep.h>
#include "debug/debug.h"
#include "debug/lockdep_internals.h"

#ifdef LKSYNC_DEBUG

void ld_printf(struct ld_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->len + 1 >= b->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->text + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len = b->len + (size_t)n < b->size ? b->len + (size_t)n : b->size - 1;
}

/* "%pS": symbol+offset/size, or the bare address. */
void ld_sym(struct ld_buf *b, unsigned long ip)
{
	char s[256];

	lksync_report_symbol(s, sizeof(s), (const void *)ip);
	ld_printf(b, "%s", s);
}

void ld_header(struct ld_buf *b, const char *headline)
{
	size_t n = strlen(headline);
	char rule[128];

	if (n >= sizeof(rule))
		n = sizeof(rule) - 1;
	memset(rule, '=', n);
	rule[n] = '\0';
	ld_printf(b, "\n%s\n%s\nlksync #1 Not tainted\n", rule, headline);
	memset(rule, '-', n);
	ld_printf(b, "%s\n", rule);
}

static const char *const usage_strs[] = {
#define LD_STATE_STRS(s)							\
	"IN-" #s "-W", "IN-" #s "-R", #s "-ON-W", #s "-ON-R",
	LOCKDEP_STATES(LD_STATE_STRS)
#undef LD_STATE_STRS
	"INITIAL USE",
	"INITIAL READ USE",
};

static const char *const state_names[] = {
#define LD_STATE_NAME(s) #s,
	LOCKDEP_STATES(LD_STATE_NAME)
#undef LD_STATE_NAME
};

static const char *const state_rnames[] = {
#define LD_STATE_RNAME(s) #s "-READ",
	LOCKDEP_STATES(LD_STATE_RNAME)
#undef LD_STATE_RNAME
};

const char *ld_usage_str(int bit)
{
	return bit >= 0 && bit < LOCK_USAGE_STATES ? usage_strs[bit] : "?";
}

const char *ld_state_name(int bit)
{
	return (bit & LOCK_USAGE_READ_MASK) ? state_rnames[bit >> LOCK_USAGE_DIR_MASK]
					    : state_names[bit >> LOCK_USAGE_DIR_MASK];
}

/* '.': irqs off, never in irq; '+': enabled; '-': in irq; '?': both. */
static char usage_char(unsigned int mask, int bit)
{
	if (mask & LOCKF(bit + LOCK_USAGE_DIR_MASK))
		return (mask & LOCKF(bit)) ? '?' : '+';
	return (mask & LOCKF(bit)) ? '-' : '.';
}

void ld_usage_chars(const struct lock_class *c, char *usage)
{
	unsigned int mask = __atomic_load_n(&c->usage_mask, __ATOMIC_RELAXED);
	int i = 0;

#define LD_STATE_CHARS(s)							\
	usage[i++] = usage_char(mask, LOCK_USED_IN_##s);			\
	usage[i++] = usage_char(mask, LOCK_USED_IN_##s##_READ);
	LOCKDEP_STATES(LD_STATE_CHARS)
#undef LD_STATE_CHARS
	usage[i] = '\0';
}

/* The class name as the kernel's __print_lock_name(): name#version/subclass. */
void ld_lock_name(struct ld_buf *b, const struct lock_class *c)
{
	if (!c) {
		ld_printf(b, "(unknown class)");
		return;
	}
	ld_printf(b, "%s", c->name ? c->name : "(null)");
	if (c->name_version > 1)
		ld_printf(b, "#%d", c->name_version);
	if (c->subclass)
		ld_printf(b, "/%d", c->subclass);
}

/* " (name){usage}-{outer:inner}" */
void ld_lock_name_full(struct ld_buf *b, const struct lock_class *c)
{
	char usage[8];

	ld_printf(b, " (");
	ld_lock_name(b, c);
	if (!c) {
		ld_printf(b, ")");
		return;
	}
	ld_usage_chars(c, usage);
	ld_printf(b, "){%s}-{%d:%d}", usage,
		  c->wait_type_outer ? c->wait_type_outer : c->wait_type_inner,
		  c->wait_type_inner);
}

void ld_print_lock(struct ld_buf *b, const struct held_lock *h)
{
	ld_printf(b, "%p", (void *)h->instance);
	ld_lock_name_full(b, hlock_class(h));
	ld_printf(b, ", at: ");
	ld_sym(b, h->acquire_ip);
	ld_printf(b, "\n");
}

static void held_locks_racy(struct ld_buf *b, const struct ld_task *lt);

/*
 * Another task's stack is read while it runs, as the kernel's
 * debug_show_all_locks() does: a snapshot, racy on purpose (data_race()).
 */
void ld_held_locks(struct ld_buf *b, const struct ld_task *lt)
{
	__lksync_kcsan_disable_current();
	held_locks_racy(b, lt);
	__lksync_kcsan_enable_current();
}

static void held_locks_racy(struct ld_buf *b, const struct ld_task *lt)
{
	unsigned int depth = lt->lockdep_depth;
	struct task_struct *t = lt->task;

	if (depth > MAX_LOCK_DEPTH)
		depth = MAX_LOCK_DEPTH;
	if (!depth) {
		ld_printf(b, "no locks held by %s/%d.\n", t->comm, t->pid);
		return;
	}
	ld_printf(b, "%u lock%s held by %s/%d:\n", depth, depth > 1 ? "s" : "", t->comm, t->pid);
	for (unsigned int i = 0; i < depth; i++) {
		ld_printf(b, " #%u: ", i);
		ld_print_lock(b, &lt->held_locks[i]);
	}
}

void ld_trace(struct ld_buf *b, u32 trace, int indent)
{
	unsigned long n;

	if (!trace) {
		ld_printf(b, "%*s(no stack trace)\n", indent, "");
		return;
	}
	n = ld_trace_pool[trace];
	for (unsigned long i = 0; i < n; i++) {
		ld_printf(b, "%*s", indent, "");
		ld_sym(b, ld_trace_pool[trace + 1 + i]);
		ld_printf(b, "\n");
	}
}

static char report_text[32768];
static struct ld_buf report_buf = { report_text, 0, sizeof(report_text) };
int report_busy;
static __thread int report_ready LKSYNC_TLS_MODEL;

struct ld_buf *ld_report_begin(void)
{
	/* Acquire: the previous report's text was consumed before we reuse it. */
	if (__atomic_exchange_n(&report_busy, 1, __ATOMIC_ACQUIRE))
		return NULL;
	report_buf.len = 0;
	report_text[0] = '\0';
	return &report_buf;
}

void ld_report_end(struct ld_buf *b)
{
	void *pc[48];
	int n = backtrace(pc, (int)ARRAY_SIZE(pc)), skip = ld_trace_skip(pc, n);
	char comm[TASK_COMM_LEN] = "";
	struct task_struct *t = lksync_tls.task;

	if (t)
		memcpy(comm, t->comm, sizeof(comm));
	ld_printf(b, "\nstack backtrace:\n");
	ld_printf(b, "CPU: %d PID: %d Comm: %.16s Not tainted\n", sched_getcpu(),
		  (int)gettid(), comm);
	ld_printf(b, "Call Trace:\n");
	for (int i = skip; i < n; i++) {
		ld_printf(b, " ");
		ld_sym(b, (unsigned long)pc[i]);
		ld_printf(b, "\n");
	}
	report_ready = 1;
}

void ld_report_flush(void)
{
	if (likely(!report_ready))
		return;
	report_ready = 0;
	lksync_report_emit(report_text);
	/* Release: our use of the buffer ends before the next report's. */
	__atomic_store_n(&report_busy, 0, __ATOMIC_RELEASE);
}

#endif /* LKSYNC_DEBUG */
