/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * idxp-power-copy: a copy workload whose rate changes over time (full
 * speed, then a trickle, then nothing, repeating), written the way
 * l3fwd-power is: busy-poll while there is work, sleep in
 * rte_pmd_idxp_wait() when polls keep finding nothing. Every copy is
 * verified. Once a second it prints the rate and the CPU use of the app
 * thread and of the device's engine thread, so the drop when idle shows.
 *
 * Usage: idxp-power-copy [EAL options] -- [options]; see --help.
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
#include <rte_malloc.h>
#include <rte_memory.h>

#include <rte_pmd_idxp.h>

#include "app_util.h"
#include "power_copy.h"

#define DEFAULT_DEV	"dma_idxp0"

volatile sig_atomic_t pc_quit;

/* Where the last report left off. */
struct mark {
	uint64_t tsc;
	int64_t app_ns;
	int64_t eng_ns;
	struct pc_count cnt;
	struct rte_pmd_idxp_stats st;
};

/* Totals per phase, from the per-second reports. */
struct phase_sum {
	double wall_s;
	double app_s;
	double eng_s;
	uint64_t ops;
	unsigned int seconds;
};

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	pc_quit = 1;
}

static void
usage(const char *prog)
{
	printf("usage: %s [EAL options] -- [options]\n"
		"\n"
		"  --seconds S        stop after S seconds (default 0: at SIGINT/SIGTERM)\n"
		"  --burst-ms N       full-speed phase (default 3000)\n"
		"  --trickle-ms N     trickle phase (default 3000)\n"
		"  --idle-ms N        idle phase (default 4000)\n"
		"  --trickle-rate N   ops/s in the trickle phase (default 1000)\n"
		"  --size B           bytes per copy, 8..65536 (default 1024)\n"
		"  --idle-polls N     empty polls in a row before sleeping (default 16)\n"
		"  --wait-ms N        longest sleep, also the timer tick (default 10)\n"
		"  --no-sleep         never sleep (classic busy-polling PMD, to compare)\n"
		"  --dev NAME         dmadev to use (default: the first idxp one, else\n"
		"                     create %s); a missing dma_idxp* NAME is created\n"
		"  --devargs STR      devargs for a device the app creates\n"
		"  -h, --help         this help\n"
		"\n"
		"Each report second counts for the phase at its middle: use phases of\n"
		"whole seconds for clean per-phase totals.\n"
		"Example: %s -l 0 --vdev=dma_idxp0,core=1 -- --seconds 20\n",
		prog, DEFAULT_DEV, prog);
}

enum { OPT_SECONDS = 256, OPT_BURST, OPT_TRICKLE, OPT_IDLE, OPT_RATE,
	OPT_SIZE, OPT_IDLE_POLLS, OPT_WAIT, OPT_NO_SLEEP, OPT_DEV, OPT_DEVARGS };

static const struct app_opt opts[] = {
	{ "--seconds", true, OPT_SECONDS },
	{ "--burst-ms", true, OPT_BURST },
	{ "--trickle-ms", true, OPT_TRICKLE },
	{ "--idle-ms", true, OPT_IDLE },
	{ "--trickle-rate", true, OPT_RATE },
	{ "--size", true, OPT_SIZE },
	{ "--idle-polls", true, OPT_IDLE_POLLS },
	{ "--wait-ms", true, OPT_WAIT },
	{ "--no-sleep", false, OPT_NO_SLEEP },
	{ "--dev", true, OPT_DEV },
	{ "--devargs", true, OPT_DEVARGS },
	{ NULL, false, 0 },
};

static int
parse_one(int opt, const char *arg, void *ctx)
{
	struct pc_opts *o = ctx;

	switch (opt) {
	case OPT_SECONDS:
		return app_parse_secs(arg, 0, 1e7, &o->seconds);
	case OPT_BURST:
		return app_parse_u32(arg, 0, 3600000, &o->burst_ms);
	case OPT_TRICKLE:
		return app_parse_u32(arg, 0, 3600000, &o->trickle_ms);
	case OPT_IDLE:
		return app_parse_u32(arg, 0, 3600000, &o->idle_ms);
	case OPT_RATE:
		return app_parse_u32(arg, 1, 1000000, &o->trickle_rate);
	case OPT_SIZE:
		return app_parse_u32(arg, 8, 65536, &o->size);
	case OPT_IDLE_POLLS:
		return app_parse_u32(arg, 1, 1000000, &o->idle_polls);
	case OPT_WAIT:
		return app_parse_u32(arg, 1, 1000, &o->wait_ms);
	case OPT_NO_SLEEP:
		o->no_sleep = true;
		return 0;
	case OPT_DEV:
		o->dev = arg;
		return 0;
	case OPT_DEVARGS:
		o->devargs = arg;
		return 0;
	}
	return -EINVAL;
}

static int
parse_args(int argc, char **argv, struct pc_opts *o)
{
	*o = (struct pc_opts){ .burst_ms = 3000, .trickle_ms = 3000,
		.idle_ms = 4000, .trickle_rate = 1000, .size = 1024,
		.idle_polls = 16, .wait_ms = 10 };
	if (app_parse_opts(argc, argv, opts, parse_one, o, usage, NULL, NULL) < 0)
		return -EINVAL;
	if ((uint64_t)o->burst_ms + o->trickle_ms + o->idle_ms == 0) {
		fprintf(stderr, "%s: all phases have length 0\n", argv[0]);
		return -EINVAL;
	}
	return 0;
}

/* ---- device ---- */

static bool
is_idxp(int16_t id)
{
	struct rte_pmd_idxp_stats st;

	return rte_pmd_idxp_stats_get(id, &st) == 0;
}

static int16_t
first_idxp(void)
{
	int16_t id;

	RTE_DMA_FOREACH_DEV(id)
		if (is_idxp(id))
			return id;
	return -1;
}

/* The named device, the first idxp one, or one we hot-plug. */
static int
dev_find(struct pc *pc)
{
	const char *name = pc->o.dev;
	int id = name ? rte_dma_get_dev_id_by_name(name) : first_idxp();
	int ret;

	if (id < 0) {
		if (name == NULL)
			name = DEFAULT_DEV;
		ret = rte_vdev_init(name, pc->o.devargs ? pc->o.devargs : "");
		if (ret < 0) {
			fprintf(stderr, "cannot create %s: %s\n", name, strerror(-ret));
			return ret;
		}
		pc->created = true;
		id = rte_dma_get_dev_id_by_name(name);
	}
	if (id < 0 || !is_idxp((int16_t)id)) {
		fprintf(stderr, "%s is not an idxp dmadev\n", name ? name : "device");
		return -ENODEV;
	}
	pc->dev_id = (int16_t)id;
	return 0;
}

static int
dev_open(struct pc *pc)
{
	struct rte_dma_info info;
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vc = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = PC_RING,
	};
	int ret = dev_find(pc);

	if (ret < 0)
		return ret;
	rte_dma_info_get(pc->dev_id, &info);
	snprintf(pc->name, sizeof(pc->name), "%s", info.dev_name);
	ret = rte_dma_configure(pc->dev_id, &conf);
	if (ret == 0)
		ret = rte_dma_vchan_setup(pc->dev_id, 0, &vc);
	if (ret == 0)
		ret = rte_dma_start(pc->dev_id);
	if (ret < 0) {
		fprintf(stderr, "%s: configure/start failed: %s\n", pc->name,
			strerror(-ret));
		return ret;
	}
	pc->nb_eng = tcpu_idxp_engines(pc->dev_id, pc->eng_tid, TCPU_MAX_ENGINES);
	if (pc->nb_eng <= 0) {
		fprintf(stderr, "%s: cannot find its engine threads: %s\n",
			pc->name, strerror(-pc->nb_eng));
		return -ESRCH;
	}
	return 0;
}

static void
dev_close(struct pc *pc)
{
	if (pc->dev_id < 0)
		return;
	rte_dma_stop(pc->dev_id);
	/* The driver's remove closes a dmadev it made. */
	if (pc->created)
		rte_vdev_uninit(pc->name);
	else
		rte_dma_close(pc->dev_id);
	pc->dev_id = -1;
}

/* ---- buffers ---- */

static int
bufs_alloc(struct pc *pc)
{
	size_t i;

	if (app_bufs_alloc(&pc->src, PC_RING, pc->o.size, SOCKET_ID_ANY, false) < 0 ||
			app_bufs_alloc(&pc->dst, PC_RING, pc->o.size, SOCKET_ID_ANY, false) < 0)
		return -ENOMEM;
	for (i = 0; i < pc->src.size; i++)
		pc->src.mem[i] = (uint8_t)(i * 13 + (i >> 10) + 5);
	return 0;
}

static void
bufs_free(struct pc *pc)
{
	app_bufs_free(&pc->src);
	app_bufs_free(&pc->dst);
}

/* ---- reports ---- */

static int
mark_take(const struct pc *pc, struct mark *m)
{
	m->tsc = rte_rdtsc();
	m->app_ns = tcpu_self_ns();
	m->eng_ns = tcpu_threads_ns(pc->eng_tid, pc->nb_eng);
	m->cnt = pc->cnt;
	if (rte_pmd_idxp_stats_get(pc->dev_id, &m->st) < 0 || m->app_ns < 0 ||
			m->eng_ns < 0) {
		fprintf(stderr, "%s: cannot read CPU times or counters\n", pc->name);
		return -EIO;
	}
	return 0;
}

static void
print_heading(void)
{
	printf("%7s %-8s %10s %8s %8s %8s %8s %8s %8s\n", "time_s", "phase",
		"ops/s", "MB/s", "app_cpu%", "eng_cpu%", "waits/s", "slept/s",
		"eng_slp/s");
}

/* One line for the interval since @m, which then moves to now. */
static int
report(struct pc *pc, struct mark *m, struct phase_sum *sum)
{
	struct mark now;
	enum pc_phase ph;
	double dt;

	if (mark_take(pc, &now) < 0)
		return -EIO;
	dt = (double)(now.tsc - m->tsc) / rte_get_tsc_hz();
	ph = pc_phase_at(pc, m->tsc + (now.tsc - m->tsc) / 2);
	printf("%7.1f %-8s %10.0f %8.1f %8.1f %8.1f %8.0f %8.0f %8.0f\n",
		(double)(now.tsc - pc->t0) / rte_get_tsc_hz(), pc_phase_name(ph),
		(now.cnt.ops - m->cnt.ops) / dt,
		(now.cnt.ops - m->cnt.ops) * (double)pc->o.size / dt / 1e6,
		(now.app_ns - m->app_ns) / dt / 1e7,
		(now.eng_ns - m->eng_ns) / dt / 1e7,
		(now.cnt.waits - m->cnt.waits) / dt,
		(now.st.wakeups - m->st.wakeups) / dt,
		(now.st.engine_sleeps - m->st.engine_sleeps) / dt);
	fflush(stdout);
	sum[ph].wall_s += dt;
	sum[ph].app_s += (now.app_ns - m->app_ns) / 1e9;
	sum[ph].eng_s += (now.eng_ns - m->eng_ns) / 1e9;
	sum[ph].ops += now.cnt.ops - m->cnt.ops;
	sum[ph].seconds++;
	*m = now;
	return 0;
}

static void
print_summary(const struct pc *pc, const struct mark *start,
		const struct phase_sum *sum)
{
	struct mark end;
	double dt;
	int ph;

	if (mark_take(pc, &end) < 0)
		return;
	dt = (double)(end.tsc - start->tsc) / rte_get_tsc_hz();
	printf("\nper phase (from the per-second lines):\n");
	printf("  %-8s %7s %10s %8s %8s\n", "phase", "seconds", "ops/s",
		"app_cpu%", "eng_cpu%");
	for (ph = PC_BURST; ph <= PC_IDLE; ph++) {
		if (sum[ph].wall_s <= 0)
			continue;
		printf("  %-8s %7u %10.0f %8.1f %8.1f\n", pc_phase_name(ph),
			sum[ph].seconds, sum[ph].ops / sum[ph].wall_s,
			100 * sum[ph].app_s / sum[ph].wall_s,
			100 * sum[ph].eng_s / sum[ph].wall_s);
	}
	printf("total: %" PRIu64 " copies of %u B verified, %" PRIu64
		" bad, in %.1f s; app CPU %.1f%%, engine CPU %.1f%%; %" PRIu64
		" waits (%" PRIu64 " timed out, %" PRIu64 " slept until a completion)\n",
		pc->cnt.ops, pc->o.size, pc->cnt.bad, dt,
		(end.app_ns - start->app_ns) / dt / 1e7,
		(end.eng_ns - start->eng_ns) / dt / 1e7,
		pc->cnt.waits, pc->cnt.timeouts, end.st.wakeups - start->st.wakeups);
}

/* ---- main loop ---- */

static uint64_t
next_event(const struct pc *pc, uint64_t now, uint64_t report_at,
		uint64_t deadline)
{
	return RTE_MIN(RTE_MIN(report_at, deadline), pc_next_phase(pc, now));
}

static int
run(struct pc *pc)
{
	uint64_t hz = rte_get_tsc_hz(), deadline, report_at;
	struct phase_sum sum[PC_IDLE + 1] = { 0 };
	struct mark start, m;
	int ret = 0;

	if (mark_take(pc, &start) < 0)
		return -EIO;
	m = start;
	pc->t0 = start.tsc;
	report_at = pc->t0 + hz;
	deadline = pc->o.seconds > 0 ?
		pc->t0 + (uint64_t)(pc->o.seconds * hz) : UINT64_MAX;
	print_heading();
	while (!pc_quit && ret == 0) {
		uint64_t now = rte_rdtsc();

		/* Report first: the last second ends at the deadline. */
		if (now >= report_at) {
			ret = report(pc, &m, sum);
			report_at += hz;
			continue;
		}
		if (now >= deadline)
			break;
		ret = pc_step(pc, now, next_event(pc, now, report_at, deadline));
	}
	if (pc_drain(pc) < 0 && ret == 0)
		ret = -ETIMEDOUT;
	print_summary(pc, &start, sum);
	return ret;
}

static void
print_banner(const struct pc *pc)
{
	const struct pc_opts *o = &pc->o;

	printf("idxp-power-copy: %s%s, %u B copies; phases: burst %u ms, trickle %u ms at %u ops/s, idle %u ms\n",
		pc->name, pc->created ? " (created)" : "", o->size, o->burst_ms,
		o->trickle_ms, o->trickle_rate, o->idle_ms);
	if (o->no_sleep)
		printf("policy: busy-poll always (--no-sleep)\n");
	else
		printf("policy: poll; after %u empty polls sleep in rte_pmd_idxp_wait(), at most %u ms\n",
			o->idle_polls, o->wait_ms);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct pc *pc;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "%s: EAL initialisation failed: %s\n", argv[0],
			rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	argv[ret] = argv[0];
	pc = calloc(1, sizeof(*pc));
	if (pc == NULL || parse_args(argc - ret, argv + ret, &pc->o) < 0) {
		free(pc);
		rte_eal_cleanup();
		return EXIT_FAILURE;
	}
	pc->dev_id = -1;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	ret = dev_open(pc);
	if (ret == 0)
		ret = bufs_alloc(pc);
	if (ret == 0) {
		print_banner(pc);
		ret = run(pc);
	}
	if (ret == 0 && pc->cnt.bad > 0)
		ret = -EIO;
	dev_close(pc);
	bufs_free(pc);
	if (ret < 0)
		fprintf(stderr, "idxp-power-copy: %s\n", pc->cnt.bad > 0 ?
			"some copies failed or did not verify" : "failed");
	free(pc);
	rte_eal_cleanup();
	return ret < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
