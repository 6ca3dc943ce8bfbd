/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * One run of one point of a case, in a process of its own after
 * rte_eal_init(): devices, buffers, the timing window and the workers.
 * Every worker times itself from a start TSC the main lcore publishes, so
 * a worker may be the main lcore: on a 2-core machine "-l 0" runs the test
 * on core 0 while the device's engine thread owns core 1.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memcpy.h>
#include <rte_pause.h>
#include <rte_random.h>
#include <rte_string_fns.h>

#include "app_util.h"
#include "dma_perf.h"

/* The vdev bus comes with the idxp driver; weak for a build without it. */
#pragma weak rte_vdev_init

#define MAX_CPL		256	/* completions collected per poll */
#define CPU_BURST	32	/* CPU copies between clock reads */
#define EVENT_US	50000	/* the slow path runs at least this often */
#define DRAIN_US	2000000	/* for the device to finish what is in flight */

struct bench_dev {
	int16_t id;
	bool va;		/* takes virtual addresses */
	struct rte_dma_info info;
};

struct bench;

struct bench_worker {
	const struct perf_worker_cfg *cfg;
	const struct perf_point *pt;
	const struct bench *b;
	int16_t dev_id;
	bool main;		/* runs on the main lcore */
	uint16_t ns, nd;	/* segments per op (src, dst); 0: plain copies */
	uint32_t nr_op;		/* ops in one pass over the buffers */
	uint32_t work_cycles;	/* other work after each burst */
	struct app_bufs src, dst;
	struct rte_dma_sge *src_sge, *dst_sge;
	/* run state; the window opens at the first look after t_begin */
	bool in_window;
	uint32_t next;
	uint64_t t_begin, t_end, next_event, tsc0, ops0, app0;
	uint64_t enqueued, completed, failed, app_cycles;
	/* over the window */
	uint64_t ops, cycles, win_app;
	int status;
} __rte_cache_aligned;

struct bench {
	const struct perf_case *c;
	uint32_t verify;	/* ops checked per lcore */
	struct perf_point pt;
	uint64_t start;		/* TSC; 0 until the main lcore says go */
	uint64_t warm;		/* cycles before the window opens */
	uint64_t length;	/* cycles of the window */
	struct bench_dev devs[PERF_MAX_WORKERS];
	struct bench_worker *w;
};

/* ---- timing window, shared by all modes ---- */

static void
worker_start(struct bench_worker *w)
{
	uint64_t start;

	while ((start = __atomic_load_n(&w->b->start, __ATOMIC_ACQUIRE)) == 0)
		rte_pause();
	w->t_begin = start + w->b->warm;
	w->t_end = w->t_begin + w->b->length;
	w->next_event = start;
}

/* The slow path of worker_tick(); true when the worker must stop. */
static bool __rte_noinline
worker_event(struct bench_worker *w, uint64_t now)
{
	if (!w->in_window && w->tsc0 == 0 && now >= w->t_begin) {
		w->in_window = true;
		w->ops0 = w->completed;
		w->app0 = w->app_cycles;
		w->tsc0 = now;
	}
	if (w->in_window && now >= w->t_end) {
		w->ops = w->completed - w->ops0;
		w->win_app = w->app_cycles - w->app0;
		w->cycles = now - w->tsc0;
		return true;
	}
	w->next_event = RTE_MIN(now + rte_get_tsc_hz() / 1000000 * EVENT_US,
		w->in_window ? w->t_end : w->t_begin);
	return false;
}

/* One compare in the hot loop; the clock read is the caller's. */
static inline bool
worker_tick(struct bench_worker *w, uint64_t now)
{
	return unlikely(now >= w->next_event) && worker_event(w, now);
}

/* ---- DMA ---- */

/* One poll; failed ops stop rte_dma_completed(), so those come with status. */
static bool
dma_poll(struct bench_worker *w)
{
	enum rte_dma_status_code st[MAX_CPL];
	bool err = false;
	uint16_t i, n;

	n = rte_dma_completed(w->dev_id, 0, MAX_CPL, NULL, &err);
	w->completed += n;
	if (likely(!err))
		return n != 0;
	n = rte_dma_completed_status(w->dev_id, 0, MAX_CPL, NULL, st);
	for (i = 0; i < n; i++) {
		if (st[i] == RTE_DMA_STATUS_SUCCESSFUL)
			w->completed++;
		else
			w->failed++;
	}
	return true;
}

/* kick_batch copies (plain or scatter-gather), then one submit. */
static inline int
dma_enqueue(struct bench_worker *w)
{
	const int16_t dev = w->dev_id;
	const uint32_t len = w->pt->buf_size, nr = w->nr_op;
	const uint16_t ns = w->ns, nd = w->nd;
	uint32_t i = w->next, k;
	int ret = 0;

	for (k = 0; k < w->pt->kick_batch; k++) {
		ret = ns == 0 ? rte_dma_copy(dev, 0, w->src.iova[i],
				w->dst.iova[i], len, 0) :
			rte_dma_copy_sg(dev, 0, &w->src_sge[(size_t)i * ns],
				&w->dst_sge[(size_t)i * nd], ns, nd, 0);
		if (ret < 0)
			break;
		if (++i == nr)
			i = 0;
	}
	w->next = i;
	w->enqueued += k;
	if (k > 0 && rte_dma_submit(dev, 0) < 0)
		return -EIO;
	return ret == -ENOSPC ? 0 : RTE_MIN(ret, 0);
}

/*
 * Keeps the ring fed: kick_batch copies and a submit whenever that many
 * fit, then one poll. app_cycles counts the bursts and the polls that
 * returned completions, not the empty polls spent waiting on the device,
 * nor app_work_cycles, the application's own work after each burst.
 */
static int
dma_worker(void *arg)
{
	struct bench_worker *w = arg;
	const uint64_t ring = w->pt->ring_size;
	const uint64_t room = RTE_MIN((uint64_t)w->pt->kick_batch, ring);
	uint64_t t0, t1, t2, deadline;
	bool busy;
	int ret = 0;

	worker_start(w);
	do {
		t1 = t0 = rte_rdtsc();
		if (w->enqueued - w->completed - w->failed + room <= ring) {
			ret = dma_enqueue(w);
			t1 = rte_rdtsc();
			w->app_cycles += t1 - t0;
			for (t0 = t1 + w->work_cycles; t1 < t0; t1 = rte_rdtsc())
				rte_pause();
		}
		busy = dma_poll(w);
		t2 = rte_rdtsc();
		if (busy)
			w->app_cycles += t2 - t1;
		if (unlikely(ret < 0)) {
			fprintf(stderr, "%s: enqueue failed: %s\n", w->cfg->dev, strerror(-ret));
			w->status = ret;
			break;
		}
	} while (!worker_tick(w, t2));
	/* Collect what is still in flight so that the device stops clean. */
	deadline = rte_rdtsc() + rte_get_tsc_hz() / 1000000 * DRAIN_US;
	while (w->completed + w->failed < w->enqueued && rte_rdtsc() < deadline)
		dma_poll(w);
	if (w->completed + w->failed < w->enqueued && w->status == 0) {
		fprintf(stderr, "%s: %" PRIu64 " ops still in flight after %d s\n",
			w->cfg->dev, w->enqueued - w->completed - w->failed,
			DRAIN_US / 1000000);
		w->status = -ETIMEDOUT;
	}
	return w->status;
}

/* ---- CPU: rte_memcpy over the same buffers; all of it is copy time ---- */

static int
cpu_worker(void *arg)
{
	struct bench_worker *w = arg;
	const size_t len = w->pt->buf_size;
	uint32_t i = 0, k;
	uint64_t t0, t1;

	worker_start(w);
	t1 = rte_rdtsc();
	do {
		t0 = t1;
		for (k = 0; k < CPU_BURST; k++) {
			rte_memcpy(w->dst.va[i], w->src.va[i], len);
			if (++i == w->nr_op)
				i = 0;
		}
		t1 = rte_rdtsc();
		w->completed += CPU_BURST;
		w->app_cycles += t1 - t0;
	} while (!worker_tick(w, t1));
	return 0;
}

/* ---- devices ---- */

/* Says what is wrong with the device of lcore_dmaN; a negative errno. */
static int __rte_format_printf(3, 4)
dev_fail(const struct perf_worker_cfg *wc, int ret, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", wc->key, wc->dev);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s%s\n", ret != 0 ? ": " : "", ret != 0 ? strerror(-ret) : "");
	return ret != 0 ? ret : -ENOTSUP;
}

/*
 * By name, as upstream's configs give it; a vdev missing after EAL init is
 * made. Checked against the case, then one mem2mem vchan of ring_size.
 */
static int
dev_open(const struct bench *b, const struct perf_worker_cfg *wc,
		struct bench_dev *d)
{
	struct rte_dma_vchan_conf vc = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM, .nb_desc = b->pt.ring_size,
	};
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	uint16_t sge = RTE_MAX(b->c->src_sge, b->c->dst_sge);
	int id = rte_dma_get_dev_id_by_name(wc->dev), ret;

	ret = id < 0 && strchr(wc->dev, ':') == NULL && rte_vdev_init != NULL ?
		rte_vdev_init(wc->dev, "") : -ENODEV;
	if (id < 0 && ret == 0)
		id = rte_dma_get_dev_id_by_name(wc->dev);
	if (id < 0 || rte_dma_info_get(id, &d->info) < 0)
		return dev_fail(wc, ret < 0 ? ret : -ENODEV,
			"no such dmadev, and making a vdev of that name failed (the log above may say why)");
	d->id = (int16_t)id;
	d->va = (d->info.dev_capa & RTE_DMA_CAPA_SVA) != 0 ||
		rte_eal_iova_mode() == RTE_IOVA_VA;
	if ((d->info.dev_capa & RTE_DMA_CAPA_MEM_TO_MEM) == 0)
		return dev_fail(wc, 0, "cannot copy memory to memory");
	if (sge != 0 && ((d->info.dev_capa & RTE_DMA_CAPA_OPS_COPY_SG) == 0 ||
			d->info.max_sges < sge))
		return dev_fail(wc, 0, "dma_src_sge/dma_dst_sge: it takes %u segments at most",
			d->info.dev_capa & RTE_DMA_CAPA_OPS_COPY_SG ? d->info.max_sges : 0);
	if (vc.nb_desc < d->info.min_desc || vc.nb_desc > d->info.max_desc)
		return dev_fail(wc, 0, "dma_ring_size %u: it takes %u..%u descriptors",
			vc.nb_desc, d->info.min_desc, d->info.max_desc);
	ret = rte_dma_configure(d->id, &conf);
	if (ret == 0)
		ret = rte_dma_vchan_setup(d->id, 0, &vc);
	if (ret == 0)
		ret = rte_dma_start(d->id);
	return ret == 0 ? 0 : dev_fail(wc, ret, "configure, vchan setup or start failed");
}

/* ---- buffers ---- */

/* Distinct bytes everywhere, so that a copy of the wrong buffer shows. */
static void
pattern(uint8_t *p, size_t len)
{
	uint64_t x = rte_rand() | 1;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(p + i, &x, 8);
	}
}

/* Segment @i of @n of an op of @len bytes: the remainder on the last. */
static uint32_t
seg_len(uint32_t len, uint16_t n, uint32_t i)
{
	return len / n + (i % n == n - 1u ? len % n : 0);
}

/* As upstream: op k takes buffers k*n .. k*n+n-1, a segment from each. */
static struct rte_dma_sge *
sge_fill(const struct app_bufs *b, uint32_t ops, uint16_t n, uint32_t len)
{
	struct rte_dma_sge *sge = malloc(sizeof(*sge) * ((size_t)ops * n + 1));
	uint32_t i;

	for (i = 0; sge != NULL && i < ops * n; i++)
		sge[i] = (struct rte_dma_sge){ b->iova[i], seg_len(len, n, i) };
	return sge;
}

/* An equal share of the buffers for each lcore, on the nodes asked. */
static int
worker_setup(struct bench *b, unsigned int i, uint32_t nr)
{
	const struct perf_case *c = b->c;
	const uint32_t len = b->pt.buf_size;
	struct bench_worker *w = &b->w[i];

	*w = (struct bench_worker){ .cfg = &c->workers[i], .pt = &b->pt,
		.b = b, .dev_id = b->devs[i].id, .nr_op = nr,
		.work_cycles = c->work_cycles,
		.main = c->workers[i].lcore == rte_get_main_lcore() };
	if (!rte_lcore_is_enabled(w->cfg->lcore)) {
		fprintf(stderr, "%s: lcore %u is not an EAL lcore (check -l)\n",
			w->cfg->key, w->cfg->lcore);
		return -EINVAL;
	}
	if (app_bufs_alloc(&w->src, nr, len, c->src_node, b->devs[i].va) < 0 ||
			app_bufs_alloc(&w->dst, nr, len, c->dst_node, b->devs[i].va) < 0) {
		fprintf(stderr, "%s: buffers on src_numa_node %d, dst_numa_node %d (-1: any): see above\n",
			c->name, c->src_node, c->dst_node);
		return -ENOMEM;
	}
	pattern(w->src.mem, w->src.size);
#ifdef RTE_ARCH_X86
	/* Elsewhere there is no user-mode flush: the buffers stay warm. */
	for (size_t off = 0; c->cache_flush && off < w->src.size; off += RTE_CACHE_LINE_SIZE) {
		__builtin_ia32_clflush(w->src.mem + off);
		__builtin_ia32_clflush(w->dst.mem + off);
	}
#endif
	if (c->src_sge == 0 || w->dev_id < 0)
		return 0;
	w->ns = c->src_sge;
	w->nd = c->dst_sge;
	w->nr_op = nr / RTE_MAX(w->ns, w->nd);
	w->src_sge = sge_fill(&w->src, w->nr_op, w->ns, len);
	w->dst_sge = sge_fill(&w->dst, w->nr_op, w->nd, len);
	return w->src_sge != NULL && w->dst_sge != NULL ? 0 : -ENOMEM;
}

/* ---- the run ---- */

static int
workers_run(struct bench *b)
{
	lcore_function_t *fn = b->c->type == PERF_TYPE_DMA ? dma_worker : cpu_worker;
	uint64_t hz = rte_get_tsc_hz();
	struct bench_worker *main_w = NULL;
	unsigned int i;
	int ret = 0, status = 0;

	/* Let the ring fill and the engine settle: 10% of the run, 10..200 ms. */
	b->warm = (uint64_t)(RTE_MAX(0.01, RTE_MIN(0.2, b->c->test_secs / 10)) * hz);
	b->length = (uint64_t)(b->c->test_secs * hz);
	for (i = 0; ret == 0 && i < b->c->nb_workers; i++) {
		if (b->w[i].main)
			main_w = &b->w[i];
		else
			ret = rte_eal_remote_launch(fn, &b->w[i], b->w[i].cfg->lcore);
		if (ret < 0)
			fprintf(stderr, "%s: cannot launch on lcore %u: %s\n",
				b->w[i].cfg->key, b->w[i].cfg->lcore, strerror(-ret));
	}
	/* Even after a failed launch: whoever was launched waits for this. */
	__atomic_store_n(&b->start, rte_rdtsc(), __ATOMIC_RELEASE);
	if (main_w != NULL && ret == 0)
		status = fn(main_w);
	for (i = 0; i < b->c->nb_workers; i++)
		if (!b->w[i].main && rte_eal_wait_lcore(b->w[i].cfg->lcore) < 0)
			status = status != 0 ? status : -EIO;
	return ret < 0 ? ret : status;
}

/* ---- results ---- */

static void
record_finish(struct perf_record *r)
{
	double secs = r->hz != 0 ? (double)r->cycles / r->hz : 0.0;
	double ops_per_sec = secs > 0.0 ? r->ops / secs : 0.0;

	r->cycles_per_op = r->ops != 0 ? (double)r->cycles / r->ops : 0.0;
	r->mops = r->mops_min = r->mops_max = ops_per_sec / 1e6;
	r->gbps = ops_per_sec * r->pt.buf_size * 8 / 1e9;
	r->app_cycles_per_op = r->ops != 0 ? (double)r->app_cycles / r->ops : 0.0;
}

/* A round's lcores together: rates add up; cycles/op is their mean, as upstream's. */
static void
record_total(const struct perf_record *rows, unsigned int n, struct perf_record *t)
{
	unsigned int i;

	*t = rows[0];
	t->row = PERF_ROW_TOTAL;
	t->nr_buf = t->ops = t->app_cycles = t->errors = 0;
	t->mops = t->gbps = t->cycles_per_op = 0.0;
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(rows[i].dev, rows[0].dev) != 0) {
			strlcat(t->dev, "+", sizeof(t->dev));
			strlcat(t->dev, rows[i].dev, sizeof(t->dev));
		}
		if (i > 0) {
			strlcat(t->lcores, "+", sizeof(t->lcores));
			strlcat(t->lcores, rows[i].lcores, sizeof(t->lcores));
		}
		t->nr_buf += rows[i].nr_buf;
		t->ops += rows[i].ops;
		t->app_cycles += rows[i].app_cycles;
		t->errors += rows[i].errors;
		t->mops += rows[i].mops;
		t->gbps += rows[i].gbps;
		t->cycles_per_op += rows[i].cycles_per_op / n;
		t->check = RTE_MAX(t->check, rows[i].check);
	}
	t->mops_min = t->mops_max = t->mops;
	t->app_cycles_per_op = t->ops != 0 ? (double)t->app_cycles / t->ops : 0.0;
}

/* Whether op @k's destination segments hold its source segments. */
static bool
op_copied(const struct bench_worker *w, uint32_t k, uint8_t *tmp)
{
	const uint32_t len = w->pt->buf_size;
	const uint16_t ns = RTE_MAX(w->ns, 1), nd = RTE_MAX(w->nd, 1);
	uint32_t i, off;

	for (i = 0, off = 0; i < ns; off += seg_len(len, ns, i++))
		memcpy(tmp + off, w->src.va[k * ns + i], seg_len(len, ns, i));
	for (i = 0, off = 0; i < nd; off += seg_len(len, nd, i++))
		if (memcmp(tmp + off, w->dst.va[k * nd + i], seg_len(len, nd, i)) != 0)
			return false;
	return true;
}

static enum perf_check
worker_verify(const struct bench *b, const struct bench_worker *w)
{
	uint64_t covered = RTE_MIN(w->completed, (uint64_t)w->nr_op), n, k;
	uint8_t *tmp = malloc(b->pt.buf_size);

	n = RTE_MIN(covered, (uint64_t)b->verify);
	if (n == 0 || tmp == NULL) {
		free(tmp);
		return PERF_CHECK_SKIPPED;
	}
	for (k = 0; k < n && op_copied(w, k * covered / n, tmp); k++)
		;
	free(tmp);
	if (k == n)
		return PERF_CHECK_OK;
	fprintf(stderr, "%s: %s: op %" PRIu64 " of %u B: destination differs from source\n",
		b->c->name, w->cfg->dev[0] ? w->cfg->dev : "cpu", k * covered / n,
		b->pt.buf_size);
	return PERF_CHECK_FAILED;
}

/* Each lcore's row and their total, to the parent through @fd. */
static int
results_emit(struct bench *b, const struct perf_record *proto, int fd)
{
	const struct perf_case *c = b->c;
	struct perf_record rows[PERF_MAX_WORKERS], total;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < c->nb_workers; i++) {
		const struct bench_worker *w = &b->w[i];
		struct perf_record *r = &rows[i];

		*r = *proto;
		r->nr_buf = w->src.nb;
		r->ops = w->ops;
		r->cycles = w->cycles;
		r->app_cycles = w->win_app;
		r->errors = w->failed;
		r->check = worker_verify(b, w);
		strlcpy(r->dev, w->cfg->dev[0] ? w->cfg->dev : "cpu", sizeof(r->dev));
		snprintf(r->lcores, sizeof(r->lcores), "%u", w->cfg->lcore);
		record_finish(r);
		if (r->ops == 0 || r->errors != 0)
			fprintf(stderr, "%s: %s: %" PRIu64 " ops completed, %" PRIu64 " with an error, in %.2f s\n",
				c->name, r->dev, r->ops, r->errors, c->test_secs);
		if (r->check == PERF_CHECK_FAILED || r->errors != 0 || w->status < 0 ||
				r->ops == 0)
			ret = -EIO;
	}
	record_total(rows, c->nb_workers, &total);
	for (i = 0; i <= c->nb_workers; i++)
		if (write(fd, i < c->nb_workers ? &rows[i] : &total, sizeof(total)) !=
				sizeof(total))
			ret = -EPIPE;
	return ret;
}

int
bench_run(const struct perf_case *c, unsigned int case_idx, unsigned int s,
		unsigned int round, uint32_t verify, int fd)
{
	struct bench b = { .c = c, .verify = verify };
	struct perf_record proto = {
		.row = PERF_ROW_LCORE, .type = c->type, .case_idx = case_idx,
		.scenario = s + 1, .nb_scenarios = c->nb_scenarios, .round = round,
		.src_sge = c->src_sge, .dst_sge = c->dst_sge,
		.test_secs = c->test_secs, .hz = rte_get_tsc_hz(),
	};
	unsigned int i;
	int ret = 0;

	config_point(c, s, &b.pt);
	proto.pt = b.pt;
	strlcpy(proto.case_name, c->name, sizeof(proto.case_name));
	for (i = 0; i < PERF_MAX_WORKERS; i++)
		b.devs[i] = (struct bench_dev){ .id = -1 };
	for (i = 0; ret == 0 && c->type == PERF_TYPE_DMA && i < c->nb_workers; i++)
		ret = dev_open(&b, &c->workers[i], &b.devs[i]);
	b.w = rte_zmalloc("dma_perf", sizeof(*b.w) * c->nb_workers, 0);
	ret = ret == 0 && b.w == NULL ? -ENOMEM : ret;
	for (i = 0; ret == 0 && i < c->nb_workers; i++)
		ret = worker_setup(&b, i, config_nr_buf(c, &b.pt) / c->nb_workers);
	rte_mb();
	/* A setup error is the case's; a data or device error the run's. */
	if (ret == 0)
		ret = workers_run(&b);
	if (ret == 0 || ret == -EIO || ret == -ETIMEDOUT)
		ret = RTE_MIN(results_emit(&b, &proto, fd), ret);
	/* The process ends next: the EAL's cleanup and exit free the rest. */
	for (i = 0; i < c->nb_workers; i++)
		if (b.devs[i].id >= 0)
			rte_dma_stop(b.devs[i].id);
	return ret;
}
