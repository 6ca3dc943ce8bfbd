/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Control thread: sleeps on the misc interrupt, decodes the cause word,
 * drains the event log (page requests, completion-record faults, software
 * errors) and recovers from halts. It never touches a vchan's ring: what
 * the owning lcore must do is handed over as an idxp_work item.
 *
 * Also: the IOMMU programming from DPDK's memory map, and the public
 * counters/events/injection API.
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
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memory.h>
#include <rte_eal_memconfig.h>

#include "idxp_internal.h"

#define CR_LOG_INTERVAL_S	1	/* completion-record fault log rate limit */

/* ---- event history (for tools) ---- */

void
idxp_event_record(struct idxp_priv *priv, const struct rte_pmd_idxp_event *ev)
{
	rte_spinlock_lock(&priv->ev_lock);
	priv->events[priv->nb_events % IDXP_EVENT_HISTORY] = *ev;
	priv->nb_events++;
	rte_spinlock_unlock(&priv->ev_lock);
}

static void
record_entry(struct idxp_priv *priv, const struct idxp_hw_evl_entry *e,
		uint8_t response)
{
	struct rte_pmd_idxp_event ev = {
		.seq = e->seq,
		.fault_addr = e->fault_addr,
		.bytes_completed = e->bytes_completed,
		.vchan = e->wq,
		.type = e->type,
		.status = e->status,
		.opcode = e->opcode,
		.write = (e->flags & IDXP_EVL_F_WRITE) != 0,
		.response = response,
	};

	idxp_event_record(priv, &ev);
}

/* ---- page requests ---- */

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
resolve(struct idxp_priv *priv, const struct idxp_hw_evl_entry *e)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	bool write = (e->flags & IDXP_EVL_F_WRITE) != 0;
	uintptr_t lo = RTE_ALIGN_FLOOR((uintptr_t)e->fault_addr, pg);
	uintptr_t hi = RTE_ALIGN_CEIL((uintptr_t)e->fault_addr +
			RTE_MAX(e->fault_len, 1u), pg);
	rte_pmd_idxp_fault_handler_t handler;
	uintptr_t end;

	/* Acquire pairs with the release in fault_handler_register(). */
	handler = __atomic_load_n(&priv->fault_handler, __ATOMIC_ACQUIRE);
	/* 0 (mapped now) or 1 (not mine): either way the driver verifies. */
	if (handler != NULL && handler(priv->dev_id, e->fault_addr, e->fault_len,
			write, priv->fault_arg) < 0)
		return IDXP_PRS_INVALID;
	if (!priv->args.sva) {
		/* Injected request on a non-SVA device: valid if translated. */
		const struct idxp_iommu_table *t = idxp_iommu_current(&priv->mmu);

		return idxp_iommu_find(t, e->fault_addr) != NULL ?
			IDXP_PRS_SUCCESS : IDXP_PRS_INVALID;
	}
	if (hi < lo || !range_mapped(lo, hi, write, &end))
		return IDXP_PRS_INVALID;
	populate(lo, end, write);
	if (idxp_iommu_map(&priv->mmu, (void *)lo, lo, end - lo,
			write ? IDXP_IOMMU_RW : IDXP_IOMMU_READ, IDXP_MAP_SVA) < 0)
		return IDXP_PRS_INVALID;
	return IDXP_PRS_SUCCESS;
}

static void
page_response(struct idxp_priv *priv, const struct idxp_hw_evl_entry *e,
		uint32_t code)
{
	struct idxp_hw_wq_regs *wq = &priv->regs->wq[e->wq];
	uint64_t one = 1;

	wq->prs_code = code;
	/* Release: the code and the new translations before the id. */
	__atomic_store_n(&wq->prs_id, e->request_id, __ATOMIC_RELEASE);
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (wq->doorbell->sleeping &&
			write(wq->doorbell->fd, &one, sizeof(one)) < 0)
		IDXP_DEV_LOG(priv, ERR, "page response doorbell failed");
	priv->xstats.page_responses++;
	priv->xstats.page_responses_invalid += code != IDXP_PRS_SUCCESS;
}

/* ---- completion-record faults ---- */

/*
 * The device could not write a batch's completion record. The owner marks
 * that batch failed so its ops are reported, not lost.
 */
static void
cr_fault_work(struct idxp_work *w, void *arg)
{
	struct idxp_vchan *vc = arg;
	uint16_t b;

	RTE_SET_USED(w);
	for (b = vc->batch_read; b != vc->batch_write; b++) {
		uint16_t slot = b & vc->mask;
		uint8_t lost = __atomic_exchange_n(&vc->cr_lost[slot], 0,
				__ATOMIC_ACQUIRE);

		if (lost != 0 && idxp_bcomp(vc, b)->status == IDXP_COMP_NONE)
			__atomic_store_n(&idxp_bcomp(vc, b)->status,
					IDXP_COMP_CRA_XLAT, __ATOMIC_RELEASE);
	}
}

/* Mark the batch whose record at @addr was lost; the owner reports it. */
static void
cr_fault_mark(struct idxp_vchan *vc, uint64_t addr)
{
	uint64_t stride = IDXP_BCOMP_STRIDE * sizeof(struct idxp_hw_comp);
	uint16_t slot;

	if (addr < vc->batch_comp_iova ||
			addr >= vc->batch_comp_iova + (uint64_t)vc->nb_desc * stride)
		return;
	slot = (uint16_t)((addr - vc->batch_comp_iova) / stride);
	/* Release: the mark is visible before the work item. */
	__atomic_store_n(&vc->cr_lost[slot], 1, __ATOMIC_RELEASE);
	idxp_work_queue(vc, &vc->cr_work);
	/* Wake a sleeper so it collects the failure. */
	if (write(vc->intr_fd, &(uint64_t){1}, sizeof(uint64_t)) < 0)
		return;
}

static void
cr_fault(struct idxp_priv *priv, const struct idxp_hw_evl_entry *e)
{
	static uint64_t last_log;
	uint64_t now = rte_get_timer_cycles();

	priv->xstats.cr_faults++;
	if (now - last_log > CR_LOG_INTERVAL_S * rte_get_timer_hz()) {
		last_log = now;
		IDXP_DEV_LOG(priv, WARNING, "wq %u: completion record at 0x%" PRIx64
				" not written (status 0x%x)", e->wq, e->comp_addr,
				e->request_id);
	}
	pthread_mutex_lock(&priv->ctl_lock);
	if (e->wq < priv->nb_vchans && priv->vc[e->wq].configured)
		cr_fault_mark(&priv->vc[e->wq], e->comp_addr);
	pthread_mutex_unlock(&priv->ctl_lock);
}

/* ---- event log ---- */

static void
service_entry(struct idxp_priv *priv, const struct idxp_hw_evl_entry *e)
{
	uint32_t code;

	/* Entries are recorded before they are acted on: whoever sees the
	 * result of the action (a wakeup, a response) also sees the record.
	 */
	priv->xstats.evl_entries++;
	switch (e->type) {
	case IDXP_EVL_PAGE_REQUEST:
		priv->xstats.page_requests++;
		code = e->wq < priv->regs->nb_wqs ? resolve(priv, e) : IDXP_PRS_INVALID;
		record_entry(priv, e, (uint8_t)code);
		page_response(priv, e, code);
		break;
	case IDXP_EVL_CR_FAULT:
		record_entry(priv, e, 0);
		cr_fault(priv, e);
		break;
	case IDXP_EVL_SW_ERROR:
		priv->xstats.sw_errors++;
		record_entry(priv, e, 0);
		break;
	default:
		priv->xstats.faults++;
		record_entry(priv, e, 0);
		break;
	}
}

static void
drain_evl(struct idxp_priv *priv)
{
	struct idxp_hw_regs *r = priv->regs;
	uint32_t head, tail;
	uint64_t ovf;

	pthread_mutex_lock(&priv->evl_lock);
	head = r->evl_head;
	/* Acquire: entries up to tail are complete. */
	tail = __atomic_load_n(&r->evl_tail, __ATOMIC_ACQUIRE);
	while (head != tail) {
		service_entry(priv, &r->evl[head & (r->evl_size - 1)]);
		head++;
		/* Release: the slot is free for the device once head moves. */
		__atomic_store_n(&r->evl_head, head, __ATOMIC_RELEASE);
	}
	ovf = __atomic_load_n(&r->evl_overflows, __ATOMIC_RELAXED);
	if (ovf != priv->xstats.evl_overflows) {
		IDXP_DEV_LOG(priv, WARNING, "event log overflowed %" PRIu64 " time(s)",
				ovf - priv->xstats.evl_overflows);
		priv->xstats.evl_overflows = ovf;
	}
	pthread_mutex_unlock(&priv->evl_lock);
}

void
idxp_ctrl_flush(struct idxp_priv *priv)
{
	drain_evl(priv);
}

/* ---- halt and recovery ---- */

/*
 * Owner side of a reset: batches the device dropped (written to the portal
 * before the reset point) and still without a record complete as aborted.
 */
static void
abort_work(struct idxp_work *w, void *arg)
{
	struct idxp_vchan *vc = arg;
	uint32_t rt = __atomic_load_n(&vc->wq->reset_tail, __ATOMIC_ACQUIRE);
	/* A device still halted (failed reset) completes nothing any more. */
	bool all = __atomic_load_n(vc->dev_state, __ATOMIC_ACQUIRE) == IDXP_DEV_HALTED;
	uint16_t b;

	RTE_SET_USED(w);
	for (b = vc->batch_read; b != vc->batch_write; b++) {
		struct idxp_batch *bt = &vc->batch[b & vc->mask];
		struct idxp_hw_comp *bc = idxp_bcomp(vc, b);

		if (bt->aborted || bc->status != IDXP_COMP_NONE ||
				(!all && (int32_t)(bt->pseq - rt) >= 0))
			continue;
		bc->status = IDXP_COMP_HW_ABORT;
		bt->aborted = 1;
		vc->aborted += bt->count;
	}
	__atomic_store_n(&vc->abort_pending, 0, __ATOMIC_RELEASE);
}

static int
reenable(struct idxp_priv *priv)
{
	uint16_t i;
	int ret = idxp_hw_cmd(priv->regs, IDXP_CMD_ENABLE, 0);

	for (i = 0; i < priv->nb_vchans && ret == 0; i++)
		if (priv->wq_enabled_mask & (1u << i))
			ret = idxp_hw_cmd(priv->regs, IDXP_CMD_ENABLE_WQ, i);
	return ret;
}

/*
 * Halt recovery, as Linux idxd does it: reset, re-enable the WQs that were
 * enabled, and abort what the device dropped. The abort happens whether or
 * not the reset worked: a device that stays halted completes nothing, so
 * every op in flight is reported by the driver (NOT_ATTEMPTED), and ops
 * submitted later are completed the same way by the fast path.
 */
static void
recover_locked(struct idxp_priv *priv)
{
	struct rte_pmd_idxp_event ev = { .type = 5 };
	uint16_t i;
	int ret;

	priv->xstats.halts++;
	ev.seq = priv->xstats.halts;
	idxp_event_record(priv, &ev);
	IDXP_DEV_LOG(priv, ERR, "device halted (reason %u), resetting",
			priv->regs->halt_reason);
	for (i = 0; i < priv->nb_vchans; i++)
		__atomic_store_n(&priv->vc[i].abort_pending, 1, __ATOMIC_RELEASE);
	ret = idxp_hw_cmd(priv->regs, IDXP_CMD_RESET, 0);
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
		/*
		 * Portal writes are safe again: whatever is written from now on
		 * lies past reset_tail, so abort_work() leaves it to the device.
		 */
		for (i = 0; i < priv->nb_vchans; i++)
			__atomic_store_n(&priv->vc[i].abort_pending, 0,
					__ATOMIC_RELEASE);
		IDXP_DEV_LOG(priv, NOTICE, "device reset, work queues re-enabled");
	}
	idxp_intr_wake_all(priv);
}

static void
recover(struct idxp_priv *priv)
{
	pthread_mutex_lock(&priv->ctl_lock);
	recover_locked(priv);
	pthread_mutex_unlock(&priv->ctl_lock);
}

/* ---- software errors ---- */

static void
software_error(struct idxp_priv *priv)
{
	struct idxp_hw_regs *r = priv->regs;
	/* Acquire pairs with the device's release of the code. */
	uint32_t code = __atomic_exchange_n(&r->swerr, 0, __ATOMIC_ACQUIRE);
	struct rte_pmd_idxp_event ev = {
		.seq = priv->xstats.sw_errors,
		.vchan = (uint16_t)r->swerr_wq,
		.type = IDXP_EVL_SW_ERROR,
		.status = (uint8_t)code,
		.opcode = (uint8_t)(r->swerr_desc_op >> 24),
	};

	if (code == 0)
		return;
	/* Record first: whoever sees the count also finds the event. */
	idxp_event_record(priv, &ev);
	priv->xstats.sw_errors++;
	IDXP_DEV_LOG(priv, WARNING, "software error 0x%x on wq %u (descriptor "
			"op_flags 0x%08" PRIx64 ")", code, r->swerr_wq, r->swerr_desc_op);
}

/* ---- the thread ---- */

static void
handle_misc(struct idxp_priv *priv)
{
	uint64_t v;
	uint32_t cause;

	if (read(priv->regs->intr_fd[IDXP_INTR_MISC], &v, sizeof(v)) < 0)
		v = 0;
	priv->xstats.misc_interrupts++;
	/* Acquire pairs with the device's release of the cause bits. */
	cause = __atomic_exchange_n(&priv->regs->cause, 0, __ATOMIC_ACQUIRE);
	if (cause & IDXP_CAUSE_EVL)
		drain_evl(priv);
	if (cause & IDXP_CAUSE_SWERR)
		software_error(priv);
	/* IDXP_CAUSE_CMD_DONE: commands are synchronous here; nothing to do. */
	if (cause & IDXP_CAUSE_HALT)
		recover(priv);
}

static uint32_t
ctrl_main(void *arg)
{
	struct idxp_priv *priv = arg;
	struct epoll_event evs[2];
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event e1 = { .events = EPOLLIN, .data.u32 = 0 };
	struct epoll_event e2 = { .events = EPOLLIN, .data.u32 = 1 };

	if (ep < 0)
		return 1;
	epoll_ctl(ep, EPOLL_CTL_ADD, priv->regs->intr_fd[IDXP_INTR_MISC], &e1);
	epoll_ctl(ep, EPOLL_CTL_ADD, priv->ctrl_stop_fd, &e2);
	for (;;) {
		int i, n = epoll_wait(ep, evs, RTE_DIM(evs), -1);
		bool stop = false;

		for (i = 0; i < n; i++) {
			if (evs[i].data.u32 == 1)
				stop = true;
			else
				handle_misc(priv);
		}
		if (stop)
			break;
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

	for (i = 0; i < priv->args.max_vchans; i++) {
		priv->vc[i].abort_work.fn = abort_work;
		priv->vc[i].cr_work.fn = cr_fault_work;
	}
	priv->ctrl_stop_fd = eventfd(0, EFD_CLOEXEC);
	if (priv->ctrl_stop_fd < 0)
		return -errno;
	snprintf(name, sizeof(name), "idxp-ctl%d", priv->dev_id);
	ret = idxp_ctrl_thread_create(&priv->ctrl_thread, name, ctrl_main, priv);
	if (ret != 0) {
		close(priv->ctrl_stop_fd);
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
	priv->ctrl_running = false;
}

/* ---- IOMMU programming from DPDK's memory map ---- */

static int
map_memseg(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	struct idxp_priv *priv = arg;

	/* External memory needs rte_dev_dma_map(), as with VFIO. */
	if (msl->external || ms->iova == RTE_BAD_IOVA)
		return 0;
	return idxp_iommu_map(&priv->mmu, ms->addr, ms->iova, ms->len,
			IDXP_IOMMU_RW, IDXP_MAP_MEMSEG) < 0 ? -1 : 0;
}

static int
map_contig(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		size_t len, void *arg)
{
	struct idxp_priv *priv = arg;

	if (msl->external || ms->iova == RTE_BAD_IOVA)
		return 0;
	return idxp_iommu_map(&priv->mmu, ms->addr, ms->iova, len,
			IDXP_IOMMU_RW, IDXP_MAP_MEMSEG) < 0 ? -1 : 0;
}

static void
mem_event(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	struct idxp_priv *priv = arg;
	const uint8_t *p = addr, *end = p + len;

	/* Memory hotplug lock is held: use the thread-unsafe lookups. */
	while (p < end) {
		const struct rte_memseg *ms = rte_mem_virt2memseg(p, NULL);

		if (ms == NULL)
			break;
		if (type == RTE_MEM_EVENT_ALLOC)
			idxp_iommu_map(&priv->mmu, ms->addr, ms->iova, ms->len,
					IDXP_IOMMU_RW, IDXP_MAP_MEMSEG);
		else
			idxp_iommu_unmap(&priv->mmu, ms->iova, ms->len);
		p = (const uint8_t *)ms->addr + ms->len;
	}
}

static void
mem_cb_name(const struct idxp_priv *priv, char *buf, size_t sz)
{
	snprintf(buf, sz, "idxp-%s", priv->name);
}

/*
 * Map DPDK's memory and follow it from then on. The hotplug lock is held
 * (for reading) across the callback registration and the walk, so no
 * page can be allocated or freed between the two and go unseen.
 */
int
idxp_memmap_init(struct idxp_priv *priv)
{
	char cb[RTE_DEV_NAME_MAX_LEN + 8];
	bool hotplug;
	int ret;

	if (priv->args.sva && rte_eal_iova_mode() != RTE_IOVA_VA) {
		IDXP_DEV_LOG(priv, ERR, "sva=1 needs IOVA as VA (--iova-mode=va)");
		return -EINVAL;
	}
	mem_cb_name(priv, cb, sizeof(cb));
	rte_mcfg_mem_read_lock();
	hotplug = rte_mem_event_callback_register(cb, mem_event, priv) == 0;
	if (!hotplug && rte_errno != ENOTSUP)
		IDXP_DEV_LOG(priv, WARNING, "no memory hotplug events: memory "
				"allocated later must be mapped with rte_dev_dma_map()");
	ret = rte_eal_iova_mode() == RTE_IOVA_VA ?
		rte_memseg_contig_walk_thread_unsafe(map_contig, priv) :
		rte_memseg_walk_thread_unsafe(map_memseg, priv);
	rte_mcfg_mem_read_unlock();
	if (ret < 0) {
		IDXP_DEV_LOG(priv, ERR, "cannot map DPDK memory for the device");
		if (hotplug)
			rte_mem_event_callback_unregister(cb, priv);
		return -ENOMEM;
	}
	return 0;
}

void
idxp_memmap_fini(struct idxp_priv *priv)
{
	char cb[RTE_DEV_NAME_MAX_LEN + 8];

	mem_cb_name(priv, cb, sizeof(cb));
	rte_mem_event_callback_unregister(cb, priv);
}

/* ---- public API: faults, counters, events ---- */

int
rte_pmd_idxp_fault_from_str(const char *name, enum rte_pmd_idxp_fault *kind)
{
	static const char *const names[RTE_PMD_IDXP_FAULT_MAX] = {
		"src", "dst", "comp", "page_req", "halt", "reset_fail",
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

int
rte_pmd_idxp_inject(int16_t dev_id, uint16_t vchan, enum rte_pmd_idxp_fault kind,
		uint32_t count)
{
	struct idxp_priv *priv = idxp_priv_get(dev_id);

	if (priv == NULL)
		return -ENODEV;
	if ((unsigned int)kind >= RTE_PMD_IDXP_FAULT_MAX)
		return -EINVAL;
	if (kind == RTE_PMD_IDXP_FAULT_HALT) {
		__atomic_store_n(&priv->regs->inject_halt, 1, __ATOMIC_RELEASE);
		return 0;
	}
	if (kind == RTE_PMD_IDXP_FAULT_RESET_FAIL) {
		__atomic_store_n(&priv->regs->inject_reset_fail, 1, __ATOMIC_RELEASE);
		return 0;
	}
	if (vchan >= priv->nb_vchans || count == 0)
		return -EINVAL;
	/* enum order matches the device's injection registers */
	__atomic_fetch_add(&priv->regs->wq[vchan].inject[kind], count,
			__ATOMIC_RELEASE);
	return 0;
}

int
rte_pmd_idxp_stats_get(int16_t dev_id, struct rte_pmd_idxp_stats *st)
{
	struct idxp_priv *priv = idxp_priv_get(dev_id);
	const struct idxp_hw_regs *r;
	uint16_t i;

	if (priv == NULL)
		return -ENODEV;
	if (st == NULL)
		return -EINVAL;
	r = priv->regs;
	*st = priv->xstats;
	st->wq_interrupts = r->ctr_wq_intr;
	st->engine_sleeps = r->ctr_sleeps;
	st->injected = r->ctr_injected;
	st->evl_overflows = r->evl_overflows - priv->evl_ovf_base;
	for (i = 0; i < priv->nb_vchans; i++) {
		st->faults += priv->vc[i].faults;
		st->aborted_ops += priv->vc[i].aborted;
		st->wakeups += priv->vc[i].wait_sleeps;
		st->doorbells += priv->vc[i].doorbells;
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
	/* The device counter is read-only: keep a baseline. */
	priv->evl_ovf_base = priv->regs->evl_overflows;
	priv->xstats.evl_overflows = priv->regs->evl_overflows;
	priv->regs->ctr_wq_intr = 0;
	priv->regs->ctr_sleeps = 0;
	priv->regs->ctr_injected = 0;
	for (i = 0; i < priv->nb_vchans; i++) {
		priv->vc[i].faults = 0;
		priv->vc[i].aborted = 0;
		priv->vc[i].wait_sleeps = 0;
		priv->vc[i].doorbells = 0;
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
	/* Returns after a grace period: the engines no longer use the range. */
	return idxp_iommu_unmap_origin_range(&priv->mmu, (uint64_t)(uintptr_t)addr,
			len, IDXP_MAP_SVA);
}
