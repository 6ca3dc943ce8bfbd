/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Command unit of the software device: what a CMD write does, run on the
 * device's own thread while CMDSTS says active, with the DSA command codes,
 * operands and error codes of idxp_hw_regs.h.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>

#include "idxp_sw_priv.h"

#define PARK_TIMEOUT_S	2

static void
ring_engines(struct idxp_sw_dev *dev)
{
	uint32_t i;

	for (i = 0; i < dev->cfg.nb_engines; i++)
		idxp_eventfd_signal(dev->eng[i].doorbell.fd);
}

/*
 * Every engine acknowledges a new park generation between two descriptors:
 * once this returns, none holds a descriptor it took before the call.
 */
int
idxp_sw_park_engines(struct idxp_sw_dev *dev)
{
	uint64_t deadline = rte_get_timer_cycles() + PARK_TIMEOUT_S * rte_get_timer_hz();
	uint32_t gen = __atomic_add_fetch(&dev->park_gen, 1, __ATOMIC_ACQ_REL);
	uint32_t i;

	for (i = 0; i < dev->cfg.nb_engines; i++) {
		while (__atomic_load_n(&dev->eng[i].ack_gen, __ATOMIC_ACQUIRE) != gen) {
			if (rte_get_timer_cycles() > deadline)
				return -ETIMEDOUT;
			idxp_eventfd_signal(dev->eng[i].doorbell.fd);
			sched_yield();
		}
	}
	return 0;
}

static void
set_state(struct idxp_sw_dev *dev, uint32_t state)
{
	sw_set32(dev, IDXP_REG_GENSTS, (uint32_t)idxp_field_set(0,
			IDXP_GENSTS_STATE_MASK, state));
}

static uint32_t
wqcfg_off(uint32_t w, uint32_t word)
{
	return IDXP_SW_WQCFG_TABLE + w * IDXP_SW_WQCFG_SIZE + word;
}

static void
wq_set_state(struct idxp_sw_dev *dev, uint32_t w, uint32_t state)
{
	uint32_t off = wqcfg_off(w, IDXP_WQCFG_STATUS_OFF);

	sw_set32(dev, off, (uint32_t)idxp_field_set(sw_reg32(dev, off),
			IDXP_WQCFG_STATE_MASK, state));
}

static void
wq_clear_slots(struct idxp_sw_wq *wq)
{
	uint32_t i;

	for (i = 0; i < IDXP_SW_WQ_SLOTS; i++)
		__atomic_store_n((uint64_t *)&wq->slots[i], 0, __ATOMIC_RELAXED);
	wq->cursor = 0;
	wq->taken = 0;
	__atomic_store_n(&wq->prod, 0, __ATOMIC_RELEASE);
}

/* Nothing queued, and no engine holds a descriptor of @w. */
static bool
wq_drained(const struct idxp_sw_dev *dev, uint32_t w)
{
	uint32_t i;

	if (idxp_sw_wq_pending(&dev->wq[w]))
		return false;
	for (i = 0; i < dev->cfg.nb_engines; i++)
		if (__atomic_load_n(&dev->eng[i].busy_wq, __ATOMIC_ACQUIRE) == (int32_t)w)
			return false;
	for (i = 0; i < IDXP_SW_WQ_SLOTS; i++)
		if (__atomic_load_n((const uint64_t *)&dev->wq[w].slots[i],
				__ATOMIC_ACQUIRE) != 0)
			return false;
	return true;
}

/*
 * Wait until every descriptor @w accepted has completed. There is no
 * deadline: each descriptor finishes in bounded time, as on hardware. A
 * device that halts meanwhile executes nothing more, so the wait ends.
 */
static void
wq_drain(struct idxp_sw_dev *dev, uint32_t w)
{
	struct idxp_sw_wq *wq = &dev->wq[w];

	while (wq->enabled && sw_state(dev) == IDXP_GENSTS_ENABLED &&
			!wq_drained(dev, w)) {
		if (wq->eng != NULL)
			idxp_eventfd_signal(wq->eng->doorbell.fd);
		usleep(20);
	}
}

/*
 * Stop @w at once: queued descriptors are dropped, one in progress stops at
 * its next check without a completion record.
 */
static int
wq_abort(struct idxp_sw_dev *dev, uint32_t w)
{
	struct idxp_sw_wq *wq = &dev->wq[w];
	int ret;

	__atomic_store_n(&wq->enabled, 0, __ATOMIC_RELEASE);
	ret = idxp_sw_park_engines(dev);
	wq_clear_slots(wq);
	wq_set_state(dev, w, IDXP_WQCFG_STATE_DISABLED);
	return ret;
}

/* ---- device commands ---- */

/* Engine i serves the WQs of its groups; WQ w one engine of its group. */
static uint32_t
latch_groups(struct idxp_sw_dev *dev)
{
	uint64_t total = 0, cap = idxp_field_get(sw_reg64(dev, IDXP_REG_WQCAP),
			IDXP_WQCAP_TOTAL_SIZE_MASK);
	uint32_t g, w, e;

	for (e = 0; e < dev->cfg.nb_engines; e++)
		dev->eng[e].nb_wqs = 0;
	for (w = 0; w < dev->cfg.nb_wqs; w++)
		dev->wq[w].eng = NULL;
	for (g = 0; g < IDXP_SW_GROUPS; g++) {
		uint32_t off = IDXP_SW_GRPCFG_TABLE + g * IDXP_GRPCFG_SIZE;
		uint64_t wqs = sw_reg64(dev, off + IDXP_GRPCFG_WQS_OFF);
		uint64_t engs = sw_reg64(dev, off + IDXP_GRPCFG_ENGINES_OFF) &
			((UINT64_C(1) << dev->cfg.nb_engines) - 1);
		uint32_t k = 0, n = (uint32_t)__builtin_popcountll(engs);

		for (w = 0; w < dev->cfg.nb_wqs && n > 0; w++) {
			struct idxp_engine *eng;
			uint64_t m = engs;
			uint32_t pick = k++ % n;

			if (!(wqs & (UINT64_C(1) << w)) || dev->wq[w].eng != NULL)
				continue;
			while (pick-- > 0)
				m &= m - 1;
			eng = &dev->eng[__builtin_ctzll(m)];
			dev->wq[w].eng = eng;
			eng->wqs[eng->nb_wqs++] = w;
		}
	}
	for (w = 0; w < dev->cfg.nb_wqs; w++) {
		uint32_t size = (uint32_t)idxp_field_get(sw_reg32(dev,
				wqcfg_off(w, IDXP_WQCFG_SIZE_OFF)), IDXP_WQCFG_WQ_SIZE_MASK);

		if (size > 0 && dev->wq[w].eng == NULL)
			return IDXP_CMDSTS_ERR_GRP_CONFIG;
		total += size;
	}
	return total > cap ? IDXP_CMDSTS_ERR_WQ_SIZE_ERANGE : IDXP_CMDSTS_SUCCESS;
}

static uint32_t
latch_evl(struct idxp_sw_dev *dev)
{
	uint64_t w0 = sw_reg64(dev, IDXP_REG_EVLCFG);
	uint32_t size = (uint32_t)idxp_field_get(sw_reg64(dev, IDXP_REG_EVLCFG + 8),
			IDXP_EVLCFG_SIZE_MASK);

	dev->evl_on = (sw_reg32(dev, IDXP_REG_GENCFG) & IDXP_GENCFG_EVL_EN) != 0;
	if (!dev->evl_on)
		return IDXP_CMDSTS_SUCCESS;
	if (size < IDXP_EVLCFG_SIZE_MIN || (w0 & IDXP_EVLCFG_BASE_MASK) == 0) {
		dev->evl_on = false;
		return IDXP_CMDSTS_ERR_CONFIG;
	}
	dev->evl_base = w0 & IDXP_EVLCFG_BASE_MASK;
	dev->evl_size = size;
	sw_set64(dev, IDXP_REG_EVLSTATUS, 0);
	return IDXP_CMDSTS_SUCCESS;
}

static uint32_t
cmd_enable_device(struct idxp_sw_dev *dev)
{
	uint32_t err;

	if (sw_state(dev) == IDXP_GENSTS_ENABLED)
		return IDXP_CMDSTS_ERR_DEV_ENABLED;
	if (sw_state(dev) == IDXP_GENSTS_HALT)
		return IDXP_CMDSTS_HW_ERR;	/* a halted device needs a reset */
	/* Engines are idle (disabled device) but may be mid-check: park. */
	if (idxp_sw_park_engines(dev) < 0)
		return IDXP_CMDSTS_HW_ERR;
	err = latch_groups(dev);
	if (err == IDXP_CMDSTS_SUCCESS)
		err = latch_evl(dev);
	if (err != IDXP_CMDSTS_SUCCESS)
		return err;
	set_state(dev, IDXP_GENSTS_ENABLED);
	ring_engines(dev);
	return IDXP_CMDSTS_SUCCESS;
}

static uint32_t
cmd_disable_device(struct idxp_sw_dev *dev)
{
	uint32_t w;

	if (sw_state(dev) != IDXP_GENSTS_ENABLED)
		return IDXP_CMDSTS_ERR_DIS_DEV_EN;
	for (w = 0; w < dev->cfg.nb_wqs; w++) {
		if (dev->wq[w].enabled) {
			wq_drain(dev, w);
			wq_abort(dev, w);
		}
	}
	set_state(dev, IDXP_GENSTS_DISABLED);
	return idxp_sw_park_engines(dev) < 0 ? IDXP_CMDSTS_HW_ERR :
		IDXP_CMDSTS_SUCCESS;
}

/* Back to the state after power-up: everything aborted, tables cleared. */
static uint32_t
cmd_reset_device(struct idxp_sw_dev *dev)
{
	uint32_t w;
	int ret;

	set_state(dev, IDXP_GENSTS_DISABLED);
	ret = idxp_sw_park_engines(dev);
	if (ret == 0 && __atomic_exchange_n((uint32_t *)(dev->bar0 +
			IDXP_MREG_INJ_RESET_FAIL), 0, __ATOMIC_ACQ_REL) != 0) {
		sw_count(dev, IDXP_MREG_CTR_INJECTED);
		ret = -EIO;
	}
	if (ret < 0) {
		set_state(dev, IDXP_GENSTS_HALT);
		return IDXP_CMDSTS_HW_ERR;
	}
	for (w = 0; w < dev->cfg.nb_wqs; w++) {
		__atomic_store_n(&dev->wq[w].enabled, 0, __ATOMIC_RELEASE);
		wq_clear_slots(&dev->wq[w]);
	}
	/* Configuration, status and injections; the capabilities stay. */
	memset(dev->bar0 + IDXP_REG_GENCFG, 0, IDXP_REG_CMD - IDXP_REG_GENCFG);
	memset(dev->bar0 + IDXP_REG_SWERR, 0, 0x100 - IDXP_REG_SWERR);
	memset(dev->bar0 + IDXP_SW_GRPCFG_TABLE, 0,
			IDXP_MREG_BASE - IDXP_SW_GRPCFG_TABLE);
	memset(dev->bar0 + IDXP_MREG_BASE, 0, IDXP_MREG_INJ_REVOKE + 4 - IDXP_MREG_BASE);
	__atomic_store_n(&dev->handles_granted, 0, __ATOMIC_RELEASE);
	dev->evl_on = false;
	return IDXP_CMDSTS_SUCCESS;
}

/* ---- WQ commands ---- */

static uint32_t
cmd_enable_wq(struct idxp_sw_dev *dev, uint32_t w)
{
	uint64_t gencap = sw_reg64(dev, IDXP_REG_GENCAP);
	struct idxp_sw_wq *wq = &dev->wq[w];
	uint32_t size, mode, max, xs, bs;

	if (w >= dev->cfg.nb_wqs)
		return IDXP_CMDSTS_INVAL_WQIDX;
	if (sw_state(dev) != IDXP_GENSTS_ENABLED)
		return IDXP_CMDSTS_ERR_DEV_NOTEN;
	if (wq->enabled)
		return IDXP_CMDSTS_ERR_WQ_ENABLED;
	size = (uint32_t)idxp_field_get(sw_reg32(dev, wqcfg_off(w, IDXP_WQCFG_SIZE_OFF)),
			IDXP_WQCFG_WQ_SIZE_MASK);
	mode = sw_reg32(dev, wqcfg_off(w, IDXP_WQCFG_MODE_OFF));
	max = sw_reg32(dev, wqcfg_off(w, IDXP_WQCFG_MAX_OFF));
	xs = (uint32_t)idxp_field_get(max, IDXP_WQCFG_MAX_XFER_SHIFT_MASK);
	bs = (uint32_t)idxp_field_get(max, IDXP_WQCFG_MAX_BATCH_SHIFT_MASK);
	if (size == 0 || size > IDXP_SW_WQ_SLOTS || wq->eng == NULL)
		return IDXP_CMDSTS_ERR_WQ_SIZE;
	if (!(mode & IDXP_WQCFG_DEDICATED) &&
			!(sw_reg64(dev, IDXP_REG_WQCAP) & IDXP_WQCAP_SHARED))
		return IDXP_CMDSTS_ERR_WQ_MODE;
	if ((mode & IDXP_WQCFG_BOF) && !(gencap & IDXP_GENCAP_BOF))
		return IDXP_CMDSTS_ERR_BOF_EN;
	if (xs == 0 || xs > idxp_field_get(gencap, IDXP_GENCAP_MAX_XFER_SHIFT_MASK))
		return IDXP_CMDSTS_ERR_MAX_XFER_SIZE;
	if (bs == 0 || bs > idxp_field_get(gencap, IDXP_GENCAP_MAX_BATCH_SHIFT_MASK))
		return IDXP_CMDSTS_ERR_MAX_BATCH_SIZE;
	wq->size = size;
	wq->bof = (mode & IDXP_WQCFG_BOF) != 0;
	wq->shared = !(mode & IDXP_WQCFG_DEDICATED);
	wq->max_xfer = (uint32_t)RTE_MIN(UINT64_C(1) << xs, (uint64_t)UINT32_MAX);
	wq->max_batch = 1u << bs;
	wq_clear_slots(wq);
	/* Release: the engine sees the latched config with enabled. */
	__atomic_store_n(&wq->enabled, 1, __ATOMIC_RELEASE);
	wq_set_state(dev, w, IDXP_WQCFG_STATE_ENABLED);
	idxp_eventfd_signal(wq->eng->doorbell.fd);
	return IDXP_CMDSTS_SUCCESS;
}

enum wq_op { WQ_DISABLE, WQ_DRAIN, WQ_ABORT };

/* A WQ-set operand: a mask of 16 WQs and the block of 16 it covers. */
static uint32_t
cmd_wq_set(struct idxp_sw_dev *dev, uint32_t operand, enum wq_op op)
{
	uint32_t base = ((operand >> 16) & 0xf) * 16, bit;
	uint32_t err = IDXP_CMDSTS_SUCCESS;

	if (sw_state(dev) != IDXP_GENSTS_ENABLED)
		return IDXP_CMDSTS_ERR_DEV_NOT_EN;
	for (bit = 0; bit < 16; bit++) {
		uint32_t w = base + bit;

		if (!(operand & (1u << bit)))
			continue;
		if (w >= dev->cfg.nb_wqs) {
			err = IDXP_CMDSTS_INVAL_WQIDX;
			continue;
		}
		if (!dev->wq[w].enabled)
			continue;
		if (op != WQ_ABORT)
			wq_drain(dev, w);
		if (op != WQ_DRAIN && wq_abort(dev, w) < 0)
			err = IDXP_CMDSTS_HW_ERR;
	}
	return err;
}

static uint32_t
cmd_all(struct idxp_sw_dev *dev, enum wq_op op)
{
	uint32_t w, err = IDXP_CMDSTS_SUCCESS;

	for (w = 0; w < dev->cfg.nb_wqs; w += 16) {
		uint32_t mask = (uint32_t)RTE_MIN(dev->cfg.nb_wqs - w, 16u);

		mask = mask == 16 ? 0xffff : (1u << mask) - 1;
		if (cmd_wq_set(dev, mask | (w / 16) << 16, op) != IDXP_CMDSTS_SUCCESS)
			err = IDXP_CMDSTS_HW_ERR;
	}
	return err;
}

/* ---- interrupt handles ---- */

static uint32_t
cmd_request_handle(struct idxp_sw_dev *dev, uint32_t operand, uint32_t *result)
{
	uint32_t v = operand & 0xffff;

	if ((operand & IDXP_CMD_OPERAND_IMS) || v == 0 || v >= dev->bus.nb_vectors)
		return IDXP_CMDSTS_ERR_INVAL_INT_IDX;
	__atomic_fetch_or(&dev->handles_granted, UINT64_C(1) << v, __ATOMIC_ACQ_REL);
	*result = v | (__atomic_load_n(&dev->handle_gen, __ATOMIC_ACQUIRE) & 0xff) << 8;
	return IDXP_CMDSTS_SUCCESS;
}

static uint32_t
cmd_release_handle(struct idxp_sw_dev *dev, uint32_t operand)
{
	uint32_t v = operand & 0xff;

	if ((operand & IDXP_CMD_OPERAND_IMS) || v >= dev->bus.nb_vectors)
		return IDXP_CMDSTS_ERR_INVAL_INT_IDX;
	__atomic_fetch_and(&dev->handles_granted, ~(UINT64_C(1) << v), __ATOMIC_ACQ_REL);
	return IDXP_CMDSTS_SUCCESS;
}

void
idxp_sw_cmd_run(struct idxp_sw_dev *dev, uint32_t cmd)
{
	uint32_t code = (uint32_t)idxp_field_get(cmd, IDXP_CMD_CODE_MASK);
	uint32_t operand = cmd & IDXP_CMD_OPERAND_MASK;
	uint32_t err, result = 0;

	switch (code) {
	case IDXP_CMD_ENABLE_DEVICE: err = cmd_enable_device(dev); break;
	case IDXP_CMD_DISABLE_DEVICE: err = cmd_disable_device(dev); break;
	case IDXP_CMD_DRAIN_ALL: err = cmd_all(dev, WQ_DRAIN); break;
	case IDXP_CMD_ABORT_ALL: err = cmd_all(dev, WQ_ABORT); break;
	case IDXP_CMD_RESET_DEVICE: err = cmd_reset_device(dev); break;
	case IDXP_CMD_ENABLE_WQ: err = cmd_enable_wq(dev, operand); break;
	case IDXP_CMD_DISABLE_WQ: err = cmd_wq_set(dev, operand, WQ_DISABLE); break;
	case IDXP_CMD_DRAIN_WQ: err = cmd_wq_set(dev, operand, WQ_DRAIN); break;
	case IDXP_CMD_ABORT_WQ:
	case IDXP_CMD_RESET_WQ: err = cmd_wq_set(dev, operand, WQ_ABORT); break;
	case IDXP_CMD_REQUEST_INT_HANDLE:
		err = cmd_request_handle(dev, operand, &result);
		break;
	case IDXP_CMD_RELEASE_INT_HANDLE: err = cmd_release_handle(dev, operand); break;
	default: err = IDXP_CMDSTS_INVAL_CMD; break;
	}
	/* Release: the command's effects are visible once active clears. */
	sw_set32(dev, IDXP_REG_CMDSTS, (uint32_t)idxp_field_set(err,
			IDXP_CMDSTS_RESULT_MASK, result));
	if (cmd & IDXP_CMD_REQ_INT)
		idxp_sw_raise_cause(dev, IDXP_INTCAUSE_CMD);
}
