#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tenant routing on one hypervisor: two tenants with the same addresses,
# ARP/ND answered by the router, anti-spoofing, ICMP errors, ECMP, ports
# removed by command and by their device going away.
#
#                       netns hv (netvirt)
#        tenant A (id 1, vni 100)        tenant B (id 2, vni 200)
#        a1        a2        a3          b1          b2
#         |         |         |           |           |
#   vm-a1 eth0  vm-a2 eth0  vm-a3 eth0  vm-b1 eth0  vm-b2 eth0
#   10.0.0.1    10.0.0.2    10.0.0.3    10.0.0.1    10.0.0.2
#   fd00::1     fd00::2     fd00::3     fd00::1     fd00::2

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"setup			| routing: setup of 2 tenants, 5 VMs with overlapping addresses"
	"ping4_a			| routing: ping IPv4 inside tenant A"
	"ping6_a			| routing: ping IPv6 inside tenant A"
	"ping_b			| routing: ping IPv4 and IPv6 inside tenant B"
	"tcp_both		| routing: TCP over IPv4 and IPv6 inside each tenant"
	"tenants_isolated	| routing: nothing crosses tenants"
	"arp_router_mac ping4_a ping6_a | routing: ARP and ND replies carry the router MAC"
	"spoofed_ip		| routing: spoofed source IP dropped and counted"
	"spoofed_mac		| routing: spoofed source MAC dropped and counted"
	"no_route_unreachable	| routing: no route gives ICMP unreachable"
	"ttl_exceeded		| routing: TTL 1 gives time exceeded"
	"ecmp_spreads		| routing: ECMP spreads flows over its next hops"
	"port_del_cleans ecmp_spreads | routing: port del (force, a route uses it) removes the port and its routes"
	"netdev_gone_detaches	| routing: a VM's netdev going away detaches its port, routes kept"
	"tenant_del		| routing: tenant with ports deleted only when forced"
	"unload_configured	| routing: module unloads with tenants, ports and routes configured"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
trap cleanup EXIT
require_module

nv() { "$NVCTL" -n hv "$@"; }

# vm_add NAME TENANT INDEX: a VM netns with eth0, and its port in hv.
vm_add()
{
	local name=$1 tenant=$2 i=$3 mac

	mac=$(printf '02:00:00:%02x:00:%02x' "$(printf %d "'$tenant")" "$i")
	netns_add "vm-$name"
	ip -n hv link add "$name" type veth peer name eth0 netns "vm-$name"
	ip -n hv link set "$name" up
	ip -n "vm-$name" link set eth0 address "$mac" up
	ip -n "vm-$name" addr add "10.0.0.$i/24" dev eth0
	ip -n "vm-$name" addr add "fd00::$i/64" dev eth0 nodad
	ip -n "vm-$name" route add default dev eth0
	ip -n "vm-$name" -6 route add default dev eth0
	nv port add "$name" tenant "$tenant" mac "$mac" \
		ip "10.0.0.$i" ip "fd00::$i"
}

setup()
{
	netns_add hv
	nv tenant add A id 1 vni 100 &&
	nv tenant add B id 2 vni 200 &&
	nv fw policy tenant A allow && nv fw policy tenant B allow &&
	vm_add a1 A 1 && vm_add a2 A 2 && vm_add a3 A 3 &&
	vm_add b1 B 1 && vm_add b2 B 2
}

ping4_a() { ping4 a1 10.0.0.2; }
ping6_a() { ping6 a1 fd00::2; }
ping_b() { ping4 b2 10.0.0.1 && ping6 b2 fd00::1; }
tcp_both() { tcp_echo a2 a1 10.0.0.1 && tcp_echo b1 b2 fd00::2; }

# stat KIND NAME COUNTER: one counter of a tenant or port, from nvctl -j.
stat()
{
	nv -j stats "$1" "$2" | json_get "0.$3"
}

arp_router_mac()
{
	local mac

	mac=$(nv -j tenant show A | json_get 0.router_mac)
	vm a1 ip neigh show 10.0.0.2 dev eth0 | grep -q "lladdr $mac" &&
		vm a1 ip -6 neigh show fd00::2 dev eth0 | grep -q "lladdr $mac" ||
		diag "neighbours of a1: $(vm a1 ip neigh show)"
}

tenants_isolated()
{
	local before after

	before=$(stat tenant B rx_packets)
	ping4 a1 10.0.0.2 && ping6 a1 fd00::2 && tcp_echo a1 a2 10.0.0.2 || return 1
	after=$(stat tenant B rx_packets)
	[ "$before" = "$after" ] || diag "tenant B saw A's traffic"
	# 10.0.0.3 exists in A only: B cannot reach it.
	! ping4 b1 10.0.0.3
}

spoofed_ip()
{
	local before after

	before=$(stat port a1 drops.spoofed-ip)
	vm a1 ip addr add 10.0.0.99/32 dev eth0
	vm a1 ping -c 3 -i 0.2 -W 1 -I 10.0.0.99 10.0.0.2 >/dev/null 2>&1 &&
		return 1
	vm a1 ip addr del 10.0.0.99/32 dev eth0
	after=$(stat port a1 drops.spoofed-ip)
	[ $((after - before)) -ge 3 ] || diag "spoofed-ip drops $before -> $after"
}

spoofed_mac()
{
	local before after

	before=$(stat port a1 drops.spoofed-mac)
	vm a1 ip link set eth0 address 02:66:66:66:66:66
	vm a1 ip neigh flush dev eth0
	ping4 a1 10.0.0.2 && return 1
	vm a1 ip link set eth0 address 02:00:00:41:00:01
	after=$(stat port a1 drops.spoofed-mac)
	[ $((after - before)) -ge 2 ] || diag "spoofed-mac drops $before -> $after"
}

no_route_unreachable()
{
	local out

	out=$(vm a1 ping -c 1 -W 2 10.99.0.1 2>&1)
	echo "$out" | grep -q "Destination Net Unreachable" || diag "$out" || return 1
	out=$(vm a1 ping -6 -c 1 -W 2 fd99::1 2>&1)
	echo "$out" | grep -q "No route" || diag "$out" || return 1
	[ "$(stat tenant A drops.no-route)" -ge 2 ]
}

ttl_exceeded()
{
	local out

	out=$(vm a1 ping -c 1 -W 2 -t 1 10.0.0.2 2>&1)
	echo "$out" | grep -q "Time to live exceeded" || diag "$out" || return 1
	out=$(vm a1 ping -6 -c 1 -W 2 -t 1 fd00::2 2>&1)
	echo "$out" | grep -qi "Time exceeded" || diag "$out" || return 1
	[ "$(stat tenant A drops.ttl-expired)" -ge 2 ]
}

# 64 UDP flows to an ECMP route over a2 and a3: both carry some.
ecmp_spreads()
{
	local a2 a3 n2 n3

	nv route add tenant A 192.168.100.0/24 nexthop dev a2 nexthop dev a3 ||
		return 1
	a2=$(stat port a2 tx_packets)
	a3=$(stat port a3 tx_packets)
	vm a1 python3 -c '
import socket
for port in range(20000, 20064):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.0.0.1", port))
    s.sendto(b"x", ("192.168.100.7", 9))
    s.close()'
	sleep 0.5
	n2=$(( $(stat port a2 tx_packets) - a2 ))
	n3=$(( $(stat port a3 tx_packets) - a3 ))
	[ $((n2 + n3)) -ge 64 ] && [ "$n2" -ge 8 ] && [ "$n3" -ge 8 ] ||
		diag "ECMP split a2=$n2 a3=$n3"
}

# The ECMP route above names a3: port del refuses, force takes it too.
port_del_cleans()
{
	! nv port del a3 2>/dev/null && nv port show a3 >/dev/null ||
		diag "port del of a port a route uses was not refused" || return 1
	nv port del a3 force 2>/dev/null &&
		! nv route show tenant A | grep -qE '10.0.0.3/32|192.168.100.0/24' &&
		! nv port show | grep -q '^a3 ' &&
		! ping4 a1 10.0.0.3 &&
		ip -n hv link show a3 >/dev/null
}

# The device goes with its namespace; the port stays (ports.sh has more).
netdev_gone_detaches()
{
	local i

	ip netns del vm-b2
	for i in $(seq 30); do
		[ "$(nv -j port show b2 | json_get 0.state)" = detached ] && break
		sleep 0.1
	done
	[ "$(nv -j port show b2 | json_get 0.state)" = detached ] &&
		[ "$(nv -j tenant show B | json_get 0.ports)" = 2 ] &&
		nv route show tenant B | grep -q 'fd00::2/128'
}

tenant_del()
{
	nv tenant del B 2>/dev/null && return 1
	nv tenant del B force && ! nv tenant show B >/dev/null 2>&1 &&
		[ "$(nv -j info | json_get counts.tenants)" = 1 ]
}

unload_configured()
{
	rmmod netvirt && ! module_loaded &&
		ip -n hv link show a1 >/dev/null &&
		! family_listed
}

run_cases
tap_end
