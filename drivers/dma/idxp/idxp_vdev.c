/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * The vdev platform: `--vdev=dma_idxp0,...` makes a software DSA device
 * (through the bus registry, by name) behind an IOMMU this file programs
 * from DPDK's memory map, as VFIO programs a real one: every memseg at
 * probe, hotplugged memory as it comes and goes, rte_dev_dma_map().
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <rte_dmadev_pmd.h>
#include <rte_eal.h>
#include <rte_malloc.h>

#include "idxp_internal.h"
#include "idxp_kwq.h"

struct idxp_vdev_plat {
	struct idxp_iommu mmu;
	struct idxp_memmap map;		/* DPDK's memory in the IOMMU */
};

static void
plat_free(struct idxp_vdev_plat *plat)
{
	idxp_memmap_fini(&plat->map);
	idxp_iommu_fini(&plat->mmu);
	rte_free(plat);
}

static void
plat_fini(struct idxp_priv *priv)
{
	plat_free(priv->plat);
	priv->plat = NULL;
}

/* ---- probe ---- */

static struct idxp_bus *
model_create(const char *name, const struct idxp_devargs *a,
		struct idxp_vdev_plat *plat, int socket)
{
	struct idxp_model_params p = {
		.name = name,
		.socket = socket,
		.nb_wqs = a->max_vchans,
		.nb_engines = a->engines,
		.spin_us = a->spin_us,
		.direct_portals = a->direct_portals,
		.iommu = &plat->mmu,
	};
	uint32_t i;

	for (i = 0; i < IDXP_BUS_MAX_CPUS; i++)
		p.cpus[i] = i < a->engines ? a->cpus[i % a->nb_cpus] : -1;
	return idxp_bus_create("sw", &p);
}

static int
parse_args(const char *name, const char *params, struct idxp_devargs *a)
{
	if (idxp_devargs_parse(params, a) < 0) {
		IDXP_LOG(ERR, "%s: probe failed, bad devargs", name);
		return -EINVAL;
	}
	if (a->sva && rte_eal_iova_mode() != RTE_IOVA_VA) {
		IDXP_LOG(ERR, "%s: sva=1 needs IOVA as VA (--iova-mode=va)", name);
		return -EINVAL;
	}
	idxp_devargs_pick_cpus(a);
	if (a->engines > a->nb_cpus)
		IDXP_LOG(WARNING, "%s: %u engines share %u cpus", name,
				a->engines, a->nb_cpus);
	return 0;
}

static int
idxp_vdev_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct idxp_vdev_plat *plat;
	struct idxp_devargs args;
	struct idxp_bus *bus;
	struct idxp_priv *priv;
	int socket, ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		IDXP_LOG(ERR, "%s: secondary processes are not supported", name);
		return -ENOTSUP;
	}
	ret = parse_args(name, rte_vdev_device_args(vdev), &args);
	if (ret < 0)
		return ret;
	if (args.wq[0] != '\0')
		return idxp_kwq_probe(vdev, &args);
	socket = idxp_cpu_socket(args.cpus[0]);
	plat = rte_zmalloc_socket("idxp_vdev", sizeof(*plat), 64, socket);
	if (plat == NULL)
		return -ENOMEM;
	ret = idxp_iommu_init(&plat->mmu, args.engines, socket);
	if (ret < 0) {
		rte_free(plat);
		return ret;
	}
	ret = idxp_memmap_init(&plat->map, &plat->mmu, name);
	bus = ret == 0 ? model_create(name, &args, plat, socket) : NULL;
	if (bus == NULL) {
		IDXP_LOG(ERR, "%s: cannot create the software device", name);
		plat_free(plat);
		return ret < 0 ? ret : -ENOMEM;
	}
	ret = idxp_probe_bus(name, bus, &args, &vdev->device);
	if (ret < 0) {
		bus->ops->close(bus);
		plat_free(plat);
		return ret;
	}
	priv = idxp_priv_get((int16_t)ret);
	priv->plat = plat;
	priv->plat_fini = plat_fini;
	/* dmadev reports the rte_device's node in rte_dma_info. */
	vdev->device.numa_node = socket;
	idxp_inject_devargs(priv, &args);
	IDXP_LOG(INFO, "%s: %u engine(s), first on cpu %d, %u vchans, socket %d",
			name, args.engines, args.cpus[0], args.max_vchans, socket);
	return 0;
}

static int
idxp_vdev_remove(struct rte_vdev_device *vdev)
{
	return idxp_remove_device(&vdev->device);
}

static struct idxp_vdev_plat *
plat_of(struct rte_vdev_device *vdev)
{
	int id = rte_dma_get_dev_id_by_name(rte_vdev_device_name(vdev));
	struct idxp_priv *priv = id < 0 ? NULL : idxp_priv_get((int16_t)id);

	return priv == NULL ? NULL : priv->plat;
}

static int
idxp_vdev_dma_map(struct rte_vdev_device *vdev, void *addr, uint64_t iova,
		size_t len)
{
	struct idxp_vdev_plat *plat = plat_of(vdev);

	/* A kernel WQ reaches every address of the process (SVA). */
	if (plat == NULL)
		return idxp_device_probed(&vdev->device) ? 0 : -ENODEV;
	return idxp_iommu_map(&plat->mmu, addr, iova, len, IDXP_IOMMU_RW,
			IDXP_MAP_USER);
}

static int
idxp_vdev_dma_unmap(struct rte_vdev_device *vdev, void *addr, uint64_t iova,
		size_t len)
{
	struct idxp_vdev_plat *plat = plat_of(vdev);

	RTE_SET_USED(addr);
	if (plat == NULL)
		return idxp_device_probed(&vdev->device) ? 0 : -ENODEV;
	/* Only what rte_dev_dma_map() added: DPDK's own memory stays. */
	return idxp_iommu_unmap_origin_range(&plat->mmu, iova, len, IDXP_MAP_USER);
}

static struct rte_vdev_driver idxp_vdev_driver = {
	.probe = idxp_vdev_probe,
	.remove = idxp_vdev_remove,
	.dma_map = idxp_vdev_dma_map,
	.dma_unmap = idxp_vdev_dma_unmap,
};

RTE_PMD_REGISTER_VDEV(dma_idxp, idxp_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(dma_idxp,
	"core=<cpu|a-b|a:b:..> "
	"engines=<1-16> "
	"vchans=<1-16> "
	"poll_us=<us> "
	"spin_us=<us> "
	"idle=<sleep|spin> "
	"sva=<0|1> "
	"evl_size=<pow2> "
	"enq_deq=<0|1> "
	"portal=<call|movdir64b> "
	"wq=<wqD.Q|auto> "
	"wq_prefix=<name> "
	"inject=<src|dst|comp|page_req|halt|reset_fail|revoke>[:count]");
