#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nvctl's command line under libFuzzer with ASan and UBSan, on the host:
# builds tests/fuzz/nvctl-fuzz with clang and runs it $NV_FUZZ_RUNS
# times (200000), seed 1, from the committed corpus. Prints one TAP line;
# on a crash, libFuzzer's report and the input (in tests/fuzz/build/).
# Exit 0 pass, 1 fail, 4 skip (no clang or no libFuzzer runtime).
set -u
dir=$(cd "$(dirname "$0")" && pwd)
runs=${NV_FUZZ_RUNS:-200000}
log=$dir/build/nvctl-fuzz.log
start=$SECONDS

echo "TAP version 13"
echo "1..1"
if ! command -v "${CLANG:-clang}" >/dev/null; then
	echo "ok 1 nvctl-fuzz # SKIP clang not installed (scripts/deps.sh)"
	exit 4
fi
mkdir -p "$dir/build"
if ! make -s -C "$dir" nvctl-fuzz >"$log" 2>&1; then
	sed 's/^/# /' "$log" | tail -n 20
	if grep -q 'libclang_rt.fuzzer\|fsanitize=fuzzer' "$log"; then
		echo "ok 1 nvctl-fuzz # SKIP no libFuzzer runtime (libclang-rt-14-dev)"
		exit 4
	fi
	echo "not ok 1 nvctl-fuzz: build failed"
	exit 1
fi
if make -s -C "$dir" run-nvctl-fuzz RUNS="$runs" >"$log" 2>&1 &&
	grep -q "^Done $runs runs" "$log"; then
	echo "ok 1 nvctl-fuzz: $runs runs, seed 1, no crash, leak or UB ($((SECONDS - start)) s)"
	exit 0
fi
grep -E '^(==[0-9]+==|SUMMARY|artifact_prefix|Test unit written|.*runtime error)' "$log" |
	head -n 20 | sed 's/^/# /'
echo "not ok 1 nvctl-fuzz: crash after $((SECONDS - start)) s (log: $log)"
exit 1
