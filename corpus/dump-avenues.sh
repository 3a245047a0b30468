#!/usr/bin/env bash
# Dev aid: for each probe, build BTF via both avenues and dump with bpftool.
#   A : gcc -g -c  + pahole --btf_encode_detached            -> NAME.pahole.txt
#   A+: same, pahole --btf_gen_floats                         -> NAME.pahole-floats.txt
#   B : gcc -gbtf -c (BTF in .BTF of the object)              -> NAME.gcc-btf.txt
# Output dir: $OUT (default: a fresh mktemp dir, printed at the end).
# Usage: corpus/dump-avenues.sh [probe.c ...]   (default: all probes)
set -u -o pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GCC="${GCC:-gcc}"
PAHOLE="${PAHOLE:-pahole}"
BPFTOOL="${BPFTOOL:-bpftool}"
OUT="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/btfparity-dump.XXXXXX")}"
mkdir -p "$OUT"
if [ "$#" -gt 0 ]; then probes=("$@"); else probes=("$here"/probes/*.c); fi
rc=0
for src in "${probes[@]}"; do
	n="$(basename "$src" .c)"
	if ! "$GCC" -g -c "$src" -o "$OUT/$n.dwarf.o" 2>"$OUT/$n.err"; then
		echo "FAIL gcc -g $n" >&2; rc=1; continue
	fi
	"$PAHOLE" --btf_encode_detached="$OUT/$n.pahole.btf" "$OUT/$n.dwarf.o" >>"$OUT/$n.err" 2>&1 || { echo "FAIL pahole $n" >&2; rc=1; }
	"$PAHOLE" --btf_gen_floats --btf_encode_detached="$OUT/$n.pahole-floats.btf" "$OUT/$n.dwarf.o" >>"$OUT/$n.err" 2>&1 || { echo "FAIL pahole --btf_gen_floats $n" >&2; rc=1; }
	if ! "$GCC" -gbtf -c "$src" -o "$OUT/$n.gcc-btf.o" 2>>"$OUT/$n.err"; then
		echo "FAIL gcc -gbtf $n" >&2; rc=1; continue
	fi
	"$BPFTOOL" btf dump file "$OUT/$n.pahole.btf" >"$OUT/$n.pahole.txt" 2>&1 || echo "bpftool failed on $n.pahole.btf" >&2
	"$BPFTOOL" btf dump file "$OUT/$n.pahole-floats.btf" >"$OUT/$n.pahole-floats.txt" 2>&1 || echo "bpftool failed on $n.pahole-floats.btf" >&2
	"$BPFTOOL" btf dump file "$OUT/$n.gcc-btf.o" >"$OUT/$n.gcc-btf.txt" 2>&1 || echo "bpftool failed on $n.gcc-btf.o" >&2
done
echo "dumps in $OUT"
exit "$rc"
