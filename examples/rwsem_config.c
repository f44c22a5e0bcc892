// SPDX-License-Identifier: MIT
/*
 * A configuration table read all the time and rewritten now and then, under
 * a reader-writer semaphore declared as the seeds do (static DECLARE_RWSEM):
 * readers share it (down_read), a writer excludes everyone (down_write), and
 * a writer that has finished changing the table but still needs a stable
 * view turns its lock into a read lock with downgrade_write(), which lets
 * the waiting readers in and keeps the other writers out. Trylocks return 1
 * on success and 0 on failure. Readers and writers may sleep while holding
 * it (the writer does, to show that nobody sees a half-written table).
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/printk.h>
#include <linux/rwsem.h>
#include <linux/sched.h>

#define ENTRIES		32
#define READERS		4
#define WRITERS		2
#define UPDATES		40	/* per writer */

static DECLARE_RWSEM(config_rwsem);
static struct {
	unsigned long generation;
	unsigned long value[ENTRIES];	/* generation * ENTRIES + index */
} config;				/* protected by config_rwsem */

static atomic_t readers_inside = ATOMIC_INIT(0);
static atomic_t writers_inside = ATOMIC_INIT(0);
static atomic_t errors = ATOMIC_INIT(0);
static atomic_long_t lookups = ATOMIC_LONG_INIT(0);

/* Called with config_rwsem held for reading or writing. */
static bool config_consistent(void)
{
	for (int i = 0; i < ENTRIES; i++)
		if (config.value[i] != config.generation * ENTRIES + i)
			return false;
	return true;
}

static int reader_fn(void *data)
{
	while (!kthread_should_stop()) {
		down_read(&config_rwsem);
		atomic_inc(&readers_inside);
		if (atomic_read(&writers_inside) || !config_consistent())
			atomic_inc(&errors);
		atomic_dec(&readers_inside);
		up_read(&config_rwsem);
		atomic_long_inc(&lookups);
		cond_resched();
	}
	return 0;
}

static DECLARE_COMPLETION(updated);	/* completed once per writer */

/*
 * The writers report the end of their work and wait to be stopped: a kthread
 * stopped before it first ran would never run its function.
 */
static void wait_for_stop(void)
{
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
}

static int writer_fn(void *data)
{
	for (int n = 0; n < UPDATES; n++) {
		unsigned long gen;

		down_write(&config_rwsem);
		if (atomic_inc_return(&writers_inside) != 1 || atomic_read(&readers_inside))
			atomic_inc(&errors);
		gen = ++config.generation;
		for (int i = 0; i < ENTRIES / 2; i++)
			config.value[i] = gen * ENTRIES + i;
		msleep(1);		/* half written: nobody may look now */
		for (int i = ENTRIES / 2; i < ENTRIES; i++)
			config.value[i] = gen * ENTRIES + i;
		atomic_dec(&writers_inside);

		downgrade_write(&config_rwsem);
		usleep_range(500, 1000);	/* readers may come in, writers may not */
		if (config.generation != gen || !config_consistent())
			atomic_inc(&errors);
		up_read(&config_rwsem);
		msleep(1);
	}
	complete(&updated);
	wait_for_stop();
	return 0;
}

/* The deterministic part: one reader and one writer wait for main's lock. */
static DECLARE_COMPLETION(got_read);
static DECLARE_COMPLETION(release_read);
static DECLARE_COMPLETION(got_write);

static int one_reader_fn(void *data)
{
	down_read(&config_rwsem);
	complete(&got_read);
	wait_for_completion(&release_read);
	up_read(&config_rwsem);
	return 0;
}

static int one_writer_fn(void *data)
{
	down_write(&config_rwsem);
	complete(&got_write);
	up_write(&config_rwsem);
	return 0;
}

static int failures;

static void expect(const char *what, long got, long want)
{
	pr_info("%-50s %ld%s\n", what, got, got == want ? "" : "  <-- wrong");
	if (got != want)
		failures++;
}

int main(void)
{
	struct task_struct *r, *w, *readers[READERS], *writers[WRITERS];

	for (int i = 0; i < ENTRIES; i++)
		config.value[i] = i;

	down_write(&config_rwsem);
	expect("down_read_trylock() against a writer", down_read_trylock(&config_rwsem), 0);
	r = kthread_run(one_reader_fn, NULL, "lookup");
	if (IS_ERR(r))
		return 1;
	msleep(20);
	expect("reader in while a writer holds it", completion_done(&got_read), 0);
	downgrade_write(&config_rwsem);
	expect("reader in after downgrade_write()",
	       wait_for_completion_timeout(&got_read, 5 * HZ) > 0, 1);
	expect("down_read_trylock() after downgrade_write()", down_read_trylock(&config_rwsem), 1);
	up_read(&config_rwsem);
	expect("down_write_trylock() against readers", down_write_trylock(&config_rwsem), 0);

	w = kthread_run(one_writer_fn, NULL, "update");
	if (IS_ERR(w))
		return 1;
	msleep(20);
	expect("writer in while readers hold it", completion_done(&got_write), 0);
	up_read(&config_rwsem);		/* main's downgraded lock */
	complete(&release_read);	/* and the reader's */
	expect("writer in after the last up_read()",
	       wait_for_completion_timeout(&got_write, 5 * HZ) > 0, 1);
	kthread_stop(r);
	kthread_stop(w);
	expect("rwsem_is_locked() when all are gone", rwsem_is_locked(&config_rwsem), 0);

	/* Many readers, occasional writers. */
	for (int i = 0; i < READERS; i++) {
		readers[i] = kthread_run(reader_fn, NULL, "reader/%d", i);
		if (IS_ERR(readers[i]))
			return 1;
	}
	for (int i = 0; i < WRITERS; i++) {
		writers[i] = kthread_run(writer_fn, NULL, "writer/%d", i);
		if (IS_ERR(writers[i]))
			return 1;
	}
	for (int i = 0; i < WRITERS; i++)
		wait_for_completion(&updated);
	for (int i = 0; i < WRITERS; i++)
		kthread_stop(writers[i]);
	for (int i = 0; i < READERS; i++)
		kthread_stop(readers[i]);

	expect("generation after all updates", config.generation, WRITERS * UPDATES);
	expect("inconsistent views or overlaps", atomic_read(&errors), 0);
	expect("table consistent", config_consistent(), 1);
	pr_info("rwsem config: %ld lookups during %d updates: %s\n",
		atomic_long_read(&lookups), WRITERS * UPDATES, failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
