/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * idxp driven the way DPDK's own dma benchmark (app/test-dma-perf) drives
 * a dmadev, round after round, in the IOVA mode of the run:
 * - buffer pools created for the round and freed before rte_dma_stop(),
 *   with ops still in flight;
 * - ops enqueued without SUBMIT, a kick every 32, completions collected
 *   with rte_dma_completed() only (never _status), so any error on a
 *   valid buffer would stall the client for good;
 * - a bounded drain at the end that leaves ops in flight, sometimes with
 *   the last ops never submitted;
 * - stop, configure, vchan_setup with another ring size, start.
 * Pass: no round stalls, no error is ever reported, op ids restart at 0
 * and every completion of a round belongs to that round, and every copy
 * reported done moved the right bytes.
 */

#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_mempool.h>
#include <rte_random.h>

#include "test_common.h"

#define ROUNDS		120
#define KICK		32
#define MAX_CPL		255	/* as upstream */
#define POLL_MAX	1000	/* upstream's bounded drain */
#define POOL_BYTES	(4u << 20)
#define MAX_BUFS	4096
#define ROUND_MS	40	/* traffic per round */
#define STALL_MS	3000	/* a round that takes this long stalled */

static int16_t dev;

struct pools {
	struct rte_mempool *src, *dst;
	void *s[MAX_BUFS], *d[MAX_BUFS];
	rte_iova_t si[MAX_BUFS], di[MAX_BUFS];
	uint32_t nb;
	uint32_t size;
};

/* Op ids in flight, oldest first, and the buffer each one copies. */
struct inflight {
	uint32_t buf[8192];
	uint32_t head, tail;	/* free-running */
	uint16_t next_id;	/* id the next rte_dma_copy() must return */
	uint16_t next_done;	/* id the next completion must be */
};

struct round_stats {
	uint64_t ops, done, bad_id, errors, bad_data, left;
	bool stalled;
};

static int
pools_create(struct pools *p, unsigned int round, uint32_t size)
{
	char n1[RTE_MEMPOOL_NAMESIZE], n2[RTE_MEMPOOL_NAMESIZE];
	uint32_t i;

	p->size = size;
	p->nb = RTE_MIN((uint32_t)MAX_BUFS, POOL_BYTES / size);
	snprintf(n1, sizeof(n1), "clt_src%u", round);
	snprintf(n2, sizeof(n2), "clt_dst%u", round);
	/* Mempool objects never straddle a non-contiguous page (as mbufs). */
	p->src = rte_mempool_create(n1, p->nb, size, 0, 0, NULL, NULL, NULL, NULL,
			SOCKET_ID_ANY, 0);
	p->dst = rte_mempool_create(n2, p->nb, size, 0, 0, NULL, NULL, NULL, NULL,
			SOCKET_ID_ANY, 0);
	if (p->src == NULL || p->dst == NULL ||
			rte_mempool_get_bulk(p->src, p->s, p->nb) != 0 ||
			rte_mempool_get_bulk(p->dst, p->d, p->nb) != 0)
		return -1;
	for (i = 0; i < p->nb; i++) {
		p->si[i] = rte_mempool_virt2iova(p->s[i]);
		p->di[i] = rte_mempool_virt2iova(p->d[i]);
		memset(p->s[i], (int)(round * 31 + i), size);
		memset(p->d[i], 0, size);
	}
	return 0;
}

static void
pools_free(struct pools *p)
{
	rte_mempool_free(p->src);
	rte_mempool_free(p->dst);
	p->src = p->dst = NULL;
}

static int
dev_setup(uint16_t ring)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vc = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = ring,
	};

	if (rte_dma_configure(dev, &conf) != 0 ||
			rte_dma_vchan_setup(dev, 0, &vc) != 0)
		return -1;
	return rte_dma_start(dev);
}

/* rte_dma_completed() as upstream calls it, with the round's checks. */
static uint16_t
collect(struct inflight *f, struct round_stats *rs, const struct pools *p)
{
	uint16_t last = 0, n, i;
	bool err = false;

	n = rte_dma_completed(dev, 0, MAX_CPL, &last, &err);
	rs->errors += err;
	if (n == 0)
		return 0;
	if (n > f->tail - f->head || last != (uint16_t)(f->next_done + n - 1))
		rs->bad_id++;	/* a completion that is not this round's */
	for (i = 0; i < n && f->head != f->tail; i++) {
		uint32_t b = f->buf[f->head++ % RTE_DIM(f->buf)];

		if (memcmp(p->d[b], p->s[b], p->size) != 0)
			rs->bad_data++;
	}
	f->next_done += n;
	rs->done += n;
	return n;
}

static void
kick(struct inflight *f, struct round_stats *rs, const struct pools *p)
{
	if (rte_dma_submit(dev, 0) < 0)
		rs->errors++;
	collect(f, rs, p);
}

/* The benchmark worker: copy every buffer in turn until time is up. */
static void
worker(struct inflight *f, struct round_stats *rs, const struct pools *p,
		uint64_t end, uint64_t stall)
{
	uint64_t async = 0;
	uint32_t i = 0;

	while (rte_get_timer_cycles() < end) {
		int id = rte_dma_copy(dev, 0, p->si[i], p->di[i], p->size, 0);

		if (id == -ENOSPC) {
			kick(f, rs, p);
			if (rte_get_timer_cycles() > stall) {
				rs->stalled = true;
				return;
			}
			continue;
		}
		if (id < 0 || (uint16_t)id != f->next_id) {
			rs->bad_id++;
			return;
		}
		f->next_id++;
		f->buf[f->tail++ % RTE_DIM(f->buf)] = i;
		rs->ops++;
		if (++async % KICK == 0)
			kick(f, rs, p);
		i = (i + 1) % p->nb;
	}
}

/* Upstream's end of a run: a last submit (or not), then a bounded drain. */
static void
drain(struct inflight *f, struct round_stats *rs, const struct pools *p,
		bool submit)
{
	unsigned int polls = 0;

	if (submit)
		rte_dma_submit(dev, 0);
	while (f->head != f->tail && polls++ < POLL_MAX)
		collect(f, rs, p);
	rs->left = f->tail - f->head;
}

static void
run_round(unsigned int round, struct round_stats *rs)
{
	static const uint32_t sizes[] = {
		64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536,
	};
	uint16_t ring = (uint16_t)(64u << rte_rand_max(7));	/* 64..4096 */
	uint64_t hz = rte_get_timer_hz(), t0 = rte_get_timer_cycles();
	static struct inflight f;
	static struct pools p;

	memset(rs, 0, sizeof(*rs));
	memset(&f, 0, sizeof(f));
	if (pools_create(&p, round, sizes[round % RTE_DIM(sizes)]) < 0) {
		CHECK(false, "round %u: pools of %u x %u B", round, p.nb, p.size);
		pools_free(&p);
		return;
	}
	CHECK(dev_setup(ring) == 0, "round %u: configure + setup(%u) + start",
			round, ring);
	worker(&f, rs, &p, t0 + hz * ROUND_MS / 1000, t0 + hz * STALL_MS / 1000);
	drain(&f, rs, &p, round % 3 != 0);
	/* Upstream frees its pools before it stops the device. */
	pools_free(&p);
	CHECK(rte_dma_stop(dev) == 0, "round %u: stop with %" PRIu64 " ops in "
			"flight", round, rs->left);
	rs->stalled |= rte_get_timer_cycles() - t0 > hz * STALL_MS / 1000;
}

int
main(int argc, char **argv)
{
	struct round_stats rs, sum = {0};
	unsigned int round, stalled = 0, with_left = 0;

	RTE_SET_USED(argc);
	t_eal_init(argv[0], NULL, 0);
	rte_srand(0xc11e47);
	dev = (int16_t)t_idxp_create("dma_idxp0", "core=1");
	CHECK(dev >= 0, "create");
	if (dev < 0)
		return t_done("clients");
	for (round = 0; round < ROUNDS; round++) {
		run_round(round, &rs);
		CHECK(!rs.stalled, "round %u stalled", round);
		CHECK(rs.errors == 0, "round %u: %" PRIu64 " errors on valid buffers",
				round, rs.errors);
		CHECK(rs.bad_id == 0, "round %u: %" PRIu64 " completions or ids out "
				"of sequence (stale ops of an earlier run?)", round, rs.bad_id);
		CHECK(rs.bad_data == 0, "round %u: %" PRIu64 " copies reported done "
				"with wrong data", round, rs.bad_data);
		stalled += rs.stalled;
		with_left += rs.left > 0;
		sum.ops += rs.ops;
		sum.done += rs.done;
		sum.left += rs.left;
	}
	printf("clients: %u rounds (IOVA as %s), %" PRIu64 " ops, %" PRIu64
			" collected, %" PRIu64 " left in flight at stop in %u rounds, "
			"%u stalled\n", ROUNDS, t_iova_pa() ? "PA" : "VA", sum.ops,
			sum.done, sum.left, with_left, stalled);
	/* Per round only stalls count: on a loaded 2-core machine the engine
	 * may get no CPU during a round's 40 ms, and stop still drains it.
	 */
	CHECK(sum.done > sum.ops / 2, "only %" PRIu64 " of %" PRIu64 " ops collected",
			sum.done, sum.ops);
	CHECK(with_left > 0, "no round stopped with ops in flight: the case "
			"was not exercised");
	rte_dma_close(dev);
	return t_done("clients");
}
