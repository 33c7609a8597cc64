// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/namespace.h"

struct pk_namespace *pk_system_add(struct pk_system *sys)
{
	struct pk_namespace *ns, *grown;

	grown = realloc(sys->ns, (sys->nr_ns + 1) * sizeof(*sys->ns));
	if (!grown)
		return NULL;
	sys->ns = grown;
	ns = &sys->ns[sys->nr_ns++];
	memset(ns, 0, sizeof(*ns));
	ns->size = PK_UNKNOWN;
	ns->ns_start = PK_UNKNOWN;
	ns->ns_size = PK_UNKNOWN;
	ns->data_start = PK_UNKNOWN;
	ns->data_size = PK_UNKNOWN;
	ns->start_pad = PK_UNKNOWN;
	ns->numa_node = -1;
	ns->target_node = -1;
	return ns;
}

int pk_kernel_add_memmap(struct pk_kernel *k, uint64_t start, uint64_t end)
{
	struct pk_range *grown = realloc(k->memmaps, (k->nr_memmaps + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	k->memmaps = grown;
	k->memmaps[k->nr_memmaps++] = (struct pk_range){ start, end };
	return 0;
}

int pk_system_load(struct pk_system *sys, const struct pk_backend *be, struct log_ctx *log)
{
	int ret;

	memset(sys, 0, sizeof(*sys));
	ret = be->ops->namespaces(be->priv, sys, log);
	if (!ret)
		ret = be->ops->kernel(be->priv, &sys->kernel, log);
	if (ret)
		pk_system_free(sys);
	return ret;
}

void pk_system_free(struct pk_system *sys)
{
	free(sys->ns);
	free(sys->kernel.memmaps);
	memset(sys, 0, sizeof(*sys));
}

const char *pk_mode_name(enum pk_mode mode)
{
	switch (mode) {
	case PK_MODE_RAW:
		return "raw";
	case PK_MODE_SECTOR:
		return "sector";
	case PK_MODE_FSDAX:
		return "fsdax";
	case PK_MODE_DEVDAX:
		return "devdax";
	default:
		return NULL;
	}
}

const char *pk_map_name(enum pk_map map)
{
	switch (map) {
	case PK_MAP_MEM:
		return "mem";
	case PK_MAP_DEV:
		return "dev";
	default:
		return NULL;
	}
}

void pk_uuid_format(const unsigned char uu[16], char out[40])
{
	int n = 0;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[n++] = '-';
		n += sprintf(out + n, "%02x", uu[i]);
	}
}

bool pk_uuid_is_null(const unsigned char uu[16])
{
	for (int i = 0; i < 16; i++)
		if (uu[i])
			return false;
	return true;
}

static int table_namespaces(void *priv, struct pk_system *sys, struct log_ctx *log)
{
	const struct pk_table *t = priv;

	for (unsigned int i = 0; i < t->nr_ns; i++) {
		struct pk_namespace *ns = pk_system_add(sys);

		if (!ns)
			return log_fail(log, PMD_ENOMEM, "out of memory for the namespace list");
		*ns = t->ns[i];
	}
	return 0;
}

static int table_kernel(void *priv, struct pk_kernel *k, struct log_ctx *log)
{
	const struct pk_table *t = priv;

	k->list = t->kernel.list;
	k->page_struct_size = t->kernel.page_struct_size;
	for (unsigned int i = 0; i < t->kernel.nr_memmaps; i++)
		if (pk_kernel_add_memmap(k, t->kernel.memmaps[i].start, t->kernel.memmaps[i].end) < 0)
			return log_fail(log, PMD_ENOMEM, "out of memory for the memmap list");
	return 0;
}

const struct pk_backend_ops pk_table_ops = {
	.name = "table",
	.namespaces = table_namespaces,
	.kernel = table_kernel,
};
