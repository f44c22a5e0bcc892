/* SPDX-License-Identifier: MIT */
/*
 * Layer: sched. Per-CPU data, as linux/percpu.h and linux/percpu-defs.h.
 * Includes smp.h (and through it preempt.h, cpumask.h).
 *
 * Representation. As in the kernel, a per-CPU ("__percpu") pointer is not
 * the address of any CPU's copy; per_cpu_ptr(p, cpu) turns it into one. One
 * region of virtual memory is reserved at first use (PROT_NONE, committed as
 * the allocator grows): a guard unit followed by one unit per possible CPU,
 * all UNIT bytes apart (UNIT a power of two, 256 MiB where address space
 * allows). alloc_percpu() returns an address inside the guard unit, so
 *
 *	per_cpu_ptr(p, cpu) == p + (cpu + 1) * UNIT
 *
 * and dereferencing a per-CPU pointer directly faults, as it would in the
 * kernel. Copies of different CPUs are UNIT apart and never share a cache
 * line. DEFINE_PER_CPU() places the variable in the ELF section
 * "lksync_percpu" of the defining program or library; that section is only a
 * template: the first use (or a constructor at load) copies it once into
 * every CPU's unit, and &var is translated to its guard-unit address (inline
 * for variables of the calling object, a short table search for variables of
 * another shared object). Initializers (DEFINE_PER_CPU(int, x) = 3;) give
 * every CPU's copy that value. A program's per-CPU variables stay allocated
 * until exit; objects that define them must not be dlclose()d. Per-CPU
 * variables are not exported across shared objects by copy relocation: use
 * them from the object that defines them, or through a pointer.
 *
 * Migration. Threads migrate at any time and preempt_disable() does not stop
 * the OS. Therefore:
 *  - this_cpu_add/sub/inc/dec/and/or/xchg/cmpxchg/try_cmpxchg, the _return
 *    forms, and their __this_cpu_ and raw_cpu_ forms, are each one relaxed atomic
 *    operation on the copy of whichever CPU the thread is on: sums over all
 *    CPUs stay exact, whatever migrates.
 *  - this_cpu_read/write are single READ_ONCE/WRITE_ONCE accesses.
 *  - A bare preempt_disable() section does NOT make plain accesses through
 *    this_cpu_ptr() exclusive: another thread on the same CPU may touch the
 *    same copy meanwhile. For a read-modify-write of a CPU's data use a
 *    this_cpu_*() operation, or get_cpu_var()/get_cpu_ptr()/get_cpu(), which
 *    claim the CPU (see <lksync/smp.h>) so the copy is exclusively this
 *    thread's until put_cpu_var()/put_cpu_ptr()/put_cpu().
 * Spinlocks claim nothing: their fast path stays a TLS increment.
 */
#ifndef LKSYNC_PERCPU_H
#define LKSYNC_PERCPU_H

#include <stddef.h>
#include <stdint.h>
#include <lksync/smp.h>

#ifndef __percpu
#define __percpu
#endif

/* Where the per-CPU region lies; set once. Not for direct use. */
struct lksync_pcpu_layout {
	uintptr_t base;			/* guard unit; 0 until set up */
	unsigned long unit_shift;	/* log2(UNIT) */
};
extern LKSYNC_API struct lksync_pcpu_layout lksync_pcpu_layout;

/*
 * Out of line: the guard-unit address of per-CPU variable @addr. @start and
 * @stop bound the calling object's "lksync_percpu" section, registered on
 * first use; @delta caches that object's translation.
 */
LKSYNC_API uintptr_t lksync_pcpu_static_slow(uintptr_t addr, char *start, char *stop,
					     uintptr_t *delta);
/* Out of line: registers the calling object's per-CPU section at load. */
LKSYNC_API void lksync_pcpu_register(char *start, char *stop, uintptr_t *delta);

/*
 * This object's template section and its translation (one per object). The
 * library itself defines no per-CPU variables (it keeps the linker's
 * __start_/__stop_ symbols out of its dynamic symbol table), so inside it
 * every translation of a static address takes the out-of-line path.
 */
#ifdef LKSYNC_BUILDING
#define __LKSYNC_PCPU_START	((char *)0)
#define __LKSYNC_PCPU_STOP	((char *)0)
static uintptr_t lksync_pcpu_delta __maybe_unused;
#else
#define __LKSYNC_PCPU_START	__start_lksync_percpu
#define __LKSYNC_PCPU_STOP	__stop_lksync_percpu
extern char __start_lksync_percpu[] __attribute__((visibility("hidden")));
extern char __stop_lksync_percpu[] __attribute__((visibility("hidden")));
__attribute__((weak, visibility("hidden"), section("lksync_percpu")))
char lksync_pcpu_anchor;	/* so the section exists in every object */
__attribute__((weak, visibility("hidden")))
uintptr_t lksync_pcpu_delta;
__attribute__((weak, visibility("hidden"), constructor(102)))
void lksync_pcpu_ctor(void)
{
	if ((size_t)(__stop_lksync_percpu - __start_lksync_percpu) > sizeof(lksync_pcpu_anchor))
		lksync_pcpu_register(__start_lksync_percpu, __stop_lksync_percpu,
				     &lksync_pcpu_delta);
}
#endif

/* The guard-unit address of per-CPU pointer @ptr. */
static __always_inline uintptr_t lksync_pcpu_key(const void *ptr)
{
	uintptr_t a = (uintptr_t)ptr, d;
	/* Relaxed: set once, before any per-CPU pointer exists to be translated. */
	uintptr_t base = __atomic_load_n(&lksync_pcpu_layout.base, __ATOMIC_RELAXED);
	unsigned long shift = __atomic_load_n(&lksync_pcpu_layout.unit_shift, __ATOMIC_RELAXED);

	if (likely(a - base < (1UL << shift)))
		return a;
	if (likely(a - (uintptr_t)__LKSYNC_PCPU_START <
		   (uintptr_t)(__LKSYNC_PCPU_STOP - __LKSYNC_PCPU_START))) {
		/* Acquire: pairs with the release after the copies were made. */
		d = __atomic_load_n(&lksync_pcpu_delta, __ATOMIC_ACQUIRE);
		if (likely(d))
			return a + d;
	}
	return lksync_pcpu_static_slow(a, __LKSYNC_PCPU_START, __LKSYNC_PCPU_STOP,
				       &lksync_pcpu_delta);
}

static __always_inline void *lksync_per_cpu_ptr(const void *ptr, unsigned int cpu)
{
	uintptr_t key = lksync_pcpu_key(ptr);
	/* Relaxed: set up before lksync_pcpu_key() could return. */
	unsigned long shift = __atomic_load_n(&lksync_pcpu_layout.unit_shift, __ATOMIC_RELAXED);

	return (void *)(key + ((uintptr_t)(cpu + 1) << shift));
}

/* --- Definitions --- */

#define __LKSYNC_PCPU_SECTION	__attribute__((section("lksync_percpu")))

/**
 * DEFINE_PER_CPU - define a per-CPU variable @name of @type; may be preceded
 * by static and followed by an initializer, which every CPU's copy gets.
 */
#define DEFINE_PER_CPU(type, name)	__LKSYNC_PCPU_SECTION __typeof__(type) name
/* DECLARE_PER_CPU - declare a per-CPU variable defined elsewhere. */
#define DECLARE_PER_CPU(type, name)	extern __typeof__(type) name
#define DEFINE_PER_CPU_SECTION(type, name, sec)	DEFINE_PER_CPU(type, name)
#define DECLARE_PER_CPU_SECTION(type, name, sec) DECLARE_PER_CPU(type, name)
/* DEFINE_PER_CPU_ALIGNED / _SHARED_ALIGNED - each copy on its own cache line(s). */
#define DEFINE_PER_CPU_ALIGNED(type, name)					\
	__LKSYNC_PCPU_SECTION __attribute__((aligned(64))) __typeof__(type) name
#define DECLARE_PER_CPU_ALIGNED(type, name)	DECLARE_PER_CPU(type, name)
#define DEFINE_PER_CPU_SHARED_ALIGNED(type, name) DEFINE_PER_CPU_ALIGNED(type, name)
#define DECLARE_PER_CPU_SHARED_ALIGNED(type, name) DECLARE_PER_CPU(type, name)
/* DEFINE_PER_CPU_PAGE_ALIGNED - each copy page aligned. */
#define DEFINE_PER_CPU_PAGE_ALIGNED(type, name)					\
	__LKSYNC_PCPU_SECTION __attribute__((aligned(4096))) __typeof__(type) name
#define DECLARE_PER_CPU_PAGE_ALIGNED(type, name) DECLARE_PER_CPU(type, name)
/* DEFINE_PER_CPU_READ_MOSTLY - as DEFINE_PER_CPU(). */
#define DEFINE_PER_CPU_READ_MOSTLY(type, name)	DEFINE_PER_CPU(type, name)
#define DECLARE_PER_CPU_READ_MOSTLY(type, name)	DECLARE_PER_CPU(type, name)
#ifndef EXPORT_PER_CPU_SYMBOL
#define EXPORT_PER_CPU_SYMBOL(var)
#define EXPORT_PER_CPU_SYMBOL_GPL(var)
#endif

/* --- Addresses --- */

/**
 * per_cpu_ptr - the address of @cpu's copy of what per-CPU pointer @ptr names.
 * Context: any. Return: a plain pointer of @ptr's type.
 */
#define per_cpu_ptr(ptr, cpu)	((__typeof__(ptr))lksync_per_cpu_ptr((ptr), (unsigned int)(cpu)))
/* per_cpu - @cpu's copy of per-CPU variable @var, as an lvalue. Context: any. */
#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), (cpu)))
/**
 * raw_cpu_ptr - the address of this thread's CPU's copy (the claimed CPU's
 * inside get_cpu()..put_cpu()). Context: any. Return: a plain pointer.
 */
#define raw_cpu_ptr(ptr)	per_cpu_ptr((ptr), raw_smp_processor_id())
/* this_cpu_ptr - as raw_cpu_ptr(), with smp_processor_id()'s debug check. */
#define this_cpu_ptr(ptr)	per_cpu_ptr((ptr), smp_processor_id())
#define __this_cpu_ptr(ptr)	raw_cpu_ptr(ptr)

/**
 * get_cpu_var - claim this CPU (get_cpu()) and yield its copy of @var as an
 * lvalue, exclusively this thread's until put_cpu_var(@var).
 * Context: must not sleep until put_cpu_var().
 */
#define get_cpu_var(var)	(*({ (void)get_cpu(); this_cpu_ptr(&(var)); }))
/* put_cpu_var - end a get_cpu_var() section. */
#define put_cpu_var(var)	do { (void)&(var); put_cpu(); } while (0)
/**
 * get_cpu_ptr - claim this CPU and return its copy of per-CPU pointer @ptr.
 * Context: must not sleep until put_cpu_ptr(). Return: a plain pointer.
 */
#define get_cpu_ptr(ptr)	({ (void)get_cpu(); this_cpu_ptr(ptr); })
/* put_cpu_ptr - end a get_cpu_ptr() section. */
#define put_cpu_ptr(ptr)	do { (void)(ptr); put_cpu(); } while (0)

/* --- Operations on this CPU's copy (scalars of 1, 2, 4 or 8 bytes) --- */

/*
 * Every read-modify-write below is one atomic operation. Relaxed: like the
 * kernel's this_cpu ops they order nothing; atomicity is what keeps them
 * correct when two threads address the same CPU's copy.
 */
#define __lksync_pcpu_rmw(pcp, op, val)						\
	__atomic_##op(raw_cpu_ptr(&(pcp)), (val), __ATOMIC_RELAXED)

/* this_cpu_read - this CPU's copy of @pcp. Context: any. Return: its value. */
#define this_cpu_read(pcp) ({							\
	__typeof__(&(pcp)) __tcr_p = raw_cpu_ptr(&(pcp));			\
	READ_ONCE(*__tcr_p); })
/* this_cpu_write - set this CPU's copy of @pcp to @val. Context: any. */
#define this_cpu_write(pcp, val) do {						\
	__typeof__(&(pcp)) __tcw_p = raw_cpu_ptr(&(pcp));			\
	WRITE_ONCE(*__tcw_p, (val));						\
} while (0)
/* this_cpu_add - add @val to this CPU's copy of @pcp, atomically. Context: any. */
#define this_cpu_add(pcp, val)	((void)__lksync_pcpu_rmw(pcp, fetch_add, (val)))
/* this_cpu_sub - subtract @val, atomically. Context: any. */
#define this_cpu_sub(pcp, val)	this_cpu_add((pcp), -(__typeof__(pcp))(val))
/* this_cpu_inc / this_cpu_dec - add / subtract one, atomically. Context: any. */
#define this_cpu_inc(pcp)	this_cpu_add((pcp), 1)
#define this_cpu_dec(pcp)	this_cpu_sub((pcp), 1)
/* this_cpu_and / this_cpu_or - bitwise and / or into this CPU's copy. Context: any. */
#define this_cpu_and(pcp, val)	((void)__lksync_pcpu_rmw(pcp, fetch_and, (val)))
#define this_cpu_or(pcp, val)	((void)__lksync_pcpu_rmw(pcp, fetch_or, (val)))
/* this_cpu_add_return - add @val. Context: any. Return: the new value. */
#define this_cpu_add_return(pcp, val) __lksync_pcpu_rmw(pcp, add_fetch, (val))
/* this_cpu_sub_return / inc_return / dec_return. Return: the new value. */
#define this_cpu_sub_return(pcp, val) this_cpu_add_return((pcp), -(__typeof__(pcp))(val))
#define this_cpu_inc_return(pcp)	this_cpu_add_return((pcp), 1)
#define this_cpu_dec_return(pcp)	this_cpu_sub_return((pcp), 1)
/* this_cpu_xchg - store @nval. Context: any. Return: the previous value. */
#define this_cpu_xchg(pcp, nval)	__lksync_pcpu_rmw(pcp, exchange_n, (nval))
/**
 * this_cpu_cmpxchg - store @nval if this CPU's copy equals @oval.
 * Context: any. Return: the value found (== @oval on success).
 */
#define this_cpu_cmpxchg(pcp, oval, nval) ({					\
	__typeof__(pcp) __tcx_o = (oval);					\
	__atomic_compare_exchange_n(raw_cpu_ptr(&(pcp)), &__tcx_o, (nval), 0,	\
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);	\
	__tcx_o; })
/**
 * this_cpu_try_cmpxchg - store @nval if this CPU's copy equals *@ovalp;
 * otherwise load what was found into *@ovalp.
 * Context: any. Return: true on success.
 */
#define this_cpu_try_cmpxchg(pcp, ovalp, nval)					\
	__atomic_compare_exchange_n(raw_cpu_ptr(&(pcp)), (ovalp), (nval), 0,	\
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED)

/* raw_cpu_* and __this_cpu_*: the same single operations (see the top). */
#define raw_cpu_read(pcp)			this_cpu_read(pcp)
#define raw_cpu_write(pcp, val)			this_cpu_write(pcp, val)
#define raw_cpu_add(pcp, val)			this_cpu_add(pcp, val)
#define raw_cpu_sub(pcp, val)			this_cpu_sub(pcp, val)
#define raw_cpu_inc(pcp)			this_cpu_inc(pcp)
#define raw_cpu_dec(pcp)			this_cpu_dec(pcp)
#define raw_cpu_and(pcp, val)			this_cpu_and(pcp, val)
#define raw_cpu_or(pcp, val)			this_cpu_or(pcp, val)
#define raw_cpu_add_return(pcp, val)		this_cpu_add_return(pcp, val)
#define raw_cpu_sub_return(pcp, val)		this_cpu_sub_return(pcp, val)
#define raw_cpu_inc_return(pcp)			this_cpu_inc_return(pcp)
#define raw_cpu_dec_return(pcp)			this_cpu_dec_return(pcp)
#define raw_cpu_xchg(pcp, nval)			this_cpu_xchg(pcp, nval)
#define raw_cpu_cmpxchg(pcp, oval, nval)	this_cpu_cmpxchg(pcp, oval, nval)
#define raw_cpu_try_cmpxchg(pcp, ovalp, nval)	this_cpu_try_cmpxchg(pcp, ovalp, nval)
#define __this_cpu_read(pcp)			this_cpu_read(pcp)
#define __this_cpu_write(pcp, val)		this_cpu_write(pcp, val)
#define __this_cpu_add(pcp, val)		this_cpu_add(pcp, val)
#define __this_cpu_sub(pcp, val)		this_cpu_sub(pcp, val)
#define __this_cpu_inc(pcp)			this_cpu_inc(pcp)
#define __this_cpu_dec(pcp)			this_cpu_dec(pcp)
#define __this_cpu_and(pcp, val)		this_cpu_and(pcp, val)
#define __this_cpu_or(pcp, val)			this_cpu_or(pcp, val)
#define __this_cpu_add_return(pcp, val)		this_cpu_add_return(pcp, val)
#define __this_cpu_sub_return(pcp, val)		this_cpu_sub_return(pcp, val)
#define __this_cpu_inc_return(pcp)		this_cpu_inc_return(pcp)
#define __this_cpu_dec_return(pcp)		this_cpu_dec_return(pcp)
#define __this_cpu_xchg(pcp, nval)		this_cpu_xchg(pcp, nval)
#define __this_cpu_cmpxchg(pcp, oval, nval)	this_cpu_cmpxchg(pcp, oval, nval)
#define __this_cpu_try_cmpxchg(pcp, ovalp, nval) this_cpu_try_cmpxchg(pcp, ovalp, nval)

/* --- Dynamic allocation --- */

/* Largest per-CPU allocation, as the kernel's PCPU_MIN_UNIT_SIZE. */
#define PCPU_MIN_UNIT_SIZE	(32 << 10)

/**
 * __alloc_percpu - allocate @size zeroed bytes for every possible CPU,
 * aligned to @align (a power of two, at most 4096).
 * Context: process context; may sleep (takes a mutex).
 * Return: a per-CPU pointer, or NULL (with a warning for an illegal size or
 * alignment, as the kernel).
 */
LKSYNC_API void *lksync_alloc_percpu(size_t size, size_t align);
/**
 * free_percpu - free what alloc_percpu() returned; NULL is ignored.
 * Context: process context.
 */
LKSYNC_API void lksync_free_percpu(void *ptr);

#define __alloc_percpu(size, align)	lksync_alloc_percpu((size), (align))
#define __alloc_percpu_gfp(size, align, gfp) ((void)(gfp), lksync_alloc_percpu((size), (align)))
/* alloc_percpu - allocate a zeroed @type for every possible CPU. Return: per-CPU pointer or NULL. */
#define alloc_percpu(type)							\
	((__typeof__(type) __percpu *)__alloc_percpu(sizeof(type), __alignof__(type)))
/* alloc_percpu_gfp - alloc_percpu() with allocation flags (accepted, ignored). */
#define alloc_percpu_gfp(type, gfp)						\
	((__typeof__(type) __percpu *)__alloc_percpu_gfp(sizeof(type), __alignof__(type), (gfp)))
#define free_percpu(ptr)	lksync_free_percpu((void *)(ptr))

#endif /* LKSYNC_PERCPU_H */
