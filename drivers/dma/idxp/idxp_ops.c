/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * DPDK 25.11's operations API: rte_dma_enqueue_ops() and
 * rte_dma_dequeue_ops() on a device configured with
 * RTE_DMA_CFG_FLAG_ENQ_DEQ. Built only against a DPDK that has it.
 *
 * An op is one copy (one source and one destination segment of the same
 * length) or one scatter-gather copy. Both go through the driver's own
 * rte_dma_copy()/rte_dma_copy_sg() entry points, each burst is submitted
 * once, and rte_dma_completed_status() collects: batching, fences, error
 * statuses, stats and halt recovery are those of the classic API. The
 * only state of its own is the op pointer of each ring slot.
 */

#include <errno.h>

#include <rte_branch_prediction.h>
#include <rte_dmadev_pmd.h>
#include <rte_malloc.h>

#include "idxp_internal.h"

#define OPS_DEQ_BURST	32	/* statuses collected per completed_status call */

static uint16_t
ops_enqueue(void *dev_private, uint16_t vchan, struct rte_dma_op **ops,
		uint16_t nb_ops)
{
	struct idxp_priv *priv = dev_private;
	struct idxp_vchan *vc = &priv->vc[vchan];
	uint16_t i;

	for (i = 0; i < nb_ops; i++) {
		struct rte_dma_op *op = ops[i];
		struct rte_dma_sge *src = op->src_dst_seg;
		struct rte_dma_sge *dst = src + op->nb_src;
		/* The burst is submitted once, below. */
		uint64_t flags = op->flags & ~RTE_DMA_OP_FLAG_SUBMIT;
		int id;

		if (op->nb_src == 1 && op->nb_dst == 1 && src->length == dst->length)
			id = rte_dma_copy(priv->dev_id, vchan, src->addr, dst->addr,
					src->length, flags);
		else
			id = rte_dma_copy_sg(priv->dev_id, vchan, src, dst,
					op->nb_src, op->nb_dst, flags);
		/* Ring full, or an op the device cannot take (too many segments). */
		if (unlikely(id < 0))
			break;
		vc->ops[id & vc->mask] = op;
	}
	/* A halted device completes the ops as not attempted: still accepted. */
	if (i > 0)
		rte_dma_submit(priv->dev_id, vchan);
	return i;
}

static uint16_t
ops_dequeue(void *dev_private, uint16_t vchan, struct rte_dma_op **ops,
		uint16_t nb_ops)
{
	struct idxp_priv *priv = dev_private;
	struct idxp_vchan *vc = &priv->vc[vchan];
	enum rte_dma_status_code st[OPS_DEQ_BURST];
	uint16_t done = 0;

	while (done < nb_ops) {
		uint16_t want = RTE_MIN(nb_ops - done, OPS_DEQ_BURST);
		uint16_t last, first, i, n;

		n = rte_dma_completed_status(priv->dev_id, vchan, want, &last, st);
		first = last - n + 1;	/* op id of st[0] */
		for (i = 0; i < n; i++) {
			struct rte_dma_op *op = vc->ops[(uint16_t)(first + i) & vc->mask];

			op->status = st[i];
			ops[done + i] = op;
		}
		done += n;
		if (n < want)
			break;
	}
	return done;
}

/* Not configured for the ops API: nothing is taken or returned. */
static uint16_t
ops_refused(void *dev_private, uint16_t vchan, struct rte_dma_op **ops,
		uint16_t nb_ops)
{
	RTE_SET_USED(dev_private);
	RTE_SET_USED(vchan);
	RTE_SET_USED(ops);
	RTE_SET_USED(nb_ops);
	return 0;
}

/*
 * The mode is chosen at configure time by swapping the entry points, so
 * neither API pays a check per call. The device is stopped here.
 */
void
idxp_ops_configure(struct rte_dma_dev *dev, const struct rte_dma_conf *conf)
{
	bool on = (conf->flags & RTE_DMA_CFG_FLAG_ENQ_DEQ) != 0;

	dev->fp_obj->enqueue = on ? ops_enqueue : ops_refused;
	dev->fp_obj->dequeue = on ? ops_dequeue : ops_refused;
}

/*
 * Every vchan gets the slot table, whatever the mode: a later configure
 * may switch to ops mode without setting the vchans up again.
 */
int
idxp_ops_vchan_alloc(struct idxp_priv *priv, struct idxp_vchan *vc,
		uint16_t nb_desc)
{
	vc->ops = rte_zmalloc_socket("idxp_ops", (size_t)nb_desc * sizeof(*vc->ops),
			RTE_CACHE_LINE_SIZE, priv->bus->numa_node);
	return vc->ops == NULL ? -ENOMEM : 0;
}

void
idxp_ops_vchan_free(struct idxp_vchan *vc)
{
	rte_free(vc->ops);
	vc->ops = NULL;
}
