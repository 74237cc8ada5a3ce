# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers of the netvirt selftests: TAP output in kselftest style,
# the module, and network namespaces that cleanup() removes on exit.

# Every script runs in a mount namespace of its own, with its own
# /run/netns: the names of its network namespaces cannot collide with
# those of a script before it or beside it, and the namespaces go when the
# script's last process does, however it ends - a script killed midway
# (SIGKILL included) leaves none behind, since the mounts in its
# /run/netns held the last references to them. NV_NETNS_SHARED=1 keeps
# the caller's /run/netns (the harness test's control case).
if [ -z "${NV_NETNS_PRIVATE:-}" ] && [ -z "${NV_NETNS_SHARED:-}" ]; then
	export NV_NETNS_PRIVATE=1
	exec unshare --mount --propagation private -- "$BASH" "$0" "$@"
fi
if [ -n "${NV_NETNS_PRIVATE:-}" ] && [ -z "${NV_NETNS_SHARED:-}" ]; then
	mkdir -p /run/netns
	mount -t tmpfs -o mode=0755 nv-netns /run/netns || exit 1
	# Scripts this one runs get a /run/netns of their own again.
	unset NV_NETNS_PRIVATE
fi
# A script stopped by a signal exits, which runs its EXIT trap (cleanup).
trap 'exit 143' TERM
trap 'exit 130' INT

NV_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# run_all.sh copies the programs to a tmpfs (NV_BIN): the project share is
# not cached, and each start would read them anew over 9p.
NVCTL=${NV_NVCTL:-${NV_BIN:-$NV_ROOT/tools/nvctl}/nvctl}
NLRAW=${NV_BIN:-$NV_ROOT/tests/selftests}/nlraw
JGET=${NV_BIN:-$NV_ROOT/tests/selftests}/jget
XCHG=${NV_BIN:-$NV_ROOT/tests/selftests}/xchg
MODULE=$NV_ROOT/build/$(uname -r)/netvirt.ko

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

tap_n=0
tap_failed=0
tap_t0=${EPOCHREALTIME/./}
nv_netns=()

tap_begin()
{
	echo "TAP version 13"
	echo "1..$1"
	tap_t0=${EPOCHREALTIME/./}
}

# A case's time, as a diagnostic line after its result: where a slow run
# spends its time.
tap_time()
{
	local now=${EPOCHREALTIME/./} us

	us=$((now - tap_t0))
	tap_t0=$now
	printf '# %d.%d s\n' $((us / 1000000)) $((us / 100000 % 10))
}

ok()
{
	tap_n=$((tap_n + 1))
	echo "ok $tap_n $*"
	tap_time
}

not_ok()
{
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n $*"
	tap_time
}

# check DESCRIPTION COMMAND...: one TAP line for the command's success.
check()
{
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

tap_end()
{
	[ $tap_failed -eq 0 ] && exit $KSFT_PASS
	exit $KSFT_FAIL
}

# Print a diagnostic when a check fails.
diag()
{
	echo "# $*" >&2
	return 1
}

module_loaded()
{
	[ -d /sys/module/netvirt ]
}

# Listing does not load the module on demand, as "genl ctrl get" would.
family_listed()
{
	genl ctrl list 2>/dev/null | grep -q 'Name: netvirt'
}

# insmod, after the modules netvirt.ko needs (none on the debug kernel).
module_load()
{
	local deps

	module_loaded && return 0
	deps=$(modinfo -F depends "$MODULE" | tr , ' ')
	[ -z "$deps" ] || modprobe -a $deps || return 1
	insmod "$MODULE"
}

module_unload()
{
	! module_loaded || rmmod netvirt
}

require_module()
{
	if [ ! -f "$MODULE" ]; then
		echo "1..0 # SKIP $MODULE not built"
		exit $KSFT_SKIP
	fi
	module_load
}

# Netfilter and veth live in modules of the guest kernel.
netns_add()
{
	ip netns add "$1" || return 1
	nv_netns+=("$1")
	ip -n "$1" link set lo up
}

cleanup()
{
	local ns

	for ns in "${nv_netns[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
}

# vm NAME COMMAND...: run COMMAND in the VM netns vm-NAME.
vm() { local ns=$1; shift; ip netns exec "vm-$ns" "$@"; }

ping4() { vm "$1" ping -c 2 -i 0.2 -W 2 "${@:2}" >/dev/null 2>&1; }
ping6() { vm "$1" ping -6 -c 2 -i 0.2 -W 2 "${@:2}" >/dev/null 2>&1; }

# tcp_echo FROM TO_NS ADDR: a TCP connection carries 100 kB both ways
# (xchg.c: the client retries while the server starts).
tcp_echo()
{
	local from=$1 to=$2 addr=$3 out

	vm "$to" "$XCHG" serve 7000 &
	out=$(vm "$from" timeout 15 "$XCHG" bulk "$addr" 7000)
	wait
	[ "$out" = 100000 ] || diag "tcp echo got '$out'"
}

# expect_fail EXPECTED_STDERR_REGEX COMMAND...: fails, exit 1, says why.
expect_error()
{
	local re=$1 out rc
	shift
	out=$("$@" 2>&1) && rc=0 || rc=$?
	[ $rc -eq 1 ] || diag "exit $rc, expected 1: $out" || return 1
	echo "$out" | grep -qE "^Error: .*$re" || diag "unexpected message: $out"
}

# json_get PATH: a value of the JSON on stdin (see jget.c for PATH).
json_get() { "$JGET" "$1"; }

# Cases. A script lists its cases at its top, in the order they run:
#
#	cases=(
#		"NAME [NEED...]	| DESCRIPTION"
#	)
#
# NAME is a function of the script, DESCRIPTION its TAP line. A case
# passes by returning 0, skips by setting skip_reason and returning
# $KSFT_SKIP, or prints TAP lines of its own (see tap_relay; its script
# sets plan_at_end=1, the number of lines being known only then). A case
# named setup is needed by every other one; NEEDs are cases that must
# have run before this one. "SCRIPT CASE..." runs only the cases named,
# in table order, each after the cases it needs, which then run without
# a TAP line of their own: any case can run alone.

# The table comes before lib.sh, or there are no cases.
[ -n "${cases+set}" ] || cases=()
declare -A case_done=()
case_wanted=()
plan_at_end=${plan_at_end:-0}
skip_reason=

# case_parse ENTRY: case_id, case_needs and case_desc of a table entry.
case_parse()
{
	case_desc=${1#*|}
	case_desc=${case_desc#"${case_desc%%[![:space:]]*}"}
	read -r case_id case_needs <<<"${1%%|*}"
}

# case_find NAME: the table entry of case NAME, parsed.
case_find()
{
	local e

	for e in "${cases[@]}"; do
		case_parse "$e"
		[ "$case_id" = "$1" ] && return 0
	done
	return 1
}

cases_list()
{
	local e

	for e in "${cases[@]}"; do
		case_parse "$e"
		printf '%-24s %s%s\n' "$case_id" "$case_desc" \
			"${case_needs:+ (needs $case_needs)}"
	done
}

cases_usage()
{
	local e

	echo "usage: $(basename "$0") [-l] [CASE...]"
	echo "Runs the CASEs named, each after the cases it needs, or all;"
	echo "-l lists them with what they check. CASE is one of:"
	for e in "${cases[@]}"; do
		case_parse "$e"
		echo "$case_id"
	done | fmt -w 72 | sed 's/^/    /'
}

# cases_select ARG...: the cases the command line names, all when none;
# -l lists them. Called before any setup: a bad name costs nothing.
cases_select()
{
	local arg

	case ${1:-} in
	-l) cases_list; exit 0 ;;
	-h | --help) cases_usage; exit 0 ;;
	esac
	for arg; do
		if ! case_find "$arg"; then
			echo "$(basename "$0"): no case $arg" >&2
			cases_usage >&2
			exit 2
		fi
		case_wanted+=("$arg")
	done
}

# case_prepare NAME: the cases NAME needs that have not run, run now
# without TAP lines; fails when one of them failed, now or before.
case_prepare()
{
	local needs need

	case_find "$1" || return 1
	needs=$case_needs
	[ "$1" = setup ] || ! case_find setup || needs="setup $needs"
	for need in $needs; do
		if [ -z "${case_done[$need]:-}" ]; then
			case_done[$need]=failed
			case_prepare "$need" && echo "# $need, needed by $1" &&
				"$need" && case_done[$need]=ok
		fi
		[ "${case_done[$need]}" = ok ] ||
			diag "$need failed, needed by $1" || return 1
	done
}

# run_case NAME DESCRIPTION: the case, in one TAP line unless it printed
# its own.
run_case()
{
	local tap_before=$tap_n rc

	skip_reason=
	"$1" && rc=0 || rc=$?
	case_done[$1]=failed
	[ $rc != 0 ] || case_done[$1]=ok
	[ "$tap_n" = "$tap_before" ] || return 0
	if [ $rc = 0 ]; then
		ok "$2"
	elif [ $rc = "$KSFT_SKIP" ] && [ -n "$skip_reason" ]; then
		ok "$2 # SKIP $skip_reason"
	else
		not_ok "$2"
	fi
}

# wanted NAME: cases_select chose case NAME.
wanted()
{
	[ ${#case_wanted[@]} = 0 ] || [[ " ${case_wanted[*]} " == *" $1 "* ]]
}

# run_cases: the cases cases_select chose, in TAP.
run_cases()
{
	local e n=0 id desc

	for e in "${cases[@]}"; do
		case_parse "$e"
		! wanted "$case_id" || n=$((n + 1))
	done
	echo "TAP version 13"
	[ "$plan_at_end" = 1 ] || echo "1..$n"
	for e in "${cases[@]}"; do
		case_parse "$e"
		id=$case_id desc=$case_desc
		wanted "$id" || continue
		if [ ${#case_wanted[@]} = 0 ] || case_prepare "$id"; then
			run_case "$id" "$desc"
		else
			not_ok "$desc"
		fi
	done
	[ "$plan_at_end" != 1 ] || echo "1..$tap_n"
}

# tap_relay: a test program's TAP lines, from stdin, renumbered into this
# script's (run it in this shell: shopt -s lastpipe).
tap_relay()
{
	local line

	while IFS= read -r line; do
		case $line in
		"ok "*) ok "${line#ok * }" ;;
		"not ok "*) not_ok "${line#not ok * }" ;;
		"TAP version"* | 1..*) ;;
		*) echo "$line" ;;
		esac
	done
}
