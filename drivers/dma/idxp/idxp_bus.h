/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_BUS_H
#define IDXP_BUS_H

/*
 * Where the driver meets a device: the one interface both sides see.
 *
 * A platform (the PCI bus with vfio-pci, or the software model's own
 * "bus") hands the driver a struct idxp_bus: BAR0 and BAR2, the MSI-X
 * vectors as eventfds, register accessors, the 64-byte portal write and,
 * where the platform has one the driver must program, its IOMMU. The
 * driver touches the device through nothing else, and every address that
 * crosses is one the driver writes into a register or a descriptor.
 *
 * The software model registers itself as a provider (idxp_bus_register())
 * and never calls driver code; the driver asks for a model by name
 * (idxp_bus_create()) and never includes a model header.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

struct idxp_bus;
struct idxp_iommu;

#define IDXP_BUS_MAX_VECTORS	33	/* vector 0 (misc) + one per WQ */
#define IDXP_BUS_MAX_CPUS	16

/* How a descriptor reaches a portal. */
enum idxp_portal_kind {
	IDXP_PORTAL_KIND_MOVDIR64B,	/* dedicated WQ on hardware */
	IDXP_PORTAL_KIND_ENQCMD,	/* shared WQ on hardware */
	IDXP_PORTAL_KIND_BUS,		/* the bus's portal_write (model) */
};

struct idxp_bus_ops {
	/* BAR0 accesses at a byte offset, as MMIO reads and writes. */
	uint32_t (*read32)(const struct idxp_bus *bus, uint32_t off);
	uint64_t (*read64)(const struct idxp_bus *bus, uint32_t off);
	void (*write32)(struct idxp_bus *bus, uint32_t off, uint32_t val);
	void (*write64)(struct idxp_bus *bus, uint32_t off, uint64_t val);
	/*
	 * One 64-byte descriptor to @portal (inside BAR2), with the store
	 * semantics of MOVDIR64B: the device sees all 64 bytes or none.
	 * Returns 0, or -EAGAIN when a shared WQ is full (ENQCMD retry).
	 */
	int (*portal_write)(struct idxp_bus *bus, void *portal, const void *desc);
	/* Release what the platform holds; the bus is unusable after. */
	void (*close)(struct idxp_bus *bus);
	/*
	 * A kernel-owned WQ only (IDXP_BUS_F_KERNEL): whether the kernel
	 * still has it enabled (it disables it when the device halts).
	 */
	bool (*wq_enabled)(struct idxp_bus *bus);
};

/* Platform features beyond the DSA register map. */
#define IDXP_BUS_F_MODEL	(1u << 0)	/* model debug registers exist */
/*
 * One work queue the kernel's idxd driver owns: the DSA registers are the
 * kernel's (read32/write32 reach at most the model debug registers), the
 * portal is the WQ's char device page, completions are polled only.
 */
#define IDXP_BUS_F_KERNEL	(1u << 1)

/* A kernel-owned WQ as the kernel publishes it (sysfs). */
struct idxp_bus_wq {
	uint32_t size;			/* entries */
	uint32_t max_batch;
	uint64_t max_xfer;
	uint64_t opcap[4];		/* IDXP_OPCAP_WORDS */
	bool shared;			/* ENQCMD, else MOVDIR64B */
	bool bof;			/* the WQ blocks on faults (SVA) */
};

struct idxp_bus {
	const struct idxp_bus_ops *ops;
	char name[64];
	uint8_t *bar0;			/* NULL: registers belong to the kernel */
	size_t bar0_len;
	uint8_t *bar2;
	size_t bar2_len;
	enum idxp_portal_kind portal_kind;
	int vector_fd[IDXP_BUS_MAX_VECTORS];	/* -1: no such vector */
	unsigned int nb_vectors;
	int numa_node;			/* SOCKET_ID_ANY when unknown */
	uint32_t features;
	/*
	 * The IOMMU in front of the device when the driver programs it (the
	 * model's, as VFIO programs a real one), else NULL: with vfio-pci
	 * DPDK maps its memory itself.
	 */
	struct idxp_iommu *iommu;
	struct idxp_bus_wq kwq;		/* IDXP_BUS_F_KERNEL only */
	/* Readable when the kernel reports a WQ error (char device), or -1. */
	int err_fd;
	void *platform;			/* the provider's own state */
};

/* Signal an eventfd (an MSI-X vector, a doorbell); a no-op for fd < 0. */
static inline void
idxp_eventfd_signal(int fd)
{
	uint64_t one = 1;

	/* An eventfd write cannot fail short of a counter overflow. */
	if (fd >= 0 && write(fd, &one, sizeof(one)) < 0)
		return;
}

/*
 * One 64-byte direct store, atomic to the device: a dedicated WQ's
 * submission. Only where the CPU has MOVDIR64B (the platform checks).
 */
static inline void
idxp_movdir64b(void *dst, const void *src)
{
#if defined(__x86_64__)
	/* movdir64b (%rdx), %rax, spelt out for assemblers that lack it */
	asm volatile(".byte 0x66, 0x0f, 0x38, 0xf8, 0x02"
			: : "a"(dst), "d"(src) : "memory");
#else
	(void)dst;
	(void)src;
#endif
}

/*
 * One 64-byte enqueue to a shared WQ (ENQCMD). False when the device
 * answers "retry" (ZF set: the WQ had no room), and nothing was queued.
 * Only where the CPU has ENQCMD (the platform checks).
 */
static inline bool
idxp_enqcmd(void *dst, const void *src)
{
#if defined(__x86_64__)
	uint8_t retry;

	/* enqcmd (%rdx), %rax */
	asm volatile(".byte 0xf2, 0x0f, 0x38, 0xf8, 0x02\n\tsetz %0"
			: "=r"(retry) : "a"(dst), "d"(src) : "memory", "cc");
	return retry == 0;
#else
	(void)dst;
	(void)src;
	return false;
#endif
}

static inline uint32_t
idxp_reg_read32(const struct idxp_bus *bus, uint32_t off)
{
	return bus->ops->read32(bus, off);
}

static inline uint64_t
idxp_reg_read64(const struct idxp_bus *bus, uint32_t off)
{
	return bus->ops->read64(bus, off);
}

static inline void
idxp_reg_write32(struct idxp_bus *bus, uint32_t off, uint32_t val)
{
	bus->ops->write32(bus, off, val);
}

static inline void
idxp_reg_write64(struct idxp_bus *bus, uint32_t off, uint64_t val)
{
	bus->ops->write64(bus, off, val);
}

/*
 * ---- The software model as a platform device ----
 *
 * Its "device properties", what a machine description would give it.
 */
struct idxp_model_params {
	const char *name;
	int socket;			/* NUMA node of its memory */
	uint32_t nb_wqs;		/* work queues (and vchans) */
	uint32_t nb_engines;
	int cpus[IDXP_BUS_MAX_CPUS];	/* engine i runs on cpus[i], -1: free */
	uint32_t spin_us;		/* idle spin; UINT32_MAX spins forever */
	bool direct_portals;		/* BAR2 takes MOVDIR64B (CPU must have it) */
	struct idxp_iommu *iommu;	/* what the device's DMA goes through */
	/*
	 * "kwq-fake" only: the fake kernel's WQ, its sysfs directory and
	 * char device (a file whose first page is the WQ's portal).
	 */
	const char *kwq_sysfs;
	const char *kwq_cdev;
	/* Model: WQ 0's portal page is this shared mapping, not our memory. */
	void *portal_page;
};

typedef struct idxp_bus *(*idxp_bus_create_t)(const struct idxp_model_params *p);

/* A provider names itself once (constructor); later ones replace it. */
void idxp_bus_register(const char *kind, idxp_bus_create_t create);

/* A device of provider @kind, or NULL (no such provider, or it failed). */
struct idxp_bus *idxp_bus_create(const char *kind,
		const struct idxp_model_params *p);

/*
 * ---- Model-only debug registers (IDXP_BUS_F_MODEL) ----
 *
 * Far above the DSA registers and tables in BAR0, where a real device
 * has nothing: fault injection and device-side counters. The driver uses
 * them only when the bus says they exist.
 */
#define IDXP_MREG_BASE			0x8000u
/* Per WQ, 16 bytes: counts of faults to inject (32-bit, write to arm). */
#define IDXP_MREG_WQ_INJECT(wq, kind)	(IDXP_MREG_BASE + (wq) * 0x10u + (kind) * 4u)
#define IDXP_MINJ_SRC			0
#define IDXP_MINJ_DST			1
#define IDXP_MINJ_COMP			2	/* completion record write */
#define IDXP_MINJ_PAGE_REQ		3	/* an access takes a page request */
#define IDXP_MINJ_MAX			4
/* Device-wide (32-bit, write 1 to arm, one shot each). */
#define IDXP_MREG_INJ_HALT		(IDXP_MREG_BASE + 0x400u)
#define IDXP_MREG_INJ_RESET_FAIL	(IDXP_MREG_BASE + 0x404u)
#define IDXP_MREG_INJ_REVOKE		(IDXP_MREG_BASE + 0x408u)
/* Counters (64-bit, read-only). */
#define IDXP_MREG_CTR_SLEEPS		(IDXP_MREG_BASE + 0x500u)
#define IDXP_MREG_CTR_WQ_INTR		(IDXP_MREG_BASE + 0x508u)
#define IDXP_MREG_CTR_INJECTED		(IDXP_MREG_BASE + 0x510u)
#define IDXP_MREG_CTR_PAGE_REQ		(IDXP_MREG_BASE + 0x518u)
#define IDXP_MREG_CTR_HALTS		(IDXP_MREG_BASE + 0x520u)
#define IDXP_MREG_CTR_EVL_OVERFLOWS	(IDXP_MREG_BASE + 0x528u)
/* Halt reason of the last halt (32-bit). */
#define IDXP_MREG_HALT_REASON		(IDXP_MREG_BASE + 0x530u)
#define IDXP_MHALT_INJECTED		1
#define IDXP_MHALT_EVL_FULL		2	/* a must-log entry found the log full */
#define IDXP_MREG_END			(IDXP_MREG_BASE + 0x600u)

#endif /* IDXP_BUS_H */
