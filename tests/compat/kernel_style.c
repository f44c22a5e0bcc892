// SPDX-License-Identifier: MIT
/*
 * A kernel-style "module", written as it would be for the kernel, plus a
 * main() that loads it, runs its work from several threads and unloads it.
 * tests/install.cmake compiles it against the installed package with
 * `pkg-config --cflags --libs lksync-kernel` and runs it.
 */
#define pr_fmt(fmt) "kstyle: " fmt

#include <linux/module.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/spinlock.h>
#include <linux/seqlock.h>
#include <linux/atomic.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/bitops.h>
#include <linux/bitmap.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/cache.h>
#include <asm/barrier.h>

#define KSTYLE_SLOTS 128

struct kstyle_obj {
	refcount_t ref;
	unsigned long hits;
};

static DEFINE_SPINLOCK(kstyle_lock);
static unsigned long kstyle_hits __cacheline_aligned_in_smp;	/* under kstyle_lock */
static DEFINE_SEQLOCK(kstyle_seq);
static u64 kstyle_a, kstyle_b;					/* a == b outside writers */
static atomic_t kstyle_ops = ATOMIC_INIT(0);
static DECLARE_BITMAP(kstyle_seen, KSTYLE_SLOTS);
static DEFINE_PER_CPU(unsigned long, kstyle_pcpu);
static struct kstyle_obj *kstyle_obj;
static int kstyle_ready __read_mostly;

static void kstyle_obj_put(struct kstyle_obj *obj)
{
	if (refcount_dec_and_test(&obj->ref))
		kfree(obj);
}

/* One unit of work from any thread: exercises each primitive once. */
static int kstyle_work(unsigned int slot)
{
	unsigned long flags;
	unsigned int seq;
	u64 a, b;

	if (!smp_load_acquire(&kstyle_ready))
		return -EAGAIN;

	spin_lock_irqsave(&kstyle_lock, flags);
	WARN_ON(!irqs_disabled());
	kstyle_hits++;
	spin_unlock_irqrestore(&kstyle_lock, flags);

	write_seqlock(&kstyle_seq);
	kstyle_a++;
	kstyle_b++;
	write_sequnlock(&kstyle_seq);

	do {
		seq = read_seqbegin(&kstyle_seq);
		a = kstyle_a;
		b = kstyle_b;
	} while (read_seqretry(&kstyle_seq, seq));
	if (a != b)
		return -EIO;

	this_cpu_inc(kstyle_pcpu);
	atomic_inc(&kstyle_ops);
	set_bit(slot % KSTYLE_SLOTS, kstyle_seen);
	return 0;
}

static int __init kstyle_init(void)
{
	kstyle_obj = kzalloc(sizeof(*kstyle_obj), GFP_KERNEL);
	if (!kstyle_obj)
		return -ENOMEM;
	refcount_set(&kstyle_obj->ref, 1);
	smp_store_release(&kstyle_ready, 1);
	pr_info("loaded by pid %d (%s)\n", current->pid, current->comm);
	return 0;
}

static void __exit kstyle_exit(void)
{
	kstyle_obj_put(kstyle_obj);
	pr_info("unloaded\n");
}

module_init(kstyle_init);
module_exit(kstyle_exit);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_AUTHOR("lksync");
MODULE_DESCRIPTION("kernel-style code compiled unmodified against lksync");
EXPORT_SYMBOL_GPL(kstyle_work);

/* ---- the userspace harness ---- */
#include <pthread.h>
#include <stdio.h>

/* Without CONFIG_SMP spinlocks exclude no threads (bookkeeping only): one worker. */
#define THREADS (IS_ENABLED(CONFIG_SMP) ? 6 : 1)
#define ITERS 20000

static void *worker(void *arg)
{
	unsigned int slot = (unsigned int)(unsigned long)arg;

	for (int i = 0; i < ITERS; i++)
		if (kstyle_work(slot + (unsigned int)i * THREADS) != 0)
			return (void *)1;
	return NULL;
}

int main(void)
{
	pthread_t t[6];
	unsigned long pcpu = 0;
	int cpu, bad = 0;

	if (kstyle_init())
		return 1;
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < THREADS; i++) {
		void *ret;

		pthread_join(t[i], &ret);
		bad |= ret != NULL;
	}
	for_each_possible_cpu(cpu)
		pcpu += per_cpu(kstyle_pcpu, cpu);
	if (bad || kstyle_hits != THREADS * ITERS || atomic_read(&kstyle_ops) != THREADS * ITERS ||
	    kstyle_a != THREADS * ITERS || pcpu != THREADS * ITERS ||
	    bitmap_weight(kstyle_seen, KSTYLE_SLOTS) != KSTYLE_SLOTS) {
		printk(KERN_ERR "kstyle: FAILED hits=%lu ops=%d a=%llu pcpu=%lu\n", kstyle_hits,
		       atomic_read(&kstyle_ops), (unsigned long long)kstyle_a, pcpu);
		return 1;
	}
	kstyle_exit();
	printf("kernel_style: OK\n");
	return 0;
}
