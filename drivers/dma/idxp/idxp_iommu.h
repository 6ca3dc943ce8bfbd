/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_IOMMU_H
#define IDXP_IOMMU_H

/*
 * IOMMU model: the translation table the device walks for every address it
 * touches. The driver programs it (as VFIO programs a real IOMMU) from
 * DPDK's memsegs, rte_dev_dma_map() and, in SVA mode, page responses; the
 * device only reads it.
 *
 * Readers (engine threads) pick up the current table with acquire ordering
 * and may keep using it until they report a quiescent state; writers build a
 * new table, publish it, wait for a grace period (rte_rcu_qsbr) and free the
 * old one. No lock on the read side.
 */

#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>

#include <rte_rcu_qsbr.h>

#define IDXP_IOMMU_READ		1u
#define IDXP_IOMMU_WRITE	2u
#define IDXP_IOMMU_RW		(IDXP_IOMMU_READ | IDXP_IOMMU_WRITE)

struct idxp_iommu_entry {
	uint64_t iova;
	uint64_t len;
	uint8_t *va;
	uint32_t perm;
	uint32_t origin;	/* IDXP_MAP_* that created it */
};

#define IDXP_MAP_MEMSEG		0
#define IDXP_MAP_USER		1	/* rte_dev_dma_map() */
#define IDXP_MAP_SVA		2	/* page response */
#define IDXP_MAP_ANY		UINT32_MAX

struct idxp_iommu_table {
	uint64_t gen;		/* publish count: caches of older gens are stale */
	uint32_t nb;
	struct idxp_iommu_entry e[];	/* sorted by iova, disjoint */
};

/*
 * Page requests (PCIe PRI, as an SVA-capable IOMMU takes them): a device
 * that blocks on a fault asks the IOMMU's owner to make a range present.
 * Requests queue here by value; the owner, woken through prq_fd, answers
 * each one in the requester's response slot and writes its wake_fd.
 */
#define IDXP_PRQ_SLOTS		64	/* power of two, at least one per engine */
#define IDXP_PRQ_REQUESTERS	16

/* Page response codes. */
#define IDXP_PRS_SUCCESS	0	/* retry the access */
#define IDXP_PRS_INVALID	1	/* complete with a page fault status */

struct idxp_prq_req {
	uint64_t addr;
	uint32_t len;
	uint16_t requester;	/* engine index: where the response goes */
	uint8_t write;
	uint8_t rsvd;
	uint32_t id;		/* echoed in the response */
	int wake_fd;
};

struct idxp_prq_resp {
	volatile uint32_t id;	/* id of the request answered last */
	volatile uint32_t code;
} __attribute__((aligned(64)));

struct idxp_iommu {
	struct idxp_iommu_table *table;	/* RCU-published */
	pthread_mutex_t lock;		/* serialises writers */
	struct rte_rcu_qsbr *qs;
	uint64_t gen;
	/* Page request queue. */
	pthread_mutex_t prq_lock;
	struct idxp_prq_req prq[IDXP_PRQ_SLOTS];
	uint32_t prq_head, prq_tail;
	uint64_t prq_overflows;
	int prq_fd;			/* eventfd the owner waits on */
	struct idxp_prq_resp resp[IDXP_PRQ_REQUESTERS];
};

/* Device side: queue a request; -ENOSPC when the queue is full. */
int idxp_iommu_prq_submit(struct idxp_iommu *mmu, const struct idxp_prq_req *r);
/* Owner side: take the oldest request; false when there is none. */
bool idxp_iommu_prq_next(struct idxp_iommu *mmu, struct idxp_prq_req *r);
/* Owner side: answer @r with IDXP_PRS_*, and wake its requester. */
void idxp_iommu_prq_respond(struct idxp_iommu *mmu, const struct idxp_prq_req *r,
		uint32_t code);

int idxp_iommu_init(struct idxp_iommu *mmu, uint32_t nb_readers, int socket);
void idxp_iommu_fini(struct idxp_iommu *mmu);
int idxp_iommu_map(struct idxp_iommu *mmu, void *va, uint64_t iova,
		uint64_t len, uint32_t perm, uint32_t origin);
int idxp_iommu_unmap(struct idxp_iommu *mmu, uint64_t iova, uint64_t len);
/* Unmap only the parts of [iova, iova+len) that @origin created. */
int idxp_iommu_unmap_origin_range(struct idxp_iommu *mmu, uint64_t iova,
		uint64_t len, uint32_t origin);
/* Drops every entry created by @origin; 0 or negative errno. */
int idxp_iommu_unmap_origin(struct idxp_iommu *mmu, uint32_t origin);
uint32_t idxp_iommu_count(struct idxp_iommu *mmu);

/* Reader side. */
void idxp_iommu_reader_online(struct idxp_iommu *mmu, unsigned int id);
void idxp_iommu_reader_offline(struct idxp_iommu *mmu, unsigned int id);

static inline void
idxp_iommu_reader_resume(struct idxp_iommu *mmu, unsigned int id)
{
	rte_rcu_qsbr_thread_online(mmu->qs, id);
}

static inline void
idxp_iommu_quiescent(struct idxp_iommu *mmu, unsigned int id)
{
	rte_rcu_qsbr_quiescent(mmu->qs, id);
}

static inline const struct idxp_iommu_table *
idxp_iommu_current(const struct idxp_iommu *mmu)
{
	/* Pairs with the release store in the writer's publish. */
	return __atomic_load_n(&mmu->table, __ATOMIC_ACQUIRE);
}

/* Entry covering iova, or NULL. */
static inline const struct idxp_iommu_entry *
idxp_iommu_find(const struct idxp_iommu_table *t, uint64_t iova)
{
	uint32_t lo = 0, hi = t->nb;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		const struct idxp_iommu_entry *e = &t->e[mid];

		if (iova < e->iova)
			hi = mid;
		else if (iova - e->iova >= e->len)
			lo = mid + 1;
		else
			return e;
	}
	return NULL;
}

/* ---- DPDK's memory in an IOMMU (idxp_memmap.c) ---- */

struct idxp_memmap {
	struct idxp_iommu *mmu;
	char cb_name[96];
	bool hotplug;			/* memory events are followed */
};

/* Map every memseg into @mmu and follow hotplug from then on. */
int idxp_memmap_init(struct idxp_memmap *m, struct idxp_iommu *mmu,
		const char *name);
void idxp_memmap_fini(struct idxp_memmap *m);

#endif /* IDXP_IOMMU_H */
