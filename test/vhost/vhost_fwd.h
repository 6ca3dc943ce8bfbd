/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_VHOST_FWD_H
#define IDXP_VHOST_FWD_H

/*
 * The DMA side of vhost_async_fwd: the dmadev lib/vhost drives, a count of
 * the bytes it was asked to copy, and the guest memory it must reach.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_memory.h>

/* Configure one vchan of @name, start it, hand it to lib/vhost; dev id or -1. */
int16_t fwd_dma_setup(const char *name, uint16_t nb_desc);

/* Stop and close the dmadev. */
void fwd_dma_close(int16_t dma_id);

/* Copies and bytes the dmadev accepted from lib/vhost since fwd_dma_setup(). */
struct fwd_dma_count {
	uint64_t ops;
	uint64_t bytes;
};
void fwd_dma_count_get(struct fwd_dma_count *c);

/*
 * Guest memory as the dmadev must see it. lib/vhost hands the dmadev the
 * guest buffers' IOVAs (rte_mem_virt2iova() of its own mapping of the
 * guest's memory), but that mapping is not DPDK memory: a device behind an
 * IOMMU - idxp models one - faults on it until it is mapped, which lib/vhost
 * does only through VFIO's container. A vdev DMA device needs the
 * application to do it, with rte_extmem_register() + rte_dev_dma_map().
 */
struct fwd_guest_run {
	void *va;
	rte_iova_t iova;
	size_t len;
};

struct fwd_guest_map {
	int16_t dma_id;
	bool mapped;
	uint32_t nb_regions;
	struct fwd_guest_run *regions;	/* as registered with rte_extmem_register() */
	uint32_t nb_runs;
	struct fwd_guest_run *runs;	/* IOVA-contiguous pieces given to rte_dev_dma_map() */
	uint64_t bytes;
};

/* Map the memory table of vhost device @vid; 0 or -1 (all undone). */
int fwd_guest_map(struct fwd_guest_map *m, int vid);

/* Undo fwd_guest_map(); a no-op when nothing is mapped. */
void fwd_guest_unmap(struct fwd_guest_map *m);

#endif /* IDXP_VHOST_FWD_H */
