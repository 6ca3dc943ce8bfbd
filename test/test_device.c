/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * The software DSA device as hardware, with no driver: this test is the
 * driver. It reaches the model only through what a PCI device offers
 * (BAR0 accessors, 64-byte portal writes, MSI-X eventfds, memory it maps
 * in the IOMMU) and checks the side effects the DSA specification gives:
 * commands through CMD/CMDSTS and their errors, INTCAUSE write-1-to-clear,
 * the command interrupt, a reset clearing the configuration tables, a
 * descriptor's completion record and interrupt, interrupt-handle revoke.
 */

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <rte_cpuflags.h>
#include <rte_cycles.h>
#include <rte_malloc.h>

#include "idxp_bus.h"
#include "idxp_hw_defs.h"
#include "idxp_iommu.h"
#include "test_common.h"

#define NB_WQS		4
#define BUF_LEN		4096

static struct idxp_bus *bus;
static struct idxp_iommu mmu;
static uint32_t slot[NB_WQS];

/* The table offsets, as a driver finds them. */
static uint32_t grpcfg, wqcfg, wqcfg_size;

static uint32_t
rd32(uint32_t off)
{
	return idxp_reg_read32(bus, off);
}

static uint64_t
rd64(uint32_t off)
{
	return idxp_reg_read64(bus, off);
}

/* A command, waited for; CMDSTS as it stands once inactive (or ~0). */
static uint32_t
cmd(uint32_t code, uint32_t operand, bool irq)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz();
	uint32_t sts;

	idxp_reg_write32(bus, IDXP_REG_CMD, idxp_cmd(code, operand, irq));
	do {
		sts = rd32(IDXP_REG_CMDSTS);
		if (!idxp_cmdsts_active(sts))
			return sts;
	} while (rte_get_timer_cycles() < end);
	return UINT32_MAX;
}

/* An eventfd that fired within @ms; reads (clears) it. */
static bool
fired(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t v;

	if (poll(&p, 1, ms) != 1)
		return false;
	return read(fd, &v, sizeof(v)) == sizeof(v);
}

static void
configure(uint32_t wq_size)
{
	uint32_t w;

	for (w = 0; w < NB_WQS; w++) {
		uint32_t off = idxp_wqcfg_offset(wqcfg, wqcfg_size, w);

		idxp_reg_write32(bus, off + IDXP_WQCFG_SIZE_OFF, wq_size);
		idxp_reg_write32(bus, off + IDXP_WQCFG_MODE_OFF, IDXP_WQCFG_DEDICATED);
		idxp_reg_write32(bus, off + IDXP_WQCFG_MAX_OFF,
				(uint32_t)idxp_field_set(idxp_field_set(0,
				IDXP_WQCFG_MAX_XFER_SHIFT_MASK, 20),
				IDXP_WQCFG_MAX_BATCH_SHIFT_MASK, 5));
	}
	idxp_reg_write64(bus, grpcfg + IDXP_GRPCFG_WQS_OFF, (1u << NB_WQS) - 1);
	idxp_reg_write64(bus, grpcfg + IDXP_GRPCFG_ENGINES_OFF, 1);
}

static void
test_caps(void)
{
	uint64_t wqcap = rd64(IDXP_REG_WQCAP), tbl = rd64(IDXP_REG_TABLE_OFFSET);
	uint64_t opcap = rd64(IDXP_REG_OPCAP);

	CHECK(idxp_field_get(wqcap, IDXP_WQCAP_NUM_WQS_MASK) == NB_WQS,
			"WQCAP: %u WQs", (unsigned int)idxp_field_get(wqcap,
			IDXP_WQCAP_NUM_WQS_MASK));
	CHECK(wqcap & IDXP_WQCAP_DEDICATED, "WQCAP: dedicated WQs");
	CHECK(opcap & (UINT64_C(1) << IDXP_OP_MEMMOVE) &&
			opcap & (UINT64_C(1) << IDXP_OP_BATCH), "OPCAP: memmove, batch");
	grpcfg = idxp_table_offset(tbl, IDXP_TABLE_GRPCFG_MASK);
	wqcfg = idxp_table_offset(tbl, IDXP_TABLE_WQCFG_MASK);
	wqcfg_size = idxp_wqcap_wqcfg_size(wqcap);
	CHECK(grpcfg != 0 && wqcfg != 0 && wqcfg_size >= 32,
			"TABLE_OFFSET: GRPCFG 0x%x, WQCFG 0x%x (%u B)", grpcfg, wqcfg,
			wqcfg_size);
	CHECK(idxp_gensts_state(rd32(IDXP_REG_GENSTS)) == IDXP_GENSTS_DISABLED,
			"disabled after creation");
}

/* Commands that must fail, each with the specification's error code. */
static void
test_cmd_errors(void)
{
	uint32_t total = (uint32_t)idxp_field_get(rd64(IDXP_REG_WQCAP),
			IDXP_WQCAP_TOTAL_SIZE_MASK);
	uint32_t sts;

	sts = cmd(0x1f, 0, false);
	CHECK(idxp_cmdsts_err(sts) == IDXP_CMDSTS_INVAL_CMD, "unknown command: 0x%x", sts);
	sts = cmd(IDXP_CMD_ENABLE_WQ, 0, false);
	CHECK(idxp_cmdsts_err(sts) == IDXP_CMDSTS_ERR_DEV_NOTEN,
			"enable WQ, device disabled: 0x%x", sts);
	configure(total);	/* NB_WQS x total > total */
	sts = cmd(IDXP_CMD_ENABLE_DEVICE, 0, false);
	CHECK(idxp_cmdsts_err(sts) == IDXP_CMDSTS_ERR_WQ_SIZE_ERANGE,
			"WQ sizes over WQCAP's total: 0x%x", sts);
	CHECK(idxp_gensts_state(rd32(IDXP_REG_GENSTS)) == IDXP_GENSTS_DISABLED,
			"a failed enable leaves the device disabled");
	configure(total / NB_WQS);
	sts = cmd(IDXP_CMD_ENABLE_DEVICE, 0, false);
	CHECK(sts == IDXP_CMDSTS_SUCCESS, "enable device: 0x%x", sts);
	sts = cmd(IDXP_CMD_ENABLE_DEVICE, 0, false);
	CHECK(idxp_cmdsts_err(sts) == IDXP_CMDSTS_ERR_DEV_ENABLED,
			"enable device twice: 0x%x", sts);
	sts = cmd(IDXP_CMD_ENABLE_WQ, NB_WQS + 3, false);
	CHECK(idxp_cmdsts_err(sts) == IDXP_CMDSTS_INVAL_WQIDX,
			"enable WQ %u of %u: 0x%x", NB_WQS + 3, NB_WQS, sts);
	sts = cmd(IDXP_CMD_ENABLE_WQ, 0, false);
	CHECK(sts == IDXP_CMDSTS_SUCCESS, "enable WQ 0: 0x%x", sts);
	sts = cmd(IDXP_CMD_ENABLE_WQ, 0, false);
	CHECK(idxp_cmdsts_err(sts) == IDXP_CMDSTS_ERR_WQ_ENABLED,
			"enable WQ 0 twice: 0x%x", sts);
}

/* INTCAUSE.cmd on request, vector 0, and write-1-to-clear. */
static void
test_cmd_interrupt(void)
{
	uint32_t sts;

	idxp_reg_write32(bus, IDXP_REG_INTCAUSE, UINT32_MAX);
	fired(bus->vector_fd[0], 0);
	sts = cmd(IDXP_CMD_ENABLE_WQ, 1, true);
	CHECK(sts == IDXP_CMDSTS_SUCCESS, "enable WQ 1: 0x%x", sts);
	CHECK(fired(bus->vector_fd[0], 1000), "vector 0 on a command with REQ_INT");
	CHECK(rd32(IDXP_REG_INTCAUSE) & IDXP_INTCAUSE_CMD, "INTCAUSE.cmd set");
	idxp_reg_write32(bus, IDXP_REG_INTCAUSE, 0);
	CHECK(rd32(IDXP_REG_INTCAUSE) & IDXP_INTCAUSE_CMD, "writing 0 clears nothing");
	idxp_reg_write32(bus, IDXP_REG_INTCAUSE, IDXP_INTCAUSE_CMD);
	CHECK(!(rd32(IDXP_REG_INTCAUSE) & IDXP_INTCAUSE_CMD), "writing 1 clears it");
	cmd(IDXP_CMD_ENABLE_WQ, 2, false);
	CHECK(!(rd32(IDXP_REG_INTCAUSE) & IDXP_INTCAUSE_CMD) &&
			!fired(bus->vector_fd[0], 50), "no REQ_INT: no interrupt");
}

/* One memmove through WQ @wq's portal; the record's status, or 0. */
static uint8_t
submit_copy(uint32_t wq, uint8_t *src, uint8_t *dst, struct idxp_hw_comp *cr,
		uint32_t flags, uint16_t handle)
{
	struct idxp_hw_desc d = {
		.op_flags = idxp_op_flags(IDXP_OP_MEMMOVE,
				IDXP_FLAG_CRAV | IDXP_FLAG_RCR | flags),
		.completion = t_iova(cr),
		.src = t_iova(src),
		.dst = t_iova(dst),
		.size = BUF_LEN,
		.intr_handle = handle,
	};
	uint8_t *portal = bus->bar2 + idxp_portal_offset(wq, IDXP_PORTAL_UNLIMITED,
			IDXP_PORTAL_MSIX);
	uint64_t end = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
	uint8_t st;

	memset(cr, 0, sizeof(*cr));
	memset(dst, 0, BUF_LEN);
	portal += (slot[wq]++ % IDXP_SW_WQ_SLOTS) * 64;
	if (bus->portal_kind == IDXP_PORTAL_KIND_MOVDIR64B) {
		rte_wmb();	/* the record's reset before the device's write */
		idxp_movdir64b(portal, &d);
	} else if (bus->ops->portal_write(bus, portal, &d) != 0) {
		return 0;
	}
	while ((st = __atomic_load_n(&cr->status, __ATOMIC_ACQUIRE)) == 0 &&
			rte_get_timer_cycles() < end)
		rte_pause();
	return st;
}

/* A descriptor's record, its interrupt, and a revoked handle's refusal. */
static void
test_descriptors(uint8_t *src, uint8_t *dst, struct idxp_hw_comp *cr)
{
	uint32_t sts, h;
	uint8_t st;

	st = submit_copy(0, src, dst, cr, 0, 0);
	CHECK(st == IDXP_COMP_SUCCESS && memcmp(src, dst, BUF_LEN) == 0,
			"memmove: status 0x%x", st);
	sts = cmd(IDXP_CMD_REQUEST_INT_HANDLE, 1, false);
	CHECK(idxp_cmdsts_err(sts) == IDXP_CMDSTS_SUCCESS, "handle for vector 1: 0x%x", sts);
	h = idxp_cmdsts_result(sts);
	fired(bus->vector_fd[1], 0);
	st = submit_copy(0, src, dst, cr, IDXP_FLAG_RCI, (uint16_t)h);
	CHECK(st == IDXP_COMP_SUCCESS && fired(bus->vector_fd[1], 1000),
			"RCI with handle %u: status 0x%x and vector 1", h, st);
	sts = cmd(IDXP_CMD_REQUEST_INT_HANDLE, 99, false);
	CHECK(idxp_cmdsts_err(sts) == IDXP_CMDSTS_ERR_INVAL_INT_IDX,
			"handle for a vector that does not exist: 0x%x", sts);

	/* Revoke: INTCAUSE and vector 0, then the old handle is refused. */
	idxp_reg_write32(bus, IDXP_REG_INTCAUSE, UINT32_MAX);
	fired(bus->vector_fd[0], 0);
	idxp_reg_write32(bus, IDXP_MREG_INJ_REVOKE, 1);
	CHECK(fired(bus->vector_fd[0], 1000) &&
			(rd32(IDXP_REG_INTCAUSE) & IDXP_INTCAUSE_INT_HANDLE_REVOKED),
			"revoke: vector 0 and INTCAUSE.int_handle_revoked");
	st = submit_copy(0, src, dst, cr, IDXP_FLAG_RCI, (uint16_t)h);
	CHECK(st == IDXP_COMP_INT_HANDLE_INVAL && t_all_bytes(dst, BUF_LEN, 0),
			"a revoked handle: status 0x%x, nothing copied", st);
	sts = cmd(IDXP_CMD_REQUEST_INT_HANDLE, 1, false);
	h = idxp_cmdsts_result(sts);
	st = submit_copy(0, src, dst, cr, IDXP_FLAG_RCI, (uint16_t)h);
	CHECK(idxp_cmdsts_err(sts) == 0 && st == IDXP_COMP_SUCCESS &&
			fired(bus->vector_fd[1], 1000), "a new handle %u works: 0x%x", h, st);
}

/* RESET_DEVICE: disabled, the tables cleared, INTCAUSE clear. */
static void
test_reset(void)
{
	uint32_t off = idxp_wqcfg_offset(wqcfg, wqcfg_size, 0);
	uint32_t sts = cmd(IDXP_CMD_RESET_DEVICE, 0, false);

	CHECK(sts == IDXP_CMDSTS_SUCCESS, "reset: 0x%x", sts);
	CHECK(idxp_gensts_state(rd32(IDXP_REG_GENSTS)) == IDXP_GENSTS_DISABLED,
			"disabled after reset");
	CHECK(rd32(off + IDXP_WQCFG_SIZE_OFF) == 0 &&
			rd32(off + IDXP_WQCFG_MODE_OFF) == 0, "WQCFG cleared");
	CHECK(rd64(grpcfg + IDXP_GRPCFG_WQS_OFF) == 0 &&
			rd64(grpcfg + IDXP_GRPCFG_ENGINES_OFF) == 0, "GRPCFG cleared");
	sts = cmd(IDXP_CMD_ENABLE_WQ, 0, false);
	CHECK(idxp_cmdsts_err(sts) == IDXP_CMDSTS_ERR_DEV_NOTEN,
			"no WQ enables after reset: 0x%x", sts);
}

static struct idxp_bus *model_create(bool direct);

/*
 * Direct portals: BAR2 is the queue memory and a MOVDIR64B lands in it
 * whole, as on hardware; refused where the CPU lacks the instruction.
 */
static void
test_direct(uint8_t *src, uint8_t *dst, struct idxp_hw_comp *cr)
{
	bool have = rte_cpu_get_flag_enabled(RTE_CPUFLAG_MOVDIR64B) > 0;
	uint32_t total, i, ok = 0;

	memset(slot, 0, sizeof(slot));
	bus = model_create(true);
	if (!have) {
		CHECK(bus == NULL, "direct portals without MOVDIR64B: refused");
		printf("this CPU lacks MOVDIR64B: direct portals not run\n");
		return;
	}
	CHECK(bus != NULL && bus->portal_kind == IDXP_PORTAL_KIND_MOVDIR64B,
			"direct portals: BAR2 takes MOVDIR64B");
	if (bus == NULL)
		return;
	total = (uint32_t)idxp_field_get(rd64(IDXP_REG_WQCAP), IDXP_WQCAP_TOTAL_SIZE_MASK);
	configure(total / NB_WQS);
	CHECK(cmd(IDXP_CMD_ENABLE_DEVICE, 0, false) == 0 &&
			cmd(IDXP_CMD_ENABLE_WQ, 3, false) == 0, "enable WQ 3");
	/* More than a page of slots: the cursor wraps. */
	for (i = 0; i < 2 * IDXP_SW_WQ_SLOTS; i++) {
		src[i % BUF_LEN] = (uint8_t)i;
		ok += submit_copy(3, src, dst, cr, 0, 0) == IDXP_COMP_SUCCESS &&
			memcmp(src, dst, BUF_LEN) == 0;
	}
	CHECK(ok == 2 * IDXP_SW_WQ_SLOTS, "%u of %u MOVDIR64B copies", ok,
			2 * IDXP_SW_WQ_SLOTS);
	bus->ops->close(bus);
}

static struct idxp_bus *
model_create(bool direct)
{
	struct idxp_model_params p = {
		.name = "test_device",
		.socket = SOCKET_ID_ANY,
		.nb_wqs = NB_WQS,
		.nb_engines = 1,
		.spin_us = 100,
		.direct_portals = direct,
		.iommu = &mmu,
	};
	unsigned int i;

	for (i = 0; i < IDXP_BUS_MAX_CPUS; i++)
		p.cpus[i] = -1;
	p.cpus[0] = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;
	return idxp_bus_create("sw", &p);
}

int
main(int argc, char **argv)
{
	uint8_t *mem;

	RTE_SET_USED(argc);
	t_eal_init(argv[0], NULL, 0);
	mem = t_dma_zalloc(3 * BUF_LEN);
	CHECK(mem != NULL, "buffers");
	CHECK(idxp_iommu_init(&mmu, 1, SOCKET_ID_ANY) == 0, "IOMMU");
	/* What VFIO would map: the test's buffers, at their IOVAs. */
	CHECK(idxp_iommu_map(&mmu, mem, t_iova(mem), 3 * BUF_LEN, IDXP_IOMMU_RW,
			IDXP_MAP_USER) >= 0, "map the buffers");
	bus = model_create(false);
	CHECK(bus != NULL, "model");
	if (bus == NULL || mem == NULL)
		return t_done("device");
	memset(mem, 0x5a, BUF_LEN);
	test_caps();
	test_cmd_errors();
	test_cmd_interrupt();
	test_descriptors(mem, mem + BUF_LEN, (struct idxp_hw_comp *)(mem + 2 * BUF_LEN));
	test_reset();
	bus->ops->close(bus);
	test_direct(mem, mem + BUF_LEN, (struct idxp_hw_comp *)(mem + 2 * BUF_LEN));
	idxp_iommu_fini(&mmu);
	return t_done("device");
}
