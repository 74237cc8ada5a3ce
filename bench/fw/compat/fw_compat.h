/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What src/fw_cls.c uses of the kernel API beyond what src/lpm.c does:
 * added to ../lpm/compat/nv_compat.h, the shared shims.
 */
#ifndef FW_COMPAT_H
#define FW_COMPAT_H

#include "nv_compat.h"

#define U16_MAX			((u16)~0U)
#define U32_MAX			((u32)~0U)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define max3(a, b, c)		max(max(a, b), c)
#define BUILD_BUG_ON(c)		_Static_assert(!(c), #c)
#define GENMASK_ULL(h, l)	((~0ULL >> (63 - (h))) & (~0ULL << (l)))
#define cpu_to_be16(x)		__builtin_bswap16(x)

#define IPPROTO_ICMP		1
#define IPPROTO_TCP		6
#define IPPROTO_UDP		17
#define IPPROTO_DCCP		33
#define IPPROTO_ICMPV6		58
#define IPPROTO_SCTP		132
#define IPPROTO_UDPLITE		136

/* For 1 <= n <= 2^31. */
static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return 1UL << fls(n - 1);
}

static inline void *kvmalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp);
}

#endif /* FW_COMPAT_H */
