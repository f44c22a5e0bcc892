// SPDX-License-Identifier: MIT
/*
 * Layer: lib. What ThreadSanitizer must be told that the kernel tells KCSAN.
 *
 * A seqcount reader reads data a writer may be changing and throws the
 * result away if read_seqcount_retry() says so; those reads are racy by
 * design. The kernel marks them for KCSAN (kcsan_atomic_next() in
 * read_seqcount_begin(), cleared in read_seqcount_retry()); here a reader's
 * accesses between the two are hidden from TSan the same way. The state is
 * a flag, not a depth: a begin without a retry (a reader that bails out) is
 * ended by the next retry or at thread exit, and a retry without a begin
 * ends nothing.
 *
 * The TSan entry points are weak: in a program that does not run under TSan
 * they are absent and these functions do nothing.
 *
 * A thread's signal state inside TSan must exist before an interrupt can be
 * sent to it: see lksync_tsan_signal_prime().
 */
#include <pthread.h>
#include <signal.h>
#include <lksync/compiler.h>

void AnnotateIgnoreReadsBegin(const char *file, int line) __attribute__((weak));
void AnnotateIgnoreReadsEnd(const char *file, int line) __attribute__((weak));
void AnnotateIgnoreWritesBegin(const char *file, int line) __attribute__((weak));
void AnnotateIgnoreWritesEnd(const char *file, int line) __attribute__((weak));

LKSYNC_API void lksync_tsan_seq_begin(void);
LKSYNC_API void lksync_tsan_seq_end(void);
LKSYNC_API int lksync_tsan_seq_save(void);
LKSYNC_API void lksync_tsan_seq_restore(int saved);
void lksync_tsan_signal_prime(void);

/* Initial-exec: interrupt handlers (signal handlers) read seqlocks too. */
static __thread int seq_ignoring LKSYNC_TLS_MODEL;
static __thread int seq_in_handler LKSYNC_TLS_MODEL;
static __thread int signal_primed LKSYNC_TLS_MODEL;
static pthread_key_t seq_exit_key;
static pthread_once_t seq_exit_once = PTHREAD_ONCE_INIT;

static void seq_exit(void *arg)
{
	lksync_tsan_seq_end();
}

static void seq_exit_key_create(void)
{
	pthread_key_create(&seq_exit_key, seq_exit);
}

void lksync_tsan_seq_begin(void)
{
	if (seq_ignoring || !AnnotateIgnoreReadsBegin)
		return;
	if (!seq_in_handler) {	/* not async-signal-safe; a handler's own section ends with it */
		pthread_once(&seq_exit_once, seq_exit_key_create);
		pthread_setspecific(seq_exit_key, &seq_ignoring);	/* end it at thread exit */
	}
	seq_ignoring = 1;
	AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
}

void lksync_tsan_seq_end(void)
{
	if (!seq_ignoring)
		return;
	seq_ignoring = 0;
	AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
}

/*
 * Around an interrupt handler (a signal handler): TSan runs signal handlers
 * with the thread's ignore count saved and zeroed, and restores it after,
 * so the flag must follow: the handler starts with no section open, and
 * whatever it leaves is discarded with TSan's count.
 */
int lksync_tsan_seq_save(void)
{
	int saved = seq_ignoring;

	seq_ignoring = 0;
	seq_in_handler++;
	return saved;
}

void lksync_tsan_seq_restore(int saved)
{
	seq_in_handler--;
	seq_ignoring = saved;
}

/*
 * TSan keeps a per-thread signal context, created on first need: the
 * thread's first blocking interceptor (usleep(), pthread_join(), ...), or the
 * first signal that reaches its handler. In GCC 12's libtsan (and LLVM's
 * before that creation became a compare-and-swap) it is a plain store after
 * two system calls: a signal landing in between creates and arms a second
 * context, which the outer call then overwrites. The signal is never
 * delivered, and the raise's pending bit (src/context/irq.c) stays set, so
 * the line is dead on that task. Creating the context while nothing can be
 * sent to the thread closes the window: the pthread_kill() interceptor
 * creates it, and signal 0 sends nothing.
 *
 * Context: task context, on a thread no interrupt line targets yet.
 */
void lksync_tsan_signal_prime(void)
{
	if (signal_primed)
		return;
	signal_primed = 1;
	pthread_kill(pthread_self(), 0);
}
