/* SPDX-License-Identifier: GPL-2.0 */
#include "../fw_compat.h"
