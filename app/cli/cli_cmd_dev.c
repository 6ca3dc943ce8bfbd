/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/* Generic dmadev commands: they work on any dmadev. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_devargs.h>
#include <rte_dmadev.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>

#include <rte_pmd_idxp.h>

#include "cli.h"

/* ---- decoding helpers ---- */

static const struct {
	uint64_t bit;
	const char *name;
} dev_capa_names[] = {
	{ RTE_DMA_CAPA_MEM_TO_MEM, "mem2mem" },
	{ RTE_DMA_CAPA_MEM_TO_DEV, "mem2dev" },
	{ RTE_DMA_CAPA_DEV_TO_MEM, "dev2mem" },
	{ RTE_DMA_CAPA_DEV_TO_DEV, "dev2dev" },
	{ RTE_DMA_CAPA_SVA, "sva" },
	{ RTE_DMA_CAPA_SILENT, "silent" },
	{ RTE_DMA_CAPA_HANDLES_ERRORS, "handles_errors" },
	{ RTE_DMA_CAPA_OPS_COPY, "copy" },
	{ RTE_DMA_CAPA_OPS_COPY_SG, "copy_sg" },
	{ RTE_DMA_CAPA_OPS_FILL, "fill" },
};

static void
capa_print(uint64_t capa)
{
	uint64_t known = 0;
	unsigned int i;

	printf("  capabilities   0x%" PRIx64 ":", capa);
	for (i = 0; i < RTE_DIM(dev_capa_names); i++) {
		known |= dev_capa_names[i].bit;
		if (capa & dev_capa_names[i].bit)
			printf(" %s", dev_capa_names[i].name);
	}
	if (capa & ~known)
		printf(" unknown(0x%" PRIx64 ")", capa & ~known);
	printf("\n");
}

static const char *
state_name(int16_t dev_id)
{
	switch (cli_dev_started(dev_id)) {
	case 1:
		return "started";
	case 0:
		return "stopped";
	default:
		return "unknown";
	}
}

static const char *
vchan_status_name(int16_t dev_id, uint16_t vchan)
{
	enum rte_dma_vchan_status st;

	if (rte_dma_vchan_status(dev_id, vchan, &st) != 0)
		return "n/a";
	switch (st) {
	case RTE_DMA_VCHAN_IDLE:
		return "idle";
	case RTE_DMA_VCHAN_ACTIVE:
		return "active";
	case RTE_DMA_VCHAN_HALTED_ERROR:
		return "halted";
	}
	return "?";
}

/* The devargs the device was created from, matched by name on any bus. */
static const struct rte_devargs *
devargs_find(const char *dev_name)
{
	const struct rte_devargs *da = NULL;
	const struct rte_devargs *prefix = NULL;

	while ((da = rte_devargs_next(NULL, da)) != NULL) {
		if (strcmp(da->name, dev_name) == 0)
			return da;
		/* PCI dmadevs are named after their device plus a suffix. */
		if (prefix == NULL && da->name[0] != '\0' &&
				strncmp(da->name, dev_name, strlen(da->name)) == 0)
			prefix = da;
	}
	return prefix;
}

static void
devargs_print(const char *dev_name)
{
	const struct rte_devargs *da = devargs_find(dev_name);

	if (da == NULL)
		printf("  devargs        (none)\n");
	else if (da->args == NULL || da->args[0] == '\0')
		printf("  devargs        %s\n", da->name);
	else
		printf("  devargs        %s,%s\n", da->name, da->args);
}

static void
vchans_print(int16_t dev_id, uint16_t nb_vchans)
{
	uint16_t v;

	for (v = 0; v < nb_vchans; v++) {
		struct cli_vchan *vs = cli_vchan_state(dev_id, v);

		if (vs == NULL || vs->nb_desc == 0) {
			printf("  vchan %-8u not set up by idxp-cli\n", v);
			continue;
		}
		printf("  vchan %-8u nb_desc %u, %s, wait %s%s\n", v,
			vs->nb_desc, vchan_status_name(dev_id, v),
			vs->wait == CLI_WAIT_INTR ? "intr" : "poll",
			vs->dirty ? ", ops of an aborted run in flight" : "");
	}
}

/* ---- help, quit ---- */

struct cmd_word_result {
	cmdline_fixed_string_t word;
};

static void
cmd_help_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cli_help_print();
}

static cmdline_parse_token_string_t cmd_help_word =
	TOKEN_STRING_INITIALIZER(struct cmd_word_result, word, "help");

static cmdline_parse_inst_t cmd_help = {
	.f = cmd_help_parsed,
	.help_str = "help: show this list (in the prompt, ? and TAB help too)",
	.tokens = { (void *)&cmd_help_word, NULL },
};

static void
cmd_quit_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(data);
	cli_quit(cl);
}

static cmdline_parse_token_string_t cmd_quit_word =
	TOKEN_STRING_INITIALIZER(struct cmd_word_result, word, "quit#exit");

static cmdline_parse_inst_t cmd_quit = {
	.f = cmd_quit_parsed,
	.help_str = "quit: stop and close all devices and leave",
	.tokens = { (void *)&cmd_quit_word, NULL },
};

/* ---- list ---- */

static void
list_row(int16_t dev_id)
{
	struct rte_dma_info info;

	if (rte_dma_info_get(dev_id, &info) != 0) {
		printf("%-4d (cannot query)\n", dev_id);
		return;
	}
	printf("%-4d %-24s %-8s %3u/%-5u %-5d %s\n", dev_id, info.dev_name,
		state_name(dev_id), info.nb_vchans, info.max_vchans,
		info.numa_node, cli_dev_is_idxp(dev_id) ? "idxp" : "other");
}

static void
cmd_list_parsed(void *res, struct cmdline *cl, void *data)
{
	int16_t dev_id;

	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (rte_dma_count_avail() == 0) {
		printf("no dma devices (add one with --vdev=dma_idxp0 or --vdev=dma_skeleton)\n");
		return;
	}
	printf("%-4s %-24s %-8s %-9s %-5s %s\n", "id", "name", "state",
		"vchans", "numa", "driver");
	RTE_DMA_FOREACH_DEV(dev_id)
		list_row(dev_id);
}

static cmdline_parse_token_string_t cmd_list_word =
	TOKEN_STRING_INITIALIZER(struct cmd_word_result, word, "list");

static cmdline_parse_inst_t cmd_list = {
	.f = cmd_list_parsed,
	.help_str = "list: list the dma devices (id, name, state, vchans configured/max, numa, driver)",
	.tokens = { (void *)&cmd_list_word, NULL },
};

/* ---- commands of the form: <word> <dev> ---- */

struct cmd_dev_result {
	cmdline_fixed_string_t word;
	cli_dev_arg_t dev;
};

static struct cli_token_dev cmd_dev_arg =
	CLI_TOKEN_DEV_INITIALIZER(struct cmd_dev_result, dev);

static void
cmd_start_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_dev_result *r = res;
	uint16_t v, nb_vchans;
	int dev_id, ret;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	dev_id = cli_dev_lookup(r->dev);
	if (dev_id < 0)
		return;
	nb_vchans = cli_dev_nb_vchans(dev_id);
	if (nb_vchans == 0) {
		cli_err("device %s is not configured (use: configure %s <nb_vchans>)",
			cli_dev_name(dev_id), cli_dev_name(dev_id));
		return;
	}
	/* Starting with a vchan not set up would let ops reach no ring. */
	for (v = 0; v < nb_vchans; v++) {
		struct cli_vchan *vs = cli_vchan_state(dev_id, v);

		if (vs == NULL || vs->nb_desc == 0) {
			cli_err("vchan %u of %s is not set up (use: vchan setup %s %u <nb_desc>)",
				v, cli_dev_name(dev_id), cli_dev_name(dev_id), v);
			return;
		}
	}
	ret = rte_dma_start(dev_id);
	if (ret < 0) {
		cli_err("start %s failed: %s", cli_dev_name(dev_id),
			strerror(-ret));
		return;
	}
	printf("device %s started\n", cli_dev_name(dev_id));
}

static cmdline_parse_token_string_t cmd_start_word =
	TOKEN_STRING_INITIALIZER(struct cmd_dev_result, word, "start");

static cmdline_parse_inst_t cmd_start = {
	.f = cmd_start_parsed,
	.help_str = "start <dev>: start a configured device whose vchans are all set up",
	.tokens = { (void *)&cmd_start_word, (void *)&cmd_dev_arg, NULL },
};

static void
cmd_stop_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_dev_result *r = res;
	int dev_id, ret;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	dev_id = cli_dev_lookup(r->dev);
	if (dev_id < 0)
		return;
	if (cli_dev_started(dev_id) == 0) {
		printf("device %s is already stopped\n", cli_dev_name(dev_id));
		return;
	}
	ret = rte_dma_stop(dev_id);
	if (ret < 0) {
		cli_err("stop %s failed: %s", cli_dev_name(dev_id),
			strerror(-ret));
		return;
	}
	printf("device %s stopped\n", cli_dev_name(dev_id));
}

static cmdline_parse_token_string_t cmd_stop_word =
	TOKEN_STRING_INITIALIZER(struct cmd_dev_result, word, "stop");

static cmdline_parse_inst_t cmd_stop = {
	.f = cmd_stop_parsed,
	.help_str = "stop <dev>: stop a device",
	.tokens = { (void *)&cmd_stop_word, (void *)&cmd_dev_arg, NULL },
};

static void
cmd_close_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_dev_result *r = res;
	char name[CLI_DEV_ARG_LEN];
	int dev_id, ret;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	dev_id = cli_dev_lookup(r->dev);
	if (dev_id < 0 || cli_dev_check_stopped(dev_id) < 0)
		return;
	/* The name lives in the device data that close releases. */
	snprintf(name, sizeof(name), "%s", cli_dev_name(dev_id));
	ret = rte_dma_close(dev_id);
	if (ret < 0) {
		cli_err("close %s failed: %s", name, strerror(-ret));
		return;
	}
	cli_dev_state_reset(dev_id, 0);
	printf("device %s closed\n", name);
}

static cmdline_parse_token_string_t cmd_close_word =
	TOKEN_STRING_INITIALIZER(struct cmd_dev_result, word, "close");

static cmdline_parse_inst_t cmd_close = {
	.f = cmd_close_parsed,
	.help_str = "close <dev>: close a stopped device (it disappears from list)",
	.tokens = { (void *)&cmd_close_word, (void *)&cmd_dev_arg, NULL },
};

static void
cmd_dump_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_dev_result *r = res;
	int dev_id, ret;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	dev_id = cli_dev_lookup(r->dev);
	if (dev_id < 0)
		return;
	fflush(stdout);
	ret = rte_dma_dump(dev_id, stdout);
	fflush(stdout);
	if (ret < 0)
		cli_err("dump %s failed: %s", cli_dev_name(dev_id),
			strerror(-ret));
}

static cmdline_parse_token_string_t cmd_dump_word =
	TOKEN_STRING_INITIALIZER(struct cmd_dev_result, word, "dump");

static cmdline_parse_inst_t cmd_dump = {
	.f = cmd_dump_parsed,
	.help_str = "dump <dev>: rte_dma_dump() of a device",
	.tokens = { (void *)&cmd_dump_word, (void *)&cmd_dev_arg, NULL },
};

/* ---- show device <dev> ---- */

struct cmd_show_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t device;
	cli_dev_arg_t dev;
};

static void
cmd_show_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_show_result *r = res;
	struct rte_dma_info info;
	int dev_id;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	dev_id = cli_dev_lookup(r->dev);
	if (dev_id < 0)
		return;
	if (rte_dma_info_get(dev_id, &info) != 0) {
		cli_err("cannot query device %s", r->dev);
		return;
	}
	printf("device %d: %s\n", dev_id, info.dev_name);
	printf("  driver         %s\n",
		cli_dev_is_idxp(dev_id) ? "idxp" : "other (not idxp)");
	printf("  state          %s\n", state_name(dev_id));
	if (info.numa_node < 0)
		printf("  numa node      unknown\n");
	else
		printf("  numa node      %d\n", info.numa_node);
	capa_print(info.dev_capa);
	printf("  vchans         %u configured, max %u\n", info.nb_vchans,
		info.max_vchans);
	printf("  descriptors    min %u, max %u per vchan\n", info.min_desc,
		info.max_desc);
	printf("  max sges       %u\n", info.max_sges);
	devargs_print(info.dev_name);
	vchans_print(dev_id, info.nb_vchans);
}

static cmdline_parse_token_string_t cmd_show_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_result, show, "show");
static cmdline_parse_token_string_t cmd_show_device =
	TOKEN_STRING_INITIALIZER(struct cmd_show_result, device, "device");
static struct cli_token_dev cmd_show_dev =
	CLI_TOKEN_DEV_INITIALIZER(struct cmd_show_result, dev);

static cmdline_parse_inst_t cmd_show = {
	.f = cmd_show_parsed,
	.help_str = "show device <dev>: capabilities, vchans, state, numa node, devargs",
	.tokens = { (void *)&cmd_show_show, (void *)&cmd_show_device,
		    (void *)&cmd_show_dev, NULL },
};

/* ---- configure <dev> <nb_vchans> ---- */

struct cmd_configure_result {
	cmdline_fixed_string_t configure;
	cli_dev_arg_t dev;
	uint16_t nb_vchans;
};

static int
configure_check(int16_t dev_id, uint16_t nb_vchans)
{
	struct rte_dma_info info;

	if (cli_dev_check_stopped(dev_id) < 0)
		return -1;
	if (rte_dma_info_get(dev_id, &info) != 0) {
		cli_err("cannot query device %s", cli_dev_name(dev_id));
		return -1;
	}
	if (nb_vchans == 0 || nb_vchans > info.max_vchans) {
		cli_err("bad nb_vchans %u: device %s supports 1..%u",
			nb_vchans, info.dev_name, info.max_vchans);
		return -1;
	}
	return 0;
}

static void
cmd_configure_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_configure_result *r = res;
	struct rte_dma_conf conf = { .nb_vchans = r->nb_vchans };
	int dev_id, ret;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	dev_id = cli_dev_lookup(r->dev);
	if (dev_id < 0 || configure_check(dev_id, r->nb_vchans) < 0)
		return;
	ret = rte_dma_configure(dev_id, &conf);
	if (ret < 0) {
		cli_err("configure %s failed: %s", cli_dev_name(dev_id),
			strerror(-ret));
		return;
	}
	/* Reconfiguring drops every vchan: they must be set up again. */
	if (cli_dev_state_reset(dev_id, r->nb_vchans) < 0) {
		cli_err("out of memory");
		return;
	}
	printf("device %s configured with %u vchan(s)\n",
		cli_dev_name(dev_id), r->nb_vchans);
}

static cmdline_parse_token_string_t cmd_configure_word =
	TOKEN_STRING_INITIALIZER(struct cmd_configure_result, configure,
		"configure");
static struct cli_token_dev cmd_configure_dev =
	CLI_TOKEN_DEV_INITIALIZER(struct cmd_configure_result, dev);
static cmdline_parse_token_num_t cmd_configure_nb =
	TOKEN_NUM_INITIALIZER(struct cmd_configure_result, nb_vchans,
		RTE_UINT16);

static cmdline_parse_inst_t cmd_configure = {
	.f = cmd_configure_parsed,
	.help_str = "configure <dev> <nb_vchans>: configure a stopped device",
	.tokens = { (void *)&cmd_configure_word, (void *)&cmd_configure_dev,
		    (void *)&cmd_configure_nb, NULL },
};

/* ---- vchan setup <dev> <vchan> <nb_desc> ---- */

struct cmd_vchan_result {
	cmdline_fixed_string_t vchan_word;
	cmdline_fixed_string_t setup;
	cli_dev_arg_t dev;
	uint16_t vchan;
	uint16_t nb_desc;
};

static int
vchan_setup_check(int16_t dev_id, uint16_t vchan, uint16_t nb_desc)
{
	struct rte_dma_info info;

	if (cli_dev_check_stopped(dev_id) < 0 ||
			cli_dev_check_vchan(dev_id, vchan) < 0)
		return -1;
	if (rte_dma_info_get(dev_id, &info) != 0) {
		cli_err("cannot query device %s", cli_dev_name(dev_id));
		return -1;
	}
	if (!(info.dev_capa & RTE_DMA_CAPA_MEM_TO_MEM)) {
		cli_err("device %s cannot copy memory to memory", info.dev_name);
		return -1;
	}
	if (nb_desc < info.min_desc || nb_desc > info.max_desc) {
		cli_err("bad nb_desc %u: device %s takes %u..%u",
			nb_desc, info.dev_name, info.min_desc, info.max_desc);
		return -1;
	}
	return 0;
}

static void
cmd_vchan_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_vchan_result *r = res;
	struct rte_dma_vchan_conf conf = {
		.direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = r->nb_desc,
	};
	struct cli_vchan *vs;
	int dev_id, ret;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	dev_id = cli_dev_lookup(r->dev);
	if (dev_id < 0 || vchan_setup_check(dev_id, r->vchan, r->nb_desc) < 0)
		return;
	ret = rte_dma_vchan_setup(dev_id, r->vchan, &conf);
	if (ret < 0) {
		cli_err("vchan setup %s %u failed: %s", cli_dev_name(dev_id),
			r->vchan, strerror(-ret));
		return;
	}
	vs = cli_vchan_state(dev_id, r->vchan);
	if (vs != NULL)
		*vs = (struct cli_vchan){ .nb_desc = r->nb_desc };
	printf("device %s vchan %u set up with %u descriptors\n",
		cli_dev_name(dev_id), r->vchan, r->nb_desc);
}

static cmdline_parse_token_string_t cmd_vchan_word =
	TOKEN_STRING_INITIALIZER(struct cmd_vchan_result, vchan_word, "vchan");
static cmdline_parse_token_string_t cmd_vchan_setup_word =
	TOKEN_STRING_INITIALIZER(struct cmd_vchan_result, setup, "setup");
static struct cli_token_dev cmd_vchan_dev =
	CLI_TOKEN_DEV_INITIALIZER(struct cmd_vchan_result, dev);
static cmdline_parse_token_num_t cmd_vchan_id =
	TOKEN_NUM_INITIALIZER(struct cmd_vchan_result, vchan, RTE_UINT16);
static cmdline_parse_token_num_t cmd_vchan_nb_desc =
	TOKEN_NUM_INITIALIZER(struct cmd_vchan_result, nb_desc, RTE_UINT16);

static cmdline_parse_inst_t cmd_vchan_setup = {
	.f = cmd_vchan_parsed,
	.help_str = "vchan setup <dev> <vchan> <nb_desc>: set up a mem-to-mem vchan of a stopped, configured device",
	.tokens = { (void *)&cmd_vchan_word, (void *)&cmd_vchan_setup_word,
		    (void *)&cmd_vchan_dev, (void *)&cmd_vchan_id,
		    (void *)&cmd_vchan_nb_desc, NULL },
};

/* ---- stats show|reset <dev> [vchan] ---- */

struct cmd_stats_result {
	cmdline_fixed_string_t stats;
	cmdline_fixed_string_t action;
	cli_dev_arg_t dev;
	uint16_t vchan;
};

#define IDXP_STAT(f) { #f, offsetof(struct rte_pmd_idxp_stats, f) }

static const struct {
	const char *name;
	size_t off;
} idxp_stat_fields[] = {
	IDXP_STAT(faults), IDXP_STAT(page_requests), IDXP_STAT(page_responses),
	IDXP_STAT(page_responses_invalid), IDXP_STAT(evl_entries),
	IDXP_STAT(evl_overflows), IDXP_STAT(cr_faults), IDXP_STAT(sw_errors),
	IDXP_STAT(halts), IDXP_STAT(resets), IDXP_STAT(reset_failures),
	IDXP_STAT(aborted_ops), IDXP_STAT(misc_interrupts),
	IDXP_STAT(wq_interrupts), IDXP_STAT(wakeups), IDXP_STAT(portal_writes),
	IDXP_STAT(engine_sleeps), IDXP_STAT(injected), IDXP_STAT(handle_revokes),
};

static void
idxp_stats_print(int16_t dev_id)
{
	struct rte_pmd_idxp_stats st;
	unsigned int i;
	int ret;

	ret = rte_pmd_idxp_stats_get(dev_id, &st);
	if (ret < 0) {
		cli_err("idxp counters of %s: %s", cli_dev_name(dev_id),
			strerror(-ret));
		return;
	}
	printf("  idxp counters (device-wide):\n");
	for (i = 0; i < RTE_DIM(idxp_stat_fields); i++)
		printf("    %-24s %" PRIu64 "\n", idxp_stat_fields[i].name,
			*(const uint64_t *)((const char *)&st +
				idxp_stat_fields[i].off));
}

static void
stats_show(int16_t dev_id, uint16_t vchan)
{
	struct rte_dma_stats st;
	int ret;

	ret = rte_dma_stats_get(dev_id, vchan, &st);
	if (ret < 0) {
		cli_err("stats of %s: %s", cli_dev_name(dev_id), strerror(-ret));
		return;
	}
	if (vchan == RTE_DMA_ALL_VCHAN)
		printf("stats of %s, all vchans:\n", cli_dev_name(dev_id));
	else
		printf("stats of %s, vchan %u:\n", cli_dev_name(dev_id), vchan);
	printf("  submitted      %" PRIu64 "\n", st.submitted);
	printf("  completed      %" PRIu64 "\n", st.completed);
	printf("  errors         %" PRIu64 "\n", st.errors);
	if (cli_dev_is_idxp(dev_id))
		idxp_stats_print(dev_id);
}

static void
stats_reset(int16_t dev_id, uint16_t vchan)
{
	int ret;

	ret = rte_dma_stats_reset(dev_id, vchan);
	if (ret < 0) {
		cli_err("stats reset of %s: %s", cli_dev_name(dev_id),
			strerror(-ret));
		return;
	}
	/* The idxp counters are device-wide: only a device reset clears them. */
	if (vchan == RTE_DMA_ALL_VCHAN && cli_dev_is_idxp(dev_id)) {
		ret = rte_pmd_idxp_stats_reset(dev_id);
		if (ret < 0) {
			cli_err("idxp counters reset of %s: %s",
				cli_dev_name(dev_id), strerror(-ret));
			return;
		}
	}
	printf("stats of %s reset\n", cli_dev_name(dev_id));
}

static void
stats_do(struct cmd_stats_result *r, bool all)
{
	uint16_t vchan = all ? RTE_DMA_ALL_VCHAN : r->vchan;
	int dev_id;

	dev_id = cli_dev_lookup(r->dev);
	if (dev_id < 0)
		return;
	if (!all && cli_dev_check_vchan(dev_id, vchan) < 0)
		return;
	if (strcmp(r->action, "show") == 0)
		stats_show(dev_id, vchan);
	else
		stats_reset(dev_id, vchan);
}

static void
cmd_stats_all_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	stats_do(res, true);
}

static void
cmd_stats_vchan_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	stats_do(res, false);
}

static cmdline_parse_token_string_t cmd_stats_word =
	TOKEN_STRING_INITIALIZER(struct cmd_stats_result, stats, "stats");
static cmdline_parse_token_string_t cmd_stats_action =
	TOKEN_STRING_INITIALIZER(struct cmd_stats_result, action, "show#reset");
static struct cli_token_dev cmd_stats_dev =
	CLI_TOKEN_DEV_INITIALIZER(struct cmd_stats_result, dev);
static cmdline_parse_token_num_t cmd_stats_vchan =
	TOKEN_NUM_INITIALIZER(struct cmd_stats_result, vchan, RTE_UINT16);

static cmdline_parse_inst_t cmd_stats_all = {
	.f = cmd_stats_all_parsed,
	.help_str = "stats show|reset <dev>: rte_dma_stats of all vchans, plus the idxp counters on idxp devices",
	.tokens = { (void *)&cmd_stats_word, (void *)&cmd_stats_action,
		    (void *)&cmd_stats_dev, NULL },
};

static cmdline_parse_inst_t cmd_stats_vchan_inst = {
	.f = cmd_stats_vchan_parsed,
	.help_str = "stats show|reset <dev> <vchan>: rte_dma_stats of one vchan (reset leaves the device-wide idxp counters)",
	.tokens = { (void *)&cmd_stats_word, (void *)&cmd_stats_action,
		    (void *)&cmd_stats_dev, (void *)&cmd_stats_vchan, NULL },
};

cmdline_parse_inst_t *cli_dev_cmds[] = {
	&cmd_help,
	&cmd_list,
	&cmd_show,
	&cmd_configure,
	&cmd_vchan_setup,
	&cmd_start,
	&cmd_stop,
	&cmd_close,
	&cmd_stats_all,
	&cmd_stats_vchan_inst,
	&cmd_dump,
	&cmd_quit,
	NULL,
};
