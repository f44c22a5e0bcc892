// SPDX-License-Identifier: MIT
/*
 * The snippets of Robert Love's "Kernel Locking Techniques", as written there
 * (legacy initializers included), made into one program that checks itself.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/spinlock.h>
#include <linux/printk.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static spinlock_t mr_lock = SPIN_LOCK_UNLOCKED;
static rwlock_t mr_rwlock = RW_LOCK_UNLOCKED;
static unsigned long word;

/*
 * Can another task take mr_rwlock for reading now? (The same task taking it
 * twice would be recursion, a deadlock in waiting once a writer queues; the
 * debug flavor reports it.)
 */
static void *try_reader(void *arg)
{
	int *ok = arg;

	*ok = read_trylock(&mr_rwlock);
	if (*ok)
		read_unlock(&mr_rwlock);
	return NULL;
}

static int read_can_lock_shared(void)
{
	pthread_t t;
	int ok = 0;

	pthread_create(&t, NULL, try_reader, &ok);
	pthread_join(t, NULL);
	return ok;
}

int main(void)
{
	atomic_t v;
	unsigned long flags;

	atomic_set(&v, 5);	/* v = 5 (atomically) */
	atomic_add(3, &v);	/* v = v + 3 (atomically) */
	atomic_dec(&v);		/* v = v - 1 (atomically) */
	printf("This will print 7: %d\n", atomic_read(&v));
	if (atomic_read(&v) != 7)
		return 1;

	set_bit(0, &word);	/* atomically set bit zero */
	if (!test_bit(0, &word) || test_and_set_bit(0, &word) != 1)
		return 1;

	spin_lock_irqsave(&mr_lock, flags);
	/* critical section: interrupts off locally, the lock held on SMP */
	if (!irqs_disabled())
		return 1;
	if (IS_ENABLED(CONFIG_SMP) && !spin_is_locked(&mr_lock))
		return 1;	/* without SMP a spinlock has no state to test */
	spin_unlock_irqrestore(&mr_lock, flags);

	spin_lock_irq(&mr_lock);	/* only when interrupts are known enabled */
	spin_unlock_irq(&mr_lock);

	spin_lock_bh(&mr_lock);		/* shared with a softirq */
	if (!in_softirq())
		return 1;
	spin_unlock_bh(&mr_lock);

	read_lock(&mr_rwlock);		/* readers may share the lock */
	/* critical section (read only) ... */
	if (IS_ENABLED(CONFIG_SMP) && !read_can_lock_shared())
		return 1;
	read_unlock(&mr_rwlock);
	write_lock(&mr_rwlock);		/* a writer excludes everyone */
	/* critical section (read and write) ... */
	if (IS_ENABLED(CONFIG_SMP) && read_can_lock_shared())
		return 1;
	write_unlock(&mr_rwlock);

	pr_info("locking techniques: ok (irqs %s, preempt_count %d)\n",
		irqs_disabled() ? "off" : "on", preempt_count());
	return irqs_disabled() || preempt_count() ? 1 : 0;
}
