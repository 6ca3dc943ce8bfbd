/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * The device through its registers, as a DSA driver programs one (Linux
 * idxd's device.c is the model): capabilities, reset, group and WQ tables,
 * the event log, commands through CMD/CMDSTS, interrupt handles.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_memzone.h>
#include <rte_pause.h>

#include "idxp_internal.h"

#define CMD_TIMEOUT_MS		5000	/* any command but a drain */

/* A WQ the kernel owns: no registers to program (see the last section). */
static bool
kernel_wq(const struct idxp_priv *priv)
{
	return (priv->bus->features & IDXP_BUS_F_KERNEL) != 0;
}

static int kwq_init(struct idxp_priv *priv);
static int kwq_enabled(struct idxp_priv *priv, const char *what);
static int kwq_drain(struct idxp_priv *priv, uint16_t wq, uint32_t timeout_ms);

static uint32_t
rd32(const struct idxp_priv *priv, uint32_t off)
{
	return idxp_reg_read32(priv->bus, off);
}

static uint64_t
rd64(const struct idxp_priv *priv, uint32_t off)
{
	return idxp_reg_read64(priv->bus, off);
}

static void
wr32(struct idxp_priv *priv, uint32_t off, uint32_t v)
{
	idxp_reg_write32(priv->bus, off, v);
}

static void
wr64(struct idxp_priv *priv, uint32_t off, uint64_t v)
{
	idxp_reg_write64(priv->bus, off, v);
}

uint32_t
idxp_dev_state(const struct idxp_priv *priv)
{
	/* The control thread watches the kernel's WQ state (halted). */
	if (kernel_wq(priv))
		return __atomic_load_n(&priv->halted, __ATOMIC_ACQUIRE) ?
			IDXP_GENSTS_HALT : IDXP_GENSTS_ENABLED;
	return idxp_gensts_state(rd32(priv, IDXP_REG_GENSTS));
}

bool
idxp_dev_has_op(const struct idxp_priv *priv, unsigned int op)
{
	return idxp_opcap_has(priv->caps.opcap, op);
}

/* ---- commands ---- */

/*
 * Poll CMDSTS until active clears: tight at first (most commands take
 * microseconds), then backing off to a millisecond. False on timeout.
 */
static bool
cmd_wait(const struct idxp_priv *priv, uint32_t timeout_ms, uint32_t *sts)
{
	uint64_t deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() / 1000 * timeout_ms;
	unsigned int us = 1, spins = 0;

	for (;;) {
		*sts = rd32(priv, IDXP_REG_CMDSTS);
		if (!idxp_cmdsts_active(*sts))
			return true;
		if (rte_get_timer_cycles() > deadline)
			return false;
		if (++spins < 1000) {
			rte_pause();
			continue;
		}
		usleep(us);
		us = RTE_MIN(us * 2, 1000u);
	}
}

static const char *
cmd_name(uint32_t code)
{
	static const char *const names[] = {
		[IDXP_CMD_ENABLE_DEVICE] = "enable device",
		[IDXP_CMD_DISABLE_DEVICE] = "disable device",
		[IDXP_CMD_DRAIN_ALL] = "drain all",
		[IDXP_CMD_ABORT_ALL] = "abort all",
		[IDXP_CMD_RESET_DEVICE] = "reset device",
		[IDXP_CMD_ENABLE_WQ] = "enable wq",
		[IDXP_CMD_DISABLE_WQ] = "disable wq",
		[IDXP_CMD_DRAIN_WQ] = "drain wq",
		[IDXP_CMD_ABORT_WQ] = "abort wq",
		[IDXP_CMD_RESET_WQ] = "reset wq",
		[IDXP_CMD_REQUEST_INT_HANDLE] = "request interrupt handle",
		[IDXP_CMD_RELEASE_INT_HANDLE] = "release interrupt handle",
	};

	return code < RTE_DIM(names) && names[code] != NULL ? names[code] : "?";
}

/*
 * Run one command: wait for CMD to be free, write it, poll CMDSTS. 0 with
 * the result, -EIO with the device's error logged, -ETIMEDOUT when it does
 * not finish in @timeout_ms (it is still running then; the next command
 * waits for it).
 */
int
idxp_dev_cmd(struct idxp_priv *priv, uint32_t code, uint32_t operand,
		uint32_t *result, uint32_t timeout_ms)
{
	uint32_t sts;
	int ret = 0;

	pthread_mutex_lock(&priv->cmd_lock);
	if (!cmd_wait(priv, CMD_TIMEOUT_MS, &sts)) {
		IDXP_DEV_LOG(priv, ERR, "%s: an earlier command is still running",
				cmd_name(code));
		pthread_mutex_unlock(&priv->cmd_lock);
		return -EBUSY;
	}
	wr32(priv, IDXP_REG_CMD, idxp_cmd(code, operand, false));
	if (!cmd_wait(priv, timeout_ms, &sts)) {
		IDXP_DEV_LOG(priv, ERR, "%s (0x%x): no completion in %u ms",
				cmd_name(code), operand, timeout_ms);
		ret = -ETIMEDOUT;
	} else if (idxp_cmdsts_err(sts) != IDXP_CMDSTS_SUCCESS) {
		IDXP_DEV_LOG(priv, ERR, "%s (0x%x): device error 0x%x",
				cmd_name(code), operand, idxp_cmdsts_err(sts));
		ret = -EIO;
	} else if (result != NULL) {
		*result = idxp_cmdsts_result(sts);
	}
	pthread_mutex_unlock(&priv->cmd_lock);
	return ret;
}

/* ---- capabilities ---- */

static uint32_t
log2_u64(uint64_t v)
{
	return 63 - (uint32_t)__builtin_clzll(v);
}

/* The last group's and the last WQ's entries lie inside BAR0. */
static bool
tables_fit(const struct idxp_priv *priv)
{
	const struct idxp_caps *c = &priv->caps;
	uint64_t grp_end = (uint64_t)idxp_grpcfg_offset(c->grpcfg_table,
			c->nb_groups - 1) + IDXP_GRPCFG_SIZE;
	uint64_t wq_end = (uint64_t)idxp_wqcfg_offset(c->wqcfg_table,
			c->wqcfg_size, c->nb_wqs - 1) + c->wqcfg_size;

	return grp_end <= priv->bus->bar0_len && wq_end <= priv->bus->bar0_len;
}

int
idxp_dev_read_caps(struct idxp_priv *priv)
{
	struct idxp_caps *c = &priv->caps;
	uint64_t wqcap, tbl;
	unsigned int i;

	c->version = rd32(priv, IDXP_REG_VERSION);
	c->gencap = rd64(priv, IDXP_REG_GENCAP);
	wqcap = rd64(priv, IDXP_REG_WQCAP);
	c->nb_wqs = (uint32_t)idxp_field_get(wqcap, IDXP_WQCAP_NUM_WQS_MASK);
	c->total_wq_size = (uint32_t)idxp_field_get(wqcap, IDXP_WQCAP_TOTAL_SIZE_MASK);
	c->wqcfg_size = idxp_wqcap_wqcfg_size(wqcap);
	c->nb_groups = (uint32_t)idxp_field_get(rd64(priv, IDXP_REG_GRPCAP),
			IDXP_GRPCAP_NUM_GROUPS_MASK);
	c->nb_engines = (uint32_t)idxp_field_get(rd64(priv, IDXP_REG_ENGCAP),
			IDXP_ENGCAP_NUM_ENGINES_MASK);
	for (i = 0; i < IDXP_OPCAP_WORDS; i++)
		c->opcap[i] = rd64(priv, IDXP_REG_OPCAP + 8 * i);
	c->cmdcap = (c->gencap & IDXP_GENCAP_CMD_CAP) ? rd32(priv, IDXP_REG_CMDCAP) : 0;
	tbl = rd64(priv, IDXP_REG_TABLE_OFFSET);
	c->grpcfg_table = idxp_table_offset(tbl, IDXP_TABLE_GRPCFG_MASK);
	c->wqcfg_table = idxp_table_offset(tbl, IDXP_TABLE_WQCFG_MASK);
	c->max_batch = idxp_gencap_max_batch(c->gencap);
	c->max_xfer = idxp_gencap_max_xfer(c->gencap);
	c->evl_entry_size = idxp_gencap_evl_entry_size(c->gencap);
	if (c->nb_wqs == 0 || c->total_wq_size == 0 || c->nb_groups == 0 ||
			c->nb_engines == 0 || c->wqcfg_table == 0 ||
			c->grpcfg_table == 0 || !(wqcap & IDXP_WQCAP_DEDICATED) ||
			!idxp_opcap_has(c->opcap, IDXP_OP_MEMMOVE) ||
			!idxp_opcap_has(c->opcap, IDXP_OP_BATCH)) {
		IDXP_DEV_LOG(priv, ERR, "device capabilities unusable: %u WQs of "
				"%u entries, %u groups, %u engines, dedicated %s",
				c->nb_wqs, c->total_wq_size, c->nb_groups, c->nb_engines,
				(wqcap & IDXP_WQCAP_DEDICATED) ? "yes" : "no");
		return -ENODEV;
	}
	if (!tables_fit(priv)) {
		IDXP_DEV_LOG(priv, ERR, "configuration tables (GRPCFG at 0x%x, WQCFG "
				"at 0x%x) beyond BAR0's %zu bytes", c->grpcfg_table,
				c->wqcfg_table, priv->bus->bar0_len);
		return -ENODEV;
	}
	IDXP_DEV_LOG(priv, DEBUG, "DSA %u.%u: %u WQs (%u entries), %u groups, "
			"%u engines, batch %u, transfer %" PRIu64 ", event log %s",
			(unsigned int)idxp_field_get(c->version, IDXP_VERSION_MAJOR_MASK),
			(unsigned int)idxp_field_get(c->version, IDXP_VERSION_MINOR_MASK),
			c->nb_wqs, c->total_wq_size, c->nb_groups, c->nb_engines,
			c->max_batch, c->max_xfer, c->evl_entry_size ? "yes" : "no");
	return 0;
}

/* ---- configuration (device disabled) ---- */

/* Group 0 holds every WQ and engine we use; the others nothing. */
static void
program_groups(struct idxp_priv *priv)
{
	uint32_t g, i;

	for (g = 0; g < priv->caps.nb_groups; g++) {
		uint32_t off = idxp_grpcfg_offset(priv->caps.grpcfg_table, g);
		uint64_t wqs = g == 0 ? (UINT64_C(1) << priv->args.max_vchans) - 1 : 0;
		uint64_t engs = g == 0 ? (priv->caps.engines_used >= 64 ? UINT64_MAX :
			(UINT64_C(1) << priv->caps.engines_used) - 1) : 0;

		for (i = 0; i < IDXP_GRPCFG_WQS_WORDS; i++)
			wr64(priv, off + IDXP_GRPCFG_WQS_OFF + 8 * i, i == 0 ? wqs : 0);
		wr64(priv, off + IDXP_GRPCFG_ENGINES_OFF, engs);
		wr64(priv, off + IDXP_GRPCFG_FLAGS_OFF, 0);
	}
}

/* Dedicated WQs of equal size, at the device's transfer and batch limits. */
static void
program_wqs(struct idxp_priv *priv)
{
	uint32_t w;

	for (w = 0; w < priv->caps.nb_wqs; w++) {
		uint32_t off = idxp_wqcfg_offset(priv->caps.wqcfg_table,
				priv->caps.wqcfg_size, w);
		bool used = w < priv->args.max_vchans;
		/* Priority 1 of 15: all our WQs share the engines evenly. */
		uint32_t mode = IDXP_WQCFG_DEDICATED |
			(uint32_t)idxp_field_set(0, IDXP_WQCFG_PRIORITY_MASK, 1) |
			(priv->args.sva ? IDXP_WQCFG_BOF : 0);
		uint32_t max = (uint32_t)idxp_field_set(0, IDXP_WQCFG_MAX_XFER_SHIFT_MASK,
				log2_u64(priv->caps.max_xfer));

		max = (uint32_t)idxp_field_set(max, IDXP_WQCFG_MAX_BATCH_SHIFT_MASK,
				log2_u64(priv->caps.max_batch));
		wr32(priv, off + IDXP_WQCFG_SIZE_OFF, used ? priv->wq_size : 0);
		wr32(priv, off + IDXP_WQCFG_THRESH_OFF, 0);
		wr32(priv, off + IDXP_WQCFG_MODE_OFF, used ? mode : 0);
		wr32(priv, off + IDXP_WQCFG_MAX_OFF, used ? max : 0);
	}
}

/* The event log: driver memory, 4 KB aligned and IOVA-contiguous. */
static int
evl_alloc(struct idxp_priv *priv)
{
	char name[RTE_MEMZONE_NAMESIZE];
	size_t sz = (size_t)priv->evl_size * priv->caps.evl_entry_size;

	if (priv->evl_mz != NULL || priv->caps.evl_entry_size == 0)
		return 0;
	snprintf(name, sizeof(name), "idxp%d_evl", priv->dev_id);
	priv->evl_mz = rte_memzone_reserve_aligned(name, sz, priv->bus->numa_node,
			RTE_MEMZONE_IOVA_CONTIG, 4096);
	if (priv->evl_mz == NULL || priv->evl_mz->iova == RTE_BAD_IOVA) {
		IDXP_DEV_LOG(priv, ERR, "no IOVA-contiguous memory for the event log");
		rte_memzone_free(priv->evl_mz);
		priv->evl_mz = NULL;
		return -ENOMEM;
	}
	memset(priv->evl_mz->addr, 0, sz);
	return 0;
}

static void
program_evl(struct idxp_priv *priv)
{
	uint64_t cfg[IDXP_EVLCFG_WORDS];

	if (priv->evl_mz == NULL)
		return;
	idxp_evlcfg_encode(cfg, priv->evl_mz->iova, priv->evl_size, false, 0);
	wr64(priv, IDXP_REG_EVLCFG, cfg[0]);
	wr64(priv, IDXP_REG_EVLCFG + 8, cfg[1]);
	wr32(priv, IDXP_REG_GENCFG, IDXP_GENCFG_EVL_EN);
}

/* Interrupts of the device's own events reach vector 0. */
static void
program_interrupts(struct idxp_priv *priv)
{
	wr32(priv, IDXP_REG_GENCTRL, IDXP_GENCTRL_SOFTERR_INT_EN |
			IDXP_GENCTRL_HALT_INT_EN |
			(priv->evl_mz != NULL ? IDXP_GENCTRL_EVL_INT_EN : 0));
}

/*
 * A handle for each vchan's vector: requested where the device wants it
 * (CMDCAP), else the vector index itself, as with plain MSI-X.
 */
int
idxp_dev_request_handles(struct idxp_priv *priv)
{
	uint16_t i;

	if (kernel_wq(priv))
		return 0;	/* completions are polled: no vectors */
	for (i = 0; i < priv->args.max_vchans; i++) {
		uint32_t h = 1 + i;
		int ret;

		if (idxp_cmdcap_has(priv->caps.cmdcap, IDXP_CMD_REQUEST_INT_HANDLE)) {
			ret = idxp_dev_cmd(priv, IDXP_CMD_REQUEST_INT_HANDLE, 1 + i,
					&h, CMD_TIMEOUT_MS);
			if (ret < 0)
				return ret;
		}
		/* Release: a post that reads the handle reads a current one. */
		__atomic_store_n(&priv->vc[i].intr_handle, (uint16_t)h, __ATOMIC_RELEASE);
	}
	return 0;
}

/*
 * Reset the device and program it again, then enable it. Used at probe and
 * to recover from a halt, as Linux idxd's reinit: the reset clears every
 * table, so all of them are written again.
 */
int
idxp_dev_reset(struct idxp_priv *priv)
{
	int ret;

	/* Only the kernel resets its device: see whether it is back. */
	if (kernel_wq(priv))
		return kwq_enabled(priv, "reset");
	ret = idxp_dev_cmd(priv, IDXP_CMD_RESET_DEVICE, 0, NULL, CMD_TIMEOUT_MS);

	if (ret < 0)
		return ret;
	program_groups(priv);
	program_wqs(priv);
	program_evl(priv);
	program_interrupts(priv);
	ret = idxp_dev_cmd(priv, IDXP_CMD_ENABLE_DEVICE, 0, NULL, CMD_TIMEOUT_MS);
	if (ret == 0)
		ret = idxp_dev_request_handles(priv);
	return ret;
}

int
idxp_dev_init(struct idxp_priv *priv)
{
	int ret;

	if (kernel_wq(priv))
		return kwq_init(priv);
	ret = idxp_dev_read_caps(priv);
	if (ret < 0)
		return ret;
	if (priv->args.max_vchans > priv->caps.nb_wqs) {
		IDXP_DEV_LOG(priv, ERR, "vchans=%u: the device has %u work queues",
				priv->args.max_vchans, priv->caps.nb_wqs);
		return -EINVAL;
	}
	if (priv->args.sva && !(priv->caps.gencap & IDXP_GENCAP_BOF)) {
		IDXP_DEV_LOG(priv, ERR, "sva=1: the device cannot block on faults");
		return -ENOTSUP;
	}
	/* engines=N takes the first N of the device's engines, else all. */
	priv->caps.engines_used = (priv->args.given & IDXP_ARGF(ENGINES)) ?
		RTE_MIN(priv->args.engines, priv->caps.nb_engines) :
		priv->caps.nb_engines;
	/* Every WQ we use gets an equal share of the device's entries. */
	priv->wq_size = priv->caps.total_wq_size / priv->args.max_vchans;
	priv->evl_size = RTE_MAX(priv->args.evl_size, IDXP_EVLCFG_SIZE_MIN);
	if (priv->evl_size != priv->args.evl_size)
		IDXP_DEV_LOG(priv, NOTICE, "evl_size=%u raised to %u, the smallest "
				"event log EVLCFG takes", priv->args.evl_size, priv->evl_size);
	ret = evl_alloc(priv);
	if (ret == 0)
		ret = idxp_dev_reset(priv);
	return ret;
}

int
idxp_dev_wq_enable(struct idxp_priv *priv, uint16_t wq)
{
	if (kernel_wq(priv))
		return kwq_enabled(priv, "start");
	return idxp_dev_cmd(priv, IDXP_CMD_ENABLE_WQ, wq, NULL, CMD_TIMEOUT_MS);
}

/*
 * Disable with drain: what the WQ accepted completes first. A halted
 * device runs nothing: the WQ is as quiet as it gets, and its reset will
 * clear it.
 */
int
idxp_dev_wq_disable(struct idxp_priv *priv, uint16_t wq, uint32_t timeout_ms)
{
	if (idxp_dev_state(priv) != IDXP_GENSTS_ENABLED)
		return 0;
	if (kernel_wq(priv))
		return kwq_drain(priv, wq, timeout_ms);
	return idxp_dev_cmd(priv, IDXP_CMD_DISABLE_WQ, idxp_cmd_wq_operand(wq), NULL,
			timeout_ms);
}

void
idxp_dev_fini(struct idxp_priv *priv)
{
	if (priv->bus != NULL && !kernel_wq(priv) && idxp_dev_state(priv) == IDXP_GENSTS_ENABLED)
		idxp_dev_cmd(priv, IDXP_CMD_DISABLE_DEVICE, 0, NULL, CMD_TIMEOUT_MS);
	rte_memzone_free(priv->evl_mz);
	priv->evl_mz = NULL;
}

/*
 * ---- A work queue the kernel owns ----
 *
 * The kernel configured the device, owns its registers, event log and
 * interrupts, and resets it. The driver gets the WQ's limits from sysfs
 * (the bus carries them), submits to its portal and polls records.
 */
static int
kwq_init(struct idxp_priv *priv)
{
	const struct idxp_bus_wq *w = &priv->bus->kwq;
	struct idxp_caps *c = &priv->caps;

	memset(c, 0, sizeof(*c));
	c->nb_wqs = 1;
	c->total_wq_size = w->size;
	c->max_batch = RTE_MAX(w->max_batch, 1u);
	c->max_xfer = w->max_xfer;
	memcpy(c->opcap, w->opcap, sizeof(c->opcap));
	if (priv->args.max_vchans != 1) {
		IDXP_DEV_LOG(priv, ERR, "vchans=%u: a kernel work queue is one vchan "
				"(make more WQs, one dmadev each)", priv->args.max_vchans);
		return -EINVAL;
	}
	priv->wq_size = w->size;
	return kwq_enabled(priv, "probe");
}

static int
kwq_enabled(struct idxp_priv *priv, const char *what)
{
	if (priv->bus->ops->wq_enabled(priv->bus))
		return 0;
	IDXP_DEV_LOG(priv, ERR, "%s: the kernel has the work queue disabled "
			"(accel-config enable-wq, then start again)", what);
	return -EIO;
}

/*
 * A kernel WQ cannot be disabled by its user: stop waits until every
 * record of what was posted has landed, so no op is still running when
 * the vchan's memory may be freed. A WQ the kernel disables meanwhile
 * runs nothing more (the control thread aborts what it dropped).
 */
static int
kwq_drain(struct idxp_priv *priv, uint16_t wq, uint32_t timeout_ms)
{
	const struct idxp_vchan *vc = &priv->vc[wq];
	uint64_t deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() / 1000 * timeout_ms;
	unsigned int us = 1;

	while (!idxp_vchan_drained(vc)) {
		if (!priv->bus->ops->wq_enabled(priv->bus))
			return 0;
		if (rte_get_timer_cycles() > deadline) {
			IDXP_DEV_LOG(priv, ERR, "work queue still busy after %u ms",
					timeout_ms);
			return -ETIMEDOUT;
		}
		usleep(us);
		us = RTE_MIN(us * 2, 1000u);
	}
	return 0;
}
