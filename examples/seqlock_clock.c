// SPDX-License-Identifier: MIT
/*
 * The seeds' xtime_lock pattern: a 64-bit tick count and the time it stands
 * for are updated together under write_seqlock_irqsave() by a "timer" thread,
 * and read locklessly with read_seqbegin()/read_seqretry() by many readers,
 * who retry instead of ever seeing a half-written pair. (The real jiffies
 * tick arrives with the interrupt layer; this clock ticks by itself.)
 */
#include <linux/seqlock.h>
#include <linux/atomic.h>
#include <linux/types.h>
#include <linux/printk.h>
#include <pthread.h>

#define READERS	6
#define TICKS	200000

static DEFINE_SEQLOCK(clock_lock);
static u64 ticks;		/* written under clock_lock */
static u64 nsec;		/* always ticks * 1000000 */
static atomic_t done = ATOMIC_INIT(0);
static atomic_long_t torn = ATOMIC_LONG_INIT(0), reads = ATOMIC_LONG_INIT(0);

static u64 get_ticks(u64 *ns)
{
	unsigned int seq;
	u64 t;

	do {
		seq = read_seqbegin(&clock_lock);
		t = READ_ONCE(ticks);
		*ns = READ_ONCE(nsec);
	} while (read_seqretry(&clock_lock, seq));
	return t;
}

static void *timer(void *arg)
{
	for (u64 i = 1; i <= TICKS; i++) {
		unsigned long flags;

		write_seqlock_irqsave(&clock_lock, flags);
		WRITE_ONCE(ticks, i);
		WRITE_ONCE(nsec, i * 1000000);
		write_sequnlock_irqrestore(&clock_lock, flags);
	}
	atomic_set(&done, 1);
	return NULL;
}

static void *reader(void *arg)
{
	while (!atomic_read(&done)) {
		u64 ns, t = get_ticks(&ns);

		if (ns != t * 1000000)
			atomic_long_inc(&torn);
		atomic_long_inc(&reads);
	}
	return NULL;
}

int main(void)
{
	pthread_t w, r[READERS];
	u64 ns;

	for (int i = 0; i < READERS; i++)
		pthread_create(&r[i], NULL, reader, NULL);
	pthread_create(&w, NULL, timer, NULL);
	pthread_join(w, NULL);
	for (int i = 0; i < READERS; i++)
		pthread_join(r[i], NULL);
	pr_info("%ld consistent reads, %ld torn, clock at %llu ticks\n",
		atomic_long_read(&reads), atomic_long_read(&torn), get_ticks(&ns));
	return atomic_long_read(&torn) == 0 && get_ticks(&ns) == TICKS ? 0 : 1;
}
