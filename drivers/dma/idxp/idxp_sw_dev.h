/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_SW_DEV_H
#define IDXP_SW_DEV_H

/*
 * The software DSA device as the driver sees it: a register block, portals,
 * an interrupt table of eventfds and a doorbell per engine. This is the
 * "hardware" side of the boundary; the driver touches nothing else of the
 * device. A hardware backend would fill the same block from an idxd user
 * work queue (mmap'd portal) instead.
 */

#include <stdbool.h>
#include <stdint.h>

#include "idxp_hw_defs.h"
#include "idxp_iommu.h"

/* Doorbell of one engine: the driver rings it only while the engine sleeps. */
struct idxp_hw_doorbell {
	volatile uint32_t sleeping;	/* set by the engine before it sleeps */
	int fd;				/* eventfd the engine blocks on */
} __attribute__((aligned(64)));

/* Fault injection "debug registers" of a work queue (counts to consume). */
#define IDXP_INJ_SRC		0
#define IDXP_INJ_DST		1
#define IDXP_INJ_COMP		2
#define IDXP_INJ_PAGE_REQ	3
#define IDXP_INJ_MAX		4

struct idxp_hw_wq_regs {
	/* Set up by the driver before IDXP_CMD_ENABLE_WQ. */
	uint32_t cfg_size;		/* portal slots, power of two */
	uint16_t intr_handle;		/* entry of the interrupt table */
	uint16_t rsvd;
	/* Device-owned. */
	struct idxp_hw_portal *portal;
	uint32_t portal_size;
	struct idxp_hw_doorbell *doorbell;
	volatile uint32_t enabled;
	volatile uint32_t reset_tail;	/* portal entries before it were dropped */
	/* Interrupt mask: the driver arms (1), the device disarms when it fires. */
	volatile uint32_t intr_armed __attribute__((aligned(64)));
	/* Page response: driver writes code then id (release), rings doorbell. */
	volatile uint32_t prs_code __attribute__((aligned(64)));
	volatile uint32_t prs_id;
	volatile uint32_t inject[IDXP_INJ_MAX];
} __attribute__((aligned(64)));

#define IDXP_INTR_MISC		0	/* interrupt table entry 0 */

struct idxp_hw_regs {
	/* Capabilities (read-only). */
	uint32_t nb_wqs;
	uint32_t nb_engines;
	uint32_t max_batch;
	uint32_t max_xfer;
	uint32_t max_sge;
	int socket;

	/* Status. */
	volatile uint32_t state;	/* IDXP_DEV_* */
	volatile uint32_t cause;	/* IDXP_CAUSE_*, driver clears by exchange */
	volatile uint32_t swerr;	/* last software error: IDXP_COMP_* code */
	volatile uint32_t swerr_wq;	/* ... and the work queue it came from */
	volatile uint64_t swerr_desc_op; /* ... and its descriptor's op_flags */
	volatile uint32_t halt_reason;
	volatile uint32_t inject_halt;	/* debug: halt at the next descriptor */
	volatile uint32_t inject_reset_fail; /* debug: next reset fails */

	/* Event log ring, written at tail by the device. */
	struct idxp_hw_evl_entry *evl;
	uint32_t evl_size;
	volatile uint32_t evl_head __attribute__((aligned(64))); /* driver */
	volatile uint32_t evl_tail __attribute__((aligned(64))); /* device */
	volatile uint64_t evl_overflows;

	/* Interrupt table: one eventfd per entry; [0] misc, [1 + wq] per WQ. */
	int intr_fd[1 + IDXP_HW_MAX_WQS];

	/* Device counters, like a perfmon block. */
	volatile uint64_t ctr_sleeps;
	volatile uint64_t ctr_wq_intr;
	volatile uint64_t ctr_injected;
	volatile uint64_t ctr_page_requests;
	volatile uint64_t ctr_halts;

	struct idxp_hw_wq_regs wq[IDXP_HW_MAX_WQS];
};

struct idxp_sw_cfg {
	const char *name;
	int socket;
	uint32_t nb_wqs;
	uint32_t nb_engines;
	int cpus[IDXP_HW_MAX_ENGINES];	/* -1: not pinned */
	uint32_t spin_us;		/* idle spin before the engine sleeps */
	uint32_t evl_size;		/* entries, power of two */
};

/* Bring the device up (engines started, disabled state). NULL on error. */
struct idxp_hw_regs *idxp_sw_dev_create(const struct idxp_sw_cfg *cfg,
		struct idxp_iommu *mmu);
void idxp_sw_dev_destroy(struct idxp_hw_regs *regs);

/*
 * Command register write. Synchronous: returns when the device finished the
 * command (0) or refused it (negative errno).
 */
int idxp_hw_cmd(struct idxp_hw_regs *regs, uint32_t cmd, uint32_t arg);

#endif /* IDXP_SW_DEV_H */
