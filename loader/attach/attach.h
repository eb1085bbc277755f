/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * attach/attach.h - what an attachment holds (attach/attachment.h); the
 * public calls are in <bpfload/attach.h>.
 */
#ifndef BL_ATTACH_H
#define BL_ATTACH_H

#include <bpfload/attach.h>

#include "attach/attachment.h"
#include "attach/kprobe.h"
#include "object/object.h"

#endif
