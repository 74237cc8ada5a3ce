#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nvctl monitor: timestamps (-t, -ts, and in -j), filters by object and
# tenant, a connection cut by a firewall change reset at both ends and
# its stragglers not logged as new connections, and the monitor's exit
# when the module goes.
#
#                         netns hv (netvirt)
#          tenant A (id 1, vni 100)       tenant B (id 2, vni 200)
#          a1            a2               b1            b2
#           |             |                |             |
#     vm-a1 eth0    vm-a2 eth0       vm-b1 eth0    vm-b2 eth0
#     10.0.0.1      10.0.0.2         10.0.0.1      10.0.0.2
#     fd00::1       fd00::2          fd00::1       fd00::2
#                   (TCP echo on 81, 82)
#
# Both tenants' policies deny and log: a datagram to UDP port 7 is a
# logged denial, the trigger of the cases.

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"setup			| monitor: setup: 2 tenants, 4 VMs, policies deny and log"
	"plain			| monitor: no -t, no timestamp in text or JSON"
	"timestamp		| monitor: -t prints a Timestamp line as ip -t monitor"
	"timestamp_short		| monitor: -ts starts the line with [date.usec] as ip -ts monitor"
	"timestamp_json		| monitor: -t -j adds a timestamp member"
	"tenant_filter		| monitor: tenant B shows B's events only; unfiltered shows both"
	"object_filter		| monitor: fw and all show the firewall's events; an unknown object is a usage error"
	"cut_reset		| monitor: a cut TCP connection is reset at both ends, logged once as fw-cut"
	"cut_reset6		| monitor: likewise over IPv6"
	"cut_no_reversed		| monitor: a cut flow's reply is dropped as fw-cut, not logged; a new one from there is"
	"module_gone		| monitor: exits 1 saying so when the module is unloaded; runs on before"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
require_module

nv() { "$NVCTL" -n hv "$@"; }

TMPDIR=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; cleanup; rm -rf "$TMPDIR"' EXIT

# vm_add NAME TENANT INDEX: a VM netns with eth0, and its port.
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

# poll N COMMAND...: COMMAND until it succeeds, N times 0.1 s at most.
poll()
{
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# udp_from VM SRC SPORT DST DPORT: one datagram with a given source port.
udp_from()
{
	vm "$1" python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.sendto(b"x", (sys.argv[3], int(sys.argv[4])))' "${@:2}"
}

# trigger VM [PORT]: a logged denial, by the policy of VM's tenant; to
# UDP port PORT, 7 unless given.
trigger()
{
	vm "$1" bash -c "echo x >/dev/udp/10.0.0.2/${2:-7}" 2>/dev/null
	true
}

drops() { nv -j stats tenant "$1" | json_get "0.drops.$2"; }

# mon FILE ARGS...: nvctl ARGS... in the background, into FILE (and
# FILE.err); its pid in mon_pid.
mon()
{
	local file=$1
	shift
	"$NVCTL" -n hv "$@" >"$file" 2>"$file.err" &
	mon_pid=$!
	pids+=("$mon_pid")
}

# mon_until FILE REGEX TRIGGER...: TRIGGER every 0.3 s until FILE has a
# line matching REGEX (the monitor has joined once one does).
mon_until()
{
	local file=$1 re=$2 i
	shift 2
	for i in $(seq 30); do
		grep -qE "$re" "$file" && return 0
		"$@"
		sleep 0.3
	done
	diag "no line matching '$re' in $file: $(cat "$file" "$file.err")"
}

# mon_done: the monitor's exit status, once it exits (10 s at most).
mon_done()
{
	poll 100 eval '! kill -0 "$mon_pid" 2>/dev/null' ||
		{ kill "$mon_pid"; diag "monitor still running"; }
	wait "$mon_pid"
}

setup()
{
	netns_add hv
	nv tenant add A id 1 vni 100 && nv tenant add B id 2 vni 200 &&
		vm_add a1 A 1 && vm_add a2 A 2 &&
		vm_add b1 B 1 && vm_add b2 B 2 &&
		nv fw policy tenant A deny log && nv fw policy tenant B deny log ||
		return 1
	# Not through vm(): a function runs in a subshell, whose kill would
	# leave the server running, holding run_all.sh's output open.
	ip netns exec vm-a2 python3 -c 'import socket, threading
def echo(c):
    try:
        while (d := c.recv(4096)):
            c.send(d)
    except OSError:
        pass
def serve(port):
    s = socket.socket(socket.AF_INET6)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", port)); s.listen(8)
    while True:
        threading.Thread(target=echo, args=(s.accept()[0],), daemon=True).start()
threading.Thread(target=serve, args=(81,), daemon=True).start()
serve(82)' &
	pids+=($!)
	poll 50 listening a2 82 || diag "no echo server on a2"
}

listening() { vm "$1" ss -Htln "sport = :$2" | grep -q .; }

# stamped ARGS...: the first event of `nvctl ARGS... monitor count 1`.
stamped()
{
	mon "$TMPDIR/ev" "$@" monitor count 1
	mon_until "$TMPDIR/ev" 'fw' trigger a1 && mon_done
}

plain()
{
	stamped && grep -qE '^fw tenant A .*dport 7$' "$TMPDIR/ev" &&
		! grep -q 'Timestamp' "$TMPDIR/ev" || diag "$(cat "$TMPDIR/ev")" ||
		return 1
	stamped -j && ! grep -q timestamp "$TMPDIR/ev" ||
		diag "$(cat "$TMPDIR/ev")"
}

timestamp()
{
	local re='^Timestamp: [A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4} [0-9]{1,6} usec$'

	stamped -t || return 1
	[ "$(wc -l <"$TMPDIR/ev")" = 2 ] &&
		sed -n 1p "$TMPDIR/ev" | grep -qE "$re" &&
		sed -n 2p "$TMPDIR/ev" | grep -qE '^fw tenant A ' ||
		diag "$(cat "$TMPDIR/ev")"
}

timestamp_short()
{
	stamped -ts &&
		grep -qE '^\[[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{6}\] fw tenant A ' \
			"$TMPDIR/ev" || diag "$(cat "$TMPDIR/ev")"
}

timestamp_json()
{
	local ts

	stamped -t -j && ts=$(json_get timestamp <"$TMPDIR/ev") &&
		[[ $ts =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{6}Z$ ]] &&
		[ "$(json_get tenant <"$TMPDIR/ev")" = A ] ||
		diag "$(cat "$TMPDIR/ev")"
}

# Each monitor sees its first event only once both tenants' triggers run.
tenant_filter()
{
	local all b

	mon "$TMPDIR/all" -j monitor
	all=$mon_pid
	mon "$TMPDIR/b" -j monitor tenant B
	b=$mon_pid
	mon_until "$TMPDIR/all" '"tenant":"B"' eval 'trigger a1; trigger b1' &&
		mon_until "$TMPDIR/b" '"tenant":"B"' eval 'trigger a1; trigger b1' ||
		return 1
	kill "$all" "$b"
	wait "$all" "$b"
	grep -q '"tenant":"A"' "$TMPDIR/all" ||
		diag "unfiltered: $(cat "$TMPDIR/all")" || return 1
	! grep -q '"tenant":"A"' "$TMPDIR/b" || diag "tenant B: $(cat "$TMPDIR/b")"
}

object_filter()
{
	local obj rc

	for obj in fw all "fw tenant A"; do
		# shellcheck disable=SC2086 # a list of words
		mon "$TMPDIR/obj" monitor $obj count 1
		mon_until "$TMPDIR/obj" '^fw tenant A ' trigger a1 && mon_done ||
			return 1
	done
	"$NVCTL" -n hv monitor route 2>/dev/null && rc=0 || rc=$?
	[ $rc = 2 ] || diag "monitor route: exit $rc"
}

# established NS PORT: connections established to or from PORT in NS.
established()
{
	vm "$1" ss -Htn state established "( sport = :$2 or dport = :$2 )" |
		wc -l
}

# cut_tcp ADDR PORT: a connection a1 -> a2 (ADDR), port PORT, held open;
# a deny rule cuts it: the client's next exchange is reset, the server's
# socket is reset too. The cut is logged once (its event comes before the
# marker's, a denial to UDP port 8).
cut_tcp()
{
	local addr=$1 port=$2 before out

	nv fw rule add tenant A dir out proto tcp dport "$port" action allow >/dev/null &&
		nv fw rule add tenant A dir in proto tcp dport "$port" action allow >/dev/null ||
		return 1
	rm -f "$TMPDIR/held" "$TMPDIR/go"
	ip netns exec vm-a1 "$XCHG" hold "$addr" "$port" "$TMPDIR" >"$TMPDIR/hold" &
	pids+=($!)
	poll 50 test -e "$TMPDIR/held" && [ "$(head -n 1 "$TMPDIR/hold")" = ok ] ||
		diag "held connection: $(cat "$TMPDIR/hold")" || return 1
	# The control: the server holds the connection before the cut.
	[ "$(established a2 "$port")" = 1 ] ||
		diag "a2 before the cut: $(established a2 "$port") connections" ||
		return 1
	mon "$TMPDIR/cut" -j monitor tenant A
	mon_until "$TMPDIR/cut" '"dport":7' trigger a1 || return 1
	before=$(drops A fw-cut)
	nv fw rule add tenant A dir in prio 10 proto tcp dport "$port" action deny log \
		>/dev/null || return 1
	touch "$TMPDIR/go"
	poll 50 eval '[ -n "$(sed -n 2p "$TMPDIR/hold")" ]'
	out=$(sed -n 2p "$TMPDIR/hold")
	[ "$out" = ECONNRESET ] || diag "client after the cut: $out" || return 1
	poll 30 eval '[ "$(established a2 "$port")" = 0 ]' ||
		diag "a2 after the cut: $(established a2 "$port") connections" ||
		return 1
	[ "$(drops A fw-cut)" -gt "$before" ] ||
		diag "fw-cut $before -> $(drops A fw-cut)" || return 1
	mon_until "$TMPDIR/cut" '"dport":8' trigger a1 8 || return 1
	kill "$mon_pid"
	[ "$(grep -c '"reason":"fw-cut"' "$TMPDIR/cut")" = 1 ] ||
		diag "events: $(cat "$TMPDIR/cut")"
}

cut_reset() { cut_tcp 10.0.0.2 81; }
cut_reset6() { cut_tcp fd00::2 82; }

# A UDP flow a1:5555 <-> a2:5353, cut by a deny rule: a2's next datagram
# of it is the flow's reply, not a new connection from a2 (without the
# mark it would be one, denied by the policy and logged). A datagram of
# a2's from another port is a new one, logged: the control, and the
# marker that the straggler's event would have come before.
cut_no_reversed()
{
	local before

	nv fw rule add tenant A dir out proto udp dport 5353 action allow >/dev/null &&
		nv fw rule add tenant A dir in proto udp dport 5353 action allow >/dev/null &&
		udp_from a1 10.0.0.1 5555 10.0.0.2 5353 &&
		udp_from a2 10.0.0.2 5353 10.0.0.1 5555 || return 1
	mon "$TMPDIR/rev" -j monitor tenant A
	mon_until "$TMPDIR/rev" '"dport":7' trigger a1 || return 1
	nv fw rule add tenant A dir in prio 10 proto udp dport 5353 action deny log \
		>/dev/null || return 1
	udp_from a1 10.0.0.1 5555 10.0.0.2 5353 &&
		mon_until "$TMPDIR/rev" '"reason":"fw-cut"' true || return 1
	before=$(drops A fw-cut)
	udp_from a2 10.0.0.2 5353 10.0.0.1 5555 &&
		mon_until "$TMPDIR/rev" '"sport":6000' \
			udp_from a2 10.0.0.2 6000 10.0.0.1 5555 || return 1
	kill "$mon_pid"
	! grep -q '"src":"10.0.0.2","sport":5353' "$TMPDIR/rev" ||
		diag "the reply logged: $(cat "$TMPDIR/rev")" || return 1
	[ "$(drops A fw-cut)" = $((before + 1)) ] ||
		diag "fw-cut $before -> $(drops A fw-cut)"
}

# Last: the module goes. It is loaded again for the scripts after this.
module_gone()
{
	local rc

	mon "$TMPDIR/gone" monitor
	mon_until "$TMPDIR/gone" '^fw tenant A ' trigger a1 || return 1
	kill -0 "$mon_pid" || diag "monitor exited before the unload" || return 1
	rmmod netvirt || return 1
	mon_done && rc=0 || rc=$?
	module_load || diag "reloading the module failed" || return 1
	[ $rc = 1 ] && grep -q '^Error: the netvirt module was unloaded$' \
		"$TMPDIR/gone.err" || diag "exit $rc: $(cat "$TMPDIR/gone.err")"
}

run_cases
tap_end
