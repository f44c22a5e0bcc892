// SPDX-License-Identifier: MIT
/*
 * Layer: debug. The lock validator (PROVE_LOCKING). Built only into the
 * debug flavor (LKSYNC_DEBUG); the release flavor compiles every hook in
 * <lksync/lockdep.h> to nothing.
 *
 * STUB: the interface only, so that the instrumented lock types link; the
 * validator itself replaces this file.
 */
#include <stdio.h>
#include <lksync/lockdep.h>
#include "debug/debug.h"

#ifdef LKSYNC_DEBUG

int lksync_debug_locks = 1;
int lksync_debug_locks_silent;
struct lock_class_key lksync_lockdep_no_validate;

int lksync_debug_locks_off(void)
{
	return __atomic_exchange_n(&lksync_debug_locks, 0, __ATOMIC_RELAXED);
}

void lksync_lockdep_init_map_type(struct lockdep_map *lock, const char *name,
				  struct lock_class_key *key, int subclass,
				  u8 inner, u8 outer, u8 lock_type)
{
	lock->key = key;
	lock->name = name;
	lock->class_cache[0] = lock->class_cache[1] = NULL;
	lock->wait_type_inner = inner;
	lock->wait_type_outer = outer;
	lock->lock_type = lock_type;
	lock->cpu = 0;
	lock->ip = 0;
}

void lksync_lock_acquire(struct lockdep_map *lock, unsigned int subclass, int trylock,
			 int read, int check, struct lockdep_map *nest_lock, unsigned long ip) { }
void lksync_lock_release(struct lockdep_map *lock, unsigned long ip) { }
void lksync_lock_contended(struct lockdep_map *lock, unsigned long ip) { }
void lksync_lock_acquired(struct lockdep_map *lock, unsigned long ip) { }
void lksync_lock_set_class(struct lockdep_map *lock, const char *name,
			   struct lock_class_key *key, unsigned int subclass, unsigned long ip) { }
void lksync_lock_downgrade(struct lockdep_map *lock, unsigned long ip) { }
int lksync_lock_is_held_type(const struct lockdep_map *lock, int read) { return 1; }
void lksync_debug_check_no_locks_freed(const void *from, unsigned long len) { }
void lksync_lockdep_free_key_range(void *start, unsigned long size) { }
void lksync_lockdep_register_key(struct lock_class_key *key) { }
void lksync_lockdep_unregister_key(struct lock_class_key *key) { }
void lksync_lockdep_print_held_locks(struct task_struct *task) { }
void lksync_debug_show_all_locks(void) { }
void lksync_debug_check_no_locks_held(void) { }
void lksync_lockdep_off(void) { }
void lksync_lockdep_on(void) { }
unsigned int lksync_lockdep_depth(void) { return 0; }

size_t lksync_debug_held_locks_text(struct task_struct *t, char *buf, size_t len)
{
	int n;

	if (!t)
		t = current;
	n = snprintf(buf, len, "no locks held by %s/%d.\n", t->comm, t->pid);
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

bool lksync_read_lock_is_recursive(void)
{
	return in_interrupt();
}

#endif /* LKSYNC_DEBUG */
