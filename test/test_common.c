/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_pause.h>

#include "test_common.h"

#define T_PIECE	(2u << 20)	/* the smallest hugepage size */

unsigned int t_failures;
unsigned int t_checks;

bool
t_hugepages(void)
{
	const char *env = getenv("IDXP_EAL_MEM");
	char line[256];
	long free_pages = 0;
	bool mounted = false;
	FILE *f;

	if (env != NULL)
		return strstr(env, "--no-huge") == NULL;
	f = fopen("/proc/mounts", "r");
	if (f != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			if (strstr(line, " hugetlbfs ") != NULL)
				mounted = true;
		fclose(f);
	}
	f = fopen("/proc/meminfo", "r");
	if (f != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			if (sscanf(line, "HugePages_Free: %ld", &free_pages) == 1)
				break;
		fclose(f);
	}
	return mounted && free_pages >= 128;
}

void
t_eal_init(const char *prog, const char *const *extra, int nb_extra)
{
	const char *argv[32];
	int argc = 0, i;

	/* IOVA as PA needs physical addresses: root and hugepages. */
	if (t_iova_pa() && (geteuid() != 0 || !t_hugepages())) {
		printf("SKIP: IOVA as PA needs root and hugepages\n");
		exit(77);
	}
	argv[argc++] = prog;
	argv[argc++] = "-l";
	argv[argc++] = "0";
	argv[argc++] = "--no-pci";
	argv[argc++] = t_iova_pa() ? "--iova-mode=pa" : "--iova-mode=va";
	argv[argc++] = "--log-level=lib.eal:error";
	/* No shared files either way, so tests never collide. */
	/* Legacy memory maps hugetlbfs files: root's mount, as a rule. */
	if (getenv("IDXP_LEGACY_MEM") != NULL && (!t_hugepages() || geteuid() != 0)) {
		printf("SKIP: --legacy-mem needs hugepages and root (hugetlbfs files)\n");
		exit(77);
	}
	if (t_hugepages() && getenv("IDXP_LEGACY_MEM") != NULL) {
		/* Memory fixed at start-up: no hotplug events at all. */
		static char prefix[64];

		snprintf(prefix, sizeof(prefix), "--file-prefix=idxp-legacy-%d",
				(int)getpid());
		argv[argc++] = "--legacy-mem";
		argv[argc++] = "-m";
		argv[argc++] = "256";
		argv[argc++] = "--no-shconf";
		argv[argc++] = "--huge-unlink";
		argv[argc++] = prefix;
	} else if (t_hugepages()) {
		argv[argc++] = "--in-memory";
	} else {
		/* --in-memory implies a mode --no-huge cannot use */
		argv[argc++] = "--no-huge";
		argv[argc++] = "-m";
		argv[argc++] = "512";
		argv[argc++] = "--no-shconf";
	}
	for (i = 0; i < nb_extra && argc < (int)RTE_DIM(argv); i++)
		argv[argc++] = extra[i];
	if (rte_eal_init(argc, (char **)(uintptr_t)argv) < 0) {
		fprintf(stderr, "%s: rte_eal_init failed\n", prog);
		exit(1);
	}
}

bool
t_iova_pa(void)
{
	const char *m = getenv("IDXP_IOVA");

	return m != NULL && strcmp(m, "pa") == 0;
}

void *
t_dma_zalloc(size_t sz)
{
	size_t align = sz >= T_PIECE ? T_PIECE : rte_align64pow2(sz);

	return rte_zmalloc(NULL, sz, RTE_MAX(align, (size_t)RTE_CACHE_LINE_SIZE));
}

size_t
t_piece_fit(size_t off, size_t len)
{
	if (off / T_PIECE != (off + len - 1) / T_PIECE)
		return RTE_ALIGN_CEIL(off, T_PIECE);
	return off;
}

rte_iova_t
t_iova(const void *p)
{
	const struct rte_memseg *ms;

	if (rte_eal_iova_mode() == RTE_IOVA_VA)
		return (rte_iova_t)(uintptr_t)p;
	/* Not rte_mem_virt2iova(): in PA mode it reads /proc/self/pagemap. */
	ms = rte_mem_virt2memseg(p, NULL);
	if (ms == NULL || ms->iova == RTE_BAD_IOVA)
		return RTE_BAD_IOVA;
	return ms->iova + RTE_PTR_DIFF(p, ms->addr);
}

int
t_idxp_create(const char *name, const char *devargs)
{
	if (rte_vdev_init(name, devargs) != 0)
		return -1;
	return rte_dma_get_dev_id_by_name(name);
}

int
t_dev_setup(int16_t dev_id, uint16_t nb_vchans, uint16_t nb_desc)
{
	struct rte_dma_conf conf = { .nb_vchans = nb_vchans };
	struct rte_dma_vchan_conf vconf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = nb_desc,
	};
	uint16_t v;
	int ret;

	ret = rte_dma_configure(dev_id, &conf);
	for (v = 0; v < nb_vchans && ret == 0; v++)
		ret = rte_dma_vchan_setup(dev_id, v, &vconf);
	if (ret == 0)
		ret = rte_dma_start(dev_id);
	return ret;
}

int
t_wait_completions(int16_t dev_id, uint16_t vchan, uint16_t n,
		enum rte_dma_status_code *st)
{
	uint64_t end = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
	enum rte_dma_status_code dummy[64];
	uint16_t got = 0, last;

	while (got < n && rte_get_timer_cycles() < end) {
		uint16_t want = RTE_MIN((uint16_t)(n - got), (uint16_t)64);
		uint16_t k = rte_dma_completed_status(dev_id, vchan, want, &last,
				st != NULL ? st + got : dummy);

		if (k == 0)
			rte_pause();
		got += k;
	}
	return got;
}

bool
t_all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

struct rte_device *
t_vdev(const char *name)
{
	struct rte_dev_iterator it;
	struct rte_device *d;

	RTE_DEV_FOREACH(d, "bus=vdev", &it)
		if (strcmp(rte_dev_name(d), name) == 0)
			return d;
	return NULL;
}

int
t_done(const char *name)
{
	printf("%s: %u checks, %u failed\n", name, t_checks, t_failures);
	rte_eal_cleanup();
	return t_failures == 0 ? 0 : 1;
}
