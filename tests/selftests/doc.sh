#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The configuration as one document: save prints the lines that build a
# host's (or a tenant's) network; a host of the same device names given
# them (batch, or sync, text or JSON) saves the same lines; sync changes
# only what differs, so what stays keeps its handles, counters and
# connections; diff and sync check change nothing.
#
#   netns hv1, hv2, hv3: the same devices - dummy0 192.0.2.10 (underlay),
#   up0 (uplink), b1, b2 (tenant blue), r1 (tenant red)
#   hv1: overlay, uplink, tenants blue (deny, rules, groups, routes,
#   NAT) and red (deny log); hv2 and hv3 start empty

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"setup			| doc: setup: three hosts with the same devices, one configured"
	"save			| doc: save prints every object, no counters, no port routes, no handles"
	"round_trip		| doc: save, batch on an empty host, save: the same lines"
	"round_trip_json		| doc: save -j, sync on an empty host, save: the same lines"
	"batch_json round_trip_json | doc: sync to an empty file empties a host; batch of save -j rebuilds it"
	"nothing		| doc: diff and sync of the saved file: nothing to do, no generation"
	"one_rule		| doc: sync of a changed rule keeps the others' handles, counters and a TCP connection"
	"check			| doc: sync check and diff print the change and change nothing"
	"tenant			| doc: sync tenant changes that tenant only; another tenant's line is refused"
	"replace			| doc: sync to another tenant and port set: what goes goes, what stays stays"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
TMPDIR=$(mktemp -d)
trap 'cleanup; rm -rf "$TMPDIR"' EXIT
require_module

nvh() { local h=$1; shift; "$NVCTL" -n "hv$h" "$@"; }
gen() { nvh "$1" -j info | json_get config_gen; }

# devices H: the devices every host has, the VMs of hv1 behind b1, b2.
devices()
{
	local h=$1 v

	netns_add "hv$h" &&
		ip -n "hv$h" link add dummy0 type dummy &&
		ip -n "hv$h" addr add 192.0.2.10/24 dev dummy0 &&
		ip -n "hv$h" link set dummy0 up &&
		ip -n "hv$h" link add up0 type veth peer name up0p &&
		ip -n "hv$h" link set up0 up || return 1
	for v in b1 b2 r1; do
		netns_add "vm-$h$v" &&
			ip -n "hv$h" link add "$v" type veth peer name eth0 netns "vm-$h$v" &&
			ip -n "hv$h" link set "$v" up || return 1
	done
}

vm_addr()
{
	ip -n "vm-1$1" link set eth0 address "$2" up &&
		ip -n "vm-1$1" addr add "$3/24" dev eth0 &&
		ip -n "vm-1$1" route add default dev eth0
}

# The configuration of hv1, one of every kind of line.
cat >"$TMPDIR/hv1.batch" <<'EOF'
host set underlay 192.0.2.10 encap vxlan
uplink set dev up0
tenant add blue id 7 vni 700
tenant add red id 8 vni 800
fw policy tenant blue deny
fw policy tenant red deny log
fw group add tenant blue ops 192.0.2.0/24 2001:db8::/64
port add b1 tenant blue mac 02:00:00:00:00:01 ip 10.0.0.1
port add b2 tenant blue mac 02:00:00:00:00:02 ip 10.0.0.2
port add r1 tenant red mac 02:00:00:00:00:03 ip 10.0.0.1
fw pgroup add tenant blue web b2
route add tenant blue 10.20.0.0/16 nexthop dev b1 nexthop dev b2
route add tenant blue 0.0.0.0/0 uplink
route add tenant blue 10.30.0.0/16 blackhole
fw rule add tenant blue dir out action allow
fw rule add tenant blue dir in pgroup web proto tcp dport 7000 action allow
fw rule add tenant blue dir in src @ops proto tcp dport 22 action allow log
fw rule add tenant blue prio 10 dir in port b1 proto udp dport 53 action deny persist
nat add tenant blue snat src 10.0.0.0/24 to 198.51.100.11 ports 61000-61999
nat add tenant blue fip 198.51.100.30 to 10.0.0.2
EOF

setup()
{
	devices 1 && devices 2 && devices 3 || return 1
	vm_addr b1 02:00:00:00:00:01 10.0.0.1 &&
		vm_addr b2 02:00:00:00:00:02 10.0.0.2 || return 1
	nvh 1 batch "$TMPDIR/hv1.batch"
} >/dev/null 2>&1

save()
{
	local out

	nvh 1 save >"$TMPDIR/A" || return 1
	out=$(cat "$TMPDIR/A")
	# Every line of the batch is saved (in the module's words).
	[ "$(grep -c . "$TMPDIR/A")" = "$(grep -c . "$TMPDIR/hv1.batch")" ] ||
		diag "saved: $out" || return 1
	echo "$out" | grep -qx 'host set underlay 192.0.2.10 dev dummy0 encap vxlan port 4789' &&
		echo "$out" | grep -qx 'uplink set dev up0' &&
		echo "$out" | grep -qx 'fw policy tenant red deny log' &&
		echo "$out" | grep -q '^fw rule add tenant blue prio 10 dir in port b1 proto udp dport 53 action deny persist$' &&
		echo "$out" | grep -qx 'nat add tenant blue fip 198.51.100.30 to 10.0.0.2' ||
		diag "saved: $out" || return 1
	! echo "$out" | grep -qE 'proto port|handle|packets|state' ||
		diag "counters or derived objects saved: $out"
}

round_trip()
{
	nvh 2 batch "$TMPDIR/A" >/dev/null 2>&1 || diag "$(nvh 2 batch "$TMPDIR/A" 2>&1)" ||
		return 1
	nvh 2 save >"$TMPDIR/B" && diff -u "$TMPDIR/A" "$TMPDIR/B" >&2 ||
		diag "hv2 saves other lines"
}

round_trip_json()
{
	nvh 1 -j save >"$TMPDIR/A.json" || return 1
	[ "$(json_get gen <"$TMPDIR/A.json")" = "$(gen 1)" ] ||
		diag "gen: $(cat "$TMPDIR/A.json")" || return 1
	nvh 3 sync "$TMPDIR/A.json" >/dev/null 2>&1 ||
		diag "$(nvh 3 sync "$TMPDIR/A.json" 2>&1)" || return 1
	nvh 3 save >"$TMPDIR/C" && diff -u "$TMPDIR/A" "$TMPDIR/C" >&2 ||
		diag "hv3 saves other lines"
}

# hv3, configured by round_trip_json, emptied by a sync, then built from
# the JSON document by batch; a JSON entry that is no command fails,
# naming its entry, and applies nothing.
batch_json()
{
	local out

	: >"$TMPDIR/empty"
	nvh 3 sync "$TMPDIR/empty" >/dev/null &&
		[ -z "$(nvh 3 save)" ] || diag "not emptied: $(nvh 3 save)" ||
		return 1
	printf '{"gen":1,"lines":["tenant add t1 id 1 vni 1","bogus"]}' >"$TMPDIR/bad.json"
	out=$(nvh 3 batch "$TMPDIR/bad.json" 2>&1) && diag "applied: $out" &&
		return 1
	echo "$out" | grep -q "bad.json:2: " && [ -z "$(nvh 3 save)" ] ||
		diag "bad entry: $out; $(nvh 3 save)" || return 1
	nvh 3 batch "$TMPDIR/A.json" || return 1
	nvh 3 save >"$TMPDIR/C" && diff -u "$TMPDIR/A" "$TMPDIR/C" >&2 ||
		diag "hv3 saves other lines"
}

nothing()
{
	local g=$(gen 1) out

	out=$(nvh 1 diff "$TMPDIR/A") && [ -z "$out" ] ||
		diag "diff: $out" || return 1
	nvh 1 sync "$TMPDIR/A" && [ "$(gen 1)" = "$g" ] ||
		diag "sync of nothing: generation $g -> $(gen 1)"
}

# rules H: "HANDLE PACKETS" of tenant blue's rules on hv1, by handle.
rules()
{
	nvh 1 -j fw show tenant blue >"$TMPDIR/fw.json" &&
		json_get 'rules.*.handle' <"$TMPDIR/fw.json" >"$TMPDIR/handles" &&
		json_get 'rules.*.packets' <"$TMPDIR/fw.json" >"$TMPDIR/packets" &&
		paste -d' ' "$TMPDIR/handles" "$TMPDIR/packets" | sort
}

# conn.py serve | talk: an echo server on b2:7000; a client that talks
# once, waits for $TMPDIR/go, talks again, and says "ok" when both went.
cat >"$TMPDIR/conn.py" <<'PY'
import os, socket, sys, time
if sys.argv[1] == "serve":
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.settimeout(60)
    s.bind(("0.0.0.0", 7000)); s.listen(1); c, _ = s.accept()
    c.settimeout(60)
    while True:
        d = c.recv(100)
        if not d:
            break
        c.sendall(d)
    sys.exit(0)
c = socket.create_connection(("10.0.0.2", 7000), timeout=5)
c.sendall(b"one"); assert c.recv(100) == b"one"
open(sys.argv[2] + ".up", "w").close()
for _ in range(600):
    if os.path.exists(sys.argv[2]):
        break
    time.sleep(0.1)
c.sendall(b"two"); assert c.recv(100) == b"two"
print("ok")
PY

one_rule()
{
	local before after g=0 i out t0

	timeout 90 ip netns exec vm-1b2 python3 "$TMPDIR/conn.py" serve &
	sleep 1
	timeout 90 ip netns exec vm-1b1 python3 "$TMPDIR/conn.py" talk "$TMPDIR/go" \
		>"$TMPDIR/talk" &
	for i in $(seq 50); do
		[ -e "$TMPDIR/go.up" ] && break
		sleep 0.2
	done
	[ -e "$TMPDIR/go.up" ] || { touch "$TMPDIR/go"; wait; diag "no connection b1 -> b2"; return 1; }
	before=$(rules) && g=$(gen 1)
	sed 's/proto tcp dport 22 action allow log/proto tcp dport 2222 action allow log/' \
		"$TMPDIR/A" >"$TMPDIR/A2"
	t0=$(date +%s%N)
	nvh 1 sync "$TMPDIR/A2" || return 1
	echo "# sync of $(grep -c . "$TMPDIR/A2") lines, one changed: $((($(date +%s%N) - t0) / 1000000)) ms" >&2
	touch "$TMPDIR/go"
	wait
	[ "$(cat "$TMPDIR/talk")" = ok ] || diag "the connection broke" || return 1
	[ "$(gen 1)" = $((g + 1)) ] || diag "generation $g -> $(gen 1)" || return 1
	after=$(rules)
	# Three rules kept their handles, and counted on: the changed one is new.
	echo "$before" >"$TMPDIR/before" && echo "$after" >"$TMPDIR/after"
	out=$(join "$TMPDIR/before" "$TMPDIR/after")
	[ "$(echo "$out" | grep -c .)" = 3 ] ||
		diag "before: $before; after: $after" || return 1
	echo "$out" | awk '$3 < $2 { exit 1 }' || diag "a counter went back: $out" ||
		return 1
	out=$(nvh 1 diff "$TMPDIR/A2") && [ -z "$out" ] || diag "after sync: $out"
}

check()
{
	local g=$(gen 1) out

	out=$(nvh 1 sync "$TMPDIR/A" check) || diag "check failed: $out" ||
		return 1
	echo "$out" | grep -qx -- '-fw rule add tenant blue prio 1000 dir in src @ops proto tcp dport 2222 action allow log' &&
		echo "$out" | grep -qx -- '+fw rule add tenant blue prio 1000 dir in src @ops proto tcp dport 22 action allow log' &&
		[ "$(echo "$out" | grep -c .)" = 2 ] || diag "check: $out" || return 1
	[ "$(nvh 1 diff "$TMPDIR/A")" = "$out" ] || diag "diff: $(nvh 1 diff "$TMPDIR/A")" ||
		return 1
	[ "$(gen 1)" = "$g" ] || diag "changed: generation $g -> $(gen 1)" ||
		return 1
	# A check fails as the change would: a rule naming no group.
	sed 's/src @ops/src @nosuch/' "$TMPDIR/A" >"$TMPDIR/bad"
	out=$(nvh 1 sync "$TMPDIR/bad" check 2>&1) && diag "bad file checked: $out" &&
		return 1
	[ "$(gen 1)" = "$g" ] || diag "changed: generation $g -> $(gen 1)"
}

tenant()
{
	local blue out

	blue=$(nvh 1 save tenant blue) || return 1
	nvh 1 save tenant red >"$TMPDIR/R" || return 1
	echo "route add tenant red 10.40.0.0/16 dev r1" >>"$TMPDIR/R"
	nvh 1 sync tenant red "$TMPDIR/R" || return 1
	nvh 1 route show tenant red | grep -q '^10.40.0.0/16 dev r1' ||
		diag "red: $(nvh 1 route show tenant red)" || return 1
	[ "$(nvh 1 save tenant blue)" = "$blue" ] || diag "blue changed" ||
		return 1
	# Control: the host's lines, and blue's, are not red's to sync.
	echo "route add tenant blue 10.41.0.0/16 dev b1" >>"$TMPDIR/R"
	out=$(nvh 1 sync tenant red "$TMPDIR/R" 2>&1) && diag "applied: $out" &&
		return 1
	echo "$out" | grep -q "Error: not a line of tenant red" || diag "$out"
}

replace()
{
	local out

	# hv2 becomes hv1's configuration without red, b2 with another
	# address, and the group with other prefixes.
	grep -v 'tenant red\|^tenant add red\|port add r1' "$TMPDIR/A" |
		sed -e 's/ip 10.0.0.2$/ip 10.0.0.22/' -e 's/to 10.0.0.2$/to 10.0.0.22/' \
			-e 's/2001:db8::\/64/203.0.113.0\/24/' \
		>"$TMPDIR/D"
	nvh 2 sync "$TMPDIR/D" || return 1
	out=$(nvh 2 diff "$TMPDIR/D") && [ -z "$out" ] || diag "left: $out" ||
		return 1
	! nvh 2 tenant show red >/dev/null 2>&1 || diag "red stayed" || return 1
	nvh 2 port show b2 | grep -q 'ip 10.0.0.22' || diag "$(nvh 2 port show b2)"
}

run_cases
