/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * app/common's DMA buffers in PA mode, on memory whose IOVAs are known:
 * an external heap of 4 KB pages that are IOVA-contiguous only three at a
 * time. Every buffer must be IOVA-contiguous, some must have moved past a
 * discontinuity, and buffers longer than three pages cannot be placed.
 * Skipped (77) where the EAL cannot run in PA mode (no root, no hugepages).
 */

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "app_util.h"
#include "test_common.h"

#define PG		4096u
#define NB_PAGES	96
#define RUN_PAGES	3	/* pages per IOVA-contiguous run */
#define GAP		(1u << 20)	/* IOVA jump between runs */

static rte_iova_t iovas[NB_PAGES];
static uint8_t *base;

/* The IOVA a byte of the region has, by the table given to the heap. */
static rte_iova_t
iova_of_byte(const uint8_t *p)
{
	size_t off = (size_t)(p - base);

	return iovas[off / PG] + off % PG;
}

static void
check_bufs(int socket, uint32_t len)
{
	struct app_bufs b;
	uint32_t i, moved = 0;
	int ret;

	ret = app_bufs_alloc(&b, 12, len, socket, false);
	CHECK(ret == 0, "%u B: app_bufs_alloc: %d", len, ret);
	for (i = 0; ret == 0 && i < b.nb; i++) {
		CHECK(b.iova[i] == iova_of_byte(b.va[i]), "%u B: buffer %u: iova %#lx, table says %#lx",
			len, i, (unsigned long)b.iova[i], (unsigned long)iova_of_byte(b.va[i]));
		CHECK(iova_of_byte(b.va[i] + len - 1) == b.iova[i] + len - 1,
			"%u B: buffer %u straddles an IOVA discontinuity", len, i);
		moved += i > 0 && b.va[i] - b.va[i - 1] > RTE_ALIGN_CEIL(len, 64);
	}
	CHECK(ret != 0 || moved > 0, "%u B: no buffer moved past a discontinuity", len);
	app_bufs_free(&b);
}

int
main(int argc, char **argv)
{
	struct app_bufs b;
	unsigned int i;
	int socket;

	RTE_SET_USED(argc);
	if (geteuid() != 0 || !t_hugepages()) {
		printf("SKIP: PA mode needs root and hugepages\n");
		return 77;
	}
	/* Through t_eal_init()'s own flag: 25.11's EAL refuses it twice. */
	setenv("IDXP_IOVA", "pa", 1);
	t_eal_init(argv[0], NULL, 0);
	CHECK(rte_eal_iova_mode() == RTE_IOVA_PA, "the EAL is not in PA mode");
	base = mmap(NULL, NB_PAGES * PG, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(base != MAP_FAILED, "mmap failed");
	for (i = 0; i < NB_PAGES; i++)
		iovas[i] = 0x100000000ull + (uint64_t)i * PG + (i / RUN_PAGES) * GAP;
	CHECK(rte_malloc_heap_create("test_bufs") == 0, "heap create");
	CHECK(rte_malloc_heap_memory_add("test_bufs", base, NB_PAGES * PG, iovas,
		NB_PAGES, PG) == 0, "heap memory add: %s", rte_strerror(rte_errno));
	socket = rte_malloc_heap_get_socket("test_bufs");
	CHECK(socket >= 0, "heap socket");
	/* One page, one that needs two pages, one that needs three. */
	check_bufs(socket, 3000);
	check_bufs(socket, 6000);
	check_bufs(socket, 2 * PG + 100);
	CHECK(app_bufs_alloc(&b, 2, 3 * PG + 1, socket, false) == -EFAULT,
		"a buffer over three pages was placed");
	/* VA addresses for SVA devices need no contiguity: packed, as given. */
	CHECK(app_bufs_alloc(&b, 4, 6000, socket, true) == 0 &&
		b.iova[1] == (uintptr_t)b.va[1] && b.va[1] - b.va[0] == 6016,
		"va_addrs buffers are not packed virtual addresses");
	app_bufs_free(&b);
	rte_eal_cleanup();
	return t_done("app_bufs");
}
