#!/usr/bin/env bash
# Dev aid: compile every probe in corpus/probes three ways and fail loudly on
# any compiler error:
#   gcc -g -c            (DWARF, input for pahole)
#   gcc -gbtf -c         (gcc 12 native BTF in .BTF)
#   clang-16 --target=bpf -g -c
# Warnings are reported (count) but do not fail the run unless STRICT=1.
# Usage: corpus/check-compiles.sh [probe.c ...]
# Env: GCC (default gcc), CLANG (default clang-16), CFLAGS_EXTRA, STRICT=1.
set -u -o pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GCC="${GCC:-gcc}"
CLANG="${CLANG:-clang-16}"
CFLAGS_EXTRA="${CFLAGS_EXTRA:-}"
STRICT="${STRICT:-0}"

for tool in "$GCC" "$CLANG"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "check-compiles: missing compiler: $tool" >&2
		exit 2
	fi
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/btfparity-check.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

if [ "$#" -gt 0 ]; then
	probes=("$@")
else
	shopt -s nullglob
	probes=("$here"/probes/*.c)
	shopt -u nullglob
fi
if [ "${#probes[@]}" -eq 0 ]; then
	echo "check-compiles: no probes found" >&2
	exit 2
fi

fail=0
warned=0
total=0
for src in "${probes[@]}"; do
	base="$(basename "$src" .c)"
	total=$((total + 1))
	for mode in gcc-g gcc-gbtf clang-bpf; do
		out="$tmp/$base.$mode.o"
		log="$tmp/$base.$mode.log"
		case "$mode" in
		gcc-g) cmd=("$GCC" -Wall -g -c "$src" -o "$out") ;;
		gcc-gbtf) cmd=("$GCC" -Wall -gbtf -c "$src" -o "$out") ;;
		clang-bpf) cmd=("$CLANG" -Wall --target=bpf -g -c "$src" -o "$out") ;;
		esac
		# shellcheck disable=SC2206
		cmd+=($CFLAGS_EXTRA)
		if ! "${cmd[@]}" >"$log" 2>&1; then
			echo "FAIL  $base [$mode]: ${cmd[*]}" >&2
			# backend crashes print huge stack dumps; keep the first lines
			head -n 20 "$log" | sed 's/^/      /' >&2
			fail=$((fail + 1))
		elif [ -s "$log" ]; then
			echo "WARN  $base [$mode]:" >&2
			sed 's/^/      /' "$log" >&2
			warned=$((warned + 1))
		fi
	done
done

echo "check-compiles: $total probes x 3 compilers; failures=$fail warnings=$warned"
if [ "$fail" -ne 0 ]; then
	echo "check-compiles: FAILED" >&2
	exit 1
fi
if [ "$STRICT" = "1" ] && [ "$warned" -ne 0 ]; then
	echo "check-compiles: FAILED (STRICT=1 and there were warnings)" >&2
	exit 1
fi
echo "check-compiles: OK"
