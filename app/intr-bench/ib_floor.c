/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * This machine's floor for a sleeping round trip: an eventfd ping-pong
 * between two idle threads, the main lcore and a peer pinned to the
 * engine's core, at the low-rate run's pace. Each sample is two wakes
 * (peer, then main), as a sleeping engine and a sleeping application
 * cost the interrupt mode; nothing of idxp runs meanwhile.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <rte_common.h>
#include <rte_cycles.h>

#include "intr_bench.h"

struct peer {
	int ping;		/* main -> peer */
	int pong;		/* peer -> main */
	int cpu;
};

static void *
peer_main(void *arg)
{
	const struct peer *p = arg;
	cpu_set_t set;
	uint64_t v;

	CPU_ZERO(&set);
	CPU_SET(p->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	/* A blocking read: the peer sleeps until pinged. Value 2 ends it. */
	while (read(p->ping, &v, sizeof(v)) == sizeof(v) && v == 1)
		if (write(p->pong, &v, sizeof(v)) != sizeof(v))
			break;
	return NULL;
}

static uint64_t
tsc_after_us(uint64_t tsc, uint64_t us)
{
	return tsc + rte_get_tsc_hz() / 1000000 * us;
}

static int
ping_pong(const struct peer *p, const struct ib_opts *o, struct ib_lat *lat)
{
	uint64_t period_us = 1000000 / RTE_MAX(o->rate, 1u);
	uint64_t next = rte_rdtsc(), end = next + (uint64_t)(o->seconds * rte_get_tsc_hz());
	uint64_t one = 1, v;

	while (next < end && !ib_quit) {
		uint64_t t0;

		ib_sleep_until(next);
		next = tsc_after_us(next, period_us);
		t0 = rte_rdtsc();
		if (write(p->ping, &one, sizeof(one)) != sizeof(one) ||
				read(p->pong, &v, sizeof(v)) != sizeof(v))
			return -EIO;
		if (lat->n < lat->cap)
			lat->v[lat->n++] = rte_rdtsc() - t0;
	}
	return 0;
}

int
ib_floor_run(const struct ib_opts *o, struct ib_lat *lat)
{
	struct peer p = { .cpu = o->engine_core };
	uint64_t two = 2;
	pthread_t t;
	int ret;

	if (ib_lat_init(lat, (uint32_t)(o->rate * o->seconds) + 1024) < 0)
		return -ENOMEM;
	p.ping = eventfd(0, EFD_CLOEXEC);
	p.pong = eventfd(0, EFD_CLOEXEC);
	ret = p.ping < 0 || p.pong < 0 ? -errno : 0;
	if (ret == 0 && pthread_create(&t, NULL, peer_main, &p) != 0)
		ret = -EAGAIN;
	if (ret == 0) {
		ret = ping_pong(&p, o, lat);
		if (write(p.ping, &two, sizeof(two)) != sizeof(two))
			ret = -EIO;
		pthread_join(t, NULL);
	}
	if (p.ping >= 0)
		close(p.ping);
	if (p.pong >= 0)
		close(p.pong);
	return ret;
}
