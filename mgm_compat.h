/* SPDX-License-Identifier: GPL-2.0 */
/* What differs between the supported kernels (6.1 to 6.12), in one place. */
#ifndef _MGM_COMPAT_H
#define _MGM_COMPAT_H

#include <linux/version.h>
#include <linux/compiler_attributes.h>

#ifndef __counted_by
#define __counted_by(member)
#endif

#endif /* _MGM_COMPAT_H */
