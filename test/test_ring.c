/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Ring index arithmetic through the public dmadev API, for ring sizes 32,
 * 64, 1024 and 8192: ids are free-running uint16 values that wrap past
 * 65535, burst capacity shrinks by one per enqueue and comes back when the
 * ring drains, a full ring refuses with -ENOSPC, and rte_dma_completed()
 * reports the last completed id even when it returns nothing.
 */

#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_random.h>

#include "test_common.h"

#define MAX_DESC	8192
#define SLOT		8	/* bytes per op: each op copies its own slot */

static uint8_t *src, *dst;
static rte_iova_t src_iova, dst_iova;

/* Poll rte_dma_completed() for up to 2 s until it returns something. */
static uint16_t
completed_wait(int16_t dev, uint16_t max, uint16_t *last, bool *err)
{
	uint64_t end = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
	uint16_t n;

	do {
		n = rte_dma_completed(dev, 0, max, last, err);
		if (n > 0 || *err)
			return n;
		rte_pause();
	} while (rte_get_timer_cycles() < end);
	return 0;
}

/* Until the device has finished everything submitted on vchan 0. */
static bool
wait_idle(int16_t dev)
{
	uint64_t end = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
	enum rte_dma_vchan_status st = RTE_DMA_VCHAN_ACTIVE;

	while (rte_get_timer_cycles() < end) {
		if (rte_dma_vchan_status(dev, 0, &st) != 0)
			return false;
		if (st == RTE_DMA_VCHAN_IDLE)
			return true;
		rte_pause();
	}
	return false;
}

/* Collect exactly @n successful completions; false on anything else. */
static bool
drain(int16_t dev, uint16_t n, uint16_t *last)
{
	uint64_t end = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
	uint16_t got = 0;
	bool err = false;

	while (got < n && !err && rte_get_timer_cycles() < end) {
		uint16_t k = rte_dma_completed(dev, 0, n - got, last, &err);

		if (k == 0)
			rte_pause();
		got += k;
	}
	return got == n && !err;
}

static void
prepare(uint32_t nb_ops)
{
	uint32_t i;

	for (i = 0; i < nb_ops * SLOT; i++)
		src[i] = (uint8_t)rte_rand();
	memset(dst, 0, (size_t)nb_ops * SLOT);
}

static int
copy_slot(int16_t dev, uint32_t slot, uint64_t flags)
{
	return rte_dma_copy(dev, 0, src_iova + slot * SLOT, dst_iova + slot * SLOT,
			SLOT, flags);
}

static int
setup(int16_t dev, uint16_t nb_desc)
{
	struct rte_dma_vchan_conf vconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = nb_desc,
	};

	rte_dma_stop(dev);
	if (rte_dma_vchan_setup(dev, 0, &vconf) != 0)
		return -1;
	return rte_dma_start(dev);
}

/* Fresh ring: nothing to collect, last id is the one before 0. */
static void
test_empty(int16_t dev, uint16_t nb_desc)
{
	enum rte_dma_status_code st[4];
	uint16_t last = 1234;
	bool err = true;

	CHECK(rte_dma_burst_capacity(dev, 0) == nb_desc - 1,
			"ring %u: capacity %u after start", nb_desc,
			rte_dma_burst_capacity(dev, 0));
	CHECK(rte_dma_completed(dev, 0, 4, &last, &err) == 0 && !err &&
			last == UINT16_MAX, "ring %u: nothing completed: last %u err %d",
			nb_desc, last, err);
	last = 1234;
	CHECK(rte_dma_completed_status(dev, 0, 4, &last, st) == 0 &&
			last == UINT16_MAX, "ring %u: completed_status on empty: last %u",
			nb_desc, last);
	CHECK(rte_dma_submit(dev, 0) == 0, "submit of nothing");
}

/* Fill the ring without submitting, then overfill. */
static void
test_full(int16_t dev, uint16_t nb_desc)
{
	struct rte_dma_sge s = { .addr = src_iova, .length = SLOT };
	struct rte_dma_sge d = { .addr = dst_iova, .length = SLOT };
	uint16_t i, last = 0, bad_id = 0, bad_cap = 0;

	prepare(nb_desc);
	for (i = 0; i < nb_desc - 1; i++) {
		int id = copy_slot(dev, i, 0);

		bad_id += id != i;
		bad_cap += rte_dma_burst_capacity(dev, 0) != nb_desc - 2 - i;
	}
	CHECK(bad_id == 0, "ring %u: %u ids out of sequence", nb_desc, bad_id);
	CHECK(bad_cap == 0, "ring %u: capacity not down by one per enqueue %u times",
			nb_desc, bad_cap);
	CHECK(rte_dma_burst_capacity(dev, 0) == 0, "ring %u: full", nb_desc);
	CHECK(copy_slot(dev, nb_desc - 1, 0) == -ENOSPC, "ring %u: copy when full",
			nb_desc);
	CHECK(rte_dma_fill(dev, 0, 0, dst_iova, SLOT, 0) == -ENOSPC,
			"ring %u: fill when full", nb_desc);
	CHECK(rte_dma_copy_sg(dev, 0, &s, &d, 1, 1, 0) == -ENOSPC,
			"ring %u: copy_sg when full", nb_desc);
	CHECK(copy_slot(dev, nb_desc - 1, RTE_DMA_OP_FLAG_SUBMIT) == -ENOSPC,
			"ring %u: copy+submit when full", nb_desc);
	CHECK(rte_dma_burst_capacity(dev, 0) == 0, "ring %u: refusals take no room",
			nb_desc);

	/* Not submitted: the device has not seen them. */
	rte_delay_ms(5);
	CHECK(rte_dma_completed(dev, 0, nb_desc, &last, NULL) == 0,
			"ring %u: unsubmitted ops completed", nb_desc);
	CHECK(rte_dma_submit(dev, 0) == 0, "submit");
	CHECK(drain(dev, nb_desc - 1, &last), "ring %u: full ring completes", nb_desc);
	CHECK(last == nb_desc - 2, "ring %u: last %u after a full ring", nb_desc, last);
	CHECK(memcmp(src, dst, (size_t)(nb_desc - 1) * SLOT) == 0,
			"ring %u: data of a full ring", nb_desc);
	CHECK(rte_dma_burst_capacity(dev, 0) == nb_desc - 1,
			"ring %u: capacity %u after drain", nb_desc,
			rte_dma_burst_capacity(dev, 0));
	last = 0;
	CHECK(rte_dma_completed(dev, 0, 8, &last, NULL) == 0 && last == nb_desc - 2,
			"ring %u: nothing more, last stays %u (got %u)", nb_desc,
			nb_desc - 2, last);
}

/* Completions handed out a few at a time keep last_idx exact. */
static void
test_partial(int16_t dev, uint16_t nb_desc)
{
	uint16_t first, last = 0;
	bool err = false;
	int id = 0;
	uint16_t i;

	prepare(10);
	for (i = 0; i < 10 && id >= 0; i++)
		id = copy_slot(dev, i, i == 9 ? RTE_DMA_OP_FLAG_SUBMIT : 0);
	CHECK(id >= 0, "enqueue");
	first = (uint16_t)(id - 9);
	/* The burst may straddle the ring end (two batches): let both finish. */
	CHECK(wait_idle(dev), "ring %u: vchan goes idle", nb_desc);
	CHECK(completed_wait(dev, 3, &last, &err) == 3 && !err &&
			last == (uint16_t)(first + 2), "ring %u: first 3 of 10, last %u",
			nb_desc, last);
	CHECK(rte_dma_burst_capacity(dev, 0) == nb_desc - 1 - 7,
			"ring %u: 7 still held", nb_desc);
	CHECK(rte_dma_completed(dev, 0, 0, &last, &err) == 0,
			"nb_cpls 0 returns nothing");
	CHECK(rte_dma_completed(dev, 0, 100, &last, &err) == 7 && !err &&
			last == (uint16_t)id, "ring %u: the other 7, last %u", nb_desc, last);
	CHECK(memcmp(src, dst, 10 * SLOT) == 0, "ring %u: partial data", nb_desc);
}

/*
 * Bursts of random size (so ring ends fall mid-burst) until the ids have
 * wrapped past 65535 at least once; every id and every last_idx checked.
 */
static void
test_wrap(int16_t dev, uint16_t nb_desc)
{
	uint16_t next = (uint16_t)(copy_slot(dev, 0, RTE_DMA_OP_FLAG_SUBMIT) + 1);
	uint32_t total = 0, wraps = 0, bad_id = 0, bad_last = 0, bad_data = 0;
	uint32_t bursts = 0, stuck = 0;
	uint16_t last;

	CHECK(drain(dev, 1, &last), "ring %u: prime", nb_desc);
	while (total < 65536u + 2u * nb_desc && stuck == 0) {
		uint16_t n = 1 + rte_rand_max(nb_desc - 1);
		uint16_t i;

		prepare(n);
		for (i = 0; i < n; i++) {
			int id = copy_slot(dev, i, i == n - 1 ? RTE_DMA_OP_FLAG_SUBMIT : 0);

			if (id != next)
				bad_id++;
			if (id == 0 && total + i > 0)
				wraps++;
			next++;
		}
		if (!drain(dev, n, &last))
			stuck++;
		bad_last += last != (uint16_t)(next - 1);
		bad_data += memcmp(src, dst, (size_t)n * SLOT) != 0;
		total += n;
		bursts++;
	}
	printf("ring %u: %u ops in %u bursts, ids wrapped %u time(s)\n", nb_desc,
			total, bursts, wraps);
	CHECK(stuck == 0, "ring %u: burst did not complete after %u ops", nb_desc,
			total);
	CHECK(wraps >= 1, "ring %u: ids never wrapped in %u ops", nb_desc, total);
	CHECK(bad_id == 0, "ring %u: %u ids out of sequence", nb_desc, bad_id);
	CHECK(bad_last == 0, "ring %u: %u bursts with a wrong last_idx", nb_desc,
			bad_last);
	CHECK(bad_data == 0, "ring %u: %u of %u bursts copied wrong data", nb_desc,
			bad_data, bursts);
	CHECK(rte_dma_burst_capacity(dev, 0) == nb_desc - 1,
			"ring %u: capacity after wrap", nb_desc);
}

/*
 * Lone submits, one batch each, until the device's batch indices have
 * wrapped past 65535 too (bursts above wrap op ids with fewer batches).
 */
static void
test_batch_wrap(int16_t dev)
{
	uint32_t i, bad = 0, stuck = 0;
	uint16_t last = 0;
	int id = 0;

	prepare(3);
	for (i = 0; i < 66000 && stuck == 0; i++) {
		id = copy_slot(dev, i % 3, RTE_DMA_OP_FLAG_SUBMIT);
		if (i % 3 != 2)
			continue;	/* three batches in flight, then collect */
		if (!drain(dev, 3, &last))
			stuck++;
		bad += last != (uint16_t)id;
	}
	CHECK(stuck == 0 && bad == 0, "%u lone submits: %u stuck, %u wrong last_idx",
			i, stuck, bad);
	CHECK(memcmp(src, dst, 3 * SLOT) == 0, "lone submit data");
}

/* Capacity counts every kind of op; a restart begins again at id 0. */
static void
test_kinds_restart(int16_t dev, uint16_t nb_desc)
{
	struct rte_dma_sge s = { .addr = src_iova, .length = SLOT };
	struct rte_dma_sge d = { .addr = dst_iova + SLOT, .length = SLOT };
	uint16_t cap = rte_dma_burst_capacity(dev, 0), last = 0;
	int a, b, c;

	prepare(4);
	a = rte_dma_fill(dev, 0, 0x1122334455667788ull, dst_iova + 2 * SLOT, SLOT, 0);
	CHECK(rte_dma_burst_capacity(dev, 0) == cap - 1, "fill takes one");
	b = rte_dma_copy_sg(dev, 0, &s, &d, 1, 1, 0);
	CHECK(rte_dma_burst_capacity(dev, 0) == cap - 2, "copy_sg takes one");
	c = copy_slot(dev, 0, RTE_DMA_OP_FLAG_SUBMIT);
	CHECK(rte_dma_burst_capacity(dev, 0) == cap - 3, "copy takes one");
	CHECK(a >= 0 && b == (uint16_t)(a + 1) && c == (uint16_t)(a + 2),
			"ids %d %d %d consecutive across kinds", a, b, c);
	CHECK(drain(dev, 3, &last) && last == (uint16_t)c, "three kinds complete");
	CHECK(memcmp(dst + SLOT, src, SLOT) == 0, "copy_sg data");
	CHECK(memcmp(dst + 2 * SLOT, "\x88\x77\x66\x55\x44\x33\x22\x11", SLOT) == 0,
			"fill data");

	CHECK(rte_dma_stop(dev) == 0 && rte_dma_start(dev) == 0, "restart");
	CHECK(rte_dma_burst_capacity(dev, 0) == nb_desc - 1, "capacity after restart");
	last = 1;
	CHECK(rte_dma_completed(dev, 0, 4, &last, NULL) == 0 && last == UINT16_MAX,
			"ring %u: last %u after restart", nb_desc, last);
	CHECK(copy_slot(dev, 0, RTE_DMA_OP_FLAG_SUBMIT) == 0,
			"ring %u: first id after restart is 0", nb_desc);
	CHECK(drain(dev, 1, &last) && last == 0, "restart op completes");
}

int
main(int argc, char **argv)
{
	static const uint16_t sizes[] = { 32, 64, 1024, 8192 };
	int16_t dev;
	unsigned int i;

	RTE_SET_USED(argc);
	t_eal_init(argv[0], NULL, 0);
	rte_srand(0x1d59);
	dev = (int16_t)t_idxp_create("dma_idxp0", "core=1,vchans=1");
	CHECK(dev >= 0, "create dma_idxp0");
	src = t_dma_zalloc(MAX_DESC * SLOT);
	dst = t_dma_zalloc(MAX_DESC * SLOT);
	CHECK(src != NULL && dst != NULL, "buffers");
	if (dev < 0 || src == NULL || dst == NULL)
		return t_done("ring");
	src_iova = t_iova(src);
	dst_iova = t_iova(dst);
	CHECK(t_dev_setup(dev, 1, sizes[0]) == 0, "setup");

	for (i = 0; i < RTE_DIM(sizes); i++) {
		if (setup(dev, sizes[i]) != 0) {
			CHECK(false, "ring %u: setup failed", sizes[i]);
			continue;
		}
		test_empty(dev, sizes[i]);
		test_full(dev, sizes[i]);
		test_partial(dev, sizes[i]);
		test_wrap(dev, sizes[i]);
		if (i == 0)
			test_batch_wrap(dev);
		test_kinds_restart(dev, sizes[i]);
	}
	rte_dma_stop(dev);
	rte_dma_close(dev);
	rte_free(src);
	rte_free(dst);
	return t_done("ring");
}
