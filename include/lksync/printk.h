/* SPDX-License-Identifier: MIT */
/*
 * Layer: lib. printk() and the pr_*() family, as linux/printk.h. Includes
 * compiler.h and the C library's <stdio.h>/<stdarg.h> only.
 *
 * The console is stderr. A message may start with a KERN_<LEVEL> marker (the
 * SOH byte and a level character); the marker is stripped, every level is
 * printed, and each call is one stdio write, so lines from different threads
 * do not interleave. As in the kernel, pr_debug()/pr_devel() print only when
 * DEBUG is defined before the include; otherwise they only type-check their
 * arguments. Define pr_fmt(fmt) before the include to prefix messages.
 */
#ifndef LKSYNC_PRINTK_H
#define LKSYNC_PRINTK_H

#include <stdarg.h>
#include <stdio.h>
#include <lksync/compiler.h>

#define KERN_SOH	"\001"		/* start of the level marker */
#define KERN_SOH_ASCII	'\001'
#define KERN_EMERG	KERN_SOH "0"	/* system is unusable */
#define KERN_ALERT	KERN_SOH "1"	/* action must be taken immediately */
#define KERN_CRIT	KERN_SOH "2"	/* critical conditions */
#define KERN_ERR	KERN_SOH "3"	/* error conditions */
#define KERN_WARNING	KERN_SOH "4"	/* warning conditions */
#define KERN_NOTICE	KERN_SOH "5"	/* normal but significant condition */
#define KERN_INFO	KERN_SOH "6"	/* informational */
#define KERN_DEBUG	KERN_SOH "7"	/* debug-level messages */
#define KERN_DEFAULT	""		/* the default level */
#define KERN_CONT	KERN_SOH "c"	/* continues the previous line */

#define LOGLEVEL_SCHED		-2
#define LOGLEVEL_DEFAULT	-1
#define LOGLEVEL_EMERG		0
#define LOGLEVEL_ALERT		1
#define LOGLEVEL_CRIT		2
#define LOGLEVEL_ERR		3
#define LOGLEVEL_WARNING	4
#define LOGLEVEL_NOTICE		5
#define LOGLEVEL_INFO		6
#define LOGLEVEL_DEBUG		7

/**
 * printk_get_level - the level character of @buffer's KERN_* marker.
 * Context: any.
 * Return: '0'..'7', 'c' or 'd', or 0 when @buffer has no marker.
 */
static inline char printk_get_level(const char *buffer)
{
	if (buffer[0] == KERN_SOH_ASCII && buffer[1])
		return buffer[1];
	return 0;
}

/**
 * printk_skip_level - @buffer past its KERN_* markers, if any.
 * Context: any.
 * Return: the first character of the message text.
 */
static inline const char *printk_skip_level(const char *buffer)
{
	while (printk_get_level(buffer))
		buffer += 2;
	return buffer;
}

/**
 * vprintk - printk() with a va_list.
 * Context: any; may block on stderr.
 * Return: the number of characters printed, or negative on an output error.
 */
static inline __attribute__((format(printf, 1, 0)))
int vprintk(const char *fmt, va_list args)
{
	return vfprintf(stderr, printk_skip_level(fmt), args);
}

/**
 * printk - print a kernel message to the console (stderr).
 * @fmt: printf-style format, optionally preceded by a KERN_* level marker.
 * Context: any; may block on stderr.
 * Return: the number of characters printed, or negative on an output error.
 */
static inline __attribute__((format(printf, 1, 2)))
int printk(const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vprintk(fmt, args);
	va_end(args);
	return n;
}

/* no_printk - type-check the arguments of a suppressed message. Return: 0. */
#define no_printk(fmt, ...) ({							\
	if (0)									\
		printk(fmt, ##__VA_ARGS__);					\
	0; })

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

/* pr_<level> - printk() at that level with the file's pr_fmt() prefix. */
#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warning		pr_warn		/* legacy spelling */
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
/* pr_cont - continue the previous line; no prefix. */
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)

#ifdef DEBUG
#define pr_debug(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_devel(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_debug(fmt, ...)	no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_devel(fmt, ...)	no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#endif

/* printk_once - printk() only the first time this call site runs. Return: true if it printed. */
#define printk_once(fmt, ...) ({						\
	static int __print_once_done;						\
	int __print_once_now =							\
		!__atomic_exchange_n(&__print_once_done, 1, __ATOMIC_RELAXED);	\
	if (__print_once_now)							\
		printk(fmt, ##__VA_ARGS__);					\
	__print_once_now; })

#define pr_emerg_once(fmt, ...)	printk_once(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert_once(fmt, ...)	printk_once(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit_once(fmt, ...)	printk_once(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err_once(fmt, ...)	printk_once(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_once(fmt, ...)	printk_once(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice_once(fmt, ...) printk_once(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info_once(fmt, ...)	printk_once(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)

/*
 * The _ratelimited forms print every message: a userspace console has no
 * flood to protect, and dropping lines would hide test output.
 */
#define printk_ratelimited(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_emerg_ratelimited		pr_emerg
#define pr_alert_ratelimited		pr_alert
#define pr_crit_ratelimited		pr_crit
#define pr_err_ratelimited		pr_err
#define pr_warn_ratelimited		pr_warn
#define pr_notice_ratelimited		pr_notice
#define pr_info_ratelimited		pr_info
#define pr_debug_ratelimited		pr_debug

/* printk_ratelimit - legacy rate-limit test. Return: always 1 (print). */
static inline int printk_ratelimit(void)
{
	return 1;
}

#endif /* LKSYNC_PRINTK_H */
