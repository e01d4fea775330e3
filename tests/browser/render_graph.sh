#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# graph's SVG of SNAPSHOT, shown as an image in a page, checked in the browser.
#   VPCPROVE=… render_graph.sh CHROMIUM WORKDIR SNAPSHOT
set -euo pipefail
chromium=$1 work=$2 snapshot=$3
mkdir -p "$work"
"$VPCPROVE" graph "$snapshot" -o "$work/graph.svg"
grep -q '<svg' "$work/graph.svg"
printf '<!DOCTYPE html>\n<html><head><meta charset="utf-8"/><title>graph</title></head><body><img src="graph.svg" alt="topology"/></body></html>\n' \
  >"$work/graph-page.html"
exec "$(dirname "${BASH_SOURCE[0]}")/browser_check.sh" "$chromium" "$work/graph-page.html" "$work" 0 0 1
