// SPDX-License-Identifier: MIT
/*
 * Love's request-queue race: several threads add requests to the tail of a
 * queue while others remove them from the head and service them. A spinlock
 * protects the queue (the data, not the code); every request is serviced
 * exactly once even with far more threads than CPUs.
 *
 * needs: SMP (real exclusion between threads)
 */
#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/printk.h>
#include <pthread.h>
#include <stdlib.h>

#define PRODUCERS	6
#define CONSUMERS	6
#define PER_PRODUCER	20000

struct request {
	struct request *next;
	int payload;
};

static DEFINE_SPINLOCK(queue_lock);
static struct request *head, **tail = &head;	/* protected by queue_lock */
static atomic_t serviced = ATOMIC_INIT(0);
static atomic_long_t checksum = ATOMIC_LONG_INIT(0);

static void add_request(struct request *rq)
{
	rq->next = NULL;
	spin_lock(&queue_lock);
	*tail = rq;
	tail = &rq->next;
	spin_unlock(&queue_lock);
}

static struct request *remove_request(void)
{
	struct request *rq;

	spin_lock(&queue_lock);
	rq = head;
	if (rq) {
		head = rq->next;
		if (!head)
			tail = &head;
	}
	spin_unlock(&queue_lock);
	return rq;
}

static void *producer(void *arg)
{
	for (int i = 1; i <= PER_PRODUCER; i++) {
		struct request *rq = malloc(sizeof(*rq));

		if (!rq)
			abort();
		rq->payload = i;
		add_request(rq);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	while (atomic_read(&serviced) < PRODUCERS * PER_PRODUCER) {
		struct request *rq = remove_request();

		if (!rq)
			continue;
		atomic_long_add(rq->payload, &checksum);	/* "service" it */
		atomic_inc(&serviced);
		free(rq);
	}
	return NULL;
}

int main(void)
{
	pthread_t p[PRODUCERS], c[CONSUMERS];
	long want = (long)PRODUCERS * PER_PRODUCER * (PER_PRODUCER + 1) / 2;

	for (int i = 0; i < CONSUMERS; i++)
		pthread_create(&c[i], NULL, consumer, NULL);
	for (int i = 0; i < PRODUCERS; i++)
		pthread_create(&p[i], NULL, producer, NULL);
	for (int i = 0; i < PRODUCERS; i++)
		pthread_join(p[i], NULL);
	for (int i = 0; i < CONSUMERS; i++)
		pthread_join(c[i], NULL);
	pr_info("serviced %d requests, checksum %ld (want %ld)\n",
		atomic_read(&serviced), atomic_long_read(&checksum), want);
	return atomic_long_read(&checksum) == want && !head ? 0 : 1;
}
