/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Wire format: layouts of the structures the PMD and the device share,
 * the op/flags encoding and the mapping of every DSA completion status to
 * a dmadev status. The static_asserts in idxp_hw_defs.h cover a few
 * offsets at build time; here every field is checked, so a reordering
 * shows up as a failed check that names the field.
 */

#include <stdalign.h>
#include <stddef.h>
#include <string.h>

#include "idxp_internal.h"
#include "test_common.h"

#define CHECK_OFF(type, field, off) \
	CHECK(offsetof(type, field) == (off), "%s.%s at %zu, expected %d", \
			#type, #field, offsetof(type, field), (off))

static void
test_desc_layout(void)
{
	CHECK(sizeof(struct idxp_hw_desc) == 64, "desc size %zu",
			sizeof(struct idxp_hw_desc));
	CHECK(alignof(struct idxp_hw_desc) == 64, "desc align %zu",
			alignof(struct idxp_hw_desc));
	CHECK_OFF(struct idxp_hw_desc, pasid, 0);
	CHECK_OFF(struct idxp_hw_desc, op_flags, 4);
	CHECK_OFF(struct idxp_hw_desc, completion, 8);
	CHECK_OFF(struct idxp_hw_desc, src, 16);
	CHECK_OFF(struct idxp_hw_desc, desc_list, 16);
	CHECK_OFF(struct idxp_hw_desc, pattern, 16);
	CHECK_OFF(struct idxp_hw_desc, dst, 24);
	CHECK_OFF(struct idxp_hw_desc, size, 32);
	CHECK_OFF(struct idxp_hw_desc, desc_count, 32);
	CHECK_OFF(struct idxp_hw_desc, intr_handle, 36);
	CHECK_OFF(struct idxp_hw_desc, rsvd0, 38);
	CHECK_OFF(struct idxp_hw_desc, op_specific, 40);
	CHECK(sizeof(((struct idxp_hw_desc *)0)->op_specific) == 24,
			"op_specific is 3 x 8 bytes");

	CHECK(sizeof(struct idxp_hw_sge) == 16, "sge size %zu",
			sizeof(struct idxp_hw_sge));
	CHECK_OFF(struct idxp_hw_sge, addr, 0);
	CHECK_OFF(struct idxp_hw_sge, len, 8);
	CHECK_OFF(struct idxp_hw_sge, rsvd, 12);
}

static void
test_comp_layout(void)
{
	CHECK(sizeof(struct idxp_hw_comp) == 32, "comp size %zu",
			sizeof(struct idxp_hw_comp));
	CHECK(alignof(struct idxp_hw_comp) == 32, "comp align %zu",
			alignof(struct idxp_hw_comp));
	CHECK_OFF(struct idxp_hw_comp, status, 0);
	CHECK_OFF(struct idxp_hw_comp, result, 1);
	CHECK_OFF(struct idxp_hw_comp, rsvd, 2);
	CHECK_OFF(struct idxp_hw_comp, bytes_completed, 4);
	CHECK_OFF(struct idxp_hw_comp, fault_addr, 8);
	CHECK_OFF(struct idxp_hw_comp, op_specific, 16);
}

/* The DSA 2.0 event log entry: a header, then the record it holds. */
static void
test_evl_layout(void)
{
	CHECK(sizeof(struct idxp_dsa_evl_entry) == 64, "evl size %zu",
			sizeof(struct idxp_dsa_evl_entry));
	CHECK_OFF(struct idxp_dsa_evl_entry, info, 0);
	CHECK_OFF(struct idxp_dsa_evl_entry, batch_idx, 8);
	CHECK_OFF(struct idxp_dsa_evl_entry, err_data, 12);
	CHECK_OFF(struct idxp_dsa_evl_entry, fault_addr, 16);
	CHECK_OFF(struct idxp_dsa_evl_entry, comp, 32);
}

static void
test_op_flags(void)
{
	static const uint8_t ops[] = {
		IDXP_OP_NOP, IDXP_OP_BATCH, IDXP_OP_DRAIN, IDXP_OP_MEMMOVE,
		IDXP_OP_FILL, IDXP_OP_COMPARE, IDXP_OP_CRCGEN, IDXP_OP_MEMMOVE_SG,
		0xff,
	};
	struct idxp_hw_desc d;
	unsigned int i;

	/* DSA opcode values: byte 7 of the descriptor. */
	CHECK(IDXP_OP_NOP == 0x00 && IDXP_OP_BATCH == 0x01 &&
			IDXP_OP_DRAIN == 0x02 && IDXP_OP_MEMMOVE == 0x03 &&
			IDXP_OP_FILL == 0x04 && IDXP_OP_COMPARE == 0x05 &&
			IDXP_OP_CRCGEN == 0x10, "DSA opcode values");
	CHECK(IDXP_FLAG_FENCE == 0x1 && IDXP_FLAG_BOF == 0x2 &&
			IDXP_FLAG_CRAV == 0x4 && IDXP_FLAG_RCR == 0x8 &&
			IDXP_FLAG_RCI == 0x10 && IDXP_FLAG_CR == 0x80 &&
			IDXP_FLAG_CC == 0x100, "DSA flag bit positions");
	CHECK(IDXP_FLAGS_VALID == (IDXP_FLAG_FENCE | IDXP_FLAG_BOF |
			IDXP_FLAG_CRAV | IDXP_FLAG_RCR | IDXP_FLAG_RCI |
			IDXP_FLAG_CR | IDXP_FLAG_CC),
			"valid mask is exactly the defined flags: 0x%x",
			IDXP_FLAGS_VALID);

	CHECK(idxp_op_flags(IDXP_OP_MEMMOVE, 0) == 0x03000000u, "memmove: 0x%08x",
			idxp_op_flags(IDXP_OP_MEMMOVE, 0));
	CHECK(idxp_op_flags(IDXP_OP_BATCH, IDXP_FLAG_CRAV | IDXP_FLAG_RCR) ==
			0x0100000cu, "batch crav|rcr: 0x%08x",
			idxp_op_flags(IDXP_OP_BATCH, IDXP_FLAG_CRAV | IDXP_FLAG_RCR));
	CHECK(idxp_op_flags(IDXP_OP_FILL, IDXP_FLAGS_VALID) == 0x0400019fu,
			"fill all flags: 0x%08x",
			idxp_op_flags(IDXP_OP_FILL, IDXP_FLAGS_VALID));
	/* Flags never spill into the opcode byte. */
	CHECK(idxp_op_flags(IDXP_OP_NOP, 0xffffffffu) == 0x00ffffffu,
			"flags masked to 24 bits: 0x%08x",
			idxp_op_flags(IDXP_OP_NOP, 0xffffffffu));
	CHECK(idxp_op_flags(IDXP_OP_MEMMOVE_SG, 0x7f000001u) == 0x30000001u,
			"sg with stray high flag bits: 0x%08x",
			idxp_op_flags(IDXP_OP_MEMMOVE_SG, 0x7f000001u));

	for (i = 0; i < RTE_DIM(ops); i++) {
		uint32_t f = idxp_op_flags(ops[i], IDXP_FLAG_FENCE | IDXP_FLAG_RCI);

		memset(&d, 0, sizeof(d));
		d.op_flags = f;
		CHECK(((const uint8_t *)&d)[7] == ops[i],
				"opcode 0x%02x not in descriptor byte 7", ops[i]);
		CHECK((f >> 24) == ops[i], "opcode 0x%02x does not decode", ops[i]);
		CHECK((f & 0xffffff) == (IDXP_FLAG_FENCE | IDXP_FLAG_RCI),
				"flags of opcode 0x%02x decode as 0x%x", ops[i],
				f & 0xffffff);
	}
}

/* Every DSA completion status and the dmadev status it must map to. */
static void
test_status_map(void)
{
	static const struct {
		uint8_t hw;
		enum rte_dma_status_code want;
	} map[] = {
		{ IDXP_COMP_SUCCESS, RTE_DMA_STATUS_SUCCESSFUL },
		{ IDXP_COMP_SUCCESS_PRED, RTE_DMA_STATUS_SUCCESSFUL },
		{ IDXP_COMP_PAGE_FAULT_NOBOF, RTE_DMA_STATUS_INVALID_SRC_ADDR },
		{ IDXP_COMP_PAGE_FAULT_NOBOF | IDXP_COMP_WRITE_FAULT,
			RTE_DMA_STATUS_INVALID_DST_ADDR },
		{ IDXP_COMP_PAGE_FAULT_IR, RTE_DMA_STATUS_PAGE_FAULT },
		{ IDXP_COMP_PAGE_FAULT_IR | IDXP_COMP_WRITE_FAULT,
			RTE_DMA_STATUS_PAGE_FAULT },
		{ IDXP_COMP_BATCH_PAGE_FAULT, RTE_DMA_STATUS_PAGE_FAULT },
		{ IDXP_COMP_BAD_OPCODE, RTE_DMA_STATUS_INVALID_OPCODE },
		{ IDXP_COMP_INVALID_FLAGS, RTE_DMA_STATUS_DESCRIPTOR_READ_ERROR },
		{ IDXP_COMP_NONZERO_RESERVED, RTE_DMA_STATUS_DESCRIPTOR_READ_ERROR },
		{ IDXP_COMP_XFER_ERANGE, RTE_DMA_STATUS_INVALID_LENGTH },
		{ IDXP_COMP_DESC_CNT_ERANGE, RTE_DMA_STATUS_DESCRIPTOR_READ_ERROR },
		{ IDXP_COMP_CRA_XLAT, RTE_DMA_STATUS_BUS_WRITE_ERROR },
		{ IDXP_COMP_CRA_ALIGN, RTE_DMA_STATUS_BUS_WRITE_ERROR },
		{ IDXP_COMP_DRV_ABORT, RTE_DMA_STATUS_NOT_ATTEMPTED },
		{ IDXP_COMP_DESCLIST_ALIGN, RTE_DMA_STATUS_DESCRIPTOR_READ_ERROR },
		{ IDXP_COMP_HW_ERR1, RTE_DMA_STATUS_DEV_LINK_ERROR },
		{ 0x7f, RTE_DMA_STATUS_ERROR_UNKNOWN },
	};
	/* No particular code promised, but never "successful". */
	static const uint8_t failures[] = {
		IDXP_COMP_NONE, IDXP_COMP_BATCH_FAIL, IDXP_COMP_OVERLAP_BUFFERS,
		IDXP_COMP_WRITE_FAULT,
	};
	unsigned int i, s;

	for (i = 0; i < RTE_DIM(map); i++) {
		enum rte_dma_status_code got = idxp_status_map(map[i].hw);

		CHECK(got == map[i].want, "hw status 0x%02x -> %d, expected %d",
				map[i].hw, got, map[i].want);
	}
	for (i = 0; i < RTE_DIM(failures); i++)
		CHECK(idxp_status_map(failures[i]) != RTE_DMA_STATUS_SUCCESSFUL,
				"hw status 0x%02x maps to success", failures[i]);
	/* Only the two success codes may map to success, with or without bit 7. */
	for (s = 0; s < 256; s++) {
		uint8_t base = s & IDXP_COMP_STATUS_MASK;
		bool ok = idxp_status_map((uint8_t)s) == RTE_DMA_STATUS_SUCCESSFUL;

		CHECK(ok == (base == IDXP_COMP_SUCCESS ||
				base == IDXP_COMP_SUCCESS_PRED),
				"hw status 0x%02x success=%d", s, ok);
	}
}

int
main(int argc, char **argv)
{
	RTE_SET_USED(argc);
	t_eal_init(argv[0], NULL, 0);
	test_desc_layout();
	test_comp_layout();
	test_evl_layout();
	test_op_flags();
	test_status_map();
	return t_done("hw_defs");
}
