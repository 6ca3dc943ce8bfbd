/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_POWER_COPY_H
#define IDXP_POWER_COPY_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_memory.h>

#include "app_util.h"
#include "thread_cpu.h"

#define PC_RING		1024	/* descriptors, and buffers */

extern volatile sig_atomic_t pc_quit;

enum pc_phase { PC_BURST, PC_TRICKLE, PC_IDLE };

struct pc_opts {
	double seconds;		/* 0: until SIGINT/SIGTERM */
	uint32_t burst_ms;	/* full speed */
	uint32_t trickle_ms;	/* trickle_rate ops/s */
	uint32_t idle_ms;	/* nothing to do */
	uint32_t trickle_rate;
	uint32_t size;
	uint32_t idle_polls;	/* empty polls in a row before sleeping */
	uint32_t wait_ms;	/* longest sleep: also the timer tick */
	const char *dev;	/* dmadev name */
	const char *devargs;	/* for a device this app creates */
	bool no_sleep;		/* never sleep: the classic PMD, to compare */
};

/* Counters, cumulative; the report prints their deltas. */
struct pc_count {
	uint64_t ops;		/* copied and verified */
	uint64_t bad;		/* failed or not verified */
	uint64_t waits;		/* rte_pmd_idxp_wait() calls */
	uint64_t timeouts;	/* of which: returned on the timeout */
};

struct pc {
	struct pc_opts o;
	int16_t dev_id;
	bool created;		/* by us, with rte_vdev_init() */
	char name[64];
	int nb_eng;
	int eng_tid[TCPU_MAX_ENGINES];
	/* buffers */
	struct app_bufs src;	/* PC_RING of each */
	struct app_bufs dst;
	/* workload */
	uint64_t t0;		/* TSC at start */
	uint64_t seq;		/* ops submitted */
	uint32_t outstanding;
	uint32_t zero_polls;
	uint64_t next_trickle;	/* TSC the next trickle op is due */
	uint64_t seq_of[PC_RING];
	struct pc_count cnt;
};

/* pc_work.c */
enum pc_phase pc_phase_at(const struct pc *pc, uint64_t tsc);
uint64_t pc_next_phase(const struct pc *pc, uint64_t tsc);
const char *pc_phase_name(enum pc_phase ph);
int pc_step(struct pc *pc, uint64_t now, uint64_t next_event);
int pc_drain(struct pc *pc);

#endif /* IDXP_POWER_COPY_H */
