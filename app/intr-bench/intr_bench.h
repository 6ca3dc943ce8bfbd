/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_INTR_BENCH_H
#define IDXP_INTR_BENCH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_memory.h>

#include <rte_pmd_idxp.h>

#include "app_util.h"
#include "thread_cpu.h"

#define IB_RING		1024	/* descriptors of the one vchan used */
#define IB_WAIT_MS	1000	/* an op not done by then is an error */
#define IB_RUNQ_WARN	2.0	/* % runqueue wait that spoils a window */
#define IB_OTHER_WARN	8.0	/* % of a core used by other processes */

extern volatile sig_atomic_t ib_quit;

struct ib_opts {
	uint32_t rate;		/* low-rate load, ops per second */
	double seconds;		/* length of each low-rate run */
	uint32_t size;		/* op size of the low-rate runs */
	uint32_t wake_size;	/* op size of the wake-up run */
	double full_seconds;	/* length of each full-load run */
	uint32_t repeat;	/* full-load runs per mode and size */
	int engine_core;	/* core= of every device */
	const char *devargs;	/* extra devargs, every device */
	const char *intr_devargs; /* extra devargs, interrupt-mode devices */
	bool quick;
};

/* One hot-plugged idxp device with one vchan, fresh for one mode. */
struct ib_dev {
	char name[32];
	int16_t id;
	int nb_eng;
	int eng_tid[TCPU_MAX_ENGINES];
};

/* Source and destination buffers, src.nb of each. */
struct ib_bufs {
	struct app_bufs src;
	struct app_bufs dst;
};

/* CPU use over a measurement window, % of one core. */
struct ib_cpu {
	double wall_s;
	double app;
	double eng;
	double proc;
	double runq;	/* app + engine runnable but not running */
	double other;	/* busy time of other processes */
};

/* Start of a measurement window. */
struct ib_snap {
	uint64_t tsc;
	int64_t app_ns;
	int64_t eng_ns;
	int64_t proc_ns;
	int64_t runq_ns;
	int64_t mach_ns;
};

/* Latency samples, TSC cycles. */
struct ib_lat {
	uint64_t *v;
	uint32_t n;
	uint32_t cap;
};

/* Outcome of a low-rate run. */
struct ib_rate_res {
	uint64_t ops;
	struct ib_lat lat;
	struct ib_cpu cpu;
	struct rte_pmd_idxp_stats st;	/* counters over the window */
};

/* Outcome of the wake-up run: spinning and sleeping samples. */
struct ib_wake_res {
	struct ib_lat spin;
	struct ib_lat wait;
	uint64_t not_slept;	/* wait samples done before the app slept */
	struct ib_cpu cpu;
};

/* Outcome of a full-load run. */
struct ib_full_res {
	uint64_t ops;
	double mops;
	double gbps;
	struct ib_cpu cpu;
	uint64_t wakeups;
};

/* ib_dev.c */
int ib_dev_create(struct ib_dev *d, const char *name, const char *mode_args,
		const char *extra, const struct ib_opts *o);
void ib_dev_destroy(struct ib_dev *d);
int ib_bufs_alloc(struct ib_bufs *b, uint32_t nb, uint32_t size);
void ib_bufs_free(struct ib_bufs *b);
int ib_snap_take(const struct ib_dev *d, struct ib_snap *s);
int ib_cpu_since(const struct ib_dev *d, const struct ib_snap *s,
		struct ib_cpu *c);

/* ib_floor.c: eventfd round trips between two idle threads at o->rate. */
int ib_floor_run(const struct ib_opts *o, struct ib_lat *lat);

/* ib_run.c */
void ib_sleep_until(uint64_t tsc);
int ib_lat_init(struct ib_lat *l, uint32_t cap);
void ib_lat_free(struct ib_lat *l);
int ib_rate_run(const struct ib_dev *d, const struct ib_opts *o, bool intr,
		struct ib_rate_res *res);
int ib_wake_run(const struct ib_dev *d, const struct ib_opts *o,
		struct ib_wake_res *res);
int ib_full_run(const struct ib_dev *d, const struct ib_bufs *b, uint32_t size,
		double seconds, bool intr, struct ib_full_res *res);

#endif /* IDXP_INTR_BENCH_H */
