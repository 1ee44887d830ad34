/* SPDX-License-Identifier: GPL-2.0 */
/* What differs between the supported kernels (6.1 to 6.12), in one place. */
#ifndef _MGM_COMPAT_H
#define _MGM_COMPAT_H

#include <linux/version.h>

#endif /* _MGM_COMPAT_H */
