#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nvctl version and info, in text and JSON, in the initial namespace and
# in a namespace of its own (-n), where the state is separate.
#
#   init netns      nvver1
#   [nvctl] ---netlink--> [netvirt state]   [nvctl -n nvver1] --> [state]
set -u
source "$(dirname "$0")/lib.sh"
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
		[ "$(echo "$out" | json_get features)" = '["routing", "firewall", "overlay"]' ] || diag "$out"
}

netns_option()
{
	netns_add nvver1 &&
		"$NVCTL" -n nvver1 -j version | json_get module.version | grep -qx "$want"
}

tap_begin 5
check "version: text output names nvctl and module versions" version_text
check "version: -j output is JSON with the module version" version_json
check "info: -j reports generation, features and object counts" info_json
check "version: -n NETNS talks to the module from that namespace" netns_option
check "version: -n with a missing namespace fails with Error:" \
	expect_error 'cannot open network namespace' "$NVCTL" -n nvnone version
tap_end
