/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/* Control path of the idxp PMD: probe, devargs, dmadev ops. */

#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <numa.h>

#include <bus_vdev_driver.h>
#include <rte_dmadev_pmd.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_kvargs.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memzone.h>
#include <rte_errno.h>

#include "idxp_internal.h"

RTE_LOG_REGISTER(idxp_logtype, pmd.dma.idxp, INFO);

#define ARG_CORE	"core"
#define ARG_ENGINES	"engines"
#define ARG_VCHANS	"vchans"
#define ARG_POLL_US	"poll_us"
#define ARG_SPIN_US	"spin_us"
#define ARG_IDLE	"idle"
#define ARG_SVA		"sva"
#define ARG_EVL_SIZE	"evl_size"
#define ARG_INJECT	"inject"
#define ARG_ENQ_DEQ	"enq_deq"

static const char *const idxp_valid_args[] = {
	ARG_CORE, ARG_ENGINES, ARG_VCHANS, ARG_POLL_US, ARG_SPIN_US, ARG_IDLE,
	ARG_SVA, ARG_EVL_SIZE, ARG_INJECT, ARG_ENQ_DEQ, NULL
};

#define IDLE_SPIN_FOREVER	UINT32_MAX

/* Parse a whole decimal number in [min, max]. */
static int
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s == '\0' || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int
arg_u32(const char *key, const char *value, uint32_t min, uint32_t max,
		uint32_t *out)
{
	if (parse_u32(value, min, max, out) != 0) {
		IDXP_LOG(ERR, "devarg %s=%s: expected a number in [%u, %u]",
				key, value ? value : "", min, max);
		return -EINVAL;
	}
	return 0;
}

/* Online and in the process's allowed set (libnuma reads it at load,
 * before the EAL pins the main thread).
 */
static bool
cpu_usable(uint32_t cpu)
{
	if (numa_available() < 0)
		return cpu < (uint32_t)sysconf(_SC_NPROCESSORS_ONLN);
	return numa_bitmask_isbitset(numa_all_cpus_ptr, cpu) != 0;
}

/* core=N, core=A-B or core=A:B:C (engine i runs on the i-th cpu). */
static int
cb_core(const char *key, const char *value, void *opaque)
{
	struct idxp_devargs *a = opaque;
	char buf[128], *tok, *save = NULL;
	uint32_t lo, hi, c;

	if (value == NULL || strlen(value) >= sizeof(buf))
		goto bad;
	snprintf(buf, sizeof(buf), "%s", value);
	a->nb_cpus = 0;
	for (tok = strtok_r(buf, ":[]", &save); tok != NULL;
			tok = strtok_r(NULL, ":[]", &save)) {
		char *dash = strchr(tok, '-');

		if (dash != NULL)
			*dash = '\0';
		if (parse_u32(tok, 0, CPU_SETSIZE - 1, &lo) != 0 ||
				parse_u32(dash ? dash + 1 : tok, lo, CPU_SETSIZE - 1,
					&hi) != 0)
			goto bad;
		for (c = lo; c <= hi; c++) {
			if (!cpu_usable(c)) {
				IDXP_LOG(ERR, "devarg %s=%s: cpu %u is not online or not "
						"allowed for this process", key, value, c);
				return -EINVAL;
			}
		}
		for (c = lo; c <= hi; c++) {
			if (a->nb_cpus == IDXP_HW_MAX_ENGINES)
				goto bad;
			a->cpus[a->nb_cpus++] = (int)c;
		}
	}
	if (a->nb_cpus == 0)
		goto bad;
	return 0;
bad:
	IDXP_LOG(ERR, "devarg %s=%s: expected cpu ids, e.g. 3, 2-5 or 1:3",
			key, value ? value : "");
	return -EINVAL;
}

static int
cb_u32(const char *key, const char *value, void *opaque)
{
	struct idxp_devargs *a = opaque;

	if (strcmp(key, ARG_ENGINES) == 0)
		return arg_u32(key, value, 1, IDXP_HW_MAX_ENGINES, &a->engines);
	if (strcmp(key, ARG_VCHANS) == 0)
		return arg_u32(key, value, 1, IDXP_HW_MAX_WQS, &a->max_vchans);
	if (strcmp(key, ARG_POLL_US) == 0)
		return arg_u32(key, value, 0, 10000000, &a->poll_us);
	if (strcmp(key, ARG_SPIN_US) == 0)
		return arg_u32(key, value, 0, 10000000, &a->spin_us);
	if (strcmp(key, ARG_ENQ_DEQ) == 0)
		return arg_u32(key, value, 0, 1, &a->enq_deq);
	if (strcmp(key, ARG_EVL_SIZE) == 0) {
		if (arg_u32(key, value, 4, 65536, &a->evl_size) != 0)
			return -EINVAL;
		if (!rte_is_power_of_2(a->evl_size)) {
			IDXP_LOG(ERR, "devarg %s=%s: must be a power of two", key, value);
			return -EINVAL;
		}
		return 0;
	}
	return -EINVAL;
}

static int
cb_sva(const char *key, const char *value, void *opaque)
{
	uint32_t v;

	if (arg_u32(key, value, 0, 1, &v) != 0)
		return -EINVAL;
	((struct idxp_devargs *)opaque)->sva = v != 0;
	return 0;
}

static int
cb_idle(const char *key, const char *value, void *opaque)
{
	struct idxp_devargs *a = opaque;

	if (value != NULL && strcmp(value, "spin") == 0) {
		a->spin_us = IDLE_SPIN_FOREVER;
		return 0;
	}
	if (value != NULL && strcmp(value, "sleep") == 0)
		return 0;
	IDXP_LOG(ERR, "devarg %s=%s: expected sleep or spin", key, value ? value : "");
	return -EINVAL;
}

/* inject=kind:count, may be repeated. */
static int
cb_inject(const char *key, const char *value, void *opaque)
{
	struct idxp_devargs *a = opaque;
	enum rte_pmd_idxp_fault kind;
	char buf[32], *colon;
	uint32_t count = 1;

	if (value == NULL || strlen(value) >= sizeof(buf))
		goto bad;
	snprintf(buf, sizeof(buf), "%s", value);
	colon = strchr(buf, ':');
	if (colon != NULL) {
		*colon = '\0';
		if (parse_u32(colon + 1, 1, UINT32_MAX, &count) != 0)
			goto bad;
	}
	if (rte_pmd_idxp_fault_from_str(buf, &kind) != 0)
		goto bad;
	a->inject[kind] += count;
	return 0;
bad:
	IDXP_LOG(ERR, "devarg %s=%s: expected src|dst|comp|page_req|halt|reset_fail[:count]",
			key, value ? value : "");
	return -EINVAL;
}

static void
devargs_defaults(struct idxp_devargs *a)
{
	memset(a, 0, sizeof(*a));
	a->engines = 1;
	a->max_vchans = IDXP_DEFAULT_VCHANS;
	a->poll_us = 20;
	a->spin_us = 200;
	a->evl_size = 256;
	a->enq_deq = 1;
}

static int
devargs_parse(const char *params, struct idxp_devargs *a)
{
	static const struct {
		const char *key;
		arg_handler_t fn;
	} h[] = {
		{ ARG_CORE, cb_core }, { ARG_ENGINES, cb_u32 },
		{ ARG_VCHANS, cb_u32 }, { ARG_POLL_US, cb_u32 },
		{ ARG_SPIN_US, cb_u32 }, { ARG_EVL_SIZE, cb_u32 },
		{ ARG_IDLE, cb_idle }, { ARG_SVA, cb_sva },
		{ ARG_INJECT, cb_inject }, { ARG_ENQ_DEQ, cb_u32 },
	};
	struct rte_kvargs *kv;
	unsigned int i;
	int ret = 0;

	devargs_defaults(a);
	if (params == NULL || params[0] == '\0')
		return 0;
	kv = rte_kvargs_parse(params, idxp_valid_args);
	if (kv == NULL) {
		IDXP_LOG(ERR, "invalid devargs \"%s\": unknown key or bad syntax; valid keys: "
				"core engines vchans poll_us spin_us idle sva evl_size inject enq_deq",
				params);
		return -EINVAL;
	}
	/* spin_us before idle so that idle=spin wins. */
	for (i = 0; i < RTE_DIM(h) && ret == 0; i++)
		ret = rte_kvargs_process(kv, h[i].key, h[i].fn, a);
	rte_kvargs_free(kv);
	return ret;
}

static bool
cpu_used_by_lcore(unsigned int cpu)
{
	unsigned int l;

	RTE_LCORE_FOREACH(l) {
		rte_cpuset_t s = rte_lcore_cpuset(l);

		if (CPU_ISSET(cpu, &s))
			return true;
	}
	return false;
}

/* Default engine cores: free cores from the top, else the last core. */
static void
pick_cpus(struct idxp_devargs *a)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long c;

	if (a->nb_cpus > 0)
		return;
	for (c = ncpu - 1; c >= 0 && a->nb_cpus < a->engines; c--)
		if (!cpu_used_by_lcore((unsigned int)c) && cpu_usable((uint32_t)c))
			a->cpus[a->nb_cpus++] = (int)c;
	if (a->nb_cpus == 0)
		a->cpus[a->nb_cpus++] = (int)(ncpu - 1);
}

static int
cpu_socket(int cpu)
{
	int node = numa_available() < 0 ? 0 : numa_node_of_cpu(cpu);

	unsigned int i;

	/* Use the node only if DPDK has memory there. */
	for (i = 0; i < rte_socket_count(); i++)
		if (rte_socket_id_by_idx(i) == node)
			return node;
	return SOCKET_ID_ANY;
}

/* ---- dmadev ops ---- */

/* idxp devices by dmadev id: dmadev keeps its device table private. */
static struct idxp_priv *idxp_devs[IDXP_MAX_DEV_ID];


static struct idxp_priv *
priv_of(const struct rte_dma_dev *dev)
{
	return dev->data->dev_private;
}

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
	info->max_sges = IDXP_HW_MAX_SGE;
	info->nb_vchans = priv->nb_vchans;
	return 0;
}

/* Device-visible arrays of a vchan, bytes per descriptor slot. */
static const struct {
	const char *tag;
	size_t per_slot;
} vc_mz_layout[IDXP_VC_MZ_MAX] = {
	[IDXP_VC_MZ_DESC] = { "desc", sizeof(struct idxp_hw_desc) },
	[IDXP_VC_MZ_OP_COMP] = { "opc", sizeof(struct idxp_hw_comp) },
	[IDXP_VC_MZ_BATCH_COMP] = { "bc",
		IDXP_BCOMP_STRIDE * sizeof(struct idxp_hw_comp) },
	[IDXP_VC_MZ_SGE_SRC] = { "sgs", IDXP_HW_MAX_SGE * sizeof(struct idxp_hw_sge) },
	[IDXP_VC_MZ_SGE_DST] = { "sgd", IDXP_HW_MAX_SGE * sizeof(struct idxp_hw_sge) },
};

static void
vchan_free(struct idxp_vchan *vc)
{
	unsigned int i;

	for (i = 0; i < IDXP_VC_MZ_MAX; i++) {
		rte_memzone_free(vc->mz[i]);
		vc->mz[i] = NULL;
	}
	rte_free(vc->batch);
	rte_free(vc->cr_lost);
	vc->cr_lost = NULL;
	idxp_ops_vchan_free(vc);
	/* An empty ring: a stale vchan refuses ops with -ENOSPC. */
	vc->max_ops = 0;
	vc->mask = 0;
	vc->write_idx = 0;
	vc->read_idx = 0;
	vc->batch_start = 0;
	vc->batch_read = 0;
	vc->batch_write = 0;
	vc->desc = NULL;
	vc->op_comp = NULL;
	vc->batch_comp = NULL;
	vc->sge_src = NULL;
	vc->sge_dst = NULL;
	vc->batch = NULL;
	vc->configured = false;
}

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

static void *
zalloc(struct idxp_priv *priv, const char *what, size_t sz)
{
	return rte_zmalloc_socket(what, sz, RTE_CACHE_LINE_SIZE,
			priv->regs->socket);
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
	size_t sz = (size_t)n * vc_mz_layout[i].per_slot;
	const struct rte_memzone *mz;

	snprintf(name, sizeof(name), "idxp%d_v%u_%s", priv->dev_id, vchan,
			vc_mz_layout[i].tag);
	mz = rte_memzone_reserve_aligned(name, sz, priv->regs->socket,
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
		if (vchan_mz_reserve(priv, vc, vchan, i, n) < 0) {
			vchan_free(vc);
			return -ENOMEM;
		}
	}
	vc->batch = zalloc(priv, "idxp_batch", (size_t)n * sizeof(struct idxp_batch));
	vc->cr_lost = zalloc(priv, "idxp_crlost", n);
	if (vc->batch == NULL || vc->cr_lost == NULL ||
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
	vc->sge_src = vc->mz[IDXP_VC_MZ_SGE_SRC]->addr;
	vc->sge_src_iova = vc->mz[IDXP_VC_MZ_SGE_SRC]->iova;
	vc->sge_dst = vc->mz[IDXP_VC_MZ_SGE_DST]->addr;
	vc->sge_dst_iova = vc->mz[IDXP_VC_MZ_SGE_DST]->iova;
	return 0;
}

static int vchan_setup_locked(struct idxp_priv *priv, struct idxp_vchan *vc,
		uint16_t vchan, uint16_t nb_desc);

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

/* With ctl_lock held: the control thread never sees a half-built vchan. */
static int
vchan_setup_locked(struct idxp_priv *priv, struct idxp_vchan *vc,
		uint16_t vchan, uint16_t nb_desc)
{
	int ret;

	vchan_free(vc);
	ret = vchan_alloc(priv, vc, vchan, nb_desc);
	if (ret < 0)
		return ret;
	vc->id = vchan;
	vc->nb_desc = nb_desc;
	vc->mask = nb_desc - 1;
	vc->max_ops = 0;	/* no ops before start */
	vc->max_batch = (uint16_t)RTE_MIN(priv->regs->max_batch, nb_desc);
	vc->op_flags = IDXP_FLAG_CRAV | (priv->args.sva ? IDXP_FLAG_BOF : 0);
	vc->wq = &priv->regs->wq[vchan];
	vc->intr_fd = priv->regs->intr_fd[vc->wq->intr_handle];
	vc->dev_state = &priv->regs->state;
	vc->wq->cfg_size = nb_desc;
	memset(&vc->stats, 0, sizeof(vc->stats));
	vc->configured = true;
	return 0;
}

/*
 * Fresh ring state for a vchan whose WQ was just enabled: op ids restart
 * at 0 and no record of an earlier run survives. With ctl_lock held, so
 * that no hand-over from the control thread is in flight.
 */
static void
vchan_reset_ring(struct idxp_vchan *vc)
{
	vc->max_ops = vc->nb_desc - 1;
	vc->write_idx = 0;
	vc->batch_start = 0;
	vc->read_idx = 0;
	vc->batch_write = 0;
	vc->batch_read = 0;
	vc->work = NULL;
	vc->abort_work.flags = 0;
	vc->cr_work.flags = 0;
	vc->abort_pending = 0;
	memset(vc->op_comp, 0, (size_t)vc->nb_desc * sizeof(struct idxp_hw_comp));
	memset(vc->batch_comp, 0, (size_t)vc->nb_desc * IDXP_BCOMP_STRIDE *
			sizeof(struct idxp_hw_comp));
	memset(vc->cr_lost, 0, vc->nb_desc);
	vc->portal = vc->wq->portal;
	vc->portal_mask = vc->wq->cfg_size - 1;
	vc->portal_tail = vc->portal->tail;
	vc->doorbell = vc->wq->doorbell;
}

/*
 * A device left halted by a failed reset gets another reset at start: the
 * cause may be gone (as after a transient error), and an application's
 * stop + start is the natural moment to try again.
 */
static int
start_unhalt(struct idxp_priv *priv)
{
	int ret;

	if (!priv->halted)
		return 0;
	ret = idxp_hw_cmd(priv->regs, IDXP_CMD_RESET, 0);
	if (ret < 0) {
		priv->xstats.reset_failures++;
		IDXP_DEV_LOG(priv, ERR, "device is halted and the reset failed "
				"again (%s)", strerror(-ret));
		return -EIO;
	}
	priv->xstats.resets++;
	__atomic_store_n(&priv->halted, 0, __ATOMIC_RELEASE);
	IDXP_DEV_LOG(priv, NOTICE, "halted device reset at start");
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
	if (ret == 0)
		ret = idxp_hw_cmd(priv->regs, IDXP_CMD_ENABLE, 0);
	for (i = 0; i < priv->nb_vchans && ret == 0; i++) {
		ret = idxp_hw_cmd(priv->regs, IDXP_CMD_ENABLE_WQ, i);
		if (ret == 0) {
			vchan_reset_ring(&priv->vc[i]);
			priv->wq_enabled_mask |= 1u << i;
		}
	}
	if (ret < 0) {
		IDXP_DEV_LOG(priv, ERR, "start failed: %s", strerror(-ret));
		/* Nothing was submitted yet: these disables drain nothing. */
		while (i-- > 0) {
			priv->vc[i].max_ops = 0;
			idxp_hw_cmd(priv->regs, IDXP_CMD_DISABLE_WQ, i);
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
 * finish; if that outlasts the device's drain deadline, abort. Returns 0
 * once the device no longer touches the vchan's memory.
 */
static int
wq_quiesce(struct idxp_priv *priv, uint16_t i)
{
	int ret = idxp_hw_cmd(priv->regs, IDXP_CMD_DISABLE_WQ, i);

	if (ret == -ETIMEDOUT) {
		IDXP_DEV_LOG(priv, WARNING, "vchan %u: drain took over %u ms, "
				"aborting its work queue", i, IDXP_HW_DRAIN_MS);
		ret = idxp_hw_cmd(priv->regs, IDXP_CMD_ABORT_WQ, i);
	}
	if (ret < 0)
		IDXP_DEV_LOG(priv, ERR, "vchan %u: work queue did not quiesce (%s): "
				"its memory stays allocated", i, strerror(-ret));
	return ret;
}

/*
 * Stop: every WQ is quiesced before stop returns. Ops submitted before stop
 * are finished by the device (or aborted, see wq_quiesce()); their
 * completions can still be read until the next start, which begins a new
 * run at op id 0. Ops enqueued but never submitted are dropped.
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

static void
priv_teardown(struct idxp_priv *priv)
{
	uint16_t i;

	/* Order: the control thread first, then the device it services. */
	idxp_ctrl_stop(priv);
	idxp_memmap_fini(priv);
	idxp_sw_dev_destroy(priv->regs);
	priv->regs = NULL;
	idxp_iommu_fini(&priv->mmu);
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
	struct idxp_vchan *vc = &priv->vc[vchan];

	if (priv->regs->state == IDXP_DEV_HALTED || priv->halted)
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
	return s == IDXP_DEV_ENABLED ? "enabled" :
		s == IDXP_DEV_HALTED ? "halted" : "disabled";
}

static void
dump_vchan(const struct idxp_vchan *vc, FILE *f)
{
	fprintf(f, "  vchan %u: nb_desc %u write %u submit %u read %u batches %u..%u "
			"portal tail %u head %u\n", vc->id, vc->nb_desc, vc->write_idx,
			vc->batch_start, vc->read_idx, vc->batch_read, vc->batch_write,
			vc->portal ? vc->portal->tail : 0, vc->portal ? vc->portal->head : 0);
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

	fprintf(f, "idxp %s: software DSA device, state %s, %u engine(s) on cpu",
			priv->name, state_name(priv->regs->state), priv->regs->nb_engines);
	for (i = 0; i < priv->args.nb_cpus; i++)
		fprintf(f, " %d", priv->args.cpus[i]);
	fprintf(f, ", socket %d, sva %s, poll_us %u, spin_us %d\n",
			priv->regs->socket, priv->args.sva ? "on" : "off",
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

/* ---- vdev probe/remove ---- */

static int
device_create(struct idxp_priv *priv)
{
	struct idxp_sw_cfg cfg = {
		.name = priv->name,
		.socket = cpu_socket(priv->args.cpus[0]),
		.nb_wqs = priv->args.max_vchans,
		.nb_engines = priv->args.engines,
		.spin_us = priv->args.spin_us,
		.evl_size = priv->args.evl_size,
	};
	uint32_t i;
	int ret;

	for (i = 0; i < cfg.nb_engines; i++)
		cfg.cpus[i] = priv->args.cpus[i % priv->args.nb_cpus];
	ret = idxp_iommu_init(&priv->mmu, cfg.nb_engines, cfg.socket);
	if (ret < 0)
		return ret;
	priv->regs = idxp_sw_dev_create(&cfg, &priv->mmu);
	if (priv->regs == NULL) {
		idxp_iommu_fini(&priv->mmu);
		return -ENOMEM;
	}
	return 0;
}

static void
inject_from_devargs(struct idxp_priv *priv)
{
	unsigned int k;

	for (k = 0; k < RTE_PMD_IDXP_FAULT_MAX; k++) {
		uint32_t v;

		if (priv->args.inject[k] == 0)
			continue;
		if (k == RTE_PMD_IDXP_FAULT_HALT) {
			priv->regs->inject_halt = 1;
			continue;
		}
		if (k == RTE_PMD_IDXP_FAULT_RESET_FAIL) {
			priv->regs->inject_reset_fail = 1;
			continue;
		}
		for (v = 0; v < priv->args.max_vchans; v++)
			priv->regs->wq[v].inject[k] += priv->args.inject[k];
	}
}

static int
idxp_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct idxp_devargs args;
	struct rte_dma_dev *dev;
	struct idxp_priv *priv;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		IDXP_LOG(ERR, "%s: secondary processes are not supported", name);
		return -ENOTSUP;
	}
	ret = devargs_parse(rte_vdev_device_args(vdev), &args);
	if (ret < 0) {
		IDXP_LOG(ERR, "%s: probe failed, bad devargs", name);
		return ret;
	}
	pick_cpus(&args);
	if (args.engines > args.nb_cpus)
		IDXP_LOG(WARNING, "%s: %u engines share %u cpus", name,
				args.engines, args.nb_cpus);
	dev = rte_dma_pmd_allocate(name, cpu_socket(args.cpus[0]),
			sizeof(*priv) + IDXP_HW_MAX_WQS * sizeof(struct idxp_vchan));
	if (dev == NULL) {
		IDXP_LOG(ERR, "%s: cannot allocate dmadev", name);
		return -ENOMEM;
	}
	priv = dev->data->dev_private;
	if (dev->data->dev_id >= IDXP_MAX_DEV_ID) {
		IDXP_LOG(ERR, "%s: dmadev id %d too large", name, dev->data->dev_id);
		rte_dma_pmd_release(name);
		return -ENOSPC;
	}
	snprintf(priv->name, sizeof(priv->name), "%s", name);
	priv->args = args;
	priv->poll_cycles = rte_get_timer_hz() / 1000000 * args.poll_us;
	priv->dev_id = dev->data->dev_id;
	priv->dev_capa = RTE_DMA_CAPA_MEM_TO_MEM | RTE_DMA_CAPA_OPS_COPY |
		RTE_DMA_CAPA_OPS_COPY_SG | RTE_DMA_CAPA_OPS_FILL |
		RTE_DMA_CAPA_HANDLES_ERRORS | (args.sva ? RTE_DMA_CAPA_SVA : 0) |
		(args.enq_deq ? IDXP_CAPA_OPS_ENQ_DEQ : 0);
	rte_spinlock_init(&priv->ev_lock);
	pthread_mutex_init(&priv->ctl_lock, NULL);
	pthread_mutex_init(&priv->evl_lock, NULL);
	ret = device_create(priv);
	if (ret == 0) {
		ret = idxp_memmap_init(priv);
		if (ret == 0)
			ret = idxp_ctrl_start(priv);
		if (ret < 0) {
			idxp_memmap_fini(priv);
			idxp_sw_dev_destroy(priv->regs);
			idxp_iommu_fini(&priv->mmu);
		}
	}
	if (ret < 0) {
		IDXP_LOG(ERR, "%s: cannot create the software device: %s", name,
				strerror(-ret));
		rte_dma_pmd_release(name);
		return ret;
	}
	inject_from_devargs(priv);
	/* dmadev reports the rte_device's node in rte_dma_info. */
	vdev->device.numa_node = priv->regs->socket;
	dev->device = &vdev->device;
	dev->dev_ops = &idxp_ops;
	dev->data->numa_node = (int16_t)priv->regs->socket;
	idxp_fastpath_set(dev);
	idxp_devs[priv->dev_id] = priv;
	dev->state = RTE_DMA_DEV_READY;
	IDXP_LOG(INFO, "%s: %u engine(s), first on cpu %d, %u vchans, socket %d",
			name, args.engines, args.cpus[0], args.max_vchans,
			priv->regs->socket);
	return 0;
}

static int
idxp_remove(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	int id = rte_dma_get_dev_id_by_name(name);

	if (id < 0)
		return 0;	/* already closed by the application */
	if (idxp_priv_get((int16_t)id) != NULL && idxp_priv_get((int16_t)id)->started)
		rte_dma_stop((int16_t)id);
	return rte_dma_pmd_release(name);
}

static int
idxp_dma_map(struct rte_vdev_device *vdev, void *addr, uint64_t iova, size_t len)
{
	int id = rte_dma_get_dev_id_by_name(rte_vdev_device_name(vdev));
	struct idxp_priv *priv = id < 0 ? NULL : idxp_priv_get((int16_t)id);

	if (priv == NULL)
		return -ENODEV;
	return idxp_iommu_map(&priv->mmu, addr, iova, len, IDXP_IOMMU_RW,
			IDXP_MAP_USER);
}

static int
idxp_dma_unmap(struct rte_vdev_device *vdev, void *addr, uint64_t iova, size_t len)
{
	int id = rte_dma_get_dev_id_by_name(rte_vdev_device_name(vdev));
	struct idxp_priv *priv = id < 0 ? NULL : idxp_priv_get((int16_t)id);

	RTE_SET_USED(addr);
	if (priv == NULL)
		return -ENODEV;
	/* Only what rte_dev_dma_map() added: DPDK's own memory stays. */
	return idxp_iommu_unmap_origin_range(&priv->mmu, iova, len, IDXP_MAP_USER);
}

static struct rte_vdev_driver idxp_vdev_driver = {
	.probe = idxp_probe,
	.remove = idxp_remove,
	.dma_map = idxp_dma_map,
	.dma_unmap = idxp_dma_unmap,
};

RTE_PMD_REGISTER_VDEV(dma_idxp, idxp_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(dma_idxp,
	"core=<cpu|a-b|a:b:..> "
	"engines=<1-16> "
	"vchans=<1-16> "
	"poll_us=<us> "
	"spin_us=<us> "
	"idle=<sleep|spin> "
	"sva=<0|1> "
	"evl_size=<pow2> "
	"inject=<src|dst|comp|page_req|halt|reset_fail>[:count] "
	"enq_deq=<0|1>");
