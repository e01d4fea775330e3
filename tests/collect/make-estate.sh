#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Writes the fake organization tests/collect/fake-aws serves: make-estate.sh DIR [clean]
#
#   111111111111 management account (the caller's credentials, profile "mgmt"); us-east-1 also
#                holds a transit gateway with route tables, static routes and propagations, a
#                managed prefix list, a load balancer and a database
#   222222222222 member; eu-west-1 denies rds:DescribeDBInstances; in us-east-1 the CLI is too
#                old for describe-transit-gateway-peering-attachments (exit 252)
#   333333333333 member; throttles describe-instances (us-east-1, twice) and
#                describe-network-interfaces (eu-west-1, once): both pass on retry
#   444444444444 member whose role does not trust the management account (AssumeRole denied)
#   555555555555 SUSPENDED in the organization
# Every account has us-east-1 and eu-west-1 enabled and ap-east-1 not opted in. Each account and
# region holds a copy of examples/primer with its own IDs. With "clean", no faults and no
# member 444/555: the estate of the README walk-through.
set -eu
dir=$1 clean=${2:-}
src=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$dir"
mkdir -p "$dir/accounts"
echo 1 >"$dir/epoch"
cat >"$dir/keys.json" <<'JSON'
{"AKIAFAKEMGMT": {"account": "111111111111", "secret": "mgmt-secret", "arn": "arn:aws:iam::111111111111:user/auditor"}}
JSON
cat >"$dir/profiles.json" <<'JSON'
{"mgmt": {"key": "AKIAFAKEMGMT", "region": "us-east-1"}, "audit": {"key": "AKIAFAKEMGMT", "region": "us-east-1"}}
JSON
members="222222222222 333333333333"
[ -n "$clean" ] || members="$members 444444444444"
role=OrganizationAccountAccessRole
jq -n --arg r $role '{("222222222222/" + $r): ["111111111111"], ("333333333333/" + $r): ["111111111111"],
  ("444444444444/" + $r): ["999999999999"], ("555555555555/" + $r): ["111111111111"]}' >"$dir/roles.json"
{
  echo '{"Accounts": ['
  echo '{"Id": "111111111111", "Name": "management", "Status": "ACTIVE", "State": "ACTIVE"}'
  for a in $members; do echo ", {\"Id\": \"$a\", \"Name\": \"member-$a\", \"Status\": \"ACTIVE\"}"; done
  [ -n "$clean" ] || echo ', {"Id": "555555555555", "Name": "old-team", "Status": "SUSPENDED", "State": "SUSPENDED"}'
  echo ']}'
} | jq . >"$dir/organization.json"

op_of() { # the describe call whose output a primer file is
  case $1 in
    Addresses) echo describe-addresses ;; InternetGateways) echo describe-internet-gateways ;;
    NatGateways) echo describe-nat-gateways ;; NetworkAcls) echo describe-network-acls ;;
    NetworkInterfaces) echo describe-network-interfaces ;; Reservations) echo describe-instances ;;
    RouteTables) echo describe-route-tables ;; SecurityGroups) echo describe-security-groups ;;
    Subnets) echo describe-subnets ;; Vpcs) echo describe-vpcs ;;
  esac
}
digit=0
for a in 111111111111 $members 555555555555; do
  mkdir -p "$dir/accounts/$a"
  # One region a line: fake-aws greps it.
  cat >"$dir/accounts/$a/regions.json" <<'JSON'
{"Regions": [
  {"RegionName": "eu-west-1", "Endpoint": "ec2.eu-west-1.amazonaws.com", "OptInStatus": "opt-in-not-required"},
  {"RegionName": "us-east-1", "Endpoint": "ec2.us-east-1.amazonaws.com", "OptInStatus": "opt-in-not-required"},
  {"RegionName": "ap-east-1", "Endpoint": "ec2.ap-east-1.amazonaws.com", "OptInStatus": "not-opted-in"}]}
JSON
  for r in us-east-1 eu-west-1; do
    digit=$((digit + 1))
    mkdir -p "$dir/accounts/$a/$r"
    for f in "$src"/examples/primer/*.json; do
      base=$(basename "$f" .json)
      # Own IDs per account and region (the first hex digit), the account as owner.
      sed -E -e "s/\"([a-z]+(-[a-z]+)?)-0([0-9a-f]{6,})/\"\1-$(printf '%x' "$digit")\3/g" \
        -e "s/111122223333/$a/g" "$f" >"$dir/accounts/$a/$r/$(op_of "$base").json"
    done
  done
done

# The rest of what the loader reads, in the management account's us-east-1.
m="$dir/accounts/111111111111/us-east-1"
cat >"$m/describe-transit-gateways.json" <<'JSON'
{"TransitGateways": [{"TransitGatewayId": "tgw-0aaa1111bbbb22223", "State": "available", "OwnerId": "111111111111",
  "Options": {"DefaultRouteTableAssociation": "enable", "DefaultRouteTablePropagation": "enable",
              "AssociationDefaultRouteTableId": "tgw-rtb-0aaa1111bbbb22224", "PropagationDefaultRouteTableId": "tgw-rtb-0aaa1111bbbb22224"}}]}
JSON
cat >"$m/describe-transit-gateway-route-tables.json" <<'JSON'
{"TransitGatewayRouteTables": [
  {"TransitGatewayRouteTableId": "tgw-rtb-0aaa1111bbbb22224", "TransitGatewayId": "tgw-0aaa1111bbbb22223", "State": "available", "DefaultAssociationRouteTable": true, "DefaultPropagationRouteTable": true},
  {"TransitGatewayRouteTableId": "tgw-rtb-0aaa1111bbbb22225", "TransitGatewayId": "tgw-0aaa1111bbbb22223", "State": "available", "DefaultAssociationRouteTable": false, "DefaultPropagationRouteTable": false},
  {"TransitGatewayRouteTableId": "tgw-rtb-0aaa1111bbbb22226", "TransitGatewayId": "tgw-0aaa1111bbbb22223", "State": "deleted", "DefaultAssociationRouteTable": false, "DefaultPropagationRouteTable": false}]}
JSON
cat >"$m/search-transit-gateway-routes.json" <<'JSON'
{"tgw-rtb-0aaa1111bbbb22224": {"Routes": [
   {"DestinationCidrBlock": "10.99.0.0/16", "Type": "static", "State": "blackhole"},
   {"DestinationCidrBlock": "0.0.0.0/0", "Type": "static", "State": "active",
    "TransitGatewayAttachments": [{"ResourceId": "vpc-1a1b2c3d4e5f60718", "TransitGatewayAttachmentId": "tgw-attach-0aaa1111bbbb22227", "ResourceType": "vpc"}]}],
  "AdditionalRoutesAvailable": false},
 "tgw-rtb-0aaa1111bbbb22225": {"Routes": [], "AdditionalRoutesAvailable": false}}
JSON
cat >"$m/get-transit-gateway-route-table-propagations.json" <<'JSON'
{"tgw-rtb-0aaa1111bbbb22224": {"TransitGatewayRouteTablePropagations": [
   {"TransitGatewayAttachmentId": "tgw-attach-0aaa1111bbbb22227", "ResourceId": "vpc-1a1b2c3d4e5f60718", "ResourceType": "vpc", "State": "enabled"},
   {"TransitGatewayAttachmentId": "tgw-attach-0aaa1111bbbb22228", "ResourceId": "vpc-1a1b2c3d4e5f60719", "ResourceType": "vpc", "State": "enabled"},
   {"TransitGatewayAttachmentId": "tgw-attach-0aaa1111bbbb22229", "ResourceId": "vpc-1a1b2c3d4e5f6071a", "ResourceType": "vpc", "State": "enabled"}]},
 "tgw-rtb-0aaa1111bbbb22225": {"TransitGatewayRouteTablePropagations": []}}
JSON
cat >"$m/describe-managed-prefix-lists.json" <<'JSON'
{"ManagedPrefixLists": [{"PrefixListId": "pl-0aaa1111bbbb22230", "AddressFamily": "IPv4", "State": "create-complete",
  "PrefixListName": "office", "MaxEntries": 5, "Version": 1, "OwnerId": "111111111111"}]}
JSON
cat >"$m/get-managed-prefix-list-entries.json" <<'JSON'
{"pl-0aaa1111bbbb22230": {"Entries": [{"Cidr": "203.0.113.0/24", "Description": "office"},
  {"Cidr": "198.51.100.0/25"}, {"Cidr": "198.51.100.128/25"}]}}
JSON
cat >"$m/describe-load-balancers.json" <<'JSON'
{"LoadBalancers": [{"LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/50dc6c495c0c9188",
  "DNSName": "web-1.us-east-1.elb.amazonaws.com", "LoadBalancerName": "web", "Scheme": "internet-facing", "Type": "application",
  "State": {"Code": "active"}, "VpcId": "vpc-1a1b2c3d4e5f60718", "SecurityGroups": []}]}
JSON
cat >"$m/describe-target-groups.json" <<'JSON'
{"TargetGroups": [{"TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/web/73e2d6bc24d8a067",
  "TargetGroupName": "web", "Protocol": "HTTPS", "Port": 443, "VpcId": "vpc-1a1b2c3d4e5f60718", "TargetType": "instance"}]}
JSON
cat >"$m/describe-target-health.json" <<'JSON'
{"arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/web/73e2d6bc24d8a067": {"TargetHealthDescriptions": [
  {"Target": {"Id": "i-1f3ae0509dfd37f0", "Port": 443}, "TargetHealth": {"State": "healthy"}}]}}
JSON
cat >"$m/describe-db-instances.json" <<'JSON'
{"DBInstances": [{"DBInstanceIdentifier": "orders", "Engine": "postgres", "DBInstanceStatus": "available", "PubliclyAccessible": false}]}
JSON

if [ -n "$clean" ]; then echo '[]' >"$dir/faults.json"; exit 0; fi
cat >"$dir/faults.json" <<'JSON'
[
  {"account": "222222222222", "region": "eu-west-1", "operation": "rds describe-db-instances", "code": "AccessDenied",
   "message": "User: arn:aws:sts::222222222222:assumed-role/OrganizationAccountAccessRole/vpcprove is not authorized to perform: rds:DescribeDBInstances on resource: arn:aws:rds:eu-west-1:222222222222:db:* because no identity-based policy allows the rds:DescribeDBInstances action"},
  {"account": "222222222222", "region": "us-east-1", "operation": "ec2 describe-transit-gateway-peering-attachments", "exit": 252,
   "message": "aws: error: argument operation: Invalid choice, valid choices are: (an old AWS CLI)"},
  {"account": "333333333333", "region": "us-east-1", "operation": "ec2 describe-instances", "times": 2, "code": "RequestLimitExceeded",
   "message": "Request limit exceeded."},
  {"account": "333333333333", "region": "eu-west-1", "operation": "ec2 describe-network-interfaces", "times": 1, "code": "Throttling",
   "message": "Rate exceeded"}
]
JSON
