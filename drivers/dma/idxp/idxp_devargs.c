/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/* Devargs of dma_idxp (rte_kvargs), engine CPU choice and NUMA node. */

#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <numa.h>

#include <rte_kvargs.h>
#include <rte_lcore.h>

#include "idxp_internal.h"

#define ARG_CORE	"core"
#define ARG_ENGINES	"engines"
#define ARG_VCHANS	"vchans"
#define ARG_POLL_US	"poll_us"
#define ARG_SPIN_US	"spin_us"
#define ARG_IDLE	"idle"
#define ARG_SVA		"sva"
#define ARG_EVL_SIZE	"evl_size"
#define ARG_INJECT	"inject"
#define ARG_ENQ_DEQ	"enq_deq"
#define ARG_PORTAL	"portal"
#define ARG_WQ		"wq"
#define ARG_WQ_PREFIX	"wq_prefix"

/* In the order of enum idxp_arg. */
static const char *const idxp_valid_args[] = {
	ARG_CORE, ARG_ENGINES, ARG_VCHANS, ARG_POLL_US, ARG_SPIN_US, ARG_IDLE,
	ARG_SVA, ARG_EVL_SIZE, ARG_INJECT, ARG_ENQ_DEQ, ARG_PORTAL, ARG_WQ,
	ARG_WQ_PREFIX, NULL
};

#define IDLE_SPIN_FOREVER	UINT32_MAX

/* Parse a whole decimal number in [min, max]. */
static int
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s == '\0' || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int
arg_u32(const char *key, const char *value, uint32_t min, uint32_t max,
		uint32_t *out)
{
	if (parse_u32(value, min, max, out) != 0) {
		IDXP_LOG(ERR, "devarg %s=%s: expected a number in [%u, %u]",
				key, value ? value : "", min, max);
		return -EINVAL;
	}
	return 0;
}

/* Online and in the process's allowed set (libnuma reads it at load,
 * before the EAL pins the main thread).
 */
static bool
cpu_usable(uint32_t cpu)
{
	if (numa_available() < 0)
		return cpu < (uint32_t)sysconf(_SC_NPROCESSORS_ONLN);
	return numa_bitmask_isbitset(numa_all_cpus_ptr, cpu) != 0;
}

/* core=N, core=A-B or core=A:B:C (engine i runs on the i-th cpu). */
static int
cb_core(const char *key, const char *value, void *opaque)
{
	struct idxp_devargs *a = opaque;
	char buf[128], *tok, *save = NULL;
	uint32_t lo, hi, c;

	if (value == NULL || strlen(value) >= sizeof(buf))
		goto bad;
	snprintf(buf, sizeof(buf), "%s", value);
	a->nb_cpus = 0;
	for (tok = strtok_r(buf, ":[]", &save); tok != NULL;
			tok = strtok_r(NULL, ":[]", &save)) {
		char *dash = strchr(tok, '-');

		if (dash != NULL)
			*dash = '\0';
		if (parse_u32(tok, 0, CPU_SETSIZE - 1, &lo) != 0 ||
				parse_u32(dash ? dash + 1 : tok, lo, CPU_SETSIZE - 1,
					&hi) != 0)
			goto bad;
		for (c = lo; c <= hi; c++) {
			if (!cpu_usable(c)) {
				IDXP_LOG(ERR, "devarg %s=%s: cpu %u is not online or not "
						"allowed for this process", key, value, c);
				return -EINVAL;
			}
		}
		for (c = lo; c <= hi; c++) {
			if (a->nb_cpus == IDXP_HW_MAX_ENGINES)
				goto bad;
			a->cpus[a->nb_cpus++] = (int)c;
		}
	}
	if (a->nb_cpus == 0)
		goto bad;
	return 0;
bad:
	IDXP_LOG(ERR, "devarg %s=%s: expected cpu ids, e.g. 3, 2-5 or 1:3",
			key, value ? value : "");
	return -EINVAL;
}

static int
cb_u32(const char *key, const char *value, void *opaque)
{
	struct idxp_devargs *a = opaque;

	if (strcmp(key, ARG_ENGINES) == 0)
		return arg_u32(key, value, 1, IDXP_HW_MAX_ENGINES, &a->engines);
	if (strcmp(key, ARG_VCHANS) == 0)
		return arg_u32(key, value, 1, IDXP_HW_MAX_WQS, &a->max_vchans);
	if (strcmp(key, ARG_POLL_US) == 0)
		return arg_u32(key, value, 0, 10000000, &a->poll_us);
	if (strcmp(key, ARG_SPIN_US) == 0)
		return arg_u32(key, value, 0, 10000000, &a->spin_us);
	if (strcmp(key, ARG_ENQ_DEQ) == 0)
		return arg_u32(key, value, 0, 1, &a->enq_deq);
	if (strcmp(key, ARG_EVL_SIZE) == 0) {
		if (arg_u32(key, value, 4, 65536, &a->evl_size) != 0)
			return -EINVAL;
		if (!rte_is_power_of_2(a->evl_size)) {
			IDXP_LOG(ERR, "devarg %s=%s: must be a power of two", key, value);
			return -EINVAL;
		}
		return 0;
	}
	return -EINVAL;
}

static int
cb_sva(const char *key, const char *value, void *opaque)
{
	uint32_t v;

	if (arg_u32(key, value, 0, 1, &v) != 0)
		return -EINVAL;
	((struct idxp_devargs *)opaque)->sva = v != 0;
	return 0;
}

/* How descriptors reach the software device's portals. */
static int
cb_portal(const char *key, const char *value, void *opaque)
{
	struct idxp_devargs *a = opaque;

	if (value != NULL && strcmp(value, "call") == 0) {
		a->direct_portals = false;
		return 0;
	}
	if (value != NULL && strcmp(value, "movdir64b") == 0) {
		a->direct_portals = true;
		return 0;
	}
	IDXP_LOG(ERR, "devarg %s=%s: expected call or movdir64b", key,
			value ? value : "");
	return -EINVAL;
}

/* wq=wqD.Q or wq=auto; wq_prefix=NAME (what accel-config named them). */
static int
cb_string(const char *key, const char *value, void *opaque)
{
	struct idxp_devargs *a = opaque;
	bool is_wq = strcmp(key, ARG_WQ) == 0;
	char *out = is_wq ? a->wq : a->wq_prefix;
	size_t len = is_wq ? sizeof(a->wq) : sizeof(a->wq_prefix);
	unsigned int d, q;
	char tail;

	if (value == NULL || strlen(value) >= len || (is_wq && value[0] == '\0'))
		goto bad;
	if (is_wq && strcmp(value, "auto") != 0 &&
			sscanf(value, "wq%u.%u%c", &d, &q, &tail) != 2)
		goto bad;
	snprintf(out, len, "%s", value);
	return 0;
bad:
	IDXP_LOG(ERR, "devarg %s=%s: expected %s", key, value ? value : "",
			is_wq ? "a work queue (wq0.0) or auto" : "a WQ name prefix");
	return -EINVAL;
}

static int
cb_idle(const char *key, const char *value, void *opaque)
{
	struct idxp_devargs *a = opaque;

	if (value != NULL && strcmp(value, "spin") == 0) {
		a->spin_us = IDLE_SPIN_FOREVER;
		return 0;
	}
	if (value != NULL && strcmp(value, "sleep") == 0)
		return 0;
	IDXP_LOG(ERR, "devarg %s=%s: expected sleep or spin", key, value ? value : "");
	return -EINVAL;
}

/* inject=kind:count, may be repeated. */
static int
cb_inject(const char *key, const char *value, void *opaque)
{
	struct idxp_devargs *a = opaque;
	enum rte_pmd_idxp_fault kind;
	char buf[32], *colon;
	uint32_t count = 1;

	if (value == NULL || strlen(value) >= sizeof(buf))
		goto bad;
	snprintf(buf, sizeof(buf), "%s", value);
	colon = strchr(buf, ':');
	if (colon != NULL) {
		*colon = '\0';
		if (parse_u32(colon + 1, 1, UINT32_MAX, &count) != 0)
			goto bad;
	}
	if (rte_pmd_idxp_fault_from_str(buf, &kind) != 0)
		goto bad;
	a->inject[kind] += count;
	return 0;
bad:
	IDXP_LOG(ERR, "devarg %s=%s: expected src|dst|comp|page_req|halt|reset_fail|revoke[:count]",
			key, value ? value : "");
	return -EINVAL;
}

static void
devargs_defaults(struct idxp_devargs *a)
{
	memset(a, 0, sizeof(*a));
	a->engines = 1;
	a->max_vchans = IDXP_DEFAULT_VCHANS;
	a->poll_us = 20;
	a->spin_us = 200;
	a->evl_size = 256;
	a->enq_deq = 1;
	snprintf(a->wq_prefix, sizeof(a->wq_prefix), "idxp");
}

int
idxp_devargs_parse(const char *params, struct idxp_devargs *a)
{
	static const struct {
		const char *key;
		arg_handler_t fn;
	} h[] = {
		{ ARG_CORE, cb_core }, { ARG_ENGINES, cb_u32 },
		{ ARG_VCHANS, cb_u32 }, { ARG_POLL_US, cb_u32 },
		{ ARG_SPIN_US, cb_u32 }, { ARG_EVL_SIZE, cb_u32 },
		{ ARG_IDLE, cb_idle }, { ARG_SVA, cb_sva },
		{ ARG_INJECT, cb_inject }, { ARG_ENQ_DEQ, cb_u32 },
		{ ARG_PORTAL, cb_portal }, { ARG_WQ, cb_string },
		{ ARG_WQ_PREFIX, cb_string },
	};
	struct rte_kvargs *kv;
	unsigned int i;
	int ret = 0;

	devargs_defaults(a);
	if (params == NULL || params[0] == '\0')
		return 0;
	kv = rte_kvargs_parse(params, idxp_valid_args);
	if (kv == NULL) {
		IDXP_LOG(ERR, "invalid devargs \"%s\": unknown key or bad syntax; valid keys: "
				"core engines vchans poll_us spin_us idle sva evl_size inject enq_deq "
				"portal wq wq_prefix",
				params);
		return -EINVAL;
	}
	/* spin_us before idle so that idle=spin wins. */
	for (i = 0; i < RTE_DIM(h) && ret == 0; i++)
		ret = rte_kvargs_process(kv, h[i].key, h[i].fn, a);
	for (i = 0; i < IDXP_ARG_NB; i++)
		if (rte_kvargs_count(kv, idxp_valid_args[i]) > 0)
			a->given |= 1u << i;
	rte_kvargs_free(kv);
	return ret;
}

/* The first key of @mask the user gave, or NULL. */
const char *
idxp_devargs_first_given(const struct idxp_devargs *a, uint32_t mask)
{
	unsigned int i;

	for (i = 0; i < IDXP_ARG_NB; i++)
		if (a->given & mask & (1u << i))
			return idxp_valid_args[i];
	return NULL;
}

static bool
cpu_used_by_lcore(unsigned int cpu)
{
	unsigned int l;

	RTE_LCORE_FOREACH(l) {
		rte_cpuset_t s = rte_lcore_cpuset(l);

		if (CPU_ISSET(cpu, &s))
			return true;
	}
	return false;
}

/* Default engine cores: free cores from the top, else the last core. */
void
idxp_devargs_pick_cpus(struct idxp_devargs *a)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long c;

	if (a->nb_cpus > 0)
		return;
	for (c = ncpu - 1; c >= 0 && a->nb_cpus < a->engines; c--)
		if (!cpu_used_by_lcore((unsigned int)c) && cpu_usable((uint32_t)c))
			a->cpus[a->nb_cpus++] = (int)c;
	if (a->nb_cpus == 0)
		a->cpus[a->nb_cpus++] = (int)(ncpu - 1);
}

/* @node if DPDK has memory there, else SOCKET_ID_ANY. */
int
idxp_node_usable(int node)
{
	unsigned int i;

	for (i = 0; node >= 0 && i < rte_socket_count(); i++)
		if (rte_socket_id_by_idx(i) == node)
			return node;
	return SOCKET_ID_ANY;
}

int
idxp_cpu_socket(int cpu)
{
	return idxp_node_usable(numa_available() < 0 ? 0 : numa_node_of_cpu(cpu));
}

