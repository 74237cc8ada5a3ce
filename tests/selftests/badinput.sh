#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed, truncated, oversized and out-of-range requests from a raw
# netlink client get an error with an extack message - and no crash
# (the VM runner fails the run on any kernel warning).
#
#   nlraw --crafted genl messages--> netvirt

# NAME [NEED...] | TAP line: see "Cases" in lib.sh.
cases=(
	"nlraw			| badinput: nlraw's crafted requests (its own TAP lines, relayed)"
)

set -u
source "$(dirname "$0")/lib.sh"
cases_select "$@"
trap cleanup EXIT
require_module

# nlraw's TAP lines, renumbered into this script's (the same numbers).
nlraw()
{
	# lastpipe: tap_relay counts in this shell, not in a subshell.
	shopt -s lastpipe
	"$NLRAW" | tap_relay
	return "${PIPESTATUS[0]}"
}

plan_at_end=1
run_cases
tap_end
