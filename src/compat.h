/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels netvirt supports (6.1 and 6.12), in
 * one place, so the rest of the code reads as mainline code.
 */
#ifndef _NV_COMPAT_H
#define _NV_COMPAT_H

#include <net/genetlink.h>
#include <net/ip_tunnels.h>
#ifdef NV_HAVE_NET_GSO_H
#include <net/gso.h>	/* skb_gso_validate_network_len() since 6.4 */
#endif

/*
 * Kbuild tests the kernel's headers for each NV_HAVE_* feature, so the
 * code follows the API, not version numbers (distributions backport).
 */

/* The parsed attributes of a dump request. */
static inline struct nlattr **nv_dump_attrs(struct netlink_callback *cb)
{
#ifdef NV_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * Tunnel key flags: a __be16 mask up to 6.9, a bitmap since (the
 * IP_TUNNEL_*_BIT numbers).
 */
#ifdef NV_HAVE_IP_TUNNEL_FLAGS_BITMAP
static inline void nv_tun_key_flags(struct ip_tunnel_key *key, bool df,
				    bool cache)
{
	__set_bit(IP_TUNNEL_KEY_BIT, key->tun_flags);
	__set_bit(IP_TUNNEL_CSUM_BIT, key->tun_flags);
	if (!cache)
		__set_bit(IP_TUNNEL_NOCACHE_BIT, key->tun_flags);
	if (df)
		__set_bit(IP_TUNNEL_DONT_FRAGMENT_BIT, key->tun_flags);
}

static inline bool nv_tun_df(const struct ip_tunnel_key *key)
{
	return test_bit(IP_TUNNEL_DONT_FRAGMENT_BIT, key->tun_flags);
}

static inline bool nv_tun_crit_opt(const struct ip_tunnel_key *key)
{
	return test_bit(IP_TUNNEL_CRIT_OPT_BIT, key->tun_flags);
}
#else
static inline void nv_tun_key_flags(struct ip_tunnel_key *key, bool df,
				    bool cache)
{
	key->tun_flags = TUNNEL_KEY | TUNNEL_CSUM |
			 (cache ? 0 : TUNNEL_NOCACHE) |
			 (df ? TUNNEL_DONT_FRAGMENT : 0);
}

static inline bool nv_tun_df(const struct ip_tunnel_key *key)
{
	return key->tun_flags & TUNNEL_DONT_FRAGMENT;
}

static inline bool nv_tun_crit_opt(const struct ip_tunnel_key *key)
{
	return key->tun_flags & TUNNEL_CRIT_OPT;
}
#endif

/*
 * An extack message chosen at run time, @str of static storage (as
 * NL_SET_ERR_MSG() stores a literal's address).
 */
#define NV_SET_ERR_MSG_STR(extack, str) do {	\
	struct netlink_ext_ack *__extack = (extack);	\
							\
	if (__extack)					\
		__extack->_msg = (str);			\
} while (0)

/*
 * An extack message with values where the kernel formats them (6.2 and
 * later), else the plain text @plain. A test of the macro itself: it is
 * what the feature is.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define NV_SET_ERR_MSG_FMT(extack, plain, fmt, args...) \
	NL_SET_ERR_MSG_FMT(extack, fmt, ##args)
#else
#define NV_SET_ERR_MSG_FMT(extack, plain, fmt, args...) \
	NV_SET_ERR_MSG_STR(extack, plain)
#endif

#endif /* _NV_COMPAT_H */
