/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef DMA_PERF_H
#define DMA_PERF_H

/*
 * idxp-dma-perf: a dmadev benchmark that reads dpdk-test-dma-perf's
 * configuration files.
 *
 * config.c turns the file into struct perf_config; main.c runs each case in
 * a forked child with its own EAL; benchmark.c measures inside the child and
 * hands back struct perf_record rows; output.c prints and stores them.
 */

#include <stdbool.h>
#include <stdint.h>

#define PERF_NAME_LEN		64
#define PERF_MAX_WORKERS	32
#define PERF_MAX_SCENARIOS	256
#define PERF_MAX_SGE		64

/*
 * Test types. To add a mode, add a value here and a row to the mode table
 * in benchmark.c; config.c and output.c take the name from there.
 */
enum perf_type {
	PERF_TYPE_DMA_MEM_COPY,
	PERF_TYPE_CPU_MEM_COPY,
	PERF_TYPE_MAX
};

/* Variables that may be given as first,last,increment,ADD|MUL. */
enum perf_var {
	PERF_VAR_MEM,		/* mem_size, MB */
	PERF_VAR_BUF,		/* buf_size, bytes */
	PERF_VAR_RING,		/* dma_ring_size */
	PERF_VAR_KICK,		/* kick_batch */
	PERF_VAR_MAX
};

enum perf_op {
	PERF_OP_NONE,
	PERF_OP_ADD,
	PERF_OP_MUL
};

struct perf_range {
	uint32_t first;
	uint32_t last;
	uint32_t incr;
	enum perf_op op;
	bool set;
};

enum perf_dir {
	PERF_DIR_MEM2MEM,
	PERF_DIR_MEM2DEV,
	PERF_DIR_DEV2MEM
};

/* One test lcore and, for DMA cases, the device it drives. */
struct perf_worker_cfg {
	unsigned int lcore;
	char dev[PERF_NAME_LEN];	/* empty for CPU cases */
	enum perf_dir dir;
	uint64_t raddr;			/* remote address for mem2dev/dev2mem */
	uint8_t coreid;
	uint16_t pfid;
	uint16_t vfid;
	char key[PERF_NAME_LEN];	/* config key, for messages */
};

/* The values of one run (scenario) of a case. */
struct perf_point {
	uint32_t mem_mb;
	uint32_t buf_size;
	uint32_t ring_size;
	uint32_t kick_batch;
};

struct perf_case {
	char name[PERF_NAME_LEN];	/* section name, e.g. "case2" */
	unsigned int line;		/* where the section starts */
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
	char *eal_args;			/* the case's own, NULL if none */
	unsigned int nb_workers;
	struct perf_worker_cfg workers[PERF_MAX_WORKERS];
};

struct perf_config {
	const char *path;
	char *eal_args;			/* [GLOBAL] eal_args, NULL if none */
	unsigned int nb_cases;
	struct perf_case *cases;
};

enum perf_verify {
	PERF_VERIFY_OFF,
	PERF_VERIFY_SAMPLE,
	PERF_VERIFY_ALL
};

/* How a child runs its case; filled from the command line. */
struct perf_run_opts {
	enum perf_verify verify;
	bool progress;
};

enum perf_row {
	PERF_ROW_LCORE,
	PERF_ROW_SUMMARY
};

/* Data-check outcome of a row. */
enum perf_check {
	PERF_CHECK_SKIPPED,
	PERF_CHECK_OK,
	PERF_CHECK_FAILED
};

/*
 * One result row. Small and flat: children write it whole to a pipe
 * (well under PIPE_BUF, so each write is atomic).
 */
struct perf_record {
	uint8_t row;			/* enum perf_row */
	uint8_t type;			/* enum perf_type */
	uint8_t check;			/* enum perf_check */
	char case_name[PERF_NAME_LEN];
	char dev[PERF_NAME_LEN];	/* "cpu" for CPU rows */
	char lcores[32];
	uint16_t scenario;		/* 1-based */
	uint16_t nb_scenarios;
	struct perf_point pt;
	uint16_t src_sge;
	uint16_t dst_sge;
	uint32_t nr_buf;
	double test_secs;
	uint64_t hz;
	uint64_t ops;			/* completed in the window */
	uint64_t cycles;		/* length of the window */
	uint64_t app_cycles;		/* spent in dmadev calls in the window */
	uint64_t errors;		/* ops completed with an error status */
	/* derived by record_finish() / record_summarize() */
	double cycles_per_op;
	double mops;
	double gbps;
	double app_cycles_per_op;
};

typedef void (*perf_emit_t)(const struct perf_record *rec, void *arg);

/* config.c */
int config_load(const char *path, struct perf_config *cfg);
void config_free(struct perf_config *cfg);
void config_point(const struct perf_case *c, unsigned int idx,
		struct perf_point *pt);
uint32_t config_nr_buf(const struct perf_point *pt);
const char *config_var_name(enum perf_var var);
const char *config_var_short(enum perf_var var);

/* benchmark.c */
const char *bench_type_name(enum perf_type type);
const char *bench_type_short(enum perf_type type);
int bench_type_from_name(const char *name, enum perf_type *type);
bool bench_type_uses_dma(enum perf_type type);
int bench_run_case(const struct perf_case *c, const struct perf_run_opts *opts,
		int eal_argc, char **eal_argv, perf_emit_t emit, void *arg);
void bench_list_devices(void);

/* output.c */
void record_finish(struct perf_record *r);
void record_summarize(const struct perf_record *rows, unsigned int n,
		struct perf_record *sum);
int output_csv_open(const char *path);
void output_csv_write(const struct perf_record *r);
void output_csv_close(void);
void output_case_banner(const struct perf_case *c, const char *eal_args,
		bool table_header);
void output_table_row(const struct perf_record *r);
void output_ratios(const struct perf_record *recs, unsigned int n, bool verbose);
void output_progress(const char *case_name, const char *var, uint32_t value,
		unsigned int scenario, unsigned int nb_scenarios,
		double elapsed, double total);
void output_progress_clear(void);

#endif /* DMA_PERF_H */
