#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Isolation, gathered: what a VM may not do on the wire, and what another
# namespace or an unprivileged process may not do to the configuration.
# Every datapath refusal is counted with its reason.
#
#                 netns hv (netvirt)               netns other
#      tenant A (id 1)       tenant B (id 2)       (its own netvirt)
#      a1        a2          b1
#    vm-a1     vm-a2       vm-b1
#   10.0.0.1  10.0.0.2    10.0.0.2   <- same address as a2, other tenant

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"setup			| isolation: setup"
	"spoofed_src_mac		| isolation: spoofed source MAC dropped and counted"
	"spoofed_arp_ip		| isolation: ARP with a spoofed sender IP dropped and counted"
	"vlan_tagged		| isolation: VLAN-tagged frames dropped and counted"
	"other_ethertype		| isolation: other ethertypes dropped and counted"
	"rogue_router_advert	| isolation: a VM's router advertisement goes nowhere, counted"
	"cross_tenant		| isolation: the same address in another tenant is not reached"
	"other_netns		| isolation: another namespace neither sees nor changes it"
	"unprivileged		| isolation: a process without CAP_NET_ADMIN changes nothing"
	"own_address_arp		| isolation: ARP for the VM's own address is not answered"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
trap cleanup EXIT
require_module

nv() { "$NVCTL" -n hv "$@"; }
drops() { nv -j stats port "$1" | json_get "0.drops.$2"; }

vm_add()
{
	local name=$1 tenant=$2 i=$3 mac=02:00:00:00:0$4:0$3

	netns_add "vm-$name"
	ip -n hv link add "$name" type veth peer name eth0 netns "vm-$name"
	ip -n hv link set "$name" up
	ip -n "vm-$name" link set eth0 address "$mac" up
	ip -n "vm-$name" addr add "10.0.0.$i/24" dev eth0
	nv port add "$name" tenant "$tenant" mac "$mac" ip "10.0.0.$i"
}

setup()
{
	netns_add hv && netns_add other &&
		nv tenant add A id 1 vni 100 && nv tenant add B id 2 vni 200 &&
		nv fw policy tenant A allow && nv fw policy tenant B allow &&
		vm_add a1 A 1 a && vm_add a2 A 2 a && vm_add b1 B 2 b
}

# send FRAME_HEX from vm-a1's eth0, raw, N times.
send_raw()
{
	vm a1 python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
for _ in range(int(sys.argv[2])):
    s.send(bytes.fromhex(sys.argv[1]))' "$1" "$2"
}

# counted PORT REASON MIN COMMAND...: the command makes PORT count at
# least MIN drops of REASON.
counted()
{
	local port=$1 reason=$2 min=$3 before after
	shift 3
	before=$(drops "$port" "$reason")
	"$@" >/dev/null 2>&1
	sleep 0.3
	after=$(drops "$port" "$reason")
	[ $((after - before)) -ge "$min" ] || diag "$reason: $before -> $after"
}

A1=020000000a01
ROUTER=027600010001
BCAST=ffffffffffff
# Ethernet header helper: dst src type.
eth() { echo "$1$2$3"; }

spoofed_src_mac()
{
	counted a1 spoofed-mac 5 send_raw \
		"$(eth $ROUTER 020000000666 0800)4500001c000040004001000000000a0000010a0000020800f7ff00000000" 5
}

spoofed_arp_ip()
{
	# ARP request "who has 10.0.0.2, tell 10.0.0.7" from a1's MAC.
	counted a1 spoofed-ip 5 send_raw \
		"$(eth $BCAST $A1 0806)0001080006040001${A1}0a000007000000000000""0a000002" 5
}

vlan_tagged()
{
	counted a1 unsupported-ethertype 5 send_raw \
		"$(eth $ROUTER $A1 8100)00640800""4500001c000040004001000000000a0000010a000002" 5
}

other_ethertype()
{
	counted a1 unsupported-ethertype 5 send_raw "$(eth $ROUTER $A1 88b5)00112233445566778899" 5
}

rogue_router_advert()
{
	# A VM announcing itself as a router (ICMPv6 type 134) is not heard.
	vm a1 ip -6 addr add fe80::1/64 dev eth0 nodad 2>/dev/null
	counted a1 neigh 3 vm a1 python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
ra = bytes([134, 0, 0, 0, 64, 0, 0, 0xff]) + bytes(8)
for _ in range(3):
    s.sendto(ra, ("ff02::1%eth0", 0))'
}

# Tenant B's VM may send at any time (IPv6 router solicitations, MLD):
# what counts is that nothing is sent to it.
cross_tenant()
{
	local before after

	before=$(nv -j stats port b1 | json_get 0.tx_packets)
	vm a1 ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null ||
		diag "a1 does not reach a2" || return 1
	after=$(nv -j stats port b1 | json_get 0.tx_packets)
	[ "$after" = "$before" ] || diag "b1 was sent $((after - before)) packets"
}

other_netns()
{
	[ "$("$NVCTL" -n other -j tenant show)" = "[]" ] &&
		expect_error 'tenant does not exist' "$NVCTL" -n other tenant del A &&
		expect_error 'no such port in this network namespace' "$NVCTL" -n other port del a1 &&
		nv tenant show A >/dev/null
}

unprivileged()
{
	expect_error '.*Operation not permitted' setpriv --reuid=65534 \
		--regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all "$NVCTL" -n hv tenant del A &&
		nv tenant show A >/dev/null
}

own_address_arp()
{
	counted a1 neigh 2 send_raw \
		"$(eth $BCAST $A1 0806)0001080006040001${A1}0a000001000000000000""0a000001" 2
}

run_cases
tap_end
