// SPDX-License-Identifier: MIT
/* Native-API program for tests/install.cmake: built with `pkg-config lksync`
 * and with the CMake package (shared and static). */
#include <pthread.h>
#include <stdio.h>
#include <lksync/spinlock.h>
#include <lksync/atomic.h>
#include <lksync/sched.h>

#ifdef LKSYNC_UP	/* set by the installed lksync/config.h of a UP build */
#define THREADS 1	/* UP spinlocks exclude no threads (bookkeeping only) */
#else
#define THREADS 4
#endif
#define ITERS 50000

static DEFINE_SPINLOCK(lock);
static unsigned long counter;
static atomic_t ops = ATOMIC_INIT(0);

static void *worker(void *arg)
{
	for (int i = 0; i < ITERS; i++) {
		spin_lock(&lock);
		counter++;
		spin_unlock(&lock);
		atomic_inc(&ops);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];

	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	if (counter != THREADS * ITERS || atomic_read(&ops) != THREADS * ITERS || current->pid <= 0) {
		fprintf(stderr, "native: FAILED counter=%lu\n", counter);
		return 1;
	}
	printf("native: OK (pid %d)\n", (int)current->pid);
	return 0;
}
