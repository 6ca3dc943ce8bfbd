/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_eal.h>

#include "app_util.h"

int
app_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || *s == '-' || v < min ||
			v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int
app_parse_secs(const char *s, double min, double max, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || !(v >= min && v <= max))
		return -EINVAL;
	*out = v;
	return 0;
}

int
app_parse_opts(int argc, char **argv, const struct option *opts,
		app_opt_fn fn, void *ctx, void (*usage)(const char *prog))
{
	int opt, idx;

	while ((opt = getopt_long(argc, argv, "h", opts, &idx)) != -1) {
		if (opt == 'h') {
			usage(argv[0]);
			exit(EXIT_SUCCESS);
		}
		if (opt == '?')
			return -EINVAL;	/* getopt said why */
		if (fn(opt, optarg, ctx) < 0) {
			fprintf(stderr, "%s: bad value '%s' for --%s (see --help)\n",
				argv[0], optarg ? optarg : "", opts[idx].name);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0], argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/* rte_malloc_virt2iova() takes only the start of an allocation. */
static rte_iova_t
iova_at(const uint8_t *va)
{
	const struct rte_memseg *ms;

	if (rte_eal_iova_mode() == RTE_IOVA_VA)
		return (uintptr_t)va;
	ms = rte_mem_virt2memseg(va, NULL);
	if (ms == NULL || ms->iova == RTE_BAD_IOVA)
		return RTE_BAD_IOVA;
	return ms->iova + RTE_PTR_DIFF(va, ms->addr);
}

rte_iova_t
app_iova_of(const uint8_t *va, uint32_t len)
{
	rte_iova_t iova = iova_at(va);

	if (iova == RTE_BAD_IOVA || iova_at(va + len - 1) != iova + len - 1)
		return RTE_BAD_IOVA;
	return iova;
}
