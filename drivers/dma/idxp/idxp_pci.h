/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

#ifndef IDXP_PCI_H
#define IDXP_PCI_H

/* The PCI platform's decisions that need no device (for unit tests). */

#include <stdbool.h>

#include "idxp_bus.h"

/* Intel DSA device IDs. */
#define IDXP_PCI_DEVICE_DSA_SPR		0x0b25	/* Sapphire/Emerald Rapids */
#define IDXP_PCI_DEVICE_DSA_GNRD	0x11fb	/* Granite Rapids-D */
#define IDXP_PCI_DEVICE_DSA_DMR		0x1212	/* Diamond Rapids */

#define IDXP_PCI_TAKE		0
#define IDXP_PCI_DECLINE	1	/* the PCI bus offers the next driver */

struct idxp_devargs;

/*
 * Whether idxp drives a DSA device with @devargs (NULL: none): TAKE,
 * DECLINE (the devargs are dma_idxd's), or -ENOTSUP when the device is not
 * bound to vfio-pci.
 */
int idxp_pci_claim(const char *devargs, bool vfio);
/* -EINVAL (logged) when @a sets a key only the software device has. */
int idxp_pci_check_args(const char *name, const struct idxp_devargs *a);
/* How this CPU writes a dedicated WQ's portal; -ENOTSUP: it cannot. */
int idxp_pci_portal_kind(enum idxp_portal_kind *kind);

#endif /* IDXP_PCI_H */
