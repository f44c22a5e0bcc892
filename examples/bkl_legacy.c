// SPDX-License-Identifier: MIT
/*
 * Legacy code under the Big Kernel Lock, as the seeds describe it: one
 * global lock, recursive for its holder (lock_kernel() twice, unlock_kernel()
 * twice), and dropped while its holder sleeps. So an old ioctl handler that
 * runs under lock_kernel() may msleep(), and other tasks take the BKL
 * meanwhile: after the sleep the handler holds the lock again
 * (kernel_locked() is still true) but must not trust what it read before.
 * Without a sleep the BKL excludes like any spinlock: a busy-wait (mdelay)
 * keeps the others out.
 *
 * needs: SMP (the BKL is a spinlock, bookkeeping only without CONFIG_SMP)
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/smp_lock.h>

#define OTHERS	2

static int legacy_counter;	/* protected by the BKL */
static int bkl_inside;		/* tasks in a BKL section right now: 0 or 1 */
static atomic_t errors = ATOMIC_INIT(0);

static void enter(void)
{
	if (++bkl_inside != 1)
		atomic_inc(&errors);
}

static void leave(void)
{
	bkl_inside--;
}

/* Another legacy path: short sections under the BKL, no sleeping. */
static int other_fn(void *data)
{
	while (!kthread_should_stop()) {
		lock_kernel();
		enter();
		legacy_counter++;
		leave();
		unlock_kernel();
		usleep_range(50, 100);
	}
	return 0;
}

static int failures;

static void expect(const char *what, long got, long want)
{
	pr_info("%-50s %ld%s\n", what, got, got == want ? "" : "  <-- wrong");
	if (got != want)
		failures++;
}

/* The old ioctl handler. */
static void legacy_ioctl(void)
{
	int before, tries = 0;

	lock_kernel();
	lock_kernel();			/* recursive: a helper that takes it again */
	expect("kernel_locked() inside, nested", kernel_locked() != 0, 1);

	enter();
	before = legacy_counter;
	mdelay(20);			/* busy: the BKL is held all along */
	expect("others ran while we busy-waited", legacy_counter != before, 0);
	leave();

	/* Sleeping drops the BKL: the others get in. */
	do {
		msleep(10);
	} while (legacy_counter == before && ++tries < 200);
	expect("kernel_locked() after msleep()", kernel_locked() != 0, 1);
	expect("others ran while we slept", legacy_counter != before, 1);

	enter();			/* and we exclude them again */
	before = legacy_counter;
	mdelay(5);
	expect("others ran after we woke", legacy_counter != before, 0);
	leave();

	unlock_kernel();
	expect("kernel_locked() after one unlock_kernel()", kernel_locked() != 0, 1);
	unlock_kernel();
	expect("kernel_locked() after the second", kernel_locked(), 0);
}

int main(void)
{
	struct task_struct *others[OTHERS];

	expect("kernel_locked() before lock_kernel()", kernel_locked(), 0);
	for (int i = 0; i < OTHERS; i++) {
		others[i] = kthread_run(other_fn, NULL, "legacy/%d", i);
		if (IS_ERR(others[i]))
			return 1;
	}
	msleep(5);
	legacy_ioctl();
	for (int i = 0; i < OTHERS; i++)
		kthread_stop(others[i]);
	expect("two tasks inside the BKL at once", atomic_read(&errors), 0);
	pr_info("bkl legacy: %d sections by the others: %s\n", legacy_counter,
		failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
