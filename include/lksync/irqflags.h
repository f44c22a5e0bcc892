/* SPDX-License-Identifier: MIT */
/*
 * Layer: sched. Local interrupt masking, as linux/irqflags.h.
 *
 * Masking is a per-task flag, not a system call: an interrupt (a signal
 * targeted at this task by the context layer) that arrives while the flag is
 * set is recorded as pending and replayed when interrupts are enabled again.
 * The flags word of local_irq_save() is the previous state: nonzero = masked.
 */
#ifndef LKSYNC_IRQFLAGS_H
#define LKSYNC_IRQFLAGS_H

#include <lksync/preempt.h>

/* Out of line: runs whatever arrived while interrupts were masked. */
LKSYNC_API void lksync_irq_enable_slow(void);

static __always_inline unsigned long arch_local_save_flags(void)
{
	return READ_ONCE(lksync_tls.irqs_off);
}

static __always_inline void lksync_irq_set_enabled(void)
{
	barrier();
	WRITE_ONCE(lksync_tls.irqs_off, 0);
	barrier();
	if (unlikely(READ_ONCE(lksync_tls.pending)))
		lksync_irq_enable_slow();
}

/* local_irq_disable - mask interrupts on this task. Context: any. */
#define local_irq_disable() do {						\
	WRITE_ONCE(lksync_tls.irqs_off, 1);					\
	barrier();								\
} while (0)

/* local_irq_enable - unmask interrupts and run any that arrived meanwhile. Context: any. */
#define local_irq_enable()	lksync_irq_set_enabled()

/* local_irq_save - mask interrupts, saving the previous state in @flags. Context: any. */
#define local_irq_save(flags) do {						\
	(flags) = arch_local_save_flags();					\
	local_irq_disable();							\
} while (0)

/* local_irq_restore - restore the state saved by local_irq_save(). Context: any. */
#define local_irq_restore(flags) do {						\
	if ((flags))								\
		local_irq_disable();						\
	else									\
		lksync_irq_set_enabled();					\
} while (0)

/* local_save_flags - read the current interrupt state into @flags. */
#define local_save_flags(flags)	((flags) = arch_local_save_flags())
/* irqs_disabled_flags - would @flags mean interrupts are disabled? */
#define irqs_disabled_flags(flags)	((flags) != 0)
/* irqs_disabled - are local interrupts disabled? Context: any. */
#define irqs_disabled()		(arch_local_save_flags() != 0)

#define raw_local_irq_disable()		local_irq_disable()
#define raw_local_irq_enable()		local_irq_enable()
#define raw_local_irq_save(flags)	local_irq_save(flags)
#define raw_local_irq_restore(flags)	local_irq_restore(flags)
#define raw_local_save_flags(flags)	local_save_flags(flags)
#define raw_irqs_disabled()		irqs_disabled()

#endif /* LKSYNC_IRQFLAGS_H */
