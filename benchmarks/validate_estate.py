#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks a generated estate is a coherent AWS snapshot, independently of vpcprove's loader.

Usage: validate_estate.py SNAPSHOT_DIR MANIFEST.json

Every reference resolves (subnet -> VPC, ENI -> subnet/groups, routes -> gateways and peerings,
group pairs -> groups, addresses -> ENIs, instances -> ENIs), every subnet has exactly one NACL
and at most one explicit route table, private IPs sit inside their subnet and are unique per VPC,
public IPs are unique, and the counts agree with the generator's manifest. Exit 1 on the first
kind of problem, listing up to ten.
"""
import ipaddress
import json
import pathlib
import sys
from collections import Counter, defaultdict


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    manifest = json.loads(pathlib.Path(sys.argv[2]).read_text())
    items = defaultdict(list)
    for path in sorted(root.rglob("*.json")):
        doc = json.loads(path.read_text())
        if not isinstance(doc, dict) or len(doc) != 1:
            return fail([f"{path}: expected one top-level key"])
        (key, value), = doc.items()
        items[key].extend(value)

    problems = []

    def unique(kind, ids):
        for dup, n in Counter(ids).items():
            if n > 1:
                problems.append(f"{kind} {dup} appears {n} times")

    vpcs = {v["VpcId"]: v for v in items["Vpcs"]}
    subnets = {s["SubnetId"]: s for s in items["Subnets"]}
    sgs = {g["GroupId"]: g for g in items["SecurityGroups"]}
    enis = {e["NetworkInterfaceId"]: e for e in items["NetworkInterfaces"]}
    igws = {g["InternetGatewayId"] for g in items["InternetGateways"]}
    nats = {n["NatGatewayId"]: n for n in items["NatGateways"]}
    pcxs = {p["VpcPeeringConnectionId"]: p for p in items["VpcPeeringConnections"]}
    unique("vpc", [v["VpcId"] for v in items["Vpcs"]])
    unique("subnet", [s["SubnetId"] for s in items["Subnets"]])
    unique("sg", [g["GroupId"] for g in items["SecurityGroups"]])
    unique("eni", [e["NetworkInterfaceId"] for e in items["NetworkInterfaces"]])
    unique("rtb", [r["RouteTableId"] for r in items["RouteTables"]])
    unique("acl", [a["NetworkAclId"] for a in items["NetworkAcls"]])

    for s in subnets.values():
        if s["VpcId"] not in vpcs:
            problems.append(f"{s['SubnetId']}: unknown VPC {s['VpcId']}")
        elif not ipaddress.ip_network(s["CidrBlock"]).subnet_of(ipaddress.ip_network(vpcs[s["VpcId"]]["CidrBlock"])):
            problems.append(f"{s['SubnetId']}: {s['CidrBlock']} outside its VPC")

    acl_of = Counter()
    for a in items["NetworkAcls"]:
        for assoc in a["Associations"]:
            acl_of[assoc["SubnetId"]] += 1
        numbers = Counter((e["Egress"], e["RuleNumber"]) for e in a["Entries"])
        problems += [f"{a['NetworkAclId']}: rule {k} twice" for k, n in numbers.items() if n > 1]
    problems += [f"{s}: {acl_of[s]} NACL associations" for s in subnets if acl_of[s] != 1]

    rtb_of = Counter()
    for r in items["RouteTables"]:
        for assoc in r["Associations"]:
            if "SubnetId" in assoc:
                rtb_of[assoc["SubnetId"]] += 1
        for route in r["Routes"]:
            if route.get("GatewayId", "local") != "local" and route["GatewayId"] not in igws:
                problems.append(f"{r['RouteTableId']}: route to unknown {route['GatewayId']}")
            if "NatGatewayId" in route and route["NatGatewayId"] not in nats:
                problems.append(f"{r['RouteTableId']}: route to unknown {route['NatGatewayId']}")
            if "VpcPeeringConnectionId" in route and route["VpcPeeringConnectionId"] not in pcxs:
                problems.append(f"{r['RouteTableId']}: route to unknown {route['VpcPeeringConnectionId']}")
    problems += [f"{s}: {n} explicit route tables" for s, n in rtb_of.items() if n > 1]

    for g in sgs.values():
        for perm in g["IpPermissions"] + g["IpPermissionsEgress"]:
            for pair in perm["UserIdGroupPairs"]:
                if pair["GroupId"] not in sgs:
                    problems.append(f"{g['GroupId']}: references unknown {pair['GroupId']}")

    private_seen, public_seen = set(), set()
    for e in enis.values():
        subnet = subnets.get(e["SubnetId"])
        if subnet is None:
            problems.append(f"{e['NetworkInterfaceId']}: unknown subnet {e['SubnetId']}")
            continue
        net = ipaddress.ip_network(subnet["CidrBlock"])
        for p in e["PrivateIpAddresses"]:
            address = ipaddress.ip_address(p["PrivateIpAddress"])
            if address not in net or int(address) - int(net.network_address) < 4 or address == net.broadcast_address:
                problems.append(f"{e['NetworkInterfaceId']}: {address} not usable in {net}")
            if (e["VpcId"], address) in private_seen:
                problems.append(f"{e['NetworkInterfaceId']}: {address} used twice in {e['VpcId']}")
            private_seen.add((e["VpcId"], address))
            if "Association" in p:
                if p["Association"]["PublicIp"] in public_seen:
                    problems.append(f"{e['NetworkInterfaceId']}: public IP {p['Association']['PublicIp']} used twice")
                public_seen.add(p["Association"]["PublicIp"])
        for g in e["Groups"]:
            if g["GroupId"] not in sgs or sgs[g["GroupId"]]["VpcId"] != e["VpcId"]:
                problems.append(f"{e['NetworkInterfaceId']}: group {g['GroupId']} not in its VPC")

    for a in items["Addresses"]:
        if "NetworkInterfaceId" in a and a["NetworkInterfaceId"] not in enis:
            problems.append(f"{a['AllocationId']}: unknown ENI {a['NetworkInterfaceId']}")

    instances = 0
    running = 0
    for r in items["Reservations"]:
        for i in r["Instances"]:
            instances += 1
            running += i["State"]["Name"] == "running"
            for ni in i["NetworkInterfaces"]:
                eni = enis.get(ni["NetworkInterfaceId"])
                if eni is None or eni.get("Attachment", {}).get("InstanceId") != i["InstanceId"]:
                    problems.append(f"{i['InstanceId']}: ENI {ni['NetworkInterfaceId']} not attached to it")

    counts = {
        "vpcs": len(vpcs), "subnets": len(subnets), "security_groups": len(sgs),
        "network_interfaces": len(enis), "instances": instances, "running_instances": running,
        "route_tables": len(items["RouteTables"]), "network_acls": len(items["NetworkAcls"]),
        "nat_gateways": sum(n["State"] == "available" for n in nats.values()),
        "vpc_peerings": sum(p["Status"]["Code"] == "active" for p in pcxs.values()),
    }
    for key, n in counts.items():
        if manifest[key] != n:
            problems.append(f"{key}: snapshot has {n}, manifest says {manifest[key]}")
    for key in ("reach_from", "reach_to"):
        if manifest[key] not in enis:
            problems.append(f"manifest {key} {manifest[key]} is not an ENI of the snapshot")

    if problems:
        return fail(problems)
    print(f"estate ok: {len(enis)} ENIs, {len(subnets)} subnets, {len(sgs)} groups, {len(pcxs)} peerings")
    return 0


def fail(problems) -> int:
    print(f"estate has {len(problems)} problem(s):", file=sys.stderr)
    for p in problems[:10]:
        print("  " + p, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
