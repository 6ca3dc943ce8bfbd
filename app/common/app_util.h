/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_APP_UTIL_H
#define IDXP_APP_UTIL_H

/*
 * What every idxp app shares: number and option parsing, and DMA buffers
 * with their device addresses. The CPU-time readers are in thread_cpu.h.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_memory.h>

/* ---- numbers ---- */

#define APP_NUM_HEX	1u	/* base 16, with or without 0x */
#define APP_NUM_SIZE	2u	/* binary K, M or G suffix, then an optional B */

/*
 * A whole number in [min, max]: decimal or 0x-hex (hex only with
 * APP_NUM_HEX). No sign, no blanks. 0 or -EINVAL.
 */
int app_parse_u64(const char *s, uint64_t min, uint64_t max,
		unsigned int flags, uint64_t *out);

/* app_parse_u64() for the many 32-bit options. */
int app_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/* Seconds as a decimal in [min, max]; 0 or -EINVAL. */
int app_parse_secs(const char *s, double min, double max, double *out);

/* ---- options ---- */

/* One spelling of an option: "--rate" or "-f"; @id goes to the callback. */
struct app_opt {
	const char *name;
	bool arg;		/* takes a value: "--name V" or "--name=V" */
	int id;
};

/* One option of a tool; 0, or negative when its value is bad. */
typedef int (*app_opt_fn)(int id, const char *arg, void *ctx);

/*
 * Parses argv[1..argc) against @opts (ended by a NULL name). -h and
 * --help print @usage and exit. A bad value is reported naming the
 * option. Arguments that are no option go, in order, to @rest when it is
 * not NULL (a "--" is dropped there), else they are an error.
 * 0 or -EINVAL.
 */
int app_parse_opts(int argc, char **argv, const struct app_opt *opts,
		app_opt_fn fn, void *ctx, void (*usage)(const char *prog),
		char **rest, int *nb_rest);

/* ---- DMA buffers ---- */

/*
 * Device address of @len bytes at @va (IOVA-as-VA: @va itself), or
 * RTE_BAD_IOVA if they are not IOVA-contiguous or not EAL memory.
 */
rte_iova_t app_iova_of(const void *va, size_t len);

/*
 * @nb buffers of @len bytes in EAL memory, each IOVA-contiguous in either
 * IOVA mode. They sit a cache-aligned stride apart, except that a buffer
 * which would straddle an IOVA discontinuity starts on the next page, as
 * mempool objects do.
 */
struct app_bufs {
	uint32_t nb;
	uint32_t len;
	uint8_t *mem;		/* the allocation, zeroed and faulted in */
	size_t size;		/* its bytes */
	uint8_t **va;		/* buffer i */
	rte_iova_t *iova;	/* its device address (VA if va_addrs) */
};

/*
 * Allocate on @socket (SOCKET_ID_ANY for any); @va_addrs gives virtual
 * addresses, for SVA devices. Prints what failed. 0 or a negative errno.
 */
int app_bufs_alloc(struct app_bufs *b, uint32_t nb, uint32_t len, int socket,
		bool va_addrs);
void app_bufs_free(struct app_bufs *b);

#endif /* IDXP_APP_UTIL_H */
