// SPDX-License-Identifier: MIT
/* local_irq_* save/restore nesting and the flags word. */
#include <lksync/irqflags.h>
#include "lksync_test.h"

TEST(disable_enable)
{
	CHECK(!irqs_disabled());
	local_irq_disable();
	CHECK(irqs_disabled());
	CHECK(!preemptible());
	CHECK_EQ(preempt_count(), 0);	/* masking is not counted in preempt_count */
	local_irq_disable();		/* not nesting: a flag */
	local_irq_enable();
	CHECK(!irqs_disabled());
	CHECK(preemptible());
	raw_local_irq_disable();
	CHECK(raw_irqs_disabled());
	CHECK(arch_irqs_disabled());
	raw_local_irq_enable();
	CHECK(!irqs_disabled());
}

TEST(save_restore_nesting)
{
	unsigned long f1, f2, f3, now;

	local_irq_save(f1);
	CHECK(!irqs_disabled_flags(f1));
	CHECK(irqs_disabled());
	local_irq_save(f2);
	CHECK(irqs_disabled_flags(f2));
	local_irq_save(f3);
	CHECK(irqs_disabled_flags(f3));
	local_irq_restore(f3);
	CHECK(irqs_disabled());		/* restoring a disabled state keeps it disabled */
	local_irq_restore(f2);
	CHECK(irqs_disabled());
	local_save_flags(now);
	CHECK(irqs_disabled_flags(now));
	CHECK(arch_irqs_disabled_flags(now));
	local_irq_restore(f1);
	CHECK(!irqs_disabled());
	local_save_flags(now);
	CHECK(!irqs_disabled_flags(now));
	raw_local_irq_save(f1);
	CHECK(irqs_disabled());
	raw_local_save_flags(now);
	CHECK(irqs_disabled_flags(now));
	raw_local_irq_restore(f1);
	CHECK(!irqs_disabled());
}

TEST(save_inside_disable)
{
	unsigned long flags;

	local_irq_disable();
	local_irq_save(flags);
	CHECK(irqs_disabled_flags(flags));
	local_irq_restore(flags);
	CHECK(irqs_disabled());
	local_irq_enable();
	CHECK(!irqs_disabled());
}

static void worker(int idx, void *arg)
{
	unsigned long flags;

	/* Masking is per task: the main thread's masked state is not ours. */
	CHECK(!irqs_disabled());
	for (int i = 0; i < 1000; i++) {
		local_irq_save(flags);
		CHECK(irqs_disabled());
		local_irq_restore(flags);
		CHECK(!irqs_disabled());
	}
}

TEST(per_task)
{
	unsigned long flags;

	local_irq_save(flags);
	test_threads(6, worker, NULL);
	CHECK(irqs_disabled());
	local_irq_restore(flags);
}

int main(void)
{
	test_watchdog(60);
	RUN(disable_enable);
	RUN(save_restore_nesting);
	RUN(save_inside_disable);
	RUN(per_task);
	return test_done();
}
