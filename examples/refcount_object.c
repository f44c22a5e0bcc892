// SPDX-License-Identifier: MIT
/*
 * An object shared by several threads lives until the last reference is
 * dropped: refcount_dec_and_test() returns true for exactly one of them, and
 * that one frees it. Taking a reference on a dying object is refused by
 * refcount_inc_not_zero(), the lookup pattern of kernel caches.
 */
#include <linux/refcount.h>
#include <linux/atomic.h>
#include <linux/printk.h>
#include <pthread.h>
#include <stdlib.h>

#define THREADS 8

struct object {
	refcount_t ref;
	int data;
};

static atomic_t frees = ATOMIC_INIT(0);

static void put_object(struct object *obj)
{
	if (refcount_dec_and_test(&obj->ref)) {
		atomic_inc(&frees);
		free(obj);
	}
}

static void *user(void *arg)
{
	struct object *obj = arg;

	for (int i = 0; i < 1000; i++) {
		if (refcount_inc_not_zero(&obj->ref))	/* a lookup's temporary reference */
			put_object(obj);
	}
	put_object(obj);	/* the reference we were handed */
	return NULL;
}

int main(void)
{
	for (int round = 0; round < 200; round++) {
		struct object *obj = malloc(sizeof(*obj));
		pthread_t t[THREADS];

		if (!obj)
			abort();
		refcount_set(&obj->ref, THREADS);	/* one reference per thread */
		obj->data = round;
		for (int i = 0; i < THREADS; i++)
			pthread_create(&t[i], NULL, user, obj);
		for (int i = 0; i < THREADS; i++)
			pthread_join(t[i], NULL);
	}
	pr_info("200 objects, %d freed exactly once each\n", atomic_read(&frees));
	return atomic_read(&frees) == 200 ? 0 : 1;
}
