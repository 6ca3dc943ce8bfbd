/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * idxp-dma-perf: runs dpdk-test-dma-perf configuration files. Every run
 * of a point is a forked process with its own rte_eal_init(), so cases can
 * have their own EAL arguments and devices, as upstream's do. The points
 * of one size (memory and buffer size) run together, round by round, so
 * that every case of a size meets the same machine. The parent never
 * starts an EAL: it reads the file, forks, collects each run's rows from a
 * pipe and prints the medians.
 */

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>

#include "app_util.h"
#include "dma_perf.h"

#define DEFAULT_RESULT	"dma-perf-results.csv"
#define DEFAULT_REPEAT	3
#define EAL_ARGS_MAX	256
#define EXIT_RUN	1	/* the run's rows stand, but a check failed */
#define EXIT_CASE	2	/* the case cannot run */

/* One point: a case and a scenario of it. */
struct point {
	uint16_t c;
	uint16_t s;
};

struct app {
	const char *config;
	const char *result;
	unsigned int repeat;
	uint32_t verify;		/* ops checked per lcore and run */
	bool check_only;
	int eal_argc;			/* EAL arguments of the command line */
	char **eal_argv;
	struct perf_config cfg;
	bool *failed;			/* per case: it cannot run */
	unsigned int nb_failed;		/* runs */
	struct perf_record *recs;
	unsigned int nb_recs;
	unsigned int cap_recs;
};

enum { OPT_CONFIG, OPT_RESULT, OPT_REPEAT, OPT_VERIFY, OPT_NO_VERIFY, OPT_CHECK };

static const struct app_opt opts[] = {
	{ "--config", true, OPT_CONFIG }, { "--result", true, OPT_RESULT },
	{ "--csv", true, OPT_RESULT }, { "--repeat", true, OPT_REPEAT },
	{ "--verify", true, OPT_VERIFY }, { "--no-verify", false, OPT_NO_VERIFY },
	{ "--check", false, OPT_CHECK },
	{ NULL, false, 0 },
};

/* The EAL's and idxp's info lines would repeat every run; a later --log-level wins. */
static char *quiet[] = { "--log-level=lib.eal:error",
	"--log-level=lib.telemetry:error", "--log-level=pmd.dma.idxp:warning" };

static void
usage(const char *prog)
{
	printf("usage: %s --config FILE [options] [EAL options]\n"
		"Runs a dpdk-test-dma-perf file (DPDK 23.07 to 25.11); each run is a\n"
		"process whose EAL gets these EAL options, then the file's eal_args.\n"
		"  --config FILE           configuration file (required)\n"
		"  --result FILE, --csv FILE  CSV output (default ./%s)\n"
		"  --repeat N              rounds per point, 1..%d (default %d)\n"
		"  --verify off|sample|all, --no-verify  data check (default sample)\n"
		"  --check                 check the file, print the plan and exit\n",
		prog, DEFAULT_RESULT, PERF_MAX_REPEAT, DEFAULT_REPEAT);
}

static int
opt_one(int id, const char *arg, void *ctx)
{
	static const char * const verify[] = { "off", "sample", "all" };
	static const uint32_t samples[] = { 0, PERF_VERIFY_SAMPLE, UINT32_MAX };
	struct app *a = ctx;
	int i;

	if (id == OPT_REPEAT)
		return app_parse_u32(arg, 1, PERF_MAX_REPEAT, &a->repeat);
	if (id == OPT_VERIFY || id == OPT_NO_VERIFY) {
		for (i = 0; arg != NULL && i < 3 && strcmp(arg, verify[i]) != 0; i++)
			;
		a->verify = arg == NULL ? 0 : samples[i % 3];
		return i < 3 ? 0 : -EINVAL;
	}
	if (id == OPT_CONFIG)
		a->config = arg;
	else if (id == OPT_RESULT)
		a->result = arg;
	else
		a->check_only = true;
	return 0;
}

/* ---- one run, in a child ---- */

/* Command-line EAL arguments, then the case's eal_args; never returns. */
static void __rte_noreturn
child_main(const struct app *a, const struct point *p, unsigned int round, int fd)
{
	const struct perf_case *c = &a->cfg.cases[p->c];
	char args[PERF_ARGS_LEN], *argv[EAL_ARGS_MAX + 1];
	int argc = RTE_MIN(a->eal_argc, EAL_ARGS_MAX / 2), ret = 0;

	memcpy(argv, a->eal_argv, sizeof(*argv) * argc);
	strlcpy(args, c->eal_args, sizeof(args));
	argc += rte_strsplit(args, sizeof(args), argv + argc, EAL_ARGS_MAX - argc, ' ');
	argv[argc] = NULL;
	/* The parent owns stdout for the table; EAL and errors go to stderr. */
	dup2(STDERR_FILENO, STDOUT_FILENO);
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "%s: EAL init failed: %s\n", c->name, rte_strerror(rte_errno));
		exit(EXIT_CASE);
	}
	ret = bench_run(c, p->c, p->s, round, a->verify, fd);
	rte_eal_cleanup();
	exit(ret == -EIO || ret == -ETIMEDOUT ? EXIT_RUN : ret < 0 ? EXIT_CASE : 0);
}

/* ---- results: medians of the rounds, table, CSV, ratios ---- */

#define F(field)	offsetof(struct perf_record, field)

enum kind { KIND_IDXP, KIND_SKELETON, KIND_CPU, KIND_MAX };

static FILE *csv;
static const char * const check_names[] = { "skipped", "ok", "FAILED" };
static const char * const row_names[] = { "lcore", "total", "summary" };

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts @v; the middle value, or the mean of the two middle ones. */
static double
median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The rounds' totals of one point: medians, Mops min-max, each round kept. */
static void
summarize(const struct perf_record *const *rounds, unsigned int n,
		struct perf_record *sum)
{
	static const size_t med[] = { F(cycles_per_op), F(gbps),
		F(app_cycles_per_op), F(mops) };
	double v[PERF_MAX_REPEAT], m;
	unsigned int i, k;

	*sum = *rounds[0];
	sum->row = PERF_ROW_SUMMARY;
	sum->round = 0;
	sum->nb_rounds = n;
	for (i = 0; i < n; i++) {
		sum->ops += i > 0 ? rounds[i]->ops : 0;
		sum->errors += i > 0 ? rounds[i]->errors : 0;
		sum->check = RTE_MAX(sum->check, rounds[i]->check);
		sum->round_mops[i] = rounds[i]->mops;
		sum->round_gbps[i] = rounds[i]->gbps;
	}
	for (k = 0; k < RTE_DIM(med); k++) {
		for (i = 0; i < n; i++)
			memcpy(&v[i], (const char *)rounds[i] + med[k], sizeof(v[i]));
		m = median(v, n);
		memcpy((char *)sum + med[k], &m, sizeof(m));
	}
	/* mops came last: v holds its rounds, sorted */
	sum->mops_min = v[0];
	sum->mops_max = v[n - 1];
}

static void
csv_write(const struct perf_record *r)
{
	char round[16] = "median";

	if (csv == NULL)
		return;
	if (r->row != PERF_ROW_SUMMARY)
		snprintf(round, sizeof(round), "%u", r->round);
	fprintf(csv, "%s,%u,%s,%s,%s,%s,%s,%u,%u,%u,", r->case_name, r->scenario,
		round, config_type_name(r->type), r->dev, r->lcores,
		row_names[r->row], r->pt.buf_size, r->pt.mem_mb, r->nr_buf);
	if (r->type == PERF_TYPE_DMA)
		fprintf(csv, "%u,%u,%u,%u,", r->pt.ring_size, r->pt.kick_batch,
			r->src_sge, r->dst_sge);
	else
		fprintf(csv, "NA,NA,NA,NA,");
	fprintf(csv, "%g,%" PRIu64 ",%.2f,%.4f,%.4f,%.2f,%.4f,%.4f,%.3f,%" PRIu64 ",%s\n",
		r->test_secs, r->ops, r->cycles_per_op, r->mops, r->gbps,
		r->app_cycles_per_op, r->mops_min, r->mops_max, r->hz / 1e9,
		r->errors, check_names[r->check]);
	fflush(csv);
}

static void
table_row(const struct perf_record *r)
{
	bool dma = r->type == PERF_TYPE_DMA;
	char run[16], ring[8] = "-", kick[8] = "-", sge[16] = "-", span[32];

	snprintf(run, sizeof(run), "%u/%u", r->scenario, r->nb_scenarios);
	snprintf(span, sizeof(span), "%.3f-%.3f", r->mops_min, r->mops_max);
	if (dma) {
		snprintf(ring, sizeof(ring), "%u", r->pt.ring_size);
		snprintf(kick, sizeof(kick), "%u", r->pt.kick_batch);
	}
	if (dma && r->src_sge != 0)
		snprintf(sge, sizeof(sge), "%u/%u", r->src_sge, r->dst_sge);
	printf("%-8s %5s %-4s %-14s %-5s %7u %6u %5s %5s %5s %9.1f %9.3f %17s %9.3f %10.1f %s\n",
		r->case_name, run, dma ? "DMA" : "CPU", r->dev, r->lcores,
		r->pt.buf_size, r->pt.mem_mb, ring, kick, sge, r->cycles_per_op,
		r->mops, span, r->gbps, r->app_cycles_per_op,
		r->errors != 0 ? "ERRORS" : check_names[r->check]);
	fflush(stdout);
}

/* The kind of a plain-copy summary; scatter-gather is not like for like. */
static enum kind
kind_of(const struct perf_record *r)
{
	if (r->row != PERF_ROW_SUMMARY || r->ops == 0 || r->src_sge != 0)
		return KIND_MAX;
	if (r->type != PERF_TYPE_DMA)
		return KIND_CPU;
	return strncmp(r->dev, "dma_idxp", 8) == 0 ? KIND_IDXP :
		strncmp(r->dev, "dma_skeleton", 12) == 0 ? KIND_SKELETON : KIND_MAX;
}

/* x's and y's median, and the median of their per-round ratios. */
static void
cells(const struct perf_record *x, const struct perf_record *y, bool gbps)
{
	double q[PERF_MAX_REPEAT], v[3] = { gbps ? x->gbps : x->mops, 0, 0 };
	unsigned int r, k = 0, i;

	for (r = 0; y != NULL && r < RTE_MIN(x->nb_rounds, y->nb_rounds); r++)
		if ((gbps ? y->round_gbps[r] : y->round_mops[r]) > 0)
			q[k++] = gbps ? x->round_gbps[r] / y->round_gbps[r] :
				x->round_mops[r] / y->round_mops[r];
	v[1] = y == NULL ? 0 : gbps ? y->gbps : y->mops;
	v[2] = k != 0 ? median(q, k) : 0;
	for (i = 0; i < 3; i++)
		if (v[i] > 0)
			printf(i == 2 ? " %10.2fx" : " %11.3f", v[i]);
		else
			printf(" %11s", "-");
}

/* Each memory and buffer size idxp ran, beside the first skeleton and CPU run. */
static void
ratios(const struct perf_record *recs, unsigned int n, uint64_t llc)
{
	const struct perf_record *k[KIND_MAX + 1];
	unsigned int i, j, rows = 0;

	for (i = 0; i < n; i++) {
		const struct perf_record *x = &recs[i];

		memset(k, 0, sizeof(k));
		for (j = 0; kind_of(x) == KIND_IDXP && j < n; j++)
			if (recs[j].pt.buf_size == x->pt.buf_size &&
					recs[j].pt.mem_mb == x->pt.mem_mb &&
					k[kind_of(&recs[j])] == NULL)
				k[kind_of(&recs[j])] = &recs[j];
		if (k[KIND_IDXP] != x)
			continue;
		if (rows++ == 0)
			printf("\nside by side: medians of %u round(s); ratios are medians of per-round ratios\n"
				"%-12s %7s %8s %11s %11s %11s %11s %11s %11s\n",
				x->nb_rounds, "regime", "mem(MB)", "buf(B)", "idxp Mops",
				"skel Mops", "idxp/skel", "idxp Gbps", "cpu Gbps", "idxp/cpu");
		printf("%-12s %7u %8u", llc != 0 && ((uint64_t)x->pt.mem_mb << 20) > llc ?
			"out-of-cache" : "in-cache", x->pt.mem_mb, x->pt.buf_size);
		cells(x, k[KIND_SKELETON], false);
		cells(x, k[KIND_CPU], true);
		printf("\n");
	}
}

/* ---- the parent ---- */

static void
record_add(struct app *a, const struct perf_record *rec)
{
	struct perf_record *r = a->recs;

	if (a->nb_recs == a->cap_recs) {
		r = realloc(a->recs, (a->cap_recs + 256) * sizeof(*r));
		if (r == NULL)
			return;
		a->recs = r;
		a->cap_recs += 256;
	}
	a->recs[a->nb_recs++] = *rec;
	csv_write(rec);
}

/* 0 for a good run, -EIO for a failed run, -1 when the case cannot run. */
static int
run_one(struct app *a, const struct point *p, unsigned int round)
{
	const char *name = a->cfg.cases[p->c].name;
	struct perf_record rec;
	int fds[2], status = 0;
	pid_t pid = -1;

	/* Buffered output would otherwise be printed twice. */
	fflush(NULL);
	if (pipe(fds) == 0 && (pid = fork()) == 0) {
		close(fds[0]);
		child_main(a, p, round, fds[1]);
	}
	if (pid < 0) {
		fprintf(stderr, "%s: cannot start a run: %s\n", name, strerror(errno));
		return -1;
	}
	close(fds[1]);
	while (read(fds[0], &rec, sizeof(rec)) == sizeof(rec))
		record_add(a, &rec);
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (status != 0)
		fprintf(stderr, "%s: run %u, round %u failed (wait status %#x)\n", name,
			p->s + 1, round, status);
	if (WIFEXITED(status) && WEXITSTATUS(status) <= EXIT_RUN)
		return WEXITSTATUS(status) == 0 ? 0 : -EIO;
	return -1;
}

/* The same size: memory and buffer size. */
static bool
same_size(const struct app *a, const struct point *x, const struct point *y)
{
	struct perf_point px, py;

	config_point(&a->cfg.cases[x->c], x->s, &px);
	config_point(&a->cfg.cases[y->c], y->s, &py);
	return px.mem_mb == py.mem_mb && px.buf_size == py.buf_size;
}

/* Points in file order, each moved up next to the first one of its size. */
static unsigned int
points_order(const struct app *a, struct point *pts)
{
	unsigned int n = 0, i, j, end;
	struct point t;

	for (i = 0; i < a->cfg.nb_cases; i++)
		for (j = 0; !a->cfg.cases[i].skip && j < a->cfg.cases[i].nb_scenarios; j++)
			pts[n++] = (struct point){ (uint16_t)i, (uint16_t)j };
	for (i = 0; i < n; i = end) {
		for (end = i + 1, j = i + 1; j < n; j++) {
			if (!same_size(a, &pts[i], &pts[j]))
				continue;
			t = pts[j];
			memmove(&pts[end + 1], &pts[end], (j - end) * sizeof(*pts));
			pts[end++] = t;
		}
	}
	return n;
}

/* The medians of a point's rounds, in the table and the CSV. */
static void
point_summary(struct app *a, const struct point *p)
{
	const struct perf_record *rounds[PERF_MAX_REPEAT];
	struct perf_record sum;
	unsigned int i, n = 0;

	for (i = 0; i < a->nb_recs && n < PERF_MAX_REPEAT; i++)
		if (a->recs[i].row == PERF_ROW_TOTAL && a->recs[i].case_idx == p->c &&
				a->recs[i].scenario == p->s + 1)
			rounds[n++] = &a->recs[i];
	if (n == 0)
		return;
	summarize(rounds, n, &sum);
	record_add(a, &sum);
	table_row(&sum);
}

/* Each size's points, round by round, then their medians. */
static void
run_points(struct app *a, const struct point *pts, unsigned int n)
{
	unsigned int g, end, r, i;
	int ret;

	for (g = 0; g < n; g = end) {
		for (end = g + 1; end < n && same_size(a, &pts[g], &pts[end]); end++)
			;
		for (r = 1; r <= a->repeat; r++) {
			for (i = g; i < end; i++) {
				if (a->failed[pts[i].c])
					continue;
				ret = run_one(a, &pts[i], r);
				a->failed[pts[i].c] |= ret == -1;
				a->nb_failed += ret < 0;
			}
		}
		for (i = g; i < end; i++)
			point_summary(a, &pts[i]);
	}
}

/* The plan: the format, each case's runs and EAL arguments. */
static void
banners(const struct app *a)
{
	const struct perf_case *c;
	unsigned int i, w;
	int k;

	printf("%s: DPDK %s format\n", a->config, config_format_name(a->cfg.format));
	for (i = 0; i < a->cfg.nb_cases; i++) {
		c = &a->cfg.cases[i];
		printf("%s: %s, mem_size %u", c->name, c->skip ? "skipped (skip=1)" :
			config_type_name(c->type), c->var[PERF_VAR_MEM].first);
		if (c->varying == PERF_VAR_MEM)
			printf("..%u", c->values[c->nb_scenarios - 1]);
		printf(" MB, %u run%s of %g s,", c->nb_scenarios,
			c->nb_scenarios == 1 ? "" : "s", c->test_secs);
		for (w = 0; w < c->nb_workers; w++)
			printf("%s lcore %u%s%s", w ? "," : "", c->workers[w].lcore,
				c->workers[w].dev[0] ? ": " : "", c->workers[w].dev);
		printf("\n%s: EAL", c->name);
		for (k = RTE_DIM(quiet) + 1; k < a->eal_argc; k++)
			printf(" %s", a->eal_argv[k]);
		printf(" %s\n", c->eal_args);
	}
}

static int
run_all(struct app *a)
{
	struct point *pts = calloc(a->cfg.nb_cases * PERF_MAX_SCENARIOS + 1, sizeof(*pts));
	unsigned int n;

	a->failed = calloc(a->cfg.nb_cases + 1, sizeof(*a->failed));
	if (pts == NULL || a->failed == NULL)
		return -ENOMEM;
	n = points_order(a, pts);
	banners(a);
	if (a->check_only) {
		printf("plan: %u points, %u round%s each, %u runs\n", n, a->repeat,
			a->repeat == 1 ? "" : "s", n * a->repeat);
	} else {
		printf("\nmedians of %u round%s per run, Mops min-max beside them\n"
			"%-8s %5s %-4s %-14s %-5s %7s %6s %5s %5s %5s %9s %9s %17s %9s %10s %s\n",
			a->repeat, a->repeat == 1 ? "" : "s", "case", "run", "type",
			"device", "lcore", "buf(B)", "mem(MB)", "ring", "kick", "sge",
			"cyc/op", "Mops", "Mops min-max", "Gbps", "app cyc/op", "check");
		run_points(a, pts, n);
		ratios(a->recs, a->nb_recs, a->cfg.llc);
		printf("\nresults: %s\n", a->result);
	}
	if (a->nb_failed != 0)
		fprintf(stderr, "idxp-dma-perf: %u run%s failed\n", a->nb_failed,
			a->nb_failed == 1 ? "" : "s");
	return a->nb_failed != 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	struct app a = {
		.result = DEFAULT_RESULT, .repeat = DEFAULT_REPEAT,
		.verify = PERF_VERIFY_SAMPLE, .eal_argc = RTE_DIM(quiet) + 1,
		.eal_argv = calloc(argc + RTE_DIM(quiet) + 1, sizeof(char *)),
	};
	int ret;

	if (a.eal_argv == NULL)
		return EXIT_FAILURE;
	/* Our options anywhere on the line; everything else goes to the EAL. */
	a.eal_argv[0] = argv[0];
	memcpy(&a.eal_argv[1], quiet, sizeof(quiet));
	ret = app_parse_opts(argc, argv, opts, opt_one, &a, usage, a.eal_argv,
		&a.eal_argc);
	if (ret == 0 && a.config == NULL) {
		fprintf(stderr, "%s: no --config FILE given (see --help)\n", argv[0]);
		ret = -EINVAL;
	}
	if (ret == 0)
		ret = config_load(a.config, &a.cfg);
	if (ret == 0 && !a.check_only && (csv = fopen(a.result, "w")) == NULL) {
		fprintf(stderr, "%s: cannot write %s: %s\n", argv[0], a.result, strerror(errno));
		ret = -errno;
	}
	if (csv != NULL)
		fprintf(csv, "case,scenario,round,type,device,lcore,row,buf_size_B,mem_size_MB,"
			"nr_buf,ring_size,kick_batch,src_sge,dst_sge,test_seconds,ops,"
			"cycles_per_op,mops,gbps,app_cycles_per_op,mops_min,mops_max,"
			"tsc_ghz,errors,check\n");
	if (ret == 0)
		ret = run_all(&a);
	if (csv != NULL)
		fclose(csv);
	return ret < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
