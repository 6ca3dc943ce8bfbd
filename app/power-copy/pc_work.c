/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * The copy workload of idxp-power-copy and its power policy, after
 * l3fwd-power: poll while polls find work; after idle_polls empty polls in
 * a row, sleep in rte_pmd_idxp_wait() until a completion or the next thing
 * due (trickle op, phase change, report), at most wait_ms.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>

#include <rte_pmd_idxp.h>

#include "power_copy.h"

#define BURST		32	/* ops per submit */
#define MAX_CPL		64	/* completions per poll */
#define DRAIN_MS	2000

static const char *const phase_names[] = {
	[PC_BURST] = "burst", [PC_TRICKLE] = "trickle", [PC_IDLE] = "idle",
};

const char *
pc_phase_name(enum pc_phase ph)
{
	return phase_names[ph];
}

static uint64_t
ms_cycles(uint64_t ms)
{
	return rte_get_tsc_hz() / 1000 * ms;
}

enum pc_phase
pc_phase_at(const struct pc *pc, uint64_t tsc)
{
	const struct pc_opts *o = &pc->o;
	uint64_t cycle = (uint64_t)o->burst_ms + o->trickle_ms + o->idle_ms;
	uint64_t ms = (tsc - pc->t0) / ms_cycles(1) % cycle;

	if (ms < o->burst_ms)
		return PC_BURST;
	return ms < (uint64_t)o->burst_ms + o->trickle_ms ? PC_TRICKLE : PC_IDLE;
}

/* TSC of the next phase boundary after @tsc. */
uint64_t
pc_next_phase(const struct pc *pc, uint64_t tsc)
{
	const struct pc_opts *o = &pc->o;
	uint64_t cycle = (uint64_t)o->burst_ms + o->trickle_ms + o->idle_ms;
	uint64_t ms = (tsc - pc->t0) / ms_cycles(1);
	uint64_t start = ms - ms % cycle, in = ms % cycle, b;

	if (in < o->burst_ms)
		b = o->burst_ms;
	else if (in < (uint64_t)o->burst_ms + o->trickle_ms)
		b = (uint64_t)o->burst_ms + o->trickle_ms;
	else
		b = cycle;
	return pc->t0 + (start + b) * ms_cycles(1);
}

/*
 * The op's source starts with its sequence number, its destination with
 * the complement: after completion the destination proves this op ran.
 */
static int
submit_one(struct pc *pc, uint64_t flags)
{
	uint32_t i = (uint32_t)(pc->seq & (PC_RING - 1));
	uint64_t stamp = pc->seq + 1, poison = ~stamp;
	int idx;

	memcpy(pc->src.va[i], &stamp, sizeof(stamp));
	memcpy(pc->dst.va[i], &poison, sizeof(poison));
	idx = rte_dma_copy(pc->dev_id, 0, pc->src.iova[i], pc->dst.iova[i],
			pc->o.size, flags);
	if (idx < 0) {
		fprintf(stderr, "%s: rte_dma_copy: %s\n", pc->name, strerror(-idx));
		return idx;
	}
	pc->seq_of[idx & (PC_RING - 1)] = pc->seq++;
	pc->outstanding++;
	return 0;
}

/* Up to @n ops, one submit. Returns ops enqueued. */
static int
submit_n(struct pc *pc, uint16_t n)
{
	uint16_t k;

	n = RTE_MIN(n, rte_dma_burst_capacity(pc->dev_id, 0));
	for (k = 0; k < n; k++)
		if (submit_one(pc, k == n - 1 ? RTE_DMA_OP_FLAG_SUBMIT : 0) < 0)
			return -EIO;
	return n;
}

/* Trickle ops that are due; a late wake-up does not turn into a burst. */
static int
submit_trickle(struct pc *pc, uint64_t now)
{
	uint64_t period = rte_get_tsc_hz() / pc->o.trickle_rate;
	uint16_t due;

	if (now < pc->next_trickle)
		return 0;
	if (now - pc->next_trickle > 16 * period)
		pc->next_trickle = now;
	due = (uint16_t)RTE_MIN((now - pc->next_trickle) / period + 1,
			(uint64_t)BURST);
	pc->next_trickle += due * period;
	return submit_n(pc, due);
}

static int
submit_phase(struct pc *pc, enum pc_phase ph, uint64_t now)
{
	if (ph == PC_BURST)
		return submit_n(pc, BURST);
	if (ph == PC_TRICKLE)
		return submit_trickle(pc, now);
	return 0;
}

static bool
verified(const struct pc *pc, uint16_t idx)
{
	uint64_t seq = pc->seq_of[idx & (PC_RING - 1)], stamp;
	uint32_t i = (uint32_t)(seq & (PC_RING - 1));

	memcpy(&stamp, pc->dst.va[i], sizeof(stamp));
	return stamp == seq + 1 &&
		memcmp(pc->dst.va[i], pc->src.va[i], pc->o.size) == 0;
}

/* An op failed: take it (and the rest of the poll) with their status. */
static uint16_t
collect_failed(struct pc *pc)
{
	enum rte_dma_status_code st[MAX_CPL];
	uint16_t last, n, k;

	n = rte_dma_completed_status(pc->dev_id, 0, MAX_CPL, &last, st);
	for (k = 0; k < n; k++) {
		if (st[k] == RTE_DMA_STATUS_SUCCESSFUL &&
				verified(pc, (uint16_t)(last - (n - 1 - k))))
			pc->cnt.ops++;
		else
			pc->cnt.bad++;
	}
	return n;
}

/* Collect and verify completions. Returns ops collected. */
static int
collect(struct pc *pc)
{
	bool err = false;
	uint16_t last, n, k;

	n = rte_dma_completed(pc->dev_id, 0, MAX_CPL, &last, &err);
	for (k = 0; k < n; k++) {
		if (verified(pc, (uint16_t)(last - (n - 1 - k))))
			pc->cnt.ops++;
		else
			pc->cnt.bad++;
	}
	if (err)
		n += collect_failed(pc);
	pc->outstanding -= n;
	return n;
}

/* Sleep until a completion or @next_event, within [1, wait_ms] ms. */
static int
sleep_wait(struct pc *pc, uint64_t now, uint64_t next_event)
{
	uint64_t ms = next_event > now ?
		(next_event - now + ms_cycles(1) - 1) / ms_cycles(1) : 1;
	int ret;

	ms = RTE_MAX(RTE_MIN(ms, (uint64_t)pc->o.wait_ms), 1ULL);
	pc->cnt.waits++;
	ret = rte_pmd_idxp_wait(pc->dev_id, 0, (int)ms);
	if (ret == 0)
		pc->cnt.timeouts++;
	if (ret < 0)
		fprintf(stderr, "%s: rte_pmd_idxp_wait: %s\n", pc->name,
			strerror(-ret));
	return ret < 0 ? ret : 0;
}

/*
 * One turn of the main loop: submit what the phase wants, collect, and
 * sleep after idle_polls turns in a row that found nothing to do.
 */
int
pc_step(struct pc *pc, uint64_t now, uint64_t next_event)
{
	enum pc_phase ph = pc_phase_at(pc, now);
	int sub, got;

	if (ph != PC_TRICKLE)
		pc->next_trickle = 0;
	sub = submit_phase(pc, ph, now);
	got = collect(pc);
	if (sub < 0)
		return sub;
	if (sub > 0 || got > 0) {
		pc->zero_polls = 0;
		return 0;
	}
	if (pc->o.no_sleep || ++pc->zero_polls < pc->o.idle_polls)
		return 0;
	pc->zero_polls = 0;
	if (ph == PC_TRICKLE && pc->next_trickle != 0)
		next_event = RTE_MIN(next_event, pc->next_trickle);
	return sleep_wait(pc, now, next_event);
}

int
pc_drain(struct pc *pc)
{
	uint64_t deadline = rte_rdtsc() + ms_cycles(DRAIN_MS);

	while (pc->outstanding > 0) {
		collect(pc);
		if (rte_rdtsc() > deadline) {
			fprintf(stderr, "%s: %u ops never completed\n", pc->name,
				pc->outstanding);
			return -ETIMEDOUT;
		}
	}
	return 0;
}
