// SPDX-License-Identifier: MIT
/*
 * lksync-bench: every lksync primitive side by side with its baselines
 * (glibc, C11, Concurrency Kit, GLib), all driven by the same loops; medians over
 * repetitions, a table, the targets judged against the baselines of
 * the same run, CSV and a gnuplot PNG on request.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "adapters.h"
#include "context.h"
#include "driver.h"
#include "report.h"

#define BENCH_ADAPTER_REF(id) &bench_##id,
static const struct bench_adapter *const adapters[] = {
	BENCH_ADAPTERS(BENCH_ADAPTER_REF)
};
#define NR_ADAPTERS (sizeof(adapters) / sizeof(adapters[0]))

static const struct bench_table tables[] = {
	{ .key = "uncontended", .title = "uncontended lock+unlock, 1 thread",
	  .family = BENCH_SPIN, .workload = W_PAIR, .fixed = 1, .show_ns = 1 },
	{ .key = "spin", .title = "exclusive lock: lock; counter++; cs; unlock",
	  .family = BENCH_SPIN, .workload = W_SPIN },
	{ .key = "rw-read", .title = "reader-writer lock, readers only",
	  .family = BENCH_RW, .workload = W_READ },
	{ .key = "rw-mix", .title = "reader-writer lock, 90% reads / 10% writes",
	  .family = BENCH_RW, .workload = W_MIX },
	{ .key = "seq", .title = "sequence-lock read side: 2-word read",
	  .family = BENCH_SEQ, .workload = W_SEQ, .show_ns = 1 },
	{ .key = "seq-writer", .title = "sequence-lock read side, one concurrent writer",
	  .family = BENCH_SEQ, .workload = W_SEQ, .show_ns = 1, .writer = 1 },
	{ .key = "atomic", .title = "atomic increment of one shared counter",
	  .family = BENCH_ATOMIC, .workload = W_ATOMIC },
	{ .key = "mutex-uncontended", .title = "uncontended mutex lock+unlock, 1 thread",
	  .family = BENCH_MUTEX, .workload = W_PAIR, .fixed = 1, .show_ns = 1 },
	{ .key = "mutex", .title = "sleeping lock: lock; counter++; cs; unlock",
	  .family = BENCH_MUTEX, .workload = W_SPIN },
	{ .key = "sem", .title = "binary semaphore: down; counter++; cs; up",
	  .family = BENCH_SEM, .workload = W_SPIN },
	{ .key = "sem-count", .title = "counting semaphore (count " BENCH_STR(BENCH_SEM_COUNT)
	  "): down; cs; up",
	  .family = BENCH_SEM, .workload = W_COUNT },
	{ .key = "rwsem-read", .title = "sleeping reader-writer lock, readers only",
	  .family = BENCH_RWSEM, .workload = W_READ },
	{ .key = "rwsem-mix", .title = "sleeping reader-writer lock, 90% reads / 10% writes",
	  .family = BENCH_RWSEM, .workload = W_MIX },
	{ .key = "wakeup", .title = "wake-up latency: two threads ping-pong, one-way wake-to-run",
	  .family = BENCH_WAKE, .workload = W_PINGPONG, .fixed = 2, .latency = 1 },
};
#define NR_TABLES (sizeof(tables) / sizeof(tables[0]))

/* lksync adapters that should exist; missing ones are reported, not hidden */
static const char *const lksync_expected[] = {
	"lksync_spin", "lksync_rwlock", "lksync_seqlock",
	"lksync_atomic_inc", "lksync_atomic_add_return",
	"lksync_mutex", "lksync_sem", "lksync_sem_count", "lksync_rwsem",
	"lksync_completion", "lksync_waitqueue", "lksync_wake_up_process",
};

static struct {
	struct bench_params p;
	unsigned reps;
	unsigned threads[64];
	unsigned nr_threads;
	const char *family, *adapters, *csv, *plot;
	int check, quick, list, progress, seq_writer;
} opt = {
	.p = { .duration = 1.0, .cs = 4, .outside = 0, .batch = 256,
	       .writer_pause = 200, .join_timeout = 60 },
	.reps = 5,
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: lksync-bench [options]\n"
"  --quick            short run for a summary: 0.1 s x 3 repetitions, 1,2,8,32 threads\n"
"  --duration S       seconds per measured run (default 1)\n"
"  --reps R           repetitions per configuration; medians are reported (default 5)\n"
"  --threads LIST     thread counts, e.g. 1,2,4,8,16,32,64 (default 1,2,4,8,32)\n"
"  --cs N             work units inside the critical section (default 4)\n"
"  --outside N        work units between operations (default 0)\n"
"  --family LIST      tables to run: uncontended,spin,rw(-read,-mix),seq(-writer),atomic,\n"
"                     mutex(-uncontended),sem(-count),rwsem(-read,-mix),wakeup,\n"
"                     irq,timer,workqueue (execution contexts)\n"
"  --adapters LIST    adapters whose name or key contains one of LIST (case-insensitive)\n"
"  --seq-writer       also the seq-writer table: seq readers with one concurrent writer\n"
"  --csv FILE         write every median: family,adapter,threads,mops,fairness,ns_per_op,reps\n"
"  --plot FILE.png    gnuplot: throughput against threads, one panel per table\n"
"  --check            exit 1 when a target fails\n"
"  --join-timeout S   seconds to wait for threads after a run before giving up (default 60)\n"
"  --list             list tables and adapters\n"
"  --help\n");
}

static int parse_threads(const char *s)
{
	char *end;

	opt.nr_threads = 0;
	while (*s) {
		unsigned long v = strtoul(s, &end, 10);

		if (end == s || v == 0 || v > 1024 || opt.nr_threads == 64)
			return -1;
		opt.threads[opt.nr_threads++] = (unsigned)v;
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return -1;
	}
	return opt.nr_threads ? 0 : -1;
}

/* Does comma-separated LIST contain WORD, or WORD's stem before a '-'? */
static int in_list(const char *list, const char *word)
{
	size_t stem = strcspn(word, "-");

	for (const char *s = list; *s; ) {
		size_t n = strcspn(s, ",");

		if ((n == strlen(word) && !strncmp(s, word, n)) ||
		    (n == stem && !strncmp(s, word, n)))
			return 1;
		s += n + (s[n] == ',');
	}
	return 0;
}

/* The seq-writer table runs on --seq-writer, or when --family names it. */
static int table_selected(const struct bench_table *tb)
{
	if (tb->writer && !opt.seq_writer && !(opt.family && strstr(opt.family, tb->key)))
		return 0;
	return !opt.family || in_list(opt.family, tb->key);
}

/* The execution-context tables (context.c, workqueue.c): not adapter loops. */
static const struct {
	const char *key, *title;
	int (*run)(FILE *out, const struct bench_ctx_params *p);
} ctx_tables[] = {
	{ "irq", "interrupt latency: lksync_irq_raise() to handler, against a bare signal",
	  bench_irq_latency },
	{ "timer", "timer and delayed-work accuracy, against clock_nanosleep()",
	  bench_timer_accuracy },
	{ "workqueue", "work item throughput, several producers, against GThreadPool",
	  bench_workqueue },
};
#define NR_CTX_TABLES (sizeof(ctx_tables) / sizeof(ctx_tables[0]))

static int ctx_selected(unsigned i)
{
	return !opt.family || in_list(opt.family, ctx_tables[i].key);
}

static int adapter_selected(const struct bench_adapter *a)
{
	char buf[128];

	if (a->hidden)
		return opt.adapters && in_list(opt.adapters, a->key);
	if (!opt.adapters)
		return 1;
	for (const char *s = opt.adapters; *s; ) {
		size_t n = strcspn(s, ",");

		if (n && n < sizeof(buf)) {
			memcpy(buf, s, n);
			buf[n] = 0;
			if (strcasestr(a->name, buf) || strcasestr(a->key, buf))
				return 1;
		}
		s += n + (s[n] == ',');
	}
	return 0;
}

static void list(void)
{
	printf("tables:\n");
	for (unsigned i = 0; i < NR_TABLES; i++)
		printf("  %-12s %s\n", tables[i].key, tables[i].title);
	for (unsigned i = 0; i < NR_CTX_TABLES; i++)
		printf("  %-12s %s\n", ctx_tables[i].key, ctx_tables[i].title);
	printf("adapters:\n");
	for (unsigned i = 0; i < NR_ADAPTERS; i++) {
		static const char *const fam[BENCH_NR_FAMILIES] = {
			"spin", "rw", "seq", "atomic", "mutex", "sem", "rwsem", "wake",
		};
		const char *sep = "";

		printf("  %-28s %-26s ", adapters[i]->name, adapters[i]->key);
		for (unsigned b = 0; b < BENCH_NR_FAMILIES; b++) {
			if (adapters[i]->family & (1u << b)) {
				printf("%s%s", sep, fam[b]);
				sep = ",";
			}
		}
		printf("%s\n", adapters[i]->hidden ? " (only when named)" : "");
	}
}

static int parse(int argc, char **argv)
{
	enum { O_DUR = 256, O_REPS, O_THR, O_CS, O_OUT, O_FAM, O_AD, O_CSV, O_PLOT,
	       O_QUICK, O_SEQW, O_CHECK, O_JOIN, O_LIST, O_HELP };
	static const struct option lo[] = {
		{ "duration", 1, 0, O_DUR }, { "reps", 1, 0, O_REPS },
		{ "threads", 1, 0, O_THR }, { "cs", 1, 0, O_CS },
		{ "outside", 1, 0, O_OUT }, { "family", 1, 0, O_FAM },
		{ "adapters", 1, 0, O_AD }, { "csv", 1, 0, O_CSV },
		{ "plot", 1, 0, O_PLOT }, { "quick", 0, 0, O_QUICK },
		{ "seq-writer", 0, 0, O_SEQW }, { "check", 0, 0, O_CHECK },
		{ "join-timeout", 1, 0, O_JOIN }, { "list", 0, 0, O_LIST },
		{ "help", 0, 0, O_HELP }, { 0 }
	};
	int dur_set = 0, reps_set = 0, thr_set = 0, c;

	parse_threads("1,2,4,8,32");
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case O_DUR: opt.p.duration = atof(optarg); dur_set = 1; break;
		case O_REPS: opt.reps = (unsigned)atoi(optarg); reps_set = 1; break;
		case O_THR:
			if (parse_threads(optarg)) {
				fprintf(stderr, "lksync-bench: bad --threads '%s'\n", optarg);
				return -1;
			}
			thr_set = 1;
			break;
		case O_CS: opt.p.cs = (unsigned)atoi(optarg); break;
		case O_OUT: opt.p.outside = (unsigned)atoi(optarg); break;
		case O_FAM: opt.family = optarg; break;
		case O_AD: opt.adapters = optarg; break;
		case O_CSV: opt.csv = optarg; break;
		case O_PLOT: opt.plot = optarg; break;
		case O_QUICK: opt.quick = 1; break;
		case O_SEQW: opt.seq_writer = 1; break;
		case O_CHECK: opt.check = 1; break;
		case O_JOIN: opt.p.join_timeout = atof(optarg); break;
		case O_LIST: opt.list = 1; break;
		case 'h': case O_HELP: usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return -1;
	}
	/*
	 * Quick: about a minute on 2 cores for some 200 configurations. The
	 * targets' thread counts (1, 2, 8, 32) stay; 4 is only a curve point.
	 */
	if (opt.quick) {
		if (!dur_set)
			opt.p.duration = 0.1;
		if (!reps_set)
			opt.reps = 3;
		if (!thr_set)
			parse_threads("1,2,8,32");
	}
	if (opt.p.duration <= 0 || opt.p.duration > 3600 || opt.reps < 1 || opt.reps > 1000 ||
	    opt.p.join_timeout <= 0) {
		fprintf(stderr, "lksync-bench: bad --duration, --reps or --join-timeout\n");
		return -1;
	}
	return 0;
}

static struct bench_config *plan(unsigned *nr, unsigned *skipped_serial)
{
	struct bench_config *cfg = NULL;
	unsigned n = 0;

	for (unsigned ti = 0; ti < NR_TABLES; ti++) {
		const struct bench_table *tb = &tables[ti];

		if (!table_selected(tb))
			continue;
		for (unsigned ai = 0; ai < NR_ADAPTERS; ai++) {
			const struct bench_adapter *a = adapters[ai];

			if (!(a->family & tb->family) || !a->loop[tb->workload] ||
			    !adapter_selected(a))
				continue;
			for (unsigned k = 0; k < (tb->fixed ? 1 : opt.nr_threads); k++) {
				unsigned th = tb->fixed ? tb->fixed : opt.threads[k];

				if (a->serial_only && th > 1) {
					(*skipped_serial)++;
					continue;
				}
				cfg = realloc(cfg, sizeof(*cfg) * (n + 1));
				if (!cfg)
					exit(1);
				memset(&cfg[n], 0, sizeof(*cfg));
				cfg[n].table = tb;
				cfg[n].adapter = a;
				cfg[n].threads = th;
				cfg[n].mops = calloc(opt.reps, sizeof(double));
				cfg[n].fair = calloc(opt.reps, sizeof(double));
				cfg[n].ns = calloc(opt.reps, sizeof(double));
				n++;
			}
		}
	}
	*nr = n;
	return cfg;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v, unsigned n)
{
	double tmp[n];

	memcpy(tmp, v, sizeof(tmp));
	qsort(tmp, n, sizeof(double), cmp_double);
	return n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

static void run_all(struct bench_config *cfg, unsigned nr)
{
	for (unsigned rep = 0; rep < opt.reps; rep++) {
		for (unsigned i = 0; i < nr; i++) {
			struct bench_config *c = &cfg[i];
			struct bench_sample s;
			struct bench_params p = opt.p;

			if (opt.progress)
				fprintf(stderr, "\r\033[K[rep %u/%u] %s: %s, %u thread%s", rep + 1,
					opt.reps, c->table->key, c->adapter->name, c->threads,
					c->threads > 1 ? "s" : "");
			if (c->table->workload == W_PAIR)
				p.cs = p.outside = 0;
			p.seq_writer = c->table->writer;
			if (bench_measure(c->adapter, c->table->workload, c->threads, &p, &s)) {
				fprintf(stderr, "lksync-bench: %s cannot run %s at %u threads "
					"(object of %zu bytes > BENCH_LOCK_MAX?)\n",
					c->adapter->name, c->table->key, c->threads,
					c->adapter->size);
				exit(1);
			}
			c->mops[rep] = s.seconds > 0 ? s.total / s.seconds / 1e6 : 0;
			c->fair[rep] = s.max ? (double)s.min / s.max : 0;
			c->ns[rep] = s.total ? s.cpu_seconds * 1e9 / s.total : INFINITY;
			c->reps = rep + 1;
		}
	}
	if (opt.progress)
		fprintf(stderr, "\r\033[K");
	for (unsigned i = 0; i < nr; i++) {
		struct bench_config *c = &cfg[i];

		c->med_mops = median(c->mops, c->reps);
		c->med_fair = median(c->fair, c->reps);
		c->ns_per_op = median(c->ns, c->reps);
	}
}

static int have_adapter(const char *key)
{
	for (unsigned i = 0; i < NR_ADAPTERS; i++)
		if (!strcmp(adapters[i]->key, key))
			return 1;
	return 0;
}

static const char *ck_state(void)
{
#if defined(BENCH_CK)
	return "yes";
#elif defined(BENCH_HAVE_CK)
	return "no (its inline asm is invisible to ThreadSanitizer)";
#else
	return "no (not found when lksync-bench was built; install libck-dev)";
#endif
}

static const char *glib_state(void)
{
#if defined(BENCH_GLIB)
	return "yes";
#elif defined(BENCH_HAVE_GLIB)
	return "no (its futex code is invisible to ThreadSanitizer)";
#else
	return "no (not found when lksync-bench was built; install libglib2.0-dev)";
#endif
}

int main(int argc, char **argv)
{
	struct bench_results res = { .tables = tables, .nr_tables = NR_TABLES };
	unsigned skipped_serial = 0, nr_ctx = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int failed, status = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse(argc, argv))
		return 1;
	if (opt.list) {
		list();
		return 0;
	}
	opt.progress = isatty(2);
	res.threads = opt.threads;
	res.nr_threads = opt.nr_threads;
	res.cfg = plan(&res.nr_cfg, &skipped_serial);
	for (unsigned i = 0; i < NR_CTX_TABLES; i++)
		nr_ctx += ctx_selected(i);
	if (!res.nr_cfg && !nr_ctx) {
		fprintf(stderr, "lksync-bench: --family/--adapters select nothing (see --list)\n");
		return 1;
	}

	printf("lksync-bench: %ld CPUs online; %.2f s x %u repetitions per configuration, "
	       "medians; cs %u, outside %u work units\n", cpus, opt.p.duration, opt.reps,
	       opt.p.cs, opt.p.outside);
	printf("Concurrency Kit: %s\n", ck_state());
	printf("GLib: %s\n", glib_state());
	for (unsigned i = 0; i < sizeof(lksync_expected) / sizeof(lksync_expected[0]); i++)
		if (!have_adapter(lksync_expected[i]))
			printf("note: adapter %s not built (its lksync header was missing)\n",
			       lksync_expected[i]);
	if (skipped_serial)
		printf("note: uniprocessor build: lksync locks exclude nothing between threads, "
		       "so they run at 1 thread only\n");
	fprintf(stderr, "lksync-bench: %u configurations x %u repetitions x %.2f s: about %.0f s\n",
		res.nr_cfg, opt.reps, opt.p.duration,
		res.nr_cfg * opt.reps * opt.p.duration * 1.15 + res.nr_cfg * opt.reps * 0.005);

	failed = 0;
	if (res.nr_cfg) {
		run_all(res.cfg, res.nr_cfg);
		bench_print_tables(stdout, &res);
		failed = bench_print_targets(stdout, &res);
	}
	for (unsigned i = 0; i < NR_CTX_TABLES; i++) {
		struct bench_ctx_params cp = { .duration = opt.p.duration, .reps = opt.reps };

		if (!ctx_selected(i))
			continue;
		if (opt.progress)
			fprintf(stderr, "\r\033[K%s ...", ctx_tables[i].key);
		failed += ctx_tables[i].run(stdout, &cp);
		if (opt.progress)
			fprintf(stderr, "\r\033[K");
	}
	if (opt.csv && res.nr_cfg && bench_write_csv(opt.csv, &res))
		status = 1;
	if (opt.plot && res.nr_cfg && bench_plot(opt.plot, &res))
		status = 1;
	if (opt.check && failed)
		status = 1;
	for (unsigned i = 0; i < res.nr_cfg; i++) {
		free(res.cfg[i].mops);
		free(res.cfg[i].fair);
		free(res.cfg[i].ns);
	}
	free(res.cfg);
	return status;
}
