// SPDX-License-Identifier: MIT
/*
 * Layer: debug. DEBUG_ATOMIC_SLEEP: might_sleep() and the scheduling-while-
 * atomic check. Built only into the debug flavor.
 *
 * STUB: accepts every call; the checks replace this file.
 */
#include <lksync/sched.h>

#ifdef LKSYNC_DEBUG
void lksync_might_sleep(const char *file, int line) { }
#endif
