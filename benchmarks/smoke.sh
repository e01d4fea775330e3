#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Bench smoke test (ctest label bench): a tiny generated estate is a coherent snapshot that
# `vpcprove inventory` loads, reporting every live network interface the generator wrote, and
# that the parse floor reads.
# Usage: smoke.sh GEN_ESTATE VPCPROVE PARSE_FLOOR WORKDIR
set -euo pipefail
gen=$1 vpcprove=$2 floor=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$work"
mkdir -p "$work"
"$gen" --enis 50 --vpcs 3 --subnets-per-vpc 3 --sgs 12 --rules-per-sg 4 --nacl-entries 4 --peerings 2 \
  --accounts 2 --regions 2 --seed 7 -o "$work/estate" --manifest "$work/manifest.json" >/dev/null

if command -v python3 >/dev/null; then
  python3 "$here/validate_estate.py" "$work/estate" "$work/manifest.json"
fi

number() {  # number KEY FILE: the first "KEY": N in FILE
  grep -o -m1 "\"$1\": *[0-9]*" "$2" | head -n1 | grep -o '[0-9]*$'
}
expected=$(number live_network_interfaces "$work/manifest.json")
"$vpcprove" inventory "$work/estate" --format json >"$work/inventory.json"
got=$(number network_interfaces "$work/inventory.json")
if [[ "$got" != "$expected" ]]; then
  echo "FAIL: inventory reports $got network interfaces, the generator wrote $expected live ones" >&2
  exit 1
fi
"$floor" "$work/estate" >/dev/null
echo "ok: inventory loads the generated estate with its $got live network interfaces"
