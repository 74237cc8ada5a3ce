#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every command needs CAP_NET_ADMIN in the user namespace owning the
# network namespace: an unprivileged user, or root of a child user
# namespace acting on the initial network namespace, is refused; root of
# a user namespace in a network namespace it owns is allowed.
#
#   init userns/netns: netvirt   <- nobody: EPERM
#                                <- userns root: EPERM
#   child userns -> own netns    <- its root: allowed

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"nobody_refused		| perm: unprivileged user is refused"
	"userns_refused		| perm: child user namespace on the initial netns is refused"
	"userns_own_netns	| perm: user namespace root in its own netns is allowed"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
trap cleanup EXIT
require_module

as_nobody()
{
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$@"
}

userns_own_netns()
{
	local out

	out=$(unshare --user --map-root-user --net "$NVCTL" -j info) &&
		[ "$(echo "$out" | json_get config_gen)" = 0 ] || diag "$out"
}

nobody_refused()
{
	expect_error '.*Operation not permitted' as_nobody "$NVCTL" version
}

userns_refused()
{
	expect_error '.*Operation not permitted' \
		unshare --user --map-root-user "$NVCTL" version
}

run_cases
tap_end
