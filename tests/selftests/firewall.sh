#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The stateful firewall: default deny of a new tenant, allow, deny and
# reject rules at both ends of a connection (out of the sender's port, in
# at the receiver's), replies and ICMP errors of allowed connections,
# priorities, address groups, rule counters, logged denials on the
# monitor, conntrack zones of tenants with the same addresses, established
# connections cut by a rule change (or left alone by a persist rule), bad
# requests, port groups, and rules at each end of an overlay tunnel (a
# reject there answered across it).
#
#                         netns hv (netvirt)
#          tenant A (id 1, vni 100)       tenant B (id 2, vni 200)
#          a1            a2               b1            b2
#           |             |                |             |
#     vm-a1 eth0    vm-a2 eth0       vm-b1 eth0    vm-b2 eth0
#     10.0.0.1      10.0.0.2         10.0.0.1      10.0.0.2
#     fd00::1       fd00::2          fd00::1       fd00::2
#     (echo server on a1, a2: TCP 80 81 82, UDP 53 54; UDP 9 closed)
#
#                 netns ul: bridge br0 (underlay)
#          hv1 192.0.2.1                  hv2 192.0.2.2
#          x1 10.0.0.1 (A) ==== Geneve ==== x2 10.0.0.2 (A, echo server)

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"setup			| firewall: setup: 2 tenants, same addresses; a new tenant's policy is deny"
	"default_deny		| firewall: a new tenant denies a ping, counted fw-deny"
	"allow_both_ways		| firewall: out and in rules allow ICMP, TCP, UDP both ways, IPv4 and IPv6"
	"conntrack_zone allow_both_ways | firewall: conntrack lists tenant A's connection in zone 1 only"
	"replies_not_reverse	| firewall: replies pass, a new connection the other way is denied"
	"reject_tcp		| firewall: reject: TCP gets a reset at once, counted fw-reject"
	"reject_icmp		| firewall: reject: UDP and ping (v4, v6) get ICMP prohibited"
	"related_icmp		| firewall: ICMP errors of an allowed UDP flow pass"
	"priorities		| firewall: lower prio first, then lower handle; listed in that order"
	"groups			| firewall: a group's new prefixes apply at once"
	"big_groups		| firewall: groups of 1024 IPv6 prefixes listed whole, by name and all"
	"counters		| firewall: rule counters: connections, and every packet of them, exactly"
	"log_events		| firewall: logged denials reach the monitor, by rule and by policy"
	"no_shared_state		| firewall: tenants with the same addresses share no connection state"
	"established_cut		| firewall: an established connection a new rule denies is cut (reset), counted"
	"established_persist	| firewall: a persist rule leaves established connections, denies new ones"
	"bad_input		| firewall: bad requests refused with a message, nothing changed"
	"port_groups		| firewall: a port group's rule applies to its member ports only; a member change applies at once"
	"load_file		| firewall: load: a file of rules in one change, all or nothing"
	"recreated_tenant	| firewall: a tenant created again with its id does not inherit its connections"
	"deleted_tenant_flushed load_file recreated_tenant | firewall: a deleted tenant's connections leave conntrack, another's stay"
	"overlay_setup		| firewall: overlay: two hypervisors, tenant A on both"
	"overlay_fw overlay_setup | firewall: overlay: out rule on hv1 and in rule on hv2 count alike; deny on hv2 blocks"
	"overlay_reject overlay_setup | firewall: overlay: a reject on hv2 answers across the overlay"
	"unload			| firewall: module unloads with rules, groups and connections"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
trap cleanup EXIT
require_module

nv() { "$NVCTL" -n hv "$@"; }
nvn() { local ns=$1; shift; "$NVCTL" -n "$ns" "$@"; }

# vm_add HV NAME TENANT INDEX: a VM netns with eth0, and its port in HV.
vm_add()
{
	local hv=$1 name=$2 tenant=$3 i=$4 mac

	mac=$(printf '02:00:00:%02x:00:%02x' "$(printf %d "'$tenant")" "$i")
	netns_add "vm-$name"
	ip -n "$hv" link add "$name" type veth peer name eth0 netns "vm-$name"
	ip -n "$hv" link set "$name" up
	ip -n "vm-$name" link set eth0 address "$mac" up
	ip -n "vm-$name" addr add "10.0.0.$i/24" dev eth0
	ip -n "vm-$name" addr add "fd00::$i/64" dev eth0 nodad
	ip -n "vm-$name" route add default dev eth0
	ip -n "vm-$name" -6 route add default dev eth0
	nvn "$hv" port add "$name" tenant "$tenant" mac "$mac" \
		ip "10.0.0.$i" ip "fd00::$i"
}

TMPDIR=$(mktemp -d)
SRV=$TMPDIR/srv.py
servers=()

# Echo server of a VM: TCP 80-82 (each connection echoed until it ends)
# and UDP 53-54, IPv4 and IPv6; touches argv[1] once listening.
cat >"$SRV" <<'PY'
import selectors, socket, sys
sel = selectors.DefaultSelector()
for port in (80, 81, 82):
    s = socket.socket(socket.AF_INET6)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", port)); s.listen(16); s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, "listen")
for port in (53, 54):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("::", port)); s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, "udp")
open(sys.argv[1], "w").close()
while True:
    for key, _ in sel.select():
        s = key.fileobj
        try:
            if key.data == "listen":
                c, _ = s.accept(); c.setblocking(False)
                sel.register(c, selectors.EVENT_READ, "tcp")
            elif key.data == "udp":
                data, peer = s.recvfrom(2048); s.sendto(data, peer)
            else:
                data = s.recv(65536)
                if not data:
                    raise ConnectionResetError
                s.send(data)
        except BlockingIOError:
            pass
        except OSError:
            if key.data == "tcp":
                sel.unregister(s); s.close()
PY

stop_servers()
{
	local pid

	for pid in "${servers[@]}" ${hold_pid:+"$hold_pid"}; do
		kill "$pid" 2>/dev/null
	done
	wait 2>/dev/null
}
trap 'stop_servers; cleanup; rm -rf "$TMPDIR"' EXIT

wait_file()
{
	local i

	for i in $(seq 50); do
		[ -e "$1" ] && return 0
		sleep 0.2
	done
	diag "no $1 after 10 s"
}

# server VM: the echo server in vm-VM, in the background.
server()
{
	ip netns exec "vm-$1" python3 "$SRV" "$TMPDIR/ready-$1" &
	servers+=($!)
}

# conn VM tcp|udp ADDR PORT: "OUTCOME SECONDS" of one exchange (xchg.c).
conn() { vm "$1" "$XCHG" "$2" "$3" "$4"; }

# expect_conn REGEX VM tcp|udp ADDR PORT: the exchange's outcome matches.
expect_conn()
{
	local want=$1 out
	shift
	out=$(conn "$@")
	[[ ${out%% *} =~ ^($want)$ ]] || diag "$*: $out, expected $want"
}

ping1() { vm "$1" ping -c 1 -W 1 "${@:2}" >/dev/null 2>&1; }

# send_udp VM ADDR PORT: one datagram, without waiting for anything.
send_udp() { vm "$1" bash -c "echo x >/dev/udp/$2/$3"; }

# udp_from VM SRC SPORT DST DPORT: one datagram with a given source port.
udp_from()
{
	vm "$1" python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.sendto(b"x", (sys.argv[3], int(sys.argv[4])))' "${@:2}"
}

# stat NS KIND NAME COUNTER: a counter of a tenant or port, from nvctl -j.
stat() { nvn "$1" -j stats "$2" "$3" | json_get "0.$4"; }
drops() { stat "$1" "$2" "$3" "drops.$4"; }

# fwq NS TENANT EXPR: the Python expression EXPR of d, the tenant's
# firewall as `nvctl -j fw show` gives it.
fwq()
{
	nvn "$1" -j fw show tenant "$2" | python3 -c 'import json, sys
d = json.load(sys.stdin)
d = d[0] if isinstance(d, list) else d
print(eval(sys.argv[1]))' "$3"
}

# fwv NS TENANT PATH: a value of the tenant's firewall (json_get's PATH).
fwv() { nvn "$1" -j fw show tenant "$2" | json_get "$3"; }

# fw_nrules NS TENANT: how many rules the tenant has.
fw_nrules()
{
	local h n=0

	for h in $(fwv "$1" "$2" 'rules.*.handle'); do
		n=$((n + 1))
	done
	echo "$n"
}

# rule NS TENANT ARGS...: adds a rule, prints its handle.
rule()
{
	local ns=$1 t=$2
	shift 2
	nvn "$ns" -j fw rule add tenant "$t" "$@" | json_get handle
}

# fw_reset NS TENANT: no rules, policy deny, nothing logged.
fw_reset()
{
	local ns=$1 t=$2 handles h

	handles=$(fwv "$ns" "$t" 'rules.*.handle') ||
		return 1
	for h in $handles; do
		nvn "$ns" fw rule del tenant "$t" handle "$h" || return 1
	done
	nvn "$ns" fw policy tenant "$t" deny
}

# allow NS TENANT RULE...: each RULE (a quoted argument list) allowed in
# both directions.
allow()
{
	local ns=$1 t=$2 r
	shift 2
	for r in "$@"; do
		# shellcheck disable=SC2086 # RULE is a list of words
		rule "$ns" "$t" dir out $r action allow >/dev/null &&
			rule "$ns" "$t" dir in $r action allow >/dev/null ||
			return 1
	done
}

setup()
{
	local vm

	netns_add hv
	nv tenant add A id 1 vni 100 && nv tenant add B id 2 vni 200 &&
		vm_add hv a1 A 1 && vm_add hv a2 A 2 &&
		vm_add hv b1 B 1 && vm_add hv b2 B 2 || return 1
	server a1
	server a2
	for vm in a1 a2; do
		wait_file "$TMPDIR/ready-$vm" || return 1
	done
	[ "$(fwv hv A policy) $(fwv hv A zone) $(fw_nrules hv A)" = "deny 1 0" ] ||
		diag "tenant A's firewall: $(nv -j fw show tenant A)"
}

default_deny()
{
	local port tenant

	port=$(drops hv port a1 fw-deny) && tenant=$(drops hv tenant A fw-deny) ||
		return 1
	! ping1 a1 10.0.0.2 || diag "ping passed a new tenant's firewall" ||
		return 1
	[ "$(drops hv port a1 fw-deny)" -gt "$port" ] &&
		[ "$(drops hv tenant A fw-deny)" -gt "$tenant" ] ||
		diag "fw-deny of a1 $port -> $(drops hv port a1 fw-deny), of A $tenant -> $(drops hv tenant A fw-deny)"
}

allow_both_ways()
{
	fw_reset hv A &&
		allow hv A "proto icmp" "proto icmpv6" "proto tcp dport 80" \
			"proto udp dport 53" || return 1
	ping1 a1 10.0.0.2 && ping1 a2 10.0.0.1 && ping1 a1 -6 fd00::2 &&
		ping1 a2 -6 fd00::1 || diag "ping blocked" || return 1
	expect_conn ok a1 tcp 10.0.0.2 80 && expect_conn ok a2 tcp fd00::1 80 &&
		expect_conn ok a2 udp 10.0.0.1 53 && expect_conn ok a1 udp fd00::2 53
}

# ct_zone ZONE: the connections conntrack lists in ZONE, in hv.
ct_zone()
{
	if command -v conntrack >/dev/null; then
		ip netns exec hv conntrack -L -w "$1" 2>/dev/null ||
			ip netns exec hv conntrack -L 2>/dev/null
	else
		ip netns exec hv cat /proc/net/nf_conntrack
	fi | grep -E "zone(-orig)?=$1( |$)"
}

# ct_listable: conntrack's table can be read here, or the check skips.
ct_listable()
{
	command -v conntrack >/dev/null ||
		ip netns exec hv test -r /proc/net/nf_conntrack && return 0
	skip_reason="no conntrack tool, no /proc/net/nf_conntrack"
	return "$KSFT_SKIP"
}

conntrack_zone()
{
	ct_listable || return
	# The rules of allow_both_ways allow it.
	ping1 a1 10.0.0.2 || return 1
	ct_zone 1 | grep -q 'src=10\.0\.0\.1 dst=10\.0\.0\.2 ' ||
		diag "zone 1: $(ct_zone 1)" || return 1
	! ct_zone 2 | grep -q 'src=10\.0\.0\.1 dst=10\.0\.0\.2 ' ||
		diag "zone 2 (tenant B's) has tenant A's: $(ct_zone 2)"
}

# vm1 -> vm2 port 80 allowed out of a1 and in at a2: its replies pass,
# a connection a2 -> a1 port 80 does not.
replies_not_reverse()
{
	local before

	fw_reset hv A &&
		rule hv A dir out port a1 dst 10.0.0.2/32 proto tcp dport 80 \
			action allow >/dev/null &&
		rule hv A dir in port a2 proto tcp dport 80 action allow \
			>/dev/null || return 1
	expect_conn ok a1 tcp 10.0.0.2 80 || return 1
	before=$(drops hv port a2 fw-deny)
	expect_conn timeout a2 tcp 10.0.0.1 80 || return 1
	[ "$(drops hv port a2 fw-deny)" -gt "$before" ] ||
		diag "fw-deny of a2 $before -> $(drops hv port a2 fw-deny)"
}

reject_tcp()
{
	local before out

	fw_reset hv A && allow hv A "proto tcp" &&
		rule hv A dir in prio 10 port a2 proto tcp dport 81 \
			action reject >/dev/null || return 1
	before=$(drops hv tenant A fw-reject)
	out=$(conn a1 tcp 10.0.0.2 81)
	[ "${out%% *}" = ECONNREFUSED ] || diag "connect: $out" || return 1
	# At once: the first SYN was answered, none was sent again (a clock
	# would decide that on a loaded machine, the count does not).
	[ "$(drops hv tenant A fw-reject)" = $((before + 1)) ] ||
		diag "fw-reject $before -> $(drops hv tenant A fw-reject)"
}

# Rejected UDP and pings get ICMP administratively prohibited.
reject_icmp()
{
	local out re='Packet filtered|[Pp]rohibited'

	fw_reset hv A && allow hv A "proto udp" "proto icmp" "proto icmpv6" &&
		rule hv A dir in prio 10 port a2 proto udp dport 54 \
			action reject >/dev/null &&
		rule hv A dir in prio 10 port a2 proto icmp action reject \
			>/dev/null &&
		rule hv A dir in prio 10 port a2 proto icmpv6 action reject \
			>/dev/null || return 1
	expect_conn 'EHOSTUNREACH|ENETUNREACH|EACCES' a1 udp 10.0.0.2 54 ||
		return 1
	if out=$(vm a1 ping -c 1 -W 1 10.0.0.2 2>&1); then
		diag "ping passed: $out"
		return 1
	fi
	echo "$out" | grep -qE "$re" || diag "ping: $out" || return 1
	if out=$(vm a1 ping -6 -c 1 -W 1 fd00::2 2>&1); then
		diag "ping -6 passed: $out"
		return 1
	fi
	echo "$out" | grep -qE "$re" || diag "ping -6: $out"
}

# UDP to a closed port on an allowed flow: the port unreachable passes.
related_icmp()
{
	fw_reset hv A && allow hv A "proto udp dport 9" || return 1
	expect_conn ECONNREFUSED a1 udp 10.0.0.2 9 &&
		expect_conn ECONNREFUSED a1 udp fd00::2 9
}

priorities()
{
	local deny allow20 first second order

	fw_reset hv A && allow hv A "proto tcp" "proto udp" || return 1
	allow20=$(rule hv A dir in prio 20 proto tcp dport 82 action allow) &&
		deny=$(rule hv A dir in prio 10 proto tcp dport 82 action deny) &&
		first=$(rule hv A dir in prio 30 proto udp dport 53 action allow) &&
		second=$(rule hv A dir in prio 30 proto udp dport 53 action deny) ||
		return 1
	expect_conn timeout a1 tcp 10.0.0.2 82 &&
		expect_conn ok a1 udp 10.0.0.2 53 || return 1
	# Listed in evaluation order: (prio, handle).
	order=$(fwq hv A '" ".join(str(r["handle"]) for r in d["rules"] if r["dir"] == "in" and r.get("prio", 0) < 1000)')
	[ "$order" = "$deny $allow20 $first $second" ] ||
		diag "in rules listed as $order" || return 1
	[ "$(fwq hv A '[(r["prio"], r["handle"]) for r in d["rules"]] == sorted((r["prio"], r["handle"]) for r in d["rules"])')" = True ] ||
		diag "rules not in (prio, handle) order" || return 1
	nv fw rule del tenant A handle "$first" &&
		expect_conn timeout a1 udp 10.0.0.2 53
}

# A group's new prefixes apply to new connections at once.
groups()
{
	fw_reset hv A || return 1
	nv fw group del tenant A web 2>/dev/null
	nv fw group add tenant A web && allow hv A "proto tcp" &&
		rule hv A dir in prio 10 dst @web proto tcp dport 80 action allow \
			>/dev/null &&
		rule hv A dir in prio 20 proto tcp dport 80 action deny \
			>/dev/null || return 1
	expect_conn timeout a1 tcp 10.0.0.2 80 || return 1
	nv fw group set tenant A web 10.0.0.2/32 10.0.0.3/32 &&
		expect_conn ok a1 tcp 10.0.0.2 80 || return 1
	nv fw group set tenant A web 10.0.0.3/32 fd00::/64 &&
		expect_conn timeout a1 tcp 10.0.0.2 80 &&
		expect_conn ok a1 tcp fd00::2 80
}

# Groups of as many IPv6 prefixes as one command line takes (1024, 32 KB
# of attributes each): listed whole by name, and together by a dump.
big_groups()
{
	local pfx n

	pfx=$(for n in $(seq 0 1023); do printf '2001:db8:%x::/48 ' "$n"; done)
	# shellcheck disable=SC2086
	nv fw group add tenant A wide1 $pfx && nv fw group add tenant A wide2 $pfx ||
		return 1
	n=$(nv -j fw group show tenant A wide1 |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)[0]["prefixes"]))') &&
		[ "$n" = 1024 ] || diag "wide1 by name: $n prefixes" || return 1
	n=$(nv -j fw group show tenant A |
		python3 -c 'import json,sys; print(" ".join("%s:%d" % (g["name"], len(g.get("prefixes", []))) for g in json.load(sys.stdin) if g["name"].startswith("wide")))') &&
		[ "$n" = "wide1:1024 wide2:1024" ] || diag "dump: $n" || return 1
	nv fw group del tenant A wide1 && nv fw group del tenant A wide2
}

# One ping -c 3 is one connection of six packets, each counted to the
# rule that decided the connection at either end; a denied datagram once.
counters()
{
	local hout hin deny idle before

	fw_reset hv A &&
		hout=$(rule hv A dir out proto icmp action allow) &&
		hin=$(rule hv A dir in port a2 proto icmp action allow) &&
		deny=$(rule hv A dir out port a1 proto udp dport 56 action deny) &&
		idle=$(rule hv A dir in proto tcp dport 9999 action allow) ||
		return 1
	vm a1 ping -c 3 -i 0.2 -W 1 10.0.0.2 >/dev/null || diag "ping" ||
		return 1
	before=$(drops hv port a1 fw-deny)
	send_udp a1 10.0.0.2 56 && sleep 0.3
	[ "$(drops hv port a1 fw-deny)" = $((before + 1)) ] ||
		diag "fw-deny of a1 $before -> $(drops hv port a1 fw-deny)" || return 1
	nv -j fw show tenant A | python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d[0] if isinstance(d, list) else d
r = {x["handle"]: x for x in d["rules"]}
o, i, n, idle = (r[int(h)] for h in sys.argv[1:5])
bad = []
for name, x, conns, pkts in (("out", o, 1, 6), ("in", i, 1, 6), ("deny", n, 1, 1),
                             ("idle", idle, 0, 0)):
    got = (x["conns"], x["packets"], "last_hit_ms" in x)
    if got != (conns, pkts, pkts > 0):
        bad.append("%s rule: conns, packets, last_hit_ms %s" % (name, got))
if not (6 * 84 <= o["bytes"] <= 6 * 98 and i["bytes"] == o["bytes"]):
    bad.append("ICMP rules: bytes %d and %d" % (o["bytes"], i["bytes"]))
if not (n["bytes"] > 0 and idle["bytes"] == 0):
    bad.append("deny %d bytes, idle %d bytes" % (n["bytes"], idle["bytes"]))
for b in bad:
    print("# " + b)
sys.exit(1 if bad else 0)' "$hout" "$hin" "$deny" "$idle" >&2
}

# monitor_event TRIGGER...: the first event of `nvctl -j monitor` while
# TRIGGER runs every half second (until the monitor has one), into
# $TMPDIR/event.
monitor_event()
{
	local pid i

	timeout 10 "$NVCTL" -n hv -j monitor count 1 >"$TMPDIR/event" &
	pid=$!
	for i in $(seq 16); do
		sleep 0.5
		kill -0 "$pid" 2>/dev/null || break
		"$@"
	done
	wait "$pid" || diag "monitor: exit $?, $(cat "$TMPDIR/event")"
}

# event_is PYTHON_CONDITION: of e, the event.
event_is()
{
	head -n 1 "$TMPDIR/event" | python3 -c 'import json, sys
e = json.loads(sys.stdin.readline())
sys.exit(0 if eval("(" + sys.argv[1] + ")") else 1)' "$1" || diag "event: $(cat "$TMPDIR/event")"
}

log_events()
{
	local h

	fw_reset hv A &&
		h=$(rule hv A dir out port a1 proto udp dport 55 action deny log) ||
		return 1
	monitor_event send_udp a1 10.0.0.2 55 &&
		event_is "e['event'] == 'fw' and e['tenant'] == 'A' and
			e['handle'] == $h and e['dir'] == 'out' and
			e['port'] == 'a1' and e['action'] == 'deny' and
			e['reason'] == 'fw-deny' and e['proto'] == 'udp' and
			e['src'] == '10.0.0.1' and e['dst'] == '10.0.0.2' and
			e['dport'] == 55" || return 1
	# The default policy's denials, when it logs: no handle.
	nv fw policy tenant A deny log &&
		monitor_event send_udp a1 10.0.0.2 57 &&
		event_is "'handle' not in e and e['tenant'] == 'A' and
			e['action'] == 'deny' and e['reason'] == 'fw-deny' and
			e['dport'] == 57"
}

# Tenant B's b2 sends what would be the reply of a connection of tenant A
# (same addresses, same ports): a new connection of zone 2, denied.
no_shared_state()
{
	local before tx

	fw_reset hv A && fw_reset hv B && nv fw policy tenant A allow || return 1
	ping1 a1 10.0.0.2 || diag "tenant A's policy allow: ping fails" ||
		return 1
	! ping1 b1 10.0.0.2 || diag "tenant B's firewall lets a ping pass" ||
		return 1
	udp_from a1 10.0.0.1 5555 10.0.0.2 9 && sleep 0.2 || return 1
	before=$(drops hv port b2 fw-deny)
	tx=$(stat hv port b1 tx_packets)
	udp_from b2 10.0.0.2 9 10.0.0.1 5555 && sleep 0.3 || return 1
	[ "$(drops hv port b2 fw-deny)" -gt "$before" ] ||
		diag "fw-deny of b2 $before -> $(drops hv port b2 fw-deny)" || return 1
	[ "$(stat hv port b1 tx_packets)" = "$tx" ] ||
		diag "b1 got a packet tenant B denies" || return 1
	[ "$(fwv hv A zone) $(fwv hv B zone)" = "1 2" ] ||
		diag "zones: A $(fwv hv A zone), B $(fwv hv B zone)"
}

# hold: a TCP connection a1 -> a2 port 81, one exchange done, left open
# until release, which prints the outcome of a second exchange.
hold()
{
	rm -f "$TMPDIR/held" "$TMPDIR/go"
	ip netns exec vm-a1 "$XCHG" hold 10.0.0.2 81 "$TMPDIR" \
		>"$TMPDIR/hold" &
	hold_pid=$!
	wait_file "$TMPDIR/held" && [ "$(head -n 1 "$TMPDIR/hold")" = ok ] &&
		return 0
	diag "held connection: $(release; cat "$TMPDIR/hold")"
}

# The second exchange's outcome. Callers run it in $(...), where the
# client is no child to wait for: its output is waited for instead.
release()
{
	local i

	touch "$TMPDIR/go"
	for i in $(seq 50); do
		[ -n "$(sed -n 2p "$TMPDIR/hold")" ] && break
		sleep 0.1
	done
	sed -n 2p "$TMPDIR/hold"
}

established_cut()
{
	local before out

	fw_reset hv A && allow hv A "proto tcp dport 81" && hold || return 1
	before=$(drops hv tenant A fw-cut)
	rule hv A dir in prio 10 proto tcp dport 81 action deny >/dev/null ||
		{ release >/dev/null; return 1; }
	out=$(release)
	[ "$out" = ECONNRESET ] || diag "after the deny rule: $out" || return 1
	[ "$(drops hv tenant A fw-cut)" -gt "$before" ] ||
		diag "fw-cut $before -> $(drops hv tenant A fw-cut)"
}

established_persist()
{
	local out

	fw_reset hv A && allow hv A "proto tcp dport 81" && hold || return 1
	rule hv A dir in prio 10 proto tcp dport 81 action deny persist \
		>/dev/null || { release >/dev/null; return 1; }
	out=$(release)
	[ "$out" = ok ] || diag "after the persist deny rule: $out" || return 1
	expect_conn timeout a1 tcp 10.0.0.2 81
}

bad_input()
{
	local h epoch rules

	fw_reset hv A || return 1
	nv fw group del tenant A db 2>/dev/null
	nv fw group add tenant A db 10.0.0.2/32 &&
		h=$(rule hv A dir in src @db proto tcp action allow) || return 1
	epoch=$(fwv hv A epoch) && rules=$(fw_nrules hv A) ||
		return 1
	expect_error 'tenant' nv fw rule add tenant Nope dir in action allow &&
		expect_error 'tenant' nv fw policy tenant Nope allow &&
		expect_error 'tenant' nv fw show tenant Nope &&
		expect_error 'group' nv fw rule add tenant A dir in src @nosuch \
			action allow &&
		expect_error 'address group is used by rules' \
			nv fw group del tenant A db &&
		expect_error 'exist' nv fw group add tenant A db 10.0.0.3/32 &&
		expect_error 'rule|handle' nv fw rule del tenant A \
			handle $((h + 1000)) || return 1
	[ "$(fwv hv A epoch)" = "$epoch" ] &&
		[ "$(fw_nrules hv A)" = "$rules" ] ||
		diag "epoch $epoch -> $(fwv hv A epoch), rules $rules -> $(fw_nrules hv A)" ||
		return 1
	[ "$(nv -j fw group show tenant A db | json_get 0.prefixes)" = '["10.0.0.2/32"]' ] &&
		[ "$(nv -j fw group show tenant A db | json_get 0.rules)" = 1 ] ||
		diag "group db: $(nv -j fw group show tenant A db)"
}

# A rule for a port group is a rule of its member ports only, and
# follows the group's members as they change.
port_groups()
{
	local out

	fw_reset hv A || return 1
	nv fw pgroup del tenant A servers 2>/dev/null
	nv fw pgroup add tenant A servers a2 &&
		rule hv A dir in pgroup servers proto tcp dport 80 action allow \
			>/dev/null &&
		rule hv A dir out action allow >/dev/null || return 1
	nv fw show tenant A | grep -q ' dir in pgroup servers proto tcp dport 80 ' ||
		diag "rules: $(nv fw show tenant A)" || return 1
	expect_conn ok a1 tcp 10.0.0.2 80 &&
		expect_conn timeout a2 tcp 10.0.0.1 80 || return 1
	nv fw pgroup set tenant A servers a1 a2 &&
		expect_conn ok a2 tcp 10.0.0.1 80 || return 1
	out=$(nv -j fw pgroup show tenant A servers) || return 1
	[ "$(json_get 0.ports <<<"$out")" = '["a1", "a2"]' ] &&
		[ "$(json_get 0.rules <<<"$out")" = 1 ] ||
		diag "port group servers: $out" || return 1
	! nv fw group show tenant A | grep -q '^group servers ' ||
		diag "group show lists a port group: $(nv fw group show tenant A)" ||
		return 1
	expect_error 'port group' nv fw group show tenant A servers &&
		expect_error 'port group is used by rules' \
			nv fw pgroup del tenant A servers
}

overlay_setup()
{
	local h

	netns_add ul && ip -n ul link add br0 type bridge &&
		ip -n ul link set br0 up || return 1
	for h in 1 2; do
		netns_add "hv$h"
		ip -n ul link add "ul$h" type veth peer name ul0 netns "hv$h"
		ip -n ul link set "ul$h" master br0 up
		ip -n "hv$h" link set ul0 up
		ip -n "hv$h" addr add "192.0.2.$h/24" dev ul0
		nvn "hv$h" tenant add A id 1 vni 100 &&
			nvn "hv$h" host set underlay "192.0.2.$h" || return 1
	done
	vm_add hv1 x1 A 1 && vm_add hv2 x2 A 2 &&
		nvn hv1 route add tenant A 10.0.0.2/32 host 192.0.2.2 &&
		nvn hv2 route add tenant A 10.0.0.1/32 host 192.0.2.1 || return 1
	server x2
	wait_file "$TMPDIR/ready-x2"
}

# out of x1 allowed on hv1, in at x2 on hv2: each host counts every
# packet of the connection, both ways, to its rule; then a deny on hv2.
overlay_fw()
{
	local hv1 hv2 conns packets q='" ".join("%d %d %d" % (r["conns"], r["packets"], r["bytes"]) for r in d["rules"])'

	rule hv1 A dir out port x1 proto tcp dport 80 action allow >/dev/null &&
		rule hv2 A dir in port x2 proto tcp dport 80 action allow \
			>/dev/null || return 1
	expect_conn ok x1 tcp 10.0.0.2 80 || return 1
	sleep 0.5
	hv1=$(fwq hv1 A "$q") && hv2=$(fwq hv2 A "$q") || return 1
	read -r conns packets _ <<<"$hv1"
	[ "$hv1" = "$hv2" ] && [ "$conns" = 1 ] && [ "$packets" -ge 6 ] ||
		diag "rule counters (conns packets bytes): hv1 $hv1, hv2 $hv2" ||
		return 1
	rule hv2 A dir in prio 10 port x2 proto tcp dport 80 action deny \
		>/dev/null || return 1
	hv1=$(drops hv1 tenant A fw-deny) && hv2=$(drops hv2 tenant A fw-deny) ||
		return 1
	expect_conn timeout x1 tcp 10.0.0.2 80 || return 1
	[ "$(drops hv2 tenant A fw-deny)" -gt "$hv2" ] &&
		[ "$(drops hv1 tenant A fw-deny)" = "$hv1" ] ||
		diag "fw-deny on hv1 $hv1 -> $(drops hv1 tenant A fw-deny), on hv2 $hv2 -> $(drops hv2 tenant A fw-deny)"
}

# A reject on hv2 answers x1 across the overlay, as from x2: a reset for
# TCP at once, ICMP prohibited for UDP; both pass hv1's conntrack as
# answers of the connections x1 opened.
overlay_reject()
{
	local before out

	rule hv1 A dir out port x1 proto tcp action allow >/dev/null &&
		rule hv1 A dir out port x1 proto udp action allow >/dev/null &&
		rule hv2 A dir in prio 5 port x2 proto tcp dport 81 \
			action reject >/dev/null &&
		rule hv2 A dir in prio 5 port x2 proto udp dport 54 \
			action reject >/dev/null || return 1
	before=$(drops hv2 tenant A fw-reject) || return 1
	out=$(conn x1 tcp 10.0.0.2 81)
	[ "${out%% *}" = ECONNREFUSED ] || diag "connect: $out" || return 1
	# The first SYN was answered: one reject, no SYN sent again.
	[ "$(drops hv2 tenant A fw-reject)" = $((before + 1)) ] ||
		diag "fw-reject $before -> $(drops hv2 tenant A fw-reject)" || return 1
	expect_conn 'EHOSTUNREACH|ENETUNREACH|EACCES' x1 udp 10.0.0.2 54 ||
		return 1
	[ "$(drops hv2 tenant A fw-reject)" -ge $((before + 2)) ] ||
		diag "fw-reject on hv2 $before -> $(drops hv2 tenant A fw-reject)"
}

# port_readd HV VM TENANT I: VM's port added again, as vm_add added it.
port_readd()
{
	local mac

	mac=$(printf '02:00:00:%02x:00:%02x' "$(printf %d "'$3")" "$4")
	nvn "$1" port add "$2" tenant "$3" mac "$mac" ip "10.0.0.$4" ip "fd00::$4"
}

# A tenant deleted and created again with the same id (so the same
# conntrack zone), after as many firewall changes as its predecessor
# made: a datagram of a flow the predecessor allowed is not let through
# as decided: its entry went with the old tenant, so the new rules deny
# it (were an entry left, its epoch would make them decide it and cut).
recreated_tenant()
{
	local flow=(c1 10.0.0.1 40000 10.0.0.2 5555)

	nv tenant add C id 3 vni 300 && vm_add hv c1 C 1 && vm_add hv c2 C 2 &&
		rule hv C dir out proto udp dport 5555 action allow >/dev/null &&
		rule hv C dir in proto udp dport 5555 action allow >/dev/null &&
		udp_from "${flow[@]}" && sleep 0.3 || return 1
	[ "$(drops hv tenant C fw-deny)" = 0 ] || diag "the flow was denied" ||
		return 1
	nv tenant del C force && nv tenant add C id 3 vni 300 &&
		port_readd hv c1 C 1 && port_readd hv c2 C 2 &&
		rule hv C dir out proto tcp dport 7 action allow >/dev/null &&
		rule hv C dir in proto tcp dport 7 action allow >/dev/null &&
		udp_from "${flow[@]}" && sleep 0.3 || return 1
	# Denied as a new connection (its entry left with the old tenant),
	# or cut (an entry left over, from another epoch): not passed.
	[ $(($(drops hv tenant C fw-deny) + $(drops hv tenant C fw-cut))) = 1 ] ||
		diag "new tenant: fw-deny $(drops hv tenant C fw-deny), fw-cut $(drops hv tenant C fw-cut)"
}

# A deleted tenant's connections leave conntrack with it; another
# tenant's stay. Runs after recreated_tenant (tenant C, zone 3), and
# load_file (tenant A's rules allow TCP port 80).
deleted_tenant_flushed()
{
	ct_listable || return
	rule hv C dir out proto udp dport 5555 action allow >/dev/null &&
		rule hv C dir in proto udp dport 5555 action allow >/dev/null &&
		udp_from c1 10.0.0.1 40001 10.0.0.2 5555 &&
		expect_conn ok a1 tcp 10.0.0.2 80 && sleep 0.3 || return 1
	ct_zone 3 | grep -q 'sport=40001 dport=5555' &&
		ct_zone 1 | grep -q 'dport=80 ' ||
		diag "before: zone 3: $(ct_zone 3); zone 1: $(ct_zone 1)" ||
		return 1
	nv tenant del C force || return 1
	[ -z "$(ct_zone 3)" ] && ct_zone 1 | grep -q 'dport=80 ' ||
		diag "after: zone 3: $(ct_zone 3); zone 1: $(ct_zone 1)"
}

# load: a file's rules in one change; a bad rule in it changes nothing.
load_file()
{
	local f=$TMPDIR/rules epoch i out rc

	fw_reset hv A && epoch=$(fwv hv A epoch) || return 1
	for i in $(seq 1 200); do
		echo "prio $i dir in src 172.16.$((i / 250)).$((i % 250))/32 proto tcp dport $i action deny"
	done >"$f"
	echo "dir in proto tcp dport 80 action allow" >>"$f"
	echo "dir out proto tcp dport 80 action allow" >>"$f"
	nv fw load tenant A "$f" || return 1
	[ "$(fw_nrules hv A)" = 202 ] &&
		[ "$(fwv hv A epoch)" = $((epoch + 1)) ] ||
		diag "rules $(fw_nrules hv A), epoch $epoch -> $(fwv hv A epoch)" ||
		return 1
	expect_conn ok a1 tcp 10.0.0.2 80 || return 1
	epoch=$(fwv hv A epoch)
	printf 'dir in action allow\ndir in src @nosuch action allow\n' >"$f"
	out=$(nv fw load tenant A "$f" 2>&1) && rc=0 || rc=$?
	[ $rc = 1 ] && grep -qE "^$f:2: Error: .*group" <<<"$out" ||
		diag "a refused rule's line not named: exit $rc: $out" || return 1
	[ "$(fw_nrules hv A)" = 202 ] &&
		[ "$(fwv hv A epoch)" = "$epoch" ] ||
		diag "a failed load changed the firewall"
}

unload()
{
	module_unload && ! module_loaded
}

run_cases
tap_end
