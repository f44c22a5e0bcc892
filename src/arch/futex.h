/* SPDX-License-Identifier: MIT */
/* Layer: arch (private). futex and membarrier system calls, errno-free. */
#ifndef LKSYNC_SRC_ARCH_FUTEX_H
#define LKSYNC_SRC_ARCH_FUTEX_H

#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <lksync/types.h>

/*
 * Sleep while *@uaddr == @val, for at most @rel (NULL: forever).
 * Return: 0 when woken, -EAGAIN if *@uaddr != @val, -ETIMEDOUT, -EINTR.
 * Callers always loop: wake-ups may be spurious.
 */
static inline int lksync_futex_wait(u32 *uaddr, u32 val, const struct timespec *rel)
{
	int saved = errno;
	long r = syscall(SYS_futex, uaddr, FUTEX_WAIT_PRIVATE, val, rel, NULL, 0);
	int err = r < 0 ? -errno : 0;

	errno = saved;
	return err;
}

/* Wake up to @n sleepers on @uaddr. Return: the number woken. */
static inline int lksync_futex_wake(u32 *uaddr, int n)
{
	int saved = errno;
	long r = syscall(SYS_futex, uaddr, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);

	errno = saved;
	return r < 0 ? 0 : (int)r;
}

/*
 * The heavy side of an asymmetric barrier (src/arch/membarrier.c): after it
 * returns, every other thread of the process has executed a full barrier, so
 * a fast path that pairs with it needs only a compiler barrier.
 */
void lksync_membarrier_heavy(void);
/* Nonzero when lksync_membarrier_heavy() really fences other threads. */
int lksync_membarrier_available(void);

#endif /* LKSYNC_SRC_ARCH_FUTEX_H */
