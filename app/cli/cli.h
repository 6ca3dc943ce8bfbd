/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_CLI_H
#define IDXP_CLI_H

/*
 * Shared declarations of idxp-cli, an interactive dmadev tool built on
 * DPDK's cmdline library (in the manner of testpmd).
 */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <cmdline.h>
#include <cmdline_parse.h>

#define CLI_PROMPT "idxp> "

/* Room for a device argument: an id or a dmadev name. */
#define CLI_DEV_ARG_LEN 64

/* ---- reporting (cli_main.c) ---- */

/*
 * Report a failed command on stderr and remember the failure, so that a
 * scripted run exits non-zero. Every command error goes through here.
 */
void cli_err(const char *fmt, ...) __rte_format_printf(1, 2);

/* Set by SIGINT/SIGTERM: ends a run, and a script after its command. */
extern volatile sig_atomic_t cli_stop;

/* True while commands are read from a terminal (not a script). */
extern bool cli_interactive;

/* Print the help line of every command. */
void cli_help_print(void);

/* End the session after the current command. */
void cli_quit(struct cmdline *cl);

/* ---- command tables, NULL-terminated, one per module ---- */

extern cmdline_parse_inst_t *cli_dev_cmds[];
extern cmdline_parse_inst_t *cli_idxp_cmds[];
extern cmdline_parse_inst_t *cli_run_cmds[];

/* ---- device argument token (cli_dev.c) ---- */

/*
 * Accepts any word, so that an unknown device reaches the command and
 * gets a clear message instead of cmdline's "Bad arguments"; completes
 * with the names of the dmadevs.
 */
struct cli_token_dev {
	struct cmdline_token_hdr hdr;
};

extern struct cmdline_token_ops cli_token_dev_ops;

#define CLI_TOKEN_DEV_INITIALIZER(structure, field) \
	{ .hdr = { .ops = &cli_token_dev_ops, \
		   .offset = offsetof(structure, field) } }

typedef char cli_dev_arg_t[CLI_DEV_ARG_LEN];

/* ---- devices and what the tool knows about them (cli_dev.c) ---- */

enum cli_wait_mode {
	CLI_WAIT_POLL,
	CLI_WAIT_INTR,
};

/* Per-vchan state the dmadev API does not report back. */
struct cli_vchan {
	uint16_t nb_desc;	/* 0: not set up by this tool */
	enum cli_wait_mode wait;
	bool dirty;		/* an aborted run left ops in flight */
};

/* Resolve an id or a name; reports "unknown device" and returns -1. */
int cli_dev_lookup(const char *arg);

/* Device name for messages; never NULL. */
const char *cli_dev_name(int16_t dev_id);

/* Whether the idxp driver drives the device. */
bool cli_dev_is_idxp(int16_t dev_id);

/* 1 started, 0 stopped, negative errno if it cannot be told. */
int cli_dev_started(int16_t dev_id);

/* Configured vchans (0 if not configured or on error). */
uint16_t cli_dev_nb_vchans(int16_t dev_id);

/* Checks that report why they fail (through cli_err) and return -1. */
int cli_dev_check_vchan(int16_t dev_id, uint16_t vchan);
int cli_dev_check_started(int16_t dev_id);
int cli_dev_check_stopped(int16_t dev_id);
int cli_dev_check_idxp(int16_t dev_id);

/* Tool state of a vchan, NULL if the device has no such vchan. */
struct cli_vchan *cli_vchan_state(int16_t dev_id, uint16_t vchan);

/* Forget the vchans of a device (reconfigured or closed). */
int cli_dev_state_reset(int16_t dev_id, uint16_t nb_vchans);

/* Stop and close every device, for a clean exit. */
void cli_dev_close_all(void);

#endif /* IDXP_CLI_H */
