/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef RTE_PMD_IDXP_H
#define RTE_PMD_IDXP_H

/**
 * @file
 * idxp driver-specific API.
 *
 * DPDK 22.11's dmadev API has no interrupt mode, no fault reporting and no
 * fault injection; idxp adds them here. Every function takes a dmadev id
 * and returns a negative errno on error: -ENODEV (not an idxp device),
 * -EINVAL (bad vchan or argument). On a shared kernel work queue,
 * rte_dma_submit() returns -ENOSPC when the WQ stayed full (other clients
 * share it): the ops stay submitted and are posted by the next submit or
 * rte_dma_completed*() call. rte_pmd_idxp_wait() and
 * rte_pmd_idxp_intr_arm() also return -EBUSY (device not started) and
 * -EIO (device halted and not recovered).
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Name of the vdev driver. */
#define RTE_PMD_IDXP_DRIVER_NAME "dma_idxp"

/**
 * Wait until at least one completion can be collected on a vchan.
 *
 * Returns at once when completions are ready; otherwise busy-polls for
 * the device's poll_us, then arms the vchan's interrupt and sleeps until a
 * completion arrives or @p timeout_ms passes (-1: no limit, 0: no sleep).
 *
 * On a kernel work queue (wq= devarg) there is no interrupt: after the
 * busy-poll it sleeps on the next completion record with UMWAIT where the
 * CPU has WAITPKG, else in naps growing from 1 us to 1 ms.
 * @return 1 when completions (or a driver hand-over) can be collected with
 *   rte_dma_completed*(), 0 on timeout, negative errno on error (-EIO if the device halted,
 *   -EBUSY if it is stopped while waiting).
 */
int rte_pmd_idxp_wait(int16_t dev_id, uint16_t vchan, int timeout_ms);

/**
 * Eventfd that becomes readable when an armed vchan completes work.
 * Owned by the driver: do not close it. Valid from vchan setup to close.
 * -ENOTSUP on a kernel work queue, whose interrupts are the kernel's
 * (so do rte_pmd_idxp_intr_arm() and rte_pmd_idxp_intr_disarm()).
 */
int rte_pmd_idxp_intr_fd(int16_t dev_id, uint16_t vchan);

/**
 * Arm a vchan's completion interrupt (one-shot).
 * @return 1 without arming when completions are already pending (do not
 *   sleep), 0 when armed, negative errno on error.
 */
int rte_pmd_idxp_intr_arm(int16_t dev_id, uint16_t vchan);

/** Disarm a vchan's interrupt and drain its eventfd. */
int rte_pmd_idxp_intr_disarm(int16_t dev_id, uint16_t vchan);

/** Faults that can be injected into the device. */
enum rte_pmd_idxp_fault {
	RTE_PMD_IDXP_FAULT_SRC = 0,	/**< next op faults reading its source */
	RTE_PMD_IDXP_FAULT_DST,		/**< next op faults writing its destination */
	RTE_PMD_IDXP_FAULT_COMP,	/**< next completion record write faults */
	RTE_PMD_IDXP_FAULT_PAGE_REQ,	/**< next op raises a page request */
	RTE_PMD_IDXP_FAULT_HALT,	/**< device halts with a fatal error */
	RTE_PMD_IDXP_FAULT_RESET_FAIL,	/**< the next device reset fails */
	RTE_PMD_IDXP_FAULT_REVOKE,	/**< the device revokes its interrupt handles */
	RTE_PMD_IDXP_FAULT_MAX
};

/**
 * Arm @p count injections of @p kind on a vchan's work queue (HALT,
 * RESET_FAIL and REVOKE are device-wide and ignore the vchan and count).
 * Injections are consumed by the next ops; a halt happens at the next
 * descriptor, a revoke at once. Only the software device has injection:
 * on hardware this returns -ENOTSUP.
 */
int rte_pmd_idxp_inject(int16_t dev_id, uint16_t vchan,
		enum rte_pmd_idxp_fault kind, uint32_t count);

/** Parse a fault name ("src", "dst", "comp", "page_req", "halt", "reset_fail", "revoke"). */
int rte_pmd_idxp_fault_from_str(const char *name, enum rte_pmd_idxp_fault *kind);

/** Device-wide counters, beyond struct rte_dma_stats. */
struct rte_pmd_idxp_stats {
	uint64_t faults;		/**< ops completed with a fault status */
	uint64_t page_requests;		/**< page requests raised by the device */
	uint64_t page_responses;	/**< page responses sent by the driver */
	uint64_t page_responses_invalid; /**< of which: invalid */
	uint64_t evl_entries;		/**< event-log entries serviced */
	uint64_t evl_overflows;		/**< entries the device could not log */
	uint64_t cr_faults;		/**< completion records not written */
	uint64_t sw_errors;		/**< software errors reported */
	uint64_t halts;			/**< device halts */
	uint64_t resets;		/**< successful resets */
	uint64_t reset_failures;	/**< failed resets */
	uint64_t aborted_ops;		/**< ops completed as aborted by a reset */
	uint64_t misc_interrupts;	/**< misc interrupts taken */
	uint64_t wq_interrupts;		/**< completion interrupts raised */
	uint64_t wakeups;		/**< rte_pmd_idxp_wait() returns after sleeping */
	uint64_t portal_writes;		/**< descriptors written to portals */
	uint64_t engine_sleeps;		/**< times the engine went to sleep */
	uint64_t injected;		/**< faults injected */
	uint64_t handle_revokes;	/**< interrupt handles revoked by the device */
};

/** Read the device-wide counters. */
int rte_pmd_idxp_stats_get(int16_t dev_id, struct rte_pmd_idxp_stats *stats);

/** Reset the device-wide counters. */
int rte_pmd_idxp_stats_reset(int16_t dev_id);

/** One event the control thread serviced, for tools. */
struct rte_pmd_idxp_event {
	uint64_t seq;		/**< device sequence number */
	uint64_t fault_addr;	/**< faulting address */
	uint32_t bytes_completed;
	uint16_t vchan;		/**< work queue / vchan */
	uint8_t type;		/**< 1 page request, 2 fault, 3 completion-record fault, 4 sw error, 5 halt, 6 interrupt handles revoked */
	uint8_t status;		/**< DSA completion status */
	uint8_t opcode;		/**< DSA opcode */
	uint8_t write;		/**< fault on a write access */
	uint8_t response;	/**< page request: 0 success, 1 invalid */
};

/**
 * Copy the most recent events the control thread serviced (newest last).
 * @return number copied (<= n).
 */
int rte_pmd_idxp_events_get(int16_t dev_id, struct rte_pmd_idxp_event *ev,
		unsigned int n);

/**
 * SVA fault handler, asked first for every page request (on the control
 * thread). Return 0 once [addr, addr+len) is mapped with the needed access,
 * 1 when it is not the handler's business, negative to refuse (the op
 * completes with a page fault). After 0 or 1 the driver still checks the
 * mapping in /proc/self/maps, faults the pages in and adds the translation.
 */
typedef int (*rte_pmd_idxp_fault_handler_t)(int16_t dev_id, uint64_t addr,
		uint32_t len, int write, void *arg);

/** Register (or with NULL, remove) the SVA fault handler. */
int rte_pmd_idxp_fault_handler_register(int16_t dev_id,
		rte_pmd_idxp_fault_handler_t handler, void *arg);

/**
 * Drop [addr, addr+len) from the device's SVA translations (those made by
 * page requests; DPDK memory and rte_dev_dma_map() ranges stay). Call before
 * munmap() or free() of memory that was used for DMA in SVA mode: when it
 * returns the device no longer touches the range.
 */
int rte_pmd_idxp_sva_invalidate(int16_t dev_id, const void *addr, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* RTE_PMD_IDXP_H */
