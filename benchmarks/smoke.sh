#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Bench smoke test (ctest label bench): a tiny generated estate is a coherent snapshot that
# `vpcprove inventory` loads, reporting every network interface the generator wrote and which of
# them are live, and that the parse floor reads.
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

# The model keeps every ENI the snapshot lists, the inactive ones (instance stopped, not attached)
# too, so reach can say why they neither send nor receive: inventory counts all of them under
# counts and the inactive ones again under not_live. The generator's manifest counts the same
# two ways (network_interfaces, and live_network_interfaces for the rest).
manifest_total=$(jq -r .network_interfaces "$work/manifest.json")
manifest_live=$(jq -r .live_network_interfaces "$work/manifest.json")
"$vpcprove" inventory "$work/estate" --format json >"$work/inventory.json"
got_total=$(jq -r .counts.network_interfaces "$work/inventory.json")
got_inactive=$(jq -r '.not_live.network_interfaces // 0' "$work/inventory.json")
if [[ "$got_total" != "$manifest_total" ]]; then
  echo "FAIL: inventory reports $got_total network interfaces, the generator wrote $manifest_total" >&2
  exit 1
fi
if [[ $((got_total - got_inactive)) != "$manifest_live" ]]; then
  echo "FAIL: inventory reports $((got_total - got_inactive)) live network interfaces ($got_total, $got_inactive" \
    "inactive), the generator wrote $manifest_live live ones" >&2
  exit 1
fi
"$floor" "$work/estate" >/dev/null
echo "ok: inventory loads the generated estate with its $got_total network interfaces, $manifest_live of them live"
