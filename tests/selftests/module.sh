#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module lifecycle: load, the family resolves, unload, reload; namespaces
# created and destroyed while loaded; unload while namespaces hold state.
#
#   init netns            ns1 (own netvirt state)
#   +---------+           +---------+
#   | netvirt |           | netvirt |
#   +---------+           +---------+

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"modinfo_ok		| module: modinfo reports version and license"
	"load			| module: loads"
	"family_resolves load	| module: generic netlink family resolves"
	"unload load		| module: unloads and the family is gone"
	"reload_many		| module: five load/unload cycles"
	"unload_with_netns	| module: unload with namespaces present"
	"netns_after_load	| module: namespace created and deleted while loaded"
	"autoload		| module: nvctl loads the module on demand"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
trap cleanup EXIT

[ -f "$MODULE" ] || { echo "1..0 # SKIP $MODULE not built"; exit $KSFT_SKIP; }
module_unload

family_resolves()
{
	genl ctrl get name netvirt 2>/dev/null | grep -q 'Name: netvirt'
}

family_gone()
{
	! family_listed && ! module_loaded
}

# The family name is an alias of the module: asking for it loads it.
autoload()
{
	rmmod netvirt 2>/dev/null
	"$NVCTL" version >/dev/null && module_loaded && rmmod netvirt
}

modinfo_ok()
{
	modinfo "$MODULE" | grep -qE "^version: +$(cat "$NV_ROOT/VERSION")$" &&
		modinfo "$MODULE" | grep -qE '^license: +GPL$'
}

reload_many()
{
	local i

	for i in 1 2 3 4 5; do
		module_load && rmmod netvirt || return 1
	done
}

load() { module_load; }

unload()
{
	rmmod netvirt && family_gone
}

unload_with_netns()
{
	module_load && netns_add nvmod1 && netns_add nvmod2 &&
		ip netns exec nvmod1 "$NVCTL" version >/dev/null &&
		rmmod netvirt && ! module_loaded
}

netns_after_load()
{
	module_load && netns_add nvmod3 &&
		ip netns exec nvmod3 "$NVCTL" version >/dev/null &&
		ip netns del nvmod3 && rmmod netvirt
}

run_cases
tap_end
