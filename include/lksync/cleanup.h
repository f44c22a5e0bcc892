/* SPDX-License-Identifier: MIT */
/*
 * Layer: lib. Scope-based cleanup, as the kernel's linux/cleanup.h: a
 * variable declared with a cleanup class runs the class's exit code when it
 * goes out of scope, however the scope is left (return, break, goto).
 *
 *	guard(mutex)(&m);			held to the end of the scope
 *	scoped_guard(spinlock_irqsave, &l) {	held for the block only
 *		...
 *	}
 *	scoped_cond_guard(mutex_intr, return -EINTR, &m) { ... }
 *	struct foo *p __free(kfree) = kmalloc(...);
 *
 * Each lock's header declares its guards next to its lock functions with
 * DEFINE_GUARD() / DEFINE_LOCK_GUARD_1() (lock and unlock, or a lock that
 * carries state such as the irqsave flags) and the conditional forms
 * (_try, _intr) with DEFINE_GUARD_COND() / DEFINE_LOCK_GUARD_1_COND(): a
 * conditional guard that failed holds nothing, releases nothing, and
 * scoped_guard() skips its block. Built on the GCC/Clang cleanup attribute.
 */
#ifndef LKSYNC_CLEANUP_H
#define LKSYNC_CLEANUP_H

#include <lksync/compiler.h>

#ifndef __cleanup
#define __cleanup(func)	__attribute__((__cleanup__(func)))
#endif

#define __lksync_paste2(a, b)	a##b
#define __lksync_paste(a, b)	__lksync_paste2(a, b)
#define __lksync_unique(prefix)	__lksync_paste(__lksync_paste(__UNIQUE_ID_, prefix), __COUNTER__)

/*
 * DEFINE_FREE - a cleanup for pointers of @_type: @_free runs with the
 * pointer as _T when a __free(@_name) variable goes out of scope.
 */
#define DEFINE_FREE(_name, _type, _free)					\
	static inline void __free_##_name(void *p)				\
	{ _type _T = *(_type *)p; _free; }
#define __free(_name)	__cleanup(__free_##_name)

#define __get_and_null(p, nullvalue) ({						\
	__auto_type __ptr = &(p);						\
	__auto_type __val = *__ptr;						\
	*__ptr = nullvalue;							\
	__val; })

/* no_free_ptr - take the pointer out of a __free() variable, which then frees nothing. */
#define no_free_ptr(p)		((__typeof__(p))__get_and_null(p, NULL))
/* return_ptr - return a __free() variable's pointer without freeing it. */
#define return_ptr(p)		return no_free_ptr(p)
/* retain_and_null_ptr - keep the pointer (elsewhere), freeing nothing at scope end. */
#define retain_and_null_ptr(p)	((void)__get_and_null(p, NULL))

/*
 * DEFINE_CLASS - a type with a constructor (@_init, taking @_init_args) and
 * a destructor (@_exit, with the value as _T). CLASS(name, var)(args)
 * declares an instance.
 */
#define DEFINE_CLASS(_name, _type, _exit, _init, _init_args...)		\
	typedef _type class_##_name##_t;					\
	static inline void class_##_name##_destructor(_type *p)		\
	{ _type _T = *p; _exit; }						\
	static inline _type class_##_name##_constructor(_init_args)		\
	{ _type t = _init; return t; }

#define EXTEND_CLASS(_name, ext, _init, _init_args...)				\
	typedef class_##_name##_t class_##_name##ext##_t;			\
	static inline void class_##_name##ext##_destructor(class_##_name##_t *p) \
	{ class_##_name##_destructor(p); }					\
	static inline class_##_name##_t class_##_name##ext##_constructor(_init_args) \
	{ class_##_name##_t t = _init; return t; }

#define CLASS(_name, var)							\
	class_##_name##_t var __cleanup(class_##_name##_destructor) =		\
		class_##_name##_constructor

/*
 * DEFINE_GUARD - a guard for a lock reached through a pointer of @_type:
 * @_lock and @_unlock see it as _T.
 */
#define DEFINE_GUARD(_name, _type, _lock, _unlock)				\
	DEFINE_CLASS(_name, _type, if (_T) { _unlock; }, ({ _lock; _T; }), _type _T); \
	static inline void *class_##_name##_lock_ptr(class_##_name##_t *_T)	\
	{ return (void *)(unsigned long)*_T; }

/*
 * DEFINE_GUARD_COND - the conditional form @_name@_ext of a DEFINE_GUARD
 * guard: @_condlock (with the lock as _T) is true when the lock was taken.
 */
#define DEFINE_GUARD_COND(_name, _ext, _condlock)				\
	EXTEND_CLASS(_name, _ext,						\
		     ({ void *_t = _T; if (_T && !(_condlock)) _t = NULL; _t; }), \
		     class_##_name##_t _T)					\
	static inline void *class_##_name##_ext##_lock_ptr(class_##_name##_t *_T) \
	{ return class_##_name##_lock_ptr(_T); }

/*
 * DEFINE_LOCK_GUARD_1 - a guard for a lock of type @_type that keeps extra
 * state (declared in the trailing arguments, e.g. `unsigned long flags`):
 * @_lock and @_unlock see the guard as _T (_T->lock, _T->flags).
 */
#define DEFINE_LOCK_GUARD_1(_name, _type, _lock, _unlock, ...)			\
	typedef struct {							\
		_type *lock;							\
		__VA_ARGS__;							\
	} class_##_name##_t;							\
	static inline void class_##_name##_destructor(class_##_name##_t *_T)	\
	{ if (_T->lock) { _unlock; } }						\
	static inline void *class_##_name##_lock_ptr(class_##_name##_t *_T)	\
	{ return (void *)_T->lock; }						\
	static inline class_##_name##_t class_##_name##_constructor(_type *l)	\
	{									\
		class_##_name##_t _t = { .lock = l }, *_T = &_t;		\
		_lock;								\
		return _t;							\
	}

/* DEFINE_LOCK_GUARD_1_COND - the conditional form of a DEFINE_LOCK_GUARD_1 guard. */
#define DEFINE_LOCK_GUARD_1_COND(_name, _ext, _condlock)			\
	EXTEND_CLASS(_name, _ext,						\
		     ({ class_##_name##_t _t = { .lock = l }, *_T = &_t;	\
			if (_T->lock && !(_condlock)) _T->lock = NULL;		\
			_t; }),							\
		     __typeof__(((class_##_name##_t *)0)->lock) l)		\
	static inline void *class_##_name##_ext##_lock_ptr(class_##_name##_t *_T) \
	{ return class_##_name##_lock_ptr(_T); }

/* DEFINE_LOCK_GUARD_0 - a guard with no lock object (preemption, interrupts). */
#define DEFINE_LOCK_GUARD_0(_name, _lock, _unlock, ...)			\
	typedef struct {							\
		void *lock;							\
		__VA_ARGS__;							\
	} class_##_name##_t;							\
	static inline void class_##_name##_destructor(class_##_name##_t *_T)	\
	{ if (_T->lock) { _unlock; } }						\
	static inline void *class_##_name##_lock_ptr(class_##_name##_t *_T)	\
	{ return _T->lock; }							\
	static inline class_##_name##_t class_##_name##_constructor(void)	\
	{									\
		class_##_name##_t _t = { .lock = (void *)1 }, *_T = &_t;	\
		(void)_T;							\
		_lock;								\
		return _t;							\
	}

#define __guard_ptr(_name)	class_##_name##_lock_ptr

/* guard - hold @_name's lock from here to the end of the enclosing scope. */
#define guard(_name)	CLASS(_name, __lksync_unique(guard))

/*
 * scoped_guard - run the following statement or block with @_name's lock
 * held; for a conditional guard, only if it was taken.
 */
#define scoped_guard(_name, args...)						\
	for (CLASS(_name, scope)(args), *__lksync_done = NULL;			\
	     __guard_ptr(_name)(&scope) && !__lksync_done;			\
	     __lksync_done = (void *)1)

/*
 * scoped_cond_guard - as scoped_guard() for a conditional guard, running
 * @_fail (e.g. `return -EINTR`) instead of the block when it is not taken.
 */
#define scoped_cond_guard(_name, _fail, args...)				\
	for (CLASS(_name, scope)(args), *__lksync_done = NULL;			\
	     !__lksync_done; __lksync_done = (void *)1)				\
		if (!__guard_ptr(_name)(&scope)) { _fail; }			\
		else

#endif /* LKSYNC_CLEANUP_H */
