#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `vpcprove graph` end to end on the primer: DOT that Graphviz accepts, SVG through dot, a
# reach result drawn on it, and exit 2 for .svg without dot. Exit 77 (skip) when dot is missing.
set -u
vpcprove=$1 primer=$2 work=$3
command -v dot >/dev/null || { echo "dot is not installed: skipped"; exit 77; }
mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
app=eni-02d8722b580a174f6

"$vpcprove" graph "$primer" -o "$work/plain.dot" >/dev/null || fail "graph -o .dot exited $?"
dot -Tsvg "$work/plain.dot" -o "$work/plain-by-dot.svg" || fail "dot rejects the plain DOT"
grep -q 'subgraph "cluster_vpc-0af3841a0ca2bbffe"' "$work/plain.dot" || fail "no VPC cluster"

"$vpcprove" reach "$primer" --from $app --to internet --format json >"$work/r.json" || fail "reach exited $?"
"$vpcprove" graph "$primer" --result "$work/r.json" -o "$work/path.svg" >/dev/null || fail "graph -o .svg exited $?"
grep -q '<svg' "$work/path.svg" || fail "no SVG written"
grep -q 'eni&#45;02d8722b580a174f6' "$work/path.svg" || fail "the SVG lacks the app ENI"  # dot escapes '-' 

"$vpcprove" reach "$primer" --from internet --to eni-0c4d941a10da0333c --protocol tcp --dst-port 3306 \
  --format json >"$work/u.json"
"$vpcprove" graph "$primer" --result "$work/u.json" -o "$work/blocked.dot" >/dev/null || fail "blocked graph exited $?"
dot -Tsvg "$work/blocked.dot" -o /dev/null || fail "dot rejects the blocked DOT"
grep -q 'ENI_SG_RULES_MISMATCH' "$work/blocked.dot" || fail "the block is not marked"

PATH=/nonexistent "$vpcprove" graph "$primer" -o "$work/x.svg" 2>"$work/err.txt"
rc=$?
[[ $rc == 2 ]] || fail ".svg without dot exited $rc, not 2"
grep -q "dot" "$work/err.txt" || fail "the message does not name dot"
echo ok
