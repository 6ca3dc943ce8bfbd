/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_APP_UTIL_H
#define IDXP_APP_UTIL_H

/* Helpers shared by idxp-intr-bench and idxp-power-copy. */

#include <stdint.h>

#include <rte_memory.h>

/* Whole decimal/hex number in [min, max]; 0 or -EINVAL. */
int app_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/* Seconds as a decimal in [min, max]; 0 or -EINVAL. */
int app_parse_secs(const char *s, double min, double max, double *out);

struct option;

/* One option of a tool; 0 or negative when its value is bad. */
typedef int (*app_opt_fn)(int opt, const char *arg, void *ctx);

/*
 * getopt_long over the tool's options: -h prints @usage and exits, a bad
 * value is reported naming the option, stray arguments are refused.
 * 0 or -EINVAL.
 */
int app_parse_opts(int argc, char **argv, const struct option *opts,
		app_opt_fn fn, void *ctx, void (*usage)(const char *prog));

/* Device address of @len bytes at @va, or RTE_BAD_IOVA if not contiguous. */
rte_iova_t app_iova_of(const uint8_t *va, uint32_t len);

#endif /* IDXP_APP_UTIL_H */
