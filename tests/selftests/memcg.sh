#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What an unprivileged user's netvirt configuration costs is charged to
# its memory cgroup: a user who creates a user and network namespace
# (unshare -U -r -n) holds CAP_NET_ADMIN there and may configure netvirt,
# so its rules and routes must count against its own memory.max, not the
# host's memory. The module parameters userns and max_userns_nets decide
# whether, and in how many namespaces, such a user may configure netvirt.
#
#   cgroup2 root
#     nv-memcg-load  (memory.max 256M)  nobody: unshare -U -r -n, loads
#     nv-memcg-routes (memory.max 256M) nobody: the same, routes only
#     nv-memcg-small (memory.max 16M)   nobody: loads until ENOMEM
#   root, initial userns: netns "other", its tenant keeps working

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"setup			| memcg: cgroup2 with the memory controller, two cgroups"
	"rules_charged		| memcg: firewall rules raise the loader's kernel memory"
	"routes_charged		| memcg: routes raise the loader's kernel memory"
	"other_cgroup_uncharged	| memcg: the same rules loaded from another cgroup charge nothing (control)"
	"limit_refused		| memcg: past memory.max a load fails with ENOMEM, says so, changes nothing"
	"other_tenant_works limit_refused | memcg: another namespace's tenant works after the refusal"
	"userns_on_accepts	| memcg: userns=1 (default) lets a user namespace configure (control)"
	"userns_off_refused	| memcg: userns=0 refuses changes from a user namespace, naming it"
	"userns_nets_limit	| memcg: max_userns_nets bounds a user's configured namespaces"
	"bulk_bad_last setup	| memcg: an unprivileged fw load in parts whose last rule is bad applies nothing"
	"bulk_load setup		| memcg: an unprivileged fw load of 100,000 rules, in parts, applies all (control)"
	"bulk_socket_closed setup | memcg: a load whose socket closes before its commit applies nothing, leaves nothing"
	"bulk_concurrent setup	| memcg: a load committed after another writer's change applies on top of it (control)"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"

CG=
TMPDIR=$(mktemp -d)
# Rules per `fw load`: an unprivileged socket cannot send much more.
BATCH=1000
# Lower bounds of the charge per object (measured: docs/architecture.md,
# "Limits and memory"), with room for the memory cgroup's per-CPU charge
# batches (up to 256 KiB a CPU) on the loads below.
RULE_MIN=250
ROUTE_MIN=100

memcg_cleanup()
{
	echo 1 >/sys/module/netvirt/parameters/userns 2>/dev/null || true
	[ -z "$CG" ] || rmdir "$CG/nv-memcg-load" "$CG/nv-memcg-small" \
		"$CG/nv-memcg-other" "$CG/nv-memcg-routes" 2>/dev/null || true
	rm -rf "$TMPDIR"
	cleanup
}
trap memcg_cleanup EXIT
require_module

# The cgroup2 hierarchy, mounted here when the guest has none: this script
# runs in a mount namespace of its own (lib.sh).
cgroup2_find()
{
	local d

	for d in /sys/fs/cgroup /sys/fs/cgroup/unified; do
		[ -f "$d/cgroup.controllers" ] && CG=$d && return 0
	done
	if ! mountpoint -q /sys/fs/cgroup; then
		mount -t cgroup2 none /sys/fs/cgroup && CG=/sys/fs/cgroup &&
			return 0
	fi
	mkdir -p "$TMPDIR/cg2" && mount -t cgroup2 none "$TMPDIR/cg2" &&
		CG=$TMPDIR/cg2
}

setup()
{
	local g

	cgroup2_find || { skip_reason="no cgroup2"; return $KSFT_SKIP; }
	grep -qw memory "$CG/cgroup.controllers" ||
		{ skip_reason="memory controller not in cgroup2"; return $KSFT_SKIP; }
	echo +memory >"$CG/cgroup.subtree_control" || return 1
	for g in nv-memcg-load nv-memcg-small nv-memcg-other nv-memcg-routes; do
		mkdir -p "$CG/$g" || return 1
		{ echo 0 >"$CG/$g/memory.swap.max"; } 2>/dev/null || true
	done
	echo 256M >"$CG/nv-memcg-load/memory.max" &&
		echo 256M >"$CG/nv-memcg-routes/memory.max" &&
		echo 16M >"$CG/nv-memcg-small/memory.max"
}

# in_cgroup CGROUP COMMAND...: COMMAND as a member of CGROUP, out of the
# OOM killer's reach: a kernel allocation over memory.max then fails with
# ENOMEM instead of killing the requester. A watchdog for hangs.
in_cgroup()
{
	local cg=$CG/$1

	shift
	bash -c 'echo -1000 >/proc/self/oom_score_adj &&
		echo $$ >"$0/cgroup.procs" &&
		exec timeout -s KILL 900 "$@"' "$cg" "$@"
}

# as_user CGROUP SCRIPT: SCRIPT (bash) as nobody, root of a new user
# namespace with a new network namespace, in CGROUP.
as_user()
{
	in_cgroup "$1" setpriv --reuid=65534 --regid=65534 --clear-groups \
		unshare -U -r -n env NVCTL="$TMPDIR/nvctl" T="$TMPDIR" \
		MEM="$CG/$1/memory.current" STAT="$CG/$1/memory.stat" \
		bash -c "$2"
}

# What as_user scripts start with: settle waits for the frees an RCU
# grace period defers (a snapshot a change, 40 KiB) to be uncharged.
# kmem prints the cgroup's kernel memory (memory.stat "kernel": slab,
# vmalloc, percpu), once the statistics' 2 s periodic flush has run: not
# memory.current, which also holds page cache (python's, nvctl's) that a
# small guest's reclaim may take back in the middle of a measure.
SETTLE='kmem()
{
	sleep 2.5
	awk '\''$1 == "kernel" { print $2 }'\'' "$STAT"
}

settle()
{
	local a b=$(cat "$MEM") i

	for ((i = 0; i < 30; i++)); do
		sleep 1
		a=$(cat "$MEM")
		[ $((b - a)) -lt 65536 ] && return
		b=$a
	done
}
'

# rules_file FILE N: N rules, each of its own source address.
rules_file()
{
	local i

	for ((i = 0; i < $2; i++)); do
		echo "dir in src 10.$((i >> 16 & 255)).$((i >> 8 & 255)).$((i & 255))/32 proto tcp dport $((i % 60000 + 1)) action deny"
	done >"$1"
}

# $TMPDIR/nvnl.py: a generic netlink socket, the netvirt family resolved
# (fam), and messages built by hand, for the scripts below.
cat >"$TMPDIR/nvnl.py" <<'PY'
import socket, struct

s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
s.bind((0, 0))

def attr(t, v):
    a = struct.pack("HH", 4 + len(v), t) + v
    return a + b"\0" * (-len(a) % 4)

def msg(typ, flags, seq, cmd, body):
    m = struct.pack("BBH", cmd, 1, 0) + body
    return struct.pack("IHHII", 16 + len(m), typ, flags, seq, 0) + m

s.send(msg(16, 1, 1, 3, attr(2, b"netvirt\0")))
r = s.recv(65536)
off, fam = 20, None
while off < len(r):
    ln, t = struct.unpack_from("HH", r, off)
    if t == 1:
        fam = struct.unpack_from("H", r, off + 4)[0]
    off += (ln + 3) & ~3
PY

# $TMPDIR/routes.py N TENANT: N blackhole /32 routes, 64 requests a
# send (nvctl sends one route a process, too slow for thousands).
cat >"$TMPDIR/routes.py" <<'PY'
import os, struct, sys
from nvnl import s, attr, msg, fam

n, tenant = int(sys.argv[1]), sys.argv[2].encode() + b"\0"
seq = 10
for first in range(0, n, 64):
    buf = b""
    for i in range(first, min(n, first + 64)):
        seq += 1
        nest = (attr(1, tenant) + attr(2, struct.pack("!I", 0x0a000000 + i)) +
                attr(4, b"\x20") + attr(5, b"\x01"))
        buf += msg(fam, 5, seq, 8, attr(0x8000 | 9, nest))
    s.send(buf)
    for _ in range(first, min(n, first + 64)):
        r = s.recv(65536)
        err = struct.unpack_from("i", r, 16)[0]
        if err:
            print("route %d: %s" % (seq, os.strerror(-err)))
            sys.exit(1)
PY

# $TMPDIR/part.py TENANT close|concurrent: a transaction (TXN_BEGIN) with
# one part of a load (FW_RULE_NEW, 3 rules) staged, then: close, the socket
# closes before the commit; concurrent, `nvctl fw rule add` changes the
# firewall, then TXN_COMMIT is sent. Prints the commit's errno name.
cat >"$TMPDIR/part.py" <<'PY'
import errno, os, struct, subprocess, sys
from nvnl import s, attr, msg, fam

tenant, mode = sys.argv[1].encode() + b"\0", sys.argv[2]
TXN_BEGIN, TXN_COMMIT, FW_RULE_NEW = 31, 32, 17

def ack():
    while True:
        r = s.recv(65536)
        if struct.unpack_from("H", r, 4)[0] == 2:
            return struct.unpack_from("i", r, 16)[0]

rule = attr(0x8000 | 14, attr(2, tenant) + attr(5, b"\0") + attr(16, b"\1"))
for seq, cmd, body in ((1, TXN_BEGIN, b""), (2, FW_RULE_NEW, rule * 3)):
    s.send(msg(fam, 5, seq, cmd, body))
    err = ack()
    if err:
        sys.exit("request %d: %s" % (seq, os.strerror(-err)))
if mode == "close":
    sys.exit(0)
subprocess.run([os.environ["NVCTL"], "fw", "rule", "add", "tenant", "t",
                "dir", "out", "action", "allow"], check=True,
               stdout=subprocess.DEVNULL)
s.send(msg(fam, 5, 3, TXN_COMMIT, b""))
print(errno.errorcode.get(-ack(), "OK"))
PY
# nobody runs its own copy: run_all.sh's NV_BIN is root's alone.
cp "$NVCTL" "$TMPDIR/nvctl" && chmod -R a+rX "$TMPDIR"

# note TEXT: a diagnostic line that is not a failure.
note() { echo "# $*" >&2; }

# grew SCRIPT-OUTPUT N MIN WHAT: "BEFORE AFTER" grew by at least N*MIN.
grew()
{
	local before after

	read -r before after <<<"$1"
	[ -n "$after" ] || diag "$4: no measure: $1" || return 1
	note "$4: kernel memory +$((after - before)) bytes, $(((after - before) / $2)) per object"
	[ $((after - before)) -ge $(($2 * $3)) ] ||
		diag "$4: expected at least $(($2 * $3))"
}

rules_charged()
{
	local n=$((4 * BATCH)) out

	rules_file "$TMPDIR/rules" $BATCH || return 1
	out=$(as_user nv-memcg-load "$SETTLE"'
		"$NVCTL" tenant add t id 1 vni 1 >/dev/null || exit 1
		settle
		b=$(kmem)
		for i in 1 2 3 4; do
			"$NVCTL" fw load tenant t "$T/rules" >/dev/null || exit 1
		done
		settle
		echo "$b $(kmem)"') || diag "$out" || return 1
	grew "$out" $n $RULE_MIN rules
}

# Python runs once before the measure: the page cache its first start
# reads (some MB) is charged to the cgroup too. A cgroup of its own: the
# rules case's namespace may still be freeing its configuration (slowly,
# on the debug kernel), which would lower this one's measure.
routes_charged()
{
	local n=8192 out

	out=$(as_user nv-memcg-routes "$SETTLE
		\"\$NVCTL\" tenant add t id 1 vni 1 >/dev/null || exit 1
		python3 \"\$T/routes.py\" 0 t || exit 1
		settle
		b=\$(kmem)
		python3 \"\$T/routes.py\" $n t || exit 1
		settle
		echo \"\$b \$(kmem)\"") || diag "$out" || return 1
	grew "$out" $n $ROUTE_MIN routes
}

# Control: the loads above, by root of another cgroup, do not raise this
# cgroup's memory.current by a tenth of what they cost.
other_cgroup_uncharged()
{
	local n=$((4 * BATCH)) mem=$CG/nv-memcg-load/memory.current b a i

	netns_add ctl && rules_file "$TMPDIR/rules" $BATCH || return 1
	b=$(cat "$mem")
	in_cgroup nv-memcg-other "$NVCTL" -n ctl tenant add t id 1 vni 1 \
		>/dev/null || return 1
	for i in 1 2 3 4; do
		in_cgroup nv-memcg-other "$NVCTL" -n ctl fw load tenant t \
			"$TMPDIR/rules" >/dev/null || return 1
	done
	a=$(cat "$mem")
	note "other cgroup's load: this one's memory.current $b -> $a"
	[ $((a - b)) -lt $((n * RULE_MIN / 10)) ] ||
		diag "charged here: $((a - b))"
}

# Loads of BATCH rules until one fails: ENOMEM with the message; the
# tenant then has the rules of the loads that passed, all of them.
limit_refused()
{
	local out loads rules msg

	rules_file "$TMPDIR/rules" $BATCH || return 1
	out=$(as_user nv-memcg-small '
		"$NVCTL" tenant add t id 1 vni 1 >/dev/null || exit 1
		for i in $(seq 1 200); do
			err=$("$NVCTL" fw load tenant t "$T/rules" 2>&1 >/dev/null) ||
				break
		done
		sleep 1
		n=$("$NVCTL" -j info | grep -o "\"rules\": *[0-9]*" | grep -o "[0-9]*$")
		echo "$i $n $err"') || diag "$out" || return 1
	read -r loads rules msg <<<"$out"
	note "load $loads refused, $rules rules kept: $msg"
	[ "$msg" = "Error: out of memory: the caller's memory cgroup limit, or the host's" ] ||
		diag "no ENOMEM message" || return 1
	[ "$loads" -gt 1 ] && [ "$rules" = $(((loads - 1) * BATCH)) ] ||
		diag "after $loads loads, $rules rules: half applied?"
}

other_tenant_works()
{
	netns_add other && rules_file "$TMPDIR/rules" $BATCH &&
		"$NVCTL" -n other tenant add o id 1 vni 1 >/dev/null &&
		"$NVCTL" -n other fw load tenant o "$TMPDIR/rules" >/dev/null &&
		"$NVCTL" -n other route add tenant o 10.9.0.0/16 blackhole \
			>/dev/null
}

userns_on_accepts()
{
	local out

	echo 1 >/sys/module/netvirt/parameters/userns &&
		out=$(as_user nv-memcg-load '"$NVCTL" tenant add t id 1 vni 1') ||
		diag "$out"
}

userns_off_refused()
{
	local p=/sys/module/netvirt/parameters/userns out rc

	echo 0 >$p || return 1
	out=$(as_user nv-memcg-load '"$NVCTL" tenant add t id 1 vni 1' 2>&1) &&
		rc=0 || rc=$?
	echo 1 >$p
	[ $rc -ne 0 ] || diag "accepted: $out" || return 1
	echo "$out" | grep -q "^Error: .*(parameter userns)" ||
		diag "unexpected: $out"
}

# Three namespaces of one user, each in a user namespace of its own, with
# max_userns_nets=2: the third is refused while the first two hold a
# tenant each.
userns_nets_limit()
{
	local p=/sys/module/netvirt/parameters/max_userns_nets old out i
	local hold='"$NVCTL" tenant add t id 1 vni 1 >/dev/null &&
		touch "$T/sync/$$" && until [ -e "$T/sync/stop" ]; do sleep 0.2; done'

	mkdir -m 1777 "$TMPDIR/sync" && old=$(cat $p) && echo 2 >$p || return 1
	as_user nv-memcg-load "$hold" &
	as_user nv-memcg-load "$hold" &
	for ((i = 0; i < 300; i++)); do
		[ "$(ls "$TMPDIR/sync" | wc -l)" -ge 2 ] && break
		sleep 0.2
	done
	out=$(as_user nv-memcg-load '"$NVCTL" tenant add t id 1 vni 1' 2>&1) &&
		out="third accepted"
	touch "$TMPDIR/sync/stop"
	wait
	echo "$old" >$p
	echo "$out" | grep -q "^Error: .*(max_userns_nets)" || diag "unexpected: $out"
}

# Files of BULK rules: bulk, and bulk.bad whose last rule the module
# refuses (a port group that does not exist).
BULK=100000
bulk_files()
{
	[ -f "$TMPDIR/bulk" ] && return
	awk -v n=$BULK 'BEGIN { for (i = 0; i < n; i++)
		printf "dir in src 10.%d.%d.%d/32 proto tcp dport %d action deny\n",
			int(i / 65536) % 256, int(i / 256) % 256, i % 256,
			i % 60000 + 1 }' >"$TMPDIR/bulk" &&
		head -n $((BULK - 1)) "$TMPDIR/bulk" >"$TMPDIR/bulk.bad" &&
		echo "dir in pgroup nosuch action deny" >>"$TMPDIR/bulk.bad" &&
		chmod a+r "$TMPDIR/bulk" "$TMPDIR/bulk.bad"
}

# rules_after SCRIPT: the rules of the namespace after SCRIPT, as nobody.
rules_after()
{
	local out

	out=$(as_user nv-memcg-load '"$NVCTL" tenant add t id 1 vni 1 >/dev/null || exit 1
		'"$1"'
		"$NVCTL" -j info') || { diag "$out"; return 1; }
	echo "$out" | json_get counts.rules
}

bulk_bad_last()
{
	local n

	bulk_files || return 1
	n=$(rules_after 'err=$("$NVCTL" fw load tenant t "$T/bulk.bad" 2>&1) &&
		exit 1
		echo "$err" | grep -q "bulk.bad:'$BULK'.*port group does not exist" ||
		{ echo "$err"; exit 1; }') || return 1
	[ "$n" = 0 ] || diag "rules after the failed load: $n"
}

bulk_load()
{
	local n

	bulk_files || return 1
	n=$(rules_after '"$NVCTL" fw load tenant t "$T/bulk" >/dev/null || exit 1
		[ "$("$NVCTL" fw show tenant t | grep -c " action deny")" = '$BULK' ] ||
		exit 1') || return 1
	[ "$n" = $BULK ] || diag "rules after the load: $n"
}

# The staged rules of the closed socket's transaction are not published
# by the next load, which holds one rule.
bulk_socket_closed()
{
	local n

	n=$(rules_after 'python3 "$T/part.py" t close || exit 1
		echo "dir in action deny" |
			"$NVCTL" fw load tenant t - >/dev/null || exit 1') ||
		return 1
	[ "$n" = 1 ] || diag "rules after the loads: $n"
}

# The requests of a transaction are judged at its commit: the rule
# `fw rule add` added, then the load's three.
bulk_concurrent()
{
	local n

	n=$(rules_after 'r=$(python3 "$T/part.py" t concurrent)
		[ "$r" = OK ] || { echo "the commit: $r"; exit 1; }') ||
		return 1
	[ "$n" = 4 ] || diag "rules after the load: $n"
}

# Without a memory controller (the debug kernel is built without
# CONFIG_MEMCG) nothing can be charged: the whole script skips, and no
# case runs against a cgroup that is not there.
if ! cgroup2_find || ! grep -qw memory "$CG/cgroup.controllers"; then
	echo "1..0 # SKIP no cgroup2 memory controller"
	exit $KSFT_SKIP
fi
run_cases
tap_end
