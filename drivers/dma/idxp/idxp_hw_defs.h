/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_HW_DEFS_H
#define IDXP_HW_DEFS_H

/*
 * Wire format shared by the idxp PMD and the device it drives.
 *
 * This is the only header both halves include, with idxp_hw_regs.h (the
 * DSA BAR0 register map) that it pulls in. Layouts follow the DSA
 * architecture: 64-byte descriptors, 32-byte completion records, a 64-byte
 * event-log entry, a portal per work queue and a small register block. The
 * PMD and the device meet nowhere else.
 */

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "idxp_hw_regs.h"

/* Opcodes (descriptor byte 7). */
#define IDXP_OP_NOP		0x00
#define IDXP_OP_BATCH		0x01
#define IDXP_OP_DRAIN		0x02
#define IDXP_OP_MEMMOVE		0x03
#define IDXP_OP_FILL		0x04
#define IDXP_OP_COMPARE		0x05
#define IDXP_OP_CRCGEN		0x10
/*
 * Vendor extension: scatter-gather copy. src/dst point at arrays of
 * struct idxp_hw_sge; xfer_size holds nb_src | nb_dst << 16. A hardware
 * backend without it splits the op into memmove descriptors.
 */
#define IDXP_OP_MEMMOVE_SG	0x30

/* Descriptor flags (24 bits below the opcode). */
#define IDXP_FLAG_FENCE		(1u << 0)
#define IDXP_FLAG_BOF		(1u << 1)  /* block on fault */
#define IDXP_FLAG_CRAV		(1u << 2)  /* completion address valid */
#define IDXP_FLAG_RCR		(1u << 3)  /* request completion record */
#define IDXP_FLAG_RCI		(1u << 4)  /* request completion interrupt */
#define IDXP_FLAG_CC		(1u << 8)  /* destination cache fill */
#define IDXP_FLAGS_VALID	0x00011fu

struct idxp_hw_desc {
	uint32_t pasid;
	uint32_t op_flags;		/* opcode << 24 | flags */
	uint64_t completion;		/* IOVA of a 32-byte completion record */
	union {
		uint64_t src;
		uint64_t desc_list;	/* batch */
		uint64_t pattern;	/* fill */
	};
	uint64_t dst;
	union {
		uint32_t size;
		uint32_t desc_count;	/* batch */
	};
	uint16_t intr_handle;
	uint16_t rsvd0;
	uint64_t op_specific[3];	/* compare: expected result, crc seed */
} __attribute__((aligned(64)));

static_assert(sizeof(struct idxp_hw_desc) == 64, "descriptor is 64 bytes");
static_assert(offsetof(struct idxp_hw_desc, op_flags) == 4, "op_flags");
static_assert(offsetof(struct idxp_hw_desc, completion) == 8, "completion");
static_assert(offsetof(struct idxp_hw_desc, src) == 16, "src");
static_assert(offsetof(struct idxp_hw_desc, dst) == 24, "dst");
static_assert(offsetof(struct idxp_hw_desc, size) == 32, "size");
static_assert(offsetof(struct idxp_hw_desc, intr_handle) == 36, "intr_handle");
static_assert(offsetof(struct idxp_hw_desc, op_specific) == 40, "op_specific");

static inline uint32_t
idxp_op_flags(uint8_t op, uint32_t flags)
{
	return (uint32_t)op << 24 | (flags & 0xffffffu);
}

/* Scatter-gather element of IDXP_OP_MEMMOVE_SG. */
struct idxp_hw_sge {
	uint64_t addr;
	uint32_t len;
	uint32_t rsvd;
};
static_assert(sizeof(struct idxp_hw_sge) == 16, "sge is 16 bytes");

/* Completion status (byte 0 of the record). Bit 7 set: fault on a write. */
#define IDXP_COMP_NONE			0x00
#define IDXP_COMP_SUCCESS		0x01
#define IDXP_COMP_SUCCESS_PRED		0x02	/* compare: mismatch */
#define IDXP_COMP_PAGE_FAULT_NOBOF	0x03
#define IDXP_COMP_PAGE_FAULT_IR		0x04	/* page response: invalid */
#define IDXP_COMP_BATCH_FAIL		0x05
#define IDXP_COMP_BATCH_PAGE_FAULT	0x06	/* fault reading the desc list */
#define IDXP_COMP_BAD_OPCODE		0x10
#define IDXP_COMP_INVALID_FLAGS		0x11
#define IDXP_COMP_NONZERO_RESERVED	0x12
#define IDXP_COMP_XFER_ERANGE		0x13
#define IDXP_COMP_DESC_CNT_ERANGE	0x14
#define IDXP_COMP_OVERLAP_BUFFERS	0x16
#define IDXP_COMP_CRA_XLAT		0x1a
#define IDXP_COMP_CRA_ALIGN		0x1b
#define IDXP_COMP_HW_ABORT		0x20	/* aborted by halt/reset */
#define IDXP_COMP_STATUS_MASK		0x7f
#define IDXP_COMP_WRITE_FAULT		0x80

struct idxp_hw_comp {
	volatile uint8_t status;	/* written last, release ordering */
	uint8_t result;			/* compare: 0 equal, 1 different */
	uint16_t fault_info;		/* index of the failing desc in a batch */
	uint32_t bytes_completed;	/* batch: descriptors completed */
	uint64_t fault_addr;
	uint64_t op_specific[2];	/* crc value */
} __attribute__((aligned(32)));

static_assert(sizeof(struct idxp_hw_comp) == 32, "completion record is 32 bytes");
static_assert(offsetof(struct idxp_hw_comp, bytes_completed) == 4, "bytes_completed");
static_assert(offsetof(struct idxp_hw_comp, fault_addr) == 8, "fault_addr");

/* Device limits the PMD reads from the capability "registers". */
#define IDXP_HW_MAX_BATCH	1024u
#define IDXP_HW_MAX_XFER	(1u << 31)
#define IDXP_HW_MAX_SGE		8u
#define IDXP_HW_MAX_WQS		16u
#define IDXP_HW_MAX_ENGINES	16u

/*
 * Portal: the device-side queue of one work queue. The driver writes a whole
 * descriptor into slots[tail & mask] and then publishes tail (release); the
 * device consumes at head. Both are free-running 32-bit counters.
 */
struct idxp_hw_portal {
	volatile uint32_t tail;		/* written by the driver */
	uint32_t pad0[15];
	volatile uint32_t head;		/* written by the device */
	uint32_t pad1[15];
	struct idxp_hw_desc slots[];
} __attribute__((aligned(64)));
static_assert(offsetof(struct idxp_hw_portal, head) == 64, "head on its own line");
static_assert(offsetof(struct idxp_hw_portal, slots) == 128, "slots");

/* Event-log entry (64 bytes), written by the device at tail. */
#define IDXP_EVL_PAGE_REQUEST	0x01	/* block-on-fault: WQ waits for a response */
#define IDXP_EVL_FAULT		0x02	/* translation fault reported to the log */
#define IDXP_EVL_CR_FAULT	0x03	/* completion record could not be written */
#define IDXP_EVL_SW_ERROR	0x04	/* reserved: software errors go to the
					 * swerr registers, as on DSA 1.0 */

#define IDXP_EVL_F_WRITE	(1u << 0)	/* fault on a write access */
#define IDXP_EVL_F_BATCH	(1u << 1)	/* faulting desc is a batch member */

struct idxp_hw_evl_entry {
	uint8_t type;			/* IDXP_EVL_* */
	uint8_t status;			/* IDXP_COMP_* the op would complete with */
	uint8_t opcode;
	uint8_t flags;			/* IDXP_EVL_F_* */
	uint16_t wq;
	uint16_t batch_index;
	uint32_t pasid;
	uint32_t request_id;		/* page request: echo in the response */
	uint64_t fault_addr;
	uint64_t desc_addr;		/* IOVA of the descriptor, 0 if from portal */
	uint64_t comp_addr;
	uint32_t bytes_completed;
	uint32_t fault_len;		/* bytes the engine needs at fault_addr */
	uint64_t seq;			/* device-global entry sequence number */
	uint64_t rsvd;
} __attribute__((aligned(64)));
static_assert(sizeof(struct idxp_hw_evl_entry) == 64, "evl entry is 64 bytes");
static_assert(offsetof(struct idxp_hw_evl_entry, fault_addr) == 16, "evl fault_addr");

/*
 * Misc interrupt cause bits (register "cause", cleared by writing back):
 * the INTCAUSE bits of idxp_hw_regs.h, so that the values already are
 * the ones a DSA device reports.
 */
#define IDXP_CAUSE_EVL		IDXP_INTCAUSE_EVL
#define IDXP_CAUSE_SWERR	IDXP_INTCAUSE_ERR
#define IDXP_CAUSE_HALT		IDXP_INTCAUSE_HALT_STATE
#define IDXP_CAUSE_CMD_DONE	IDXP_INTCAUSE_CMD

/* Device state register: GENSTS.state values (no drain state here). */
#define IDXP_DEV_DISABLED	IDXP_GENSTS_DISABLED
#define IDXP_DEV_ENABLED	IDXP_GENSTS_ENABLED
#define IDXP_DEV_HALTED		IDXP_GENSTS_HALT

/* Halt reasons (register "halt_reason"). */
#define IDXP_HALT_INJECTED	1
#define IDXP_HALT_EVL_FULL	2	/* a must-log entry found the log full */

/*
 * Commands (register "cmd"), executed synchronously by idxp_hw_cmd(), with
 * the DSA command codes of idxp_hw_regs.h. The model takes a plain WQ
 * index as the argument of every WQ command; IDXP_CMD_ENABLE_WQ,
 * IDXP_CMD_DISABLE_WQ (drains the WQ first) and IDXP_CMD_ABORT_WQ (drops
 * what it holds) come from there too.
 */
#define IDXP_CMD_NONE		0
#define IDXP_CMD_RESET		IDXP_CMD_RESET_DEVICE	/* abort all, disable */
#define IDXP_CMD_ENABLE		IDXP_CMD_ENABLE_DEVICE

/* How long a drain may take before DISABLE_WQ gives up (-ETIMEDOUT). */
#define IDXP_HW_DRAIN_MS	5000

/* Page response codes (driver -> device). */
#define IDXP_PRS_SUCCESS	0	/* retry the access */
#define IDXP_PRS_INVALID	1	/* complete with a page fault status */

#endif /* IDXP_HW_DEFS_H */
