// SPDX-License-Identifier: MIT
/*
 * rw_semaphore: down_write/up_write and down_read/up_read; under --signals
 * readers also use down_read_interruptible. The kernel has no
 * down_write_interruptible (only _killable), so writers never give up.
 */
#if __has_include(<lksync/rwsem.h>)
#include <errno.h>
#include <lksync/rwsem.h>

#include "torture.h"

static DECLARE_RWSEM(torture_rwsem);

static void rwsem_t_init(void) { init_rwsem(&torture_rwsem); }
static void rwsem_w_lock(unsigned long *flags) { down_write(&torture_rwsem); }
static void rwsem_w_unlock(unsigned long *flags) { up_write(&torture_rwsem); }
static unsigned long rwsem_r_lock(unsigned long *flags)
{
	down_read(&torture_rwsem);
	return 0;
}
static int rwsem_r_lock_intr(unsigned long *flags) { return down_read_interruptible(&torture_rwsem); }
static int rwsem_r_unlock(unsigned long cookie, unsigned long *flags)
{
	up_read(&torture_rwsem);
	return 0;
}

static const char *rwsem_idle(void)
{
	if (rwsem_is_locked(&torture_rwsem))
		return "rwsem_is_locked() after every thread left";
	if (!down_write_trylock(&torture_rwsem))
		return "down_write_trylock() failed after every thread left";
	up_write(&torture_rwsem);
	return NULL;
}

const struct torture_ops rwsem_ops = {
	.name = "rwsem",
	.desc = "down_write/down_read[_interruptible] (rw_semaphore)",
	.init = rwsem_t_init,
	.writelock = rwsem_w_lock,
	.writeunlock = rwsem_w_unlock,
	.readlock = rwsem_r_lock,
	.readlock_intr = rwsem_r_lock_intr,
	.readunlock = rwsem_r_unlock,
	.intr_err = -EINTR,
	.idle = rwsem_idle,
	.flags = TORTURE_SLEEPS,
};
#endif
