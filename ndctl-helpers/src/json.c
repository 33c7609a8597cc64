// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>
#include <string.h>

#include <json-c/printbuf.h>

#include "src/json.h"

#define KIB 1024ULL
#define MIB (KIB * 1024)
#define GIB (MIB * 1024)
#define TIB (GIB * 1024)

/* Hundredths of @unit, rounded half up; 128 bits so that 200 * bytes cannot wrap. */
static uint64_t centi_iec(uint64_t bytes, uint64_t unit)
{
	return (uint64_t)(((unsigned __int128)bytes * 200 / unit + 1) / 2);
}

/* ndctl divides first for the decimal units; the same rounding follows. */
static uint64_t centi_si(uint64_t bytes, uint64_t unit)
{
	return (bytes / (unit / 200) + 1) / 2;
}

void pk_human_size(uint64_t bytes, char *buf, size_t size)
{
	uint64_t c, d;
	const char *iec, *si;

	if (bytes < 5000 * KIB) {
		snprintf(buf, size, "%" PRIu64, bytes);
		return;
	}
	if (bytes < 2 * GIB) {
		c = centi_iec(bytes, MIB);
		d = centi_si(bytes, 1000000ULL);
		iec = "MiB";
		si = "MB";
	} else if (bytes < 2 * TIB) {
		c = centi_iec(bytes, GIB);
		d = centi_si(bytes, 1000000000ULL);
		iec = "GiB";
		si = "GB";
	} else {
		c = centi_iec(bytes, TIB);
		d = centi_si(bytes, 1000000000000ULL);
		iec = "TiB";
		si = "TB";
	}
	snprintf(buf, size, "%" PRIu64 ".%02" PRIu64 " %s (%" PRIu64 ".%02" PRIu64 " %s)",
		 c / 100, c % 100, iec, d / 100, d % 100, si);
}

/* Serializers: the object stays an int64 for readers, prints as ndctl -u. */
static int print_size(struct json_object *jo, struct printbuf *pb, int level, int flags)
{
	char text[96], quoted[100];
	uint64_t v = (uint64_t)json_object_get_int64(jo);

	pk_human_size(v, text, sizeof(text));
	if (v < 5000 * KIB)
		return printbuf_memappend(pb, text, (int)strlen(text));
	snprintf(quoted, sizeof(quoted), "\"%s\"", text);
	return printbuf_memappend(pb, quoted, (int)strlen(quoted));
}

static int print_hex(struct json_object *jo, struct printbuf *pb, int level, int flags)
{
	char text[32];

	snprintf(text, sizeof(text), "\"%#" PRIx64 "\"", (uint64_t)json_object_get_int64(jo));
	return printbuf_memappend(pb, text, (int)strlen(text));
}

static struct json_object *new_size(uint64_t v, unsigned int flags)
{
	struct json_object *jo = json_object_new_int64((int64_t)v);

	if (jo && (flags & PK_JSON_HUMAN))
		json_object_set_serializer(jo, print_size, NULL, NULL);
	return jo;
}

static struct json_object *new_hex(uint64_t v, unsigned int flags)
{
	struct json_object *jo = json_object_new_int64((int64_t)v);

	if (jo && (flags & PK_JSON_HUMAN))
		json_object_set_serializer(jo, print_hex, NULL, NULL);
	return jo;
}

/*
 * Add @val under @key; a NULL @val (allocation failed) or a failed add
 * sets *@err, so a builder checks once at the end.
 */
static void add(struct json_object *obj, const char *key, struct json_object *val, bool *err)
{
	if (!val || json_object_object_add(obj, key, val) < 0) {
		json_object_put(val);
		*err = true;
	}
}

static void add_str(struct json_object *obj, const char *key, const char *s, bool *err)
{
	if (s && s[0])
		add(obj, key, json_object_new_string(s), err);
}

static struct json_object *range_json(const struct pk_range *r, unsigned int flags, bool *err)
{
	struct json_object *jr = json_object_new_object();

	if (!jr) {
		*err = true;
		return NULL;
	}
	add(jr, "start", new_hex(r->start, flags), err);
	add(jr, "end", new_hex(r->end, flags), err);
	add(jr, "size", new_size(r->end - r->start, flags), err);
	return jr;
}

static struct json_object *ranges_json(const struct pk_assessment *a, unsigned int flags, bool *err)
{
	struct json_object *jr = json_object_new_object();

	if (!jr) {
		*err = true;
		return NULL;
	}
	if (a->has_ns_range)
		add(jr, "namespace", range_json(&a->ns_range, flags, err), err);
	if (a->has_memmap)
		add(jr, "memmap", range_json(&a->memmap, flags, err), err);
	if (a->has_data)
		add(jr, "data", range_json(&a->data, flags, err), err);
	return jr;
}

static struct json_object *daxregion_json(const struct pk_daxregion *dr, unsigned int flags,
					  bool *err)
{
	struct json_object *jr = json_object_new_object(), *jdevs, *jd;

	if (!jr) {
		*err = true;
		return NULL;
	}
	add(jr, "id", json_object_new_int(dr->id), err);
	add(jr, "size", new_size(dr->size, flags), err);
	add(jr, "align", json_object_new_int64((int64_t)dr->align), err);
	jdevs = json_object_new_array();
	for (unsigned int i = 0; jdevs && i < dr->nr_devs; i++) {
		const struct pk_daxdev *d = &dr->devs[i];

		jd = json_object_new_object();
		if (!jd || json_object_array_add(jdevs, jd) < 0) {
			json_object_put(jd);
			*err = true;
			break;
		}
		add_str(jd, "chardev", d->chardev, err);
		add(jd, "size", new_size(d->size, flags), err);
		if (d->target_node >= 0)
			add(jd, "target_node", json_object_new_int(d->target_node), err);
		if (d->align)
			add(jd, "align", new_size(d->align, flags), err);
		add_str(jd, "mode", d->mode, err);
	}
	if (dr->nr_devs)
		add(jr, "devices", jdevs, err);
	else
		json_object_put(jdevs);
	return jr;
}

static struct json_object *dump_json(const struct pk_assessment *a, unsigned int flags, bool *err)
{
	struct json_object *jd = json_object_new_object();
	char kase[2] = { a->kase, '\0' };

	if (!jd) {
		*err = true;
		return NULL;
	}
	add(jd, "case", json_object_new_string(a->kase ? kase : "none"), err);
	add_str(jd, "reason", pk_no_case_reason(a->why_none), err);
	add(jd, "scope", json_object_new_string(pk_scope_name(a->scope)), err);
	add(jd, "metadata", json_object_new_string(pk_meta_loc_name(a->meta)), err);
	add(jd, "metadata_bytes", new_size(a->metadata_bytes, flags), err);
	add(jd, "pmem_metadata_bytes", new_size(a->pmem_metadata_bytes, flags), err);
	add(jd, "userdata_bytes", new_size(a->userdata_bytes, flags), err);
	add_str(jd, "vmcoreinfo", pk_listed_name(a->listed), err);
	return jd;
}

struct json_object *pk_namespace_json(const struct pk_namespace *ns,
				      const struct pk_assessment *a, unsigned int flags)
{
	struct json_object *jn = json_object_new_object();
	bool err = false;

	if (!jn)
		return NULL;
	/* ndctl's fields, in ndctl's order (util_namespace_to_json). */
	add_str(jn, "dev", ns->dev, &err);
	add_str(jn, "mode", pk_mode_name(ns->mode), &err);
	if (ns->mode != PK_MODE_RAW && ns->mode != PK_MODE_SECTOR)
		add_str(jn, "map", ns->map == PK_MAP_NONE ? "none" : pk_map_name(ns->map), &err);
	if (ns->size != PK_UNKNOWN)
		add(jn, "size", new_size(ns->size, flags), &err);
	add_str(jn, "uuid", ns->uuid, &err);
	if (flags & PK_JSON_VERBOSE)
		add_str(jn, "raw_uuid", ns->raw_uuid, &err);
	/* ndctl -v nests the dax region where it would name the chardev. */
	if ((flags & PK_JSON_VERBOSE) && ns->daxregion.present)
		add(jn, "daxregion", daxregion_json(&ns->daxregion, flags, &err), &err);
	else
		add_str(jn, "chardev", ns->chardev, &err);
	if (ns->sector_size)
		add(jn, "sector_size", json_object_new_int((int)ns->sector_size), &err);
	if (ns->align)
		add(jn, "align", json_object_new_int64((int64_t)ns->align), &err);
	add_str(jn, "blockdev", ns->blockdev, &err);
	if (!ns->active)
		add(jn, "state", json_object_new_string("disabled"), &err);
	add_str(jn, "name", ns->name, &err);
	if ((flags & PK_JSON_VERBOSE) && ns->numa_node >= 0)
		add(jn, "numa_node", json_object_new_int(ns->numa_node), &err);
	if ((flags & PK_JSON_VERBOSE) && ns->target_node >= 0)
		add(jn, "target_node", json_object_new_int(ns->target_node), &err);

	/* pmem-kdump's own. */
	add_str(jn, "region", ns->region, &err);
	add(jn, "ranges", ranges_json(a, flags, &err), &err);
	if (a->page_struct_size) {
		add(jn, "struct_page_size", json_object_new_int((int)a->page_struct_size), &err);
		add_str(jn, "struct_page_size_from", pk_sps_source_name(a->sps_source), &err);
		add(jn, "struct_pages", json_object_new_int64((int64_t)a->struct_pages), &err);
	}
	add(jn, "dump", dump_json(a, flags, &err), &err);
	if (err) {
		json_object_put(jn);
		return NULL;
	}
	return jn;
}

int pk_json_print(FILE *out, struct json_object *array, unsigned int flags)
{
	struct json_object *what = array;
	int ret;

	if ((flags & PK_JSON_HUMAN) && json_object_array_length(array) == 1)
		what = json_object_array_get_idx(array, 0);
	if ((flags & PK_JSON_HUMAN) && json_object_array_length(array) == 0)
		ret = 0;
	else
		ret = fprintf(out, "%s\n", json_object_to_json_string_ext(what, JSON_C_TO_STRING_PRETTY));
	json_object_put(array);
	return ret < 0 ? -1 : 0;
}
