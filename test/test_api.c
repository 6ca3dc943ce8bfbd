/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Control path and argument checks: devargs that must fail or succeed,
 * devargs fault injection, dmadev API misuse, the idxp API on devices that
 * are not idxp or with bad vchans, fault names, and the stop / start /
 * close / re-create cycle (no leaked fds, threads or memory).
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include "idxp_compat.h"
#include "rte_pmd_idxp.h"
#include "test_common.h"

#define NAME	"dma_idxp0"
#define BUF_SZ	65536

static uint8_t *src, *dst;
static rte_iova_t src_iova, dst_iova;

static const enum rte_dma_status_code OK = RTE_DMA_STATUS_SUCCESSFUL;

/* One copy of @len bytes at @off, waited for; its status. */
static enum rte_dma_status_code
copy_once(int16_t dev, uint16_t vchan, uint32_t off, uint32_t len)
{
	enum rte_dma_status_code st = RTE_DMA_STATUS_ERROR_UNKNOWN;

	if (rte_dma_copy(dev, vchan, src_iova + off, dst_iova + off, len,
			RTE_DMA_OP_FLAG_SUBMIT) < 0)
		return RTE_DMA_STATUS_ERROR_UNKNOWN;
	if (t_wait_completions(dev, vchan, 1, &st) != 1)
		return RTE_DMA_STATUS_ERROR_UNKNOWN;
	return st;
}

static bool
copy_works(int16_t dev, uint16_t vchan)
{
	uint32_t i;

	for (i = 0; i < 4096; i++)
		src[i] = (uint8_t)rte_rand();
	memset(dst, 0, 4096);
	return copy_once(dev, vchan, 0, 4096) == OK && memcmp(src, dst, 4096) == 0;
}

static unsigned int
count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	unsigned int n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static uint64_t
heap_used(void)
{
	struct rte_malloc_socket_stats st;
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < rte_socket_count(); i++)
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i), &st) == 0)
			sum += st.heap_allocsz_bytes;
	return sum;
}

/* ---- devargs ---- */

static void
test_bad_devargs(void)
{
	static const char *const bad[] = {
		"unknown=1", "engines=0", "engines=99", "core=abc", "vchans=0",
		"evl_size=3", "idle=maybe", "sva=2", "inject=bogus",
		"vchans=17", "evl_size=6", "core=", "core=2-1", "inject=src:0",
		"poll_us=-1", "spin_us=x", "engines=2x", "core=1,core=x",
		"core=1,engines=1,unknown=1", "enq_deq=2", "enq_deq=",
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		int ret = rte_vdev_init(NAME, bad[i]);

		CHECK(ret != 0, "devargs \"%s\" accepted", bad[i]);
		if (ret == 0)
			rte_vdev_uninit(NAME);
		CHECK(rte_dma_get_dev_id_by_name(NAME) < 0,
				"devargs \"%s\" left a dmadev behind", bad[i]);
	}
}

static void
test_good_devargs(void)
{
	static const char *const good[] = {
		"core=1", "core=1-1", "core=1,engines=2", "core=1,idle=spin",
		"core=1,spin_us=0", "core=1,poll_us=5", "core=1,idle=sleep",
		"core=1,vchans=16", "core=1,evl_size=4", "core=1:1,engines=2",
		"core=1,spin_us=0,poll_us=0,engines=3,vchans=5", "core=1,enq_deq=0", "",
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(good); i++) {
		int dev = t_idxp_create(NAME, good[i]);

		CHECK(dev >= 0, "devargs \"%s\" refused", good[i]);
		if (dev < 0)
			continue;
		CHECK(t_dev_setup(dev, 1, 64) == 0, "\"%s\": setup", good[i]);
		CHECK(copy_works(dev, 0), "\"%s\": copy", good[i]);
		CHECK(rte_vdev_uninit(NAME) == 0, "\"%s\": uninit", good[i]);
		CHECK(rte_dma_get_dev_id_by_name(NAME) < 0, "\"%s\": gone", good[i]);
	}
}

static void
test_inject_devarg(void)
{
	enum rte_dma_status_code st[2];
	struct rte_pmd_idxp_stats xs;
	int dev = t_idxp_create(NAME, "core=1,inject=src:2");

	CHECK(dev >= 0, "inject=src:2 refused");
	if (dev < 0)
		return;
	CHECK(t_dev_setup(dev, 1, 64) == 0, "setup");
	memset(src, 0x11, BUF_SZ);
	memset(dst, 0, BUF_SZ);
	CHECK(copy_once(dev, 0, 0, 512) == RTE_DMA_STATUS_INVALID_SRC_ADDR,
			"first copy fails on its source");
	CHECK(rte_dma_copy(dev, 0, src_iova + 512, dst_iova + 512, 512, 0) >= 0 &&
			rte_dma_copy(dev, 0, src_iova + 1024, dst_iova + 1024, 512,
				RTE_DMA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	CHECK(t_wait_completions(dev, 0, 2, st) == 2 &&
			st[0] == RTE_DMA_STATUS_INVALID_SRC_ADDR && st[1] == OK,
			"second copy fails, third succeeds: %d %d", st[0], st[1]);
	CHECK(copy_once(dev, 0, 1536, 512) == OK, "fourth copy succeeds");
	CHECK(dst[0] == 0 && dst[511] == 0 && dst[512] == 0 && dst[1023] == 0,
			"failed copies wrote nothing");
	CHECK(dst[1024] == 0x11 && dst[2047] == 0x11, "good copies wrote");
	CHECK(rte_pmd_idxp_stats_get(dev, &xs) == 0 && xs.injected == 2,
			"injected %" PRIu64 ", expected 2", xs.injected);
	CHECK(rte_vdev_uninit(NAME) == 0, "uninit");
}

/* ---- dmadev API misuse ---- */

/*
 * rte_dma_copy() on @vchan in a child process: 0 if it returned an error,
 * 1 if it accepted the op, 128 + signal if it crashed. The parent's device
 * is not disturbed: a refused op touches nothing.
 */
static int
copy_in_child(int16_t dev, uint16_t vchan, bool control)
{
	int status = 0;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (control)	/* reads the same device memory, changes nothing */
			_exit(rte_dma_burst_capacity(dev, 0) > 0 ? 0 : 1);
		_exit(rte_dma_copy(dev, vchan, src_iova, dst_iova, 64, 0) < 0 ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void
test_dmadev_misuse(void)
{
	struct rte_dma_conf conf = { .nb_vchans = 5 };
	struct rte_dma_vchan_conf vc = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM, .nb_desc = 64,
	};
	struct rte_dma_info info;
	struct rte_dma_stats st;
	enum rte_dma_vchan_status vs;
	int dev = t_idxp_create(NAME, "core=1");
	int r;

	CHECK(dev >= 0, "create");
	if (dev < 0)
		return;
	CHECK(rte_dma_info_get(dev, &info) == 0, "info");
	CHECK(info.max_vchans == 4 && info.min_desc == 32 && info.max_desc == 8192 &&
			info.max_sges == 8, "info: vchans %u desc %u..%u sges %u",
			info.max_vchans, info.min_desc, info.max_desc, info.max_sges);
	CHECK((info.dev_capa & (RTE_DMA_CAPA_MEM_TO_MEM | RTE_DMA_CAPA_OPS_COPY |
			RTE_DMA_CAPA_OPS_COPY_SG | RTE_DMA_CAPA_OPS_FILL)) ==
			(RTE_DMA_CAPA_MEM_TO_MEM | RTE_DMA_CAPA_OPS_COPY |
			RTE_DMA_CAPA_OPS_COPY_SG | RTE_DMA_CAPA_OPS_FILL),
			"capa 0x%" PRIx64, info.dev_capa);

	CHECK(rte_dma_configure(dev, &conf) < 0, "nb_vchans 5 > max 4");
	conf.nb_vchans = 0;
	CHECK(rte_dma_configure(dev, &conf) < 0, "nb_vchans 0");
	conf.nb_vchans = 2;
	idxp_conf_set_silent(&conf, true);
	CHECK(rte_dma_configure(dev, &conf) < 0, "silent mode");
	idxp_conf_set_silent(&conf, false);
	CHECK(rte_dma_configure(dev, &conf) == 0, "configure 2 vchans");

	vc.nb_desc = 1000;
	CHECK(rte_dma_vchan_setup(dev, 0, &vc) < 0, "nb_desc 1000 (not 2^n)");
	vc.nb_desc = 16;
	CHECK(rte_dma_vchan_setup(dev, 0, &vc) < 0, "nb_desc 16 < 32");
	vc.nb_desc = 16384;
	CHECK(rte_dma_vchan_setup(dev, 0, &vc) < 0, "nb_desc 16384 > 8192");
	vc.nb_desc = 48;
	CHECK(rte_dma_vchan_setup(dev, 0, &vc) < 0, "nb_desc 48");
	vc.nb_desc = 64;
	vc.direction = RTE_DMA_DIR_DEV_TO_MEM;
	CHECK(rte_dma_vchan_setup(dev, 0, &vc) < 0, "dev-to-mem");
	vc.direction = RTE_DMA_DIR_MEM_TO_MEM;
	CHECK(rte_dma_vchan_setup(dev, 2, &vc) < 0, "vchan 2 of 2");
	CHECK(rte_dma_vchan_setup(dev, 0, &vc) == 0, "vchan 0");
	CHECK(rte_dma_start(dev) < 0, "start with vchan 1 not set up");
	vc.nb_desc = 32;
	CHECK(rte_dma_vchan_setup(dev, 1, &vc) == 0, "vchan 1 at min_desc");
	vc.nb_desc = 8192;
	CHECK(rte_dma_vchan_setup(dev, 1, &vc) == 0, "vchan 1 at max_desc");
	CHECK(rte_dma_start(dev) == 0, "start");
	CHECK(rte_dma_vchan_setup(dev, 0, &vc) == -EBUSY, "setup while started");
	CHECK(rte_dma_configure(dev, &conf) == -EBUSY, "configure while started");
	CHECK(copy_works(dev, 0) && copy_works(dev, 1), "both vchans copy");

	/* vchans 2 and 3 exist in the device but were never set up */
	r = rte_dma_copy(dev, 2, src_iova, dst_iova, 64, RTE_DMA_OP_FLAG_SUBMIT);
	CHECK(r < 0, "copy on never set-up vchan 2 returned %d", r);
	CHECK(rte_dma_burst_capacity(dev, 3) == 0, "no capacity on vchan 3");
	CHECK(rte_dma_stats_get(dev, 2, &st) == -EINVAL, "stats_get vchan 2");
	CHECK(rte_dma_stats_get(dev, 0xfffe, &st) == -EINVAL, "stats_get vchan 0xfffe");
	CHECK(rte_dma_stats_get(dev, RTE_DMA_ALL_VCHAN, &st) == 0 &&
			st.completed == 2, "stats_get all: %" PRIu64 " completed",
			st.completed);
	CHECK(rte_dma_stats_reset(dev, 2) == -EINVAL, "stats_reset vchan 2");
	CHECK(rte_dma_vchan_status(dev, 2, &vs) == -EINVAL, "vchan_status vchan 2");
	CHECK(copy_works(dev, 0), "device fine after the misuse");

	/*
	 * Shrink to one vchan: vchan 1 was set up and used, now it is gone.
	 * A copy on it must be refused, not run on freed rings.
	 */
	CHECK(rte_dma_stop(dev) == 0, "stop");
	conf.nb_vchans = 1;
	vc.nb_desc = 64;
	CHECK(rte_dma_configure(dev, &conf) == 0 &&
			rte_dma_vchan_setup(dev, 0, &vc) == 0 && rte_dma_start(dev) == 0,
			"reconfigure to 1 vchan");
	CHECK(rte_dma_stats_get(dev, 1, &st) == -EINVAL, "stats_get removed vchan");
	r = copy_in_child(dev, 0, true);
	if (r != 0) {
		printf("note: fork()ed child cannot use the device (%d): "
				"skipping the removed-vchan copy check\n", r);
	} else {
		r = copy_in_child(dev, 1, false);
		CHECK(r == 0, "copy on removed vchan 1: %s %d",
				r > 128 ? "crashed with signal" : "returned", r > 128 ?
				r - 128 : r);
	}
	CHECK(rte_dma_burst_capacity(dev, 1) == 0,
			"capacity on removed vchan 1: %u", rte_dma_burst_capacity(dev, 1));
	CHECK(copy_works(dev, 0), "vchan 0 after reconfigure");
	CHECK(rte_vdev_uninit(NAME) == 0, "uninit a started device");
	CHECK(rte_dma_get_dev_id_by_name(NAME) < 0, "gone");
}

/* ---- the idxp API ---- */

static int
handler(int16_t dev_id, uint64_t addr, uint32_t len, int write, void *arg)
{
	RTE_SET_USED(dev_id);
	RTE_SET_USED(addr);
	RTE_SET_USED(len);
	RTE_SET_USED(write);
	RTE_SET_USED(arg);
	return 1;
}

/* Every rte_pmd_idxp_* call that takes a dev id, on @dev: all -ENODEV. */
static void
api_nodev(int16_t dev, const char *what)
{
	struct rte_pmd_idxp_event ev[4];
	struct rte_pmd_idxp_stats xs;

	CHECK(rte_pmd_idxp_wait(dev, 0, 0) == -ENODEV, "%s: wait", what);
	CHECK(rte_pmd_idxp_intr_fd(dev, 0) == -ENODEV, "%s: intr_fd", what);
	CHECK(rte_pmd_idxp_intr_arm(dev, 0) == -ENODEV, "%s: intr_arm", what);
	CHECK(rte_pmd_idxp_intr_disarm(dev, 0) == -ENODEV, "%s: intr_disarm", what);
	CHECK(rte_pmd_idxp_inject(dev, 0, RTE_PMD_IDXP_FAULT_SRC, 1) == -ENODEV,
			"%s: inject src", what);
	CHECK(rte_pmd_idxp_inject(dev, 0, RTE_PMD_IDXP_FAULT_HALT, 1) == -ENODEV,
			"%s: inject halt", what);
	CHECK(rte_pmd_idxp_stats_get(dev, &xs) == -ENODEV, "%s: stats_get", what);
	CHECK(rte_pmd_idxp_stats_reset(dev) == -ENODEV, "%s: stats_reset", what);
	CHECK(rte_pmd_idxp_events_get(dev, ev, 4) == -ENODEV, "%s: events_get", what);
	CHECK(rte_pmd_idxp_fault_handler_register(dev, handler, NULL) == -ENODEV,
			"%s: fault_handler_register", what);
	CHECK(rte_pmd_idxp_sva_invalidate(dev, src, 64) == -ENODEV,
			"%s: sva_invalidate", what);
}

static void
test_idxp_api(void)
{
	struct rte_pmd_idxp_stats xs;
	struct rte_pmd_idxp_event ev[4];
	int dev, skel;

	api_nodev(99, "dev 99");
	api_nodev(-1, "dev -1");
	api_nodev(INT16_MAX, "dev INT16_MAX");
	skel = rte_vdev_init("dma_skeleton", NULL) == 0 ?
		rte_dma_get_dev_id_by_name("dma_skeleton") : -1;
	if (skel >= 0) {
		api_nodev(skel, "dma_skeleton");
		CHECK(rte_vdev_uninit("dma_skeleton") == 0, "skeleton uninit");
	} else {
		printf("note: no dma_skeleton driver, non-idxp dmadev case skipped\n");
	}

	dev = t_idxp_create(NAME, "core=1");
	CHECK(dev >= 0, "create");
	if (dev < 0)
		return;
	CHECK(t_dev_setup(dev, 2, 64) == 0, "setup 2 vchans");
	/* vchan 2 is inside the device's 4 but not configured; 999 is nowhere */
	CHECK(rte_pmd_idxp_wait(dev, 2, 0) == -EINVAL, "wait vchan 2");
	CHECK(rte_pmd_idxp_wait(dev, 999, 0) == -EINVAL, "wait vchan 999");
	CHECK(rte_pmd_idxp_intr_fd(dev, 2) == -EINVAL, "intr_fd vchan 2");
	CHECK(rte_pmd_idxp_intr_arm(dev, 2) == -EINVAL, "intr_arm vchan 2");
	CHECK(rte_pmd_idxp_intr_disarm(dev, 999) == -EINVAL, "intr_disarm vchan 999");
	CHECK(rte_pmd_idxp_inject(dev, 2, RTE_PMD_IDXP_FAULT_SRC, 1) == -EINVAL,
			"inject vchan 2");
	CHECK(rte_pmd_idxp_inject(dev, 999, RTE_PMD_IDXP_FAULT_DST, 1) == -EINVAL,
			"inject vchan 999");
	CHECK(rte_pmd_idxp_inject(dev, 0, RTE_PMD_IDXP_FAULT_MAX, 1) == -EINVAL,
			"inject unknown kind");
	CHECK(rte_pmd_idxp_inject(dev, 0, RTE_PMD_IDXP_FAULT_SRC, 0) == -EINVAL,
			"inject count 0");
	CHECK(rte_pmd_idxp_stats_get(dev, NULL) == -EINVAL, "stats_get NULL");
	CHECK(rte_pmd_idxp_events_get(dev, NULL, 1) == -EINVAL, "events_get NULL");
	CHECK(rte_pmd_idxp_events_get(dev, NULL, 0) == 0, "events_get nothing");
	CHECK(rte_pmd_idxp_sva_invalidate(dev, NULL, 64) == -EINVAL,
			"sva_invalidate NULL");
	CHECK(rte_pmd_idxp_sva_invalidate(dev, src, 0) == -EINVAL,
			"sva_invalidate length 0");
	/* the good calls on the same device */
	CHECK(rte_pmd_idxp_intr_fd(dev, 1) >= 0, "intr_fd vchan 1");
	CHECK(rte_pmd_idxp_wait(dev, 1, 0) == 0, "wait, nothing pending");
	CHECK(rte_pmd_idxp_intr_arm(dev, 1) == 0 && rte_pmd_idxp_intr_disarm(dev, 1) == 0,
			"arm / disarm vchan 1");
	CHECK(rte_pmd_idxp_stats_reset(dev) == 0, "stats_reset");
	CHECK(rte_pmd_idxp_inject(dev, 1, RTE_PMD_IDXP_FAULT_DST, 1) == 0,
			"inject dst on vchan 1");
	CHECK(copy_works(dev, 0), "vchan 0 not affected by vchan 1's injection");
	CHECK(copy_once(dev, 1, 0, 64) == RTE_DMA_STATUS_INVALID_DST_ADDR,
			"injected dst fault on vchan 1");
	CHECK(copy_works(dev, 1), "vchan 1 after the injection");
	CHECK(rte_pmd_idxp_stats_get(dev, &xs) == 0 && xs.injected == 1 &&
			xs.faults == 1, "stats: injected %" PRIu64 " faults %" PRIu64,
			xs.injected, xs.faults);
	CHECK(rte_pmd_idxp_events_get(dev, ev, 4) >= 0, "events_get");
	CHECK(rte_pmd_idxp_fault_handler_register(dev, handler, NULL) == 0 &&
			rte_pmd_idxp_fault_handler_register(dev, NULL, NULL) == 0,
			"fault handler register / remove");
	CHECK(rte_dma_stop(dev) == 0, "stop");
	CHECK(rte_pmd_idxp_wait(dev, 0, 0) == -EBUSY, "wait on a stopped device");
	CHECK(rte_pmd_idxp_intr_arm(dev, 0) == -EBUSY, "arm on a stopped device");
	CHECK(rte_vdev_uninit(NAME) == 0, "uninit");
	api_nodev((int16_t)dev, "closed idxp device");
}

static void
test_fault_names(void)
{
	static const struct {
		const char *name;
		enum rte_pmd_idxp_fault kind;
	} good[] = {
		{ "src", RTE_PMD_IDXP_FAULT_SRC }, { "dst", RTE_PMD_IDXP_FAULT_DST },
		{ "comp", RTE_PMD_IDXP_FAULT_COMP },
		{ "page_req", RTE_PMD_IDXP_FAULT_PAGE_REQ },
		{ "halt", RTE_PMD_IDXP_FAULT_HALT },
		{ "reset_fail", RTE_PMD_IDXP_FAULT_RESET_FAIL },
	};
	static const char *const bad[] = {
		"", "bogus", "sr", "srcx", "src ", " src", "page-req", "halt:1",
	};
	enum rte_pmd_idxp_fault k;
	unsigned int i;

	for (i = 0; i < RTE_DIM(good); i++) {
		k = RTE_PMD_IDXP_FAULT_MAX;
		CHECK(rte_pmd_idxp_fault_from_str(good[i].name, &k) == 0 &&
				k == good[i].kind, "fault name \"%s\" -> %d",
				good[i].name, k);
	}
	for (i = 0; i < RTE_DIM(bad); i++) {
		k = RTE_PMD_IDXP_FAULT_MAX;
		CHECK(rte_pmd_idxp_fault_from_str(bad[i], &k) == -EINVAL &&
				k == RTE_PMD_IDXP_FAULT_MAX, "fault name \"%s\" accepted",
				bad[i]);
	}
	CHECK(rte_pmd_idxp_fault_from_str(NULL, &k) == -EINVAL, "NULL name");
	CHECK(rte_pmd_idxp_fault_from_str("src", NULL) == -EINVAL, "NULL kind");
}

/* ---- lifecycle ---- */

/*
 * Stop while submitted ops still wait for room in the WQ (the device takes
 * wq_size - 1 at a time): the ones it took finish, the others complete as
 * NOT_ATTEMPTED, and every op is reported once, in order.
 */
static void
test_stop_deferred(void)
{
	enum rte_dma_status_code st[64];
	unsigned int n = 600, got = 0, ok = 0, skipped = 0, bad = 0, k;
	uint64_t t0;
	uint16_t last;
	int dev = t_idxp_create("dma_idxp6", "core=1");

	CHECK(dev >= 0 && t_dev_setup(dev, 1, 1024) == 0, "stop-deferred: device");
	if (dev < 0)
		return;
	for (k = 0; k < n; k++)
		if (rte_dma_copy(dev, 0, src_iova, dst_iova, BUF_SZ,
				RTE_DMA_OP_FLAG_SUBMIT) < 0)
			break;
	CHECK(k == n, "%u ops submitted of %u", k, n);
	CHECK(rte_dma_stop(dev) == 0, "stop with ops deferred");
	t0 = rte_get_timer_cycles();
	while (got < k && rte_get_timer_cycles() - t0 < 2 * rte_get_timer_hz()) {
		uint16_t c = rte_dma_completed_status(dev, 0, RTE_DIM(st), &last, st);
		uint16_t j;

		for (j = 0; j < c; j++) {
			ok += st[j] == RTE_DMA_STATUS_SUCCESSFUL;
			skipped += st[j] == RTE_DMA_STATUS_NOT_ATTEMPTED;
			bad += st[j] != RTE_DMA_STATUS_SUCCESSFUL &&
				st[j] != RTE_DMA_STATUS_NOT_ATTEMPTED;
		}
		got += c;
	}
	CHECK(got == k && last == (uint16_t)(k - 1), "every op reported after "
			"stop: %u of %u, last id %u", got, k, last);
	CHECK(bad == 0 && ok > 0 && skipped > 0, "%u finished, %u not attempted, "
			"%u other: the stop caught ops waiting for WQ room", ok, skipped, bad);
	CHECK(rte_dma_start(dev) == 0 && copy_works(dev, 0), "start after it");
	CHECK(rte_dma_stop(dev) == 0 && rte_dma_close(dev) == 0, "close");
}

static void
test_lifecycle(void)
{
	unsigned int cycle, fds0 = 0, thr0 = 0, i;
	uint64_t heap0 = 0;
	int dev;

	dev = t_idxp_create(NAME, "core=1");
	CHECK(dev >= 0, "create");
	if (dev < 0)
		return;
	CHECK(t_dev_setup(dev, 2, 64) == 0, "setup");
	for (i = 0; i < 3; i++) {
		uint16_t last = 0;

		CHECK(copy_works(dev, 0), "copy before stop %u", i);
		CHECK(rte_dma_stop(dev) == 0 && rte_dma_stop(dev) == 0, "stop twice");
		CHECK(rte_dma_start(dev) == 0, "start again %u", i);
		CHECK(rte_dma_copy(dev, 0, src_iova, dst_iova, 8,
				RTE_DMA_OP_FLAG_SUBMIT) == 0, "ids restart at 0");
		CHECK(t_wait_completions(dev, 0, 1, NULL) == 1 &&
				rte_dma_completed(dev, 0, 1, &last, NULL) == 0 && last == 0,
				"completion after restart");
	}
	CHECK(rte_dma_close(dev) == -EBUSY, "close of a started device refused");
	CHECK(rte_dma_is_valid(dev) && copy_works(dev, 1),
			"device still works after the refused close");
	CHECK(rte_dma_stop(dev) == 0 && rte_dma_close(dev) == 0, "stop + close");
	CHECK(!rte_dma_is_valid(dev) && rte_dma_get_dev_id_by_name(NAME) < 0,
			"closed device is gone from dmadev");
	CHECK(rte_pmd_idxp_stats_get(dev, NULL) == -ENODEV, "closed device in idxp API");
	CHECK(rte_vdev_init(NAME, "core=1") != 0, "name still held by the vdev");
	CHECK(rte_vdev_uninit(NAME) == 0, "uninit after close");

	for (cycle = 0; cycle < 6; cycle++) {
		dev = t_idxp_create(NAME, cycle & 1 ? "core=1,engines=2" : "core=1");
		CHECK(dev >= 0, "re-create %u", cycle);
		if (dev < 0)
			break;
		CHECK(t_dev_setup(dev, 4, 128) == 0 && copy_works(dev, cycle % 4),
				"re-created device %u works", cycle);
		if (cycle % 3 == 0) {
			CHECK(rte_dma_stop(dev) == 0 && rte_dma_close(dev) == 0,
					"close %u", cycle);
		}
		CHECK(rte_vdev_uninit(NAME) == 0, "uninit %u", cycle);
		if (cycle == 1) {	/* both variants ran once: the baseline */
			fds0 = count_dir("/proc/self/fd");
			thr0 = count_dir("/proc/self/task");
			heap0 = heap_used();
		}
	}
	CHECK(count_dir("/proc/self/fd") == fds0, "fds: %u after cycles, %u before",
			count_dir("/proc/self/fd"), fds0);
	CHECK(count_dir("/proc/self/task") == thr0, "threads: %u after, %u before",
			count_dir("/proc/self/task"), thr0);
	CHECK(heap_used() == heap0, "rte_malloc heap: %" PRIu64 " bytes after, %"
			PRIu64 " before", heap_used(), heap0);
}

int
main(int argc, char **argv)
{
	RTE_SET_USED(argc);
	t_eal_init(argv[0], NULL, 0);
	rte_srand(0xa91);
	src = t_dma_zalloc(BUF_SZ);
	dst = t_dma_zalloc(BUF_SZ);
	CHECK(src != NULL && dst != NULL, "buffers");
	if (src == NULL || dst == NULL)
		return t_done("api");
	src_iova = t_iova(src);
	dst_iova = t_iova(dst);

	test_bad_devargs();
	test_good_devargs();
	test_inject_devarg();
	test_fault_names();
	test_idxp_api();
	test_dmadev_misuse();
	test_stop_deferred();
	test_lifecycle();

	rte_free(src);
	rte_free(dst);
	return t_done("api");
}
