/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * The measurement, run inside a case's child process after rte_eal_init().
 *
 * Every worker times itself against a start TSC the coordinator publishes,
 * so a worker may be the main lcore: on a 2-core machine "-l 0" runs the
 * test on core 0 while the device's engine thread owns core 1.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memcpy.h>
#include <rte_pause.h>
#include <rte_random.h>

#include "dma_perf.h"

/*
 * The vdev bus comes with the idxp driver the binary links; weak so a build
 * without it still runs devices created by --vdev.
 */
#pragma weak rte_vdev_init
#pragma weak rte_vdev_uninit

#define MAX_CPL		256	/* completions collected per poll */
#define CPU_BURST	32	/* CPU copies between clock reads */
#define EVENT_US	50000	/* workers look at quit/progress this often */
#define PROGRESS_US	250000
#define READY_US	5000000	/* for remote workers to come up */
#define DRAIN_US	2000000	/* for the device to finish in-flight ops */
#define VERIFY_SAMPLES	64
#define BUF_ALIGN	4096

/* Shared by the workers of one run. */
struct bench_ctl {
	uint64_t start;		/* TSC; 0 until the coordinator says go */
	uint64_t warm;		/* cycles before the window opens */
	uint64_t length;	/* cycles of the window */
	uint64_t event;		/* cycles between slow-path checks */
	uint64_t progress;	/* cycles between progress lines */
	bool abort;		/* a worker could not be launched */
	bool show_progress;
	const char *case_name;
	const char *var;
	uint32_t value;
	unsigned int scenario;
	unsigned int nb_scenarios;
	double secs;
};

struct bench_dev {
	int16_t id;
	bool created;		/* by us with rte_vdev_init() */
	bool started;
	bool va;		/* takes virtual addresses */
	struct rte_dma_info info;
};

struct bench_mem {
	uint32_t nr_buf;
	char *src;
	char *dst;
	uint64_t *src_addr;	/* device address of each buffer */
	uint64_t *dst_addr;
	struct rte_dma_sge *src_sge;
	struct rte_dma_sge *dst_sge;
};

struct bench_worker {
	/* set before launch */
	const struct perf_worker_cfg *cfg;
	struct bench_ctl *ctl;
	struct perf_point pt;
	int16_t dev_id;
	bool main;		/* on the main lcore: drives the progress line */
	uint16_t src_sge;	/* 0: plain copies */
	uint16_t dst_sge;
	uint32_t nr_buf;
	char *src;
	char *dst;
	const uint64_t *src_addr;
	const uint64_t *dst_addr;
	struct rte_dma_sge *src_sges;	/* not const: rte_dma_copy_sg() */
	struct rte_dma_sge *dst_sges;

	/* run state */
	bool ready;
	bool done;
	bool in_window;
	bool interrupted;
	uint32_t next_buf;
	uint64_t t_begin;
	uint64_t t_end;
	uint64_t next_event;
	uint64_t next_progress;
	uint64_t enqueued;
	uint64_t completed;
	uint64_t failed;
	uint64_t app_cycles;
	uint32_t work_cycles;	/* other work per burst, not counted */
	uint64_t ops0;
	uint64_t app0;
	uint64_t tsc0;

	/* results, over the window */
	uint64_t ops;
	uint64_t cycles;
	uint64_t win_app_cycles;
	int status;
} __rte_cache_aligned;

struct bench_case {
	const struct perf_case *c;
	const struct perf_run_opts *opts;
	int argc;		/* EAL arguments, for --vdev device args */
	char **argv;
	perf_emit_t emit;
	void *emit_arg;
	unsigned int nb_workers;
	struct bench_dev devs[PERF_MAX_WORKERS];
	struct bench_worker *workers;
};

struct bench_mode {
	const char *name;
	const char *short_name;
	bool uses_dma;
	lcore_function_t *worker;
};

static volatile sig_atomic_t quit;

static bool
quitting(void)
{
	return quit != 0;
}

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	quit = 1;
}

/* ---- timing window, shared by all modes ---- */

static void
worker_start(struct bench_worker *w)
{
	const struct bench_ctl *ctl = w->ctl;
	uint64_t start;

	__atomic_store_n(&w->ready, true, __ATOMIC_RELEASE);
	while ((start = __atomic_load_n(&ctl->start, __ATOMIC_ACQUIRE)) == 0)
		rte_pause();
	w->t_begin = start + ctl->warm;
	w->t_end = w->t_begin + ctl->length;
	w->next_event = start;
	w->next_progress = w->t_begin;
}

static void
worker_window_close(struct bench_worker *w, uint64_t now)
{
	if (!w->in_window)
		return;
	w->ops = w->completed - w->ops0;
	w->win_app_cycles = w->app_cycles - w->app0;
	w->cycles = now - w->tsc0;
	w->in_window = false;
}

static void
worker_progress(struct bench_worker *w, uint64_t now)
{
	const struct bench_ctl *ctl = w->ctl;
	double elapsed = (double)(now - w->t_begin) / rte_get_tsc_hz();

	output_progress(ctl->case_name, ctl->var, ctl->value, ctl->scenario,
		ctl->nb_scenarios, elapsed, ctl->secs);
	w->next_progress = now + ctl->progress;
}

/* The slow path of worker_tick(); returns true when the worker must stop. */
static bool __rte_noinline
worker_event(struct bench_worker *w, uint64_t now)
{
	const struct bench_ctl *ctl = w->ctl;

	if (!w->in_window && w->tsc0 == 0 && now >= w->t_begin) {
		w->in_window = true;
		w->ops0 = w->completed;
		w->app0 = w->app_cycles;
		w->tsc0 = now;
	}
	if (w->in_window && now >= w->t_end) {
		worker_window_close(w, now);
		return true;
	}
	if (quitting() || __atomic_load_n(&ctl->abort, __ATOMIC_RELAXED)) {
		w->interrupted = true;
		worker_window_close(w, now);
		return true;
	}
	if (w->main && ctl->show_progress && w->in_window &&
			now >= w->next_progress)
		worker_progress(w, now);
	w->next_event = now + ctl->event;
	if (!w->in_window)
		w->next_event = RTE_MIN(w->next_event, w->t_begin);
	else
		w->next_event = RTE_MIN(w->next_event, w->t_end);
	if (w->main && ctl->show_progress)
		w->next_event = RTE_MIN(w->next_event, w->next_progress);
	return false;
}

/* One compare in the hot loop; the clock read is the caller's. */
static inline bool
worker_tick(struct bench_worker *w, uint64_t now)
{
	if (likely(now < w->next_event))
		return false;
	return worker_event(w, now);
}

/* ---- DMA mode ---- */

/* Failed ops stop rte_dma_completed(); read them with their status. */
static void __rte_noinline
dma_collect_errors(struct bench_worker *w)
{
	enum rte_dma_status_code st[MAX_CPL];
	uint16_t i, n;

	n = rte_dma_completed_status(w->dev_id, 0, MAX_CPL, NULL, st);
	for (i = 0; i < n; i++) {
		if (st[i] == RTE_DMA_STATUS_SUCCESSFUL)
			w->completed++;
		else
			w->failed++;
	}
}

static inline int
dma_enqueue_plain(struct bench_worker *w)
{
	const int16_t dev = w->dev_id;
	const uint32_t len = w->pt.buf_size;
	const uint32_t kick = w->pt.kick_batch;
	const uint32_t nr = w->nr_buf;
	uint32_t i = w->next_buf, k;
	int ret = 0;

	for (k = 0; k < kick; k++) {
		ret = rte_dma_copy(dev, 0, w->src_addr[i], w->dst_addr[i], len, 0);
		if (ret < 0)
			break;
		if (++i == nr)
			i = 0;
	}
	w->next_buf = i;
	w->enqueued += k;
	if (k > 0 && rte_dma_submit(dev, 0) < 0)
		return -EIO;
	return ret == -ENOSPC ? 0 : RTE_MIN(ret, 0);
}

static inline int
dma_enqueue_sg(struct bench_worker *w)
{
	const int16_t dev = w->dev_id;
	const uint16_t ns = w->src_sge, nd = w->dst_sge;
	const uint32_t kick = w->pt.kick_batch;
	const uint32_t nr = w->nr_buf;
	uint32_t i = w->next_buf, k;
	int ret = 0;

	for (k = 0; k < kick; k++) {
		ret = rte_dma_copy_sg(dev, 0, &w->src_sges[(size_t)i * ns],
			&w->dst_sges[(size_t)i * nd], ns, nd, 0);
		if (ret < 0)
			break;
		if (++i == nr)
			i = 0;
	}
	w->next_buf = i;
	w->enqueued += k;
	if (k > 0 && rte_dma_submit(dev, 0) < 0)
		return -EIO;
	return ret == -ENOSPC ? 0 : RTE_MIN(ret, 0);
}

/* Collect what is still in flight so the device stops clean. */
static int
dma_drain(struct bench_worker *w)
{
	uint64_t deadline = rte_rdtsc() + rte_get_tsc_hz() / 1000000 * DRAIN_US;
	bool err = false;

	while (w->completed + w->failed < w->enqueued) {
		w->completed += rte_dma_completed(w->dev_id, 0, MAX_CPL, NULL, &err);
		if (err)
			dma_collect_errors(w);
		if (rte_rdtsc() > deadline) {
			fprintf(stderr, "%s: %s: %" PRIu64 " ops still in flight after %d s\n",
				w->ctl->case_name, w->cfg->dev,
				w->enqueued - w->completed - w->failed,
				DRAIN_US / 1000000);
			return -ETIMEDOUT;
		}
	}
	return 0;
}

/*
 * Keeps the ring fed: kick_batch copies then a submit, whenever that many
 * fit, then one poll. app_cycles counts the enqueue+submit bursts and the
 * polls that returned completions, not the empty polls spent waiting on the
 * device; gating the bursts on free room keeps failed enqueues out as well.
 */
/* The application's own work between bursts (app_work_cycles). */
static uint64_t
other_work(uint64_t now, uint32_t cycles)
{
	uint64_t end = now + cycles, t;

	while ((t = rte_rdtsc()) < end)
		rte_pause();
	return t;
}

static int
dma_worker(void *arg)
{
	struct bench_worker *w = arg;
	const bool sg = w->src_sge != 0;
	const uint64_t room = RTE_MIN(w->pt.kick_batch, w->pt.ring_size);
	uint64_t t0, t1, t2;
	bool err = false;
	uint16_t n;
	int ret = 0;

	worker_start(w);
	do {
		t0 = rte_rdtsc();
		if (w->enqueued - w->completed - w->failed + room <= w->pt.ring_size) {
			ret = sg ? dma_enqueue_sg(w) : dma_enqueue_plain(w);
			t1 = rte_rdtsc();
			w->app_cycles += t1 - t0;
			if (w->work_cycles != 0)
				t1 = other_work(t1, w->work_cycles);
		} else {
			t1 = t0;
		}
		n = rte_dma_completed(w->dev_id, 0, MAX_CPL, NULL, &err);
		if (unlikely(err))
			dma_collect_errors(w);
		t2 = rte_rdtsc();
		if (n > 0 || err) {
			w->app_cycles += t2 - t1;
			w->completed += n;
		}
		if (unlikely(ret < 0)) {
			fprintf(stderr, "%s: %s: enqueue failed: %s\n",
				w->ctl->case_name, w->cfg->dev, strerror(-ret));
			worker_window_close(w, t2);
			w->status = ret;
			break;
		}
	} while (!worker_tick(w, t2));
	ret = dma_drain(w);
	if (w->status == 0)
		w->status = ret;
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
	return w->status;
}

/* ---- CPU mode ---- */

/* rte_memcpy over the same buffers; all of the core's time is copy time. */
static int
cpu_worker(void *arg)
{
	struct bench_worker *w = arg;
	const size_t len = w->pt.buf_size;
	const uint32_t nr = w->nr_buf;
	char *src = w->src, *dst = w->dst;
	uint32_t i = 0, k;
	uint64_t t0, t1;

	worker_start(w);
	t1 = rte_rdtsc();
	do {
		t0 = t1;
		for (k = 0; k < CPU_BURST; k++) {
			rte_memcpy(dst + i * len, src + i * len, len);
			if (++i == nr)
				i = 0;
		}
		t1 = rte_rdtsc();
		w->completed += CPU_BURST;
		w->app_cycles += t1 - t0;
	} while (!worker_tick(w, t1));
	w->enqueued = w->completed;
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
	return 0;
}

static const struct bench_mode modes[PERF_TYPE_MAX] = {
	[PERF_TYPE_DMA_MEM_COPY] = { "DMA_MEM_COPY", "DMA", true, dma_worker },
	[PERF_TYPE_CPU_MEM_COPY] = { "CPU_MEM_COPY", "CPU", false, cpu_worker },
};

const char *
bench_type_name(enum perf_type type)
{
	return type < PERF_TYPE_MAX ? modes[type].name : "NONE";
}

const char *
bench_type_short(enum perf_type type)
{
	return type < PERF_TYPE_MAX ? modes[type].short_name : "-";
}

int
bench_type_from_name(const char *name, enum perf_type *type)
{
	int i;

	for (i = 0; i < PERF_TYPE_MAX; i++) {
		if (strcmp(modes[i].name, name) == 0) {
			*type = (enum perf_type)i;
			return 0;
		}
	}
	return -ENOENT;
}

bool
bench_type_uses_dma(enum perf_type type)
{
	return type < PERF_TYPE_MAX && modes[type].uses_dma;
}

/* ---- devices ---- */

static void
list_dev_names(char *buf, size_t len)
{
	struct rte_dma_info info;
	size_t off = 0;
	int16_t id;

	buf[0] = '\0';
	RTE_DMA_FOREACH_DEV(id) {
		if (rte_dma_info_get(id, &info) != 0 || off >= len)
			continue;
		off += snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
			info.dev_name);
	}
	if (off == 0)
		snprintf(buf, len, "none");
}

/* Device arguments of "--vdev NAME,ARGS" / "--vdev=NAME,ARGS" for NAME. */
static const char *
vdev_args(const struct bench_case *bc, const char *name)
{
	size_t nlen = strlen(name);
	int i;

	for (i = 1; i < bc->argc; i++) {
		const char *spec = NULL;

		if (strncmp(bc->argv[i], "--vdev=", 7) == 0)
			spec = bc->argv[i] + 7;
		else if (strcmp(bc->argv[i], "--vdev") == 0 && i + 1 < bc->argc)
			spec = bc->argv[++i];
		if (spec == NULL || strncmp(spec, name, nlen) != 0)
			continue;
		if (spec[nlen] == ',')
			return spec + nlen + 1;
		if (spec[nlen] == '\0')
			return "";
	}
	return "";
}

/*
 * Devices are named as in upstream configs; a vdev that does not exist yet
 * (dev=dma_idxp0 without --vdev) is created, with any args a --vdev gave.
 */
static int
dev_resolve(struct bench_case *bc, const struct perf_worker_cfg *wc,
		struct bench_dev *d)
{
	const char *name = wc->dev;
	char have[512];
	int id, ret;

	id = rte_dma_get_dev_id_by_name(name);
	if (id < 0 && strchr(name, ':') == NULL && rte_vdev_init != NULL) {
		ret = rte_vdev_init(name, vdev_args(bc, name));
		if (ret == 0)
			d->created = true;
		else
			fprintf(stderr, "%s: %s: creating vdev %s failed (%d): is it a vdev driver name and instance, like dma_idxp0?\n",
				bc->c->name, wc->key, name, ret);
		id = rte_dma_get_dev_id_by_name(name);
	}
	if (id < 0) {
		list_dev_names(have, sizeof(have));
		fprintf(stderr, "%s: %s: no dmadev named '%s' (present: %s)\n",
			bc->c->name, wc->key, name, have);
		return -ENODEV;
	}
	d->id = (int16_t)id;
	ret = rte_dma_info_get(d->id, &d->info);
	if (ret < 0) {
		fprintf(stderr, "%s: %s: %s: cannot read device info: %s\n",
			bc->c->name, wc->key, name, strerror(-ret));
		return ret;
	}
	/* SVA devices take virtual addresses; in VA mode IOVA == VA anyway. */
	d->va = (d->info.dev_capa & RTE_DMA_CAPA_SVA) != 0 ||
		rte_eal_iova_mode() == RTE_IOVA_VA;
	return 0;
}

static uint64_t
dir_capa(enum perf_dir dir)
{
	switch (dir) {
	case PERF_DIR_MEM2DEV:
		return RTE_DMA_CAPA_MEM_TO_DEV;
	case PERF_DIR_DEV2MEM:
		return RTE_DMA_CAPA_DEV_TO_MEM;
	default:
		return RTE_DMA_CAPA_MEM_TO_MEM;
	}
}

static int
dev_check_ring(const struct bench_case *bc, const struct perf_worker_cfg *wc,
		const struct bench_dev *d)
{
	const struct perf_case *c = bc->c;
	struct perf_point pt;
	unsigned int s;

	for (s = 0; s < c->nb_scenarios; s++) {
		config_point(c, s, &pt);
		if (pt.ring_size >= d->info.min_desc &&
				pt.ring_size <= d->info.max_desc)
			continue;
		fprintf(stderr, "%s: dma_ring_size %u: %s (%s) takes %u..%u descriptors\n",
			c->name, pt.ring_size, wc->dev, wc->key,
			d->info.min_desc, d->info.max_desc);
		return -EINVAL;
	}
	return 0;
}

/* What the case asks of the device, checked once before any run. */
static int
dev_check(const struct bench_case *bc, const struct perf_worker_cfg *wc,
		const struct bench_dev *d)
{
	const struct perf_case *c = bc->c;
	uint16_t sge = RTE_MAX(c->src_sge, c->dst_sge);

	if ((d->info.dev_capa & dir_capa(wc->dir)) == 0) {
		fprintf(stderr, "%s: %s: %s cannot do the dir= transfer direction\n",
			c->name, wc->key, wc->dev);
		return -ENOTSUP;
	}
	if (sge != 0 && ((d->info.dev_capa & RTE_DMA_CAPA_OPS_COPY_SG) == 0 ||
			d->info.max_sges < sge)) {
		fprintf(stderr, "%s: dma_src_sge/dma_dst_sge %u/%u: %s takes at most %u segments\n",
			c->name, c->src_sge, c->dst_sge, wc->dev,
			(d->info.dev_capa & RTE_DMA_CAPA_OPS_COPY_SG) ?
			d->info.max_sges : 0);
		return -ENOTSUP;
	}
	if (d->info.max_vchans < 1) {
		fprintf(stderr, "%s: %s: %s has no vchan\n", c->name, wc->key,
			wc->dev);
		return -ENOTSUP;
	}
	return dev_check_ring(bc, wc, d);
}

static void
port_param(const struct perf_worker_cfg *wc, struct rte_dma_port_param *p)
{
	memset(p, 0, sizeof(*p));
	p->port_type = RTE_DMA_PORT_PCIE;
	p->pcie.coreid = wc->coreid;
	p->pcie.pfid = wc->pfid;
	p->pcie.vfen = wc->vfid != 0;
	p->pcie.vfid = wc->vfid;
}

static int
dev_configure(const struct bench_case *bc, const struct perf_worker_cfg *wc,
		struct bench_dev *d, const struct perf_point *pt)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vc = { .nb_desc = (uint16_t)pt->ring_size };
	const char *step;
	int ret;

	vc.direction = wc->dir == PERF_DIR_MEM2DEV ? RTE_DMA_DIR_MEM_TO_DEV :
		wc->dir == PERF_DIR_DEV2MEM ? RTE_DMA_DIR_DEV_TO_MEM :
		RTE_DMA_DIR_MEM_TO_MEM;
	if (wc->dir == PERF_DIR_MEM2DEV)
		port_param(wc, &vc.dst_port);
	else if (wc->dir == PERF_DIR_DEV2MEM)
		port_param(wc, &vc.src_port);
	step = "configure";
	ret = rte_dma_configure(d->id, &conf);
	if (ret == 0) {
		step = "vchan setup";
		ret = rte_dma_vchan_setup(d->id, 0, &vc);
	}
	if (ret == 0) {
		step = "start";
		ret = rte_dma_start(d->id);
	}
	if (ret < 0) {
		fprintf(stderr, "%s: %s: %s: %s failed (ring %u): %s\n",
			bc->c->name, wc->key, wc->dev, step, pt->ring_size,
			strerror(-ret));
		return ret;
	}
	d->started = true;
	return 0;
}

static void
devs_stop(struct bench_case *bc)
{
	unsigned int i;

	for (i = 0; i < bc->nb_workers; i++) {
		if (bc->devs[i].started)
			rte_dma_stop(bc->devs[i].id);
		bc->devs[i].started = false;
	}
}

static void
devs_release(struct bench_case *bc)
{
	unsigned int i;

	devs_stop(bc);
	for (i = 0; i < bc->nb_workers; i++) {
		struct bench_dev *d = &bc->devs[i];

		if (d->id < 0)
			continue;
		/* The driver's remove closes the dmadev it made. */
		if (d->created && rte_vdev_uninit != NULL)
			rte_vdev_uninit(bc->c->workers[i].dev);
		else
			rte_dma_close(d->id);
		d->id = -1;
	}
}

/* ---- lcores ---- */

static int
lcores_check(const struct bench_case *bc)
{
	const struct perf_case *c = bc->c;
	unsigned int i;

	for (i = 0; i < c->nb_workers; i++) {
		const struct perf_worker_cfg *wc = &c->workers[i];

		if (wc->lcore < RTE_MAX_LCORE && rte_lcore_is_enabled(wc->lcore))
			continue;
		fprintf(stderr, "%s: %s: lcore %u is not an EAL lcore (main lcore %u, %u enabled; check -l)\n",
			c->name, wc->key, wc->lcore, rte_get_main_lcore(),
			rte_lcore_count());
		return -EINVAL;
	}
	return 0;
}

/* ---- memory ---- */

/* EAL socket id for a NUMA node of the config; false if it has no memory. */
static bool
socket_of(int node, int *socket)
{
	unsigned int i;

	*socket = SOCKET_ID_ANY;
	if (node < 0)
		return true;
	for (i = 0; i < rte_socket_count(); i++) {
		if (rte_socket_id_by_idx(i) == node) {
			*socket = node;
			return true;
		}
	}
	return false;
}

static void *
mem_zalloc(const struct perf_case *c, const char *what, size_t len, int node)
{
	int socket;
	void *p;

	if (!socket_of(node, &socket)) {
		fprintf(stderr, "%s: %s_numa_node: no NUMA node %d with EAL memory\n",
			c->name, what, node);
		return NULL;
	}
	p = rte_zmalloc_socket("dma_perf", len, BUF_ALIGN, socket);
	if (p == NULL)
		fprintf(stderr, "%s: cannot allocate %zu KB of %s memory on node %d (raise -m or hugepages)\n",
			c->name, len >> 10, what, node);
	return p;
}

/* Distinct bytes everywhere, so a copy of the wrong buffer shows. */
static void
mem_pattern(char *p, size_t len)
{
	uint64_t x = rte_rand() | 1;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(p + i, &x, 8);
	}
	for (; i < len; i++)
		p[i] = (char)(i | 1);
}

static void
mem_free(struct bench_mem *m)
{
	rte_free(m->src);
	rte_free(m->dst);
	rte_free(m->src_addr);
	rte_free(m->dst_addr);
	rte_free(m->src_sge);
	rte_free(m->dst_sge);
	memset(m, 0, sizeof(*m));
}

static int
mem_alloc(const struct bench_case *bc, const struct perf_point *pt,
		struct bench_mem *m)
{
	const struct perf_case *c = bc->c;
	size_t len;

	memset(m, 0, sizeof(*m));
	m->nr_buf = config_nr_buf(pt);
	len = (size_t)m->nr_buf * pt->buf_size;
	m->src = mem_zalloc(c, "src", len, c->src_node);
	m->dst = mem_zalloc(c, "dst", len, c->dst_node);
	if (m->src == NULL || m->dst == NULL)
		return -ENOMEM;
	mem_pattern(m->src, len);
	if (!bench_type_uses_dma(c->type))
		return 0;
	m->src_addr = mem_zalloc(c, "src", m->nr_buf * sizeof(uint64_t), -1);
	m->dst_addr = mem_zalloc(c, "dst", m->nr_buf * sizeof(uint64_t), -1);
	if (m->src_addr == NULL || m->dst_addr == NULL)
		return -ENOMEM;
	if (c->src_sge == 0)
		return 0;
	m->src_sge = mem_zalloc(c, "src",
		(size_t)m->nr_buf * c->src_sge * sizeof(struct rte_dma_sge), -1);
	m->dst_sge = mem_zalloc(c, "dst",
		(size_t)m->nr_buf * c->dst_sge * sizeof(struct rte_dma_sge), -1);
	return m->src_sge == NULL || m->dst_sge == NULL ? -ENOMEM : 0;
}

/* IOVA of any byte of EAL memory (rte_malloc_virt2iova() wants the start). */
static rte_iova_t
va2iova(const char *va)
{
	const struct rte_memseg *ms = rte_mem_virt2memseg(va, NULL);

	if (ms == NULL || ms->iova == RTE_BAD_IOVA)
		return RTE_BAD_IOVA;
	return ms->iova + (uintptr_t)RTE_PTR_DIFF(va, ms->addr);
}

/* Device addresses of @n buffers; refuses buffers that are not contiguous. */
static int
addr_fill(const struct bench_dev *d, char *va, uint32_t n, uint32_t len,
		uint64_t *addr)
{
	uint32_t i;

	for (i = 0; i < n; i++, va += len) {
		rte_iova_t iova;

		if (d->va) {
			addr[i] = (uintptr_t)va;
			continue;
		}
		iova = va2iova(va);
		if (iova == RTE_BAD_IOVA || va2iova(va + len - 1) != iova + len - 1)
			return -EFAULT;
		addr[i] = iova;
	}
	return 0;
}

static void
addr_remote(uint64_t raddr, uint32_t n, uint32_t len, uint64_t *addr)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		addr[i] = raddr + (uint64_t)i * len;
}

/* Upstream's split: equal segments, the remainder on the last one. */
static void
sge_fill(const uint64_t *addr, uint32_t n, uint32_t len, uint16_t nb_seg,
		struct rte_dma_sge *sge)
{
	uint32_t seg = len / nb_seg;
	uint32_t i;
	uint16_t j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < nb_seg; j++) {
			sge[(size_t)i * nb_seg + j].addr = addr[i] + (uint64_t)j * seg;
			sge[(size_t)i * nb_seg + j].length = seg;
		}
		sge[(size_t)i * nb_seg + nb_seg - 1].length += len % nb_seg;
	}
}

static void
cache_flush(const char *p, size_t len)
{
#ifdef RTE_ARCH_X86
	size_t off;

	for (off = 0; off < len; off += RTE_CACHE_LINE_SIZE)
		__builtin_ia32_clflush(p + off);
#else
	/* No user-mode flush here: cache_flush=1 measures warm buffers. */
	RTE_SET_USED(p);
	RTE_SET_USED(len);
#endif
}

/* ---- one run ---- */

static int
worker_setup_dma(struct bench_case *bc, unsigned int i, struct bench_mem *m,
		size_t first)
{
	struct bench_worker *w = &bc->workers[i];
	const struct perf_worker_cfg *wc = w->cfg;
	const struct bench_dev *d = &bc->devs[i];
	const uint32_t len = w->pt.buf_size;
	uint64_t *sa = m->src_addr + first, *da = m->dst_addr + first;

	if (wc->dir == PERF_DIR_DEV2MEM)
		addr_remote(wc->raddr, w->nr_buf, len, sa);
	else if (addr_fill(d, w->src, w->nr_buf, len, sa) < 0)
		goto not_contig;
	if (wc->dir == PERF_DIR_MEM2DEV)
		addr_remote(wc->raddr, w->nr_buf, len, da);
	else if (addr_fill(d, w->dst, w->nr_buf, len, da) < 0)
		goto not_contig;
	w->dev_id = d->id;
	w->src_addr = sa;
	w->dst_addr = da;
	w->work_cycles = bc->c->work_cycles;
	if (bc->c->src_sge == 0)
		return 0;
	w->src_sge = bc->c->src_sge;
	w->dst_sge = bc->c->dst_sge;
	w->src_sges = m->src_sge + first * w->src_sge;
	w->dst_sges = m->dst_sge + first * w->dst_sge;
	sge_fill(sa, w->nr_buf, len, w->src_sge, w->src_sges);
	sge_fill(da, w->nr_buf, len, w->dst_sge, w->dst_sges);
	return 0;

not_contig:
	fprintf(stderr, "%s: %s: buffers of %u B are not IOVA-contiguous for %s; use --iova-mode=va\n",
		bc->c->name, wc->key, len, wc->dev);
	return -EFAULT;
}

/* Each worker gets an equal slice of the buffers, as upstream. */
static int
workers_setup(struct bench_case *bc, struct bench_ctl *ctl,
		const struct perf_point *pt, struct bench_mem *m)
{
	uint32_t per = m->nr_buf / bc->nb_workers;
	unsigned int i;
	int ret;

	for (i = 0; i < bc->nb_workers; i++) {
		struct bench_worker *w = &bc->workers[i];
		size_t first = (size_t)per * i;

		memset(w, 0, sizeof(*w));
		w->cfg = &bc->c->workers[i];
		w->ctl = ctl;
		w->pt = *pt;
		w->main = w->cfg->lcore == rte_get_main_lcore();
		w->nr_buf = per;
		w->src = m->src + first * pt->buf_size;
		w->dst = m->dst + first * pt->buf_size;
		if (!bench_type_uses_dma(bc->c->type))
			continue;
		ret = worker_setup_dma(bc, i, m, first);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static void
ctl_init(const struct bench_case *bc, unsigned int s, const struct perf_point *pt,
		struct bench_ctl *ctl)
{
	const struct perf_case *c = bc->c;
	uint64_t hz = rte_get_tsc_hz();
	double warm;

	memset(ctl, 0, sizeof(*ctl));
	/* Let the ring fill and the engine settle before counting: 10% of
	 * the run, at least upstream's 10 ms, at most 200 ms.
	 */
	warm = RTE_MAX(0.01, RTE_MIN(0.2, c->test_secs / 10));
	ctl->warm = (uint64_t)(warm * hz);
	ctl->length = (uint64_t)(c->test_secs * hz);
	ctl->event = hz / 1000000 * EVENT_US;
	ctl->progress = hz / 1000000 * PROGRESS_US;
	ctl->show_progress = bc->opts->progress;
	ctl->case_name = c->name;
	ctl->var = config_var_short(c->varying);
	ctl->value = c->varying == PERF_VAR_MAX ? pt->buf_size : c->values[s];
	ctl->scenario = s + 1;
	ctl->nb_scenarios = c->nb_scenarios;
	ctl->secs = c->test_secs;
}

static int
workers_launch(struct bench_case *bc, lcore_function_t *fn)
{
	uint64_t deadline;
	unsigned int i;
	int ret;

	for (i = 0; i < bc->nb_workers; i++) {
		struct bench_worker *w = &bc->workers[i];

		if (w->main)
			continue;
		ret = rte_eal_remote_launch(fn, w, w->cfg->lcore);
		if (ret < 0) {
			fprintf(stderr, "%s: %s: cannot launch on lcore %u: %s\n",
				bc->c->name, w->cfg->key, w->cfg->lcore,
				strerror(-ret));
			return ret;
		}
	}
	deadline = rte_rdtsc() + rte_get_tsc_hz() / 1000000 * READY_US;
	for (i = 0; i < bc->nb_workers; i++) {
		while (!bc->workers[i].main &&
				!__atomic_load_n(&bc->workers[i].ready, __ATOMIC_ACQUIRE)) {
			if (rte_rdtsc() > deadline) {
				fprintf(stderr, "%s: lcore %u did not start\n",
					bc->c->name, bc->workers[i].cfg->lcore);
				return -ETIMEDOUT;
			}
			rte_pause();
		}
	}
	return 0;
}

static bool
workers_done(const struct bench_case *bc)
{
	unsigned int i;

	for (i = 0; i < bc->nb_workers; i++)
		if (!__atomic_load_n(&bc->workers[i].done, __ATOMIC_ACQUIRE))
			return false;
	return true;
}

/* The main lcore is not testing: it only shows progress. */
static void
coordinator_wait(struct bench_case *bc, struct bench_ctl *ctl)
{
	uint64_t hz = rte_get_tsc_hz();
	uint64_t begin = ctl->start + ctl->warm;
	uint64_t now, next = begin;

	while (!workers_done(bc)) {
		now = rte_rdtsc();
		if (ctl->show_progress && now >= next && now < begin + ctl->length) {
			output_progress(ctl->case_name, ctl->var, ctl->value,
				ctl->scenario, ctl->nb_scenarios,
				(double)(now - begin) / hz, ctl->secs);
			next = now + ctl->progress;
		}
		rte_delay_us_sleep(10000);
	}
}

static int
workers_run(struct bench_case *bc, struct bench_ctl *ctl)
{
	lcore_function_t *fn = modes[bc->c->type].worker;
	struct bench_worker *main_w = NULL;
	unsigned int i;
	int ret, status = 0;

	for (i = 0; i < bc->nb_workers; i++)
		if (bc->workers[i].main)
			main_w = &bc->workers[i];
	ret = workers_launch(bc, fn);
	if (ret < 0)
		__atomic_store_n(&ctl->abort, true, __ATOMIC_RELAXED);
	/* Even on failure: whoever was launched waits for this. */
	__atomic_store_n(&ctl->start, rte_rdtsc(), __ATOMIC_RELEASE);
	if (main_w != NULL && ret == 0)
		status = fn(main_w);
	else if (ret == 0)
		coordinator_wait(bc, ctl);
	for (i = 0; i < bc->nb_workers; i++) {
		struct bench_worker *w = &bc->workers[i];

		if (!w->main && rte_eal_wait_lcore(w->cfg->lcore) < 0)
			status = -EIO;
	}
	if (ctl->show_progress)
		output_progress_clear();
	return ret < 0 ? ret : status;
}

/* ---- results ---- */

static enum perf_check
worker_verify(const struct bench_case *bc, const struct bench_worker *w)
{
	uint64_t covered = RTE_MIN(w->completed, (uint64_t)w->nr_buf);
	const size_t len = w->pt.buf_size;
	uint64_t n, k;

	if (bc->opts->verify == PERF_VERIFY_OFF || covered == 0 ||
			w->cfg->dir != PERF_DIR_MEM2MEM)
		return PERF_CHECK_SKIPPED;
	n = bc->opts->verify == PERF_VERIFY_ALL ? covered :
		RTE_MIN(covered, (uint64_t)VERIFY_SAMPLES);
	for (k = 0; k < n; k++) {
		uint64_t idx = k * covered / n;

		if (memcmp(w->src + idx * len, w->dst + idx * len, len) != 0) {
			fprintf(stderr, "%s: %s: buffer %" PRIu64 " of %u B: destination differs from source\n",
				bc->c->name, w->cfg->dev[0] ? w->cfg->dev : "cpu",
				idx, w->pt.buf_size);
			return PERF_CHECK_FAILED;
		}
	}
	return PERF_CHECK_OK;
}

static void
record_fill(const struct bench_case *bc, const struct bench_worker *w,
		unsigned int s, struct perf_record *r)
{
	const struct perf_case *c = bc->c;

	memset(r, 0, sizeof(*r));
	r->row = PERF_ROW_LCORE;
	r->type = (uint8_t)c->type;
	snprintf(r->case_name, sizeof(r->case_name), "%s", c->name);
	snprintf(r->dev, sizeof(r->dev), "%s", w->cfg->dev[0] ? w->cfg->dev : "cpu");
	snprintf(r->lcores, sizeof(r->lcores), "%u", w->cfg->lcore);
	r->scenario = (uint16_t)(s + 1);
	r->nb_scenarios = (uint16_t)c->nb_scenarios;
	r->pt = w->pt;
	r->src_sge = c->src_sge;
	r->dst_sge = c->dst_sge;
	r->nr_buf = w->nr_buf;
	r->test_secs = c->test_secs;
	r->hz = rte_get_tsc_hz();
	r->ops = w->ops;
	r->cycles = w->cycles;
	r->app_cycles = w->win_app_cycles;
	r->errors = w->failed;
	r->check = (uint8_t)worker_verify(bc, w);
	record_finish(r);
}

static int
results_emit(struct bench_case *bc, unsigned int s)
{
	struct perf_record rows[PERF_MAX_WORKERS], sum;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < bc->nb_workers; i++) {
		const struct bench_worker *w = &bc->workers[i];

		record_fill(bc, w, s, &rows[i]);
		if (rows[i].check == PERF_CHECK_FAILED || rows[i].errors != 0 ||
				w->status < 0)
			ret = -EIO;
		if (rows[i].ops == 0 && !w->interrupted && w->status == 0) {
			fprintf(stderr, "%s: %s: no op completed in %.2f s\n",
				bc->c->name, rows[i].dev, bc->c->test_secs);
			ret = -EIO;
		}
		if (rows[i].errors != 0)
			fprintf(stderr, "%s: %s: %" PRIu64 " ops completed with an error\n",
				bc->c->name, rows[i].dev, rows[i].errors);
		bc->emit(&rows[i], bc->emit_arg);
	}
	record_summarize(rows, bc->nb_workers, &sum);
	bc->emit(&sum, bc->emit_arg);
	return ret;
}

static int
devs_configure(struct bench_case *bc, const struct perf_point *pt)
{
	unsigned int i;
	int ret;

	for (i = 0; i < bc->nb_workers; i++) {
		ret = dev_configure(bc, &bc->c->workers[i], &bc->devs[i], pt);
		if (ret < 0)
			return ret;
		rte_dma_stats_reset(bc->devs[i].id, RTE_DMA_ALL_VCHAN);
	}
	return 0;
}

static int
scenario_run(struct bench_case *bc, unsigned int s)
{
	const struct perf_case *c = bc->c;
	struct bench_ctl ctl;
	struct perf_point pt;
	struct bench_mem m;
	int ret;

	config_point(c, s, &pt);
	ctl_init(bc, s, &pt, &ctl);
	ret = mem_alloc(bc, &pt, &m);
	if (ret == 0)
		ret = workers_setup(bc, &ctl, &pt, &m);
	if (ret == 0 && bench_type_uses_dma(c->type))
		ret = devs_configure(bc, &pt);
	if (ret == 0 && c->cache_flush) {
		cache_flush(m.src, (size_t)m.nr_buf * pt.buf_size);
		cache_flush(m.dst, (size_t)m.nr_buf * pt.buf_size);
		rte_mb();
	}
	if (ret == 0)
		ret = workers_run(bc, &ctl);
	devs_stop(bc);
	/* A cut-short window is no result. */
	if (quitting())
		ret = -EINTR;
	if (ret == 0 || ret == -EIO || ret == -ETIMEDOUT) {
		int r = results_emit(bc, s);

		ret = ret < 0 ? ret : r;
	}
	mem_free(&m);
	return ret;
}

/* ---- case ---- */

static int
case_prepare(struct bench_case *bc)
{
	const struct perf_case *c = bc->c;
	unsigned int i;
	int ret;

	bc->nb_workers = c->nb_workers;
	for (i = 0; i < PERF_MAX_WORKERS; i++)
		bc->devs[i].id = -1;
	bc->workers = rte_zmalloc("dma_perf_workers",
		sizeof(*bc->workers) * c->nb_workers, RTE_CACHE_LINE_SIZE);
	if (bc->workers == NULL) {
		fprintf(stderr, "%s: out of memory\n", c->name);
		return -ENOMEM;
	}
	ret = lcores_check(bc);
	for (i = 0; ret == 0 && bench_type_uses_dma(c->type) &&
			i < c->nb_workers; i++) {
		ret = dev_resolve(bc, &c->workers[i], &bc->devs[i]);
		if (ret == 0)
			ret = dev_check(bc, &c->workers[i], &bc->devs[i]);
	}
	return ret;
}

static void
signals_install(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int
bench_run_case(const struct perf_case *c, const struct perf_run_opts *opts,
		int eal_argc, char **eal_argv, perf_emit_t emit, void *arg)
{
	struct bench_case bc = {
		.c = c,
		.opts = opts,
		.argc = eal_argc,
		.argv = eal_argv,
		.emit = emit,
		.emit_arg = arg,
	};
	unsigned int s, failed = 0;
	int ret;

	signals_install();
	ret = case_prepare(&bc);
	for (s = 0; ret == 0 && s < c->nb_scenarios && !quitting(); s++) {
		int r = scenario_run(&bc, s);

		/* A data or device error spoils one run, a setup error all. */
		if (r < 0)
			failed++;
		if (r < 0 && r != -EIO && r != -ETIMEDOUT)
			ret = r;
	}
	devs_release(&bc);
	rte_free(bc.workers);
	if (quitting())
		return -EINTR;
	return ret < 0 || failed != 0 ? -1 : 0;
}

/* --list-dma */
void
bench_list_devices(void)
{
	struct rte_dma_info info;
	unsigned int count = 0;
	int16_t id;

	RTE_DMA_FOREACH_DEV(id) {
		if (rte_dma_info_get(id, &info) != 0)
			continue;
		printf("%-24s capa%s%s%s%s%s max_sges %u desc %u..%u numa %d\n",
			info.dev_name,
			(info.dev_capa & RTE_DMA_CAPA_MEM_TO_MEM) ? " mem2mem" : "",
			(info.dev_capa & RTE_DMA_CAPA_MEM_TO_DEV) ? " mem2dev" : "",
			(info.dev_capa & RTE_DMA_CAPA_DEV_TO_MEM) ? " dev2mem" : "",
			(info.dev_capa & RTE_DMA_CAPA_SVA) ? " sva" : "",
			(info.dev_capa & RTE_DMA_CAPA_OPS_COPY_SG) ? " copy_sg" : "",
			info.max_sges, info.min_desc, info.max_desc,
			info.numa_node);
		count++;
	}
	if (count == 0)
		printf("no dmadev (create one with --vdev=dma_idxp0 or --vdev=dma_skeleton)\n");
}
