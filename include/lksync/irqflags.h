/* SPDX-License-Identifier: MIT */
/*
 * Layer: sched. Local interrupt masking, as linux/irqflags.h.
 *
 * Masking is a per-task flag, not a system call: an interrupt (a signal
 * targeted at this task by the context layer) that arrives while the flag is
 * set is recorded as pending and replayed when interrupts are enabled again.
 * The flags word of local_irq_save() is the previous state: nonzero = masked;
 * like the kernel, the macros insist on an unsigned long (a compile-time
 * check). With LKSYNC_DEBUG, local_irq_restore() while interrupts are enabled
 * is reported as the kernel's DEBUG_IRQFLAGS does.
 */
#ifndef LKSYNC_IRQFLAGS_H
#define LKSYNC_IRQFLAGS_H

#include <lksync/cleanup.h>
#include <lksync/preempt.h>
#ifdef LKSYNC_DEBUG
#include <lksync/bug.h>
#endif

/* Compile-time check that @x is an unsigned long, as the kernel's typecheck(). */
#define __lksync_irqflags_check(x) do {						\
	unsigned long __ifc_dummy;						\
	__typeof__(x) __ifc_dummy2;						\
	(void)(&__ifc_dummy == &__ifc_dummy2);					\
} while (0)

/* Out of line: runs whatever arrived while interrupts were masked. */
LKSYNC_API void lksync_irq_enable_slow(void);

static __always_inline unsigned long arch_local_save_flags(void)
{
	return READ_ONCE(lksync_tls.irqs_off);
}

#ifdef LKSYNC_DEBUG
/* lockdep (src/debug/lockdep.c): the locks held now are held with interrupts on. */
LKSYNC_API void lksync_lockdep_hardirqs_on(unsigned long ip);
#endif

static __always_inline void lksync_irq_set_enabled(void)
{
#ifdef LKSYNC_DEBUG
	/*
	 * The kernel's trace_hardirqs_on(): lockdep marks every held lock
	 * HARDIRQ-ON, so a lock later taken in a handler is caught against a
	 * holder that enabled interrupts after taking it.
	 */
	if (READ_ONCE(lksync_tls.irqs_off) && !in_hardirq()) {
		__lksync_irq_event(hardirq_enable, (unsigned long)__builtin_return_address(0));
		lksync_lockdep_hardirqs_on((unsigned long)__builtin_return_address(0));
	}
#endif
	barrier();
	WRITE_ONCE(lksync_tls.irqs_off, 0);
	barrier();
	if (unlikely(READ_ONCE(lksync_tls.pending)))
		lksync_irq_enable_slow();
}

/**
 * local_irq_disable - mask interrupts on this task (not nesting: a flag).
 * Context: any.
 */
#ifdef LKSYNC_DEBUG
/* TRACE_IRQFLAGS: the kernel's trace_hardirqs_off(), an event when they go off. */
static __always_inline void lksync_irq_trace_off(void)
{
	if (!READ_ONCE(lksync_tls.irqs_off) && !in_hardirq())
		__lksync_irq_event(hardirq_disable, (unsigned long)__builtin_return_address(0));
}
#else
#define lksync_irq_trace_off()	do { } while (0)
#endif

#define local_irq_disable() do {						\
	lksync_irq_trace_off();							\
	WRITE_ONCE(lksync_tls.irqs_off, 1);					\
	barrier();								\
} while (0)

/**
 * local_irq_enable - unmask interrupts and run any that arrived meanwhile.
 * Context: any.
 */
#define local_irq_enable()	lksync_irq_set_enabled()

/**
 * local_irq_save - mask interrupts, saving the previous state in @flags
 * (an unsigned long). Nests: each save pairs with its restore.
 * Context: any.
 */
#define local_irq_save(flags) do {						\
	__lksync_irqflags_check(flags);						\
	(flags) = arch_local_save_flags();					\
	local_irq_disable();							\
} while (0)

#ifdef LKSYNC_DEBUG
#define __lksync_irq_restore_check()						\
	WARN_ONCE(!arch_local_save_flags(),					\
		  "raw_local_irq_restore() called with IRQs enabled\n")
#else
#define __lksync_irq_restore_check()	do { } while (0)
#endif

/**
 * local_irq_restore - restore the state saved by local_irq_save(): a
 * disabled state stays disabled; an enabled one enables and runs whatever
 * arrived while masked.
 * Context: any; interrupts disabled (by the matching save).
 */
#define local_irq_restore(flags) do {						\
	__lksync_irqflags_check(flags);						\
	__lksync_irq_restore_check();						\
	if ((flags))								\
		local_irq_disable();						\
	else									\
		lksync_irq_set_enabled();					\
} while (0)

/* local_save_flags - read the current interrupt state into @flags. Context: any. */
#define local_save_flags(flags) do {						\
	__lksync_irqflags_check(flags);						\
	(flags) = arch_local_save_flags();					\
} while (0)
/* irqs_disabled_flags - do @flags mean disabled? Return: nonzero if so. */
#define irqs_disabled_flags(flags)	((flags) != 0)
#define arch_irqs_disabled_flags(flags)	irqs_disabled_flags(flags)
#define arch_irqs_disabled()		irqs_disabled()
/* irqs_disabled - are local interrupts disabled? Context: any. Return: nonzero if so. */
#define irqs_disabled()		(arch_local_save_flags() != 0)

#define raw_local_irq_disable()		local_irq_disable()
#define raw_local_irq_enable()		local_irq_enable()
#define raw_local_irq_save(flags)	local_irq_save(flags)
#define raw_local_irq_restore(flags)	local_irq_restore(flags)
#define raw_local_save_flags(flags)	local_save_flags(flags)
#define raw_irqs_disabled()		irqs_disabled()

/* Scoped guards: guard(irq)(), guard(irqsave)(). */
DEFINE_LOCK_GUARD_0(irq, local_irq_disable(), local_irq_enable())
DEFINE_LOCK_GUARD_0(irqsave, local_irq_save(_T->flags), local_irq_restore(_T->flags),
		    unsigned long flags)

#endif /* LKSYNC_IRQFLAGS_H */
