/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NV_COMPAT_OVERFLOW_H
#define NV_COMPAT_OVERFLOW_H

#include "../nv_compat.h"

#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

/* The product, or SIZE_MAX when it overflows, as an allocation fails. */
static inline size_t size_mul(size_t a, size_t b)
{
	size_t p;

	return __builtin_mul_overflow(a, b, &p) ? SIZE_MAX : p;
}

#endif /* NV_COMPAT_OVERFLOW_H */
