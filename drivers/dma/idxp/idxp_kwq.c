/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * The kernel-WQ platform: `--vdev=dma_idxp0,wq=wq0.0` drives a user work
 * queue the Linux idxd driver owns, as accel-config set it up. The WQ's
 * char device maps its portal page; descriptors go there with MOVDIR64B
 * (dedicated WQ) or ENQCMD (shared WQ); the device reaches our memory by
 * virtual address through the process's PASID (SVA), so IOVAs must be
 * VAs. The kernel keeps the registers, the interrupts and the event log:
 * the bus has no BAR0 and no vectors (IDXP_BUS_F_KERNEL).
 *
 * Tests point IDXP_KWQ_ROOT at a fake tree (sysfs attributes, a
 * shared-memory file as the char device). Such a tree is served by the
 * "kwq-fake" provider, the software device behind a fake kernel; the code
 * here is the same for both, except that on a CPU without the portal
 * instruction the fake's portal write stands in for it.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <cpuid.h>

#include <bus_vdev_driver.h>
#include <rte_cpuflags.h>
#include <rte_eal.h>
#include <rte_malloc.h>

#include "idxp_internal.h"
#include "idxp_kwq.h"

/* Keys only the software device has: the kernel configured the rest. */
#define KWQ_MODEL_ARGS	(IDXP_ARGF(CORE) | IDXP_ARGF(ENGINES) | \
		IDXP_ARGF(SPIN_US) | IDXP_ARGF(IDLE) | IDXP_ARGF(SVA) | \
		IDXP_ARGF(EVL_SIZE) | IDXP_ARGF(PORTAL))

struct idxp_kwq_plat {
	struct idxp_bus bus;
	struct idxp_kwq_info info;
	int fd;				/* the char device */
	struct idxp_bus *fake;		/* the fake kernel's device, or NULL */
};

static struct idxp_kwq_plat *
plat_of(const struct idxp_bus *bus)
{
	return bus->platform;
}

/*
 * The DSA registers are the kernel's. Only a fake tree's device has
 * something behind these: the model's debug registers (injection and
 * counters, IDXP_BUS_F_MODEL).
 */
static bool
model_reg(const struct idxp_bus *bus, uint32_t off)
{
	return plat_of(bus)->fake != NULL && off >= IDXP_MREG_BASE &&
		off < IDXP_MREG_END;
}

static uint32_t
kwq_read32(const struct idxp_bus *bus, uint32_t off)
{
	struct idxp_bus *f = plat_of(bus)->fake;

	return model_reg(bus, off) ? f->ops->read32(f, off) : 0;
}

static uint64_t
kwq_read64(const struct idxp_bus *bus, uint32_t off)
{
	struct idxp_bus *f = plat_of(bus)->fake;

	return model_reg(bus, off) ? f->ops->read64(f, off) : 0;
}

static void
kwq_write32(struct idxp_bus *bus, uint32_t off, uint32_t val)
{
	struct idxp_bus *f = plat_of(bus)->fake;

	if (model_reg(bus, off))
		f->ops->write32(f, off, val);
}

static void
kwq_write64(struct idxp_bus *bus, uint32_t off, uint64_t val)
{
	struct idxp_bus *f = plat_of(bus)->fake;

	if (model_reg(bus, off))
		f->ops->write64(f, off, val);
}

/*
 * The test double of MOVDIR64B/ENQCMD (a fake tree on a CPU without
 * them): the fake device's own portal write, at the same offset of its
 * mapping of the same page. -EAGAIN is a shared WQ's "retry".
 */
static int
kwq_portal_write(struct idxp_bus *bus, void *portal, const void *desc)
{
	struct idxp_bus *f = plat_of(bus)->fake;

	if (f == NULL)
		return -ENODEV;
	return f->ops->portal_write(f, f->bar2 + ((uint8_t *)portal - bus->bar2),
			desc);
}

static bool
kwq_wq_enabled(struct idxp_bus *bus)
{
	return idxp_kwq_enabled(&plat_of(bus)->info);
}

static void
kwq_close(struct idxp_bus *bus)
{
	struct idxp_kwq_plat *plat = plat_of(bus);

	if (plat->fake != NULL)
		plat->fake->ops->close(plat->fake);
	if (bus->bar2 != NULL)
		munmap(bus->bar2, bus->bar2_len);
	if (plat->fd >= 0)
		close(plat->fd);
	rte_free(plat);
}

static const struct idxp_bus_ops kwq_bus_ops = {
	.read32 = kwq_read32,
	.read64 = kwq_read64,
	.write32 = kwq_write32,
	.write64 = kwq_write64,
	.portal_write = kwq_portal_write,
	.close = kwq_close,
	.wq_enabled = kwq_wq_enabled,
};

/* CPUID.(7,0):ECX[29]; DPDK 22.11 has no flag for it. */
static bool
cpu_has_enqcmd(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & (1u << 29));
}

/*
 * How descriptors reach the portal: the WQ mode's instruction where the
 * CPU has it; on a fake tree without it, the fake's portal write.
 */
static int
portal_kind(struct idxp_kwq_plat *plat, const char *name)
{
	bool shared = plat->info.shared;
	bool has = shared ? cpu_has_enqcmd() :
		rte_cpu_get_flag_enabled(RTE_CPUFLAG_MOVDIR64B) > 0;

	/* A shared fake WQ is plain memory, which cannot answer ENQCMD. */
	if (has && !(shared && plat->fake != NULL)) {
		plat->bus.portal_kind = shared ? IDXP_PORTAL_KIND_ENQCMD :
			IDXP_PORTAL_KIND_MOVDIR64B;
		return 0;
	}
	if (plat->fake != NULL) {
		plat->bus.portal_kind = IDXP_PORTAL_KIND_BUS;
		return 0;
	}
	IDXP_LOG(ERR, "%s: %s is a %s work queue, and this CPU has no %s to "
			"submit to it", name, plat->info.name, shared ? "shared" :
			"dedicated", shared ? "ENQCMD" : "MOVDIR64B");
	return -ENOTSUP;
}

static int
portal_map(struct idxp_kwq_plat *plat, const char *name)
{
	struct stat st;
	void *p;

	int err;

	plat->fd = open(plat->info.cdev, O_RDWR | O_CLOEXEC);
	if (plat->fd < 0) {
		err = errno;
		IDXP_LOG(ERR, "%s: cannot open %s: %s", name, plat->info.cdev,
				strerror(err));
		return -err;
	}
	p = mmap(NULL, IDXP_PORTAL_SIZE, PROT_WRITE, MAP_SHARED | MAP_POPULATE,
			plat->fd, 0);
	if (p == MAP_FAILED) {
		err = errno;
		IDXP_LOG(ERR, "%s: cannot map the portal of %s: %s%s", name,
				plat->info.cdev, strerror(err), err == EPERM ?
				" (newer kernels want CAP_SYS_RAWIO for user WQs)" : "");
		return -err;
	}
	plat->bus.bar2 = p;
	plat->bus.bar2_len = IDXP_PORTAL_SIZE;
	/* The kernel's char device is readable on a software error. */
	plat->bus.err_fd = fstat(plat->fd, &st) == 0 && S_ISCHR(st.st_mode) ?
		plat->fd : -1;
	return 0;
}

static struct idxp_bus *
fake_create(const struct idxp_kwq_info *w, const struct idxp_devargs *a)
{
	struct idxp_model_params p = {
		.name = w->name,
		.socket = SOCKET_ID_ANY,
		.nb_wqs = 1,
		.nb_engines = 1,
		.spin_us = a->spin_us,
		.kwq_sysfs = w->sysfs,
		.kwq_cdev = w->cdev,
	};
	unsigned int i;

	for (i = 0; i < IDXP_BUS_MAX_CPUS; i++)
		p.cpus[i] = i == 0 ? a->cpus[0] : -1;
	return idxp_bus_create("kwq-fake", &p);
}

static struct idxp_kwq_plat *
plat_create(const char *name, const struct idxp_kwq_info *w,
		const struct idxp_devargs *a)
{
	int node = idxp_node_usable(w->numa_node);
	struct idxp_kwq_plat *plat;
	unsigned int i;

	plat = rte_zmalloc_socket("idxp_kwq", sizeof(*plat), 64, node);
	if (plat == NULL)
		return NULL;
	plat->info = *w;
	plat->fd = -1;
	snprintf(plat->bus.name, sizeof(plat->bus.name), "%s", name);
	plat->bus.ops = &kwq_bus_ops;
	plat->bus.platform = plat;
	plat->bus.numa_node = node;
	plat->bus.features = IDXP_BUS_F_KERNEL;
	plat->bus.err_fd = -1;
	for (i = 0; i < IDXP_BUS_MAX_VECTORS; i++)
		plat->bus.vector_fd[i] = -1;
	plat->bus.kwq = (struct idxp_bus_wq){
		.size = w->size,
		.max_batch = w->max_batch,
		.max_xfer = w->max_xfer,
		.shared = w->shared,
		.bof = w->bof,
	};
	memcpy(plat->bus.kwq.opcap, w->opcap, sizeof(plat->bus.kwq.opcap));
	if (portal_map(plat, name) < 0)
		goto fail;
	if (idxp_kwq_root_is_fake()) {
		plat->fake = fake_create(w, a);
		if (plat->fake == NULL) {
			IDXP_LOG(ERR, "%s: the fake kernel cannot serve %s", name, w->name);
			goto fail;
		}
		plat->bus.features |= plat->fake->features & IDXP_BUS_F_MODEL;
	}
	if (portal_kind(plat, name) < 0)
		goto fail;
	return plat;
fail:
	kwq_close(&plat->bus);
	return NULL;
}

static int
lookup(const char *name, const char *wq, struct idxp_kwq_info *w)
{
	int ret = idxp_kwq_lookup(wq, w);

	if (ret == -ENOENT)
		IDXP_LOG(ERR, "%s: no work queue %s under %s/sys/bus/dsa/devices "
				"(is idxd loaded? accel-config list)", name, wq,
				idxp_kwq_root());
	else if (ret < 0)
		IDXP_LOG(ERR, "%s: cannot make sense of %s's sysfs attributes", name, wq);
	return ret < 0 ? ret : idxp_kwq_check(name, w);
}

static int
probe_one(struct rte_vdev_device *vdev, const char *name, const char *wq,
		const struct idxp_devargs *a)
{
	struct idxp_kwq_info w;
	struct idxp_kwq_plat *plat;
	int ret = lookup(name, wq, &w);

	if (ret < 0)
		return ret;
	plat = plat_create(name, &w, a);
	if (plat == NULL)
		return -ENODEV;
	ret = idxp_probe_bus(name, &plat->bus, a, &vdev->device);
	if (ret < 0) {
		kwq_close(&plat->bus);
		return ret;
	}
	vdev->device.numa_node = plat->bus.numa_node;
	idxp_inject_devargs(idxp_priv_get((int16_t)ret), a);
	IDXP_LOG(INFO, "%s: %s work queue %s (%s), %u entries, socket %d%s", name,
			w.shared ? "shared" : "dedicated", w.name, w.wq_name, w.size,
			plat->bus.numa_node, plat->fake != NULL ? ", fake kernel" : "");
	return 0;
}

static int
check_args(const char *name, const struct idxp_devargs *a)
{
	const char *key = idxp_devargs_first_given(a, KWQ_MODEL_ARGS);

	if (key != NULL) {
		IDXP_LOG(ERR, "%s: devarg %s is for the software device; a kernel "
				"work queue takes wq, wq_prefix, poll_us, enq_deq", name, key);
		return -EINVAL;
	}
	if ((a->given & IDXP_ARGF(INJECT)) && !idxp_kwq_root_is_fake()) {
		IDXP_LOG(ERR, "%s: inject= needs the software device", name);
		return -EINVAL;
	}
	if (rte_eal_iova_mode() != RTE_IOVA_VA) {
		IDXP_LOG(ERR, "%s: a kernel work queue addresses memory by virtual "
				"address: run with --iova-mode=va", name);
		return -EINVAL;
	}
	return 0;
}

/* wq=auto: every enabled user WQ named wq_prefix..., one dmadev each. */
static int
probe_auto(struct rte_vdev_device *vdev, const struct idxp_devargs *a)
{
	const char *vname = rte_vdev_device_name(vdev);
	char names[IDXP_KWQ_MAX][IDXP_KWQ_NAME_LEN];
	char name[RTE_DEV_NAME_MAX_LEN];
	int n = idxp_kwq_scan(a->wq_prefix, names, IDXP_KWQ_MAX), i, ret;

	if (n <= 0) {
		IDXP_LOG(ERR, "%s: wq=auto found no enabled user work queue named "
				"%s* (accel-config config-wq --type=user --name=%s...)",
				vname, a->wq_prefix, a->wq_prefix);
		return -ENODEV;
	}
	for (i = 0; i < n; i++) {
		if (snprintf(name, sizeof(name), "%s-%s", vname, names[i]) >=
				(int)sizeof(name))
			ret = -ENAMETOOLONG;
		else
			ret = probe_one(vdev, name, names[i], a);
		if (ret < 0) {
			idxp_remove_device(&vdev->device);
			return ret;
		}
	}
	return 0;
}

int
idxp_kwq_probe(struct rte_vdev_device *vdev, const struct idxp_devargs *a)
{
	const char *vname = rte_vdev_device_name(vdev);
	struct idxp_devargs one = *a;

	if (check_args(vname, a) < 0)
		return -EINVAL;
	/* One vchan per WQ, unless the user asked for more (refused later). */
	if (!(a->given & IDXP_ARGF(VCHANS)))
		one.max_vchans = 1;
	if (strcmp(a->wq, "auto") == 0)
		return probe_auto(vdev, &one);
	return probe_one(vdev, vname, a->wq, &one);
}
