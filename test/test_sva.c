/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Address spaces: external memory made visible with rte_dev_dma_map(), and
 * SVA mode where any process address works through page requests — malloc'd
 * and not-yet-faulted mmap'd buffers succeed, a PROT_NONE page and an
 * unmapped hole report page faults at the right address, a registered fault
 * handler maps memory on demand, and invalidation before munmap is safe.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <rte_dev.h>
#include <rte_memory.h>

#include "rte_pmd_idxp.h"
#include "test_common.h"

static size_t pg;

/* One copy; returns its status (or -1 if nothing completed). */
static int
copy1(int16_t dev, uint64_t src, uint64_t dst, uint32_t len)
{
	enum rte_dma_status_code st = RTE_DMA_STATUS_ERROR_UNKNOWN;

	if (rte_dma_copy(dev, 0, src, dst, len, RTE_DMA_OP_FLAG_SUBMIT) < 0)
		return -1;
	return t_wait_completions(dev, 0, 1, &st) == 1 ? (int)st : -1;
}

static uint64_t
va(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* rte_extmem_register + rte_dev_dma_map: invisible before, usable after. */
static void
test_extmem(void)
{
	int16_t dev = (int16_t)t_idxp_create("dma_idxp1", "core=1");
	size_t len = 2 * 1024 * 1024;
	uint8_t *ext = mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *dst = ext + len / 2;
	struct rte_device *rd = t_vdev("dma_idxp1");

	CHECK(dev >= 0 && t_dev_setup(dev, 1, 64) == 0, "setup");
	CHECK(rd != NULL, "vdev found");
	memset(ext, 0x3c, len / 2);
	CHECK(rte_extmem_register(ext, len, NULL, 0, pg) == 0, "extmem register");
	CHECK(copy1(dev, va(ext), va(dst), 4096) == RTE_DMA_STATUS_INVALID_SRC_ADDR,
			"external memory not mapped yet: invalid src");
	CHECK(rte_dev_dma_map(rd, ext, va(ext), len) == 0, "dma map");
	CHECK(copy1(dev, va(ext), va(dst), 4096) == RTE_DMA_STATUS_SUCCESSFUL,
			"after dma map: success");
	CHECK(memcmp(ext, dst, 4096) == 0, "data");
	CHECK(rte_dev_dma_unmap(rd, ext, va(ext), len) == 0, "dma unmap");
	CHECK(copy1(dev, va(ext), va(dst), 64) == RTE_DMA_STATUS_INVALID_SRC_ADDR,
			"after dma unmap: invalid again, no crash");
	rte_extmem_unregister(ext, len);
	munmap(ext, len);
	rte_dma_stop(dev);
	rte_dma_close(dev);
}

static bool
last_event(int16_t dev, struct rte_pmd_idxp_event *ev)
{
	return rte_pmd_idxp_events_get(dev, ev, 1) == 1;
}

static void
test_sva_malloc(int16_t dev)
{
	size_t len = 256 * 1024;
	uint8_t *s = malloc(len), *d = malloc(len);
	struct rte_pmd_idxp_stats a, b;
	struct rte_dma_info info;
	size_t i;

	CHECK(rte_dma_info_get(dev, &info) == 0 &&
			(info.dev_capa & RTE_DMA_CAPA_SVA), "SVA capability");
	for (i = 0; i < len; i++)
		s[i] = (uint8_t)(i * 7);
	rte_pmd_idxp_stats_get(dev, &a);
	CHECK(copy1(dev, va(s), va(d), (uint32_t)len) == RTE_DMA_STATUS_SUCCESSFUL,
			"malloc'd buffers");
	CHECK(memcmp(s, d, len) == 0, "malloc data");
	rte_pmd_idxp_stats_get(dev, &b);
	CHECK(b.page_requests > a.page_requests, "went through page requests");
	CHECK(copy1(dev, va(s), va(d), (uint32_t)len) == RTE_DMA_STATUS_SUCCESSFUL,
			"again");
	rte_pmd_idxp_stats_get(dev, &a);
	CHECK(a.page_requests == b.page_requests, "translations were cached");
	CHECK(rte_pmd_idxp_sva_invalidate(dev, s, len) == 0 &&
			rte_pmd_idxp_sva_invalidate(dev, d, len) == 0, "invalidate");
	free(s);
	free(d);
}

/* mmap'd, never touched: the control thread faults the pages in. */
static void
test_sva_lazy_mmap(int16_t dev)
{
	size_t len = 64 * pg;
	uint8_t *s = mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *d = mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char vec[64];

	CHECK(mincore(d, len, vec) == 0 && vec[10] == 0, "dst not resident yet");
	CHECK(copy1(dev, va(s), va(d), (uint32_t)len) == RTE_DMA_STATUS_SUCCESSFUL,
			"lazy mmap");
	memset(s, 0xa5, len);
	CHECK(copy1(dev, va(s), va(d), (uint32_t)len) == RTE_DMA_STATUS_SUCCESSFUL &&
			d[len - 1] == 0xa5 && d[0] == 0xa5, "lazy mmap data");
	rte_pmd_idxp_sva_invalidate(dev, s, len);
	rte_pmd_idxp_sva_invalidate(dev, d, len);
	munmap(s, len);
	munmap(d, len);
}

static void
test_sva_bad(int16_t dev)
{
	uint8_t *s = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *d = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *big = malloc(8 * pg);
	struct rte_pmd_idxp_event ev;

	/* PROT_NONE page in the middle of the destination. */
	mprotect(d + pg, pg, PROT_NONE);
	CHECK(copy1(dev, va(s), va(d), (uint32_t)(3 * pg)) == RTE_DMA_STATUS_PAGE_FAULT,
			"PROT_NONE dst page: page fault");
	CHECK(last_event(dev, &ev) && ev.type == 1 && ev.response == 1 &&
			ev.fault_addr == va(d + pg) && ev.write == 1,
			"event: refused page request at the PROT_NONE page (0x%" PRIx64
			" want %p, write %u)", ev.fault_addr, (void *)(d + pg), ev.write);
	/* Unmapped hole in the source (the rule: invalidate, then unmap). */
	CHECK(rte_pmd_idxp_sva_invalidate(dev, s + 2 * pg, pg) == 0, "invalidate");
	munmap(s + 2 * pg, pg);
	CHECK(copy1(dev, va(s), va(big), (uint32_t)(3 * pg)) ==
			RTE_DMA_STATUS_PAGE_FAULT, "unmapped src hole: page fault");
	CHECK(last_event(dev, &ev) && ev.fault_addr == va(s + 2 * pg) &&
			ev.write == 0, "event: fault address is the hole (0x%" PRIx64 ")",
			ev.fault_addr);
	/* Read-only memory: fine as a source, a fault as a destination. */
	CHECK(copy1(dev, va(ro), va(d + 3 * pg), 64) == RTE_DMA_STATUS_SUCCESSFUL,
			"read-only source");
	CHECK(copy1(dev, va(s), va(ro), 64) == RTE_DMA_STATUS_PAGE_FAULT,
			"read-only destination");
	CHECK(copy1(dev, 0, va(d + 3 * pg), 64) == RTE_DMA_STATUS_PAGE_FAULT,
			"NULL source");
	rte_pmd_idxp_sva_invalidate(dev, s, 4 * pg);
	rte_pmd_idxp_sva_invalidate(dev, d, 4 * pg);
	rte_pmd_idxp_sva_invalidate(dev, ro, pg);
	rte_pmd_idxp_sva_invalidate(dev, big, 8 * pg);
	free(big);
	munmap(s, 2 * pg);
	munmap(s + 3 * pg, pg);
	munmap(d, 4 * pg);
	munmap(ro, pg);
}

/* Fault handler maps a reserved PROT_NONE region on demand. */
static uint8_t *lazy_region;
static size_t lazy_len;
static int handler_calls;

static int
on_fault(int16_t dev_id, uint64_t addr, uint32_t len, int write, void *arg)
{
	RTE_SET_USED(dev_id);
	RTE_SET_USED(len);
	RTE_SET_USED(write);
	RTE_SET_USED(arg);
	handler_calls++;
	if (addr < va(lazy_region) || addr >= va(lazy_region) + lazy_len)
		return 1;	/* not ours: let the driver decide */
	return mprotect(lazy_region, lazy_len, PROT_READ | PROT_WRITE) == 0 ? 0 : -1;
}

static void
test_sva_handler(int16_t dev)
{
	uint8_t *s = malloc(4096);

	lazy_len = 16 * pg;
	lazy_region = mmap(NULL, lazy_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	memset(s, 0x77, 4096);
	CHECK(rte_pmd_idxp_fault_handler_register(dev, on_fault, NULL) == 0,
			"register handler");
	CHECK(copy1(dev, va(s), va(lazy_region), 4096) == RTE_DMA_STATUS_SUCCESSFUL,
			"handler mapped the destination on demand");
	CHECK(handler_calls > 0 && lazy_region[4095] == 0x77, "handler asked, data");
	CHECK(rte_pmd_idxp_fault_handler_register(dev, NULL, NULL) == 0, "unregister");
	/* Invalidate before unmapping; afterwards the address faults, no crash. */
	CHECK(rte_pmd_idxp_sva_invalidate(dev, lazy_region, lazy_len) == 0,
			"invalidate");
	munmap(lazy_region, lazy_len);
	CHECK(copy1(dev, va(s), va(lazy_region), 64) == RTE_DMA_STATUS_PAGE_FAULT,
			"unmapped after invalidate: page fault");
	CHECK(rte_pmd_idxp_sva_invalidate(dev, NULL, 1) == -EINVAL, "bad args");
	CHECK(rte_pmd_idxp_sva_invalidate(99, s, 1) == -ENODEV, "bad dev");
	rte_pmd_idxp_sva_invalidate(dev, s, 4096);
	free(s);
}

int
main(int argc, char **argv)
{
	int16_t dev;

	RTE_SET_USED(argc);
	pg = (size_t)sysconf(_SC_PAGESIZE);
	t_eal_init(argv[0], NULL, 0);
	test_extmem();
	if (t_iova_pa()) {
		/* SVA addresses are process VAs: PA mode must refuse it. */
		CHECK(t_idxp_create("dma_idxp0", "core=1,sva=1") < 0,
				"sva=1 refused with IOVA as PA");
		return t_done("sva");
	}
	dev = (int16_t)t_idxp_create("dma_idxp0", "core=1,sva=1");
	CHECK(dev >= 0 && t_dev_setup(dev, 1, 64) == 0, "sva setup");
	if (dev >= 0) {
		test_sva_malloc(dev);
		test_sva_lazy_mmap(dev);
		test_sva_bad(dev);
		test_sva_handler(dev);
		rte_dma_stop(dev);
		rte_dma_close(dev);
	}
	return t_done("sva");
}
