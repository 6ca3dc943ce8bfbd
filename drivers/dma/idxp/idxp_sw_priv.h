/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_SW_PRIV_H
#define IDXP_SW_PRIV_H

/* Software device internals: never included by the PMD. */

#include <pthread.h>

#include "idxp_sw_dev.h"

struct idxp_sw_dev;

#define IDXP_IOTLB_SLOTS	64
#define IDXP_IOTLB_SHIFT	21

struct idxp_engine {
	struct idxp_sw_dev *dev;
	uint32_t id;
	int cpu;
	pthread_t thread;
	volatile int tid;
	struct idxp_hw_doorbell doorbell;
	uint32_t wqs[IDXP_HW_MAX_WQS];	/* work queues this engine serves */
	uint32_t nb_wqs;
	volatile uint32_t ack_gen;	/* last reset generation it parked for */
	volatile uint32_t quit;
	/* Translation: table in use and the entry that hit last. */
	const struct idxp_iommu_table *tbl;
	/* IOTLB: entries by 2 MB granule of the IOVA, valid for tlb_gen. */
	const struct idxp_iommu_entry *tlb[IDXP_IOTLB_SLOTS];
	uint64_t tlb_gen;
	uint32_t next_prq_id;
} __attribute__((aligned(64)));

struct idxp_sw_dev {
	struct idxp_hw_regs regs;	/* first: regs <-> dev */
	struct idxp_sw_cfg cfg;
	char name[64];
	struct idxp_iommu *mmu;
	uint64_t spin_cycles;
	volatile uint32_t reset_gen;
	volatile uint64_t evl_seq;
	pthread_mutex_t evl_lock;	/* several engines share one log */
	pthread_mutex_t cmd_lock;
	struct idxp_engine eng[IDXP_HW_MAX_ENGINES];
};

static inline struct idxp_sw_dev *
idxp_sw_of(struct idxp_hw_regs *regs)
{
	return (struct idxp_sw_dev *)regs;
}

/* idxp_sw_dev.c, used by the engine. */
void idxp_sw_raise(struct idxp_sw_dev *dev, uint32_t entry);
int idxp_sw_evl_write(struct idxp_sw_dev *dev, struct idxp_hw_evl_entry *e);
void idxp_sw_halt(struct idxp_sw_dev *dev, uint32_t reason);
void idxp_sw_swerr(struct idxp_sw_dev *dev, uint32_t wq, uint32_t code,
		uint32_t op_flags);
bool idxp_sw_engine_idle_wait(struct idxp_engine *eng);
void idxp_sw_engine_nap(struct idxp_engine *eng);

/* idxp_sw_engine.c */
void *idxp_sw_engine_main(void *arg);
bool idxp_sw_wq_pending(const struct idxp_hw_wq_regs *wq);

#endif /* IDXP_SW_PRIV_H */
