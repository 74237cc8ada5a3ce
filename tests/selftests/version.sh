#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nvctl version and info, in text and JSON, in the initial namespace and
# in a namespace of its own (-n), where the state is separate.
#
#   init netns      nvver1
#   [nvctl] ---netlink--> [netvirt state]   [nvctl -n nvver1] --> [state]

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"version_text		| version: text output names nvctl and module versions"
	"version_json		| version: -j output is JSON with the module version"
	"info_json		| info: -j reports generation, features and object counts"
	"netns_option		| version: -n NETNS talks to the module from that namespace"
	"missing_netns		| version: -n with a missing namespace fails with Error:"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
trap cleanup EXIT
require_module

want=$(cat "$NV_ROOT/VERSION")

version_text()
{
	local out

	out=$("$NVCTL" version) || return 1
	echo "$out" | grep -qx "nvctl $want" &&
		echo "$out" | grep -qx "module $want api 1" || diag "$out"
}

version_json()
{
	local out

	out=$("$NVCTL" -j version) || return 1
	[ "$(echo "$out" | json_get module.version)" = "$want" ] &&
		[ "$(echo "$out" | json_get module.api_version)" = 1 ] &&
		[ "$(echo "$out" | json_get nvctl.version)" = "$want" ] ||
		diag "$out"
}

info_json()
{
	local out

	out=$("$NVCTL" -j info) || return 1
	[ "$(echo "$out" | json_get counts.tenants)" = 0 ] &&
		[ "$(echo "$out" | json_get config_gen)" = 0 ] &&
		[ "$(echo "$out" | json_get features)" = '["routing", "firewall", "nat", "overlay", "txn"]' ] || diag "$out"
}

netns_option()
{
	netns_add nvver1 &&
		"$NVCTL" -n nvver1 -j version | json_get module.version | grep -qx "$want"
}

missing_netns()
{
	expect_error 'cannot open network namespace' "$NVCTL" -n nvnone version
}

run_cases
tap_end
