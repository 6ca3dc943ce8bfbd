/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Control path of the idxp PMD: the dmadev ops and the probe of a device
 * a platform found (idxp_probe_bus()). The platforms are in idxp_vdev.c
 * (the software device) and idxp_pci.c (DSA bound to vfio-pci).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_dmadev_pmd.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include "idxp_internal.h"

RTE_LOG_REGISTER(idxp_logtype, pmd.dma.idxp, INFO);

/* How long rte_dma_stop() waits for a WQ to drain. */
#define IDXP_STOP_DRAIN_MS	30000

/* idxp devices by dmadev id: dmadev keeps its device table private. */
static struct idxp_priv *idxp_devs[IDXP_MAX_DEV_ID];

static struct idxp_priv *
priv_of(const struct rte_dma_dev *dev)
{
	return dev->data->dev_private;
}

static bool sg_native(const struct idxp_priv *priv);

static int
idxp_info_get(const struct rte_dma_dev *dev, struct rte_dma_info *info,
		uint32_t info_sz)
{
	struct idxp_priv *priv = priv_of(dev);

	RTE_SET_USED(info_sz);
	info->dev_capa = priv->dev_capa;
	info->max_vchans = (uint16_t)priv->args.max_vchans;
	info->max_desc = IDXP_MAX_DESC;
	info->min_desc = IDXP_MIN_DESC;
	/* Split SG ops must fit one batch of the WQ (sg_split). */
	info->max_sges = sg_native(priv) ? IDXP_HW_MAX_SGE :
		(uint16_t)RTE_MIN(IDXP_HW_MAX_SGE, (priv->caps.max_batch + 1) / 2);
	info->nb_vchans = priv->nb_vchans;
	return 0;
}

/* ---- vchan memory ---- */

/*
 * Device-visible arrays of a vchan, bytes per descriptor slot (+ extra
 * bytes once). The batch records get one more line: the record of the
 * interrupt-arming drain.
 */
static const struct {
	const char *tag;
	size_t per_slot;
	size_t extra;
} vc_mz_layout[IDXP_VC_MZ_MAX] = {
	[IDXP_VC_MZ_DESC] = { "desc", sizeof(struct idxp_hw_desc), 0 },
	[IDXP_VC_MZ_OP_COMP] = { "opc", sizeof(struct idxp_hw_comp), 0 },
	[IDXP_VC_MZ_BATCH_COMP] = { "bc", IDXP_BCOMP_STRIDE * sizeof(struct idxp_hw_comp),
		IDXP_BCOMP_STRIDE * sizeof(struct idxp_hw_comp) },
	[IDXP_VC_MZ_SGE_SRC] = { "sgs", IDXP_HW_MAX_SGE * sizeof(struct idxp_hw_sge), 0 },
	[IDXP_VC_MZ_SGE_DST] = { "sgd", IDXP_HW_MAX_SGE * sizeof(struct idxp_hw_sge), 0 },
	/* Sized by sg_list_size(): one list area per batch in flight. */
	[IDXP_VC_MZ_SG_LIST] = { "sgl", 0, 0 },
};

/* Batches in flight stay below the WQ size: an area for each. */
static uint16_t
sg_areas(const struct idxp_priv *priv)
{
	return (uint16_t)rte_align32pow2(RTE_MIN(priv->wq_size, (uint32_t)IDXP_MAX_DESC));
}

static size_t
mz_size(const struct idxp_priv *priv, unsigned int i, uint16_t n)
{
	if (i == IDXP_VC_MZ_SG_LIST)
		return (size_t)sg_areas(priv) * IDXP_SG_SPLIT_MAX *
			sizeof(struct idxp_hw_desc);
	return (size_t)n * vc_mz_layout[i].per_slot + vc_mz_layout[i].extra;
}

static void
vchan_free(struct idxp_vchan *vc)
{
	unsigned int i;

	for (i = 0; i < IDXP_VC_MZ_MAX; i++) {
		rte_memzone_free(vc->mz[i]);
		vc->mz[i] = NULL;
	}
	rte_free(vc->batch);
	rte_free(vc->sg_slot);
	vc->sg_slot = NULL;
	vc->sg_queued = 0;
	idxp_ops_vchan_free(vc);
	/* An empty ring: a stale vchan refuses ops with -ENOSPC. */
	vc->max_ops = 0;
	vc->mask = 0;
	vc->write_idx = 0;
	vc->submit_idx = 0;
	vc->read_idx = 0;
	vc->batch_start = 0;
	vc->batch_read = 0;
	vc->batch_write = 0;
	vc->desc = NULL;
	vc->op_comp = NULL;
	vc->batch_comp = NULL;
	vc->arm_comp = NULL;
	vc->sge_src = NULL;
	vc->sge_dst = NULL;
	vc->batch = NULL;
	vc->configured = false;
}

/*
 * Memory the device addresses as base IOVA + offset must be IOVA-contiguous.
 * rte_malloc() does not promise that: in IOVA-as-PA mode an element that
 * spans two hugepages may span two unrelated physical ranges, and the
 * device would read and write whatever lies at base + offset. Each array
 * is at most 1 MB (8192 slots), so it always fits in one 2 MB page.
 */
static int
vchan_mz_reserve(struct idxp_priv *priv, struct idxp_vchan *vc, uint16_t vchan,
		unsigned int i, uint16_t n)
{
	char name[RTE_MEMZONE_NAMESIZE];
	size_t sz = mz_size(priv, i, n);
	const struct rte_memzone *mz;

	snprintf(name, sizeof(name), "idxp%d_v%u_%s", priv->dev_id, vchan,
			vc_mz_layout[i].tag);
	mz = rte_memzone_reserve_aligned(name, sz, priv->bus->numa_node,
			RTE_MEMZONE_IOVA_CONTIG, RTE_CACHE_LINE_SIZE);
	if (mz == NULL || mz->iova == RTE_BAD_IOVA) {
		IDXP_DEV_LOG(priv, ERR, "vchan %u: no IOVA-contiguous memory for "
				"%zu bytes of %s (%s)", vchan, sz, vc_mz_layout[i].tag,
				mz == NULL ? rte_strerror(rte_errno) : "no IOVA");
		rte_memzone_free(mz);
		return -ENOMEM;
	}
	memset(mz->addr, 0, sz);
	vc->mz[i] = mz;
	return 0;
}

static int
vchan_alloc(struct idxp_priv *priv, struct idxp_vchan *vc, uint16_t vchan,
		uint16_t n)
{
	unsigned int i;

	for (i = 0; i < IDXP_VC_MZ_MAX; i++) {
		/* Only a vchan that splits SG ops has memmove lists. */
		if (i == IDXP_VC_MZ_SG_LIST && !vc->sg_split)
			continue;
		if (vchan_mz_reserve(priv, vc, vchan, i, n) < 0) {
			vchan_free(vc);
			return -ENOMEM;
		}
	}
	vc->batch = rte_zmalloc_socket("idxp_batch", (size_t)n * sizeof(struct idxp_batch),
			RTE_CACHE_LINE_SIZE, priv->bus->numa_node);
	if (vc->sg_split)
		vc->sg_slot = rte_zmalloc_socket("idxp_sg_slot", n,
				RTE_CACHE_LINE_SIZE, priv->bus->numa_node);
	if (vc->batch == NULL || (vc->sg_split && vc->sg_slot == NULL) ||
			idxp_ops_vchan_alloc(priv, vc, n) < 0) {
		IDXP_DEV_LOG(priv, ERR, "vchan %u: no memory for %u descriptors",
				vchan, n);
		vchan_free(vc);
		return -ENOMEM;
	}
	vc->desc = vc->mz[IDXP_VC_MZ_DESC]->addr;
	vc->desc_iova = vc->mz[IDXP_VC_MZ_DESC]->iova;
	vc->op_comp = vc->mz[IDXP_VC_MZ_OP_COMP]->addr;
	vc->op_comp_iova = vc->mz[IDXP_VC_MZ_OP_COMP]->iova;
	vc->batch_comp = vc->mz[IDXP_VC_MZ_BATCH_COMP]->addr;
	vc->batch_comp_iova = vc->mz[IDXP_VC_MZ_BATCH_COMP]->iova;
	vc->arm_comp = &vc->batch_comp[(size_t)n * IDXP_BCOMP_STRIDE];
	vc->arm_comp_iova = vc->batch_comp_iova +
		(rte_iova_t)n * IDXP_BCOMP_STRIDE * sizeof(struct idxp_hw_comp);
	vc->sge_src = vc->mz[IDXP_VC_MZ_SGE_SRC]->addr;
	vc->sge_src_iova = vc->mz[IDXP_VC_MZ_SGE_SRC]->iova;
	vc->sge_dst = vc->mz[IDXP_VC_MZ_SGE_DST]->addr;
	vc->sge_dst_iova = vc->mz[IDXP_VC_MZ_SGE_DST]->iova;
	if (vc->sg_split)
		vc->sg_areas_mask = sg_areas(priv) - 1;
	return 0;
}

/*
 * MEMMOVE_SG (0x30) is the software device's own opcode: DSA defines no
 * such operation, so an OPCAP bit 0x30 on other hardware means something
 * else, never a scatter-gather copy. Elsewhere SG ops are split.
 */
static bool
sg_native(const struct idxp_priv *priv)
{
	return (priv->bus->features & IDXP_BUS_F_MODEL) &&
		idxp_dev_has_op(priv, IDXP_OP_MEMMOVE_SG);
}

/* ---- configure, vchan setup ---- */

static int
idxp_configure(struct rte_dma_dev *dev, const struct rte_dma_conf *conf,
		uint32_t conf_sz)
{
	struct idxp_priv *priv = priv_of(dev);
	uint16_t i;

	RTE_SET_USED(conf_sz);
	if (idxp_conf_silent(conf)) {
		IDXP_DEV_LOG(priv, ERR, "silent mode is not supported");
		return -EINVAL;
	}
	if (priv->wq_enabled_mask != 0) {
		IDXP_DEV_LOG(priv, ERR, "configure: a work queue did not quiesce "
				"at the last stop; stop the device again");
		return -EBUSY;
	}
	pthread_mutex_lock(&priv->ctl_lock);
	idxp_ops_configure(dev, conf);
	for (i = conf->nb_vchans; i < priv->args.max_vchans; i++)
		vchan_free(&priv->vc[i]);
	priv->nb_vchans = conf->nb_vchans;
	pthread_mutex_unlock(&priv->ctl_lock);
	return 0;
}

/* With ctl_lock held: the control thread never sees a half-built vchan. */
static int
vchan_setup_locked(struct idxp_priv *priv, struct idxp_vchan *vc,
		uint16_t vchan, uint16_t nb_desc)
{
	struct idxp_bus *bus = priv->bus;
	int ret;

	vchan_free(vc);
	/* DSA has no scatter-gather opcode: SG ops become memmoves. */
	vc->sg_split = !sg_native(priv);
	ret = vchan_alloc(priv, vc, vchan, nb_desc);
	if (ret < 0)
		return ret;
	vc->id = vchan;
	vc->nb_desc = nb_desc;
	vc->mask = nb_desc - 1;
	vc->max_ops = 0;	/* no ops before start */
	vc->max_batch = (uint16_t)RTE_MIN(priv->caps.max_batch, nb_desc);
	/* One entry stays free for the drain that arms the interrupt. */
	vc->max_posted = (uint16_t)RTE_MIN(priv->wq_size - 1, (uint32_t)UINT16_MAX);
	/* A kernel WQ that blocks on faults has the kernel resolve them. */
	vc->op_flags = IDXP_FLAG_CRAV | (priv->args.sva ||
			((bus->features & IDXP_BUS_F_KERNEL) && bus->kwq.bof) ?
			IDXP_FLAG_BOF : 0);
	vc->bus = bus;
	vc->portal_kind = bus->portal_kind;
	vc->slot_kept = (bus->features & IDXP_BUS_F_KERNEL) != 0;
	/* A kernel WQ's char device maps its one portal page. */
	vc->portal = (bus->features & IDXP_BUS_F_KERNEL) ? bus->bar2 :
		bus->bar2 + idxp_portal_offset(vchan, IDXP_PORTAL_UNLIMITED,
				IDXP_PORTAL_MSIX);
	vc->intr_fd = bus->vector_fd[1 + vchan];
	memset(&vc->stats, 0, sizeof(vc->stats));
	vc->configured = true;
	return 0;
}

static int
idxp_vchan_setup(struct rte_dma_dev *dev, uint16_t vchan,
		const struct rte_dma_vchan_conf *conf, uint32_t conf_sz)
{
	struct idxp_priv *priv = priv_of(dev);
	struct idxp_vchan *vc = &priv->vc[vchan];
	int ret;

	RTE_SET_USED(conf_sz);
	if (conf->direction != RTE_DMA_DIR_MEM_TO_MEM) {
		IDXP_DEV_LOG(priv, ERR, "vchan %u: only mem-to-mem is supported", vchan);
		return -EINVAL;
	}
	if (!rte_is_power_of_2(conf->nb_desc)) {
		IDXP_DEV_LOG(priv, ERR, "vchan %u: nb_desc %u is not a power of two",
				vchan, conf->nb_desc);
		return -EINVAL;
	}
	if (priv->wq_enabled_mask & (1u << vchan)) {
		IDXP_DEV_LOG(priv, ERR, "vchan %u: its work queue did not quiesce "
				"at the last stop; stop the device again", vchan);
		return -EBUSY;
	}
	pthread_mutex_lock(&priv->ctl_lock);
	ret = vchan_setup_locked(priv, vc, vchan, conf->nb_desc);
	pthread_mutex_unlock(&priv->ctl_lock);
	return ret;
}

/* ---- start, stop ---- */

/*
 * Fresh ring state for a vchan whose WQ was just enabled: op ids restart
 * at 0 and no record of an earlier run survives; the WQ starts empty, so
 * portal writes start at the page's first slot. With ctl_lock held, so
 * that no hand-over from the control thread is in flight.
 */
static void
vchan_reset_ring(struct idxp_vchan *vc)
{
	vc->max_ops = vc->nb_desc - 1;
	vc->write_idx = 0;
	vc->submit_idx = 0;
	vc->batch_start = 0;
	vc->read_idx = 0;
	vc->batch_write = 0;
	vc->batch_read = 0;
	if (!vc->slot_kept)
		vc->portal_slot = 0;
	vc->arm_posted = false;
	vc->armed = false;
	vc->sg_queued = 0;
	if (vc->sg_slot != NULL)
		memset(vc->sg_slot, 0, vc->nb_desc);
	vc->work = NULL;
	vc->abort_work.flags = 0;
	vc->epoch_seen = __atomic_load_n(&vc->epoch, __ATOMIC_ACQUIRE);
	memset(vc->op_comp, 0, (size_t)vc->nb_desc * sizeof(struct idxp_hw_comp));
	memset(vc->batch_comp, 0, ((size_t)vc->nb_desc + 1) * IDXP_BCOMP_STRIDE *
			sizeof(struct idxp_hw_comp));
}

/*
 * A device left halted by a failed reset gets another reset at start: the
 * cause may be gone (as after a transient error), and an application's
 * stop + start is the natural moment to try again.
 */
static int
start_unhalt(struct idxp_priv *priv)
{
	uint16_t i;
	int ret;

	if (!priv->halted)
		return 0;
	ret = idxp_dev_reset(priv);
	if (ret < 0) {
		priv->xstats.reset_failures++;
		if (!(priv->bus->features & IDXP_BUS_F_KERNEL))
			IDXP_DEV_LOG(priv, ERR, "device is halted and the reset "
					"failed again (%s)", strerror(-ret));
		return -EIO;
	}
	priv->xstats.resets++;
	/* A kernel WQ is back: the kernel enabled it afresh. */
	for (i = 0; i < priv->args.max_vchans; i++)
		priv->vc[i].portal_slot = 0;
	/* The epochs stay odd until start_locked() has the WQs enabled. */
	__atomic_store_n(&priv->halted, 0, __ATOMIC_RELEASE);
	IDXP_DEV_LOG(priv, NOTICE, "%s", (priv->bus->features & IDXP_BUS_F_KERNEL) ?
			"work queue enabled again" : "halted device reset at start");
	return 0;
}

static int
start_locked(struct idxp_priv *priv)
{
	uint16_t i;
	int ret;

	for (i = 0; i < priv->nb_vchans; i++) {
		if (!priv->vc[i].configured) {
			IDXP_DEV_LOG(priv, ERR, "start: vchan %u is not set up", i);
			return -EINVAL;
		}
	}
	ret = start_unhalt(priv);
	for (i = 0; i < priv->nb_vchans && ret == 0; i++) {
		ret = idxp_dev_wq_enable(priv, i);
		if (ret == 0) {
			vchan_reset_ring(&priv->vc[i]);
			priv->wq_enabled_mask |= 1u << i;
		}
	}
	/* Posts are allowed again (stop and a failed reset made them odd). */
	for (i = 0; i < priv->args.max_vchans && ret == 0; i++) {
		uint32_t e = __atomic_load_n(&priv->vc[i].epoch, __ATOMIC_ACQUIRE);

		if (e & 1)
			__atomic_store_n(&priv->vc[i].epoch, e + 1, __ATOMIC_RELEASE);
	}
	if (ret < 0) {
		IDXP_DEV_LOG(priv, ERR, "start failed: %s", strerror(-ret));
		/* Nothing was submitted yet: these disables drain nothing. */
		while (i-- > 0) {
			priv->vc[i].max_ops = 0;
			idxp_dev_wq_disable(priv, i, IDXP_STOP_DRAIN_MS);
		}
		priv->wq_enabled_mask = 0;
		return ret;
	}
	priv->started = true;
	return 0;
}

static int
idxp_start(struct rte_dma_dev *dev)
{
	struct idxp_priv *priv = priv_of(dev);
	int ret;

	if (priv->wq_enabled_mask != 0) {
		IDXP_DEV_LOG(priv, ERR, "start: a work queue did not quiesce at "
				"the last stop; stop the device again");
		return -EBUSY;
	}
	pthread_mutex_lock(&priv->ctl_lock);
	ret = start_locked(priv);
	pthread_mutex_unlock(&priv->ctl_lock);
	return ret;
}

/*
 * Quiesce one WQ: disable with drain, so the ops the device accepted
 * finish. Returns 0 once the device no longer touches the vchan's memory.
 */
static int
wq_quiesce(struct idxp_priv *priv, uint16_t i)
{
	int ret = idxp_dev_wq_disable(priv, i, IDXP_STOP_DRAIN_MS);

	if (ret < 0)
		IDXP_DEV_LOG(priv, ERR, "vchan %u: work queue did not quiesce (%s): "
				"its memory stays allocated", i, strerror(-ret));
	return ret;
}

/*
 * Stop: every WQ is quiesced before stop returns. Ops the device accepted
 * are finished by it; ops submitted but still waiting for room in the WQ
 * complete as NOT_ATTEMPTED. Their completions can still be read until the
 * next start, which begins a new run at op id 0. Ops enqueued but never
 * submitted are dropped.
 */
static int
idxp_stop(struct rte_dma_dev *dev)
{
	struct idxp_priv *priv = priv_of(dev);
	uint32_t mask, quiet = 0;
	uint16_t i;
	int ret = 0;

	pthread_mutex_lock(&priv->ctl_lock);
	priv->started = false;	/* a recovery from now on re-enables nothing */
	mask = priv->wq_enabled_mask;
	/* A stopped vchan takes no new ops; finished ones can still be read. */
	for (i = 0; i < priv->nb_vchans; i++)
		priv->vc[i].max_ops = 0;
	/*
	 * No post from here on (odd epochs), and none in progress: what was
	 * submitted but is still waiting for WQ room would reach a disabled
	 * WQ, so the owner completes it itself (NOT_ATTEMPTED) instead.
	 */
	idxp_vchans_quiesce(priv);
	pthread_mutex_unlock(&priv->ctl_lock);
	/* No lock while draining: the control thread may have to answer the
	 * page requests the drain depends on.
	 */
	for (i = 0; i < priv->nb_vchans; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (wq_quiesce(priv, i) == 0)
			quiet |= 1u << i;
		else
			ret = -EBUSY;
	}
	/* Event-log entries of the stopped WQs are acted on now, before a
	 * vchan_setup could put new memory where they point.
	 */
	idxp_ctrl_flush(priv);
	pthread_mutex_lock(&priv->ctl_lock);
	priv->wq_enabled_mask &= ~quiet;
	pthread_mutex_unlock(&priv->ctl_lock);
	/* Sleepers in rte_pmd_idxp_wait() return -EBUSY now. */
	idxp_intr_wake_all(priv);
	return ret;
}

/*
 * Teardown, in the order the device needs: the control thread first, then
 * the device disabled and its bus closed (the model joins its engines),
 * then the platform (IOMMU, memory events), then the memory the device
 * could still have touched.
 */
static void
priv_teardown(struct idxp_priv *priv)
{
	uint16_t i;

	idxp_ctrl_stop(priv);
	idxp_dev_fini(priv);
	if (priv->bus != NULL)
		priv->bus->ops->close(priv->bus);
	priv->bus = NULL;
	if (priv->plat_fini != NULL)
		priv->plat_fini(priv);
	priv->plat_fini = NULL;
	for (i = 0; i < priv->args.max_vchans; i++)
		vchan_free(&priv->vc[i]);
}

static int
idxp_close(struct rte_dma_dev *dev)
{
	struct idxp_priv *priv = priv_of(dev);

	idxp_devs[priv->dev_id] = NULL;
	priv_teardown(priv);
	return 0;
}

/* ---- stats, status, dump ---- */

static void
stats_add(struct rte_dma_stats *sum, const struct rte_dma_stats *s)
{
	sum->submitted += s->submitted;
	sum->completed += s->completed;
	sum->errors += s->errors;
}

static int
idxp_stats_get(const struct rte_dma_dev *dev, uint16_t vchan,
		struct rte_dma_stats *stats, uint32_t stats_sz)
{
	struct idxp_priv *priv = priv_of(dev);
	uint16_t i;

	RTE_SET_USED(stats_sz);
	memset(stats, 0, sizeof(*stats));
	for (i = 0; i < priv->nb_vchans; i++)
		if (vchan == RTE_DMA_ALL_VCHAN || vchan == i)
			stats_add(stats, &priv->vc[i].stats);
	return 0;
}

static int
idxp_stats_reset(struct rte_dma_dev *dev, uint16_t vchan)
{
	struct idxp_priv *priv = priv_of(dev);
	uint16_t i;

	for (i = 0; i < priv->nb_vchans; i++)
		if (vchan == RTE_DMA_ALL_VCHAN || vchan == i)
			memset(&priv->vc[i].stats, 0, sizeof(priv->vc[i].stats));
	return 0;
}

static int
idxp_vchan_status(const struct rte_dma_dev *dev, uint16_t vchan,
		enum rte_dma_vchan_status *status)
{
	struct idxp_priv *priv = priv_of(dev);
	struct idxp_vchan *vc;

	/* dmadev checks neither the pointer nor our own vchan count. */
	if (status == NULL || vchan >= priv->nb_vchans)
		return -EINVAL;
	vc = &priv->vc[vchan];
	if (priv->halted || idxp_dev_state(priv) == IDXP_GENSTS_HALT)
		*status = RTE_DMA_VCHAN_HALTED_ERROR;
	else if (!priv->started || !vc->configured || idxp_vchan_idle(vc))
		*status = RTE_DMA_VCHAN_IDLE;
	else
		*status = RTE_DMA_VCHAN_ACTIVE;
	return 0;
}

static const char *
state_name(uint32_t s)
{
	return s == IDXP_GENSTS_ENABLED ? "enabled" :
		s == IDXP_GENSTS_HALT ? "halted" :
		s == IDXP_GENSTS_DRAIN ? "draining" : "disabled";
}

static void
dump_vchan(const struct idxp_vchan *vc, FILE *f)
{
	fprintf(f, "  vchan %u: nb_desc %u write %u submit %u posted %u read %u "
			"batches %u..%u portal slot %u epoch %u\n", vc->id, vc->nb_desc,
			vc->write_idx, vc->submit_idx, vc->batch_start, vc->read_idx,
			vc->batch_read, vc->batch_write, vc->portal_slot, vc->epoch);
	fprintf(f, "    submitted %" PRIu64 " completed %" PRIu64 " errors %" PRIu64
			" faults %" PRIu64 " aborted %" PRIu64 " sleeps %" PRIu64 "\n",
			vc->stats.submitted, vc->stats.completed, vc->stats.errors,
			vc->faults, vc->aborted, vc->wait_sleeps);
}

static int
idxp_dump(const struct rte_dma_dev *dev, FILE *f)
{
	struct idxp_priv *priv = priv_of(dev);
	struct rte_pmd_idxp_stats st;
	uint32_t i;

	fprintf(f, "idxp %s: %s, DSA %u.%u, state %s, %u WQs of %u entries, "
			"%u engine(s)", priv->name,
			(priv->bus->features & IDXP_BUS_F_KERNEL) ? "kernel work queue" :
			(priv->bus->features & IDXP_BUS_F_MODEL) ? "software device" :
			"hardware", (unsigned int)idxp_field_get(priv->caps.version,
				IDXP_VERSION_MAJOR_MASK),
			(unsigned int)idxp_field_get(priv->caps.version,
				IDXP_VERSION_MINOR_MASK),
			state_name(idxp_dev_state(priv)), priv->args.max_vchans,
			priv->wq_size, priv->caps.nb_engines);
	if (priv->bus->features & IDXP_BUS_F_MODEL) {
		fprintf(f, " on cpu");
		for (i = 0; i < priv->args.nb_cpus; i++)
			fprintf(f, " %d", priv->args.cpus[i]);
	}
	fprintf(f, ", socket %d, sva %s, poll_us %u, spin_us %d\n",
			priv->bus->numa_node, priv->args.sva ? "on" : "off",
			priv->args.poll_us, (int)priv->args.spin_us);
	for (i = 0; i < priv->nb_vchans; i++)
		if (priv->vc[i].configured)
			dump_vchan(&priv->vc[i], f);
	if (rte_pmd_idxp_stats_get(priv->dev_id, &st) == 0)
		fprintf(f, "  faults %" PRIu64 " page_requests %" PRIu64
				" page_responses %" PRIu64 " evl_entries %" PRIu64
				" evl_overflows %" PRIu64 " cr_faults %" PRIu64
				" halts %" PRIu64 " resets %" PRIu64
				" misc_intr %" PRIu64 " wq_intr %" PRIu64
				" wakeups %" PRIu64 " engine_sleeps %" PRIu64 "\n",
				st.faults, st.page_requests, st.page_responses,
				st.evl_entries, st.evl_overflows, st.cr_faults,
				st.halts, st.resets, st.misc_interrupts,
				st.wq_interrupts, st.wakeups, st.engine_sleeps);
	return 0;
}

static const struct rte_dma_dev_ops idxp_ops = {
	.dev_info_get = idxp_info_get,
	.dev_configure = idxp_configure,
	.dev_start = idxp_start,
	.dev_stop = idxp_stop,
	.dev_close = idxp_close,
	.vchan_setup = idxp_vchan_setup,
	.stats_get = idxp_stats_get,
	.stats_reset = idxp_stats_reset,
	.vchan_status = idxp_vchan_status,
	.dev_dump = idxp_dump,
};

/* ---- lookup for the public API ---- */

struct idxp_priv *
idxp_priv_get(int16_t dev_id)
{
	if (dev_id < 0 || dev_id >= IDXP_MAX_DEV_ID || !rte_dma_is_valid(dev_id))
		return NULL;
	return idxp_devs[dev_id];
}

int
idxp_vchan_get(int16_t dev_id, uint16_t vchan, struct idxp_priv **priv,
		struct idxp_vchan **vc)
{
	struct idxp_priv *p = idxp_priv_get(dev_id);

	if (p == NULL)
		return -ENODEV;
	if (vchan >= p->nb_vchans || !p->vc[vchan].configured)
		return -EINVAL;
	*priv = p;
	*vc = &p->vc[vchan];
	return 0;
}

/* ---- probe of a device a platform found ---- */

bool idxp_asym_fences;
static pthread_once_t fence_once = PTHREAD_ONCE_INIT;

/* Decided at the first probe, before any vchan exists, and never changed. */
static void
fence_setup(void)
{
	idxp_asym_fences = idxp_fence_asym_setup();
	IDXP_LOG(DEBUG, "recovery handshake: %s", idxp_asym_fences ?
			"membarrier, no fence per submit" : "a fence per submit");
}

static void
priv_init(struct idxp_priv *priv, const char *name, int16_t dev_id,
		struct idxp_bus *bus, const struct idxp_devargs *args)
{
	uint16_t i;

	snprintf(priv->name, sizeof(priv->name), "%s", name);
	priv->args = *args;
	priv->bus = bus;
	priv->dev_id = dev_id;
	priv->ctrl_stop_fd = -1;
	priv->poll_cycles = rte_get_timer_hz() / 1000000 * args->poll_us;
	rte_spinlock_init(&priv->ev_lock);
	pthread_mutex_init(&priv->ctl_lock, NULL);
	pthread_mutex_init(&priv->evl_lock, NULL);
	pthread_mutex_init(&priv->cmd_lock, NULL);
	for (i = 0; i < IDXP_HW_MAX_WQS; i++)
		priv->vc[i].intr_fd = -1;
}

static uint64_t
dev_capa(const struct idxp_priv *priv)
{
	return RTE_DMA_CAPA_MEM_TO_MEM | RTE_DMA_CAPA_OPS_COPY |
		RTE_DMA_CAPA_OPS_FILL | RTE_DMA_CAPA_HANDLES_ERRORS |
		RTE_DMA_CAPA_OPS_COPY_SG |
		(priv->args.sva ? RTE_DMA_CAPA_SVA : 0) |
		(priv->args.enq_deq ? IDXP_CAPA_OPS_ENQ_DEQ : 0);
}

/*
 * A dmadev for the device behind @bus: program it through its registers,
 * start the control thread, publish the fast path. On failure nothing of
 * it is left, and the bus is still the caller's to close.
 */
int
idxp_probe_bus(const char *name, struct idxp_bus *bus,
		const struct idxp_devargs *args, struct rte_device *rdev)
{
	struct rte_dma_dev *dev;
	struct idxp_priv *priv;
	int ret;

	pthread_once(&fence_once, fence_setup);
	dev = rte_dma_pmd_allocate(name, bus->numa_node,
			sizeof(*priv) + IDXP_HW_MAX_WQS * sizeof(struct idxp_vchan));
	if (dev == NULL) {
		IDXP_LOG(ERR, "%s: cannot allocate dmadev", name);
		return -ENOMEM;
	}
	if (dev->data->dev_id >= IDXP_MAX_DEV_ID) {
		IDXP_LOG(ERR, "%s: dmadev id %d too large", name, dev->data->dev_id);
		rte_dma_pmd_release(name);
		return -ENOSPC;
	}
	priv = dev->data->dev_private;
	priv_init(priv, name, dev->data->dev_id, bus, args);
	ret = idxp_dev_init(priv);
	if (ret == 0)
		ret = idxp_ctrl_start(priv);
	if (ret < 0) {
		IDXP_LOG(ERR, "%s: cannot bring the device up: %s", name, strerror(-ret));
		idxp_ctrl_stop(priv);
		idxp_dev_fini(priv);
		priv->bus = NULL;
		rte_dma_pmd_release(name);
		return ret;
	}
	priv->dev_capa = dev_capa(priv);
	priv->rdev = rdev;
	dev->device = rdev;
	dev->dev_ops = &idxp_ops;
	dev->data->numa_node = (int16_t)bus->numa_node;
	idxp_fastpath_set(dev);
	idxp_devs[priv->dev_id] = priv;
	dev->state = RTE_DMA_DEV_READY;
	return priv->dev_id;
}

/* Whether some idxp dmadev came from @rdev. */
bool
idxp_device_probed(const struct rte_device *rdev)
{
	unsigned int i;

	for (i = 0; i < IDXP_MAX_DEV_ID; i++)
		if (idxp_devs[i] != NULL && idxp_devs[i]->rdev == rdev)
			return true;
	return false;
}

/* Every idxp dmadev of @rdev (a vdev with wq=auto has several). */
int
idxp_remove_device(const struct rte_device *rdev)
{
	char name[RTE_DEV_NAME_MAX_LEN];
	unsigned int i;
	int ret = 0;

	/* idxp_remove() clears the entry (close): each is seen once. */
	for (i = 0; i < IDXP_MAX_DEV_ID; i++) {
		const struct idxp_priv *p = idxp_devs[i];

		if (p == NULL || p->rdev != rdev)
			continue;
		snprintf(name, sizeof(name), "%s", p->name);
		if (idxp_remove(name) < 0)
			ret = -EBUSY;
	}
	return ret;
}

/* A platform's remove: stop if started, then release (which closes). */
int
idxp_remove(const char *name)
{
	int id = rte_dma_get_dev_id_by_name(name);
	struct idxp_priv *priv;

	if (id < 0)
		return 0;	/* already closed by the application */
	priv = idxp_priv_get((int16_t)id);
	if (priv != NULL && priv->started)
		rte_dma_stop((int16_t)id);
	return rte_dma_pmd_release(name);
}
