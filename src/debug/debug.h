/* SPDX-License-Identifier: MIT */
/*
 * Layer: debug. Private interface between the debug flavor's parts
 * (lockdep.c, spinlock/mutex debugging, sleep.c, lock_stat). Debug flavor
 * only.
 */
#ifndef LKSYNC_SRC_DEBUG_H
#define LKSYNC_SRC_DEBUG_H

#include <stddef.h>
#include <lksync/lockdep.h>
#include <lksync/sched.h>

/*
 * Write the kernel's held-locks section for @t (NULL: current) into @buf,
 * NUL-terminated, as lockdep prints it:
 *   "2 locks held by comm/1234:\n #0: 0x... (&lock_a){+.+.}-{2:2}, at: f+0x1c\n ..."
 * or "no locks held by comm/1234.\n". Return: the length written.
 * Context: any; never sleeps or allocates.
 */
size_t lksync_debug_held_locks_text(struct task_struct *t, char *buf, size_t len);

#endif /* LKSYNC_SRC_DEBUG_H */
