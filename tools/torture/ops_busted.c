// SPDX-License-Identifier: MIT
/*
 * lock_busted: a deliberately broken lock, as the kernel's locktorture has.
 * It tests the lock word and then sets it in two separate steps, so two
 * threads that test at the same moment both "acquire" it. It usually works,
 * which is the point: the torture checks must catch the overlaps, and the
 * test suite requires this type to fail.
 */
#include <sched.h>

#include <lksync/compiler.h>
#include <lksync/processor.h>

#include "torture.h"

static int busted;
static unsigned int busted_calls;

static void busted_init(void) { WRITE_ONCE(busted, 0); }

static void busted_lock(unsigned long *flags)
{
	while (READ_ONCE(busted))
		cpu_relax();
	/*
	 * Now and then get descheduled between test and set, as any thread
	 * may be: even on a loaded machine where threads rarely run at the
	 * same time, another one then finds the lock free and walks in.
	 */
	if (!(__atomic_add_fetch(&busted_calls, 1, __ATOMIC_RELAXED) % 256))
		sched_yield();
	WRITE_ONCE(busted, 1);
}

static void busted_unlock(unsigned long *flags) { WRITE_ONCE(busted, 0); }

const struct torture_ops lock_busted_ops = {
	.name = "lock_busted",
	.desc = "BROKEN test-then-set lock; must be caught",
	.init = busted_init,
	.writelock = busted_lock,
	.writeunlock = busted_unlock,
	.flags = TORTURE_EXPLICIT,
};
