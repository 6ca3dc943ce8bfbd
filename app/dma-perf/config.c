/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * dpdk-test-dma-perf's configuration files of every generation, read with
 * rte_cfgfile and rte_kvargs as upstream reads them. One table says which
 * generation has which key; a file reads as one generation, and a key of
 * another is an error naming it. rte_cfgfile keeps no line numbers, so an
 * error finds its line by scanning the file for the key in its section.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_kvargs.h>
#include <rte_string_fns.h>

#include "app_util.h"
#include "dma_perf.h"

#define GLOBAL		"GLOBAL"
#define F23		PERF_FMT_23
#define F24_25		(PERF_FMT_24 | PERF_FMT_25)
#define F23_24		(PERF_FMT_23 | PERF_FMT_24)
#define F_ALL		(F23 | F24_25)
#define MSG_LEN		512	/* room for a whole value */
#define SYSFS_CACHE	"/sys/devices/system/cpu/cpu0/cache"
#define OP_UNSET	((enum perf_op)-1)	/* the variable is missing */

/* How a key's value is read, into the case field at its offset. */
enum kind {
	K_FLAG, K_VAR, K_NUMA, K_SECS, K_ARGS, K_SGE, K_CYCLES, K_TYPE,
	K_ENQ_DEQ, K_LCORE, K_LCORE_DMA23, K_LCORE_DMA
};

/* One key: the generations that have it, in cases and in [GLOBAL]. */
struct key {
	const char *name;
	uint8_t in_case;
	uint8_t in_global;
	int8_t type;		/* the case type that reads it; -1: both */
	uint8_t kind;
	size_t off;
};

#define OFF(f)	offsetof(struct perf_case, f)

static const struct key keys[] = {
	{ "skip", F24_25, 0, -1, K_FLAG, OFF(skip) },
	{ "type", F_ALL, 0, -1, K_TYPE, 0 },
	{ "mem_size", F_ALL, 0, -1, K_VAR, PERF_VAR_MEM },
	{ "buf_size", F_ALL, 0, -1, K_VAR, PERF_VAR_BUF },
	{ "dma_ring_size", F_ALL, 0, PERF_TYPE_DMA, K_VAR, PERF_VAR_RING },
	{ "kick_batch", F_ALL, 0, PERF_TYPE_DMA, K_VAR, PERF_VAR_KICK },
	{ "src_numa_node", F_ALL, 0, -1, K_NUMA, OFF(src_node) },
	{ "dst_numa_node", F_ALL, 0, -1, K_NUMA, OFF(dst_node) },
	{ "cache_flush", F23_24, PERF_FMT_25, -1, K_FLAG, OFF(cache_flush) },
	{ "test_seconds", F23_24, PERF_FMT_25, -1, K_SECS, 0 },
	{ "eal_args", F23_24, PERF_FMT_25, -1, K_ARGS, 0 },
	{ "lcore", F_ALL, 0, PERF_TYPE_CPU, K_LCORE, 0 },
	{ "lcore_dma", F23, 0, PERF_TYPE_DMA, K_LCORE_DMA23, 0 },
	{ "lcore_dmaN", F24_25, 0, PERF_TYPE_DMA, K_LCORE_DMA, 0 },
	{ "dma_src_sge", F24_25, 0, PERF_TYPE_DMA, K_SGE, OFF(src_sge) },
	{ "dma_dst_sge", F24_25, 0, PERF_TYPE_DMA, K_SGE, OFF(dst_sge) },
	{ "use_enq_deq_ops", PERF_FMT_25, 0, PERF_TYPE_DMA, K_ENQ_DEQ, 0 },
	/* idxp extension: TSC cycles of other work after each burst */
	{ "app_work_cycles", F_ALL, 0, PERF_TYPE_DMA, K_CYCLES, 0 },
};

struct ctx {
	const char *path;
	struct perf_config *cfg;
	struct rte_cfgfile *cf;
	unsigned int errors;
	char why[MSG_LEN];	/* what makes the file read as cfg->format */
	int sec;		/* section being read: its index in the file */
	char sec_name[CFG_NAME_LEN];
};

static const char * const var_names[] = {
	"mem_size", "buf_size", "dma_ring_size", "kick_batch",
};
static const char * const type_names[] = { "DMA_MEM_COPY", "CPU_MEM_COPY" };
static const char * const flag_names[] = { "0", "1" };
static const char * const op_names[] = { "", "ADD", "MUL" };

static uint64_t llc;	/* bytes of the last-level cache, 0: unknown */

const char *
config_type_name(enum perf_type type)
{
	return type < PERF_TYPE_MAX ? type_names[type] : "NONE";
}

const char *
config_format_name(enum perf_format fmt)
{
	return fmt == F23 ? "23.07/23.11" : fmt == PERF_FMT_24 ? "24.03-24.11" : "25.11";
}

/* ---- messages, with the line found in the file ---- */

static char *
trim(char *s)
{
	char *end = s + strlen(s);

	while (isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Line of the @nth @key of section @sec (of its header if @key is NULL); 0: none. */
static unsigned int
line_of(const char *path, int sec, const char *key, unsigned int nth)
{
	char buf[CFG_NAME_LEN + CFG_VALUE_LEN + 4], *p, *eq;
	unsigned int line = 0, found = 0;
	FILE *f = fopen(path, "r");
	int cur = -1;

	while (f != NULL && found == 0 && fgets(buf, sizeof(buf), f) != NULL) {
		line++;
		p = trim(buf);
		p[strcspn(p, ";")] = '\0';	/* as rte_cfgfile reads comments */
		if (*p == '[' && ++cur == sec && key == NULL)
			found = line;
		eq = strchr(p, '=');
		if (cur != sec || key == NULL || *p == '[' || eq == NULL)
			continue;
		*eq = '\0';
		if (strcmp(trim(p), key) == 0 && nth-- == 0)
			found = line;
	}
	if (f != NULL)
		fclose(f);
	return found;
}

static void __rte_format_printf(4, 5)
cfg_err(struct ctx *x, const char *key, unsigned int nth, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "idxp-dma-perf: %s:%u: [%s] %s%s", x->path,
		line_of(x->path, x->sec, key, nth), x->sec_name,
		key != NULL ? key : "", key != NULL ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	x->errors++;
}

/* ---- values ---- */

/* Writes the message of a bad value; -1. */
static int __rte_format_printf(2, 3)
fail(char *msg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, MSG_LEN, fmt, ap);
	va_end(ap);
	return -1;
}

/* Index of @v in @names, or -1 with a message that lists them. */
static int
lookup(const char *v, const char * const *names, unsigned int n, char *msg)
{
	unsigned int i;
	size_t off;

	for (i = 0; i < n; i++)
		if (names[i][0] != '\0' && strcmp(v, names[i]) == 0)
			return (int)i;
	off = snprintf(msg, MSG_LEN, "'%s' is none of:", v);
	for (i = 0; i < n && off < MSG_LEN; i++)
		off += snprintf(msg + off, MSG_LEN - off, " %s", names[i]);
	return -1;
}

static int
num(const char *v, uint64_t max, const char *what, uint64_t *out, char *msg)
{
	if (app_parse_u64(v, 0, max, 0, out) == 0)
		return 0;
	return fail(msg, "%s '%s' is not a number in 0..%" PRIu64, what, v, max);
}

/* "value" or "first,last,increment,ADD|MUL"; mem_size also "llc*N". */
static int
key_var(struct perf_case *c, enum perf_var var, const char *v, char *msg)
{
	static const char * const what[] = { "first", "last", "increment" };
	/* 1 TB of memory; 16-bit rings and batches, as dmadev has them. */
	uint64_t max = var == PERF_VAR_MEM ? 1 << 20 : var == PERF_VAR_BUF ?
		UINT32_MAX : UINT16_MAX, x[3] = { 0, 0, 0 };
	char copy[CFG_VALUE_LEN], *f[5];
	int n, i, op = PERF_OP_NONE;

	/* idxp extension: N times the last-level cache, in whole MB. */
	if (var == PERF_VAR_MEM && strncmp(v, "llc*", 4) == 0) {
		if (llc == 0)
			return fail(msg, "'%s': no level-3 cache size in %s", v, SYSFS_CACHE);
		if (num(v + 4, 64, "llc*N: N", &x[0], msg) < 0)
			return -1;
		c->var[var] = (struct perf_range){
			.first = RTE_ALIGN_CEIL(x[0] * llc, 1 << 20) >> 20 };
		return 0;
	}
	strlcpy(copy, v, sizeof(copy));
	n = rte_strsplit(copy, sizeof(copy), f, RTE_DIM(f), ',');
	if (n != 1 && n != 4)
		return fail(msg, "'%s' is not a number or first,last,increment,ADD|MUL", v);
	for (i = 0; i < RTE_MIN(n, 3); i++)
		if (num(trim(f[i]), i == 2 ? UINT32_MAX : max, what[i], &x[i], msg) < 0)
			return -1;
	if (n == 4 && (op = lookup(trim(f[3]), op_names, RTE_DIM(op_names), msg)) < 0)
		return -1;
	c->var[var] = (struct perf_range){ x[0], x[1], x[2], op };
	return 0;
}

static int
dev_name(const char *v, struct perf_worker_cfg *w, char *msg)
{
	if (*v != '\0' && strlcpy(w->dev, v, sizeof(w->dev)) < sizeof(w->dev))
		return 0;
	return fail(msg, "dev '%s' is not a device name", v);
}

/* lcore = "3, 4" (CPU); lcore_dma = "lcore10@0000:00:04.2, ..." (23.07/23.11: @dev). */
static int
lcore_list(struct perf_case *c, const char *k, const char *v, bool dev, char *msg)
{
	char copy[CFG_VALUE_LEN], *tok, *save = NULL, *one, *at;
	uint64_t id;

	strlcpy(copy, v, sizeof(copy));
	c->nb_workers = 0;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		struct perf_worker_cfg *w = &c->workers[c->nb_workers];

		one = trim(tok);
		at = dev ? strchr(one, '@') : NULL;
		if (c->nb_workers == PERF_MAX_WORKERS ||
				(dev && (at == NULL || strncmp(one, "lcore", 5) != 0)))
			return fail(msg, "'%s' is not %s (%d at most)", one,
				dev ? "lcoreN@device" : "an lcore id", PERF_MAX_WORKERS);
		*w = (struct perf_worker_cfg){ .lcore = 0 };
		if (at != NULL)
			*at = '\0';
		if (num(one + (dev ? 5 : 0), RTE_MAX_LCORE - 1, "lcore", &id, msg) < 0 ||
				(at != NULL && dev_name(at + 1, w, msg) < 0))
			return -1;
		w->lcore = (unsigned int)id;
		strlcpy(w->key, k, sizeof(w->key));
		c->nb_workers++;
	}
	return 0;
}

struct kv_ctx {
	struct perf_worker_cfg *w;
	char *msg;
};

/* A key=value of lcore_dmaN; the port keys of mem2dev/dev2mem are checked, not used. */
static int
kv_one(const char *k, const char *v, void *arg)
{
	static const char * const names[] = { "lcore", "coreid", "pfid", "vfid",
		"dev", "dir", "raddr" };
	static const uint64_t max[] = { RTE_MAX_LCORE - 1, UINT8_MAX,
		UINT16_MAX, UINT16_MAX, 0, 0, UINT64_MAX };
	struct kv_ctx *kv = arg;
	int i = lookup(k, names, RTE_DIM(names), kv->msg);
	uint64_t n = 0;

	if (i < 0)
		return -1;
	if (v == NULL)
		return fail(kv->msg, "%s has no value", k);
	if (i == 4)
		return dev_name(v, kv->w, kv->msg);
	if (i == 5)
		return strcmp(v, "mem2mem") == 0 ? 0 : fail(kv->msg,
			"dir=%s: idxp-dma-perf runs mem2mem only (mem2dev and dev2mem need a device that reaches remote memory)",
			v);
	if (app_parse_u64(v, 0, max[i], i == 6 ? APP_NUM_HEX : 0, &n) < 0)
		return fail(kv->msg, "%s '%s' is not a %snumber in 0..%" PRIu64, k, v,
			i == 6 ? "hex " : "", max[i]);
	if (i == 0)
		kv->w->lcore = (unsigned int)n;
	return 0;
}

/* 24.03 on: lcore_dmaN=lcore=10,dev=0000:00:04.1,dir=mem2mem[,raddr=,...]. */
static int
key_lcore_dma(struct perf_case *c, const char *k, const char *v, char *msg)
{
	struct kv_ctx kv = { .msg = msg };
	struct rte_kvargs *kvl;
	uint64_t idx;
	int ret;

	if (app_parse_u64(k + strlen("lcore_dma"), 0, PERF_MAX_WORKERS - 1, 0, &idx) < 0)
		return fail(msg, "lcore_dma%d is the last one", PERF_MAX_WORKERS - 1);
	kv.w = &c->workers[idx];
	*kv.w = (struct perf_worker_cfg){ .lcore = UINT_MAX };
	fail(msg, "'%s' is not a key=value list", v);
	kvl = rte_kvargs_parse(v, NULL);
	ret = kvl != NULL ? rte_kvargs_process(kvl, NULL, kv_one, &kv) : -1;
	rte_kvargs_free(kvl);
	if (ret < 0 || kv.w->lcore == UINT_MAX || kv.w->dev[0] == '\0')
		return ret < 0 ? -1 : fail(msg, "'%s' needs both lcore= and dev=", v);
	strlcpy(kv.w->key, k, sizeof(kv.w->key));
	c->nb_workers = RTE_MAX(c->nb_workers, idx + 1);
	return 0;
}

static int
value_read(const struct key *k, struct perf_case *c, const char *name,
		const char *v, char *msg)
{
	void *field = (char *)c + k->off;
	uint64_t n = 0;
	int i = 0;

	switch (k->kind) {
	case K_VAR:
		return key_var(c, (enum perf_var)k->off, v, msg);
	case K_NUMA:
		i = num(v, RTE_MAX_NUMA_NODES - 1, "NUMA node", &n, msg);
		*(int *)field = (int)n;
		return i;
	case K_SECS:
		if (app_parse_secs(v, 0.001, 86400, &c->test_secs) == 0)
			return 0;
		return fail(msg, "'%s' is not 0.001..86400 seconds", v);
	case K_ARGS:
		strlcpy(c->eal_args, v, sizeof(c->eal_args));
		return 0;
	case K_SGE:
		if (num(v, PERF_MAX_SGE, "segment count", &n, msg) < 0 || n == 0)
			return fail(msg, "'%s' is not 1..%d segments", v, PERF_MAX_SGE);
		*(uint16_t *)field = (uint16_t)n;
		return 0;
	case K_CYCLES:
		i = num(v, 100000000, "cycle count", &n, msg);
		c->work_cycles = (uint32_t)n;
		return i;
	case K_LCORE:
	case K_LCORE_DMA23:
		return lcore_list(c, name, v, k->kind == K_LCORE_DMA23, msg);
	case K_LCORE_DMA:
		return key_lcore_dma(c, name, v, msg);
	case K_TYPE:
		i = lookup(v, type_names, PERF_TYPE_MAX, msg);
		c->type = i >= 0 ? (enum perf_type)i : PERF_TYPE_MAX;
		return RTE_MIN(i, 0);
	}
	/* K_FLAG and K_ENQ_DEQ */
	i = lookup(v, flag_names, 2, msg);
	if (k->kind == K_FLAG)
		*(bool *)field = i == 1;
	if (k->kind == K_FLAG || i <= 0)
		return RTE_MIN(i, 0);
	if (!PERF_HAVE_ENQ_DEQ_OPS)
		return fail(msg, "1 needs DPDK %s's rte_dma_enqueue_ops(); this build has %s",
			PERF_ENQ_DEQ_OPS_RELEASE, rte_version());
	return fail(msg, "1: idxp-dma-perf has no enqueue/dequeue-ops worker yet");
}

/* ---- keys of a section ---- */

/* The key's row; "lcore_dmaN" stands for lcore_dma0, lcore_dma1, ... */
static int
key_find(const char *name)
{
	const char *d = name + strlen("lcore_dma");
	unsigned int i;

	/* As upstream reads them: lcore_dma0, lcore_dma1, ..., no leading 0. */
	if (strncmp(name, "lcore_dma", strlen("lcore_dma")) == 0 && *d != '\0' &&
			strspn(d, "0123456789") == strlen(d) && (*d != '0' || d[1] == '\0'))
		name = "lcore_dmaN";
	for (i = 0; i < RTE_DIM(keys); i++)
		if (strcmp(keys[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Whether the key may stand here; says why not. */
static bool
key_allowed(struct ctx *x, const struct key *k, const char *name, bool global)
{
	const char *fmt = config_format_name(x->cfg->format);

	if ((global ? k->in_global : k->in_case) & x->cfg->format)
		return true;
	if (global)
		cfg_err(x, name, 0, "not a [GLOBAL] key in DPDK %s (it goes in cases)", fmt);
	else if (k->in_global & x->cfg->format)
		cfg_err(x, name, 0, "in DPDK %s this key goes in [GLOBAL], not in a case", fmt);
	else
		cfg_err(x, name, 0, "not a key of DPDK %s, which this file reads as (%s); it is DPDK %s's",
			fmt, x->why, k->in_case == F23 ? "23.07/23.11" : k->in_case == F24_25 ?
			"24.03 to 25.11" : "25.11");
	return false;
}

/*
 * A section's entries. As upstream, skipped cases are read no further than
 * key names, keys of the other test type not at all.
 */
static void
entries_read(struct ctx *x, struct perf_case *c, const struct rte_cfgfile_entry *e,
		int n, bool global)
{
	const char *v = rte_cfgfile_get_entry(x->cf, x->sec_name, "type");
	char msg[MSG_LEN];
	unsigned int nth;
	int i, j, ki;

	i = v != NULL ? lookup(v, type_names, PERF_TYPE_MAX, msg) : -1;
	c->type = i >= 0 ? (enum perf_type)i : PERF_TYPE_MAX;
	v = rte_cfgfile_get_entry(x->cf, x->sec_name, "skip");
	c->skip = !global && v != NULL && strcmp(v, "1") == 0;
	for (i = 0; i < n; i++) {
		ki = key_find(e[i].name);
		for (j = 0, nth = 0; j < i; j++)
			nth += strcmp(e[j].name, e[i].name) == 0;
		if (nth > 0)
			cfg_err(x, e[i].name, nth, "repeated (first at line %u)",
				line_of(x->path, x->sec, e[i].name, 0));
		else if (ki < 0)
			cfg_err(x, e[i].name, 0, "unknown key");
		else if (!key_allowed(x, &keys[ki], e[i].name, global) ||
				(c->skip && ki != 0))
			continue;
		else if (strlen(e[i].value) >= CFG_VALUE_LEN - 1)
			cfg_err(x, e[i].name, 0, "longer than rte_cfgfile's %d characters",
				CFG_VALUE_LEN - 2);
		else if ((global || keys[ki].type < 0 || keys[ki].type == (int)c->type) &&
				value_read(&keys[ki], c, e[i].name, e[i].value, msg) < 0)
			cfg_err(x, e[i].name, 0, "%s", msg);
	}
}

/* ---- case checks ---- */

/* The values of the varying variable; false if there is none to run. */
static bool
range_expand(struct ctx *x, struct perf_case *c, enum perf_var nv)
{
	const struct perf_range *r = &c->var[nv];
	uint64_t v;

	if (r->first > r->last || r->incr < (r->op == PERF_OP_MUL ? 2u : 1u) ||
			(r->op == PERF_OP_MUL && r->first == 0)) {
		cfg_err(x, var_names[nv], 0, "%u,%u,%u does not count up (first <= last; ADD 1 or more; MUL 2 or more, from 1 or more)",
			r->first, r->last, r->incr);
		return false;
	}
	c->nb_scenarios = 0;
	for (v = r->first; v <= r->last; v = r->op == PERF_OP_ADD ? v + r->incr : v * r->incr) {
		if (c->nb_scenarios == PERF_MAX_SCENARIOS) {
			cfg_err(x, var_names[nv], 0, "more than %d values", PERF_MAX_SCENARIOS);
			return false;
		}
		c->values[c->nb_scenarios++] = (uint32_t)v;
	}
	return true;
}

static bool
case_vars(struct ctx *x, struct perf_case *c)
{
	enum perf_var v, nv = PERF_VAR_MAX;

	for (v = 0; v < PERF_VAR_MAX; v++) {
		if (v > PERF_VAR_BUF && c->type != PERF_TYPE_DMA)
			continue;
		if (c->var[v].op == OP_UNSET) {
			cfg_err(x, NULL, 0, "%s: missing", var_names[v]);
			return false;
		}
		if (c->var[v].op != PERF_OP_NONE && nv != PERF_VAR_MAX) {
			cfg_err(x, var_names[v], 0, "only one variable may vary per case; %s varies too",
				var_names[nv]);
			return false;
		}
		nv = c->var[v].op != PERF_OP_NONE ? v : nv;
	}
	c->varying = nv;
	c->nb_scenarios = 1;
	return nv == PERF_VAR_MAX || range_expand(x, c, nv);
}

/* What each run asks, so that a bad value fails before anything runs. */
static void
case_points(struct ctx *x, const struct perf_case *c)
{
	bool dma = c->type == PERF_TYPE_DMA;
	uint16_t sge = RTE_MAX(c->src_sge, c->dst_sge);
	struct perf_point pt;
	unsigned int s;

	for (s = 0; s < c->nb_scenarios; s++) {
		config_point(c, s, &pt);
		if (pt.buf_size == 0 || pt.mem_mb == 0)
			cfg_err(x, pt.buf_size ? "mem_size" : "buf_size", 0, "0 is no size");
		else if (config_nr_buf(c, &pt) == 0)
			cfg_err(x, "mem_size", 0, "%u MB holds no src+dst buffers of %u B for %u lcore(s)%s",
				pt.mem_mb, pt.buf_size, c->nb_workers,
				sge ? " in whole scatter-gather ops" : "");
		else if (dma && !rte_is_power_of_2(pt.ring_size))
			cfg_err(x, "dma_ring_size", 0, "%u is not a power of two", pt.ring_size);
		else if (dma && pt.kick_batch == 0)
			cfg_err(x, "kick_batch", 0, "0 ops per batch");
		else if (dma && pt.buf_size < sge)
			cfg_err(x, "buf_size", 0, "%u B is less than %u segments", pt.buf_size, sge);
		else
			continue;
		return;
	}
}

static void
case_check(struct ctx *x, struct perf_case *c, unsigned int errors)
{
	bool dma = c->type == PERF_TYPE_DMA;
	unsigned int i, j;

	if (c->skip || x->errors != errors)
		return;
	if (c->type == PERF_TYPE_MAX || c->nb_workers == 0) {
		cfg_err(x, NULL, 0, "%s: missing%s%s", c->type == PERF_TYPE_MAX ? "type" :
			dma ? "lcore_dma" : "lcore", dma ? "; a DMA case needs " : "",
			!dma ? "" : x->cfg->format == F23 ? "lcore_dma=lcoreN@DEV[, ...]" :
			"lcore_dma0=lcore=N,dev=DEV");
		return;
	}
	if ((c->src_sge == 0) != (c->dst_sge == 0))
		cfg_err(x, c->src_sge ? "dma_src_sge" : "dma_dst_sge", 0,
			"dma_src_sge and dma_dst_sge go together");
	for (i = 0; i < c->nb_workers; i++) {
		const struct perf_worker_cfg *w = &c->workers[i];

		if (w->key[0] == '\0')
			cfg_err(x, NULL, 0, "lcore_dma%u: missing (upstream reads lcore_dma0, 1, ... up to the first gap)",
				i);
		for (j = 0; w->key[0] != '\0' && j < i; j++) {
			if (c->workers[j].lcore == w->lcore)
				cfg_err(x, w->key, 0, "lcore %u is used twice", w->lcore);
			if (w->dev[0] != '\0' && strcmp(c->workers[j].dev, w->dev) == 0)
				cfg_err(x, w->key, 0, "device %s is used twice (one lcore per device)",
					w->dev);
		}
	}
	if (x->errors == errors && case_vars(x, c))
		case_points(x, c);
}

/* ---- sections ---- */

static struct rte_cfgfile_entry *
section_entries(struct ctx *x, int idx, int *n)
{
	struct rte_cfgfile_entry *e;

	x->sec = idx;
	*n = rte_cfgfile_section_num_entries_by_index(x->cf, x->sec_name, idx);
	e = calloc(*n + 1, sizeof(*e));
	if (e != NULL)
		*n = rte_cfgfile_section_entries_by_index(x->cf, idx, x->sec_name, e, *n);
	return e;
}

/* [GLOBAL] means 25.11, lcore_dma= (no index) 23.07/23.11, else 24.03-24.11. */
static int
format_detect(struct ctx *x, int nb)
{
	int s, global = -1, old = -1;

	for (s = 0; s < nb; s++) {
		rte_cfgfile_section_num_entries_by_index(x->cf, x->sec_name, s);
		if (strcmp(x->sec_name, GLOBAL) == 0 && global < 0)
			global = s;
		if (rte_cfgfile_get_entry(x->cf, x->sec_name, "lcore_dma") != NULL && old < 0)
			old = s;
	}
	x->cfg->format = global >= 0 ? PERF_FMT_25 : old >= 0 ? F23 : PERF_FMT_24;
	if (global >= 0 || old >= 0)
		snprintf(x->why, sizeof(x->why), "%s at line %u", global >= 0 ?
			"[GLOBAL]" : "lcore_dma", line_of(x->path, global >= 0 ? global : old,
			global >= 0 ? NULL : "lcore_dma", 0));
	else
		snprintf(x->why, sizeof(x->why), "no [GLOBAL], no lcore_dma=");
	return global;
}

/* Every case section in file order, from the [GLOBAL] defaults in @tmpl. */
static void
cases_read(struct ctx *x, int nb, const struct perf_case *tmpl)
{
	struct rte_cfgfile_entry *e;
	int s, n;

	for (s = 0; s < nb; s++) {
		unsigned int errors = x->errors;
		struct perf_case *c = &x->cfg->cases[x->cfg->nb_cases];

		e = section_entries(x, s, &n);
		if (e != NULL && rte_cfgfile_num_sections(x->cf, x->sec_name,
				strlen(x->sec_name) + 1) > 1)
			cfg_err(x, NULL, 0, "this section is in the file more than once");
		else if (e != NULL && strncmp(x->sec_name, "case", 4) == 0 &&
				x->sec_name[4] != '\0' &&
				strspn(x->sec_name + 4, "0123456789") == strlen(x->sec_name + 4)) {
			*c = *tmpl;
			strlcpy(c->name, x->sec_name, sizeof(c->name));
			entries_read(x, c, e, n, false);
			case_check(x, c, errors);
			x->cfg->nb_cases++;
		} else if (e != NULL && strcmp(x->sec_name, GLOBAL) != 0) {
			cfg_err(x, NULL, 0, "unknown section (not [GLOBAL] or [caseN])");
		}
		free(e);
	}
}

/* Bytes of cpu0's level-3 cache, from sysfs; 0 if it has none. */
static uint64_t
llc_bytes(void)
{
	char path[128], text[2][32];
	uint64_t size = 0;
	unsigned int i, k;
	FILE *f;

	for (i = 0; i < 16 && size == 0; i++) {
		for (k = 0; k < 2; k++) {
			snprintf(path, sizeof(path), "%s/index%u/%s", SYSFS_CACHE, i,
				k ? "size" : "level");
			f = fopen(path, "r");
			if (f == NULL || fgets(text[k], sizeof(text[k]), f) == NULL)
				text[k][0] = '\0';
			if (f != NULL)
				fclose(f);
		}
		if (strcmp(trim(text[0]), "3") != 0 || app_parse_u64(trim(text[1]),
				1, UINT64_MAX >> 10, APP_NUM_SIZE, &size) < 0)
			size = 0;
	}
	return size;
}

int
config_load(const char *path, struct perf_config *cfg)
{
	struct perf_case tmpl = {
		.type = PERF_TYPE_MAX, .src_node = -1, .dst_node = -1,
		.varying = PERF_VAR_MAX, .test_secs = 2.0,
	};
	struct ctx x = { .path = path, .cfg = cfg, .sec = -1 };
	struct rte_cfgfile_entry *e;
	int nb, n, global, v;

	memset(cfg, 0, sizeof(*cfg));
	cfg->llc = llc = llc_bytes();
	for (v = 0; v < PERF_VAR_MAX; v++)
		tmpl.var[v].op = OP_UNSET;
	x.cf = rte_cfgfile_load(path, 0);
	if (x.cf == NULL && access(path, R_OK) != 0)
		fprintf(stderr, "idxp-dma-perf: cannot read %s: %s\n", path, strerror(errno));
	else if (x.cf == NULL)
		fprintf(stderr, "idxp-dma-perf: %s: rte_cfgfile cannot read it: a key before the first [section], a line over %d characters, a '[' without ']' or an empty value (its message, if any, is above)\n",
			path, CFG_NAME_LEN + CFG_VALUE_LEN + 2);
	if (x.cf == NULL)
		return -EINVAL;
	nb = rte_cfgfile_num_sections(x.cf, NULL, 0);
	cfg->cases = calloc(nb + 1, sizeof(*cfg->cases));
	global = format_detect(&x, nb);
	/* [GLOBAL]'s keys are every case's defaults. */
	e = global >= 0 ? section_entries(&x, global, &n) : NULL;
	if (e != NULL)
		entries_read(&x, &tmpl, e, n, true);
	free(e);
	if (cfg->cases != NULL)
		cases_read(&x, nb, &tmpl);
	rte_cfgfile_close(x.cf);
	if (cfg->cases != NULL && cfg->nb_cases == 0 && x.errors++ == 0)
		fprintf(stderr, "idxp-dma-perf: %s: no [caseN] section\n", path);
	if (cfg->cases != NULL && x.errors == 0)
		return 0;
	fprintf(stderr, "idxp-dma-perf: %s: %u error%s, nothing ran\n", path,
		x.errors, x.errors == 1 ? "" : "s");
	return -EINVAL;
}

void
config_point(const struct perf_case *c, unsigned int idx, struct perf_point *pt)
{
	uint32_t v[PERF_VAR_MAX];
	enum perf_var i;

	for (i = 0; i < PERF_VAR_MAX; i++)
		v[i] = i == c->varying && idx < c->nb_scenarios ? c->values[idx] :
			c->var[i].first;
	*pt = (struct perf_point){ v[PERF_VAR_MEM], v[PERF_VAR_BUF],
		v[PERF_VAR_RING], v[PERF_VAR_KICK] };
}

/*
 * As upstream: mem_size holds the src and dst buffers, shared evenly by the
 * lcores; with scatter-gather in multiples of src_sge * dst_sge.
 */
uint32_t
config_nr_buf(const struct perf_case *c, const struct perf_point *pt)
{
	uint64_t n = ((uint64_t)pt->mem_mb << 20) / ((uint64_t)pt->buf_size * 2);
	uint64_t per = c->nb_workers ? n / c->nb_workers : 0;

	if (c->src_sge != 0)
		per -= per % ((uint64_t)c->src_sge * c->dst_sge);
	return (uint32_t)RTE_MIN(per * c->nb_workers, (uint64_t)UINT32_MAX);
}
