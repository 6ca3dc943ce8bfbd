/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Software DSA device: lifecycle, command register, interrupts, event log.
 * The descriptor engine itself is in idxp_sw_engine.c.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_pause.h>

#include "idxp_sw_priv.h"

/* The device model logs under its own type, apart from the PMD's. */
RTE_LOG_REGISTER(idxp_dev_logtype, pmd.dma.idxp.dev, INFO);

void
idxp_sw_raise(struct idxp_sw_dev *dev, uint32_t entry)
{
	uint64_t one = 1;

	/* An eventfd write cannot fail short of a counter overflow. */
	if (write(dev->regs.intr_fd[entry], &one, sizeof(one)) < 0)
		return;
}

static void
raise_misc(struct idxp_sw_dev *dev, uint32_t cause)
{
	/* The cause bits are visible before the driver can be woken. */
	__atomic_fetch_or(&dev->regs.cause, cause, __ATOMIC_RELEASE);
	idxp_sw_raise(dev, IDXP_INTR_MISC);
}

int
idxp_sw_evl_write(struct idxp_sw_dev *dev, struct idxp_hw_evl_entry *e)
{
	struct idxp_hw_regs *r = &dev->regs;
	uint32_t tail, head;

	pthread_mutex_lock(&dev->evl_lock);
	tail = r->evl_tail;
	head = __atomic_load_n(&r->evl_head, __ATOMIC_ACQUIRE);
	if (tail - head >= r->evl_size) {
		__atomic_fetch_add(&r->evl_overflows, 1, __ATOMIC_RELAXED);
		pthread_mutex_unlock(&dev->evl_lock);
		raise_misc(dev, IDXP_CAUSE_EVL);
		return -ENOSPC;
	}
	e->seq = dev->evl_seq++;
	r->evl[tail & (r->evl_size - 1)] = *e;
	/* The entry is complete before the driver can see the new tail. */
	__atomic_store_n(&r->evl_tail, tail + 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&dev->evl_lock);
	raise_misc(dev, IDXP_CAUSE_EVL);
	return 0;
}

void
idxp_sw_halt(struct idxp_sw_dev *dev, uint32_t reason)
{
	uint32_t enabled = IDXP_DEV_ENABLED;

	/* Only the first of several engines hitting a fatal error reports. */
	if (!__atomic_compare_exchange_n(&dev->regs.state, &enabled,
			IDXP_DEV_HALTED, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return;
	dev->regs.halt_reason = reason;
	__atomic_fetch_add(&dev->regs.ctr_halts, 1, __ATOMIC_RELAXED);
	raise_misc(dev, IDXP_CAUSE_HALT);
}

/*
 * A submission the device cannot even report on (no completion record):
 * latch it in the software-error registers and raise the misc interrupt,
 * as DSA's SWERR does.
 */
void
idxp_sw_swerr(struct idxp_sw_dev *dev, uint32_t wq, uint32_t code,
		uint32_t op_flags)
{
	dev->regs.swerr_wq = wq;
	dev->regs.swerr_desc_op = op_flags;
	/* Release: the details are visible with the code. */
	__atomic_store_n(&dev->regs.swerr, code, __ATOMIC_RELEASE);
	raise_misc(dev, IDXP_CAUSE_SWERR);
}

static void
ring(struct idxp_hw_doorbell *db)
{
	uint64_t one = 1;

	if (write(db->fd, &one, sizeof(one)) < 0)
		return;
}

static void
ring_all(struct idxp_sw_dev *dev)
{
	uint32_t i;

	for (i = 0; i < dev->regs.nb_engines; i++)
		ring(&dev->eng[i].doorbell);
}

static bool
engine_has_work(const struct idxp_engine *eng)
{
	const struct idxp_sw_dev *dev = eng->dev;
	uint32_t i;

	if (eng->quit || eng->ack_gen != dev->reset_gen)
		return true;
	/* Parked (disabled or halted): sleep until a command rings. */
	if (dev->regs.state != IDXP_DEV_ENABLED)
		return false;
	for (i = 0; i < eng->nb_wqs; i++)
		if (idxp_sw_wq_pending(&dev->regs.wq[eng->wqs[i]]))
			return true;
	return false;
}

/*
 * Sleep until a doorbell. The engine announces it sleeps, then re-checks
 * every portal: a driver that published a tail before seeing "sleeping"
 * is caught by the re-check, one that saw it rings (Dekker pairing with
 * the fence in the driver's submit). Returns false on a spurious return.
 */
bool
idxp_sw_engine_idle_wait(struct idxp_engine *eng)
{
	struct idxp_hw_doorbell *db = &eng->doorbell;
	struct pollfd pfd = { .fd = db->fd, .events = POLLIN };
	uint64_t v;
	bool slept = false;

	__atomic_store_n(&db->sleeping, 1, __ATOMIC_RELAXED);
	/* Orders the sleeping store before the portal re-check. */
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!engine_has_work(eng)) {
		__atomic_fetch_add(&eng->dev->regs.ctr_sleeps, 1, __ATOMIC_RELAXED);
		/* Bounded sleep: a stuck doorbell costs 100 ms, never a hang. */
		if (poll(&pfd, 1, 100) > 0 && read(db->fd, &v, sizeof(v)) < 0)
			v = 0;
		slept = true;
	}
	__atomic_store_n(&db->sleeping, 0, __ATOMIC_RELAXED);
	return slept;
}

/* Short sleep while waiting on the driver (page response). */
void
idxp_sw_engine_nap(struct idxp_engine *eng)
{
	struct idxp_hw_doorbell *db = &eng->doorbell;
	struct pollfd pfd = { .fd = db->fd, .events = POLLIN };
	uint64_t v;

	__atomic_store_n(&db->sleeping, 1, __ATOMIC_RELAXED);
	/* Pairs with the driver's fence between its response and the check. */
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (poll(&pfd, 1, 1) > 0 && read(db->fd, &v, sizeof(v)) < 0)
		v = 0;
	__atomic_store_n(&db->sleeping, 0, __ATOMIC_RELAXED);
}

static int
engine_start(struct idxp_sw_dev *dev, uint32_t id)
{
	struct idxp_engine *eng = &dev->eng[id];
	char tname[16];
	uint32_t w;

	eng->dev = dev;
	eng->id = id;
	eng->cpu = dev->cfg.cpus[id];
	eng->ack_gen = dev->reset_gen;
	for (w = id; w < dev->regs.nb_wqs; w += dev->regs.nb_engines) {
		eng->wqs[eng->nb_wqs++] = w;
		dev->regs.wq[w].doorbell = &eng->doorbell;
	}
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
	ring(&eng->doorbell);
	pthread_join(eng->thread, NULL);
	close(eng->doorbell.fd);
}

static int
intr_table_init(struct idxp_sw_dev *dev)
{
	uint32_t i;

	for (i = 0; i < RTE_DIM(dev->regs.intr_fd); i++)
		dev->regs.intr_fd[i] = -1;
	for (i = 0; i <= dev->regs.nb_wqs; i++) {
		dev->regs.intr_fd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (dev->regs.intr_fd[i] < 0)
			return -errno;
	}
	return 0;
}

static void
intr_table_fini(struct idxp_sw_dev *dev)
{
	uint32_t i;

	for (i = 0; i < RTE_DIM(dev->regs.intr_fd); i++)
		if (dev->regs.intr_fd[i] >= 0)
			close(dev->regs.intr_fd[i]);
}

static void
regs_init(struct idxp_sw_dev *dev, const struct idxp_sw_cfg *cfg)
{
	struct idxp_hw_regs *r = &dev->regs;
	uint32_t w;

	r->nb_wqs = cfg->nb_wqs;
	r->nb_engines = cfg->nb_engines;
	r->max_batch = IDXP_HW_MAX_BATCH;
	r->max_xfer = IDXP_HW_MAX_XFER;
	r->max_sge = IDXP_HW_MAX_SGE;
	r->socket = cfg->socket;
	r->state = IDXP_DEV_DISABLED;
	r->evl_size = cfg->evl_size;
	for (w = 0; w < r->nb_wqs; w++)
		r->wq[w].intr_handle = 1 + w;
}

struct idxp_hw_regs *
idxp_sw_dev_create(const struct idxp_sw_cfg *cfg, struct idxp_iommu *mmu)
{
	struct idxp_sw_dev *dev;
	uint32_t i;

	if (cfg->nb_wqs == 0 || cfg->nb_wqs > IDXP_HW_MAX_WQS ||
			cfg->nb_engines == 0 || cfg->nb_engines > IDXP_HW_MAX_ENGINES ||
			!rte_is_power_of_2(cfg->evl_size))
		return NULL;
	dev = rte_zmalloc_socket("idxp_sw_dev", sizeof(*dev), 64, cfg->socket);
	if (dev == NULL)
		return NULL;
	dev->cfg = *cfg;
	snprintf(dev->name, sizeof(dev->name), "%s", cfg->name);
	dev->cfg.name = dev->name;
	dev->mmu = mmu;
	dev->spin_cycles = cfg->spin_us == UINT32_MAX ? UINT64_MAX :
		rte_get_timer_hz() / 1000000 * cfg->spin_us;	/* idle=spin */
	pthread_mutex_init(&dev->evl_lock, NULL);
	pthread_mutex_init(&dev->cmd_lock, NULL);
	regs_init(dev, cfg);
	dev->regs.evl = rte_zmalloc_socket("idxp_evl",
			sizeof(*dev->regs.evl) * cfg->evl_size, 64, cfg->socket);
	if (dev->regs.evl == NULL || intr_table_init(dev) < 0)
		goto fail;
	for (i = 0; i < cfg->nb_engines; i++) {
		if (engine_start(dev, i) < 0) {
			while (i-- > 0)
				engine_stop(dev, i);
			goto fail;
		}
	}
	for (i = 0; i < cfg->nb_engines; i++)
		while (__atomic_load_n(&dev->eng[i].tid, __ATOMIC_ACQUIRE) == 0)
			sched_yield();	/* the thread has pinned itself */
	for (i = 0; i < cfg->nb_engines; i++)
		if (cfg->cpus[i] >= 0 && dev->eng[i].cpu < 0)
			rte_log(RTE_LOG_WARNING, idxp_dev_logtype,
					"idxp: %s: engine %u could not be pinned to cpu %d\n",
					dev->name, i, cfg->cpus[i]);
	return &dev->regs;
fail:
	intr_table_fini(dev);
	rte_free(dev->regs.evl);
	rte_free(dev);
	return NULL;
}

void
idxp_sw_dev_destroy(struct idxp_hw_regs *regs)
{
	struct idxp_sw_dev *dev = idxp_sw_of(regs);
	uint32_t i;

	if (regs == NULL)
		return;
	for (i = 0; i < regs->nb_engines; i++)
		engine_stop(dev, i);
	for (i = 0; i < regs->nb_wqs; i++)
		rte_free(regs->wq[i].portal);
	intr_table_fini(dev);
	rte_free(regs->evl);
	rte_free(dev);
}

/* Wait until every engine has parked for the current reset generation. */
static int
wait_engines_parked(struct idxp_sw_dev *dev)
{
	uint64_t deadline = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
	uint32_t i;

	for (i = 0; i < dev->regs.nb_engines; i++) {
		while (__atomic_load_n(&dev->eng[i].ack_gen, __ATOMIC_ACQUIRE) !=
				dev->reset_gen) {
			if (rte_get_timer_cycles() > deadline)
				return -ETIMEDOUT;
			ring(&dev->eng[i].doorbell);
			sched_yield();
		}
	}
	return 0;
}

/*
 * Drop what is queued in a WQ's portal. Only with the engines parked:
 * nothing reads the portal while its head moves.
 */
static void
wq_empty(struct idxp_hw_wq_regs *wq)
{
	if (wq->portal == NULL)
		return;
	wq->portal->head = wq->portal->tail;
	/* Release: the driver's abort logic reads the portal position. */
	__atomic_store_n(&wq->reset_tail, wq->portal->head, __ATOMIC_RELEASE);
}

/* Park every engine, so that none holds a descriptor of a disabled WQ. */
static int
park_engines(struct idxp_sw_dev *dev)
{
	/* An engine that read enabled=1 just before parks at its next round. */
	__atomic_fetch_add(&dev->reset_gen, 1, __ATOMIC_RELEASE);
	return wait_engines_parked(dev);
}

static int
cmd_reset(struct idxp_sw_dev *dev)
{
	struct idxp_hw_regs *r = &dev->regs;
	uint32_t w;
	int ret;

	__atomic_store_n(&r->state, IDXP_DEV_DISABLED, __ATOMIC_RELEASE);
	__atomic_fetch_add(&dev->reset_gen, 1, __ATOMIC_RELEASE);
	ret = wait_engines_parked(dev);
	if (ret == 0 && __atomic_exchange_n(&r->inject_reset_fail, 0,
			__ATOMIC_ACQ_REL) != 0)
		ret = -EIO;
	if (ret < 0) {
		__atomic_store_n(&r->state, IDXP_DEV_HALTED, __ATOMIC_RELEASE);
		return ret;
	}
	/* Engines are parked: nothing reads the portals while we drop them. */
	for (w = 0; w < r->nb_wqs; w++) {
		struct idxp_hw_wq_regs *wq = &r->wq[w];

		wq->enabled = 0;
		wq->intr_armed = 0;
		memset((void *)(uintptr_t)wq->inject, 0, sizeof(wq->inject));
		wq_empty(wq);
	}
	r->swerr = 0;
	r->halt_reason = 0;
	r->inject_halt = 0;
	return 0;
}

static int
cmd_enable_wq(struct idxp_sw_dev *dev, uint32_t w)
{
	struct idxp_hw_wq_regs *wq = &dev->regs.wq[w];
	size_t sz;

	if (!rte_is_power_of_2(wq->cfg_size) || wq->cfg_size > (1u << 16))
		return -EINVAL;
	if (wq->enabled)
		return -EBUSY;
	/* Re-enabling after a reset keeps the portal: the driver may be
	 * writing to it right now.
	 */
	if (wq->portal == NULL || wq->portal_size != wq->cfg_size) {
		sz = sizeof(*wq->portal) +
			(size_t)wq->cfg_size * sizeof(struct idxp_hw_desc);
		rte_free(wq->portal);
		wq->portal = rte_zmalloc_socket("idxp_portal", sz, 64,
				dev->regs.socket);
		if (wq->portal == NULL)
			return -ENOMEM;
		wq->portal_size = wq->cfg_size;
	}
	/* A WQ starts empty: nothing written while it was disabled runs. */
	wq_empty(wq);
	wq->intr_armed = 0;
	/* The engine may see enabled only once the portal exists. */
	__atomic_store_n(&wq->enabled, 1, __ATOMIC_RELEASE);
	return 0;
}

/*
 * Disable with drain: every descriptor the WQ accepted completes first.
 * A halted device executes nothing, so there the queue is dropped. A drain
 * that outlasts the deadline leaves the WQ enabled and fails with
 * -ETIMEDOUT; the driver then aborts it.
 */
static int
cmd_disable_wq(struct idxp_sw_dev *dev, uint32_t w)
{
	struct idxp_hw_wq_regs *wq = &dev->regs.wq[w];
	uint64_t deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() / 1000 * IDXP_HW_DRAIN_MS;
	int ret;

	if (!wq->enabled)
		return 0;
	while (wq->portal != NULL && dev->regs.state == IDXP_DEV_ENABLED &&
			idxp_sw_wq_pending(wq)) {
		if (rte_get_timer_cycles() > deadline)
			return -ETIMEDOUT;
		ring(wq->doorbell);
		sched_yield();
	}
	__atomic_store_n(&wq->enabled, 0, __ATOMIC_RELEASE);
	ret = park_engines(dev);
	if (ret == 0)
		wq_empty(wq);
	return ret;
}

/*
 * Abort: the WQ stops at once. Queued descriptors are dropped, one in
 * progress stops at its next check (no completion record is written for
 * it), and the command returns once no engine holds anything of the WQ.
 */
static int
cmd_abort_wq(struct idxp_sw_dev *dev, uint32_t w)
{
	struct idxp_hw_wq_regs *wq = &dev->regs.wq[w];
	int ret;

	__atomic_store_n(&wq->enabled, 0, __ATOMIC_RELEASE);
	ret = park_engines(dev);
	if (ret == 0)
		wq_empty(wq);
	return ret;
}

int
idxp_hw_cmd(struct idxp_hw_regs *regs, uint32_t cmd, uint32_t arg)
{
	struct idxp_sw_dev *dev = idxp_sw_of(regs);
	int ret = -EINVAL;

	pthread_mutex_lock(&dev->cmd_lock);
	switch (cmd) {
	case IDXP_CMD_RESET:
		ret = cmd_reset(dev);
		break;
	case IDXP_CMD_ENABLE:
		ret = regs->state == IDXP_DEV_HALTED ? -EIO : 0;
		if (ret == 0)
			__atomic_store_n(&regs->state, IDXP_DEV_ENABLED,
					__ATOMIC_RELEASE);
		break;
	case IDXP_CMD_ENABLE_WQ:
		if (arg < regs->nb_wqs)
			ret = cmd_enable_wq(dev, arg);
		break;
	case IDXP_CMD_DISABLE_WQ:
		if (arg < regs->nb_wqs)
			ret = cmd_disable_wq(dev, arg);
		break;
	case IDXP_CMD_ABORT_WQ:
		if (arg < regs->nb_wqs)
			ret = cmd_abort_wq(dev, arg);
		break;
	}
	pthread_mutex_unlock(&dev->cmd_lock);
	ring_all(dev);
	raise_misc(dev, IDXP_CAUSE_CMD_DONE);
	return ret;
}
