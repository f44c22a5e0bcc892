/* SPDX-License-Identifier: MIT */
/* Layer: arch. cpu_relax(): the spin-wait hint (x86 PAUSE, arm64 YIELD). */
#ifndef LKSYNC_PROCESSOR_H
#define LKSYNC_PROCESSOR_H

#include <lksync/compiler.h>

/**
 * cpu_relax - tell the processor this is a spin-wait loop
 *
 * Also a compiler barrier, so a loop around it re-reads memory.
 * Context: any.
 */
static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("pause" ::: "memory");
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	barrier();
#endif
}

#endif /* LKSYNC_PROCESSOR_H */
