// SPDX-License-Identifier: MIT
/*
 * Worker pools: workers are kthreads named as the kernel names them; a pool
 * grows while its items sleep, up to its limit; idle workers beyond the
 * kernel's two spares are reaped after the idle timeout; when a pool is at
 * its limit and every worker is stuck, the rescuer of a WQ_MEM_RECLAIM
 * workqueue still runs that queue's items (and only those).
 *
 * The tunables (LKSYNC_WQ_IDLE_MS, LKSYNC_WQ_MAX_WORKERS) are read when the
 * workqueue machinery starts, so they are set first thing in main().
 */
#include <dirent.h>
#include <lksync/workqueue.h>
#include <lksync/completion.h>
#include <lksync/delay.h>
#include "lksync_test.h"

#define MAX_WORKERS	6

/* Threads of this process whose name starts with @prefix. */
static int count_threads(const char *prefix)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[300], comm[32] = "";
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, prefix, strlen(prefix)))
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

static int wait_threads(const char *prefix, int lo, int hi, int ms)
{
	int n;

	for (int i = 0; i < ms / 10; i++) {
		n = count_threads(prefix);
		if (n >= lo && n <= hi)
			return n;
		msleep(10);
	}
	return count_threads(prefix);
}

struct blocker {
	struct work_struct work;
	struct completion *gate;
	int ran;
	int rescuer;
	char comm[TASK_COMM_LEN];
};

static void blocker_fn(struct work_struct *work)
{
	struct blocker *b = container_of(work, struct blocker, work);

	b->rescuer = current_is_workqueue_rescuer();
	memcpy(b->comm, current->comm, sizeof(b->comm));
	if (b->gate)
		wait_for_completion(b->gate);
	__atomic_store_n(&b->ran, 1, __ATOMIC_RELEASE);
}

static int ran(struct blocker *b)
{
	return __atomic_load_n(&b->ran, __ATOMIC_ACQUIRE);
}

TEST(names)
{
	struct blocker b[3];

	memset(b, 0, sizeof(b));
	for (int i = 0; i < 3; i++)
		INIT_WORK(&b[i].work, blocker_fn);
	queue_work_on(0, system_wq, &b[0].work);
	queue_work_on(0, system_highpri_wq, &b[1].work);
	queue_work(system_unbound_wq, &b[2].work);
	for (int i = 0; i < 3; i++)
		flush_work(&b[i].work);
	CHECK(!strncmp(b[0].comm, "kworker/0:", 10));
	CHECK(b[1].comm[strlen(b[1].comm) - 1] == 'H');
	CHECK(!strncmp(b[2].comm, "kworker/u", 9));
	CHECK(!b[0].rescuer && !b[2].rescuer);
	/* A thread the manager is creating wears its name until it names itself. */
	CHECK_EQ(wait_threads("kworker/manager", 1, 1, 2000), 1);
}

TEST(grow_and_reap)
{
	DECLARE_COMPLETION_ONSTACK(gate);
	struct blocker b[5];
	int n;

	memset(b, 0, sizeof(b));
	for (int i = 0; i < 5; i++) {
		b[i].gate = &gate;
		INIT_WORK(&b[i].work, blocker_fn);
		queue_work(system_unbound_wq, &b[i].work);
	}
	/* Five sleeping items, five workers (plus a spare, within the limit). */
	n = wait_threads("kworker/u0:", 5, MAX_WORKERS, 3000);
	CHECK(n >= 5 && n <= MAX_WORKERS);
	for (int i = 0; i < 5; i++)
		CHECK(!ran(&b[i]));
	complete_all(&gate);
	for (int i = 0; i < 5; i++)
		flush_work(&b[i].work);
	/* Idle for LKSYNC_WQ_IDLE_MS: down to the kernel's two idle workers. */
	n = wait_threads("kworker/u0:", 0, 2, 5000);
	CHECK(n <= 2);
	CHECK(n >= 1);
}

TEST(rescuer)
{
	DECLARE_COMPLETION_ONSTACK(gate);
	struct workqueue_struct *plain = alloc_workqueue("plain", WQ_UNBOUND, 0);
	struct workqueue_struct *reclaim = alloc_workqueue("reclaim", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	struct blocker b[MAX_WORKERS], late, rescued;
	long long end;

	memset(b, 0, sizeof(b));
	memset(&late, 0, sizeof(late));
	memset(&rescued, 0, sizeof(rescued));
	CHECK(plain && reclaim);
	CHECK(count_threads("kworker/R-recla") == 1);
	/* Every worker the unbound pool may have, stuck. */
	for (int i = 0; i < MAX_WORKERS; i++) {
		b[i].gate = &gate;
		INIT_WORK(&b[i].work, blocker_fn);
		queue_work(plain, &b[i].work);
	}
	CHECK_EQ(wait_threads("kworker/u0:", MAX_WORKERS, MAX_WORKERS, 3000), MAX_WORKERS);
	msleep(20);
	INIT_WORK(&late.work, blocker_fn);
	INIT_WORK(&rescued.work, blocker_fn);
	queue_work(plain, &late.work);
	queue_work(reclaim, &rescued.work);
	/* The reclaim queue's item runs on its rescuer; the plain one waits. */
	end = test_now_ms() + 3000;
	while (!ran(&rescued) && test_now_ms() < end)
		msleep(2);
	CHECK(ran(&rescued));
	CHECK(rescued.rescuer);
	CHECK(!strncmp(rescued.comm, "kworker/R-", 10));
	CHECK(!ran(&late));
	complete_all(&gate);
	flush_work(&late.work);
	CHECK(ran(&late));
	CHECK(!late.rescuer);
	destroy_workqueue(plain);
	destroy_workqueue(reclaim);
	CHECK_EQ(wait_threads("kworker/R-recla", 0, 0, 2000), 0);
}

int main(void)
{
	setenv("LKSYNC_WQ_IDLE_MS", "300", 1);
	setenv("LKSYNC_WQ_MAX_WORKERS", "6", 1);
	test_watchdog(60);
	RUN(names);
	RUN(grow_and_reap);
	RUN(rescuer);
	return test_done();
}
