/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * The device's translation follows DPDK memory as it comes and goes, in
 * either IOVA mode (run with IDXP_IOVA=pa|va, and with IDXP_LEGACY_MEM=1):
 * - the IOMMU table matches the memsegs after every allocation and free;
 * - memory freed and allocated again (another PA behind the same VA in PA
 *   mode, the same IOVA in VA mode) is filled through the engine and every
 *   byte lands where the current mapping says;
 * - a DMA to an IOVA whose page was freed faults and writes nothing that
 *   is mapped now, also right after a DMA to it warmed the engine's IOTLB;
 * - ops in flight while their buffer is freed complete (or fault) without
 *   touching the memory allocated in its place;
 * - an external heap is invisible until rte_dev_dma_map() and usable after.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_random.h>

#include "idxp_internal.h"
#include "test_common.h"

#define NB_DESC		1024
#define ROUNDS		16
#define NB_BUFS		5
#define MAX_PAGES	64	/* old pages remembered per round */

static int16_t dev;
static size_t page_sz;

/* ---- the table against the memsegs ---- */

struct walk_ctx {
	const struct idxp_iommu_table *t;
	unsigned int bad;
};

static int
memseg_covered(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	struct walk_ctx *w = arg;
	const struct idxp_iommu_entry *e;

	if (msl->external || ms->iova == RTE_BAD_IOVA)
		return 0;
	e = idxp_iommu_find(w->t, ms->iova);
	if (e == NULL || e->iova + e->len < ms->iova + ms->len ||
			e->va + (ms->iova - e->iova) != (uint8_t *)ms->addr) {
		if (w->bad++ == 0)
			fprintf(stderr, "memseg va %p iova 0x%" PRIx64 ": %s\n",
					ms->addr, ms->iova, e == NULL ? "not mapped" :
					"mapped elsewhere");
	}
	return 0;
}

/* Every page of every DPDK-memory entry is a memseg with that VA now. */
static unsigned int
stale_entries(const struct idxp_iommu_table *t)
{
	unsigned int bad = 0;
	uint32_t i;

	for (i = 0; i < t->nb; i++) {
		const struct idxp_iommu_entry *e = &t->e[i];
		uint64_t off;

		if (e->origin != IDXP_MAP_MEMSEG)
			continue;
		for (off = 0; off < e->len; off += page_sz) {
			const struct rte_memseg *ms =
				rte_mem_virt2memseg(e->va + off, NULL);

			if (ms == NULL || ms->iova != e->iova + off)
				bad++;
		}
	}
	return bad;
}

static void
check_table(const char *when)
{
	struct idxp_priv *priv = idxp_priv_get(dev);
	struct walk_ctx w = { .bad = 0 };
	unsigned int stale;

	/* Writers publish under this lock: the table holds still meanwhile. */
	pthread_mutex_lock(&priv->bus->iommu->lock);
	w.t = priv->bus->iommu->table;
	rte_memseg_walk(memseg_covered, &w);
	stale = stale_entries(w.t);
	pthread_mutex_unlock(&priv->bus->iommu->lock);
	CHECK(w.bad == 0, "%s: %u memsegs not mapped as DPDK maps them", when, w.bad);
	CHECK(stale == 0, "%s: %u mapped pages DPDK no longer has", when, stale);
}

/* ---- DMA helpers ---- */

static int
wait_all(uint16_t n, enum rte_dma_status_code *st)
{
	return t_wait_completions(dev, 0, n, st);
}

/* One fill of @len bytes at @iova; its status, or -1 if none came. */
static int
fill1(rte_iova_t iova, uint32_t len, uint64_t pattern)
{
	enum rte_dma_status_code st;

	if (rte_dma_fill(dev, 0, pattern, iova, len, RTE_DMA_OP_FLAG_SUBMIT) < 0)
		return -1;
	return wait_all(1, &st) == 1 ? (int)st : -1;
}

static uint64_t
pattern_of(unsigned int round, unsigned int buf)
{
	return 0x0101010101010101ull * (uint8_t)(0x11 + round * 7 + buf * 3);
}

/*
 * Fill a buffer through the engine, one op per piece that one memseg
 * covers (the IOVA is contiguous only within a page in PA mode).
 */
static unsigned int
engine_fill(uint8_t *buf, size_t len, uint64_t pattern)
{
	enum rte_dma_status_code st[64];
	unsigned int bad = 0;
	size_t done = 0;

	while (done < len) {
		uint16_t n = 0, i;

		while (done < len && n < RTE_DIM(st)) {
			uint8_t *p = buf + done;
			size_t k = RTE_MIN(len - done, page_sz -
					((uintptr_t)p & (page_sz - 1)));

			if (rte_dma_fill(dev, 0, pattern, t_iova(p), (uint32_t)k, 0) < 0)
				break;
			done += k;
			n++;
		}
		rte_dma_submit(dev, 0);
		if (wait_all(n, st) != n)
			return bad + 1;
		for (i = 0; i < n; i++)
			bad += st[i] != RTE_DMA_STATUS_SUCCESSFUL;
	}
	return bad;
}

/* ---- freed and allocated again ---- */

struct old_page {
	rte_iova_t iova;
	void *va;
};

struct round_bufs {
	uint8_t *p[NB_BUFS];
	size_t len[NB_BUFS];
};

/* Whose buffer holds @va now, or -1. */
static int
owner(const struct round_bufs *b, const void *va)
{
	unsigned int i;

	for (i = 0; i < NB_BUFS; i++)
		if (b->p[i] != NULL && (const uint8_t *)va >= b->p[i] &&
				(const uint8_t *)va < b->p[i] + b->len[i])
			return (int)i;
	return -1;
}

/*
 * DMA to the IOVAs of pages freed a round ago. Unmapped now: the op must
 * fault. Mapped again inside one of this round's buffers (same IOVA in VA
 * mode): the fill must land at the VA that IOVA names now. Mapped to
 * anything else: left alone, it is live memory.
 */
static void
hit_old_pages(const struct old_page *old, unsigned int nb_old,
		struct round_bufs *b, unsigned int *faults, unsigned int *landed)
{
	unsigned int i;

	for (i = 0; i < nb_old; i++) {
		void *now = rte_mem_iova2virt(old[i].iova);
		int st, who = now == NULL ? -1 : owner(b, now);

		if (now == NULL) {
			st = fill1(old[i].iova, 64, 0xeeeeeeeeeeeeeeeeull);
			CHECK(st == RTE_DMA_STATUS_INVALID_DST_ADDR ||
					st == RTE_DMA_STATUS_PAGE_FAULT,
					"fill to freed IOVA 0x%" PRIx64 ": status %d, "
					"want a fault", old[i].iova, st);
			(*faults)++;
		} else if (who >= 0 && (uint8_t *)now + 64 <= b->p[who] + b->len[who] &&
				t_iova((uint8_t *)now + 63) == old[i].iova + 63) {
			st = fill1(old[i].iova, 64, 0xababababababababull);
			CHECK(st == RTE_DMA_STATUS_SUCCESSFUL &&
					t_all_bytes(now, 64, 0xab),
					"fill to reused IOVA 0x%" PRIx64 " landed at %p: "
					"status %d", old[i].iova, now, st);
			memset(now, (uint8_t)pattern_of(0, (unsigned int)who), 64);
			(*landed)++;
		}
	}
}

static void
alloc_round(struct round_bufs *b, unsigned int round)
{
	unsigned int i;

	for (i = 0; i < NB_BUFS; i++) {
		/* 1..6 MB: most allocations take fresh hugepages. */
		b->len[i] = (size_t)(1 + rte_rand_max(6)) << 20;
		b->len[i] += rte_rand_max(4096);
		b->p[i] = rte_malloc(NULL, b->len[i], 64);
		CHECK(b->p[i] != NULL, "round %u: alloc %zu bytes", round, b->len[i]);
		if (b->p[i] == NULL)
			b->len[i] = 0;
	}
}

/* Remember the pages of @b (before it is freed). */
static unsigned int
remember_pages(const struct round_bufs *b, struct old_page *old)
{
	unsigned int n = 0, i;

	for (i = 0; i < NB_BUFS; i++) {
		uintptr_t p = RTE_ALIGN_CEIL((uintptr_t)b->p[i], page_sz);

		for (; p + page_sz <= (uintptr_t)b->p[i] + b->len[i] &&
				n < MAX_PAGES; p += page_sz) {
			old[n].va = (void *)p;
			old[n++].iova = t_iova((void *)p);
		}
	}
	return n;
}

static void
test_reuse(void)
{
	struct old_page old[MAX_PAGES];
	struct round_bufs b;
	unsigned int round, i, nb_old = 0, faults = 0, landed = 0;

	for (round = 0; round < ROUNDS; round++) {
		unsigned int bad = 0;

		alloc_round(&b, round);
		check_table("after allocation");
		for (i = 0; i < NB_BUFS; i++) {
			memset(b.p[i], 0, b.len[i]);
			bad += engine_fill(b.p[i], b.len[i], pattern_of(round, i));
			bad += !t_all_bytes(b.p[i], b.len[i], (uint8_t)pattern_of(round, i));
		}
		CHECK(bad == 0, "round %u: %u fills failed or landed wrong", round, bad);
		/* The previous round's pages: freed, maybe reused. */
		for (i = 0; i < NB_BUFS; i++)
			memset(b.p[i], (uint8_t)pattern_of(0, i), b.len[i]);
		hit_old_pages(old, nb_old, &b, &faults, &landed);
		bad = 0;
		for (i = 0; i < NB_BUFS; i++)
			bad += !t_all_bytes(b.p[i], b.len[i], (uint8_t)pattern_of(0, i));
		CHECK(bad == 0, "round %u: a DMA to a freed IOVA changed live memory",
				round);
		nb_old = remember_pages(&b, old);
		for (i = 0; i < NB_BUFS; i++)
			rte_free(b.p[i]);
		check_table("after free");
	}
	printf("reuse: %u rounds, %u DMAs to freed pages faulted, %u to reused "
			"IOVAs landed at the new VA\n", ROUNDS, faults, landed);
}

/* ---- races ---- */

/*
 * A warm IOTLB entry must not survive the free of its page: fill the page
 * (the engine caches its translation), free it, fill its old IOVA again.
 */
static void
test_iotlb_across_free(void)
{
	size_t len = 4u << 20;
	uint8_t *p = rte_malloc(NULL, len, page_sz);
	rte_iova_t iova;
	int st;

	CHECK(p != NULL, "alloc");
	if (p == NULL)
		return;
	iova = t_iova(p);
	CHECK(fill1(iova, 4096, 0x1111111111111111ull) == RTE_DMA_STATUS_SUCCESSFUL &&
			t_all_bytes(p, 4096, 0x11), "fill before the free");
	rte_free(p);
	if (rte_mem_iova2virt(iova) != NULL) {
		printf("iotlb: IOVA 0x%" PRIx64 " still mapped after the free "
				"(page kept by the heap), nothing to check\n", iova);
		return;
	}
	st = fill1(iova, 4096, 0x2222222222222222ull);
	CHECK(st == RTE_DMA_STATUS_INVALID_DST_ADDR || st == RTE_DMA_STATUS_PAGE_FAULT,
			"fill through a cached translation of a freed page: status %d", st);
}

/*
 * Ops in flight while their buffer is freed: each completes (it ran before
 * the free finished) or faults (it ran after); none writes into the memory
 * allocated in the freed buffer's place.
 */
/*
 * Queue @nb fills of @chunk bytes over @nb_pages pages at @va (IOVA via
 * t_iova() at queue time), one submit per 8: far more bytes than a free
 * takes, and more portal entries than the engine takes in one round (64),
 * so a grace period can end with ops still queued. Returns ops queued.
 */
static uint16_t
queue_fills(uint8_t *const *pages, unsigned int nb_pages, uint16_t nb,
		uint32_t chunk)
{
	uint16_t n;

	for (n = 0; n < nb; n++) {
		uint8_t *p = pages[n % nb_pages] + (n / nb_pages) % 8 * chunk;

		if (rte_dma_fill(dev, 0, 0x7777777777777777ull, t_iova(p), chunk,
				n % 8 == 7 ? RTE_DMA_OP_FLAG_SUBMIT : 0) < 0)
			break;
	}
	rte_dma_submit(dev, 0);
	return n;
}

static void
count_outcomes(const enum rte_dma_status_code *st, uint16_t n,
		unsigned int *ok, unsigned int *faulted, unsigned int *bad)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		if (st[i] == RTE_DMA_STATUS_SUCCESSFUL)
			(*ok)++;
		else if (st[i] == RTE_DMA_STATUS_INVALID_DST_ADDR ||
				st[i] == RTE_DMA_STATUS_PAGE_FAULT)
			(*faulted)++;
		else
			(*bad)++;
	}
}

/*
 * DPDK memory freed with ops in flight. The ops target only whole pages
 * of the buffer, which the free gives back to the system (dynamic memory):
 * each op completes (it ran before the unmap) or faults (after); one that
 * used a stale translation would write to the PROT_NONE hole DPDK leaves
 * and crash the test. Nothing is allocated until all ops are in, because
 * an op that ran before the unmap may have written memory the heap hands
 * out again (only the application can prevent that).
 */
static void
no_event(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	RTE_SET_USED(type);
	RTE_SET_USED(addr);
	RTE_SET_USED(len);
	RTE_SET_USED(arg);
}

/* Does a free give pages back (dynamic memory), or is memory fixed? */
static bool
memory_is_dynamic(void)
{
	if (rte_mem_event_callback_register("idxp-test-probe", no_event, NULL) != 0)
		return false;	/* ENOTSUP: --legacy-mem or --no-huge */
	rte_mem_event_callback_unregister("idxp-test-probe", NULL);
	return true;
}

static void
test_free_in_flight(void)
{
	static enum rte_dma_status_code st[NB_DESC - 1];
	const uint32_t chunk = 64u << 10;
	unsigned int round, ok = 0, faulted = 0, bad = 0, released = 0;

	/* Fixed memory stays in the heap: the ops would dirty freed memory. */
	if (!memory_is_dynamic()) {
		printf("free in flight: memory is fixed (no hotplug), skipped\n");
		return;
	}
	for (round = 0; round < 8; round++) {
		uint8_t *b = rte_malloc(NULL, 4 * page_sz, page_sz), *pages[4];
		unsigned int i, kept = 0;
		uint16_t n;

		if (b == NULL)
			break;
		for (i = 0; i < RTE_DIM(pages); i++)
			pages[i] = b + i * page_sz;
		n = queue_fills(pages, RTE_DIM(pages), RTE_DIM(st),
				(uint32_t)RTE_MIN(chunk, page_sz / 8));
		rte_free(b);
		for (i = 0; i < RTE_DIM(pages); i++)
			kept += rte_mem_virt2memseg(pages[i], NULL) != NULL &&
				rte_mem_virt2iova(pages[i]) != RTE_BAD_IOVA &&
				rte_mem_iova2virt(t_iova(pages[i])) == pages[i];
		if (wait_all(n, st) != n)
			bad++;
		count_outcomes(st, n, &ok, &faulted, &bad);
		released += kept == 0;
	}
	CHECK(bad == 0, "free with ops in flight: %u ops went wrong", bad);
	if (released > 0)
		CHECK(faulted > 0, "no op ran after the free of its buffer: the race "
				"was not exercised");
	printf("free in flight: %u ops completed before the free, %u faulted "
			"after (pages given back in %u of 8 rounds)\n", ok, faulted,
			released);
}

/*
 * The same race where the test owns every byte: external memory mapped
 * with rte_dev_dma_map(), unmapped and munmap'd with ops in flight, and a
 * new mapping put at the same VA under another IOVA at once. No op may
 * reach the new mapping through the old IOVA.
 */
static void
test_unmap_in_flight(struct rte_device *rd)
{
	static enum rte_dma_status_code st[NB_DESC - 1];
	const size_t len = 4u << 20, pg = (size_t)sysconf(_SC_PAGESIZE);
	unsigned int round, ok = 0, faulted = 0, bad = 0;
	/* IOVAs no DPDK memory uses, another one per mapping. */
	uint64_t iova = 0x7e0000000000ull;

	for (round = 0; round < 8; round++, iova += 2 * len) {
		uint8_t *m1 = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0), *m2;
		uint16_t n;

		if (m1 == MAP_FAILED)
			break;
		if (rte_extmem_register(m1, len, NULL, 0, pg) != 0 ||
				rte_dev_dma_map(rd, m1, iova, len) != 0) {
			bad++;
			munmap(m1, len);
			break;
		}
		for (n = 0; n < RTE_DIM(st); n++) {
			if (rte_dma_fill(dev, 0, 0x7777777777777777ull,
					iova + (n % 64) * (len / 64), (uint32_t)(len / 64),
					n % 8 == 7 ? RTE_DMA_OP_FLAG_SUBMIT : 0) < 0)
				break;
		}
		rte_dma_submit(dev, 0);
		rte_dev_dma_unmap(rd, m1, iova, len);
		rte_extmem_unregister(m1, len);
		munmap(m1, len);
		m2 = mmap(m1, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
				MAP_FIXED_NOREPLACE | MAP_POPULATE, -1, 0);
		if (m2 != MAP_FAILED) {
			memset(m2, 0x5a, len);
			rte_extmem_register(m2, len, NULL, 0, pg);
			rte_dev_dma_map(rd, m2, iova + len, len);
		}
		if (wait_all(n, st) != n)
			bad++;
		count_outcomes(st, n, &ok, &faulted, &bad);
		if (m2 != MAP_FAILED) {
			bad += !t_all_bytes(m2, len, 0x5a);
			rte_dev_dma_unmap(rd, m2, iova + len, len);
			rte_extmem_unregister(m2, len);
			munmap(m2, len);
		}
	}
	CHECK(bad == 0, "unmap with ops in flight: %u ops or bytes went wrong", bad);
	CHECK(faulted > 0, "no op ran after the unmap: the race was not exercised");
	printf("unmap in flight: %u ops completed before the unmap, %u faulted "
			"after, the new mapping at the same VA untouched\n", ok, faulted);
}

/* ---- external heap ---- */

static void
test_external_heap(void)
{
	size_t len = 2u << 20, pg = (size_t)sysconf(_SC_PAGESIZE);
	uint8_t *mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct rte_device *rd = t_vdev("dma_idxp0");
	uint8_t *buf;
	int heap;

	CHECK(mem != MAP_FAILED && rd != NULL, "external memory");
	if (mem == MAP_FAILED || rd == NULL)
		return;
	/* IOVA = VA for the external heap, as an application would pick. */
	CHECK(rte_malloc_heap_create("idxp_ext") == 0 &&
			rte_malloc_heap_memory_add("idxp_ext", mem, len, NULL, 0, pg) == 0,
			"external heap");
	heap = rte_malloc_heap_get_socket("idxp_ext");
	buf = rte_malloc_socket(NULL, 4096, 64, heap);
	CHECK(buf != NULL, "alloc on the external heap");
	if (buf != NULL) {
		CHECK(fill1((rte_iova_t)(uintptr_t)buf, 4096, 0x33) ==
				RTE_DMA_STATUS_INVALID_DST_ADDR,
				"external memory is not mapped until rte_dev_dma_map()");
		CHECK(rte_dev_dma_map(rd, mem, (uint64_t)(uintptr_t)mem, len) == 0,
				"dma map");
		memset(buf, 0, 4096);
		CHECK(fill1((rte_iova_t)(uintptr_t)buf, 4096, 0x3434343434343434ull) ==
				RTE_DMA_STATUS_SUCCESSFUL && t_all_bytes(buf, 4096, 0x34),
				"fill after rte_dev_dma_map()");
		CHECK(rte_dev_dma_unmap(rd, mem, (uint64_t)(uintptr_t)mem, len) == 0,
				"dma unmap");
		rte_free(buf);
	}
	rte_malloc_heap_memory_remove("idxp_ext", mem, len);
	rte_malloc_heap_destroy("idxp_ext");
	munmap(mem, len);
}

/* Page size of the memory rte_malloc() hands out here. */
static size_t
heap_page_size(void)
{
	void *p = rte_malloc(NULL, 64, 64);
	const struct rte_memseg_list *msl = p ? rte_mem_virt2memseg_list(p) : NULL;
	size_t sz = msl != NULL ? msl->page_sz : (size_t)sysconf(_SC_PAGESIZE);

	rte_free(p);
	return sz;
}

int
main(int argc, char **argv)
{
	RTE_SET_USED(argc);
	t_eal_init(argv[0], NULL, 0);
	rte_srand(0x3e3a9);
	page_sz = heap_page_size();
	dev = (int16_t)t_idxp_create("dma_idxp0", "core=1");
	CHECK(dev >= 0 && t_dev_setup(dev, 1, NB_DESC) == 0, "setup");
	if (dev < 0)
		return t_done("memmap");
	printf("memmap: IOVA as %s, %zu kB pages\n",
			rte_eal_iova_mode() == RTE_IOVA_PA ? "PA" : "VA", page_sz >> 10);
	check_table("at start");
	test_reuse();
	test_iotlb_across_free();
	test_free_in_flight();
	test_unmap_in_flight(t_vdev("dma_idxp0"));
	test_external_heap();
	check_table("at the end");
	rte_dma_stop(dev);
	rte_dma_close(dev);
	return t_done("memmap");
}
