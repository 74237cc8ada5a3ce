#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Limits, lowered through the module parameters: each one refuses the
# request that would exceed it, with a message naming it, and changes
# nothing.
#
#   netns lim (netvirt): tenants T1, T2; ports p1..p3 (veth)

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"setup			| limits: setup with lowered limits"
	"bad_values		| limits: out-of-range parameter values are refused"
	"max_tenants		| limits: max_tenants"
	"max_tenant_ports	| limits: max_tenant_ports"
	"max_tenant_routes	| limits: max_tenant_routes"
	"max_routes max_tenant_routes | limits: max_routes"
	"max_ports max_routes	| limits: max_ports"
	"largest_build		| limits: the largest firewall the limits allow builds, reporting nothing"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
require_module

P=/sys/module/netvirt/parameters
saved=()

nv() { "$NVCTL" -n lim "$@"; }
gen() { nv -j info | json_get config_gen; }

limit()
{
	saved+=("$1=$(cat "$P/$1")")
	echo "$2" >"$P/$1"
}

restore()
{
	local kv

	for kv in "${saved[@]}"; do
		echo "${kv#*=}" >"$P/${kv%%=*}"
	done
	cleanup
}
trap restore EXIT

refused()
{
	local re=$1 before
	shift
	before=$(gen)
	expect_error "$re" nv "$@" && [ "$(gen)" = "$before" ]
}

setup()
{
	netns_add lim
	for i in 1 2 3; do
		ip -n lim link add "p$i" type veth peer name "q$i" || return 1
	done
	limit max_tenants 2 && limit max_ports 2 && limit max_tenant_ports 1 &&
		limit max_routes 5 && limit max_tenant_routes 3 &&
		nv tenant add T1 id 1 vni 1 && nv tenant add T2 id 2 vni 2 &&
		nv port add p1 tenant T1 mac 02:00:00:00:00:01 ip 10.0.0.1
}

bad_values()
{
	! echo 0 >"$P/max_tenants" 2>/dev/null &&
		! echo 5000 >"$P/max_tenants" 2>/dev/null &&
		! echo x >"$P/max_routes" 2>/dev/null &&
		[ "$(cat "$P/max_tenants")" = 2 ]
}

max_tenants() { refused 'max_tenants' tenant add T3 id 3 vni 3; }

max_tenant_ports()
{
	refused 'max_tenant_ports' \
		port add p2 tenant T1 mac 02:00:00:00:00:02 ip 10.0.0.2
}

# Two routes and p1's make three.
max_tenant_routes()
{
	nv route add tenant T1 10.1.0.0/16 dev p1 &&
		nv route add tenant T1 10.2.0.0/16 dev p1 &&
		refused max_tenant_routes route add tenant T1 10.3.0.0/16 dev p1
}

# T1's three routes and p2's two make five.
max_routes()
{
	nv port add p2 tenant T2 mac 02:00:00:00:00:02 ip 10.0.0.2 ip fd00::2 &&
		refused "max_routes" route add tenant T2 10.4.0.0/16 blackhole
}

# p1 and p2 make two.
max_ports()
{
	refused 'max_ports' \
		port add p3 tenant T2 mac 02:00:00:00:00:03 ip 10.0.0.3
}

# The largest classifier the limits allow: max_tenant_rules (262144, the
# classifier's own bound) rules in one direction, in one load. A build
# that held the CPU or a lock too long would show as a soft lockup, hung
# task or RCU stall, which fails the VM run (on the debug kernel too).
# Control: one rule more is refused.
largest_build()
{
	local f n

	n=$(cat "$P/max_tenant_rules") && f=$(mktemp) || return 1
	awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++)
		printf "dir in src 10.%d.%d.%d/32 proto tcp dport %d action deny\n",
			int(i / 65536) % 256, int(i / 256) % 256, i % 256,
			i % 60000 + 1 }' >"$f"
	nv fw load tenant T2 "$f" >/dev/null && rm -f "$f" &&
		[ "$(nv -j info | json_get counts.rules)" = "$n" ] ||
		diag "rules: $(nv -j info | json_get counts.rules) of $n" || return 1
	refused 'max_tenant_rules' fw rule add tenant T2 dir in action allow
}

run_cases
tap_end
