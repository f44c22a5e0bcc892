/* SPDX-License-Identifier: MIT */
/*
 * Layer: tools. One measured run: n threads released together on a barrier
 * run an adapter's loop; the main thread samples every thread's operation
 * count and CPU clock after a warm-up and again at the deadline, so the
 * window is closed by the clock, not by the slowest lock holder. Then the threads are told to
 * stop and are joined within a bound, and the protected data is checked
 * against the operation counts.
 */
#ifndef BENCH_DRIVER_H
#define BENCH_DRIVER_H

#include "bench.h"

struct bench_params {
	double duration;	/* seconds in the measured window */
	double join_timeout;	/* seconds to wait for threads after the window */
	unsigned cs, outside;	/* work units inside / outside the lock */
	unsigned batch;		/* W_PAIR iterations between stop checks */
	int seq_writer;		/* W_SEQ: run a concurrent writer thread */
	unsigned writer_pause;	/* its work units between writes */
};

struct bench_sample {
	double seconds;		/* measured window, wall clock */
	double cpu_seconds;	/* CPU time the measured threads used in it */
	unsigned long total;	/* operations in the window, all threads */
	unsigned long min, max;	/* per-thread operations in the window */
};

/*
 * Measure one configuration. Returns 0, or exits the process: 2 when the
 * protected data disagrees with the operation counts (a broken lock), 3
 * when threads do not finish within join_timeout (a stuck lock).
 */
int bench_measure(const struct bench_adapter *a, enum bench_workload w,
		  unsigned nthreads, const struct bench_params *p,
		  struct bench_sample *out);

#endif /* BENCH_DRIVER_H */
