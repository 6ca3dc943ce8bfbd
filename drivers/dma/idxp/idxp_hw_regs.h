/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_HW_REGS_H
#define IDXP_HW_REGS_H

/*
 * DSA register map: the hardware boundary between the idxp driver and a
 * device, whether that is the software model or a real DSA function
 * handed over by vfio-pci.
 *
 * A DSA function has two memory BARs. BAR0 holds the control registers
 * defined here: read-only capabilities (GENCAP, WQCAP, GRPCAP, ENGCAP,
 * OPCAP, CMDCAP), where the configuration tables live (TABLE_OFFSET),
 * device-wide configuration, control and status (GENCFG, GENCTRL,
 * GENSTS), the interrupt cause, a command interface (CMD, CMDSTS), the
 * software error record (SWERR) and the event log set-up (EVLCFG,
 * EVLSTATUS). The group, WQ, MSI-X permission and IMS tables are further
 * into BAR0, at the offsets TABLE_OFFSET reports. BAR2 holds the portals:
 * write-only 4 KB pages a descriptor is submitted to with a single
 * 64-byte store (MOVDIR64B to a dedicated WQ, ENQCMD to a shared one).
 * The event log itself is driver memory the device writes entries to.
 *
 * Layout: DSA Architecture Specification 2.0. It is a superset of 1.x:
 * the event log, per-WQ operation config, read-buffer and progress limits
 * and batch continuation are 2.0 additions that read as zero (absent) on
 * a 1.x device. Field positions were checked against Linux's
 * drivers/dma/idxd/registers.h and SPDK's idxd_spec.h.
 *
 * How a driver uses it:
 *  1. Read VERSION and the capability registers. WQCAP gives the stride
 *     of a WQCFG entry, GRPCAP/ENGCAP the number of groups and engines,
 *     TABLE_OFFSET where each table starts.
 *  2. With GENSTS saying disabled, program GENCFG, every group's GRPCFG
 *     (its WQs and engines), every WQCFG, the MSI-X permission entries
 *     and, when GENCAP reports one, the event log (EVLCFG, then
 *     GENCFG.evl_en). Unmask the error, halt and event log interrupts in
 *     GENCTRL.
 *  3. Commands: wait until CMDSTS is not active, write CMD (code, operand,
 *     and whether to raise INTCAUSE.cmd on completion), then poll CMDSTS
 *     until active clears and read its error code and result. A device
 *     comes up with ENABLE_DEVICE, then ENABLE_WQ once per WQ.
 *  4. MSI-X vector 0 is the device's own ("misc") interrupt. Its handler
 *     reads INTCAUSE and writes the value back: the register is
 *     write-1-to-clear, so this acknowledges exactly what was seen. Then
 *     SWERR for an error, GENSTS for a halt, the event log for EVL.
 *
 * Register values are plain little-endian integers with explicit masks:
 * C bit-fields would leave the bit order to the compiler. A mask selects
 * a field in place; idxp_field_get()/idxp_field_set() move values in and
 * out of it. 32-bit registers take 32-bit accesses, 64-bit ones 64-bit
 * accesses; the wider ones (OPCAP, TABLE_OFFSET, SWERR, EVLCFG) are
 * arrays of 64-bit words.
 *
 * This header depends on nothing but the C library, so the model, the
 * driver and a vfio backend can all include it.
 */

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Contiguous masks, bit @h down to bit @l inclusive. */
#define IDXP_BIT32(n)		(UINT32_C(1) << (n))
#define IDXP_BIT64(n)		(UINT64_C(1) << (n))
#define IDXP_GENMASK32(h, l) \
	((~UINT32_C(0) >> (31 - (h))) & (~UINT32_C(0) << (l)))
#define IDXP_GENMASK64(h, l) \
	((~UINT64_C(0) >> (63 - (h))) & (~UINT64_C(0) << (l)))

/* Value of the field @mask selects in @reg (@mask: contiguous, not 0). */
static inline uint64_t
idxp_field_get(uint64_t reg, uint64_t mask)
{
	return (reg & mask) >> __builtin_ctzll(mask);
}

/* @reg with the field @mask selects set to @val; what does not fit is lost. */
static inline uint64_t
idxp_field_set(uint64_t reg, uint64_t mask, uint64_t val)
{
	return (reg & ~mask) | ((val << __builtin_ctzll(mask)) & mask);
}

/* ---- PCI identity and BARs ---- */

#define IDXP_PCI_VENDOR_INTEL		0x8086
#define IDXP_PCI_DEVICE_DSA_SPR		0x0b25	/* Sapphire Rapids */
#define IDXP_PCI_DEVICE_DSA_GNRD	0x11fb	/* Granite Rapids-D */
#define IDXP_PCI_DEVICE_DSA_DMR		0x1212	/* Diamond Rapids */

#define IDXP_BAR_MMIO		0	/* registers and configuration tables */
#define IDXP_BAR_PORTAL		2	/* work queue portals */

/*
 * BAR0 of the software model. The registers need the first 256 bytes;
 * the tables follow at TABLE_OFFSET. A vfio backend takes the real size
 * from the region info instead of assuming this one.
 */
#define IDXP_BAR0_SIZE		0x10000u

/*
 * Portals. Each WQ owns four consecutive 4 KB pages in BAR2, in this
 * order: unlimited/MSI-X, limited/MSI-X, unlimited/IMS, limited/IMS. A
 * limited portal applies the WQ threshold (WQCFG) to shared-WQ
 * submissions, an unlimited one does not; the IMS pair is for submitters
 * whose completion interrupts are IMS handles rather than MSI-X vectors.
 * Any 64-byte aligned offset inside a page reaches the same WQ.
 */
#define IDXP_PORTAL_SIZE	0x1000u
#define IDXP_PORTALS_PER_WQ	4u
#define IDXP_WQ_PORTAL_STRIDE	(IDXP_PORTALS_PER_WQ * IDXP_PORTAL_SIZE)
#define IDXP_BAR2_SIZE(nb_wqs)	((uint64_t)(nb_wqs) * IDXP_WQ_PORTAL_STRIDE)

enum idxp_portal_prot {
	IDXP_PORTAL_UNLIMITED = 0,
	IDXP_PORTAL_LIMITED = 1,
};

enum idxp_portal_intr {
	IDXP_PORTAL_MSIX = 0,
	IDXP_PORTAL_IMS = 1,
};

/* Offset in BAR2 of a portal of WQ @wq. */
static inline uint64_t
idxp_portal_offset(unsigned int wq, enum idxp_portal_prot prot,
		enum idxp_portal_intr intr)
{
	return (uint64_t)wq * IDXP_WQ_PORTAL_STRIDE +
		((uint64_t)intr * 2 + (uint64_t)prot) * IDXP_PORTAL_SIZE;
}

/* ---- BAR0 register offsets ---- */

/*
 * Every register sits in a naturally aligned slot of its own; the bytes
 * between them (0x04-0x0f, 0x18-0x1f, 0x28-0x2f, 0x70-0x7f, the upper
 * halves of the 32-bit slots from 0x80 to 0xa8, 0xb4-0xbf, 0xf8-0xff) are
 * reserved. Perfmon
 * and the IMS table are located through TABLE_OFFSET and left out here;
 * IAA's IAACAP at 0x180 does not exist on DSA.
 */
#define IDXP_REG_VERSION	0x00	/* 32 bit */
#define IDXP_REG_GENCAP		0x10	/* 64 bit */
#define IDXP_REG_WQCAP		0x20	/* 64 bit */
#define IDXP_REG_GRPCAP		0x30	/* 64 bit */
#define IDXP_REG_ENGCAP		0x38	/* 64 bit */
#define IDXP_REG_OPCAP		0x40	/* 256 bit */
#define IDXP_REG_TABLE_OFFSET	0x60	/* 128 bit */
#define IDXP_REG_GENCFG		0x80	/* 32 bit */
#define IDXP_REG_GENCTRL	0x88	/* 32 bit */
#define IDXP_REG_GENSTS		0x90	/* 32 bit */
#define IDXP_REG_INTCAUSE	0x98	/* 32 bit, write 1 to clear */
#define IDXP_REG_CMD		0xa0	/* 32 bit */
#define IDXP_REG_CMDSTS		0xa8	/* 32 bit */
#define IDXP_REG_CMDCAP		0xb0	/* 32 bit, valid if GENCAP.cmd_cap */
#define IDXP_REG_SWERR		0xc0	/* 256 bit */
#define IDXP_REG_EVLCFG		0xe0	/* 128 bit */
#define IDXP_REG_EVLSTATUS	0xf0	/* 64 bit */

#define IDXP_OPCAP_WORDS	4	/* 64-bit words */
#define IDXP_TABLE_OFFSET_WORDS	2
#define IDXP_SWERR_WORDS	4
#define IDXP_EVLCFG_WORDS	2

/* ---- VERSION ---- */

/*
 * Devices report 0x100 for revision 1.0 and 0x200 for 2.0, so the major
 * number is above bit 7 (Linux's 0xf0/0x0f version masks, which it does
 * not use, would read both as 0.0).
 */
#define IDXP_VERSION_MINOR_MASK	IDXP_GENMASK32(7, 0)
#define IDXP_VERSION_MAJOR_MASK	IDXP_GENMASK32(15, 8)
#define IDXP_VERSION_1_0	0x100u
#define IDXP_VERSION_2_0	0x200u

/* ---- GENCAP: general capabilities ---- */

#define IDXP_GENCAP_BOF			IDXP_BIT64(0)	/* block on fault */
#define IDXP_GENCAP_OVERLAP_COPY	IDXP_BIT64(1)
#define IDXP_GENCAP_CACHE_CTRL_MEM	IDXP_BIT64(2)	/* cache control: memory */
#define IDXP_GENCAP_CACHE_CTRL_CACHE	IDXP_BIT64(3)	/* cache control: cache */
#define IDXP_GENCAP_CMD_CAP		IDXP_BIT64(4)	/* CMDCAP is valid */
#define IDXP_GENCAP_DEST_READBACK	IDXP_BIT64(8)
#define IDXP_GENCAP_DRAIN_READBACK	IDXP_BIT64(9)
/* Event log: 0 none, else entries are 32 << this many bytes (DSA: 1). */
#define IDXP_GENCAP_EVL_SUPPORT_MASK	IDXP_GENMASK64(14, 13)
#define IDXP_GENCAP_BATCH_CONT		IDXP_BIT64(15)	/* batch continuation */
#define IDXP_GENCAP_MAX_XFER_SHIFT_MASK	IDXP_GENMASK64(20, 16)
#define IDXP_GENCAP_MAX_BATCH_SHIFT_MASK IDXP_GENMASK64(24, 21)
#define IDXP_GENCAP_MAX_IMS_MULT_MASK	IDXP_GENMASK64(30, 25)
#define IDXP_GENCAP_CONFIG_EN		IDXP_BIT64(31)	/* tables are writable */

/* Largest transfer of one descriptor, bytes. */
static inline uint64_t
idxp_gencap_max_xfer(uint64_t gencap)
{
	return IDXP_BIT64(idxp_field_get(gencap, IDXP_GENCAP_MAX_XFER_SHIFT_MASK));
}

/* Largest descriptor count of a batch. */
static inline uint32_t
idxp_gencap_max_batch(uint64_t gencap)
{
	return IDXP_BIT32(idxp_field_get(gencap, IDXP_GENCAP_MAX_BATCH_SHIFT_MASK));
}

/* Bytes per event log entry, 0 if the device has no event log. */
static inline uint32_t
idxp_gencap_evl_entry_size(uint64_t gencap)
{
	uint64_t f = idxp_field_get(gencap, IDXP_GENCAP_EVL_SUPPORT_MASK);

	return f == 0 ? 0 : UINT32_C(32) << f;
}

/* ---- WQCAP: work queue capabilities ---- */

#define IDXP_WQCAP_TOTAL_SIZE_MASK	IDXP_GENMASK64(15, 0)	/* entries */
#define IDXP_WQCAP_NUM_WQS_MASK		IDXP_GENMASK64(23, 16)
/* WQCFG entry stride: 32 << this many bytes (1.x: 0, 2.0: 1). */
#define IDXP_WQCAP_WQCFG_SIZE_MASK	IDXP_GENMASK64(27, 24)
#define IDXP_WQCAP_SHARED		IDXP_BIT64(48)
#define IDXP_WQCAP_DEDICATED		IDXP_BIT64(49)
#define IDXP_WQCAP_ATS			IDXP_BIT64(50)	/* per-WQ ATS disable */
#define IDXP_WQCAP_PRIORITY		IDXP_BIT64(51)
#define IDXP_WQCAP_OCCUPANCY		IDXP_BIT64(52)
#define IDXP_WQCAP_OCCUPANCY_INT	IDXP_BIT64(53)
#define IDXP_WQCAP_OP_CONFIG		IDXP_BIT64(54)	/* per-WQ opcodes */
#define IDXP_WQCAP_PRS			IDXP_BIT64(55)	/* per-WQ PRS disable */

/* Bytes from one WQCFG entry to the next. */
static inline uint32_t
idxp_wqcap_wqcfg_size(uint64_t wqcap)
{
	return UINT32_C(32) << idxp_field_get(wqcap, IDXP_WQCAP_WQCFG_SIZE_MASK);
}

/* ---- GRPCAP, ENGCAP ---- */

#define IDXP_GRPCAP_NUM_GROUPS_MASK	IDXP_GENMASK64(7, 0)
#define IDXP_GRPCAP_TOTAL_RDBUFS_MASK	IDXP_GENMASK64(15, 8)
#define IDXP_GRPCAP_RDBUF_CTRL		IDXP_BIT64(16)
#define IDXP_GRPCAP_RDBUF_LIMIT		IDXP_BIT64(17)
#define IDXP_GRPCAP_PROGRESS_LIMIT	IDXP_BIT64(18)

#define IDXP_ENGCAP_NUM_ENGINES_MASK	IDXP_GENMASK64(7, 0)

/* ---- OPCAP, CMDCAP: bit n set when opcode / command n is supported ---- */

static inline bool
idxp_opcap_has(const uint64_t opcap[IDXP_OPCAP_WORDS], unsigned int op)
{
	return op < 64 * IDXP_OPCAP_WORDS && ((opcap[op / 64] >> (op % 64)) & 1);
}

static inline bool
idxp_cmdcap_has(uint32_t cmdcap, unsigned int cmd)
{
	return cmd < 32 && ((cmdcap >> cmd) & 1);
}

/* ---- TABLE_OFFSET: where the tables are, in units of 0x100 bytes ---- */

#define IDXP_TABLE_UNIT			0x100u
/* word 0 */
#define IDXP_TABLE_GRPCFG_MASK		IDXP_GENMASK64(15, 0)
#define IDXP_TABLE_WQCFG_MASK		IDXP_GENMASK64(31, 16)
#define IDXP_TABLE_MSIX_PERM_MASK	IDXP_GENMASK64(47, 32)
#define IDXP_TABLE_IMS_MASK		IDXP_GENMASK64(63, 48)
/* word 1 */
#define IDXP_TABLE_PERFMON_MASK		IDXP_GENMASK64(15, 0)

/* BAR0 offset of the table whose field @mask selects in @word. */
static inline uint32_t
idxp_table_offset(uint64_t word, uint64_t mask)
{
	return (uint32_t)idxp_field_get(word, mask) * IDXP_TABLE_UNIT;
}

/* ---- GENCFG, GENCTRL ---- */

#define IDXP_GENCFG_RDBUF_LIMIT_MASK	IDXP_GENMASK32(7, 0)
#define IDXP_GENCFG_USER_INT_EN		IDXP_BIT32(12)
#define IDXP_GENCFG_EVL_EN		IDXP_BIT32(13)

#define IDXP_GENCTRL_SOFTERR_INT_EN	IDXP_BIT32(0)
#define IDXP_GENCTRL_HALT_INT_EN	IDXP_BIT32(1)
#define IDXP_GENCTRL_EVL_INT_EN		IDXP_BIT32(2)

/* ---- GENSTS ---- */

#define IDXP_GENSTS_STATE_MASK		IDXP_GENMASK32(1, 0)
#define IDXP_GENSTS_RESET_TYPE_MASK	IDXP_GENMASK32(3, 2)

#define IDXP_GENSTS_DISABLED		0
#define IDXP_GENSTS_ENABLED		1
#define IDXP_GENSTS_DRAIN		2	/* disable in progress */
#define IDXP_GENSTS_HALT		3	/* stopped on a fatal error */

/* In the halt state: the reset that brings the device back. */
#define IDXP_RESET_SOFTWARE		0	/* Reset Device command */
#define IDXP_RESET_FLR			1
#define IDXP_RESET_WARM			2
#define IDXP_RESET_COLD			3

static inline uint32_t
idxp_gensts_state(uint32_t gensts)
{
	return (uint32_t)idxp_field_get(gensts, IDXP_GENSTS_STATE_MASK);
}

/* ---- INTCAUSE: why vector 0 fired; write the bits back to clear them ---- */

#define IDXP_INTCAUSE_ERR		IDXP_BIT32(0)	/* SWERR was written */
#define IDXP_INTCAUSE_CMD		IDXP_BIT32(1)	/* a command completed */
#define IDXP_INTCAUSE_OCCUPY		IDXP_BIT32(2)	/* WQ occupancy */
#define IDXP_INTCAUSE_PERFMON		IDXP_BIT32(3)	/* counter overflow */
#define IDXP_INTCAUSE_HALT_STATE	IDXP_BIT32(4)	/* see GENSTS */
#define IDXP_INTCAUSE_EVL		IDXP_BIT32(5)	/* event log entries */
#define IDXP_INTCAUSE_INT_HANDLE_REVOKED IDXP_BIT32(31)

/* ---- CMD, CMDSTS ---- */

#define IDXP_CMD_OPERAND_MASK		IDXP_GENMASK32(19, 0)
#define IDXP_CMD_CODE_MASK		IDXP_GENMASK32(24, 20)
#define IDXP_CMD_REQ_INT		IDXP_BIT32(31)	/* INTCAUSE.cmd when done */

/* Command codes. WQ operands: see idxp_cmd_wq_operand(). */
#define IDXP_CMD_ENABLE_DEVICE		0x01
#define IDXP_CMD_DISABLE_DEVICE		0x02
#define IDXP_CMD_DRAIN_ALL		0x03
#define IDXP_CMD_ABORT_ALL		0x04
#define IDXP_CMD_RESET_DEVICE		0x05	/* also clears the tables */
#define IDXP_CMD_ENABLE_WQ		0x06	/* operand: WQ index */
#define IDXP_CMD_DISABLE_WQ		0x07	/* operand: WQ set */
#define IDXP_CMD_DRAIN_WQ		0x08	/* operand: WQ set */
#define IDXP_CMD_ABORT_WQ		0x09	/* operand: WQ set */
#define IDXP_CMD_RESET_WQ		0x0a	/* operand: WQ set */
#define IDXP_CMD_DRAIN_PASID		0x0b	/* operand: PASID */
#define IDXP_CMD_ABORT_PASID		0x0c	/* operand: PASID */
#define IDXP_CMD_REQUEST_INT_HANDLE	0x0d	/* operand: vector [| IMS] */
#define IDXP_CMD_RELEASE_INT_HANDLE	0x0e	/* operand: handle [| IMS] */

/* Interrupt handle commands: the operand names an IMS entry, not MSI-X. */
#define IDXP_CMD_OPERAND_IMS		IDXP_BIT32(16)

/* CMD value; @irq asks for INTCAUSE.cmd when the command completes. */
static inline uint32_t
idxp_cmd(uint32_t code, uint32_t operand, bool irq)
{
	return (uint32_t)idxp_field_set(0, IDXP_CMD_CODE_MASK, code) |
		(operand & IDXP_CMD_OPERAND_MASK) | (irq ? IDXP_CMD_REQ_INT : 0);
}

/*
 * Operand of the commands that take a WQ set (disable, drain, abort,
 * reset): a 16-bit mask of WQs and, above it, which block of 16 WQs the
 * mask covers. Enable WQ takes the plain index instead.
 */
static inline uint32_t
idxp_cmd_wq_operand(unsigned int wq)
{
	return IDXP_BIT32(wq % 16) | (uint32_t)(wq / 16) << 16;
}

#define IDXP_CMDSTS_ERR_MASK		IDXP_GENMASK32(7, 0)
#define IDXP_CMDSTS_RESULT_MASK		IDXP_GENMASK32(23, 8)	/* e.g. handle */
#define IDXP_CMDSTS_ACTIVE		IDXP_BIT32(31)	/* still executing */

/* Command error codes (CMDSTS bits 7:0), grouped by the command they fail. */
#define IDXP_CMDSTS_SUCCESS		0x00
#define IDXP_CMDSTS_INVAL_CMD		0x01	/* any: unknown code */
#define IDXP_CMDSTS_INVAL_WQIDX		0x02	/* any: WQ out of range */
#define IDXP_CMDSTS_HW_ERR		0x03
/* Enable Device */
#define IDXP_CMDSTS_ERR_DEV_ENABLED	0x10
#define IDXP_CMDSTS_ERR_CONFIG		0x11
#define IDXP_CMDSTS_ERR_BUSMASTER_EN	0x12	/* PCI bus master off */
#define IDXP_CMDSTS_ERR_PASID_INVAL	0x13
#define IDXP_CMDSTS_ERR_WQ_SIZE_ERANGE	0x14	/* WQ sizes over the total */
#define IDXP_CMDSTS_ERR_GRP_CONFIG	0x15
#define IDXP_CMDSTS_ERR_GRP_CONFIG2	0x16
#define IDXP_CMDSTS_ERR_GRP_CONFIG3	0x17
#define IDXP_CMDSTS_ERR_GRP_CONFIG4	0x18
/* Enable WQ */
#define IDXP_CMDSTS_ERR_DEV_NOTEN	0x20	/* device not enabled */
#define IDXP_CMDSTS_ERR_WQ_ENABLED	0x21
#define IDXP_CMDSTS_ERR_WQ_SIZE		0x22
#define IDXP_CMDSTS_ERR_WQ_PRIOR	0x23
#define IDXP_CMDSTS_ERR_WQ_MODE		0x24
#define IDXP_CMDSTS_ERR_BOF_EN		0x25
#define IDXP_CMDSTS_ERR_PASID_EN	0x26
#define IDXP_CMDSTS_ERR_MAX_BATCH_SIZE	0x27
#define IDXP_CMDSTS_ERR_MAX_XFER_SIZE	0x28
/* Disable Device */
#define IDXP_CMDSTS_ERR_DIS_DEV_EN	0x31	/* device not enabled */
/* Disable, Drain, Abort, Reset WQ */
#define IDXP_CMDSTS_ERR_DEV_NOT_EN	0x32
/* Request Interrupt Handle */
#define IDXP_CMDSTS_ERR_INVAL_INT_IDX	0x41
#define IDXP_CMDSTS_ERR_NO_HANDLE	0x42

static inline bool
idxp_cmdsts_active(uint32_t cmdsts)
{
	return (cmdsts & IDXP_CMDSTS_ACTIVE) != 0;
}

static inline uint8_t
idxp_cmdsts_err(uint32_t cmdsts)
{
	return (uint8_t)idxp_field_get(cmdsts, IDXP_CMDSTS_ERR_MASK);
}

static inline uint16_t
idxp_cmdsts_result(uint32_t cmdsts)
{
	return (uint16_t)idxp_field_get(cmdsts, IDXP_CMDSTS_RESULT_MASK);
}

/*
 * ---- Error record: SWERR word 0 and event log entry word 0 ----
 *
 * Both describe the descriptor that failed with the same bits; the
 * differences are SWERR's valid/overflow bits at 1:0 and the event log's
 * error-info-valid bit and batch identifier.
 */
#define IDXP_ERR_DESC_VALID		IDXP_BIT64(2)	/* op and PASID are valid */
#define IDXP_ERR_WQ_VALID		IDXP_BIT64(3)	/* WQ index is valid */
#define IDXP_ERR_BATCH			IDXP_BIT64(4)	/* failed in a batch */
#define IDXP_ERR_FAULT_WRITE		IDXP_BIT64(5)	/* fault on a write */
#define IDXP_ERR_PRIV			IDXP_BIT64(6)	/* privileged desc */
#define IDXP_ERR_CODE_MASK		IDXP_GENMASK64(15, 8)	/* status code */
#define IDXP_ERR_WQ_MASK		IDXP_GENMASK64(23, 16)
#define IDXP_ERR_OP_MASK		IDXP_GENMASK64(39, 32)	/* opcode */
#define IDXP_ERR_PASID_MASK		IDXP_GENMASK64(59, 40)

/* ---- SWERR: the first software error since software last cleared it ---- */

/*
 * Word 0: valid and overflow (another error came while valid was set) are
 * write-1-to-clear; writing IDXP_SWERR_ACK to word 0 rearms the record.
 */
#define IDXP_SWERR_VALID		IDXP_BIT64(0)
#define IDXP_SWERR_OVERFLOW		IDXP_BIT64(1)
#define IDXP_SWERR_ACK			(IDXP_SWERR_VALID | IDXP_SWERR_OVERFLOW)
/* Word 1. */
#define IDXP_SWERR_BATCH_IDX_MASK	IDXP_GENMASK64(15, 0)	/* desc in batch */
#define IDXP_SWERR_INVALID_FLAGS_MASK	IDXP_GENMASK64(63, 32)
/* Word 2: the faulting address. Word 3: reserved. */
#define IDXP_SWERR_FAULT_ADDR_WORD	2

/* ---- EVLCFG: event log set-up (written while the device is disabled) ---- */

/* word 0 */
#define IDXP_EVLCFG_PASID_EN		IDXP_BIT64(0)
#define IDXP_EVLCFG_PRIV		IDXP_BIT64(1)
#define IDXP_EVLCFG_BASE_MASK		IDXP_GENMASK64(63, 12)	/* 4 KB aligned */
/* word 1 */
#define IDXP_EVLCFG_SIZE_MASK		IDXP_GENMASK64(15, 0)	/* in entries */
#define IDXP_EVLCFG_PASID_MASK		IDXP_GENMASK64(35, 16)

#define IDXP_EVLCFG_SIZE_MIN		64u
#define IDXP_EVLCFG_SIZE_MAX		0xffffu

/*
 * EVLCFG for a log of @entries entries at IOVA @base (4 KB aligned, low
 * bits dropped), written by the device with @pasid when @pasid_en.
 */
static inline void
idxp_evlcfg_encode(uint64_t cfg[IDXP_EVLCFG_WORDS], uint64_t base,
		uint32_t entries, bool pasid_en, uint32_t pasid)
{
	cfg[0] = (base & IDXP_EVLCFG_BASE_MASK) |
		(pasid_en ? IDXP_EVLCFG_PASID_EN : 0);
	cfg[1] = idxp_field_set(0, IDXP_EVLCFG_SIZE_MASK, entries);
	if (pasid_en)
		cfg[1] = idxp_field_set(cfg[1], IDXP_EVLCFG_PASID_MASK, pasid);
}

/* ---- EVLSTATUS: the ring's indexes, in entries ---- */

/*
 * Software writes head (lower 32 bits) after consuming entries; the
 * device advances tail. Interrupt-pending is write-1-to-clear: write
 * IDXP_EVLSTATUS_INT_PENDING >> 32 to the upper half alone (offset + 4)
 * so that head is not rewritten.
 */
#define IDXP_EVLSTATUS_HEAD_MASK	IDXP_GENMASK64(15, 0)
#define IDXP_EVLSTATUS_TAIL_MASK	IDXP_GENMASK64(47, 32)
#define IDXP_EVLSTATUS_INT_PENDING	IDXP_BIT64(62)

static inline uint32_t
idxp_evlstatus_head(uint64_t evlstatus)
{
	return (uint32_t)idxp_field_get(evlstatus, IDXP_EVLSTATUS_HEAD_MASK);
}

static inline uint32_t
idxp_evlstatus_tail(uint64_t evlstatus)
{
	return (uint32_t)idxp_field_get(evlstatus, IDXP_EVLSTATUS_TAIL_MASK);
}

/* ---- GRPCFG table: 64 bytes per group ---- */

#define IDXP_GRPCFG_SIZE		64u
#define IDXP_GRPCFG_WQS_OFF		0x00	/* 256-bit WQ bitmap */
#define IDXP_GRPCFG_ENGINES_OFF		0x20	/* 64-bit engine bitmap */
#define IDXP_GRPCFG_FLAGS_OFF		0x28	/* 32 bit in 1.x, 64 in 2.0 */
#define IDXP_GRPCFG_WQS_WORDS		4

/* Group flags. Traffic classes of the group's reads and writes: */
#define IDXP_GRPFLAGS_TC_A_MASK		IDXP_GENMASK64(2, 0)
#define IDXP_GRPFLAGS_TC_B_MASK		IDXP_GENMASK64(5, 3)
#define IDXP_GRPFLAGS_USE_RDBUF_LIMIT	IDXP_BIT64(7)
#define IDXP_GRPFLAGS_RDBUFS_RSVD_MASK	IDXP_GENMASK64(15, 8)	/* reserved */
#define IDXP_GRPFLAGS_RDBUFS_ALLOW_MASK	IDXP_GENMASK64(27, 20)	/* allowed */
#define IDXP_GRPFLAGS_DESC_PROG_MASK	IDXP_GENMASK64(33, 32)	/* 2.0 */
#define IDXP_GRPFLAGS_BATCH_PROG_MASK	IDXP_GENMASK64(37, 36)	/* 2.0 */

static inline uint32_t
idxp_grpcfg_offset(uint32_t grpcfg_table, unsigned int group)
{
	return grpcfg_table + group * IDXP_GRPCFG_SIZE;
}

/*
 * ---- WQCFG table: one entry per WQ, idxp_wqcap_wqcfg_size() apart ----
 *
 * Byte offsets of the 32-bit words of an entry and their fields. Words 0
 * to 5 are configuration, word 6 is mostly status (occupancy, state).
 */
#define IDXP_WQCFG_SIZE_MIN		32u	/* 1.x; 2.0 adds the op config */
#define IDXP_WQCFG_SIZE_OFF		0x00
#define IDXP_WQCFG_WQ_SIZE_MASK		IDXP_GENMASK32(15, 0)	/* entries */
#define IDXP_WQCFG_THRESH_OFF		0x04
#define IDXP_WQCFG_THRESH_MASK		IDXP_GENMASK32(15, 0)	/* limited portal */
#define IDXP_WQCFG_MODE_OFF		0x08
#define IDXP_WQCFG_DEDICATED		IDXP_BIT32(0)	/* clear: shared */
#define IDXP_WQCFG_BOF			IDXP_BIT32(1)
#define IDXP_WQCFG_ATS_DIS		IDXP_BIT32(2)
#define IDXP_WQCFG_PRS_DIS		IDXP_BIT32(3)
#define IDXP_WQCFG_PRIORITY_MASK	IDXP_GENMASK32(7, 4)
#define IDXP_WQCFG_PASID_MASK		IDXP_GENMASK32(27, 8)	/* dedicated WQ */
#define IDXP_WQCFG_PASID_EN		IDXP_BIT32(28)
#define IDXP_WQCFG_PRIV			IDXP_BIT32(29)
#define IDXP_WQCFG_MAX_OFF		0x0c
#define IDXP_WQCFG_MAX_XFER_SHIFT_MASK	IDXP_GENMASK32(4, 0)
#define IDXP_WQCFG_MAX_BATCH_SHIFT_MASK	IDXP_GENMASK32(8, 5)
#define IDXP_WQCFG_OCC_INTH_OFF		0x10
#define IDXP_WQCFG_OCC_INTH_MASK	IDXP_GENMASK32(15, 0)	/* int handle */
#define IDXP_WQCFG_OCC_TABLE_SEL	IDXP_BIT32(16)	/* handle is IMS */
#define IDXP_WQCFG_OCC_LIMIT_OFF	0x14
#define IDXP_WQCFG_OCC_LIMIT_MASK	IDXP_GENMASK32(15, 0)
#define IDXP_WQCFG_OCC_INT_EN		IDXP_BIT32(16)
#define IDXP_WQCFG_STATUS_OFF		0x18
#define IDXP_WQCFG_OCCUPANCY_MASK	IDXP_GENMASK32(15, 0)	/* read only */
#define IDXP_WQCFG_OCC_INT		IDXP_BIT32(16)
#define IDXP_WQCFG_MODE_SUPPORT		IDXP_BIT32(29)
#define IDXP_WQCFG_STATE_MASK		IDXP_GENMASK32(31, 30)
/* 2.0, WQCAP.op_config: 256-bit mask of the opcodes this WQ accepts. */
#define IDXP_WQCFG_OPCFG_OFF		0x20
#define IDXP_WQCFG_OPCFG_WORDS		4

#define IDXP_WQCFG_STATE_DISABLED	0
#define IDXP_WQCFG_STATE_ENABLED	1

static inline uint32_t
idxp_wqcfg_offset(uint32_t wqcfg_table, uint32_t wqcfg_size, unsigned int wq)
{
	return wqcfg_table + wq * wqcfg_size;
}

/* ---- MSI-X permission table: 8 bytes per vector, low 32 bits used ---- */

#define IDXP_MSIX_PERM_SIZE		8u
#define IDXP_MSIX_PERM_IGNORE		IDXP_BIT32(2)
#define IDXP_MSIX_PERM_PASID_EN		IDXP_BIT32(3)
#define IDXP_MSIX_PERM_PASID_MASK	IDXP_GENMASK32(31, 12)

static inline uint32_t
idxp_msix_perm_offset(uint32_t msix_perm_table, unsigned int vector)
{
	return msix_perm_table + vector * IDXP_MSIX_PERM_SIZE;
}

/*
 * ---- Event log entry (DSA 2.0): 64 bytes ----
 *
 * A 32-byte header on the failed descriptor, then the 32-byte completion
 * record it would have written (struct idxp_hw_comp layout). Entry n is
 * at base + n * idxp_gencap_evl_entry_size().
 */
struct idxp_dsa_evl_entry {
	uint64_t info;		/* IDXP_ERR_* and the IDXP_EVLE_* below */
	uint16_t batch_idx;	/* descriptor index in its batch */
	uint16_t rsvd0;
	uint32_t err_data;	/* invalid flags, or IDXP_EVLE_DATA_* */
	uint64_t fault_addr;
	uint64_t rsvd1;
	uint64_t comp[4];	/* completion record */
} __attribute__((aligned(64)));

#define IDXP_EVLE_ERR_INFO_VALID	IDXP_BIT64(7)	/* err_data valid */
#define IDXP_EVLE_BATCH_ID_MASK		IDXP_GENMASK64(31, 24)	/* which batch */

/* err_data for interrupt-handle and page-fault errors. */
#define IDXP_EVLE_DATA_INT_HANDLE_MASK	IDXP_GENMASK32(15, 0)
#define IDXP_EVLE_DATA_RCI		IDXP_BIT32(16)	/* desc asked for an irq */
#define IDXP_EVLE_DATA_IMS		IDXP_BIT32(17)	/* handle is IMS */
#define IDXP_EVLE_DATA_RCR		IDXP_BIT32(18)	/* desc asked for a CR */
#define IDXP_EVLE_DATA_FIRST_ERR	IDXP_BIT32(19)	/* first in its batch */
#define IDXP_EVLE_DATA_OPERAND_MASK	IDXP_GENMASK32(31, 29)	/* faulting addr */

/* ---- Layout checks ---- */

/*
 * True when the masks (up to 16) are pairwise disjoint: their bit counts
 * add up to that of their union.
 */
#define IDXP__POP(x)		__builtin_popcountll((uint64_t)(x))
#define IDXP__POP16(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, ...) \
	(IDXP__POP(a) + IDXP__POP(b) + IDXP__POP(c) + IDXP__POP(d) + \
	 IDXP__POP(e) + IDXP__POP(f) + IDXP__POP(g) + IDXP__POP(h) + \
	 IDXP__POP(i) + IDXP__POP(j) + IDXP__POP(k) + IDXP__POP(l) + \
	 IDXP__POP(m) + IDXP__POP(n) + IDXP__POP(o) + IDXP__POP(p))
#define IDXP__OR16(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, ...) \
	IDXP__POP((uint64_t)(a) | (b) | (c) | (d) | (e) | (f) | (g) | (h) | \
		(i) | (j) | (k) | (l) | (m) | (n) | (o) | (p))
#define IDXP_MASKS_DISJOINT(...) \
	(IDXP__POP16(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) == \
	 IDXP__OR16(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

/* Registers do not overlap, and each is naturally aligned. */
static_assert(IDXP_REG_VERSION + 4 <= IDXP_REG_GENCAP, "VERSION");
static_assert(IDXP_REG_GENCAP + 8 <= IDXP_REG_WQCAP, "GENCAP");
static_assert(IDXP_REG_WQCAP + 8 <= IDXP_REG_GRPCAP, "WQCAP");
static_assert(IDXP_REG_GRPCAP + 8 <= IDXP_REG_ENGCAP, "GRPCAP");
static_assert(IDXP_REG_ENGCAP + 8 <= IDXP_REG_OPCAP, "ENGCAP");
static_assert(IDXP_REG_OPCAP + 8 * IDXP_OPCAP_WORDS <= IDXP_REG_TABLE_OFFSET,
	"OPCAP");
static_assert(IDXP_REG_TABLE_OFFSET + 8 * IDXP_TABLE_OFFSET_WORDS <=
	IDXP_REG_GENCFG, "TABLE_OFFSET");
static_assert(IDXP_REG_GENCFG + 4 <= IDXP_REG_GENCTRL, "GENCFG");
static_assert(IDXP_REG_GENCTRL + 4 <= IDXP_REG_GENSTS, "GENCTRL");
static_assert(IDXP_REG_GENSTS + 4 <= IDXP_REG_INTCAUSE, "GENSTS");
static_assert(IDXP_REG_INTCAUSE + 4 <= IDXP_REG_CMD, "INTCAUSE");
static_assert(IDXP_REG_CMD + 4 <= IDXP_REG_CMDSTS, "CMD");
static_assert(IDXP_REG_CMDSTS + 4 <= IDXP_REG_CMDCAP, "CMDSTS");
static_assert(IDXP_REG_CMDCAP + 4 <= IDXP_REG_SWERR, "CMDCAP");
static_assert(IDXP_REG_SWERR + 8 * IDXP_SWERR_WORDS <= IDXP_REG_EVLCFG, "SWERR");
static_assert(IDXP_REG_EVLCFG + 8 * IDXP_EVLCFG_WORDS <= IDXP_REG_EVLSTATUS,
	"EVLCFG");
static_assert(IDXP_REG_EVLSTATUS + 8 <= 0x100, "registers fit in 256 bytes");
static_assert((IDXP_REG_GENCAP | IDXP_REG_WQCAP | IDXP_REG_GRPCAP |
	IDXP_REG_ENGCAP | IDXP_REG_OPCAP | IDXP_REG_TABLE_OFFSET |
	IDXP_REG_SWERR | IDXP_REG_EVLCFG | IDXP_REG_EVLSTATUS) % 8 == 0,
	"64-bit registers are 8-byte aligned");

/* Fields of one register do not overlap. */
static_assert(IDXP_MASKS_DISJOINT(IDXP_VERSION_MINOR_MASK,
	IDXP_VERSION_MAJOR_MASK), "VERSION fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_GENCAP_BOF, IDXP_GENCAP_OVERLAP_COPY,
	IDXP_GENCAP_CACHE_CTRL_MEM, IDXP_GENCAP_CACHE_CTRL_CACHE,
	IDXP_GENCAP_CMD_CAP, IDXP_GENCAP_DEST_READBACK,
	IDXP_GENCAP_DRAIN_READBACK, IDXP_GENCAP_EVL_SUPPORT_MASK,
	IDXP_GENCAP_BATCH_CONT, IDXP_GENCAP_MAX_XFER_SHIFT_MASK,
	IDXP_GENCAP_MAX_BATCH_SHIFT_MASK, IDXP_GENCAP_MAX_IMS_MULT_MASK,
	IDXP_GENCAP_CONFIG_EN), "GENCAP fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_WQCAP_TOTAL_SIZE_MASK,
	IDXP_WQCAP_NUM_WQS_MASK, IDXP_WQCAP_WQCFG_SIZE_MASK, IDXP_WQCAP_SHARED,
	IDXP_WQCAP_DEDICATED, IDXP_WQCAP_ATS, IDXP_WQCAP_PRIORITY,
	IDXP_WQCAP_OCCUPANCY, IDXP_WQCAP_OCCUPANCY_INT, IDXP_WQCAP_OP_CONFIG,
	IDXP_WQCAP_PRS), "WQCAP fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_GRPCAP_NUM_GROUPS_MASK,
	IDXP_GRPCAP_TOTAL_RDBUFS_MASK, IDXP_GRPCAP_RDBUF_CTRL,
	IDXP_GRPCAP_RDBUF_LIMIT, IDXP_GRPCAP_PROGRESS_LIMIT), "GRPCAP fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_TABLE_GRPCFG_MASK, IDXP_TABLE_WQCFG_MASK,
	IDXP_TABLE_MSIX_PERM_MASK, IDXP_TABLE_IMS_MASK), "TABLE_OFFSET fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_GENCFG_RDBUF_LIMIT_MASK,
	IDXP_GENCFG_USER_INT_EN, IDXP_GENCFG_EVL_EN), "GENCFG fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_GENCTRL_SOFTERR_INT_EN,
	IDXP_GENCTRL_HALT_INT_EN, IDXP_GENCTRL_EVL_INT_EN), "GENCTRL fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_GENSTS_STATE_MASK,
	IDXP_GENSTS_RESET_TYPE_MASK), "GENSTS fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_INTCAUSE_ERR, IDXP_INTCAUSE_CMD,
	IDXP_INTCAUSE_OCCUPY, IDXP_INTCAUSE_PERFMON, IDXP_INTCAUSE_HALT_STATE,
	IDXP_INTCAUSE_EVL, IDXP_INTCAUSE_INT_HANDLE_REVOKED), "INTCAUSE bits");
static_assert(IDXP_MASKS_DISJOINT(IDXP_CMD_OPERAND_MASK, IDXP_CMD_CODE_MASK,
	IDXP_CMD_REQ_INT), "CMD fields");
static_assert(IDXP_CMD_RELEASE_INT_HANDLE <= (IDXP_CMD_CODE_MASK >> 20),
	"command codes fit the code field");
static_assert((IDXP_CMD_OPERAND_IMS & ~IDXP_CMD_OPERAND_MASK) == 0,
	"IMS flag is part of the operand");
static_assert(IDXP_MASKS_DISJOINT(IDXP_CMDSTS_ERR_MASK, IDXP_CMDSTS_RESULT_MASK,
	IDXP_CMDSTS_ACTIVE), "CMDSTS fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_SWERR_VALID, IDXP_SWERR_OVERFLOW,
	IDXP_ERR_DESC_VALID, IDXP_ERR_WQ_VALID, IDXP_ERR_BATCH,
	IDXP_ERR_FAULT_WRITE, IDXP_ERR_PRIV, IDXP_ERR_CODE_MASK,
	IDXP_ERR_WQ_MASK, IDXP_ERR_OP_MASK, IDXP_ERR_PASID_MASK),
	"SWERR word 0 fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_SWERR_BATCH_IDX_MASK,
	IDXP_SWERR_INVALID_FLAGS_MASK), "SWERR word 1 fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_EVLCFG_PASID_EN, IDXP_EVLCFG_PRIV,
	IDXP_EVLCFG_BASE_MASK), "EVLCFG word 0 fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_EVLCFG_SIZE_MASK,
	IDXP_EVLCFG_PASID_MASK), "EVLCFG word 1 fields");
static_assert(IDXP_EVLCFG_SIZE_MAX <= IDXP_EVLCFG_SIZE_MASK,
	"largest log fits the size field");
static_assert(IDXP_MASKS_DISJOINT(IDXP_EVLSTATUS_HEAD_MASK,
	IDXP_EVLSTATUS_TAIL_MASK, IDXP_EVLSTATUS_INT_PENDING),
	"EVLSTATUS fields");
static_assert((IDXP_EVLSTATUS_HEAD_MASK >> 32) == 0 &&
	(IDXP_EVLSTATUS_INT_PENDING & UINT32_MAX) == 0,
	"head in the lower half, interrupt pending in the upper one");
static_assert(IDXP_MASKS_DISJOINT(IDXP_GRPFLAGS_TC_A_MASK,
	IDXP_GRPFLAGS_TC_B_MASK, IDXP_GRPFLAGS_USE_RDBUF_LIMIT,
	IDXP_GRPFLAGS_RDBUFS_RSVD_MASK, IDXP_GRPFLAGS_RDBUFS_ALLOW_MASK,
	IDXP_GRPFLAGS_DESC_PROG_MASK, IDXP_GRPFLAGS_BATCH_PROG_MASK),
	"group flags");
static_assert(IDXP_GRPCFG_ENGINES_OFF == IDXP_GRPCFG_WQS_OFF +
	8 * IDXP_GRPCFG_WQS_WORDS && IDXP_GRPCFG_FLAGS_OFF + 8 <= IDXP_GRPCFG_SIZE,
	"GRPCFG entry layout");
static_assert(IDXP_MASKS_DISJOINT(IDXP_WQCFG_DEDICATED, IDXP_WQCFG_BOF,
	IDXP_WQCFG_ATS_DIS, IDXP_WQCFG_PRS_DIS, IDXP_WQCFG_PRIORITY_MASK,
	IDXP_WQCFG_PASID_MASK, IDXP_WQCFG_PASID_EN, IDXP_WQCFG_PRIV),
	"WQCFG mode word fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_WQCFG_MAX_XFER_SHIFT_MASK,
	IDXP_WQCFG_MAX_BATCH_SHIFT_MASK), "WQCFG limits word fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_WQCFG_OCCUPANCY_MASK, IDXP_WQCFG_OCC_INT,
	IDXP_WQCFG_MODE_SUPPORT, IDXP_WQCFG_STATE_MASK), "WQCFG status fields");
static_assert(IDXP_WQCFG_STATUS_OFF + 4 <= IDXP_WQCFG_SIZE_MIN &&
	IDXP_WQCFG_OPCFG_OFF == IDXP_WQCFG_SIZE_MIN,
	"WQCFG: 32 bytes of config, then the op config");
static_assert(IDXP_MASKS_DISJOINT(IDXP_MSIX_PERM_IGNORE, IDXP_MSIX_PERM_PASID_EN,
	IDXP_MSIX_PERM_PASID_MASK), "MSI-X permission fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_ERR_DESC_VALID, IDXP_ERR_WQ_VALID,
	IDXP_ERR_BATCH, IDXP_ERR_FAULT_WRITE, IDXP_ERR_PRIV,
	IDXP_EVLE_ERR_INFO_VALID, IDXP_ERR_CODE_MASK, IDXP_ERR_WQ_MASK,
	IDXP_EVLE_BATCH_ID_MASK, IDXP_ERR_OP_MASK, IDXP_ERR_PASID_MASK),
	"event log word 0 fields");
static_assert(IDXP_MASKS_DISJOINT(IDXP_EVLE_DATA_INT_HANDLE_MASK,
	IDXP_EVLE_DATA_RCI, IDXP_EVLE_DATA_IMS, IDXP_EVLE_DATA_RCR,
	IDXP_EVLE_DATA_FIRST_ERR, IDXP_EVLE_DATA_OPERAND_MASK),
	"event log error data fields");
static_assert(sizeof(struct idxp_dsa_evl_entry) == 64, "evl entry is 64 bytes");
static_assert(offsetof(struct idxp_dsa_evl_entry, batch_idx) == 8, "batch_idx");
static_assert(offsetof(struct idxp_dsa_evl_entry, err_data) == 12, "err_data");
static_assert(offsetof(struct idxp_dsa_evl_entry, fault_addr) == 16, "fault_addr");
static_assert(offsetof(struct idxp_dsa_evl_entry, comp) == 32, "comp");
static_assert(sizeof(((struct idxp_dsa_evl_entry *)0)->comp) == 32,
	"a completion record");

/* Portals: four pages a WQ, in the order the enums encode. */
static_assert(IDXP_WQ_PORTAL_STRIDE == 0x4000, "16 KB of portals per WQ");

#endif /* IDXP_HW_REGS_H */
