/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Devices, buffers and CPU snapshots of idxp-intr-bench.
 *
 * Every mode gets a device of its own, hot-plugged with rte_vdev_init()
 * and removed afterwards, so each mode starts from a fresh engine and
 * nothing of the previous mode (translations, counters, a spinning
 * engine) carries over.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "app_util.h"
#include "intr_bench.h"

static int
dev_setup(struct ib_dev *d)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vc = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = IB_RING,
	};
	int ret;

	ret = rte_dma_configure(d->id, &conf);
	if (ret == 0)
		ret = rte_dma_vchan_setup(d->id, 0, &vc);
	if (ret == 0)
		ret = rte_dma_start(d->id);
	if (ret < 0)
		fprintf(stderr, "%s: configure/start failed: %s\n", d->name,
			strerror(-ret));
	return ret;
}

int
ib_dev_create(struct ib_dev *d, const char *name, const char *mode_args,
		const char *extra, const struct ib_opts *o)
{
	char args[512];
	int ret;

	memset(d, 0, sizeof(*d));
	d->id = -1;
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(args, sizeof(args), "core=%d,%s%s%s%s%s", o->engine_core,
		mode_args, o->devargs ? "," : "", o->devargs ? o->devargs : "",
		extra ? "," : "", extra ? extra : "");
	ret = rte_vdev_init(name, args);
	if (ret < 0) {
		fprintf(stderr, "cannot create %s,%s: %s\n", name, args,
			strerror(-ret));
		return ret;
	}
	d->id = (int16_t)rte_dma_get_dev_id_by_name(name);
	if (d->id < 0 || dev_setup(d) < 0) {
		ib_dev_destroy(d);
		return -ENODEV;
	}
	d->nb_eng = tcpu_idxp_engines(d->id, d->eng_tid, TCPU_MAX_ENGINES);
	if (d->nb_eng <= 0) {
		fprintf(stderr, "%s: cannot find its engine thread idxp-eng0: %s\n",
			name, strerror(-d->nb_eng));
		ib_dev_destroy(d);
		return -ESRCH;
	}
	return 0;
}

void
ib_dev_destroy(struct ib_dev *d)
{
	if (d->name[0] == '\0')
		return;
	if (d->id >= 0)
		rte_dma_stop(d->id);
	/* The driver's remove closes the dmadev; its engine threads exit. */
	rte_vdev_uninit(d->name);
	d->name[0] = '\0';
	d->id = -1;
}

int
ib_bufs_alloc(struct ib_bufs *b, uint32_t nb, uint32_t size)
{
	size_t i;

	memset(b, 0, sizeof(*b));
	if (app_bufs_alloc(&b->src, nb, size, SOCKET_ID_ANY, false) < 0 ||
			app_bufs_alloc(&b->dst, nb, size, SOCKET_ID_ANY, false) < 0) {
		ib_bufs_free(b);
		return -ENOMEM;
	}
	for (i = 0; i < b->src.size; i++)
		b->src.mem[i] = (uint8_t)(i * 7 + (i >> 12) + 1);
	return 0;
}

void
ib_bufs_free(struct ib_bufs *b)
{
	app_bufs_free(&b->src);
	app_bufs_free(&b->dst);
}

static int64_t
runq_ns(const struct ib_dev *d)
{
	int64_t sum = tcpu_runq_ns(0);
	int i;

	for (i = 0; i < d->nb_eng && sum >= 0; i++) {
		int64_t v = tcpu_runq_ns(d->eng_tid[i]);

		sum = v < 0 ? v : sum + v;
	}
	return sum;
}

int
ib_snap_take(const struct ib_dev *d, struct ib_snap *s)
{
	s->runq_ns = runq_ns(d);
	s->app_ns = tcpu_self_ns();
	s->eng_ns = tcpu_threads_ns(d->eng_tid, d->nb_eng);
	s->proc_ns = tcpu_process_ns();
	s->mach_ns = tcpu_machine_ns();
	s->tsc = rte_rdtsc();
	if (s->app_ns < 0 || s->eng_ns < 0 || s->proc_ns < 0 || s->runq_ns < 0 ||
			s->mach_ns < 0) {
		fprintf(stderr, "%s: cannot read thread CPU times\n", d->name);
		return -EIO;
	}
	return 0;
}

int
ib_cpu_since(const struct ib_dev *d, const struct ib_snap *s, struct ib_cpu *c)
{
	struct ib_snap e;
	double ns;

	if (ib_snap_take(d, &e) < 0)
		return -EIO;
	c->wall_s = (double)(e.tsc - s->tsc) / rte_get_tsc_hz();
	ns = c->wall_s * 1e9;
	c->app = 100.0 * (e.app_ns - s->app_ns) / ns;
	c->eng = 100.0 * (e.eng_ns - s->eng_ns) / ns;
	c->proc = 100.0 * (e.proc_ns - s->proc_ns) / ns;
	c->runq = 100.0 * (e.runq_ns - s->runq_ns) / ns;
	/* Tick-sampled: a few % of noise either way. */
	c->other = 100.0 * ((e.mach_ns - s->mach_ns) - (e.proc_ns - s->proc_ns)) / ns;
	return 0;
}
