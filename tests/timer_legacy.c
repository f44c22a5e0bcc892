// SPDX-License-Identifier: MIT
/*
 * Legacy timers: setup_timer(timer, fn, data) with the pre-4.15 callback
 * void fn(unsigned long), init_timer() + timer->function, and the on-stack
 * forms.
 */
#include <lksync/timer.h>
#include <lksync/delay.h>
#include <lksync/interrupt.h>
#include "lksync_test.h"

struct dev {
	struct timer_list timer;
	int fired;
	unsigned long got;
	long long at;
	int in_softirq;
};

static void legacy_fn(unsigned long data)
{
	struct dev *d = (struct dev *)data;

	d->got = data;
	d->at = test_now_ms();
	d->in_softirq = in_softirq() || in_serving_softirq();
	__atomic_add_fetch(&d->fired, 1, __ATOMIC_RELEASE);
}

static int fired(struct dev *d, int n)
{
	for (int i = 0; i < 4000 && __atomic_load_n(&d->fired, __ATOMIC_ACQUIRE) < n; i++)
		usleep(500);
	return __atomic_load_n(&d->fired, __ATOMIC_ACQUIRE);
}

TEST(setup_timer_data)
{
	struct dev a = { 0 }, b = { 0 };
	long long t0 = test_now_ms();

	setup_timer(&a.timer, legacy_fn, (unsigned long)&a);
	setup_timer(&b.timer, legacy_fn, (unsigned long)&b);
	CHECK(!timer_pending(&a.timer));
	CHECK_EQ(mod_timer(&a.timer, jiffies + msecs_to_jiffies(30)), 0);
	CHECK_EQ(mod_timer(&b.timer, jiffies + 1), 0);
	CHECK_EQ(fired(&b, 1), 1);
	CHECK(b.got == (unsigned long)&b);		/* each timer its own data */
	msleep(5);
	CHECK_EQ(__atomic_load_n(&a.fired, __ATOMIC_ACQUIRE), 0);
	CHECK_EQ(fired(&a, 1), 1);
	CHECK(a.got == (unsigned long)&a);
	CHECK(a.at - t0 >= 28);
	CHECK(a.in_softirq);				/* timer (softirq) context */

	/* Set up again: new data replaces the old. */
	setup_timer(&a.timer, legacy_fn, (unsigned long)&b);
	a.timer.expires = jiffies + 1;
	add_timer(&a.timer);
	CHECK_EQ(fired(&b, 2), 2);
	CHECK_EQ(__atomic_load_n(&a.fired, __ATOMIC_ACQUIRE), 1);

	/* Deleted before it fires: never runs. */
	mod_timer(&b.timer, jiffies + msecs_to_jiffies(20));
	CHECK_EQ(timer_delete_sync(&b.timer), 1);
	msleep(40);
	CHECK_EQ(__atomic_load_n(&b.fired, __ATOMIC_ACQUIRE), 2);
}

TEST(on_stack_and_flags)
{
	for (int i = 0; i < 50; i++) {
		struct dev d = { 0 };

		setup_timer_on_stack(&d.timer, legacy_fn, (unsigned long)&d);
		mod_timer(&d.timer, jiffies);
		if (fired(&d, 1) != 1 || d.got != (unsigned long)&d) {
			CHECK(0);
			break;
		}
		timer_delete_sync(&d.timer);
		destroy_timer_on_stack(&d.timer);
	}
	struct dev e = { 0 };

	setup_deferrable_timer(&e.timer, legacy_fn, (unsigned long)&e);
	CHECK(e.timer.flags & TIMER_DEFERRABLE);
	mod_timer(&e.timer, jiffies + 1);
	CHECK_EQ(fired(&e, 1), 1);
	setup_pinned_timer(&e.timer, legacy_fn, (unsigned long)&e);
	CHECK(e.timer.flags & TIMER_PINNED);
	CHECK(!(e.timer.flags & TIMER_DEFERRABLE));
}

static int modern_fired;

static void modern_fn(struct timer_list *t)
{
	__atomic_add_fetch(&modern_fired, 1, __ATOMIC_RELEASE);
}

TEST(init_timer_then_function)
{
	struct timer_list t;
	struct dev d = { 0 };

	init_timer(&t);
	CHECK(t.function == NULL && !timer_pending(&t));
	t.function = modern_fn;
	t.expires = jiffies + 1;
	add_timer(&t);
	for (int i = 0; i < 4000 && !__atomic_load_n(&modern_fired, __ATOMIC_ACQUIRE); i++)
		usleep(500);
	CHECK_EQ(__atomic_load_n(&modern_fired, __ATOMIC_ACQUIRE), 1);

	init_timer_on_stack(&d.timer);
	init_timer_deferrable(&t);
	CHECK(t.flags & TIMER_DEFERRABLE);
	/* A legacy timer's address reused by a modern timer: the modern callback runs. */
	setup_timer(&d.timer, legacy_fn, (unsigned long)&d);
	timer_setup(&d.timer, modern_fn, 0);
	mod_timer(&d.timer, jiffies + 1);
	for (int i = 0; i < 4000 && __atomic_load_n(&modern_fired, __ATOMIC_ACQUIRE) < 2; i++)
		usleep(500);
	CHECK_EQ(__atomic_load_n(&modern_fired, __ATOMIC_ACQUIRE), 2);
	CHECK_EQ(__atomic_load_n(&d.fired, __ATOMIC_ACQUIRE), 0);
	destroy_timer_on_stack(&d.timer);
}

int main(void)
{
	test_watchdog(20);
	RUN(setup_timer_data);
	RUN(on_stack_and_flags);
	RUN(init_timer_then_function);
	return test_done();
}
