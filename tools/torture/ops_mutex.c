// SPDX-License-Identifier: MIT
/* mutex: mutex_lock, and mutex_lock_interruptible under --signals. */
#if __has_include(<lksync/mutex.h>)
#include <errno.h>
#include <lksync/mutex.h>

#include "torture.h"

static DEFINE_MUTEX(torture_mutex);

static void mutex_t_init(void) { mutex_init(&torture_mutex); }
static void mutex_w_lock(unsigned long *flags) { mutex_lock(&torture_mutex); }
static int mutex_w_lock_intr(unsigned long *flags) { return mutex_lock_interruptible(&torture_mutex); }
static void mutex_w_unlock(unsigned long *flags) { mutex_unlock(&torture_mutex); }

static const char *mutex_idle(void)
{
	if (mutex_is_locked(&torture_mutex))
		return "mutex_is_locked() after every thread left";
	if (!mutex_trylock(&torture_mutex))
		return "mutex_trylock() failed after every thread left";
	mutex_unlock(&torture_mutex);
	return NULL;
}

const struct torture_ops mutex_ops = {
	.name = "mutex",
	.desc = "mutex_lock[_interruptible]/mutex_unlock",
	.init = mutex_t_init,
	.writelock = mutex_w_lock,
	.writelock_intr = mutex_w_lock_intr,
	.writeunlock = mutex_w_unlock,
	.intr_err = -EINTR,
	.idle = mutex_idle,
	.flags = TORTURE_SLEEPS,
};
#endif
