#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's "Collect your estate", step by step, against the fake AWS CLI serving a clean
# organization (three accounts, two regions each, one region not opted in).
# Usage: readme_test.sh VPCPROVE VPCPROVE_COLLECT SOURCE_DIR WORKDIR
set -u
vpcprove=$1 collect=$2 src=$3 work=$4
rm -rf "$work" && mkdir -p "$work/bin" "$work/state"
ln -s "$src/tests/collect/fake-aws" "$work/bin/aws"
ln -s "$vpcprove" "$work/bin/vpcprove"
ln -s "$collect" "$work/bin/vpcprove-collect"
bash "$src/tests/collect/make-estate.sh" "$work/fake-org" clean || exit 1
export PATH="$work/bin:$PATH" FAKE_AWS_ESTATE="$work/fake-org" FAKE_AWS_STATE="$work/state"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION
fail=0
check() { local what=$1; shift; if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi; }
cd "$work" || exit 1

# Step 2: collect the organization.
vpcprove-collect -o estate --profile audit --org --regions all
rc=$?
check "vpcprove-collect -o estate --profile audit --org --regions all: exit 0 (got $rc)" [ "$rc" = 0 ]
# Step 3: what the manifests say.
check "estate/MANIFEST.json: three accounts, none skipped, no failed call" \
  jq -e '(.accounts | length) == 3 and .accounts_skipped == [] and .failed_calls == 0' estate/MANIFEST.json
check "estate/ACCOUNT/MANIFEST.json: ap-east-1 not opted in" \
  jq -e '.regions_not_opted_in == ["ap-east-1"]' estate/222222222222/MANIFEST.json
# Step 4: inventory.
vpcprove inventory estate >inventory.txt
check "vpcprove inventory estate (exit $?)" [ -s inventory.txt ]
one=$(vpcprove inventory "$src/examples/primer" --format json | jq .counts.network_interfaces)
check "  …six copies of the example network (3 accounts x 2 regions)" \
  bash -c "vpcprove inventory estate --format json | jq -e '.counts.network_interfaces == 6 * $one' >/dev/null"
# Step 5: check with the specs library, SARIF for code scanning.
vpcprove check estate --spec "$src/specs/cis-aws-foundations.yaml" --format sarif -o audit.sarif
rc=$?
check "vpcprove check estate --spec …/cis-aws-foundations.yaml --format sarif -o audit.sarif (exit $rc: 0 or 1)" \
  bash -c "[ $rc = 0 ] || [ $rc = 1 ]"
check "  …a SARIF 2.1.0 report" jq -e '.version == "2.1.0" and (.runs[0].tool.driver.rules | length) > 0' audit.sarif
exit $fail
