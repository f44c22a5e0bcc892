/* SPDX-License-Identifier: MIT */
/*
 * Layer: lib (below every other layer, as the kernel's lib/bug.c and printk).
 * WARN_ON()/BUG_ON() and the report sink every lksync report goes through.
 *
 * A report is one block of text in the kernel's layout
 * ("------------[ cut here ]------------", the headline, the task, a call
 * trace, "---[ end trace ]---"), handed whole to the sink: stderr by default,
 * or a function a program installs with lksync_set_report_sink() (tests use
 * this to assert on the exact text). LKSYNC_PANIC_ON_WARN=1 in the
 * environment aborts after the first warning, as the kernel's panic_on_warn.
 */
#ifndef LKSYNC_BUG_H
#define LKSYNC_BUG_H

#include <lksync/compiler.h>

/* Receives each complete report; @text is NUL-terminated and ends in '\n'. */
typedef void (*lksync_report_sink_t)(const char *text, void *arg);

/**
 * lksync_set_report_sink - route reports to @sink (NULL: back to stderr).
 * Context: any, but not concurrently with a report being printed.
 * Return: the previous sink.
 */
LKSYNC_API lksync_report_sink_t lksync_set_report_sink(lksync_report_sink_t sink, void *arg);

/* lksync_report_count - reports emitted so far in this process. Context: any. */
LKSYNC_API unsigned long lksync_report_count(void);

/*
 * lksync_report - emit one report: @headline (e.g. "WARNING: ..."), an
 * optional printf-style message, the current task and a call trace.
 * Context: any (the report is built in a fixed buffer, no allocation).
 */
LKSYNC_API __cold __attribute__((format(printf, 2, 3)))
void lksync_report(const char *headline, const char *fmt, ...);

/*
 * lksync_report_emit - emit @text, a complete report its caller formatted
 * (the debug layer's multi-section reports), as lksync_report() emits its
 * own: counted, to the sink, then LKSYNC_PANIC_ON_WARN.
 * Context: any (no allocation).
 */
LKSYNC_API __cold void lksync_report_emit(const char *text);

/*
 * lksync_report_printk - hand @text (information, not a report: a listing
 * of held locks, say) to the same sink, neither counted nor subject to
 * LKSYNC_PANIC_ON_WARN. Context: any (no allocation).
 */
LKSYNC_API __cold void lksync_report_printk(const char *text);

/*
 * lksync_report_symbol - write @addr as the kernel's %pS does,
 * "function+0xoff/0xsize" (or "object+0xoff", or the bare address), into
 * @buf. Context: any. Return: the length written.
 */
LKSYNC_API unsigned long lksync_report_symbol(char *buf, unsigned long len, const void *addr);

/*
 * lksync_set_panic_on_warn - abort after every report (@on = 1), as the
 * kernel's panic_on_warn and the LKSYNC_PANIC_ON_WARN=1 environment
 * variable. Context: any. Return: the previous setting.
 */
LKSYNC_API int lksync_set_panic_on_warn(int on);

LKSYNC_API __cold __attribute__((format(printf, 4, 5)))
void lksync_warn_slowpath(const char *file, int line, const char *func, const char *fmt, ...);

LKSYNC_API __cold __attribute__((noreturn))
void lksync_bug_slowpath(const char *file, int line, const char *func);

/**
 * WARN_ON - report a kernel-style warning if @cond is true.
 * Context: any. Return: !!@cond, so it can be used in an if ().
 */
#define WARN_ON(cond) ({							\
	int __wo_ret = !!(cond);						\
	if (unlikely(__wo_ret))							\
		lksync_warn_slowpath(__FILE__, __LINE__, __func__, NULL);	\
	unlikely(__wo_ret); })

/* WARN - WARN_ON() with a printf-style message. Return: !!@cond. */
#define WARN(cond, ...) ({							\
	int __w_ret = !!(cond);							\
	if (unlikely(__w_ret))							\
		lksync_warn_slowpath(__FILE__, __LINE__, __func__, __VA_ARGS__); \
	unlikely(__w_ret); })

/* WARN_ON_ONCE - WARN_ON() that reports only the first time this site fires. */
#define WARN_ON_ONCE(cond) ({							\
	static int __wo1_done;							\
	int __wo1_ret = !!(cond);						\
	if (unlikely(__wo1_ret) &&						\
	    !__atomic_exchange_n(&__wo1_done, 1, __ATOMIC_RELAXED))		\
		lksync_warn_slowpath(__FILE__, __LINE__, __func__, NULL);	\
	unlikely(__wo1_ret); })

/* WARN_ONCE - WARN() that reports only the first time this site fires. */
#define WARN_ONCE(cond, ...) ({							\
	static int __w1_done;							\
	int __w1_ret = !!(cond);						\
	if (unlikely(__w1_ret) &&						\
	    !__atomic_exchange_n(&__w1_done, 1, __ATOMIC_RELAXED))		\
		lksync_warn_slowpath(__FILE__, __LINE__, __func__, __VA_ARGS__); \
	unlikely(__w1_ret); })

/* BUG - report "kernel BUG at FILE:LINE!" and abort. Context: any. */
#define BUG()	lksync_bug_slowpath(__FILE__, __LINE__, __func__)
/* BUG_ON - BUG() if @cond is true. */
#define BUG_ON(cond) do { if (unlikely(cond)) BUG(); } while (0)

#endif /* LKSYNC_BUG_H */
