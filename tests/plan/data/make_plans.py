#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the Terraform plans of tests/plan: `terraform show -json` output, spelled as Terraform
1.5 prints it (format_version 1.2), for the estate of estate-before.json. Run it from this folder;
the JSON it writes is committed, so the tests need no Terraform."""
import copy
import json

ACCOUNT = "111122223333"


def sg_rule(protocol, from_port, to_port, cidrs=(), groups=(), self_=False):
    return {"cidr_blocks": list(cidrs), "description": "", "from_port": from_port, "ipv6_cidr_blocks": [],
            "prefix_list_ids": [], "protocol": protocol, "security_groups": list(groups), "self": self_,
            "to_port": to_port}


ALL_OUT = sg_rule("-1", 0, 0, cidrs=["0.0.0.0/0"])


def res(address, type_, name, values, index=None, mode="managed"):
    r = {"address": address, "mode": mode, "type": type_, "name": name,
         "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 1, "values": values,
         "sensitive_values": {}}
    if index is not None:
        r["index"] = index
    return r


def estate(ssh=False):
    """The estate of estate-before.json as Terraform state, every ID known."""
    web_ingress = [sg_rule("tcp", 443, 443, cidrs=["0.0.0.0/0"])]
    out = [
        res("aws_vpc.main", "aws_vpc", "main", {
            "id": "vpc-0a1", "cidr_block": "10.0.0.0/16", "default_route_table_id": "rtb-0main",
            "main_route_table_id": "rtb-0main", "default_network_acl_id": "acl-0a1",
            "default_security_group_id": "sg-0default", "owner_id": ACCOUNT, "tags": {"Name": "main"}}),
        res("aws_subnet.public", "aws_subnet", "public", {
            "id": "subnet-0pub", "vpc_id": "vpc-0a1", "cidr_block": "10.0.1.0/24",
            "availability_zone": "us-east-1a", "map_public_ip_on_launch": True}),
        res("aws_subnet.private", "aws_subnet", "private", {
            "id": "subnet-0priv", "vpc_id": "vpc-0a1", "cidr_block": "10.0.2.0/24",
            "availability_zone": "us-east-1a", "map_public_ip_on_launch": False}),
        res("aws_internet_gateway.gw", "aws_internet_gateway", "gw", {"id": "igw-0a1", "vpc_id": "vpc-0a1"}),
        res("aws_route_table.public", "aws_route_table", "public", {
            "id": "rtb-0pub", "vpc_id": "vpc-0a1", "owner_id": ACCOUNT,
            "route": [{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-0a1", "ipv6_cidr_block": "",
                       "nat_gateway_id": "", "network_interface_id": "", "transit_gateway_id": "",
                       "vpc_endpoint_id": "", "vpc_peering_connection_id": ""}]}),
        res("aws_route_table_association.public", "aws_route_table_association", "public", {
            "id": "rtbassoc-0pub", "subnet_id": "subnet-0pub", "route_table_id": "rtb-0pub", "gateway_id": None}),
        res("aws_security_group.web", "aws_security_group", "web", {
            "id": "sg-0web", "name": "web", "description": "web", "vpc_id": "vpc-0a1", "owner_id": ACCOUNT,
            "ingress": web_ingress + ([sg_rule("tcp", 22, 22, cidrs=["0.0.0.0/0"])] if ssh else []),
            "egress": [ALL_OUT]}),
        res("aws_security_group.db", "aws_security_group", "db", {
            "id": "sg-0db", "name": "db", "description": "db", "vpc_id": "vpc-0a1", "owner_id": ACCOUNT,
            "ingress": [sg_rule("tcp", 5432, 5432, groups=["sg-0web"])], "egress": [ALL_OUT]}),
        res("aws_instance.web", "aws_instance", "web", {
            "id": "i-0web", "subnet_id": "subnet-0pub", "private_ip": "10.0.1.10", "public_ip": "54.1.1.10",
            "associate_public_ip_address": True, "vpc_security_group_ids": ["sg-0web"],
            "primary_network_interface_id": "eni-0web", "source_dest_check": True, "instance_state": "running",
            "secondary_private_ips": []}),
        res("aws_instance.db", "aws_instance", "db", {
            "id": "i-0db", "subnet_id": "subnet-0priv", "private_ip": "10.0.2.10", "public_ip": "",
            "associate_public_ip_address": False, "vpc_security_group_ids": ["sg-0db"],
            "primary_network_interface_id": "eni-0db", "source_dest_check": True, "instance_state": "running",
            "secondary_private_ips": []}),
    ]
    return out


def change(r, actions, after=True, before=None, after_unknown=None):
    c = {"address": r["address"], "mode": r["mode"], "type": r["type"], "name": r["name"],
         "provider_name": r["provider_name"],
         "change": {"actions": actions, "before": before, "after": r["values"] if after else None,
                    "after_unknown": after_unknown or {}, "before_sensitive": {}, "after_sensitive": {}}}
    if "index" in r:
        c["index"] = r["index"]
    if "." in r["address"] and r["address"].startswith("module."):
        c["module_address"] = r["address"].rsplit("." + r["type"] + ".", 1)[0]
    return c


def ref(*refs):
    return {"references": list(refs)}


def const(v):
    return {"constant_value": v}


def plan(planned, changes, config, prior=None, variables=None):
    p = {"format_version": "1.2", "terraform_version": "1.5.7", "planned_values": {"root_module": planned},
         "resource_changes": changes, "configuration": {"provider_config": {}, "root_module": config},
         "timestamp": "2026-12-06T12:00:00Z", "errored": False}
    if prior is not None:
        p["prior_state"] = {"format_version": "1.0", "terraform_version": "1.5.7", "values": {"root_module": prior}}
    if variables:
        p["variables"] = variables
    return p


def estate_config():
    return [
        {"address": "aws_security_group.web", "mode": "managed", "type": "aws_security_group", "name": "web",
         "expressions": {"vpc_id": ref("aws_vpc.main.id", "aws_vpc.main")}},
    ]


# 1. One separate rule opens SSH on the web group: estate-ssh-opened.json after apply.
def ssh_rule_plan():
    rs = estate()
    ssh = res("aws_security_group_rule.ssh", "aws_security_group_rule", "ssh", {
        "type": "ingress", "security_group_id": "sg-0web", "protocol": "tcp", "from_port": 22, "to_port": 22,
        "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": None, "prefix_list_ids": None,
        "source_security_group_id": None, "self": False, "description": "ssh from anywhere"})
    changes = [change(r, ["no-op"], before=r["values"]) for r in rs]
    changes.append(change(ssh, ["create"], after_unknown={"id": True, "security_group_rule_id": True,
                                                          "source_security_group_id": True}))
    config = estate_config() + [
        {"address": "aws_security_group_rule.ssh", "mode": "managed", "type": "aws_security_group_rule",
         "name": "ssh", "expressions": {"security_group_id": ref("aws_security_group.web.id", "aws_security_group.web"),
                                        "type": const("ingress"), "cidr_blocks": const(["0.0.0.0/0"])}}]
    return plan({"resources": rs + [ssh]}, changes, {"resources": config}, prior={"resources": estate()})


# 2. A new VPC from a module (count, outputs), groups and instances whose IDs are all unknown.
def new_tier_plan():
    net = "module.net"
    vpc = res(net + ".aws_vpc.this", "aws_vpc", "this", {
        "cidr_block": "10.20.0.0/16", "tags": {"Name": "tier"}})
    subnets = [res(net + ".aws_subnet.public", "aws_subnet", "public", {
        "cidr_block": "10.20.1.0/24", "availability_zone": "us-east-1a", "map_public_ip_on_launch": True})]
    for i, c in enumerate(["10.20.10.0/24", "10.20.11.0/24"]):
        subnets.append(res(net + ".aws_subnet.private[%d]" % i, "aws_subnet", "private", {
            "cidr_block": c, "availability_zone": "us-east-1" + "ab"[i], "map_public_ip_on_launch": False}, index=i))
    igw = res(net + ".aws_internet_gateway.this", "aws_internet_gateway", "this", {"tags": None})
    rtb = res(net + ".aws_route_table.public", "aws_route_table", "public", {
        "route": [{"cidr_block": "0.0.0.0/0", "ipv6_cidr_block": "", "nat_gateway_id": "",
                   "network_interface_id": "", "transit_gateway_id": "", "vpc_endpoint_id": "",
                   "vpc_peering_connection_id": ""}]})
    assoc = res(net + ".aws_route_table_association.public", "aws_route_table_association", "public", {"gateway_id": None})
    lb_sg = res("aws_security_group.lb", "aws_security_group", "lb", {
        "name": "lb", "description": "lb", "ingress": [sg_rule("tcp", 443, 443, cidrs=["0.0.0.0/0"])],
        "egress": [ALL_OUT]})
    app_sg = res("aws_security_group.app", "aws_security_group", "app", {
        "name": "app", "description": "app", "ingress": [sg_rule("tcp", 8080, 8080, cidrs=["10.20.0.0/16"])],
        "egress": [ALL_OUT]})
    app_from_lb = res("aws_security_group_rule.app_from_lb", "aws_security_group_rule", "app_from_lb", {
        "type": "ingress", "protocol": "tcp", "from_port": 9000, "to_port": 9000, "cidr_blocks": None, "self": False})
    web = res("aws_instance.web", "aws_instance", "web", {
        "associate_public_ip_address": True, "source_dest_check": True, "instance_state": None})
    apps = [res("aws_instance.app[%d]" % i, "aws_instance", "app", {"source_dest_check": True}, index=i) for i in range(2)]
    inst_unknown = {"id": True, "private_ip": True, "public_ip": True, "primary_network_interface_id": True,
                    "subnet_id": True, "vpc_security_group_ids": True, "instance_state": True}
    changes = [
        change(vpc, ["create"], after_unknown={"id": True, "default_route_table_id": True, "default_network_acl_id": True,
                                               "default_security_group_id": True, "main_route_table_id": True}),
        *[change(s, ["create"], after_unknown={"id": True, "vpc_id": True}) for s in subnets],
        change(igw, ["create"], after_unknown={"id": True, "vpc_id": True}),
        change(rtb, ["create"], after_unknown={"id": True, "vpc_id": True, "route": [{"gateway_id": True}]}),
        change(assoc, ["create"], after_unknown={"id": True, "subnet_id": True, "route_table_id": True}),
        change(lb_sg, ["create"], after_unknown={"id": True, "vpc_id": True}),
        change(app_sg, ["create"], after_unknown={"id": True, "vpc_id": True}),
        change(app_from_lb, ["create"], after_unknown={"id": True, "security_group_id": True, "source_security_group_id": True}),
        change(web, ["create"], after_unknown=inst_unknown),
        *[change(a, ["create"], after_unknown=inst_unknown) for a in apps],
    ]
    module_config = {
        "resources": [
            {"address": "aws_vpc.this", "mode": "managed", "type": "aws_vpc", "name": "this",
             "expressions": {"cidr_block": ref("var.cidr")}},
            {"address": "aws_subnet.public", "mode": "managed", "type": "aws_subnet", "name": "public",
             "expressions": {"vpc_id": ref("aws_vpc.this.id", "aws_vpc.this")}},
            {"address": "aws_subnet.private", "mode": "managed", "type": "aws_subnet", "name": "private",
             "expressions": {"vpc_id": ref("aws_vpc.this.id", "aws_vpc.this")}, "count_expression": const(2)},
            {"address": "aws_internet_gateway.this", "mode": "managed", "type": "aws_internet_gateway", "name": "this",
             "expressions": {"vpc_id": ref("aws_vpc.this.id", "aws_vpc.this")}},
            {"address": "aws_route_table.public", "mode": "managed", "type": "aws_route_table", "name": "public",
             "expressions": {"vpc_id": ref("aws_vpc.this.id", "aws_vpc.this"),
                             "route": [{"cidr_block": const("0.0.0.0/0"),
                                        "gateway_id": ref("aws_internet_gateway.this.id", "aws_internet_gateway.this")}]}},
            {"address": "aws_route_table_association.public", "mode": "managed", "type": "aws_route_table_association",
             "name": "public", "expressions": {"subnet_id": ref("aws_subnet.public.id", "aws_subnet.public"),
                                                "route_table_id": ref("aws_route_table.public.id", "aws_route_table.public")}},
        ],
        "outputs": {
            "vpc_id": {"expression": ref("aws_vpc.this.id", "aws_vpc.this")},
            "public_subnet_id": {"expression": ref("aws_subnet.public.id", "aws_subnet.public")},
            "private_subnet_ids": {"expression": ref("aws_subnet.private")},
        },
        "variables": {"cidr": {}},
    }
    root_config = {
        "module_calls": {"net": {"source": "./modules/net", "expressions": {"cidr": const("10.20.0.0/16")},
                                 "module": module_config}},
        "resources": [
            {"address": "aws_security_group.lb", "mode": "managed", "type": "aws_security_group", "name": "lb",
             "expressions": {"vpc_id": ref("module.net.vpc_id", "module.net")}},
            {"address": "aws_security_group.app", "mode": "managed", "type": "aws_security_group", "name": "app",
             "expressions": {"vpc_id": ref("module.net.vpc_id", "module.net")}},
            {"address": "aws_security_group_rule.app_from_lb", "mode": "managed", "type": "aws_security_group_rule",
             "name": "app_from_lb",
             "expressions": {"security_group_id": ref("aws_security_group.app.id", "aws_security_group.app"),
                             "source_security_group_id": ref("aws_security_group.lb.id", "aws_security_group.lb")}},
            {"address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "name": "web",
             "expressions": {"subnet_id": ref("module.net.public_subnet_id", "module.net"),
                             "vpc_security_group_ids": ref("aws_security_group.lb.id", "aws_security_group.lb")}},
            {"address": "aws_instance.app", "mode": "managed", "type": "aws_instance", "name": "app",
             "expressions": {"subnet_id": ref("module.net.private_subnet_ids", "module.net", "count.index"),
                             "vpc_security_group_ids": ref("aws_security_group.app.id", "aws_security_group.app")},
             "count_expression": const(2)},
        ],
    }
    bucket = res("aws_s3_bucket.logs", "aws_s3_bucket", "logs", {"bucket": "tier-logs"})
    changes.append(change(bucket, ["create"], after_unknown={"id": True, "arn": True}))
    planned = {"resources": [lb_sg, app_sg, app_from_lb, web] + apps + [bucket],
               "child_modules": [{"address": net, "resources": [vpc] + subnets + [igw, rtb, assoc]}]}
    return plan(planned, changes, root_config)


# 3. Over the live estate: an in-place update (web serves 80 too), a delete (the db instance),
#    a replacement (the public route table, new ID unknown), and a rule whose source is an
#    Elastic IP allocated at apply (unknown until apply).
def changes_plan():
    rs = [r for r in estate() if r["address"] != "aws_instance.db"]
    by = {r["address"]: r for r in rs}
    old_web = copy.deepcopy(by["aws_security_group.web"]["values"])
    by["aws_security_group.web"]["values"]["ingress"].append(sg_rule("tcp", 80, 80, cidrs=["0.0.0.0/0"]))
    old_rtb = copy.deepcopy(by["aws_route_table.public"]["values"])
    new_rtb = by["aws_route_table.public"]["values"]
    del new_rtb["id"]
    by["aws_route_table_association.public"]["values"].pop("id")
    eip = res("aws_eip.bastion", "aws_eip", "bastion", {"domain": "vpc"})
    bastion = res("aws_security_group_rule.bastion", "aws_security_group_rule", "bastion", {
        "type": "ingress", "security_group_id": "sg-0web", "protocol": "tcp", "from_port": 22, "to_port": 22,
        "self": False})
    db = [r for r in estate() if r["address"] == "aws_instance.db"][0]
    changes = []
    for r in rs:
        a = r["address"]
        if a == "aws_security_group.web":
            changes.append(change(r, ["update"], before=old_web))
        elif a == "aws_route_table.public":
            changes.append(change(r, ["delete", "create"], before=old_rtb, after_unknown={"id": True}))
        elif a == "aws_route_table_association.public":
            changes.append(change(r, ["delete", "create"], before=dict(r["values"], id="rtbassoc-0pub"),
                                  after_unknown={"id": True, "route_table_id": True}))
        else:
            changes.append(change(r, ["no-op"], before=r["values"]))
    changes.append(change(db, ["delete"], after=False, before=db["values"]))
    changes.append(change(eip, ["create"], after_unknown={"id": True, "public_ip": True, "allocation_id": True}))
    changes.append(change(bastion, ["create"], after_unknown={"id": True, "cidr_blocks": True}))
    config = estate_config() + [
        {"address": "aws_route_table_association.public", "mode": "managed", "type": "aws_route_table_association",
         "name": "public", "expressions": {"subnet_id": ref("aws_subnet.public.id", "aws_subnet.public"),
                                            "route_table_id": ref("aws_route_table.public.id", "aws_route_table.public")}},
        {"address": "aws_security_group_rule.bastion", "mode": "managed", "type": "aws_security_group_rule",
         "name": "bastion", "expressions": {
             "security_group_id": ref("aws_security_group.web.id", "aws_security_group.web"),
             "cidr_blocks": ref("aws_eip.bastion.public_ip", "aws_eip.bastion")}}]
    return plan({"resources": rs + [eip, bastion]}, changes, {"resources": config}, prior={"resources": estate()})


# 4. Deletes of separate resources: a route, a NACL rule replaced by a narrower one, and (in its
# own plan) a subnet's route table association. Terraform still shows the deleted route in the
# table's computed `route` list, as it reads every route of the table.
def nacl_rule(name, number, egress, protocol, action, cidr, from_port=0, to_port=0):
    return res("aws_network_acl_rule." + name, "aws_network_acl_rule", name, {
        "id": "nacl-" + name, "network_acl_id": "acl-0a1", "rule_number": number, "egress": egress,
        "protocol": protocol, "rule_action": action, "cidr_block": cidr, "from_port": from_port,
        "to_port": to_port, "icmp_type": None, "icmp_code": None, "ipv6_cidr_block": ""})


def deletes_plan():
    rs = estate()
    route = res("aws_route.default", "aws_route", "default", {
        "id": "r-rtb-0pub1080289494", "route_table_id": "rtb-0pub", "destination_cidr_block": "0.0.0.0/0",
        "gateway_id": "igw-0a1", "nat_gateway_id": "", "network_interface_id": "", "transit_gateway_id": "",
        "vpc_peering_connection_id": "", "destination_ipv6_cidr_block": "", "destination_prefix_list_id": ""})
    old_in = nacl_rule("inbound", 100, False, "-1", "allow", "0.0.0.0/0")
    new_in = nacl_rule("inbound", 100, False, "6", "allow", "10.0.0.0/16", 5432, 5432)
    del new_in["values"]["id"]
    changes = [change(r, ["no-op"], before=r["values"]) for r in rs]
    changes.append(change(route, ["delete"], after=False, before=route["values"]))
    changes.append(change(new_in, ["delete", "create"], before=old_in["values"], after_unknown={"id": True}))
    return plan({"resources": rs + [new_in]}, changes, {"resources": estate_config()},
                prior={"resources": estate() + [route, old_in]})


def unassociate_plan():
    rs = [r for r in estate() if r["address"] != "aws_route_table_association.public"]
    gone = [r for r in estate() if r["address"] == "aws_route_table_association.public"][0]
    changes = [change(r, ["no-op"], before=r["values"]) for r in rs]
    changes.append(change(gone, ["delete"], after=False, before=gone["values"]))
    return plan({"resources": rs}, changes, {"resources": estate_config()}, prior={"resources": estate()})


def main():
    for name, p in [("ssh-rule.plan.json", ssh_rule_plan()), ("new-tier.plan.json", new_tier_plan()),
                    ("changes.plan.json", changes_plan()), ("deletes.plan.json", deletes_plan()),
                    ("unassociate.plan.json", unassociate_plan())]:
        with open(name, "w") as f:
            json.dump(p, f, indent=1, sort_keys=False)
            f.write("\n")


if __name__ == "__main__":
    main()
