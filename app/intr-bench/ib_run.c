/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * The measurement loops of idxp-intr-bench. All run on the main lcore;
 * the only other busy thread is the device's engine.
 *
 * Latency is submit -> completions collected: TSC before rte_dma_copy(),
 * TSC right after the rte_dma_completed() call that returned the op. Both
 * modes pay the same two calls, so the difference between the modes is
 * the cost of sleeping.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_malloc.h>
#include <rte_pause.h>

#include "intr_bench.h"

#define RING_MASK	(IB_RING - 1)
#define RATE_BUFS	64	/* low-rate ops in flight at most */
#define WAKE_BUFS	4
#define FULL_BURST	32	/* ops per submit at full load */
#define FULL_CPL	64	/* completions collected per call */
#define SETTLE_MS	20	/* engine reaches its idle state */
#define DRAIN_S		2

/* A paced run: one op every @period cycles. */
struct pace {
	const struct ib_dev *d;
	const struct ib_bufs *b;
	uint32_t size;
	uint64_t period;
	uint64_t next;		/* TSC the next op is due */
	uint64_t end;
	uint64_t seq;		/* ops submitted */
	uint64_t skipped;	/* ops not submitted: all buffers in flight */
	uint32_t outstanding;
	struct ib_lat *lat;	/* where collect() records */
	uint64_t sub_tsc[IB_RING];	/* by ring index */
	uint64_t seq_of[IB_RING];
};

int
ib_lat_init(struct ib_lat *l, uint32_t cap)
{
	l->n = 0;
	l->cap = cap;
	l->v = malloc((size_t)cap * sizeof(*l->v));
	return l->v == NULL ? -ENOMEM : 0;
}

void
ib_lat_free(struct ib_lat *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void
lat_add(struct ib_lat *l, uint64_t cycles)
{
	if (l->n < l->cap)
		l->v[l->n++] = cycles;
}

static uint64_t
ms_cycles(uint64_t ms)
{
	return rte_get_tsc_hz() / 1000 * ms;
}

/* Sleep in the kernel (not rte_delay_*: those spin) until TSC @tsc. */
void
ib_sleep_until(uint64_t tsc)
{
	uint64_t now = rte_rdtsc(), ns;
	struct timespec ts;

	if (tsc <= now)
		return;
	ns = (tsc - now) * 1000000000ULL / rte_get_tsc_hz();
	ts.tv_sec = (time_t)(ns / 1000000000ULL);
	ts.tv_nsec = (long)(ns % 1000000000ULL);
	nanosleep(&ts, NULL);
}

/* ---- paced ops ---- */

/*
 * The op copies a buffer whose first 8 bytes hold its sequence number
 * over a destination poisoned with the complement: the check after
 * completion proves this very op was executed.
 */
static int
submit_one(struct pace *p)
{
	uint32_t i = (uint32_t)(p->seq % p->b->src.nb);
	uint8_t *src = p->b->src.va[i];
	uint8_t *dst = p->b->dst.va[i];
	uint64_t stamp = p->seq + 1, poison = ~stamp, t;
	int idx;

	memcpy(src, &stamp, sizeof(stamp));
	memcpy(dst, &poison, sizeof(poison));
	t = rte_rdtsc();
	idx = rte_dma_copy(p->d->id, 0, p->b->src.iova[i], p->b->dst.iova[i],
			p->size, RTE_DMA_OP_FLAG_SUBMIT);
	if (idx < 0) {
		fprintf(stderr, "%s: rte_dma_copy: %s\n", p->d->name, strerror(-idx));
		return idx;
	}
	p->sub_tsc[idx & RING_MASK] = t;
	p->seq_of[idx & RING_MASK] = p->seq;
	p->seq++;
	p->outstanding++;
	return 0;
}

static int
verify_one(const struct pace *p, uint16_t idx)
{
	uint64_t seq = p->seq_of[idx & RING_MASK], stamp;
	uint32_t i = (uint32_t)(seq % p->b->src.nb);
	const uint8_t *src = p->b->src.va[i];
	const uint8_t *dst = p->b->dst.va[i];

	memcpy(&stamp, dst, sizeof(stamp));
	if (stamp == seq + 1 && memcmp(dst, src, p->size) == 0)
		return 0;
	fprintf(stderr, "%s: op %" PRIu64 ": destination differs from source\n",
		p->d->name, seq);
	return -EIO;
}

/* Collect what completed; records latencies. Returns ops collected. */
static int
collect(struct pace *p)
{
	bool err = false;
	uint16_t last, k, n;
	uint64_t t;

	n = rte_dma_completed(p->d->id, 0, 32, &last, &err);
	t = rte_rdtsc();
	if (err) {
		fprintf(stderr, "%s: an op completed with an error\n", p->d->name);
		return -EIO;
	}
	for (k = 0; k < n; k++) {
		uint16_t idx = (uint16_t)(last - (n - 1 - k));

		lat_add(p->lat, t - p->sub_tsc[idx & RING_MASK]);
		if (verify_one(p, idx) < 0)
			return -EIO;
	}
	p->outstanding -= n;
	return n;
}

/* Submit every op that is due; a stall does not cause a burst after it. */
static int
submit_due(struct pace *p, uint64_t now)
{
	if (now - p->next > 64 * p->period) {
		p->skipped += (now - p->next) / p->period;
		p->next = now;
	}
	while (now >= p->next) {
		p->next += p->period;
		if (p->outstanding >= p->b->src.nb) {
			p->skipped++;
			continue;
		}
		if (submit_one(p) < 0)
			return -EIO;
	}
	return 0;
}

/* Sleep until something completes; error when nothing does in time. */
static int
wait_collect(struct pace *p)
{
	int ret = rte_pmd_idxp_wait(p->d->id, 0, IB_WAIT_MS);

	if (ret < 0) {
		fprintf(stderr, "%s: rte_pmd_idxp_wait: %s\n", p->d->name,
			strerror(-ret));
		return ret;
	}
	if (ret == 0) {
		fprintf(stderr, "%s: no completion within %d ms\n", p->d->name,
			IB_WAIT_MS);
		return -ETIMEDOUT;
	}
	return collect(p);
}

static int
drain(struct pace *p)
{
	uint64_t deadline = rte_rdtsc() + ms_cycles(DRAIN_S * 1000);

	while (p->outstanding > 0) {
		if (collect(p) < 0)
			return -EIO;
		if (rte_rdtsc() > deadline) {
			fprintf(stderr, "%s: %u ops never completed\n", p->d->name,
				p->outstanding);
			return -ETIMEDOUT;
		}
	}
	return 0;
}

/* Classic PMD: the app spins on rte_dma_completed() all the time. */
static int
rate_poll(struct pace *p)
{
	for (;;) {
		uint64_t now = rte_rdtsc();

		if (now >= p->end || ib_quit)
			return 0;
		if (now >= p->next && submit_due(p, now) < 0)
			return -EIO;
		if (collect(p) < 0)
			return -EIO;
	}
}

/* Interrupt mode: wait for completions, sleep between ops. */
static int
rate_intr(struct pace *p)
{
	for (;;) {
		uint64_t now = rte_rdtsc();

		if (now >= p->end || ib_quit)
			return 0;
		if (now >= p->next) {
			if (submit_due(p, now) < 0)
				return -EIO;
		} else if (p->outstanding > 0) {
			if (wait_collect(p) < 0)
				return -EIO;
		} else {
			ib_sleep_until(p->next);
		}
	}
}

static void
settle(void)
{
	struct timespec ts = { .tv_nsec = SETTLE_MS * 1000000L };

	nanosleep(&ts, NULL);
}

static struct pace *
pace_new(const struct ib_dev *d, const struct ib_bufs *b, uint32_t size,
		uint32_t rate)
{
	struct pace *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->d = d;
	p->b = b;
	p->size = size;
	p->period = rte_get_tsc_hz() / rate;
	return p;
}

static int
rate_window(struct pace *p, const struct ib_opts *o, bool intr,
		struct ib_rate_res *res)
{
	struct ib_snap s;
	int ret;

	settle();
	rte_pmd_idxp_stats_reset(p->d->id);
	if (ib_snap_take(p->d, &s) < 0)
		return -EIO;
	p->next = s.tsc;
	p->end = s.tsc + (uint64_t)(o->seconds * rte_get_tsc_hz());
	ret = intr ? rate_intr(p) : rate_poll(p);
	if (ret == 0)
		ret = ib_cpu_since(p->d, &s, &res->cpu);
	if (ret == 0)
		ret = rte_pmd_idxp_stats_get(p->d->id, &res->st);
	if (ret == 0)
		ret = drain(p);
	res->ops = p->seq;
	if (p->skipped > 0)
		fprintf(stderr, "%s: %" PRIu64 " ops skipped: the device fell behind\n",
			p->d->name, p->skipped);
	return ret;
}

int
ib_rate_run(const struct ib_dev *d, const struct ib_opts *o, bool intr,
		struct ib_rate_res *res)
{
	struct ib_bufs b;
	struct pace *p;
	int ret;

	memset(res, 0, sizeof(*res));
	if (ib_lat_init(&res->lat, (uint32_t)(o->rate * o->seconds) + 1024) < 0)
		return -ENOMEM;
	if (ib_bufs_alloc(&b, RATE_BUFS, o->size) < 0)
		return -ENOMEM;
	p = pace_new(d, &b, o->size, o->rate);
	if (p == NULL) {
		ib_bufs_free(&b);
		return -ENOMEM;
	}
	p->lat = &res->lat;
	ret = rate_window(p, o, intr, res);
	free(p);
	ib_bufs_free(&b);
	return ret;
}

/* ---- wake-up run ---- */

static int
spin_sample(struct pace *p, struct ib_wake_res *res)
{
	uint64_t deadline = rte_rdtsc() + ms_cycles(IB_WAIT_MS);

	p->lat = &res->spin;
	if (submit_one(p) < 0)
		return -EIO;
	while (p->outstanding > 0) {
		if (collect(p) < 0)
			return -EIO;
		if (rte_rdtsc() > deadline) {
			fprintf(stderr, "%s: no completion within %d ms\n",
				p->d->name, IB_WAIT_MS);
			return -ETIMEDOUT;
		}
	}
	return 0;
}

static uint64_t
wakeups(int16_t id)
{
	struct rte_pmd_idxp_stats st;

	return rte_pmd_idxp_stats_get(id, &st) == 0 ? st.wakeups : 0;
}

/* A sample counts only if the app really slept: the wakeups counter moved. */
static int
wait_sample(struct pace *p, struct ib_wake_res *res)
{
	uint64_t before = wakeups(p->d->id);

	p->lat = &res->wait;
	if (submit_one(p) < 0)
		return -EIO;
	while (p->outstanding > 0)
		if (wait_collect(p) < 0)
			return -EIO;
	if (wakeups(p->d->id) == before && res->wait.n > 0) {
		res->wait.n--;
		res->not_slept++;
	}
	return 0;
}

/*
 * Spinning and sleeping samples alternate on the same device, so both see
 * the same engine, op and memory state; their difference is the wake-up.
 */
static int
wake_loop(struct pace *p, struct ib_wake_res *res)
{
	uint64_t i = 0;

	for (;;) {
		uint64_t now = rte_rdtsc();
		int ret;

		if (now >= p->end || ib_quit)
			return 0;
		if (now < p->next) {
			ib_sleep_until(p->next);
			continue;
		}
		p->next = now + p->period;
		ret = (i++ & 1) ? wait_sample(p, res) : spin_sample(p, res);
		if (ret < 0)
			return ret;
	}
}

int
ib_wake_run(const struct ib_dev *d, const struct ib_opts *o,
		struct ib_wake_res *res)
{
	uint32_t cap = (uint32_t)(o->rate * o->seconds) + 1024;
	struct ib_snap s;
	struct ib_bufs b;
	struct pace *p;
	int ret;

	memset(res, 0, sizeof(*res));
	if (ib_lat_init(&res->spin, cap) < 0 || ib_lat_init(&res->wait, cap) < 0)
		return -ENOMEM;
	if (ib_bufs_alloc(&b, WAKE_BUFS, o->wake_size) < 0)
		return -ENOMEM;
	p = pace_new(d, &b, o->wake_size, o->rate);
	if (p == NULL) {
		ib_bufs_free(&b);
		return -ENOMEM;
	}
	settle();
	ret = ib_snap_take(d, &s);
	p->next = s.tsc;
	/* A smoke run needs only a few hundred samples. */
	p->end = p->next + (uint64_t)(o->seconds * (o->quick ? 0.5 : 1) *
			rte_get_tsc_hz());
	if (ret == 0)
		ret = wake_loop(p, res);
	if (ret == 0)
		ret = ib_cpu_since(d, &s, &res->cpu);
	free(p);
	ib_bufs_free(&b);
	return ret;
}

/* ---- full load ---- */

struct full {
	const struct ib_dev *d;
	const struct ib_bufs *b;
	uint32_t size;
	uint64_t submitted;
	uint32_t outstanding;
};

/* Fill the ring, one submit per burst. */
static int
full_enqueue(struct full *f)
{
	uint16_t n = RTE_MIN(rte_dma_burst_capacity(f->d->id, 0), FULL_BURST);
	uint16_t k;

	for (k = 0; k < n; k++) {
		uint32_t i = (uint32_t)(f->submitted++ & (f->b->src.nb - 1));
		int ret = rte_dma_copy(f->d->id, 0, f->b->src.iova[i],
				f->b->dst.iova[i], f->size,
				k == n - 1 ? RTE_DMA_OP_FLAG_SUBMIT : 0);

		if (ret < 0) {
			fprintf(stderr, "%s: rte_dma_copy: %s\n", f->d->name,
				strerror(-ret));
			return ret;
		}
	}
	f->outstanding += n;
	return n;
}

static int
full_collect(struct full *f)
{
	bool err = false;
	uint16_t last, n;

	n = rte_dma_completed(f->d->id, 0, FULL_CPL, &last, &err);
	if (err) {
		fprintf(stderr, "%s: an op completed with an error\n", f->d->name);
		return -EIO;
	}
	f->outstanding -= n;
	return n;
}

static int
full_wait(const struct full *f)
{
	int ret = rte_pmd_idxp_wait(f->d->id, 0, IB_WAIT_MS);

	if (ret > 0)
		return 0;
	fprintf(stderr, "%s: rte_pmd_idxp_wait: %s\n", f->d->name,
		ret == 0 ? "no completion in time" : strerror(-ret));
	return ret == 0 ? -ETIMEDOUT : ret;
}

/* One step of the loop: ops collected, or a negative errno. */
static int
full_step(struct full *f, bool intr)
{
	int n;

	if (full_enqueue(f) < 0)
		return -EIO;
	n = full_collect(f);
	/*
	 * Interrupt-capable app, as l3fwd-power: wait only when it can do
	 * nothing else, i.e. nothing completed and no room for a burst.
	 */
	if (n == 0 && intr && rte_dma_burst_capacity(f->d->id, 0) < FULL_BURST &&
			full_wait(f) < 0)
		return -EIO;
	return n;
}

static int
full_drain(struct full *f)
{
	uint64_t deadline = rte_rdtsc() + ms_cycles(DRAIN_S * 1000);

	while (f->outstanding > 0) {
		if (full_collect(f) < 0)
			return -EIO;
		if (rte_rdtsc() > deadline) {
			fprintf(stderr, "%s: %u ops never completed\n", f->d->name,
				f->outstanding);
			return -ETIMEDOUT;
		}
	}
	return 0;
}

/* Every buffer used holds its source: a whole-run sanity check. */
static int
full_verify(const struct full *f)
{
	uint64_t n = RTE_MIN(f->submitted, (uint64_t)f->b->src.nb), i;

	for (i = 0; i < n; i++) {
		if (memcmp(f->b->dst.va[i], f->b->src.va[i], f->size) != 0) {
			fprintf(stderr, "%s: buffer %" PRIu64 " was not copied\n",
				f->d->name, i);
			return -EIO;
		}
	}
	return 0;
}

/* Loop until @end; the window opens at @warm. */
static int
full_loop(struct full *f, bool intr, uint64_t warm, double seconds,
		struct ib_full_res *res)
{
	struct ib_snap s;
	uint64_t end = 0;
	int n;

	for (;;) {
		uint64_t now;

		n = full_step(f, intr);
		if (n < 0)
			return n;
		now = rte_rdtsc();
		if (end == 0 && now >= warm) {
			rte_pmd_idxp_stats_reset(f->d->id);
			if (ib_snap_take(f->d, &s) < 0)
				return -EIO;
			end = s.tsc + (uint64_t)(seconds * rte_get_tsc_hz());
			continue;
		}
		if (end != 0)
			res->ops += (uint64_t)n;
		if ((end != 0 && now >= end) || ib_quit)
			break;
	}
	return end == 0 ? -EINTR : ib_cpu_since(f->d, &s, &res->cpu);
}

int
ib_full_run(const struct ib_dev *d, const struct ib_bufs *b, uint32_t size,
		double seconds, bool intr, struct ib_full_res *res)
{
	struct full f = { .d = d, .b = b, .size = size };
	struct rte_pmd_idxp_stats st;
	/* Fill the ring and let the engine reach its pace first. */
	uint64_t warm = RTE_MAX(ms_cycles(20), (uint64_t)(seconds * 0.1 *
			rte_get_tsc_hz()));
	int ret;

	memset(res, 0, sizeof(*res));
	memset(b->dst.mem, 0, b->dst.size);
	settle();
	ret = full_loop(&f, intr, rte_rdtsc() + warm, seconds, res);
	if (ret == 0 && rte_pmd_idxp_stats_get(d->id, &st) == 0)
		res->wakeups = st.wakeups;
	if (full_drain(&f) < 0 || (ret == 0 && full_verify(&f) < 0))
		return -EIO;
	if (ret < 0)
		return ret;
	res->mops = res->ops / res->cpu.wall_s / 1e6;
	res->gbps = res->ops * (double)size / res->cpu.wall_s / 1e9;
	return 0;
}
