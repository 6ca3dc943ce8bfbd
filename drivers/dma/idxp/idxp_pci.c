/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * The PCI platform: a DSA device bound to vfio-pci (`-a <BDF>[,devargs]`).
 * DPDK's PCI bus maps BAR0 (registers) and BAR2 (portals); DPDK's
 * interrupt API gives the MSI-X vectors as eventfds; VFIO maps DPDK's
 * memory for the device, so there is no IOMMU for the driver to program.
 * Everything above the register accessors is the code the software
 * device runs.
 *
 * Choosing a driver: DPDK's own dma_idxd claims the same device IDs. The
 * PCI bus offers a device to its drivers in registration order; idxp,
 * linked in or loaded with -d, registers before the drivers DPDK loads
 * from its plugin directory, so it sees the device first. It takes it,
 * unless the device's devargs carry dma_idxd's key (max_queues=), which
 * leaves the device to dma_idxd.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bus_pci_driver.h>
#include <rte_dmadev_pmd.h>
#include <rte_cpuflags.h>
#include <rte_devargs.h>
#include <rte_interrupts.h>
#include <rte_io.h>
#include <rte_malloc.h>

#include "idxp_internal.h"
#include "idxp_pci.h"

#define PCI_VENDOR_INTEL	0x8086
/* The register page; idxp_dev.c checks the tables against the length. */
#define BAR0_MIN_LEN		0x1000u

static const struct rte_pci_id idxp_pci_ids[] = {
	{ RTE_PCI_DEVICE(PCI_VENDOR_INTEL, IDXP_PCI_DEVICE_DSA_SPR) },
	{ RTE_PCI_DEVICE(PCI_VENDOR_INTEL, IDXP_PCI_DEVICE_DSA_GNRD) },
	{ RTE_PCI_DEVICE(PCI_VENDOR_INTEL, IDXP_PCI_DEVICE_DSA_DMR) },
	{ .vendor_id = 0 },
};

/* Keys that configure the software device: a real one has none of them. */
#define MODEL_ONLY_ARGS	(IDXP_ARGF(CORE) | IDXP_ARGF(SPIN_US) | \
		IDXP_ARGF(IDLE) | IDXP_ARGF(SVA) | IDXP_ARGF(INJECT) | \
		IDXP_ARGF(PORTAL))

struct idxp_pci_plat {
	struct idxp_bus bus;
	struct rte_pci_device *pdev;
	bool intr_on;
};

/* ---- the claim (no device needed: unit-tested) ---- */

int
idxp_pci_claim(const char *devargs, bool vfio)
{
	/* dma_idxd's only devarg: the user asked for that driver. */
	if (devargs != NULL && strstr(devargs, "max_queues=") != NULL)
		return IDXP_PCI_DECLINE;
	if (!vfio)
		return -ENOTSUP;
	return IDXP_PCI_TAKE;
}

int
idxp_pci_check_args(const char *name, const struct idxp_devargs *a)
{
	const char *key = idxp_devargs_first_given(a, MODEL_ONLY_ARGS);

	if (key != NULL) {
		IDXP_LOG(ERR, "%s: devarg %s is for the software device; a DSA "
				"device takes vchans, engines, poll_us, evl_size, enq_deq",
				name, key);
		return -EINVAL;
	}
	return 0;
}

int
idxp_pci_portal_kind(enum idxp_portal_kind *kind)
{
	if (rte_cpu_get_flag_enabled(RTE_CPUFLAG_MOVDIR64B) <= 0)
		return -ENOTSUP;
	*kind = IDXP_PORTAL_KIND_MOVDIR64B;
	return 0;
}

/* ---- MMIO accessors ---- */

static uint32_t
pci_read32(const struct idxp_bus *bus, uint32_t off)
{
	return rte_read32(bus->bar0 + off);
}

/* DSA's 64-bit registers take 64-bit accesses (no torn halves). */
static uint64_t
pci_read64(const struct idxp_bus *bus, uint32_t off)
{
	return rte_read64(bus->bar0 + off);
}

static void
pci_write32(struct idxp_bus *bus, uint32_t off, uint32_t val)
{
	rte_write32(val, bus->bar0 + off);
}

static void
pci_write64(struct idxp_bus *bus, uint32_t off, uint64_t val)
{
	rte_write64(val, bus->bar0 + off);
}

static int
pci_portal_write(struct idxp_bus *bus, void *portal, const void *desc)
{
	RTE_SET_USED(bus);
	rte_wmb();	/* as the fast path: descriptor data before the store */
	idxp_movdir64b(portal, desc);
	return 0;
}

static void
intr_fini(struct idxp_pci_plat *plat)
{
	struct rte_intr_handle *h = plat->pdev->intr_handle;

	if (plat->intr_on)
		rte_intr_disable(h);
	rte_intr_efd_disable(h);
	plat->intr_on = false;
}

static void
pci_close(struct idxp_bus *bus)
{
	struct idxp_pci_plat *plat = bus->platform;

	/* The PCI bus unmaps the BARs when the device goes. */
	intr_fini(plat);
	rte_free(plat);
}

static const struct idxp_bus_ops pci_bus_ops = {
	.read32 = pci_read32,
	.read64 = pci_read64,
	.write32 = pci_write32,
	.write64 = pci_write64,
	.portal_write = pci_portal_write,
	.close = pci_close,
};

/*
 * MSI-X: vector 0 is the handle's own eventfd (the device's misc
 * interrupt), vectors 1..n one eventfd each, the vchans' completions.
 */
static int
intr_init(struct idxp_pci_plat *plat, uint32_t nb_wq_vectors)
{
	struct rte_intr_handle *h = plat->pdev->intr_handle;
	uint32_t i;

	if (rte_intr_type_get(h) != RTE_INTR_HANDLE_VFIO_MSIX ||
			!rte_intr_cap_multiple(h)) {
		IDXP_LOG(ERR, "%s: no MSI-X through VFIO", plat->bus.name);
		return -ENOTSUP;
	}
	if (rte_intr_efd_enable(h, nb_wq_vectors) < 0 ||
			rte_intr_nb_efd_get(h) != (int)nb_wq_vectors) {
		IDXP_LOG(ERR, "%s: cannot get %u MSI-X vectors", plat->bus.name,
				nb_wq_vectors + 1);
		rte_intr_efd_disable(h);
		return -ENOSPC;
	}
	if (rte_intr_enable(h) < 0) {
		IDXP_LOG(ERR, "%s: cannot enable MSI-X", plat->bus.name);
		rte_intr_efd_disable(h);
		return -EIO;
	}
	plat->intr_on = true;
	for (i = 0; i < IDXP_BUS_MAX_VECTORS; i++)
		plat->bus.vector_fd[i] = -1;
	plat->bus.vector_fd[0] = rte_intr_fd_get(h);
	for (i = 0; i < nb_wq_vectors; i++)
		plat->bus.vector_fd[1 + i] = rte_intr_efds_index_get(h, (int)i);
	plat->bus.nb_vectors = 1 + nb_wq_vectors;
	return 0;
}

static int
bars_check(struct idxp_pci_plat *plat)
{
	const struct rte_mem_resource *r0 = &plat->pdev->mem_resource[IDXP_BAR_MMIO];
	const struct rte_mem_resource *r2 = &plat->pdev->mem_resource[IDXP_BAR_PORTAL];

	if (r0->addr == NULL || r0->len < BAR0_MIN_LEN ||
			r2->addr == NULL || r2->len < IDXP_WQ_PORTAL_STRIDE) {
		IDXP_LOG(ERR, "%s: BAR0 (%" PRIu64 " bytes) or BAR2 (%" PRIu64
				" bytes) not mapped or too small", plat->bus.name,
				r0->len, r2->len);
		return -ENODEV;
	}
	plat->bus.bar0 = r0->addr;
	plat->bus.bar0_len = r0->len;
	plat->bus.bar2 = r2->addr;
	plat->bus.bar2_len = r2->len;
	return 0;
}

static struct idxp_pci_plat *
plat_create(struct rte_pci_device *pdev, const char *name,
		const struct idxp_devargs *a)
{
	struct idxp_pci_plat *plat;

	plat = rte_zmalloc_socket("idxp_pci", sizeof(*plat), 64,
			pdev->device.numa_node);
	if (plat == NULL)
		return NULL;
	plat->pdev = pdev;
	snprintf(plat->bus.name, sizeof(plat->bus.name), "%s", name);
	plat->bus.ops = &pci_bus_ops;
	plat->bus.err_fd = -1;
	plat->bus.numa_node = pdev->device.numa_node;
	plat->bus.platform = plat;
	if (idxp_pci_portal_kind(&plat->bus.portal_kind) < 0) {
		IDXP_LOG(ERR, "%s: this CPU has no MOVDIR64B, the only way to "
				"submit to a dedicated work queue", name);
		goto fail;
	}
	if (bars_check(plat) < 0 || intr_init(plat, a->max_vchans) < 0)
		goto fail;
	return plat;
fail:
	rte_free(plat);
	return NULL;
}

static int
idxp_pci_probe(struct rte_pci_driver *drv, struct rte_pci_device *pdev)
{
	const char *args = pdev->device.devargs != NULL ?
		pdev->device.devargs->args : NULL;
	struct idxp_devargs a;
	struct idxp_pci_plat *plat;
	char name[PCI_PRI_STR_SIZE];
	int ret;

	RTE_SET_USED(drv);
	rte_pci_device_name(&pdev->addr, name, sizeof(name));
	ret = idxp_pci_claim(args, pdev->kdrv == RTE_PCI_KDRV_VFIO);
	if (ret == IDXP_PCI_DECLINE) {
		IDXP_LOG(INFO, "%s: max_queues= given: left to dma_idxd", name);
		return ret;
	}
	if (ret < 0) {
		IDXP_LOG(ERR, "%s: idxp drives DSA through vfio-pci only: "
				"dpdk-devbind.py -b vfio-pci %s", name, name);
		return ret;
	}
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		IDXP_LOG(ERR, "%s: secondary processes are not supported", name);
		return -ENOTSUP;
	}
	if (idxp_devargs_parse(args, &a) < 0 || idxp_pci_check_args(name, &a) < 0)
		return -EINVAL;
	plat = plat_create(pdev, name, &a);
	if (plat == NULL)
		return -ENODEV;
	ret = idxp_probe_bus(name, &plat->bus, &a, &pdev->device);
	if (ret < 0) {
		pci_close(&plat->bus);
		return ret;
	}
	IDXP_LOG(INFO, "%s: DSA %04x, %u vchans, socket %d", name,
			pdev->id.device_id, a.max_vchans, pdev->device.numa_node);
	return 0;
}

static int
idxp_pci_remove(struct rte_pci_device *pdev)
{
	char name[PCI_PRI_STR_SIZE];

	rte_pci_device_name(&pdev->addr, name, sizeof(name));
	return idxp_remove(name);
}

static struct rte_pci_driver idxp_pci_driver = {
	.id_table = idxp_pci_ids,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING,
	.probe = idxp_pci_probe,
	.remove = idxp_pci_remove,
};

RTE_PMD_REGISTER_PCI(dma_idxp_pci, idxp_pci_driver);
RTE_PMD_REGISTER_PCI_TABLE(dma_idxp_pci, idxp_pci_ids);
RTE_PMD_REGISTER_KMOD_DEP(dma_idxp_pci, "vfio-pci");
RTE_PMD_REGISTER_PARAM_STRING(dma_idxp_pci,
	"vchans=<1-16> "
	"engines=<n> "
	"poll_us=<us> "
	"evl_size=<pow2> "
	"enq_deq=<0|1>");
