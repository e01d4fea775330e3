#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Dual-stack against IPv4-only, question by question (issue 17's 1.5x bar): each question asked
# 3 times on both estates, interleaved (IPv4, dual, IPv4, ...) so both see the same load; medians
# of the whole command's wall time and of its own elapsed_ms.
# Usage: benchmarks/dual_stack_ratio.sh VPCPROVE IPV4_ESTATE DUAL_ESTATE
#   (estates as gen_estate writes them, each with its manifest at ESTATE.json; run.sh's flags)
set -uo pipefail
vpcprove=$1 classic=$2 dual=$3
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { python3 -c "import json,sys;print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for name in exposure pair pair_udp9999 to_internet from_internet; do
  for kind in classic dual; do : > "$work/$kind.wall"; : > "$work/$kind.elapsed"; : > "$work/$kind.answer"; done
  for _ in 1 2 3; do
    for kind in classic dual; do
      snap=${!kind}
      from=$(field "$snap.json" reach_from) to=$(field "$snap.json" reach_to)
      case $name in
        exposure) args=(exposure "$snap") ;;
        pair) args=(reach "$snap" --from "$from" --to "$to") ;;
        pair_udp9999) args=(reach "$snap" --from "$from" --to "$to" --protocol udp --dst-port 9999) ;;
        to_internet) args=(reach "$snap" --from "$from" --to internet) ;;
        from_internet) args=(reach "$snap" --from internet --to "$to") ;;
      esac
      /usr/bin/time -f "%e" -o "$work/time" "$vpcprove" "${args[@]}" --format json > "$work/out"
      cat "$work/time" >> "$work/$kind.wall"
      python3 -c "import json,sys;d=json.load(open(sys.argv[1]));print(d.get('elapsed_ms',0))" "$work/out" >> "$work/$kind.elapsed"
      python3 -c "import json,sys;d=json.load(open(sys.argv[1]));print(d.get('verdict','-'))" "$work/out" > "$work/$kind.answer"
    done
  done
  cw=$(median < "$work/classic.wall") dw=$(median < "$work/dual.wall")
  ce=$(median < "$work/classic.elapsed") de=$(median < "$work/dual.elapsed")
  printf '%s: whole %s / %s s (%.2fx), elapsed %.1f / %.1f ms (%.2fx), answers %s / %s\n' "$name" "$cw" "$dw" \
    "$(awk -v a="$cw" -v b="$dw" 'BEGIN{print b/a}')" "$ce" "$de" "$(awk -v a="$ce" -v b="$de" 'BEGIN{print b/a}')" \
    "$(cat "$work/classic.answer")" "$(cat "$work/dual.answer")"
done
