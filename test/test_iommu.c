/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * IOMMU model: map, unmap (splitting entries), overlapping remaps, merges of
 * adjacent entries, lookups at the edges, unmap by origin, argument checks,
 * and a random sequence compared page by page with a flat reference model.
 * No reader is registered, so every grace period is immediate.
 */

#include <errno.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_random.h>

#include "idxp_iommu.h"
#include "test_common.h"

#define PG	0x1000ull
#define BASE	0x100000ull

/* Fake VAs: never dereferenced, only translated. */
static uint8_t *const VA_A = (uint8_t *)(uintptr_t)0x7f0000000000ull;
static uint8_t *const VA_B = (uint8_t *)(uintptr_t)0x7f1000000000ull;

static const struct idxp_iommu_entry *
find(struct idxp_iommu *mmu, uint64_t iova)
{
	return idxp_iommu_find(idxp_iommu_current(mmu), iova);
}

/* The VA @iova translates to, or NULL. */
static const uint8_t *
xlate(struct idxp_iommu *mmu, uint64_t iova)
{
	const struct idxp_iommu_entry *e = find(mmu, iova);

	return e == NULL ? NULL : e->va + (iova - e->iova);
}

static bool
mergeable(const struct idxp_iommu_entry *a, const struct idxp_iommu_entry *b)
{
	return a->iova + a->len == b->iova && a->va + a->len == b->va &&
		a->perm == b->perm && a->origin == b->origin;
}

/* Sorted, disjoint, no empty entry, nothing left unmerged. */
static bool
table_sane(struct idxp_iommu *mmu)
{
	const struct idxp_iommu_table *t = idxp_iommu_current(mmu);
	uint32_t i;

	if (t->nb != idxp_iommu_count(mmu))
		return false;
	for (i = 0; i < t->nb; i++) {
		if (t->e[i].len == 0 || t->e[i].perm == 0)
			return false;
		if (i > 0 && (t->e[i - 1].iova + t->e[i - 1].len > t->e[i].iova ||
				mergeable(&t->e[i - 1], &t->e[i])))
			return false;
	}
	return true;
}

static void
test_args(struct idxp_iommu *mmu)
{
	CHECK(idxp_iommu_map(mmu, VA_A, BASE, 0, IDXP_IOMMU_RW, IDXP_MAP_USER) ==
			-EINVAL, "map of length 0");
	CHECK(idxp_iommu_map(mmu, VA_A, BASE, PG, 0, IDXP_MAP_USER) == -EINVAL,
			"map without permission");
	CHECK(idxp_iommu_map(mmu, VA_A, BASE, PG, 4, IDXP_MAP_USER) == -EINVAL,
			"map with an unknown permission bit");
	CHECK(idxp_iommu_map(mmu, VA_A, UINT64_MAX - PG + 2, PG, IDXP_IOMMU_RW,
			IDXP_MAP_USER) == -EINVAL, "map wrapping past 2^64");
	CHECK(idxp_iommu_unmap(mmu, BASE, 0) == -EINVAL, "unmap of length 0");
	CHECK(idxp_iommu_unmap(mmu, UINT64_MAX, 2) == -EINVAL,
			"unmap wrapping past 2^64");
	CHECK(idxp_iommu_count(mmu) == 0, "failed calls left %u entries",
			idxp_iommu_count(mmu));
	CHECK(idxp_iommu_unmap(mmu, BASE, PG) == 0, "unmap of nothing is fine");
	CHECK(idxp_iommu_unmap_origin(mmu, IDXP_MAP_USER) == 0,
			"unmap_origin on an empty table");
	CHECK(find(mmu, 0) == NULL && find(mmu, BASE) == NULL &&
			find(mmu, UINT64_MAX) == NULL, "empty table translates nothing");
}

static void
test_map_lookup(struct idxp_iommu *mmu)
{
	const struct idxp_iommu_entry *e;

	CHECK(idxp_iommu_map(mmu, VA_A, BASE, 16 * PG, IDXP_IOMMU_RW,
			IDXP_MAP_USER) == 0, "map");
	CHECK(idxp_iommu_count(mmu) == 1, "one entry, got %u", idxp_iommu_count(mmu));
	e = find(mmu, BASE);
	CHECK(e != NULL && e->iova == BASE && e->len == 16 * PG && e->va == VA_A &&
			e->perm == IDXP_IOMMU_RW && e->origin == IDXP_MAP_USER,
			"entry as mapped");
	CHECK(xlate(mmu, BASE) == VA_A, "first byte");
	CHECK(xlate(mmu, BASE + 16 * PG - 1) == VA_A + 16 * PG - 1, "last byte");
	CHECK(xlate(mmu, BASE + 5 * PG + 3) == VA_A + 5 * PG + 3, "middle byte");
	CHECK(find(mmu, BASE - 1) == NULL, "byte before");
	CHECK(find(mmu, BASE + 16 * PG) == NULL, "byte after");
	CHECK(find(mmu, 0) == NULL && find(mmu, UINT64_MAX) == NULL, "far away");
	CHECK(table_sane(mmu), "table sane");
}

/* Unmap a middle piece: one entry becomes two, each with the right VA. */
static void
test_unmap_split(struct idxp_iommu *mmu)
{
	const struct idxp_iommu_entry *lo, *hi;

	CHECK(idxp_iommu_unmap(mmu, BASE + 4 * PG, PG + 7) == 0, "unmap middle");
	CHECK(idxp_iommu_count(mmu) == 2, "split in two, got %u",
			idxp_iommu_count(mmu));
	lo = find(mmu, BASE);
	hi = find(mmu, BASE + 5 * PG + 7);
	CHECK(lo != NULL && lo->iova == BASE && lo->len == 4 * PG && lo->va == VA_A,
			"left piece");
	CHECK(hi != NULL && hi->iova == BASE + 5 * PG + 7 &&
			hi->len == 11 * PG - 7 && hi->va == VA_A + 5 * PG + 7,
			"right piece keeps its VA offset");
	CHECK(xlate(mmu, BASE + 4 * PG - 1) == VA_A + 4 * PG - 1, "edge left of hole");
	CHECK(find(mmu, BASE + 4 * PG) == NULL, "first byte of hole");
	CHECK(find(mmu, BASE + 5 * PG + 6) == NULL, "last byte of hole");
	CHECK(xlate(mmu, BASE + 5 * PG + 7) == VA_A + 5 * PG + 7, "edge right of hole");
	CHECK(xlate(mmu, BASE + 16 * PG - 1) == VA_A + 16 * PG - 1, "end unchanged");
	CHECK(table_sane(mmu), "table sane");

	/* Filling the hole with the same translation merges back to one. */
	CHECK(idxp_iommu_map(mmu, VA_A + 4 * PG, BASE + 4 * PG, PG + 7,
			IDXP_IOMMU_RW, IDXP_MAP_USER) == 0, "refill hole");
	CHECK(idxp_iommu_count(mmu) == 1, "merged back to one, got %u",
			idxp_iommu_count(mmu));
	lo = find(mmu, BASE);
	CHECK(lo != NULL && lo->len == 16 * PG && lo->va == VA_A, "whole again");

	/* Unmapping a head and a tail trims in place. */
	CHECK(idxp_iommu_unmap(mmu, BASE - PG, 2 * PG) == 0, "trim head");
	CHECK(idxp_iommu_unmap(mmu, BASE + 15 * PG, 4 * PG) == 0, "trim tail");
	lo = find(mmu, BASE + PG);
	CHECK(idxp_iommu_count(mmu) == 1 && lo != NULL &&
			lo->iova == BASE + PG && lo->len == 14 * PG &&
			lo->va == VA_A + PG, "trimmed to [1, 15) pages");
	CHECK(find(mmu, BASE + PG - 1) == NULL && find(mmu, BASE + 15 * PG) == NULL,
			"trimmed edges gone");
	CHECK(table_sane(mmu), "table sane");
	CHECK(idxp_iommu_unmap(mmu, 0, UINT64_MAX) == 0 &&
			idxp_iommu_count(mmu) == 0, "unmap everything");
}

/* A map over existing entries replaces exactly the range it covers. */
static void
test_overlap_remap(struct idxp_iommu *mmu)
{
	const struct idxp_iommu_entry *e;

	CHECK(idxp_iommu_map(mmu, VA_A, BASE, 16 * PG, IDXP_IOMMU_RW,
			IDXP_MAP_MEMSEG) == 0, "map A");
	CHECK(idxp_iommu_map(mmu, VA_B, BASE + 8 * PG, 16 * PG, IDXP_IOMMU_READ,
			IDXP_MAP_USER) == 0, "map B over the upper half of A");
	CHECK(idxp_iommu_count(mmu) == 2, "two entries, got %u", idxp_iommu_count(mmu));
	CHECK(xlate(mmu, BASE + 8 * PG - 1) == VA_A + 8 * PG - 1, "A below B");
	e = find(mmu, BASE + 8 * PG);
	CHECK(e != NULL && e->va == VA_B && e->perm == IDXP_IOMMU_READ &&
			e->origin == IDXP_MAP_USER, "B wins where it was mapped");
	CHECK(xlate(mmu, BASE + 24 * PG - 1) == VA_B + 16 * PG - 1, "B end");
	CHECK(find(mmu, BASE + 24 * PG) == NULL, "past B");

	/* Inside one entry: it becomes three. */
	CHECK(idxp_iommu_map(mmu, VA_B + 0x100000, BASE + 2 * PG, PG,
			IDXP_IOMMU_WRITE, IDXP_MAP_SVA) == 0, "map C inside A");
	CHECK(idxp_iommu_count(mmu) == 4, "A split around C, got %u",
			idxp_iommu_count(mmu));
	CHECK(xlate(mmu, BASE + 2 * PG - 1) == VA_A + 2 * PG - 1, "A left of C");
	CHECK(xlate(mmu, BASE + 2 * PG) == VA_B + 0x100000, "C");
	CHECK(xlate(mmu, BASE + 3 * PG) == VA_A + 3 * PG, "A right of C");

	/* Across several entries at once, with partial ends. */
	CHECK(idxp_iommu_map(mmu, VA_A + 0x200000, BASE + PG, 20 * PG,
			IDXP_IOMMU_RW, IDXP_MAP_USER) == 0, "map D over A, C, B");
	CHECK(idxp_iommu_count(mmu) == 3, "A head, D, B tail: got %u",
			idxp_iommu_count(mmu));
	CHECK(xlate(mmu, BASE + PG - 1) == VA_A + PG - 1, "A head");
	CHECK(xlate(mmu, BASE + PG) == VA_A + 0x200000, "D start");
	CHECK(xlate(mmu, BASE + 21 * PG - 1) == VA_A + 0x200000 + 20 * PG - 1, "D end");
	CHECK(xlate(mmu, BASE + 21 * PG) == VA_B + 13 * PG, "B tail");
	CHECK(table_sane(mmu), "table sane");
	CHECK(idxp_iommu_unmap(mmu, 0, UINT64_MAX) == 0, "clear");
}

static void
test_merge(struct idxp_iommu *mmu)
{
	const struct idxp_iommu_entry *e;

	CHECK(idxp_iommu_map(mmu, VA_A, BASE, PG, IDXP_IOMMU_RW, IDXP_MAP_USER) == 0 &&
			idxp_iommu_map(mmu, VA_A + PG, BASE + PG, PG, IDXP_IOMMU_RW,
				IDXP_MAP_USER) == 0, "two adjacent maps");
	CHECK(idxp_iommu_count(mmu) == 1, "merged, got %u", idxp_iommu_count(mmu));
	/* Mapped in the reverse order: merges with the entry on its right. */
	CHECK(idxp_iommu_map(mmu, VA_A - PG, BASE - PG, PG, IDXP_IOMMU_RW,
			IDXP_MAP_USER) == 0, "adjacent on the left");
	e = find(mmu, BASE);
	CHECK(idxp_iommu_count(mmu) == 1 && e != NULL && e->iova == BASE - PG &&
			e->len == 3 * PG && e->va == VA_A - PG, "merged on the left");

	/* Adjacent IOVA but something differs: stays separate. */
	CHECK(idxp_iommu_map(mmu, VA_A + 3 * PG, BASE + 2 * PG, PG, IDXP_IOMMU_RW,
			IDXP_MAP_USER) == 0, "VA not contiguous");
	CHECK(idxp_iommu_map(mmu, VA_A + 4 * PG, BASE + 3 * PG, PG,
			IDXP_IOMMU_READ, IDXP_MAP_USER) == 0, "other perm");
	CHECK(idxp_iommu_map(mmu, VA_A + 5 * PG, BASE + 4 * PG, PG,
			IDXP_IOMMU_READ, IDXP_MAP_MEMSEG) == 0, "other origin");
	CHECK(idxp_iommu_count(mmu) == 4, "no merge across differences, got %u",
			idxp_iommu_count(mmu));
	CHECK(xlate(mmu, BASE + 2 * PG) == VA_A + 3 * PG &&
			xlate(mmu, BASE + 3 * PG) == VA_A + 4 * PG &&
			xlate(mmu, BASE + 4 * PG + 1) == VA_A + 5 * PG + 1,
			"each keeps its own VA");
	CHECK(table_sane(mmu), "table sane");
	CHECK(idxp_iommu_unmap(mmu, 0, UINT64_MAX) == 0, "clear");
}

static void
test_origin_perm(struct idxp_iommu *mmu)
{
	const struct idxp_iommu_entry *e;

	CHECK(idxp_iommu_map(mmu, VA_A, BASE, 4 * PG, IDXP_IOMMU_RW,
			IDXP_MAP_MEMSEG) == 0, "memseg");
	CHECK(idxp_iommu_map(mmu, VA_A + PG, BASE + PG, PG, IDXP_IOMMU_RW,
			IDXP_MAP_SVA) == 0, "sva in the middle of memseg");
	CHECK(idxp_iommu_map(mmu, VA_B, BASE + 8 * PG, PG, IDXP_IOMMU_READ,
			IDXP_MAP_USER) == 0, "user");
	CHECK(idxp_iommu_map(mmu, VA_B + PG, BASE + 10 * PG, PG, IDXP_IOMMU_WRITE,
			IDXP_MAP_SVA) == 0, "sva write-only");
	CHECK(idxp_iommu_count(mmu) == 5, "five entries, got %u", idxp_iommu_count(mmu));

	e = find(mmu, BASE + 8 * PG);
	CHECK(e != NULL && e->perm == IDXP_IOMMU_READ, "read-only perm kept");
	e = find(mmu, BASE + 10 * PG);
	CHECK(e != NULL && e->perm == IDXP_IOMMU_WRITE, "write-only perm kept");

	CHECK(idxp_iommu_unmap_origin(mmu, IDXP_MAP_SVA) == 0, "drop sva");
	CHECK(idxp_iommu_count(mmu) == 3, "memseg pieces and user left, got %u",
			idxp_iommu_count(mmu));
	CHECK(find(mmu, BASE + PG) == NULL, "sva hole in memseg");
	CHECK(find(mmu, BASE + 10 * PG) == NULL, "sva entry gone");
	CHECK(xlate(mmu, BASE) == VA_A && xlate(mmu, BASE + 2 * PG) == VA_A + 2 * PG,
			"memseg pieces untouched");
	CHECK(xlate(mmu, BASE + 8 * PG) == VA_B, "user untouched");
	CHECK(idxp_iommu_unmap_origin(mmu, IDXP_MAP_USER) == 0 &&
			idxp_iommu_count(mmu) == 2, "drop user");
	CHECK(idxp_iommu_unmap_origin(mmu, IDXP_MAP_MEMSEG) == 0 &&
			idxp_iommu_count(mmu) == 0, "drop memseg");
	CHECK(table_sane(mmu), "table sane");
}

/* Many entries inserted out of order: binary search hits each edge. */
static void
test_many(struct idxp_iommu *mmu)
{
	const unsigned int n = 257;
	unsigned int i, k, bad = 0;

	for (k = 0; k < n; k++) {
		i = (k * 101) % n;	/* 101 is coprime with 257: a permutation */
		if (idxp_iommu_map(mmu, VA_A + i * 0x10000ull, BASE + i * 3 * PG,
				2 * PG, i & 1 ? IDXP_IOMMU_READ : IDXP_IOMMU_RW,
				IDXP_MAP_USER) != 0)
			bad++;
	}
	CHECK(bad == 0, "%u maps failed", bad);
	CHECK(idxp_iommu_count(mmu) == n, "%u entries, expected %u",
			idxp_iommu_count(mmu), n);
	for (i = 0, bad = 0; i < n; i++) {
		uint64_t iova = BASE + i * 3 * PG;

		bad += xlate(mmu, iova) != VA_A + i * 0x10000ull;
		bad += xlate(mmu, iova + 2 * PG - 1) != VA_A + i * 0x10000ull + 2 * PG - 1;
		bad += find(mmu, iova + 2 * PG) != NULL;
		bad += find(mmu, iova + 3 * PG - 1) != NULL;
	}
	CHECK(bad == 0, "%u lookups wrong among %u entries", bad, n);
	CHECK(table_sane(mmu), "table sane");
	CHECK(idxp_iommu_unmap(mmu, BASE + 3 * PG, (n - 2) * 3 * PG) == 0 &&
			idxp_iommu_count(mmu) == 2, "unmap all but the first and last");
	CHECK(idxp_iommu_unmap_origin(mmu, IDXP_MAP_USER) == 0, "clear");
}

/* Flat reference: what each page translates to. */
#define MODEL_PAGES 64

struct model_page {
	uint64_t va;		/* 0: unmapped */
	uint32_t perm;
	uint32_t origin;
};

static bool
model_matches(struct idxp_iommu *mmu, const struct model_page *m)
{
	unsigned int p;

	for (p = 0; p < MODEL_PAGES; p++) {
		uint64_t iova = BASE + p * PG;
		const struct idxp_iommu_entry *e = find(mmu, iova);
		const struct idxp_iommu_entry *e2 = find(mmu, iova + PG - 1);

		if (m[p].va == 0) {
			if (e != NULL || e2 != NULL)
				return false;
			continue;
		}
		if (e == NULL || e2 != e ||
				(uint64_t)(uintptr_t)(e->va + (iova - e->iova)) != m[p].va ||
				e->perm != m[p].perm || e->origin != m[p].origin)
			return false;
	}
	return true;
}

static void
test_random(struct idxp_iommu *mmu)
{
	struct model_page m[MODEL_PAGES];
	unsigned int step, p, bad = 0, insane = 0;

	memset(m, 0, sizeof(m));
	rte_srand(12345);
	for (step = 0; step < 3000; step++) {
		unsigned int first = rte_rand_max(MODEL_PAGES);
		unsigned int n = 1 + rte_rand_max(MODEL_PAGES - first);
		unsigned int op = rte_rand_max(8);

		if (op < 5) {
			/* Few distinct VA bases, so merges happen often. */
			uint64_t va = 0x7e0000000000ull + rte_rand_max(4) * 0x100000 +
				first * PG;
			uint32_t perm = 1 + rte_rand_max(3);
			uint32_t origin = rte_rand_max(3);

			if (rte_rand_max(2))
				va = 0x7e0000000000ull + first * PG;	/* identity-like */
			if (idxp_iommu_map(mmu, (void *)(uintptr_t)va, BASE + first * PG,
					n * PG, perm, origin) != 0)
				bad++;
			for (p = first; p < first + n; p++) {
				m[p].va = va + (p - first) * PG;
				m[p].perm = perm;
				m[p].origin = origin;
			}
		} else if (op < 7) {
			if (idxp_iommu_unmap(mmu, BASE + first * PG, n * PG) != 0)
				bad++;
			for (p = first; p < first + n; p++)
				m[p].va = 0;
		} else {
			uint32_t origin = rte_rand_max(3);

			if (idxp_iommu_unmap_origin(mmu, origin) != 0)
				bad++;
			for (p = 0; p < MODEL_PAGES; p++)
				if (m[p].origin == origin)
					m[p].va = 0;
		}
		if (!model_matches(mmu, m)) {
			CHECK(false, "table differs from the model after step %u (op %u, "
					"pages %u+%u)", step, op, first, n);
			break;
		}
		insane += !table_sane(mmu);
	}
	CHECK(bad == 0, "%u calls failed", bad);
	CHECK(insane == 0, "table not sorted/disjoint/merged after %u steps", insane);
	CHECK(idxp_iommu_unmap(mmu, 0, UINT64_MAX) == 0 && idxp_iommu_count(mmu) == 0,
			"clear");
}

int
main(int argc, char **argv)
{
	struct idxp_iommu mmu;

	RTE_SET_USED(argc);
	t_eal_init(argv[0], NULL, 0);
	if (idxp_iommu_init(&mmu, 1, SOCKET_ID_ANY) != 0) {
		CHECK(false, "idxp_iommu_init failed");
		return t_done("iommu");
	}
	CHECK(idxp_iommu_count(&mmu) == 0, "new table is empty");
	test_args(&mmu);
	test_map_lookup(&mmu);
	test_unmap_split(&mmu);
	test_overlap_remap(&mmu);
	test_merge(&mmu);
	test_origin_perm(&mmu);
	test_many(&mmu);
	test_random(&mmu);
	idxp_iommu_fini(&mmu);
	CHECK(mmu.table == NULL && mmu.qs == NULL, "fini releases the table");
	return t_done("iommu");
}
