// SPDX-License-Identifier: MIT
/*
 * Layer: sched. The per-CPU region and its allocator (see <lksync/percpu.h>
 * for the representation).
 *
 * Region: [guard unit][CPU 0 unit][CPU 1 unit]... each UNIT bytes, reserved
 * PROT_NONE; the first `committed` bytes of every CPU unit are read-write.
 * The guard unit stays PROT_NONE: per-CPU pointers point into it.
 *
 * Allocator (offsets within a unit, under pcpu_lock): everything below
 * `frontier` is either allocated or on the free list (sorted, coalesced);
 * free memory is zero in every unit (fresh pages are; free_percpu() clears).
 * An allocation is an extent [ext, ext + len) holding a header in CPU 0's
 * unit just below the block it returns.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <lksync/percpu.h>
#include <lksync/bug.h>
#include <lksync/types.h>

struct lksync_pcpu_layout lksync_pcpu_layout;

#define PCPU_HDR	16
#define PCPU_MAGIC	0x70637075u	/* "pcpu" */
#define PCPU_COMMIT	(64UL << 10)
#define PCPU_PAGE	4096UL
#define PCPU_MAX_SHIFT	28		/* 256 MiB per CPU */
#define PCPU_MIN_SHIFT	22		/* 4 MiB per CPU */
#define PCPU_MAX_OBJS	256		/* objects with a per-CPU section */

struct pcpu_hdr {
	u32 magic;
	u32 lead;	/* block offset - extent offset */
	u64 len;	/* extent length */
};

struct pcpu_free {
	size_t off, len;
	struct pcpu_free *next;
};

struct pcpu_obj {
	uintptr_t start, stop, delta;
};

static pthread_mutex_t pcpu_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int pcpu_nr;		/* units: nr_cpu_ids */
static size_t frontier, committed;
static struct pcpu_free *free_list;
static struct pcpu_obj objs[PCPU_MAX_OBJS];
static unsigned int nr_objs;

static size_t unit_size(void)
{
	return 1UL << lksync_pcpu_layout.unit_shift;
}

static char *unit(unsigned int cpu)
{
	return (char *)lksync_pcpu_layout.base + ((uintptr_t)(cpu + 1) << lksync_pcpu_layout.unit_shift);
}

/* Called with pcpu_lock held. */
static void layout_setup(void)
{
	unsigned long shift = PCPU_MAX_SHIFT;
	void *p = MAP_FAILED;

	if (lksync_pcpu_layout.base)
		return;
	pcpu_nr = lksync_cpus_init();
	/* Keep the reservation under 1 TiB even with thousands of CPUs. */
	while (shift > PCPU_MIN_SHIFT && ((uintptr_t)(pcpu_nr + 1) << shift) > (1UL << 40))
		shift--;
	for (; shift >= PCPU_MIN_SHIFT; shift--) {
		p = mmap(NULL, (size_t)(pcpu_nr + 1) << shift, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p != MAP_FAILED)
			break;
	}
	if (p == MAP_FAILED) {
		lksync_report("BUG: unable to reserve the per-CPU region", NULL);
		abort();
	}
	/* Relaxed: readers get their per-CPU pointers through later synchronization. */
	__atomic_store_n(&lksync_pcpu_layout.unit_shift, shift, __ATOMIC_RELAXED);
	__atomic_store_n(&lksync_pcpu_layout.base, (uintptr_t)p, __ATOMIC_RELAXED);
}

/* Make [0, @end) of every unit read-write. Called with pcpu_lock held. */
static bool commit(size_t end)
{
	size_t want = (end + PCPU_COMMIT - 1) & ~(PCPU_COMMIT - 1);

	if (end <= committed)
		return true;
	if (want > unit_size())
		want = unit_size();
	for (unsigned int cpu = 0; cpu < pcpu_nr; cpu++)
		if (mprotect(unit(cpu) + committed, want - committed, PROT_READ | PROT_WRITE))
			return false;
	committed = want;
	return true;
}

/* Place @size bytes aligned to @align in [off, off + len). Return: block offset or 0. */
static size_t fit(size_t off, size_t len, size_t size, size_t align, size_t *ext_len)
{
	size_t block = (off + PCPU_HDR + align - 1) & ~(align - 1);
	size_t end = (block + size + PCPU_HDR - 1) & ~(size_t)(PCPU_HDR - 1);

	if (end > off + len)
		return 0;
	*ext_len = end - off;
	return block;
}

/* Called with pcpu_lock held. Return: block offset, 0 when out of space. */
static size_t pcpu_alloc_locked(size_t size, size_t align)
{
	struct pcpu_free **pp, *f;
	size_t block = 0, ext = 0, len = 0;
	struct pcpu_hdr *h;

	for (pp = &free_list; (f = *pp); pp = &f->next) {
		block = fit(f->off, f->len, size, align, &len);
		if (block) {
			ext = f->off;
			f->off += len;
			f->len -= len;
			if (!f->len) {
				*pp = f->next;
				free(f);
			}
			break;
		}
	}
	if (!block) {
		block = fit(frontier, unit_size() - frontier, size, align, &len);
		if (!block || !commit(frontier + len))
			return 0;
		ext = frontier;
		frontier += len;
	}
	h = (struct pcpu_hdr *)(unit(0) + block - PCPU_HDR);
	h->magic = PCPU_MAGIC;
	h->lead = (u32)(block - ext);
	h->len = len;
	return block;
}

/* Return [off, off + len) to the free list, coalescing. Called with pcpu_lock held. */
static void pcpu_free_locked(size_t off, size_t len)
{
	struct pcpu_free **pp = &free_list, *f, *prev = NULL;

	while ((f = *pp) && f->off < off) {
		prev = f;
		pp = &f->next;
	}
	if (prev && prev->off + prev->len == off) {
		prev->len += len;
		if (f && prev->off + prev->len == f->off) {
			prev->len += f->len;
			prev->next = f->next;
			free(f);
		}
		return;
	}
	if (f && off + len == f->off) {
		f->off = off;
		f->len += len;
		return;
	}
	f = malloc(sizeof(*f));
	if (!f)
		return;		/* leak the extent rather than fail a free */
	f->off = off;
	f->len = len;
	f->next = *pp;
	*pp = f;
}

void *lksync_alloc_percpu(size_t size, size_t align)
{
	size_t block;

	if (align < 2)
		align = 2;
	if (WARN(!size || size > PCPU_MIN_UNIT_SIZE || align > PCPU_PAGE || (align & (align - 1)),
		 "illegal size (%zu) or align (%zu) for percpu allocation\n", size, align))
		return NULL;
	pthread_mutex_lock(&pcpu_lock);
	layout_setup();
	block = pcpu_alloc_locked(size, align);
	pthread_mutex_unlock(&pcpu_lock);
	if (!block) {
		WARN(1, "percpu: allocation failed, size=%zu align=%zu\n", size, align);
		return NULL;
	}
	return (void *)(lksync_pcpu_layout.base + block);
}

void lksync_free_percpu(void *ptr)
{
	struct pcpu_hdr *h;
	size_t block, ext, len;

	if (!ptr)
		return;
	pthread_mutex_lock(&pcpu_lock);
	block = (uintptr_t)ptr - lksync_pcpu_layout.base;
	if (WARN(!lksync_pcpu_layout.base || block >= frontier || block < PCPU_HDR,
		 "free_percpu: %p is not a per-CPU allocation\n", ptr))
		goto out;
	h = (struct pcpu_hdr *)(unit(0) + block - PCPU_HDR);
	if (WARN(h->magic != PCPU_MAGIC, "free_percpu: %p is not allocated (double free?)\n", ptr))
		goto out;
	ext = block - h->lead;
	len = h->len;
	/* Free memory is zero in every unit (the header included). */
	for (unsigned int cpu = 0; cpu < pcpu_nr; cpu++)
		memset(unit(cpu) + ext, 0, len);
	pcpu_free_locked(ext, len);
out:
	pthread_mutex_unlock(&pcpu_lock);
}

/* Copy an object's template section; sanitizers may pad between its variables. */
__attribute__((no_sanitize_address, no_sanitize_thread, __noinline__))
static void copy_template(char *dst, const char *src, size_t len)
{
	for (size_t i = 0; i < len; i++)
		((volatile char *)dst)[i] = src[i];
}

/* Called with pcpu_lock held. Return: the object's translation, 0 on failure. */
static uintptr_t register_locked(char *start, char *stop)
{
	size_t len = (size_t)(stop - start), block;

	for (unsigned int i = 0; i < nr_objs; i++)
		if (objs[i].start == (uintptr_t)start)
			return objs[i].delta;
	if (nr_objs == PCPU_MAX_OBJS || len > unit_size() / 2)
		return 0;
	block = pcpu_alloc_locked(len, PCPU_PAGE);
	if (!block)
		return 0;
	for (unsigned int cpu = 0; cpu < pcpu_nr; cpu++)
		copy_template(unit(cpu) + block, start, len);
	objs[nr_objs] = (struct pcpu_obj){ (uintptr_t)start, (uintptr_t)stop,
					   lksync_pcpu_layout.base + block - (uintptr_t)start };
	/* Release: the entry (and the copies) before the count that shows it. */
	__atomic_store_n(&nr_objs, nr_objs + 1, __ATOMIC_RELEASE);
	return objs[nr_objs - 1].delta;
}

void lksync_pcpu_register(char *start, char *stop, uintptr_t *delta)
{
	uintptr_t d;

	pthread_mutex_lock(&pcpu_lock);
	layout_setup();
	d = register_locked(start, stop);
	pthread_mutex_unlock(&pcpu_lock);
	if (!d) {
		lksync_report("BUG: unable to set up per-CPU variables", NULL);
		abort();
	}
	/* Release: the copies happen before any use through the cached delta. */
	__atomic_store_n(delta, d, __ATOMIC_RELEASE);
}

uintptr_t lksync_pcpu_static_canon(const void *addr)
{
	/*
	 * Acquire: pairs with the release publishing each entry, which comes
	 * after the layout (base, shift, pcpu_nr) was set up.
	 */
	unsigned int n = __atomic_load_n(&nr_objs, __ATOMIC_ACQUIRE);
	uintptr_t base = lksync_pcpu_layout.base, rel = (uintptr_t)addr - base, guard;
	unsigned long shift = lksync_pcpu_layout.unit_shift;

	/* No static per-CPU data, the guard unit itself, or past the last unit. */
	if (!n || rel >> shift == 0 || rel >> shift > pcpu_nr)
		return 0;
	guard = base + (rel & ((1UL << shift) - 1));
	for (unsigned int i = 0; i < n; i++)
		if (guard - (objs[i].start + objs[i].delta) < objs[i].stop - objs[i].start)
			return guard;
	return 0;
}

uintptr_t lksync_pcpu_static_slow(uintptr_t addr, char *start, char *stop, uintptr_t *delta)
{
	unsigned int n;

	if (!__atomic_load_n(&lksync_pcpu_layout.base, __ATOMIC_RELAXED)) {
		pthread_mutex_lock(&pcpu_lock);
		layout_setup();
		pthread_mutex_unlock(&pcpu_lock);
	}
	if (addr - lksync_pcpu_layout.base < unit_size())
		return addr;
	if (addr - (uintptr_t)start < (uintptr_t)(stop - start)) {
		lksync_pcpu_register(start, stop, delta);
		return addr + *delta;
	}
	/* Acquire: pairs with the release publishing each entry. */
	n = __atomic_load_n(&nr_objs, __ATOMIC_ACQUIRE);
	for (unsigned int i = 0; i < n; i++)
		if (addr - objs[i].start < objs[i].stop - objs[i].start)
			return addr + objs[i].delta;
	lksync_report("BUG: per-CPU access to an address that is not per-CPU",
		      "address: %p\n", (void *)addr);
	abort();
}
