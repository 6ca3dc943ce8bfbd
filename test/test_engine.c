/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * The software engine through the dmadev API: copies and fills of odd
 * sizes at every alignment, scatter-gather splits, overlapping copies,
 * invalid addresses with and without fences, several vchans at once, a
 * two-engine device, vchan status and dump. Every op's data is checked
 * byte for byte, including the bytes around its destination.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_random.h>

#include "idxp_internal.h"
#include "test_common.h"

#define POOL_SZ		(8u << 20)
#define GUARD		64	/* bytes checked after each destination */
#define SENTINEL	0xee
#define NB_DESC		256
#define NB_VCHANS	4

/*
 * Source and destination pools. Every op stays inside one 2 MB piece of a
 * pool, so its IOVA range is contiguous in either IOVA mode.
 */
static uint8_t *spool, *dpool;

static rte_iova_t
s_iova(const uint8_t *p)
{
	return t_iova(p);
}

static rte_iova_t
d_iova(const uint8_t *p)
{
	return t_iova(p);
}

static void
randomize(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)rte_rand();
}

static const enum rte_dma_status_code OK = RTE_DMA_STATUS_SUCCESSFUL;
static const enum rte_dma_status_code BAD_SRC = RTE_DMA_STATUS_INVALID_SRC_ADDR;
static const enum rte_dma_status_code BAD_DST = RTE_DMA_STATUS_INVALID_DST_ADDR;
static const enum rte_dma_status_code NOT_ATT = RTE_DMA_STATUS_NOT_ATTEMPTED;

static const char *
st_name(enum rte_dma_status_code s)
{
	switch (s) {
	case RTE_DMA_STATUS_SUCCESSFUL: return "ok";
	case RTE_DMA_STATUS_NOT_ATTEMPTED: return "not-attempted";
	case RTE_DMA_STATUS_INVALID_SRC_ADDR: return "bad-src";
	case RTE_DMA_STATUS_INVALID_DST_ADDR: return "bad-dst";
	case RTE_DMA_STATUS_INVALID_LENGTH: return "bad-len";
	case RTE_DMA_STATUS_PAGE_FAULT: return "page-fault";
	default: return "other";
	}
}

/* Collect @n (<= 64) statuses on @vchan, compare with @want (NULL: all ok). */
static void
expect(int16_t dev, uint16_t vchan, uint16_t n,
		const enum rte_dma_status_code *want, const char *what)
{
	enum rte_dma_status_code st[64];
	int got = t_wait_completions(dev, vchan, RTE_MIN(n, RTE_DIM(st)), st);
	int i;

	CHECK(got == n, "%s: %d of %u completions", what, got, n);
	for (i = 0; i < got; i++) {
		enum rte_dma_status_code w = want ? want[i] : RTE_DMA_STATUS_SUCCESSFUL;

		CHECK(st[i] == w, "%s: op %d status %s (%d), expected %s", what, i,
				st_name(st[i]), st[i], st_name(w));
	}
}

/* ---- copies ---- */

/*
 * One burst per length: 64 ops, src offset i % 8 and dst offset i / 8,
 * each in its own region whose surroundings must stay untouched. Then the
 * same length once more as a lone op (the device's non-batch path).
 */
static void
test_copy_sizes(int16_t dev)
{
	static const uint32_t lens[] = { 1, 63, 64, 4097, 65536 + 3 };
	unsigned int l, j;

	for (l = 0; l < RTE_DIM(lens); l++) {
		uint32_t len = lens[l];
		size_t stride = RTE_ALIGN_CEIL(len + 8 + GUARD, 64);
		size_t off[65], end = 0;
		unsigned int bad = 0, n = 64;
		int id = 0;

		/* Regions never straddle a 2 MB piece (see t_dma_zalloc()). */
		for (j = 0; j <= n; j++) {
			off[j] = t_piece_fit(end, stride);
			end = off[j] + stride;
		}
		randomize(spool, end);
		memset(dpool, SENTINEL, end);
		for (j = 0; j < n && id >= 0; j++) {
			const uint8_t *s = spool + off[j] + j % 8;
			uint8_t *d = dpool + off[j] + j / 8;

			id = rte_dma_copy(dev, 0, s_iova(s), d_iova(d), len, 0);
		}
		CHECK(id >= 0, "copy %u: enqueue", len);
		CHECK(rte_dma_submit(dev, 0) == 0, "submit");
		expect(dev, 0, n, NULL, "copy burst");
		/* the lone op: src offset 5, dst offset 3 */
		CHECK(rte_dma_copy(dev, 0, s_iova(spool + off[n] + 5),
				d_iova(dpool + off[n] + 3), len,
				RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy %u: lone op", len);
		expect(dev, 0, 1, NULL, "lone copy");
		for (j = 0; j <= n; j++) {
			unsigned int so = j < n ? j % 8 : 5, dof = j < n ? j / 8 : 3;
			const uint8_t *s = spool + off[j] + so;
			const uint8_t *d = dpool + off[j] + dof;

			if (memcmp(d, s, len) != 0 || !t_all_bytes(d - dof, dof, SENTINEL) ||
					!t_all_bytes(d + len, stride - dof - len, SENTINEL)) {
				if (bad++ == 0)
					CHECK(false, "copy len %u src+%u dst+%u: data or "
							"guard bytes wrong", len, so, dof);
			}
		}
		CHECK(bad == 0, "copy len %u: %u of %u ops wrong", len, bad, n + 1);
	}
}

/* Length 0 is refused by the device, not by a crash. */
static void
test_zero_length(int16_t dev)
{
	static const enum rte_dma_status_code mixed[] = {
		RTE_DMA_STATUS_SUCCESSFUL, RTE_DMA_STATUS_INVALID_LENGTH,
		RTE_DMA_STATUS_SUCCESSFUL,
	};
	static const enum rte_dma_status_code bad_len = RTE_DMA_STATUS_INVALID_LENGTH;

#ifdef RTE_DMADEV_DEBUG
	CHECK(rte_dma_copy(dev, 0, s_iova(spool), d_iova(dpool), 0, 0) == -EINVAL,
			"debug dmadev refuses length 0 itself");
	return;
#endif
	randomize(spool, 4096);
	memset(dpool, SENTINEL, 4096);
	CHECK(rte_dma_copy(dev, 0, s_iova(spool), d_iova(dpool), 0,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "lone copy of length 0 enqueues");
	expect(dev, 0, 1, &bad_len, "lone copy of length 0");
	CHECK(rte_dma_fill(dev, 0, 0x55, d_iova(dpool), 0,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "lone fill of length 0 enqueues");
	expect(dev, 0, 1, &bad_len, "lone fill of length 0");
	CHECK(t_all_bytes(dpool, 4096, SENTINEL), "length 0 wrote nothing");

	CHECK(rte_dma_copy(dev, 0, s_iova(spool), d_iova(dpool), 100, 0) >= 0 &&
			rte_dma_copy(dev, 0, s_iova(spool + 1024), d_iova(dpool + 1024),
				0, 0) >= 0 &&
			rte_dma_copy(dev, 0, s_iova(spool + 2048), d_iova(dpool + 2048),
				100, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "burst with length 0");
	expect(dev, 0, 3, mixed, "burst with length 0");
	CHECK(memcmp(dpool, spool, 100) == 0 &&
			memcmp(dpool + 2048, spool + 2048, 100) == 0,
			"ops around the length-0 op copied");
	CHECK(t_all_bytes(dpool + 1024, 1024, SENTINEL) &&
			t_all_bytes(dpool + 100, 924, SENTINEL), "length-0 op wrote nothing");
}

/* ---- fills ---- */

static bool
fill_ok(const uint8_t *d, uint32_t len, uint64_t pattern)
{
	const uint8_t *pb = (const uint8_t *)&pattern;
	uint32_t k;

	for (k = 0; k < len; k++)
		if (d[k] != pb[k % 8])
			return false;
	return true;
}

static void
test_fill(int16_t dev)
{
	static const uint32_t lens[] = { 1, 7, 8, 9, 4097 };
	const uint64_t pattern = 0x0123456789abcdefull;
	size_t stride = RTE_ALIGN_CEIL(4097 + 8 + GUARD, 64);
	unsigned int l, o, n = 0, bad = 0;
	int id = 0;

	memset(dpool, SENTINEL, stride * RTE_DIM(lens) * 9);
	for (l = 0; l < RTE_DIM(lens); l++)
		for (o = 0; o < 8 && id >= 0; o++, n++)
			id = rte_dma_fill(dev, 0, pattern,
					d_iova(dpool + n * stride + o), lens[l], 0);
	CHECK(id >= 0, "fill enqueue");
	CHECK(rte_dma_submit(dev, 0) == 0, "submit");
	expect(dev, 0, n, NULL, "fill burst");
	/* each length once more as a lone op at offset 3 */
	for (l = 0; l < RTE_DIM(lens); l++) {
		CHECK(rte_dma_fill(dev, 0, pattern,
				d_iova(dpool + (n + l) * stride + 3), lens[l],
				RTE_DMA_OP_FLAG_SUBMIT) >= 0, "lone fill");
		expect(dev, 0, 1, NULL, "lone fill");
	}
	for (l = 0, n = 0; l < RTE_DIM(lens); l++) {
		for (o = 0; o <= 8; o++) {
			unsigned int slot = o < 8 ? n++ : RTE_DIM(lens) * 8 + l;
			unsigned int off = o < 8 ? o : 3;
			const uint8_t *d = dpool + slot * stride + off;

			if (!fill_ok(d, lens[l], pattern) ||
					!t_all_bytes(d - off, off, SENTINEL) ||
					!t_all_bytes(d + lens[l], GUARD, SENTINEL)) {
				if (bad++ == 0)
					CHECK(false, "fill len %u at +%u: pattern or "
							"guard bytes wrong", lens[l], off);
			}
		}
	}
	CHECK(bad == 0, "%u fills wrong", bad);
}

/* ---- scatter-gather ---- */

struct sg_case {
	const char *name;
	uint16_t nb_src, nb_dst;
	uint32_t src[IDXP_HW_MAX_SGE], dst[IDXP_HW_MAX_SGE];
};

static const struct sg_case sg_cases[] = {
	{ "3 src / 2 dst", 3, 2, { 100, 1, 4000 }, { 2000, 2101 } },
	{ "1 src / 8 dst", 1, 8, { 4101 }, { 1, 1, 1, 1, 1, 1, 1, 4094 } },
	{ "8 src / 1 dst", 8, 1, { 7, 13, 1, 500, 3, 64, 4096, 1 }, { 4685 } },
	{ "5 src / 3 dst", 5, 3, { 1, 2, 3, 4, 65536 }, { 65535, 10, 1 } },
	{ "2 src / 2 dst same", 2, 2, { 64, 64 }, { 64, 64 } },
};

/* Segment addresses of one case: odd offsets, gaps between segments. */
struct sg_layout {
	struct rte_dma_sge s[IDXP_HW_MAX_SGE], d[IDXP_HW_MAX_SGE];
	uint8_t *sp[IDXP_HW_MAX_SGE], *dp[IDXP_HW_MAX_SGE];
};

static void
sg_lay_out(const struct sg_case *c, struct sg_layout *lo, size_t base)
{
	size_t so = base + 3, dof = base + 5;
	uint16_t i;

	for (i = 0; i < c->nb_src; i++) {
		lo->sp[i] = spool + so;
		lo->s[i].addr = s_iova(lo->sp[i]);
		lo->s[i].length = c->src[i];
		so += c->src[i] + 16 + i;
	}
	for (i = 0; i < c->nb_dst; i++) {
		lo->dp[i] = dpool + dof;
		lo->d[i].addr = d_iova(lo->dp[i]);
		lo->d[i].length = c->dst[i];
		dof += c->dst[i] + GUARD + i;
	}
}

static bool
sg_verify(const struct sg_case *c, const struct sg_layout *lo, size_t base)
{
	static uint8_t want[1 << 17];
	size_t n = 0, k = 0;
	uint16_t i;

	for (i = 0; i < c->nb_src; i++) {
		memcpy(want + n, lo->sp[i], c->src[i]);
		n += c->src[i];
	}
	if (!t_all_bytes(dpool + base, 5, SENTINEL))
		return false;
	for (i = 0; i < c->nb_dst; i++) {
		if (memcmp(lo->dp[i], want + k, c->dst[i]) != 0 ||
				!t_all_bytes(lo->dp[i] + c->dst[i], GUARD + i, SENTINEL))
			return false;
		k += c->dst[i];
	}
	return k == n;
}

static void
test_copy_sg(int16_t dev)
{
	const size_t region = 256 * 1024;
	struct sg_layout lo[RTE_DIM(sg_cases)];
	struct rte_dma_sge s[IDXP_HW_MAX_SGE + 1], d[IDXP_HW_MAX_SGE + 1];
	struct rte_dma_info info;
	unsigned int i;
	uint16_t cap;
	int id = 0;

	CHECK(rte_dma_info_get(dev, &info) == 0 && info.max_sges == IDXP_HW_MAX_SGE,
			"max_sges %u", info.max_sges);
	randomize(spool, region * RTE_DIM(sg_cases));
	memset(dpool, SENTINEL, region * RTE_DIM(sg_cases));
	/* All cases in one burst (batch), then each again as a lone op. */
	for (i = 0; i < RTE_DIM(sg_cases) && id >= 0; i++) {
		sg_lay_out(&sg_cases[i], &lo[i], i * region);
		id = rte_dma_copy_sg(dev, 0, lo[i].s, lo[i].d, sg_cases[i].nb_src,
				sg_cases[i].nb_dst, 0);
	}
	CHECK(id >= 0, "copy_sg enqueue: %d", id);
	CHECK(rte_dma_submit(dev, 0) == 0, "submit");
	expect(dev, 0, RTE_DIM(sg_cases), NULL, "copy_sg burst");
	for (i = 0; i < RTE_DIM(sg_cases); i++)
		CHECK(sg_verify(&sg_cases[i], &lo[i], i * region),
				"copy_sg %s (burst): data or guard bytes wrong",
				sg_cases[i].name);

	memset(dpool, SENTINEL, region * RTE_DIM(sg_cases));
	for (i = 0; i < RTE_DIM(sg_cases); i++) {
		CHECK(rte_dma_copy_sg(dev, 0, lo[i].s, lo[i].d, sg_cases[i].nb_src,
				sg_cases[i].nb_dst, RTE_DMA_OP_FLAG_SUBMIT) >= 0,
				"lone copy_sg");
		expect(dev, 0, 1, NULL, "lone copy_sg");
		CHECK(sg_verify(&sg_cases[i], &lo[i], i * region),
				"copy_sg %s (lone): data or guard bytes wrong",
				sg_cases[i].name);
	}

	/* A segment that does not translate fails the op, on either side. */
	lo[0].s[1].addr = (rte_iova_t)(uintptr_t)&cap;
	CHECK(rte_dma_copy_sg(dev, 0, lo[0].s, lo[0].d, sg_cases[0].nb_src,
			sg_cases[0].nb_dst, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	expect(dev, 0, 1, &BAD_SRC, "copy_sg with an unmapped src segment");
	sg_lay_out(&sg_cases[0], &lo[0], 0);
	lo[0].d[1].addr = (rte_iova_t)(uintptr_t)&cap;
	CHECK(rte_dma_copy_sg(dev, 0, lo[0].s, lo[0].d, sg_cases[0].nb_src,
			sg_cases[0].nb_dst, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	expect(dev, 0, 1, &BAD_DST, "copy_sg with an unmapped dst segment");

	/* Too many segments, or none: refused at enqueue, ring untouched. */
	for (i = 0; i <= IDXP_HW_MAX_SGE; i++) {
		s[i] = (struct rte_dma_sge){ .addr = s_iova(spool), .length = 1 };
		d[i] = (struct rte_dma_sge){ .addr = d_iova(dpool), .length = 1 };
	}
	cap = rte_dma_burst_capacity(dev, 0);
	CHECK(rte_dma_copy_sg(dev, 0, s, d, info.max_sges + 1, 1, 0) == -EINVAL,
			"nb_src > max_sges");
	CHECK(rte_dma_copy_sg(dev, 0, s, d, 1, info.max_sges + 1, 0) == -EINVAL,
			"nb_dst > max_sges");
	CHECK(rte_dma_copy_sg(dev, 0, s, d, 0, 1, 0) == -EINVAL, "nb_src 0");
	CHECK(rte_dma_copy_sg(dev, 0, s, d, 1, 0, 0) == -EINVAL, "nb_dst 0");
	CHECK(rte_dma_burst_capacity(dev, 0) == cap, "refused sg took ring space");
	CHECK(rte_dma_copy_sg(dev, 0, s, d, info.max_sges, info.max_sges,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "max_sges accepted");
	expect(dev, 0, 1, NULL, "copy_sg at max_sges");
}

/* ---- overlapping copies ---- */

static size_t
first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n && a[i] == b[i]; i++)
		;
	return i;
}

static void
overlap_one(int16_t dev, uint8_t *buf, size_t so, size_t dof, uint32_t len,
		const char *what)
{
	static uint8_t shadow[64 * 1024];
	const size_t n = sizeof(shadow);

	randomize(buf, n);
	memcpy(shadow, buf, n);
	memmove(shadow + dof, shadow + so, len);
	CHECK(rte_dma_copy(dev, 0, d_iova(buf + so), d_iova(buf + dof), len,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "%s: enqueue", what);
	expect(dev, 0, 1, NULL, what);
	CHECK(first_diff(buf, shadow, n) == n,
			"%s: result differs from memmove at byte %zu (src+%zu dst+%zu len %u)",
			what, first_diff(buf, shadow, n), so, dof, len);
}

/*
 * Split the translation entry covering @p at a page boundary, without
 * changing any translation: the page gets its own entry (another origin).
 * The engine then copies in two chunks, as it does across any boundary.
 */
static int
split_page(int16_t dev, uint8_t *page, uint32_t origin)
{
	struct idxp_priv *priv = idxp_priv_get(dev);

	return priv == NULL ? -ENODEV : idxp_iommu_map(priv->bus->iommu, page,
			d_iova(page), 4096, IDXP_IOMMU_RW, origin);
}

static uint32_t
table_entries(int16_t dev)
{
	struct idxp_priv *priv = idxp_priv_get(dev);

	return priv == NULL ? 0 : idxp_iommu_count(priv->bus->iommu);
}

static void
test_overlap(int16_t dev)
{
	const uint64_t pattern = 0x8877665544332211ull;
	uint8_t *buf = RTE_PTR_ALIGN_CEIL(dpool, 4096);
	uint8_t *page = buf + 8192;
	uint32_t before;

	overlap_one(dev, buf, 0, 100, 8000, "overlap, dst above src");
	overlap_one(dev, buf, 100, 0, 8000, "overlap, dst below src");
	overlap_one(dev, buf, 7, 8, 40000, "overlap by all but one byte");
	overlap_one(dev, buf, 64, 64, 4096, "src == dst");

	/* Same copies across a translation boundary at buf + 8192. */
	before = table_entries(dev);
	CHECK(split_page(dev, page, IDXP_MAP_SVA) == 0 &&
			table_entries(dev) == before + 2, "split the table at a page "
			"(%u -> %u entries)", before, table_entries(dev));
	overlap_one(dev, buf, 4096, 4196, 8000,
			"overlap across a translation boundary, dst above src");
	overlap_one(dev, buf, 4196, 4096, 8000,
			"overlap across a translation boundary, dst below src");
	/* A fill whose second chunk starts at an odd offset of the pattern. */
	memset(page - 64, SENTINEL, 256);
	CHECK(rte_dma_fill(dev, 0, pattern, d_iova(page - 5), 100,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "fill across the boundary");
	expect(dev, 0, 1, NULL, "fill across a translation boundary");
	CHECK(fill_ok(page - 5, 100, pattern) && t_all_bytes(page - 64, 59, SENTINEL) &&
			t_all_bytes(page + 95, 97, SENTINEL),
			"fill across a translation boundary: pattern or guard wrong");
	CHECK(split_page(dev, page, IDXP_MAP_MEMSEG) == 0 &&
			table_entries(dev) == before, "boundary merged away again "
			"(%u entries, was %u)", table_entries(dev), before);
}

/* ---- invalid addresses ---- */


/* Op @i of a burst: 256 bytes from spool slot i to dpool slot i, unless
 * @src or @dst (non-zero) replace an address. */
static int
slot_copy(int16_t dev, unsigned int i, rte_iova_t src, rte_iova_t dst,
		uint64_t flags)
{
	return rte_dma_copy(dev, 0, src ? src : s_iova(spool + i * 256),
			dst ? dst : d_iova(dpool + i * 256), 256, flags);
}

static bool
slot_copied(unsigned int i)
{
	return memcmp(dpool + i * 256, spool + i * 256, 256) == 0;
}

static bool
slot_untouched(unsigned int i)
{
	return t_all_bytes(dpool + i * 256, 256, SENTINEL);
}

static void
fresh_slots(unsigned int n)
{
	randomize(spool, n * 256);
	memset(dpool, SENTINEL, n * 256);
}

/* Lone ops (the device's direct path) at address 0 or unmapped memory. */
static void
bad_lone(int16_t dev, rte_iova_t unmapped)
{
	fresh_slots(1);
	CHECK(slot_copy(dev, 0, 0, 0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	expect(dev, 0, 1, &OK, "good lone op");
	CHECK(rte_dma_copy(dev, 0, 0, d_iova(dpool), 64, RTE_DMA_OP_FLAG_SUBMIT) >= 0,
			"src 0 enqueues");
	expect(dev, 0, 1, &BAD_SRC, "src 0");
	CHECK(rte_dma_copy(dev, 0, s_iova(spool), 0, 64, RTE_DMA_OP_FLAG_SUBMIT) >= 0,
			"dst 0 enqueues");
	expect(dev, 0, 1, &BAD_DST, "dst 0");
	CHECK(rte_dma_copy(dev, 0, unmapped, d_iova(dpool), 64,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "unmapped src enqueues");
	expect(dev, 0, 1, &BAD_SRC, "unmapped src");
	CHECK(rte_dma_copy(dev, 0, s_iova(spool), unmapped, 64,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "unmapped dst enqueues");
	expect(dev, 0, 1, &BAD_DST, "unmapped dst");
	CHECK(rte_dma_fill(dev, 0, 0, 0, 64, RTE_DMA_OP_FLAG_SUBMIT) >= 0,
			"fill dst 0 enqueues");
	expect(dev, 0, 1, &BAD_DST, "fill to dst 0");
}

/* In a burst: alone a failure stays with its op, a fence stops the rest. */
static void
bad_in_burst(int16_t dev, rte_iova_t unmapped)
{
	const enum rte_dma_status_code nofence[] = { BAD_SRC, OK, BAD_DST, OK, OK };
	const enum rte_dma_status_code fenced[] = { OK, BAD_SRC, NOT_ATT, NOT_ATT };
	const enum rte_dma_status_code fence_ok[] = { OK, OK, OK };

	fresh_slots(5);
	CHECK(slot_copy(dev, 0, unmapped, 0, 0) >= 0 &&
			slot_copy(dev, 1, 0, 0, 0) >= 0 &&
			slot_copy(dev, 2, 0, unmapped, 0) >= 0 &&
			slot_copy(dev, 3, 0, 0, 0) >= 0 &&
			slot_copy(dev, 4, 0, 0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	expect(dev, 0, 5, nofence, "failures without fence");
	CHECK(slot_untouched(0) && slot_copied(1) && slot_untouched(2) &&
			slot_copied(3) && slot_copied(4), "data after failures without fence");

	fresh_slots(4);
	CHECK(slot_copy(dev, 0, 0, 0, 0) >= 0 &&
			slot_copy(dev, 1, unmapped, 0, 0) >= 0 &&
			slot_copy(dev, 2, 0, 0, RTE_DMA_OP_FLAG_FENCE) >= 0 &&
			slot_copy(dev, 3, 0, 0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	expect(dev, 0, 4, fenced, "fence after a failure");
	CHECK(slot_copied(0) && slot_untouched(1) && slot_untouched(2) &&
			slot_untouched(3), "ops after the fence did not run");

	/* A fence with nothing failed before it changes nothing. */
	fresh_slots(3);
	CHECK(slot_copy(dev, 0, 0, 0, 0) >= 0 &&
			slot_copy(dev, 1, 0, 0, RTE_DMA_OP_FLAG_FENCE) >= 0 &&
			slot_copy(dev, 2, 0, 0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	expect(dev, 0, 3, fence_ok, "fence without failure");
	CHECK(slot_copied(0) && slot_copied(1) && slot_copied(2), "fenced burst data");
}

/* rte_dma_completed() stops in front of a failed op and stays there. */
static void
bad_then_completed(int16_t dev, rte_iova_t unmapped)
{
	const enum rte_dma_status_code rest[] = { BAD_SRC, OK };
	uint64_t end = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
	uint16_t n = 0, last = 0;
	bool err = false;
	int id;

	fresh_slots(5);
	id = slot_copy(dev, 0, 0, 0, 0);
	CHECK(id >= 0 && slot_copy(dev, 1, 0, 0, 0) >= 0 &&
			slot_copy(dev, 2, 0, 0, 0) >= 0 &&
			slot_copy(dev, 3, unmapped, 0, 0) >= 0 &&
			slot_copy(dev, 4, 0, 0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	while (n == 0 && !err && rte_get_timer_cycles() < end)
		n = rte_dma_completed(dev, 0, 16, &last, &err);
	CHECK(n == 3 && err && last == (uint16_t)(id + 2),
			"completed() before the failed op: n %u err %d last %u "
			"(want 3, 1, %u)", n, err, last, (uint16_t)(id + 2));
	n = rte_dma_completed(dev, 0, 16, &last, &err);
	CHECK(n == 0 && err, "completed() does not pass the failed op");
	expect(dev, 0, 2, rest, "completed_status() after completed()");
	CHECK(slot_copied(0) && slot_copied(2) && slot_untouched(3) &&
			slot_copied(4), "data around the failed op");

	/* The same for a lone failed op. */
	err = false;
	id = slot_copy(dev, 0, unmapped, 0, RTE_DMA_OP_FLAG_SUBMIT);
	end = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
	n = 0;
	while (n == 0 && !err && rte_get_timer_cycles() < end)
		n = rte_dma_completed(dev, 0, 16, &last, &err);
	CHECK(id >= 0 && n == 0 && err && last == (uint16_t)(id - 1),
			"completed() on a lone failed op: n %u err %d last %u", n, err, last);
	expect(dev, 0, 1, &BAD_SRC, "completed_status() of the lone failed op");
}

/* A failed batch handed out two statuses at a time. */
static void
bad_partial(int16_t dev, rte_iova_t unmapped)
{
	const enum rte_dma_status_code want[] = { OK, BAD_SRC, OK, BAD_DST, OK };
	enum rte_dma_status_code st[5];
	uint64_t end = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
	uint16_t got = 0, last = 0, k, bad = 0;
	int id;

	fresh_slots(5);
	id = slot_copy(dev, 0, 0, 0, 0);
	CHECK(id >= 0 && slot_copy(dev, 1, unmapped, 0, 0) >= 0 &&
			slot_copy(dev, 2, 0, 0, 0) >= 0 &&
			slot_copy(dev, 3, 0, unmapped, 0) >= 0 &&
			slot_copy(dev, 4, 0, 0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	while (got < 5 && bad == 0 && rte_get_timer_cycles() < end) {
		k = rte_dma_completed_status(dev, 0, 2, &last, st + got);
		bad += k > 2 || (k > 0 && last != (uint16_t)(id + got + k - 1));
		got += k;
	}
	CHECK(bad == 0, "more than 2 per call or a wrong last_idx (%u) at %u",
			last, got);
	CHECK(got == 5 && memcmp(st, want, sizeof(want)) == 0,
			"statuses of a failed batch in pieces: %u collected", got);
	CHECK(slot_copied(0) && slot_untouched(1) && slot_copied(2) &&
			slot_untouched(3) && slot_copied(4), "data of the failed batch");
}

static void
test_invalid_addr(int16_t dev)
{
	/* glibc heap: not DPDK memory, so not in the IOMMU (sva=0) */
	uint8_t *heap = malloc(8192);
	rte_iova_t unmapped = (rte_iova_t)(uintptr_t)heap;
	struct rte_dma_stats st0, st1;

	CHECK(heap != NULL, "malloc");
	if (heap == NULL)
		return;
	memset(heap, 0x5a, 8192);
	rte_dma_stats_get(dev, 0, &st0);
	bad_lone(dev, unmapped);
	bad_in_burst(dev, unmapped);
	bad_then_completed(dev, unmapped);
	bad_partial(dev, unmapped);
	CHECK(t_all_bytes(heap, 8192, 0x5a), "unmapped memory was written");

	/* The next burst after all that runs normally. */
	fresh_slots(2);
	CHECK(slot_copy(dev, 0, 0, 0, 0) >= 0 &&
			slot_copy(dev, 1, 0, 0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	expect(dev, 0, 2, NULL, "burst after failures");
	CHECK(slot_copied(0) && slot_copied(1), "data after failures");

	rte_dma_stats_get(dev, 0, &st1);
	/* failed: 5 lone, 2 no fence, 1 + 2 fenced, 1 + 1 completed(), 2 */
	CHECK(st1.errors - st0.errors == 14, "errors counted: %" PRIu64,
			st1.errors - st0.errors);
	CHECK(st1.completed - st0.completed == st1.submitted - st0.submitted,
			"every submitted op completed: %" PRIu64 " vs %" PRIu64,
			st1.completed - st0.completed, st1.submitted - st0.submitted);
	free(heap);
}

/*
 * A burst that straddles the ring end goes to the device as a lone op (the
 * last slot) plus a batch: failures in both parts keep their own status.
 */
static void
test_straddle(int16_t dev)
{
	const enum rte_dma_status_code want[] = { BAD_SRC, OK, BAD_DST, OK };
	uint16_t pad;
	int id;

	fresh_slots(4);
	id = slot_copy(dev, 0, 0, 0, RTE_DMA_OP_FLAG_SUBMIT);
	CHECK(id >= 0, "enqueue");
	expect(dev, 0, 1, NULL, "probe");
	/* pad up to the last slot of the ring */
	pad = (uint16_t)((NB_DESC - 1) - ((id + 1) & (NB_DESC - 1)));
	if (pad > 0) {
		uint16_t i;

		for (i = 0; i < pad; i++)
			slot_copy(dev, 0, 0, 0, i == pad - 1 ? RTE_DMA_OP_FLAG_SUBMIT : 0);
		CHECK(t_wait_completions(dev, 0, pad, NULL) == pad, "padding");
	}
	fresh_slots(4);
	id = slot_copy(dev, 0, (rte_iova_t)(uintptr_t)&pad, 0, 0);
	CHECK((id & (NB_DESC - 1)) == NB_DESC - 1, "first op in the last slot: %d", id);
	CHECK(slot_copy(dev, 1, 0, 0, 0) >= 0 &&
			slot_copy(dev, 2, 0, (rte_iova_t)(uintptr_t)&pad, 0) >= 0 &&
			slot_copy(dev, 3, 0, 0, RTE_DMA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	expect(dev, 0, 4, want, "burst across the ring end");
	CHECK(slot_untouched(0) && slot_copied(1) && slot_untouched(2) &&
			slot_copied(3), "data of the burst across the ring end");
}

/* ---- several vchans, several engines ---- */

static void
run_vchans(int16_t dev, const char *what)
{
	const size_t reg = 1 << 20;		/* per vchan */
	const uint32_t len = 1000;
	uint64_t sub[NB_VCHANS] = {0}, errs[NB_VCHANS] = {0};
	struct rte_dma_stats st, all;
	unsigned int round, v, i, bad = 0;

	rte_dma_stats_reset(dev, RTE_DMA_ALL_VCHAN);
	for (round = 0; round < 20; round++) {
		uint16_t n[NB_VCHANS];

		randomize(spool, reg * NB_VCHANS);
		memset(dpool, SENTINEL, reg * NB_VCHANS);
		/* Enqueue on all vchans interleaved, submit in reverse order. */
		for (i = 0; i < 8; i++) {
			for (v = 0; v < NB_VCHANS; v++) {
				size_t off = v * reg + i * 4096 + v;
				rte_iova_t src = s_iova(spool + off);

				if (i >= 2 * (v + 1))
					continue;	/* vchan v does 2(v+1) ops */
				if (v == 2 && i == 1)
					src = 0;	/* one failure per round on vchan 2 */
				if (rte_dma_copy(dev, v, src, d_iova(dpool + off), len, 0) < 0)
					bad++;
			}
		}
		for (v = NB_VCHANS; v-- > 0; ) {
			n[v] = 2 * (v + 1);
			sub[v] += n[v];
			errs[v] += v == 2;
			rte_dma_submit(dev, v);
		}
		for (v = 0; v < NB_VCHANS; v++) {
			enum rte_dma_status_code s[16];

			if (t_wait_completions(dev, v, n[v], s) != n[v]) {
				bad++;
				continue;
			}
			for (i = 0; i < n[v]; i++) {
				size_t off = v * reg + i * 4096 + v;
				bool fail = v == 2 && i == 1;

				if (s[i] != (fail ? BAD_SRC : OK))
					bad++;
				if (fail ? !t_all_bytes(dpool + off, len, SENTINEL) :
						memcmp(dpool + off, spool + off, len) != 0)
					bad++;
			}
		}
	}
	CHECK(bad == 0, "%s: %u ops went wrong across 4 vchans", what, bad);
	memset(&all, 0, sizeof(all));
	for (v = 0; v < NB_VCHANS; v++) {
		CHECK(rte_dma_stats_get(dev, v, &st) == 0, "stats_get");
		CHECK(st.submitted == sub[v] && st.completed == sub[v] &&
				st.errors == errs[v], "%s: vchan %u stats %" PRIu64 "/%"
				PRIu64 "/%" PRIu64 ", expected %" PRIu64 "/%" PRIu64 "/%"
				PRIu64, what, v, st.submitted, st.completed, st.errors,
				sub[v], sub[v], errs[v]);
		all.submitted += sub[v];
		all.errors += errs[v];
	}
	CHECK(rte_dma_stats_get(dev, RTE_DMA_ALL_VCHAN, &st) == 0 &&
			st.submitted == all.submitted && st.completed == all.submitted &&
			st.errors == all.errors, "%s: all-vchan stats are the sum", what);
	CHECK(rte_dma_stats_reset(dev, 1) == 0 &&
			rte_dma_stats_get(dev, 1, &st) == 0 && st.submitted == 0 &&
			st.completed == 0 && st.errors == 0, "%s: reset of vchan 1", what);
	CHECK(rte_dma_stats_get(dev, 3, &st) == 0 && st.submitted == sub[3],
			"%s: reset of vchan 1 left vchan 3 alone", what);
}

static void
test_engines2(void)
{
	int16_t dev = (int16_t)t_idxp_create("dma_idxp1", "core=1,engines=2,vchans=4");
	enum rte_dma_status_code big[4];
	unsigned int v;

	CHECK(dev >= 0, "create a two-engine device");
	if (dev < 0)
		return;
	CHECK(t_dev_setup(dev, NB_VCHANS, NB_DESC) == 0, "setup");
	run_vchans(dev, "engines=2");
	/* Large copies on every vchan at once: both engines busy. */
	randomize(spool, POOL_SZ);
	memset(dpool, SENTINEL, POOL_SZ);
	for (v = 0; v < NB_VCHANS; v++)
		CHECK(rte_dma_copy(dev, v, s_iova(spool + v * (POOL_SZ / 4)),
				d_iova(dpool + v * (POOL_SZ / 4)), POOL_SZ / 4,
				RTE_DMA_OP_FLAG_SUBMIT) >= 0, "big copy enqueue");
	for (v = 0; v < NB_VCHANS; v++)
		CHECK(t_wait_completions(dev, v, 1, big) == 1 && big[0] == OK,
				"big copy on vchan %u", v);
	CHECK(memcmp(spool, dpool, POOL_SZ) == 0, "big copies data");
	CHECK(rte_dma_stop(dev) == 0 && rte_dma_close(dev) == 0, "close");
}

/* ---- status and dump ---- */

/*
 * ACTIVE while 8 MB of copies are in flight, IDLE once done. The test
 * thread may be preempted for the whole copy on a loaded machine, so
 * ACTIVE must be seen in at least one of a few tries.
 */
static void
test_vchan_status(int16_t dev)
{
	const uint32_t len = POOL_SZ / 4;
	enum rte_dma_vchan_status s = RTE_DMA_VCHAN_HALTED_ERROR;
	unsigned int i, try, active = 0, idle_before = 0, idle_after = 0;
	uint64_t end;

	CHECK(rte_dma_vchan_status(dev, 0, &s) == 0 && s == RTE_DMA_VCHAN_IDLE,
			"idle before work: %d", s);
	for (try = 0; try < 5 && active == 0; try++) {
		randomize(spool, POOL_SZ);
		memset(dpool, 0, POOL_SZ);
		for (i = 0; i < 4; i++)
			CHECK(rte_dma_copy(dev, 0, s_iova(spool + i * len),
					d_iova(dpool + i * len), len, 0) >= 0, "enqueue");
		/* Enqueued but not submitted: the device has nothing. */
		idle_before += rte_dma_vchan_status(dev, 0, &s) == 0 &&
			s == RTE_DMA_VCHAN_IDLE;
		rte_dma_submit(dev, 0);
		active += rte_dma_vchan_status(dev, 0, &s) == 0 &&
			s == RTE_DMA_VCHAN_ACTIVE;
		end = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
		while (rte_dma_vchan_status(dev, 0, &s) == 0 &&
				s == RTE_DMA_VCHAN_ACTIVE && rte_get_timer_cycles() < end)
			rte_pause();
		idle_after += s == RTE_DMA_VCHAN_IDLE;
		expect(dev, 0, 4, NULL, "status copies");
		CHECK(memcmp(spool, dpool, POOL_SZ) == 0, "status copies data");
	}
	CHECK(active > 0, "never active right after submitting 8 MB (%u tries)", try);
	CHECK(idle_before == try, "active with nothing submitted");
	CHECK(idle_after == try, "not idle once the copies were done");
	CHECK(rte_dma_vchan_status(dev, 0, &s) == 0 && s == RTE_DMA_VCHAN_IDLE,
			"idle after collecting: %d", s);
}

static void
test_dump(int16_t dev)
{
	char *text = NULL;
	size_t sz = 0;
	FILE *f = open_memstream(&text, &sz);

	CHECK(f != NULL, "open_memstream");
	if (f == NULL)
		return;
	CHECK(rte_dma_dump(dev, f) == 0, "rte_dma_dump");
	fclose(f);
	CHECK(text != NULL && strstr(text, "dma_idxp0") != NULL &&
			strstr(text, "vchan 0") != NULL && strstr(text, "vchan 3") != NULL &&
			strstr(text, "submitted") != NULL, "dump content:\n%s",
			text ? text : "(null)");
	free(text);
}

int
main(int argc, char **argv)
{
	int16_t dev;

	RTE_SET_USED(argc);
	t_eal_init(argv[0], NULL, 0);
	rte_srand(0xe9a1);
	spool = t_dma_zalloc(POOL_SZ);
	dpool = t_dma_zalloc(POOL_SZ);
	dev = (int16_t)t_idxp_create("dma_idxp0", "core=1,vchans=4");
	CHECK(spool != NULL && dpool != NULL, "pools");
	CHECK(dev >= 0, "create dma_idxp0");
	if (spool == NULL || dpool == NULL || dev < 0)
		return t_done("engine");
	CHECK(t_dev_setup(dev, NB_VCHANS, NB_DESC) == 0, "setup");

	test_copy_sizes(dev);
	test_zero_length(dev);
	test_fill(dev);
	test_copy_sg(dev);
	test_invalid_addr(dev);
	test_straddle(dev);
	run_vchans(dev, "engines=1");
	test_vchan_status(dev);
	test_dump(dev);
	test_overlap(dev);
	test_engines2();

	rte_dma_stop(dev);
	rte_dma_close(dev);
	rte_free(spool);
	rte_free(dpool);
	return t_done("engine");
}
