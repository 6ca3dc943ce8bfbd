/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Interrupt-mode fallback. A vchan's completion interrupt is its WQ's
 * MSI-X vector (an eventfd). DSA raises an interrupt for a descriptor that
 * asks for one (RCI), so arming posts a drain descriptor with RCI behind
 * the work in flight: it completes, and interrupts, once all of that has.
 * The qdio start-irq rule still holds: arm, then re-check the completion
 * records; a record that landed before the drain was posted is seen by the
 * re-check, any later one comes before the drain's own completion, so a
 * completion is never left without a wakeup.
 */

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include <rte_cpuflags.h>
#include <rte_cycles.h>
#include <rte_pause.h>
#include <rte_power_intrinsics.h>

#include "idxp_internal.h"

/* Something for rte_dma_completed*() to collect (or hand-over work). */
static bool
vchan_has_news(const struct idxp_vchan *vc)
{
	return __atomic_load_n(&vc->work, __ATOMIC_ACQUIRE) != NULL ||
		idxp_vchan_ready(vc);
}

static int
vchan_usable(int16_t dev_id, uint16_t vchan, struct idxp_priv **priv,
		struct idxp_vchan **vc)
{
	int ret = idxp_vchan_get(dev_id, vchan, priv, vc);

	if (ret < 0)
		return ret;
	if (__atomic_load_n(&(*priv)->halted, __ATOMIC_ACQUIRE))
		return -EIO;
	if (!(*priv)->started)
		return -EBUSY;
	return 0;
}

static void
drain_fd(int fd)
{
	uint64_t v;

	if (read(fd, &v, sizeof(v)) < 0)
		return;
}

/* A kernel WQ's completion interrupts are the kernel's: none for us. */
static bool
polled_only(const struct idxp_priv *priv)
{
	return (priv->bus->features & IDXP_BUS_F_KERNEL) != 0;
}

int
rte_pmd_idxp_intr_fd(int16_t dev_id, uint16_t vchan)
{
	struct idxp_priv *priv;
	struct idxp_vchan *vc;
	int ret = idxp_vchan_get(dev_id, vchan, &priv, &vc);

	if (ret < 0)
		return ret;
	return polled_only(priv) ? -ENOTSUP : vc->intr_fd;
}

/*
 * 1: something to collect already; 0: armed (the vector fires once the
 * work in flight completes; with nothing in flight, once the work of the
 * next submit does).
 */
static int
arm(struct idxp_vchan *vc)
{
	if (vchan_has_news(vc))
		return 1;
	idxp_arm_post(vc);
	/* The drain's portal write came first: a record the device wrote
	 * before it is visible here (acquire loads of the status).
	 */
	return vchan_has_news(vc) ? 1 : 0;
}

int
rte_pmd_idxp_intr_arm(int16_t dev_id, uint16_t vchan)
{
	struct idxp_priv *priv;
	struct idxp_vchan *vc;
	int ret = vchan_usable(dev_id, vchan, &priv, &vc);

	if (ret < 0)
		return ret;
	return polled_only(priv) ? -ENOTSUP : arm(vc);
}

int
rte_pmd_idxp_intr_disarm(int16_t dev_id, uint16_t vchan)
{
	struct idxp_priv *priv;
	struct idxp_vchan *vc;
	int ret = idxp_vchan_get(dev_id, vchan, &priv, &vc);

	if (ret < 0)
		return ret;
	if (polled_only(priv))
		return -ENOTSUP;
	/* A drain already posted still completes: at most one spurious wake. */
	idxp_arm_cancel(vc);
	drain_fd(vc->intr_fd);
	return 0;
}

#define IDXP_TIGHT_POLLS	256

/* Busy-poll up to @cycles; true when something arrived. */
static bool
poll_news(const struct idxp_vchan *vc, uint64_t cycles)
{
	uint64_t end;
	unsigned int i;

	/*
	 * Under load the record lands within a few hundred cycles: poll it as
	 * tightly as a pure-poll loop would before reading the clock, so the
	 * fallback costs nothing at full load.
	 */
	for (i = 0; i < IDXP_TIGHT_POLLS; i++)
		if (vchan_has_news(vc))
			return true;
	end = rte_get_timer_cycles() + cycles;
	do {
		rte_pause();
		if (vchan_has_news(vc))
			return true;
	} while (rte_get_timer_cycles() < end);
	return false;
}

static int
ms_left(uint64_t deadline)
{
	uint64_t now = rte_get_timer_cycles();

	if (now >= deadline)
		return 0;
	return (int)((deadline - now) * 1000 / rte_get_timer_hz()) + 1;
}

/*
 * ---- waiting without interrupts (kernel WQs) ----
 *
 * Where the CPU can monitor an address (UMONITOR/UMWAIT), sleep on the
 * record of the oldest batch in flight, which is the next one
 * rte_dma_completed*() returns; the device's write to it wakes the core.
 * Otherwise, and with nothing in flight, sleep in steps that grow from a
 * microsecond to a millisecond. Either way the state is re-read at every
 * step, so a stop or a lost WQ ends the wait.
 */
#define KWQ_NAP_MAX_US		1000
#define KWQ_MONITOR_US		1000	/* longest single monitor wait */

static int
record_written(const uint64_t val, const uint64_t opaque[RTE_POWER_MONITOR_OPAQUE_SZ])
{
	RTE_SET_USED(opaque);
	return val != IDXP_COMP_NONE ? -1 : 0;	/* -1: do not sleep */
}

/* One monitored sleep; false when the CPU (or DPDK) cannot. */
static bool
monitor_once(const struct idxp_vchan *vc, uint64_t deadline)
{
	static int can = -1;
	struct rte_power_monitor_cond pmc = {
		.size = sizeof(uint8_t),
		.fn = record_written,
	};
	uint64_t until = rte_get_tsc_cycles() + rte_get_tsc_hz() / 1000000 *
		KWQ_MONITOR_US;

	if (can < 0) {
		struct rte_cpu_intrinsics intr;

		rte_cpu_get_intrinsics_support(&intr);
		can = intr.power_monitor;
	}
	if (!can || vc->batch_read == vc->batch_write)
		return false;
	pmc.addr = &idxp_bcomp(vc, vc->batch_read)->status;
	/* Timer cycles are TSC cycles on x86, where monitoring exists. */
	return rte_power_monitor(&pmc, RTE_MIN(until, deadline)) == 0;
}

static int
kwq_wait(struct idxp_priv *priv, struct idxp_vchan *vc, uint64_t deadline)
{
	unsigned int us = 1;
	bool slept = false;

	for (;;) {
		if (vchan_has_news(vc)) {
			vc->wait_sleeps += slept;
			return 1;
		}
		if (__atomic_load_n(&priv->halted, __ATOMIC_ACQUIRE))
			return -EIO;
		if (!priv->started)
			return -EBUSY;
		if (rte_get_timer_cycles() >= deadline)
			return 0;
		slept = true;
		if (monitor_once(vc, deadline))
			continue;
		usleep(us);
		us = RTE_MIN(us * 2, (unsigned int)KWQ_NAP_MAX_US);
	}
}

int
rte_pmd_idxp_wait(int16_t dev_id, uint16_t vchan, int timeout_ms)
{
	struct idxp_priv *priv;
	struct idxp_vchan *vc;
	uint64_t deadline;
	int ret = vchan_usable(dev_id, vchan, &priv, &vc);

	if (ret < 0)
		return ret;
	if (poll_news(vc, priv->poll_cycles))
		return 1;
	if (timeout_ms == 0)
		return 0;
	deadline = timeout_ms < 0 ? UINT64_MAX :
		rte_get_timer_cycles() + rte_get_timer_hz() * (uint64_t)timeout_ms / 1000;
	if (polled_only(priv))
		return kwq_wait(priv, vc, deadline);
	for (;;) {
		struct pollfd pfd = { .fd = vc->intr_fd, .events = POLLIN };
		int left = timeout_ms < 0 ? -1 : ms_left(deadline);

		if (left == 0)
			return 0;
		if (arm(vc) == 1)
			return 1;
		ret = poll(&pfd, 1, left);
		/* A drain queued for a later post would only wake us spuriously. */
		idxp_arm_cancel(vc);
		if (ret > 0)
			drain_fd(vc->intr_fd);
		if (__atomic_load_n(&priv->halted, __ATOMIC_ACQUIRE))
			return -EIO;
		if (!priv->started)
			return -EBUSY;
		if (vchan_has_news(vc)) {
			vc->wait_sleeps++;
			return 1;
		}
	}
}

/* Wake every sleeper so it re-reads the device state (stop, halt). */
void
idxp_intr_wake_all(struct idxp_priv *priv)
{
	uint16_t i;

	for (i = 0; i < priv->nb_vchans; i++)
		if (priv->vc[i].configured)
			idxp_eventfd_signal(priv->vc[i].intr_fd);
}
