/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * object/legacy_maps.h - maps from the legacy "maps" section.
 */
#ifndef BL_OBJECT_LEGACY_MAPS_H
#define BL_OBJECT_LEGACY_MAPS_H

#include <bpfload/error.h>

#include "object/object.h"

/* Add a map for every definition in section "maps" (at open). */
int bl_collect_legacy_maps(struct bl_object *obj, struct bl_err *err);

#endif
