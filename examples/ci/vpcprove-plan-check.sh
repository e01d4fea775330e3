#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# vpcprove in CI: what a Terraform change does to reachability, before apply.
#
#   vpcprove-plan-check.sh SNAPSHOT [SPEC.yaml ...]
#
# Runs `terraform plan` and `terraform show -json` in $TF_DIR, then `vpcprove diff SNAPSHOT
# SNAPSHOT --plan plan.json` with every spec: the live estate (a snapshot vpcprove-collect
# wrote) against the same estate with the plan applied. Writes to $OUT_DIR (vpcprove-out):
#   plan.json        the plan as Terraform printed it
#   diff.json        the diff, the contract's JSON
#   diff.md          the same for a pull-request comment
#   vpcprove.sarif   every opened exposure and newly violated invariant, for code scanning
# Exit: 0 when no invariant is newly violated; 1 when one is; 2 on bad input or a failed
# command; 3 when an answer is unknown (a solver limit, a value unknown until apply) and
# STRICT_UNKNOWN=1 (else a warning and 0).
# Environment: TERRAFORM (terraform), VPCPROVE (vpcprove), TF_DIR (.), OUT_DIR (vpcprove-out),
# VPCPROVE_ARGS (more diff arguments, e.g. "--from internet --to tag:tier=db").
set -eu

if [ $# -lt 1 ]; then
  echo "usage: $0 SNAPSHOT [SPEC.yaml ...]" >&2
  exit 2
fi
snapshot=$1
shift
terraform=${TERRAFORM:-terraform}
vpcprove=${VPCPROVE:-vpcprove}
tf_dir=${TF_DIR:-.}
out=${OUT_DIR:-vpcprove-out}
mkdir -p "$out"

# Each spec becomes "--spec SPEC" (in place, so names with spaces survive).
for spec in "$@"; do
  set -- "$@" --spec "$spec"
  shift
done

"$terraform" -chdir="$tf_dir" plan -input=false -lock=false -out=vpcprove.tfplan || exit 2
"$terraform" -chdir="$tf_dir" show -json vpcprove.tfplan > "$out/plan.json" || exit 2

set +e
# shellcheck disable=SC2086  # VPCPROVE_ARGS is a list of words on purpose
"$vpcprove" diff "$snapshot" "$snapshot" --plan "$out/plan.json" "$@" ${VPCPROVE_ARGS:-} \
  --format json -o "$out/diff.json" --sarif-output "$out/vpcprove.sarif" --markdown-output "$out/diff.md"
code=$?
set -e

case $code in
  0) echo "vpcprove: the plan changes nothing vpcprove can see" ;;
  1) echo "vpcprove: the plan changes reachability (see $out/diff.md)" ;;
  3) echo "vpcprove: some answers are unknown (see unknown_reason in $out/diff.json)" ;;
  *) echo "vpcprove: diff failed (exit $code)" >&2
     exit 2 ;;
esac

if grep -q '"newly_violated": [1-9]' "$out/diff.json"; then
  echo "vpcprove: an invariant is newly violated by this plan" >&2
  exit 1
fi
if [ "$code" -eq 3 ] && [ "${STRICT_UNKNOWN:-0}" = 1 ]; then
  exit 3
fi
exit 0
