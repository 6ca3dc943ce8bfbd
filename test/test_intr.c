/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Interrupt-mode fallback: argument checks, timeouts, the eventfd in an
 * epoll set, sleepers woken by stop, interrupt handles revoked under a
 * sleeper, and a race stress of submit / arm /
 * wait with random delays on both sides in which no wait may time out
 * while a completion is pending and no completion may be lost.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <sys/epoll.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_random.h>

#include "rte_pmd_idxp.h"
#include "test_common.h"

#define BUF_SZ	(256 * 1024)

static uint8_t *src, *dst;
static rte_iova_t src_iova, dst_iova;

static uint64_t
ms_since(uint64_t t0)
{
	return (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
}

static void
test_bad_args(int16_t dev)
{
	CHECK(rte_pmd_idxp_wait(99, 0, 0) == -ENODEV, "bad dev");
	CHECK(rte_pmd_idxp_wait(dev, 7, 0) == -EINVAL, "bad vchan");
	CHECK(rte_pmd_idxp_intr_fd(dev, 7) == -EINVAL, "fd bad vchan");
	CHECK(rte_pmd_idxp_intr_arm(99, 0) == -ENODEV, "arm bad dev");
	CHECK(rte_pmd_idxp_intr_disarm(dev, 9) == -EINVAL, "disarm bad vchan");
	CHECK(rte_pmd_idxp_intr_fd(dev, 0) >= 0, "fd valid");
}

static void
test_timeout(int16_t dev)
{
	uint64_t t0 = rte_get_timer_cycles();
	int r = rte_pmd_idxp_wait(dev, 0, 50);
	uint64_t ms = ms_since(t0);

	CHECK(r == 0, "idle wait returns 0 on timeout, got %d", r);
	CHECK(ms >= 45 && ms < 1000, "timeout took %" PRIu64 " ms", ms);
	CHECK(rte_pmd_idxp_wait(dev, 0, 0) == 0, "zero timeout, nothing pending");
}

static void
test_ready(int16_t dev)
{
	uint16_t last;
	bool err = false;

	CHECK(rte_dma_copy(dev, 0, src_iova, dst_iova, 4096,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
	CHECK(rte_pmd_idxp_wait(dev, 0, 1000) > 0, "wait sees the completion");
	CHECK(rte_pmd_idxp_intr_arm(dev, 0) == 1, "arm with pending returns 1");
	CHECK(rte_dma_completed(dev, 0, 8, &last, &err) == 1 && !err, "collect");
	CHECK(memcmp(src, dst, 4096) == 0, "data");
}

/* The eventfd in the application's own epoll set. */
static void
test_epoll(int16_t dev)
{
	int fd = rte_pmd_idxp_intr_fd(dev, 0);
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN }, out;
	uint16_t last;
	bool err;

	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0, "epoll add");
	CHECK(rte_pmd_idxp_intr_arm(dev, 0) == 0, "arm with nothing pending");
	CHECK(epoll_wait(ep, &out, 1, 20) == 0, "no event before work");
	CHECK(rte_dma_copy(dev, 0, src_iova, dst_iova, 64 * 1024,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "copy");
	CHECK(epoll_wait(ep, &out, 1, 2000) == 1, "armed vchan raised its fd");
	CHECK(rte_pmd_idxp_intr_disarm(dev, 0) == 0, "disarm");
	CHECK(epoll_wait(ep, &out, 1, 0) == 0, "disarm drained the fd");
	CHECK(rte_dma_completed(dev, 0, 8, &last, &err) == 1, "collect");
	close(ep);
}

struct sleeper {
	int16_t dev;
	volatile int ret;
	volatile int done;
};

static void *
sleeper_main(void *arg)
{
	struct sleeper *s = arg;

	s->ret = rte_pmd_idxp_wait(s->dev, 0, -1);
	s->done = 1;
	return NULL;
}

/* Stopping a device wakes a sleeper with an error; then calls fail. */
static void
test_stop_wakes(int16_t dev)
{
	struct sleeper s = { .dev = dev };
	pthread_t t;
	uint64_t t0;

	pthread_create(&t, NULL, sleeper_main, &s);
	usleep(100 * 1000);
	CHECK(!s.done, "sleeper sleeps");
	CHECK(rte_dma_stop(dev) == 0, "stop");
	t0 = rte_get_timer_cycles();
	while (!s.done && ms_since(t0) < 2000)
		usleep(1000);
	CHECK(s.done && s.ret == -EBUSY, "stop woke the sleeper with -EBUSY (%d)",
			s.ret);
	pthread_join(t, NULL);
	CHECK(rte_pmd_idxp_wait(dev, 0, 10) == -EBUSY, "wait on stopped dev");
	CHECK(rte_pmd_idxp_intr_arm(dev, 0) == -EBUSY, "arm on stopped dev");
}

/* A vchan's only user: submits, then sleeps in rte_pmd_idxp_wait(). */
struct revoke_round {
	int16_t dev;
	uint16_t nb_ops;
	volatile int submitted;
	volatile int done;
	uint16_t got;
};

static void *
revoke_user_main(void *arg)
{
	struct revoke_round *r = arg;
	uint16_t i, last;
	bool err = false;

	for (i = 0; i < r->nb_ops; i++)
		rte_dma_copy(r->dev, 0, src_iova, dst_iova, BUF_SZ, 0);
	rte_dma_submit(r->dev, 0);
	r->submitted = 1;
	while (r->got < r->nb_ops && rte_pmd_idxp_wait(r->dev, 0, -1) == 1)
		r->got += rte_dma_completed(r->dev, 0, r->nb_ops, &last, &err);
	r->done = 1;
	return NULL;
}

/*
 * The device revokes every interrupt handle while a waiter sleeps on a
 * drain that carries one (or is about to post it): the driver requests
 * new handles and the waiter must still wake for each completion, with no
 * timeout to save it (it waits with -1). The revoke lands at a random
 * point of the round: before the drain, behind the work, or after it.
 */
static void
test_revoke(void)
{
	int16_t dev = (int16_t)t_idxp_create("dma_idxp3", "core=1,poll_us=10");
	struct rte_pmd_idxp_stats xs0, xs1;
	unsigned int round, woke = 0, rounds = 20;

	CHECK(dev >= 0 && t_dev_setup(dev, 1, 1024) == 0, "revoke: device");
	if (dev < 0)
		return;
	rte_pmd_idxp_stats_get(dev, &xs0);
	for (round = 0; round < rounds; round++) {
		/* Up to 250 MB of work: the revoke lands while it runs. */
		struct revoke_round r = { .dev = dev, .nb_ops = 1000 - round % 4 * 300 };
		pthread_t t;
		uint64_t t0;

		pthread_create(&t, NULL, revoke_user_main, &r);
		while (!r.submitted)
			rte_pause();
		usleep((useconds_t)rte_rand_max(5000));
		CHECK(rte_pmd_idxp_inject(dev, 0, RTE_PMD_IDXP_FAULT_REVOKE, 1) == 0,
				"inject a revoke");
		t0 = rte_get_timer_cycles();
		while (!r.done && ms_since(t0) < 5000)
			usleep(1000);
		if (!r.done) {
			/* Unstick it for the join: a stop wakes every sleeper. */
			rte_dma_stop(dev);
			pthread_join(t, NULL);
			rte_dma_start(dev);
			break;
		}
		pthread_join(t, NULL);
		woke += r.got == r.nb_ops;
		/* The control thread's revoke handling may trail the round. */
		t0 = rte_get_timer_cycles();
		do
			rte_pmd_idxp_stats_get(dev, &xs1);
		while (xs1.handle_revokes - xs0.handle_revokes <= round &&
				ms_since(t0) < 2000 && !usleep(1000));
	}
	CHECK(woke == rounds, "revoke under a sleeper: %u of %u rounds woke for "
			"every completion", woke, rounds);
	rte_pmd_idxp_stats_get(dev, &xs1);
	CHECK(xs1.handle_revokes - xs0.handle_revokes == rounds,
			"%" PRIu64 " revokes seen by the driver, %u injected",
			xs1.handle_revokes - xs0.handle_revokes, rounds);
	rte_dma_stop(dev);
	rte_dma_close(dev);
}

static void
spin_ns(uint64_t ns)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() / 1000000000.0 * ns;

	while (rte_get_timer_cycles() < end)
		rte_pause();
}

/* Wait by hand: arm, poll the fd, disarm. */
static int
manual_wait(int16_t dev, int timeout_ms)
{
	struct pollfd p = { .fd = rte_pmd_idxp_intr_fd(dev, 0), .events = POLLIN };
	int r = rte_pmd_idxp_intr_arm(dev, 0);

	if (r != 0)
		return r;
	r = poll(&p, 1, timeout_ms);
	rte_pmd_idxp_intr_disarm(dev, 0);
	return r;
}

/*
 * One cycle: submit 1-4 ops of random size, random app-side delay, then
 * wait until all are collected. Engine-side delays come from the random
 * sizes (1 B .. 256 KB) and from the engine sleeping between cycles.
 */
static int
stress_cycle(int16_t dev, uint64_t *timeouts, uint64_t *lost)
{
	uint16_t n = 1 + (rte_rand() & 3), got = 0, i, last;
	bool err = false;

	for (i = 0; i < n; i++) {
		uint32_t len = 1 + (uint32_t)rte_rand_max(rte_rand() & 1 ? 256 : BUF_SZ);

		if (rte_dma_copy(dev, 0, src_iova, dst_iova, len, 0) < 0)
			return -1;
	}
	rte_dma_submit(dev, 0);
	if (rte_rand() & 1)
		spin_ns(rte_rand_max(20000));
	while (got < n) {
		int r = (rte_rand() & 3) == 0 ? manual_wait(dev, 2000) :
			rte_pmd_idxp_wait(dev, 0, 2000);
		uint16_t k = rte_dma_completed(dev, 0, 8, &last, &err);

		if (r == 0 && k == 0)
			(*timeouts)++;	/* slept to its timeout with ops pending */
		if (r < 0 || err)
			return -1;
		got += k;
		if (r == 0 && k == 0 && *timeouts > 3)
			break;
	}
	*lost += n - got;
	return 0;
}

static void
test_stress(const char *name, const char *devargs, uint64_t cycles)
{
	int16_t dev = (int16_t)t_idxp_create(name, devargs);
	uint64_t timeouts = 0, lost = 0, i, t0;
	struct rte_dma_stats st;
	struct rte_pmd_idxp_stats xs;

	CHECK(dev >= 0, "create %s,%s", name, devargs);
	if (dev < 0)
		return;
	CHECK(t_dev_setup(dev, 1, 256) == 0, "setup");
	t0 = rte_get_timer_cycles();
	for (i = 0; i < cycles; i++)
		if (stress_cycle(dev, &timeouts, &lost) < 0 || timeouts > 3)
			break;
	CHECK(i == cycles, "%s: stopped after %" PRIu64 " cycles", name, i);
	CHECK(timeouts == 0, "%s: %" PRIu64 " waits timed out with work pending",
			name, timeouts);
	CHECK(lost == 0, "%s: %" PRIu64 " completions lost", name, lost);
	rte_dma_stats_get(dev, 0, &st);
	CHECK(st.submitted == st.completed && st.errors == 0,
			"stats submitted %" PRIu64 " completed %" PRIu64, st.submitted,
			st.completed);
	rte_pmd_idxp_stats_get(dev, &xs);
	printf("stress %s (%s): %" PRIu64 " cycles in %" PRIu64 " ms, %" PRIu64
			" ops, %" PRIu64 " wq interrupts, %" PRIu64 " sleeping waits, %"
			PRIu64 " engine sleeps\n", name, devargs, i, ms_since(t0),
			st.completed, xs.wq_interrupts, xs.wakeups, xs.engine_sleeps);
	CHECK(xs.wq_interrupts > 0, "the interrupt path was exercised");
	rte_dma_stop(dev);
	rte_dma_close(dev);
}

int
main(int argc, char **argv)
{
	const char *env = getenv("IDXP_STRESS_CYCLES");
	uint64_t cycles = env ? strtoull(env, NULL, 0) : 1000000;
	int16_t dev;

	RTE_SET_USED(argc);
	t_eal_init(argv[0], NULL, 0);
	src = t_dma_zalloc(BUF_SZ);
	dst = t_dma_zalloc(BUF_SZ);
	src_iova = t_iova(src);
	dst_iova = t_iova(dst);
	memset(src, 0x5a, BUF_SZ);

	dev = (int16_t)t_idxp_create("dma_idxp0", "core=1,poll_us=10");
	CHECK(dev >= 0, "create");
	CHECK(t_dev_setup(dev, 1, 64) == 0, "setup");
	CHECK(rte_pmd_idxp_wait(dev, 0, 0) == 0, "nothing pending");
	test_bad_args(dev);
	test_timeout(dev);
	test_ready(dev);
	test_epoll(dev);
	test_stop_wakes(dev);
	CHECK(rte_dma_close(dev) == 0, "close");
	CHECK(rte_pmd_idxp_wait(dev, 0, 10) == -ENODEV, "wait on closed dev");

	test_revoke();
	/* poll_us=0: every wait arms. spin_us=0: the engine sleeps at once. */
	test_stress("dma_idxp1", "core=1,poll_us=0,spin_us=0", cycles / 2);
	test_stress("dma_idxp2", "core=1,poll_us=0,spin_us=5", cycles / 2);
	return t_done("intr");
}
