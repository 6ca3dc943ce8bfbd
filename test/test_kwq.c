/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Kernel work queues (wq=) against the fake idxd tree (kwq_tree.sh): the
 * sysfs parsing, every probe refusal, then on a dedicated and on a shared
 * WQ copies, fills, fenced batches, bad addresses, waiting without
 * interrupts, a shared WQ that other clients keep full, stop with ops in
 * flight, and the kernel disabling the WQ after a halt (every op still
 * reported, then recovery once the WQ is back).
 *
 * Usage: test_kwq KWQ_TREE_SH. In IOVA-as-PA mode only the refusal runs.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include "idxp_kwq.h"
#include "rte_pmd_idxp.h"
#include "test_common.h"

#define BUF_SZ		(1 << 20)
#define NB_DESC		256

static char root[256];
static uint8_t *src, *dst;

static void
knob(const char *wq, const char *attr, const char *val)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/bus/dsa/devices/%s/%s", root, wq, attr);
	f = fopen(path, "w");
	CHECK(f != NULL, "open %s", path);
	if (f != NULL) {
		fprintf(f, "%s\n", val);
		fclose(f);
	}
}

/* The fake kernel reads its knobs every 10 ms. */
static void
knob_settle(void)
{
	usleep(60 * 1000);
}

/* ---- sysfs ---- */

static void
test_opcap(void)
{
	uint64_t op[IDXP_OPCAP_WORDS];

	CHECK(idxp_kwq_parse_opcap("00000000,00000000,00000000,00000000,"
			"00000000,00000000,0000007b,00bf07ff", op) == 0, "new format");
	CHECK(op[0] == 0x0000007b00bf07ffull && op[1] == 0 && op[3] == 0,
			"new format value %#llx", (unsigned long long)op[0]);
	CHECK(idxp_kwq_parse_opcap("0xff 0x1 0x0 0x0", op) == 0 && op[0] == 0xff &&
			op[1] == 1, "old format");
	/* "%#llx" prints a zero word without its 0x. */
	CHECK(idxp_kwq_parse_opcap("0x1ff03ff 0 0 0", op) == 0 && op[0] == 0x1ff03ff &&
			op[1] == 0, "old format with zero words");
	CHECK(idxp_kwq_parse_opcap("0x1 07", op) < 0, "not a kernel word");
	CHECK(idxp_kwq_parse_opcap("", op) < 0, "empty");
	CHECK(idxp_kwq_parse_opcap("zz", op) < 0, "junk");
	CHECK(idxp_kwq_parse_opcap("123456789", op) < 0, "word too long");
	CHECK(idxp_kwq_parse_opcap("1,2,3,4,5,6,7,8,9", op) < 0, "too many words");
}

static void
test_lookup(void)
{
	char names[8][IDXP_KWQ_NAME_LEN];
	struct idxp_kwq_info w;
	int n;

	CHECK(idxp_kwq_lookup("wq0.0", &w) == 0, "lookup wq0.0");
	CHECK(!w.shared && w.size == 16 && w.max_batch == 32 &&
			w.max_xfer == 2097152 && w.numa_node == 0 &&
			strcmp(w.wq_name, "idxp-ded") == 0, "wq0.0 attributes");
	CHECK(idxp_kwq_lookup("wq0.1", &w) == 0 && w.shared, "wq0.1 is shared");
	CHECK(idxp_kwq_lookup("wq0.9", &w) == -ENOENT, "missing WQ");
	CHECK(idxp_kwq_lookup("dsa0", &w) == -EINVAL, "not a WQ name");
	n = idxp_kwq_scan("idxp", names, 8);
	CHECK(n == 2 && strcmp(names[0], "wq0.0") == 0 && strcmp(names[1], "wq0.1") == 0,
			"scan finds the two enabled user WQs (%d)", n);
	CHECK(idxp_kwq_scan("idxp-sh", names, 8) == 1, "scan by prefix");
	CHECK(idxp_kwq_scan("nomatch", names, 8) == 0, "scan, no match");
}

/* ---- probe refusals ---- */

static void
refused(const char *devargs, const char *why)
{
	CHECK(t_idxp_create("dma_idxp9", devargs) < 0, "%s (%s) was accepted",
			why, devargs);
	rte_vdev_uninit("dma_idxp9");
}

static void
test_refusals(void)
{
	char cdev[512];

	refused("wq=wq0.2", "a kernel-type WQ");
	refused("wq=wq0.3", "a disabled WQ");
	refused("wq=wq0.9", "a WQ that does not exist");
	refused("wq=wq0.0,vchans=2", "two vchans on one WQ");
	refused("wq=wq0.0,core=1", "a software-device devarg");
	refused("wq=wq0.0,evl_size=64", "the kernel's event log");
	refused("wq=nonsense", "a bad WQ name");
	refused("wq=auto,wq_prefix=nomatch", "auto that finds nothing");
	knob("wq0.0", "size", "0");
	refused("wq=wq0.0", "a WQ of size 0");
	knob("wq0.0", "size", "1");
	refused("wq=wq0.0", "a WQ of size 1 (one entry stays free)");
	knob("wq0.0", "size", "16");
	snprintf(cdev, sizeof(cdev), "%s/dev/dsa/wq0.0", root);
	CHECK(rename(cdev, "/tmp/idxp-kwq-cdev") == 0, "hide cdev");
	refused("wq=wq0.0", "a missing char device");
	CHECK(rename("/tmp/idxp-kwq-cdev", cdev) == 0, "restore cdev");
}

/* A WQ that batches 4: split SG ops of up to 2 + 2 segments (3 + 2 at most). */
static void
test_small_batch(void)
{
	struct rte_dma_sge s[3], d[3];
	struct rte_dma_info info;
	int dev, i;

	knob("wq0.0", "max_batch_size", "4");
	dev = t_idxp_create("dma_idxp8", "wq=wq0.0");
	CHECK(dev >= 0 && t_dev_setup((int16_t)dev, 1, 64) == 0, "small-batch WQ");
	if (dev >= 0) {
		for (i = 0; i < 3; i++) {
			s[i].addr = t_iova(src + i * 64);
			s[i].length = 64;
			d[i].addr = t_iova(dst + i * 64);
			d[i].length = 64;
		}
		CHECK(rte_dma_info_get((int16_t)dev, &info) == 0 && info.max_sges == 2,
				"max_sges %u for a batch of 4", info.max_sges);
		CHECK(rte_dma_copy_sg((int16_t)dev, 0, s, d, 3, 3, 0) == -EINVAL,
				"3 + 3 segments need 5 memmoves");
		CHECK(rte_dma_copy_sg((int16_t)dev, 0, s, d, 3, 2, RTE_DMA_OP_FLAG_SUBMIT) >= 0,
				"3 + 2 segments fit a batch of 4");
		CHECK(t_wait_completions((int16_t)dev, 0, 1, NULL) == 1, "3 + 2 completes");
		rte_dma_stop((int16_t)dev);
	}
	rte_vdev_uninit("dma_idxp8");
	knob("wq0.0", "max_batch_size", "32");
}

/* ---- traffic ---- */

static int
setup(const char *name, const char *devargs)
{
	int dev = t_idxp_create(name, devargs);

	CHECK(dev >= 0, "create %s (%s)", name, devargs);
	if (dev < 0)
		return -1;
	CHECK(t_dev_setup((int16_t)dev, 1, NB_DESC) == 0, "setup %s", name);
	return dev;
}

static void
check_info(int16_t dev)
{
	struct rte_dma_info info;

	CHECK(rte_dma_info_get(dev, &info) == 0, "info");
	CHECK(info.max_vchans == 1, "max_vchans %u", info.max_vchans);
	/* The tree's WQs batch 32: every 8 + 8 split fits. */
	CHECK((info.dev_capa & RTE_DMA_CAPA_OPS_COPY_SG) && info.max_sges == 8,
			"copy_sg, split into memmoves (max_sges %u)", info.max_sges);
	CHECK(info.dev_capa & RTE_DMA_CAPA_HANDLES_ERRORS, "handles errors");
	CHECK(rte_pmd_idxp_intr_fd(dev, 0) == -ENOTSUP, "no interrupt fd");
	CHECK(rte_pmd_idxp_intr_arm(dev, 0) == -ENOTSUP, "no arming");
}

/* Copies of several sizes and fills in fenced batches; all data checked. */
static void
check_copies(int16_t dev, const char *what)
{
	static const uint32_t sizes[] = { 1, 64, 200, 4096, 65536 };
	unsigned int i, k, done = 0;
	size_t off = 0;

	memset(dst, 0, BUF_SZ);
	for (i = 0; i < RTE_DIM(sizes); i++) {
		for (k = 0; k < 8; k++) {
			uint64_t fl = k == 4 ? RTE_DMA_OP_FLAG_FENCE : 0;

			CHECK(rte_dma_copy(dev, 0, t_iova(src + off), t_iova(dst + off),
					sizes[i], fl) >= 0, "%s: copy", what);
			off += RTE_ALIGN(sizes[i], 64);
		}
		CHECK(rte_dma_fill(dev, 0, 0x5a5a5a5a5a5a5a5aull, t_iova(dst + off),
				sizes[i], RTE_DMA_OP_FLAG_SUBMIT) >= 0, "%s: fill", what);
		off += RTE_ALIGN(sizes[i], 64);
		done += t_wait_completions(dev, 0, 9, NULL);
	}
	CHECK(done == 9 * RTE_DIM(sizes), "%s: %u of %zu completed", what, done,
			9 * RTE_DIM(sizes));
	off = 0;
	for (i = 0; i < RTE_DIM(sizes); i++) {
		for (k = 0; k < 8; k++) {
			CHECK(memcmp(dst + off, src + off, sizes[i]) == 0,
					"%s: data of copy %u of %u B", what, k, sizes[i]);
			off += RTE_ALIGN(sizes[i], 64);
		}
		CHECK(t_all_bytes(dst + off, sizes[i], 0x5a), "%s: fill of %u B",
				what, sizes[i]);
		off += RTE_ALIGN(sizes[i], 64);
	}
}

/* A bad address is a status in the record, never a crash. */
static void
check_bad_address(int16_t dev, const char *what)
{
	enum rte_dma_status_code st[3];
	int n;

	rte_dma_copy(dev, 0, t_iova(src), t_iova(dst), 64, 0);
	rte_dma_copy(dev, 0, (rte_iova_t)0x10, t_iova(dst + 64), 64, 0);
	rte_dma_copy(dev, 0, t_iova(src), t_iova(dst + 128), 64, RTE_DMA_OP_FLAG_SUBMIT);
	n = t_wait_completions(dev, 0, 3, st);
	CHECK(n == 3, "%s: %d of 3 with a bad address", what, n);
	CHECK(n == 3 && st[0] == RTE_DMA_STATUS_SUCCESSFUL &&
			st[1] != RTE_DMA_STATUS_SUCCESSFUL &&
			st[2] == RTE_DMA_STATUS_SUCCESSFUL, "%s: statuses %d %d %d",
			what, st[0], st[1], st[2]);
}

/*
 * Scatter-gather, split into memmoves: uneven segment lists, several in a
 * row between plain copies, a bad segment, and lists of unequal length.
 */
static void
check_sg(int16_t dev, const char *what)
{
	static const uint32_t sl[] = { 100, 3000, 1, 900 }, dl[] = { 2000, 7, 1994 };
	struct rte_dma_sge s[4], d[3];
	enum rte_dma_status_code st[8];
	size_t total = 4001;
	int i, n;

	memset(dst, 0, BUF_SZ);
	for (i = 0; i < 4; i++) {
		s[i].addr = t_iova(src + i * 8192);
		s[i].length = sl[i];
	}
	for (i = 0; i < 3; i++) {
		d[i].addr = t_iova(dst + 65536 + i * 8192);
		d[i].length = dl[i];
	}
	CHECK(rte_dma_copy(dev, 0, t_iova(src), t_iova(dst), 512, 0) >= 0, "%s", what);
	for (i = 0; i < 3; i++)
		CHECK(rte_dma_copy_sg(dev, 0, s, d, 4, 3, 0) >= 0, "%s: copy_sg", what);
	CHECK(rte_dma_copy(dev, 0, t_iova(src + 512), t_iova(dst + 512), 512,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "%s", what);
	n = t_wait_completions(dev, 0, 5, st);
	CHECK(n == 5, "%s: %d of 5 around split SG ops", what, n);
	for (i = 0; i < n; i++)
		CHECK(st[i] == RTE_DMA_STATUS_SUCCESSFUL, "%s: op %d status %d", what, i, st[i]);
	{
		uint8_t want[4001], got[4001];
		size_t o = 0;

		for (i = 0; i < 4; i++, o += sl[i - 1])
			memcpy(want + o, src + i * 8192, sl[i]);
		for (o = 0, i = 0; i < 3; i++, o += dl[i - 1])
			memcpy(got + o, dst + 65536 + i * 8192, dl[i]);
		CHECK(memcmp(want, got, total) == 0, "%s: SG data", what);
	}
	CHECK(memcmp(dst, src, 1024) == 0, "%s: the plain copies around", what);
	s[2].addr = 0x10;	/* a bad segment */
	CHECK(rte_dma_copy_sg(dev, 0, s, d, 4, 3, RTE_DMA_OP_FLAG_SUBMIT) >= 0,
			"%s: bad copy_sg", what);
	n = t_wait_completions(dev, 0, 1, st);
	CHECK(n == 1 && st[0] != RTE_DMA_STATUS_SUCCESSFUL,
			"%s: bad segment reported (%d, status %d)", what, n, st[0]);
	/* Unequal totals move the shorter one; zero bytes is a success. */
	s[2].addr = t_iova(src + 2 * 8192);
	memset(dst + 65536, 0, 3 * 8192);
	CHECK(rte_dma_copy_sg(dev, 0, s, d, 2, 3, 0) >= 0, "%s: short SG", what);
	s[0].length = 0;
	d[0].length = 0;
	CHECK(rte_dma_copy_sg(dev, 0, s, d, 1, 1, RTE_DMA_OP_FLAG_SUBMIT) >= 0,
			"%s: empty SG", what);
	n = t_wait_completions(dev, 0, 2, st);
	CHECK(n == 2 && st[0] == RTE_DMA_STATUS_SUCCESSFUL &&
			st[1] == RTE_DMA_STATUS_SUCCESSFUL, "%s: short and empty SG "
			"(%d, %d %d)", what, n, st[0], st[1]);
	CHECK(memcmp(dst + 65536, src, 100) == 0 &&
			memcmp(dst + 65536 + 100, src + 8192, 1900) == 0 &&
			memcmp(dst + 65536 + 8192, src + 8192 + 1900, 7) == 0 &&
			memcmp(dst + 65536 + 16384, src + 8192 + 1907, 1093) == 0 &&
			t_all_bytes(dst + 65536 + 16384 + 1093, 1994 - 1093, 0),
			"%s: short SG data stops at the shorter list", what);
}

/* The device's faults come back in the records (fault injection of the fake). */
static void
check_injected(int16_t dev, enum rte_pmd_idxp_fault kind,
		enum rte_dma_status_code want, const char *what)
{
	enum rte_dma_status_code st[4];
	int i, n;

	CHECK(rte_pmd_idxp_inject(dev, 0, kind, 1) == 0, "%s: inject", what);
	for (i = 0; i < 4; i++)
		rte_dma_copy(dev, 0, t_iova(src + i * 512), t_iova(dst + i * 512), 512,
				i == 3 ? RTE_DMA_OP_FLAG_SUBMIT : 0);
	n = t_wait_completions(dev, 0, 4, st);
	CHECK(n == 4 && st[0] == want && st[1] == RTE_DMA_STATUS_SUCCESSFUL &&
			st[3] == RTE_DMA_STATUS_SUCCESSFUL, "%s: %d ops, status %d (want %d)",
			what, n, st[0], want);
}

/* Waiting without interrupts: a completion wakes it, a timeout ends it. */
static void
check_wait(int16_t dev, const char *what)
{
	uint64_t t0 = rte_get_timer_cycles(), ms;
	uint16_t last;
	bool err;

	CHECK(rte_pmd_idxp_wait(dev, 0, 20) == 0, "%s: idle wait times out", what);
	ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
	CHECK(ms >= 19 && ms < 2000, "%s: idle wait took %llu ms", what,
			(unsigned long long)ms);
	CHECK(rte_dma_copy(dev, 0, t_iova(src), t_iova(dst), 4096,
			RTE_DMA_OP_FLAG_SUBMIT) >= 0, "%s: copy", what);
	CHECK(rte_pmd_idxp_wait(dev, 0, 2000) == 1, "%s: wait for a copy", what);
	CHECK(rte_dma_completed(dev, 0, 4, &last, &err) == 1 && !err,
			"%s: the copy after the wait", what);
}

/* Other clients hold every entry: the post is refused, then goes later. */
static void
check_shared_full(int16_t dev, const char *wq)
{
	uint16_t last, got = 0;
	bool err = false;
	int i, ret;

	knob(wq, "idxp_fake_reserved", "16");
	knob_settle();
	for (i = 0; i < 4; i++)
		rte_dma_copy(dev, 0, t_iova(src + i * 256), t_iova(dst + i * 256), 256, 0);
	ret = rte_dma_submit(dev, 0);
	CHECK(ret == -ENOSPC, "submit to a full shared WQ: %d", ret);
	CHECK(rte_dma_completed(dev, 0, 8, &last, &err) == 0, "nothing completes");
	knob(wq, "idxp_fake_reserved", "0");
	knob_settle();
	for (i = 0; i < 2000 && got < 4; i++) {
		got += rte_dma_completed(dev, 0, 8, &last, &err);
		usleep(1000);
	}
	CHECK(got == 4 && !err, "%u of 4 after the WQ had room", got);
	CHECK(memcmp(dst, src, 4 * 256) == 0, "data after the refusal");
}

/* stop with ops in flight, restart: the old run is done, the new one works. */
static void
check_stop_in_flight(int16_t dev, const char *what)
{
	enum rte_dma_status_code st[64];
	uint16_t last, got = 0;
	int i;

	for (i = 0; i < 200; i++)
		if (rte_dma_copy(dev, 0, t_iova(src), t_iova(dst + (i % 16) * 4096),
				4096, i % 8 == 7 ? RTE_DMA_OP_FLAG_SUBMIT : 0) < 0)
			break;
	CHECK(rte_dma_stop(dev) == 0, "%s: stop with ops in flight", what);
	while (got < 200) {
		uint16_t n = rte_dma_completed_status(dev, 0, 64, &last, st);

		if (n == 0)
			break;
		got += n;
	}
	CHECK(got == 200, "%s: %u of 200 reported after stop", what, got);
	CHECK(rte_dma_start(dev) == 0, "%s: restart", what);
	check_copies(dev, what);
}

/*
 * The device halts: the fake kernel disables the WQ, the driver sees it,
 * every op is still reported, calls fail with -EIO; once the WQ is back a
 * restart works.
 */
static void
check_kernel_disable(int16_t dev, const char *wq, const char *what)
{
	enum rte_dma_status_code st[64];
	enum rte_dma_vchan_status vs;
	struct rte_pmd_idxp_stats ps;
	uint16_t last, got = 0;
	int i, ret = 0;

	CHECK(rte_pmd_idxp_inject(dev, 0, RTE_PMD_IDXP_FAULT_HALT, 1) == 0,
			"%s: inject halt", what);
	for (i = 0; i < 32; i++)
		rte_dma_copy(dev, 0, t_iova(src), t_iova(dst + i * 64), 64, 0);
	rte_dma_submit(dev, 0);
	for (i = 0; i < 300 && ret != -EIO; i++)
		ret = rte_pmd_idxp_wait(dev, 0, 10);
	CHECK(ret == -EIO, "%s: wait reports the lost WQ (%d)", what, ret);
	for (i = 0; i < 100 && got < 32; i++)
		got += rte_dma_completed_status(dev, 0, 64, &last, st + got);
	CHECK(got == 32, "%s: %u of 32 ops reported after the WQ went", what, got);
	CHECK(rte_dma_vchan_status(dev, 0, &vs) == 0 &&
			vs == RTE_DMA_VCHAN_HALTED_ERROR, "%s: vchan halted", what);
	CHECK(rte_pmd_idxp_stats_get(dev, &ps) == 0 && ps.halts == 1,
			"%s: one halt counted", what);
	CHECK(rte_dma_stop(dev) == 0, "%s: stop", what);
	CHECK(rte_dma_start(dev) != 0, "%s: start while the WQ is disabled", what);
	knob(wq, "idxp_fake_enable", "1");
	knob_settle();
	CHECK(rte_dma_start(dev) == 0, "%s: start once the WQ is back", what);
	check_copies(dev, what);
}

static void
traffic(const char *wq, bool shared)
{
	char devargs[64];
	int dev;

	snprintf(devargs, sizeof(devargs), "wq=%s", wq);
	dev = setup("dma_idxp0", devargs);
	if (dev < 0)
		return;
	check_info((int16_t)dev);
	check_copies((int16_t)dev, wq);
	check_bad_address((int16_t)dev, wq);
	check_sg((int16_t)dev, wq);
	check_injected((int16_t)dev, RTE_PMD_IDXP_FAULT_SRC,
			RTE_DMA_STATUS_INVALID_SRC_ADDR, "src fault");
	check_injected((int16_t)dev, RTE_PMD_IDXP_FAULT_DST,
			RTE_DMA_STATUS_INVALID_DST_ADDR, "dst fault");
	check_wait((int16_t)dev, wq);
	if (shared)
		check_shared_full((int16_t)dev, wq);
	check_stop_in_flight((int16_t)dev, wq);
	check_kernel_disable((int16_t)dev, wq, wq);
	rte_dma_stop((int16_t)dev);
	CHECK(rte_vdev_uninit("dma_idxp0") == 0, "%s: uninit", wq);
}

/* wq=auto: one dmadev per WQ, named after it, removed together. */
static void
test_auto(void)
{
	int a, b;

	CHECK(rte_vdev_init("dma_idxp1", "wq=auto") == 0, "wq=auto");
	a = rte_dma_get_dev_id_by_name("dma_idxp1-wq0.0");
	b = rte_dma_get_dev_id_by_name("dma_idxp1-wq0.1");
	CHECK(a >= 0 && b >= 0, "auto made %d and %d", a, b);
	CHECK(rte_vdev_uninit("dma_idxp1") == 0, "uninit auto");
	CHECK(rte_dma_get_dev_id_by_name("dma_idxp1-wq0.0") < 0 &&
			rte_dma_get_dev_id_by_name("dma_idxp1-wq0.1") < 0, "both removed");
}

int
main(int argc, char **argv)
{
	char cmd[768];
	size_t i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s KWQ_TREE_SH\n", argv[0]);
		return 1;
	}
	snprintf(root, sizeof(root), "/tmp/idxp-kwq-%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "bash %s %s", argv[1], root);
	if (system(cmd) != 0)
		return 1;
	setenv("IDXP_KWQ_ROOT", root, 1);
	t_eal_init(argv[0], NULL, 0);
	if (t_iova_pa()) {
		refused("wq=wq0.0", "IOVA as PA");
	} else {
		src = t_dma_zalloc(BUF_SZ);
		dst = t_dma_zalloc(BUF_SZ);
		for (i = 0; i < BUF_SZ; i++)
			src[i] = (uint8_t)rte_rand();
		test_opcap();
		test_lookup();
		test_refusals();
		test_small_batch();
		traffic("wq0.0", false);
		traffic("wq0.1", true);
		test_auto();
		rte_free(src);
		rte_free(dst);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", root);
	return t_done("kwq");
}
