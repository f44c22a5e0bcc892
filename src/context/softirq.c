// SPDX-License-Identifier: MIT
/*
 * Layer: context. Softirqs: run at interrupt exit and local_bh_enable().
 * (Placeholder until the softirq layer lands: nothing raises softirqs.)
 */
#include <lksync/bottom_half.h>

void lksync_bh_enable_slow(void)
{
	__atomic_and_fetch(&lksync_tls.pending, ~LKSYNC_PENDING_SOFTIRQ, __ATOMIC_RELAXED);
}
