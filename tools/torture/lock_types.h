/* SPDX-License-Identifier: MIT */
/*
 * X-macro list of every lock type the torture tester knows, in run order.
 * Adding a lock type = one ops_*.c file defining NAME_ops + one line here.
 * No include guard: included once per expansion of TORTURE_TYPE().
 */
TORTURE_TYPE(spin_lock)
TORTURE_TYPE(spin_lock_irq)
TORTURE_TYPE(spin_lock_irqsave)
TORTURE_TYPE(spin_lock_bh)
TORTURE_TYPE(raw_spin_lock)
TORTURE_TYPE(rw_lock)
TORTURE_TYPE(rw_lock_irq)
TORTURE_TYPE(rw_lock_irq_rd)
TORTURE_TYPE(rw_lock_bh)
TORTURE_TYPE(seqlock)
TORTURE_TYPE(seqlock_irq)
#if __has_include(<lksync/mutex.h>)
TORTURE_TYPE(mutex)
#endif
#if __has_include(<lksync/rwsem.h>)
TORTURE_TYPE(rwsem)
#endif
#if __has_include(<lksync/semaphore.h>)
TORTURE_TYPE(semaphore)
TORTURE_TYPE(semaphore_counting)
#endif
#if __has_include(<lksync/completion.h>)
TORTURE_TYPE(completion)
#endif
#if __has_include(<lksync/wait.h>)
TORTURE_TYPE(waitqueue)
#endif
TORTURE_TYPE(lock_busted)
TORTURE_TYPE(spin_lock_irq_busted)
TORTURE_TYPE(pthread_mutex)
TORTURE_TYPE(pthread_rwlock)
