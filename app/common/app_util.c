/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_malloc.h>

#include "app_util.h"

/* ---- numbers ---- */

/* Binary K/M/G and an optional B after them; -1 for anything else. */
static int
size_shift(const char *s)
{
	static const char units[] = "KMG";
	const char *u = *s != '\0' ? strchr(units, toupper((unsigned char)*s)) : NULL;
	int shift = u != NULL ? 10 * (int)(u - units + 1) : 0;

	s += u != NULL;
	if (*s == 'B')
		s++;
	return *s == '\0' ? shift : -1;
}

int
app_parse_u64(const char *s, uint64_t min, uint64_t max, unsigned int flags,
		uint64_t *out)
{
	unsigned long long v;
	int shift = 0;
	char *end;

	/* strtoull() takes signs and leading blanks: refuse both. */
	if (!isxdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, flags & APP_NUM_HEX ? 16 : 0);
	if (errno != 0 || end == s)
		return -EINVAL;
	if (flags & APP_NUM_SIZE)
		shift = size_shift(end);
	else if (*end != '\0')
		shift = -1;
	if (shift < 0 || v > (max >> shift) || (v << shift) < min)
		return -EINVAL;
	*out = v << shift;
	return 0;
}

int
app_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (app_parse_u64(s, min, max, 0, &v) < 0)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int
app_parse_secs(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (!isdigit((unsigned char)*s) && *s != '.')
		return -EINVAL;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || !(v >= min && v <= max))
		return -EINVAL;
	*out = v;
	return 0;
}

/* ---- options ---- */

/* The option @arg spells, with its value in @val; NULL if none. */
static const struct app_opt *
opt_match(const struct app_opt *opts, const char *arg, const char **val)
{
	for (; opts->name != NULL; opts++) {
		size_t n = strlen(opts->name);

		if (strncmp(arg, opts->name, n) != 0)
			continue;
		*val = NULL;
		if (arg[n] == '\0')
			return opts;
		if (arg[n] == '=' && opts->arg) {
			*val = arg + n + 1;
			return opts;
		}
	}
	return NULL;
}

int
app_parse_opts(int argc, char **argv, const struct app_opt *opts,
		app_opt_fn fn, void *ctx, void (*usage)(const char *prog),
		char **rest, int *nb_rest)
{
	const struct app_opt *o;
	const char *val;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(argv[0]);
			exit(EXIT_SUCCESS);
		}
		o = opt_match(opts, argv[i], &val);
		if (o == NULL && rest != NULL) {
			if (strcmp(argv[i], "--") != 0)
				rest[(*nb_rest)++] = argv[i];
			continue;
		}
		if (o == NULL) {
			fprintf(stderr, "%s: unexpected argument '%s' (see --help)\n",
				argv[0], argv[i]);
			return -EINVAL;
		}
		if (o->arg && val == NULL && ++i == argc) {
			fprintf(stderr, "%s: %s needs a value\n", argv[0], o->name);
			return -EINVAL;
		}
		if (o->arg && val == NULL)
			val = argv[i];
		if (fn(o->id, val, ctx) < 0) {
			fprintf(stderr, "%s: bad value '%s' for %s (see --help)\n",
				argv[0], val != NULL ? val : "", o->name);
			return -EINVAL;
		}
	}
	return 0;
}

/* ---- DMA buffers ---- */

rte_iova_t
app_iova_of(const void *va, size_t len)
{
	const uint8_t *end = RTE_PTR_ADD(va, len);
	const struct rte_memseg *ms;
	const uint8_t *p;
	rte_iova_t iova;

	if (rte_eal_iova_mode() == RTE_IOVA_VA)
		return (uintptr_t)va;
	ms = rte_mem_virt2memseg(va, NULL);
	if (ms == NULL || ms->iova == RTE_BAD_IOVA)
		return RTE_BAD_IOVA;
	iova = ms->iova + RTE_PTR_DIFF(va, ms->addr);
	/* Every further page must go on where the one before ended. */
	for (p = RTE_PTR_ADD(ms->addr, ms->len); p < end;
			p = RTE_PTR_ADD(ms->addr, ms->len)) {
		ms = rte_mem_virt2memseg(p, NULL);
		if (ms == NULL || ms->iova != iova + RTE_PTR_DIFF(p, va))
			return RTE_BAD_IOVA;
	}
	return iova;
}

struct page_walk {
	int socket;
	uint64_t pg;
};

/* The smallest page the memory of the socket may come in. */
static int
min_page(const struct rte_memseg_list *msl, void *arg)
{
	struct page_walk *w = arg;

	if ((w->socket == SOCKET_ID_ANY || msl->socket_id == w->socket) &&
			msl->page_sz < w->pg)
		w->pg = msl->page_sz;
	return 0;
}

void
app_bufs_free(struct app_bufs *b)
{
	rte_free(b->mem);
	free(b->va);
	free(b->iova);
	memset(b, 0, sizeof(*b));
}

/* Lay the buffers out; a buffer that is not contiguous moves a page on. */
static int
bufs_place(struct app_bufs *b, size_t stride, uint64_t pg, bool va_addrs)
{
	uint8_t *p = b->mem, *end = b->mem + b->size;
	uint32_t i = 0;

	while (i < b->nb && p + b->len <= end) {
		rte_iova_t iova = va_addrs ? (uintptr_t)p : app_iova_of(p, b->len);

		if (iova == RTE_BAD_IOVA) {
			p = RTE_PTR_ALIGN_CEIL(p + 1, pg);
			continue;
		}
		b->va[i] = p;
		b->iova[i++] = iova;
		p += stride;
	}
	return i == b->nb ? 0 : -EFAULT;
}

int
app_bufs_alloc(struct app_bufs *b, uint32_t nb, uint32_t len, int socket,
		bool va_addrs)
{
	size_t stride = RTE_ALIGN_CEIL((size_t)RTE_MAX(len, 1u), RTE_CACHE_LINE_SIZE);
	struct page_walk w = { .socket = socket, .pg = UINT64_MAX };

	memset(b, 0, sizeof(*b));
	b->nb = nb;
	b->len = len;
	b->size = stride * nb;
	rte_memseg_list_walk(&min_page, &w);
	w.pg = w.pg == UINT64_MAX ? 4096 : w.pg;
	/* Physical pages may be scattered: room to skip one buffer a page. */
	if (!va_addrs && rte_eal_iova_mode() != RTE_IOVA_VA)
		b->size += (b->size / w.pg + 2) * stride;
	b->mem = rte_malloc_socket("app_bufs", b->size, 4096, socket);
	b->va = malloc(sizeof(*b->va) * RTE_MAX(nb, 1u));
	b->iova = malloc(sizeof(*b->iova) * RTE_MAX(nb, 1u));
	if (b->mem == NULL || b->va == NULL || b->iova == NULL) {
		fprintf(stderr, "cannot allocate %zu KB for %u buffers of %u B on socket %d (more hugepages or -m?)\n",
			b->size >> 10, nb, len, socket);
		app_bufs_free(b);
		return -ENOMEM;
	}
	/* Zeroed by hand: every page is touched, so no fault lands in a measurement. */
	memset(b->mem, 0, b->size);
	if (bufs_place(b, stride, w.pg, va_addrs) < 0) {
		fprintf(stderr, "%u buffers of %u B do not fit IOVA-contiguously in %zu KB: the pages have no IOVA or are too scattered (try --iova-mode=va)\n",
			nb, len, b->size >> 10);
		app_bufs_free(b);
		return -EFAULT;
	}
	return 0;
}
