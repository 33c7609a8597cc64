/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PK_BACKEND_NDCTL_H
#define PK_BACKEND_NDCTL_H

#include "src/namespace.h"

/*
 * The live system: namespaces through libndctl (device-dax character
 * devices through libdaxctl), the kernel through @kcore. @priv of the
 * backend is a struct pk_ndctl_backend.
 */
struct pk_ndctl_backend {
	const char *kcore;	/* "/proc/kcore" */
	char kcore_buf[4096];	/* <root>/proc/kcore after set_root */
};

extern const struct pk_backend_ops pk_ndctl_ops;

#endif
