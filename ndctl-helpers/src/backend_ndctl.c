// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Namespaces through libndctl, field by field as `ndctl list -N` takes
 * them (ndctl's util_namespace_to_json chooses the same sources: the
 * claiming pfn/dax/btt device's size, uuid and block device first, the
 * namespace's own otherwise), plus the resources pmem-kdump lays out.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <daxctl/libdaxctl.h>
#include <ndctl/libndctl.h>
#include <linux/ndctl.h>	/* ND_DEVICE_NAMESPACE_IO (ndctl/ndctl.h needs ccan) */

#include "src/backend_ndctl.h"
#include "src/kernel_live.h"

static uint64_t ull(unsigned long long v)
{
	return v == ULLONG_MAX ? PK_UNKNOWN : (uint64_t)v;
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static void set_uuid(char out[40], const unsigned char uu[16])
{
	pk_uuid_format(uu, out);
}

static enum pk_map map_of(enum ndctl_pfn_loc loc)
{
	switch (loc) {
	case NDCTL_PFN_LOC_RAM:
		return PK_MAP_MEM;
	case NDCTL_PFN_LOC_PMEM:
		return PK_MAP_DEV;
	default:
		return PK_MAP_NONE;
	}
}

/* The namespace's own uuid: ndctl -v's raw_uuid under a claim, when set. */
static void set_raw_uuid(struct pk_namespace *ns, struct ndctl_namespace *ndns)
{
	uuid_t uu;

	ndctl_namespace_get_uuid(ndns, uu);
	if (!pk_uuid_is_null(uu))
		set_uuid(ns->raw_uuid, uu);
}

static void from_pfn(struct pk_namespace *ns, struct ndctl_namespace *ndns, struct ndctl_pfn *pfn)
{
	uuid_t uu;

	ns->size = ull(ndctl_pfn_get_size(pfn));
	ns->map = map_of(ndctl_pfn_get_location(pfn));
	ns->align = ndctl_pfn_get_align(pfn);
	ndctl_pfn_get_uuid(pfn, uu);
	set_uuid(ns->uuid, uu);
	set_raw_uuid(ns, ndns);
	copy(ns->blockdev, sizeof(ns->blockdev), ndctl_pfn_get_block_device(pfn));
	ns->data_start = ull(ndctl_pfn_get_resource(pfn));
	ns->data_size = ull(ndctl_pfn_get_size(pfn));
}

/* What ndctl -v nests as "daxregion": the region and its devices. */
static void from_daxregion(struct pk_daxregion *dr, struct daxctl_region *dregion)
{
	struct daxctl_dev *ddev;
	unsigned long align;

	dr->present = true;
	dr->id = daxctl_region_get_id(dregion);
	dr->size = daxctl_region_get_size(dregion);
	dr->align = daxctl_region_get_align(dregion);
	daxctl_dev_foreach(dregion, ddev) {
		struct pk_daxdev *d;

		if (dr->nr_devs == PK_DAX_DEVS)
			break;
		d = &dr->devs[dr->nr_devs++];
		copy(d->chardev, sizeof(d->chardev), daxctl_dev_get_devname(ddev));
		d->size = daxctl_dev_get_size(ddev);
		d->target_node = daxctl_dev_get_target_node(ddev);
		align = daxctl_dev_get_align(ddev);
		d->align = align > 0 ? align : 0;
		/* kmem holds it as memory: daxctl's "system-ram". */
		copy(d->mode, sizeof(d->mode), daxctl_dev_get_memory(ddev) ? "system-ram" : "devdax");
	}
}

static void from_dax(struct pk_namespace *ns, struct ndctl_namespace *ndns, struct ndctl_dax *dax)
{
	struct daxctl_region *dregion = ndctl_dax_get_daxctl_region(dax);
	struct daxctl_dev *ddev;
	uuid_t uu;

	ns->size = ull(ndctl_dax_get_size(dax));
	ns->map = map_of(ndctl_dax_get_location(dax));
	ns->align = ndctl_dax_get_align(dax);
	ndctl_dax_get_uuid(dax, uu);
	set_uuid(ns->uuid, uu);
	set_raw_uuid(ns, ndns);
	/* Only an enabled instance has its character device. */
	ddev = dregion ? daxctl_dev_get_first(dregion) : NULL;
	if (ddev)
		copy(ns->chardev, sizeof(ns->chardev), daxctl_dev_get_devname(ddev));
	if (dregion)
		from_daxregion(&ns->daxregion, dregion);
	ns->data_start = ull(ndctl_dax_get_resource(dax));
	ns->data_size = ull(ndctl_dax_get_size(dax));
}

static void from_btt(struct pk_namespace *ns, struct ndctl_namespace *ndns, struct ndctl_btt *btt)
{
	uuid_t uu;

	ns->size = ull(ndctl_btt_get_size(btt));
	ndctl_btt_get_uuid(btt, uu);
	set_uuid(ns->uuid, uu);
	set_raw_uuid(ns, ndns);
	copy(ns->blockdev, sizeof(ns->blockdev), ndctl_btt_get_block_device(btt));
	ns->sector_size = ndctl_btt_get_sector_size(btt);
}

static void one_namespace(struct pk_namespace *ns, struct ndctl_region *region,
			  struct ndctl_namespace *ndns)
{
	struct ndctl_btt *btt = ndctl_namespace_get_btt(ndns);
	struct ndctl_pfn *pfn = ndctl_namespace_get_pfn(ndns);
	struct ndctl_dax *dax = ndctl_namespace_get_dax(ndns);
	unsigned int sector_size;
	uuid_t uu;

	copy(ns->dev, sizeof(ns->dev), ndctl_namespace_get_devname(ndns));
	copy(ns->region, sizeof(ns->region), ndctl_region_get_devname(region));
	ns->region_id = ndctl_region_get_id(region);
	ns->id = ndctl_namespace_get_id(ndns);
	ns->active = ndctl_namespace_is_active(ndns);
	ns->ns_start = ull(ndctl_namespace_get_resource(ndns));
	ns->ns_size = ull(ndctl_namespace_get_size(ndns));

	switch (ndctl_namespace_get_mode(ndns)) {
	case NDCTL_NS_MODE_FSDAX:
		ns->mode = PK_MODE_FSDAX;
		break;
	case NDCTL_NS_MODE_DEVDAX:
		ns->mode = PK_MODE_DEVDAX;
		break;
	case NDCTL_NS_MODE_SECTOR:
		ns->mode = PK_MODE_SECTOR;
		break;
	case NDCTL_NS_MODE_RAW:
		ns->mode = PK_MODE_RAW;
		break;
	default:
		ns->mode = PK_MODE_UNKNOWN;
		break;
	}

	if (btt) {
		from_btt(ns, ndns, btt);
	} else if (pfn) {
		from_pfn(ns, ndns, pfn);
	} else if (dax) {
		from_dax(ns, ndns, dax);
	} else {
		/*
		 * Unclaimed: raw, or a static fsdax namespace (memmap=
		 * legacy pmem, "map":"mem" in ndctl). An nd_namespace_io has
		 * no uuid.
		 */
		ns->size = ull(ndctl_namespace_get_size(ndns));
		if (ns->mode == PK_MODE_FSDAX)
			ns->map = PK_MAP_MEM;
		if (ndctl_namespace_get_type(ndns) != ND_DEVICE_NAMESPACE_IO) {
			ndctl_namespace_get_uuid(ndns, uu);
			set_uuid(ns->uuid, uu);
		}
		copy(ns->blockdev, sizeof(ns->blockdev), ndctl_namespace_get_block_device(ndns));
		if (ns->mode == PK_MODE_FSDAX && ns->blockdev[0]) {
			ns->data_start = ns->ns_start;
			ns->data_size = ns->ns_size;
		}
	}
	/* The kernel defaults pmem namespaces without a sector size to 512. */
	if (!btt && !dax) {
		sector_size = ndctl_namespace_get_sector_size(ndns);
		ns->sector_size = (!sector_size || sector_size == UINT_MAX) ? 512 : sector_size;
	}
	copy(ns->name, sizeof(ns->name), ndctl_namespace_get_alt_name(ndns));
	ns->numa_node = ndctl_namespace_get_numa_node(ndns);
	ns->target_node = ndctl_namespace_get_target_node(ndns);
}

static int ndctl_namespaces(void *priv, struct pk_system *sys, struct log_ctx *log)
{
	struct ndctl_ctx *ctx;
	struct ndctl_bus *bus;
	struct ndctl_region *region;
	struct ndctl_namespace *ndns;
	int rc, ret = 0;

	rc = ndctl_new(&ctx);
	if (rc < 0)
		return log_fail(log, PMD_EIO, "cannot start libndctl: %s", strerror(-rc));
	ndctl_bus_foreach(ctx, bus) {
		ndctl_region_foreach(bus, region) {
			ndctl_namespace_foreach(region, ndns) {
				struct pk_namespace *ns = pk_system_add(sys);

				if (!ns) {
					ret = log_fail(log, PMD_ENOMEM, "out of memory for the namespace list");
					goto out;
				}
				one_namespace(ns, region, ndns);
			}
		}
	}
out:
	ndctl_unref(ctx);
	return ret;
}

static int ndctl_kernel(void *priv, struct pk_kernel *k, struct log_ctx *log)
{
	const struct pk_ndctl_backend *b = priv;

	return pk_kernel_from_kcore(k, b->kcore, log);
}

static void ndctl_set_root(void *priv, const char *root)
{
	struct pk_ndctl_backend *b = priv;

	if (!root || !*root)
		return;
	snprintf(b->kcore_buf, sizeof(b->kcore_buf), "%s/proc/kcore", root);
	b->kcore = b->kcore_buf;
}

const struct pk_backend_ops pk_ndctl_ops = {
	.name = "libndctl",
	.namespaces = ndctl_namespaces,
	.kernel = ndctl_kernel,
	.set_root = ndctl_set_root,
};
