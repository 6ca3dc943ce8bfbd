/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * The operations API of DPDK 25.11 (idxp_ops.c): rte_dma_enqueue_ops() and
 * rte_dma_dequeue_ops() in ops mode. Built only against a DPDK that has it.
 * Ops come back in order with their own status, copies and scatter-gather
 * copies alike; a full ring and an op with too many segments stop a burst;
 * a device not configured for ops takes none; enq_deq=0 hides the API.
 */

#include <inttypes.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_random.h>

#include "test_common.h"

#define NAME	"dma_idxp0"
#define BUF_SZ	(1 << 20)
#define NB_OPS	64
#define MAX_SEG	9	/* one more than the device takes */

static uint8_t *src, *dst;
static rte_iova_t src_iova, dst_iova;

/* An op with room for MAX_SEG source and MAX_SEG destination segments. */
struct test_op {
	struct rte_dma_op op;
	struct rte_dma_sge seg[2 * MAX_SEG];
};

static struct test_op ops[NB_OPS];

/* Op @i copies @len bytes at byte @off in @nb_src and @nb_dst pieces. */
static struct rte_dma_op *
op_make(unsigned int i, uint32_t off, uint32_t len, uint16_t nb_src,
		uint16_t nb_dst)
{
	struct rte_dma_op *op = &ops[i].op;
	uint16_t k;

	memset(&ops[i], 0, sizeof(ops[i]));
	op->nb_src = nb_src;
	op->nb_dst = nb_dst;
	for (k = 0; k < nb_src; k++) {
		uint32_t a = len * k / nb_src, b = len * (k + 1) / nb_src;

		op->src_dst_seg[k].addr = src_iova + off + a;
		op->src_dst_seg[k].length = b - a;
	}
	for (k = 0; k < nb_dst; k++) {
		uint32_t a = len * k / nb_dst, b = len * (k + 1) / nb_dst;

		op->src_dst_seg[nb_src + k].addr = dst_iova + off + a;
		op->src_dst_seg[nb_src + k].length = b - a;
	}
	return op;
}

/* Dequeue until @n ops came back or 2 s passed; returns the count. */
static uint16_t
dequeue_all(int16_t dev, struct rte_dma_op **out, uint16_t n)
{
	uint64_t end = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
	uint16_t got = 0;

	while (got < n && rte_get_timer_cycles() < end) {
		uint16_t k = rte_dma_dequeue_ops(dev, 0, out + got, n - got);

		if (k == 0)
			rte_pause();
		got += k;
	}
	return got;
}

static int
configure(int16_t dev, uint64_t flags, uint16_t nb_desc)
{
	struct rte_dma_conf conf = { .nb_vchans = 1, .flags = flags };
	struct rte_dma_vchan_conf vconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = nb_desc,
	};

	rte_dma_stop(dev);
	if (rte_dma_configure(dev, &conf) != 0 ||
			rte_dma_vchan_setup(dev, 0, &vconf) != 0)
		return -1;
	return rte_dma_start(dev);
}

/* Plain copies and scatter-gather copies of every shape, in one burst. */
static void
test_order_and_data(int16_t dev)
{
	struct rte_dma_op *in[NB_OPS], *out[NB_OPS];
	unsigned int i;

	for (i = 0; i < BUF_SZ; i++)
		src[i] = (uint8_t)rte_rand();
	memset(dst, 0, BUF_SZ);
	for (i = 0; i < NB_OPS; i++)
		in[i] = op_make(i, i * 4096, 100 + i * 61, 1 + i % 8, 1 + (i / 8) % 8);
	CHECK(rte_dma_enqueue_ops(dev, 0, in, NB_OPS) == NB_OPS, "enqueue %u", NB_OPS);
	CHECK(dequeue_all(dev, out, NB_OPS) == NB_OPS, "dequeue %u", NB_OPS);
	for (i = 0; i < NB_OPS; i++) {
		uint32_t off = i * 4096, len = 100 + i * 61;

		CHECK(out[i] == in[i], "op %u out of order", i);
		CHECK(out[i]->status == RTE_DMA_STATUS_SUCCESSFUL, "op %u status %d",
				i, out[i]->status);
		CHECK(memcmp(src + off, dst + off, len) == 0 && dst[off + len] == 0,
				"op %u data", i);
	}
	CHECK(rte_dma_dequeue_ops(dev, 0, out, NB_OPS) == 0, "nothing left");
}

/* A faulting op reports its own status; the ops around it succeed. */
static void
test_error_status(int16_t dev)
{
	struct rte_dma_op *in[3], *out[3];
	struct rte_dma_stats st;
	unsigned int i;

	for (i = 0; i < 3; i++)
		in[i] = op_make(i, i * 4096, 512, 1, 1);
	in[1]->src_dst_seg[0].addr = 0;	/* IOVA 0 is unmapped in VA mode */
	rte_dma_stats_reset(dev, 0);
	CHECK(rte_dma_enqueue_ops(dev, 0, in, 3) == 3, "enqueue with a bad op");
	CHECK(dequeue_all(dev, out, 3) == 3, "dequeue with a bad op");
	CHECK(out[0]->status == RTE_DMA_STATUS_SUCCESSFUL &&
			out[2]->status == RTE_DMA_STATUS_SUCCESSFUL,
			"neighbours %d %d", out[0]->status, out[2]->status);
	CHECK(out[1]->status != RTE_DMA_STATUS_SUCCESSFUL, "bad op succeeded");
	CHECK(rte_dma_stats_get(dev, 0, &st) == 0 && st.submitted == 3 &&
			st.completed == 3 && st.errors == 1,
			"stats %" PRIu64 "/%" PRIu64 "/%" PRIu64,
			st.submitted, st.completed, st.errors);
}

/* A burst stops at a full ring, and in front of an op the device refuses. */
static void
test_partial_bursts(int16_t dev)
{
	struct rte_dma_op *in[NB_OPS], *out[NB_OPS];
	unsigned int i;

	for (i = 0; i < NB_OPS; i++)
		in[i] = op_make(i, i * 4096, 256, 1, 1);
	/* 32 descriptors hold 31 ops. */
	CHECK(rte_dma_enqueue_ops(dev, 0, in, 40) == 31, "full ring");
	CHECK(dequeue_all(dev, out, 31) == 31 && out[30] == in[30], "drain");
	in[2] = op_make(2, 0, 4096, MAX_SEG, 1);
	CHECK(rte_dma_enqueue_ops(dev, 0, in, 4) == 2, "stop at %u segments", MAX_SEG);
	CHECK(dequeue_all(dev, out, 2) == 2 && out[1] == in[1], "the two before");
}

/* Op ids run past 65535 while the slots keep pointing at the right ops. */
static void
test_wrap(int16_t dev)
{
	struct rte_dma_op *in[16], *out[16];
	unsigned int round, i, bad = 0;

	for (i = 0; i < 16; i++)
		in[i] = op_make(i, i * 64, 64, 1, 1);
	for (round = 0; round < 70000 / 16; round++) {
		if (rte_dma_enqueue_ops(dev, 0, in, 16) != 16 ||
				dequeue_all(dev, out, 16) != 16) {
			bad++;
			break;
		}
		for (i = 0; i < 16; i++)
			bad += out[i] != in[i] || out[i]->status != RTE_DMA_STATUS_SUCCESSFUL;
	}
	CHECK(bad == 0, "%u bad ops or rounds over %u rounds", bad, round);
}

/* Classic mode, also after ops mode without setting the vchan up again. */
static void
test_modes(int16_t dev)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_op *in[1] = { op_make(0, 0, 64, 1, 1) };

	CHECK(configure(dev, 0, 64) == 0, "classic mode");
	CHECK(rte_dma_enqueue_ops(dev, 0, in, 1) == 0, "classic mode took an op");
	CHECK(configure(dev, RTE_DMA_CFG_FLAG_ENQ_DEQ, 64) == 0, "ops mode");
	rte_dma_stop(dev);
	CHECK(rte_dma_configure(dev, &conf) == 0 && rte_dma_start(dev) == 0,
			"back to classic mode");
	CHECK(rte_dma_enqueue_ops(dev, 0, in, 1) == 0, "stale ops mode");
	CHECK(rte_dma_copy(dev, 0, src_iova, dst_iova, 64, RTE_DMA_OP_FLAG_SUBMIT) == 0,
			"classic copy");
	CHECK(t_wait_completions(dev, 0, 1, NULL) == 1, "classic completion");
}

/* enq_deq=0: no capability, and the ops flag is refused. */
static void
test_hidden(void)
{
	struct rte_dma_conf conf = { .nb_vchans = 1, .flags = RTE_DMA_CFG_FLAG_ENQ_DEQ };
	struct rte_dma_info info;
	int dev = t_idxp_create("dma_idxp1", "core=1,enq_deq=0");

	CHECK(dev >= 0, "enq_deq=0 device");
	if (dev < 0)
		return;
	CHECK(rte_dma_info_get(dev, &info) == 0 &&
			!(info.dev_capa & RTE_DMA_CAPA_OPS_ENQ_DEQ), "capability hidden");
	CHECK(rte_dma_configure(dev, &conf) != 0, "ops mode refused");
	rte_dma_close(dev);
	rte_vdev_uninit("dma_idxp1");
}

int
main(int argc, char **argv)
{
	struct rte_dma_info info;
	int dev;

	RTE_SET_USED(argc);
	t_eal_init(argv[0], NULL, 0);
	rte_srand(0x0b5);
	src = rte_malloc("src", BUF_SZ + 64, 64);
	dst = rte_malloc("dst", BUF_SZ + 64, 64);
	dev = t_idxp_create(NAME, "core=1");
	CHECK(src != NULL && dst != NULL && dev >= 0, "buffers and device");
	if (src == NULL || dst == NULL || dev < 0)
		return t_done("ops");
	src_iova = rte_malloc_virt2iova(src);
	dst_iova = rte_malloc_virt2iova(dst);
	CHECK(rte_dma_info_get(dev, &info) == 0 &&
			(info.dev_capa & RTE_DMA_CAPA_OPS_ENQ_DEQ), "capability");

	CHECK(configure(dev, RTE_DMA_CFG_FLAG_ENQ_DEQ, 256) == 0, "ops mode");
	test_order_and_data(dev);
	test_error_status(dev);
	CHECK(configure(dev, RTE_DMA_CFG_FLAG_ENQ_DEQ, 32) == 0, "32 descriptors");
	test_partial_bursts(dev);
	CHECK(configure(dev, RTE_DMA_CFG_FLAG_ENQ_DEQ, 64) == 0, "64 descriptors");
	test_wrap(dev);
	test_modes(dev);
	test_hidden();

	rte_dma_stop(dev);
	rte_dma_close(dev);
	rte_free(src);
	rte_free(dst);
	return t_done("ops");
}
