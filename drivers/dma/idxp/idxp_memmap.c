/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * An IOMMU programmed from DPDK's memory map, as VFIO programs a real
 * one: every memseg at init, hotplugged memory as it comes and goes. The
 * vdev platform does it for the software device; the fake kernel of the
 * kwq tests does it for the device behind its work queues.
 */

#include <errno.h>
#include <stdio.h>

#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_memory.h>

#include "idxp_iommu.h"

/* The driver's log type: both users log their platform's set-up there. */
extern int idxp_logtype;
#define IDXP_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, idxp_logtype, "idxp: " fmt "\n", ##__VA_ARGS__)

static int
map_memseg(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	struct idxp_iommu *mmu = arg;

	/* External memory needs rte_dev_dma_map(), as with VFIO. */
	if (msl->external || ms->iova == RTE_BAD_IOVA)
		return 0;
	return idxp_iommu_map(mmu, ms->addr, ms->iova, ms->len,
			IDXP_IOMMU_RW, IDXP_MAP_MEMSEG) < 0 ? -1 : 0;
}

static int
map_contig(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		size_t len, void *arg)
{
	struct idxp_iommu *mmu = arg;

	if (msl->external || ms->iova == RTE_BAD_IOVA)
		return 0;
	return idxp_iommu_map(mmu, ms->addr, ms->iova, len,
			IDXP_IOMMU_RW, IDXP_MAP_MEMSEG) < 0 ? -1 : 0;
}

/*
 * DPDK calls this after it maps new pages and before it unmaps freed
 * ones; the unmap returns only after the device's grace period, so no
 * engine touches a page DPDK gives back.
 */
static void
mem_event(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	struct idxp_iommu *mmu = arg;
	const uint8_t *p = addr, *end = p + len;

	/* Memory hotplug lock is held: use the thread-unsafe lookups. */
	while (p < end) {
		const struct rte_memseg *ms = rte_mem_virt2memseg(p, NULL);

		if (ms == NULL)
			break;
		if (type == RTE_MEM_EVENT_ALLOC)
			idxp_iommu_map(mmu, ms->addr, ms->iova, ms->len,
					IDXP_IOMMU_RW, IDXP_MAP_MEMSEG);
		else
			idxp_iommu_unmap(mmu, ms->iova, ms->len);
		p = (const uint8_t *)ms->addr + ms->len;
	}
}

/*
 * Map DPDK's memory and follow it from then on. The hotplug lock is held
 * (for reading) across the callback registration and the walk, so no page
 * can be allocated or freed between the two and go unseen.
 */
int
idxp_memmap_init(struct idxp_memmap *m, struct idxp_iommu *mmu, const char *name)
{
	int ret;

	m->mmu = mmu;
	snprintf(m->cb_name, sizeof(m->cb_name), "idxp-%s", name);
	rte_mcfg_mem_read_lock();
	m->hotplug = rte_mem_event_callback_register(m->cb_name, mem_event,
			mmu) == 0;
	if (!m->hotplug && rte_errno != ENOTSUP)
		IDXP_LOG(WARNING, "%s: no memory hotplug events: memory allocated "
				"later must be mapped with rte_dev_dma_map()", name);
	ret = rte_eal_iova_mode() == RTE_IOVA_VA ?
		rte_memseg_contig_walk_thread_unsafe(map_contig, mmu) :
		rte_memseg_walk_thread_unsafe(map_memseg, mmu);
	rte_mcfg_mem_read_unlock();
	if (ret < 0) {
		IDXP_LOG(ERR, "%s: cannot map DPDK memory for the device", name);
		return -ENOMEM;
	}
	return 0;
}

void
idxp_memmap_fini(struct idxp_memmap *m)
{
	if (m->hotplug)
		rte_mem_event_callback_unregister(m->cb_name, m->mmu);
	m->hotplug = false;
}
