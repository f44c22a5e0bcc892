// SPDX-License-Identifier: MIT
/*
 * seqlock: writers take write_seqlock() and rewrite the whole payload;
 * readers never block writers, they read between read_seqbegin() and
 * read_seqretry() and must never accept a torn payload.
 */
#include <lksync/seqlock.h>

#include "torture.h"

static DEFINE_SEQLOCK(torture_seqlock);

static void seq_init(void) { seqlock_init(&torture_seqlock); }
static void seq_w_lock(unsigned long *flags) { write_seqlock(&torture_seqlock); }
static void seq_w_unlock(unsigned long *flags) { write_sequnlock(&torture_seqlock); }
static unsigned long seq_r_begin(unsigned long *flags) { return read_seqbegin(&torture_seqlock); }
static int seq_r_retry(unsigned long seq, unsigned long *flags)
{
	return read_seqretry(&torture_seqlock, (unsigned int)seq);
}

const struct torture_ops seqlock_ops = {
	.name = "seqlock",
	.desc = "write_seqlock / read_seqbegin+read_seqretry",
	.init = seq_init,
	.writelock = seq_w_lock,
	.writeunlock = seq_w_unlock,
	.readlock = seq_r_begin,
	.readunlock = seq_r_retry,
	.write_ctx = TORTURE_CTX_PREEMPT,
	.flags = TORTURE_SEQREAD,
};
