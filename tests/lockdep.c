// SPDX-License-Identifier: MIT
/*
 * The lock validator through pseudo-locks (struct lockdep_map and the
 * lock_acquire()/lock_release() hooks): recursion, cycles, read/recursive-
 * read rules, trylock, nesting, interrupt-state checks, bad unlocks, freed
 * held locks, the held-locks listing, assertions, the cost of a cached
 * chain. Debug flavor only.
 */
#include <lksync/sched.h>
#include <lksync/lockdep.h>
#include <lksync/spinlock.h>
#include <lksync/rwlock.h>
#include <lksync/percpu.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "lksync_test.h"

#ifndef LKSYNC_DEBUG
int main(void)
{
	printf("skipped (release flavor)\n");
	return 0;
}
#else

static struct lock_class_key ka, kb, kc, kd, kn, kx;
static struct lockdep_map A, B, C, D, N, X1, X2;

#define LOCK(m)		lock_acquire(&(m), 0, 0, 0, 1, NULL, _THIS_IP_)
#define RLOCK(m)	lock_acquire(&(m), 0, 0, 1, 1, NULL, _THIS_IP_)
#define RRLOCK(m)	lock_acquire(&(m), 0, 0, 2, 1, NULL, _THIS_IP_)
#define TRYLOCK(m)	lock_acquire(&(m), 0, 1, 0, 1, NULL, _THIS_IP_)
#define UNLOCK(m)	lock_release(&(m), _THIS_IP_)

static void fresh(void)
{
	lksync_lockdep_reset();
	lockdep_init_map(&A, "A", &ka, 0);
	lockdep_init_map(&B, "B", &kb, 0);
	lockdep_init_map(&C, "C", &kc, 0);
	lockdep_init_map(&D, "D", &kd, 0);
	lockdep_init_map(&N, "N", &kn, 0);
	lockdep_init_map(&X1, "X", &kx, 0);
	lockdep_init_map(&X2, "X", &kx, 0);
	test_reports = 0;
	test_last_report[0] = '\0';
}

static int has(const char *s)
{
	return strstr(test_last_report, s) != NULL;
}

static void hardirq_enter(void)
{
	local_irq_disable();
	preempt_count_add(HARDIRQ_OFFSET);
}

static void hardirq_exit(void)
{
	preempt_count_sub(HARDIRQ_OFFSET);
	local_irq_enable();
}

static void softirq_enter(void)
{
	preempt_count_add(SOFTIRQ_OFFSET);
}

static void softirq_exit(void)
{
	preempt_count_sub(SOFTIRQ_OFFSET);
}

TEST(aa_recursive)
{
	fresh();
	LOCK(A);
	LOCK(A);
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: possible recursive locking detected"));
	CHECK(has("is trying to acquire lock:"));
	CHECK(has("but task is already holding lock:"));
	CHECK(has("(A){+.+.}-{0:0}, at: "));
	CHECK(has("*** DEADLOCK ***"));
	CHECK(has("May be due to missing lock nesting notation"));
	CHECK(has("1 lock held by "));
	CHECK(has("stack backtrace:"));
	CHECK_EQ(debug_locks, 0);
	UNLOCK(A);
	UNLOCK(A);
	CHECK_EQ(lockdep_depth(current), 0);
}

TEST(abba_circular)
{
	fresh();
	LOCK(A);
	LOCK(B);
	UNLOCK(B);
	UNLOCK(A);
	CHECK_EQ(test_reports, 0);
	LOCK(B);
	LOCK(A);
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: possible circular locking dependency detected"));
	CHECK(has("which lock already depends on the new lock."));
	CHECK(has("the existing dependency chain (in reverse order) is:"));
	CHECK(has("-> #1 (B){+.+.}-{0:0}:"));
	CHECK(has("-> #0 (A){+.+.}-{0:0}:"));
	CHECK(has(" Possible unsafe locking scenario:"));
	CHECK(has("       CPU0                    CPU1\n"));
	CHECK(has("  lock(B);\n                               lock(A);\n"
		  "                               lock(B);\n  lock(A);\n"));
	CHECK(has("*** DEADLOCK ***"));
	CHECK(!has("Chain exists of"));
	UNLOCK(A);
	UNLOCK(B);
	/* Off after the first report: the same again is not reported. */
	LOCK(B);
	LOCK(A);
	UNLOCK(A);
	UNLOCK(B);
	CHECK_EQ(test_reports, 1);
}

TEST(abbcca_chain)
{
	fresh();
	LOCK(A); LOCK(B); UNLOCK(B); UNLOCK(A);
	LOCK(B); LOCK(C); UNLOCK(C); UNLOCK(B);
	CHECK_EQ(test_reports, 0);
	LOCK(C); LOCK(A);
	CHECK_EQ(test_reports, 1);
	CHECK(has("possible circular locking dependency"));
	CHECK(has("-> #2 (C)"));
	CHECK(has("-> #1 (B)"));
	CHECK(has("-> #0 (A)"));
	CHECK(has("Chain exists of:\n  A --> B --> C\n"));
	UNLOCK(A); UNLOCK(C);
}

TEST(unlock_out_of_order_is_fine)
{
	fresh();
	LOCK(A); LOCK(B); LOCK(C);
	UNLOCK(A);
	CHECK_EQ(lockdep_depth(current), 2);
	CHECK(lock_is_held(&B) == 1 && lock_is_held(&C) == 1 && lock_is_held(&A) == 0);
	UNLOCK(C); UNLOCK(B);
	CHECK_EQ(lockdep_depth(current), 0);
	CHECK_EQ(test_reports, 0);
	/* The ordering seen is still remembered: C -> A would close A -> C. */
	LOCK(C); LOCK(A);
	CHECK_EQ(test_reports, 1);
	CHECK(has("circular locking dependency"));
	UNLOCK(A); UNLOCK(C);
}

TEST(read_rules)
{
	/* Recursive read twice: fine. */
	fresh();
	RRLOCK(A); RRLOCK(A);
	UNLOCK(A); UNLOCK(A);
	CHECK_EQ(test_reports, 0);
	/* A non-recursive read (down_read()) twice: recursion. */
	RLOCK(B); RLOCK(B);
	CHECK_EQ(test_reports, 1);
	CHECK(has("possible recursive locking detected"));
	CHECK(has("  rlock(B);\n  rlock(B);\n"));
	UNLOCK(B); UNLOCK(B);

	/* Read then write: an upgrade, reported as recursion. */
	fresh();
	RLOCK(A); LOCK(A);
	CHECK_EQ(test_reports, 1);
	CHECK(has("possible recursive locking detected"));
	UNLOCK(A); UNLOCK(A);

	/* rlock(A) lock(B) vs lock(B) rrlock(A): readers never wait on readers. */
	fresh();
	RRLOCK(A); LOCK(B); UNLOCK(B); UNLOCK(A);
	LOCK(B); RRLOCK(A); UNLOCK(A); UNLOCK(B);
	CHECK_EQ(test_reports, 0);
	/* ... but a writer of A on that path closes a cycle. */
	LOCK(B); LOCK(A);
	CHECK_EQ(test_reports, 1);
	CHECK(has("circular locking dependency"));
	CHECK(has("  rlock(A);\n") || has("  lock(B);\n"));
	UNLOCK(A); UNLOCK(B);

	/* Non-recursive readers do deadlock against a queued writer. */
	fresh();
	RLOCK(A); LOCK(B); UNLOCK(B); UNLOCK(A);
	LOCK(B); RLOCK(A);
	CHECK_EQ(test_reports, 1);
	CHECK(has("circular locking dependency"));
	UNLOCK(A); UNLOCK(B);

	/* Three-lock read cycle through recursive reads only: no report. */
	fresh();
	RRLOCK(A); RRLOCK(B); UNLOCK(B); UNLOCK(A);
	RRLOCK(B); RRLOCK(C); UNLOCK(C); UNLOCK(B);
	RRLOCK(C); RRLOCK(A); UNLOCK(A); UNLOCK(C);
	CHECK_EQ(test_reports, 0);
}

TEST(trylock_adds_no_dependency)
{
	fresh();
	LOCK(A); TRYLOCK(B); UNLOCK(B); UNLOCK(A);
	LOCK(B); LOCK(A); UNLOCK(A); UNLOCK(B);
	CHECK_EQ(test_reports, 0);
	/* A lock taken after a trylock depends on it and on what is below it. */
	fresh();
	LOCK(A); TRYLOCK(B); LOCK(C); UNLOCK(C); UNLOCK(B); UNLOCK(A);
	LOCK(C); LOCK(A);
	CHECK_EQ(test_reports, 1);
	UNLOCK(A); UNLOCK(C);
	fresh();
	LOCK(A); TRYLOCK(B); LOCK(C); UNLOCK(C); UNLOCK(B); UNLOCK(A);
	LOCK(C); LOCK(B);
	CHECK_EQ(test_reports, 1);
	CHECK(has("circular locking dependency"));
	UNLOCK(B); UNLOCK(C);
}

TEST(nesting_annotations)
{
	fresh();
	/* Two locks of one class, the second as subclass 1: fine. */
	LOCK(X1);
	lock_acquire(&X2, SINGLE_DEPTH_NESTING, 0, 0, 1, NULL, _THIS_IP_);
	CHECK_EQ(test_reports, 0);
	CHECK(has("") && lock_is_held(&X2) == 1);
	UNLOCK(X2);
	UNLOCK(X1);
	/* lockdep_set_subclass(): the map's default subclass. */
	lockdep_init_map(&X2, "X", &kx, 1);
	LOCK(X1);
	LOCK(X2);
	CHECK_EQ(test_reports, 0);
	UNLOCK(X2);
	UNLOCK(X1);
	lockdep_init_map(&X2, "X", &kx, 0);
	/* Without the annotation: recursion. */
	LOCK(X1);
	LOCK(X2);
	CHECK_EQ(test_reports, 1);
	CHECK(has("possible recursive locking detected"));
	CHECK(has("(X){+.+.}"));
	UNLOCK(X2);
	UNLOCK(X1);

	/* Under a nest lock, any number of one class. */
	fresh();
	LOCK(N);
	lock_acquire(&X1, 0, 0, 0, 1, &N, _THIS_IP_);
	lock_acquire(&X2, 0, 0, 0, 1, &N, _THIS_IP_);
	CHECK_EQ(test_reports, 0);
	CHECK_EQ(lock_is_held(&X2), 1);
	UNLOCK(X1);
	UNLOCK(X2);
	UNLOCK(N);
	CHECK_EQ(lockdep_depth(current), 0);
	CHECK_EQ(test_reports, 0);
	/* The same with a subclass: X2 (never taken as subclass 0) is found by class. */
	fresh();
	LOCK(N);
	lock_acquire(&X1, 1, 0, 0, 1, &N, _THIS_IP_);
	lock_acquire(&X2, 1, 0, 0, 1, &N, _THIS_IP_);
	CHECK_EQ(lock_is_held(&X2), 1);
	UNLOCK(X2);
	UNLOCK(X1);
	UNLOCK(N);
	CHECK_EQ(lockdep_depth(current), 0);
	CHECK_EQ(test_reports, 0);
	/* A nest lock that is not held. */
	lock_acquire(&X1, 0, 0, 0, 1, &N, _THIS_IP_);
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: Nested lock was not taken"));
	UNLOCK(X1);

	/* lockdep_set_novalidate_class()-style: never validated. */
	fresh();
	{
		struct lockdep_map n1, n2;

		lockdep_init_map(&n1, "nv", &lksync_lockdep_no_validate, 0);
		lockdep_init_map(&n2, "nv", &lksync_lockdep_no_validate, 0);
		LOCK(n1); LOCK(n2); UNLOCK(n2); UNLOCK(n1);
		LOCK(n2); LOCK(n1); UNLOCK(n1); UNLOCK(n2);
	}
	CHECK_EQ(test_reports, 0);
}

TEST(bad_unlock_and_freed)
{
	fresh();
	UNLOCK(A);
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: bad unlock balance detected!"));
	CHECK(has("is trying to release lock (A) at:"));
	CHECK(has("but there are no more locks to release!"));
	CHECK(has("no locks held by "));

	fresh();
	LOCK(A);
	UNLOCK(A);
	UNLOCK(A);
	CHECK_EQ(test_reports, 1);
	CHECK(has("bad unlock balance detected!"));

	fresh();
	LOCK(B);
	debug_check_no_locks_freed(&A, sizeof(A));
	CHECK_EQ(test_reports, 0);
	debug_check_no_locks_freed(&B, sizeof(B));
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: held lock freed!"));
	CHECK(has("with a lock still held there!"));
	CHECK(has("(B){+.+.}"));
	UNLOCK(B);
}

TEST(downgrade_and_set_class)
{
	static struct lock_class_key other;

	fresh();
	LOCK(A);
	lock_downgrade(&A, _THIS_IP_);
	CHECK_EQ(lock_is_held_type(&A, 1), 1);
	CHECK_EQ(lock_is_held_type(&A, 0), 0);
	UNLOCK(A);
	/* A held lock moved to another class: B -> A is then no recursion on B. */
	LOCK(B);
	lock_set_class(&B, "B2", &other, 0, _THIS_IP_);
	LOCK(A);
	UNLOCK(A);
	UNLOCK(B);
	CHECK_EQ(test_reports, 0);
	CHECK_EQ(lockdep_depth(current), 0);
	lockdep_init_map(&B, "B", &kb, 0);
	/* lock_contended() on a lock not being acquired (lock_stat on). */
	lksync_lock_stat_enable(1);
	lock_contended(&C, _THIS_IP_);
	lksync_lock_stat_enable(0);
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: bad contention detected!"));
}

TEST(held_locks_and_asserts)
{
	const char *buf = test_last_report;

	fresh();
	lockdep_print_held_locks(NULL);
	CHECK(strstr(buf, "no locks held by ") == buf);
	LOCK(A);
	RLOCK(B);
	lockdep_print_held_locks(current);
	CHECK(strstr(buf, "2 locks held by ") == buf);
	CHECK(strstr(buf, " #0: ") && strstr(buf, "(A){+.+.}-{0:0}, at: "));
	CHECK(strstr(buf, " #1: ") && strstr(buf, "(B){.+.+}-{0:0}, at: "));
	CHECK(strstr(buf, "test_lockdep+0x") || strstr(buf, "test_held_locks_and_asserts+0x"));
	CHECK_EQ(lock_is_held(&A), 1);
	CHECK_EQ(lock_is_held_type(&A, 0), 1);
	CHECK_EQ(lock_is_held_type(&A, 1), 0);
	CHECK_EQ(lock_is_held_type(&B, 1), 1);
	CHECK_EQ(lock_is_held(&C), 0);
	CHECK_EQ(lockdep_depth(current), 2);
	UNLOCK(B);
	UNLOCK(A);
	CHECK_EQ(test_reports, 2);
	test_reports = 0;
	/* Assertions: a WARN when the lock is not held. */
	{
		struct { struct lockdep_map dep_map; } l;

		lockdep_init_map(&l.dep_map, "l", &kc, 0);
		lockdep_assert_not_held(&l);
		CHECK_EQ(test_reports, 0);
		lockdep_assert_held(&l);
		CHECK_EQ(test_reports, 1);
		CHECK(has("WARNING: CPU: "));
		lock_acquire(&l.dep_map, 0, 0, 0, 1, NULL, _THIS_IP_);
		lockdep_assert_held(&l);
		lockdep_assert_held_write(&l);
		CHECK_EQ(test_reports, 1);
		lockdep_assert_held_read(&l);
		CHECK_EQ(test_reports, 2);
		lock_release(&l.dep_map, _THIS_IP_);
	}
}

TEST(hardirq_inconsistent)
{
	fresh();
	hardirq_enter();
	LOCK(A);
	UNLOCK(A);
	hardirq_exit();
	CHECK_EQ(test_reports, 0);
	LOCK(A);
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: inconsistent lock state"));
	CHECK(has("inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage."));
	CHECK(has("[HC0[0]:SC0[0]:HE1:SE1] takes:"));
	CHECK(has("(A){?...}"));
	CHECK(has("{IN-HARDIRQ-W} state was registered at:"));
	CHECK(has("  lock(A);\n  <Interrupt>\n    lock(A);\n"));
	UNLOCK(A);
	{
		/* TRACE_IRQFLAGS: the handler's exit enabled them last, after it disabled them. */
		char want[96];

		snprintf(want, sizeof(want), "irq event stamp: %u\n", lksync_tls.irq_events);
		CHECK(has(want));
		snprintf(want, sizeof(want), "hardirqs last  enabled at (%u): [<%016lx>] ",
			 lksync_tls.hardirq_enable_event, lksync_tls.hardirq_enable_ip);
		CHECK(has(want));
		snprintf(want, sizeof(want), "hardirqs last disabled at (%u): [<%016lx>] ",
			 lksync_tls.hardirq_disable_event, lksync_tls.hardirq_disable_ip);
		CHECK(has(want));
		CHECK(lksync_tls.hardirq_enable_event > lksync_tls.hardirq_disable_event);
		CHECK(lksync_tls.hardirq_enable_ip != 0 && lksync_tls.hardirq_disable_ip != 0);
		CHECK(has("softirqs last  enabled at (") && has("softirqs last disabled at ("));
	}

	/* The other way round: enabled first, then in the handler. */
	fresh();
	LOCK(B);
	UNLOCK(B);
	hardirq_enter();
	LOCK(B);
	UNLOCK(B);
	hardirq_exit();
	CHECK_EQ(test_reports, 1);
	CHECK(has("inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage."));
	CHECK(has("[HC1[1]:SC0[0]:HE0:SE1] takes:"));

	/* Taken with interrupts disabled everywhere: fine. */
	fresh();
	hardirq_enter();
	LOCK(C); UNLOCK(C);
	hardirq_exit();
	local_irq_disable();
	LOCK(C); UNLOCK(C);
	local_irq_enable();
	CHECK_EQ(test_reports, 0);
}

TEST(softirq_inconsistent)
{
	fresh();
	softirq_enter();
	LOCK(A);
	UNLOCK(A);
	softirq_exit();
	/* With bottom halves disabled: fine. */
	local_bh_disable();
	LOCK(A);
	UNLOCK(A);
	local_bh_enable();
	CHECK_EQ(test_reports, 0);
	LOCK(A);
	CHECK_EQ(test_reports, 1);
	CHECK(has("inconsistent {IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W} usage."));
	UNLOCK(A);

	/* Recursive read in softirq and read with bh enabled: fine. */
	fresh();
	softirq_enter();
	RRLOCK(B); UNLOCK(B);
	softirq_exit();
	RRLOCK(B); UNLOCK(B);
	CHECK_EQ(test_reports, 0);
	/* A writer with bh enabled against a reader in softirq: not fine. */
	LOCK(B);
	CHECK_EQ(test_reports, 1);
	CHECK(has("inconsistent {IN-SOFTIRQ-R} -> {SOFTIRQ-ON-W} usage."));
	UNLOCK(B);
}

TEST(irq_safe_unsafe_order)
{
	/* A is hardirq-safe, B hardirq-unsafe; A -> B must be reported. */
	fresh();
	hardirq_enter();
	LOCK(A); UNLOCK(A);
	hardirq_exit();
	LOCK(B); UNLOCK(B);
	local_irq_disable();
	LOCK(A);
	LOCK(B);
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected"));
	CHECK(has("is trying to acquire:"));
	CHECK(has("and this task is already holding:"));
	CHECK(has("which would create a new lock dependency:\n (A){-...}-{0:0} -> (B){+.+.}-{0:0}"));
	CHECK(has("but this new dependency connects a HARDIRQ-irq-safe lock:"));
	CHECK(has("to a HARDIRQ-irq-unsafe lock:"));
	CHECK(has(" Possible interrupt unsafe locking scenario:"));
	CHECK(has("local_irq_disable();"));
	UNLOCK(B);
	UNLOCK(A);
	local_irq_enable();

	/* Through a chain: A (safe) -> C, then C -> B (unsafe). */
	fresh();
	hardirq_enter();
	LOCK(A); UNLOCK(A);
	hardirq_exit();
	LOCK(B); UNLOCK(B);
	local_irq_disable();
	LOCK(A); LOCK(C); UNLOCK(C); UNLOCK(A);
	CHECK_EQ(test_reports, 0);
	LOCK(C); LOCK(B);
	CHECK_EQ(test_reports, 1);
	CHECK(has("HARDIRQ-safe -> HARDIRQ-unsafe lock order detected"));
	CHECK(has("Chain exists of:\n  A --> C --> B\n"));
	UNLOCK(B); UNLOCK(C);
	local_irq_enable();

	/* Softirq flavour. */
	fresh();
	softirq_enter();
	LOCK(A); UNLOCK(A);
	softirq_exit();
	LOCK(B); UNLOCK(B);
	local_bh_disable();
	LOCK(A); LOCK(B);
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected"));
	UNLOCK(B); UNLOCK(A);
	local_bh_enable();
}

TEST(irqs_on_with_lock_held)
{
	/* Enabling interrupts with a hardirq-safe lock held. */
	fresh();
	hardirq_enter();
	LOCK(A); UNLOCK(A);
	hardirq_exit();
	local_irq_disable();
	LOCK(A);
	CHECK_EQ(test_reports, 0);
	lksync_lockdep_hardirqs_on(_THIS_IP_);
	local_irq_enable();
	CHECK_EQ(test_reports, 1);
	CHECK(has("inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage."));
	UNLOCK(A);

	/* Enabling bottom halves with a softirq-safe lock held. */
	fresh();
	softirq_enter();
	LOCK(B); UNLOCK(B);
	softirq_exit();
	local_bh_disable();
	LOCK(B);
	lksync_lockdep_softirqs_on(_THIS_IP_);
	local_bh_enable();
	CHECK_EQ(test_reports, 1);
	CHECK(has("inconsistent {IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W} usage."));
	UNLOCK(B);

	/* ... with interrupts still off nothing can run: fine. */
	fresh();
	softirq_enter();
	LOCK(B); UNLOCK(B);
	softirq_exit();
	local_irq_disable();
	LOCK(B);
	lksync_lockdep_softirqs_on(_THIS_IP_);
	UNLOCK(B);
	local_irq_enable();
	CHECK_EQ(test_reports, 0);
}

TEST(irq_inversion)
{
	/* A -> B recorded with irqs off; B irq-unsafe; then A in a handler. */
	fresh();
	local_irq_disable();
	LOCK(A); LOCK(B); UNLOCK(B); UNLOCK(A);
	local_irq_enable();
	LOCK(B); UNLOCK(B);
	CHECK_EQ(test_reports, 0);
	hardirq_enter();
	LOCK(A);
	UNLOCK(A);
	hardirq_exit();
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: possible irq lock inversion dependency detected"));
	CHECK(has("just changed the state of lock:"));
	CHECK(has("but this lock took another, HARDIRQ-unsafe lock in the past:"));
	CHECK(has("and interrupts could create inverse lock ordering between them."));

	/* Backwards: A -> B, A used in a handler, then B taken with irqs on. */
	fresh();
	local_irq_disable();
	LOCK(A); LOCK(B); UNLOCK(B); UNLOCK(A);
	local_irq_enable();
	hardirq_enter();
	LOCK(A); UNLOCK(A);
	hardirq_exit();
	CHECK_EQ(test_reports, 0);
	LOCK(B);
	CHECK_EQ(test_reports, 1);
	CHECK(has("but this lock was taken by another, HARDIRQ-safe lock in the past:"));
	UNLOCK(B);
}

TEST(irq_contexts_separate_chains)
{
	/* Locks taken in a handler that interrupted a holder add no dependency. */
	fresh();
	local_irq_disable();
	LOCK(A);
	hardirq_enter();
	LOCK(B); UNLOCK(B);
	preempt_count_sub(HARDIRQ_OFFSET);	/* back in the interrupted context */
	UNLOCK(A);
	hardirq_enter();
	LOCK(B); LOCK(A); UNLOCK(A); UNLOCK(B);
	hardirq_exit();
	CHECK_EQ(test_reports, 0);
}

static char exit_report[8192];

static void exit_holding(int idx, void *arg)
{
	(void)idx;
	(void)arg;
	(void)current;
	LOCK(D);
}

TEST(exit_with_lock_held)
{
	fresh();
	test_threads(1, exit_holding, NULL);
	/* (Another check may report on the exiting thread afterwards.) */
	CHECK(test_reports >= 1);
	CHECK(strstr(exit_report, "still has locks held!") != NULL);
	CHECK(strstr(exit_report, "1 lock held by ") != NULL);
	CHECK(strstr(exit_report, "(D){+.+.}") != NULL);
}

TEST(sys_exit_and_reset)
{
	fresh();
	LOCK(A);
	lksync_lockdep_sys_exit();
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: lock held when returning to user space!"));
	CHECK(has("is leaving the kernel with locks still held!"));
	/* A reset keeps tracking what is held. */
	lksync_lockdep_reset();
	CHECK_EQ(debug_locks, 1);
	CHECK_EQ(lock_is_held(&A), 1);
	LOCK(B);
	UNLOCK(B);
	UNLOCK(A);
	CHECK_EQ(lockdep_depth(current), 0);
	CHECK_EQ(test_reports, 1);
}

static struct lockdep_map static_map;	/* zeroed: a static lock, its own class */

TEST(static_and_non_static_keys)
{
	struct lockdep_map stack_map = { 0 };

	fresh();
	LOCK(static_map);
	UNLOCK(static_map);
	CHECK_EQ(test_reports, 0);
	LOCK(stack_map);
	CHECK_EQ(test_reports, 1);
	CHECK(has("INFO: trying to register non-static key."));
	UNLOCK(stack_map);
}

static void abba_thread(int idx, void *arg)
{
	(void)arg;
	if (idx == 0) {
		LOCK(A); LOCK(B); UNLOCK(B); UNLOCK(A);
	} else {
		LOCK(B); LOCK(A); UNLOCK(A); UNLOCK(B);
	}
}

TEST(abba_two_tasks)
{
	fresh();
	test_threads(1, abba_thread, NULL);
	CHECK_EQ(test_reports, 0);
	{
		/* The second order on another task: index 1. */
		pthread_t t;
		struct test_thread_arg a = { abba_thread, NULL, 1 };

		pthread_create(&t, NULL, test_thread_main, &a);
		pthread_join(t, NULL);
	}
	CHECK_EQ(test_reports, 1);
	CHECK(has("possible circular locking dependency"));
}

static int other_holds;

static void hold_and_wait(int idx, void *arg)
{
	struct task_struct **me = arg;

	(void)idx;
	LOCK(C);
	LOCK(D);
	*me = current;
	get_task_struct(*me);
	__atomic_store_n(&other_holds, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&other_holds, __ATOMIC_ACQUIRE) == 1)
		usleep(100);
	UNLOCK(D);
	UNLOCK(C);
}

static void *hold_thread(void *arg)
{
	hold_and_wait(0, arg);
	return NULL;
}

TEST(other_tasks_locks)
{
	struct task_struct *t = NULL;
	pthread_t th;

	fresh();
	other_holds = 0;
	pthread_create(&th, NULL, hold_thread, &t);
	while (!__atomic_load_n(&other_holds, __ATOMIC_ACQUIRE))
		usleep(100);
	CHECK_EQ(lockdep_depth(t), 2);
	CHECK_EQ(lockdep_depth(current), 0);
	lockdep_print_held_locks(t);
	CHECK(has("2 locks held by "));
	CHECK(has("(C){+.+.}") && has("(D){+.+.}"));
	debug_show_all_locks();
	CHECK(has("Showing all locks held in the system:"));
	CHECK(has("(D){+.+.}"));
	__atomic_store_n(&other_holds, 2, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	put_task_struct(t);
	test_reports = 0;
}

/*
 * The wait-context rule: nothing that sleeps under a spinning lock or in
 * interrupt context; a spinlock_t nests in a raw_spinlock_t (no
 * PROVE_RAW_LOCK_NESTING); a trylock never waits; maps of wait type 0 are
 * not checked.
 */
TEST(invalid_wait_context)
{
	static struct lock_class_key kspin, kcfg, ksleep;
	struct lockdep_map spin, cfg, sleep;

	lockdep_init_map_wait(&spin, "spin", &kspin, 0, LD_WAIT_SPIN);
	lockdep_init_map_wait(&cfg, "cfg", &kcfg, 0, LD_WAIT_CONFIG);
	lockdep_init_map_wait(&sleep, "sleep", &ksleep, 0, LD_WAIT_SLEEP);

	fresh();
	LOCK(spin); LOCK(cfg); UNLOCK(cfg); UNLOCK(spin);
	LOCK(sleep); LOCK(spin); UNLOCK(spin); UNLOCK(sleep);
	TRYLOCK(spin); TRYLOCK(sleep); UNLOCK(sleep); UNLOCK(spin);
	LOCK(A); LOCK(sleep); UNLOCK(sleep); UNLOCK(A);
	CHECK_EQ(test_reports, 0);

	LOCK(cfg);
	LOCK(sleep);
	CHECK_EQ(test_reports, 1);
	CHECK(has("[ BUG: Invalid wait context ]"));
	CHECK(has(" is trying to lock:\n"));
	CHECK(has("(sleep){+.+.}-{3:3}"));
	CHECK(has("other info that might help us debug this:\ncontext-{4:4}\n"));
	CHECK(has("1 lock held by "));
	CHECK(has("(cfg){+.+.}-{2:2}"));
	UNLOCK(sleep);
	UNLOCK(cfg);

	/* In a hardirq the context itself spins; in a softirq it is CONFIG. */
	fresh();
	hardirq_enter();
	LOCK(spin); UNLOCK(spin);
	CHECK_EQ(test_reports, 0);
	LOCK(sleep);
	CHECK_EQ(test_reports, 1);
	CHECK(has("[ BUG: Invalid wait context ]"));
	CHECK(has("context-{2:2}"));
	UNLOCK(sleep);
	hardirq_exit();
	fresh();
	softirq_enter();
	LOCK(cfg); UNLOCK(cfg);
	TRYLOCK(sleep); UNLOCK(sleep);
	CHECK_EQ(test_reports, 0);
	LOCK(sleep);
	CHECK_EQ(test_reports, 1);
	CHECK(has("[ BUG: Invalid wait context ]"));
	UNLOCK(sleep);
	softirq_exit();
	fresh();
}

/* lockdep_copy_map(): the copy is the same class, with an empty cache. */
TEST(copy_map)
{
	struct lockdep_map copy;

	fresh();
	LOCK(A);
	UNLOCK(A);
	CHECK(A.class_cache[0] != NULL);
	memset(&copy, 0xa5, sizeof(copy));
	lockdep_copy_map(&copy, &A);
	CHECK(copy.key == A.key && copy.name == A.name);
	CHECK(copy.class_cache[0] == NULL && copy.class_cache[1] == NULL);
	LOCK(copy);
	UNLOCK(copy);
	CHECK_EQ(test_reports, 0);
	CHECK(copy.class_cache[0] == A.class_cache[0]);
	LOCK(A);
	LOCK(copy);
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: possible recursive locking detected"));
	UNLOCK(copy);
	UNLOCK(A);
}

/* might_lock() & co., lock_sync(), no-track classes, wait-type overrides. */
static DEFINE_SPINLOCK(ml_a);
static DEFINE_SPINLOCK(ml_b);
static DEFINE_RWLOCK(ml_rw);
static spinlock_t notrack;
static DEFINE_WAIT_OVERRIDE_MAP(sleep_ok, LD_WAIT_SLEEP);

TEST(annotations)
{
	static struct lock_class_key ksleep;
	struct lockdep_map sleep;

	/* might_lock(): the dependency is learned, the lock is not left held. */
	fresh();
	spin_lock(&ml_a);
	might_lock(&ml_b);
	CHECK_EQ(lockdep_depth(current), 1);
	spin_unlock(&ml_a);
	CHECK_EQ(test_reports, 0);
	spin_lock(&ml_b);
	spin_lock(&ml_a);
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: possible circular locking dependency detected"));
	spin_unlock(&ml_a);
	spin_unlock(&ml_b);

	/* might_lock_read() and lock_sync(): the same, through other paths. */
	fresh();
	spin_lock(&ml_a);
	might_lock_read(&ml_rw);
	spin_unlock(&ml_a);
	write_lock(&ml_rw);
	spin_lock(&ml_a);
	CHECK_EQ(test_reports, 1);
	CHECK(has("possible circular locking dependency"));
	spin_unlock(&ml_a);
	write_unlock(&ml_rw);
	fresh();
	LOCK(A);
	lock_sync(&B, 0, 0, 1, NULL, _THIS_IP_);
	CHECK_EQ(lockdep_depth(current), 1);
	UNLOCK(A);
	LOCK(B);
	LOCK(A);
	CHECK_EQ(test_reports, 1);
	UNLOCK(A);
	UNLOCK(B);

	/* A no-track class is not even held. */
	fresh();
	spin_lock_init(&notrack);
	lockdep_set_notrack_class(&notrack);
	spin_lock(&notrack);
	CHECK_EQ(lockdep_depth(current), 0);
	spin_lock(&ml_a);
	spin_unlock(&ml_a);
	spin_unlock(&notrack);
	spin_lock(&ml_a);
	spin_lock(&notrack);
	spin_unlock(&notrack);
	spin_unlock(&ml_a);
	CHECK_EQ(test_reports, 0);

	/* A wait-type override lets a hardirq take what sleeps, and only under it. */
	lockdep_init_map_wait(&sleep, "sleep", &ksleep, 0, LD_WAIT_SLEEP);
	fresh();
	hardirq_enter();
	lock_map_acquire_try(&sleep_ok);
	LOCK(sleep);
	UNLOCK(sleep);
	lock_map_release(&sleep_ok);
	CHECK_EQ(test_reports, 0);
	LOCK(sleep);
	CHECK_EQ(test_reports, 1);
	CHECK(has("[ BUG: Invalid wait context ]"));
	UNLOCK(sleep);
	hardirq_exit();

	/* lockdep_assert_no_hardirq(): interrupts off, or in a handler. */
	fresh();
	lockdep_assert_no_hardirq();
	CHECK_EQ(test_reports, 0);
	hardirq_enter();
	lockdep_assert_no_hardirq();
	hardirq_exit();
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: "));
	lockdep_assert_RT_in_threaded_ctx();

	/* debug_show_held_locks(): the list, or that lockdep is off. */
	fresh();
	LOCK(A);
	debug_show_held_locks(current);
	CHECK(has("1 lock held by ") && has("(A)"));
	lksync_debug_locks = 0;
	debug_show_held_locks(current);
	CHECK(has("INFO: lockdep is turned off."));
	UNLOCK(A);
	fresh();
}

/* lock_set_cmp_fn(): locks of one class nest in address order, not the other way. */
static int by_address(const struct lockdep_map *a, const struct lockdep_map *b)
{
	return a < b ? -1 : a > b;
}

static int other_cmp(const struct lockdep_map *a, const struct lockdep_map *b)
{
	return by_address(b, a);
}

TEST(cmp_fn_nesting)
{
	static struct lock_class_key kord;
	static struct { struct lockdep_map dep_map; } locks[2];
	struct lockdep_map *lo = &locks[0].dep_map, *hi = &locks[1].dep_map;

	lockdep_init_map(lo, "ord", &kord, 0);
	lockdep_init_map(hi, "ord", &kord, 0);
	fresh();
	lockdep_init_map(lo, "ord", &kord, 0);
	lockdep_init_map(hi, "ord", &kord, 0);
	lock_set_cmp_fn(&locks[0], by_address, NULL);
	LOCK(*lo);
	LOCK(*hi);
	CHECK_EQ(test_reports, 0);
	UNLOCK(*hi);
	UNLOCK(*lo);
	/* A second, different function for the class warns. */
	lock_set_cmp_fn(&locks[1], other_cmp, NULL);
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: "));

	/* Out of order (a new chain: a fresh graph): recursion, as without it. */
	fresh();
	lockdep_init_map(lo, "ord", &kord, 0);
	lockdep_init_map(hi, "ord", &kord, 0);
	lock_set_cmp_fn(&locks[0], by_address, NULL);
	LOCK(*hi);
	LOCK(*lo);
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: possible recursive locking detected"));
	UNLOCK(*lo);
	UNLOCK(*hi);
	fresh();
}

/* A dynamic key in heap memory, as a module's or an object's. */
static struct lock_class_key *new_key(void)
{
	struct lock_class_key *k = calloc(1, sizeof(*k));

	lockdep_register_key(k);
	return k;
}

static void free_key(struct lock_class_key *k)
{
	lockdep_unregister_key(k);
	free(k);
}

TEST(unregistered_key)
{
	struct lock_class_key *dyn = new_key();
	struct lockdep_map m1, m2;

	fresh();
	lockdep_init_map(&m1, "dyn", dyn, 0);
	lockdep_init_map(&m2, "B", &kb, 0);
	LOCK(m1); LOCK(m2); UNLOCK(m2); UNLOCK(m1);
	/* The key goes away (a module unloads): its class and ordering with it. */
	free_key(dyn);
	dyn = new_key();
	lockdep_init_map(&m1, "dyn", dyn, 0);
	LOCK(m2); LOCK(m1); UNLOCK(m1); UNLOCK(m2);
	CHECK_EQ(test_reports, 0);
	free_key(dyn);
	CHECK_EQ(test_reports, 0);
}

/*
 * A class zapped with its key takes its dependencies with it: A -> X -> B
 * through a freed X must not close a cycle with a later B -> A. Before the
 * zap, the same B -> A is reported (the path runs through X).
 */
TEST(zapped_key_takes_its_dependencies)
{
	for (int zap = 0; zap < 2; zap++) {
		struct lock_class_key *k = new_key();
		struct lockdep_map x;

		fresh();
		lockdep_init_map(&x, "X", k, 0);
		LOCK(A); LOCK(x); UNLOCK(x); UNLOCK(A);
		LOCK(x); LOCK(B); UNLOCK(B); UNLOCK(x);
		if (zap)
			free_key(k);
		LOCK(B); LOCK(A); UNLOCK(A); UNLOCK(B);
		CHECK_EQ(test_reports, 1 - zap);
		if (!zap) {
			CHECK(has("WARNING: possible circular locking dependency detected"));
			CHECK(has("(X){+.+.}"));
			free_key(k);
		}
	}
	/*
	 * Freed slots chained while other keys are zapped: three keys, the
	 * third with a dependency on a static class, all unregistered, then
	 * new dependencies and a real cycle (a free slot's chain read as a
	 * dependency list once corrupted the graph and hung the next search).
	 */
	fresh();
	{
		struct lock_class_key *k1 = new_key(), *k2 = new_key(), *k3 = new_key();
		struct lockdep_map m1, m2, m3;

		lockdep_init_map(&m1, "m1", k1, 0);
		lockdep_init_map(&m2, "m2", k2, 0);
		lockdep_init_map(&m3, "m3", k3, 0);
		LOCK(m1); UNLOCK(m1);
		LOCK(m2); UNLOCK(m2);
		LOCK(A); LOCK(m3); UNLOCK(m3); UNLOCK(A);
		CHECK_EQ(lksync_lockdep_selfcheck(), 0);
		free_key(k1);
		free_key(k2);
		CHECK_EQ(lksync_lockdep_selfcheck(), 0);
		free_key(k3);
		CHECK_EQ(lksync_lockdep_selfcheck(), 0);
		LOCK(A); LOCK(B); UNLOCK(B); UNLOCK(A);
		LOCK(B); LOCK(C); UNLOCK(C); UNLOCK(B);
		LOCK(C); LOCK(D); UNLOCK(D); UNLOCK(C);
		LOCK(A); LOCK(D); UNLOCK(D); UNLOCK(A);
		CHECK_EQ(test_reports, 0);
		CHECK_EQ(lksync_lockdep_selfcheck(), 0);
		LOCK(D); LOCK(A); UNLOCK(A); UNLOCK(D);
		CHECK_EQ(test_reports, 1);
		CHECK(has("WARNING: possible circular locking dependency detected"));
	}

	/*
	 * The slots come back, and the traces of the same call sites are
	 * kept once: far more keys over time than MAX_LOCKDEP_KEYS (8192),
	 * and far more dependencies than the trace pool holds.
	 */
	fresh();
	for (long i = 0; i < 40000; i++) {
		struct lock_class_key *k = new_key();
		struct lockdep_map x;

		lockdep_init_map(&x, "churn", k, 0);
		LOCK(A); LOCK(x); UNLOCK(x); UNLOCK(A);
		LOCK(x); LOCK(B); UNLOCK(B); UNLOCK(x);
		free_key(k);
	}
	CHECK_EQ(lksync_lockdep_selfcheck(), 0);
	CHECK_EQ(test_reports, 0);
	CHECK_EQ(debug_locks, 1);
	/* The graph still works afterwards. */
	LOCK(A); LOCK(B); UNLOCK(B); UNLOCK(A);
	LOCK(B); LOCK(A); UNLOCK(A); UNLOCK(B);
	CHECK_EQ(test_reports, 1);
	CHECK(has("possible circular locking dependency"));
}

/* The kernel's key checks: registered or static, registered once, dynamic only. */
TEST(key_registration_checks)
{
	struct lock_class_key *heap = calloc(1, sizeof(*heap));
	struct lock_class_key *k;
	struct lockdep_map m;

	fresh();
	lockdep_init_map(&m, "m", heap, 0);
	CHECK_EQ(test_reports, 1);
	CHECK(has("BUG: key ") && has(" has not been registered!"));
	CHECK(has("DEBUG_LOCKS_WARN_ON(1)"));
	CHECK_EQ(debug_locks, 0);

	fresh();
	lockdep_register_key(heap);
	lockdep_init_map(&m, "m", heap, 0);
	LOCK(m); UNLOCK(m);
	CHECK_EQ(test_reports, 0);
	lockdep_register_key(heap);		/* twice */
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: "));
	free_key(heap);
	CHECK_EQ(test_reports, 1);

	fresh();
	k = calloc(1, sizeof(*k));
	lockdep_unregister_key(k);		/* never registered */
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: "));
	free(k);

	fresh();
	lockdep_register_key(&ka);		/* static: not a dynamic key */
	CHECK_EQ(test_reports, 1);
	CHECK(has("WARNING: "));
	lockdep_unregister_key(&ka);
	CHECK_EQ(test_reports, 2);
	fresh();
}

/*
 * A statically initialized lock must be static storage (the kernel's
 * assign_lock_key()): a DEFINE_SPINLOCK() on the stack is reported; every
 * CPU's copy of a static per-CPU lock is one class, keyed by the variable;
 * an alloc_percpu() lock needs spin_lock_init().
 */
static DEFINE_PER_CPU(spinlock_t, pcpu_lock) = __SPIN_LOCK_UNLOCKED(pcpu_lock);

TEST(static_initializers_need_static_storage)
{
	unsigned int other = nr_cpu_ids > 1 ? 1 : 0;
	spinlock_t __percpu *dyn;

	{
		DEFINE_SPINLOCK(on_stack);

		fresh();
		spin_lock(&on_stack);
		spin_unlock(&on_stack);
		CHECK_EQ(test_reports, 1);
		CHECK(has("INFO: trying to register non-static key."));
		CHECK(has("name: on_stack"));
	}

	fresh();
	spin_lock(per_cpu_ptr(&pcpu_lock, 0));
	spin_unlock(per_cpu_ptr(&pcpu_lock, 0));
	spin_lock(per_cpu_ptr(&pcpu_lock, other));
	spin_unlock(per_cpu_ptr(&pcpu_lock, other));
	CHECK_EQ(test_reports, 0);
	CHECK(per_cpu_ptr(&pcpu_lock, 0)->dep_map.key != NULL);
	CHECK(per_cpu_ptr(&pcpu_lock, 0)->dep_map.key ==
	      per_cpu_ptr(&pcpu_lock, other)->dep_map.key);
	if (other) {
		/* One class: two CPUs' copies nested without annotation are recursion. */
		spin_lock(per_cpu_ptr(&pcpu_lock, 0));
		spin_lock(per_cpu_ptr(&pcpu_lock, 1));
		CHECK_EQ(test_reports, 1);
		CHECK(has("WARNING: possible recursive locking detected"));
		CHECK(has("(pcpu_lock)"));
		spin_unlock(per_cpu_ptr(&pcpu_lock, 1));
		spin_unlock(per_cpu_ptr(&pcpu_lock, 0));
	}

	fresh();
	dyn = alloc_percpu(spinlock_t);
	CHECK(dyn != NULL);
	*per_cpu_ptr(dyn, 0) = (spinlock_t)__SPIN_LOCK_UNLOCKED(dyn);
	spin_lock(per_cpu_ptr(dyn, 0));
	spin_unlock(per_cpu_ptr(dyn, 0));
	CHECK_EQ(test_reports, 1);
	CHECK(has("INFO: trying to register non-static key."));
	fresh();
	for (unsigned int cpu = 0; cpu <= other; cpu++)
		spin_lock_init(per_cpu_ptr(dyn, cpu));
	spin_lock(per_cpu_ptr(dyn, other));
	spin_unlock(per_cpu_ptr(dyn, other));
	CHECK_EQ(test_reports, 0);
	free_percpu(dyn);
}

TEST(dot_file)
{
	char path[] = "/tmp/lksync-lockdep-XXXXXX";
	char text[4096] = "";
	int fd = mkstemp(path);
	ssize_t n;

	CHECK(fd >= 0);
	close(fd);
	lksync_lockdep_set_dot_file(path);
	fresh();
	LOCK(A); LOCK(B); UNLOCK(B); UNLOCK(A);
	LOCK(B); LOCK(A); UNLOCK(A); UNLOCK(B);
	lksync_lockdep_set_dot_file(NULL);
	CHECK_EQ(test_reports, 1);
	fd = open(path, O_RDONLY);
	n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
	if (fd >= 0)
		close(fd);
	unlink(path);
	CHECK(n > 0);
	CHECK(strstr(text, "digraph lockdep_cycle {") != NULL);
	CHECK(strstr(text, "label=\"A\"") && strstr(text, "label=\"B\""));
	CHECK(strstr(text, "color=red") != NULL);
}

static void drop_sink(const char *text, void *arg)
{
	(void)text;
	(void)arg;
}

TEST(panic_on_first_report)
{
	pid_t pid;
	int status = 0;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);
		lksync_set_report_sink(drop_sink, NULL);
		/* The held-locks listing is information: it must not abort. */
		lksync_set_panic_on_warn(1);
		lockdep_print_held_locks(NULL);
		fresh();
		LOCK(A);
		LOCK(A);	/* reported, then abort() */
		_exit(0);
	}
	CHECK(pid > 0);
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	CHECK_EQ(lksync_set_panic_on_warn(0), 0);
}

TEST(cached_chain_cost)
{
	long iters = test_scale(1000000);
	long long t0, t1;

	fresh();
	LOCK(A); LOCK(B); UNLOCK(B); UNLOCK(A);
	for (int stat = 0; stat < 2; stat++) {
		int old = lksync_lock_stat_enable(stat);

		t0 = test_now_ns();
		for (long i = 0; i < iters; i++) {
			LOCK(A);
			LOCK(B);
			UNLOCK(B);
			UNLOCK(A);
		}
		t1 = test_now_ns();
		lksync_lock_stat_enable(old);
		printf("     lockdep: %.1f ns per acquire/release pair (chain cached, lock_stat %s)\n",
		       (double)(t1 - t0) / (double)iters / 2, stat ? "on" : "off");
	}
	CHECK_EQ(test_reports, 0);
}

/* LOCKDEP_TEST_VERBOSE=1: every report also goes to stderr. */
static void verbose_sink(const char *text, void *arg)
{
	if (strstr(text, "still has locks held!"))
		snprintf(exit_report, sizeof(exit_report), "%s", text);
	test_report_sink(text, arg);
	if (getenv("LOCKDEP_TEST_VERBOSE"))
		fputs(text, stderr);
}

int main(void)
{
	test_watchdog(60);
	lksync_set_report_sink(verbose_sink, NULL);
	RUN(aa_recursive);
	RUN(abba_circular);
	RUN(abbcca_chain);
	RUN(unlock_out_of_order_is_fine);
	RUN(read_rules);
	RUN(trylock_adds_no_dependency);
	RUN(nesting_annotations);
	RUN(bad_unlock_and_freed);
	RUN(downgrade_and_set_class);
	RUN(held_locks_and_asserts);
	RUN(hardirq_inconsistent);
	RUN(softirq_inconsistent);
	RUN(irq_safe_unsafe_order);
	RUN(irqs_on_with_lock_held);
	RUN(irq_inversion);
	RUN(irq_contexts_separate_chains);
	RUN(exit_with_lock_held);
	RUN(sys_exit_and_reset);
	RUN(static_and_non_static_keys);
	RUN(abba_two_tasks);
	RUN(other_tasks_locks);
	RUN(invalid_wait_context);
	RUN(copy_map);
	RUN(annotations);
	RUN(cmp_fn_nesting);
	RUN(unregistered_key);
	RUN(zapped_key_takes_its_dependencies);
	RUN(key_registration_checks);
	RUN(static_initializers_need_static_storage);
	RUN(dot_file);
	RUN(panic_on_first_report);
	RUN(cached_chain_cost);
	lksync_lockdep_reset();
	return test_done();
}
#endif /* LKSYNC_DEBUG */
