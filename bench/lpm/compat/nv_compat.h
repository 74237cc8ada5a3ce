/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API src/lpm*.c use, on libc, so that the same files build
 * in user space for the benchmark and the reference check. Single
 * threaded: RCU readers never run concurrently with the writer, so a
 * grace period is immediate.
 */
#ifndef NV_COMPAT_H
#define NV_COMPAT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
typedef uint8_t __u8;
typedef uint16_t __be16;
typedef uint32_t __be32;
typedef unsigned int gfp_t;

#undef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define hweight64(x)		((unsigned int)__builtin_popcountll(x))

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define be32_to_cpu(x)		__builtin_bswap32(x)
#define cpu_to_be32(x)		__builtin_bswap32(x)
#else
#define be32_to_cpu(x)		(x)
#define cpu_to_be32(x)		(x)
#endif

#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

#define min(a, b)		({ __typeof__(a) _a = (a), _b = (b); _a < _b ? _a : _b; })
#define max(a, b)		({ __typeof__(a) _a = (a), _b = (b); _a > _b ? _a : _b; })
#define min3(a, b, c)		min(min(a, b), c)
#define min_t(t, a, b)		min((t)(a), (t)(b))
#define max_t(t, a, b)		max((t)(a), (t)(b))
#define struct_size(p, member, n) \
	(sizeof(*(p)) + (size_t)(n) * sizeof((p)->member[0]))

/* A kernel warning is a bug here: stop at once. */
#define WARN_ON(c)		({ int _c = !!(c); if (_c) nv_compat_warn(#c, __FILE__, __LINE__); _c; })
#define WARN_ON_ONCE(c)		WARN_ON(c)

static inline void nv_compat_warn(const char *cond, const char *file,
				  int line)
{
	fprintf(stderr, "%s:%d: WARN_ON(%s)\n", file, line, cond);
	abort();
}

#define MAX_ERRNO		4095
#define ERR_PTR(e)		((void *)(intptr_t)(e))
#define PTR_ERR(p)		((long)(intptr_t)(p))
#define IS_ERR(p)		((uintptr_t)(p) >= (uintptr_t)-MAX_ERRNO)

/*
 * Allocation. The harness counts live objects, to find leaks, and can make
 * the nv_compat_fail_at-th allocation from now fail.
 */
#define GFP_KERNEL		0
#define __GFP_ACCOUNT		0
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)
extern long nv_compat_fail_at;
extern long nv_compat_live;

static inline void *kmalloc(size_t size, gfp_t gfp)
{
	void *p;

	(void)gfp;
	if (nv_compat_fail_at > 0 && !--nv_compat_fail_at)
		return NULL;
	p = malloc(size);
	if (p)
		nv_compat_live++;
	return p;
}

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	void *p = kmalloc(size, gfp);

	return p ? memset(p, 0, size) : NULL;
}

static inline void *kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	return n && size > SIZE_MAX / n ? NULL : kmalloc(n * size, gfp);
}

static inline void *kvcalloc(size_t n, size_t size, gfp_t gfp)
{
	void *p = kvmalloc_array(n, size, gfp);

	return p ? memset(p, 0, n * size) : NULL;
}

static inline void kfree(const void *p)
{
	if (p)
		nv_compat_live--;
	free((void *)p);
}

#define kvfree(p)		kfree(p)

/* The bucket SLUB on x86-64 (4 KiB pages) serves for a kmalloc(). */
static inline size_t kmalloc_size_roundup(size_t size)
{
	size_t b;

	if (size <= 8)
		return 8;
	if (size > 8192)
		for (b = 4096; ; b <<= 1)
			if (b >= size)
				return b;
	if (size > 64 && size <= 96)
		return 96;
	if (size > 128 && size <= 192)
		return 192;
	for (b = 16; b < size; b <<= 1)
		;
	return b;
}

struct mutex {
	int held;
};

#define lockdep_assert_held(l)	\
	do { if (!(l)->held) nv_compat_warn("lock held", __FILE__, __LINE__); } while (0)
#define lockdep_is_held(l)	((l)->held)

/* Sparse's address space: nothing to the compiler. */
#define __rcu
#define rcu_dereference(p)	READ_ONCE(p)
#define rcu_dereference_protected(p, c)	\
	({ if (!(c)) nv_compat_warn(#c, __FILE__, __LINE__); (p); })
#define RCU_INIT_POINTER(p, v)	((p) = (v))
#define rcu_assign_pointer(p, v)	((p) = (v))

struct rcu_head {
	void (*func)(struct rcu_head *head);
};

static inline void call_rcu(struct rcu_head *head,
			    void (*func)(struct rcu_head *head))
{
	func(head);
}

static inline void synchronize_rcu(void)
{
}

static inline void rcu_read_lock(void)
{
}

static inline void rcu_read_unlock(void)
{
}

/* Single threaded: nothing else wants the CPU. */
static inline void cond_resched(void)
{
}

#define sort(base, n, size, cmp, swap)	qsort(base, n, size, cmp)

struct in6_addr {
	union {
		__u8 u6_addr8[16];
		__be16 u6_addr16[8];
		__be32 u6_addr32[4];
	} in6_u;
};

#define s6_addr			in6_u.u6_addr8
#define s6_addr32		in6_u.u6_addr32

#endif /* NV_COMPAT_H */
