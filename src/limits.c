// SPDX-License-Identifier: GPL-2.0
/*
 * The limits of src/limits.h an administrator may lower (or raise, up to
 * the compiled maximum) as module parameters, at load time or later in
 * /sys/module/netvirt/parameters. They apply to each network namespace.
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
};

/* A limit is a count from 1 to the maximum its storage allows. */
static int limit_set(const char *val, const struct kernel_param *kp,
		     unsigned int max)
{
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 0, &v);
	if (ret)
		return ret;
	if (!v || v > max)
		return -ERANGE;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

#define NV_LIMIT_PARAM(name, field, max, desc)				\
static int set_##name(const char *val, const struct kernel_param *kp)	\
{									\
	return limit_set(val, kp, max);					\
}									\
static const struct kernel_param_ops name##_ops = {			\
	.set = set_##name,						\
	.get = param_get_uint,						\
};									\
module_param_cb(name, &name##_ops, &nv_limits.field, 0644);		\
MODULE_PARM_DESC(name, desc " (1.." __stringify(max) ")")

NV_LIMIT_PARAM(max_tenants, tenants, NV_MAX_TENANTS,
	       "tenants per network namespace");
NV_LIMIT_PARAM(max_ports, ports, NV_MAX_PORTS,
	       "ports per network namespace");
NV_LIMIT_PARAM(max_routes, routes, NV_MAX_ROUTES_ALL,
	       "routes per network namespace");
NV_LIMIT_PARAM(max_tenant_ports, tenant_ports, NV_MAX_PORTS,
	       "ports per tenant");
NV_LIMIT_PARAM(max_tenant_routes, tenant_routes, NV_MAX_ROUTES,
	       "routes per tenant");
