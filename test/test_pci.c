/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * The vfio-pci platform's decisions, which need no device: which driver
 * gets a DSA device, which devargs a real device takes, how this CPU
 * writes a portal (and the clear refusal where it cannot). Then what it
 * shares with the software device: the group programming of engines=N,
 * read back from the model's GRPCFG through the same accessors.
 */

#include <errno.h>
#include <string.h>

#include <rte_cpuflags.h>

#include "idxp_internal.h"
#include "idxp_pci.h"
#include "test_common.h"

static void
test_claim(void)
{
	CHECK(idxp_pci_claim(NULL, true) == IDXP_PCI_TAKE, "no devargs: idxp");
	CHECK(idxp_pci_claim("vchans=4,engines=2", true) == IDXP_PCI_TAKE,
			"idxp devargs: idxp");
	CHECK(idxp_pci_claim("max_queues=2", true) == IDXP_PCI_DECLINE,
			"dma_idxd's devarg: declined, the bus offers dma_idxd");
	CHECK(idxp_pci_claim("max_queues=2", false) == IDXP_PCI_DECLINE,
			"dma_idxd's devarg: declined whatever the binding");
	CHECK(idxp_pci_claim(NULL, false) == -ENOTSUP,
			"not bound to vfio-pci: an error, not a silent decline");
}

static int
check_args(const char *devargs)
{
	struct idxp_devargs a;

	if (idxp_devargs_parse(devargs, &a) < 0)
		return -EINVAL;
	return idxp_pci_check_args("test", &a);
}

static void
test_args(void)
{
	static const char *const model_only[] = {
		"core=1", "spin_us=10", "idle=spin", "sva=1", "inject=src",
		"vchans=2,inject=halt",
	};
	unsigned int i;

	CHECK(check_args(NULL) == 0, "no devargs");
	CHECK(check_args("vchans=4,engines=2,poll_us=5,evl_size=512,enq_deq=0") == 0,
			"every key a DSA device takes");
	for (i = 0; i < RTE_DIM(model_only); i++)
		CHECK(check_args(model_only[i]) == -EINVAL,
				"\"%s\" is the software device's", model_only[i]);
	CHECK(check_args("vchans=0") == -EINVAL, "a bad value");
	CHECK(check_args("max_queues=2") == -EINVAL, "an unknown key");
}

static void
test_portal_kind(void)
{
	enum idxp_portal_kind kind = IDXP_PORTAL_KIND_BUS;
	int ret = idxp_pci_portal_kind(&kind);

	if (rte_cpu_get_flag_enabled(RTE_CPUFLAG_MOVDIR64B) > 0) {
		CHECK(ret == 0 && kind == IDXP_PORTAL_KIND_MOVDIR64B,
				"MOVDIR64B: the portal kind");
		printf("this CPU has MOVDIR64B\n");
	} else {
		CHECK(ret == -ENOTSUP && kind == IDXP_PORTAL_KIND_BUS,
				"no MOVDIR64B: -ENOTSUP, kind untouched (%d)", ret);
		printf("this CPU lacks MOVDIR64B: a DSA device is refused with an error\n");
	}
}

/* engines=N puts the first N engines in group 0, as for a real device. */
static void
test_group_engines(void)
{
	int id = t_idxp_create("dma_idxp9", "engines=2,vchans=3");
	struct idxp_priv *priv = id < 0 ? NULL : idxp_priv_get((int16_t)id);
	uint64_t engs, wqs;
	uint32_t g0;

	CHECK(priv != NULL, "device");
	if (priv == NULL)
		return;
	g0 = idxp_grpcfg_offset(priv->caps.grpcfg_table, 0);
	engs = idxp_reg_read64(priv->bus, g0 + IDXP_GRPCFG_ENGINES_OFF);
	wqs = idxp_reg_read64(priv->bus, g0 + IDXP_GRPCFG_WQS_OFF);
	CHECK(priv->caps.engines_used == 2 && engs == 0x3,
			"group 0 engines 0x%" PRIx64 " (%u used)", engs,
			priv->caps.engines_used);
	CHECK(wqs == 0x7, "group 0 WQs 0x%" PRIx64, wqs);
	rte_dma_close((int16_t)id);
}

int
main(int argc, char **argv)
{
	RTE_SET_USED(argc);
	t_eal_init(argv[0], NULL, 0);
	test_claim();
	test_args();
	test_portal_kind();
	test_group_engines();
	return t_done("pci");
}
