/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_SYSFS_H
#define IDXP_SYSFS_H

/*
 * Reading one sysfs-style attribute file: shared by the kernel-WQ
 * platform (the driver's side) and the tests' fake kernel (the device's
 * side), neither of which may call the other.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>

/* @dir/@attr into @buf, trailing whitespace cut; -errno when unreadable. */
static inline int
idxp_sysfs_read(const char *dir, const char *attr, char *buf, size_t len)
{
	char path[4200];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	f = fopen(path, "r");
	if (f == NULL)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	return 0;
}

#endif /* IDXP_SYSFS_H */
