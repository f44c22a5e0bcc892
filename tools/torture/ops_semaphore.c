// SPDX-License-Identifier: MIT
/*
 * Semaphores: binary (count 1, an exclusive lock) and counting (count
 * SEM_COUNT, where the checker makes sure no more than that many are ever
 * inside); down, and down_interruptible under --signals.
 */
#if __has_include(<lksync/semaphore.h>)
#include <errno.h>
#include <lksync/semaphore.h>

#include "torture.h"

#define SEM_COUNT	3

static struct semaphore torture_sem;

static void sem1_init(void) { sema_init(&torture_sem, 1); }
static void semn_init(void) { sema_init(&torture_sem, SEM_COUNT); }
static void sem_down(unsigned long *flags) { down(&torture_sem); }
static int sem_down_intr(unsigned long *flags) { return down_interruptible(&torture_sem); }
static void sem_up(unsigned long *flags) { up(&torture_sem); }

/* Every unit of the count must be back: take them all, then return them. */
static const char *sem_idle_n(unsigned int n)
{
	unsigned int got = 0;
	const char *bad = NULL;

	while (got < n && !down_trylock(&torture_sem))
		got++;
	if (got < n)
		bad = "down_trylock() failed before the whole count was taken: a unit leaked";
	else if (!down_trylock(&torture_sem))
		bad = "down_trylock() succeeded beyond the count: an extra up()";
	while (got--)
		up(&torture_sem);
	return bad;
}

static const char *sem1_idle(void) { return sem_idle_n(1); }
static const char *semn_idle(void) { return sem_idle_n(SEM_COUNT); }

const struct torture_ops semaphore_ops = {
	.name = "semaphore",
	.desc = "down[_interruptible]/up, count 1",
	.init = sem1_init,
	.writelock = sem_down,
	.writelock_intr = sem_down_intr,
	.writeunlock = sem_up,
	.intr_err = -EINTR,
	.idle = sem1_idle,
	.flags = TORTURE_SLEEPS,
};

const struct torture_ops semaphore_counting_ops = {
	.name = "semaphore_counting",
	.desc = "down[_interruptible]/up, count 3: never more than 3 inside",
	.init = semn_init,
	.writelock = sem_down,
	.writelock_intr = sem_down_intr,
	.writeunlock = sem_up,
	.intr_err = -EINTR,
	.idle = semn_idle,
	.max_inside = SEM_COUNT,
	.flags = TORTURE_SLEEPS | TORTURE_COUNTING,
};
#endif
