/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * What the Linux idxd driver says of its work queues, from sysfs:
 * /sys/bus/dsa/devices/wqD.Q (mode, size, limits, state, type, name) and
 * its device dsaD (NUMA node, operation capabilities), and where the
 * character device is (/dev/dsa/wqD.Q). Every path sits below a root
 * prefix ("" on a real system; a fake tree in the tests).
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idxp_internal.h"
#include "idxp_kwq.h"
#include "idxp_sysfs.h"

#define SYSFS_DSA	"/sys/bus/dsa/devices"
#define DEV_DSA		"/dev/dsa"

/* The root prefix of every path: IDXP_KWQ_ROOT (tests only), else "". */
const char *
idxp_kwq_root(void)
{
	const char *r = getenv("IDXP_KWQ_ROOT");

	return r != NULL ? r : "";
}

bool
idxp_kwq_root_is_fake(void)
{
	char path[PATH_MAX];

	if (idxp_kwq_root()[0] == '\0')
		return false;
	snprintf(path, sizeof(path), "%s/" IDXP_KWQ_FAKE_MARKER, idxp_kwq_root());
	return access(path, F_OK) == 0;
}

static int
attr_u64(const char *dir, const char *attr, uint64_t *v)
{
	char buf[64], *end;
	int ret = idxp_sysfs_read(dir, attr, buf, sizeof(buf));

	if (ret < 0)
		return ret;
	errno = 0;
	*v = strtoull(buf, &end, 0);
	return (errno != 0 || end == buf || *end != '\0') ? -EINVAL : 0;
}

/*
 * Older kernels: up to four 64-bit words printed with "%#llx ", least
 * significant first; a zero word is a bare "0".
 */
static int
parse_opcap_u64s(const char *s, uint64_t opcap[IDXP_OPCAP_WORDS])
{
	unsigned int n = 0;
	const char *p = s;

	memset(opcap, 0, sizeof(uint64_t) * IDXP_OPCAP_WORDS);
	while (*p != '\0') {
		bool hex = strncmp(p, "0x", 2) == 0;
		char *end;

		if (n == IDXP_OPCAP_WORDS || (!hex && !(p[0] == '0' &&
				(p[1] == ' ' || p[1] == '\0'))))
			return -EINVAL;
		errno = 0;
		opcap[n++] = strtoull(p, &end, hex ? 16 : 10);
		if (errno != 0 || end == p + (hex ? 2 : 0) || (*end != ' ' && *end != '\0'))
			return -EINVAL;
		p = end;
		while (*p == ' ')
			p++;
	}
	return n == 0 ? -EINVAL : 0;
}

/*
 * An operation-capability bitmap as the kernel prints it: 32-bit hex
 * words separated by commas, the most significant first.
 */
int
idxp_kwq_parse_opcap(const char *s, uint64_t opcap[IDXP_OPCAP_WORDS])
{
	uint32_t words[2 * IDXP_OPCAP_WORDS];
	unsigned int n = 0, i;
	const char *p = s;

	if (strncmp(s, "0x", 2) == 0)
		return parse_opcap_u64s(s, opcap);
	while (*p != '\0') {
		char *end;
		unsigned long w;

		if (n == RTE_DIM(words) || !isxdigit((unsigned char)*p))
			return -EINVAL;
		w = strtoul(p, &end, 16);
		if (end - p > 8)
			return -EINVAL;
		words[n++] = (uint32_t)w;
		p = end;
		if (*p == ',')
			p++;
		else if (*p != '\0')
			return -EINVAL;
	}
	if (n == 0)
		return -EINVAL;
	memset(opcap, 0, sizeof(uint64_t) * IDXP_OPCAP_WORDS);
	for (i = 0; i < n; i++) {
		unsigned int bit = 32 * (n - 1 - i);	/* word i from the top */

		opcap[bit / 64] |= (uint64_t)words[i] << (bit % 64);
	}
	return 0;
}

/* "wq2.0" -> device index 2; -1 when the name is not a WQ's. */
static int
wq_device_index(const char *wq)
{
	unsigned int d, q;
	char tail;

	if (sscanf(wq, "wq%u.%u%c", &d, &q, &tail) != 2)
		return -1;
	return (int)d;
}

static int
read_wq_attrs(const char *dir, struct idxp_kwq_info *w)
{
	char mode[32];
	uint64_t v;
	int ret;

	ret = idxp_sysfs_read(dir, "mode", mode, sizeof(mode));
	if (ret < 0)
		return ret;
	if (strcmp(mode, "dedicated") == 0)
		w->shared = false;
	else if (strcmp(mode, "shared") == 0)
		w->shared = true;
	else
		return -EINVAL;
	if (idxp_sysfs_read(dir, "state", w->state, sizeof(w->state)) < 0 ||
			idxp_sysfs_read(dir, "type", w->type, sizeof(w->type)) < 0)
		return -EINVAL;
	if (idxp_sysfs_read(dir, "name", w->wq_name, sizeof(w->wq_name)) < 0)
		w->wq_name[0] = '\0';
	if (attr_u64(dir, "size", &v) < 0 || v > UINT16_MAX)
		return -EINVAL;
	w->size = (uint32_t)v;
	if (attr_u64(dir, "max_batch_size", &v) < 0 || v > UINT32_MAX)
		return -EINVAL;
	w->max_batch = (uint32_t)v;
	if (attr_u64(dir, "max_transfer_size", &v) < 0 || v == 0)
		return -EINVAL;
	w->max_xfer = v;
	/* Absent on older kernels: no fault blocking then. */
	w->bof = attr_u64(dir, "block_on_fault", &v) == 0 && v != 0;
	return 0;
}

static int
read_device_attrs(const char *root, int index, struct idxp_kwq_info *w)
{
	char dir[PATH_MAX], buf[256];
	uint64_t v;

	snprintf(w->device, sizeof(w->device), "dsa%d", index);
	snprintf(dir, sizeof(dir), "%s" SYSFS_DSA "/%s", root, w->device);
	w->numa_node = attr_u64(dir, "numa_node", &v) == 0 && v < 1024 ?
		(int)v : -1;
	if (idxp_sysfs_read(dir, "op_cap", buf, sizeof(buf)) < 0 ||
			idxp_kwq_parse_opcap(buf, w->opcap) < 0)
		return -EINVAL;
	return 0;
}

int
idxp_kwq_lookup(const char *wq, struct idxp_kwq_info *w)
{
	const char *root = idxp_kwq_root();
	char dir[PATH_MAX];
	int index = wq_device_index(wq), ret;

	memset(w, 0, sizeof(*w));
	if (index < 0)
		return -EINVAL;
	snprintf(w->name, sizeof(w->name), "%s", wq);
	snprintf(dir, sizeof(dir), "%s" SYSFS_DSA "/%s", root, wq);
	snprintf(w->sysfs, sizeof(w->sysfs), "%s", dir);
	ret = read_wq_attrs(dir, w);
	if (ret < 0)
		return ret == -ENOENT ? -ENOENT : -EINVAL;
	if (read_device_attrs(root, index, w) < 0)
		return -EINVAL;
	snprintf(w->cdev, sizeof(w->cdev), "%s" DEV_DSA "/%s", root, wq);
	return 0;
}

/* Whether the WQ is still enabled (the kernel disables it on a halt). */
bool
idxp_kwq_enabled(const struct idxp_kwq_info *w)
{
	char state[32];

	return idxp_sysfs_read(w->sysfs, "state", state, sizeof(state)) == 0 &&
		strcmp(state, "enabled") == 0;
}

#define ACCEL_HINT	"accel-config config-wq --type=user --name=idxp... " \
	"then accel-config enable-wq"

int
idxp_kwq_check(const char *name, const struct idxp_kwq_info *w)
{
	if (strcmp(w->type, "user") != 0) {
		IDXP_LOG(ERR, "%s: %s is a %s work queue, not a user one (%s)",
				name, w->name, w->type[0] ? w->type : "unconfigured",
				ACCEL_HINT);
		return -EINVAL;
	}
	if (strcmp(w->state, "enabled") != 0) {
		IDXP_LOG(ERR, "%s: %s is %s (accel-config enable-wq %s/%s)", name,
				w->name, w->state, w->device, w->name);
		return -ENODEV;
	}
	/* One entry stays free (the occupancy bound): one alone posts nothing. */
	if (w->size < 2) {
		IDXP_LOG(ERR, "%s: %s has %u entries; idxp needs at least 2 "
				"(accel-config config-wq --wq-size=...)", name, w->name,
				w->size);
		return -EINVAL;
	}
	if (!idxp_opcap_has(w->opcap, IDXP_OP_MEMMOVE) ||
			!idxp_opcap_has(w->opcap, IDXP_OP_BATCH)) {
		IDXP_LOG(ERR, "%s: %s's device %s cannot copy or batch", name,
				w->name, w->device);
		return -ENOTSUP;
	}
	if (access(w->cdev, R_OK | W_OK) != 0) {
		IDXP_LOG(ERR, "%s: %s: %s (a user WQ's char device; check that "
				"the idxd driver made it and that this user may open it)",
				name, w->cdev, strerror(errno));
		return -ENODEV;
	}
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Every WQ a user may drive, enabled, whose name starts with @prefix, in
 * name order; at most @max, their names in @names. The count, or -errno
 * when there is no idxd sysfs at all.
 */
int
idxp_kwq_scan(const char *prefix, char names[][IDXP_KWQ_NAME_LEN], unsigned int max)
{
	char dir[PATH_MAX], *found[IDXP_KWQ_MAX];
	unsigned int n = 0, i;
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s" SYSFS_DSA, idxp_kwq_root());
	d = opendir(dir);
	if (d == NULL)
		return -errno;
	while ((e = readdir(d)) != NULL && n < RTE_MIN(max, (unsigned int)IDXP_KWQ_MAX)) {
		struct idxp_kwq_info w;

		if (wq_device_index(e->d_name) < 0 || idxp_kwq_lookup(e->d_name, &w) < 0)
			continue;
		if (strcmp(w.type, "user") != 0 || strcmp(w.state, "enabled") != 0 ||
				strncmp(w.wq_name, prefix, strlen(prefix)) != 0)
			continue;
		found[n] = strdup(e->d_name);
		if (found[n] != NULL)
			n++;
	}
	closedir(d);
	qsort(found, n, sizeof(found[0]), name_cmp);
	for (i = 0; i < n; i++) {
		snprintf(names[i], IDXP_KWQ_NAME_LEN, "%s", found[i]);
		free(found[i]);
	}
	return (int)n;
}
