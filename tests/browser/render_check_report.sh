#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check's HTML report of SNAPSHOT under the given specs, checked in the browser.
#   VPCPROVE=… render_check_report.sh CHROMIUM WORKDIR SNAPSHOT --spec A.yaml …
set -euo pipefail
chromium=$1 work=$2 snapshot=$3
shift 3
mkdir -p "$work"
set +e
"$VPCPROVE" check "$snapshot" "$@" --format html -o "$work/check-report.html"
code=$?
set -e
if (( code != 0 && code != 1 )); then echo "vpcprove check exited $code" >&2; exit 1; fi
# The library on the primer has violations (paths) and holds: boxes, and one link per invariant.
exec "$(dirname "${BASH_SOURCE[0]}")/browser_check.sh" "$chromium" "$work/check-report.html" "$work" 10 10 0
