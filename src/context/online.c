// SPDX-License-Identifier: MIT
/* Layer: context. Bringing ksoftirqd, the clock and the workqueue manager online together. */
#include <lksync/preempt.h>
#include "context/online.h"
#include "context/softirq.h"
#include "context/timer.h"

int lksync_context_online(void)
{
	int ret = 0;

	if (!in_task())
		return 0;
	if (!lksync_softirq_ready())
		ret = lksync_softirq_init();
	if (!lksync_tick_started())
		lksync_tick_start();
	lksync_wq_manager_start();
	return ret;
}
