#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The selftests' own harness: a script killed midway leaves nothing
# behind, so the next script starts from a clean slate. A child script
# (sourcing lib.sh, as every selftest does) makes the namespace "ul" with
# a probe veth whose other end stays here; the probe exists as long as
# "ul" does.
#
#   this netns: nvh-probe <-- veth --> p in netns ul (the child's)

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"killed_leaves_nothing	| harness: a script killed midway leaves no namespace behind"
	"shared_leaves_ul	| harness: control: without its own /run/netns a killed script's namespace stays"
	"term_runs_cleanup	| harness: a script stopped by SIGTERM runs its cleanup"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
TMPDIR=$(mktemp -d)
trap 'cleanup; ip link del nvh-probe 2>/dev/null; rm -rf "$TMPDIR"' EXIT

CHILD=$TMPDIR/child.sh
cat >"$CHILD" <<EOF
#!/bin/bash
set -u
source "$NV_ROOT/tests/selftests/lib.sh"
trap cleanup EXIT
netns_add ul || exit 1
ip link add nvh-probe type veth peer name p netns ul || exit 1
: >"$TMPDIR/ready"
sleep 600
EOF
chmod +x "$CHILD"

# child_start [ENV...]: the child in a session (and process group) of its
# own, as timeout(1) runs a script; prints its pid once it is ready.
child_start()
{
	local pid i

	rm -f "$TMPDIR/ready"
	env "$@" setsid "$CHILD" </dev/null >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 300); do
		[ -e "$TMPDIR/ready" ] && echo "$pid" && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	diag "the child did not start"
}

# child_stop SIGNAL PID: signals the child's process group and waits
# until the child is gone (started in a command substitution, it is not
# this shell's child: init reaps it).
child_stop()
{
	local i

	kill "-$1" -- "-$2" || return 1
	for i in $(seq 150); do
		kill -0 "$2" 2>/dev/null || return 0
		sleep 0.2
	done
	diag "the child outlived SIG$1 by 30 s"
}

# probe_gone: the probe veth disappears (with its peer's namespace) within
# 30 s; namespaces are dismantled by a kernel worker, not at once.
probe_gone()
{
	local i

	for i in $(seq 150); do
		ip link show nvh-probe >/dev/null 2>&1 || return 0
		sleep 0.2
	done
	diag "nvh-probe still exists"
}

killed_leaves_nothing()
{
	local pid

	pid=$(child_start) && ip link show nvh-probe >/dev/null &&
		child_stop KILL "$pid" && probe_gone
}

# Control: the same child in this script's /run/netns keeps "ul" after a
# SIGKILL (no cleanup ran), and a second run cannot make "ul" again -
# what a shared /run/netns did to the scripts after a killed one.
shared_leaves_ul()
{
	local pid out

	pid=$(child_start NV_NETNS_SHARED=1) && child_stop KILL "$pid" ||
		return 1
	ip netns list | grep -qw ul || diag "ul gone without cleanup" || return 1
	ip link show nvh-probe >/dev/null || diag "probe gone" || return 1
	if out=$(NV_NETNS_SHARED=1 timeout 60 "$CHILD" 2>&1); then
		diag "a second run made ul again: $out"
		return 1
	fi
	ip netns del ul && probe_gone
}

term_runs_cleanup()
{
	local pid

	pid=$(child_start NV_NETNS_SHARED=1) && child_stop TERM "$pid" ||
		return 1
	! ip netns list | grep -qw ul || diag "ul left after SIGTERM" || return 1
	probe_gone
}

run_cases
tap_end
