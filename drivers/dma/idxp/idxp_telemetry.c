/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/* Telemetry: /idxp/list, /idxp/stats,<dev_id>, /idxp/events,<dev_id>. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_dmadev.h>
#include <rte_telemetry.h>

#include "idxp_internal.h"

static int
tel_list(const char *cmd, const char *params, struct rte_tel_data *d)
{
	int16_t id;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	for (id = 0; id < IDXP_MAX_DEV_ID; id++)
		if (idxp_priv_get(id) != NULL)
			rte_tel_data_add_array_int(d, id);
	return 0;
}

static int
tel_dev_id(const char *params)
{
	char *end;
	long v;

	if (params == NULL || *params == '\0')
		return -EINVAL;
	v = strtol(params, &end, 10);
	if (*end != '\0' || v < 0 || v > INT16_MAX || idxp_priv_get((int16_t)v) == NULL)
		return -EINVAL;
	return (int)v;
}

#define ADD(f) idxp_tel_add_dict_u64(d, #f, st.f)

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_pmd_idxp_stats st;
	int id = tel_dev_id(params);

	RTE_SET_USED(cmd);
	if (id < 0 || rte_pmd_idxp_stats_get((int16_t)id, &st) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	ADD(faults);
	ADD(page_requests);
	ADD(page_responses);
	ADD(page_responses_invalid);
	ADD(evl_entries);
	ADD(evl_overflows);
	ADD(cr_faults);
	ADD(sw_errors);
	ADD(halts);
	ADD(resets);
	ADD(reset_failures);
	ADD(aborted_ops);
	ADD(misc_interrupts);
	ADD(wq_interrupts);
	ADD(wakeups);
	ADD(portal_writes);
	ADD(engine_sleeps);
	ADD(handle_revokes);
	ADD(injected);
	return 0;
}

/* One string per event: 22.11 telemetry nests only arrays in arrays. */
static int
tel_events(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_pmd_idxp_event ev[16];
	int id = tel_dev_id(params), n, i;
	char buf[160];

	RTE_SET_USED(cmd);
	if (id < 0)
		return -EINVAL;
	n = rte_pmd_idxp_events_get((int16_t)id, ev, RTE_DIM(ev));
	if (n < 0)
		return n;
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "seq=%" PRIu64 " type=%u vchan=%u "
				"status=0x%02x addr=0x%" PRIx64 " write=%u response=%u",
				ev[i].seq, ev[i].type, ev[i].vchan, ev[i].status,
				ev[i].fault_addr, ev[i].write, ev[i].response);
		rte_tel_data_add_array_string(d, buf);
	}
	return 0;
}

RTE_INIT(idxp_telemetry_init)
{
	rte_telemetry_register_cmd("/idxp/list", tel_list,
			"Returns the dmadev ids of idxp devices.");
	rte_telemetry_register_cmd("/idxp/stats", tel_stats,
			"Returns idxp counters. Parameters: int dev_id");
	rte_telemetry_register_cmd("/idxp/events", tel_events,
			"Returns the last events the control thread serviced. Parameters: int dev_id");
}
