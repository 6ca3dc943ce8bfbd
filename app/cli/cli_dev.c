/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_dmadev.h>

#include <rte_pmd_idxp.h>

#include "app_util.h"
#include "cli.h"

/* What the tool set up on a device, indexed by dev_id. */
struct cli_dev_state {
	uint16_t nb_vchans;
	struct cli_vchan *vchans;
};

static struct cli_dev_state cli_devs[RTE_DMADEV_DEFAULT_MAX];

/* ---- the device argument token ---- */

static int
dev_tok_parse(cmdline_parse_token_hdr_t *tk, const char *buf, void *res,
		unsigned int ressize)
{
	unsigned int len = 0;

	RTE_SET_USED(tk);
	if (buf == NULL)
		return -1;
	while (!cmdline_isendoftoken(buf[len]))
		len++;
	if (len == 0 || len >= CLI_DEV_ARG_LEN)
		return -1;
	if (res != NULL) {
		if (ressize < CLI_DEV_ARG_LEN)
			return -1;
		memcpy(res, buf, len);
		((char *)res)[len] = '\0';
	}
	return len;
}

static int
dev_tok_complete_nb(cmdline_parse_token_hdr_t *tk)
{
	int16_t dev_id;
	int n = 0;

	RTE_SET_USED(tk);
	RTE_DMA_FOREACH_DEV(dev_id)
		n++;
	return n;
}

static int
dev_tok_complete_elt(cmdline_parse_token_hdr_t *tk, int idx, char *dst,
		unsigned int size)
{
	int16_t dev_id;

	RTE_SET_USED(tk);
	RTE_DMA_FOREACH_DEV(dev_id) {
		if (idx-- == 0) {
			snprintf(dst, size, "%s", cli_dev_name(dev_id));
			return 0;
		}
	}
	return -1;
}

static int
dev_tok_help(cmdline_parse_token_hdr_t *tk, char *dst, unsigned int size)
{
	RTE_SET_USED(tk);
	snprintf(dst, size, "DEV (dmadev id or name)");
	return 0;
}

struct cmdline_token_ops cli_token_dev_ops = {
	.parse = dev_tok_parse,
	.complete_get_nb = dev_tok_complete_nb,
	.complete_get_elt = dev_tok_complete_elt,
	.get_help = dev_tok_help,
};

/* ---- lookup and queries ---- */

static int
dev_id_from_number(const char *arg)
{
	uint64_t id;

	if (app_parse_u64(arg, 0, INT16_MAX, 0, &id) < 0)
		return -1;
	return rte_dma_is_valid((int16_t)id) ? (int)id : -1;
}

int
cli_dev_lookup(const char *arg)
{
	int id;

	id = dev_id_from_number(arg);
	if (id < 0)
		id = rte_dma_get_dev_id_by_name(arg);
	if (id < 0 || id >= (int)RTE_DIM(cli_devs)) {
		cli_err("unknown device '%s' (see 'list')", arg);
		return -1;
	}
	return id;
}

const char *
cli_dev_name(int16_t dev_id)
{
	struct rte_dma_info info;

	if (rte_dma_info_get(dev_id, &info) != 0 || info.dev_name == NULL)
		return "?";
	return info.dev_name;
}

bool
cli_dev_is_idxp(int16_t dev_id)
{
	struct rte_pmd_idxp_stats st;

	/* The idxp API answers -ENODEV for every device it does not drive. */
	return rte_pmd_idxp_stats_get(dev_id, &st) != -ENODEV;
}

int
cli_dev_started(int16_t dev_id)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	/*
	 * DPDK 22.11 keeps dev_started in the PMD-only device data; the
	 * header line of rte_dma_dump() is its only public view.
	 */
	f = open_memstream(&text, &len);
	if (f == NULL)
		return -errno;
	ret = rte_dma_dump(dev_id, f);
	fclose(f);
	if (ret == 0) {
		char *eol = strchr(text, '\n');

		if (eol != NULL)
			*eol = '\0';
		ret = strstr(text, "[started]") != NULL;
	}
	free(text);
	return ret;
}

uint16_t
cli_dev_nb_vchans(int16_t dev_id)
{
	struct rte_dma_info info;

	if (rte_dma_info_get(dev_id, &info) != 0)
		return 0;
	return info.nb_vchans;
}

/* ---- checks that explain themselves ---- */

int
cli_dev_check_vchan(int16_t dev_id, uint16_t vchan)
{
	struct rte_dma_info info;

	if (rte_dma_info_get(dev_id, &info) != 0) {
		cli_err("cannot query device %s", cli_dev_name(dev_id));
		return -1;
	}
	if (info.nb_vchans == 0) {
		cli_err("device %s is not configured (use: configure %s <nb_vchans>)",
			info.dev_name, info.dev_name);
		return -1;
	}
	if (vchan >= info.nb_vchans) {
		cli_err("vchan %u out of range: device %s has %u vchan(s) configured (0..%u)",
			vchan, info.dev_name, info.nb_vchans,
			info.nb_vchans - 1);
		return -1;
	}
	return 0;
}

/* 0 when the device is (started ? started : stopped), else explains. */
static int
check_state(int16_t dev_id, int started)
{
	int ret = cli_dev_started(dev_id);

	if (ret == started)
		return 0;
	if (ret < 0)
		cli_err("cannot read the state of device %s: %s",
			cli_dev_name(dev_id), strerror(-ret));
	else
		cli_err("device %s is %s (use: %s %s)", cli_dev_name(dev_id),
			started ? "not started" : "started",
			started ? "start" : "stop", cli_dev_name(dev_id));
	return -1;
}

int
cli_dev_check_started(int16_t dev_id)
{
	return check_state(dev_id, 1);
}

int
cli_dev_check_stopped(int16_t dev_id)
{
	return check_state(dev_id, 0);
}

int
cli_dev_check_idxp(int16_t dev_id)
{
	if (cli_dev_is_idxp(dev_id))
		return 0;
	cli_err("device %s is not an idxp device", cli_dev_name(dev_id));
	return -1;
}

/* ---- tool state ---- */

struct cli_vchan *
cli_vchan_state(int16_t dev_id, uint16_t vchan)
{
	struct cli_dev_state *ds;

	if (dev_id < 0 || dev_id >= (int16_t)RTE_DIM(cli_devs))
		return NULL;
	ds = &cli_devs[dev_id];
	if (vchan >= ds->nb_vchans)
		return NULL;
	return &ds->vchans[vchan];
}

int
cli_dev_state_reset(int16_t dev_id, uint16_t nb_vchans)
{
	struct cli_dev_state *ds = &cli_devs[dev_id];
	struct cli_vchan *vchans = NULL;

	if (nb_vchans > 0) {
		vchans = calloc(nb_vchans, sizeof(*vchans));
		if (vchans == NULL)
			return -ENOMEM;
	}
	free(ds->vchans);
	ds->vchans = vchans;
	ds->nb_vchans = nb_vchans;
	return 0;
}

void
cli_dev_close_all(void)
{
	int16_t dev_id;

	RTE_DMA_FOREACH_DEV(dev_id) {
		if (cli_dev_started(dev_id) == 1)
			rte_dma_stop(dev_id);
		rte_dma_close(dev_id);
		cli_dev_state_reset(dev_id, 0);
	}
}
