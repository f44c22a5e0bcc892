// SPDX-License-Identifier: MIT
/*
 * Layer: locking. The seqcount read side's wait for a write in progress.
 *
 * The kernel's readers spin while the count is odd, trusting that the writer
 * runs with preemption disabled. In userspace the OS may deschedule the
 * writer, and readers that outnumber the CPUs would then spin away its
 * time slice: spin a bounded time, then yield the CPU between checks.
 */
#include <sched.h>
#include <lksync/processor.h>
#include <lksync/seqlock.h>

#define SEQ_SPINS	1024	/* cpu_relax() rounds before yielding */

unsigned lksync_read_seqcount_wait(const seqcount_t *s)
{
	unsigned seq;

	for (unsigned i = 1;; i++) {
		/* Acquire, as raw_read_seqcount_begin(): the protected loads stay after it. */
		seq = __atomic_load_n(&s->sequence, __ATOMIC_ACQUIRE);
		if (!(seq & 1))
			return seq;
		if (i < SEQ_SPINS)
			cpu_relax();
		else
			sched_yield();
	}
}
