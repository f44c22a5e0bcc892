// SPDX-License-Identifier: MIT
/*
 * Layer: lib. Formats reports in the kernel's layout and hands them to the
 * sink. Reports are serialized by a simple lock word so two tasks' reports
 * never interleave; a report built while another is printed waits briefly.
 */
#include <dlfcn.h>
#include <link.h>
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <unistd.h>
#include <lksync/bug.h>
#include <sys/prctl.h>

static lksync_report_sink_t report_sink;
static void *report_sink_arg;
static unsigned long report_count;
static int report_lock;		/* 0, or the tid of the thread emitting */
/*
 * Reports being built on this thread: 2 when an interrupt handler's report
 * interrupted one (a WARN in a handler). Initial-exec: read in handlers.
 */
static __thread int report_depth LKSYNC_TLS_MODEL;
static int panic_on_warn = -1;

lksync_report_sink_t lksync_set_report_sink(lksync_report_sink_t sink, void *arg)
{
	lksync_report_sink_t old = report_sink;

	report_sink_arg = arg;
	__atomic_store_n(&report_sink, sink, __ATOMIC_RELEASE);
	return old;
}

unsigned long lksync_report_count(void)
{
	return __atomic_load_n(&report_count, __ATOMIC_RELAXED);
}

struct rbuf {
	char text[8192];
	size_t len;
};

static void __attribute__((format(printf, 2, 0)))
rb_vadd(struct rbuf *b, const char *fmt, va_list ap)
{
	int n;

	if (b->len >= sizeof(b->text) - 1)
		return;
	n = vsnprintf(b->text + b->len, sizeof(b->text) - b->len, fmt, ap);
	if (n > 0)
		b->len += (size_t)n < sizeof(b->text) - b->len ? (size_t)n
							       : sizeof(b->text) - 1 - b->len;
}

static void __attribute__((format(printf, 2, 3)))
rb_add(struct rbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rb_vadd(b, fmt, ap);
	va_end(ap);
}

/* The caller's optional message, always ending in a newline. */
static void __attribute__((format(printf, 2, 0)))
rb_message(struct rbuf *b, const char *fmt, va_list ap)
{
	if (!fmt)
		return;
	rb_vadd(b, fmt, ap);
	if (b->len && b->text[b->len - 1] != '\n')
		rb_add(b, "\n");
}

/*
 * Reports may be made in interrupt context (a WARN in a handler, a timer
 * callback): nothing here allocates. backtrace() loads its unwinder on first
 * use, which does allocate, so it is loaded once at start-up; dladdr() names
 * the frames without the malloc() of backtrace_symbols().
 */
__attribute__((constructor)) static void rb_trace_warm(void)
{
	void *pc[2];

	backtrace(pc, 2);
}

static void rb_trace(struct rbuf *b, int skip)
{
	void *pc[32];
	int n = backtrace(pc, 32);

	rb_add(b, "Call Trace:\n");
	for (int i = skip; i < n; i++) {
		Dl_info info;
		/*
		 * dladdr() takes the dynamic loader's lock: not in a report
		 * that interrupted another on this thread (which may hold it).
		 */
		int found = report_depth == 1 && dladdr(pc[i], &info);

		if (found && info.dli_sname)
			rb_add(b, " %s+0x%tx [<%p>]\n", info.dli_sname,
			       (char *)pc[i] - (char *)info.dli_saddr, pc[i]);
		else if (found && info.dli_fname)
			rb_add(b, " %s+0x%tx [<%p>]\n", strrchr(info.dli_fname, '/') ?
			       strrchr(info.dli_fname, '/') + 1 : info.dli_fname,
			       (char *)pc[i] - (char *)info.dli_fbase, pc[i]);
		else
			rb_add(b, " [<%p>]\n", pc[i]);
	}
}

/* Straight from the OS: lib sits below sched and cannot ask for `current`. */
static void rb_task(struct rbuf *b)
{
	char comm[17] = "";

	prctl(PR_GET_NAME, comm);
	rb_add(b, "CPU: %d PID: %d Comm: %.16s\n", sched_getcpu(), (int)gettid(), comm);
}

/*
 * Reports never interleave, except one made by an interrupt handler that
 * interrupted this very thread while it emitted: waiting for ourselves would
 * never end, so that one is written at once, unlocked.
 */
static void report_emit_text(const char *text, size_t len, int count)
{
	lksync_report_sink_t sink;
	int me = (int)gettid(), owner = 0, locked = 1;

	while (!__atomic_compare_exchange_n(&report_lock, &owner, me, 0,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		if (owner == me) {
			locked = 0;
			break;
		}
		owner = 0;
		sched_yield();
	}
	if (count)
		__atomic_add_fetch(&report_count, 1, __ATOMIC_RELAXED);
	sink = __atomic_load_n(&report_sink, __ATOMIC_ACQUIRE);
	if (sink) {
		sink(text, report_sink_arg);
	} else {
		size_t off = 0;

		while (off < len) {
			ssize_t w = write(2, text + off, len - off);
			if (w <= 0)
				break;
			off += (size_t)w;
		}
	}
	if (locked)
		__atomic_store_n(&report_lock, 0, __ATOMIC_RELEASE);
}

static void report_emit(struct rbuf *b)
{
	report_emit_text(b->text, b->len, 1);
}

static void maybe_panic(void)
{
	int p = __atomic_load_n(&panic_on_warn, __ATOMIC_RELAXED);

	if (p < 0) {
		const char *e = getenv("LKSYNC_PANIC_ON_WARN");

		p = e && *e && *e != '0';
		__atomic_store_n(&panic_on_warn, p, __ATOMIC_RELAXED);
	}
	if (p)
		abort();
}

int lksync_set_panic_on_warn(int on)
{
	int old = __atomic_exchange_n(&panic_on_warn, !!on, __ATOMIC_RELAXED);

	if (old < 0) {
		const char *e = getenv("LKSYNC_PANIC_ON_WARN");

		old = e && *e && *e != '0';
	}
	return old;
}

void lksync_report_emit(const char *text)
{
	report_depth++;
	report_emit_text(text, strlen(text), 1);
	report_depth--;
	maybe_panic();
}

void lksync_report_printk(const char *text)
{
	report_depth++;
	report_emit_text(text, strlen(text), 0);
	report_depth--;
}

unsigned long lksync_report_symbol(char *buf, unsigned long len, const void *addr)
{
	Dl_info info;
	const ElfW(Sym) *sym = NULL;
	int n;

	if (!len)
		return 0;
	/* dladdr() takes the loader's lock: not inside a report that interrupted another. */
	if (report_depth <= 1 && addr &&
	    dladdr1(addr, &info, (void **)&sym, RTLD_DL_SYMENT) && info.dli_sname) {
		if (sym && sym->st_size)
			n = snprintf(buf, len, "%s+0x%tx/0x%lx", info.dli_sname,
				     (const char *)addr - (const char *)info.dli_saddr,
				     (unsigned long)sym->st_size);
		else
			n = snprintf(buf, len, "%s+0x%tx", info.dli_sname,
				     (const char *)addr - (const char *)info.dli_saddr);
	} else if (report_depth <= 1 && addr && dladdr(addr, &info) && info.dli_fname) {
		const char *base = strrchr(info.dli_fname, '/');

		n = snprintf(buf, len, "%s+0x%tx", base ? base + 1 : info.dli_fname,
			     (const char *)addr - (const char *)info.dli_fbase);
	} else {
		n = snprintf(buf, len, "0x%lx", (unsigned long)addr);
	}
	if (n < 0)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

/*
 * Each report builds its text in a buffer on its own stack: a handler's
 * report must not overwrite the one it interrupted.
 */
void lksync_report(const char *headline, const char *fmt, ...)
{
	struct rbuf b;
	va_list ap;

	report_depth++;
	b.len = 0;
	rb_add(&b, "\n%s\n", headline);
	va_start(ap, fmt);
	rb_message(&b, fmt, ap);
	va_end(ap);
	rb_task(&b);
	rb_trace(&b, 2);
	report_emit(&b);
	report_depth--;
	maybe_panic();	/* every report, as the kernel's panic_on_warn and BUG() */
}

void lksync_warn_slowpath(const char *file, int line, const char *func, const char *fmt, ...)
{
	struct rbuf b;
	va_list ap;

	report_depth++;
	b.len = 0;
	rb_add(&b, "------------[ cut here ]------------\n");
	va_start(ap, fmt);
	rb_message(&b, fmt, ap);
	va_end(ap);
	rb_add(&b, "WARNING: CPU: %d PID: %d at %s:%d %s\n",
	       sched_getcpu(), (int)gettid(), file, line, func);
	rb_task(&b);
	rb_trace(&b, 2);
	rb_add(&b, "---[ end trace 0000000000000000 ]---\n");
	report_emit(&b);
	report_depth--;
	maybe_panic();
}

void lksync_bug_slowpath(const char *file, int line, const char *func)
{
	struct rbuf b;

	report_depth++;
	b.len = 0;
	rb_add(&b, "------------[ cut here ]------------\n");
	rb_add(&b, "kernel BUG at %s:%d!\n", file, line);
	rb_add(&b, "invalid opcode: 0000 [#1] in %s\n", func);
	rb_task(&b);
	rb_trace(&b, 2);
	rb_add(&b, "---[ end trace 0000000000000000 ]---\n");
	report_emit(&b);
	abort();
}
