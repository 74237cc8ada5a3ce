/* SPDX-License-Identifier: GPL-2.0 */
#include "../nv_compat.h"
