/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_INTERNAL_H
#define IDXP_INTERNAL_H

/*
 * Driver state of the idxp PMD. It meets the device only through struct
 * idxp_bus (registers, portals, vectors) and the memory it allocates.
 * Fast path in idxp_fastpath.c, device programming in idxp_dev.c.
 */

#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>

#include <rte_common.h>
#include <rte_dev.h>
#include <rte_dmadev.h>
#include <rte_log.h>
#include <rte_spinlock.h>

#include "idxp_bus.h"
#include "idxp_fence.h"
#include "idxp_compat.h"
#include "idxp_hw_defs.h"
#include "idxp_iommu.h"
#include "rte_pmd_idxp.h"

extern int idxp_logtype;
#define IDXP_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, idxp_logtype, "idxp: " fmt "\n", ##__VA_ARGS__)
#define IDXP_DEV_LOG(priv, level, fmt, ...) \
	IDXP_LOG(level, "%s: " fmt, (priv)->name, ##__VA_ARGS__)

#define IDXP_MIN_DESC		32
#define IDXP_MAX_DESC		8192
#define IDXP_DEFAULT_VCHANS	4

/* One posted batch (or single descriptor) awaiting its completion. */
struct idxp_batch {
	uint16_t start;		/* op id of the first op */
	uint16_t count;
	uint16_t done;		/* ops already returned to the application */
	uint8_t aborted;	/* completed by the driver, the device never ran it */
	uint8_t sg;		/* one split scatter-gather op (its memmoves) */
	uint32_t epoch;		/* vchan epoch it was posted in */
};

/*
 * Scatter-gather on a DSA, which has no such opcode: each op becomes up to
 * nb_src + nb_dst - 1 memmoves, posted as a batch of its own from a list
 * area of the posting batch (batches in flight stay below the WQ size, so
 * an area per possible one).
 */
#define IDXP_SG_SPLIT_MAX	(2 * IDXP_HW_MAX_SGE)
#define IDXP_SG_SPLIT_FENCE	2u	/* sg_slot[]: the op carries a fence */

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
	IDXP_VC_MZ_SG_LIST,		/* split SG: memmove lists */
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
	uint16_t submit_idx;		/* ops before it are submitted */
	uint16_t batch_start;		/* first op not yet posted to the device */
	uint16_t read_idx;		/* oldest op not yet returned */
	uint16_t max_ops;		/* nb_desc - 1 while started, else 0 */
	uint16_t batch_write;		/* next batch slot */
	uint16_t batch_read;		/* oldest unretired batch */
	uint16_t max_batch;
	uint16_t max_posted;		/* portal entries in flight: WQ size - 1 */
	uint32_t op_flags;		/* base flags (CRAV, BOF in SVA mode) */
	/*
	 * Next 64-byte offset in the portal page. Hardware ignores it; the
	 * software device queues in slot order from where its WQ was last
	 * enabled, so it restarts at 0 when we enable the WQ, and only when
	 * the kernel does for a kernel's WQ (slot_kept).
	 */
	uint32_t portal_slot;
	bool slot_kept;
	uint32_t epoch_seen;		/* epoch of the last post */
	uint8_t *portal;		/* the WQ's portal page (BAR2) */
	struct idxp_bus *bus;
	enum idxp_portal_kind portal_kind;
	/*
	 * Recovery handshake with the control thread (Dekker pairs with
	 * idxp_vchan_quiesce()): odd epoch = the device is being reset, post
	 * nothing; in_post = the owner is between its epoch check and the end
	 * of its portal write.
	 */
	volatile uint32_t epoch;
	volatile uint32_t in_post;

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
	uint64_t portal_writes;

	/* Interrupt mode: a drain with RCI behind the work in flight. */
	struct idxp_hw_comp *arm_comp;	/* its record (last batch_comp line) */
	rte_iova_t arm_comp_iova;
	bool arm_posted;		/* a drain is in flight */
	uint16_t arm_handle;		/* the interrupt handle it carries */
	bool armed;			/* post a drain after the next batch */
	volatile uint16_t intr_handle;	/* the vector's handle (control thread) */

	/* Control path. */
	uint16_t id;
	uint16_t nb_desc;
	bool configured;
	int intr_fd;			/* its MSI-X vector's eventfd */
	uint32_t abort_limit;		/* batches of epochs up to it abort */
	struct idxp_work abort_work;
	/* Device-visible arrays above, each one IOVA-contiguous memzone. */
	const struct rte_memzone *mz[IDXP_VC_MZ_MAX];
	uint64_t wait_sleeps;
	/*
	 * Split SG (sg_split), out of the way of the lines every op touches:
	 * which slots hold one and how many wait for a post; the memmove
	 * lists are mz[IDXP_VC_MZ_SG_LIST]. They fill the struct's last line:
	 * growing it to 512 B cost 5% of 64 B throughput in the A/B runs
	 * (scripts/ab-bench.sh), by where later allocations then fall.
	 */
	uint8_t *sg_slot;
	uint16_t sg_queued;		/* enqueued split SG ops not yet posted */
	uint16_t sg_areas_mask;
	bool sg_split;
} __rte_cache_aligned;

/* The devargs keys, as bits of idxp_devargs.given. */
enum idxp_arg {
	IDXP_ARG_CORE, IDXP_ARG_ENGINES, IDXP_ARG_VCHANS, IDXP_ARG_POLL_US,
	IDXP_ARG_SPIN_US, IDXP_ARG_IDLE, IDXP_ARG_SVA, IDXP_ARG_EVL_SIZE,
	IDXP_ARG_INJECT, IDXP_ARG_ENQ_DEQ, IDXP_ARG_PORTAL, IDXP_ARG_WQ,
	IDXP_ARG_WQ_PREFIX, IDXP_ARG_NB
};
#define IDXP_ARGF(k)	(1u << IDXP_ARG_##k)

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
	bool direct_portals;		/* model: the driver stores with MOVDIR64B */
	uint32_t inject[RTE_PMD_IDXP_FAULT_MAX];
	char wq[32];			/* a kernel WQ (wqD.Q), "auto", or "" */
	char wq_prefix[64];		/* names wq=auto takes */
	uint32_t given;			/* IDXP_ARGF() of the keys present */
};

#define IDXP_EVENT_HISTORY	256
#define IDXP_MAX_DEV_ID		1024	/* dmadev ids idxp can serve */

/* What the driver learnt from the capability registers. */
struct idxp_caps {
	uint32_t version;
	uint64_t gencap;
	uint32_t nb_wqs;
	uint32_t total_wq_size;
	uint32_t nb_groups;
	uint32_t nb_engines;
	uint32_t engines_used;		/* of nb_engines, in group 0 */
	uint64_t opcap[IDXP_OPCAP_WORDS];
	uint32_t cmdcap;
	uint32_t grpcfg_table;
	uint32_t wqcfg_table;
	uint32_t wqcfg_size;
	uint32_t max_batch;
	uint64_t max_xfer;
	uint32_t evl_entry_size;	/* 0: no event log */
};

/* Device-side counters as of the last stats reset (model only). */
struct idxp_ctr_base {
	uint64_t sleeps, wq_intr, injected, evl_overflows;
};

struct idxp_priv {
	char name[RTE_DEV_NAME_MAX_LEN];
	int16_t dev_id;
	struct idxp_devargs args;
	struct idxp_bus *bus;		/* the device */
	struct idxp_caps caps;
	/* The platform that made the bus (vdev glue, PCI), and its teardown. */
	void *plat;
	void (*plat_fini)(struct idxp_priv *priv);
	const struct rte_device *rdev;	/* what the platform probed */
	bool started;
	volatile uint32_t halted;	/* unrecovered halt: calls fail with -EIO */
	uint16_t nb_vchans;
	uint64_t dev_capa;
	uint32_t wq_size;		/* entries of each WQ */

	/* Event log, in our memory, written by the device. */
	const struct rte_memzone *evl_mz;
	uint32_t evl_size;		/* entries */

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
	 * with the control thread's recovery and event-log handling: neither
	 * sees the other's half-done vchan state.
	 */
	pthread_mutex_t ctl_lock;
	pthread_mutex_t evl_lock;	/* one consumer of the event log at a time */
	pthread_mutex_t cmd_lock;	/* one command in CMD at a time */
	struct rte_pmd_idxp_stats xstats;	/* driver-side counters */
	struct idxp_ctr_base ctr_base;
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
bool idxp_vchan_busy(const struct idxp_vchan *vc);
bool idxp_vchan_drained(const struct idxp_vchan *vc);
enum rte_dma_status_code idxp_status_map(uint8_t hw_status);
void idxp_work_queue(struct idxp_vchan *vc, struct idxp_work *w);
/* Arm the vchan's interrupt: a drain with RCI behind its work (idxp_intr.c). */
void idxp_arm_post(struct idxp_vchan *vc);
void idxp_arm_cancel(struct idxp_vchan *vc);

/* idxp_dev.c: the device through its registers. */
int idxp_dev_cmd(struct idxp_priv *priv, uint32_t code, uint32_t operand,
		uint32_t *result, uint32_t timeout_ms);
int idxp_dev_read_caps(struct idxp_priv *priv);
int idxp_dev_init(struct idxp_priv *priv);	/* reset, program, enable */
int idxp_dev_reset(struct idxp_priv *priv);
int idxp_dev_wq_enable(struct idxp_priv *priv, uint16_t wq);
int idxp_dev_wq_disable(struct idxp_priv *priv, uint16_t wq, uint32_t timeout_ms);
int idxp_dev_request_handles(struct idxp_priv *priv);
uint32_t idxp_dev_state(const struct idxp_priv *priv);
void idxp_dev_fini(struct idxp_priv *priv);
bool idxp_dev_has_op(const struct idxp_priv *priv, unsigned int op);

/* idxp_pmd.c */
struct idxp_priv *idxp_priv_get(int16_t dev_id);
int idxp_vchan_get(int16_t dev_id, uint16_t vchan, struct idxp_priv **priv,
		struct idxp_vchan **vc);
int idxp_probe_bus(const char *name, struct idxp_bus *bus,
		const struct idxp_devargs *args, struct rte_device *rdev);
int idxp_remove(const char *name);
int idxp_remove_device(const struct rte_device *rdev);
bool idxp_device_probed(const struct rte_device *rdev);
int idxp_devargs_parse(const char *params, struct idxp_devargs *a);
void idxp_devargs_pick_cpus(struct idxp_devargs *a);
const char *idxp_devargs_first_given(const struct idxp_devargs *a, uint32_t mask);
int idxp_cpu_socket(int cpu);
int idxp_node_usable(int node);

/* idxp_ctrl.c */
int idxp_ctrl_start(struct idxp_priv *priv);
void idxp_ctrl_stop(struct idxp_priv *priv);
/* Act on every event-log entry written so far (caller holds no lock). */
void idxp_ctrl_flush(struct idxp_priv *priv);
void idxp_event_record(struct idxp_priv *priv, const struct rte_pmd_idxp_event *ev);
/* Arm a model injection on WQ @wq (no vchan checks): 0 or -ENOTSUP. */
int idxp_inject(struct idxp_priv *priv, uint16_t wq, enum rte_pmd_idxp_fault kind,
		uint32_t count);
/* Arm what the inject= devargs asked for, once the device is up. */
void idxp_inject_devargs(struct idxp_priv *priv, const struct idxp_devargs *a);
/* Wait until no owner is inside a portal post of @vc (epoch is odd). */
void idxp_vchan_quiesce(struct idxp_vchan *vc);
void idxp_vchans_quiesce(struct idxp_priv *priv);
/* The recovery handshake's fences are asymmetric (idxp_fence.h). */
extern bool idxp_asym_fences;

/* idxp_intr.c */
void idxp_intr_wake_all(struct idxp_priv *priv);

#endif /* IDXP_INTERNAL_H */
