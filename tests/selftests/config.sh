#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configuration requests: every bad one is refused with a specific error
# and changes nothing (the generation stays, no object appears); dumps
# list what is configured.
#
#   netns cfg (netvirt)                   netns other
#   p1 p2 p3 (veth) br0 <- p4 enslaved    o1 (veth, not ours)

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"setup			| config: setup"
	"dup_tenant_name		| config: duplicate tenant name"
	"dup_tenant_id		| config: duplicate tenant id"
	"dup_vni			| config: duplicate VNI"
	"port_unknown_tenant	| config: port of an unknown tenant"
	"port_missing_dev	| config: port on a missing device"
	"port_other_netns	| config: port on a device of another netns"
	"port_dev_taken		| config: a port again with another MAC"
	"port_dev_enslaved	| config: device enslaved to a bridge"
	"port_multicast		| config: port with a multicast address"
	"half_applied		| config: nothing is half-applied"
	"route_not_port		| config: route via a device that is no port of the tenant"
	"dup_route		| config: duplicate route"
	"port_route_del		| config: port's own route cannot be deleted"
	"route_del_missing	| config: deleting a missing route"
	"routes_unknown_tenant	| config: routes of an unknown tenant"
	"dumps_list		| config: dumps list tenants, ports and routes"
	"route_del dumps_list	| config: routes are deleted"
	"tenant_del_ports dumps_list | config: tenant with ports refused without force"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
trap cleanup EXIT
require_module

nv() { "$NVCTL" -n cfg "$@"; }
gen() { nv -j info | json_get config_gen; }

setup()
{
	netns_add cfg && netns_add other &&
	ip -n cfg link add p1 type veth peer name q1 &&
	ip -n cfg link add p2 type veth peer name q2 &&
	ip -n cfg link add p3 type veth peer name q3 &&
	ip -n cfg link add p4 type veth peer name q4 &&
	ip -n cfg link add br0 type bridge &&
	ip -n cfg link set p4 master br0 &&
	ip -n other link add o1 type veth peer name r1 &&
	nv tenant add T id 10 vni 1000 &&
	nv port add p1 tenant T mac 02:00:00:00:00:01 ip 10.1.0.1 ip fd01::1
}

# refused ERROR_REGEX NVCTL_ARGS...: refused with this message, and the
# configuration generation did not move.
refused()
{
	local re=$1 before after
	shift
	before=$(gen)
	expect_error "$re" nv "$@" || return 1
	after=$(gen)
	[ "$before" = "$after" ] || diag "generation moved $before -> $after"
}

half_applied()
{
	# The second address is already p1's: the port, and its first
	# address's route, must not appear.
	refused 'a port address is already routed' port add p2 tenant T \
		mac 02:00:00:00:00:02 ip 10.1.0.2 ip fd01::1 &&
		! nv port show | grep -q '^p2 ' &&
		! nv route show tenant T | grep -q '10.1.0.2/32'
}

dumps_list()
{
	nv tenant add U id 11 vni 1001 &&
		nv port add p2 tenant U mac 02:00:00:00:00:02 ip 10.1.0.1 &&
		nv route add tenant T 10.2.0.0/16 dev p1 &&
		nv route add tenant T fd02::/48 blackhole &&
		[ "$(nv -j tenant show | json_get 1.name)" = U ] &&
		[ "$(nv -j port show | json_get 1.tenant)" = U ] &&
		[ "$(nv -j route show tenant T | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 4 ] &&
		[ "$(nv -j info | json_get counts.routes)" = 5 ]
}

route_del()
{
	nv route del tenant T 10.2.0.0/16 && nv route del tenant T fd02::/48 &&
		[ "$(nv -j info | json_get counts.routes)" = 3 ]
}

dup_tenant_name() { refused 'a tenant with this name exists' tenant add T id 12 vni 1002; }
dup_tenant_id() { refused 'a tenant with this id exists' tenant add V id 10 vni 1002; }
dup_vni() { refused 'a tenant with this VNI exists' tenant add V id 12 vni 1000; }
port_unknown_tenant() { refused 'tenant does not exist' port add p2 tenant X mac 02:00:00:00:00:02 ip 10.1.0.2; }
port_missing_dev() { refused 'no such device' port add nodev tenant T mac 02:00:00:00:00:02 ip 10.1.0.2; }
port_other_netns() { refused 'no such device' port add o1 tenant T mac 02:00:00:00:00:02 ip 10.1.0.2; }
port_dev_taken() { refused 'the port exists with another tenant, MAC or addresses' port add p1 tenant T mac 02:00:00:00:00:09 ip 10.1.0.9; }
port_dev_enslaved() { refused 'enslaved to a bridge, bond or other datapath' port add p4 tenant T mac 02:00:00:00:00:04 ip 10.1.0.4; }
port_multicast() { refused 'not a unicast IPv4' port add p2 tenant T mac 02:00:00:00:00:02 ip 224.0.0.1; }
route_not_port() { refused 'no such port in the tenant' route add tenant T 10.3.0.0/16 dev p3; }
dup_route() { refused 'route exists' route add tenant T 10.1.0.1/32 blackhole; }
port_route_del() { refused 'belongs to a port' route del tenant T 10.1.0.1/32; }
route_del_missing() { refused 'no such route' route del tenant T 10.9.0.0/16; }
routes_unknown_tenant() { refused 'tenant does not exist' route show tenant X; }
tenant_del_ports() { refused 'tenant has ports' tenant del U; }

run_cases
tap_end
