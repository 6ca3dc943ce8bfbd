/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * A fake kernel for the kwq tests: the software DSA device behind one
 * user work queue of a fake sysfs tree (IDXP_KWQ_ROOT), as Linux idxd
 * would set it up. It maps the WQ's "char device" (a file) and makes its
 * first page the WQ's portal, so the driver's 64-byte stores into its own
 * mapping of that file are the device's submissions. It programs the
 * device through its registers the way the kernel does, maps DPDK's memory
 * for it (the process's address space, as SVA gives a real device), and
 * plays the kernel's part after a halt: the WQ's sysfs state turns
 * "disabled".
 *
 * Test knobs, files in the WQ's sysfs directory that only a fake tree has:
 *   idxp_fake_reserved  entries other clients hold in a shared WQ
 *   idxp_fake_enable    write 1: reset a halted device, enable the WQ again
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_pause.h>

#include "idxp_sw_priv.h"
#include "idxp_sysfs.h"

extern int idxp_dev_logtype;
#define FK_LOG(level, fk, fmt, ...) rte_log(RTE_LOG_ ## level, idxp_dev_logtype, \
		"idxp: fake kernel %s: " fmt "\n", (fk)->wq, ##__VA_ARGS__)

#define FK_TICK_MS	10
#define FK_CMD_MS	2000

struct fake_kernel {
	struct idxp_bus bus;		/* what the kwq platform talks to */
	struct idxp_bus *dev;		/* the software device */
	struct idxp_iommu mmu;
	struct idxp_memmap map;
	bool mmu_on;
	void *page;			/* its mapping of the char device */
	int fd;
	int stop_fd;
	pthread_t thread;
	bool thread_on;
	char wq[64];
	char sysfs[4096];
	/* The WQ as sysfs configures it. */
	bool shared;
	uint32_t size, max_batch;
	uint64_t max_xfer;
};

/* ---- the tree ---- */

static void
attr_put(const struct fake_kernel *fk, const char *attr, const char *val)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fk->sysfs, attr);
	f = fopen(path, "w");
	if (f == NULL)
		return;
	fprintf(f, "%s\n", val);
	fclose(f);
}

static uint64_t
attr_num(const struct fake_kernel *fk, const char *attr, uint64_t dflt)
{
	char buf[64];

	return idxp_sysfs_read(fk->sysfs, attr, buf, sizeof(buf)) == 0 && buf[0] != '\0' ?
		strtoull(buf, NULL, 0) : dflt;
}

static int
read_config(struct fake_kernel *fk)
{
	char mode[32];

	if (idxp_sysfs_read(fk->sysfs, "mode", mode, sizeof(mode)) < 0)
		return -ENOENT;
	fk->shared = strcmp(mode, "shared") == 0;
	fk->size = (uint32_t)attr_num(fk, "size", 0);
	fk->max_batch = (uint32_t)attr_num(fk, "max_batch_size", 32);
	fk->max_xfer = attr_num(fk, "max_transfer_size", 1u << 21);
	/* The device's queue is its portal page. */
	if (fk->size == 0 || fk->size > IDXP_SW_WQ_SLOTS || fk->max_batch == 0 ||
			!rte_is_power_of_2(fk->max_batch) || fk->max_xfer == 0 ||
			!rte_is_power_of_2(fk->max_xfer))
		return -EINVAL;
	return 0;
}

/* ---- the device, programmed as the kernel does ---- */

static int
cmd(struct fake_kernel *fk, uint32_t code, uint32_t operand)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() / 1000 * FK_CMD_MS;
	uint32_t sts;

	idxp_reg_write32(fk->dev, IDXP_REG_CMD, idxp_cmd(code, operand, false));
	while (idxp_cmdsts_active(sts = idxp_reg_read32(fk->dev, IDXP_REG_CMDSTS))) {
		if (rte_get_timer_cycles() > end)
			return -ETIMEDOUT;
		usleep(10);
	}
	return idxp_cmdsts_err(sts) == IDXP_CMDSTS_SUCCESS ? 0 : -EIO;
}

static uint32_t
log2_u64(uint64_t v)
{
	return 63 - (uint32_t)__builtin_clzll(v);
}

/* Group 0: WQ 0 and engine 0. WQ 0 as sysfs says; no event log. */
static int
program(struct fake_kernel *fk)
{
	uint32_t g = IDXP_SW_GRPCFG_TABLE, w = IDXP_SW_WQCFG_TABLE;
	uint32_t max;

	if (cmd(fk, IDXP_CMD_RESET_DEVICE, 0) < 0)
		return -EIO;
	idxp_reg_write64(fk->dev, g + IDXP_GRPCFG_WQS_OFF, 1);
	idxp_reg_write64(fk->dev, g + IDXP_GRPCFG_ENGINES_OFF, 1);
	max = (uint32_t)idxp_field_set(0, IDXP_WQCFG_MAX_XFER_SHIFT_MASK,
			log2_u64(fk->max_xfer));
	max = (uint32_t)idxp_field_set(max, IDXP_WQCFG_MAX_BATCH_SHIFT_MASK,
			log2_u64(fk->max_batch));
	idxp_reg_write32(fk->dev, w + IDXP_WQCFG_SIZE_OFF, fk->size);
	idxp_reg_write32(fk->dev, w + IDXP_WQCFG_MODE_OFF, fk->shared ? 0 : IDXP_WQCFG_DEDICATED);
	idxp_reg_write32(fk->dev, w + IDXP_WQCFG_MAX_OFF, max);
	idxp_reg_write32(fk->dev, IDXP_REG_GENCTRL, IDXP_GENCTRL_HALT_INT_EN);
	if (cmd(fk, IDXP_CMD_ENABLE_DEVICE, 0) < 0 || cmd(fk, IDXP_CMD_ENABLE_WQ, 0) < 0)
		return -EIO;
	attr_put(fk, "state", "enabled");
	return 0;
}

/* ---- the kernel's side of a halt, and the knobs ---- */

static void
misc_interrupt(struct fake_kernel *fk)
{
	uint32_t cause = idxp_reg_read32(fk->dev, IDXP_REG_INTCAUSE);
	uint64_t v;

	if (read(fk->dev->vector_fd[0], &v, sizeof(v)) < 0)
		v = 0;
	idxp_reg_write32(fk->dev, IDXP_REG_INTCAUSE, cause);
	if (cause & IDXP_INTCAUSE_HALT_STATE) {
		FK_LOG(NOTICE, fk, "device halted: work queue disabled");
		attr_put(fk, "state", "disabled");
	}
}

static void
knobs(struct fake_kernel *fk)
{
	struct idxp_sw_dev *sw = idxp_sw_of(fk->dev);

	__atomic_store_n(&sw->wq[0].reserved,
			(uint32_t)attr_num(fk, "idxp_fake_reserved", 0), __ATOMIC_RELEASE);
	if (attr_num(fk, "idxp_fake_enable", 0) == 1) {
		attr_put(fk, "idxp_fake_enable", "0");
		if (program(fk) < 0)
			FK_LOG(ERR, fk, "cannot enable the work queue again");
	}
}

static void *
fk_main(void *arg)
{
	struct fake_kernel *fk = arg;
	struct pollfd pfd[2] = {
		{ .fd = fk->dev->vector_fd[0], .events = POLLIN },
		{ .fd = fk->stop_fd, .events = POLLIN },
	};

	for (;;) {
		int n = poll(pfd, 2, FK_TICK_MS);

		if (n > 0 && (pfd[1].revents & POLLIN))
			break;
		if (n > 0 && (pfd[0].revents & POLLIN))
			misc_interrupt(fk);
		knobs(fk);
	}
	return NULL;
}

/* ---- the bus the kwq platform sees ---- */

static struct fake_kernel *
fk_of(const struct idxp_bus *bus)
{
	return bus->platform;
}

static uint32_t
fk_read32(const struct idxp_bus *bus, uint32_t off)
{
	struct idxp_bus *d = fk_of(bus)->dev;

	return d->ops->read32(d, off);
}

static uint64_t
fk_read64(const struct idxp_bus *bus, uint32_t off)
{
	struct idxp_bus *d = fk_of(bus)->dev;

	return d->ops->read64(d, off);
}

/* Only the debug registers: the rest is the kernel's. */
static void
fk_write32(struct idxp_bus *bus, uint32_t off, uint32_t val)
{
	struct idxp_bus *d = fk_of(bus)->dev;

	if (off >= IDXP_MREG_BASE)
		d->ops->write32(d, off, val);
}

static void
fk_write64(struct idxp_bus *bus, uint32_t off, uint64_t val)
{
	struct idxp_bus *d = fk_of(bus)->dev;

	if (off >= IDXP_MREG_BASE)
		d->ops->write64(d, off, val);
}

static int
fk_portal_write(struct idxp_bus *bus, void *portal, const void *desc)
{
	struct idxp_bus *d = fk_of(bus)->dev;

	return d->ops->portal_write(d, portal, desc);
}

static void
fk_close(struct idxp_bus *bus)
{
	struct fake_kernel *fk = fk_of(bus);
	uint64_t one = 1;

	if (fk->thread_on) {
		if (write(fk->stop_fd, &one, sizeof(one)) < 0)
			FK_LOG(ERR, fk, "cannot stop the watcher");
		pthread_join(fk->thread, NULL);
	}
	if (fk->dev != NULL)
		fk->dev->ops->close(fk->dev);	/* joins the engine */
	if (fk->mmu_on) {
		idxp_memmap_fini(&fk->map);
		idxp_iommu_fini(&fk->mmu);
	}
	if (fk->page != NULL)
		munmap(fk->page, IDXP_PORTAL_SIZE);
	if (fk->fd >= 0)
		close(fk->fd);
	if (fk->stop_fd >= 0)
		close(fk->stop_fd);
	rte_free(fk);
}

static const struct idxp_bus_ops fk_ops = {
	.read32 = fk_read32,
	.read64 = fk_read64,
	.write32 = fk_write32,
	.write64 = fk_write64,
	.portal_write = fk_portal_write,
	.close = fk_close,
};

static int
map_page(struct fake_kernel *fk, const char *cdev)
{
	fk->fd = open(cdev, O_RDWR | O_CLOEXEC);
	if (fk->fd < 0)
		return -errno;
	fk->page = mmap(NULL, IDXP_PORTAL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			fk->fd, 0);
	if (fk->page == MAP_FAILED) {
		fk->page = NULL;
		return -errno;
	}
	memset(fk->page, 0, IDXP_PORTAL_SIZE);
	return 0;
}

static int
device_up(struct fake_kernel *fk, const struct idxp_model_params *p)
{
	struct idxp_model_params mp = *p;

	if (idxp_iommu_init(&fk->mmu, 1, p->socket) < 0)
		return -ENOMEM;
	fk->mmu_on = true;
	if (idxp_memmap_init(&fk->map, &fk->mmu, fk->wq) < 0)
		return -ENOMEM;
	mp.nb_wqs = 1;
	mp.nb_engines = 1;
	mp.iommu = &fk->mmu;
	mp.portal_page = fk->page;
	mp.direct_portals = false;
	mp.kwq_sysfs = NULL;
	mp.kwq_cdev = NULL;
	fk->dev = idxp_bus_create("sw", &mp);
	if (fk->dev == NULL)
		return -ENODEV;
	return program(fk);
}

static struct idxp_bus *
fk_create(const struct idxp_model_params *p)
{
	struct fake_kernel *fk;
	int ret;

	if (p->kwq_sysfs == NULL || p->kwq_cdev == NULL)
		return NULL;
	fk = rte_zmalloc("idxp_fake_kernel", sizeof(*fk), 64);
	if (fk == NULL)
		return NULL;
	fk->fd = -1;
	fk->stop_fd = eventfd(0, EFD_CLOEXEC);
	snprintf(fk->wq, sizeof(fk->wq), "%s", p->name);
	snprintf(fk->sysfs, sizeof(fk->sysfs), "%s", p->kwq_sysfs);
	fk->bus.ops = &fk_ops;
	fk->bus.platform = fk;
	fk->bus.features = IDXP_BUS_F_MODEL;
	fk->bus.err_fd = -1;
	/* Without its stop eventfd the watcher could never be told to end. */
	ret = fk->stop_fd < 0 ? -errno : read_config(fk);
	if (ret == 0)
		ret = map_page(fk, p->kwq_cdev);
	if (ret == 0)
		ret = device_up(fk, p);
	if (ret == 0 && pthread_create(&fk->thread, NULL, fk_main, fk) != 0)
		ret = -EAGAIN;
	if (ret < 0) {
		FK_LOG(ERR, fk, "cannot serve %s: %s", p->kwq_sysfs, strerror(-ret));
		fk_close(&fk->bus);
		return NULL;
	}
	fk->thread_on = true;
	pthread_setname_np(fk->thread, "idxp-fakek");
	fk->bus.bar2 = fk->page;
	fk->bus.bar2_len = IDXP_PORTAL_SIZE;
	return &fk->bus;
}

RTE_INIT(idxp_fake_kernel_register)
{
	idxp_bus_register("kwq-fake", fk_create);
}
