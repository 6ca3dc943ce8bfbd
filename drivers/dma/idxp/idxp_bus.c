/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The idxp authors
 */

/*
 * The bus registry: providers of devices (the software model) register by
 * name, drivers ask by name. Neither side needs the other's headers.
 */

#include <string.h>

#include "idxp_bus.h"

#define MAX_PROVIDERS	4

static struct {
	const char *kind;
	idxp_bus_create_t create;
} providers[MAX_PROVIDERS];

void
idxp_bus_register(const char *kind, idxp_bus_create_t create)
{
	unsigned int i;

	for (i = 0; i < MAX_PROVIDERS; i++) {
		if (providers[i].kind == NULL || strcmp(providers[i].kind, kind) == 0) {
			providers[i].kind = kind;
			providers[i].create = create;
			return;
		}
	}
}

struct idxp_bus *
idxp_bus_create(const char *kind, const struct idxp_model_params *p)
{
	unsigned int i;

	for (i = 0; i < MAX_PROVIDERS && providers[i].kind != NULL; i++)
		if (strcmp(providers[i].kind, kind) == 0)
			return providers[i].create(p);
	return NULL;
}
