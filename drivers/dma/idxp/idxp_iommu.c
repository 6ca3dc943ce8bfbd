/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <rte_malloc.h>

#include "idxp_bus.h"
#include "idxp_iommu.h"

static struct idxp_iommu_table *
table_alloc(uint32_t nb)
{
	struct idxp_iommu_table *t;

	t = malloc(sizeof(*t) + (size_t)nb * sizeof(t->e[0]));
	if (t != NULL)
		t->nb = 0;
	return t;
}

int
idxp_iommu_init(struct idxp_iommu *mmu, uint32_t nb_readers, int socket)
{
	size_t sz = rte_rcu_qsbr_get_memsize(nb_readers);

	memset(mmu, 0, sizeof(*mmu));
	mmu->prq_fd = -1;
	mmu->qs = rte_zmalloc_socket("idxp_qsbr", sz, RTE_CACHE_LINE_SIZE, socket);
	if (mmu->qs == NULL)
		return -ENOMEM;
	if (rte_rcu_qsbr_init(mmu->qs, nb_readers) != 0) {
		rte_free(mmu->qs);
		return -EINVAL;
	}
	mmu->table = table_alloc(0);
	if (mmu->table == NULL) {
		rte_free(mmu->qs);
		return -ENOMEM;
	}
	mmu->prq_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (mmu->prq_fd < 0) {
		free(mmu->table);
		rte_free(mmu->qs);
		return -errno;
	}
	mmu->gen = 1;
	mmu->table->gen = 1;
	pthread_mutex_init(&mmu->lock, NULL);
	pthread_mutex_init(&mmu->prq_lock, NULL);
	return 0;
}

void
idxp_iommu_fini(struct idxp_iommu *mmu)
{
	free(mmu->table);
	mmu->table = NULL;
	rte_free(mmu->qs);
	mmu->qs = NULL;
	if (mmu->prq_fd >= 0)
		close(mmu->prq_fd);
	mmu->prq_fd = -1;
}

void
idxp_iommu_reader_online(struct idxp_iommu *mmu, unsigned int id)
{
	rte_rcu_qsbr_thread_register(mmu->qs, id);
	rte_rcu_qsbr_thread_online(mmu->qs, id);
}

void
idxp_iommu_reader_offline(struct idxp_iommu *mmu, unsigned int id)
{
	rte_rcu_qsbr_thread_offline(mmu->qs, id);
}

/* Publish @t, wait until no reader can still hold the old table, free it. */
static void
table_publish(struct idxp_iommu *mmu, struct idxp_iommu_table *t)
{
	struct idxp_iommu_table *old = mmu->table;

	t->gen = ++mmu->gen;
	/* Release: readers that see @t also see its entries. */
	__atomic_store_n(&mmu->table, t, __ATOMIC_RELEASE);
	rte_rcu_qsbr_synchronize(mmu->qs, RTE_QSBR_THRID_INVALID);
	free(old);
}

static bool
mergeable(const struct idxp_iommu_entry *a, const struct idxp_iommu_entry *b)
{
	return a->iova + a->len == b->iova && a->va + a->len == b->va &&
		a->perm == b->perm && a->origin == b->origin;
}

static void
table_push(struct idxp_iommu_table *t, const struct idxp_iommu_entry *e)
{
	if (e->len == 0)
		return;
	if (t->nb > 0 && mergeable(&t->e[t->nb - 1], e)) {
		t->e[t->nb - 1].len += e->len;
		return;
	}
	t->e[t->nb++] = *e;
}

/*
 * Copy of @src with the hole [iova, iova+len) cut out and @add (NULL, or an
 * entry covering exactly the hole) put in it; stays sorted and disjoint.
 */
static struct idxp_iommu_table *
table_rebuild(const struct idxp_iommu_table *src, uint64_t iova, uint64_t len,
		const struct idxp_iommu_entry *add, uint32_t origin)
{
	struct idxp_iommu_table *t = table_alloc(src->nb + 2);
	uint64_t end = iova + len;
	uint32_t i;

	if (t == NULL)
		return NULL;
	for (i = 0; i < src->nb; i++) {
		struct idxp_iommu_entry e = src->e[i];
		uint64_t e_end = e.iova + e.len;

		/* Entries of other origins are kept whole (origin-limited unmap). */
		if (e_end <= iova || (add == NULL && origin != IDXP_MAP_ANY &&
				e.origin != origin)) {
			table_push(t, &e);
			continue;
		}
		if (e.iova < iova) {	/* head left of the hole */
			e.len = iova - e.iova;
			table_push(t, &e);
			e = src->e[i];
		}
		if (add != NULL) {
			table_push(t, add);
			add = NULL;
		}
		if (e_end > end) {	/* tail right of the hole */
			uint64_t skip = e.iova < end ? end - e.iova : 0;

			e.iova += skip;
			e.va += skip;
			e.len = e_end - e.iova;
			table_push(t, &e);
		}
	}
	if (add != NULL)
		table_push(t, add);
	return t;
}

int
idxp_iommu_map(struct idxp_iommu *mmu, void *va, uint64_t iova, uint64_t len,
		uint32_t perm, uint32_t origin)
{
	struct idxp_iommu_entry add = {
		.iova = iova, .len = len, .va = va, .perm = perm, .origin = origin,
	};
	struct idxp_iommu_table *t;

	if (len == 0 || iova + len < iova || perm == 0 || (perm & ~IDXP_IOMMU_RW))
		return -EINVAL;
	pthread_mutex_lock(&mmu->lock);
	t = table_rebuild(mmu->table, iova, len, &add, IDXP_MAP_ANY);
	if (t != NULL)
		table_publish(mmu, t);
	pthread_mutex_unlock(&mmu->lock);
	return t == NULL ? -ENOMEM : 0;
}

int
idxp_iommu_unmap(struct idxp_iommu *mmu, uint64_t iova, uint64_t len)
{
	return idxp_iommu_unmap_origin_range(mmu, iova, len, IDXP_MAP_ANY);
}

int
idxp_iommu_unmap_origin_range(struct idxp_iommu *mmu, uint64_t iova,
		uint64_t len, uint32_t origin)
{
	struct idxp_iommu_table *t;

	if (len == 0 || iova + len < iova)
		return -EINVAL;
	pthread_mutex_lock(&mmu->lock);
	t = table_rebuild(mmu->table, iova, len, NULL, origin);
	if (t != NULL)
		table_publish(mmu, t);
	pthread_mutex_unlock(&mmu->lock);
	return t == NULL ? -ENOMEM : 0;
}

int
idxp_iommu_unmap_origin(struct idxp_iommu *mmu, uint32_t origin)
{
	struct idxp_iommu_table *t;
	uint32_t i;

	pthread_mutex_lock(&mmu->lock);
	t = table_alloc(mmu->table->nb);
	if (t != NULL) {
		for (i = 0; i < mmu->table->nb; i++)
			if (mmu->table->e[i].origin != origin)
				table_push(t, &mmu->table->e[i]);
		table_publish(mmu, t);
	}
	pthread_mutex_unlock(&mmu->lock);
	return t == NULL ? -ENOMEM : 0;
}

uint32_t
idxp_iommu_count(struct idxp_iommu *mmu)
{
	uint32_t n;

	pthread_mutex_lock(&mmu->lock);
	n = mmu->table->nb;
	pthread_mutex_unlock(&mmu->lock);
	return n;
}

/* ---- page requests ---- */

int
idxp_iommu_prq_submit(struct idxp_iommu *mmu, const struct idxp_prq_req *r)
{
	pthread_mutex_lock(&mmu->prq_lock);
	if (mmu->prq_tail - mmu->prq_head >= IDXP_PRQ_SLOTS) {
		mmu->prq_overflows++;
		pthread_mutex_unlock(&mmu->prq_lock);
		return -ENOSPC;
	}
	mmu->prq[mmu->prq_tail++ % IDXP_PRQ_SLOTS] = *r;
	pthread_mutex_unlock(&mmu->prq_lock);
	idxp_eventfd_signal(mmu->prq_fd);
	return 0;
}

bool
idxp_iommu_prq_next(struct idxp_iommu *mmu, struct idxp_prq_req *r)
{
	bool got = false;

	pthread_mutex_lock(&mmu->prq_lock);
	if (mmu->prq_head != mmu->prq_tail) {
		*r = mmu->prq[mmu->prq_head++ % IDXP_PRQ_SLOTS];
		got = true;
	}
	pthread_mutex_unlock(&mmu->prq_lock);
	return got;
}

void
idxp_iommu_prq_respond(struct idxp_iommu *mmu, const struct idxp_prq_req *r,
		uint32_t code)
{
	struct idxp_prq_resp *resp;

	if (r->requester >= IDXP_PRQ_REQUESTERS)
		return;
	resp = &mmu->resp[r->requester];
	resp->code = code;
	/* Release: the code (and the table update it reports) before the id. */
	__atomic_store_n(&resp->id, r->id, __ATOMIC_RELEASE);
	idxp_eventfd_signal(r->wake_fd);
}
