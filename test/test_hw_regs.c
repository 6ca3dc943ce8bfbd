/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * DSA register map. Every register offset, command, cause, state and
 * error code of idxp_hw_regs.h and the bit range of every field are
 * compared with the DSA Architecture Specification's numbers, written out
 * here (comments name the spec's register) rather than derived from the
 * header; the getters decode and encode a few known values; and the
 * descriptor and completion record of idxp_hw_defs.h are compared with
 * Linux's uapi <linux/idxd.h>, field by field and constant by constant.
 * Nothing here needs a device.
 */

#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include <linux/idxd.h>

#include "idxp_hw_defs.h"
#include "test_common.h"

#define CHECK_EQ(got, want) \
	CHECK((uint64_t)(got) == (uint64_t)(want), "%s is 0x%" PRIx64 \
			", expected 0x%" PRIx64, #got, (uint64_t)(got), \
			(uint64_t)(want))

/* Bits @hi down to @lo, built bit by bit so as not to reuse the header's. */
static uint64_t
bits(unsigned int hi, unsigned int lo)
{
	uint64_t m = 0;
	unsigned int b;

	for (b = lo; b <= hi; b++)
		m |= (uint64_t)1 << b;
	return m;
}

struct val {
	const char *name;
	uint64_t got;
	uint64_t spec;
};
#define V(name, spec) { #name, (uint64_t)(name), (spec) }

static void
check_vals(const struct val *v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		CHECK(v[i].got == v[i].spec, "%s is 0x%" PRIx64 ", spec 0x%" PRIx64,
				v[i].name, v[i].got, v[i].spec);
}

static void
test_offsets(void)
{
	static const struct val v[] = {
		V(IDXP_BAR_MMIO, 0),
		V(IDXP_BAR_PORTAL, 2),
		V(IDXP_REG_VERSION, 0x00),	/* Version Register */
		V(IDXP_REG_GENCAP, 0x10),	/* General Capabilities */
		V(IDXP_REG_WQCAP, 0x20),	/* Work Queue Capabilities */
		V(IDXP_REG_GRPCAP, 0x30),	/* Group Capabilities */
		V(IDXP_REG_ENGCAP, 0x38),	/* Engine Capabilities */
		V(IDXP_REG_OPCAP, 0x40),	/* Operations Capabilities */
		V(IDXP_REG_TABLE_OFFSET, 0x60),	/* Table Offsets */
		V(IDXP_REG_GENCFG, 0x80),	/* General Configuration */
		V(IDXP_REG_GENCTRL, 0x88),	/* General Control */
		V(IDXP_REG_GENSTS, 0x90),	/* General Status */
		V(IDXP_REG_INTCAUSE, 0x98),	/* Interrupt Cause */
		V(IDXP_REG_CMD, 0xa0),		/* Command */
		V(IDXP_REG_CMDSTS, 0xa8),	/* Command Status */
		V(IDXP_REG_CMDCAP, 0xb0),	/* Command Capabilities */
		V(IDXP_REG_SWERR, 0xc0),	/* Software Error */
		V(IDXP_REG_EVLCFG, 0xe0),	/* Event Log Configuration */
		V(IDXP_REG_EVLSTATUS, 0xf0),	/* Event Log Status */
		V(IDXP_OPCAP_WORDS, 4),		/* 256 bits */
		V(IDXP_TABLE_OFFSET_WORDS, 2),	/* 128 bits */
		V(IDXP_SWERR_WORDS, 4),		/* 256 bits */
		V(IDXP_EVLCFG_WORDS, 2),	/* 128 bits */
		V(IDXP_TABLE_UNIT, 0x100),	/* Table Offsets: 256-byte units */
		/* Group Configuration Table: 64 bytes a group */
		V(IDXP_GRPCFG_SIZE, 64),
		V(IDXP_GRPCFG_WQS_OFF, 0),
		V(IDXP_GRPCFG_ENGINES_OFF, 32),
		V(IDXP_GRPCFG_FLAGS_OFF, 40),
		/* Work Queue Configuration Table: 32-bit words of an entry */
		V(IDXP_WQCFG_SIZE_MIN, 32),
		V(IDXP_WQCFG_SIZE_OFF, 0),
		V(IDXP_WQCFG_THRESH_OFF, 4),
		V(IDXP_WQCFG_MODE_OFF, 8),
		V(IDXP_WQCFG_MAX_OFF, 12),
		V(IDXP_WQCFG_OCC_INTH_OFF, 16),
		V(IDXP_WQCFG_OCC_LIMIT_OFF, 20),
		V(IDXP_WQCFG_STATUS_OFF, 24),
		V(IDXP_WQCFG_OPCFG_OFF, 32),
		V(IDXP_MSIX_PERM_SIZE, 8),	/* MSI-X Permissions Table */
		V(IDXP_PORTAL_SIZE, 4096),	/* Work Queue Portals */
		V(IDXP_PORTALS_PER_WQ, 4),
		V(IDXP_EVLCFG_SIZE_MIN, 64),	/* Event Log: entries */
		V(IDXP_EVLCFG_SIZE_MAX, 65535),
		V(IDXP_PCI_VENDOR_INTEL, 0x8086),
		V(IDXP_PCI_DEVICE_DSA_SPR, 0x0b25),
		V(IDXP_PCI_DEVICE_DSA_GNRD, 0x11fb),
		V(IDXP_PCI_DEVICE_DSA_DMR, 0x1212),
		V(IDXP_VERSION_1_0, 0x100),
		V(IDXP_VERSION_2_0, 0x200),
	};

	check_vals(v, RTE_DIM(v));
}

static void
test_codes(void)
{
	static const struct val v[] = {
		/* Command Register: command codes */
		V(IDXP_CMD_ENABLE_DEVICE, 1),
		V(IDXP_CMD_DISABLE_DEVICE, 2),
		V(IDXP_CMD_DRAIN_ALL, 3),
		V(IDXP_CMD_ABORT_ALL, 4),
		V(IDXP_CMD_RESET_DEVICE, 5),
		V(IDXP_CMD_ENABLE_WQ, 6),
		V(IDXP_CMD_DISABLE_WQ, 7),
		V(IDXP_CMD_DRAIN_WQ, 8),
		V(IDXP_CMD_ABORT_WQ, 9),
		V(IDXP_CMD_RESET_WQ, 10),
		V(IDXP_CMD_DRAIN_PASID, 11),
		V(IDXP_CMD_ABORT_PASID, 12),
		V(IDXP_CMD_REQUEST_INT_HANDLE, 13),
		V(IDXP_CMD_RELEASE_INT_HANDLE, 14),
		V(IDXP_CMD_OPERAND_IMS, 0x10000),
		/* Interrupt Cause Register */
		V(IDXP_INTCAUSE_ERR, 0x01),
		V(IDXP_INTCAUSE_CMD, 0x02),
		V(IDXP_INTCAUSE_OCCUPY, 0x04),
		V(IDXP_INTCAUSE_PERFMON, 0x08),
		V(IDXP_INTCAUSE_HALT_STATE, 0x10),
		V(IDXP_INTCAUSE_EVL, 0x20),
		V(IDXP_INTCAUSE_INT_HANDLE_REVOKED, 0x80000000),
		/* General Status Register: device state, reset type */
		V(IDXP_GENSTS_DISABLED, 0),
		V(IDXP_GENSTS_ENABLED, 1),
		V(IDXP_GENSTS_DRAIN, 2),
		V(IDXP_GENSTS_HALT, 3),
		V(IDXP_RESET_SOFTWARE, 0),
		V(IDXP_RESET_FLR, 1),
		V(IDXP_RESET_WARM, 2),
		V(IDXP_RESET_COLD, 3),
		/* Work Queue Configuration Table: WQ state */
		V(IDXP_WQCFG_STATE_DISABLED, 0),
		V(IDXP_WQCFG_STATE_ENABLED, 1),
		/* Command Status Register: error codes */
		V(IDXP_CMDSTS_SUCCESS, 0x00),
		V(IDXP_CMDSTS_INVAL_CMD, 0x01),
		V(IDXP_CMDSTS_INVAL_WQIDX, 0x02),
		V(IDXP_CMDSTS_HW_ERR, 0x03),
		V(IDXP_CMDSTS_ERR_DEV_ENABLED, 0x10),
		V(IDXP_CMDSTS_ERR_CONFIG, 0x11),
		V(IDXP_CMDSTS_ERR_BUSMASTER_EN, 0x12),
		V(IDXP_CMDSTS_ERR_PASID_INVAL, 0x13),
		V(IDXP_CMDSTS_ERR_WQ_SIZE_ERANGE, 0x14),
		V(IDXP_CMDSTS_ERR_GRP_CONFIG, 0x15),
		V(IDXP_CMDSTS_ERR_GRP_CONFIG2, 0x16),
		V(IDXP_CMDSTS_ERR_GRP_CONFIG3, 0x17),
		V(IDXP_CMDSTS_ERR_GRP_CONFIG4, 0x18),
		V(IDXP_CMDSTS_ERR_DEV_NOTEN, 0x20),
		V(IDXP_CMDSTS_ERR_WQ_ENABLED, 0x21),
		V(IDXP_CMDSTS_ERR_WQ_SIZE, 0x22),
		V(IDXP_CMDSTS_ERR_WQ_PRIOR, 0x23),
		V(IDXP_CMDSTS_ERR_WQ_MODE, 0x24),
		V(IDXP_CMDSTS_ERR_BOF_EN, 0x25),
		V(IDXP_CMDSTS_ERR_PASID_EN, 0x26),
		V(IDXP_CMDSTS_ERR_MAX_BATCH_SIZE, 0x27),
		V(IDXP_CMDSTS_ERR_MAX_XFER_SIZE, 0x28),
		V(IDXP_CMDSTS_ERR_DIS_DEV_EN, 0x31),
		V(IDXP_CMDSTS_ERR_DEV_NOT_EN, 0x32),
		V(IDXP_CMDSTS_ERR_INVAL_INT_IDX, 0x41),
		V(IDXP_CMDSTS_ERR_NO_HANDLE, 0x42),
	};

	check_vals(v, RTE_DIM(v));
}

struct field {
	const char *name;
	uint64_t mask;
	unsigned int hi, lo;
};
#define F(mask, hi, lo) { #mask, (uint64_t)(mask), (hi), (lo) }
#define B(mask, bit) F(mask, bit, bit)

/* Every field: the spec's bit range, and a value set and read back. */
static const struct field fields[] = {
	/* Version Register */
	F(IDXP_VERSION_MINOR_MASK, 7, 0),
	F(IDXP_VERSION_MAJOR_MASK, 15, 8),
	/* General Capabilities Register */
	B(IDXP_GENCAP_BOF, 0),
	B(IDXP_GENCAP_OVERLAP_COPY, 1),
	B(IDXP_GENCAP_CACHE_CTRL_MEM, 2),
	B(IDXP_GENCAP_CACHE_CTRL_CACHE, 3),
	B(IDXP_GENCAP_CMD_CAP, 4),
	B(IDXP_GENCAP_DEST_READBACK, 8),
	B(IDXP_GENCAP_DRAIN_READBACK, 9),
	F(IDXP_GENCAP_EVL_SUPPORT_MASK, 14, 13),
	B(IDXP_GENCAP_BATCH_CONT, 15),
	F(IDXP_GENCAP_MAX_XFER_SHIFT_MASK, 20, 16),
	F(IDXP_GENCAP_MAX_BATCH_SHIFT_MASK, 24, 21),
	F(IDXP_GENCAP_MAX_IMS_MULT_MASK, 30, 25),
	B(IDXP_GENCAP_CONFIG_EN, 31),
	/* Work Queue Capabilities Register */
	F(IDXP_WQCAP_TOTAL_SIZE_MASK, 15, 0),
	F(IDXP_WQCAP_NUM_WQS_MASK, 23, 16),
	F(IDXP_WQCAP_WQCFG_SIZE_MASK, 27, 24),
	B(IDXP_WQCAP_SHARED, 48),
	B(IDXP_WQCAP_DEDICATED, 49),
	B(IDXP_WQCAP_ATS, 50),
	B(IDXP_WQCAP_PRIORITY, 51),
	B(IDXP_WQCAP_OCCUPANCY, 52),
	B(IDXP_WQCAP_OCCUPANCY_INT, 53),
	B(IDXP_WQCAP_OP_CONFIG, 54),
	B(IDXP_WQCAP_PRS, 55),
	/* Group Capabilities Register, Engine Capabilities Register */
	F(IDXP_GRPCAP_NUM_GROUPS_MASK, 7, 0),
	F(IDXP_GRPCAP_TOTAL_RDBUFS_MASK, 15, 8),
	B(IDXP_GRPCAP_RDBUF_CTRL, 16),
	B(IDXP_GRPCAP_RDBUF_LIMIT, 17),
	B(IDXP_GRPCAP_PROGRESS_LIMIT, 18),
	F(IDXP_ENGCAP_NUM_ENGINES_MASK, 7, 0),
	/* Table Offsets Register: words 0 and 1 */
	F(IDXP_TABLE_GRPCFG_MASK, 15, 0),
	F(IDXP_TABLE_WQCFG_MASK, 31, 16),
	F(IDXP_TABLE_MSIX_PERM_MASK, 47, 32),
	F(IDXP_TABLE_IMS_MASK, 63, 48),
	F(IDXP_TABLE_PERFMON_MASK, 15, 0),
	/* General Configuration, General Control, General Status */
	F(IDXP_GENCFG_RDBUF_LIMIT_MASK, 7, 0),
	B(IDXP_GENCFG_USER_INT_EN, 12),
	B(IDXP_GENCFG_EVL_EN, 13),
	B(IDXP_GENCTRL_SOFTERR_INT_EN, 0),
	B(IDXP_GENCTRL_HALT_INT_EN, 1),
	B(IDXP_GENCTRL_EVL_INT_EN, 2),
	F(IDXP_GENSTS_STATE_MASK, 1, 0),
	F(IDXP_GENSTS_RESET_TYPE_MASK, 3, 2),
	/* Command Register, Command Status Register */
	F(IDXP_CMD_OPERAND_MASK, 19, 0),
	F(IDXP_CMD_CODE_MASK, 24, 20),
	B(IDXP_CMD_REQ_INT, 31),
	F(IDXP_CMDSTS_ERR_MASK, 7, 0),
	F(IDXP_CMDSTS_RESULT_MASK, 23, 8),
	B(IDXP_CMDSTS_ACTIVE, 31),
	/* Software Error Register: words 0 and 1 */
	B(IDXP_SWERR_VALID, 0),
	B(IDXP_SWERR_OVERFLOW, 1),
	B(IDXP_ERR_DESC_VALID, 2),
	B(IDXP_ERR_WQ_VALID, 3),
	B(IDXP_ERR_BATCH, 4),
	B(IDXP_ERR_FAULT_WRITE, 5),
	B(IDXP_ERR_PRIV, 6),
	F(IDXP_ERR_CODE_MASK, 15, 8),
	F(IDXP_ERR_WQ_MASK, 23, 16),
	F(IDXP_ERR_OP_MASK, 39, 32),
	F(IDXP_ERR_PASID_MASK, 59, 40),
	F(IDXP_SWERR_BATCH_IDX_MASK, 15, 0),
	F(IDXP_SWERR_INVALID_FLAGS_MASK, 63, 32),
	/* Event Log Configuration Register: words 0 and 1 */
	B(IDXP_EVLCFG_PASID_EN, 0),
	B(IDXP_EVLCFG_PRIV, 1),
	F(IDXP_EVLCFG_BASE_MASK, 63, 12),
	F(IDXP_EVLCFG_SIZE_MASK, 15, 0),
	F(IDXP_EVLCFG_PASID_MASK, 35, 16),
	/* Event Log Status Register */
	F(IDXP_EVLSTATUS_HEAD_MASK, 15, 0),
	F(IDXP_EVLSTATUS_TAIL_MASK, 47, 32),
	B(IDXP_EVLSTATUS_INT_PENDING, 62),
	/* Group Configuration Table: group flags */
	F(IDXP_GRPFLAGS_TC_A_MASK, 2, 0),
	F(IDXP_GRPFLAGS_TC_B_MASK, 5, 3),
	B(IDXP_GRPFLAGS_USE_RDBUF_LIMIT, 7),
	F(IDXP_GRPFLAGS_RDBUFS_RSVD_MASK, 15, 8),
	F(IDXP_GRPFLAGS_RDBUFS_ALLOW_MASK, 27, 20),
	F(IDXP_GRPFLAGS_DESC_PROG_MASK, 33, 32),
	F(IDXP_GRPFLAGS_BATCH_PROG_MASK, 37, 36),
	/* Work Queue Configuration Table, word by word */
	F(IDXP_WQCFG_WQ_SIZE_MASK, 15, 0),
	F(IDXP_WQCFG_THRESH_MASK, 15, 0),
	B(IDXP_WQCFG_DEDICATED, 0),
	B(IDXP_WQCFG_BOF, 1),
	B(IDXP_WQCFG_ATS_DIS, 2),
	B(IDXP_WQCFG_PRS_DIS, 3),
	F(IDXP_WQCFG_PRIORITY_MASK, 7, 4),
	F(IDXP_WQCFG_PASID_MASK, 27, 8),
	B(IDXP_WQCFG_PASID_EN, 28),
	B(IDXP_WQCFG_PRIV, 29),
	F(IDXP_WQCFG_MAX_XFER_SHIFT_MASK, 4, 0),
	F(IDXP_WQCFG_MAX_BATCH_SHIFT_MASK, 8, 5),
	F(IDXP_WQCFG_OCC_INTH_MASK, 15, 0),
	B(IDXP_WQCFG_OCC_TABLE_SEL, 16),
	F(IDXP_WQCFG_OCC_LIMIT_MASK, 15, 0),
	B(IDXP_WQCFG_OCC_INT_EN, 16),
	F(IDXP_WQCFG_OCCUPANCY_MASK, 15, 0),
	B(IDXP_WQCFG_OCC_INT, 16),
	B(IDXP_WQCFG_MODE_SUPPORT, 29),
	F(IDXP_WQCFG_STATE_MASK, 31, 30),
	/* MSI-X Permissions Table entry */
	B(IDXP_MSIX_PERM_IGNORE, 2),
	B(IDXP_MSIX_PERM_PASID_EN, 3),
	F(IDXP_MSIX_PERM_PASID_MASK, 31, 12),
	/* Event Log entry: word 0 (beyond the SWERR bits), error data */
	B(IDXP_EVLE_ERR_INFO_VALID, 7),
	F(IDXP_EVLE_BATCH_ID_MASK, 31, 24),
	F(IDXP_EVLE_DATA_INT_HANDLE_MASK, 15, 0),
	B(IDXP_EVLE_DATA_RCI, 16),
	B(IDXP_EVLE_DATA_IMS, 17),
	B(IDXP_EVLE_DATA_RCR, 18),
	B(IDXP_EVLE_DATA_FIRST_ERR, 19),
	F(IDXP_EVLE_DATA_OPERAND_MASK, 31, 29),
};

static void
test_fields(void)
{
	const uint64_t pattern = UINT64_C(0x9e3779b97f4a7c15);
	unsigned int i;

	for (i = 0; i < RTE_DIM(fields); i++) {
		const struct field *f = &fields[i];
		uint64_t width_max = bits(f->hi - f->lo, 0);
		uint64_t vals[2] = { width_max, (pattern >> i) & width_max };
		unsigned int j;

		CHECK(f->mask == bits(f->hi, f->lo), "%s is 0x%" PRIx64
				", spec bits %u:%u", f->name, f->mask, f->hi, f->lo);
		/* Set into a register of all ones elsewhere: nothing else moves. */
		for (j = 0; j < RTE_DIM(vals); j++) {
			uint64_t reg = idxp_field_set(~f->mask, f->mask, vals[j]);

			CHECK(idxp_field_get(reg, f->mask) == vals[j] &&
					(reg | f->mask) == ~UINT64_C(0),
					"%s: 0x%" PRIx64 " does not round-trip",
					f->name, vals[j]);
		}
		CHECK(idxp_field_get(idxp_field_set(0, f->mask, width_max + 1),
				f->mask) == 0, "%s: a too wide value spills", f->name);
	}
}

static void
test_getters(void)
{
	uint64_t gencap, wqcap, tables[IDXP_TABLE_OFFSET_WORDS], evlcfg[2];
	uint64_t opcap[IDXP_OPCAP_WORDS] = { 0x1b, 0, 0, UINT64_C(1) << 63 };
	uint64_t evlstatus;
	uint32_t cmdsts;

	/* GENCAP: 2 GB transfers, 1024-descriptor batches, 64-byte entries. */
	gencap = (UINT64_C(31) << 16) | (UINT64_C(10) << 21) | (UINT64_C(1) << 13) |
		IDXP_BIT64(0) | IDXP_BIT64(31);
	CHECK_EQ(idxp_gencap_max_xfer(gencap), UINT64_C(1) << 31);
	CHECK_EQ(idxp_gencap_max_batch(gencap), 1024);
	CHECK_EQ(idxp_gencap_evl_entry_size(gencap), 64);
	CHECK_EQ(idxp_gencap_evl_entry_size(gencap & ~(UINT64_C(3) << 13)), 0);
	CHECK_EQ(idxp_gencap_evl_entry_size(UINT64_C(2) << 13), 128);	/* IAA */
	CHECK((gencap & IDXP_GENCAP_BOF) && (gencap & IDXP_GENCAP_CONFIG_EN),
			"GENCAP flags");

	/* WQCAP of a 1.x device: 128 entries, 8 WQs, 32-byte WQCFG; then 2.0. */
	wqcap = 128 | (8 << 16) | IDXP_BIT64(48) | IDXP_BIT64(49);
	CHECK_EQ(idxp_field_get(wqcap, IDXP_WQCAP_TOTAL_SIZE_MASK), 128);
	CHECK_EQ(idxp_field_get(wqcap, IDXP_WQCAP_NUM_WQS_MASK), 8);
	CHECK_EQ(idxp_wqcap_wqcfg_size(wqcap), 32);
	CHECK_EQ(idxp_wqcap_wqcfg_size(wqcap | (UINT64_C(1) << 24)), 64);
	CHECK_EQ(idxp_wqcfg_offset(0x500, 64, 3), 0x500 + 3 * 64);

	/* Tables at 0x400 (groups), 0x500 (WQs), 0x600 (MSI-X), perfmon 0x2000. */
	tables[0] = 0x4 | (0x5 << 16) | (UINT64_C(0x6) << 32);
	tables[1] = 0x20;
	CHECK_EQ(idxp_table_offset(tables[0], IDXP_TABLE_GRPCFG_MASK), 0x400);
	CHECK_EQ(idxp_table_offset(tables[0], IDXP_TABLE_WQCFG_MASK), 0x500);
	CHECK_EQ(idxp_table_offset(tables[0], IDXP_TABLE_MSIX_PERM_MASK), 0x600);
	CHECK_EQ(idxp_table_offset(tables[0], IDXP_TABLE_IMS_MASK), 0);
	CHECK_EQ(idxp_table_offset(tables[1], IDXP_TABLE_PERFMON_MASK), 0x2000);
	CHECK_EQ(idxp_grpcfg_offset(0x400, 2), 0x400 + 2 * 64);
	CHECK_EQ(idxp_msix_perm_offset(0x600, 5), 0x600 + 5 * 8);

	/* OPCAP bits 0, 1, 3, 4 and 255; CMDCAP bits. */
	CHECK(idxp_opcap_has(opcap, 0) && idxp_opcap_has(opcap, 1) &&
			!idxp_opcap_has(opcap, 2) && idxp_opcap_has(opcap, 3) &&
			idxp_opcap_has(opcap, 4) && idxp_opcap_has(opcap, 255) &&
			!idxp_opcap_has(opcap, 254) && !idxp_opcap_has(opcap, 256),
			"OPCAP bit lookup");
	CHECK(idxp_cmdcap_has(1u << 13, 13) && !idxp_cmdcap_has(1u << 13, 14) &&
			!idxp_cmdcap_has(~0u, 32), "CMDCAP bit lookup");

	CHECK_EQ(idxp_gensts_state(0x3 | (2 << 2)), IDXP_GENSTS_HALT);
	CHECK_EQ(idxp_field_get(0x3 | (2 << 2), IDXP_GENSTS_RESET_TYPE_MASK),
			IDXP_RESET_WARM);

	/* CMD values as the spec lays them out: code 24:20, int bit 31. */
	CHECK_EQ(idxp_cmd(IDXP_CMD_ENABLE_DEVICE, 0, false), 0x00100000);
	CHECK_EQ(idxp_cmd(IDXP_CMD_ENABLE_WQ, 3, true), 0x80600003);
	CHECK_EQ(idxp_cmd(IDXP_CMD_DRAIN_PASID, 0xfffff, false), 0x00bfffff);
	CHECK_EQ(idxp_cmd(IDXP_CMD_ABORT_WQ, 0xffffffff, false), 0x009fffff);
	CHECK_EQ(idxp_cmd(IDXP_CMD_REQUEST_INT_HANDLE, 7 | IDXP_CMD_OPERAND_IMS,
			false), 0x00d10007);
	CHECK_EQ(idxp_cmd_wq_operand(0), 0x00001);
	CHECK_EQ(idxp_cmd_wq_operand(15), 0x08000);
	CHECK_EQ(idxp_cmd_wq_operand(17), 0x10002);

	/* CMDSTS: a finished Request Interrupt Handle with handle 0x1234. */
	cmdsts = 0x00123400;
	CHECK(!idxp_cmdsts_active(cmdsts) && idxp_cmdsts_err(cmdsts) == 0 &&
			idxp_cmdsts_result(cmdsts) == 0x1234, "CMDSTS 0x%x", cmdsts);
	cmdsts = 0x80000000 | IDXP_CMDSTS_ERR_NO_HANDLE;
	CHECK(idxp_cmdsts_active(cmdsts) &&
			idxp_cmdsts_err(cmdsts) == IDXP_CMDSTS_ERR_NO_HANDLE &&
			idxp_cmdsts_result(cmdsts) == 0, "CMDSTS 0x%x", cmdsts);

	/* EVLCFG: 4 KB aligned base, 256 entries, PASID 0x12345. */
	idxp_evlcfg_encode(evlcfg, UINT64_C(0x123456789000) | 0xfff, 256, true,
			0x12345);
	CHECK_EQ(evlcfg[0], UINT64_C(0x123456789001));
	CHECK_EQ(evlcfg[1], 256 | (UINT64_C(0x12345) << 16));
	idxp_evlcfg_encode(evlcfg, 0x2000, 64, false, 0x12345);
	CHECK(evlcfg[0] == 0x2000 && evlcfg[1] == 64, "EVLCFG without PASID");

	/* EVLSTATUS: head 5, tail 9, interrupt pending. */
	evlstatus = 5 | (UINT64_C(9) << 32) | (UINT64_C(1) << 62);
	CHECK_EQ(idxp_evlstatus_head(evlstatus), 5);
	CHECK_EQ(idxp_evlstatus_tail(evlstatus), 9);
	CHECK_EQ(IDXP_EVLSTATUS_INT_PENDING >> 32, 0x40000000);

	CHECK_EQ(IDXP_SWERR_ACK, 0x3);
	CHECK_EQ(IDXP_BAR2_SIZE(8), 8 * 16384);
}

static void
test_portals(void)
{
	static const struct {
		unsigned int wq;
		enum idxp_portal_prot prot;
		enum idxp_portal_intr intr;
		uint64_t off;
	} p[] = {
		/* Per WQ: unlimited MSI-X, limited MSI-X, unlimited IMS, limited IMS */
		{ 0, IDXP_PORTAL_UNLIMITED, IDXP_PORTAL_MSIX, 0x0000 },
		{ 0, IDXP_PORTAL_LIMITED, IDXP_PORTAL_MSIX, 0x1000 },
		{ 0, IDXP_PORTAL_UNLIMITED, IDXP_PORTAL_IMS, 0x2000 },
		{ 0, IDXP_PORTAL_LIMITED, IDXP_PORTAL_IMS, 0x3000 },
		{ 1, IDXP_PORTAL_UNLIMITED, IDXP_PORTAL_MSIX, 0x4000 },
		{ 2, IDXP_PORTAL_LIMITED, IDXP_PORTAL_IMS, 0xb000 },
		{ 127, IDXP_PORTAL_LIMITED, IDXP_PORTAL_MSIX, 0x1fd000 },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(p); i++) {
		uint64_t got = idxp_portal_offset(p[i].wq, p[i].prot, p[i].intr);

		CHECK(got == p[i].off, "portal of wq %u prot %d intr %d at 0x%"
				PRIx64 ", expected 0x%" PRIx64, p[i].wq, p[i].prot,
				p[i].intr, got, p[i].off);
	}
}

/* Event log entry: positions, and a 64-byte image decoded field by field. */
static void
test_evl_entry(void)
{
	struct idxp_dsa_evl_entry e;
	struct idxp_hw_comp cr;
	uint8_t img[64];
	uint32_t data;

	CHECK_EQ(sizeof(e), 64);
	CHECK_EQ(offsetof(struct idxp_dsa_evl_entry, info), 0);
	CHECK_EQ(offsetof(struct idxp_dsa_evl_entry, batch_idx), 8);
	CHECK_EQ(offsetof(struct idxp_dsa_evl_entry, rsvd0), 10);
	CHECK_EQ(offsetof(struct idxp_dsa_evl_entry, err_data), 12);
	CHECK_EQ(offsetof(struct idxp_dsa_evl_entry, fault_addr), 16);
	CHECK_EQ(offsetof(struct idxp_dsa_evl_entry, rsvd1), 24);
	CHECK_EQ(offsetof(struct idxp_dsa_evl_entry, comp), 32);
	CHECK_EQ(sizeof(e.comp), sizeof(struct idxp_hw_comp));

	/*
	 * A translation fault (0x1a) on a write by memmove (op 3) of WQ 5,
	 * descriptor 7 of batch 2, PASID 0xabcde, with the int handle 0x21 of
	 * a descriptor that asked for a completion record; fault at
	 * 0x7f0012345000; the record's status byte says the same.
	 */
	memset(img, 0, sizeof(img));
	img[0] = 0x04 | 0x08 | 0x10 | 0x20 | 0x80;
	img[1] = 0x1a;
	img[2] = 5;
	img[3] = 2;
	img[4] = 3;
	img[5] = 0xde;		/* PASID bits 7:0 */
	img[6] = 0xbc;
	img[7] = 0x0a;		/* PASID bits 19:16, in bits 59:56 */
	img[8] = 7;
	img[12] = 0x21;
	img[14] = 0x04;		/* rcr */
	img[16 + 1] = 0x50;
	img[16 + 2] = 0x34;
	img[16 + 3] = 0x12;
	img[16 + 5] = 0x7f;
	img[32] = 0x1a | 0x80;
	memcpy(&e, img, sizeof(e));

	CHECK(e.info & IDXP_ERR_DESC_VALID && e.info & IDXP_ERR_WQ_VALID &&
			e.info & IDXP_ERR_BATCH && e.info & IDXP_ERR_FAULT_WRITE &&
			!(e.info & IDXP_ERR_PRIV) && e.info & IDXP_EVLE_ERR_INFO_VALID,
			"entry flags 0x%" PRIx64, e.info);
	CHECK_EQ(idxp_field_get(e.info, IDXP_ERR_CODE_MASK), IDXP_COMP_CRA_XLAT);
	CHECK_EQ(idxp_field_get(e.info, IDXP_ERR_WQ_MASK), 5);
	CHECK_EQ(idxp_field_get(e.info, IDXP_EVLE_BATCH_ID_MASK), 2);
	CHECK_EQ(idxp_field_get(e.info, IDXP_ERR_OP_MASK), IDXP_OP_MEMMOVE);
	CHECK_EQ(idxp_field_get(e.info, IDXP_ERR_PASID_MASK), 0xabcde);
	CHECK_EQ(e.batch_idx, 7);
	data = e.err_data;
	CHECK_EQ(idxp_field_get(data, IDXP_EVLE_DATA_INT_HANDLE_MASK), 0x21);
	CHECK(data & IDXP_EVLE_DATA_RCR && !(data & IDXP_EVLE_DATA_RCI) &&
			!(data & IDXP_EVLE_DATA_IMS), "error data 0x%x", data);
	CHECK_EQ(e.fault_addr, UINT64_C(0x7f0012345000));
	memcpy(&cr, e.comp, sizeof(cr));
	CHECK_EQ(cr.status, IDXP_COMP_CRA_XLAT | IDXP_COMP_WRITE_FAULT);
}

#define CHECK_SAME(ktype, kfield, otype, ofield) do { \
	CHECK(offsetof(ktype, kfield) == offsetof(otype, ofield), \
			"%s at %zu, linux %s at %zu", #ofield, \
			offsetof(otype, ofield), #kfield, offsetof(ktype, kfield)); \
	CHECK(sizeof(((ktype *)0)->kfield) == sizeof(((otype *)0)->ofield), \
			"%s is %zu bytes, linux %s %zu", #ofield, \
			sizeof(((otype *)0)->ofield), #kfield, \
			sizeof(((ktype *)0)->kfield)); \
} while (0)

static void
test_linux_desc(void)
{
	struct dsa_hw_desc k;
	uint32_t w;

	CHECK_EQ(sizeof(struct dsa_hw_desc), sizeof(struct idxp_hw_desc));
	CHECK_SAME(struct dsa_hw_desc, completion_addr, struct idxp_hw_desc, completion);
	CHECK_SAME(struct dsa_hw_desc, src_addr, struct idxp_hw_desc, src);
	CHECK_SAME(struct dsa_hw_desc, desc_list_addr, struct idxp_hw_desc, desc_list);
	CHECK_SAME(struct dsa_hw_desc, pattern, struct idxp_hw_desc, pattern);
	CHECK_SAME(struct dsa_hw_desc, dst_addr, struct idxp_hw_desc, dst);
	CHECK_SAME(struct dsa_hw_desc, xfer_size, struct idxp_hw_desc, size);
	CHECK_SAME(struct dsa_hw_desc, desc_count, struct idxp_hw_desc, desc_count);
	CHECK_SAME(struct dsa_hw_desc, int_handle, struct idxp_hw_desc, intr_handle);
	CHECK_SAME(struct dsa_hw_desc, rsvd1, struct idxp_hw_desc, rsvd0);
	CHECK_SAME(struct dsa_hw_desc, op_specific, struct idxp_hw_desc, op_specific);
	/* CRC seed: the low half of our first op-specific word. */
	CHECK_EQ(offsetof(struct dsa_hw_desc, crc_seed),
			offsetof(struct idxp_hw_desc, op_specific));

	/* Word 1: flags 23:0, opcode 31:24, as idxp_op_flags() packs them. */
	memset(&k, 0, sizeof(k));
	k.opcode = DSA_OPCODE_MEMMOVE;
	k.flags = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_CC;
	memcpy(&w, (const uint8_t *)&k + 4, sizeof(w));
	CHECK_EQ(w, idxp_op_flags(IDXP_OP_MEMMOVE, IDXP_FLAG_CRAV | IDXP_FLAG_RCR |
			IDXP_FLAG_CC));
	/*
	 * Word 0: PASID 19:0, reserved 30:20, privileged bit 31. Ours is one
	 * 32-bit "pasid": fine for a PASID, but nothing masks bits 31:20.
	 */
	memset(&k, 0, sizeof(k));
	k.pasid = 0xabcde;
	memcpy(&w, &k, sizeof(w));
	CHECK_EQ(w, 0xabcde);
	CHECK_EQ(offsetof(struct idxp_hw_desc, pasid), 0);
}

static void
test_linux_comp(void)
{
	struct dsa_completion_record k;
	uint32_t w;

	CHECK_EQ(sizeof(struct dsa_completion_record), sizeof(struct idxp_hw_comp));
	CHECK_SAME(struct dsa_completion_record, status, struct idxp_hw_comp, status);
	CHECK_SAME(struct dsa_completion_record, result, struct idxp_hw_comp, result);
	/* Bytes 2-3 are reserved in Linux's (and SPDK's) record, and ours. */
	CHECK_SAME(struct dsa_completion_record, rsvd, struct idxp_hw_comp, rsvd);
	CHECK_SAME(struct dsa_completion_record, bytes_completed, struct idxp_hw_comp,
			bytes_completed);
	CHECK_SAME(struct dsa_completion_record, fault_addr, struct idxp_hw_comp,
			fault_addr);
	CHECK_SAME(struct dsa_completion_record, op_specific, struct idxp_hw_comp,
			op_specific);
	CHECK_EQ(offsetof(struct dsa_completion_record, crc_val),
			offsetof(struct idxp_hw_comp, op_specific));
	/* Invalid flags: 24 bits at byte 16, the low bits of op_specific[0]. */
	memset(&k, 0, sizeof(k));
	k.invalid_flags = 0xabcdef;
	memcpy(&w, (const uint8_t *)&k + 16, sizeof(w));
	CHECK_EQ(w, 0xabcdef);
}

static void
test_linux_consts(void)
{
	static const struct val v[] = {
		V(IDXP_OP_NOP, DSA_OPCODE_NOOP),
		V(IDXP_OP_BATCH, DSA_OPCODE_BATCH),
		V(IDXP_OP_DRAIN, DSA_OPCODE_DRAIN),
		V(IDXP_OP_MEMMOVE, DSA_OPCODE_MEMMOVE),
		V(IDXP_OP_FILL, DSA_OPCODE_MEMFILL),
		V(IDXP_OP_COMPARE, DSA_OPCODE_COMPARE),
		V(IDXP_OP_CRCGEN, DSA_OPCODE_CRCGEN),
		V(IDXP_FLAG_FENCE, IDXD_OP_FLAG_FENCE),
		V(IDXP_FLAG_BOF, IDXD_OP_FLAG_BOF),
		V(IDXP_FLAG_CRAV, IDXD_OP_FLAG_CRAV),
		V(IDXP_FLAG_RCR, IDXD_OP_FLAG_RCR),
		V(IDXP_FLAG_RCI, IDXD_OP_FLAG_RCI),
		V(IDXP_FLAG_CR, IDXD_OP_FLAG_CR),
		V(IDXP_FLAG_CC, IDXD_OP_FLAG_CC),
		V(IDXP_COMP_NONE, DSA_COMP_NONE),
		V(IDXP_COMP_SUCCESS, DSA_COMP_SUCCESS),
		V(IDXP_COMP_SUCCESS_PRED, DSA_COMP_SUCCESS_PRED),
		V(IDXP_COMP_PAGE_FAULT_NOBOF, DSA_COMP_PAGE_FAULT_NOBOF),
		V(IDXP_COMP_PAGE_FAULT_IR, DSA_COMP_PAGE_FAULT_IR),
		V(IDXP_COMP_BATCH_FAIL, DSA_COMP_BATCH_FAIL),
		V(IDXP_COMP_BATCH_PAGE_FAULT, DSA_COMP_BATCH_PAGE_FAULT),
		V(IDXP_COMP_BAD_OPCODE, DSA_COMP_BAD_OPCODE),
		V(IDXP_COMP_INVALID_FLAGS, DSA_COMP_INVALID_FLAGS),
		V(IDXP_COMP_NONZERO_RESERVED, DSA_COMP_NOZERO_RESERVE),
		V(IDXP_COMP_XFER_ERANGE, DSA_COMP_XFER_ERANGE),
		V(IDXP_COMP_DESC_CNT_ERANGE, DSA_COMP_DESC_CNT_ERANGE),
		V(IDXP_COMP_OVERLAP_BUFFERS, DSA_COMP_OVERLAP_BUFFERS),
		V(IDXP_COMP_CRA_XLAT, DSA_COMP_CRA_XLAT),
		V(IDXP_COMP_CRA_ALIGN, DSA_COMP_CRA_ALIGN),
		V(IDXP_COMP_DESCLIST_ALIGN, DSA_COMP_DESCLIST_ALIGN),
		V(IDXP_COMP_INT_HANDLE_INVAL, DSA_COMP_INT_HANDLE_INVAL),
		V(IDXP_COMP_HW_ERR1, DSA_COMP_HW_ERR1),
		V(IDXP_COMP_STATUS_MASK, DSA_COMP_STATUS_MASK),
		V(IDXP_COMP_WRITE_FAULT, DSA_COMP_STATUS_WRITE),
	};

	/*
	 * Not compared: IDXP_OP_MEMMOVE_SG (0x30) is no DSA opcode (the
	 * model's extension, reported in OPCAP); IDXP_COMP_DRV_ABORT (0xff) is
	 * the driver's own marker, as Linux's software abort status.
	 */
	check_vals(v, RTE_DIM(v));
}

int
main(int argc, char **argv)
{
	RTE_SET_USED(argc);
	/* No device: EAL only because t_done() ends it. */
	t_eal_init(argv[0], NULL, 0);
	test_offsets();
	test_codes();
	test_fields();
	test_getters();
	test_portals();
	test_evl_entry();
	test_linux_desc();
	test_linux_comp();
	test_linux_consts();
	return t_done("hw_regs");
}
