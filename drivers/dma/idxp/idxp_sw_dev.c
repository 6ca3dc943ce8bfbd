/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Software DSA device: its bus (BAR0 register file with the side effects
 * of register writes, BAR2 portals, MSI-X vectors), interrupts, event log,
 * software errors and lifecycle. Commands run in idxp_sw_cmd.c, the
 * descriptor engines in idxp_sw_engine.c.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include <rte_common.h>
#include <rte_cpuflags.h>
#include <rte_cycles.h>
#include <rte_log.h>
#include <rte_malloc.h>

#include "idxp_fence.h"
#include "idxp_sw_priv.h"

/* The device model logs under its own type, apart from the PMD's. */
RTE_LOG_REGISTER(idxp_dev_logtype, pmd.dma.idxp.dev, INFO);

void
idxp_sw_raise_vector(struct idxp_sw_dev *dev, uint32_t vector)
{
	if (vector < dev->bus.nb_vectors)
		idxp_eventfd_signal(dev->vector_fd[vector]);
}

/* ---- interrupt cause and the misc vector ---- */

/* The GENCTRL bit that lets a cause raise vector 0 (0: always). */
static uint32_t
cause_enable(uint32_t cause)
{
	switch (cause) {
	case IDXP_INTCAUSE_ERR: return IDXP_GENCTRL_SOFTERR_INT_EN;
	case IDXP_INTCAUSE_HALT_STATE: return IDXP_GENCTRL_HALT_INT_EN;
	case IDXP_INTCAUSE_EVL: return IDXP_GENCTRL_EVL_INT_EN;
	default: return 0;
	}
}

void
idxp_sw_raise_cause(struct idxp_sw_dev *dev, uint32_t cause)
{
	uint32_t en = cause_enable(cause);

	/* The cause bit is visible before the driver can be woken. */
	__atomic_fetch_or((uint32_t *)(dev->bar0 + IDXP_REG_INTCAUSE), cause,
			__ATOMIC_RELEASE);
	if (en == 0 || (sw_reg32(dev, IDXP_REG_GENCTRL) & en))
		idxp_sw_raise_vector(dev, 0);
}

/* ---- interrupt handles ---- */

bool
idxp_sw_handle_vector(struct idxp_sw_dev *dev, uint16_t handle, uint32_t *vector)
{
	uint32_t v = handle & 0xff;
	uint32_t gen = __atomic_load_n(&dev->handle_gen, __ATOMIC_ACQUIRE);
	uint64_t granted = __atomic_load_n(&dev->handles_granted, __ATOMIC_ACQUIRE);

	if (v >= dev->bus.nb_vectors || (handle >> 8) != (gen & 0xff) ||
			!(granted & (UINT64_C(1) << v)))
		return false;
	*vector = v;
	return true;
}

/* Every handle stops working; the driver must ask for new ones. */
static void
revoke_handles(struct idxp_sw_dev *dev)
{
	__atomic_store_n(&dev->handles_granted, 0, __ATOMIC_RELEASE);
	__atomic_fetch_add(&dev->handle_gen, 1, __ATOMIC_ACQ_REL);
	idxp_sw_raise_cause(dev, IDXP_INTCAUSE_INT_HANDLE_REVOKED);
}

/* ---- software errors ---- */

/*
 * Latch the first error in SWERR (fields first, valid last); one that
 * finds the record still valid only sets overflow.
 */
void
idxp_sw_swerr(struct idxp_sw_dev *dev, uint64_t word0, uint64_t word1,
		uint64_t fault_addr)
{
	uint64_t w0;

	pthread_mutex_lock(&dev->swerr_lock);
	w0 = sw_reg64(dev, IDXP_REG_SWERR);
	if (w0 & IDXP_SWERR_VALID) {
		sw_set64(dev, IDXP_REG_SWERR, w0 | IDXP_SWERR_OVERFLOW);
	} else {
		sw_set64(dev, IDXP_REG_SWERR + 8, word1);
		sw_set64(dev, IDXP_REG_SWERR + 16, fault_addr);
		sw_set64(dev, IDXP_REG_SWERR, (word0 & ~IDXP_SWERR_ACK) |
				IDXP_SWERR_VALID);
	}
	pthread_mutex_unlock(&dev->swerr_lock);
	idxp_sw_raise_cause(dev, IDXP_INTCAUSE_ERR);
}

/* ---- halt ---- */

void
idxp_sw_halt(struct idxp_sw_dev *dev, uint32_t reason)
{
	uint32_t old = sw_reg32(dev, IDXP_REG_GENSTS);
	uint32_t halt = (uint32_t)idxp_field_set(
			idxp_field_set(0, IDXP_GENSTS_STATE_MASK, IDXP_GENSTS_HALT),
			IDXP_GENSTS_RESET_TYPE_MASK, IDXP_RESET_SOFTWARE);

	/* Only the first of several engines hitting a fatal error reports. */
	if (idxp_gensts_state(old) != IDXP_GENSTS_ENABLED ||
			!__atomic_compare_exchange_n((uint32_t *)(dev->bar0 +
				IDXP_REG_GENSTS), &old, halt, false,
				__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return;
	sw_set32(dev, IDXP_MREG_HALT_REASON, reason);
	sw_count(dev, IDXP_MREG_CTR_HALTS);
	idxp_sw_raise_cause(dev, IDXP_INTCAUSE_HALT_STATE);
}

/* ---- event log (driver memory, written through the IOMMU) ---- */

static void *
evl_slot(struct idxp_sw_dev *dev, uint32_t idx)
{
	const struct idxp_iommu_entry *e;
	const struct idxp_iommu_table *t;
	uint64_t iova = dev->evl_base + (uint64_t)idx * sizeof(struct idxp_dsa_evl_entry);

	/* Engines call this inside their RCU read side: @t stays valid. */
	t = idxp_iommu_current(dev->mmu);
	e = idxp_iommu_find(t, iova);
	if (e == NULL || !(e->perm & IDXP_IOMMU_WRITE) ||
			iova - e->iova + sizeof(struct idxp_dsa_evl_entry) > e->len)
		return NULL;
	return e->va + (iova - e->iova);
}

/*
 * Append an entry at tail; -ENOSPC when the log is full or absent. Engines
 * call this from their RCU read side, so the table they look the log up in
 * stays valid.
 */
int
idxp_sw_evl_write(struct idxp_sw_dev *dev, const struct idxp_dsa_evl_entry *e)
{
	uint64_t st;
	uint32_t head, tail;
	void *slot;

	pthread_mutex_lock(&dev->evl_lock);
	st = sw_reg64(dev, IDXP_REG_EVLSTATUS);
	head = idxp_evlstatus_head(st);
	tail = idxp_evlstatus_tail(st);
	if (!dev->evl_on || (tail + 1) % dev->evl_size == head ||
			(slot = evl_slot(dev, tail)) == NULL) {
		pthread_mutex_unlock(&dev->evl_lock);
		sw_count(dev, IDXP_MREG_CTR_EVL_OVERFLOWS);
		return -ENOSPC;
	}
	memcpy(slot, e, sizeof(*e));
	tail = (tail + 1) % dev->evl_size;
	/*
	 * Release: the entry is complete before the driver sees the tail. The
	 * driver writes head through the lower half; the upper half is ours.
	 */
	__atomic_fetch_or((uint32_t *)(dev->bar0 + IDXP_REG_EVLSTATUS + 4),
			(uint32_t)(IDXP_EVLSTATUS_INT_PENDING >> 32), __ATOMIC_RELAXED);
	__atomic_store_n((uint16_t *)(dev->bar0 + IDXP_REG_EVLSTATUS + 4),
			(uint16_t)tail, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&dev->evl_lock);
	idxp_sw_raise_cause(dev, IDXP_INTCAUSE_EVL);
	return 0;
}

/* ---- BAR0 accesses ---- */

static uint32_t
sw_read32(const struct idxp_bus *bus, uint32_t off)
{
	const struct idxp_sw_dev *dev = (const struct idxp_sw_dev *)bus;

	return off + 4 <= IDXP_BAR0_SIZE ? sw_reg32(dev, off & ~3u) : UINT32_MAX;
}

static uint64_t
sw_read64(const struct idxp_bus *bus, uint32_t off)
{
	const struct idxp_sw_dev *dev = (const struct idxp_sw_dev *)bus;

	return off + 8 <= IDXP_BAR0_SIZE ? sw_reg64(dev, off & ~7u) : UINT64_MAX;
}

/* Writable while the device is disabled; read-only otherwise. */
static bool
config_reg(uint32_t off)
{
	return off == IDXP_REG_GENCFG || (off >= IDXP_REG_EVLCFG &&
			off < IDXP_REG_EVLCFG + 8 * IDXP_EVLCFG_WORDS) ||
		(off >= IDXP_SW_GRPCFG_TABLE && off < IDXP_SW_MSIX_TABLE +
			IDXP_BUS_MAX_VECTORS * IDXP_MSIX_PERM_SIZE);
}

static void
cmd_write(struct idxp_sw_dev *dev, uint32_t val)
{
	/* A command written while one runs is dropped, as software was told. */
	if (idxp_cmdsts_active(sw_reg32(dev, IDXP_REG_CMDSTS)))
		return;
	sw_set32(dev, IDXP_REG_CMDSTS, IDXP_CMDSTS_ACTIVE);
	__atomic_store_n(&dev->cmd, val, __ATOMIC_RELEASE);
	idxp_eventfd_signal(dev->cmd_fd);
}

static void
model_reg_write(struct idxp_sw_dev *dev, uint32_t off, uint32_t val)
{
	if (off >= IDXP_MREG_BASE && off < IDXP_MREG_BASE + 0x10u * IDXP_HW_MAX_WQS) {
		sw_set32(dev, off, val);	/* injection counts */
	} else if (off == IDXP_MREG_INJ_HALT || off == IDXP_MREG_INJ_RESET_FAIL) {
		sw_set32(dev, off, val != 0);
	} else if (off == IDXP_MREG_INJ_REVOKE && val != 0) {
		sw_count(dev, IDXP_MREG_CTR_INJECTED);
		revoke_handles(dev);
	}
}

static void
sw_write32(struct idxp_bus *bus, uint32_t off, uint32_t val)
{
	struct idxp_sw_dev *dev = idxp_sw_of(bus);

	if (off + 4 > IDXP_BAR0_SIZE || (off & 3))
		return;
	switch (off) {
	case IDXP_REG_CMD:
		cmd_write(dev, val);
		return;
	case IDXP_REG_INTCAUSE:	/* write 1 to clear */
		__atomic_fetch_and((uint32_t *)(dev->bar0 + off), ~val,
				__ATOMIC_ACQ_REL);
		return;
	case IDXP_REG_GENCTRL:
		sw_set32(dev, off, val);
		return;
	case IDXP_REG_EVLSTATUS:	/* head */
		__atomic_store_n((uint16_t *)(dev->bar0 + off),
				(uint16_t)val, __ATOMIC_RELEASE);
		return;
	case IDXP_REG_EVLSTATUS + 4:	/* interrupt pending: write 1 to clear */
		__atomic_fetch_and((uint32_t *)(dev->bar0 + off),
				~(val & (uint32_t)(IDXP_EVLSTATUS_INT_PENDING >> 32)),
				__ATOMIC_ACQ_REL);
		return;
	}
	if (off >= IDXP_MREG_BASE) {
		model_reg_write(dev, off, val);
		return;
	}
	if (config_reg(off & ~7u) && sw_state(dev) == IDXP_GENSTS_DISABLED)
		sw_set32(dev, off, val);
}

static void
sw_write64(struct idxp_bus *bus, uint32_t off, uint64_t val)
{
	struct idxp_sw_dev *dev = idxp_sw_of(bus);

	if (off + 8 > IDXP_BAR0_SIZE || (off & 7))
		return;
	if (off == IDXP_REG_SWERR) {	/* valid, overflow: write 1 to clear */
		pthread_mutex_lock(&dev->swerr_lock);
		__atomic_fetch_and((uint64_t *)(dev->bar0 + off),
				~(val & IDXP_SWERR_ACK), __ATOMIC_ACQ_REL);
		pthread_mutex_unlock(&dev->swerr_lock);
		return;
	}
	sw_write32(bus, off, (uint32_t)val);
	sw_write32(bus, off + 4, (uint32_t)(val >> 32));
}

/* ---- BAR2: the portals ---- */

/*
 * Store one descriptor into a slot: bytes 8..63 first, then bytes 0..7
 * with release. The engine takes the slot once those are non-zero, so it
 * never sees a torn descriptor (a first quadword of zero is no valid
 * submission).
 */
static void
slot_store(struct idxp_hw_desc *s, const void *desc)
{
	uint64_t *slot = (uint64_t *)s, q0;

	memcpy(slot + 1, (const uint64_t *)desc + 1, 56);
	memcpy(&q0, desc, sizeof(q0));
	__atomic_store_n(slot, q0, __ATOMIC_RELEASE);
}

/*
 * A shared WQ (ENQCMD) picks the slot itself: the next one, if it is free
 * and the queue holds fewer than its size counting other clients'
 * entries; else "retry". Enqueuers claim slots with a CAS on prod.
 */
static int
shared_enqueue(struct idxp_sw_wq *wq, const void *desc)
{
	uint32_t prod = __atomic_load_n(&wq->prod, __ATOMIC_ACQUIRE);

	for (;;) {
		uint32_t queued = prod - __atomic_load_n(&wq->taken, __ATOMIC_ACQUIRE);
		struct idxp_hw_desc *s = &wq->slots[prod % IDXP_SW_WQ_SLOTS];

		if (queued + wq->reserved >= wq->size ||
				__atomic_load_n((const uint64_t *)s, __ATOMIC_ACQUIRE) != 0)
			return -EAGAIN;
		if (__atomic_compare_exchange_n(&wq->prod, &prod, prod + 1, false,
				__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			slot_store(s, desc);
			return 0;
		}
	}
}

/*
 * A 64-byte store into WQ w's portal pages lands in slot (offset / 64) %
 * 64 of its queue (a dedicated WQ), or where a shared WQ puts it. A WQ
 * that is not enabled drops the write, as a disabled hardware WQ does.
 */
static int
sw_portal_write(struct idxp_bus *bus, void *portal, const void *desc)
{
	struct idxp_sw_dev *dev = idxp_sw_of(bus);
	size_t off = (size_t)((uint8_t *)portal - dev->bar2);
	uint32_t w = (uint32_t)(off / IDXP_WQ_PORTAL_STRIDE);
	struct idxp_sw_wq *wq;

	if (off >= bus->bar2_len || w >= dev->cfg.nb_wqs)
		return 0;
	wq = &dev->wq[w];
	if (!__atomic_load_n(&wq->enabled, __ATOMIC_ACQUIRE))
		return 0;
	if (wq->shared) {
		if (shared_enqueue(wq, desc) < 0)
			return -EAGAIN;
	} else {
		slot_store(&wq->slots[(off % IDXP_PORTAL_SIZE) / 64], desc);
	}
	/*
	 * Orders the slot store before reading "sleeping": the engine sets
	 * sleeping, fences, then re-reads its slots, so either it sees this
	 * descriptor or this side sees it asleep and rings. The engine's
	 * fence is the heavy one (idxp_fence.h): it sleeps far less often
	 * than descriptors arrive.
	 */
	idxp_fence_light(dev->asym_fences);
	if (wq->eng != NULL && wq->eng->doorbell.sleeping)
		idxp_eventfd_signal(wq->eng->doorbell.fd);
	return 0;
}

/* ---- engine sleep ---- */

static bool
engine_has_work(const struct idxp_engine *eng)
{
	const struct idxp_sw_dev *dev = eng->dev;
	uint32_t i;

	if (eng->quit || eng->ack_gen != dev->park_gen)
		return true;
	/* Not enabled (disabled or halted): sleep until a command rings. */
	if (sw_state(dev) != IDXP_GENSTS_ENABLED)
		return false;
	for (i = 0; i < eng->nb_wqs; i++)
		if (idxp_sw_wq_pending(&dev->wq[eng->wqs[i]]))
			return true;
	return false;
}

/*
 * Sleep until a doorbell. The engine announces it sleeps, then re-checks
 * its WQs: a portal write that came before the announcement is caught by
 * the re-check, one after it rings (Dekker pairing with the fence in
 * sw_portal_write()). Returns false on a spurious return.
 */
bool
idxp_sw_engine_idle_wait(struct idxp_engine *eng)
{
	struct idxp_doorbell *db = &eng->doorbell;
	struct pollfd pfd = { .fd = db->fd, .events = POLLIN };
	uint64_t v;
	bool slept = false;

	__atomic_store_n(&db->sleeping, 1, __ATOMIC_RELAXED);
	/* Orders the sleeping store before the WQ re-check (on the portal
	 * writers' side too).
	 */
	idxp_fence_heavy(eng->dev->asym_fences);
	if (!engine_has_work(eng)) {
		sw_count(eng->dev, IDXP_MREG_CTR_SLEEPS);
		/*
		 * Bounded sleep: a stuck doorbell costs 100 ms, never a hang.
		 * A direct store rings nothing (as on hardware, where the
		 * device sees it at once): nap 1 ms at a time instead.
		 */
		if (poll(&pfd, 1, eng->dev->direct ? 1 : 100) > 0 &&
				read(db->fd, &v, sizeof(v)) < 0)
			v = 0;
		slept = true;
	}
	__atomic_store_n(&db->sleeping, 0, __ATOMIC_RELAXED);
	return slept;
}

/* Short sleep while waiting on someone else (a page response). */
void
idxp_sw_engine_nap(struct idxp_engine *eng)
{
	struct pollfd pfd = { .fd = eng->doorbell.fd, .events = POLLIN };
	uint64_t v;

	if (poll(&pfd, 1, 1) > 0 && read(eng->doorbell.fd, &v, sizeof(v)) < 0)
		v = 0;
}

/* ---- lifecycle ---- */

static int
engine_start(struct idxp_sw_dev *dev, uint32_t id)
{
	struct idxp_engine *eng = &dev->eng[id];
	char tname[16];

	eng->dev = dev;
	eng->id = id;
	eng->cpu = dev->cfg.cpus[id];
	eng->busy_wq = -1;
	eng->ack_gen = dev->park_gen;
	eng->doorbell.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (eng->doorbell.fd < 0)
		return -errno;
	if (pthread_create(&eng->thread, NULL, idxp_sw_engine_main, eng) != 0) {
		close(eng->doorbell.fd);
		return -EAGAIN;
	}
	snprintf(tname, sizeof(tname), "idxp-eng%u", id);
	pthread_setname_np(eng->thread, tname);
	return 0;
}

static void
engine_stop(struct idxp_sw_dev *dev, uint32_t id)
{
	struct idxp_engine *eng = &dev->eng[id];

	__atomic_store_n(&eng->quit, 1, __ATOMIC_RELEASE);
	idxp_eventfd_signal(eng->doorbell.fd);
	pthread_join(eng->thread, NULL);
	close(eng->doorbell.fd);
}

/* The command unit: one command at a time, as CMD/CMDSTS allow. */
static void *
cmd_main(void *arg)
{
	struct idxp_sw_dev *dev = arg;
	struct pollfd pfd = { .fd = dev->cmd_fd, .events = POLLIN };
	uint64_t v;

	while (!__atomic_load_n(&dev->cmd_quit, __ATOMIC_ACQUIRE)) {
		if (poll(&pfd, 1, -1) <= 0 || read(dev->cmd_fd, &v, sizeof(v)) < 0)
			continue;
		if (idxp_cmdsts_active(sw_reg32(dev, IDXP_REG_CMDSTS)))
			idxp_sw_cmd_run(dev, __atomic_load_n(&dev->cmd,
					__ATOMIC_ACQUIRE));
	}
	return NULL;
}

static void
vectors_fini(struct idxp_sw_dev *dev)
{
	uint32_t i;

	for (i = 0; i < RTE_DIM(dev->vector_fd); i++)
		if (dev->vector_fd[i] >= 0)
			close(dev->vector_fd[i]);
}

static int
vectors_init(struct idxp_sw_dev *dev)
{
	uint32_t i;

	dev->bus.nb_vectors = dev->cfg.nb_wqs + 1;
	for (i = 0; i < dev->bus.nb_vectors; i++) {
		dev->vector_fd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (dev->vector_fd[i] < 0)
			return -errno;
		dev->bus.vector_fd[i] = dev->vector_fd[i];
	}
	for (; i < IDXP_BUS_MAX_VECTORS; i++)
		dev->bus.vector_fd[i] = -1;
	return 0;
}

/* The capability registers and table locations: what software reads. */
static void
regs_init(struct idxp_sw_dev *dev)
{
	const struct idxp_model_params *p = &dev->cfg;
	uint64_t v;

	sw_set32(dev, IDXP_REG_VERSION, IDXP_VERSION_2_0);
	v = IDXP_GENCAP_BOF | IDXP_GENCAP_OVERLAP_COPY | IDXP_GENCAP_CACHE_CTRL_MEM |
		IDXP_GENCAP_CMD_CAP | IDXP_GENCAP_CONFIG_EN;
	v = idxp_field_set(v, IDXP_GENCAP_EVL_SUPPORT_MASK, 1);	/* 64 B entries */
	v = idxp_field_set(v, IDXP_GENCAP_MAX_XFER_SHIFT_MASK, 31);
	v = idxp_field_set(v, IDXP_GENCAP_MAX_BATCH_SHIFT_MASK, 10);
	sw_set64(dev, IDXP_REG_GENCAP, v);
	v = IDXP_WQCAP_DEDICATED | IDXP_WQCAP_SHARED;
	v = idxp_field_set(v, IDXP_WQCAP_TOTAL_SIZE_MASK, IDXP_SW_WQ_SLOTS * p->nb_wqs);
	v = idxp_field_set(v, IDXP_WQCAP_NUM_WQS_MASK, p->nb_wqs);
	v = idxp_field_set(v, IDXP_WQCAP_WQCFG_SIZE_MASK, 1);	/* 64 B */
	sw_set64(dev, IDXP_REG_WQCAP, v);
	sw_set64(dev, IDXP_REG_GRPCAP, idxp_field_set(0, IDXP_GRPCAP_NUM_GROUPS_MASK,
			IDXP_SW_GROUPS));
	sw_set64(dev, IDXP_REG_ENGCAP, idxp_field_set(0, IDXP_ENGCAP_NUM_ENGINES_MASK,
			p->nb_engines));
	sw_set64(dev, IDXP_REG_OPCAP, (UINT64_C(1) << IDXP_OP_NOP) |
			(UINT64_C(1) << IDXP_OP_BATCH) | (UINT64_C(1) << IDXP_OP_DRAIN) |
			(UINT64_C(1) << IDXP_OP_MEMMOVE) | (UINT64_C(1) << IDXP_OP_FILL) |
			(UINT64_C(1) << IDXP_OP_COMPARE) |
			(UINT64_C(1) << IDXP_OP_MEMMOVE_SG));
	v = idxp_field_set(0, IDXP_TABLE_GRPCFG_MASK, IDXP_SW_GRPCFG_TABLE / IDXP_TABLE_UNIT);
	v = idxp_field_set(v, IDXP_TABLE_WQCFG_MASK, IDXP_SW_WQCFG_TABLE / IDXP_TABLE_UNIT);
	v = idxp_field_set(v, IDXP_TABLE_MSIX_PERM_MASK, IDXP_SW_MSIX_TABLE / IDXP_TABLE_UNIT);
	sw_set64(dev, IDXP_REG_TABLE_OFFSET, v);
	sw_set32(dev, IDXP_REG_CMDCAP, (1u << IDXP_CMD_ENABLE_DEVICE) |
			(1u << IDXP_CMD_DISABLE_DEVICE) | (1u << IDXP_CMD_DRAIN_ALL) |
			(1u << IDXP_CMD_ABORT_ALL) | (1u << IDXP_CMD_RESET_DEVICE) |
			(1u << IDXP_CMD_ENABLE_WQ) | (1u << IDXP_CMD_DISABLE_WQ) |
			(1u << IDXP_CMD_DRAIN_WQ) | (1u << IDXP_CMD_ABORT_WQ) |
			(1u << IDXP_CMD_RESET_WQ) | (1u << IDXP_CMD_REQUEST_INT_HANDLE) |
			(1u << IDXP_CMD_RELEASE_INT_HANDLE));
}

static const struct idxp_bus_ops sw_bus_ops;

static void
sw_free(struct idxp_sw_dev *dev)
{
	vectors_fini(dev);
	if (dev->cmd_fd >= 0)
		close(dev->cmd_fd);
	if (!dev->direct && dev->bar2 != NULL && dev->bar2 != MAP_FAILED)
		munmap(dev->bar2, dev->bus.bar2_len);
	rte_free(dev->slot_mem);
	rte_free(dev->bar0);
	rte_free(dev);
}

static int
sw_start_threads(struct idxp_sw_dev *dev)
{
	uint32_t i;

	if (pthread_create(&dev->cmd_thread, NULL, cmd_main, dev) != 0)
		return -EAGAIN;
	pthread_setname_np(dev->cmd_thread, "idxp-cmd");
	for (i = 0; i < dev->cfg.nb_engines; i++) {
		if (engine_start(dev, i) < 0) {
			while (i-- > 0)
				engine_stop(dev, i);
			__atomic_store_n(&dev->cmd_quit, 1, __ATOMIC_RELEASE);
			idxp_eventfd_signal(dev->cmd_fd);
			pthread_join(dev->cmd_thread, NULL);
			return -EAGAIN;
		}
	}
	for (i = 0; i < dev->cfg.nb_engines; i++)
		while (__atomic_load_n(&dev->eng[i].tid, __ATOMIC_ACQUIRE) == 0)
			sched_yield();	/* the thread has pinned itself */
	for (i = 0; i < dev->cfg.nb_engines; i++)
		if (dev->cfg.cpus[i] >= 0 && dev->eng[i].cpu < 0)
			rte_log(RTE_LOG_WARNING, idxp_dev_logtype,
					"idxp: %s: engine %u could not be pinned to cpu %d\n",
					dev->name, i, dev->cfg.cpus[i]);
	return 0;
}

/*
 * The WQs' portal pages, as a device's queue storage. With direct portals
 * (where the CPU has MOVDIR64B) BAR2 is that memory and the driver's
 * 64-byte stores land in it untorn, as on hardware; otherwise only
 * portal_write reaches it.
 */
static int
bar2_init(struct idxp_sw_dev *dev)
{
	uint32_t w;

	/* A kernel WQ's one portal page, shared with the driver's mapping. */
	if (dev->cfg.portal_page != NULL) {
		if (dev->cfg.nb_wqs != 1)
			return -EINVAL;
		dev->bus.bar2_len = IDXP_PORTAL_SIZE;
		dev->bar2 = dev->cfg.portal_page;
		dev->wq[0].slots = dev->cfg.portal_page;
		dev->direct = true;
		return 0;
	}
	dev->bus.bar2_len = IDXP_BAR2_SIZE(dev->cfg.nb_wqs);
	dev->slot_mem = rte_zmalloc_socket("idxp_bar2", dev->bus.bar2_len,
			IDXP_PORTAL_SIZE, dev->cfg.socket);
	if (dev->slot_mem == NULL)
		return -ENOMEM;
	for (w = 0; w < dev->cfg.nb_wqs; w++)
		dev->wq[w].slots = (struct idxp_hw_desc *)(dev->slot_mem +
				idxp_portal_offset(w, IDXP_PORTAL_UNLIMITED,
				IDXP_PORTAL_MSIX));
	dev->direct = dev->cfg.direct_portals;
	if (dev->direct) {
		dev->bar2 = dev->slot_mem;
		return 0;
	}
	dev->bar2 = mmap(NULL, dev->bus.bar2_len, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return dev->bar2 == MAP_FAILED ? -ENOMEM : 0;
}

static struct idxp_bus *
sw_create(const struct idxp_model_params *p)
{
	struct idxp_sw_dev *dev;
	uint32_t i;

	if (p->nb_wqs == 0 || p->nb_wqs > IDXP_HW_MAX_WQS || p->nb_engines == 0 ||
			p->nb_engines > IDXP_HW_MAX_ENGINES || p->iommu == NULL)
		return NULL;
	if (p->direct_portals && rte_cpu_get_flag_enabled(RTE_CPUFLAG_MOVDIR64B) <= 0) {
		rte_log(RTE_LOG_ERR, idxp_dev_logtype, "idxp: %s: direct portals "
				"need MOVDIR64B, which this CPU lacks\n", p->name);
		return NULL;
	}
	dev = rte_zmalloc_socket("idxp_sw_dev", sizeof(*dev), 64, p->socket);
	if (dev == NULL)
		return NULL;
	dev->cfg = *p;
	dev->asym_fences = idxp_fence_asym_setup();
	snprintf(dev->name, sizeof(dev->name), "%s", p->name);
	dev->cfg.name = dev->name;
	dev->mmu = p->iommu;
	dev->cmd_fd = eventfd(0, EFD_CLOEXEC);
	dev->spin_cycles = p->spin_us == UINT32_MAX ? UINT64_MAX :
		rte_get_timer_hz() / 1000000 * p->spin_us;
	pthread_mutex_init(&dev->evl_lock, NULL);
	pthread_mutex_init(&dev->swerr_lock, NULL);
	for (i = 0; i < IDXP_HW_MAX_WQS; i++)
		dev->wq[i].id = i;
	/* Before any failure: sw_free() closes the valid ones. */
	for (i = 0; i < RTE_DIM(dev->vector_fd); i++)
		dev->vector_fd[i] = -1;
	dev->bar0 = rte_zmalloc_socket("idxp_bar0", IDXP_BAR0_SIZE, 4096, p->socket);
	if (bar2_init(dev) < 0 || dev->bar0 == NULL || dev->cmd_fd < 0 ||
			vectors_init(dev) < 0) {
		sw_free(dev);
		return NULL;
	}
	regs_init(dev);
	dev->bus.ops = &sw_bus_ops;
	dev->bus.err_fd = -1;
	snprintf(dev->bus.name, sizeof(dev->bus.name), "%s", dev->name);
	dev->bus.bar0 = dev->bar0;
	dev->bus.bar0_len = IDXP_BAR0_SIZE;
	dev->bus.bar2 = dev->bar2;
	dev->bus.portal_kind = dev->direct ? IDXP_PORTAL_KIND_MOVDIR64B :
		IDXP_PORTAL_KIND_BUS;
	dev->bus.numa_node = p->socket;
	dev->bus.features = IDXP_BUS_F_MODEL;
	dev->bus.iommu = p->iommu;
	dev->bus.platform = dev;
	if (sw_start_threads(dev) < 0) {
		sw_free(dev);
		return NULL;
	}
	return &dev->bus;
}

static void
sw_close(struct idxp_bus *bus)
{
	struct idxp_sw_dev *dev = idxp_sw_of(bus);
	uint32_t i;

	if (bus == NULL)
		return;
	for (i = 0; i < dev->cfg.nb_engines; i++)
		engine_stop(dev, i);
	__atomic_store_n(&dev->cmd_quit, 1, __ATOMIC_RELEASE);
	idxp_eventfd_signal(dev->cmd_fd);
	pthread_join(dev->cmd_thread, NULL);
	sw_free(dev);
}

static const struct idxp_bus_ops sw_bus_ops = {
	.read32 = sw_read32,
	.read64 = sw_read64,
	.write32 = sw_write32,
	.write64 = sw_write64,
	.portal_write = sw_portal_write,
	.close = sw_close,
};

RTE_INIT(idxp_sw_register)
{
	idxp_bus_register("sw", sw_create);
}
