/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Growable arrays, for builders that learn their sizes as they go: the
 * records in one kvmalloc'ed block, which doubles when it fills.
 *
 * An array is any struct with a typed pointer @v and u32 counts @n (in
 * use) and @cap (room), as NV_DECLARE_ARRAY() declares one:
 *
 *	NV_DECLARE_ARRAY(words, u32) = {};
 *
 *	ret = nv_array_reserve(&words, 2, GFP_KERNEL_ACCOUNT);
 *	if (ret)
 *		return ret;
 *	words.v[words.n++] = a;
 *	words.v[words.n++] = b;
 *	...
 *	nv_array_free(&words);
 *
 * Records whose size is known at run time only (a void pointer and a
 * record size kept beside @n and @cap) grow with nv_array_grow().
 */
#ifndef _NV_ARRAY_H
#define _NV_ARRAY_H

#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

/* @name, an array of @type: v[0] to v[n - 1] in use, room for cap. */
#define NV_DECLARE_ARRAY(name, type)					\
	struct {							\
		type *v;						\
		u32 n;							\
		u32 cap;						\
	} name

/* The room an array's first block has, in records. */
#define NV_ARRAY_MIN	64U

/**
 * nv_array_grow() - make room for more records
 * @p: the records, or NULL
 * @n: records in use, which a new block keeps
 * @cap: records @p has room for; updated when it grows
 * @more: records wanted after the @n
 * @rec: bytes per record
 * @gfp: allocation flags
 *
 * A new block has room for twice @cap records, at least @n + @more and
 * NV_ARRAY_MIN: an array filled one record at a time is copied O(log n)
 * times.
 *
 * Return: @p if it has the room; else the new block, @p freed;
 * ERR_PTR(-ENOMEM) with @p and @cap left as they were.
 */
static inline void *nv_array_grow(void *p, u32 n, u32 *cap, u32 more,
				  size_t rec, gfp_t gfp)
{
	u32 want, twice;
	void *q;

	if (check_add_overflow(n, more, &want))
		return ERR_PTR(-ENOMEM);
	if (want <= *cap)
		return p;
	if (check_mul_overflow(*cap, 2U, &twice))
		twice = want;
	want = max(max(want, twice), NV_ARRAY_MIN);
	q = kvmalloc_array(want, rec, gfp);
	if (!q)
		return ERR_PTR(-ENOMEM);
	if (n)
		memcpy(q, p, size_mul(n, rec));
	kvfree(p);
	*cap = want;
	return q;
}

/*
 * nv_array_reserve(a, more, gfp): room for @more records after the n in
 * use of the array @a points to; 0 or -ENOMEM, the array unchanged.
 */
#define nv_array_reserve(a, more, gfp)					\
({									\
	typeof(a) __a = (a);						\
	void *__p = nv_array_grow(__a->v, __a->n, &__a->cap, (more),	\
				  sizeof(*__a->v), (gfp));		\
									\
	IS_ERR(__p) ? (int)PTR_ERR(__p) : (__a->v = __p, 0);		\
})

/* nv_array_free(a): frees the records of the array @a points to. */
#define nv_array_free(a)						\
do {									\
	typeof(a) __a = (a);						\
									\
	kvfree(__a->v);							\
	__a->v = NULL;							\
	__a->n = 0;							\
	__a->cap = 0;							\
} while (0)

#endif /* _NV_ARRAY_H */
