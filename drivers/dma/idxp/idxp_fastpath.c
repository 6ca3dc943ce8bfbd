/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Fast path: op descriptors go into the vchan's ring; rte_dma_submit()
 * posts the new ones to the WQ's portal as one batch descriptor (or the op
 * itself when alone), with one 64-byte portal write each; completions are
 * found by polling the batch completion records, the per-op records only
 * after a batch failed.
 *
 * Indices are free-running 16-bit op ids masked by the ring size. The
 * ring holds at most nb_desc - 1 ops, so ids of live ops never collide.
 * A portal has no head or tail: the driver itself keeps the descriptors in
 * flight below the WQ's size, and posts what does not fit once earlier
 * batches retire.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <emmintrin.h>
#include <rte_pause.h>

#include <rte_branch_prediction.h>
#include <rte_dmadev_pmd.h>
#include <rte_memzone.h>

#include "idxp_internal.h"

static inline struct idxp_vchan *
vc_of(const void *dev_private, uint16_t vchan)
{
	return &((struct idxp_priv *)(uintptr_t)dev_private)->vc[vchan];
}

/*
 * dmadev checks vchan ids only in RTE_DMADEV_DEBUG builds. vc[] always
 * has IDXP_HW_MAX_WQS entries, so a compare with a constant keeps a bad id
 * from indexing past it; ids above nb_vchans hit an empty, unconfigured
 * vchan (no room, nothing to complete).
 */
static inline bool
vchan_bad(uint16_t vchan)
{
	return unlikely(vchan >= IDXP_HW_MAX_WQS);
}

/*
 * Free op slots. max_ops is 0 while the vchan is not started, with ops of
 * the last run possibly still unread: the compare keeps that from wrapping.
 */
static inline uint16_t
ring_space(const struct idxp_vchan *vc)
{
	uint16_t used = vc->write_idx - vc->read_idx;

	return used >= vc->max_ops ? 0 : vc->max_ops - used;
}
/*
 * Write a whole 64-byte descriptor with non-temporal stores. The engine
 * read this slot a ring ago, so ordinary stores would stall on taking the
 * line back from its cache (the store buffer fills, ~60% of the cost of an
 * op); a full-line streaming write needs no ownership. Weakly ordered:
 * post_pending() fences before the portal write publishes them.
 */
static inline void
desc_store(struct idxp_hw_desc *dst, const struct idxp_hw_desc *src)
{
	const __m128i *s = (const __m128i *)src;
	__m128i *d = (__m128i *)dst;

	_mm_stream_si128(d + 0, _mm_load_si128(s + 0));
	_mm_stream_si128(d + 1, _mm_load_si128(s + 1));
	_mm_stream_si128(d + 2, _mm_load_si128(s + 2));
	_mm_stream_si128(d + 3, _mm_load_si128(s + 3));
}

/* Fill the op descriptor of the next id; returns the id. */
static inline int
enqueue(struct idxp_vchan *vc, uint32_t op_flags, uint64_t src, uint64_t dst,
		uint32_t size)
{
	uint16_t id = vc->write_idx;
	uint16_t slot = id & vc->mask;
	struct idxp_hw_desc d = {
		.op_flags = op_flags,
		.completion = vc->op_comp_iova +
			(uint64_t)slot * sizeof(struct idxp_hw_comp),
		.src = src,
		.dst = dst,
		.size = size,
	};

	if (unlikely(ring_space(vc) == 0))
		return -ENOSPC;
	desc_store(&vc->desc[slot], &d);
	/* Kept for a lone submit: reading the streamed line back would miss. */
	vc->last_desc = d;
	vc->write_idx = id + 1;
	return id;
}

static inline uint32_t
op_flags(const struct idxp_vchan *vc, uint8_t op, uint64_t flags)
{
	return idxp_op_flags(op, vc->op_flags |
			((flags & RTE_DMA_OP_FLAG_FENCE) ? IDXP_FLAG_FENCE : 0));
}

static int idxp_submit(void *dev_private, uint16_t vchan);

/* Enqueue one op, then submit when the caller asked for it. */
static inline int
enqueue_op(void *dev_private, uint16_t vchan, uint8_t op, uint64_t src,
		uint64_t dst, uint32_t size, uint64_t flags)
{
	struct idxp_vchan *vc;
	int id;

	if (vchan_bad(vchan))
		return -EINVAL;
	vc = vc_of(dev_private, vchan);
	id = enqueue(vc, op_flags(vc, op, flags), src, dst, size);

	if ((flags & RTE_DMA_OP_FLAG_SUBMIT) && id >= 0)
		idxp_submit(dev_private, vchan);
	return id;
}

static int
idxp_copy(void *dev_private, uint16_t vchan, rte_iova_t src, rte_iova_t dst,
		uint32_t length, uint64_t flags)
{
	return enqueue_op(dev_private, vchan, IDXP_OP_MEMMOVE, src, dst, length,
			flags);
}

static int
idxp_fill(void *dev_private, uint16_t vchan, uint64_t pattern, rte_iova_t dst,
		uint32_t length, uint64_t flags)
{
	return enqueue_op(dev_private, vchan, IDXP_OP_FILL, pattern, dst, length,
			flags);
}

static void
sge_fill(struct idxp_hw_sge *out, const struct rte_dma_sge *in, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		out[i].addr = in[i].addr;
		out[i].len = in[i].length;
		out[i].rsvd = 0;
	}
}

static int
idxp_copy_sg(void *dev_private, uint16_t vchan, const struct rte_dma_sge *src,
		const struct rte_dma_sge *dst, uint16_t nb_src, uint16_t nb_dst,
		uint64_t flags)
{
	struct idxp_vchan *vc;
	size_t off;
	uint16_t slot;

	if (vchan_bad(vchan))
		return -EINVAL;
	vc = vc_of(dev_private, vchan);
	slot = vc->write_idx & vc->mask;
	off = (size_t)slot * IDXP_HW_MAX_SGE;
	if (unlikely(nb_src == 0 || nb_dst == 0 || nb_src > IDXP_HW_MAX_SGE ||
			nb_dst > IDXP_HW_MAX_SGE || src == NULL || dst == NULL))
		return -EINVAL;
	/* Split, it may take nb_src + nb_dst - 1 memmoves: one WQ batch. */
	if (unlikely(vc->sg_split && nb_src + nb_dst - 1 > vc->max_batch))
		return -EINVAL;
	if (unlikely(ring_space(vc) == 0))
		return -ENOSPC;
	sge_fill(&vc->sge_src[off], src, nb_src);
	sge_fill(&vc->sge_dst[off], dst, nb_dst);
	if (vc->sg_split) {
		vc->sg_slot[slot] = 1 | ((flags & RTE_DMA_OP_FLAG_FENCE) ?
				IDXP_SG_SPLIT_FENCE : 0);
		vc->sg_queued++;
	}
	return enqueue_op(dev_private, vchan, IDXP_OP_MEMMOVE_SG,
			vc->sge_src_iova + off * sizeof(struct idxp_hw_sge),
			vc->sge_dst_iova + off * sizeof(struct idxp_hw_sge),
			(uint32_t)nb_src | (uint32_t)nb_dst << 16, flags);
}

/*
 * The memmoves of split SG op @id into @out: walk both lists as one byte
 * stream each, one memmove per stretch where a source and a destination
 * segment overlap, up to the shorter total (as the model's SG copy). Each may
 * write the op's own record on failure (CRAV without RCR, as a batch's
 * ops). Returns how many.
 */
static unsigned int
sg_expand(const struct idxp_vchan *vc, uint16_t id, struct idxp_hw_desc *out)
{
	uint16_t slot = id & vc->mask;
	const struct idxp_hw_sge *s = &vc->sge_src[(size_t)slot * IDXP_HW_MAX_SGE];
	const struct idxp_hw_sge *d = &vc->sge_dst[(size_t)slot * IDXP_HW_MAX_SGE];
	const struct idxp_hw_desc *op = &vc->desc[slot];
	unsigned int ns = op->size & 0xffff, nd = op->size >> 16;
	unsigned int i = 0, j = 0, k = 0;
	uint64_t so = 0, doff = 0;
	uint32_t base = vc->op_flags & ~(uint32_t)IDXP_FLAG_RCR;

	while (i < ns && j < nd && k < IDXP_SG_SPLIT_MAX) {
		uint64_t len = RTE_MIN(s[i].len - so, d[j].len - doff);

		memset(&out[k], 0, sizeof(out[k]));
		out[k].op_flags = idxp_op_flags(IDXP_OP_MEMMOVE, base |
				(k == 0 && (vc->sg_slot[slot] & IDXP_SG_SPLIT_FENCE) ?
				IDXP_FLAG_FENCE : 0));
		out[k].completion = vc->op_comp_iova +
			(uint64_t)slot * sizeof(struct idxp_hw_comp);
		out[k].src = s[i].addr + so;
		out[k].dst = d[j].addr + doff;
		out[k].size = (uint32_t)len;
		k += len > 0;
		so += len;
		doff += len;
		if (so == s[i].len) {
			i++;
			so = 0;
		}
		if (doff == d[j].len) {
			j++;
			doff = 0;
		}
	}
	return k;
}

static inline rte_iova_t
batch_comp_iova(const struct idxp_vchan *vc, uint16_t b)
{
	return vc->batch_comp_iova + (rte_iova_t)(b & vc->mask) *
		IDXP_BCOMP_STRIDE * sizeof(struct idxp_hw_comp);
}

/*
 * A shared WQ answers "retry" while it is full (other clients share it):
 * a few retries ride out a burst, then the post stops and what is left
 * waits, as when our own share of a dedicated WQ is used up.
 */
#define IDXP_ENQ_RETRIES	32

static inline bool
enqueue_retry(struct idxp_vchan *vc, uint8_t *p, const struct idxp_hw_desc *d)
{
	unsigned int i;

	for (i = 0; i <= IDXP_ENQ_RETRIES; i++) {
		if (vc->portal_kind == IDXP_PORTAL_KIND_ENQCMD ? idxp_enqcmd(p, d) :
				vc->bus->ops->portal_write(vc->bus, p, d) == 0)
			return true;
		rte_pause();
	}
	return false;
}

/*
 * Write one descriptor to the WQ's portal page. The offset inside the page
 * does not matter to hardware; the model keeps its queue there, so the
 * writes walk the page's 64 slots in order. False when a shared WQ
 * refused it (nothing was queued).
 */
static inline bool
portal_write(struct idxp_vchan *vc, const struct idxp_hw_desc *d)
{
	uint8_t *p = vc->portal + (vc->portal_slot % IDXP_SW_WQ_SLOTS) * 64;

	/* The caller fenced (see post_pending()). */
	if (likely(vc->portal_kind == IDXP_PORTAL_KIND_MOVDIR64B))
		idxp_movdir64b(p, d);
	else if (unlikely(!enqueue_retry(vc, p, d)))
		return false;
	vc->portal_slot++;
	vc->portal_writes++;
	return true;
}

/*
 * Recovery handshake, owner side (Dekker with idxp_vchan_quiesce()): in_post
 * is set before the epoch is read. The control thread makes the epoch odd
 * before it reads in_post; so either the owner sees the odd epoch and
 * posts nothing, or the control thread sees it posting and waits. The
 * owner's fence is the light side (idxp_fence.h): a compiler barrier
 * where the control thread's membarrier() orders both.
 */
static inline bool
post_begin(struct idxp_vchan *vc)
{
	uint32_t e;

	__atomic_store_n(&vc->in_post, 1, __ATOMIC_RELAXED);
	/* Orders the in_post store before the epoch load. */
	idxp_fence_light(idxp_asym_fences);
	e = __atomic_load_n(&vc->epoch, __ATOMIC_ACQUIRE);
	if (unlikely(e & 1)) {
		__atomic_store_n(&vc->in_post, 0, __ATOMIC_RELEASE);
		return false;
	}
	/*
	 * A device reset emptied the WQ: its queue starts at slot 0 again.
	 * Not so a kernel's WQ, which our resets and restarts never touch.
	 */
	if (unlikely(e != vc->epoch_seen)) {
		vc->epoch_seen = e;
		if (!vc->slot_kept)
			vc->portal_slot = 0;
	}
	return true;
}

static inline void
post_end(struct idxp_vchan *vc)
{
	/*
	 * The portal writes are done before the control thread that sees
	 * in_post clear resets or disables the WQ: plain stores (the bus
	 * call) are ordered by the release, MOVDIR64B only by a fence.
	 */
	if (vc->portal_kind == IDXP_PORTAL_KIND_MOVDIR64B)
		_mm_sfence();
	__atomic_store_n(&vc->in_post, 0, __ATOMIC_RELEASE);
}

static void sg_desc(struct idxp_vchan *vc, uint16_t b, uint16_t id,
		struct idxp_hw_desc *pd);

/* Op @id leaves the split-SG marks (posted, or aborted unposted). */
static inline void
sg_unmark(struct idxp_vchan *vc, uint16_t id)
{
	if (unlikely(vc->sg_queued) && vc->sg_slot[id & vc->mask]) {
		vc->sg_slot[id & vc->mask] = 0;
		vc->sg_queued--;
	}
}

/*
 * Post ops [start, start + count) to the device; they do not wrap. False
 * when the WQ refused the descriptor: nothing was posted.
 */

static inline bool
post(struct idxp_vchan *vc, uint16_t start, uint16_t count)
{
	uint16_t b = vc->batch_write;
	struct idxp_batch *bt = &vc->batch[b & vc->mask];
	struct idxp_hw_desc pd;

	bt->start = start;
	bt->count = count;
	bt->done = 0;
	bt->aborted = 0;
	bt->sg = 0;
	bt->epoch = vc->epoch_seen;
	if (unlikely(vc->sg_queued) && vc->sg_slot[start & vc->mask]) {
		sg_desc(vc, b, start, &pd);
		bt->sg = 1;
	} else if (count == 1) {
		/* DSA batches hold at least two: a lone op goes directly. */
		pd = start == (uint16_t)(vc->write_idx - 1) ? vc->last_desc :
			vc->desc[start & vc->mask];
		pd.op_flags |= IDXP_FLAG_CRAV | IDXP_FLAG_RCR;
	} else {
		memset(&pd, 0, sizeof(pd));
		pd.op_flags = idxp_op_flags(IDXP_OP_BATCH,
				IDXP_FLAG_CRAV | IDXP_FLAG_RCR);
		pd.desc_list = vc->desc_iova + (uint64_t)(start & vc->mask) *
			sizeof(struct idxp_hw_desc);
		pd.desc_count = count;
	}
	pd.completion = batch_comp_iova(vc, b);
	if (unlikely(!portal_write(vc, &pd)))
		return false;
	sg_unmark(vc, start);
	vc->batch_write = b + 1;
	return true;
}

/*
 * The device is being reset (or stays halted): it would drop portal
 * writes, so the driver completes those batches itself and the
 * application still sees every op exactly once.
 */
static void
post_aborted(struct idxp_vchan *vc, uint16_t start, uint16_t count)
{
	uint16_t b = vc->batch_write++;
	struct idxp_batch *bt = &vc->batch[b & vc->mask];

	bt->start = start;
	bt->count = count;
	bt->done = 0;
	bt->aborted = 1;
	bt->sg = 0;
	bt->epoch = vc->epoch_seen;
	idxp_bcomp(vc, b)->status = IDXP_COMP_DRV_ABORT;
	vc->aborted += count;
	sg_unmark(vc, start);
}

/*
 * The portal descriptor of split SG op @id, posted as batch @b: a batch of
 * its memmoves (or the one memmove itself), written into the list area of
 * that batch slot. The caller sets the completion record.
 */
static void
sg_desc(struct idxp_vchan *vc, uint16_t b, uint16_t id, struct idxp_hw_desc *pd)
{
	const struct rte_memzone *mz = vc->mz[IDXP_VC_MZ_SG_LIST];
	size_t area = (size_t)(b & vc->sg_areas_mask) * IDXP_SG_SPLIT_MAX;
	struct idxp_hw_desc *list = (struct idxp_hw_desc *)mz->addr + area;
	unsigned int k = sg_expand(vc, id, list);

	if (k <= 1) {
		/* Nothing to move (an SG copy of 0 bytes succeeds): a no-op. */
		if (k == 0) {
			memset(&list[0], 0, sizeof(list[0]));
			list[0].op_flags = idxp_op_flags(IDXP_OP_NOP, vc->op_flags);
		}
		*pd = list[0];
		pd->op_flags |= IDXP_FLAG_CRAV | IDXP_FLAG_RCR;
	} else {
		memset(pd, 0, sizeof(*pd));
		pd->op_flags = idxp_op_flags(IDXP_OP_BATCH, IDXP_FLAG_CRAV | IDXP_FLAG_RCR);
		pd->desc_list = mz->iova + area * sizeof(struct idxp_hw_desc);
		pd->desc_count = k;
	}
	/* The list is read by the device: stored before the portal write. */
	_mm_sfence();
}

static void post_arm_drain(struct idxp_vchan *vc);
static inline void arm_reap(struct idxp_vchan *vc);

/* Next batch of the submitted-but-unposted ops: at most to the ring end. */
static inline uint16_t
next_batch_len(const struct idxp_vchan *vc)
{
	uint16_t n = vc->submit_idx - vc->batch_start;
	uint16_t to_end = vc->nb_desc - (vc->batch_start & vc->mask);
	uint16_t i;

	n = RTE_MIN(n, RTE_MIN(to_end, vc->max_batch));
	if (likely(vc->sg_queued == 0))
		return n;
	/* A split SG op goes alone: it is a batch of its own memmoves. */
	for (i = 0; i < n; i++)
		if (vc->sg_slot[(vc->batch_start + i) & vc->mask])
			return i == 0 ? 1 : i;
	return n;
}

/* Portal entries the WQ can take now. */
static inline int
post_room(const struct idxp_vchan *vc)
{
	return (int)vc->max_posted - (uint16_t)(vc->batch_write - vc->batch_read);
}

static void
abort_pending(struct idxp_vchan *vc)
{
	while (vc->batch_start != vc->submit_idx) {
		uint16_t k = next_batch_len(vc);

		post_aborted(vc, vc->batch_start, k);
		vc->batch_start += k;
	}
}

/*
 * Post what was submitted, as far as the WQ has room; the rest waits for
 * batches to retire (rte_dma_completed*() posts it then). -EIO when the
 * device is down: the ops complete as not attempted. -ENOSPC when a
 * shared WQ stayed full: the rest is still submitted, and goes with the
 * next submit or completion poll.
 */
static int
post_pending(struct idxp_vchan *vc)
{
	int ret = 0;

	/*
	 * Drains the streaming stores of the descriptors (weakly ordered),
	 * and orders every store the device will read (descriptors, cleared
	 * records) before the portal writes: MOVDIR64B is weakly ordered too.
	 */
	_mm_sfence();
	if (unlikely(!post_begin(vc))) {
		abort_pending(vc);
		return -EIO;
	}
	while (vc->batch_start != vc->submit_idx && post_room(vc) > 0) {
		uint16_t k = next_batch_len(vc);

		if (unlikely(!post(vc, vc->batch_start, k))) {
			ret = -ENOSPC;
			break;
		}
		vc->batch_start += k;
	}
	if (unlikely(vc->armed)) {
		arm_reap(vc);
		if (!vc->arm_posted)
			post_arm_drain(vc);
	}
	post_end(vc);
	return ret;
}

static int
idxp_submit(void *dev_private, uint16_t vchan)
{
	struct idxp_vchan *vc;
	uint16_t n;

	if (vchan_bad(vchan))
		return -EINVAL;
	vc = vc_of(dev_private, vchan);
	n = vc->write_idx - vc->submit_idx;
	if (n == 0 && vc->batch_start == vc->submit_idx)
		return 0;
	vc->stats.submitted += n;
	vc->submit_idx = vc->write_idx;
	return post_pending(vc);
}

/*
 * Interrupt arming: a drain descriptor with RCI behind everything posted.
 * It completes once all of it has, and its interrupt wakes the waiter. One
 * at a time; a WQ entry is kept free for it (max_posted). Called inside a
 * post (post_begin() done).
 */
static void
post_arm_drain(struct idxp_vchan *vc)
{
	struct idxp_hw_desc d;

	memset(&d, 0, sizeof(d));
	d.op_flags = idxp_op_flags(IDXP_OP_DRAIN, IDXP_FLAG_CRAV | IDXP_FLAG_RCR |
			IDXP_FLAG_RCI);
	d.completion = vc->arm_comp_iova;
	d.intr_handle = __atomic_load_n(&vc->intr_handle, __ATOMIC_ACQUIRE);
	if (!portal_write(vc, &d))
		return;		/* still armed: the next post tries again */
	vc->arm_handle = d.intr_handle;
	vc->arm_posted = true;
	vc->armed = false;
}

/* Forget a finished arming drain (done, or refused for a revoked handle). */
static inline void
arm_reap(struct idxp_vchan *vc)
{
	/* Acquire: pairs with the device's release of the status. */
	if (vc->arm_posted && __atomic_load_n(&vc->arm_comp->status,
			__ATOMIC_ACQUIRE) != IDXP_COMP_NONE) {
		vc->arm_comp->status = IDXP_COMP_NONE;
		vc->arm_posted = false;
	}
}

/*
 * Arm: a drain now if work is in flight; else the drain follows the next
 * post, so an interrupt comes for the work submitted after arming too.
 *
 * A drain in flight with a handle the device revoked since will complete
 * without an interrupt. A second drain could overrun the one WQ entry kept
 * for arming, so instead the caller is woken at once (its own eventfd) and
 * re-arms until that drain is reaped: a short busy wait, once per revoke,
 * in place of a lost wakeup.
 */
void
idxp_arm_post(struct idxp_vchan *vc)
{
	arm_reap(vc);
	if (vc->arm_posted) {
		if (vc->arm_handle != __atomic_load_n(&vc->intr_handle, __ATOMIC_ACQUIRE))
			idxp_eventfd_signal(vc->intr_fd);
		return;		/* else still in flight: its interrupt comes */
	}
	if (vc->batch_read == vc->batch_write || !post_begin(vc)) {
		vc->armed = true;
		return;
	}
	_mm_sfence();	/* the drain's cleared record first (post_pending()) */
	post_arm_drain(vc);
	post_end(vc);
}

void
idxp_arm_cancel(struct idxp_vchan *vc)
{
	vc->armed = false;
}

enum rte_dma_status_code
idxp_status_map(uint8_t hw)
{
	bool write = (hw & IDXP_COMP_WRITE_FAULT) != 0;

	if (hw == IDXP_COMP_DRV_ABORT)
		return RTE_DMA_STATUS_NOT_ATTEMPTED;
	switch (hw & IDXP_COMP_STATUS_MASK) {
	case IDXP_COMP_SUCCESS:
	case IDXP_COMP_SUCCESS_PRED:
		return RTE_DMA_STATUS_SUCCESSFUL;
	case IDXP_COMP_PAGE_FAULT_NOBOF:
		return write ? RTE_DMA_STATUS_INVALID_DST_ADDR :
			RTE_DMA_STATUS_INVALID_SRC_ADDR;
	case IDXP_COMP_PAGE_FAULT_IR:
	case IDXP_COMP_BATCH_PAGE_FAULT:
		return RTE_DMA_STATUS_PAGE_FAULT;
	case IDXP_COMP_BAD_OPCODE:
		return RTE_DMA_STATUS_INVALID_OPCODE;
	case IDXP_COMP_XFER_ERANGE:
		return RTE_DMA_STATUS_INVALID_LENGTH;
	case IDXP_COMP_INVALID_FLAGS:
	case IDXP_COMP_NONZERO_RESERVED:
	case IDXP_COMP_DESC_CNT_ERANGE:
	case IDXP_COMP_DESCLIST_ALIGN:
		return RTE_DMA_STATUS_DESCRIPTOR_READ_ERROR;
	case IDXP_COMP_CRA_XLAT:
	case IDXP_COMP_CRA_ALIGN:
		return RTE_DMA_STATUS_BUS_WRITE_ERROR;
	case IDXP_COMP_HW_ERR1:
		return RTE_DMA_STATUS_DEV_LINK_ERROR;
	default:
		return RTE_DMA_STATUS_ERROR_UNKNOWN;
	}
}

/*
 * Status of op @k (0-based) of a batch whose record is not plain success.
 * The op's own record is read and cleared in every case: a batch aborted
 * by a reset may leave records that must not leak into the slot's next op.
 */
static enum rte_dma_status_code
failed_op_status(struct idxp_vchan *vc, const struct idxp_batch *bt,
		struct idxp_hw_comp *bc, uint16_t k)
{
	struct idxp_hw_comp *oc = &vc->op_comp[(bt->start + k) & vc->mask];
	uint8_t st = oc->status;

	if (st != IDXP_COMP_NONE)
		oc->status = IDXP_COMP_NONE;
	/* A split SG op's batch failed: one of its memmoves wrote this. */
	if (bt->sg && bc->status == IDXP_COMP_BATCH_FAIL)
		return st != IDXP_COMP_NONE ? idxp_status_map(st) :
			RTE_DMA_STATUS_ERROR_UNKNOWN;
	/* Anything but a batch failure applies to every op of the batch. */
	if (bt->count == 1 || bc->status != IDXP_COMP_BATCH_FAIL)
		return idxp_status_map(bc->status);
	if (k >= bc->bytes_completed)	/* after a fence: never started */
		return RTE_DMA_STATUS_NOT_ATTEMPTED;
	if (st == IDXP_COMP_NONE)
		return RTE_DMA_STATUS_SUCCESSFUL;	/* no record on success */
	return idxp_status_map(st);
}

static void run_work(struct idxp_vchan *vc);

static inline void
retire(struct idxp_vchan *vc, struct idxp_batch *bt, struct idxp_hw_comp *bc)
{
	if (bt->done == bt->count) {
		/* The slot is reused by a later submit; clear it first. */
		bc->status = IDXP_COMP_NONE;
		vc->batch_read++;
	}
}

/*
 * Collect up to @max completions. With @st == NULL (rte_dma_completed)
 * stop in front of the first failed op and report it via @has_error; the
 * op stays for rte_dma_completed_status().
 */
static uint16_t
gather(struct idxp_vchan *vc, uint16_t max, enum rte_dma_status_code *st,
		bool *has_error)
{
	uint16_t n = 0;

	if (unlikely(vc->work != NULL))
		run_work(vc);
	while (n < max && vc->batch_read != vc->batch_write) {
		uint16_t bslot = vc->batch_read & vc->mask;
		struct idxp_batch *bt = &vc->batch[bslot];
		struct idxp_hw_comp *bc = idxp_bcomp(vc, vc->batch_read);
		/* Acquire: the record body and per-op records are visible. */
		uint8_t s = __atomic_load_n(&bc->status, __ATOMIC_ACQUIRE);

		if (s == IDXP_COMP_NONE)
			break;
		if (likely(s == IDXP_COMP_SUCCESS)) {
			uint16_t k = RTE_MIN(bt->count - bt->done, max - n);

			if (st != NULL) {
				uint16_t i;

				for (i = 0; i < k; i++)
					st[n + i] = RTE_DMA_STATUS_SUCCESSFUL;
			}
			n += k;
			bt->done += k;
			retire(vc, bt, bc);
			continue;
		}
		while (n < max && bt->done < bt->count) {
			enum rte_dma_status_code c;
			struct idxp_hw_comp *oc =
				&vc->op_comp[(bt->start + bt->done) & vc->mask];

			if (st == NULL && (bt->count == 1 ||
					s != IDXP_COMP_BATCH_FAIL ||
					bt->done >= bc->bytes_completed ||
					oc->status != IDXP_COMP_NONE)) {
				*has_error = true;
				goto out;
			}
			c = failed_op_status(vc, bt, bc, bt->done);
			if (st != NULL)
				st[n] = c;
			if (c != RTE_DMA_STATUS_SUCCESSFUL) {
				vc->stats.errors++;
				vc->faults += (c == RTE_DMA_STATUS_PAGE_FAULT ||
					c == RTE_DMA_STATUS_INVALID_SRC_ADDR ||
					c == RTE_DMA_STATUS_INVALID_DST_ADDR);
			}
			n++;
			bt->done++;
		}
		retire(vc, bt, bc);
	}
out:
	vc->read_idx += n;
	vc->stats.completed += n;
	/* Retired batches made room in the WQ for what submit had to keep. */
	if (unlikely(vc->batch_start != vc->submit_idx))
		post_pending(vc);
	return n;
}

static uint16_t
idxp_completed(void *dev_private, uint16_t vchan, const uint16_t nb_cpls,
		uint16_t *last_idx, bool *has_error)
{
	struct idxp_vchan *vc;
	bool err = false;
	uint16_t n;

	*has_error = false;
	if (vchan_bad(vchan))
		return 0;
	vc = vc_of(dev_private, vchan);
	n = gather(vc, nb_cpls, NULL, &err);
	*has_error = err;
	*last_idx = vc->read_idx - 1;
	return n;
}

static uint16_t
idxp_completed_status(void *dev_private, uint16_t vchan, const uint16_t nb_cpls,
		uint16_t *last_idx, enum rte_dma_status_code *status)
{
	struct idxp_vchan *vc;
	uint16_t n;

	if (vchan_bad(vchan))
		return 0;
	vc = vc_of(dev_private, vchan);
	n = gather(vc, nb_cpls, status, NULL);

	*last_idx = vc->read_idx - 1;
	return n;
}

static uint16_t
idxp_burst_capacity(const void *dev_private, uint16_t vchan)
{
	if (vchan_bad(vchan))
		return 0;
	return ring_space(vc_of(dev_private, vchan));
}

/* True when the oldest unretired batch has its completion record. */
bool
idxp_vchan_ready(const struct idxp_vchan *vc)
{
	if (vc->batch_read == vc->batch_write)
		return false;
	return __atomic_load_n(&idxp_bcomp(vc, vc->batch_read)->status,
			__ATOMIC_ACQUIRE) != IDXP_COMP_NONE;
}

/* True when every submitted batch has its completion record. */
bool
idxp_vchan_idle(const struct idxp_vchan *vc)
{
	uint16_t b;

	if (vc->batch_read == vc->batch_write)
		return true;
	b = vc->batch_write - 1;
	return __atomic_load_n(&idxp_bcomp(vc, b)->status,
			__ATOMIC_ACQUIRE) != IDXP_COMP_NONE;
}

/*
 * Whether the device is done with everything posted on @vc: each batch
 * from the oldest unretired one on has its record. For a control thread
 * while posts are stopped (odd epoch): the owner may still retire batches
 * meanwhile, clearing their records, so batch_read is read again each
 * time; a cleared record below it is a retired batch, never a lost one.
 */
bool
idxp_vchan_drained(const struct idxp_vchan *vc)
{
	uint16_t b = __atomic_load_n(&vc->batch_read, __ATOMIC_ACQUIRE);
	uint16_t end = vc->batch_write;

	for (; b != end; b++) {
		if (__atomic_load_n(&idxp_bcomp(vc, b)->status, __ATOMIC_ACQUIRE) !=
				IDXP_COMP_NONE)
			continue;
		if ((int16_t)(b - __atomic_load_n(&vc->batch_read,
				__ATOMIC_ACQUIRE)) >= 0)
			return false;
	}
	return !vc->arm_posted || __atomic_load_n(&vc->arm_comp->status,
			__ATOMIC_ACQUIRE) != IDXP_COMP_NONE;
}

/*
 * irq_work-style hand-over. Claim: set PENDING (a second queue of a
 * pending item is a no-op). Queue: push on the vchan's list with a CAS
 * loop. No raise: the owner checks vc->work in every rte_dma_completed*()
 * and rte_pmd_idxp_wait() treats a non-empty list as news.
 */
void
idxp_work_queue(struct idxp_vchan *vc, struct idxp_work *w)
{
	struct idxp_work *head;
	/*
	 * Claim with one atomic RMW, as irq_work_claim(): even when the item
	 * is already pending, it orders our data stores before the owner's
	 * clear of PENDING, so the coming run sees them.
	 */
	uint32_t old = __atomic_fetch_or(&w->flags,
			IDXP_WORK_PENDING, __ATOMIC_ACQ_REL);

	if (old & IDXP_WORK_PENDING)
		return;
	head = __atomic_load_n(&vc->work, __ATOMIC_RELAXED);
	do {
		w->next = head;
		/* Release: the item's fields are visible with the push. */
	} while (!__atomic_compare_exchange_n(&vc->work, &head, w, false,
			__ATOMIC_RELEASE, __ATOMIC_RELAXED));
}

/* Owner side: take the whole list at once, run each item. */
static void
run_work(struct idxp_vchan *vc)
{
	struct idxp_work *w = __atomic_exchange_n(&vc->work, NULL,
			__ATOMIC_ACQUIRE);

	while (w != NULL) {
		struct idxp_work *next = w->next;

		/* Clear PENDING first: a new queue during fn runs it again. */
		__atomic_fetch_and(&w->flags, ~IDXP_WORK_PENDING, __ATOMIC_ACQ_REL);
		w->fn(w, vc);
		w = next;
	}
}

void
idxp_fastpath_set(struct rte_dma_dev *dev)
{
	struct rte_dma_fp_object *fp = dev->fp_obj;

	fp->dev_private = dev->data->dev_private;
	fp->copy = idxp_copy;
	fp->copy_sg = idxp_copy_sg;
	fp->fill = idxp_fill;
	fp->submit = idxp_submit;
	fp->completed = idxp_completed;
	fp->completed_status = idxp_completed_status;
	fp->burst_capacity = idxp_burst_capacity;
}
