/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_HW_DEFS_H
#define IDXP_HW_DEFS_H

/*
 * DSA wire format: 64-byte descriptors and 32-byte completion records, as
 * the driver writes them to portals and the device writes them back. The
 * layouts and values are those of Linux's <linux/idxd.h> (test_hw_regs
 * checks them against it); the register map is idxp_hw_regs.h.
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
 * Model extension, not a DSA opcode: scatter-gather copy. src/dst point at
 * arrays of struct idxp_hw_sge; xfer_size holds nb_src | nb_dst << 16. The
 * software device reports it in OPCAP; on hardware (no such bit) the
 * driver splits an SG op into memmove descriptors.
 */
#define IDXP_OP_MEMMOVE_SG	0x30

/* Descriptor flags (24 bits below the opcode). */
#define IDXP_FLAG_FENCE		(1u << 0)
#define IDXP_FLAG_BOF		(1u << 1)  /* block on fault */
#define IDXP_FLAG_CRAV		(1u << 2)  /* completion address valid */
#define IDXP_FLAG_RCR		(1u << 3)  /* request completion record */
#define IDXP_FLAG_RCI		(1u << 4)  /* request completion interrupt */
#define IDXP_FLAG_CR		(1u << 7)  /* compare: check result */
#define IDXP_FLAG_CC		(1u << 8)  /* destination cache fill */
#define IDXP_FLAGS_VALID	0x00019fu  /* what the model executes */

/* Word 0: PASID in bits 19:0, bit 31 privileged, the rest reserved. */
#define IDXP_DESC_PASID_MASK	0x000fffffu
#define IDXP_DESC_PRIV		(1u << 31)

struct idxp_hw_desc {
	uint32_t pasid;			/* IDXP_DESC_PASID_MASK | IDXP_DESC_PRIV */
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
	uint16_t intr_handle;		/* with RCI: which interrupt */
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
#define IDXP_COMP_SUCCESS_PRED		0x02	/* compare with CR: mismatch */
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
#define IDXP_COMP_DESCLIST_ALIGN	0x18
#define IDXP_COMP_INT_HANDLE_INVAL	0x19	/* RCI with a revoked handle */
#define IDXP_COMP_CRA_XLAT		0x1a
#define IDXP_COMP_CRA_ALIGN		0x1b
#define IDXP_COMP_HW_ERR1		0x20
#define IDXP_COMP_STATUS_MASK		0x7f
#define IDXP_COMP_WRITE_FAULT		0x80
/*
 * Not a device status: a record the driver completes itself for work the
 * device dropped (halt, reset). Outside the masked range on purpose, as
 * Linux's 0xff abort marker, so it is checked before masking.
 */
#define IDXP_COMP_DRV_ABORT		0xff

struct idxp_hw_comp {
	volatile uint8_t status;	/* written last, release ordering */
	uint8_t result;			/* compare: 0 equal, 1 different */
	uint16_t rsvd;
	uint32_t bytes_completed;	/* batch: descriptors completed */
	uint64_t fault_addr;
	uint64_t op_specific[2];	/* invalid flags, crc value */
} __attribute__((aligned(32)));

static_assert(sizeof(struct idxp_hw_comp) == 32, "completion record is 32 bytes");
static_assert(offsetof(struct idxp_hw_comp, bytes_completed) == 4, "bytes_completed");
static_assert(offsetof(struct idxp_hw_comp, fault_addr) == 8, "fault_addr");

/* Limits of the software device (its capability registers say so). */
#define IDXP_HW_MAX_BATCH	1024u
#define IDXP_HW_MAX_XFER	(1u << 31)
#define IDXP_HW_MAX_SGE		8u
#define IDXP_HW_MAX_WQS		16u
#define IDXP_HW_MAX_ENGINES	16u
/*
 * The model keeps a WQ's queue in its portal page: 64 slots of 64 bytes,
 * so a WQ holds at most 64 descriptors. Hardware WQs are configured from
 * WQCAP's total like any other.
 */
#define IDXP_SW_WQ_SLOTS	(IDXP_PORTAL_SIZE / 64)

#endif /* IDXP_HW_DEFS_H */
