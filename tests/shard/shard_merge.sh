#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# N local shards of one check, merged, print what the single run prints: in every format, for
# several N (1, 2, 3, 5 and more shards than invariants), timing fields normalised, with the
# same exit code. Usage: shard_merge.sh VPCPROVE WORKDIR SNAPSHOT -- CHECK_ARGS...
set -u
vpcprove=$1 work=$2 snapshot=$3
shift 4
rm -rf "$work" && mkdir -p "$work"
fail=0

# Timings differ from run to run (and a merge sums the shards'): every one becomes T. Nothing
# else may differ: witnesses are the least packets of their questions (solver/least_packet.h),
# whatever the same solver was asked before, and why-not's example values likewise.
normalise() {
  sed -E -e 's/"(elapsed_ms|graph_ms)": [-0-9.e+]+/"\1": T/g' \
         -e 's/[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)? ms\)/T ms)/g' \
         -e 's/time="[0-9.]+"/time="T"/g' "$1"
}

for format in text json sarif junit html; do
  "$vpcprove" check "$snapshot" "$@" --format "$format" >"$work/single.$format" 2>"$work/single.$format.err"
  echo $? >"$work/single.$format.rc"
done
total=$(jq '.results | length' "$work/single.json")
echo "single run: $total results, exit $(cat "$work/single.json.rc")"
[ "$total" -gt 0 ] || { echo "FAIL: the single run has no results"; exit 1; }

for n in 1 2 3 5 $((total + 2)); do
  shards=()
  for k in $(seq 1 "$n"); do
    "$vpcprove" check "$snapshot" "$@" --shard "$k/$n" --format json -o "$work/shard-$k-of-$n.json" \
      2>"$work/shard-$k-of-$n.err"
    rc=$?
    case $rc in 0|1|3) ;; *) echo "FAIL: shard $k/$n exited $rc: $(cat "$work/shard-$k-of-$n.err")"; fail=1 ;; esac
    shards+=("$work/shard-$k-of-$n.json")
  done
  # Merge takes the shards in any order: give them reversed.
  reversed=()
  for ((i = ${#shards[@]} - 1; i >= 0; i--)); do reversed+=("${shards[i]}"); done
  before=$fail
  for format in text json sarif junit html; do
    out="$work/merged-$n.$format"
    "$vpcprove" merge "${reversed[@]}" --format "$format" >"$out" 2>"$out.err"
    rc=$?
    if [ "$rc" != "$(cat "$work/single.$format.rc")" ]; then
      echo "FAIL: N=$n $format: merge exited $rc, the single run $(cat "$work/single.$format.rc"): $(cat "$out.err")"
      fail=1
    fi
    if ! diff <(normalise "$work/single.$format") <(normalise "$out") >"$out.diff"; then
      echo "FAIL: N=$n $format: the merged report differs from the single run's:"
      head -20 "$out.diff"
      fail=1
    fi
  done
  [ "$fail" = "$before" ] && echo "N=$n: merged equals the single run in text, json, sarif, junit, html"
done

# Bad slices are usage errors (exit 2) with nothing on stdout.
for bad in 0/3 4/3 3 a/b 1/0 /2 1/ -1/2 1/2/3; do
  out=$("$vpcprove" check "$snapshot" "$@" --shard "$bad" 2>/dev/null)
  rc=$?
  if [ "$rc" != 2 ] || [ -n "$out" ]; then echo "FAIL: --shard $bad: exit $rc (want 2), stdout '$out'"; fail=1; fi
done
# A merge missing a shard, or given one twice, or given something else, is refused (exit 2).
if [ "$total" -ge 2 ]; then
  "$vpcprove" merge "$work/shard-1-of-2.json" >/dev/null 2>"$work/missing.err"
  rc=$?; [ $rc = 2 ] && grep -q "missing: 2/2" "$work/missing.err" || { echo "FAIL: merge of 1 of 2 shards: exit $rc"; cat "$work/missing.err"; fail=1; }
  "$vpcprove" merge "$work/shard-1-of-2.json" "$work/shard-1-of-2.json" >/dev/null 2>&1
  rc=$?; [ $rc = 2 ] || { echo "FAIL: merge of a shard twice: exit $rc"; fail=1; }
  "$vpcprove" merge "$work/shard-1-of-2.json" "$work/shard-2-of-3.json" >/dev/null 2>&1
  rc=$?; [ $rc = 2 ] || { echo "FAIL: merge of shards of two splits: exit $rc"; fail=1; }
fi
"$vpcprove" merge "$work/single.json" >/dev/null 2>&1
rc=$?; [ $rc = 2 ] || { echo "FAIL: merge of a report that is not a shard: exit $rc"; fail=1; }
exit $fail
