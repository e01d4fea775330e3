#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Renders a page vpcprove wrote in headless Chromium and fails on what a reader would see wrong:
# a page that does not load, hop text outside its box, an anchor link without its target, an
# image that does not load.
#   browser_check.sh CHROMIUM PAGE.html WORKDIR MIN_BOXES MIN_ANCHORS MIN_IMAGES
# A screenshot of the page is left in WORKDIR for people to look at.
set -euo pipefail
chromium=$1 page=$2 work=$3 min_boxes=$4 min_anchors=$5 min_images=$6
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$work"
name=$(basename "$page" .html)
# The probe goes into a copy, just before </body>, as a script file beside it; the page itself
# stays script-free. The copy sits next to the page so that its relative links still resolve.
probe="$(dirname "$page")/$name.probe.html"
cp "$here/probe.js" "$(dirname "$page")/vpcprove-probe.js"
sed 's#</body>#<script src="vpcprove-probe.js"></script></body>#' "$page" >"$probe"
grep -q 'vpcprove-probe.js' "$probe" || { echo "no </body> in $page" >&2; exit 1; }
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --allow-file-access-from-files
       --virtual-time-budget=5000 --window-size=1280,900 --user-data-dir="$work/profile")
"$chromium" "${flags[@]}" --dump-dom "file://$probe" >"$work/$name.dom.html" 2>"$work/$name.chromium.log" || {
  echo "chromium failed on $page:" >&2; tail -20 "$work/$name.chromium.log" >&2; exit 1; }
"$chromium" "${flags[@]}" --screenshot="$work/$name.png" "file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")" \
  >/dev/null 2>>"$work/$name.chromium.log" || true
result=$(sed -n '/<pre id="vpcprove-probe">/,/<\/pre>/p' "$work/$name.dom.html" | sed 's/<[^>]*>//g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g')
if [[ -z "$result" ]]; then
  echo "the probe did not run: the page did not load in Chromium ($work/$name.dom.html)" >&2
  exit 1
fi
echo "$page: $result"
read -r boxes anchors images <<<"$(echo "$result" | head -1 | sed 's/[a-z]*=//g')"
status=0
[[ "$(echo "$result" | sed -n 2p)" == "no problems" ]] || status=1
(( boxes >= min_boxes )) || { echo "expected at least $min_boxes hop boxes, saw $boxes" >&2; status=1; }
(( anchors >= min_anchors )) || { echo "expected at least $min_anchors anchor links, saw $anchors" >&2; status=1; }
(( images >= min_images )) || { echo "expected at least $min_images images, saw $images" >&2; status=1; }
exit $status
