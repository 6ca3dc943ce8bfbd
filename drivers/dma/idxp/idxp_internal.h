/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_INTERNAL_H
#define IDXP_INTERNAL_H

/* Driver state of the idxp PMD. Fast path in idxp_fastpath.c. */

#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>

#include <rte_common.h>
#include <rte_dev.h>
#include <rte_dmadev.h>
#include <rte_log.h>
#include <rte_spinlock.h>

#include "idxp_compat.h"
#include "idxp_hw_defs.h"
#include "idxp_iommu.h"
#include "idxp_sw_dev.h"
#include "rte_pmd_idxp.h"

extern int idxp_logtype;
#define IDXP_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, idxp_logtype, "idxp: " fmt "\n", ##__VA_ARGS__)
#define IDXP_DEV_LOG(priv, level, fmt, ...) \
	IDXP_LOG(level, "%s: " fmt, (priv)->name, ##__VA_ARGS__)

#define IDXP_MIN_DESC		32
#define IDXP_MAX_DESC		8192
#define IDXP_DEFAULT_VCHANS	4

/* One submitted batch (or single descriptor) awaiting its completion. */
struct idxp_batch {
	uint16_t start;		/* op id of the first op */
	uint16_t count;
	uint16_t done;		/* ops already returned to the application */
	uint16_t aborted;	/* completed by the driver, device never saw it */
	uint32_t pseq;		/* portal sequence number it was written at */
};

/*
 * Item handed from the control thread to the lcore that owns a vchan, in the
 * style of irq_work: claimed with one CAS on its flags, pushed on a
 * lock-free list, run by the owner inside rte_dma_completed*().
 */
#define IDXP_WORK_PENDING	1u

struct rte_dma_dev;
struct rte_memzone;

/* Memzones of a vchan: everything the device reads or writes by IOVA. */
enum {
	IDXP_VC_MZ_DESC,
	IDXP_VC_MZ_OP_COMP,
	IDXP_VC_MZ_BATCH_COMP,
	IDXP_VC_MZ_SGE_SRC,
	IDXP_VC_MZ_SGE_DST,
	IDXP_VC_MZ_MAX
};

struct idxp_work {
	struct idxp_work *next;
	uint32_t flags;
	void (*fn)(struct idxp_work *w, void *vc);
};

struct idxp_vchan {
	/* Enqueue side, written by the owning lcore only. */
	struct idxp_hw_desc *desc;	/* nb_desc op descriptors */
	rte_iova_t desc_iova;
	rte_iova_t op_comp_iova;
	uint16_t mask;
	uint16_t write_idx;		/* next op id */
	uint16_t batch_start;		/* first op not yet submitted */
	uint16_t read_idx;		/* oldest op not yet returned */
	uint16_t max_ops;		/* nb_desc - 1 */
	uint16_t batch_write;		/* next batch slot */
	uint16_t batch_read;		/* oldest unretired batch */
	uint16_t max_batch;
	uint32_t op_flags;		/* base flags (CRAV, BOF in SVA mode) */
	uint32_t portal_tail;
	uint32_t portal_mask;
	struct idxp_hw_portal *portal;
	struct idxp_hw_doorbell *doorbell;
	const volatile uint32_t *dev_state;

	/* Completion side. */
	struct idxp_hw_comp *op_comp;	/* written by the device on failure */
	struct idxp_hw_comp *batch_comp;
	rte_iova_t batch_comp_iova;
	struct idxp_batch *batch;
	struct idxp_hw_sge *sge_src;	/* IDXP_HW_MAX_SGE per op slot */
	struct idxp_hw_sge *sge_dst;
	rte_iova_t sge_src_iova;
	rte_iova_t sge_dst_iova;
	struct idxp_work *work;		/* lock-free list from the control thread */
	struct rte_dma_op **ops;	/* op of each slot (ops API, idxp_ops.c) */

	struct idxp_hw_desc last_desc;	/* copy of the newest op descriptor */
	struct rte_dma_stats stats;
	uint64_t faults;
	uint64_t aborted;
	uint64_t doorbells;

	/* Control path. */
	uint16_t id;
	uint16_t nb_desc;
	bool configured;
	struct idxp_hw_wq_regs *wq;
	int intr_fd;
	volatile uint32_t abort_pending; /* set by the control thread on reset */
	struct idxp_work abort_work;
	uint8_t *cr_lost;		/* batch slots whose record was lost */
	/* Device-visible arrays above, each one IOVA-contiguous memzone. */
	const struct rte_memzone *mz[IDXP_VC_MZ_MAX];
	struct idxp_work cr_work;
	uint64_t wait_sleeps;
} __rte_cache_aligned;

struct idxp_devargs {
	int cpus[IDXP_HW_MAX_ENGINES];
	uint32_t nb_cpus;
	uint32_t engines;
	uint32_t max_vchans;
	uint32_t poll_us;		/* rte_pmd_idxp_wait busy-poll time */
	uint32_t spin_us;		/* engine idle spin before sleeping */
	bool sva;
	uint32_t evl_size;
	uint32_t enq_deq;		/* offer the ops API where DPDK has it */
	uint32_t inject[RTE_PMD_IDXP_FAULT_MAX];
};

#define IDXP_EVENT_HISTORY	256
#define IDXP_MAX_DEV_ID		1024	/* dmadev ids idxp can serve */

struct idxp_priv {
	char name[RTE_DEV_NAME_MAX_LEN];
	int16_t dev_id;
	struct idxp_devargs args;
	struct idxp_hw_regs *regs;	/* the device */
	struct idxp_iommu mmu;
	bool started;
	volatile uint32_t halted;	/* unrecovered halt: calls fail with -EIO */
	uint16_t nb_vchans;
	uint64_t dev_capa;

	/* Control thread. */
	idxp_thread_t ctrl_thread;
	bool ctrl_running;
	int ctrl_stop_fd;
	rte_spinlock_t ev_lock;
	struct rte_pmd_idxp_event events[IDXP_EVENT_HISTORY];
	uint64_t nb_events;
	rte_pmd_idxp_fault_handler_t fault_handler;
	void *fault_arg;
	uint32_t wq_enabled_mask;	/* WQs to re-enable after a reset, and
					 * WQs a failed stop left running */
	/*
	 * Serialises the control path (configure, vchan setup, start, stop)
	 * with the control thread's recovery and completion-record faults:
	 * neither sees the other's half-done vchan state.
	 */
	pthread_mutex_t ctl_lock;
	pthread_mutex_t evl_lock;	/* one consumer of the event log at a time */
	struct rte_pmd_idxp_stats xstats;	/* driver-side counters */
	uint64_t evl_ovf_base;
	uint64_t poll_cycles;		/* poll_us in timer cycles */

	struct idxp_vchan vc[];		/* IDXP_HW_MAX_WQS: the fast path bounds
					 * vchan ids by that constant */
};

/*
 * Batch completion records sit one per cache line: the app clears a retired
 * record while the engine writes the next one, and sharing a line would
 * bounce it between the two cores.
 */
#define IDXP_BCOMP_STRIDE	2	/* records of 32 B per 64 B */

static inline struct idxp_hw_comp *
idxp_bcomp(const struct idxp_vchan *vc, uint16_t b)
{
	return &vc->batch_comp[(size_t)(b & vc->mask) * IDXP_BCOMP_STRIDE];
}

/* idxp_fastpath.c */
void idxp_fastpath_set(struct rte_dma_dev *dev);
bool idxp_vchan_ready(const struct idxp_vchan *vc);
bool idxp_vchan_idle(const struct idxp_vchan *vc);
enum rte_dma_status_code idxp_status_map(uint8_t hw_status);
void idxp_work_queue(struct idxp_vchan *vc, struct idxp_work *w);

/* idxp_pmd.c */
struct idxp_priv *idxp_priv_get(int16_t dev_id);
int idxp_vchan_get(int16_t dev_id, uint16_t vchan, struct idxp_priv **priv,
		struct idxp_vchan **vc);

/* idxp_ctrl.c */
int idxp_ctrl_start(struct idxp_priv *priv);
void idxp_ctrl_stop(struct idxp_priv *priv);
/* Act on every event-log entry written so far (caller holds no lock). */
void idxp_ctrl_flush(struct idxp_priv *priv);
int idxp_memmap_init(struct idxp_priv *priv);
void idxp_memmap_fini(struct idxp_priv *priv);
void idxp_event_record(struct idxp_priv *priv, const struct rte_pmd_idxp_event *ev);

/* idxp_intr.c */
void idxp_intr_wake_all(struct idxp_priv *priv);

#endif /* IDXP_INTERNAL_H */
