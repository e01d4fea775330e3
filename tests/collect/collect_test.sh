#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# vpcprove-collect against tests/collect/fake-aws: an organization of five accounts (one whose role
# refuses us, one suspended), two regions and one not opted in, throttling, a denied call and a
# CLI too old for one call. The snapshot it writes loads in vpcprove with the estate's counts.
# Usage: collect_test.sh VPCPROVE VPCPROVE_COLLECT WORKDIR
set -u
vpcprove=$1 collect=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work/bin" "$work/state"
ln -s "$here/fake-aws" "$work/bin/aws"
bash "$here/make-estate.sh" "$work/estate" || exit 1
export PATH="$work/bin:$PATH" FAKE_AWS_ESTATE="$work/estate" FAKE_AWS_STATE="$work/state" VPCPROVE_COLLECT_BACKOFF=0
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION
fail=0
check() { # description, then a command that must succeed
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}
jqt() { jq -e "$@" >/dev/null; } # a jq test on a file

# --- the organization --------------------------------------------------------------------------
out="$work/org"
"$collect" -o "$out" --profile mgmt --org --regions all --max-items 2 --jobs 3 >"$work/org.stdout" 2>"$work/org.stderr"
rc=$?
cat "$work/org.stderr"
check "a failed call makes exit 1 (got $rc)" [ "$rc" = 1 ]
check "nothing on stdout" [ ! -s "$work/org.stdout" ]
check "the run's manifest lists the active accounts and the suspended one as skipped" \
  jqt '.accounts == ["111111111111","222222222222","333333333333","444444444444"]
       and .accounts_skipped == [{"id":"555555555555","name":"old-team","status":"SUSPENDED"}]
       and .failed_calls == 3' "$out/MANIFEST.json"
check "the suspended account is not collected" [ ! -e "$out/555555555555" ]
check "the role that does not trust us: AssumeRole AccessDenied, as AWS says it, in the account's manifest" \
  jqt '.failures | length == 1 and (.[0] | .code == "AccessDenied" and .exit == 254
       and (.error | startswith("An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::111111111111:user/auditor is not authorized")))' \
  "$out/444444444444/MANIFEST.json"
check "no region is collected where the role was refused" [ -z "$(find "$out/444444444444" -mindepth 1 -type d)" ]
for a in 111111111111 222222222222 333333333333; do
  check "$a: two regions collected, ap-east-1 recorded as not opted in" \
    jqt '.regions == ["eu-west-1","us-east-1"] and .regions_not_opted_in == ["ap-east-1"] and .failures == []' "$out/$a/MANIFEST.json"
  check "$a: nothing asked of ap-east-1" [ ! -e "$out/$a/ap-east-1" ]
done
check "the management account is read with the caller's credentials, without a role" \
  jqt '.role_arn == null' "$out/111111111111/MANIFEST.json"
check "members are read through OrganizationAccountAccessRole" \
  jqt '.role_arn == "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"' "$out/222222222222/MANIFEST.json"
m="$out/222222222222/eu-west-1/MANIFEST.json"
check "a denied call is a failure with AWS's error, and no file" \
  jqt '.failures == [.failures[0]] and (.failures[0] | .call == "rds describe-db-instances" and .code == "AccessDenied"
       and .exit == 254 and (.error | contains("when calling the DescribeDBInstances operation: User: arn:aws:sts::222222222222")))' "$m"
check "  …DBInstances.json is not written" [ ! -e "$out/222222222222/eu-west-1/DBInstances.json" ]
check "a call the CLI does not know (exit 252) is a failure" \
  jqt '.failures | length == 1 and .[0].call == "ec2 describe-transit-gateway-peering-attachments" and .[0].exit == 252
       and .[0].code == "ParameterValidation"' "$out/222222222222/us-east-1/MANIFEST.json"
check "throttled twice (RequestLimitExceeded), then collected on the third attempt" \
  jqt '.failures == [] and (.calls[] | select(.call == "ec2 describe-instances") | .ok and .attempts == 3)' \
  "$out/333333333333/us-east-1/MANIFEST.json"
check "throttled once (Throttling), then collected" \
  jqt '.failures == [] and (.calls[] | select(.call == "ec2 describe-network-interfaces") | .ok and .attempts == 2)' \
  "$out/333333333333/eu-west-1/MANIFEST.json"
check "every page: calls continue with --starting-token" grep -q -- "--starting-token" "$work/state/calls.log"
check "every page: a listing of 2-item pages was read in several pages" \
  jqt '.calls[] | select(.call == "ec2 describe-subnets") | .pages > 1' "$out/111111111111/us-east-1/MANIFEST.json"
check "the account's own credentials never reach a member: assume-role was asked for 222" \
  grep -q "^111111111111 .* sts assume-role --role-arn arn:aws:iam::222222222222:role/OrganizationAccountAccessRole" "$work/state/calls.log"
check "calls in a member are made as the member (the session credentials work)" \
  grep -q "^222222222222 us-east-1 ec2 describe-vpcs" "$work/state/calls.log"
check "no credential is written to disk" \
  bash -c "! grep -rqE 'secret-|token-[0-9]|ASIAFAKE|mgmt-secret' '$out'"

# The wrapped layouts of the contract (Batfish's): per TGW route table, per prefix list.
t="$out/111111111111/us-east-1"
check "static routes: one entry per live TGW route table (the deleted one is not asked)" \
  jqt '.TransitGatewayStaticRoutes | (map(.TransitGatewayRouteTableId) == ["tgw-rtb-0aaa1111bbbb22224","tgw-rtb-0aaa1111bbbb22225"])
       and (.[0].Routes | length == 2) and .[0].Routes[0].State == "blackhole" and .[1].Routes == []' "$t/TransitGatewayStaticRoutes.json"
check "static routes were searched with the static filter" grep -q "search-transit-gateway-routes .*--filters Name=type,Values=static" "$work/state/calls.log"
check "propagations: every page of each table" \
  jqt '.TransitGatewayPropagations | map({(.TransitGatewayRouteTableId): (.TransitGatewayRouteTablePropagations | length)}) | add
       == {"tgw-rtb-0aaa1111bbbb22224": 3, "tgw-rtb-0aaa1111bbbb22225": 0}' "$t/TransitGatewayPropagations.json"
check "prefix list entries" \
  jqt '.PrefixListEntries | (map(.PrefixListId) == ["pl-0aaa1111bbbb22230"]) and (.[0].Entries | length == 3)' \
  "$t/PrefixListEntries.json"
check "load balancers and DB instances" jqt '(.LoadBalancers | length == 1)' "$t/LoadBalancers.json"
check "target groups, and each one's target health in its wrapper" \
  jqt --slurpfile tg "$t/TargetGroups.json" '.LoadBalancerTargetHealth | length == 1
       and .[0].TargetGroupArn == $tg[0].TargetGroups[0].TargetGroupArn and (.[0].TargetHealthDescriptions | length == 1)' \
  "$t/LoadBalancerTargetHealth.json"
check "  …" jqt '(.DBInstances | length == 1)' "$t/DBInstances.json"

# Every file collected holds what the estate serves, item for item, and the manifests say so.
expected="$work/expected"
mkdir -p "$expected"
counts_ok=1
for a in 111111111111 222222222222 333333333333; do
  for r in us-east-1 eu-west-1; do
    mkdir -p "$expected/$a/$r"
    for f in "$work/estate/accounts/$a/$r"/describe-*.json; do
      [ "${f##*/}" = describe-target-health.json ] && continue # per target group: checked above
      key=$(jq -r 'keys[0]' "$f")
      if [ "$a/$r/$key" = 222222222222/eu-west-1/DBInstances ]; then continue; fi # denied
      cp "$f" "$expected/$a/$r/"
      if ! cmp -s <(jq -c ".$key" "$f") <(jq -c ".$key" "$out/$a/$r/$key.json" 2>/dev/null); then
        echo "  $a/$r/$key.json differs from the estate's"
        counts_ok=0
      fi
      n=$(jq ".$key | length" "$f")
      [ "$(jq ".counts.$key" "$out/$a/$r/MANIFEST.json")" = "$n" ] || { echo "  $a/$r: manifest count of $key"; counts_ok=0; }
    done
  done
done
check "every collected file equals the estate's, and the manifests count it" [ "$counts_ok" = 1 ]
summary='{counts, not_live, accounts, regions}'
"$vpcprove" inventory "$out" --format json >"$work/inventory.collected.json" 2>"$work/inventory.err"
check "the collected snapshot loads in vpcprove inventory" [ $? = 0 ]
"$vpcprove" inventory "$expected" --format json >"$work/inventory.expected.json"
check "its inventory equals the estate's (counts, not live, accounts, regions)" \
  cmp -s <(jq -S "$summary" "$work/inventory.collected.json") <(jq -S "$summary" "$work/inventory.expected.json")
check "  …and it is the estate of six copies of the primer network" \
  jqt --argjson one "$("$vpcprove" inventory "$here/../../examples/primer" --format json | jq .counts.network_interfaces)" \
  '.counts.network_interfaces == 6 * $one' "$work/inventory.collected.json"
check "MANIFEST.json files are not read as snapshot files" \
  bash -c "! grep -q MANIFEST '$work/inventory.collected.json'"

# --- named accounts, a region list with one not opted in, --page-size -------------------------
"$collect" -o "$work/named" --profile mgmt --accounts 333333333333 --regions us-east-1,ap-east-1 --page-size 5 -q 2>"$work/named.err"
rc=$?
check "named account, listed region not opted in: recorded, not an error (exit $rc)" [ "$rc" = 0 ]
check "  …ap-east-1 in the manifest" jqt '.regions == ["us-east-1"] and .regions_not_opted_in == ["ap-east-1"]' "$work/named/333333333333/MANIFEST.json"
check "  …--page-size reaches the CLI" grep -q -- "--page-size 5" "$work/state/calls.log"

# --- the current account, credentials from the environment ------------------------------------
: >"$work/state/calls.log"
AWS_ACCESS_KEY_ID=AKIAFAKEMGMT AWS_SECRET_ACCESS_KEY=mgmt-secret AWS_REGION=eu-west-1 \
  "$collect" -o "$work/current" 2>"$work/current.err"
rc=$?
check "the current account from environment credentials (exit $rc)" [ "$rc" = 0 ]
check "  …in the environment's region only" jqt '.regions == ["eu-west-1"]' "$work/current/111111111111/MANIFEST.json"
check "  …without assuming a role" bash -c "! grep -q assume-role '$work/state/calls.log'"

# --- failures before any account ----------------------------------------------------------------
"$collect" -o "$work/nocreds" --regions us-east-1 2>"$work/nocreds.err"
rc=$?
check "no credentials: exit 1 with the CLI's message ($rc)" \
  bash -c "[ $rc = 1 ] && grep -q 'Unable to locate credentials' '$work/nocreds.err'"
for args in "" "-o" "-o x --org --accounts 111111111111" "-o x --accounts 12" "-o x --regions mars" "-o x --jobs 0" \
  "-o x --bogus" "-o x --role-name bad:name"; do
  # shellcheck disable=SC2086
  "$collect" $args >/dev/null 2>&1
  rc=$?
  check "usage error '$args' exits 2 (got $rc)" [ "$rc" = 2 ]
done
mkdir -p "$work/noaws-bin"
ln -sf "$(command -v bash)" "$work/noaws-bin/bash"
ln -sf "$(command -v jq)" "$work/noaws-bin/jq"
PATH="$work/noaws-bin" "$collect" -o "$work/noaws" --regions us-east-1 >/dev/null 2>"$work/noaws.err"
rc=$?
check "no aws on PATH: exit 2 naming it ($rc)" bash -c "[ $rc = 2 ] && grep -q 'AWS CLI' '$work/noaws.err'"
exit $fail
