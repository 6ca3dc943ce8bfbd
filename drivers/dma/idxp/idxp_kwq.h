/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_KWQ_H
#define IDXP_KWQ_H

/*
 * Work queues the Linux idxd driver owns (`wq=` devarg): what sysfs says
 * of them (idxp_kwq_sysfs.c) and the platform that drives one through its
 * char device (idxp_kwq.c).
 */

#include <stdbool.h>
#include <stdint.h>

#include "idxp_hw_regs.h"

#define IDXP_KWQ_NAME_LEN	32
#define IDXP_KWQ_MAX		64	/* WQs wq=auto takes at most */
/* A tree (IDXP_KWQ_ROOT) holding this file is served by the fake kernel. */
#define IDXP_KWQ_FAKE_MARKER	"idxp-fake-idxd"

struct idxp_kwq_info {
	char name[IDXP_KWQ_NAME_LEN];	/* wqD.Q */
	char device[IDXP_KWQ_NAME_LEN];	/* dsaD */
	char cdev[4096];		/* its char device */
	char sysfs[4096];		/* its sysfs directory */
	bool shared;
	bool bof;
	uint32_t size;
	uint32_t max_batch;
	uint64_t max_xfer;
	char state[32];
	char type[32];
	char wq_name[64];		/* the name accel-config gave it */
	int numa_node;			/* -1: unknown */
	uint64_t opcap[IDXP_OPCAP_WORDS];
};

/* The root prefix of every path: IDXP_KWQ_ROOT (tests only), else "". */
const char *idxp_kwq_root(void);
/* Whether the root is a fake tree (IDXP_KWQ_FAKE_MARKER in it). */
bool idxp_kwq_root_is_fake(void);
int idxp_kwq_parse_opcap(const char *s, uint64_t opcap[IDXP_OPCAP_WORDS]);
/* 0, -ENOENT (no such WQ), -EINVAL (its attributes make no sense). */
int idxp_kwq_lookup(const char *wq, struct idxp_kwq_info *w);
bool idxp_kwq_enabled(const struct idxp_kwq_info *w);
int idxp_kwq_scan(const char *prefix, char names[][IDXP_KWQ_NAME_LEN],
		unsigned int max);
/* Why @w cannot be driven (logged with what to do), or 0. */
int idxp_kwq_check(const char *name, const struct idxp_kwq_info *w);

struct idxp_devargs;
struct rte_vdev_device;
/* Probe the dmadevs of `wq=` (one WQ, or every one wq=auto finds). */
int idxp_kwq_probe(struct rte_vdev_device *vdev, const struct idxp_devargs *a);

#endif /* IDXP_KWQ_H */
