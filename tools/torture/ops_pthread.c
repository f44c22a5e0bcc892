// SPDX-License-Identifier: MIT
/* Peer adapters: POSIX locks through the same driver, for comparison. */
#include <pthread.h>

#include "torture.h"

static pthread_mutex_t pt_mutex;
static pthread_rwlock_t pt_rwlock;

static void pt_mutex_init(void) { pthread_mutex_init(&pt_mutex, NULL); }
static void pt_mutex_lock(unsigned long *flags) { pthread_mutex_lock(&pt_mutex); }
static void pt_mutex_unlock(unsigned long *flags) { pthread_mutex_unlock(&pt_mutex); }

const struct torture_ops pthread_mutex_ops = {
	.name = "pthread_mutex",
	.desc = "pthread_mutex_lock/unlock (peer)",
	.init = pt_mutex_init,
	.writelock = pt_mutex_lock,
	.writeunlock = pt_mutex_unlock,
	.flags = TORTURE_EXPLICIT | TORTURE_SLEEPS,
};

static void pt_rwlock_init(void) { pthread_rwlock_init(&pt_rwlock, NULL); }
static void pt_wrlock(unsigned long *flags) { pthread_rwlock_wrlock(&pt_rwlock); }
static void pt_unlock(unsigned long *flags) { pthread_rwlock_unlock(&pt_rwlock); }
static unsigned long pt_rdlock(unsigned long *flags) { pthread_rwlock_rdlock(&pt_rwlock); return 0; }
static int pt_rdunlock(unsigned long cookie, unsigned long *flags)
{
	pthread_rwlock_unlock(&pt_rwlock);
	return 0;
}

const struct torture_ops pthread_rwlock_ops = {
	.name = "pthread_rwlock",
	.desc = "pthread_rwlock_wrlock/rdlock (peer)",
	.init = pt_rwlock_init,
	.writelock = pt_wrlock,
	.writeunlock = pt_unlock,
	.readlock = pt_rdlock,
	.readunlock = pt_rdunlock,
	.flags = TORTURE_EXPLICIT | TORTURE_SLEEPS,
};
