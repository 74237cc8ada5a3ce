// SPDX-License-Identifier: GPL-2.0
/*
 * NETVIRT_CMD_INFO_GET: what this module is and how much it holds.
 */
#include "netvirt.h"
#include "genl.h"
#include "limits.h"
#include "netns.h"

static int info_put_counts(struct sk_buff *skb, const struct nv_counts *c)
{
	struct nlattr *nest = nla_nest_start(skb, NETVIRT_A_COUNTS);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, NETVIRT_A_COUNT_TENANTS, c->tenants) ||
	    nla_put_u32(skb, NETVIRT_A_COUNT_PORTS, c->ports) ||
	    nla_put_u32(skb, NETVIRT_A_COUNT_ROUTES, c->routes) ||
	    nla_put_u32(skb, NETVIRT_A_COUNT_RULES, c->rules)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * nv_info_fill() - write the INFO_GET reply attributes
 * @skb: message being built
 * @cfg: snapshot the generation and counts are read from
 *
 * Return: 0, or -EMSGSIZE when @skb is too small.
 */
VISIBLE_IF_KUNIT int nv_info_fill(struct sk_buff *skb,
				  const struct nv_config *cfg)
{
	if (nla_put_string(skb, NETVIRT_A_VERSION, NV_VERSION) ||
	    nla_put_u32(skb, NETVIRT_A_API_VERSION, NETVIRT_API_VERSION) ||
	    nla_put_u64_64bit(skb, NETVIRT_A_FEATURES, NV_FEATURES,
			      NETVIRT_A_PAD) ||
	    nla_put_u64_64bit(skb, NETVIRT_A_CONFIG_GEN, cfg->gen,
			      NETVIRT_A_PAD))
		return -EMSGSIZE;
	return info_put_counts(skb, &cfg->counts);
}

static int info_check_client(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[NETVIRT_A_API_VERSION];

	if (attr && nla_get_u32(attr) > NETVIRT_API_VERSION) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "client API version is newer than the module's");
		return -EOPNOTSUPP;
	}
	return 0;
}

int nv_info_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nv_net *nn = nv_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = info_check_client(info);
	if (ret)
		return ret;

	ret = -ENOMEM;
	msg = genlmsg_new(NV_INFO_REPLY_SIZE, GFP_KERNEL);
	if (!msg)
		goto err;
	hdr = genlmsg_put_reply(msg, info, &nv_genl_family, 0,
				NETVIRT_CMD_INFO_GET);
	if (!hdr)
		goto err_free;

	rcu_read_lock();
	ret = nv_info_fill(msg, rcu_dereference(nn->config));
	rcu_read_unlock();
	if (ret)
		goto err_free;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
err:
	NL_SET_ERR_MSG(info->extack, "cannot build the info reply");
	return ret;
}
