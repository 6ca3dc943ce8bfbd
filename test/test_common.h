/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_TEST_COMMON_H
#define IDXP_TEST_COMMON_H

/* Shared helpers of the idxp unit tests: EAL set-up, checks, buffers. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_dmadev.h>

extern unsigned int t_failures;
extern unsigned int t_checks;

/* A check that counts and reports, never aborts: a test shows all it saw. */
#define CHECK(cond, ...) do { \
	t_checks++; \
	if (!(cond)) { \
		t_failures++; \
		fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fprintf(stderr, "\n"); \
	} \
} while (0)

/*
 * rte_eal_init() for a test: one lcore (core 0), no PCI, in-memory,
 * hugepages when the machine has them else --no-huge. IOVA as VA, or as PA
 * when the environment says IDXP_IOVA=pa (the suite runs both). Extra EAL
 * args (e.g. "--vdev=dma_idxp0,core=1") may follow. Exits on failure.
 */
void t_eal_init(const char *prog, const char *const *extra, int nb_extra);

/* The IOVA mode the suite asked for (IDXP_IOVA=pa|va, default va). */
bool t_iova_pa(void);

/*
 * Zeroed DPDK memory for DMA buffers, aligned so that every 2 MB-aligned
 * piece of it lies in one hugepage: in IOVA-as-PA mode only such a piece
 * is IOVA-contiguous. A buffer of up to 2 MB is one piece.
 */
void *t_dma_zalloc(size_t sz);

/* First offset >= @off where @len bytes stay inside one 2 MB piece. */
size_t t_piece_fit(size_t off, size_t len);

/* IOVA of a byte of DPDK memory, in either IOVA mode. */
rte_iova_t t_iova(const void *p);

/* Hugepages usable: hugetlbfs mounted and enough free 2 MB pages. */
bool t_hugepages(void);

/* Create dma_idxp<n> with @devargs (may be NULL); dev id or negative. */
int t_idxp_create(const char *name, const char *devargs);

/* configure + vchan setup (nb_vchans of nb_desc each) + start; 0 or -errno. */
int t_dev_setup(int16_t dev_id, uint16_t nb_vchans, uint16_t nb_desc);

/* Poll until @n completions arrived on a vchan or 2 s passed; returns count.
 * Statuses (may be NULL) receive rte_dma_completed_status() results. */
int t_wait_completions(int16_t dev_id, uint16_t vchan, uint16_t n,
		enum rte_dma_status_code *st);

/* True when all @n bytes at @p are @v. */
bool t_all_bytes(const uint8_t *p, size_t n, uint8_t v);

/* The vdev named @name (for rte_dev_dma_map()), or NULL. */
struct rte_device *t_vdev(const char *name);

/* Print the summary line and return the process exit status. */
int t_done(const char *name);

#endif /* IDXP_TEST_COMMON_H */
