// SPDX-License-Identifier: MIT
/* Layer: arch. The heavy side of asymmetric barriers, on sys_membarrier. */
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <errno.h>
#include <lksync/barrier.h>
#include "arch/futex.h"

/* 0: not tried, 1: private expedited registered, -1: unavailable (fall back). */
static int membarrier_state;

static int membarrier_setup(void)
{
	int saved = errno;
	long q = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
	int st = -1;

	if (q > 0 && (q & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
	    syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0)
		st = 1;
	errno = saved;
	/* Racing first callers all compute the same answer; registration is idempotent. */
	__atomic_store_n(&membarrier_state, st, __ATOMIC_RELEASE);
	return st;
}

void lksync_membarrier_heavy(void)
{
	int st = __atomic_load_n(&membarrier_state, __ATOMIC_ACQUIRE);

	if (unlikely(st == 0))
		st = membarrier_setup();
	if (st > 0) {
		int saved = errno;

		if (syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0) {
			errno = saved;
			return;
		}
		errno = saved;
	}
	/*
	 * No membarrier: only this thread is fenced. Callers check
	 * lksync_membarrier_available() and bound their sleeps instead.
	 */
	__atomic_store_n(&membarrier_state, -1, __ATOMIC_RELEASE);
	smp_mb();
}

/* Nonzero when the heavy side is real, so light sides may use compiler barriers. */
int lksync_membarrier_available(void)
{
	int st = __atomic_load_n(&membarrier_state, __ATOMIC_ACQUIRE);

	if (st == 0)
		st = membarrier_setup();
	return st > 0;
}
