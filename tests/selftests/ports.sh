#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A port is configuration named by its device's name: a VM that reboots
# takes its device away and brings a new one of the same name, and its
# rules, routes and port groups stay, enforced (a deny still denies).
# Only port del removes a port, refused while something names it.
#
#   netns hv (netvirt), tenant blue, default deny
#     b1 10.0.0.1    b2 10.0.0.2    b3 10.0.0.3
#     rules: out icmp allow; in port b1 icmp allow; in port b2 icmp
#     allow; in prio 10 port b2 src 10.0.0.3 deny
#     routes: 10.50.0.0/16 dev b2; 10.2.0.0/16 nexthop dev b1 nexthop
#     dev b2; port group web = b2

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"setup			| ports: setup"
	"enforced		| ports: b1 pings b2, b3 is denied by b2's deny rule"
	"detached		| ports: a port whose device goes stays, detached, with its rules, routes and group"
	"port_down detached	| ports: its next hops drop as port-down; ECMP uses the member left"
	"unfit_name detached	| ports: a bridge of the port's name is not attached; the port says why"
	"reattached detached	| ports: a device of its name comes back: attached, rules and deny enforced"
	"add_again reattached	| ports: port add again is done as it is; with another MAC refused"
	"rename			| ports: a renamed device detaches, its name back attaches"
	"refused_devices		| ports: loopback, bridge, enslaved, underlay and tunnel devices refused, saying why"
	"by_name			| ports: rules, routes, groups and stats name ports; unknown names refused"
	"duplicates		| ports: a next hop twice and a MAC twice in a tenant refused"
	"del_refused		| ports: port del refused while rules, routes or groups use the port"
	"del_force		| ports: port del force removes the port and what named it"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
trap cleanup EXIT
require_module

nv() { "$NVCTL" -n hv "$@"; }
stat() { nv -j stats "$1" "$2" | json_get "0.$3"; }
state() { nv -j port show "$1" | json_get 0.state; }
nrules() { nv -j fw show tenant blue | json_get 'rules.*.handle' | wc -l; }
ping1() { vm "$1" ping -c 1 -W 1 "${@:2}" >/dev/null 2>&1; }

mac_of() { echo "02:00:00:00:00:0$1"; }

# veth NAME I: the host side NAME of a VM's veth, the VM's eth0 in vm-NAME.
veth()
{
	local name=$1 i=$2

	ip -n hv link add "$name" type veth peer name eth0 netns "vm-$name" &&
		ip -n hv link set "$name" up &&
		ip -n "vm-$name" link set eth0 address "$(mac_of "$i")" up &&
		ip -n "vm-$name" addr add "10.0.0.$i/24" dev eth0 &&
		ip -n "vm-$name" route add default dev eth0
}

vm_add()
{
	netns_add "vm-$1" && veth "$1" "$2" &&
		nv port add "$1" tenant blue mac "$(mac_of "$2")" ip "10.0.0.$2"
}

# Polls until port NAME is in STATE: the notifier runs as the device comes.
wait_state()
{
	local i

	for i in $(seq 50); do
		[ "$(state "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	diag "port $1 is $(state "$1"), not $2"
}

setup()
{
	netns_add hv && nv tenant add blue id 7 vni 700 >/dev/null &&
		vm_add b1 1 && vm_add b2 2 && vm_add b3 3 &&
		nv fw rule add tenant blue dir out proto icmp action allow &&
		nv fw rule add tenant blue dir in port b1 proto icmp action allow &&
		nv fw rule add tenant blue dir in port b2 proto icmp action allow &&
		nv fw rule add tenant blue dir in prio 10 port b2 \
			src 10.0.0.3/32 action deny &&
		nv route add tenant blue 10.50.0.0/16 dev b2 &&
		nv route add tenant blue 10.2.0.0/16 nexthop dev b1 nexthop dev b2 &&
		nv fw pgroup add tenant blue web b2
} >/dev/null

# The allow and the deny of b2 both decide: b1 passes, b3 does not; a
# drop counts on the port the packet came in by.
enforced()
{
	local denied

	denied=$(stat port b3 drops.fw-deny) || return 1
	ping1 b1 10.0.0.2 || diag "b1 -> b2 denied" || return 1
	! ping1 b3 10.0.0.2 || diag "b3 -> b2 passed the deny" || return 1
	[ "$(stat port b3 drops.fw-deny)" -gt "$denied" ] ||
		diag "b3's ping to b2 not counted fw-deny"
}

config_of_b2()
{
	nv fw show tenant blue | grep -c 'port b2'
	nv route show tenant blue | grep -E '10\.50\.0\.0/16|10\.2\.0\.0/16'
	nv fw pgroup show tenant blue
}

detached()
{
	local before

	before=$(config_of_b2) && [ "$(state b2)" = attached ] || return 1
	ip -n hv link del b2 || return 1
	wait_state b2 detached || return 1
	nv port show b2 | grep -q 'state detached (no device' ||
		diag "$(nv port show b2)" || return 1
	[ "$(config_of_b2)" = "$before" ] ||
		diag "before: $before; after: $(config_of_b2)" || return 1
	[ "$(stat port b2 rx_packets)" -gt 0 ] ||
		diag "b2's counters did not stay"
}

# 10.50.0.0/16 has its only next hop on b2: port-down. The ECMP route's
# flows all reach b1 (control: b1's tx grows by each ping).
port_down()
{
	local down tx i

	down=$(stat tenant blue drops.port-down) || return 1
	! ping1 b1 10.50.0.1 &&
		[ "$(stat tenant blue drops.port-down)" -gt "$down" ] ||
		diag "10.50.0.1 via detached b2 not dropped port-down" || return 1
	down=$(stat tenant blue drops.port-down) && tx=$(stat port b1 tx_packets)
	for i in $(seq 1 16); do
		vm b3 ping -c 1 -W 1 "10.2.0.$i" >/dev/null 2>&1 &
	done
	wait
	[ "$(stat port b1 tx_packets)" -ge $((tx + 16)) ] &&
		[ "$(stat tenant blue drops.port-down)" = "$down" ] ||
		diag "ECMP: b1 tx $tx -> $(stat port b1 tx_packets)," \
			"port-down $down -> $(stat tenant blue drops.port-down)"
}

unfit_name()
{
	ip -n hv link add b2 type bridge || return 1
	sleep 0.2
	[ "$(state b2)" = detached ] &&
		nv port show b2 | grep -q 'detached (device is a bridge' ||
		diag "$(nv port show b2)" || return 1
	ip -n hv link del b2
}

reattached()
{
	local before

	before=$(config_of_b2)
	veth b2 2 && wait_state b2 attached || return 1
	[ "$(config_of_b2)" = "$before" ] || diag "config changed" || return 1
	enforced
}

add_again()
{
	local n

	n=$(nv -j info | json_get counts.ports) || return 1
	nv port add b2 tenant blue mac "$(mac_of 2)" ip 10.0.0.2 &&
		[ "$(nv -j info | json_get counts.ports)" = "$n" ] ||
		diag "port add again: not done as it is" || return 1
	expect_error 'another tenant, MAC or addresses' \
		nv port add b2 tenant blue mac 02:00:00:00:00:99 ip 10.0.0.2
}

rename()
{
	ip -n hv link set b1 down && ip -n hv link set b1 name b1x &&
		wait_state b1 detached || return 1
	! ping1 b3 10.0.0.1 || diag "ping reached b1 detached" || return 1
	ip -n hv link set b1x name b1 && ip -n hv link set b1 up &&
		wait_state b1 attached && ping1 b3 10.0.0.1 ||
		diag "b1 back: not attached or not reached"
}

refused_devices()
{
	ip -n hv link add br0 type bridge && ip -n hv link add e1 type dummy &&
		ip -n hv link add v1 type veth peer name v1p &&
		ip -n hv link set v1p master br0 &&
		ip -n hv link add ul0 type dummy && ip -n hv link set ul0 up &&
		ip -n hv addr add 192.0.2.1/24 dev ul0 &&
		nv host set underlay 192.0.2.1 || return 1
	expect_error 'loopback' nv port add lo tenant blue mac 02:00:00:00:01:01 ip 10.0.1.1 &&
		expect_error "host's underlay device" \
			nv port add ul0 tenant blue mac 02:00:00:00:01:07 ip 10.0.1.7 &&
		expect_error "host's tunnel device" \
			nv port add nv-geneve0 tenant blue mac 02:00:00:00:01:08 ip 10.0.1.8 &&
		expect_error 'bridge, bond, VRF or switch' \
			nv port add br0 tenant blue mac 02:00:00:00:01:02 ip 10.0.1.2 &&
		expect_error 'enslaved' \
			nv port add v1p tenant blue mac 02:00:00:00:01:03 ip 10.0.1.3 &&
		expect_error 'no such device in this network namespace: "nosuch"$' \
			nv port add nosuch tenant blue mac 02:00:00:00:01:04 ip 10.0.1.4 ||
		return 1
	# Control: a plain Ethernet device is taken.
	nv port add v1 tenant blue mac 02:00:00:00:01:05 ip 10.0.1.5 &&
		nv port del v1 && nv host del
}

by_name()
{
	expect_error 'no such port in the tenant: "nosuch"$' \
		nv fw rule add tenant blue dir in port nosuch action allow &&
		expect_error 'no such port in the tenant' \
			nv route add tenant blue 10.60.0.0/16 dev nosuch &&
		expect_error 'no such port in the tenant' \
			nv fw pgroup add tenant blue bad b1 nosuch &&
		expect_error 'no such port' nv stats port nosuch || return 1
	# Control: the same requests with a port's name.
	local h
	h=$(nv -j fw rule add tenant blue dir in port b3 proto udp action allow |
		json_get handle) &&
		nv fw rule del tenant blue handle "$h" &&
		nv route add tenant blue 10.60.0.0/16 dev b3 &&
		nv route del tenant blue 10.60.0.0/16 &&
		nv fw pgroup add tenant blue ok b1 b3 && nv fw pgroup del tenant blue ok &&
		nv stats port b3 >/dev/null
}

duplicates()
{
	expect_error 'next hop given twice' \
		nv route add tenant blue 10.70.0.0/16 nexthop dev b1 nexthop dev b1 &&
		expect_error 'another port of the tenant has this MAC' \
			nv port add e1 tenant blue mac "$(mac_of 1)" ip 10.0.1.6 ||
		return 1
	# Controls: two next hops, a MAC of its own.
	nv route add tenant blue 10.70.0.0/16 nexthop dev b1 nexthop dev b3 &&
		nv route del tenant blue 10.70.0.0/16 &&
		nv port add e1 tenant blue mac 02:00:00:00:01:06 ip 10.0.1.6 &&
		nv port del e1
}

del_refused()
{
	expect_error 'use the port \(delete with force\)' nv port del b2 &&
		[ "$(state b2)" = attached ] || return 1
	# Control: b3, named by no rule, route or group, goes.
	nv port del b3 && ! nv port show b3 >/dev/null 2>&1
}

del_force()
{
	local n out

	n=$(nrules) || return 1
	out=$(nv port del b2 force 2>&1) || diag "$out" || return 1
	echo "$out" | grep -q '^Warning: deleted with the port' ||
		diag "no word on what went: $out" || return 1
	! nv port show b2 >/dev/null 2>&1 &&
		[ "$(nrules)" = $((n - 2)) ] &&
		! nv route show tenant blue | grep -q '10\.50\.0\.0/16' &&
		[ "$(nv -j fw pgroup show tenant blue web | json_get 0.ports)" = "[]" ] ||
		diag "left: $(nv fw show tenant blue; nv route show tenant blue;
			nv fw pgroup show tenant blue)"
}

run_cases
tap_end
