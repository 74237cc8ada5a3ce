/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NV_GENL_H
#define _NV_GENL_H

#include <kunit/visibility.h>
#include <net/genetlink.h>

struct nv_config;

extern struct genl_family nv_genl_family;
extern const struct nla_policy nv_genl_policy[NETVIRT_A_MAX + 1];

int nv_genl_register(void);
void nv_genl_unregister(void);

/* Command handlers, one file per object. */
int nv_info_get_doit(struct sk_buff *skb, struct genl_info *info);

#if IS_ENABLED(CONFIG_KUNIT)
int nv_info_fill(struct sk_buff *skb, const struct nv_config *cfg);
#endif

#endif /* _NV_GENL_H */
