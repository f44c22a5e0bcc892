// SPDX-License-Identifier: MIT
/*
 * The driver pattern from the seeds, runnable: a device raises an interrupt
 * when it has data; the interrupt handler moves the data from the device
 * into an interrupt buffer under a spinlock; a tasklet (the bottom half)
 * does the slower bookkeeping and completes a completion; a reader in
 * process context sleeps on that completion, copies the buffer out under
 * spin_lock_irq() and only then does the work that may sleep ("copy to
 * user"). Every lock choice is explained in examples/README.md.
 *
 * The "device" is a kernel thread that writes samples (sequence numbers)
 * into a small hardware FIFO and raises line DEV_IRQ. The line is requested
 * by main(), so it is delivered to main's task: the handler really
 * interrupts the reader, wherever it is, even inside its own critical
 * section, which is what spin_lock_irq() is there for. At the end every
 * sample must have arrived exactly once and in order.
 *
 * needs: SMP (the device thread and the reader share spinlocks)
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <lksync/irq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEV_IRQ		42
#define NR_SAMPLES	20000
#define HW_FIFO		16		/* the device's own small FIFO */
#define IRQ_BUF		256		/* the driver's interrupt buffer */

/* --- the "hardware": one producer (the device), one consumer (the ISR) --- */
static unsigned int hw_fifo[HW_FIFO];
static unsigned int hw_head, hw_tail;	/* device writes head, ISR writes tail */
static atomic_t hw_overruns = ATOMIC_INIT(0);

static int device_thread(void *unused)
{
	unsigned int seq = 0;

	while (seq < NR_SAMPLES && !kthread_should_stop()) {
		unsigned int head = hw_head;

		/*
		 * A full FIFO: the device stalls, keeping its line asserted
		 * (level-triggered) until the driver has made room.
		 */
		if (head - smp_load_acquire(&hw_tail) == HW_FIFO) {
			atomic_inc(&hw_overruns);
			udelay(20);
			lksync_irq_raise(DEV_IRQ);
			continue;
		}
		hw_fifo[head % HW_FIFO] = seq++;
		smp_store_release(&hw_head, head + 1);	/* the sample, then the index */
		lksync_irq_raise(DEV_IRQ);		/* assert the line */
		if (seq % 64 == 0)
			udelay(50);			/* bursts of data */
	}
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

/* --- the driver --- */
static DEFINE_SPINLOCK(buf_lock);	/* ISR <-> reader: the interrupt buffer */
static unsigned int irq_buf[IRQ_BUF];
static unsigned int buf_len;

static DEFINE_SPINLOCK(stats_lock);	/* tasklet <-> reader: statistics */
static unsigned long stats_irqs, stats_bh_runs;

static DECLARE_COMPLETION(data_ready);	/* tasklet -> reader */
static atomic_t irqs_seen = ATOMIC_INIT(0);

static void rx_tasklet_fn(struct tasklet_struct *t);
static DECLARE_TASKLET(rx_tasklet, rx_tasklet_fn);

/* Hard interrupt handler: interrupts are off here, so a plain spin_lock(). */
static irqreturn_t dev_isr(int irq, void *dev_id)
{
	unsigned int head = smp_load_acquire(&hw_head);
	unsigned int tail = hw_tail;

	if (head == tail)
		return IRQ_NONE;		/* not ours: coalesced, already drained */
	/* Take what fits; the rest stays in the device, which stalls (flow control). */
	spin_lock(&buf_lock);
	for (; tail != head && buf_len < IRQ_BUF; tail++)
		irq_buf[buf_len++] = hw_fifo[tail % HW_FIFO];
	spin_unlock(&buf_lock);
	smp_store_release(&hw_tail, tail);	/* the device may reuse the slots */
	atomic_inc(&irqs_seen);
	tasklet_schedule(&rx_tasklet);		/* the rest in the bottom half */
	return IRQ_HANDLED;
}

/*
 * Bottom half: softirq context, interrupts enabled. stats_lock is shared
 * only with process context, which takes it with spin_lock_bh(), so a plain
 * spin_lock() suffices here (tasklets never run concurrently with themselves,
 * but the reader may hold the lock on another CPU).
 */
static void rx_tasklet_fn(struct tasklet_struct *t)
{
	spin_lock(&stats_lock);
	stats_irqs = atomic_read(&irqs_seen);
	stats_bh_runs++;
	spin_unlock(&stats_lock);
	complete(&data_ready);			/* wake the reader */
}

/*
 * read(): process context. Copy out under spin_lock_irq() (the ISR takes
 * buf_lock; without disabling interrupts it could interrupt us while we
 * hold it, on our own task, and spin forever), then do the slow part with
 * no spinlock held.
 */
static long dev_read(unsigned int *user, size_t max)
{
	unsigned int local[IRQ_BUF];
	size_t n;
	long ret;

	ret = wait_for_completion_interruptible_timeout(&data_ready, msecs_to_jiffies(2000));
	if (ret <= 0)
		return ret ? ret : -ETIMEDOUT;
	spin_lock_irq(&buf_lock);
	n = buf_len < max ? buf_len : max;
	memcpy(local, irq_buf, n * sizeof(local[0]));
	memmove(irq_buf, irq_buf + n, (buf_len - n) * sizeof(irq_buf[0]));
	buf_len -= n;
	spin_unlock_irq(&buf_lock);

	memcpy(user, local, n * sizeof(local[0]));	/* "copy_to_user": may sleep */
	return (long)n;
}

int main(void)
{
	static unsigned int got[NR_SAMPLES];
	struct task_struct *dev;
	unsigned long irqs, bh_runs;
	unsigned int expect = 0;
	size_t total = 0;
	int ret;

	ret = request_irq(DEV_IRQ, dev_isr, 0, "sampler", &hw_fifo);
	if (ret) {
		pr_err("request_irq: %d\n", ret);
		return 1;
	}
	dev = kthread_run(device_thread, NULL, "device");
	if (IS_ERR(dev))
		return 1;

	while (total < NR_SAMPLES) {
		long n = dev_read(got + total, NR_SAMPLES - total);

		if (n < 0) {
			pr_err("read: %ld after %zu samples\n", n, total);
			break;
		}
		total += (size_t)n;
		if (total % 4096 < (size_t)n)
			usleep_range(100, 200);	/* a slow consumer now and then */
	}
	kthread_stop(dev);
	free_irq(DEV_IRQ, &hw_fifo);

	spin_lock_bh(&stats_lock);
	irqs = stats_irqs;
	bh_runs = stats_bh_runs;
	spin_unlock_bh(&stats_lock);

	for (size_t i = 0; i < total; i++)
		if (got[i] != expect++) {
			pr_err("sample %zu: got %u, expected %u\n", i, got[i], expect - 1);
			return 1;
		}
	printf("irq_driver: %zu samples in order, %lu interrupts handled, %lu bottom-half runs,"
	       " device stalled %d times on a full FIFO\n",
	       total, irqs, bh_runs, atomic_read(&hw_overruns));
	return total == NR_SAMPLES ? 0 : 1;
}
