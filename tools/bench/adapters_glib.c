// SPDX-License-Identifier: MIT
/*
 * GLib peers: GMutex, GRWLock and GCond (with a GMutex and a flag), built
 * when pkg-config found glib-2.0. Left out under ThreadSanitizer: GLib's
 * futex-based locks are not instrumented, so TSan would see no ordering.
 */
#include "adapters.h"

#ifdef BENCH_GLIB
#include <glib.h>

typedef char bench_noctx;

static void gmutex_init(void *o) { g_mutex_init(o); }
static void gmutex_fini(void *o) { g_mutex_clear(o); }
#define GMUTEX_LOCK(l, c)	g_mutex_lock(l)
#define GMUTEX_UNLOCK(l, c)	g_mutex_unlock(l)
BENCH_SPIN_LOOPS(gmutex, GMutex, bench_noctx, GMUTEX_LOCK, GMUTEX_UNLOCK)

const struct bench_adapter bench_glib_mutex = {
	.name = "GLib GMutex", .key = "glib_mutex", .family = BENCH_MUTEX,
	.size = sizeof(GMutex), .init = gmutex_init, .fini = gmutex_fini,
	BENCH_SPIN_OPS(gmutex),
};

static void grw_init(void *o) { g_rw_lock_init(o); }
static void grw_fini(void *o) { g_rw_lock_clear(o); }
BENCH_RW_LOOPS(grw, GRWLock, g_rw_lock_reader_lock, g_rw_lock_reader_unlock,
	       g_rw_lock_writer_lock, g_rw_lock_writer_unlock)

const struct bench_adapter bench_glib_rwlock = {
	.name = "GLib GRWLock", .key = "glib_rwlock", .family = BENCH_RWSEM,
	.size = sizeof(GRWLock), .init = grw_init, .fini = grw_fini,
	BENCH_RW_OPS(grw),
};

struct gcond_pair {
	struct {
		GMutex lock;
		GCond cond;
		int flag;
	} ch[2] __aligned(64);
};

static void gcond_init(void *o)
{
	struct gcond_pair *p = o;

	for (int i = 0; i < 2; i++) {
		g_mutex_init(&p->ch[i].lock);
		g_cond_init(&p->ch[i].cond);
		p->ch[i].flag = 0;
	}
}

static void gcond_fini(void *o)
{
	struct gcond_pair *p = o;

	for (int i = 0; i < 2; i++) {
		g_cond_clear(&p->ch[i].cond);
		g_mutex_clear(&p->ch[i].lock);
	}
}

static inline void gcond_wait_turn(struct gcond_pair *p, unsigned i)
{
	g_mutex_lock(&p->ch[i].lock);
	while (!p->ch[i].flag)
		g_cond_wait(&p->ch[i].cond, &p->ch[i].lock);
	p->ch[i].flag = 0;
	g_mutex_unlock(&p->ch[i].lock);
}

static inline void gcond_signal(struct gcond_pair *p, unsigned i)
{
	g_mutex_lock(&p->ch[i].lock);
	p->ch[i].flag = 1;
	g_cond_signal(&p->ch[i].cond);
	g_mutex_unlock(&p->ch[i].lock);
}

#define NO_START(l, i)	do { } while (0)
BENCH_WAKE_LOOPS(gcond, struct gcond_pair, NO_START, gcond_wait_turn, gcond_signal)

const struct bench_adapter bench_glib_cond = {
	.name = "GLib GCond + GMutex", .key = "glib_cond", .family = BENCH_WAKE,
	.size = sizeof(struct gcond_pair), .init = gcond_init, .fini = gcond_fini,
	BENCH_WAKE_OPS(gcond),
};
#endif /* BENCH_GLIB */
