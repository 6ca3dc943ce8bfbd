/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * idxp-dma-perf: runs dpdk-test-dma-perf configuration files.
 *
 * As upstream, each case runs in a forked child with its own rte_eal_init(),
 * so cases can use different EAL arguments and devices. The parent never
 * initialises the EAL: it parses the file, forks, and collects the child's
 * result rows from a pipe to print the table, write the CSV and compare
 * kinds at the end.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "dma_perf.h"

#define DEFAULT_RESULT	"dma-perf-results.csv"
#define EAL_ARGS_MAX	256

struct app {
	const char *prog;
	const char *config;
	const char *result;
	bool ratios;
	bool ratios_asked;
	int progress;			/* -1: when stderr is a terminal */
	enum perf_verify verify;
	bool list_dma;
	bool check_only;
	int eal_argc;			/* EAL arguments of the command line */
	char **eal_argv;
	struct perf_config cfg;
	struct perf_record *recs;
	unsigned int nb_recs;
	unsigned int cap_recs;
};

static volatile sig_atomic_t interrupted;

static void
on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void
usage(const char *prog)
{
	printf("usage: %s --config FILE [options] [EAL options]\n"
		"\n"
		"Runs the cases of a dpdk-test-dma-perf configuration file, each in\n"
		"its own process and EAL: command-line EAL options, then [GLOBAL]\n"
		"eal_args, then the case's eal_args.\n"
		"\n"
		"  --config FILE          configuration file (required)\n"
		"  --result FILE, --csv FILE\n"
		"                         CSV output, overwritten (default ./%s)\n"
		"  --summary-ratios       always print the idxp/skeleton/CPU table\n"
		"  --no-summary-ratios    never print it (default: when idxp ran)\n"
		"  --verify MODE          check copied data: off, sample (default), all\n"
		"  --no-verify            same as --verify off\n"
		"  --progress, --no-progress\n"
		"                         progress line on stderr (default: on a terminal)\n"
		"  --list-dma             list each case's dmadevs and exit\n"
		"  --check                check the file, print the plan and exit\n"
		"  -h, --help             this help\n",
		prog, DEFAULT_RESULT);
}

/* "--name VALUE" or "--name=VALUE": 1 if matched, 0 if not, -1 on error. */
static int
opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "%s: %s needs a value\n", argv[0], name);
		return -1;
	}
	*i += 1;
	*val = argv[*i];
	return 1;
}

static int
parse_verify(const char *prog, const char *v, enum perf_verify *mode)
{
	if (strcmp(v, "off") == 0)
		*mode = PERF_VERIFY_OFF;
	else if (strcmp(v, "sample") == 0)
		*mode = PERF_VERIFY_SAMPLE;
	else if (strcmp(v, "all") == 0)
		*mode = PERF_VERIFY_ALL;
	else {
		fprintf(stderr, "%s: --verify takes off, sample or all, not '%s'\n",
			prog, v);
		return -1;
	}
	return 0;
}

static bool
flag(const char *arg, struct app *app)
{
	if (strcmp(arg, "--summary-ratios") == 0)
		app->ratios = app->ratios_asked = true;
	else if (strcmp(arg, "--no-summary-ratios") == 0)
		app->ratios = false;
	else if (strcmp(arg, "--no-verify") == 0)
		app->verify = PERF_VERIFY_OFF;
	else if (strcmp(arg, "--progress") == 0)
		app->progress = 1;
	else if (strcmp(arg, "--no-progress") == 0)
		app->progress = 0;
	else if (strcmp(arg, "--list-dma") == 0)
		app->list_dma = true;
	else if (strcmp(arg, "--check") == 0)
		app->check_only = true;
	else
		return false;
	return true;
}

/* Our options anywhere on the line; everything else goes to the EAL. */
static int
parse_args(int argc, char **argv, struct app *app)
{
	const char *v;
	int i, r;

	app->eal_argv = calloc(argc + 1, sizeof(char *));
	if (app->eal_argv == NULL)
		return -1;
	app->eal_argv[app->eal_argc++] = argv[0];
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(argv[0]);
			exit(EXIT_SUCCESS);
		}
		if (flag(argv[i], app) || strcmp(argv[i], "--") == 0)
			continue;
		if ((r = opt_value(argc, argv, &i, "--config", &v)) != 0) {
			app->config = v;
		} else if ((r = opt_value(argc, argv, &i, "--result", &v)) != 0 ||
				(r = opt_value(argc, argv, &i, "--csv", &v)) != 0) {
			app->result = v;
		} else if ((r = opt_value(argc, argv, &i, "--verify", &v)) != 0) {
			if (r > 0 && parse_verify(argv[0], v, &app->verify) < 0)
				return -1;
		} else {
			app->eal_argv[app->eal_argc++] = argv[i];
		}
		if (r < 0)
			return -1;
	}
	if (app->config == NULL) {
		fprintf(stderr, "%s: no --config FILE given (see --help)\n", argv[0]);
		return -1;
	}
	return 0;
}

/* ---- EAL arguments of a case ---- */

static int
split_args(char *s, char **argv, int argc)
{
	char *tok, *save = NULL;

	if (s == NULL)
		return argc;
	for (tok = strtok_r(s, " \t", &save); tok != NULL;
			tok = strtok_r(NULL, " \t", &save)) {
		if (argc == EAL_ARGS_MAX)
			return -E2BIG;
		argv[argc++] = tok;
	}
	return argc;
}

/*
 * Command line, then [GLOBAL] eal_args, then the case's eal_args.
 * @store keeps the split strings; argv points into it and app->eal_argv.
 */
static int
case_eal_argv(const struct app *app, const struct perf_case *c, char **argv,
		char **store)
{
	int argc;

	store[0] = app->cfg.eal_args ? strdup(app->cfg.eal_args) : NULL;
	store[1] = c->eal_args ? strdup(c->eal_args) : NULL;
	if ((app->cfg.eal_args && store[0] == NULL) ||
			(c->eal_args && store[1] == NULL))
		return -ENOMEM;
	if (app->eal_argc > EAL_ARGS_MAX)
		return -E2BIG;
	memcpy(argv, app->eal_argv, app->eal_argc * sizeof(*argv));
	argc = split_args(store[0], argv, app->eal_argc);
	if (argc >= 0)
		argc = split_args(store[1], argv, argc);
	if (argc >= 0)
		argv[argc] = NULL;
	return argc;
}

static void
eal_args_text(int argc, char **argv, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 1; i < argc && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i > 1 ? " " : "",
			argv[i]);
}

/* ---- child ---- */

static void
emit_to_pipe(const struct perf_record *rec, void *arg)
{
	int fd = *(int *)arg;
	const char *p = (const char *)rec;
	size_t left = sizeof(*rec);

	while (left > 0) {
		ssize_t n = write(fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		left -= (size_t)n;
	}
}

/* Runs in the forked child; never returns. */
static void __attribute__((noreturn))
child_main(struct app *app, const struct perf_case *c, int fd)
{
	struct perf_run_opts opts = {
		.verify = app->verify,
		.progress = app->progress,
	};
	char *argv[EAL_ARGS_MAX + 1], *copy[EAL_ARGS_MAX + 1], *store[2];
	int argc, ret;

	signal(SIGINT, SIG_DFL);
	/* The parent owns stdout for the table; EAL and errors go to stderr. */
	if (!app->list_dma)
		dup2(STDERR_FILENO, STDOUT_FILENO);
	argc = case_eal_argv(app, c, argv, store);
	if (argc < 0) {
		fprintf(stderr, "%s: eal_args: %s\n", c->name, strerror(-argc));
		exit(EXIT_FAILURE);
	}
	/* rte_eal_init() reorders argv; keep ours for --vdev lookups. */
	memcpy(copy, argv, sizeof(*argv) * (argc + 1));
	ret = rte_eal_init(argc, copy);
	if (ret < 0) {
		fprintf(stderr, "%s: EAL init failed: %s\n", c->name,
			rte_strerror(rte_errno));
		exit(EXIT_FAILURE);
	}
	if (app->list_dma) {
		printf("%s:\n", c->name);
		bench_list_devices();
		ret = 0;
	} else {
		ret = bench_run_case(c, &opts, argc, argv, emit_to_pipe, &fd);
	}
	rte_eal_cleanup();
	exit(ret == -EINTR ? 130 : ret < 0 ? EXIT_FAILURE : EXIT_SUCCESS);
}

/* ---- parent ---- */

static void
record_add(struct app *app, const struct perf_record *rec)
{
	if (app->nb_recs == app->cap_recs) {
		unsigned int cap = app->cap_recs ? app->cap_recs * 2 : 64;
		struct perf_record *r = realloc(app->recs, cap * sizeof(*r));

		if (r == NULL)
			return;
		app->recs = r;
		app->cap_recs = cap;
	}
	app->recs[app->nb_recs++] = *rec;
	output_table_row(rec);
	output_csv_write(rec);
}

static int
records_read(struct app *app, int fd)
{
	struct perf_record rec;
	size_t got = 0;

	for (;;) {
		ssize_t n = read(fd, (char *)&rec + got, sizeof(rec) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return got == 0 ? 0 : -EPROTO;
		got += (size_t)n;
		if (got < sizeof(rec))
			continue;
		got = 0;
		record_add(app, &rec);
	}
}

static int
child_status(const struct perf_case *c, int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 130)
		fprintf(stderr, "%s: interrupted\n", c->name);
	else if (WIFEXITED(status))
		fprintf(stderr, "%s: failed (exit status %d)\n", c->name,
			WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fprintf(stderr, "%s: killed by signal %d (%s)\n", c->name,
			WTERMSIG(status), strsignal(WTERMSIG(status)));
	return -1;
}

static int
case_fork(struct app *app, const struct perf_case *c)
{
	int fds[2], status, ret;
	pid_t pid;

	if (pipe(fds) < 0) {
		fprintf(stderr, "%s: pipe: %s\n", c->name, strerror(errno));
		return -1;
	}
	/* Buffered output would otherwise be printed twice. */
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: fork: %s\n", c->name, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child_main(app, c, fds[1]);
	}
	close(fds[1]);
	ret = records_read(app, fds[0]);
	close(fds[0]);
	if (ret < 0)
		fprintf(stderr, "%s: reading results: %s\n", c->name, strerror(-ret));
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "%s: waitpid: %s\n", c->name, strerror(errno));
			return -1;
		}
	}
	return child_status(c, status) < 0 || ret < 0 ? -1 : 0;
}

static void
case_banner(const struct app *app, const struct perf_case *c)
{
	char *argv[EAL_ARGS_MAX + 1], *store[2] = { NULL, NULL };
	char text[1024];
	int argc;

	argc = case_eal_argv(app, c, argv, store);
	if (argc < 0)
		snprintf(text, sizeof(text), "(too many arguments)");
	else
		eal_args_text(argc, argv, text, sizeof(text));
	output_case_banner(c, text, !app->check_only);
	free(store[0]);
	free(store[1]);
}

static int
run_cases(struct app *app)
{
	unsigned int i, failed = 0;

	for (i = 0; i < app->cfg.nb_cases && !interrupted; i++) {
		const struct perf_case *c = &app->cfg.cases[i];

		if (c->skip) {
			printf("\n%s: skipped (skip=1)\n", c->name);
			continue;
		}
		if (!app->list_dma)
			case_banner(app, c);
		if (app->check_only)
			continue;
		if (case_fork(app, c) < 0)
			failed++;
	}
	if (failed != 0)
		fprintf(stderr, "idxp-dma-perf: %u of %u cases failed\n", failed,
			app->cfg.nb_cases);
	return failed != 0 ? -1 : 0;
}

static void
signals_install(void)
{
	struct sigaction sa = { .sa_handler = on_interrupt };

	/* No SA_RESTART: let the child finish, then stop. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int
main(int argc, char **argv)
{
	struct app app = {
		.prog = argv[0],
		.result = DEFAULT_RESULT,
		.ratios = true,
		.progress = -1,
		.verify = PERF_VERIFY_SAMPLE,
	};
	int ret;

	if (parse_args(argc, argv, &app) < 0 ||
			config_load(app.config, &app.cfg) < 0) {
		free(app.eal_argv);
		return EXIT_FAILURE;
	}
	if (app.progress < 0)
		app.progress = isatty(STDERR_FILENO);
	if (!app.check_only && !app.list_dma &&
			output_csv_open(app.result) < 0) {
		config_free(&app.cfg);
		free(app.eal_argv);
		return EXIT_FAILURE;
	}
	signals_install();
	ret = run_cases(&app);
	output_csv_close();
	if (!app.check_only && !app.list_dma) {
		if (app.ratios)
			output_ratios(app.recs, app.nb_recs, app.ratios_asked);
		printf("\nresults: %s\n", app.result);
	}
	config_free(&app.cfg);
	free(app.recs);
	free(app.eal_argv);
	if (interrupted)
		return 130;
	return ret < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
