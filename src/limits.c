// SPDX-License-Identifier: GPL-2.0
/*
 * The limits of src/limits.h an administrator may lower (or raise, up to
 * the compiled maximum) as module parameters, at load time or later in
 * /sys/module/netvirt/parameters. They apply to each network namespace,
 * max_userns_nets to each user namespace.
 */
#include <linux/cache.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>

#include "limits.h"

struct nv_limits nv_limits __read_mostly = {
	.tenants = NV_MAX_TENANTS,
	.ports = NV_MAX_PORTS,
	.routes = NV_DEFAULT_ROUTES,
	.tenant_ports = NV_MAX_PORTS,
	.tenant_routes = NV_MAX_ROUTES,
	.rules = NV_DEFAULT_RULES,
	.tenant_rules = NV_FWC_MAX_RULES,
	.userns_nets = NV_DEFAULT_USERNS_NETS,
};

/* The most a limit's storage allows. */
static unsigned int limit_max(const unsigned int *limit)
{
	if (limit == &nv_limits.tenants)
		return NV_MAX_TENANTS;
	if (limit == &nv_limits.routes)
		return NV_MAX_ROUTES_ALL;
	if (limit == &nv_limits.tenant_routes)
		return NV_MAX_ROUTES;
	if (limit == &nv_limits.rules)
		return NV_MAX_RULES_ALL;
	if (limit == &nv_limits.tenant_rules)
		return NV_FWC_MAX_RULES;
	if (limit == &nv_limits.userns_nets)
		return NV_MAX_USERNS_NETS;
	return NV_MAX_PORTS;
}

/* A limit is a count from 1 to the maximum its storage allows. */
static int limit_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 0, &v);
	if (ret)
		return ret;
	if (!v || v > limit_max(kp->arg))
		return -ERANGE;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static const struct kernel_param_ops limit_ops = {
	.set = limit_set,
	.get = param_get_uint,
};

module_param_cb(max_tenants, &limit_ops, &nv_limits.tenants, 0644);
MODULE_PARM_DESC(max_tenants, "tenants per network namespace (1..1024)");
module_param_cb(max_ports, &limit_ops, &nv_limits.ports, 0644);
MODULE_PARM_DESC(max_ports, "ports per network namespace (1..4096)");
module_param_cb(max_routes, &limit_ops, &nv_limits.routes, 0644);
MODULE_PARM_DESC(max_routes, "routes per network namespace (1..67108864)");
module_param_cb(max_tenant_ports, &limit_ops, &nv_limits.tenant_ports, 0644);
MODULE_PARM_DESC(max_tenant_ports, "ports per tenant (1..4096)");
module_param_cb(max_tenant_routes, &limit_ops, &nv_limits.tenant_routes,
		0644);
MODULE_PARM_DESC(max_tenant_routes, "routes per tenant (1..1048576)");
module_param_cb(max_rules, &limit_ops, &nv_limits.rules, 0644);
MODULE_PARM_DESC(max_rules, "firewall rules per network namespace (1..16777216)");
module_param_cb(max_tenant_rules, &limit_ops, &nv_limits.tenant_rules, 0644);
MODULE_PARM_DESC(max_tenant_rules, "firewall rules per tenant (1..262144)");
module_param_cb(max_userns_nets, &limit_ops, &nv_limits.userns_nets, 0644);
MODULE_PARM_DESC(max_userns_nets, "network namespaces with configuration per user namespace (1..65536)");
