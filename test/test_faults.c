/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Event log, control thread and recovery: each injectable fault on its own,
 * halt and reset during traffic, a reset that fails, and a soak of millions
 * of mixed ops with random faults of every kind in which every op must be
 * reported exactly once and every successful op's data must be right.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_random.h>

#include "idxp_internal.h"
#include "rte_pmd_idxp.h"
#include "test_common.h"

#define SRC_SZ		(1 << 20)
#define SLOT_SZ		4096
#define NB_DESC		1024
#define NB_VCHANS	3

static uint8_t *src;
static rte_iova_t src_iova;

static uint64_t
ms_since(uint64_t t0)
{
	return (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
}

/* ---- single faults ---- */

static int
burst_copy(int16_t dev, uint16_t v, uint8_t *dst, uint16_t n, uint32_t len)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		if (rte_dma_copy(dev, v, src_iova + i * len,
				t_iova(dst + i * len), len, 0) < 0)
			return -1;
	return rte_dma_submit(dev, v);
}

static void
check_injected(int16_t dev, uint8_t *dst, enum rte_pmd_idxp_fault kind,
		enum rte_dma_status_code want0, const char *what)
{
	enum rte_dma_status_code st[8];
	int i, n;

	memset(dst, 0, 8 * 512);
	CHECK(rte_pmd_idxp_inject(dev, 0, kind, 1) == 0, "%s: inject", what);
	CHECK(burst_copy(dev, 0, dst, 8, 512) == 0, "%s: submit", what);
	n = t_wait_completions(dev, 0, 8, st);
	CHECK(n == 8, "%s: got %d of 8 completions", what, n);
	CHECK(st[0] == want0, "%s: op 0 status %d, want %d", what, st[0], want0);
	for (i = 1; i < n; i++)
		CHECK(st[i] == RTE_DMA_STATUS_SUCCESSFUL, "%s: op %d status %d",
				what, i, st[i]);
	CHECK(memcmp(dst + 512, src + 512, 7 * 512) == 0, "%s: data of the rest", what);
}

/*
 * A completion record the device could not write: it goes to the event
 * log with the record, and the driver delivers it, so the batch's ops are
 * reported with their real status, not lost.
 */
static void
check_cr_fault(int16_t dev, uint8_t *dst)
{
	enum rte_dma_status_code st[8];
	struct rte_pmd_idxp_stats xs0, xs1;
	struct rte_pmd_idxp_event ev;
	int i, n;

	rte_pmd_idxp_stats_get(dev, &xs0);
	memset(dst, 0, 8 * 512);
	CHECK(rte_pmd_idxp_inject(dev, 0, RTE_PMD_IDXP_FAULT_COMP, 1) == 0, "inject");
	CHECK(burst_copy(dev, 0, dst, 8, 512) == 0, "submit");
	n = t_wait_completions(dev, 0, 8, st);
	CHECK(n == 8, "cr fault: got %d of 8 completions", n);
	for (i = 0; i < n; i++)
		CHECK(st[i] == RTE_DMA_STATUS_SUCCESSFUL,
				"cr fault: op %d status %d, want its real status", i, st[i]);
	CHECK(memcmp(dst, src, 8 * 512) == 0, "cr fault: the copies were done");
	rte_pmd_idxp_stats_get(dev, &xs1);
	CHECK(xs1.cr_faults == xs0.cr_faults + 1, "cr_faults counted");
	CHECK(rte_pmd_idxp_events_get(dev, &ev, 1) == 1 && ev.type == 3,
			"event log recorded the completion-record fault (type %u)", ev.type);
	/* The queue goes on normally. */
	CHECK(burst_copy(dev, 0, dst, 8, 512) == 0, "submit after");
	n = t_wait_completions(dev, 0, 8, st);
	CHECK(n == 8 && st[0] == RTE_DMA_STATUS_SUCCESSFUL, "after cr fault");
}

/* Page request on a device without SVA: answered (mapped), op succeeds. */
static void
check_page_request(int16_t dev, uint8_t *dst)
{
	struct rte_pmd_idxp_stats xs0, xs1;
	struct rte_pmd_idxp_event ev;

	rte_pmd_idxp_stats_get(dev, &xs0);
	check_injected(dev, dst, RTE_PMD_IDXP_FAULT_PAGE_REQ,
			RTE_DMA_STATUS_SUCCESSFUL, "page_req");
	CHECK(memcmp(dst, src, 512) == 0, "page_req: op 0 data after resume");
	rte_pmd_idxp_stats_get(dev, &xs1);
	CHECK(xs1.page_requests == xs0.page_requests + 1 &&
			xs1.page_responses == xs0.page_responses + 1,
			"one request, one response");
	CHECK(rte_pmd_idxp_events_get(dev, &ev, 1) == 1 && ev.type == 1 &&
			ev.response == 0, "event: page request answered success");
}

/*
 * A buggy submission the device cannot report on (record requested, no
 * record address): a software error, decoded by the control thread; the
 * queue goes on. Written straight into the portal, as a broken driver would.
 */
static void
check_sw_error(int16_t dev, uint8_t *dst)
{
	struct idxp_priv *priv = idxp_priv_get(dev);
	struct idxp_vchan *vc = &priv->vc[0];
	struct idxp_hw_desc bad = {
		.op_flags = idxp_op_flags(IDXP_OP_NOP, IDXP_FLAG_RCR),
	};
	enum rte_dma_status_code st[8];
	struct rte_pmd_idxp_stats xs;
	struct rte_pmd_idxp_event ev;
	uint64_t t0 = rte_get_timer_cycles();

	/* Straight to the portal, as a buggy driver would: RCR without CRAV. */
	vc->bus->ops->portal_write(vc->bus, vc->portal +
			(vc->portal_slot++ % IDXP_SW_WQ_SLOTS) * 64, &bad);
	do {
		rte_pmd_idxp_stats_get(dev, &xs);
	} while (xs.sw_errors == 0 && ms_since(t0) < 2000);
	CHECK(xs.sw_errors == 1, "software error counted (%" PRIu64 ")", xs.sw_errors);
	CHECK(rte_pmd_idxp_events_get(dev, &ev, 1) == 1 && ev.type == 4 &&
			ev.status == IDXP_COMP_INVALID_FLAGS, "event: software error");
	CHECK(burst_copy(dev, 0, dst, 8, 512) == 0, "submit after");
	CHECK(t_wait_completions(dev, 0, 8, st) == 8 &&
			st[7] == RTE_DMA_STATUS_SUCCESSFUL, "queue goes on");
}

/* ---- halt ---- */

/* Halt during traffic: recovery, every op reported once, traffic goes on. */
static void
check_halt_traffic(int16_t dev, uint8_t *dst)
{
	enum rte_dma_status_code st[64];
	struct rte_pmd_idxp_stats xs0, xs1;
	uint64_t enq = 0, done = 0, ok = 0, aborted = 0, t0;
	uint16_t last;
	bool saw_halted = false, injected = false;

	rte_pmd_idxp_stats_get(dev, &xs0);
	t0 = rte_get_timer_cycles();
	while (ms_since(t0) < 1500) {
		enum rte_dma_vchan_status vs;
		uint16_t i, n;

		if (enq >= 20000 && !injected)
			injected = rte_pmd_idxp_inject(dev, 0,
					RTE_PMD_IDXP_FAULT_HALT, 1) == 0;
		for (i = 0; i < 32 && rte_dma_burst_capacity(dev, 0) > 0; i++)
			if (rte_dma_copy(dev, 0, src_iova, t_iova(dst),
					256, 0) >= 0)
				enq++;
		rte_dma_submit(dev, 0);
		if (rte_dma_vchan_status(dev, 0, &vs) == 0 &&
				vs == RTE_DMA_VCHAN_HALTED_ERROR)
			saw_halted = true;
		n = rte_dma_completed_status(dev, 0, 64, &last, st);
		for (i = 0; i < n; i++) {
			ok += st[i] == RTE_DMA_STATUS_SUCCESSFUL;
			aborted += st[i] == RTE_DMA_STATUS_NOT_ATTEMPTED;
		}
		done += n;
	}
	t0 = rte_get_timer_cycles();
	while (done < enq && ms_since(t0) < 2000) {
		uint16_t i, n = rte_dma_completed_status(dev, 0, 64, &last, st);

		for (i = 0; i < n; i++) {
			ok += st[i] == RTE_DMA_STATUS_SUCCESSFUL;
			aborted += st[i] == RTE_DMA_STATUS_NOT_ATTEMPTED;
		}
		done += n;
	}
	rte_pmd_idxp_stats_get(dev, &xs1);
	CHECK(done == enq, "halt: every op reported (%" PRIu64 " of %" PRIu64 ")",
			done, enq);
	CHECK(xs1.halts == xs0.halts + 1 && xs1.resets == xs0.resets + 1,
			"one halt, one reset (%" PRIu64 ", %" PRIu64 ")",
			xs1.halts - xs0.halts, xs1.resets - xs0.resets);
	CHECK(aborted > 0 && ok + aborted == done,
			"ops are successful or aborted: ok %" PRIu64 " aborted %" PRIu64,
			ok, aborted);
	CHECK(ok > 20000, "traffic continued after the reset (%" PRIu64 " ok)", ok);
	printf("halt during traffic: %" PRIu64 " ops, %" PRIu64 " aborted, "
			"halted state %s\n", done, aborted, saw_halted ? "seen" : "not seen");
	CHECK(memcmp(dst, src, 256) == 0, "data after recovery");
}

/* A reset that fails leaves the device halted with clear errors. */
static void
check_reset_fail(void)
{
	int16_t dev = (int16_t)t_idxp_create("dma_idxp9", "core=1");
	enum rte_dma_status_code st[4];
	enum rte_dma_vchan_status vs;
	uint8_t *dst = t_dma_zalloc(4096);
	uint64_t t0;
	int n;

	CHECK(dev >= 0 && t_dev_setup(dev, 1, 64) == 0, "setup");
	rte_pmd_idxp_inject(dev, 0, RTE_PMD_IDXP_FAULT_RESET_FAIL, 1);
	rte_pmd_idxp_inject(dev, 0, RTE_PMD_IDXP_FAULT_HALT, 1);
	rte_dma_copy(dev, 0, src_iova, t_iova(dst), 64,
			RTE_DMA_OP_FLAG_SUBMIT);
	t0 = rte_get_timer_cycles();
	while (rte_pmd_idxp_wait(dev, 0, 10) != -EIO && ms_since(t0) < 2000)
		;
	CHECK(rte_pmd_idxp_wait(dev, 0, 10) == -EIO, "wait reports the halt");
	CHECK(rte_dma_vchan_status(dev, 0, &vs) == 0 &&
			vs == RTE_DMA_VCHAN_HALTED_ERROR, "vchan status halted");
	n = t_wait_completions(dev, 0, 1, st);
	CHECK(n == 1 && st[0] == RTE_DMA_STATUS_NOT_ATTEMPTED,
			"in-flight op aborted (%d, %d)", n, st[0]);
	CHECK(rte_dma_copy(dev, 0, src_iova, t_iova(dst), 64, 0) >= 0,
			"enqueue still accepted");
	CHECK(rte_dma_submit(dev, 0) == -EIO, "submit on a halted device: -EIO");
	n = t_wait_completions(dev, 0, 1, st);
	CHECK(n == 1 && st[0] == RTE_DMA_STATUS_NOT_ATTEMPTED, "op not lost");
	CHECK(rte_dma_stop(dev) == 0, "stop");
	/* start tries the reset again: still failing, the device stays halted. */
	rte_pmd_idxp_inject(dev, 0, RTE_PMD_IDXP_FAULT_RESET_FAIL, 1);
	CHECK(rte_dma_start(dev) == -EIO, "start with the reset failing again");
	CHECK(rte_dma_vchan_status(dev, 0, &vs) == 0 &&
			vs == RTE_DMA_VCHAN_HALTED_ERROR, "still halted");
	/* The cause gone, stop + start recovers the device. */
	CHECK(rte_dma_start(dev) == 0, "start resets the halted device");
	CHECK(rte_dma_vchan_status(dev, 0, &vs) == 0 &&
			vs != RTE_DMA_VCHAN_HALTED_ERROR, "no longer halted");
	memset(dst, 0, 64);
	CHECK(rte_dma_copy(dev, 0, src_iova, t_iova(dst), 64,
			RTE_DMA_OP_FLAG_SUBMIT) == 0, "first op of the new run has id 0");
	n = t_wait_completions(dev, 0, 1, st);
	CHECK(n == 1 && st[0] == RTE_DMA_STATUS_SUCCESSFUL &&
			memcmp(dst, src, 64) == 0, "copy after recovery (%d, %d)",
			n, st[0]);
	CHECK(rte_dma_stop(dev) == 0, "stop");
	rte_dma_close(dev);
	rte_free(dst);
}

/* ---- soak ---- */

struct soak_op {
	uint8_t kind;		/* 0 copy, 1 fill, 2 sg */
	uint32_t len;
	uint32_t off;		/* source offset */
	uint64_t pattern;
};

struct soak_vc {
	uint8_t *dst;		/* NB_DESC slots of SLOT_SZ */
	struct soak_op op[NB_DESC];
	uint16_t next_id;	/* next id to be reported */
	uint64_t enq, done, ok, bad_data, bad_id, errors;
};

static bool
soak_verify(const struct soak_op *o, const uint8_t *d)
{
	uint32_t i;

	if (o->kind != 1)
		return memcmp(d, src + o->off, o->len) == 0;
	for (i = 0; i < o->len; i++)
		if (d[i] != ((const uint8_t *)&o->pattern)[i % 8])
			return false;
	return true;
}

static int
soak_enqueue(int16_t dev, uint16_t v, struct soak_vc *s)
{
	uint16_t slot = (uint16_t)(s->enq % NB_DESC);
	struct soak_op *o = &s->op[slot];
	rte_iova_t d = t_iova(s->dst + (size_t)slot * SLOT_SZ);
	int id;

	o->kind = (uint8_t)rte_rand_max(3);
	o->len = 1 + (uint32_t)rte_rand_max(rte_rand() & 1 ? 128 : SLOT_SZ);
	o->off = (uint32_t)rte_rand_max(SRC_SZ - SLOT_SZ);
	o->pattern = rte_rand();
	if (o->kind == 0) {
		id = rte_dma_copy(dev, v, src_iova + o->off, d, o->len, 0);
	} else if (o->kind == 1) {
		id = rte_dma_fill(dev, v, o->pattern, d, o->len, 0);
	} else {
		uint32_t a = o->len / 3, b = o->len / 2;
		struct rte_dma_sge ss[3] = {
			{ src_iova + o->off, a }, { src_iova + o->off + a, 1 },
			{ src_iova + o->off + a + 1, o->len - a - 1 },
		};
		struct rte_dma_sge ds[2] = { { d, b }, { d + b, o->len - b } };
		uint16_t nb_src = a == 0 ? 1 : 3;

		if (a == 0)
			ss[0].length = o->len;
		id = rte_dma_copy_sg(dev, v, ss, b == 0 ? &ds[1] : ds, nb_src,
				b == 0 ? 1 : 2, 0);
	}
	if (id < 0)
		return -1;
	if ((uint16_t)id != (uint16_t)s->enq)
		s->bad_id++;
	s->enq++;
	return 0;
}

static void
soak_collect(int16_t dev, uint16_t v, struct soak_vc *s)
{
	enum rte_dma_status_code st[64];
	uint16_t last, i, n;

	n = rte_dma_completed_status(dev, v, 64, &last, st);
	for (i = 0; i < n; i++) {
		uint16_t slot = (uint16_t)(s->done % NB_DESC);

		if (st[i] == RTE_DMA_STATUS_SUCCESSFUL) {
			s->ok++;
			if (!soak_verify(&s->op[slot], s->dst + (size_t)slot * SLOT_SZ))
				s->bad_data++;
		} else {
			s->errors++;
		}
		s->done++;
	}
	if (n > 0 && last != (uint16_t)(s->done - 1))
		s->bad_id++;
}

static void
soak_inject(int16_t dev)
{
	uint64_t r = rte_rand_max(1000);

	if (r < 5)
		rte_pmd_idxp_inject(dev, (uint16_t)rte_rand_max(NB_VCHANS),
				(enum rte_pmd_idxp_fault)rte_rand_max(RTE_PMD_IDXP_FAULT_HALT), 1);
	else if (r == 5 && rte_rand_max(10) == 0)
		rte_pmd_idxp_inject(dev, 0, RTE_PMD_IDXP_FAULT_HALT, 1);
}

static void
soak(uint64_t total)
{
	int16_t dev = (int16_t)t_idxp_create("dma_idxp8", "core=1,vchans=3,evl_size=64");
	static struct soak_vc s[NB_VCHANS];
	struct rte_pmd_idxp_stats xs;
	struct rte_dma_stats ds;
	uint64_t enq = 0, done = 0, ok = 0, errs = 0, bad = 0, bad_id = 0, t0;
	uint16_t v;

	CHECK(dev >= 0 && t_dev_setup(dev, NB_VCHANS, NB_DESC) == 0, "soak setup");
	if (dev < 0)
		return;
	rte_pmd_idxp_stats_reset(dev);
	for (v = 0; v < NB_VCHANS; v++)
		s[v].dst = t_dma_zalloc((size_t)NB_DESC * SLOT_SZ);
	t0 = rte_get_timer_cycles();
	while (enq < total && ms_since(t0) < 400000) {
		for (v = 0; v < NB_VCHANS; v++) {
			uint16_t i;

			for (i = 0; i < 32 && rte_dma_burst_capacity(dev, v) > 0; i++)
				if (soak_enqueue(dev, v, &s[v]) < 0)
					break;
			rte_dma_submit(dev, v);
			soak_collect(dev, v, &s[v]);
			if (i > 0)	/* per burst, not per idle poll */
				soak_inject(dev);
		}
		enq = s[0].enq + s[1].enq + s[2].enq;
	}
	for (v = 0; v < NB_VCHANS; v++) {
		uint64_t t1 = rte_get_timer_cycles();

		while (s[v].done < s[v].enq && ms_since(t1) < 3000)
			soak_collect(dev, v, &s[v]);
		done += s[v].done;
		ok += s[v].ok;
		errs += s[v].errors;
		bad += s[v].bad_data;
		bad_id += s[v].bad_id;
	}
	rte_dma_stats_get(dev, RTE_DMA_ALL_VCHAN, &ds);
	rte_pmd_idxp_stats_get(dev, &xs);
	printf("soak: %" PRIu64 " ops in %" PRIu64 " ms: %" PRIu64 " ok, %" PRIu64
			" errors; injected %" PRIu64 ", page requests %" PRIu64
			", cr faults %" PRIu64 ", halts %" PRIu64 ", resets %" PRIu64
			", aborted %" PRIu64 ", evl entries %" PRIu64 ", overflows %" PRIu64
			"\n", done, ms_since(t0), ok, errs, xs.injected, xs.page_requests,
			xs.cr_faults, xs.halts, xs.resets, xs.aborted_ops, xs.evl_entries,
			xs.evl_overflows);
	CHECK(enq >= total, "soak ran %" PRIu64 " of %" PRIu64 " ops", enq, total);
	CHECK(done == enq, "every op reported exactly once (%" PRIu64 " of %" PRIu64 ")",
			done, enq);
	CHECK(bad == 0, "%" PRIu64 " successful ops with wrong data", bad);
	CHECK(bad_id == 0, "%" PRIu64 " id mismatches", bad_id);
	CHECK(ds.submitted == enq && ds.completed == done && ds.errors == errs,
			"dmadev stats add up");
	CHECK(xs.page_requests == xs.page_responses, "every page request answered");
	CHECK(xs.halts == xs.resets + xs.reset_failures && xs.reset_failures == 0,
			"every halt recovered");
	CHECK(xs.injected > 0 && errs > 0, "faults were injected and reported");
	for (v = 0; v < NB_VCHANS; v++)
		rte_free(s[v].dst);
	rte_dma_stop(dev);
	rte_dma_close(dev);
}

int
main(int argc, char **argv)
{
	const char *env = getenv("IDXP_SOAK_OPS");
	uint64_t total = env ? strtoull(env, NULL, 0) : 10000000;
	uint8_t *dst;
	int16_t dev;
	uint32_t i;

	RTE_SET_USED(argc);
	t_eal_init(argv[0], NULL, 0);
	src = t_dma_zalloc(SRC_SZ);
	src_iova = t_iova(src);
	for (i = 0; i < SRC_SZ; i++)
		src[i] = (uint8_t)rte_rand();
	dst = t_dma_zalloc(64 * 1024);

	dev = (int16_t)t_idxp_create("dma_idxp0", "core=1");
	CHECK(dev >= 0 && t_dev_setup(dev, 1, 256) == 0, "setup");
	check_injected(dev, dst, RTE_PMD_IDXP_FAULT_SRC,
			RTE_DMA_STATUS_INVALID_SRC_ADDR, "src");
	check_injected(dev, dst, RTE_PMD_IDXP_FAULT_DST,
			RTE_DMA_STATUS_INVALID_DST_ADDR, "dst");
	check_cr_fault(dev, dst);
	check_page_request(dev, dst);
	check_sw_error(dev, dst);
	check_halt_traffic(dev, dst);
	rte_dma_stop(dev);
	rte_dma_close(dev);
	check_reset_fail();
	soak(total);
	rte_free(dst);
	return t_done("faults");
}
