// SPDX-License-Identifier: MIT
/*
 * Mistake: a lock shared with an interrupt handler, taken in process
 * context without disabling interrupts. If the interrupt arrives on this
 * CPU while the process holds the lock, the handler spins on a lock its own
 * CPU holds and will never release: a deadlock. It needs only bad timing,
 * so tests rarely hit it; the validator does not wait for the timing.
 *
 * The handler takes rx_lock (lockdep records: rx_lock is used in hardirq
 * context); later the process takes it with plain spin_lock(), interrupts
 * enabled. The debug flavor reports the first such acquisition, while
 * nothing is stuck yet: "WARNING: inconsistent lock state",
 * {IN-HARDIRQ-W} -> {HARDIRQ-ON-W}. The interrupt is raised only while the
 * lock is free, so this program never deadlocks in either flavor. The fix
 * is spin_lock_irqsave() (or spin_lock_irq()) in process context.
 */
#include <linux/interrupt.h>
#include <linux/spinlock.h>
#include <lksync/bug.h>
#include <lksync/irq.h>
#include <stdio.h>
#include <string.h>

#define RX_IRQ	40

static DEFINE_SPINLOCK(rx_lock);
static unsigned int rx_count;
static int rx_dev;

static irqreturn_t rx_interrupt(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	spin_lock(&rx_lock);		/* right: handlers run with irqs off */
	rx_count++;
	spin_unlock(&rx_lock);
	return IRQ_HANDLED;
}

static unsigned int rx_read_count(void)
{
	unsigned int n;

	spin_lock(&rx_lock);		/* BUG: should be spin_lock_irqsave() */
	n = rx_count;
	spin_unlock(&rx_lock);
	return n;
}

static char report[8192];
static int reports;

static void capture(const char *text, void *arg)
{
	(void)arg;
	if (!reports++)
		snprintf(report, sizeof(report), "%s", text);
}

int main(void)
{
	unsigned int n;

	if (request_irq(RX_IRQ, rx_interrupt, 0, "rx", &rx_dev)) {
		fprintf(stderr, "request_irq failed\n");
		return 1;
	}
	lksync_set_report_sink(capture, NULL);
	lksync_irq_raise(RX_IRQ);	/* runs the handler on this task, now */
	n = rx_read_count();
	lksync_set_report_sink(NULL, NULL);
	free_irq(RX_IRQ, &rx_dev);
	if (n != 1) {
		fprintf(stderr, "debug_irq_unsafe: %u interrupts counted, expected 1\n", n);
		return 1;
	}
#ifdef LKSYNC_DEBUG
	if (!strstr(report, "inconsistent lock state")) {
		fprintf(stderr, "debug_irq_unsafe: the irq-unsafe acquisition was not reported%s%s",
			reports ? "; the first report was:\n" : "\n", report);
		return 1;
	}
	printf("debug_irq_unsafe: reported, as expected:\n%s", report);
#else
	printf("debug_irq_unsafe: release flavor, nothing checked (%u interrupt)\n", n);
#endif
	return 0;
}
