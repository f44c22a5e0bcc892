// SPDX-License-Identifier: MIT
/* Placeholder while the workqueue table is not built. */
#include "context.h"

int bench_workqueue(FILE *out, const struct bench_ctx_params *p)
{
	fprintf(out, "\n== workqueue: table not built\n");
	return 0;
}
