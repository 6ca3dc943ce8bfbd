/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * Thread CPU time for the idxp example apps. The engine threads belong to
 * the driver, so they are found by name under /proc/self/task and read
 * from their stat file, like top -H does.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "thread_cpu.h"

#define MAX_TASKS	4096

/* One thread of this process. */
struct task {
	int tid;
	char comm[16];
};

int64_t
tcpu_self_ns(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru) != 0)
		return -errno;
	return ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000 +
		((int64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

static int64_t
ticks_to_ns(unsigned long long ticks)
{
	long hz = sysconf(_SC_CLK_TCK);

	return (int64_t)(ticks * (1000000000ULL / (unsigned long long)hz));
}

/* utime (field 14) + stime (field 15) of a proc stat file. */
static int64_t
stat_cpu_ns(const char *path)
{
	unsigned long long ut, st;
	char buf[1024], *p;
	size_t n;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* comm (field 2) may hold spaces and ')': count from the last ')'. */
	p = strrchr(buf, ')');
	if (p == NULL || sscanf(p + 1,
			" %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			&ut, &st) != 2)
		return -EINVAL;
	return ticks_to_ns(ut + st);
}

int64_t
tcpu_thread_ns(int tid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	return stat_cpu_ns(path);
}

int64_t
tcpu_process_ns(void)
{
	return stat_cpu_ns("/proc/self/stat");
}

int64_t
tcpu_machine_ns(void)
{
	unsigned long long us, ni, sy, id, io, irq, sirq, st;
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (f == NULL)
		return -errno;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
			&us, &ni, &sy, &id, &io, &irq, &sirq, &st);
	fclose(f);
	if (n != 8)
		return -EINVAL;
	/* Everything but idle and iowait; steal is time the host took. */
	return ticks_to_ns(us + ni + sy + irq + sirq + st);
}

int64_t
tcpu_threads_ns(const int *tids, int n)
{
	int64_t sum = 0;
	int i;

	for (i = 0; i < n; i++) {
		int64_t v = tcpu_thread_ns(tids[i]);

		if (v < 0)
			return v;
		sum += v;
	}
	return sum;
}

int64_t
tcpu_runq_ns(int tid)
{
	unsigned long long run, wait;
	char path[64];
	FILE *f;
	int n;

	if (tid == 0)
		tid = (int)syscall(SYS_gettid);
	snprintf(path, sizeof(path), "/proc/self/task/%d/schedstat", tid);
	f = fopen(path, "r");
	if (f == NULL)
		return -errno;
	n = fscanf(f, "%llu %llu", &run, &wait);
	fclose(f);
	return n == 2 ? (int64_t)wait : -EINVAL;
}

static int
read_comm(int tid, char *comm, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", tid);
	f = fopen(path, "r");
	if (f == NULL)
		return -errno;
	if (fgets(comm, (int)len, f) == NULL)
		comm[0] = '\0';
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	return 0;
}

/* Every thread of this process with its name; -errno on error. */
static int
list_tasks(struct task *t, int max)
{
	DIR *dir = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;

	if (dir == NULL)
		return -errno;
	while ((de = readdir(dir)) != NULL && n < max) {
		int tid = atoi(de->d_name);

		/* A thread that exited meanwhile is simply left out. */
		if (tid > 0 && read_comm(tid, t[n].comm, sizeof(t[n].comm)) == 0)
			t[n++].tid = tid;
	}
	closedir(dir);
	return n;
}

static int
find_tid(const struct task *t, int n, const char *comm)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].comm, comm) == 0)
			return t[i].tid;
	return -ENOENT;
}

/*
 * Every idxp device has engines "idxp-eng0".."idxp-eng<n-1>" and a control
 * thread "idxp-ctl<dev_id>"; engine names repeat across devices. Probe
 * creates the engines, in order, just before the control thread, and tids
 * grow, so this device's engines are the idxp-eng threads from the last
 * "idxp-eng0" before its control thread up to that thread.
 */
int
tcpu_idxp_engines(int dev_id, int *tids, int max)
{
	static struct task t[MAX_TASKS];
	char ctl_name[16];
	int i, n, ctl, eng0 = -1, found = 0;

	n = list_tasks(t, MAX_TASKS);
	if (n < 0)
		return n;
	snprintf(ctl_name, sizeof(ctl_name), "idxp-ctl%d", dev_id);
	ctl = find_tid(t, n, ctl_name);
	if (ctl < 0)
		return ctl;
	for (i = 0; i < n; i++)
		if (strcmp(t[i].comm, "idxp-eng0") == 0 && t[i].tid < ctl &&
				t[i].tid > eng0)
			eng0 = t[i].tid;
	if (eng0 < 0)
		return -ENOENT;
	for (i = 0; i < n && found < max; i++)
		if (strncmp(t[i].comm, "idxp-eng", 8) == 0 &&
				t[i].tid >= eng0 && t[i].tid < ctl)
			tids[found++] = t[i].tid;
	return found;
}
