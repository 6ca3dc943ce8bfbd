/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_dev.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_vhost.h>
#include <rte_vhost_async.h>

#include "vhost_fwd.h"

/* ---- the dmadev ---- */

/*
 * Every byte lib/vhost moves goes through rte_dma_copy(), which calls the
 * driver through rte_dma_fp_objs[]. Wrapping that one pointer counts the
 * bytes the device was asked to copy, which rte_dma_stats cannot tell: the
 * backend checks them against the packet bytes it saw, so a copy the
 * library did with the CPU instead would show. Only lib/vhost submits, under
 * its per-vchan lock, so plain counters do.
 */
static rte_dma_copy_t drv_copy;
static struct fwd_dma_count dma_count;

static int
counting_copy(void *dev_private, uint16_t vchan, rte_iova_t src,
		rte_iova_t dst, uint32_t length, uint64_t flags)
{
	int ret = drv_copy(dev_private, vchan, src, dst, length, flags);

	if (ret >= 0) {
		dma_count.ops++;
		dma_count.bytes += length;
	}
	return ret;
}

void
fwd_dma_count_get(struct fwd_dma_count *c)
{
	*c = dma_count;
}

int16_t
fwd_dma_setup(const char *name, uint16_t nb_desc)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
	};
	struct rte_dma_info info;
	int id = rte_dma_get_dev_id_by_name(name);

	if (id < 0 || rte_dma_info_get(id, &info) != 0) {
		fprintf(stderr, "vhost-fwd: no dmadev '%s' (give it with --vdev)\n", name);
		return -1;
	}
	vconf.nb_desc = RTE_MAX(RTE_MIN(nb_desc, info.max_desc), info.min_desc);
	if (rte_dma_configure(id, &conf) != 0 ||
			rte_dma_vchan_setup(id, 0, &vconf) != 0 ||
			rte_dma_start(id) != 0) {
		fprintf(stderr, "vhost-fwd: cannot set up dmadev %s\n", name);
		return -1;
	}
	/* Drivers fill their fast-path object at probe; it stays until close. */
	drv_copy = rte_dma_fp_objs[id].copy;
	rte_dma_fp_objs[id].copy = counting_copy;
	if (rte_vhost_async_dma_configure(id, 0) != 0) {
		fprintf(stderr, "vhost-fwd: rte_vhost_async_dma_configure(%d, 0) failed\n", id);
		return -1;
	}
	printf("vhost-fwd: dmadev %d '%s' vchan 0, %u descriptors, IOVA as %s\n",
			id, name, vconf.nb_desc,
			rte_eal_iova_mode() == RTE_IOVA_VA ? "VA" : "PA");
	return (int16_t)id;
}

void
fwd_dma_close(int16_t dma_id)
{
	if (rte_vhost_async_dma_unconfigure(dma_id, 0) != 0)
		fprintf(stderr, "vhost-fwd: rte_vhost_async_dma_unconfigure failed\n");
	rte_dma_fp_objs[dma_id].copy = drv_copy;
	rte_dma_stop(dma_id);
	rte_dma_close(dma_id);
}

/* ---- guest memory ---- */

static struct rte_device *
dma_rte_device(int16_t dma_id)
{
	struct rte_dma_info info;
	struct rte_dev_iterator it;
	struct rte_device *dev;

	if (rte_dma_info_get(dma_id, &info) != 0)
		return NULL;
	RTE_DEV_FOREACH(dev, "bus=vdev", &it)
		if (strcmp(rte_dev_name(dev), info.dev_name) == 0)
			return dev;
	return NULL;
}

static int
add_run(struct fwd_guest_map *m, uint32_t *cap, uint8_t *va, rte_iova_t iova,
		size_t len)
{
	struct fwd_guest_run *r = m->nb_runs ? &m->runs[m->nb_runs - 1] : NULL;

	if (r != NULL && (uint8_t *)r->va + r->len == va && r->iova + r->len == iova) {
		r->len += len;
		return 0;
	}
	if (m->nb_runs == *cap) {
		uint32_t n = *cap ? *cap * 2 : 16;
		struct fwd_guest_run *p = realloc(m->runs, n * sizeof(*p));

		if (p == NULL)
			return -1;
		m->runs = p;
		*cap = n;
	}
	m->runs[m->nb_runs++] = (struct fwd_guest_run){ va, iova, len };
	return 0;
}

/*
 * Split a region into IOVA-contiguous runs, asking for each page the IOVA
 * lib/vhost will use (rte_mem_virt2iova(), as its guest page table does):
 * the VA itself in VA mode, the physical address in PA mode.
 */
static int
region_runs(struct fwd_guest_map *m, uint32_t *cap, uint8_t *va, size_t len,
		size_t pg)
{
	size_t off;

	if (rte_eal_iova_mode() == RTE_IOVA_VA)
		return add_run(m, cap, va, (uintptr_t)va, len);
	for (off = 0; off < len; off += pg) {
		rte_iova_t iova = rte_mem_virt2iova(va + off);

		if (iova == RTE_BAD_IOVA) {
			fprintf(stderr, "vhost-fwd: no physical address for guest page %p\n",
					va + off);
			return -1;
		}
		if (add_run(m, cap, va + off, iova, pg) < 0)
			return -1;
	}
	return 0;
}

/*
 * The region's page size as lib/vhost takes it: the block size of its
 * file (2 MB or 1 GB on hugetlbfs, 4 KB for a plain memfd). lib/vhost's
 * guest page table has one rte_mem_virt2iova() per such page, so walking
 * by it gives the IOVAs lib/vhost hands the dmadev. Walking by 4 KB gives
 * the same, but each lookup reads /proc/self/pagemap: a 64 MB guest took
 * 45 ms of the event thread, over 300 ms on a loaded cpu.
 */
static int
region_page_size(const struct rte_vhost_mem_region *reg, size_t *pg)
{
	struct stat st;

	if (fstat(reg->fd, &st) != 0 || st.st_blksize <= 0 ||
			!rte_is_power_of_2((uint64_t)st.st_blksize)) {
		fprintf(stderr, "vhost-fwd: no page size for guest region fd %d\n", reg->fd);
		return -1;
	}
	*pg = (size_t)st.st_blksize;
	return 0;
}

static int
map_region(struct fwd_guest_map *m, const struct rte_vhost_mem_region *reg,
		uint32_t *cap)
{
	uint8_t *va = (uint8_t *)(uintptr_t)reg->host_user_addr;
	struct fwd_guest_run *r = &m->regions[m->nb_regions];
	size_t pg;

	if (region_page_size(reg, &pg) != 0)
		return -1;
	if (!rte_is_aligned(va, pg) || reg->size % pg != 0) {
		fprintf(stderr, "vhost-fwd: guest region %p+%#" PRIx64 " is not aligned to its %zu KB pages\n",
				va, reg->size, pg >> 10);
		return -1;
	}
	/* rte_dev_dma_map() only takes memory EAL knows as external. */
	if (rte_extmem_register(va, reg->size, NULL, 0, pg) != 0) {
		fprintf(stderr, "vhost-fwd: rte_extmem_register(%p, %#" PRIx64 "): %s\n",
				va, reg->size, rte_strerror(rte_errno));
		return -1;
	}
	*r = (struct fwd_guest_run){ va, RTE_BAD_IOVA, reg->size };
	m->nb_regions++;
	m->bytes += reg->size;
	return region_runs(m, cap, va, reg->size, pg);
}

static int
map_runs(struct fwd_guest_map *m, struct rte_device *dev)
{
	uint32_t i;

	for (i = 0; i < m->nb_runs; i++) {
		struct fwd_guest_run *r = &m->runs[i];

		if (rte_dev_dma_map(dev, r->va, r->iova, r->len) != 0) {
			fprintf(stderr, "vhost-fwd: rte_dev_dma_map(%p, %#" PRIx64 ", %#zx) failed\n",
					r->va, r->iova, r->len);
			m->nb_runs = i;		/* unmap only what was mapped */
			return -1;
		}
	}
	return 0;
}

int
fwd_guest_map(struct fwd_guest_map *m, int vid)
{
	struct rte_vhost_memory *mem = NULL;
	struct rte_device *dev = dma_rte_device(m->dma_id);
	uint32_t i, cap = 0;
	bool ok;

	if (m->mapped)
		return 0;
	if (dev == NULL || rte_vhost_get_mem_table(vid, &mem) != 0) {
		fprintf(stderr, "vhost-fwd: no device or no memory table for vid %d\n", vid);
		return -1;
	}
	*m = (struct fwd_guest_map){ .dma_id = m->dma_id, .mapped = true };
	m->regions = calloc(mem->nregions, sizeof(*m->regions));
	ok = m->regions != NULL;
	for (i = 0; ok && i < mem->nregions; i++)
		ok = map_region(m, &mem->regions[i], &cap) == 0;
	if (!ok)
		m->nb_runs = 0;		/* none was given to the device */
	else
		ok = map_runs(m, dev) == 0;
	free(mem);
	if (!ok)
		fwd_guest_unmap(m);
	return ok ? 0 : -1;
}

void
fwd_guest_unmap(struct fwd_guest_map *m)
{
	struct rte_device *dev = dma_rte_device(m->dma_id);
	uint32_t i;

	if (!m->mapped)
		return;
	for (i = 0; dev != NULL && i < m->nb_runs; i++)
		if (rte_dev_dma_unmap(dev, m->runs[i].va, m->runs[i].iova, m->runs[i].len) != 0)
			fprintf(stderr, "vhost-fwd: rte_dev_dma_unmap(%p) failed\n", m->runs[i].va);
	for (i = 0; i < m->nb_regions; i++)
		if (rte_extmem_unregister(m->regions[i].va, m->regions[i].len) != 0)
			fprintf(stderr, "vhost-fwd: rte_extmem_unregister(%p): %s\n",
					m->regions[i].va, rte_strerror(rte_errno));
	free(m->runs);
	free(m->regions);
	m->runs = m->regions = NULL;
	m->nb_runs = m->nb_regions = 0;
	m->mapped = false;
}
