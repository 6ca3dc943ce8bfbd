/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/* Commands for the idxp driver-specific API (rte_pmd_idxp.h). */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_dmadev.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>

#include <idxp_hw_defs.h>
#include <rte_pmd_idxp.h>

#include "cli.h"

#define EVENTS_DEFAULT 16
#define EVENTS_MAX 1024

/* The idxp API's errnos, in the user's terms. */
static const char *
idxp_strerror(int ret)
{
	switch (ret) {
	case -ENODEV:
		return "not an idxp device";
	case -EINVAL:
		return "bad vchan or argument";
	case -EBUSY:
		return "device not started";
	case -EIO:
		return "device halted and not recovered";
	default:
		return strerror(-ret);
	}
}

/* ---- wait mode <dev> <vchan> poll|intr ---- */

struct cmd_wait_result {
	cmdline_fixed_string_t wait;
	cmdline_fixed_string_t mode;
	cli_dev_arg_t dev;
	uint16_t vchan;
	cmdline_fixed_string_t how;
};

static void
cmd_wait_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_wait_result *r = res;
	struct cli_vchan *vs;
	int dev_id, ret;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	dev_id = cli_dev_lookup(r->dev);
	if (dev_id < 0 || cli_dev_check_idxp(dev_id) < 0 ||
			cli_dev_check_vchan(dev_id, r->vchan) < 0)
		return;
	vs = cli_vchan_state(dev_id, r->vchan);
	if (vs == NULL || vs->nb_desc == 0) {
		cli_err("vchan %u of %s is not set up (use: vchan setup %s %u <nb_desc>)",
			r->vchan, cli_dev_name(dev_id), cli_dev_name(dev_id),
			r->vchan);
		return;
	}
	if (strcmp(r->how, "intr") == 0) {
		vs->wait = CLI_WAIT_INTR;
	} else {
		/* A timed-out wait may leave the interrupt armed. */
		ret = rte_pmd_idxp_intr_disarm(dev_id, r->vchan);
		if (ret < 0 && ret != -EBUSY) {
			cli_err("disarm %s vchan %u: %s", cli_dev_name(dev_id),
				r->vchan, idxp_strerror(ret));
			return;
		}
		vs->wait = CLI_WAIT_POLL;
	}
	printf("device %s vchan %u: run waits by %s\n", cli_dev_name(dev_id),
		r->vchan, vs->wait == CLI_WAIT_INTR ?
		"interrupt (rte_pmd_idxp_wait)" : "polling");
}

static cmdline_parse_token_string_t cmd_wait_word =
	TOKEN_STRING_INITIALIZER(struct cmd_wait_result, wait, "wait");
static cmdline_parse_token_string_t cmd_wait_mode =
	TOKEN_STRING_INITIALIZER(struct cmd_wait_result, mode, "mode");
static struct cli_token_dev cmd_wait_dev =
	CLI_TOKEN_DEV_INITIALIZER(struct cmd_wait_result, dev);
static cmdline_parse_token_num_t cmd_wait_vchan =
	TOKEN_NUM_INITIALIZER(struct cmd_wait_result, vchan, RTE_UINT16);
static cmdline_parse_token_string_t cmd_wait_how =
	TOKEN_STRING_INITIALIZER(struct cmd_wait_result, how, "poll#intr");

static cmdline_parse_inst_t cmd_wait = {
	.f = cmd_wait_parsed,
	.help_str = "wait mode <dev> <vchan> poll|intr: how run waits for completions on an idxp vchan",
	.tokens = { (void *)&cmd_wait_word, (void *)&cmd_wait_mode,
		    (void *)&cmd_wait_dev, (void *)&cmd_wait_vchan,
		    (void *)&cmd_wait_how, NULL },
};

/* ---- inject <dev> <vchan> <fault> <count> ---- */

struct cmd_inject_result {
	cmdline_fixed_string_t inject;
	cli_dev_arg_t dev;
	uint16_t vchan;
	cmdline_fixed_string_t fault;
	uint32_t count;
};

static void
cmd_inject_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_inject_result *r = res;
	enum rte_pmd_idxp_fault kind;
	int dev_id, ret;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	dev_id = cli_dev_lookup(r->dev);
	if (dev_id < 0 || cli_dev_check_idxp(dev_id) < 0)
		return;
	if (rte_pmd_idxp_fault_from_str(r->fault, &kind) < 0) {
		cli_err("unknown fault '%s' (src, dst, comp, page_req, halt)",
			r->fault);
		return;
	}
	/* A halt takes the whole device; its vchan is not looked at. */
	if (kind != RTE_PMD_IDXP_FAULT_HALT &&
			cli_dev_check_vchan(dev_id, r->vchan) < 0)
		return;
	if (kind != RTE_PMD_IDXP_FAULT_HALT && r->count == 0) {
		cli_err("bad count 0: inject at least one fault");
		return;
	}
	ret = rte_pmd_idxp_inject(dev_id, r->vchan, kind, r->count);
	if (ret < 0) {
		cli_err("inject %s on %s vchan %u: %s", r->fault,
			cli_dev_name(dev_id), r->vchan, idxp_strerror(ret));
		return;
	}
	if (kind == RTE_PMD_IDXP_FAULT_HALT)
		printf("device %s: halt injected\n", cli_dev_name(dev_id));
	else
		printf("device %s vchan %u: %u %s fault(s) armed for the next ops\n",
			cli_dev_name(dev_id), r->vchan, r->count, r->fault);
}

static cmdline_parse_token_string_t cmd_inject_word =
	TOKEN_STRING_INITIALIZER(struct cmd_inject_result, inject, "inject");
static struct cli_token_dev cmd_inject_dev =
	CLI_TOKEN_DEV_INITIALIZER(struct cmd_inject_result, dev);
static cmdline_parse_token_num_t cmd_inject_vchan =
	TOKEN_NUM_INITIALIZER(struct cmd_inject_result, vchan, RTE_UINT16);
static cmdline_parse_token_string_t cmd_inject_fault =
	TOKEN_STRING_INITIALIZER(struct cmd_inject_result, fault,
		"src#dst#comp#page_req#halt");
static cmdline_parse_token_num_t cmd_inject_count =
	TOKEN_NUM_INITIALIZER(struct cmd_inject_result, count, RTE_UINT32);

static cmdline_parse_inst_t cmd_inject = {
	.f = cmd_inject_parsed,
	.help_str = "inject <dev> <vchan> src|dst|comp|page_req|halt <count>: arm faults for the next ops of an idxp vchan (halt: whole device)",
	.tokens = { (void *)&cmd_inject_word, (void *)&cmd_inject_dev,
		    (void *)&cmd_inject_vchan, (void *)&cmd_inject_fault,
		    (void *)&cmd_inject_count, NULL },
};

/* ---- events <dev> [n] ---- */

static const char *
event_type_name(uint8_t type)
{
	static const char *const names[] = {
		[1] = "page_request", [2] = "fault", [3] = "cr_fault",
		[4] = "sw_error", [5] = "halt", [6] = "handles_revoked",
	};

	if (type < RTE_DIM(names) && names[type] != NULL)
		return names[type];
	return "unknown";
}

static const char *
event_opcode_name(uint8_t op)
{
	switch (op) {
	case IDXP_OP_NOP: return "nop";
	case IDXP_OP_BATCH: return "batch";
	case IDXP_OP_DRAIN: return "drain";
	case IDXP_OP_MEMMOVE: return "memmove";
	case IDXP_OP_FILL: return "fill";
	case IDXP_OP_COMPARE: return "compare";
	case IDXP_OP_CRCGEN: return "crcgen";
	case IDXP_OP_MEMMOVE_SG: return "memmove_sg";
	default: return "?";
	}
}

static const char *
event_status_name(uint8_t status)
{
	switch (status & IDXP_COMP_STATUS_MASK) {
	case IDXP_COMP_NONE: return "none";
	case IDXP_COMP_SUCCESS: return "success";
	case IDXP_COMP_SUCCESS_PRED: return "success_pred";
	case IDXP_COMP_PAGE_FAULT_NOBOF: return "page_fault_nobof";
	case IDXP_COMP_PAGE_FAULT_IR: return "page_fault_ir";
	case IDXP_COMP_BATCH_FAIL: return "batch_fail";
	case IDXP_COMP_BATCH_PAGE_FAULT: return "batch_page_fault";
	case IDXP_COMP_BAD_OPCODE: return "bad_opcode";
	case IDXP_COMP_INVALID_FLAGS: return "invalid_flags";
	case IDXP_COMP_NONZERO_RESERVED: return "nonzero_reserved";
	case IDXP_COMP_XFER_ERANGE: return "xfer_erange";
	case IDXP_COMP_DESC_CNT_ERANGE: return "desc_cnt_erange";
	case IDXP_COMP_OVERLAP_BUFFERS: return "overlap_buffers";
	case IDXP_COMP_CRA_XLAT: return "cra_xlat";
	case IDXP_COMP_CRA_ALIGN: return "cra_align";
	case IDXP_COMP_DESCLIST_ALIGN: return "desclist_align";
	case IDXP_COMP_INT_HANDLE_INVAL: return "int_handle_inval";
	case IDXP_COMP_HW_ERR1: return "hw_err1";
	default: return "?";
	}
}

static const char *
event_response_name(const struct rte_pmd_idxp_event *ev)
{
	if (ev->type != 1)
		return "-";
	return ev->response == 0 ? "success" : "invalid";
}

static void
event_print(const struct rte_pmd_idxp_event *ev)
{
	printf("%-8" PRIu64 " %-12s %-5u %-10s %-16s(0x%02x) 0x%-16" PRIx64
		" %-10u %-5s %s\n",
		ev->seq, event_type_name(ev->type), ev->vchan,
		event_opcode_name(ev->opcode), event_status_name(ev->status),
		ev->status, ev->fault_addr, ev->bytes_completed,
		ev->write ? "write" : "read", event_response_name(ev));
}

struct cmd_events_result {
	cmdline_fixed_string_t events;
	cli_dev_arg_t dev;
	uint16_t n;
};

static void
events_show(const char *arg, unsigned int n)
{
	struct rte_pmd_idxp_event *ev;
	int dev_id, i, got;

	dev_id = cli_dev_lookup(arg);
	if (dev_id < 0 || cli_dev_check_idxp(dev_id) < 0)
		return;
	if (n == 0 || n > EVENTS_MAX) {
		cli_err("bad event count %u: 1..%u", n, EVENTS_MAX);
		return;
	}
	ev = calloc(n, sizeof(*ev));
	if (ev == NULL) {
		cli_err("out of memory");
		return;
	}
	got = rte_pmd_idxp_events_get(dev_id, ev, n);
	if (got < 0) {
		cli_err("events of %s: %s", cli_dev_name(dev_id),
			idxp_strerror(got));
		free(ev);
		return;
	}
	printf("events of %s: %d (newest last)\n", cli_dev_name(dev_id), got);
	if (got > 0)
		printf("%-8s %-12s %-5s %-10s %-22s %-18s %-10s %-5s %s\n",
			"seq", "type", "vchan", "opcode", "status",
			"fault_addr", "bytes", "access", "response");
	for (i = 0; i < got; i++)
		event_print(&ev[i]);
	free(ev);
}

static void
cmd_events_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_events_result *r = res;

	RTE_SET_USED(cl);
	events_show(r->dev, data != NULL ? r->n : EVENTS_DEFAULT);
}

static cmdline_parse_token_string_t cmd_events_word =
	TOKEN_STRING_INITIALIZER(struct cmd_events_result, events, "events");
static struct cli_token_dev cmd_events_dev =
	CLI_TOKEN_DEV_INITIALIZER(struct cmd_events_result, dev);
static cmdline_parse_token_num_t cmd_events_n =
	TOKEN_NUM_INITIALIZER(struct cmd_events_result, n, RTE_UINT16);

static cmdline_parse_inst_t cmd_events = {
	.f = cmd_events_parsed,
	.data = NULL,
	.help_str = "events <dev>: the 16 newest events the idxp control thread serviced",
	.tokens = { (void *)&cmd_events_word, (void *)&cmd_events_dev, NULL },
};

static cmdline_parse_inst_t cmd_events_n_inst = {
	.f = cmd_events_parsed,
	.data = (void *)1,	/* n was given */
	.help_str = "events <dev> <n>: the n newest idxp events (1..1024)",
	.tokens = { (void *)&cmd_events_word, (void *)&cmd_events_dev,
		    (void *)&cmd_events_n, NULL },
};

cmdline_parse_inst_t *cli_idxp_cmds[] = {
	&cmd_wait,
	&cmd_inject,
	&cmd_events,
	&cmd_events_n_inst,
	NULL,
};
