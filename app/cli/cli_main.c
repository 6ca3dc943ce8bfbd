/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * idxp-cli: EAL start-up, the prompt, scripted runs and exit status.
 *
 *   idxp-cli [EAL options] -- [--cmdline-file FILE] [--interactive]
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <cmdline_socket.h>

#include "app_util.h"
#include "cli.h"

#define CLI_MAX_CMDS 64

volatile sig_atomic_t cli_stop;
bool cli_interactive;

static cmdline_parse_ctx_t cli_ctx[CLI_MAX_CMDS + 1];

/* Where scripted commands come from, for error messages. */
static const char *cli_src_name;
static unsigned int cli_src_line;

static unsigned int cli_failures;
static bool cli_quitting;

struct cli_opts {
	const char *file;
	bool interactive;
};

/* ---- reporting ---- */

void
cli_err(const char *fmt, ...)
{
	va_list ap;

	/* Keep the error after the command's output when both are a pipe. */
	fflush(stdout);
	if (cli_src_name != NULL)
		fprintf(stderr, "error: %s:%u: ", cli_src_name, cli_src_line);
	else
		fprintf(stderr, "error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (!cli_interactive)
		cli_failures++;
}

/* The usage part of a help_str, up to ": ". */
static int
usage_len(const char *help_str)
{
	const char *sep = strstr(help_str, ": ");

	return sep != NULL ? (int)(sep - help_str) : (int)strlen(help_str);
}

/* help_str is "usage: description"; print them on two lines. */
static void
help_print_one(const char *help_str)
{
	int len = usage_len(help_str);

	if (help_str[len] == '\0')
		printf("  %s\n", help_str);
	else
		printf("  %.*s\n      %s\n", len, help_str, help_str + len + 2);
}

void
cli_help_print(void)
{
	unsigned int i;

	printf("commands (<dev> is a dmadev id or name; TAB completes, ? explains):\n");
	for (i = 0; cli_ctx[i] != NULL; i++)
		help_print_one(cli_ctx[i]->help_str);
}

void
cli_quit(struct cmdline *cl)
{
	cli_quitting = true;
	cmdline_quit(cl);
}

/* The usage of the commands whose first word starts the line. */
static void
usage_print(const char *line)
{
	unsigned int i;

	for (i = 0; cli_ctx[i] != NULL; i++) {
		cmdline_parse_token_hdr_t *tk = cli_ctx[i]->tokens[0];
		const char *h = cli_ctx[i]->help_str;

		if (tk->ops->parse(tk, line, NULL, 0) > 0)
			fprintf(stderr, "  usage: %.*s\n", usage_len(h), h);
	}
}

/* ---- the command table ---- */

static int
ctx_add(unsigned int *n, cmdline_parse_inst_t **cmds)
{
	for (; *cmds != NULL; cmds++) {
		if (*n == CLI_MAX_CMDS)
			return -ENOSPC;
		cli_ctx[(*n)++] = *cmds;
	}
	return 0;
}

static int
ctx_build(void)
{
	unsigned int n = 0;

	if (ctx_add(&n, cli_dev_cmds) < 0 || ctx_add(&n, cli_run_cmds) < 0 ||
			ctx_add(&n, cli_idxp_cmds) < 0)
		return -ENOSPC;
	cli_ctx[n] = NULL;
	return 0;
}

/* ---- scripted runs ---- */

static bool
line_is_blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

static void
script_line(struct cmdline *cl, char *line)
{
	const char *text;
	int ret;

	/* cmdline_parse() wants the end of line it would get from a tty. */
	line[strcspn(line, "\r\n")] = '\0';
	if (line_is_blank(line))
		return;
	printf("%s%s\n", CLI_PROMPT, line);
	strcat(line, "\n");
	ret = cmdline_parse(cl, line);
	text = line + strspn(line, " \t");
	line[strcspn(line, "\n")] = '\0';
	if (ret == CMDLINE_PARSE_NOMATCH) {
		cli_err("unknown command: %s (try 'help')", text);
	} else if (ret == CMDLINE_PARSE_BAD_ARGS) {
		cli_err("bad arguments: %s", text);
		usage_print(text);
	} else if (ret == CMDLINE_PARSE_AMBIGUOUS) {
		cli_err("ambiguous command: %s", text);
	}
	fflush(stdout);
}

static void
script_run(FILE *in, const char *name)
{
	struct cmdline *cl;
	char *line = NULL;
	size_t cap = 0;

	/* No fds: output is ours, and the lines are fed one by one. */
	cl = cmdline_new(cli_ctx, "", -1, -1);
	if (cl == NULL) {
		cli_err("cannot create the command line");
		return;
	}
	cli_src_name = name;
	cli_src_line = 0;
	while (!cli_quitting && getline(&line, &cap, in) >= 0) {
		cli_src_line++;
		/* Room for the newline script_line() appends. */
		if (strlen(line) + 2 > cap) {
			char *bigger = realloc(line, cap + 2);

			if (bigger == NULL)
				break;
			line = bigger;
			cap += 2;
		}
		script_line(cl, line);
		if (cli_stop) {
			cli_err("interrupted");
			break;
		}
	}
	cli_src_name = NULL;
	free(line);
	cmdline_free(cl);
}

static int
script_file(const char *path)
{
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		fprintf(stderr, "error: cannot open %s: %s\n", path,
			strerror(errno));
		cli_failures++;
		return -1;
	}
	script_run(f, path);
	fclose(f);
	return 0;
}

/* ---- the prompt ---- */

static void
interact(void)
{
	struct cmdline *cl;

	cl = cmdline_stdin_new(cli_ctx, CLI_PROMPT);
	if (cl == NULL) {
		fprintf(stderr, "error: cannot create the command line\n");
		cli_failures++;
		return;
	}
	cli_interactive = true;
	cmdline_interact(cl);
	cmdline_stdin_exit(cl);
	cli_interactive = false;
	if (!cli_quitting)
		printf("\n");
}

/* ---- start-up ---- */

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	cli_stop = 1;
}

static void
signals_install(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* No SA_RESTART: a blocking read at the prompt returns and we leave. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void
usage(const char *prog)
{
	printf("usage: %s [EAL options] -- [options]\n"
		"  -f, --cmdline-file FILE  run the commands in FILE, then exit\n"
		"  -i, --interactive        with -f: go on at the prompt after FILE\n"
		"  -h, --help               this text\n"
		"Without -f, commands come from the prompt, or from stdin when it\n"
		"is not a terminal. A script exits 1 if any command failed.\n",
		prog);
}

static int
opt_one(int id, const char *arg, void *ctx)
{
	struct cli_opts *o = ctx;

	if (id == 'f')
		o->file = arg;
	else
		o->interactive = true;
	return 0;
}

static int
opts_parse(int argc, char **argv, struct cli_opts *o)
{
	static const struct app_opt opts[] = {
		{ "-f", true, 'f' }, { "--cmdline-file", true, 'f' },
		{ "-i", false, 'i' }, { "--interactive", false, 'i' },
		{ NULL, false, 0 },
	};

	return app_parse_opts(argc, argv, opts, opt_one, o, usage, NULL, NULL);
}

static void
session(const struct cli_opts *o)
{
	bool tty = isatty(STDIN_FILENO);

	if (o->file != NULL) {
		if (script_file(o->file) < 0)
			return;
		if (o->interactive && tty && !cli_quitting && !cli_stop)
			interact();
	} else if (tty) {
		interact();
	} else {
		script_run(stdin, "stdin");
	}
}

int
main(int argc, char **argv)
{
	struct cli_opts opts = { 0 };
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "cannot init EAL: %s\n",
			rte_strerror(rte_errno));
	argc -= ret;
	argv += ret;
	if (opts_parse(argc, argv, &opts) < 0 || ctx_build() < 0) {
		rte_eal_cleanup();
		return 2;
	}
	/* Line buffering keeps our output in order with cmdline's and EAL's. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	signals_install();
	session(&opts);
	cli_dev_close_all();
	rte_eal_cleanup();
	return cli_failures != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
