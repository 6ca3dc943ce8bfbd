/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Descriptor engine of the software DSA device. One thread per engine
 * takes descriptors from the queues of its work queues, translates every
 * address through the IOMMU, executes, writes completion records
 * status-last, raises the completion interrupts descriptors ask for, and
 * logs a completion record it could not write in the event log.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_memcpy.h>
#include <rte_pause.h>
#include <rte_prefetch.h>

#include "idxp_sw_priv.h"

#define WQ_BUDGET	64	/* descriptors per WQ per round */
#define PRQ_RETRIES	4	/* page requests per access before giving up */

/* Outcome of one operation, what goes into its completion record. */
struct op_res {
	uint8_t status;
	uint8_t result;
	uint32_t bytes;
	uint64_t fault_addr;
};

/* Where the operation came from, for error records. */
struct op_ctx {
	struct idxp_engine *eng;
	struct idxp_sw_wq *wq;
	uint16_t wq_idx;
	uint16_t batch_index;
	bool in_batch;
	const struct idxp_hw_desc *d;
	bool inj;	/* injections armed: sampled once per portal entry */
};

static inline uint64_t
slot_q0(const struct idxp_hw_desc *slot)
{
	/* Acquire: the other 56 bytes were stored before this quadword. */
	return __atomic_load_n((const uint64_t *)slot, __ATOMIC_ACQUIRE);
}

bool
idxp_sw_wq_pending(const struct idxp_sw_wq *wq)
{
	return __atomic_load_n(&wq->enabled, __ATOMIC_ACQUIRE) &&
		slot_q0(&wq->slots[wq->cursor]) != 0;
}

/*
 * Pick up the current translation table. The IOTLB survives as long as the
 * table generation does not change (a pointer compare could be fooled by a
 * new table allocated where a freed one was).
 */
static inline void
tbl_refresh(struct idxp_engine *eng)
{
	if (eng->tbl == NULL) {
		eng->tbl = idxp_iommu_current(eng->dev->mmu);
		if (unlikely(eng->tbl->gen != eng->tlb_gen)) {
			memset(eng->tlb, 0, sizeof(eng->tlb));
			eng->tlb_gen = eng->tbl->gen;
		}
	}
}

/* Entry covering iova: IOTLB first, then the table. */
static inline const struct idxp_iommu_entry *
lookup(struct idxp_engine *eng, uint64_t iova)
{
	const struct idxp_iommu_entry **slot =
		&eng->tlb[(iova >> IDXP_IOTLB_SHIFT) & (IDXP_IOTLB_SLOTS - 1)];
	const struct idxp_iommu_entry *e = *slot;

	/* iova < e->iova wraps to a huge offset and misses. */
	if (likely(e != NULL && iova - e->iova < e->len))
		return e;
	e = idxp_iommu_find(eng->tbl, iova);
	if (e != NULL)
		*slot = e;
	return e;
}

/* VA for iova with @perm, and how many bytes are contiguous from there. */
static inline uint8_t *
xlate(struct idxp_engine *eng, uint64_t iova, uint32_t perm, uint64_t *avail)
{
	const struct idxp_iommu_entry *e = lookup(eng, iova);

	if (unlikely(e == NULL || (e->perm & perm) != perm))
		return NULL;
	*avail = e->len - (iova - e->iova);
	return e->va + (iova - e->iova);
}

static uint32_t *
inject_reg(const struct op_ctx *c, unsigned int kind)
{
	return (uint32_t *)(c->eng->dev->bar0 + IDXP_MREG_WQ_INJECT(c->wq_idx, kind));
}

static bool
inject_take(const struct op_ctx *c, unsigned int kind)
{
	uint32_t *r = inject_reg(c, kind);
	uint32_t v = __atomic_load_n(r, __ATOMIC_RELAXED);

	while (v != 0) {
		if (__atomic_compare_exchange_n(r, &v, v - 1, false,
				__ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
			sw_count(c->eng->dev, IDXP_MREG_CTR_INJECTED);
			return true;
		}
	}
	return false;
}

static inline bool
inject_armed(const struct op_ctx *c)
{
	const uint32_t *r = inject_reg(c, 0);

	return (r[IDXP_MINJ_SRC] | r[IDXP_MINJ_DST] | r[IDXP_MINJ_COMP] |
			r[IDXP_MINJ_PAGE_REQ]) != 0;
}

static bool
dev_running(const struct idxp_engine *eng)
{
	return sw_state(eng->dev) == IDXP_GENSTS_ENABLED && !eng->quit;
}

/* Still allowed to work on @c's WQ: an abort clears enabled under us. */
static bool
wq_running(const struct op_ctx *c)
{
	return dev_running(c->eng) &&
		__atomic_load_n(&c->wq->enabled, __ATOMIC_ACQUIRE) != 0;
}

/* A halt or abort is noticed every 16 ops or 16 MB, whichever comes first. */
#define CHECK_OPS	16
#define CHECK_BYTES	(16u << 20)

/*
 * Wait for the response to page request @id. The engine leaves the RCU
 * read side: the answering side maps the page (a table update) before it
 * responds. Returns IDXP_PRS_*, or -1 when the WQ or device stopped.
 */
static int
prs_wait(struct op_ctx *c, uint32_t id)
{
	struct idxp_engine *eng = c->eng;
	struct idxp_iommu *mmu = eng->dev->mmu;
	const struct idxp_prq_resp *resp = &mmu->resp[eng->id];
	uint64_t spins = 0;
	int code = -1;

	eng->tbl = NULL;
	idxp_iommu_reader_offline(mmu, eng->id);
	while (wq_running(c)) {
		/* Acquire pairs with the responder's release of the id. */
		if (__atomic_load_n(&resp->id, __ATOMIC_ACQUIRE) == id) {
			code = (int)resp->code;
			break;
		}
		if (++spins < 4096)
			rte_pause();
		else
			idxp_sw_engine_nap(eng);
	}
	idxp_iommu_reader_resume(mmu, eng->id);
	tbl_refresh(eng);
	return code;
}

/*
 * Ask the IOMMU's owner for [iova, iova+len), as PCIe PRI does: a request
 * in its page request queue, then wait for the response. Without anyone
 * to answer (queue full), the access faults.
 */
static int
page_request(struct op_ctx *c, uint64_t iova, uint32_t len, bool write)
{
	struct idxp_engine *eng = c->eng;
	struct idxp_prq_req r = {
		.addr = iova,
		.len = len,
		.requester = (uint16_t)eng->id,
		.write = write,
		.wake_fd = eng->doorbell.fd,
	};
	int code;

	/* 0 reads as "no response yet". */
	if (++eng->next_prq_id == 0)
		eng->next_prq_id = 1;
	r.id = eng->next_prq_id;
	if (idxp_iommu_prq_submit(eng->dev->mmu, &r) < 0)
		return IDXP_PRS_INVALID;
	sw_count(eng->dev, IDXP_MREG_CTR_PAGE_REQ);
	code = prs_wait(c, r.id);
	return code < 0 ? -1 : code;
}

/*
 * Translate with fault handling: a miss on a block-on-fault descriptor (in
 * a WQ configured for it) raises a page request and retries; otherwise it
 * is a fault. Returns the VA, NULL on fault (res filled), or sets *abandon.
 */
static uint8_t *
xlate_fault(struct op_ctx *c, uint64_t iova, uint32_t perm, uint64_t want,
		uint64_t *avail, struct op_res *res, bool *abandon)
{
	bool bof = (c->d->op_flags & IDXP_FLAG_BOF) != 0 && c->wq->bof;
	bool write = (perm & IDXP_IOMMU_WRITE) != 0;
	unsigned int tries;
	uint8_t *va;

	for (tries = 0; ; tries++) {
		va = xlate(c->eng, iova, perm, avail);
		if (va != NULL || !bof || tries == PRQ_RETRIES)
			break;
		int code = page_request(c, iova,
				(uint32_t)RTE_MIN(want, (uint64_t)UINT32_MAX), write);
		if (code < 0) {
			*abandon = true;
			return NULL;
		}
		if (code != IDXP_PRS_SUCCESS) {
			res->status = IDXP_COMP_PAGE_FAULT_IR;
			goto fault;
		}
	}
	if (va != NULL)
		return va;
	res->status = IDXP_COMP_PAGE_FAULT_NOBOF;
fault:
	if (write)
		res->status |= IDXP_COMP_WRITE_FAULT;
	res->fault_addr = iova;
	return NULL;
}

/*
 * rte_memcpy for every size: measured against glibc's memcpy (AVX-512/ERMS
 * variant picked at run time) on this project's machines, the inline copy
 * was faster for 4 KB..64 KB blocks (doc/performance.md).
 */
static inline void
copy_fwd(uint8_t *dst, const uint8_t *src, size_t n)
{
	rte_memcpy(dst, src, n);
}

static inline void
copy_bytes(uint8_t *dst, const uint8_t *src, size_t n)
{
	/* DSA memmove tolerates overlap; take the fast path when it can't. */
	if (likely(dst + n <= src || src + n <= dst))
		copy_fwd(dst, src, n);
	else
		memmove(dst, src, n);
}

/* Page-request injection: the next access is treated as a miss. */
static int
inject_prq(struct op_ctx *c, uint64_t iova, uint32_t len, struct op_res *res,
		bool *abandon)
{
	int code;

	if (likely(!c->inj) || !inject_take(c, IDXP_MINJ_PAGE_REQ))
		return 0;
	code = page_request(c, iova, len, false);
	if (code < 0) {
		*abandon = true;
		return -1;
	}
	if (code != IDXP_PRS_SUCCESS) {
		res->status = IDXP_COMP_PAGE_FAULT_IR;
		res->fault_addr = iova;
		return -1;
	}
	return 0;
}

/* Injected translation fault on the source or the destination. */
static bool
inject_fault(struct op_ctx *c, unsigned int kind, uint64_t addr, struct op_res *res)
{
	if (likely(!c->inj) || !inject_take(c, kind))
		return false;
	res->status = IDXP_COMP_PAGE_FAULT_NOBOF |
		(kind == IDXP_MINJ_DST ? IDXP_COMP_WRITE_FAULT : 0);
	res->fault_addr = addr;
	return true;
}

struct chunk {
	uint8_t *s;
	uint8_t *d;
	uint64_t n;
};

/* Room for one more chunk; the array moves to the heap past @local. */
static bool
chunk_room(struct chunk **ch, size_t *cap, size_t k, struct chunk *local)
{
	struct chunk *n;

	if (k < *cap)
		return true;
	n = realloc(*ch == local ? NULL : *ch, 2 * *cap * sizeof(*n));
	if (n == NULL)
		return false;
	if (*ch == local)
		memcpy(n, local, k * sizeof(*n));
	*ch = n;
	*cap *= 2;
	return true;
}

/*
 * Copy @len bytes iova->iova, chunked at translation boundaries. When the
 * destination overlaps the source from above, a front-to-back walk would
 * overwrite source bytes a later chunk still reads: those copies collect
 * their chunks first and run them last to first.
 */
static void
do_move(struct op_ctx *c, uint64_t src, uint64_t dst, uint64_t len,
		struct op_res *res, bool *abandon)
{
	bool backward = dst > src && dst - src < len;
	struct chunk local[8], *ch = local;
	size_t cap = RTE_DIM(local), k = 0;
	uint64_t done = 0, gen = c->eng->tlb_gen;
	unsigned int restarts = 0;

	if (inject_prq(c, src, (uint32_t)len, res, abandon) < 0 ||
			inject_fault(c, IDXP_MINJ_SRC, src, res) ||
			inject_fault(c, IDXP_MINJ_DST, dst, res))
		return;
	while (done < len) {
		uint64_t savail, davail, n;
		uint8_t *s, *d;

		s = xlate_fault(c, src + done, IDXP_IOMMU_READ, len - done,
				&savail, res, abandon);
		if (s == NULL)
			break;
		d = xlate_fault(c, dst + done, IDXP_IOMMU_WRITE, len - done,
				&davail, res, abandon);
		if (d == NULL)
			break;
		/*
		 * A page request let the table change under the chunks collected
		 * so far: their VAs may be gone. Nothing is written yet on the
		 * backward walk, so start it again.
		 */
		if (unlikely(backward && c->eng->tlb_gen != gen)) {
			gen = c->eng->tlb_gen;
			k = 0;
			done = 0;
			if (++restarts > PRQ_RETRIES) {
				res->status = IDXP_COMP_PAGE_FAULT_IR;
				res->fault_addr = src;
				break;
			}
			continue;
		}
		n = RTE_MIN(len - done, RTE_MIN(savail, davail));
		if (likely(!backward)) {
			copy_bytes(d, s, n);
		} else if (chunk_room(&ch, &cap, k, local)) {
			ch[k++] = (struct chunk){ .s = s, .d = d, .n = n };
		} else {
			res->status = IDXP_COMP_XFER_ERANGE;	/* out of memory */
			k = 0;
			done = 0;
			break;
		}
		done += n;
	}
	while (k-- > 0)
		memmove(ch[k].d, ch[k].s, ch[k].n);
	if (ch != local)
		free(ch);
	res->bytes += (uint32_t)done;
}

static void
fill_bytes(uint8_t *d, uint64_t n, uint64_t pattern, uint64_t offset)
{
	uint64_t pat;
	uint8_t rot = (offset & 7) * 8;
	uint64_t i;

	/* Rotate so byte k of the buffer is pattern byte (offset + k) % 8. */
	pat = rot ? (pattern >> rot) | (pattern << (64 - rot)) : pattern;
	for (i = 0; i + 8 <= n; i += 8)
		memcpy(d + i, &pat, 8);
	for (; i < n; i++)
		d[i] = (uint8_t)(pat >> ((i & 7) * 8));
}

static void
do_fill(struct op_ctx *c, uint64_t pattern, uint64_t dst, uint64_t len,
		struct op_res *res, bool *abandon)
{
	uint64_t done = 0;

	if (inject_prq(c, dst, (uint32_t)len, res, abandon) < 0 ||
			inject_fault(c, IDXP_MINJ_DST, dst, res))
		return;
	while (done < len) {
		uint64_t avail, n;
		uint8_t *d;

		d = xlate_fault(c, dst + done, IDXP_IOMMU_WRITE, len - done,
				&avail, res, abandon);
		if (d == NULL)
			break;
		n = RTE_MIN(len - done, avail);
		fill_bytes(d, n, pattern, done);
		done += n;
	}
	res->bytes = (uint32_t)done;
}

/*
 * Scatter-gather copy (idxp extension): walks both lists as one byte
 * stream; the total is the shorter of the two lists.
 */
static void
do_move_sg(struct op_ctx *c, const struct idxp_hw_desc *d, struct op_res *res,
		bool *abandon)
{
	uint32_t nb_src = d->size & 0xffff, nb_dst = d->size >> 16;
	const struct idxp_hw_sge *ss, *ds;
	uint64_t avail;
	uint32_t si = 0, di = 0, soff = 0, doff = 0;

	if (nb_src == 0 || nb_dst == 0 || nb_src > IDXP_HW_MAX_SGE ||
			nb_dst > IDXP_HW_MAX_SGE) {
		res->status = IDXP_COMP_XFER_ERANGE;
		return;
	}
	ss = (const void *)xlate_fault(c, d->src, IDXP_IOMMU_READ,
			nb_src * sizeof(*ss), &avail, res, abandon);
	if (ss == NULL)
		return;
	ds = (const void *)xlate_fault(c, d->dst, IDXP_IOMMU_READ,
			nb_dst * sizeof(*ds), &avail, res, abandon);
	if (ds == NULL)
		return;
	while (si < nb_src && di < nb_dst && res->status == 0 && !*abandon) {
		uint32_t n = RTE_MIN(ss[si].len - soff, ds[di].len - doff);

		if (n > 0)
			do_move(c, ss[si].addr + soff, ds[di].addr + doff, n,
					res, abandon);
		soff += n;
		doff += n;
		if (soff == ss[si].len) {
			si++;
			soff = 0;
		}
		if (doff == ds[di].len) {
			di++;
			doff = 0;
		}
	}
}

/*
 * Compare: SUCCESS with result 0 (equal) or 1 (different); with the check
 * result flag, a result other than the expected one (op_specific bit 0)
 * completes as SUCCESS_PRED instead.
 */
static void
do_compare(struct op_ctx *c, const struct idxp_hw_desc *d, struct op_res *res,
		bool *abandon)
{
	uint64_t done = 0, len = d->size;

	while (done < len && res->result == 0) {
		uint64_t a1, a2, n;
		const uint8_t *p1, *p2;

		p1 = xlate_fault(c, d->src + done, IDXP_IOMMU_READ, len - done,
				&a1, res, abandon);
		if (p1 == NULL)
			return;
		p2 = xlate_fault(c, d->dst + done, IDXP_IOMMU_READ, len - done,
				&a2, res, abandon);
		if (p2 == NULL)
			return;
		n = RTE_MIN(len - done, RTE_MIN(a1, a2));
		res->result = memcmp(p1, p2, n) != 0;
		done += n;
	}
	res->bytes = (uint32_t)done;
	if ((d->op_flags & IDXP_FLAG_CR) &&
			res->result != (uint8_t)(d->op_specific[0] & 1))
		res->status = IDXP_COMP_SUCCESS_PRED;
}

static uint8_t
check_desc(const struct idxp_sw_wq *wq, const struct idxp_hw_desc *d)
{
	uint32_t flags = d->op_flags & 0xffffff;
	uint8_t op = d->op_flags >> 24;

	if (flags & ~IDXP_FLAGS_VALID)
		return IDXP_COMP_INVALID_FLAGS;
	if (d->rsvd0 != 0)
		return IDXP_COMP_NONZERO_RESERVED;
	if ((op == IDXP_OP_MEMMOVE || op == IDXP_OP_FILL ||
			op == IDXP_OP_COMPARE) &&
			(d->size == 0 || d->size > wq->max_xfer))
		return IDXP_COMP_XFER_ERANGE;
	return 0;
}

/* Execute one non-batch descriptor. */
static void
exec_op(struct op_ctx *c, const struct idxp_hw_desc *d, struct op_res *res,
		bool *abandon)
{
	res->status = check_desc(c->wq, d);
	if (res->status != 0)
		return;
	switch (d->op_flags >> 24) {
	case IDXP_OP_NOP:
	case IDXP_OP_DRAIN:	/* in-order engine: everything before is done */
		break;
	case IDXP_OP_MEMMOVE:
		do_move(c, d->src, d->dst, d->size, res, abandon);
		break;
	case IDXP_OP_FILL:
		do_fill(c, d->pattern, d->dst, d->size, res, abandon);
		break;
	case IDXP_OP_MEMMOVE_SG:
		do_move_sg(c, d, res, abandon);
		break;
	case IDXP_OP_COMPARE:
		do_compare(c, d, res, abandon);
		break;
	default:
		res->status = IDXP_COMP_BAD_OPCODE;
		return;
	}
	if (res->status == 0)
		res->status = IDXP_COMP_SUCCESS;
}

/* Word 0 of an error record (SWERR, event log) for @c's descriptor. */
static uint64_t
err_word0(const struct op_ctx *c, uint8_t code, bool write)
{
	uint64_t w = IDXP_ERR_DESC_VALID | IDXP_ERR_WQ_VALID |
		(c->in_batch ? IDXP_ERR_BATCH : 0) | (write ? IDXP_ERR_FAULT_WRITE : 0);

	w = idxp_field_set(w, IDXP_ERR_CODE_MASK, code);
	w = idxp_field_set(w, IDXP_ERR_WQ_MASK, c->wq_idx);
	w = idxp_field_set(w, IDXP_ERR_OP_MASK, c->d->op_flags >> 24);
	return idxp_field_set(w, IDXP_ERR_PASID_MASK, c->d->pasid & IDXP_DESC_PASID_MASK);
}

/*
 * A completion record the device could not write goes to the event log,
 * with the record it would have written, for the driver to deliver (as
 * Linux's idxd copies it to its owner). Losing it would stall the queue
 * for good: a full log halts the device instead, so the driver's reset
 * completes everything in flight.
 */
static void
report_cr_fault(struct op_ctx *c, uint64_t addr, const struct op_res *res,
		uint8_t why)
{
	struct idxp_dsa_evl_entry e;
	struct idxp_hw_comp cr = {
		.status = res->status,
		.result = res->result,
		.bytes_completed = res->bytes,
		.fault_addr = res->fault_addr,
	};

	memset(&e, 0, sizeof(e));
	e.info = err_word0(c, why, true);
	e.batch_idx = c->batch_index;
	e.fault_addr = addr;
	memcpy(e.comp, &cr, sizeof(cr));
	if (idxp_sw_evl_write(c->eng->dev, &e) < 0)
		idxp_sw_halt(c->eng->dev, IDXP_MHALT_EVL_FULL);
}

/*
 * Write a completion record: body first, then the status byte with release
 * ordering so a poller that sees the status sees the whole record. A record
 * address that does not translate goes to the event log instead.
 */
static bool
write_comp(struct op_ctx *c, uint64_t addr, const struct op_res *res)
{
	struct idxp_hw_comp *cr;
	uint64_t avail;

	if (unlikely(addr & 31)) {
		report_cr_fault(c, addr, res, IDXP_COMP_CRA_ALIGN);
		return false;
	}
	/* Injected faults hit the record the driver polls, not batch members. */
	if (unlikely(!c->in_batch && c->inj && inject_take(c, IDXP_MINJ_COMP))) {
		report_cr_fault(c, addr, res, IDXP_COMP_CRA_XLAT);
		return false;
	}
	cr = (void *)xlate(c->eng, addr, IDXP_IOMMU_WRITE, &avail);
	if (unlikely(cr == NULL || avail < sizeof(*cr))) {
		report_cr_fault(c, addr, res, IDXP_COMP_CRA_XLAT);
		return false;
	}
	cr->result = res->result;
	cr->rsvd = 0;
	cr->bytes_completed = res->bytes;
	cr->fault_addr = res->fault_addr;
	__atomic_store_n(&cr->status, res->status, __ATOMIC_RELEASE);
	return true;
}

/*
 * Completion interrupt of a descriptor with RCI: the vector its handle
 * names. The record store (release) came first, so a waiter the eventfd
 * wakes sees the record.
 */
static void
signal_completion(struct op_ctx *c, uint32_t vector)
{
	sw_count(c->eng->dev, IDXP_MREG_CTR_WQ_INTR);
	idxp_sw_raise_vector(c->eng->dev, vector);
}

static bool
wants_record(uint32_t flags, uint8_t status)
{
	return (flags & IDXP_FLAG_CRAV) &&
		((flags & IDXP_FLAG_RCR) || status != IDXP_COMP_SUCCESS);
}

/* VA of [iova, iova + n) when one entry covers it with @perm, or NULL. */
static inline uint8_t *
hit(struct idxp_engine *eng, uint64_t iova, uint32_t n, uint32_t perm)
{
	const struct idxp_iommu_entry *e = lookup(eng, iova);
	uint64_t off;

	if (e == NULL || (e->perm & perm) != perm)
		return NULL;
	off = iova - e->iova;
	if (e->len - off < n)
		return NULL;
	return e->va + off;
}

#define FAST_FLAGS_OK	(IDXP_FLAG_CRAV | IDXP_FLAG_FENCE | IDXP_FLAG_CC)

/*
 * Fast path of a batch member: a plain copy (no record wanted on success)
 * whose source and destination each sit in one translation and do not
 * overlap. Anything else takes exec_op(). True when done.
 */
static inline bool
fast_move(struct idxp_engine *eng, const struct idxp_sw_wq *wq,
		const struct idxp_hw_desc *d)
{
	uint32_t n = d->size;
	uint8_t *s, *t;

	if ((d->op_flags & ~FAST_FLAGS_OK) != idxp_op_flags(IDXP_OP_MEMMOVE, 0) ||
			n - 1 >= wq->max_xfer || d->rsvd0 != 0)
		return false;
	s = hit(eng, d->src, n, IDXP_IOMMU_READ);
	t = hit(eng, d->dst, n, IDXP_IOMMU_WRITE);
	if (s == NULL || t == NULL || (t < s + n && s < t + n))
		return false;
	copy_fwd(t, s, n);
	return true;
}

/* Batch: run the list in order, honouring fences after a failure. */
static bool
exec_batch(struct op_ctx *c, const struct idxp_hw_desc *bd, struct op_res *bres)
{
	const struct idxp_hw_desc *list;
	uint32_t i, n = bd->desc_count;
	uint64_t avail, bytes = 0;
	bool failed = false, abandon = false;

	if (n < 2 || n > c->wq->max_batch) {
		bres->status = IDXP_COMP_DESC_CNT_ERANGE;
		return true;
	}
	if (bd->desc_list & 63) {
		bres->status = IDXP_COMP_DESCLIST_ALIGN;
		return true;
	}
	list = (const void *)xlate(c->eng, bd->desc_list, IDXP_IOMMU_READ, &avail);
	if (list == NULL || avail < (uint64_t)n * 64) {
		bres->status = IDXP_COMP_BATCH_PAGE_FAULT;
		bres->fault_addr = bd->desc_list;
		return true;
	}
	c->in_batch = true;
	for (i = 0; i < n; i++) {
		const struct idxp_hw_desc *d = &list[i];
		struct op_res r = {0};

		if ((d->op_flags & IDXP_FLAG_FENCE) && failed)
			break;
		if (unlikely((i % CHECK_OPS == 0 || bytes > CHECK_BYTES))) {
			if (!wq_running(c))
				return false;
			bytes = 0;
		}
		bytes += d->size;
		if (i + 4 < n)
			rte_prefetch0(&list[i + 4]);
		if (likely(!c->inj) && fast_move(c->eng, c->wq, d))
			continue;
		c->d = d;
		c->batch_index = (uint16_t)i;
		if (unlikely((d->op_flags >> 24) == IDXP_OP_BATCH))
			r.status = IDXP_COMP_BAD_OPCODE;	/* no nesting */
		else
			exec_op(c, d, &r, &abandon);
		if (unlikely(abandon))
			return false;
		if (unlikely(r.status != IDXP_COMP_SUCCESS &&
				r.status != IDXP_COMP_SUCCESS_PRED))
			failed = true;
		if (unlikely(wants_record(d->op_flags, r.status)))
			write_comp(c, d->completion, &r);
	}
	c->d = bd;
	c->in_batch = false;
	c->batch_index = 0;
	bres->status = failed ? IDXP_COMP_BATCH_FAIL : IDXP_COMP_SUCCESS;
	bres->bytes = i;	/* descriptors completed */
	return true;
}

static void
maybe_halt(struct idxp_engine *eng)
{
	uint32_t *r = (uint32_t *)(eng->dev->bar0 + IDXP_MREG_INJ_HALT);

	if (unlikely(*(volatile uint32_t *)r) &&
			__atomic_exchange_n(r, 0, __ATOMIC_ACQ_REL)) {
		sw_count(eng->dev, IDXP_MREG_CTR_INJECTED);
		idxp_sw_halt(eng->dev, IDXP_MHALT_INJECTED);
	}
}

/*
 * A descriptor the device cannot report on through a record (RCR or RCI
 * without a completion address): only the software error register can.
 */
static void
swerr_no_record(struct op_ctx *c)
{
	idxp_sw_swerr(c->eng->dev, err_word0(c, IDXP_COMP_INVALID_FLAGS, false),
			idxp_field_set(0, IDXP_SWERR_INVALID_FLAGS_MASK,
				c->d->op_flags & (IDXP_FLAG_RCR | IDXP_FLAG_RCI)), 0);
}

/* Process one portal descriptor; false if the device stopped under it. */
static bool
exec_portal_desc(struct op_ctx *c, const struct idxp_hw_desc *d)
{
	struct op_res res = {0};
	bool abandon = false, irq = (d->op_flags & IDXP_FLAG_RCI) != 0;
	uint32_t vector = 0;

	c->d = d;
	c->in_batch = false;
	c->batch_index = 0;
	c->inj = inject_armed(c);
	maybe_halt(c->eng);
	if (unlikely(!wq_running(c)))
		return false;
	if (unlikely((d->op_flags & (IDXP_FLAG_RCR | IDXP_FLAG_RCI)) &&
			!(d->op_flags & IDXP_FLAG_CRAV))) {
		swerr_no_record(c);
		return true;
	}
	if (unlikely(irq) && !idxp_sw_handle_vector(c->eng->dev, d->intr_handle,
			&vector)) {
		/* A revoked or unknown handle: not executed. */
		res.status = IDXP_COMP_INT_HANDLE_INVAL;
		irq = false;
	} else if ((d->op_flags >> 24) == IDXP_OP_BATCH) {
		res.status = check_desc(c->wq, d);
		if (res.status == 0 && !exec_batch(c, d, &res))
			return false;
	} else {
		exec_op(c, d, &res, &abandon);
		if (abandon)
			return false;
	}
	c->d = d;
	if (wants_record(d->op_flags, res.status))
		write_comp(c, d->completion, &res);
	if (irq)
		signal_completion(c, vector);
	return true;
}

/*
 * Take the queued descriptors of @w, oldest first. The device owns a
 * private copy once it took the slot; clearing the slot's first quadword
 * hands the slot back (the driver reuses it only after a completion).
 */
static unsigned int
service_wq(struct idxp_engine *eng, uint32_t w)
{
	struct idxp_sw_wq *wq = &eng->dev->wq[w];
	struct op_ctx c = { .eng = eng, .wq = wq, .wq_idx = (uint16_t)w };
	unsigned int n = 0;

	if (!__atomic_load_n(&wq->enabled, __ATOMIC_ACQUIRE))
		return 0;
	while (n < WQ_BUDGET) {
		struct idxp_hw_desc *slot = &wq->slots[wq->cursor];
		struct idxp_hw_desc d;

		if (slot_q0(slot) == 0)
			break;
		/* Busy before the slot is handed back: a drain that sees the
		 * slot empty (acquire) also sees this engine holding it.
		 */
		__atomic_store_n(&eng->busy_wq, (int32_t)w, __ATOMIC_RELAXED);
		d = *slot;
		__atomic_store_n((uint64_t *)slot, 0, __ATOMIC_RELEASE);
		wq->cursor = (wq->cursor + 1) % IDXP_SW_WQ_SLOTS;
		/* Release: an enqueuer that sees the count sees the slot free. */
		__atomic_store_n(&wq->taken, wq->taken + 1, __ATOMIC_RELEASE);
		tbl_refresh(eng);
		if (!exec_portal_desc(&c, &d)) {
			__atomic_store_n(&eng->busy_wq, -1, __ATOMIC_RELEASE);
			break;
		}
		/* Release: a drain that sees -1 sees this descriptor's record. */
		__atomic_store_n(&eng->busy_wq, -1, __ATOMIC_RELEASE);
		n++;
	}
	return n;
}

static void
pin(struct idxp_engine *eng)
{
	cpu_set_t set;

	if (eng->cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(eng->cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0)
		eng->cpu = -1;	/* reported by idxp_sw_dev_create() */
}

static unsigned int
service_all(struct idxp_engine *eng)
{
	unsigned int i, n = 0;

	if (!dev_running(eng))
		return 0;
	for (i = 0; i < eng->nb_wqs; i++)
		n += service_wq(eng, eng->wqs[i]);
	return n;
}

/* Any of this engine's work queues enabled on a running device? */
static bool
engine_active(const struct idxp_engine *eng)
{
	unsigned int i;

	if (sw_state(eng->dev) != IDXP_GENSTS_ENABLED)
		return false;
	for (i = 0; i < eng->nb_wqs; i++)
		if (eng->dev->wq[eng->wqs[i]].enabled)
			return true;
	return false;
}

/*
 * Adaptive idle spin. Spinning pays only when work comes back within the
 * spin window; otherwise it burns a core for nothing (at 1000 ops/s a
 * 200 us spin after each op is a fifth of one). The engine remembers, for
 * its last few idle spells, whether each ended within spin_cycles however
 * it waited (spinning, or asleep and rung), and spins only while one of
 * them did. A burst after a quiet spell costs one sleeping wake-up, and
 * the next short gap turns spinning back on.
 */
#define IDLE_HISTORY_MASK	0xfu	/* the last four idle spells */

struct idle_policy {
	uint64_t last_busy;
	uint64_t idle_since;
	uint32_t short_gaps;		/* bit set: that spell was short */
	bool idle;
};

static inline void
idle_end(struct idle_policy *ip, const struct idxp_sw_dev *dev, uint64_t now)
{
	if (ip->idle) {
		ip->short_gaps = ((ip->short_gaps << 1) |
				(now - ip->idle_since < dev->spin_cycles)) & IDLE_HISTORY_MASK;
		ip->idle = false;
	}
	ip->last_busy = now;
}

static inline bool
idle_spin(struct idle_policy *ip, const struct idxp_engine *eng)
{
	const struct idxp_sw_dev *dev = eng->dev;
	uint64_t now = rte_get_timer_cycles();

	if (!ip->idle) {
		ip->idle = true;
		ip->idle_since = now;
	}
	/* Spin only while there is a queue to serve (idle=spin too). */
	return (ip->short_gaps != 0 || dev->spin_cycles == UINT64_MAX) &&
		now - ip->last_busy < dev->spin_cycles && engine_active(eng);
}

void *
idxp_sw_engine_main(void *arg)
{
	struct idxp_engine *eng = arg;
	struct idxp_sw_dev *dev = eng->dev;
	struct idle_policy ip = {
		.last_busy = rte_get_timer_cycles(),
		.short_gaps = IDLE_HISTORY_MASK,
	};

	pin(eng);
	/* Release: creation waits for tid, then reads the pinning result. */
	__atomic_store_n(&eng->tid, (int)syscall(SYS_gettid), __ATOMIC_RELEASE);
	idxp_iommu_reader_online(dev->mmu, eng->id);
	while (!__atomic_load_n(&eng->quit, __ATOMIC_ACQUIRE)) {
		/* Acquire: a command's changes are visible with its generation. */
		uint32_t gen = __atomic_load_n(&dev->park_gen, __ATOMIC_ACQUIRE);
		unsigned int n = service_all(eng);

		if (eng->ack_gen != gen)
			__atomic_store_n(&eng->ack_gen, gen, __ATOMIC_RELEASE);
		eng->tbl = NULL;
		idxp_iommu_quiescent(dev->mmu, eng->id);
		if (n > 0) {
			idle_end(&ip, dev, rte_get_timer_cycles());
			continue;
		}
		if (idle_spin(&ip, eng)) {
			rte_pause();
			continue;
		}
		idxp_iommu_reader_offline(dev->mmu, eng->id);
		idxp_sw_engine_idle_wait(eng);
		idxp_iommu_reader_resume(dev->mmu, eng->id);
		ip.last_busy = rte_get_timer_cycles();
	}
	idxp_iommu_reader_offline(dev->mmu, eng->id);
	return NULL;
}
