/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Results: derived metrics, the terminal table, the CSV file, the
 * side-by-side ratios and the progress line. Runs in the parent, except
 * record_finish()/record_summarize() and the progress line, which the case
 * child uses.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dma_perf.h"

/* Kinds the ratio table compares. */
enum kind {
	KIND_IDXP,
	KIND_SKELETON,
	KIND_CPU,
	KIND_OTHER
};

static FILE *csv;

static const char * const check_names[] = {
	[PERF_CHECK_SKIPPED] = "-",
	[PERF_CHECK_OK] = "ok",
	[PERF_CHECK_FAILED] = "FAILED",
};

static const char *
check_name(uint8_t check)
{
	return check <= PERF_CHECK_FAILED ? check_names[check] : "?";
}

void
record_finish(struct perf_record *r)
{
	double secs = r->hz != 0 ? (double)r->cycles / r->hz : 0.0;
	double ops_per_sec = secs > 0.0 ? r->ops / secs : 0.0;

	r->cycles_per_op = r->ops != 0 ? (double)r->cycles / r->ops : 0.0;
	r->mops = ops_per_sec / 1e6;
	r->gbps = ops_per_sec * r->pt.buf_size * 8 / 1e9;
	r->app_cycles_per_op = r->ops != 0 ? (double)r->app_cycles / r->ops : 0.0;
}

static void
append(char *dst, size_t len, const char *sep, const char *s)
{
	size_t used = strlen(dst);

	if (used != 0 && used < len)
		used += snprintf(dst + used, len - used, "%s", sep);
	if (used < len)
		snprintf(dst + used, len - used, "%s", s);
}

/*
 * Summary of one run: rates add up across lcores; cycles per op is the
 * mean of the lcores' as upstream reports it; app-core cycles per op is
 * over all ops.
 */
void
record_summarize(const struct perf_record *rows, unsigned int n,
		struct perf_record *sum)
{
	unsigned int i;
	double cyc = 0.0;

	memset(sum, 0, sizeof(*sum));
	if (n == 0)
		return;
	*sum = rows[0];
	sum->row = PERF_ROW_SUMMARY;
	sum->dev[0] = '\0';
	sum->lcores[0] = '\0';
	sum->nr_buf = 0;
	sum->ops = 0;
	sum->cycles = 0;
	sum->app_cycles = 0;
	sum->errors = 0;
	sum->mops = 0.0;
	sum->gbps = 0.0;
	for (i = 0; i < n; i++) {
		const struct perf_record *r = &rows[i];

		if (i == 0 || strcmp(r->dev, rows[0].dev) != 0)
			append(sum->dev, sizeof(sum->dev), "+", r->dev);
		append(sum->lcores, sizeof(sum->lcores), "+", r->lcores);
		sum->nr_buf += r->nr_buf;
		sum->ops += r->ops;
		sum->cycles += r->cycles / n;
		sum->app_cycles += r->app_cycles;
		sum->errors += r->errors;
		sum->mops += r->mops;
		sum->gbps += r->gbps;
		cyc += r->cycles_per_op;
		if (r->check > sum->check)
			sum->check = r->check;
	}
	sum->cycles_per_op = cyc / n;
	sum->app_cycles_per_op = sum->ops != 0 ?
		(double)sum->app_cycles / sum->ops : 0.0;
}

/* ---- CSV ---- */

int
output_csv_open(const char *path)
{
	csv = fopen(path, "w");
	if (csv == NULL) {
		fprintf(stderr, "idxp-dma-perf: cannot write %s: %s\n", path,
			strerror(errno));
		return -errno;
	}
	fprintf(csv, "case,scenario,type,device,lcore,row,buf_size_B,mem_size_MB,"
		"nr_buf,ring_size,kick_batch,src_sge,dst_sge,test_seconds,ops,"
		"cycles_per_op,mops,gbps,app_cycles_per_op,tsc_ghz,errors,check\n");
	fflush(csv);
	return 0;
}

void
output_csv_write(const struct perf_record *r)
{
	bool dma = bench_type_uses_dma(r->type);

	if (csv == NULL)
		return;
	fprintf(csv, "%s,%u,%s,%s,%s,%s,%u,%u,%u,", r->case_name, r->scenario,
		bench_type_name(r->type), r->dev, r->lcores,
		r->row == PERF_ROW_SUMMARY ? "summary" : "lcore",
		r->pt.buf_size, r->pt.mem_mb, r->nr_buf);
	if (dma)
		fprintf(csv, "%u,%u,%u,%u,", r->pt.ring_size, r->pt.kick_batch,
			r->src_sge, r->dst_sge);
	else
		fprintf(csv, "NA,NA,NA,NA,");
	fprintf(csv, "%g,%" PRIu64 ",%.2f,%.4f,%.4f,%.2f,%.3f,%" PRIu64 ",%s\n",
		r->test_secs, r->ops, r->cycles_per_op, r->mops, r->gbps,
		r->app_cycles_per_op, r->hz / 1e9, r->errors,
		r->check == PERF_CHECK_SKIPPED ? "skipped" : check_name(r->check));
	fflush(csv);
}

void
output_csv_close(void)
{
	if (csv != NULL)
		fclose(csv);
	csv = NULL;
}

/* ---- terminal table ---- */

static void
table_header(void)
{
	printf("%-8s %5s %-4s %-14s %-5s %7s %6s %5s %5s %5s %9s %9s %9s %10s %s\n",
		"case", "run", "type", "device", "lcore", "buf(B)", "mem(MB)",
		"ring", "kick", "sge", "cyc/op", "Mops", "Gbps", "app cyc/op",
		"check");
}

static void
range_text(const struct perf_case *c, char *buf, size_t len)
{
	const struct perf_range *r;

	if (c->varying == PERF_VAR_MAX) {
		snprintf(buf, len, "1 run");
		return;
	}
	r = &c->var[c->varying];
	snprintf(buf, len, "%u runs, %s %u..%u %s %u", c->nb_scenarios,
		config_var_name(c->varying), r->first, c->values[c->nb_scenarios - 1],
		r->op == PERF_OP_MUL ? "x" : "+", r->incr);
}

void
output_case_banner(const struct perf_case *c, const char *eal_args,
		bool with_header)
{
	char runs[128], who[256] = "";
	unsigned int i;

	range_text(c, runs, sizeof(runs));
	for (i = 0; i < c->nb_workers; i++) {
		char one[PERF_NAME_LEN + 16];

		if (c->workers[i].dev[0] != '\0')
			snprintf(one, sizeof(one), "lcore %u: %s", c->workers[i].lcore,
				c->workers[i].dev);
		else
			snprintf(one, sizeof(one), "lcore %u", c->workers[i].lcore);
		append(who, sizeof(who), ", ", one);
	}
	printf("\n%s: %s, %s, %g s each, %s\n", c->name,
		bench_type_name(c->type), runs, c->test_secs, who);
	printf("%s: EAL %s\n", c->name, eal_args);
	if (with_header)
		table_header();
	fflush(stdout);
}

void
output_table_row(const struct perf_record *r)
{
	bool dma = bench_type_uses_dma(r->type);
	char run[16], ring[8] = "-", kick[8] = "-", sge[16] = "-";

	/* One lcore: its row already is the summary. */
	if (r->row == PERF_ROW_SUMMARY && strchr(r->lcores, '+') == NULL)
		return;
	snprintf(run, sizeof(run), "%u/%u", r->scenario, r->nb_scenarios);
	if (dma) {
		snprintf(ring, sizeof(ring), "%u", r->pt.ring_size);
		snprintf(kick, sizeof(kick), "%u", r->pt.kick_batch);
		if (r->src_sge != 0)
			snprintf(sge, sizeof(sge), "%u/%u", r->src_sge, r->dst_sge);
	}
	printf("%-8s %5s %-4s %-14s %-5s %7u %6u %5s %5s %5s %9.1f %9.3f %9.3f %10.1f %s\n",
		r->case_name, run, bench_type_short(r->type), r->dev,
		r->row == PERF_ROW_SUMMARY ? "sum" : r->lcores, r->pt.buf_size,
		r->pt.mem_mb, ring, kick, sge, r->cycles_per_op, r->mops, r->gbps,
		r->app_cycles_per_op,
		r->errors != 0 ? "ERRORS" : check_name(r->check));
	fflush(stdout);
}

/* ---- side-by-side ratios ---- */

static enum kind
record_kind(const struct perf_record *r)
{
	if (!bench_type_uses_dma(r->type))
		return KIND_CPU;
	if (strncmp(r->dev, "dma_idxp", strlen("dma_idxp")) == 0)
		return KIND_IDXP;
	if (strncmp(r->dev, "dma_skeleton", strlen("dma_skeleton")) == 0)
		return KIND_SKELETON;
	return KIND_OTHER;
}

/* Summary rows of plain copies: scatter-gather is not like for like. */
static bool
comparable(const struct perf_record *r)
{
	return r->row == PERF_ROW_SUMMARY && r->ops != 0 && r->src_sge == 0;
}

/* The first comparable row of @kind with that buffer size. */
static const struct perf_record *
find_row(const struct perf_record *recs, unsigned int n, enum kind kind,
		uint32_t buf)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (comparable(&recs[i]) && recs[i].pt.buf_size == buf &&
				record_kind(&recs[i]) == kind)
			return &recs[i];
	return NULL;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Buffer sizes that idxp ran, sorted and unique. */
static unsigned int
idxp_sizes(const struct perf_record *recs, unsigned int n, uint32_t *sizes)
{
	unsigned int i, nb = 0, j;

	for (i = 0; i < n; i++) {
		if (!comparable(&recs[i]) || record_kind(&recs[i]) != KIND_IDXP)
			continue;
		for (j = 0; j < nb && sizes[j] != recs[i].pt.buf_size; j++)
			;
		if (j == nb)
			sizes[nb++] = recs[i].pt.buf_size;
	}
	qsort(sizes, nb, sizeof(*sizes), cmp_u32);
	return nb;
}

static void
print_cell(const struct perf_record *r, bool gbps)
{
	if (r == NULL)
		printf(" %11s", "-");
	else
		printf(" %11.3f", gbps ? r->gbps : r->mops);
}

static void
print_ratio(const struct perf_record *a, const struct perf_record *b, bool gbps)
{
	double x, y;

	if (a == NULL || b == NULL) {
		printf(" %10s", "-");
		return;
	}
	x = gbps ? a->gbps : a->mops;
	y = gbps ? b->gbps : b->mops;
	if (y > 0.0)
		printf(" %9.2fx", x / y);
	else
		printf(" %10s", "-");
}

void
output_ratios(const struct perf_record *recs, unsigned int n, bool verbose)
{
	uint32_t *sizes = calloc(n + 1, sizeof(*sizes));
	unsigned int nb, i;

	if (sizes == NULL)
		return;
	nb = idxp_sizes(recs, n, sizes);
	if (nb == 0) {
		if (verbose)
			printf("\nside by side: no dma_idxp results to compare\n");
		free(sizes);
		return;
	}
	printf("\nside by side (summary rows of plain copies; the first run of each kind per buffer size)\n");
	printf("%8s %11s %11s %10s %11s %11s %10s\n", "buf(B)", "idxp Mops",
		"skel Mops", "idxp/skel", "idxp Gbps", "cpu Gbps", "idxp/cpu");
	for (i = 0; i < nb; i++) {
		const struct perf_record *x = find_row(recs, n, KIND_IDXP, sizes[i]);
		const struct perf_record *s = find_row(recs, n, KIND_SKELETON, sizes[i]);
		const struct perf_record *c = find_row(recs, n, KIND_CPU, sizes[i]);

		printf("%8u", sizes[i]);
		print_cell(x, false);
		print_cell(s, false);
		print_ratio(x, s, false);
		print_cell(x, true);
		print_cell(c, true);
		print_ratio(x, c, true);
		printf("\n");
	}
	fflush(stdout);
	free(sizes);
}

/* ---- progress line (stderr, only when it is a terminal or asked for) ---- */

void
output_progress(const char *case_name, const char *var, uint32_t value,
		unsigned int scenario, unsigned int nb_scenarios,
		double elapsed, double total)
{
	fprintf(stderr, "\r%s %s=%u [%u/%u] %.1fs/%gs\033[K", case_name, var,
		value, scenario, nb_scenarios, elapsed, total);
	fflush(stderr);
}

void
output_progress_clear(void)
{
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
}
