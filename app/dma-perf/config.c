/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Reader for dpdk-test-dma-perf's configuration format, all the variants
 * upstream shipped: per-case eal_args/cache_flush/test_seconds (23.07),
 * "lcore_dma=lcoreN@dev, ..." (23.07-23.11) with "direction"/"vchan_dev"
 * (23.11), "lcore_dmaN=lcore=..,dev=..,dir=.." with dma_src_sge/dma_dst_sge
 * (24.03) and a [GLOBAL] section (24.11). Our own INI reader rather than
 * rte_cfgfile: it keeps line numbers for messages, has no value length limit
 * and lets us reject unknown keys.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dma_perf.h"

#define GLOBAL_SECTION "GLOBAL"
#define DIM(a) (sizeof(a) / sizeof((a)[0]))

struct ini_entry {
	char *key;
	char *value;
	unsigned int line;
};

struct ini_section {
	char *name;
	unsigned int line;
	bool duplicate;		/* reported; its entries are not used */
	unsigned int nb_entries;
	struct ini_entry *entries;
};

struct ini_file {
	unsigned int nb_sections;
	struct ini_section *sections;
};

/* Error context: the file and how many errors were reported. */
struct cfg_ctx {
	const char *path;
	unsigned int errors;
};

/* What one case section said, beyond struct perf_case. */
struct case_parse {
	struct perf_case *c;
	const struct ini_section *sec;
	const struct ini_entry *type;
	const struct ini_entry *var[PERF_VAR_MAX];
	const struct ini_entry *src_sge;
	const struct ini_entry *dst_sge;
	const struct ini_entry *lcore;
	const struct ini_entry *lcore_dma_legacy;
	const struct ini_entry *direction;
	const struct ini_entry *vchan_dev;
	const struct ini_entry *cache_flush;
	const struct ini_entry *test_secs;
	const struct ini_entry *dma_only;	/* first DMA-only key seen */
	unsigned int nb_lcore_dma;
	unsigned int lcore_dma_idx[PERF_MAX_WORKERS];
	const struct ini_entry *lcore_dma[PERF_MAX_WORKERS];
	enum perf_dir legacy_dir;
	struct perf_worker_cfg legacy_port;	/* raddr/coreid/pfid/vfid */
};

struct global_parse {
	bool cache_flush;
	bool has_cache_flush;
	double test_secs;
	bool has_test_secs;
};

static const char * const var_names[PERF_VAR_MAX] = {
	[PERF_VAR_MEM] = "mem_size",
	[PERF_VAR_BUF] = "buf_size",
	[PERF_VAR_RING] = "dma_ring_size",
	[PERF_VAR_KICK] = "kick_batch",
};

static const char * const var_short[PERF_VAR_MAX] = {
	[PERF_VAR_MEM] = "mem",
	[PERF_VAR_BUF] = "buf",
	[PERF_VAR_RING] = "ring",
	[PERF_VAR_KICK] = "kick",
};

const char *
config_var_name(enum perf_var var)
{
	return var < PERF_VAR_MAX ? var_names[var] : "none";
}

const char *
config_var_short(enum perf_var var)
{
	return var < PERF_VAR_MAX ? var_short[var] : "buf";
}

static void __attribute__((format(printf, 5, 6)))
cfg_err(struct cfg_ctx *ctx, unsigned int line, const char *section,
		const char *key, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "idxp-dma-perf: %s:%u: ", ctx->path, line);
	if (section != NULL)
		fprintf(stderr, "[%s] ", section);
	if (key != NULL)
		fprintf(stderr, "%s: ", key);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ctx->errors++;
}

static void __attribute__((format(printf, 4, 5)))
entry_err(struct cfg_ctx *ctx, const struct ini_section *sec,
		const struct ini_entry *e, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_err(ctx, e->line, sec->name, e->key, "%s", msg);
}

static void __attribute__((format(printf, 4, 5)))
entry_warn(const struct cfg_ctx *ctx, const struct ini_section *sec,
		const struct ini_entry *e, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "idxp-dma-perf: %s:%u: warning: [%s] %s: ", ctx->path,
		e->line, sec->name, e->key);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- INI reader ---- */

static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static void *
grow(void *array, unsigned int nb, size_t size)
{
	/* Double at powers of two; callers append one at a time. */
	if (nb != 0 && (nb & (nb - 1)) != 0)
		return array;
	return realloc(array, (nb == 0 ? 4 : nb * 2) * size);
}

static int
ini_add_section(struct ini_file *ini, const char *name, unsigned int line)
{
	struct ini_section *s;

	s = grow(ini->sections, ini->nb_sections, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	ini->sections = s;
	s = &ini->sections[ini->nb_sections];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	s->line = line;
	if (s->name == NULL)
		return -ENOMEM;
	ini->nb_sections++;
	return 0;
}

static int
ini_add_entry(struct ini_section *s, const char *key, const char *value,
		unsigned int line)
{
	struct ini_entry *e;

	e = grow(s->entries, s->nb_entries, sizeof(*e));
	if (e == NULL)
		return -ENOMEM;
	s->entries = e;
	e = &s->entries[s->nb_entries];
	e->key = strdup(key);
	e->value = strdup(value);
	e->line = line;
	if (e->key == NULL || e->value == NULL) {
		free(e->key);
		free(e->value);
		return -ENOMEM;
	}
	s->nb_entries++;
	return 0;
}

static void
ini_free(struct ini_file *ini)
{
	unsigned int i, j;

	for (i = 0; i < ini->nb_sections; i++) {
		struct ini_section *s = &ini->sections[i];

		for (j = 0; j < s->nb_entries; j++) {
			free(s->entries[j].key);
			free(s->entries[j].value);
		}
		free(s->entries);
		free(s->name);
	}
	free(ini->sections);
	memset(ini, 0, sizeof(*ini));
}

/* Like rte_cfgfile, ';' starts a comment anywhere; '#' only a whole line. */
static char *
strip_comment(char *line)
{
	char *p = strchr(line, ';');

	if (p != NULL)
		*p = '\0';
	p = trim(line);
	if (*p == '#')
		*p = '\0';
	return p;
}

static int
ini_section_line(struct cfg_ctx *ctx, struct ini_file *ini, char *p,
		unsigned int line)
{
	char *end = strchr(p, ']');
	char *name;
	unsigned int i;

	if (end == NULL || *trim(end + 1) != '\0') {
		cfg_err(ctx, line, NULL, NULL, "malformed section header");
		return 0;
	}
	*end = '\0';
	name = trim(p + 1);
	if (*name == '\0') {
		cfg_err(ctx, line, NULL, NULL, "empty section name");
		return 0;
	}
	for (i = 0; i < ini->nb_sections; i++) {
		if (strcmp(ini->sections[i].name, name) == 0) {
			cfg_err(ctx, line, name, NULL,
				"section already defined at line %u",
				ini->sections[i].line);
			break;
		}
	}
	/* A duplicate is kept, unused, so its entries land somewhere. */
	if (ini_add_section(ini, name, line) < 0)
		return -ENOMEM;
	ini->sections[ini->nb_sections - 1].duplicate = i < ini->nb_sections - 1;
	return 0;
}

static int
ini_entry_line(struct cfg_ctx *ctx, struct ini_file *ini, char *p,
		unsigned int line)
{
	struct ini_section *s;
	char *eq = strchr(p, '=');
	char *key;

	if (ini->nb_sections == 0) {
		cfg_err(ctx, line, NULL, NULL,
			"'%s' outside of any section", p);
		return 0;
	}
	s = &ini->sections[ini->nb_sections - 1];
	if (eq == NULL) {
		cfg_err(ctx, line, s->name, NULL,
			"expected key=value, got '%s'", p);
		return 0;
	}
	*eq = '\0';
	key = trim(p);
	if (*key == '\0') {
		cfg_err(ctx, line, s->name, NULL, "empty key");
		return 0;
	}
	return ini_add_entry(s, key, trim(eq + 1), line);
}

static int
ini_read(struct cfg_ctx *ctx, struct ini_file *ini)
{
	unsigned int line = 0;
	size_t cap = 0;
	char *buf = NULL;
	FILE *f;
	int ret = 0;

	f = fopen(ctx->path, "r");
	if (f == NULL) {
		fprintf(stderr, "idxp-dma-perf: cannot open %s: %s\n",
			ctx->path, strerror(errno));
		return -errno;
	}
	while (ret == 0 && getline(&buf, &cap, f) >= 0) {
		char *p = strip_comment(buf);

		line++;
		if (*p == '\0')
			continue;
		if (*p == '[')
			ret = ini_section_line(ctx, ini, p, line);
		else
			ret = ini_entry_line(ctx, ini, p, line);
	}
	free(buf);
	if (ret == 0 && ferror(f))
		ret = -EIO;
	fclose(f);
	if (ret < 0)
		fprintf(stderr, "idxp-dma-perf: reading %s: %s\n",
			ctx->path, strerror(-ret));
	return ret;
}

/* ---- value parsers ---- */

static int
parse_u64(const char *s, uint64_t *v)
{
	unsigned long long x;
	char *end;

	/* strtoull() takes signs and leading blanks: refuse both. */
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0')
		return -EINVAL;
	*v = x;
	return 0;
}

static int
parse_u32_max(const char *s, uint32_t max, uint32_t *v)
{
	uint64_t x;

	if (parse_u64(s, &x) < 0 || x > max)
		return -EINVAL;
	*v = (uint32_t)x;
	return 0;
}

static int
parse_flag(const char *s, bool *v)
{
	if (strcmp(s, "0") == 0)
		*v = false;
	else if (strcmp(s, "1") == 0)
		*v = true;
	else
		return -EINVAL;
	return 0;
}

static int
parse_seconds(const char *s, double *v)
{
	char *end;
	double x;

	if (!isdigit((unsigned char)*s) && *s != '.')
		return -EINVAL;
	errno = 0;
	x = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !(x > 0.0) || x > 86400.0)
		return -EINVAL;
	*v = x;
	return 0;
}

/* Split @s in place at @sep into at most @max trimmed fields. */
static int
split(char *s, char sep, char **fields, int max)
{
	int n = 0;

	for (;;) {
		char *next = strchr(s, sep);

		if (next != NULL)
			*next = '\0';
		if (n == max)
			return -E2BIG;
		fields[n++] = trim(s);
		if (next == NULL)
			return n;
		s = next + 1;
	}
}

static int
parse_op(const char *s, enum perf_op *op)
{
	if (strcasecmp(s, "ADD") == 0)
		*op = PERF_OP_ADD;
	else if (strcasecmp(s, "MUL") == 0)
		*op = PERF_OP_MUL;
	else
		return -EINVAL;
	return 0;
}

/* "value" or "first,last,increment,ADD|MUL"; writes a message on error. */
static int
parse_range(const char *value, uint32_t max, struct perf_range *r,
		char *msg, size_t len)
{
	char *copy = strdup(value);
	char *f[5];
	int n, ret = -EINVAL;

	if (copy == NULL)
		return -ENOMEM;
	n = split(copy, ',', f, DIM(f));
	memset(r, 0, sizeof(*r));
	if (n != 1 && n != 4) {
		snprintf(msg, len, "'%s': expected a number or first,last,increment,ADD|MUL",
			value);
	} else if (parse_u32_max(f[0], max, &r->first) < 0) {
		snprintf(msg, len, "'%s' is not a number in 0..%" PRIu32, f[0], max);
	} else if (n == 1) {
		r->op = PERF_OP_NONE;
		ret = 0;
	} else if (parse_u32_max(f[1], max, &r->last) < 0) {
		snprintf(msg, len, "last '%s' is not a number in 0..%" PRIu32, f[1], max);
	} else if (parse_u32_max(f[2], UINT32_MAX, &r->incr) < 0) {
		snprintf(msg, len, "increment '%s' is not a number", f[2]);
	} else if (parse_op(f[3], &r->op) < 0) {
		snprintf(msg, len, "operation '%s' must be ADD or MUL", f[3]);
	} else {
		ret = 0;
	}
	free(copy);
	r->set = ret == 0;
	return ret;
}

/* ---- case keys ---- */

typedef void (*case_key_fn)(struct cfg_ctx *ctx, struct case_parse *p,
		const struct ini_entry *e);

static void
key_type(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	char names[256] = "";
	size_t off = 0;
	int t;

	p->type = e;
	if (bench_type_from_name(e->value, &p->c->type) == 0)
		return;
	for (t = 0; t < PERF_TYPE_MAX && off < sizeof(names); t++)
		off += snprintf(names + off, sizeof(names) - off, "%s%s",
			t ? ", " : "", bench_type_name((enum perf_type)t));
	entry_err(ctx, p->sec, e, "unknown type '%s' (types: %s)", e->value, names);
}

static void
key_var(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e,
		enum perf_var var, uint32_t max)
{
	char msg[256];

	/* Remembered even when bad, so it is not also reported missing. */
	p->var[var] = e;
	if (parse_range(e->value, max, &p->c->var[var], msg, sizeof(msg)) < 0)
		entry_err(ctx, p->sec, e, "%s", msg);
}

static void
key_mem_size(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	/* 1 TB: beyond that the product with 1 MiB overflows nothing, but
	 * no test machine has it either.
	 */
	key_var(ctx, p, e, PERF_VAR_MEM, 1024 * 1024);
}

static void
key_buf_size(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	key_var(ctx, p, e, PERF_VAR_BUF, UINT32_MAX);
}

static void
key_ring_size(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	key_var(ctx, p, e, PERF_VAR_RING, UINT16_MAX);
	p->dma_only = p->dma_only ? p->dma_only : e;
}

static void
key_kick_batch(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	key_var(ctx, p, e, PERF_VAR_KICK, UINT16_MAX);
	p->dma_only = p->dma_only ? p->dma_only : e;
}

static void
key_numa(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e,
		int *node)
{
	uint32_t v;

	if (parse_u32_max(e->value, 1023, &v) < 0) {
		entry_err(ctx, p->sec, e, "'%s' is not a NUMA node number", e->value);
		return;
	}
	*node = (int)v;
}

static void
key_src_node(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	key_numa(ctx, p, e, &p->c->src_node);
}

static void
key_dst_node(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	key_numa(ctx, p, e, &p->c->dst_node);
}

static void
key_cache_flush(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	if (parse_flag(e->value, &p->c->cache_flush) < 0) {
		entry_err(ctx, p->sec, e, "'%s' must be 0 or 1", e->value);
		return;
	}
	p->cache_flush = e;
}

static void
key_test_seconds(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	if (parse_seconds(e->value, &p->c->test_secs) < 0) {
		entry_err(ctx, p->sec, e, "'%s' is not a duration in seconds (> 0)",
			e->value);
		return;
	}
	p->test_secs = e;
}

static void
key_sge(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e,
		uint16_t *sge, const struct ini_entry **seen)
{
	uint32_t v;

	if (parse_u32_max(e->value, PERF_MAX_SGE, &v) < 0 || v == 0) {
		entry_err(ctx, p->sec, e, "'%s' is not a segment count in 1..%d",
			e->value, PERF_MAX_SGE);
		return;
	}
	*sge = (uint16_t)v;
	*seen = e;
	p->dma_only = p->dma_only ? p->dma_only : e;
}

static void
key_src_sge(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	key_sge(ctx, p, e, &p->c->src_sge, &p->src_sge);
}

static void
key_dst_sge(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	key_sge(ctx, p, e, &p->c->dst_sge, &p->dst_sge);
}

static void
key_use_ops(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	bool on;

	if (parse_flag(e->value, &on) < 0)
		entry_err(ctx, p->sec, e, "'%s' must be 0 or 1", e->value);
	else if (on)
		entry_err(ctx, p->sec, e,
			"enqueue/dequeue ops need DPDK 24.11's dmadev, not 22.11's");
}

static void
key_eal_args(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	free(p->c->eal_args);
	p->c->eal_args = strdup(e->value);
	if (p->c->eal_args == NULL)
		entry_err(ctx, p->sec, e, "out of memory");
}

/*
 * idxp extension: app_work_cycles = N, cycles of unrelated work the DMA
 * lcore does after each burst, outside dmadev calls. Models an application
 * that has other work to do, for the app-core cost per op.
 */
static void
key_app_work(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	if (parse_u32_max(e->value, 100000000, &p->c->work_cycles) < 0)
		entry_err(ctx, p->sec, e, "'%s' is not a cycle count", e->value);
}

static void
key_skip(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	if (parse_flag(e->value, &p->c->skip) < 0)
		entry_err(ctx, p->sec, e, "'%s' must be 0 or 1", e->value);
}

/* CPU cases: "lcore = 3, 4". */
static void
key_lcore(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	struct perf_case *c = p->c;
	char *copy = strdup(e->value);
	char *tok, *save = NULL;
	bool bad = false;

	if (copy == NULL) {
		entry_err(ctx, p->sec, e, "out of memory");
		return;
	}
	p->lcore = e;
	c->nb_workers = 0;
	for (tok = strtok_r(copy, ", \t", &save); tok != NULL;
			tok = strtok_r(NULL, ", \t", &save)) {
		struct perf_worker_cfg *w = &c->workers[c->nb_workers];
		uint32_t id;

		if (c->nb_workers == PERF_MAX_WORKERS) {
			entry_err(ctx, p->sec, e, "more than %d lcores",
				PERF_MAX_WORKERS);
			bad = true;
			break;
		}
		if (parse_u32_max(tok, 1023, &id) < 0) {
			entry_err(ctx, p->sec, e, "'%s' is not an lcore id", tok);
			bad = true;
			break;
		}
		memset(w, 0, sizeof(*w));
		w->lcore = id;
		snprintf(w->key, sizeof(w->key), "lcore");
		c->nb_workers++;
	}
	if (c->nb_workers == 0 && !bad)
		entry_err(ctx, p->sec, e, "no lcore given");
	free(copy);
}

static int
parse_dir(const char *s, enum perf_dir *dir)
{
	if (strcmp(s, "mem2mem") == 0)
		*dir = PERF_DIR_MEM2MEM;
	else if (strcmp(s, "mem2dev") == 0)
		*dir = PERF_DIR_MEM2DEV;
	else if (strcmp(s, "dev2mem") == 0)
		*dir = PERF_DIR_DEV2MEM;
	else
		return -EINVAL;
	return 0;
}

/* The PCIe port parameters shared by lcore_dmaN and vchan_dev. */
static int
parse_port_param(const char *k, const char *v, struct perf_worker_cfg *w,
		char *msg, size_t len)
{
	uint32_t x;

	if (strcmp(k, "raddr") == 0) {
		char *end;

		/* Upstream reads raddr as hex with or without 0x. */
		errno = 0;
		w->raddr = strtoull(v, &end, 16);
		if (*v == '\0' || *end != '\0' || errno != 0) {
			snprintf(msg, len, "raddr '%s' is not a hex address", v);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(k, "coreid") == 0 && parse_u32_max(v, 15, &x) == 0)
		w->coreid = (uint8_t)x;
	else if (strcmp(k, "pfid") == 0 && parse_u32_max(v, UINT8_MAX, &x) == 0)
		w->pfid = (uint16_t)x;
	else if (strcmp(k, "vfid") == 0 && parse_u32_max(v, UINT16_MAX, &x) == 0)
		w->vfid = (uint16_t)x;
	else if (strcmp(k, "coreid") == 0 || strcmp(k, "pfid") == 0 ||
			strcmp(k, "vfid") == 0) {
		snprintf(msg, len, "%s '%s' is out of range", k, v);
		return -EINVAL;
	} else {
		snprintf(msg, len, "unknown parameter '%s'", k);
		return -ENOENT;
	}
	return 0;
}

static int
parse_worker_param(const char *k, const char *v, struct perf_worker_cfg *w,
		char *msg, size_t len)
{
	uint32_t x;

	if (strcmp(k, "lcore") == 0) {
		if (parse_u32_max(v, 1023, &x) < 0) {
			snprintf(msg, len, "lcore '%s' is not an lcore id", v);
			return -EINVAL;
		}
		w->lcore = x;
	} else if (strcmp(k, "dev") == 0) {
		if (*v == '\0' || strlen(v) >= sizeof(w->dev)) {
			snprintf(msg, len, "dev '%s' is not a device name", v);
			return -EINVAL;
		}
		snprintf(w->dev, sizeof(w->dev), "%s", v);
	} else if (strcmp(k, "dir") == 0) {
		if (parse_dir(v, &w->dir) < 0) {
			snprintf(msg, len, "dir '%s' must be mem2mem, mem2dev or dev2mem",
				v);
			return -EINVAL;
		}
	} else {
		return parse_port_param(k, v, w, msg, len);
	}
	return 0;
}

/* "lcore=10,dev=0000:00:04.1,dir=mem2mem[,raddr=..,coreid=..,pfid=..,vfid=..]" */
static int
parse_lcore_dma(const char *value, struct perf_worker_cfg *w, char *msg,
		size_t len)
{
	char *copy = strdup(value);
	char *f[16];
	bool has_lcore = false;
	int i, n, ret = 0;

	if (copy == NULL)
		return -ENOMEM;
	memset(w, 0, sizeof(*w));
	n = split(copy, ',', f, DIM(f));
	if (n < 0) {
		snprintf(msg, len, "too many parameters");
		ret = -EINVAL;
	}
	for (i = 0; ret == 0 && i < n; i++) {
		char *eq = strchr(f[i], '=');

		if (eq == NULL) {
			snprintf(msg, len, "'%s' is not key=value", f[i]);
			ret = -EINVAL;
			break;
		}
		*eq = '\0';
		has_lcore |= strcmp(trim(f[i]), "lcore") == 0;
		ret = parse_worker_param(trim(f[i]), trim(eq + 1), w, msg, len);
	}
	if (ret == 0 && (!has_lcore || w->dev[0] == '\0')) {
		snprintf(msg, len, "needs both lcore= and dev=");
		ret = -EINVAL;
	}
	free(copy);
	return ret;
}

static int
lcore_dma_index(const char *key, unsigned int *idx)
{
	const char *digits = key + strlen("lcore_dma");
	uint32_t v;

	if (strncmp(key, "lcore_dma", strlen("lcore_dma")) != 0 || *digits == '\0')
		return -ENOENT;
	if (parse_u32_max(digits, 9999, &v) < 0)
		return -ENOENT;
	*idx = v;
	return 0;
}

/* lcore_dmaN entries are collected here and sorted by N at the end. */
static void
key_lcore_dma_n(struct cfg_ctx *ctx, struct case_parse *p,
		const struct ini_entry *e, unsigned int idx)
{
	if (p->nb_lcore_dma == PERF_MAX_WORKERS) {
		entry_err(ctx, p->sec, e, "more than %d lcore_dma entries",
			PERF_MAX_WORKERS);
		return;
	}
	p->lcore_dma_idx[p->nb_lcore_dma] = idx;
	p->lcore_dma[p->nb_lcore_dma++] = e;
}

/* 23.07 form: "lcore10@0000:00:04.2, lcore11@0000:00:04.3" */
static void
key_lcore_dma_legacy(struct cfg_ctx *ctx, struct case_parse *p,
		const struct ini_entry *e)
{
	struct perf_case *c = p->c;
	char *copy = strdup(e->value);
	char *f[PERF_MAX_WORKERS + 1];
	int i, n;

	if (copy == NULL) {
		entry_err(ctx, p->sec, e, "out of memory");
		return;
	}
	p->lcore_dma_legacy = e;
	n = split(copy, ',', f, DIM(f));
	if (n < 0 || n > PERF_MAX_WORKERS)
		entry_err(ctx, p->sec, e, "more than %d entries", PERF_MAX_WORKERS);
	for (i = 0; i < n && i < PERF_MAX_WORKERS; i++) {
		struct perf_worker_cfg *w = &c->workers[i];
		char *at = strchr(f[i], '@');
		uint32_t id;

		memset(w, 0, sizeof(*w));
		if (at == NULL || strncmp(f[i], "lcore", 5) != 0) {
			entry_err(ctx, p->sec, e, "'%s' is not lcoreN@device", f[i]);
			break;
		}
		*at = '\0';
		if (parse_u32_max(trim(f[i] + 5), 1023, &id) < 0 ||
				*trim(at + 1) == '\0' ||
				strlen(trim(at + 1)) >= sizeof(w->dev)) {
			entry_err(ctx, p->sec, e, "'%s@%s' is not lcoreN@device",
				f[i], at + 1);
			break;
		}
		w->lcore = id;
		snprintf(w->dev, sizeof(w->dev), "%s", trim(at + 1));
		snprintf(w->key, sizeof(w->key), "lcore_dma");
		c->nb_workers = i + 1;
	}
	free(copy);
}

/* 23.11: case-wide "direction" and "vchan_dev" for the lcore_dma= form. */
static void
key_direction(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	if (parse_dir(e->value, &p->legacy_dir) < 0) {
		entry_err(ctx, p->sec, e, "'%s' must be mem2mem, mem2dev or dev2mem",
			e->value);
		return;
	}
	p->direction = e;
}

static void
key_vchan_dev(struct cfg_ctx *ctx, struct case_parse *p, const struct ini_entry *e)
{
	char *copy = strdup(e->value);
	char *f[8], msg[256];
	int i, n;

	if (copy == NULL) {
		entry_err(ctx, p->sec, e, "out of memory");
		return;
	}
	p->vchan_dev = e;
	n = split(copy, ',', f, DIM(f));
	for (i = 0; i < n; i++) {
		char *eq = strchr(f[i], '=');

		if (eq == NULL) {
			entry_err(ctx, p->sec, e, "'%s' is not key=value", f[i]);
			break;
		}
		*eq = '\0';
		if (parse_port_param(trim(f[i]), trim(eq + 1), &p->legacy_port,
				msg, sizeof(msg)) < 0) {
			entry_err(ctx, p->sec, e, "%s", msg);
			break;
		}
	}
	if (n < 0)
		entry_err(ctx, p->sec, e, "too many parameters");
	free(copy);
}

static const struct {
	const char *key;
	case_key_fn fn;
} case_keys[] = {
	{ "type", key_type },
	{ "mem_size", key_mem_size },
	{ "buf_size", key_buf_size },
	{ "dma_ring_size", key_ring_size },
	{ "kick_batch", key_kick_batch },
	{ "src_numa_node", key_src_node },
	{ "dst_numa_node", key_dst_node },
	{ "cache_flush", key_cache_flush },
	{ "test_seconds", key_test_seconds },
	{ "lcore", key_lcore },
	{ "lcore_dma", key_lcore_dma_legacy },
	{ "direction", key_direction },
	{ "vchan_dev", key_vchan_dev },
	{ "dma_src_sge", key_src_sge },
	{ "dma_dst_sge", key_dst_sge },
	{ "use_enq_deq_ops", key_use_ops },
	{ "eal_args", key_eal_args },
	{ "skip", key_skip },
	{ "app_work_cycles", key_app_work },
};

static case_key_fn
case_key_lookup(const char *key)
{
	size_t i;

	for (i = 0; i < DIM(case_keys); i++)
		if (strcmp(case_keys[i].key, key) == 0)
			return case_keys[i].fn;
	return NULL;
}

static bool
duplicate_key(struct cfg_ctx *ctx, const struct ini_section *sec,
		unsigned int i)
{
	unsigned int j;

	for (j = 0; j < i; j++) {
		if (strcmp(sec->entries[j].key, sec->entries[i].key) == 0) {
			entry_err(ctx, sec, &sec->entries[i],
				"already set at line %u", sec->entries[j].line);
			return true;
		}
	}
	return false;
}

static void
case_dispatch(struct cfg_ctx *ctx, struct case_parse *p,
		const struct ini_entry *e)
{
	case_key_fn fn = case_key_lookup(e->key);
	unsigned int idx;

	if (fn != NULL)
		fn(ctx, p, e);
	else if (lcore_dma_index(e->key, &idx) == 0)
		key_lcore_dma_n(ctx, p, e, idx);
	else
		entry_err(ctx, p->sec, e, "unknown key");
}

/* ---- case validation ---- */

static void
case_err(struct cfg_ctx *ctx, const struct case_parse *p,
		const struct ini_entry *e, const char *key, const char *msg)
{
	cfg_err(ctx, e != NULL ? e->line : p->sec->line, p->sec->name,
		e != NULL ? e->key : key, "%s", msg);
}

static void
case_lcore_dma_sorted(struct cfg_ctx *ctx, struct case_parse *p)
{
	struct perf_case *c = p->c;
	unsigned int i, j;
	char msg[256];

	/* Insertion sort by N: tiny arrays. */
	for (i = 1; i < p->nb_lcore_dma; i++) {
		for (j = i; j > 0 && p->lcore_dma_idx[j - 1] > p->lcore_dma_idx[j]; j--) {
			unsigned int t = p->lcore_dma_idx[j];
			const struct ini_entry *e = p->lcore_dma[j];

			p->lcore_dma_idx[j] = p->lcore_dma_idx[j - 1];
			p->lcore_dma[j] = p->lcore_dma[j - 1];
			p->lcore_dma_idx[j - 1] = t;
			p->lcore_dma[j - 1] = e;
		}
	}
	for (i = 0; i < p->nb_lcore_dma; i++) {
		struct perf_worker_cfg *w = &c->workers[i];
		const struct ini_entry *e = p->lcore_dma[i];

		if (parse_lcore_dma(e->value, w, msg, sizeof(msg)) < 0) {
			entry_err(ctx, p->sec, e, "%s", msg);
			continue;
		}
		snprintf(w->key, sizeof(w->key), "%s", e->key);
	}
	c->nb_workers = p->nb_lcore_dma;
}

static void
case_workers_dma(struct cfg_ctx *ctx, struct case_parse *p)
{
	struct perf_case *c = p->c;
	unsigned int i;

	if (p->lcore != NULL)
		entry_warn(ctx, p->sec, p->lcore, "ignored for %s",
			bench_type_name(c->type));
	if (p->nb_lcore_dma != 0 && p->lcore_dma_legacy != NULL) {
		case_err(ctx, p, p->lcore_dma_legacy, NULL,
			"use either lcore_dma= or lcore_dmaN=, not both");
		return;
	}
	if (p->nb_lcore_dma != 0) {
		/* 24.03 moved these into each lcore_dmaN. */
		if (p->direction != NULL)
			entry_warn(ctx, p->sec, p->direction, "ignored with lcore_dmaN (use dir=)");
		if (p->vchan_dev != NULL)
			entry_warn(ctx, p->sec, p->vchan_dev, "ignored with lcore_dmaN");
		case_lcore_dma_sorted(ctx, p);
		return;
	}
	if (p->lcore_dma_legacy == NULL) {
		case_err(ctx, p, NULL, "lcore_dma0",
			"missing: DMA cases need lcore_dma0=lcore=N,dev=NAME");
		return;
	}
	for (i = 0; i < c->nb_workers; i++) {
		struct perf_worker_cfg *w = &c->workers[i];

		w->dir = p->legacy_dir;
		w->raddr = p->legacy_port.raddr;
		w->coreid = p->legacy_port.coreid;
		w->pfid = p->legacy_port.pfid;
		w->vfid = p->legacy_port.vfid;
	}
}

static void
case_workers_cpu(struct cfg_ctx *ctx, struct case_parse *p)
{
	if (p->dma_only != NULL)
		entry_warn(ctx, p->sec, p->dma_only, "ignored for %s",
			bench_type_name(p->c->type));
	if (p->nb_lcore_dma != 0 || p->lcore_dma_legacy != NULL)
		entry_warn(ctx, p->sec, p->nb_lcore_dma ? p->lcore_dma[0] :
			p->lcore_dma_legacy, "ignored for %s",
			bench_type_name(p->c->type));
	if (p->lcore == NULL)
		case_err(ctx, p, NULL, "lcore",
			"missing: CPU cases need lcore=N[,N...]");
}

/* The entry of a worker's key, for its line number. */
static const struct ini_entry *
find_entry(const struct ini_section *sec, const char *key)
{
	unsigned int i;

	for (i = 0; i < sec->nb_entries; i++)
		if (strcmp(sec->entries[i].key, key) == 0)
			return &sec->entries[i];
	return NULL;
}

static void
case_workers_check(struct cfg_ctx *ctx, struct case_parse *p)
{
	const struct perf_case *c = p->c;
	unsigned int i, j;
	char msg[256];

	for (i = 0; i < c->nb_workers; i++) {
		const struct perf_worker_cfg *w = &c->workers[i];

		for (j = 0; j < i; j++) {
			const struct perf_worker_cfg *o = &c->workers[j];

			if (o->lcore == w->lcore) {
				snprintf(msg, sizeof(msg), "lcore %u is used twice%s%s",
					w->lcore, strcmp(o->key, w->key) ? ", also by " : "",
					strcmp(o->key, w->key) ? o->key : "");
				case_err(ctx, p, find_entry(p->sec, w->key), w->key, msg);
			}
			if (w->dev[0] != '\0' && strcmp(o->dev, w->dev) == 0) {
				snprintf(msg, sizeof(msg),
					"device %s is used twice%s%s (one lcore per device)",
					w->dev, strcmp(o->key, w->key) ? ", also by " : "",
					strcmp(o->key, w->key) ? o->key : "");
				case_err(ctx, p, find_entry(p->sec, w->key), w->key, msg);
			}
		}
		if (w->dir != PERF_DIR_MEM2MEM && w->raddr == 0) {
			snprintf(msg, sizeof(msg), "%s needs raddr=",
				w->dir == PERF_DIR_MEM2DEV ? "mem2dev" : "dev2mem");
			case_err(ctx, p, find_entry(p->sec, w->key), w->key, msg);
		}
		if (w->dir != PERF_DIR_MEM2MEM && c->src_sge != 0) {
			case_err(ctx, p, p->src_sge, NULL,
				"scatter-gather is only for mem2mem");
		}
	}
}

static void
case_sge_check(struct cfg_ctx *ctx, struct case_parse *p)
{
	if ((p->src_sge == NULL) != (p->dst_sge == NULL))
		case_err(ctx, p, p->src_sge ? p->src_sge : p->dst_sge, NULL,
			"dma_src_sge and dma_dst_sge go together");
}

/* Expand the range into c->values; returns how many. */
static int
range_expand(const struct perf_range *r, uint32_t *vals, unsigned int max,
		char *msg, size_t len)
{
	uint64_t v = r->first;
	unsigned int n = 0;

	if (r->op == PERF_OP_NONE) {
		vals[0] = r->first;
		return 1;
	}
	if (r->first > r->last) {
		snprintf(msg, len, "first %u is above last %u", r->first, r->last);
		return -EINVAL;
	}
	if (r->op == PERF_OP_ADD && r->incr == 0) {
		snprintf(msg, len, "ADD needs an increment above 0");
		return -EINVAL;
	}
	if (r->op == PERF_OP_MUL && (r->incr < 2 || r->first == 0)) {
		snprintf(msg, len, "MUL needs first above 0 and an increment above 1");
		return -EINVAL;
	}
	while (v <= r->last) {
		if (n == max) {
			snprintf(msg, len, "more than %u values", max);
			return -E2BIG;
		}
		vals[n++] = (uint32_t)v;
		v = r->op == PERF_OP_ADD ? v + r->incr : v * r->incr;
	}
	return (int)n;
}

/* Finds the varying variable and its values; false if any is unusable. */
static bool
case_vars(struct cfg_ctx *ctx, struct case_parse *p)
{
	struct perf_case *c = p->c;
	bool dma = bench_type_uses_dma(c->type);
	enum perf_var v, nv = PERF_VAR_MAX;
	bool ok = true;
	char msg[256];
	int n;

	for (v = 0; v < PERF_VAR_MAX; v++) {
		bool needed = v <= PERF_VAR_BUF || dma;

		if (!needed) {
			c->var[v].first = 0;
			continue;
		}
		if (!c->var[v].set) {
			/* Present but bad was reported by its parser. */
			if (p->var[v] == NULL)
				case_err(ctx, p, NULL, var_names[v], "missing");
			ok = false;
			continue;
		}
		if (c->var[v].op == PERF_OP_NONE)
			continue;
		if (nv != PERF_VAR_MAX) {
			snprintf(msg, sizeof(msg),
				"only one variable may vary per case; %s varies too",
				var_names[nv]);
			case_err(ctx, p, p->var[v], NULL, msg);
			ok = false;
			continue;
		}
		nv = v;
	}
	c->varying = nv;
	c->nb_scenarios = 1;
	if (nv == PERF_VAR_MAX || !ok)
		return ok;
	n = range_expand(&c->var[nv], c->values, PERF_MAX_SCENARIOS, msg,
		sizeof(msg));
	if (n < 0) {
		case_err(ctx, p, p->var[nv], NULL, msg);
		return false;
	}
	c->nb_scenarios = (unsigned int)n;
	return true;
}

/* Checks every run's values, so a bad one fails before anything runs. */
static void
case_points_check(struct cfg_ctx *ctx, struct case_parse *p)
{
	const struct perf_case *c = p->c;
	bool dma = bench_type_uses_dma(c->type);
	struct perf_point pt;
	unsigned int i;
	uint16_t sge = c->src_sge > c->dst_sge ? c->src_sge : c->dst_sge;
	char msg[256];

	for (i = 0; i < c->nb_scenarios; i++) {
		const struct ini_entry *e = NULL;

		config_point(c, i, &pt);
		msg[0] = '\0';
		if (pt.buf_size == 0) {
			e = p->var[PERF_VAR_BUF];
			snprintf(msg, sizeof(msg), "must be above 0");
		} else if (pt.mem_mb == 0) {
			e = p->var[PERF_VAR_MEM];
			snprintf(msg, sizeof(msg), "must be above 0");
		} else if (config_nr_buf(&pt) < c->nb_workers) {
			e = p->var[PERF_VAR_MEM];
			snprintf(msg, sizeof(msg),
				"%u MB holds %u src+dst pairs of %u B, not one per lcore (%u)",
				pt.mem_mb, config_nr_buf(&pt), pt.buf_size,
				c->nb_workers);
		} else if (dma && (pt.ring_size < 2 ||
				(pt.ring_size & (pt.ring_size - 1)) != 0)) {
			e = p->var[PERF_VAR_RING];
			snprintf(msg, sizeof(msg), "%u is not a power of two",
				pt.ring_size);
		} else if (dma && pt.kick_batch == 0) {
			e = p->var[PERF_VAR_KICK];
			snprintf(msg, sizeof(msg), "must be above 0");
		} else if (dma && sge != 0 && pt.buf_size < sge) {
			e = p->var[PERF_VAR_BUF];
			snprintf(msg, sizeof(msg),
				"%u B cannot be split into %u segments",
				pt.buf_size, sge);
		}
		if (msg[0] != '\0') {
			case_err(ctx, p, e, NULL, msg);
			return;
		}
	}
}

static void
case_defaults(struct perf_case *c, const struct ini_section *sec)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", sec->name);
	c->line = sec->line;
	c->type = PERF_TYPE_MAX;
	c->src_node = -1;
	c->dst_node = -1;
	c->varying = PERF_VAR_MAX;
}

static void
case_apply_global(struct case_parse *p, const struct global_parse *g)
{
	if (p->cache_flush == NULL && g->has_cache_flush)
		p->c->cache_flush = g->cache_flush;
	/* Upstream's sample uses 2 s; a case without any value gets that. */
	if (p->test_secs == NULL)
		p->c->test_secs = g->has_test_secs ? g->test_secs : 2.0;
}

static void
case_parse_section(struct cfg_ctx *ctx, const struct ini_section *sec,
		const struct global_parse *g, struct perf_case *c)
{
	struct case_parse p = { .c = c, .sec = sec };
	unsigned int i;

	case_defaults(c, sec);
	for (i = 0; i < sec->nb_entries; i++) {
		const struct ini_entry *e = &sec->entries[i];

		if (duplicate_key(ctx, sec, i))
			continue;
		/* Skipped cases are only checked for spelling, as upstream
		 * does not read them at all.
		 */
		if (strcmp(e->key, "skip") == 0)
			key_skip(ctx, &p, e);
	}
	for (i = 0; i < sec->nb_entries; i++) {
		const struct ini_entry *e = &sec->entries[i];

		if (strcmp(e->key, "skip") == 0)
			continue;
		if (c->skip) {
			unsigned int idx;

			if (case_key_lookup(e->key) == NULL &&
					lcore_dma_index(e->key, &idx) < 0)
				entry_err(ctx, sec, e, "unknown key");
			continue;
		}
		case_dispatch(ctx, &p, e);
	}
	if (c->skip)
		return;
	case_apply_global(&p, g);
	if (p.type == NULL)
		case_err(ctx, &p, NULL, "type", "missing");
	if (c->type == PERF_TYPE_MAX)
		return;
	if (bench_type_uses_dma(c->type))
		case_workers_dma(ctx, &p);
	else
		case_workers_cpu(ctx, &p);
	case_sge_check(ctx, &p);
	case_workers_check(ctx, &p);
	if (case_vars(ctx, &p))
		case_points_check(ctx, &p);
}

/* ---- GLOBAL section ---- */

static void
global_parse_section(struct cfg_ctx *ctx, const struct ini_section *sec,
		struct perf_config *cfg, struct global_parse *g)
{
	unsigned int i;

	for (i = 0; i < sec->nb_entries; i++) {
		const struct ini_entry *e = &sec->entries[i];

		if (duplicate_key(ctx, sec, i))
			continue;
		if (strcmp(e->key, "eal_args") == 0) {
			cfg->eal_args = strdup(e->value);
			if (cfg->eal_args == NULL)
				entry_err(ctx, sec, e, "out of memory");
		} else if (strcmp(e->key, "cache_flush") == 0) {
			if (parse_flag(e->value, &g->cache_flush) < 0)
				entry_err(ctx, sec, e, "'%s' must be 0 or 1", e->value);
			g->has_cache_flush = true;
		} else if (strcmp(e->key, "test_seconds") == 0) {
			if (parse_seconds(e->value, &g->test_secs) < 0)
				entry_err(ctx, sec, e,
					"'%s' is not a duration in seconds (> 0)",
					e->value);
			g->has_test_secs = true;
		} else {
			entry_err(ctx, sec, e,
				"unknown key (GLOBAL takes eal_args, cache_flush, test_seconds)");
		}
	}
}

static bool
is_case_section(const char *name)
{
	const char *d = name + 4;

	if (strncmp(name, "case", 4) != 0 || *d == '\0')
		return false;
	for (; *d != '\0'; d++)
		if (!isdigit((unsigned char)*d))
			return false;
	return true;
}

static void
config_sections(struct cfg_ctx *ctx, const struct ini_file *ini,
		struct perf_config *cfg)
{
	struct global_parse g = { 0 };
	unsigned int i;

	for (i = 0; i < ini->nb_sections; i++)
		if (strcmp(ini->sections[i].name, GLOBAL_SECTION) == 0 &&
				!ini->sections[i].duplicate)
			global_parse_section(ctx, &ini->sections[i], cfg, &g);
	for (i = 0; i < ini->nb_sections; i++) {
		const struct ini_section *sec = &ini->sections[i];

		if (strcmp(sec->name, GLOBAL_SECTION) == 0 || sec->duplicate)
			continue;
		if (!is_case_section(sec->name)) {
			cfg_err(ctx, sec->line, sec->name, NULL,
				"unknown section (expected [GLOBAL] or [caseN])");
			continue;
		}
		case_parse_section(ctx, sec, &g, &cfg->cases[cfg->nb_cases++]);
	}
	if (cfg->nb_cases == 0 && ctx->errors == 0)
		cfg_err(ctx, 1, NULL, NULL, "no [caseN] section");
}

int
config_load(const char *path, struct perf_config *cfg)
{
	struct cfg_ctx ctx = { .path = path };
	struct ini_file ini = { 0 };
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	cfg->path = path;
	ret = ini_read(&ctx, &ini);
	/* Go on after syntax errors: one run reports every mistake. */
	if (ret == 0) {
		cfg->cases = calloc(ini.nb_sections + 1, sizeof(*cfg->cases));
		if (cfg->cases == NULL)
			ret = -ENOMEM;
		else
			config_sections(&ctx, &ini, cfg);
	}
	ini_free(&ini);
	if (ret == 0 && ctx.errors != 0) {
		fprintf(stderr, "idxp-dma-perf: %s: %u error%s\n", path,
			ctx.errors, ctx.errors == 1 ? "" : "s");
		ret = -EINVAL;
	}
	if (ret < 0)
		config_free(cfg);
	return ret;
}

void
config_free(struct perf_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->nb_cases; i++)
		free(cfg->cases[i].eal_args);
	free(cfg->cases);
	free(cfg->eal_args);
	memset(cfg, 0, sizeof(*cfg));
}

void
config_point(const struct perf_case *c, unsigned int idx,
		struct perf_point *pt)
{
	uint32_t v[PERF_VAR_MAX];
	enum perf_var i;

	for (i = 0; i < PERF_VAR_MAX; i++)
		v[i] = c->var[i].first;
	if (c->varying != PERF_VAR_MAX && idx < c->nb_scenarios)
		v[c->varying] = c->values[idx];
	pt->mem_mb = v[PERF_VAR_MEM];
	pt->buf_size = v[PERF_VAR_BUF];
	pt->ring_size = v[PERF_VAR_RING];
	pt->kick_batch = v[PERF_VAR_KICK];
}

/* As upstream: mem_size covers the source and the destination buffers. */
uint32_t
config_nr_buf(const struct perf_point *pt)
{
	uint64_t n;

	if (pt->buf_size == 0)
		return 0;
	n = ((uint64_t)pt->mem_mb << 20) / ((uint64_t)pt->buf_size * 2);
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}
