/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * run copy|fill: drive a vchan with a stream of ops, optionally check
 * every byte they wrote, and report throughput and errors by status.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_pause.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>

#include <rte_pmd_idxp.h>

#include "app_util.h"
#include "cli.h"

/* Memory for each of the source and destination buffer sets. */
#define RUN_BUF_BUDGET		(32u << 20)
#define RUN_CPL_MAX		256u
#define RUN_PROGRESS_PER_S	4u
/* With ops in flight and nothing completing for this long, give up. */
#define RUN_STALL_S		5u
/* Bounds one rte_pmd_idxp_wait() so progress and Ctrl-C stay live. */
#define RUN_WAIT_MS		100
#define RUN_MAX_SECONDS		86400u
#define RUN_FILL_PATTERN	0x5a5a5a5a5a5a5a5aull
/* Descriptors of the vchan run sets up on an unconfigured device. */
#define RUN_DEFAULT_DESC	1024u

/* Slots of the error breakdown: every status up to PAGE_FAULT, then other. */
#define RUN_NB_STATUS		(RTE_DMA_STATUS_PAGE_FAULT + 2)

static const char *const run_status_names[RUN_NB_STATUS] = {
	"RTE_DMA_STATUS_SUCCESSFUL",
	"RTE_DMA_STATUS_USER_ABORT",
	"RTE_DMA_STATUS_NOT_ATTEMPTED",
	"RTE_DMA_STATUS_INVALID_SRC_ADDR",
	"RTE_DMA_STATUS_INVALID_DST_ADDR",
	"RTE_DMA_STATUS_INVALID_ADDR",
	"RTE_DMA_STATUS_INVALID_LENGTH",
	"RTE_DMA_STATUS_INVALID_OPCODE",
	"RTE_DMA_STATUS_BUS_READ_ERROR",
	"RTE_DMA_STATUS_BUS_WRITE_ERROR",
	"RTE_DMA_STATUS_BUS_ERROR",
	"RTE_DMA_STATUS_DATA_POISION",
	"RTE_DMA_STATUS_DESCRIPTOR_READ_ERROR",
	"RTE_DMA_STATUS_DEV_LINK_ERROR",
	"RTE_DMA_STATUS_PAGE_FAULT",
	"RTE_DMA_STATUS_ERROR_UNKNOWN (or other)",
};

struct run_cfg {
	int16_t dev_id;
	uint16_t vchan;
	bool fill;
	uint32_t size;
	uint64_t count;		/* 0: run for seconds */
	uint64_t seconds;
	uint16_t burst;
	bool verify;
	bool intr;
};

/* One source and one destination slot per op in flight. */
struct run_bufs {
	struct app_bufs src;
	struct app_bufs dst;
	uint32_t slots;		/* power of two: slot = seq & (slots - 1) */
};

struct run {
	struct run_cfg cfg;
	struct run_bufs b;
	uint64_t enq;		/* ops enqueued */
	uint64_t done;		/* ops completed, good or bad */
	uint64_t ok;
	uint64_t verify_bad;
	uint64_t idx_bad;	/* completions whose ring index was not the next */
	uint64_t errors[RUN_NB_STATUS];
	uint16_t base_idx;	/* ring index of the first op */
	bool stopping;		/* enqueue no more, drain */
	bool stalled;		/* gave up waiting: ops still in flight */
	bool user_stop;		/* q, Ctrl-C or a signal: not a failure */
	bool poll_only;		/* the interrupt wait failed: poll to drain */
	bool progress_shown;
	char why[160];		/* first reason the run ended early */
	uint64_t hz;
	uint64_t t_start;
	uint64_t t_deadline;
	uint64_t t_progress;
	uint64_t t_last_cpl;
};

static void run_abort(struct run *r, const char *fmt, ...)
	__rte_format_printf(2, 3);

static void
run_abort(struct run *r, const char *fmt, ...)
{
	va_list ap;

	r->stopping = true;
	if (r->why[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

/* ---- data patterns: distinct per op so stale data never verifies ---- */

static uint64_t
run_seed(uint64_t seq)
{
	uint64_t z = seq + 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void
run_pattern_write(uint8_t *p, uint32_t size, uint64_t seed)
{
	uint32_t i, words = size / 8;
	uint64_t w;

	for (i = 0; i < words; i++) {
		w = seed + i * 0x9e3779b97f4a7c15ull;
		memcpy(p + i * 8, &w, 8);
	}
	w = seed + words * 0x9e3779b97f4a7c15ull;
	memcpy(p + words * 8, &w, size % 8);
}

/* A fill repeats the 8-byte pattern in memory order, tail included. */
static bool
run_fill_matches(const uint8_t *p, uint32_t size, uint64_t pattern)
{
	uint32_t i, words = size / 8;
	uint64_t w;

	for (i = 0; i < words; i++) {
		memcpy(&w, p + i * 8, 8);
		if (w != pattern)
			return false;
	}
	return memcmp(p + words * 8, &pattern, size % 8) == 0;
}

/* ---- buffers ---- */

static void
run_bufs_free(struct run_bufs *b)
{
	app_bufs_free(&b->src);
	app_bufs_free(&b->dst);
}

static int
run_bufs_alloc(struct run_bufs *b, const struct run_cfg *cfg, uint32_t slots)
{
	struct rte_dma_info info;
	int socket = SOCKET_ID_ANY;
	bool sva = false;

	if (rte_dma_info_get(cfg->dev_id, &info) == 0) {
		socket = info.numa_node >= 0 ? info.numa_node : SOCKET_ID_ANY;
		sva = (info.dev_capa & RTE_DMA_CAPA_SVA) != 0;
	}
	b->slots = slots;
	if (app_bufs_alloc(&b->src, slots, cfg->size, socket, sva) < 0 ||
			app_bufs_alloc(&b->dst, slots, cfg->size, socket, sva) < 0) {
		cli_err("cannot set up 2 x %u run buffers of %u B: see the line above",
			slots, cfg->size);
		run_bufs_free(b);
		return -1;
	}
	return 0;
}

/*
 * Ops in flight: bounded by the free ring space, the memory budget and,
 * for a counted run, the count; a power of two for the slot mask.
 */
static uint32_t
run_window(const struct run_cfg *cfg, uint16_t capacity)
{
	size_t stride = RTE_ALIGN_CEIL((size_t)cfg->size, RTE_CACHE_LINE_SIZE);
	uint64_t w = capacity;

	w = RTE_MIN(w, (uint64_t)(RUN_BUF_BUDGET / stride));
	if (cfg->count != 0 && cfg->count < w)
		w = cfg->count;
	if (w == 0)
		w = 1;
	return rte_align32prevpow2((uint32_t)w);
}

/* ---- the loop ---- */

static uint64_t
run_fill_pattern(const struct run *r, uint64_t seq)
{
	return r->cfg.verify ? run_seed(seq) : RUN_FILL_PATTERN;
}

static int
run_enqueue_one(struct run *r)
{
	const struct run_cfg *c = &r->cfg;
	uint32_t slot = r->enq & (r->b.slots - 1);
	int ret;

	if (c->fill) {
		ret = rte_dma_fill(c->dev_id, c->vchan,
			run_fill_pattern(r, r->enq), r->b.dst.iova[slot],
			c->size, 0);
	} else {
		if (c->verify)
			run_pattern_write(r->b.src.va[slot], c->size,
				run_seed(r->enq));
		ret = rte_dma_copy(c->dev_id, c->vchan, r->b.src.iova[slot],
			r->b.dst.iova[slot], c->size, 0);
	}
	if (ret < 0)
		return ret;
	if (r->enq == 0)
		r->base_idx = ret;
	r->enq++;
	return 0;
}

/* Ops the next burst should hold; 0 when the run has enqueued them all. */
static uint32_t
run_burst_want(const struct run *r)
{
	if (r->stopping)
		return 0;
	if (r->cfg.count == 0)
		return r->cfg.burst;
	return RTE_MIN((uint64_t)r->cfg.burst, r->cfg.count - r->enq);
}

static bool
run_can_enqueue(const struct run *r)
{
	uint32_t want = run_burst_want(r);

	return want > 0 && r->b.slots - (r->enq - r->done) >= want;
}

static void
run_enqueue(struct run *r)
{
	uint32_t i, want = run_burst_want(r);
	int ret = 0;

	if (!run_can_enqueue(r))
		return;
	for (i = 0; i < want; i++) {
		ret = run_enqueue_one(r);
		if (ret < 0)
			break;
	}
	/* Submit even a partial burst: enqueued ops must complete to drain. */
	if (i > 0) {
		int sret = rte_dma_submit(r->cfg.dev_id, r->cfg.vchan);

		if (sret < 0)
			run_abort(r, "rte_dma_submit failed: %s", strerror(-sret));
	}
	/* -ENOSPC: the ring is fuller than it said; collect and retry. */
	if (ret == -ENOSPC && r->enq == r->done)
		run_abort(r, "the ring is full with no op of this run in flight");
	else if (ret < 0 && ret != -ENOSPC)
		run_abort(r, "enqueue failed: %s", strerror(-ret));
	if (r->cfg.count != 0 && r->enq == r->cfg.count)
		r->stopping = true;
}

static bool
run_op_verifies(const struct run *r, uint64_t seq)
{
	uint32_t slot = seq & (r->b.slots - 1);
	const uint8_t *dst = r->b.dst.va[slot];

	if (r->cfg.fill)
		return run_fill_matches(dst, r->cfg.size,
			run_fill_pattern(r, seq));
	return memcmp(dst, r->b.src.va[slot], r->cfg.size) == 0;
}

static void
run_account(struct run *r, uint64_t seq, enum rte_dma_status_code st)
{
	if (st != RTE_DMA_STATUS_SUCCESSFUL) {
		r->errors[(unsigned int)st < RUN_NB_STATUS - 1 ?
			(unsigned int)st : RUN_NB_STATUS - 1]++;
		return;
	}
	r->ok++;
	if (r->cfg.verify && !run_op_verifies(r, seq))
		r->verify_bad++;
}

static uint16_t
run_collect(struct run *r)
{
	enum rte_dma_status_code st[RUN_CPL_MAX];
	uint64_t in_flight = r->enq - r->done;
	uint16_t i, n, last_idx = 0;

	if (in_flight == 0)
		return 0;
	n = rte_dma_completed_status(r->cfg.dev_id, r->cfg.vchan,
		(uint16_t)RTE_MIN(in_flight, (uint64_t)RUN_CPL_MAX),
		&last_idx, st);
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		run_account(r, r->done + i, st[i]);
	/* Completions come in order: the last must be the n-th next op. */
	if (last_idx != (uint16_t)(r->base_idx + r->done + n - 1))
		r->idx_bad++;
	r->done += n;
	r->t_last_cpl = rte_get_timer_cycles();
	return n;
}

/* Nothing completed: sleep on the interrupt or spin, as the vchan says. */
static void
run_idle(struct run *r)
{
	int ret;

	if (r->enq == r->done || run_can_enqueue(r))
		return;
	if (!r->cfg.intr || r->poll_only) {
		rte_pause();
		return;
	}
	ret = rte_pmd_idxp_wait(r->cfg.dev_id, r->cfg.vchan, RUN_WAIT_MS);
	if (ret >= 0 || ret == -EINTR)
		return;
	run_abort(r, "rte_pmd_idxp_wait failed: %s%s", strerror(-ret),
		ret == -EIO ? " (device halted)" : "");
	r->poll_only = true;
}

static double
run_elapsed(const struct run *r, uint64_t now)
{
	return (double)(now - r->t_start) / r->hz;
}

static void
run_progress(struct run *r, uint64_t now)
{
	double s = run_elapsed(r, now);
	uint64_t errs = r->done - r->ok;

	if (s <= 0)
		return;
	printf("\r  %6.1f s  %12" PRIu64 " ops  %8.3f GB/s  %8.3f Mops/s  errors %" PRIu64 "   ",
		s, r->done, (double)r->ok * r->cfg.size / s / 1e9,
		r->done / s / 1e6, errs + r->verify_bad);
	fflush(stdout);
	r->progress_shown = true;
}

/* In the prompt the terminal is raw: Ctrl-C and q arrive as bytes. */
static bool
run_key_stop(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	char c;

	if (!cli_interactive || poll(&pfd, 1, 0) <= 0)
		return false;
	return read(STDIN_FILENO, &c, 1) == 1 &&
		(c == 3 || c == 'q' || c == 'Q');
}

static void
run_tick(struct run *r)
{
	uint64_t now = rte_get_timer_cycles();

	if (now - r->t_progress >= r->hz / RUN_PROGRESS_PER_S) {
		r->t_progress = now;
		run_progress(r, now);
		if (run_key_stop())
			r->user_stop = true;
	}
	if (cli_stop)
		r->user_stop = true;
	if (r->user_stop)
		r->stopping = true;
	if (r->cfg.count == 0 && now >= r->t_deadline)
		r->stopping = true;
	if (r->enq != r->done && now - r->t_last_cpl >= RUN_STALL_S * r->hz) {
		run_abort(r, "no completion for %u s with %" PRIu64 " op(s) in flight",
			RUN_STALL_S, r->enq - r->done);
		r->stalled = true;
	}
}

static void
run_loop(struct run *r)
{
	r->hz = rte_get_timer_hz();
	r->t_start = rte_get_timer_cycles();
	r->t_progress = r->t_start;
	r->t_last_cpl = r->t_start;
	r->t_deadline = r->t_start + r->cfg.seconds * r->hz;
	for (;;) {
		run_enqueue(r);
		if (run_collect(r) == 0)
			run_idle(r);
		run_tick(r);
		if (r->stalled || (r->stopping && r->enq == r->done))
			break;
	}
	if (r->progress_shown) {
		run_progress(r, r->t_last_cpl);
		printf("\n");
	}
}

/* ---- report ---- */

static void
run_summary(const struct run *r)
{
	double s = run_elapsed(r, r->t_last_cpl);
	unsigned int i;

	if (s <= 0)
		s = 1e-9;
	printf("  completed      %" PRIu64 " of %" PRIu64 " enqueued in %.3f s\n",
		r->done, r->enq, s);
	printf("  ok             %" PRIu64 "\n", r->ok);
	printf("  errors         %" PRIu64 "\n", r->done - r->ok);
	for (i = 1; i < RUN_NB_STATUS; i++)
		if (r->errors[i] != 0)
			printf("    %-38s %" PRIu64 "\n", run_status_names[i],
				r->errors[i]);
	if (r->cfg.verify)
		printf("  verify failed  %" PRIu64 "\n", r->verify_bad);
	else
		printf("  verify         off\n");
	printf("  throughput     %.3f GB/s, %.3f Mops/s\n",
		(double)r->ok * r->cfg.size / s / 1e9, r->done / s / 1e6);
}

static void
run_verdict(const struct run *r)
{
	if (r->user_stop)
		printf("  stopped early on request\n");
	if (r->why[0] != '\0')
		cli_err("run ended early: %s", r->why);
	else if (r->done != r->ok || r->verify_bad != 0 || r->idx_bad != 0)
		cli_err("run: %" PRIu64 " op(s) failed, %" PRIu64 " verify mismatch(es), %" PRIu64 " out-of-order completion(s)",
			r->done - r->ok, r->verify_bad, r->idx_bad);
}

/* ---- checks before running ---- */

/*
 * As testpmd does with its ports: run sets up a device nobody configured
 * with defaults (one vchan of RUN_DEFAULT_DESC descriptors, started) and
 * says so. A configured device is left as it is.
 */
static int
run_default_setup(int16_t dev_id, uint16_t vchan)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vc = { .direction = RTE_DMA_DIR_MEM_TO_MEM };
	const char *name = cli_dev_name(dev_id);
	struct rte_dma_info info;
	int ret;

	if (rte_dma_info_get(dev_id, &info) != 0 || info.nb_vchans != 0)
		return 0;
	if (vchan != 0) {
		cli_err("device %s is not configured and run sets up vchan 0 only (use: configure %s <nb_vchans>)",
			name, name);
		return -1;
	}
	vc.nb_desc = RTE_MAX(info.min_desc, RTE_MIN(info.max_desc, RUN_DEFAULT_DESC));
	ret = rte_dma_configure(dev_id, &conf);
	if (ret == 0)
		ret = cli_dev_state_reset(dev_id, 1);
	if (ret == 0)
		ret = rte_dma_vchan_setup(dev_id, 0, &vc);
	if (ret == 0) {
		cli_vchan_state(dev_id, 0)->nb_desc = vc.nb_desc;
		ret = rte_dma_start(dev_id);
	}
	if (ret < 0) {
		cli_err("setting up unconfigured device %s with defaults failed: %s",
			name, strerror(-ret));
		return -1;
	}
	printf("device %s was not configured: configured 1 vchan, vchan 0 with %u descriptors, started\n",
		name, vc.nb_desc);
	return 0;
}

static int
run_check_device(const struct run_cfg *c)
{
	struct rte_dma_info info;
	struct cli_vchan *vs;
	uint64_t need = c->fill ? RTE_DMA_CAPA_OPS_FILL : RTE_DMA_CAPA_OPS_COPY;

	if (run_default_setup(c->dev_id, c->vchan) < 0 ||
			cli_dev_check_vchan(c->dev_id, c->vchan) < 0 ||
			cli_dev_check_started(c->dev_id) < 0)
		return -1;
	vs = cli_vchan_state(c->dev_id, c->vchan);
	if (vs == NULL || vs->nb_desc == 0) {
		cli_err("vchan %u of %s is not set up", c->vchan,
			cli_dev_name(c->dev_id));
		return -1;
	}
	if (vs->dirty) {
		cli_err("vchan %u of %s still has ops of an aborted run in flight (stop, vchan setup, start)",
			c->vchan, cli_dev_name(c->dev_id));
		return -1;
	}
	if (rte_dma_info_get(c->dev_id, &info) != 0 || !(info.dev_capa & need)) {
		cli_err("device %s does not support %s", cli_dev_name(c->dev_id),
			c->fill ? "fill" : "copy");
		return -1;
	}
	return 0;
}

static int
run_check_args(const struct run_cfg *c)
{
	if (c->count == 0 && c->seconds == 0) {
		cli_err("bad count/seconds 0: give at least one op or second");
		return -1;
	}
	if (c->seconds > RUN_MAX_SECONDS) {
		cli_err("bad seconds %" PRIu64 ": at most %u", c->seconds,
			RUN_MAX_SECONDS);
		return -1;
	}
	if (c->burst == 0) {
		cli_err("bad burst 0: at least 1");
		return -1;
	}
	return 0;
}

/* ---- the command ---- */

static void
run_print_header(const struct run *r)
{
	const struct run_cfg *c = &r->cfg;

	printf("run %s on %s vchan %u: size %u B, ", c->fill ? "fill" : "copy",
		cli_dev_name(c->dev_id), c->vchan, c->size);
	if (c->count != 0)
		printf("count %" PRIu64, c->count);
	else
		printf("%" PRIu64 " s", c->seconds);
	printf(", burst %u, in flight <= %u, verify %s, wait %s%s\n", c->burst,
		r->b.slots, c->verify ? "on" : "off", c->intr ? "intr" : "poll",
		cli_interactive ? " (q or Ctrl-C stops)" : "");
}

static void
run_finish(struct run *r)
{
	struct cli_vchan *vs = cli_vchan_state(r->cfg.dev_id, r->cfg.vchan);

	run_summary(r);
	run_verdict(r);
	if (!r->stalled) {
		run_bufs_free(&r->b);
		return;
	}
	/* The device may still write them: keep them allocated for good. */
	printf("  keeping %zu bytes of run buffers allocated: %" PRIu64 " op(s) may still write them\n",
		r->b.src.size + r->b.dst.size, r->enq - r->done);
	if (vs != NULL)
		vs->dirty = true;
}

static void
run_execute(struct run_cfg *c)
{
	struct run *r;
	uint16_t capacity;

	capacity = rte_dma_burst_capacity(c->dev_id, c->vchan);
	if (capacity == 0) {
		cli_err("vchan %u of %s has no free descriptors", c->vchan,
			cli_dev_name(c->dev_id));
		return;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		cli_err("out of memory");
		return;
	}
	r->cfg = *c;
	if (run_bufs_alloc(&r->b, c, run_window(c, capacity)) < 0) {
		free(r);
		return;
	}
	r->cfg.burst = RTE_MIN(c->burst, r->b.slots);
	run_print_header(r);
	run_loop(r);
	run_finish(r);
	free(r);
}

struct cmd_run_result {
	cmdline_fixed_string_t run;
	cmdline_fixed_string_t op;
	cli_dev_arg_t dev;
	uint16_t vchan;
	cmdline_fixed_string_t size_word;
	cmdline_fixed_string_t size;
	cmdline_fixed_string_t limit_word;
	uint64_t limit;
	cmdline_fixed_string_t burst_word;
	uint16_t burst;
	cmdline_fixed_string_t verify_word;
	cmdline_fixed_string_t verify;
};

/* Which optional tail the instance matched. */
enum run_form {
	RUN_FORM_SHORT,		/* no burst, no verify */
	RUN_FORM_BURST,		/* burst, no verify */
	RUN_FORM_FULL,
};

#define RUN_DEFAULT_BURST 32

static int
run_cfg_from(struct run_cfg *c, const struct cmd_run_result *r,
		enum run_form form)
{
	struct cli_vchan *vs;
	uint64_t size;
	int dev_id;

	dev_id = cli_dev_lookup(r->dev);
	if (dev_id < 0)
		return -1;
	c->dev_id = dev_id;
	c->vchan = r->vchan;
	c->fill = strcmp(r->op, "fill") == 0;
	if (app_parse_u64(r->size, 1, UINT32_MAX, APP_NUM_SIZE, &size) < 0) {
		cli_err("bad size '%s': bytes (1..4294967295) with an optional K, M or G suffix",
			r->size);
		return -1;
	}
	c->size = (uint32_t)size;
	if (strcmp(r->limit_word, "count") == 0)
		c->count = r->limit;
	else
		c->seconds = r->limit;
	c->burst = form == RUN_FORM_SHORT ? RUN_DEFAULT_BURST : r->burst;
	c->verify = form == RUN_FORM_FULL && strcmp(r->verify, "on") == 0;
	if (run_check_args(c) < 0 || run_check_device(c) < 0)
		return -1;
	vs = cli_vchan_state(dev_id, c->vchan);
	c->intr = vs != NULL && vs->wait == CLI_WAIT_INTR;
	return 0;
}

static void
cmd_run_parsed(void *res, struct cmdline *cl, void *data)
{
	struct run_cfg c = { 0 };

	RTE_SET_USED(cl);
	if (run_cfg_from(&c, res, (enum run_form)(uintptr_t)data) == 0)
		run_execute(&c);
}

static cmdline_parse_token_string_t cmd_run_word =
	TOKEN_STRING_INITIALIZER(struct cmd_run_result, run, "run");
static cmdline_parse_token_string_t cmd_run_op =
	TOKEN_STRING_INITIALIZER(struct cmd_run_result, op, "copy#fill");
static struct cli_token_dev cmd_run_dev =
	CLI_TOKEN_DEV_INITIALIZER(struct cmd_run_result, dev);
static cmdline_parse_token_num_t cmd_run_vchan =
	TOKEN_NUM_INITIALIZER(struct cmd_run_result, vchan, RTE_UINT16);
static cmdline_parse_token_string_t cmd_run_size_word =
	TOKEN_STRING_INITIALIZER(struct cmd_run_result, size_word, "size");
static cmdline_parse_token_string_t cmd_run_size =
	TOKEN_STRING_INITIALIZER(struct cmd_run_result, size, NULL);
static cmdline_parse_token_string_t cmd_run_limit_word =
	TOKEN_STRING_INITIALIZER(struct cmd_run_result, limit_word,
		"count#seconds");
static cmdline_parse_token_num_t cmd_run_limit =
	TOKEN_NUM_INITIALIZER(struct cmd_run_result, limit, RTE_UINT64);
static cmdline_parse_token_string_t cmd_run_burst_word =
	TOKEN_STRING_INITIALIZER(struct cmd_run_result, burst_word, "burst");
static cmdline_parse_token_num_t cmd_run_burst =
	TOKEN_NUM_INITIALIZER(struct cmd_run_result, burst, RTE_UINT16);
static cmdline_parse_token_string_t cmd_run_verify_word =
	TOKEN_STRING_INITIALIZER(struct cmd_run_result, verify_word, "verify");
static cmdline_parse_token_string_t cmd_run_verify =
	TOKEN_STRING_INITIALIZER(struct cmd_run_result, verify, "on#off");

static cmdline_parse_inst_t cmd_run_full = {
	.f = cmd_run_parsed,
	.data = (void *)RUN_FORM_FULL,
	.help_str = "run copy|fill <dev> <vchan> size <bytes> count <n>|seconds <s> burst <n> verify on|off: "
		"stream ops through a started vchan, then report ops, GB/s, Mops/s and errors by status (size takes K/M/G); "
		"an unconfigured device first gets 1 vchan of 1024 descriptors and is started",
	.tokens = { (void *)&cmd_run_word, (void *)&cmd_run_op,
		    (void *)&cmd_run_dev, (void *)&cmd_run_vchan,
		    (void *)&cmd_run_size_word, (void *)&cmd_run_size,
		    (void *)&cmd_run_limit_word, (void *)&cmd_run_limit,
		    (void *)&cmd_run_burst_word, (void *)&cmd_run_burst,
		    (void *)&cmd_run_verify_word, (void *)&cmd_run_verify,
		    NULL },
};

static cmdline_parse_inst_t cmd_run_burst_inst = {
	.f = cmd_run_parsed,
	.data = (void *)RUN_FORM_BURST,
	.help_str = "run copy|fill <dev> <vchan> size <bytes> count <n>|seconds <s> burst <n>: the same, verify off",
	.tokens = { (void *)&cmd_run_word, (void *)&cmd_run_op,
		    (void *)&cmd_run_dev, (void *)&cmd_run_vchan,
		    (void *)&cmd_run_size_word, (void *)&cmd_run_size,
		    (void *)&cmd_run_limit_word, (void *)&cmd_run_limit,
		    (void *)&cmd_run_burst_word, (void *)&cmd_run_burst,
		    NULL },
};

static cmdline_parse_inst_t cmd_run_short = {
	.f = cmd_run_parsed,
	.data = (void *)RUN_FORM_SHORT,
	.help_str = "run copy|fill <dev> <vchan> size <bytes> count <n>|seconds <s>: the same, burst 32, verify off",
	.tokens = { (void *)&cmd_run_word, (void *)&cmd_run_op,
		    (void *)&cmd_run_dev, (void *)&cmd_run_vchan,
		    (void *)&cmd_run_size_word, (void *)&cmd_run_size,
		    (void *)&cmd_run_limit_word, (void *)&cmd_run_limit,
		    NULL },
};

cmdline_parse_inst_t *cli_run_cmds[] = {
	&cmd_run_full,
	&cmd_run_burst_inst,
	&cmd_run_short,
	NULL,
};
