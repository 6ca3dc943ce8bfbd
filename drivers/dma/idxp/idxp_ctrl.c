/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Control thread, as Linux idxd's misc interrupt thread: it sleeps on
 * MSI-X vector 0, reads INTCAUSE and writes the bits back (write 1 to
 * clear), then acts on each cause: SWERR for a software error, the event
 * log (completion records the device could not write), a halt (reset,
 * program, re-enable the WQs that were enabled), revoked interrupt
 * handles (ask for new ones). It also answers the IOMMU's page requests
 * in SVA mode. It never touches a vchan's ring: what the owning lcore
 * must do is handed over as an idxp_work item.
 *
 * Also: the public counters/events/injection API.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_memzone.h>
#include <rte_pause.h>

#include "idxp_internal.h"

#define LOG_INTERVAL_S	1	/* rate limit of per-entry warnings */

/* Event types of struct rte_pmd_idxp_event. */
#define EV_PAGE_REQUEST		1
#define EV_FAULT		2
#define EV_CR_FAULT		3
#define EV_SW_ERROR		4
#define EV_HALT			5
#define EV_HANDLES_REVOKED	6

/* ---- event history (for tools) ---- */

void
idxp_event_record(struct idxp_priv *priv, const struct rte_pmd_idxp_event *ev)
{
	rte_spinlock_lock(&priv->ev_lock);
	priv->events[priv->nb_events % IDXP_EVENT_HISTORY] = *ev;
	priv->nb_events++;
	rte_spinlock_unlock(&priv->ev_lock);
}

static bool
log_due(uint64_t *last)
{
	uint64_t now = rte_get_timer_cycles();

	if (now - *last < LOG_INTERVAL_S * rte_get_timer_hz())
		return false;
	*last = now;
	return true;
}

/* ---- page requests (the IOMMU's queue, SVA) ---- */

/* Is [lo, hi) inside one mapping of this process with @prot? Sets *end. */
static bool
range_mapped(uintptr_t lo, uintptr_t hi, bool write, uintptr_t *end)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	bool ok = false;

	if (f == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL) {
		uintptr_t a, b;
		char perm[5];

		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %4s", &a, &b, perm) != 3)
			continue;
		if (lo < a || lo >= b)
			continue;
		ok = perm[0] == 'r' && (!write || perm[1] == 'w');
		*end = RTE_MIN(b, hi);
		break;
	}
	fclose(f);
	return ok;
}

/* Fault the pages in so the engine never takes a CPU page fault on them. */
static void
populate(uintptr_t lo, uintptr_t hi, bool write)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t p;

#ifdef MADV_POPULATE_WRITE
	if (madvise((void *)lo, hi - lo, write ? MADV_POPULATE_WRITE :
			MADV_POPULATE_READ) == 0)
		return;
#endif
	for (p = lo; p < hi; p += pg) {
		if (write)	/* an atomic +0 keeps concurrent stores intact */
			__atomic_fetch_add((uint8_t *)p, 0, __ATOMIC_RELAXED);
		else
			(void)*(volatile uint8_t *)p;
	}
}

/* Resolve a page request; returns IDXP_PRS_*. */
static uint32_t
resolve(struct idxp_priv *priv, const struct idxp_prq_req *r)
{
	struct idxp_iommu *mmu = priv->bus->iommu;
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = RTE_ALIGN_FLOOR((uintptr_t)r->addr, pg);
	uintptr_t hi = RTE_ALIGN_CEIL((uintptr_t)r->addr + RTE_MAX(r->len, 1u), pg);
	rte_pmd_idxp_fault_handler_t handler;
	uintptr_t end;

	/* Acquire pairs with the release in fault_handler_register(). */
	handler = __atomic_load_n(&priv->fault_handler, __ATOMIC_ACQUIRE);
	/* 0 (mapped now) or 1 (not mine): either way the driver verifies. */
	if (handler != NULL && handler(priv->dev_id, r->addr, r->len, r->write,
			priv->fault_arg) < 0)
		return IDXP_PRS_INVALID;
	if (!priv->args.sva) {
		/* Injected request on a non-SVA device: valid if translated. */
		const struct idxp_iommu_table *t = idxp_iommu_current(mmu);

		return idxp_iommu_find(t, r->addr) != NULL ?
			IDXP_PRS_SUCCESS : IDXP_PRS_INVALID;
	}
	if (hi < lo || !range_mapped(lo, hi, r->write, &end))
		return IDXP_PRS_INVALID;
	populate(lo, end, r->write);
	if (idxp_iommu_map(mmu, (void *)lo, lo, end - lo,
			r->write ? IDXP_IOMMU_RW : IDXP_IOMMU_READ, IDXP_MAP_SVA) < 0)
		return IDXP_PRS_INVALID;
	return IDXP_PRS_SUCCESS;
}

static void
page_requests(struct idxp_priv *priv)
{
	struct idxp_iommu *mmu = priv->bus->iommu;
	struct idxp_prq_req r;
	uint64_t v;

	if (read(mmu->prq_fd, &v, sizeof(v)) < 0)
		v = 0;
	while (idxp_iommu_prq_next(mmu, &r)) {
		uint32_t code = resolve(priv, &r);
		struct rte_pmd_idxp_event ev = {
			.seq = priv->xstats.page_requests,
			.fault_addr = r.addr,
			.type = EV_PAGE_REQUEST,
			.status = IDXP_COMP_PAGE_FAULT_IR,
			.write = r.write,
			.response = (uint8_t)code,
		};

		priv->xstats.page_requests++;
		/* Recorded before the answer: whoever sees the response sees it. */
		idxp_event_record(priv, &ev);
		idxp_iommu_prq_respond(mmu, &r, code);
		priv->xstats.page_responses++;
		priv->xstats.page_responses_invalid += code != IDXP_PRS_SUCCESS;
	}
}

/* ---- event log: completion records the device could not write ---- */

/* VA of the driver-owned record at IOVA @addr of @vc, or NULL. */
static struct idxp_hw_comp *
record_of(const struct idxp_vchan *vc, uint64_t addr)
{
	uint64_t bc_len = ((uint64_t)vc->nb_desc + 1) * IDXP_BCOMP_STRIDE *
		sizeof(struct idxp_hw_comp);
	uint64_t oc_len = (uint64_t)vc->nb_desc * sizeof(struct idxp_hw_comp);

	if (addr & 31)
		return NULL;
	if (addr >= vc->batch_comp_iova && addr - vc->batch_comp_iova < bc_len)
		return (struct idxp_hw_comp *)((uint8_t *)vc->batch_comp +
				(addr - vc->batch_comp_iova));
	if (addr >= vc->op_comp_iova && addr - vc->op_comp_iova < oc_len)
		return (struct idxp_hw_comp *)((uint8_t *)vc->op_comp +
				(addr - vc->op_comp_iova));
	return NULL;
}

/*
 * Write the record the device could not, as the device would have: body
 * first, status last with release. Linux idxd does the same for records
 * of its user WQs (it copies them to the owner).
 */
static bool
deliver_record(struct idxp_priv *priv, uint16_t wq, uint64_t addr,
		const struct idxp_hw_comp *cr)
{
	struct idxp_hw_comp *dst;
	bool ok = false;

	pthread_mutex_lock(&priv->ctl_lock);
	if (wq < priv->nb_vchans && priv->vc[wq].configured &&
			(dst = record_of(&priv->vc[wq], addr)) != NULL) {
		dst->result = cr->result;
		dst->bytes_completed = cr->bytes_completed;
		dst->fault_addr = cr->fault_addr;
		__atomic_store_n(&dst->status, cr->status, __ATOMIC_RELEASE);
		ok = true;
	}
	pthread_mutex_unlock(&priv->ctl_lock);
	if (ok)	/* the waker is best effort: pollers see the record anyway */
		idxp_eventfd_signal(priv->vc[wq].intr_fd);
	return ok;
}

static void
service_entry(struct idxp_priv *priv, const struct idxp_dsa_evl_entry *e)
{
	static uint64_t last_log;
	uint8_t code = (uint8_t)idxp_field_get(e->info, IDXP_ERR_CODE_MASK);
	uint16_t wq = (uint16_t)idxp_field_get(e->info, IDXP_ERR_WQ_MASK);
	struct idxp_hw_comp cr;
	struct rte_pmd_idxp_event ev = {
		.seq = priv->xstats.evl_entries,
		.fault_addr = e->fault_addr,
		.vchan = wq,
		.status = code,
		.opcode = (uint8_t)idxp_field_get(e->info, IDXP_ERR_OP_MASK),
		.write = (e->info & IDXP_ERR_FAULT_WRITE) != 0,
	};

	memcpy(&cr, e->comp, sizeof(cr));
	ev.bytes_completed = cr.bytes_completed;
	priv->xstats.evl_entries++;
	if ((code & IDXP_COMP_STATUS_MASK) == IDXP_COMP_CRA_XLAT ||
			(code & IDXP_COMP_STATUS_MASK) == IDXP_COMP_CRA_ALIGN) {
		ev.type = EV_CR_FAULT;
		priv->xstats.cr_faults++;
		idxp_event_record(priv, &ev);
		if (!deliver_record(priv, wq, e->fault_addr, &cr) && log_due(&last_log))
			IDXP_DEV_LOG(priv, WARNING, "wq %u: completion record at 0x%"
					PRIx64 " not written (status 0x%x), and it is "
					"not one of ours", wq, e->fault_addr, cr.status);
		return;
	}
	ev.type = EV_FAULT;
	priv->xstats.faults++;
	idxp_event_record(priv, &ev);
	if (log_due(&last_log))
		IDXP_DEV_LOG(priv, WARNING, "device error 0x%x on wq %u, operation 0x%x, "
				"address 0x%" PRIx64, code, wq, ev.opcode, e->fault_addr);
}

static void
drain_evl(struct idxp_priv *priv)
{
	struct idxp_bus *bus = priv->bus;
	const uint8_t *log;
	uint32_t head, tail;
	uint64_t st;

	if (priv->evl_mz == NULL)
		return;
	pthread_mutex_lock(&priv->evl_lock);
	/* Clear interrupt-pending first: entries after the read re-raise it. */
	idxp_reg_write32(bus, IDXP_REG_EVLSTATUS + 4,
			(uint32_t)(IDXP_EVLSTATUS_INT_PENDING >> 32));
	st = idxp_reg_read64(bus, IDXP_REG_EVLSTATUS);
	head = idxp_evlstatus_head(st);
	tail = idxp_evlstatus_tail(st);
	log = priv->evl_mz->addr;
	while (head != tail && head < priv->evl_size) {
		service_entry(priv, (const struct idxp_dsa_evl_entry *)(log +
				(size_t)head * priv->caps.evl_entry_size));
		head = (head + 1) % priv->evl_size;
	}
	/* The slots are the device's again once head moves past them. */
	idxp_reg_write32(bus, IDXP_REG_EVLSTATUS, head);
	pthread_mutex_unlock(&priv->evl_lock);
}

void
idxp_ctrl_flush(struct idxp_priv *priv)
{
	drain_evl(priv);
}

/* ---- software errors ---- */

static void
software_error(struct idxp_priv *priv)
{
	uint64_t w[IDXP_SWERR_WORDS];
	unsigned int i;
	struct rte_pmd_idxp_event ev = { .type = EV_SW_ERROR };

	for (i = 0; i < IDXP_SWERR_WORDS; i++)
		w[i] = idxp_reg_read64(priv->bus, IDXP_REG_SWERR + 8 * i);
	if (!(w[0] & IDXP_SWERR_VALID))
		return;
	/* Rearm the record: valid and overflow are write-1-to-clear. */
	idxp_reg_write64(priv->bus, IDXP_REG_SWERR, w[0] & IDXP_SWERR_ACK);
	ev.seq = priv->xstats.sw_errors;
	ev.vchan = (uint16_t)idxp_field_get(w[0], IDXP_ERR_WQ_MASK);
	ev.status = (uint8_t)idxp_field_get(w[0], IDXP_ERR_CODE_MASK);
	ev.opcode = (uint8_t)idxp_field_get(w[0], IDXP_ERR_OP_MASK);
	ev.fault_addr = w[IDXP_SWERR_FAULT_ADDR_WORD];
	idxp_event_record(priv, &ev);
	priv->xstats.sw_errors++;
	IDXP_DEV_LOG(priv, WARNING, "software error 0x%x on wq %u (operation 0x%x, "
			"invalid flags 0x%" PRIx64 ")%s", ev.status, ev.vchan, ev.opcode,
			idxp_field_get(w[1], IDXP_SWERR_INVALID_FLAGS_MASK),
			(w[0] & IDXP_SWERR_OVERFLOW) ? ", more were lost" : "");
}

/* ---- halt and recovery ---- */

/* Control side of the recovery handshake (see post_begin()). */
void
idxp_vchan_quiesce(struct idxp_vchan *vc)
{
	/* Orders the odd epoch store before the in_post load, on the
	 * owner's side too (idxp_fence.h).
	 */
	idxp_fence_heavy(idxp_asym_fences);
	while (__atomic_load_n(&vc->in_post, __ATOMIC_ACQUIRE))
		rte_pause();
}

/*
 * Owner side of a reset: batches posted before it (epoch up to
 * abort_limit) and without a record were dropped by the device; they
 * complete as aborted. So does the interrupt-arming drain.
 */
static void
abort_work(struct idxp_work *w, void *arg)
{
	struct idxp_vchan *vc = arg;
	uint32_t limit = __atomic_load_n(&vc->abort_limit, __ATOMIC_ACQUIRE);
	uint16_t b;

	RTE_SET_USED(w);
	for (b = vc->batch_read; b != vc->batch_write; b++) {
		struct idxp_batch *bt = &vc->batch[b & vc->mask];
		struct idxp_hw_comp *bc = idxp_bcomp(vc, b);

		if (bt->aborted || bc->status != IDXP_COMP_NONE ||
				(int32_t)(bt->epoch - limit) > 0)
			continue;
		bc->status = IDXP_COMP_DRV_ABORT;
		bt->aborted = 1;
		vc->aborted += bt->count;
	}
	if (vc->arm_posted && vc->arm_comp->status == IDXP_COMP_NONE)
		vc->arm_posted = false;
}

static int
reenable(struct idxp_priv *priv)
{
	uint16_t i;
	int ret = 0;

	for (i = 0; i < priv->nb_vchans && ret == 0; i++)
		if (priv->wq_enabled_mask & (1u << i))
			ret = idxp_dev_wq_enable(priv, i);
	return ret;
}

/* Make every vchan's epoch odd and wait until none is inside a post. */
void
idxp_vchans_quiesce(struct idxp_priv *priv)
{
	uint16_t i;

	for (i = 0; i < priv->args.max_vchans; i++) {
		struct idxp_vchan *vc = &priv->vc[i];
		uint32_t e = __atomic_load_n(&vc->epoch, __ATOMIC_ACQUIRE);

		if (!(e & 1))
			__atomic_store_n(&vc->epoch, e + 1, __ATOMIC_RELEASE);
		idxp_vchan_quiesce(vc);
		/* Everything posted so far was posted in an epoch up to e. */
		__atomic_store_n(&vc->abort_limit, e | 1, __ATOMIC_RELEASE);
	}
}

/*
 * Halt recovery, as Linux idxd does it: reset, program the device again,
 * re-enable the WQs that were enabled, and abort what the device dropped.
 * The abort happens whether or not the reset worked: a device that stays
 * halted completes nothing, so every op in flight is reported by the
 * driver (NOT_ATTEMPTED), and ops submitted later are completed the same
 * way by the fast path while the epoch stays odd.
 */
static void
recover_locked(struct idxp_priv *priv)
{
	struct rte_pmd_idxp_event ev = { .type = EV_HALT };
	uint16_t i;
	int ret;

	priv->xstats.halts++;
	ev.seq = priv->xstats.halts;
	idxp_event_record(priv, &ev);
	IDXP_DEV_LOG(priv, ERR, "device halted (reason %u), resetting",
			(priv->bus->features & IDXP_BUS_F_MODEL) ?
			idxp_reg_read32(priv->bus, IDXP_MREG_HALT_REASON) : 0);
	idxp_vchans_quiesce(priv);
	ret = idxp_dev_reset(priv);
	if (ret == 0 && priv->started)
		ret = reenable(priv);
	for (i = 0; i < priv->nb_vchans; i++)
		if (priv->vc[i].configured)
			idxp_work_queue(&priv->vc[i], &priv->vc[i].abort_work);
	if (ret < 0) {
		priv->xstats.reset_failures++;
		__atomic_store_n(&priv->halted, 1, __ATOMIC_RELEASE);
		IDXP_DEV_LOG(priv, ERR, "reset failed (%s): device stays halted "
				"until rte_dma_stop() + rte_dma_start()", strerror(-ret));
	} else {
		priv->xstats.resets++;
		/* Posts are safe again, and start at the WQ's first slot. */
		for (i = 0; i < priv->args.max_vchans; i++)
			__atomic_fetch_add(&priv->vc[i].epoch, 1, __ATOMIC_RELEASE);
		IDXP_DEV_LOG(priv, NOTICE, "device reset, work queues re-enabled");
	}
	idxp_intr_wake_all(priv);
}

static void
recover(struct idxp_priv *priv)
{
	pthread_mutex_lock(&priv->ctl_lock);
	if (idxp_dev_state(priv) == IDXP_GENSTS_HALT)
		recover_locked(priv);
	pthread_mutex_unlock(&priv->ctl_lock);
}

/*
 * Interrupt handles revoked: ask for new ones. A drain that carried an old
 * handle completes with an error and raises nothing, so every waiter is
 * woken to arm again with the new handle: no completion interrupt is lost.
 */
static void
handles_revoked(struct idxp_priv *priv)
{
	struct rte_pmd_idxp_event ev = { .type = EV_HANDLES_REVOKED };

	ev.seq = ++priv->xstats.handle_revokes;
	idxp_event_record(priv, &ev);
	pthread_mutex_lock(&priv->ctl_lock);
	if (idxp_dev_request_handles(priv) < 0)
		IDXP_DEV_LOG(priv, ERR, "interrupt handles revoked, and new ones "
				"were refused: waits fall back to their timeouts");
	pthread_mutex_unlock(&priv->ctl_lock);
	idxp_intr_wake_all(priv);
}

/* ---- the misc interrupt ---- */

static void
handle_misc(struct idxp_priv *priv)
{
	uint64_t v;
	uint32_t cause;

	if (read(priv->bus->vector_fd[0], &v, sizeof(v)) < 0)
		v = 0;
	priv->xstats.misc_interrupts++;
	/* Acknowledge what was seen, act, and look again, as idxd does. */
	while ((cause = idxp_reg_read32(priv->bus, IDXP_REG_INTCAUSE)) != 0) {
		idxp_reg_write32(priv->bus, IDXP_REG_INTCAUSE, cause);
		if (cause & IDXP_INTCAUSE_ERR)
			software_error(priv);
		if (cause & IDXP_INTCAUSE_EVL)
			drain_evl(priv);
		if (cause & IDXP_INTCAUSE_INT_HANDLE_REVOKED)
			handles_revoked(priv);
		if (cause & IDXP_INTCAUSE_HALT_STATE) {
			recover(priv);
			break;	/* the reset cleared INTCAUSE */
		}
	}
}

/*
 * ---- a kernel-owned WQ ----
 *
 * The kernel takes the device's interrupts, resets it after a halt and
 * disables its user WQs meanwhile; all a user sees is the WQ's state in
 * sysfs, and the char device turning readable on a software error.
 */
#define KWQ_WATCH_MS	100

/*
 * The kernel disabled the WQ: what it held will never complete. As after
 * a failed reset: posts stop (odd epoch), the owner aborts what is in
 * flight, calls fail with -EIO until the WQ is back and the application
 * restarts the device.
 */
static void
kwq_lost(struct idxp_priv *priv)
{
	struct rte_pmd_idxp_event ev = { .type = EV_HALT };
	uint16_t i;

	if (__atomic_load_n(&priv->halted, __ATOMIC_ACQUIRE) ||
			priv->bus->ops->wq_enabled(priv->bus))
		return;
	/* Again under the lock: a start may have seen the WQ back since. */
	pthread_mutex_lock(&priv->ctl_lock);
	if (priv->halted || priv->bus->ops->wq_enabled(priv->bus)) {
		pthread_mutex_unlock(&priv->ctl_lock);
		return;
	}
	ev.seq = ++priv->xstats.halts;
	idxp_event_record(priv, &ev);
	IDXP_DEV_LOG(priv, ERR, "the kernel disabled the work queue: ops in "
			"flight complete as not attempted; once it is enabled again, "
			"rte_dma_stop() + rte_dma_start()");
	idxp_vchans_quiesce(priv);
	for (i = 0; i < priv->nb_vchans; i++)
		if (priv->vc[i].configured)
			idxp_work_queue(&priv->vc[i], &priv->vc[i].abort_work);
	__atomic_store_n(&priv->halted, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&priv->ctl_lock);
}

/*
 * The char device is readable: the kernel latched a software error. A
 * halt may follow it at once: the caller looks at the WQ's state now, not
 * at the next tick.
 */
static void
kwq_error(struct idxp_priv *priv)
{
	struct rte_pmd_idxp_event ev = { .type = EV_SW_ERROR };

	ev.seq = priv->xstats.sw_errors++;
	idxp_event_record(priv, &ev);
	IDXP_DEV_LOG(priv, WARNING, "the kernel reports a software error on "
			"this work queue's device (see dmesg)");
}

/* ---- the thread ---- */

enum { SRC_MISC, SRC_PRQ, SRC_STOP, SRC_WQERR };

static void
ctrl_watch(int ep, int fd, uint32_t events, uint32_t src)
{
	struct epoll_event e = { .events = events, .data.u32 = src };

	if (fd >= 0)
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

static uint32_t
ctrl_main(void *arg)
{
	struct idxp_priv *priv = arg;
	bool kernel = (priv->bus->features & IDXP_BUS_F_KERNEL) != 0;
	struct epoll_event evs[4];
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0)
		return 1;
	ctrl_watch(ep, priv->bus->vector_fd[0], EPOLLIN, SRC_MISC);
	if (priv->bus->iommu != NULL)
		ctrl_watch(ep, priv->bus->iommu->prq_fd, EPOLLIN, SRC_PRQ);
	/* Edge-triggered: the error stays readable until the kernel clears it. */
	ctrl_watch(ep, priv->bus->err_fd, EPOLLIN | EPOLLET, SRC_WQERR);
	ctrl_watch(ep, priv->ctrl_stop_fd, EPOLLIN, SRC_STOP);
	for (;;) {
		int i, n = epoll_wait(ep, evs, RTE_DIM(evs), kernel ? KWQ_WATCH_MS : -1);
		bool stop = false;

		for (i = 0; i < n; i++) {
			if (evs[i].data.u32 == SRC_STOP)
				stop = true;
			else if (evs[i].data.u32 == SRC_PRQ)
				page_requests(priv);
			else if (evs[i].data.u32 == SRC_WQERR)
				kwq_error(priv);
			else
				handle_misc(priv);
		}
		if (stop)
			break;
		if (kernel)
			kwq_lost(priv);
	}
	close(ep);
	return 0;
}

int
idxp_ctrl_start(struct idxp_priv *priv)
{
	char name[RTE_MAX_THREAD_NAME_LEN];
	uint16_t i;
	int ret;

	for (i = 0; i < priv->args.max_vchans; i++)
		priv->vc[i].abort_work.fn = abort_work;
	priv->ctrl_stop_fd = eventfd(0, EFD_CLOEXEC);
	if (priv->ctrl_stop_fd < 0)
		return -errno;
	snprintf(name, sizeof(name), "idxp-ctl%d", priv->dev_id);
	ret = idxp_ctrl_thread_create(&priv->ctrl_thread, name, ctrl_main, priv);
	if (ret != 0) {
		close(priv->ctrl_stop_fd);
		priv->ctrl_stop_fd = -1;
		return ret;
	}
	priv->ctrl_running = true;
	return 0;
}

void
idxp_ctrl_stop(struct idxp_priv *priv)
{
	uint64_t one = 1;

	if (!priv->ctrl_running)
		return;
	if (write(priv->ctrl_stop_fd, &one, sizeof(one)) < 0)
		IDXP_DEV_LOG(priv, ERR, "cannot stop the control thread");
	idxp_thread_join(priv->ctrl_thread);
	close(priv->ctrl_stop_fd);
	priv->ctrl_stop_fd = -1;
	priv->ctrl_running = false;
}

/* ---- public API: faults, counters, events ---- */

int
rte_pmd_idxp_fault_from_str(const char *name, enum rte_pmd_idxp_fault *kind)
{
	static const char *const names[RTE_PMD_IDXP_FAULT_MAX] = {
		"src", "dst", "comp", "page_req", "halt", "reset_fail", "revoke",
	};
	unsigned int i;

	if (name == NULL || kind == NULL)
		return -EINVAL;
	for (i = 0; i < RTE_DIM(names); i++) {
		if (strcmp(name, names[i]) == 0) {
			*kind = (enum rte_pmd_idxp_fault)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* The model's injection registers; the enum's first four are per WQ. */
int
idxp_inject(struct idxp_priv *priv, uint16_t wq, enum rte_pmd_idxp_fault kind,
		uint32_t count)
{
	struct idxp_bus *bus = priv->bus;
	uint32_t off;

	if (!(bus->features & IDXP_BUS_F_MODEL))
		return -ENOTSUP;	/* hardware has no injection */
	switch (kind) {
	case RTE_PMD_IDXP_FAULT_HALT:
		idxp_reg_write32(bus, IDXP_MREG_INJ_HALT, 1);
		return 0;
	case RTE_PMD_IDXP_FAULT_RESET_FAIL:
		idxp_reg_write32(bus, IDXP_MREG_INJ_RESET_FAIL, 1);
		return 0;
	case RTE_PMD_IDXP_FAULT_REVOKE:
		idxp_reg_write32(bus, IDXP_MREG_INJ_REVOKE, 1);
		return 0;
	default:
		break;
	}
	off = IDXP_MREG_WQ_INJECT(wq, (uint32_t)kind);
	idxp_reg_write32(bus, off, idxp_reg_read32(bus, off) + count);
	return 0;
}

/* Injections asked for on the command line, armed once the device is up. */
void
idxp_inject_devargs(struct idxp_priv *priv, const struct idxp_devargs *a)
{
	unsigned int k, v;

	if (priv == NULL)
		return;
	for (k = 0; k < RTE_PMD_IDXP_FAULT_MAX; k++) {
		if (a->inject[k] == 0)
			continue;
		if (k == RTE_PMD_IDXP_FAULT_HALT || k == RTE_PMD_IDXP_FAULT_RESET_FAIL ||
				k == RTE_PMD_IDXP_FAULT_REVOKE) {
			idxp_inject(priv, 0, (enum rte_pmd_idxp_fault)k, 1);
			continue;
		}
		for (v = 0; v < a->max_vchans; v++)
			idxp_inject(priv, (uint16_t)v, (enum rte_pmd_idxp_fault)k,
					a->inject[k]);
	}
}

int
rte_pmd_idxp_inject(int16_t dev_id, uint16_t vchan, enum rte_pmd_idxp_fault kind,
		uint32_t count)
{
	struct idxp_priv *priv = idxp_priv_get(dev_id);

	if (priv == NULL)
		return -ENODEV;
	if ((unsigned int)kind >= RTE_PMD_IDXP_FAULT_MAX)
		return -EINVAL;
	if (kind < RTE_PMD_IDXP_FAULT_HALT && (vchan >= priv->nb_vchans || count == 0))
		return -EINVAL;
	return idxp_inject(priv, vchan, kind, count);
}

static uint64_t
model_ctr(const struct idxp_priv *priv, uint32_t off)
{
	return (priv->bus->features & IDXP_BUS_F_MODEL) ?
		idxp_reg_read64(priv->bus, off) : 0;
}

int
rte_pmd_idxp_stats_get(int16_t dev_id, struct rte_pmd_idxp_stats *st)
{
	struct idxp_priv *priv = idxp_priv_get(dev_id);
	const struct idxp_ctr_base *b;
	uint16_t i;

	if (priv == NULL)
		return -ENODEV;
	if (st == NULL)
		return -EINVAL;
	b = &priv->ctr_base;
	*st = priv->xstats;
	st->wq_interrupts = model_ctr(priv, IDXP_MREG_CTR_WQ_INTR) - b->wq_intr;
	st->engine_sleeps = model_ctr(priv, IDXP_MREG_CTR_SLEEPS) - b->sleeps;
	st->injected = model_ctr(priv, IDXP_MREG_CTR_INJECTED) - b->injected;
	st->evl_overflows = model_ctr(priv, IDXP_MREG_CTR_EVL_OVERFLOWS) -
		b->evl_overflows;
	for (i = 0; i < priv->nb_vchans; i++) {
		st->faults += priv->vc[i].faults;
		st->aborted_ops += priv->vc[i].aborted;
		st->wakeups += priv->vc[i].wait_sleeps;
		st->portal_writes += priv->vc[i].portal_writes;
	}
	return 0;
}

int
rte_pmd_idxp_stats_reset(int16_t dev_id)
{
	struct idxp_priv *priv = idxp_priv_get(dev_id);
	uint16_t i;

	if (priv == NULL)
		return -ENODEV;
	memset(&priv->xstats, 0, sizeof(priv->xstats));
	/* The device's counters are read-only: keep baselines. */
	priv->ctr_base.wq_intr = model_ctr(priv, IDXP_MREG_CTR_WQ_INTR);
	priv->ctr_base.sleeps = model_ctr(priv, IDXP_MREG_CTR_SLEEPS);
	priv->ctr_base.injected = model_ctr(priv, IDXP_MREG_CTR_INJECTED);
	priv->ctr_base.evl_overflows = model_ctr(priv, IDXP_MREG_CTR_EVL_OVERFLOWS);
	for (i = 0; i < priv->nb_vchans; i++) {
		priv->vc[i].faults = 0;
		priv->vc[i].aborted = 0;
		priv->vc[i].wait_sleeps = 0;
		priv->vc[i].portal_writes = 0;
	}
	return 0;
}

int
rte_pmd_idxp_events_get(int16_t dev_id, struct rte_pmd_idxp_event *ev,
		unsigned int n)
{
	struct idxp_priv *priv = idxp_priv_get(dev_id);
	uint64_t first, i;
	unsigned int k = 0;

	if (priv == NULL)
		return -ENODEV;
	if (ev == NULL && n > 0)
		return -EINVAL;
	rte_spinlock_lock(&priv->ev_lock);
	n = RTE_MIN(n, (unsigned int)RTE_MIN(priv->nb_events,
			(uint64_t)IDXP_EVENT_HISTORY));
	first = priv->nb_events - n;
	for (i = first; i < priv->nb_events; i++)
		ev[k++] = priv->events[i % IDXP_EVENT_HISTORY];
	rte_spinlock_unlock(&priv->ev_lock);
	return (int)k;
}

int
rte_pmd_idxp_fault_handler_register(int16_t dev_id,
		rte_pmd_idxp_fault_handler_t handler, void *arg)
{
	struct idxp_priv *priv = idxp_priv_get(dev_id);

	if (priv == NULL)
		return -ENODEV;
	priv->fault_arg = arg;
	/* Release: the handler's argument is set before the handler. */
	__atomic_store_n(&priv->fault_handler, handler, __ATOMIC_RELEASE);
	return 0;
}

int
rte_pmd_idxp_sva_invalidate(int16_t dev_id, const void *addr, size_t len)
{
	struct idxp_priv *priv = idxp_priv_get(dev_id);

	if (priv == NULL)
		return -ENODEV;
	if (addr == NULL || len == 0)
		return -EINVAL;
	if (priv->bus->iommu == NULL)
		return -ENOTSUP;
	/* Returns after a grace period: the engines no longer use the range. */
	return idxp_iommu_unmap_origin_range(priv->bus->iommu,
			(uint64_t)(uintptr_t)addr, len, IDXP_MAP_SVA);
}
