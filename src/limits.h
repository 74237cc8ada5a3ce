/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every limit of netvirt, in one place. Later object types add their
 * host-wide and per-tenant maxima here, next to the memory they cost.
 */
#ifndef _NV_LIMITS_H
#define _NV_LIMITS_H

/* Longest version string a module reports in NETVIRT_A_VERSION. */
#define NV_VERSION_MAXLEN	32

/* Reply buffer for INFO_GET: fixed attributes only, never grows. */
#define NV_INFO_REPLY_SIZE	NLMSG_GOODSIZE

#endif /* _NV_LIMITS_H */
