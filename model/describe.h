// SPDX-License-Identifier: Apache-2.0
// Human-readable names of model objects: the "by" text of every hop.
//
// trace/ and the prover's witness extraction both call these, so a witness path and its
// concrete replay name each hop with the same words, and tests can compare them verbatim.
#pragma once

#include <string>

#include "model/network.h"

namespace vpcprove::model {

/** "all traffic", "tcp 22", "udp 1000-2000", "icmp type 8 code any", "proto 50", "nothing (invalid rule)". */
std::string describe(const L4Match& match);
/** "sg-0b2 egress rule 0 (all traffic 0.0.0.0/0)" */
std::string describe(const SgRule& rule);
/** "acl-0d4 rule 100 allow (tcp 443 0.0.0.0/0)"; the built-in final rule is "acl-0d4 rule * deny". */
std::string describe(const NaclEntry& entry);
/** The built-in last NACL rule: "acl-0d4 rule * deny". */
std::string describe_default_deny(const Id& acl_id);
/** "0.0.0.0/0 -> nat-0f6", "10.0.0.0/16 -> local", "pl-63a5400a (52.216.0.0/15) -> vpce-0b7", "… blackhole".
 */
std::string describe(const Route& route);
/** The "by" of arriving at a transit gateway: "tgw-attach-0a1 (vpc-0b2, us-east-2c) -> tgw-rtb-0c3";
 *  "… -> no route table" when the attachment is associated with none. */
std::string describe_tgw_arrival(const TransitGatewayAttachment& from, const std::string& zone);
/** The "by" of a transit gateway handing a packet into a VPC: "into vpc-0b2 at subnet-0d4 (us-east-2c)",
 *  "… (us-east-2a; none in us-east-2c)" when the attachment has no subnet in the sender's zone. */
std::string describe_tgw_entry(const TransitGatewayAttachment& to, const Subnet& entry,
                               const std::string& zone);
/** "instance-metadata at 169.254.169.254 (not filtered by security groups or network ACLs)". */
std::string describe(AwsService service, Ipv4Address address);
/** The "by" of a gateway endpoint's hop: "to com.amazonaws.us-east-1.s3 (pl-63a5400a)"; a reply's
 *  "reply from com.amazonaws.us-east-1.s3 (pl-63a5400a)". Its policy is not read: said here. */
std::string describe(const GatewayEndpoint& endpoint, bool reply = false);

}  // namespace vpcprove::model
