/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_SW_PRIV_H
#define IDXP_SW_PRIV_H

/*
 * The software DSA device: internals of the model. Never included by the
 * driver; the driver reaches the device through struct idxp_bus only.
 */

#include <pthread.h>
#include <stdbool.h>

#include "idxp_bus.h"
#include "idxp_hw_defs.h"
#include "idxp_iommu.h"

struct idxp_sw_dev;
struct idxp_engine;

#define IDXP_IOTLB_SLOTS	64
#define IDXP_IOTLB_SHIFT	21
#define IDXP_SW_GROUPS		4

/* Model register layout: where its tables sit in BAR0. */
#define IDXP_SW_GRPCFG_TABLE	0x400u
#define IDXP_SW_WQCFG_TABLE	0x800u
#define IDXP_SW_WQCFG_SIZE	64u	/* 2.0 entries: config + op config */
#define IDXP_SW_MSIX_TABLE	0xc00u

/* Doorbell of one engine: a portal write rings it only while it sleeps. */
struct idxp_doorbell {
	volatile uint32_t sleeping;	/* set by the engine before it sleeps */
	int fd;				/* eventfd the engine blocks on */
} __attribute__((aligned(64)));

/*
 * One work queue. Its storage is its portal page: descriptor n lands in
 * slot n % 64, either by idxp_sw_portal_write() with the first 8 bytes
 * last, or (direct portals) by the driver's own MOVDIR64B, which stores
 * all 64 bytes at once. The engine takes a slot once its first 8 bytes
 * are non-zero and clears them.
 */
struct idxp_sw_wq {
	struct idxp_hw_desc *slots;	/* IDXP_SW_WQ_SLOTS, in slot memory */
	/* Latched from WQCFG by ENABLE_WQ. */
	uint32_t size;
	uint32_t max_xfer;
	uint32_t max_batch;
	bool bof;
	bool shared;			/* ENQCMD: the device picks the slot */
	volatile uint32_t enabled;
	uint32_t id;
	struct idxp_engine *eng;	/* the engine that serves it */
	/*
	 * Engine side, written per descriptor: a line of its own, or every
	 * portal write (which reads the fields above) would miss on it.
	 */
	uint32_t cursor __attribute__((aligned(64)));	/* next slot to take */
	uint32_t taken;			/* descriptors taken, free-running */
	/*
	 * Shared WQ: slots claimed by enqueuers, free-running, and entries
	 * held by clients outside this process (the fake kernel says).
	 */
	uint32_t prod __attribute__((aligned(64)));
	volatile uint32_t reserved;
} __attribute__((aligned(64)));

struct idxp_engine {
	struct idxp_sw_dev *dev;
	uint32_t id;
	int cpu;
	pthread_t thread;
	volatile int tid;
	struct idxp_doorbell doorbell;
	uint32_t wqs[IDXP_HW_MAX_WQS];	/* WQs of its groups (set while parked) */
	uint32_t nb_wqs;
	volatile int32_t busy_wq;	/* WQ of the descriptor it holds, or -1 */
	volatile uint32_t ack_gen;	/* last park generation it acknowledged */
	volatile uint32_t quit;
	/* Translation: table in use and the IOTLB, valid for tlb_gen. */
	const struct idxp_iommu_table *tbl;
	const struct idxp_iommu_entry *tlb[IDXP_IOTLB_SLOTS];
	uint64_t tlb_gen;
	uint32_t next_prq_id;
} __attribute__((aligned(64)));

struct idxp_sw_dev {
	struct idxp_bus bus;		/* first: bus <-> dev */
	struct idxp_model_params cfg;
	char name[64];
	uint8_t *bar0;			/* IDXP_BAR0_SIZE bytes */
	/*
	 * BAR2: the slot memory itself with direct portals, else a PROT_NONE
	 * window (addresses for portal_write, a fault for a stray store).
	 */
	uint8_t *bar2;
	uint8_t *slot_mem;		/* every WQ's portal pages */
	bool direct;			/* the driver stores with MOVDIR64B */
	bool asym_fences;		/* doorbell pair: see idxp_fence.h */
	struct idxp_iommu *mmu;
	uint64_t spin_cycles;
	volatile uint32_t park_gen;
	/* Command unit. */
	pthread_t cmd_thread;
	int cmd_fd;
	volatile uint32_t cmd_quit;
	uint32_t cmd;			/* the command being executed */
	/* Interrupt handles: vector | generation << 8; revoke bumps it. */
	uint32_t handle_gen;
	uint64_t handles_granted;	/* bit v: vector v has a valid handle */
	/* Event log, latched by ENABLE_DEVICE. */
	bool evl_on;
	uint64_t evl_base;
	uint32_t evl_size;
	pthread_mutex_t evl_lock;	/* engines share one log */
	pthread_mutex_t swerr_lock;
	int vector_fd[IDXP_BUS_MAX_VECTORS];
	struct idxp_sw_wq wq[IDXP_HW_MAX_WQS];
	struct idxp_engine eng[IDXP_HW_MAX_ENGINES];
};

static inline struct idxp_sw_dev *
idxp_sw_of(struct idxp_bus *bus)
{
	return (struct idxp_sw_dev *)bus;
}

/* ---- register file (idxp_sw_regs.c) ---- */

static inline uint32_t
sw_reg32(const struct idxp_sw_dev *dev, uint32_t off)
{
	return __atomic_load_n((const uint32_t *)(dev->bar0 + off), __ATOMIC_ACQUIRE);
}

static inline uint64_t
sw_reg64(const struct idxp_sw_dev *dev, uint32_t off)
{
	return __atomic_load_n((const uint64_t *)(dev->bar0 + off), __ATOMIC_ACQUIRE);
}

static inline void
sw_set32(struct idxp_sw_dev *dev, uint32_t off, uint32_t v)
{
	__atomic_store_n((uint32_t *)(dev->bar0 + off), v, __ATOMIC_RELEASE);
}

static inline void
sw_set64(struct idxp_sw_dev *dev, uint32_t off, uint64_t v)
{
	__atomic_store_n((uint64_t *)(dev->bar0 + off), v, __ATOMIC_RELEASE);
}

static inline void
sw_count(struct idxp_sw_dev *dev, uint32_t ctr)
{
	__atomic_fetch_add((uint64_t *)(dev->bar0 + ctr), 1, __ATOMIC_RELAXED);
}

static inline uint32_t
sw_state(const struct idxp_sw_dev *dev)
{
	return idxp_gensts_state(sw_reg32(dev, IDXP_REG_GENSTS));
}

/* idxp_sw_dev.c, used by the engines. */
void idxp_sw_raise_vector(struct idxp_sw_dev *dev, uint32_t vector);
/* Set an INTCAUSE bit; raise vector 0 if GENCTRL lets that cause. */
void idxp_sw_raise_cause(struct idxp_sw_dev *dev, uint32_t cause);
bool idxp_sw_handle_vector(struct idxp_sw_dev *dev, uint16_t handle,
		uint32_t *vector);
int idxp_sw_evl_write(struct idxp_sw_dev *dev, const struct idxp_dsa_evl_entry *e);
void idxp_sw_halt(struct idxp_sw_dev *dev, uint32_t reason);
void idxp_sw_swerr(struct idxp_sw_dev *dev, uint64_t word0, uint64_t word1,
		uint64_t fault_addr);
bool idxp_sw_engine_idle_wait(struct idxp_engine *eng);
void idxp_sw_engine_nap(struct idxp_engine *eng);

/* idxp_sw_engine.c */
void *idxp_sw_engine_main(void *arg);
bool idxp_sw_wq_pending(const struct idxp_sw_wq *wq);

/* idxp_sw_cmd.c: the command unit. */
void idxp_sw_cmd_run(struct idxp_sw_dev *dev, uint32_t cmd);
int idxp_sw_park_engines(struct idxp_sw_dev *dev);

#endif /* IDXP_SW_PRIV_H */
