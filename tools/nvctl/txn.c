// SPDX-License-Identifier: GPL-2.0
/*
 * The module's transactions, as nvctl opens and commits them: `batch`
 * and `sync` for their lines, and any request sent in parts (`fw load`
 * of more rules than one message holds), whose parts must apply as one
 * change. Between the two, the socket's change requests are staged.
 */
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netvirt.h>

#include "nl.h"

/**
 * nl_txn_begin() - open the socket's transaction
 * @nl: the socket
 *
 * Return: 0, or a negative errno with the kernel's reason in @nl.
 */
int nl_txn_begin(struct nl *nl)
{
	return nl_request(nl, nl_msg(nl, NETVIRT_CMD_TXN_BEGIN, 0), NULL, NULL);
}

static int txn_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl_txn_result *r = data;

	if (mnl_attr_get_type(attr) == NETVIRT_A_TXN_GEN &&
	    !mnl_attr_validate(attr, MNL_TYPE_U64))
		r->gen = mnl_attr_get_u64(attr);
	if (mnl_attr_get_type(attr) == NETVIRT_A_TXN_REQUESTS &&
	    !mnl_attr_validate(attr, MNL_TYPE_U32))
		r->requests = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int top_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NETVIRT_A_TXN)
		mnl_attr_parse_nested(attr, txn_attr_cb, data);
	return MNL_CB_OK;
}

static int commit_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, GENL_HDRLEN, top_attr_cb, data);
	return MNL_CB_OK;
}

/**
 * nl_txn_commit() - commit the socket's transaction
 * @nl: the socket
 * @check: validate only, publish nothing
 * @gen: the generation the commit must find, or NULL
 * @r: set to what the reply says; on error, @r->fault to the index of
 *	the staged request at fault (or -1) and @nl->erroff to the offset
 *	of its attribute at fault in that request (or 0)
 *
 * Return: 0, or a negative errno with the kernel's reason in @nl.
 */
int nl_txn_commit(struct nl *nl, bool check, const uint64_t *gen,
		  struct nl_txn_result *r)
{
	struct nlmsghdr *nlh = nl_msg(nl, NETVIRT_CMD_TXN_COMMIT, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NETVIRT_A_TXN);
	struct netvirt_txn_fault fault;
	int ret;

	if (gen)
		mnl_attr_put_u64(nlh, NETVIRT_A_TXN_GEN, *gen);
	if (check)
		mnl_attr_put_u32(nlh, NETVIRT_A_TXN_FLAGS, NETVIRT_TXN_F_CHECK);
	mnl_attr_nest_end(nlh, nest);
	memset(r, 0, sizeof(*r));
	r->fault = -1;
	ret = nl_request(nl, nlh, commit_cb, r);
	if (ret && nl->cookie_len >= sizeof(fault)) {
		memcpy(&fault, nl->cookie, sizeof(fault));
		r->fault = fault.index;
		nl->erroff = fault.offset;
	} else if (ret) {
		nl->erroff = 0;	/* in the commit, not in a staged request */
	}
	return ret;
}
