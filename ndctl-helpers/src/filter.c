// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>

#include "src/filter.h"

/* A whole decimal number, as ndctl takes a region or namespace id. */
static bool parse_uint(const char *s, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	v = strtoul(s, &end, 10);
	if (*end || v > 0xffffffffUL)
		return false;
	*out = (unsigned int)v;
	return true;
}

/* "region1" or "1" (ndctl: the device name or the id). */
static bool region_match(const char *want, const struct pk_namespace *ns)
{
	unsigned int id;

	if (!want || !strcmp(want, "all"))
		return true;
	if (!strcmp(want, ns->region))
		return true;
	return parse_uint(want, &id) && id == ns->region_id;
}

/* "namespace1.0" or "1.0" (ndctl: the device name or region.id). */
static bool ns_match(const char *want, const struct pk_namespace *ns)
{
	unsigned int r, n;
	const char *dot;
	char head[16];

	if (!want || !strcmp(want, "all"))
		return true;
	if (!strcmp(want, ns->dev))
		return true;
	dot = strchr(want, '.');
	if (!dot || (size_t)(dot - want) >= sizeof(head))
		return false;
	memcpy(head, want, dot - want);
	head[dot - want] = '\0';
	return parse_uint(head, &r) && parse_uint(dot + 1, &n) && r == ns->region_id && n == ns->id;
}

static const struct {
	const char *name;
	enum pk_mode mode;
} mode_names[] = {
	{ "raw", PK_MODE_RAW },
	{ "sector", PK_MODE_SECTOR },
	{ "safe", PK_MODE_SECTOR },	/* ndctl's old names */
	{ "fsdax", PK_MODE_FSDAX },
	{ "memory", PK_MODE_FSDAX },
	{ "devdax", PK_MODE_DEVDAX },
	{ "dax", PK_MODE_DEVDAX },
};

bool pk_filter_mode_valid(const char *mode)
{
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (!strcmp(mode, mode_names[i].name))
			return true;
	return false;
}

static bool mode_match(const char *want, const struct pk_namespace *ns)
{
	if (!want)
		return true;
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (!strcmp(want, mode_names[i].name))
			return mode_names[i].mode == ns->mode;
	return false;
}

bool pk_filter_match(const struct pk_filter *f, const struct pk_namespace *ns)
{
	if (!f->idle && !ns->active)
		return false;
	return region_match(f->region, ns) && ns_match(f->ns, ns) && mode_match(f->mode, ns);
}
