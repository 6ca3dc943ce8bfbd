/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * idxp-intr-bench: what the interrupt-mode fallback saves and costs.
 *
 *  1. Low-rate load (--rate ops/s): CPU use of the app thread and of the
 *     engine thread, classic poll mode (app spins, engine idle=spin)
 *     against interrupt mode (app sleeps in rte_pmd_idxp_wait(), engine
 *     idle=sleep), and the latency each mode gives.
 *  2. Wake-up latency, completion -> rte_pmd_idxp_wait() return.
 *  3. Full load: throughput of both modes, and their ratio.
 *
 * Usage: idxp-intr-bench [EAL options] -- [options]; see --help.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "app_util.h"
#include "intr_bench.h"

#define MAX_SIZES	16
#define MAX_REPEAT	15
#define COST_TARGET	5.0	/* % of poll-mode throughput */
#define MAX_CPU		1023	/* highest --engine-core */

#define DEV_POLL	"dma_idxp_ib_poll"
#define DEV_INTR	"dma_idxp_ib_intr"
#define DEV_WAKE	"dma_idxp_ib_wake"

volatile sig_atomic_t ib_quit;

#define PART_RATE	1u
#define PART_WAKE	2u
#define PART_FULL	4u

struct app {
	struct ib_opts o;
	unsigned int parts;		/* PART_* to run */
	bool verbose;			/* every full-load run, not just medians */
	uint32_t sizes[MAX_SIZES];	/* full-load op sizes */
	unsigned int nb_sizes;
	double worst_cost;
	uint32_t worst_size;
	double max_runq;	/* worst competing load seen, % */
	double max_other;
};

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	ib_quit = 1;
}

static void
usage(const char *prog)
{
	printf("usage: %s [EAL options] -- [options]\n"
		"\n"
		"  --rate N           low-rate load, ops per second (default 1000)\n"
		"  --seconds S        length of each low-rate run (default 10)\n"
		"  --size B           op size of the low-rate runs (default 64)\n"
		"  --wake-size B      op size of the wake-up run (default 262144)\n"
		"  --full-sizes LIST  full-load op sizes (default 64,256,1024,4096)\n"
		"  --full-seconds S   length of each full-load run (default 1)\n"
		"  --repeat N         full-load pairs of runs (poll, intr) per size\n"
		"                     (default 5)\n"
		"  --engine-core N    cpu of the engine threads (default 1)\n"
		"  --devargs STR      extra devargs for every device\n"
		"  --intr-devargs STR extra devargs for the interrupt-mode devices\n"
		"                     (e.g. spin_us=0)\n"
		"  --parts LIST       parts to run: rate,wake,full (default all)\n"
		"  --verbose          print every full-load run\n"
		"  --quick            ~6 s smoke run (1 s low-rate runs, 0.5 s wake-up\n"
		"                     run, 3 pairs of 0.1 s full-load runs)\n"
		"  -h, --help         this help\n"
		"\n"
		"Every mode runs on a device of its own, hot-plugged as\n"
		"%s (idle=spin), %s (idle=sleep)\n"
		"and %s (idle=spin,poll_us=0). Example:\n"
		"  %s -l 0 -- --quick\n",
		prog, DEV_POLL, DEV_INTR, DEV_WAKE, prog);
}

static int
parse_sizes(const char *s, struct app *a)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", s);
	a->nb_sizes = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		if (a->nb_sizes == MAX_SIZES ||
				app_parse_u32(tok, 8, 4096, &a->sizes[a->nb_sizes]) < 0)
			return -EINVAL;
		a->nb_sizes++;
	}
	return a->nb_sizes > 0 ? 0 : -EINVAL;
}

static int
parse_parts(const char *s, unsigned int *parts)
{
	static const char *const names[] = { "rate", "wake", "full" };
	char buf[64], *tok, *save = NULL;
	unsigned int i;

	snprintf(buf, sizeof(buf), "%s", s);
	*parts = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < RTE_DIM(names); i++)
			if (strcmp(tok, names[i]) == 0)
				break;
		if (i == RTE_DIM(names))
			return -EINVAL;
		*parts |= 1u << i;
	}
	return *parts != 0 ? 0 : -EINVAL;
}

static void
defaults(struct app *a, bool quick)
{
	static const uint32_t sizes[] = { 64, 256, 1024, 4096 };

	memset(a, 0, sizeof(*a));
	a->o.rate = 1000;
	a->o.seconds = quick ? 1 : 10;
	a->o.size = 64;
	a->o.wake_size = 256 * 1024;
	a->o.full_seconds = quick ? 0.1 : 1;
	a->o.repeat = quick ? 3 : 5;
	a->o.engine_core = 1;
	a->o.quick = quick;
	a->parts = PART_RATE | PART_WAKE | PART_FULL;
	memcpy(a->sizes, sizes, sizeof(sizes));
	a->nb_sizes = RTE_DIM(sizes);
}

enum { OPT_RATE = 256, OPT_SECONDS, OPT_SIZE, OPT_WAKE_SIZE, OPT_FULL_SIZES,
	OPT_FULL_SECONDS, OPT_REPEAT, OPT_CORE, OPT_DEVARGS, OPT_INTR_DEVARGS,
	OPT_QUICK, OPT_PARTS, OPT_VERBOSE };

static const struct app_opt opts[] = {
	{ "--rate", true, OPT_RATE },
	{ "--seconds", true, OPT_SECONDS },
	{ "--size", true, OPT_SIZE },
	{ "--wake-size", true, OPT_WAKE_SIZE },
	{ "--full-sizes", true, OPT_FULL_SIZES },
	{ "--full-seconds", true, OPT_FULL_SECONDS },
	{ "--repeat", true, OPT_REPEAT },
	{ "--engine-core", true, OPT_CORE },
	{ "--devargs", true, OPT_DEVARGS },
	{ "--intr-devargs", true, OPT_INTR_DEVARGS },
	{ "--quick", false, OPT_QUICK },
	{ "--parts", true, OPT_PARTS },
	{ "--verbose", false, OPT_VERBOSE },
	{ NULL, false, 0 },
};

static int
parse_one(int opt, const char *arg, void *ctx)
{
	struct app *a = ctx;
	struct ib_opts *o = &a->o;
	uint32_t v;

	switch (opt) {
	case OPT_RATE:
		return app_parse_u32(arg, 1, 1000000, &o->rate);
	case OPT_SECONDS:
		return app_parse_secs(arg, 0.01, 3600, &o->seconds);
	case OPT_SIZE:
		return app_parse_u32(arg, 8, 1u << 20, &o->size);
	case OPT_WAKE_SIZE:
		return app_parse_u32(arg, 8, 1u << 21, &o->wake_size);
	case OPT_FULL_SIZES:
		return parse_sizes(arg, a);
	case OPT_FULL_SECONDS:
		return app_parse_secs(arg, 0.01, 3600, &o->full_seconds);
	case OPT_REPEAT:
		return app_parse_u32(arg, 1, MAX_REPEAT, &o->repeat);
	case OPT_CORE:
		if (app_parse_u32(arg, 0, MAX_CPU, &v) < 0)
			return -EINVAL;
		o->engine_core = (int)v;
		return 0;
	case OPT_DEVARGS:
		o->devargs = arg;
		return 0;
	case OPT_INTR_DEVARGS:
		o->intr_devargs = arg;
		return 0;
	case OPT_QUICK:
		return 0;
	case OPT_PARTS:
		return parse_parts(arg, &a->parts);
	case OPT_VERBOSE:
		a->verbose = true;
		return 0;
	}
	return -EINVAL;
}

static bool
has_quick(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--quick") == 0)
			return true;
	return false;
}

/* --quick sets the defaults; explicit options still win. */
static int
parse_args(int argc, char **argv, struct app *a)
{
	defaults(a, has_quick(argc, argv));
	return app_parse_opts(argc, argv, opts, parse_one, a, usage, NULL, NULL);
}

/* ---- statistics ---- */

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double
us(double cycles)
{
	return cycles * 1e6 / rte_get_tsc_hz();
}

/* The @p-quantile (nearest rank) of sorted samples. */
static uint64_t
quantile(const struct ib_lat *l, double p)
{
	uint32_t r = (uint32_t)(p * l->n + 0.999999);

	return l->v[RTE_MIN(RTE_MAX(r, 1u), l->n) - 1];
}

static void
lat_sort(struct ib_lat *l)
{
	qsort(l->v, l->n, sizeof(l->v[0]), cmp_u64);
}

/* One latency line; @base (cycles) is subtracted from every figure. */
static void
print_lat(const char *label, const struct ib_lat *l, double base)
{
	if (l->n == 0) {
		printf("  %-40s %7u        -        -        -\n", label, 0u);
		return;
	}
	printf("  %-40s %7u %8.2f %8.2f %8.2f\n", label, l->n,
		us(quantile(l, 0.5) - base), us(quantile(l, 0.99) - base),
		us(l->v[l->n - 1] - base));
}

/* ---- the three parts ---- */

/* A fresh device for one mode: pure poll (idle=spin) or interrupt mode. */
static int
mode_dev_create(struct ib_dev *d, const struct app *a, bool intr)
{
	return ib_dev_create(d, intr ? DEV_INTR : DEV_POLL,
			intr ? "idle=sleep" : "idle=spin",
			intr ? a->o.intr_devargs : NULL, &a->o);
}

static int
run_rate_mode(const struct app *a, bool intr, struct ib_rate_res *res)
{
	struct ib_dev d;
	int ret;

	ret = mode_dev_create(&d, a, intr);
	if (ret < 0)
		return ret;
	ret = ib_rate_run(&d, &a->o, intr, res);
	ib_dev_destroy(&d);
	return ret;
}

static void
note_runq(struct app *a, const struct ib_cpu *c)
{
	/* One hiccup is most of a short window; "other" counts 10 ms ticks. */
	if (c->wall_s < 0.5)
		return;
	a->max_runq = RTE_MAX(a->max_runq, c->runq);
	a->max_other = RTE_MAX(a->max_other, c->other);
}

static void
print_cpu_row(const char *label, const struct ib_rate_res *r)
{
	printf("  %-22s %7.1f %7.1f %8.1f %6.1f %6.1f %8" PRIu64 " %8" PRIu64
		" %8" PRIu64 " %8" PRIu64 "\n", label, r->cpu.app, r->cpu.eng,
		r->cpu.proc, r->cpu.other, r->cpu.runq, r->ops, r->st.wakeups,
		r->st.wq_interrupts, r->st.engine_sleeps);
}

static int
part_rate(struct app *a)
{
	struct ib_rate_res poll, intr;
	struct ib_lat floor;
	double base;
	int ret;

	ret = run_rate_mode(a, false, &poll);
	if (ret == 0)
		ret = run_rate_mode(a, true, &intr);
	if (ret == 0)
		ret = ib_floor_run(&a->o, &floor);
	if (ret < 0 || ib_quit)
		return ret < 0 ? ret : -EINTR;
	printf("\n1. Low-rate load: %u ops/s of %u B copies, %.1f s per mode\n",
		a->o.rate, a->o.size, a->o.seconds);
	printf("\n  CPU use, %% of one core   app  engine  process  other   runq      ops  wakeups  wq_intr eng_sleeps\n");
	print_cpu_row("poll (idle=spin)", &poll);
	print_cpu_row("intr (idle=sleep)", &intr);
	note_runq(a, &poll.cpu);
	note_runq(a, &intr.cpu);
	lat_sort(&poll.lat);
	lat_sort(&intr.lat);
	base = poll.lat.n > 0 ? (double)quantile(&poll.lat, 0.5) : 0;
	printf("\n  Latency, submit -> collected, us               n      p50      p99      max\n");
	print_lat("poll", &poll.lat, 0);
	print_lat("intr, raw", &intr.lat, 0);
	print_lat("intr, net = raw - poll p50", &intr.lat, base);
	lat_sort(&floor);
	print_lat("floor: eventfd round trip", &floor, 0);
	if (floor.n > 0 && intr.lat.n > 0)
		printf("\n  intr raw / floor: p50 %.2f, p99 %.2f (floor: two idle threads, main "
			"lcore and cpu %d,\n  ping-pong over eventfds at the same rate: two "
			"wakes, as a sleeping engine and app)\n",
			(double)quantile(&intr.lat, 0.5) / (double)quantile(&floor, 0.5),
			(double)quantile(&intr.lat, 0.99) / (double)quantile(&floor, 0.99),
			a->o.engine_core);
	ib_lat_free(&poll.lat);
	ib_lat_free(&intr.lat);
	ib_lat_free(&floor);
	return 0;
}

static int
part_wake(struct app *a)
{
	struct ib_wake_res w;
	struct ib_dev d;
	char label[64];
	int ret;

	ret = ib_dev_create(&d, DEV_WAKE, "idle=spin,poll_us=0", NULL, &a->o);
	if (ret < 0)
		return ret;
	ret = ib_wake_run(&d, &a->o, &w);
	ib_dev_destroy(&d);
	if (ret < 0 || ib_quit)
		return ret < 0 ? ret : -EINTR;
	lat_sort(&w.spin);
	lat_sort(&w.wait);
	note_runq(a, &w.cpu);
	printf("\n2. Wake-up latency, completion -> rte_pmd_idxp_wait() return: %u B copies,\n"
		"   engine spinning, poll_us=0, spinning and sleeping samples alternate\n"
		"   (%.1f s, app %.1f%%, engine %.1f%%, other %.1f%%, runq %.1f%%)\n",
		a->o.wake_size, w.cpu.wall_s, w.cpu.app, w.cpu.eng, w.cpu.other,
		w.cpu.runq);
	printf("\n  submit -> collected, us                        n      p50      p99      max\n");
	print_lat("spin: app polls rte_dma_completed()", &w.spin, 0);
	snprintf(label, sizeof(label), "wait: app slept (%" PRIu64 " did not)",
		w.not_slept);
	print_lat(label, &w.wait, 0);
	if (w.spin.n > 0)
		print_lat("wake-up = wait - spin p50", &w.wait,
			(double)quantile(&w.spin, 0.5));
	ib_lat_free(&w.spin);
	ib_lat_free(&w.wait);
	return 0;
}

static int
run_full_mode(const struct app *a, const struct ib_bufs *b, uint32_t size,
		bool intr, struct ib_full_res *res)
{
	struct ib_dev d;
	int ret;

	ret = mode_dev_create(&d, a, intr);
	if (ret < 0)
		return ret;
	ret = ib_full_run(&d, b, size, a->o.full_seconds, intr, res);
	ib_dev_destroy(&d);
	if (ret == 0 && a->verbose)
		printf("    run: %u B %s %.3f Mop/s, app %.1f%%, engine %.1f%%, sleeps %"
			PRIu64 ", other %.1f%%\n", size, intr ? "intr" : "poll",
			res->mops, res->cpu.app, res->cpu.eng, res->wakeups,
			res->cpu.other);
	return ret;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_mops(const void *a, const void *b)
{
	return cmp_double(&((const struct ib_full_res *)a)->mops,
			&((const struct ib_full_res *)b)->mops);
}

/* Sorts @r. */
static const struct ib_full_res *
median(struct ib_full_res *r, uint32_t n)
{
	qsort(r, n, sizeof(*r), cmp_mops);
	return &r[n / 2];
}

/*
 * Each repeat runs the two modes back to back, alternating which goes
 * first. The host's speed drifts between seconds, so the ratio taken is
 * the median of the per-pair ratios, not the ratio of the medians.
 */
static int
full_pairs(struct app *a, const struct ib_bufs *b, uint32_t size,
		struct ib_full_res *poll, struct ib_full_res *intr, double *ratio)
{
	uint32_t r;
	int ret = 0;

	for (r = 0; r < a->o.repeat && ret == 0 && !ib_quit; r++) {
		bool intr_first = r & 1;

		ret = run_full_mode(a, b, size, intr_first,
				intr_first ? &intr[r] : &poll[r]);
		if (ret == 0)
			ret = run_full_mode(a, b, size, !intr_first,
					intr_first ? &poll[r] : &intr[r]);
		if (ret == 0)
			ratio[r] = intr[r].mops / poll[r].mops;
	}
	if (ret < 0 || ib_quit)
		return ret < 0 ? ret : -EINTR;
	for (r = 0; r < a->o.repeat; r++) {
		note_runq(a, &poll[r].cpu);
		note_runq(a, &intr[r].cpu);
	}
	qsort(ratio, a->o.repeat, sizeof(*ratio), cmp_double);
	return 0;
}

static int
full_size(struct app *a, const struct ib_bufs *b, uint32_t size)
{
	struct ib_full_res poll[MAX_REPEAT], intr[MAX_REPEAT];
	double ratios[MAX_REPEAT], ratio, cost;
	const struct ib_full_res *p, *i;
	int ret;

	ret = full_pairs(a, b, size, poll, intr, ratios);
	if (ret < 0)
		return ret;
	ratio = ratios[a->o.repeat / 2];
	cost = 100.0 * (1 - ratio);
	p = median(poll, a->o.repeat);
	i = median(intr, a->o.repeat);
	printf("  %6u %9.3f %7.2f %6.1f %9.3f %7.2f %6.1f %9.3f %9.3f %7.1f%% %8"
		PRIu64 " %6.1f %6.1f\n", size, p->mops, p->gbps, p->cpu.app,
		i->mops, i->gbps, i->cpu.app, ratio, ratios[0], cost, i->wakeups,
		RTE_MAX(p->cpu.other, i->cpu.other),
		RTE_MAX(p->cpu.runq, i->cpu.runq));
	if (cost > a->worst_cost || a->worst_size == 0) {
		a->worst_cost = cost;
		a->worst_size = size;
	}
	return 0;
}

static int
part_full(struct app *a)
{
	struct ib_bufs b;
	unsigned int s;
	int ret = 0;

	if (ib_bufs_alloc(&b, IB_RING, 4096) < 0)
		return -ENOMEM;
	printf("\n3. Full load: back-to-back copies, ring %u, bursts of 32, %.2f s per run,\n"
		"   %u pair(s) of runs per size; intr = app waits when a poll finds nothing.\n"
		"   Mop/s: median per mode; intr/poll: median of the pairs' ratios, and the\n"
		"   lowest pair; cost = 1 - median ratio\n",
		IB_RING, a->o.full_seconds, a->o.repeat);
	printf("\n  %6s %9s %7s %6s %9s %7s %6s %9s %9s %8s %8s %6s %6s\n", "size",
		"poll Mop/s", "GB/s", "app%", "intr Mop/s", "GB/s", "app%",
		"intr/poll", "min pair", "cost", "sleeps", "other%", "runq%");
	for (s = 0; s < a->nb_sizes && ret == 0; s++)
		ret = full_size(a, &b, a->sizes[s]);
	ib_bufs_free(&b);
	if (ret < 0)
		return ret;
	printf("\n  interrupt-capable fallback costs %.1f%% at worst (%u B); target <= %.0f%%: %s\n",
		a->worst_cost, a->worst_size, COST_TARGET,
		a->o.quick ? "no verdict from a --quick run" :
		a->worst_cost <= COST_TARGET ? "met" : "NOT MET");
	return 0;
}

static int
run_parts(struct app *a)
{
	int ret = 0;

	if (a->parts & PART_RATE)
		ret = part_rate(a);
	fflush(stdout);
	if (ret == 0 && (a->parts & PART_WAKE))
		ret = part_wake(a);
	fflush(stdout);
	if (ret == 0 && (a->parts & PART_FULL))
		ret = part_full(a);
	return ret;
}

static void
print_header(const struct app *a)
{
	printf("idxp-intr-bench: app on lcore %u (cpu %d), engine on cpu %d, TSC %.3f GHz%s\n",
		rte_lcore_id(), rte_lcore_to_cpu_id((int)rte_lcore_id()),
		a->o.engine_core, rte_get_tsc_hz() / 1e9,
		a->o.quick ? ", quick run" : "");
	if (rte_dma_count_avail() > 0)
		printf("note: %u other dmadev(s) exist; their engine threads compete for the cores\n",
			rte_dma_count_avail());
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct app a;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "%s: EAL initialisation failed: %s\n", argv[0],
			rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	argv[ret] = argv[0];
	if (parse_args(argc - ret, argv + ret, &a) < 0) {
		rte_eal_cleanup();
		return EXIT_FAILURE;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	print_header(&a);
	ret = run_parts(&a);
	if (ret == 0 && (a.max_runq > IB_RUNQ_WARN || a.max_other > IB_OTHER_WARN))
		printf("\nWARNING: other processes used up to %.1f%% of a core (other) and the\n"
			"app or engine thread waited for a cpu up to %.1f%% of a window (runq):\n"
			"the figures are not from an idle machine\n",
			a.max_other, a.max_runq);
	if (ret < 0)
		fprintf(stderr, "idxp-intr-bench: %s\n", ret == -EINTR ?
			"interrupted" : "failed");
	rte_eal_cleanup();
	return ret < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
