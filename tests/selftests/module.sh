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
set -u
source "$(dirname "$0")/lib.sh"
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

unload_with_netns()
{
	netns_add nvmod1 && netns_add nvmod2 &&
		ip netns exec nvmod1 "$NVCTL" version >/dev/null &&
		rmmod netvirt && ! module_loaded
}

netns_after_load()
{
	module_load && netns_add nvmod3 &&
		ip netns exec nvmod3 "$NVCTL" version >/dev/null &&
		ip netns del nvmod3 && rmmod netvirt
}

tap_begin 8
check "module: modinfo reports version and license" modinfo_ok
check "module: loads" module_load
check "module: generic netlink family resolves" family_resolves
check "module: unloads and the family is gone" eval 'rmmod netvirt && family_gone'
check "module: five load/unload cycles" reload_many
check "module: unload with namespaces present" eval 'module_load && unload_with_netns'
check "module: namespace created and deleted while loaded" netns_after_load
check "module: nvctl loads the module on demand" autoload
tap_end
