/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Interrupt-mode fallback: a vchan's completion interrupt is an eventfd in
 * the device's interrupt table. Arming follows the qdio start-irq rule:
 * arm, full fence, re-check the completion records; the device writes the
 * record, fences, then reads the arm bit. Whichever runs second sees the
 * other, so a completion is never left without a wakeup.
 */

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_pause.h>

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

int
rte_pmd_idxp_intr_fd(int16_t dev_id, uint16_t vchan)
{
	struct idxp_priv *priv;
	struct idxp_vchan *vc;
	int ret = idxp_vchan_get(dev_id, vchan, &priv, &vc);

	return ret < 0 ? ret : vc->intr_fd;
}

static int
arm(struct idxp_vchan *vc)
{
	if (vchan_has_news(vc))
		return 1;
	__atomic_store_n(&vc->wq->intr_armed, 1, __ATOMIC_RELAXED);
	/* Orders the arm store before the re-check of the records. */
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vchan_has_news(vc)) {
		__atomic_store_n(&vc->wq->intr_armed, 0, __ATOMIC_RELAXED);
		return 1;
	}
	return 0;
}

int
rte_pmd_idxp_intr_arm(int16_t dev_id, uint16_t vchan)
{
	struct idxp_priv *priv;
	struct idxp_vchan *vc;
	int ret = vchan_usable(dev_id, vchan, &priv, &vc);

	return ret < 0 ? ret : arm(vc);
}

int
rte_pmd_idxp_intr_disarm(int16_t dev_id, uint16_t vchan)
{
	struct idxp_priv *priv;
	struct idxp_vchan *vc;
	int ret = idxp_vchan_get(dev_id, vchan, &priv, &vc);

	if (ret < 0)
		return ret;
	__atomic_store_n(&vc->wq->intr_armed, 0, __ATOMIC_RELAXED);
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
	for (;;) {
		struct pollfd pfd = { .fd = vc->intr_fd, .events = POLLIN };
		int left = timeout_ms < 0 ? -1 : ms_left(deadline);

		if (left == 0)
			return 0;
		if (arm(vc) == 1)
			return 1;
		ret = poll(&pfd, 1, left);
		__atomic_store_n(&vc->wq->intr_armed, 0, __ATOMIC_RELAXED);
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

	for (i = 0; i < priv->nb_vchans; i++) {
		uint64_t one = 1;

		if (priv->vc[i].configured &&
				write(priv->vc[i].intr_fd, &one, sizeof(one)) < 0)
			IDXP_DEV_LOG(priv, ERR, "vchan %u: cannot wake sleepers", i);
	}
}
