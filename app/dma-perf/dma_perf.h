/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef DMA_PERF_H
#define DMA_PERF_H

/*
 * idxp-dma-perf: a dmadev benchmark that runs dpdk-test-dma-perf's
 * configuration files. config.c reads the file; main.c runs every point
 * of every case in rounds, each run a process with its own EAL, and
 * prints the medians; bench.c measures inside that process.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_version.h>

#define PERF_NAME_LEN		64
#define PERF_ARGS_LEN		256	/* rte_cfgfile's CFG_VALUE_LEN */
#define PERF_MAX_WORKERS	32
#define PERF_MAX_SCENARIOS	256
#define PERF_MAX_SGE		64
#define PERF_MAX_REPEAT		15
#define PERF_VERIFY_SAMPLE	64	/* ops checked per lcore and run, by default */

/* The one place that weighs the release: use_enq_deq_ops=1 needs 25.11's rte_dma_enqueue_ops(). */
#define PERF_ENQ_DEQ_OPS_RELEASE	"25.11"
#define PERF_HAVE_ENQ_DEQ_OPS	(RTE_VERSION >= RTE_VERSION_NUM(25, 11, 0, 0))

/* Upstream's file format generations, as bits. */
enum perf_format {
	PERF_FMT_23 = 1,	/* 23.07, 23.11: lcore_dma=lcoreN@dev */
	PERF_FMT_24 = 2,	/* 24.03-24.11: lcore_dmaN=, skip, SG */
	PERF_FMT_25 = 4,	/* 25.11: [GLOBAL], use_enq_deq_ops */
};

enum perf_type { PERF_TYPE_DMA, PERF_TYPE_CPU, PERF_TYPE_MAX };

/* Variables given as a number or first,last,increment,ADD|MUL. */
enum perf_var { PERF_VAR_MEM, PERF_VAR_BUF, PERF_VAR_RING, PERF_VAR_KICK,
	PERF_VAR_MAX };

enum perf_op { PERF_OP_NONE, PERF_OP_ADD, PERF_OP_MUL };

struct perf_range {
	uint32_t first, last, incr;
	enum perf_op op;
};

/* One test lcore and, for DMA cases, the device it drives. */
struct perf_worker_cfg {
	unsigned int lcore;
	char dev[PERF_NAME_LEN];	/* empty for CPU cases */
	char key[PERF_NAME_LEN];	/* its config key, for messages */
};

/* The values of one run (scenario) of a case. */
struct perf_point {
	uint32_t mem_mb;		/* source plus destination */
	uint32_t buf_size;
	uint32_t ring_size;
	uint32_t kick_batch;
};

struct perf_case {
	char name[PERF_NAME_LEN];	/* section name, e.g. "case2" */
	bool skip;
	enum perf_type type;
	struct perf_range var[PERF_VAR_MAX];
	enum perf_var varying;		/* PERF_VAR_MAX when nothing varies */
	unsigned int nb_scenarios;
	uint32_t values[PERF_MAX_SCENARIOS];	/* of the varying variable */
	uint16_t src_sge;		/* 0: plain rte_dma_copy */
	uint16_t dst_sge;
	int src_node;			/* -1: any */
	int dst_node;
	bool cache_flush;
	uint32_t work_cycles;		/* idxp extension: other work per burst */
	double test_secs;
	char eal_args[PERF_ARGS_LEN];	/* the case's, or [GLOBAL]'s */
	unsigned int nb_workers;
	struct perf_worker_cfg workers[PERF_MAX_WORKERS];
};

struct perf_config {
	enum perf_format format;
	uint64_t llc;			/* last-level cache bytes, 0: unknown */
	unsigned int nb_cases;
	struct perf_case *cases;
};

/* LCORE: one lcore in one round; TOTAL: all of them; SUMMARY: rounds' median. */
enum perf_row { PERF_ROW_LCORE, PERF_ROW_TOTAL, PERF_ROW_SUMMARY };

enum perf_check { PERF_CHECK_SKIPPED, PERF_CHECK_OK, PERF_CHECK_FAILED };

/* One result row; small and flat: a child writes it whole (< PIPE_BUF) to a pipe. */
struct perf_record {
	uint8_t row;			/* enum perf_row */
	uint8_t type;			/* enum perf_type */
	uint8_t check;			/* enum perf_check */
	uint16_t case_idx;
	uint16_t scenario;		/* from 1 */
	uint16_t nb_scenarios;
	uint16_t round;			/* from 1; 0 in summary rows */
	uint16_t nb_rounds;		/* summary rows: rounds behind them */
	char case_name[PERF_NAME_LEN];
	char dev[PERF_NAME_LEN];	/* "cpu" for CPU rows */
	char lcores[32];
	struct perf_point pt;
	uint16_t src_sge;
	uint16_t dst_sge;
	uint32_t nr_buf;
	double test_secs;
	uint64_t hz;
	uint64_t ops;			/* completed in the window */
	uint64_t cycles;		/* length of the window */
	uint64_t app_cycles;		/* spent in dmadev calls in it */
	uint64_t errors;		/* ops completed with an error status */
	double cycles_per_op;		/* derived */
	double mops;
	double gbps;
	double app_cycles_per_op;
	double mops_min;		/* summary rows: over the rounds */
	double mops_max;
	double round_mops[PERF_MAX_REPEAT];	/* summary rows: each round's */
	double round_gbps[PERF_MAX_REPEAT];
};

/* config.c */
int config_load(const char *path, struct perf_config *cfg);
void config_point(const struct perf_case *c, unsigned int idx,
		struct perf_point *pt);
uint32_t config_nr_buf(const struct perf_case *c, const struct perf_point *pt);
const char *config_type_name(enum perf_type type);
const char *config_format_name(enum perf_format fmt);

/* bench.c: one run of a point, in a process of its own after rte_eal_init() */
int bench_run(const struct perf_case *c, unsigned int case_idx,
		unsigned int scenario, unsigned int round, uint32_t verify, int fd);

#endif /* DMA_PERF_H */
