/* SPDX-License-Identifier: MIT */
/*
 * Layer: arch. Race annotations in the spirit of KCSAN, as
 * linux/kcsan-checks.h: explicit access checks, the ASSERT_EXCLUSIVE_*()
 * assertions and the switches that hide accesses from the race detector.
 * Includes compiler.h only.
 *
 * lksync's race detector is ThreadSanitizer. Built without it (release,
 * ASan, the debug flavor), every annotation compiles to nothing and every
 * access stays the plain access it was. Under TSan (__SANITIZE_THREAD__)
 * each one tells TSan what the kernel tells KCSAN:
 *
 *   data_race(expr), kcsan_disable_current()/kcsan_enable_current(),
 *   kcsan_nestable_atomic_begin()/_end()
 *       the accesses are not reported (TSan's per-thread ignore of reads
 *       and writes; it nests, as KCSAN's does);
 *   kcsan_check_read(ptr, size) / kcsan_check_write() / _read_write()
 *       a plain read / write of the range, without touching it;
 *   ASSERT_EXCLUSIVE_WRITER(var)
 *       a read of @var that is never performed: TSan reports any write by
 *       another thread not ordered with it (a concurrent writer, marked
 *       with WRITE_ONCE() or atomic, or not), while concurrent readers stay
 *       legal, exactly KCSAN's assert;
 *   ASSERT_EXCLUSIVE_ACCESS(var)
 *       a write of @var that is never performed (the value is untouched):
 *       concurrent readers and writers are both reported;
 *   ..._SCOPED(var)
 *       the same check where it appears and again where the scope ends, so
 *       an unordered access anywhere in the scope is reported (KCSAN also
 *       checks in between; TSan's happens-before view needs only the ends).
 *
 * What TSan cannot express is a no-op there too: ASSERT_EXCLUSIVE_BITS()
 * (TSan tracks bytes, not bits; a plain check would report writers of the
 * other bits), kcsan_atomic_next(), kcsan_set_access_mask(), the flat
 * atomic regions and the kcsan_*mb() barrier hints.
 *
 * The ignore switches are per thread: an interrupt handler that runs while
 * its task is inside data_race() is not checked until it returns.
 */
#ifndef LKSYNC_KCSAN_CHECKS_H
#define LKSYNC_KCSAN_CHECKS_H

#include <lksync/compiler.h>

/* Access types for __kcsan_check_access(), the kernel's values. */
#define KCSAN_ACCESS_WRITE	(1 << 0)	/* a write (else a read) */
#define KCSAN_ACCESS_COMPOUND	(1 << 1)	/* read and write */
#define KCSAN_ACCESS_ATOMIC	(1 << 2)	/* a marked (atomic) access */
#define KCSAN_ACCESS_ASSERT	(1 << 3)	/* an assertion, not an access */
#define KCSAN_ACCESS_SCOPED	(1 << 4)	/* checked for the whole scope */

#ifdef LKSYNC_TSAN
/* GCC knows these as built-ins taking a long; the runtime's header says unsigned long. */
#if defined(__clang__)
typedef unsigned long __lksync_tsan_size_t;
#else
typedef long __lksync_tsan_size_t;
#endif
void __tsan_read_range(void *addr, __lksync_tsan_size_t size) __attribute__((weak));
void __tsan_write_range(void *addr, __lksync_tsan_size_t size) __attribute__((weak));

/*
 * __kcsan_check_access - tell TSan of an access of @size bytes at @ptr of
 * @type without performing it. Atomic accesses are TSan's own business
 * (it sees the atomic builtins); an assertion or plain access becomes a
 * range read or write. Context: any.
 */
static __always_inline void __kcsan_check_access(const volatile void *ptr, size_t size, int type)
{
	void *p = (void *)(unsigned long)ptr;

	if (!__tsan_read_range || !size)
		return;
	if ((type & (KCSAN_ACCESS_ATOMIC | KCSAN_ACCESS_ASSERT)) == KCSAN_ACCESS_ATOMIC)
		return;
	if (type & (KCSAN_ACCESS_WRITE | KCSAN_ACCESS_COMPOUND))
		__tsan_write_range(p, (__lksync_tsan_size_t)size);
	else
		__tsan_read_range(p, (__lksync_tsan_size_t)size);
}

/* kcsan_disable_current - stop reporting this thread's accesses; nests. Context: any. */
#define kcsan_disable_current()		__lksync_kcsan_disable_current()
/* kcsan_enable_current - undo one kcsan_disable_current(). Context: any. */
#define kcsan_enable_current()		__lksync_kcsan_enable_current()
#define kcsan_enable_current_nowarn()	__lksync_kcsan_enable_current()
/* kcsan_nestable_atomic_begin/end - treat the accesses between as marked (not reported). */
#define kcsan_nestable_atomic_begin()	__lksync_kcsan_disable_current()
#define kcsan_nestable_atomic_end()	__lksync_kcsan_enable_current()
#else
/* Without a race detector: nothing is checked, nothing is generated. */
static __always_inline void __kcsan_check_access(const volatile void *ptr, size_t size, int type)
{
	(void)ptr; (void)size; (void)type;
}
#define kcsan_disable_current()		do { } while (0)
#define kcsan_enable_current()		do { } while (0)
#define kcsan_enable_current_nowarn()	do { } while (0)
#define kcsan_nestable_atomic_begin()	do { } while (0)
#define kcsan_nestable_atomic_end()	do { } while (0)
#endif

#define kcsan_check_access(ptr, size, type)	__kcsan_check_access((ptr), (size), (type))
#define __kcsan_disable_current()		kcsan_disable_current()
#define __kcsan_enable_current()		kcsan_enable_current()
/* TSan cannot express these: accepted, no effect (see the top of this file). */
#define kcsan_flat_atomic_begin()		do { } while (0)
#define kcsan_flat_atomic_end()			do { } while (0)
#define kcsan_atomic_next(n)			do { (void)(n); } while (0)
#define kcsan_set_access_mask(mask)		do { (void)(mask); } while (0)
#define kcsan_mb()				do { } while (0)
#define kcsan_wmb()				do { } while (0)
#define kcsan_rmb()				do { } while (0)
#define kcsan_release()				do { } while (0)

/*
 * kcsan_check_read/_write/_read_write - check a plain access of @size bytes
 * at @ptr for races, as if it were made here. Context: any.
 */
#define __kcsan_check_read(ptr, size)	__kcsan_check_access((ptr), (size), 0)
#define __kcsan_check_write(ptr, size)	__kcsan_check_access((ptr), (size), KCSAN_ACCESS_WRITE)
#define __kcsan_check_read_write(ptr, size)					\
	__kcsan_check_access((ptr), (size), KCSAN_ACCESS_COMPOUND | KCSAN_ACCESS_WRITE)
#define kcsan_check_read(ptr, size)		__kcsan_check_read((ptr), (size))
#define kcsan_check_write(ptr, size)		__kcsan_check_write((ptr), (size))
#define kcsan_check_read_write(ptr, size)	__kcsan_check_read_write((ptr), (size))
/* kcsan_check_atomic_* - marked accesses: not checked (KCSAN's default). */
#define kcsan_check_atomic_read(ptr, size)						\
	__kcsan_check_access((ptr), (size), KCSAN_ACCESS_ATOMIC)
#define kcsan_check_atomic_write(ptr, size)					\
	__kcsan_check_access((ptr), (size), KCSAN_ACCESS_ATOMIC | KCSAN_ACCESS_WRITE)
#define kcsan_check_atomic_read_write(ptr, size)					\
	__kcsan_check_access((ptr), (size), KCSAN_ACCESS_ATOMIC | KCSAN_ACCESS_WRITE | \
			     KCSAN_ACCESS_COMPOUND)

/**
 * ASSERT_EXCLUSIVE_WRITER - assert that no other thread writes @var
 * concurrently (readers may). Neither reads nor changes @var.
 * Context: any.
 */
#define ASSERT_EXCLUSIVE_WRITER(var)						\
	__kcsan_check_access(&(var), sizeof(var), KCSAN_ACCESS_ASSERT)

/**
 * ASSERT_EXCLUSIVE_ACCESS - assert that no other thread reads or writes
 * @var concurrently. Neither reads nor changes @var.
 * Context: any.
 */
#define ASSERT_EXCLUSIVE_ACCESS(var)						\
	__kcsan_check_access(&(var), sizeof(var), KCSAN_ACCESS_WRITE | KCSAN_ACCESS_ASSERT)

/**
 * ASSERT_EXCLUSIVE_BITS - assert that no other thread writes the bits
 * @mask of @var (other bits may change). Checked by KCSAN only: TSan
 * tracks bytes, so here it type-checks its arguments and does nothing.
 * Context: any.
 */
#define ASSERT_EXCLUSIVE_BITS(var, mask)					\
	do { (void)&(var); (void)(mask); } while (0)

/* The scoped assertions: a declaration, checked here and where the scope ends. */
struct kcsan_scoped_access {
	const volatile void *ptr;
	size_t size;
	int type;
};

static __always_inline struct kcsan_scoped_access *
kcsan_begin_scoped_access(const volatile void *ptr, size_t size, int type,
			  struct kcsan_scoped_access *sa)
{
	sa->ptr = ptr;
	sa->size = size;
	sa->type = type;
	__kcsan_check_access(ptr, size, type);
	return sa;
}

static __always_inline void kcsan_end_scoped_access(struct kcsan_scoped_access *sa)
{
	__kcsan_check_access(sa->ptr, sa->size, sa->type);
}

#define __lksync_kcsan_name2(a, b)	__kcsan_scoped_##a##_##b
#define __lksync_kcsan_name(a, b)	__lksync_kcsan_name2(a, b)
#ifdef LKSYNC_TSAN
#define __lksync_assert_scoped(var, type, id)					\
	struct kcsan_scoped_access __lksync_kcsan_name(id, sa)			\
		__attribute__((__cleanup__(kcsan_end_scoped_access)));		\
	struct kcsan_scoped_access *__lksync_kcsan_name(id, p)			\
		__attribute__((__unused__)) =					\
		kcsan_begin_scoped_access(&(var), sizeof(var), (type),		\
					  &__lksync_kcsan_name(id, sa))
#else
#define __lksync_assert_scoped(var, type, id)					\
	const volatile void *__lksync_kcsan_name(id, p)				\
		__attribute__((__unused__)) = &(var)
#endif

/**
 * ASSERT_EXCLUSIVE_WRITER_SCOPED - ASSERT_EXCLUSIVE_WRITER() for the rest of
 * the enclosing scope. A declaration. Context: any.
 */
#define ASSERT_EXCLUSIVE_WRITER_SCOPED(var)					\
	__lksync_assert_scoped(var, KCSAN_ACCESS_SCOPED | KCSAN_ACCESS_ASSERT, __COUNTER__)

/**
 * ASSERT_EXCLUSIVE_ACCESS_SCOPED - ASSERT_EXCLUSIVE_ACCESS() for the rest of
 * the enclosing scope. A declaration. Context: any.
 */
#define ASSERT_EXCLUSIVE_ACCESS_SCOPED(var)					\
	__lksync_assert_scoped(var, KCSAN_ACCESS_SCOPED | KCSAN_ACCESS_WRITE |	\
			       KCSAN_ACCESS_ASSERT, __COUNTER__)

#endif /* LKSYNC_KCSAN_CHECKS_H */
