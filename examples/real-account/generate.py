#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the describe-* JSON of examples/real-account (run from anywhere; rewrites the files).

The snapshot is what `aws ec2 describe-*` (and elbv2/rds describe calls) print for one small
production VPC: an internet-facing ALB in two public subnets, a publicly accessible RDS
instance, a NAT instance (source/dest check off) that the private subnet routes through, a
route to a virtual private gateway (the office network, 10.99.0.0/16), and an interface
endpoint for Secrets Manager. README.md states every answer; tests check them.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ACCOUNT = "111122223333"
VPC = "vpc-0e1a2b3c4d5e6f701"
IGW = "igw-0c2d3e4f5a6b7c801"
VGW = "vgw-0d3e4f5a6b7c8d902"
SUB = {
    "public-a": ("subnet-0a1b2c3d4e5f60101", "10.20.0.0/24", "us-east-1a"),
    "public-b": ("subnet-0a1b2c3d4e5f60102", "10.20.1.0/24", "us-east-1b"),
    "app-a": ("subnet-0a1b2c3d4e5f60111", "10.20.10.0/24", "us-east-1a"),
    "db-a": ("subnet-0a1b2c3d4e5f60121", "10.20.20.0/24", "us-east-1a"),
    "db-b": ("subnet-0a1b2c3d4e5f60122", "10.20.21.0/24", "us-east-1b"),
}
RTB_MAIN = "rtb-0b1c2d3e4f5a6b700"
RTB_PUBLIC = "rtb-0b1c2d3e4f5a6b701"
RTB_PRIVATE = "rtb-0b1c2d3e4f5a6b702"
ACL = "acl-0f1e2d3c4b5a69801"
SG = {
    "alb": "sg-0a0000000000a1b01",
    "app": "sg-0a0000000000a1b02",
    "nat": "sg-0a0000000000a1b03",
    "db": "sg-0a0000000000a1b04",
    "vpce": "sg-0a0000000000a1b05",
}
ENI = {
    "alb-a": "eni-0e0000000000a1c01",
    "alb-b": "eni-0e0000000000a1c02",
    "app": "eni-0e0000000000a1c03",
    "nat": "eni-0e0000000000a1c04",
    "rds": "eni-0e0000000000a1c05",
    "vpce": "eni-0e0000000000a1c06",
}
I_APP = "i-0f0000000000a1d01"
I_NAT = "i-0f0000000000a1d02"
VPCE = "vpce-0c0000000000a1e01"
ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/shop-alb/50dc6c495c0c9188"


def tags(name):
    return [{"Key": "Name", "Value": name}, {"Key": "Environment", "Value": "production"}]


def write(name, doc):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(doc, f, indent=4)
        f.write("\n")


def perm(proto, lo=None, hi=None, cidrs=(), groups=()):
    p = {"IpProtocol": proto, "IpRanges": [{"CidrIp": c} for c in cidrs], "Ipv6Ranges": [], "PrefixListIds": [],
         "UserIdGroupPairs": [{"GroupId": g, "UserId": ACCOUNT} for g in groups]}
    if lo is not None:
        p["FromPort"], p["ToPort"] = lo, hi
    return p


def sg(key, name, ingress, egress=None):
    return {"Description": name, "GroupName": name, "GroupId": SG[key], "OwnerId": ACCOUNT, "VpcId": VPC,
            "IpPermissions": ingress,
            "IpPermissionsEgress": egress if egress is not None else [perm("-1", cidrs=["0.0.0.0/0"])],
            "Tags": tags(name)}


def eni(key, subnet, ip, groups, description="", public=None, interface_type="interface", attachment=None,
        requester=None, source_dest_check=True, name=None):
    sid, _, az = SUB[subnet]
    addr = {"Primary": True, "PrivateIpAddress": ip, "PrivateDnsName": "ip-" + ip.replace(".", "-") + ".ec2.internal"}
    e = {"AvailabilityZone": az, "Description": description,
         "Groups": [{"GroupId": SG[g], "GroupName": g} for g in groups], "InterfaceType": interface_type,
         "Ipv6Addresses": [], "NetworkInterfaceId": ENI[key], "OwnerId": ACCOUNT, "PrivateIpAddress": ip,
         "PrivateIpAddresses": [addr], "RequesterManaged": requester is not None,
         "SourceDestCheck": source_dest_check, "Status": "in-use", "SubnetId": sid, "TagSet": tags(name or key),
         "VpcId": VPC}
    if requester:
        e["RequesterId"] = requester
    if public:
        assoc = {"IpOwnerId": public[1], "PublicIp": public[0]}
        e["Association"] = assoc
        addr["Association"] = dict(assoc)
    if attachment:
        e["Attachment"] = attachment
    return e


def attach(instance=None, owner=ACCOUNT, index=0):
    a = {"AttachmentId": "eni-attach-0" + (instance or owner)[-12:], "DeleteOnTermination": True, "DeviceIndex": index,
         "InstanceOwnerId": owner, "Status": "attached"}
    if instance:
        a["InstanceId"] = instance
    return a


def main():
    write("Vpcs.json", {"Vpcs": [{"CidrBlock": "10.20.0.0/16", "DhcpOptionsId": "dopt-0123456789abcdef0",
                                  "State": "available", "VpcId": VPC, "OwnerId": ACCOUNT, "InstanceTenancy": "default",
                                  "CidrBlockAssociationSet": [{"AssociationId": "vpc-cidr-assoc-0a1b2c3d4e5f60701",
                                                               "CidrBlock": "10.20.0.0/16",
                                                               "CidrBlockState": {"State": "associated"}}],
                                  "IsDefault": False, "Tags": tags("shop-production")}]})
    write("Subnets.json", {"Subnets": [
        {"AvailabilityZone": az, "AvailableIpAddressCount": 250, "CidrBlock": cidr, "DefaultForAz": False,
         "MapPublicIpOnLaunch": key.startswith("public"), "State": "available", "SubnetId": sid, "VpcId": VPC,
         "OwnerId": ACCOUNT, "Tags": tags("shop-" + key)} for key, (sid, cidr, az) in SUB.items()]})
    write("InternetGateways.json", {"InternetGateways": [
        {"Attachments": [{"State": "available", "VpcId": VPC}], "InternetGatewayId": IGW, "OwnerId": ACCOUNT,
         "Tags": tags("shop-igw")}]})

    def assoc(rtb, subnet=None, main=False, n=0):
        a = {"Main": main, "RouteTableAssociationId": "rtbassoc-0" + rtb[-8:] + str(n), "RouteTableId": rtb,
             "AssociationState": {"State": "associated"}}
        if subnet:
            a["SubnetId"] = SUB[subnet][0]
        return a

    local = {"DestinationCidrBlock": "10.20.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable",
             "State": "active"}
    office = {"DestinationCidrBlock": "10.99.0.0/16", "GatewayId": VGW, "Origin": "EnableVgwRoutePropagation",
              "State": "active"}
    write("RouteTables.json", {"RouteTables": [
        {"Associations": [assoc(RTB_MAIN, main=True)], "RouteTableId": RTB_MAIN, "Routes": [local], "VpcId": VPC,
         "OwnerId": ACCOUNT, "PropagatingVgws": [], "Tags": tags("shop-main")},
        {"Associations": [assoc(RTB_PUBLIC, s, n=i) for i, s in enumerate(["public-a", "public-b", "db-a", "db-b"])],
         "RouteTableId": RTB_PUBLIC, "VpcId": VPC, "OwnerId": ACCOUNT, "PropagatingVgws": [{"GatewayId": VGW}],
         "Routes": [local, {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": IGW, "Origin": "CreateRoute",
                            "State": "active"}, office], "Tags": tags("shop-public")},
        {"Associations": [assoc(RTB_PRIVATE, "app-a")], "RouteTableId": RTB_PRIVATE, "VpcId": VPC,
         "OwnerId": ACCOUNT, "PropagatingVgws": [{"GatewayId": VGW}],
         "Routes": [local, {"DestinationCidrBlock": "0.0.0.0/0", "InstanceId": I_NAT, "InstanceOwnerId": ACCOUNT,
                            "NetworkInterfaceId": ENI["nat"], "Origin": "CreateRoute", "State": "active"}, office],
         "Tags": tags("shop-private")}]})
    all_traffic = [{"CidrBlock": "0.0.0.0/0", "Egress": e, "Protocol": "-1", "RuleAction": a, "RuleNumber": n}
                   for e in (False, True) for n, a in ((100, "allow"), (32767, "deny"))]
    write("NetworkAcls.json", {"NetworkAcls": [
        {"Associations": [{"NetworkAclAssociationId": "aclassoc-0a1b2c3d4e5f6" + str(i), "NetworkAclId": ACL,
                           "SubnetId": sid} for i, (sid, _, _) in enumerate(SUB.values())],
         "Entries": all_traffic, "IsDefault": True, "NetworkAclId": ACL, "VpcId": VPC, "OwnerId": ACCOUNT,
         "Tags": tags("shop-default")}]})
    write("SecurityGroups.json", {"SecurityGroups": [
        sg("alb", "shop-alb", [perm("tcp", 443, 443, cidrs=["0.0.0.0/0"]), perm("tcp", 80, 80, cidrs=["0.0.0.0/0"])]),
        sg("app", "shop-app", [perm("tcp", 8080, 8080, groups=[SG["alb"]]),
                               perm("tcp", 22, 22, cidrs=["10.99.0.0/16"])]),
        sg("nat", "shop-nat-instance", [perm("-1", cidrs=["10.20.10.0/24"])]),
        sg("db", "shop-db", [perm("tcp", 5432, 5432, groups=[SG["app"]]),
                             perm("tcp", 5432, 5432, cidrs=["203.0.113.0/24"])]),
        sg("vpce", "shop-endpoints", [perm("tcp", 443, 443, cidrs=["10.20.0.0/16"])], egress=[])]})
    write("NetworkInterfaces.json", {"NetworkInterfaces": [
        eni("alb-a", "public-a", "10.20.0.10", ["alb"], "ELB app/shop-alb/50dc6c495c0c9188",
            public=("3.210.0.10", "amazon"), attachment=attach(owner="amazon-elb"), requester="amazon-elb",
            name="shop-alb-a"),
        eni("alb-b", "public-b", "10.20.1.10", ["alb"], "ELB app/shop-alb/50dc6c495c0c9188",
            public=("3.210.1.10", "amazon"), attachment=attach(owner="amazon-elb"), requester="amazon-elb",
            name="shop-alb-b"),
        eni("app", "app-a", "10.20.10.20", ["app"], attachment=attach(I_APP), name="shop-app"),
        eni("nat", "public-a", "10.20.0.50", ["nat"], public=("44.192.0.50", ACCOUNT), attachment=attach(I_NAT),
            source_dest_check=False, name="shop-nat-instance"),
        eni("rds", "db-a", "10.20.20.30", ["db"], "RDSNetworkInterface", public=("18.204.0.30", "amazon"),
            attachment=attach(owner="amazon-rds", index=1), requester="amazon-rds", name="shop-db"),
        eni("vpce", "app-a", "10.20.10.40", ["vpce"], "VPC Endpoint Interface " + VPCE,
            interface_type="vpc_endpoint", requester="727180483921", name="shop-secretsmanager")]})

    def instance(iid, key, subnet, ip, public=None, sdc=True, name=""):
        i = {"InstanceId": iid, "InstanceType": "t3.small", "ImageId": "ami-0c101f26f147fa7fd",
             "Placement": {"AvailabilityZone": SUB[subnet][2], "Tenancy": "default"}, "PrivateIpAddress": ip,
             "State": {"Code": 16, "Name": "running"}, "SubnetId": SUB[subnet][0], "VpcId": VPC,
             "SourceDestCheck": sdc, "SecurityGroups": [{"GroupId": SG[key], "GroupName": key}],
             "NetworkInterfaces": [{"NetworkInterfaceId": ENI[key], "PrivateIpAddress": ip, "SubnetId": SUB[subnet][0],
                                    "VpcId": VPC, "Status": "in-use", "SourceDestCheck": sdc,
                                    "Attachment": {"DeviceIndex": 0, "Status": "attached"}}],
             "Tags": tags(name)}
        if public:
            i["PublicIpAddress"] = public
        return i

    write("Reservations.json", {"Reservations": [
        {"ReservationId": "r-0a1b2c3d4e5f60001", "OwnerId": ACCOUNT, "Groups": [],
         "Instances": [instance(I_APP, "app", "app-a", "10.20.10.20", name="shop-app")]},
        {"ReservationId": "r-0a1b2c3d4e5f60002", "OwnerId": ACCOUNT, "Groups": [],
         "Instances": [instance(I_NAT, "nat", "public-a", "10.20.0.50", "44.192.0.50", sdc=False,
                                name="shop-nat-instance")]}]})
    write("Addresses.json", {"Addresses": [
        {"AllocationId": "eipalloc-0a1b2c3d4e5f60801", "AssociationId": "eipassoc-0a1b2c3d4e5f60801",
         "Domain": "vpc", "InstanceId": I_NAT, "NetworkInterfaceId": ENI["nat"], "NetworkInterfaceOwnerId": ACCOUNT,
         "PrivateIpAddress": "10.20.0.50", "PublicIp": "44.192.0.50", "PublicIpv4Pool": "amazon",
         "Tags": tags("shop-nat-eip")}]})
    write("VpcEndpoints.json", {"VpcEndpoints": [
        {"VpcEndpointId": VPCE, "VpcEndpointType": "Interface", "VpcId": VPC,
         "ServiceName": "com.amazonaws.us-east-1.secretsmanager", "State": "available", "RouteTableIds": [],
         "SubnetIds": [SUB["app-a"][0]], "Groups": [{"GroupId": SG["vpce"], "GroupName": "shop-endpoints"}],
         "PrivateDnsEnabled": True, "NetworkInterfaceIds": [ENI["vpce"]], "OwnerId": ACCOUNT,
         "Tags": tags("shop-secretsmanager")}]})
    write("LoadBalancers.json", {"LoadBalancers": [
        {"LoadBalancerArn": ALB_ARN, "DNSName": "shop-alb-1234567890.us-east-1.elb.amazonaws.com",
         "LoadBalancerName": "shop-alb", "Scheme": "internet-facing", "VpcId": VPC, "State": {"Code": "active"},
         "Type": "application", "IpAddressType": "ipv4", "SecurityGroups": [SG["alb"]],
         "AvailabilityZones": [{"ZoneName": "us-east-1a", "SubnetId": SUB["public-a"][0]},
                               {"ZoneName": "us-east-1b", "SubnetId": SUB["public-b"][0]}]}]})
    write("DBInstances.json", {"DBInstances": [
        {"DBInstanceIdentifier": "shop-db", "DBInstanceClass": "db.t3.medium", "Engine": "postgres",
         "DBInstanceStatus": "available", "PubliclyAccessible": True,
         "Endpoint": {"Address": "shop-db.abcdefghijkl.us-east-1.rds.amazonaws.com", "Port": 5432},
         "VpcSecurityGroups": [{"VpcSecurityGroupId": SG["db"], "Status": "active"}],
         "DBSubnetGroup": {"DBSubnetGroupName": "shop-db", "VpcId": VPC, "SubnetGroupStatus": "Complete",
                           "Subnets": [{"SubnetIdentifier": SUB["db-a"][0]}, {"SubnetIdentifier": SUB["db-b"][0]}]}}]})


if __name__ == "__main__":
    main()
