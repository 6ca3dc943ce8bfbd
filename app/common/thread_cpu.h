/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_THREAD_CPU_H
#define IDXP_THREAD_CPU_H

/*
 * CPU time of single threads, shared by idxp-intr-bench and
 * idxp-power-copy. Values are nanoseconds of user + system time;
 * negative errno on error.
 */

#include <stdint.h>

#define TCPU_MAX_ENGINES	16

/* The calling thread (getrusage(RUSAGE_THREAD), microsecond resolution). */
int64_t tcpu_self_ns(void);

/* Any thread of this process: /proc/self/task/<tid>/stat utime + stime. */
int64_t tcpu_thread_ns(int tid);

/* The whole process, every thread: /proc/self/stat utime + stime. */
int64_t tcpu_process_ns(void);

/* Sum of tcpu_thread_ns() over @n threads. */
int64_t tcpu_threads_ns(const int *tids, int n);

/* Busy time of every cpu together (/proc/stat), all processes. */
int64_t tcpu_machine_ns(void);

/*
 * Time a thread (0: the caller) spent runnable but waiting for a cpu,
 * from /proc/self/task/<tid>/schedstat: how much other load competed.
 */
int64_t tcpu_runq_ns(int tid);

/*
 * Engine threads ("idxp-eng<k>") of the idxp dmadev @dev_id, in @tids.
 * @return how many were found (> 0), or a negative errno.
 */
int tcpu_idxp_engines(int dev_id, int *tids, int max);

#endif /* IDXP_THREAD_CPU_H */
