// SPDX-License-Identifier: Apache-2.0
// A fluent builder of model::Network objects by hand, for unit tests of every stage.
//
// Example:
//   NetworkBuilder b;
//   b.vpc("vpc-1", "10.0.0.0/16");
//   b.igw("igw-1", "vpc-1");
//   b.route_table("rtb-pub", "vpc-1").route("0.0.0.0/0", "igw-1");
//   b.subnet("subnet-a", "vpc-1", "10.0.1.0/24").route_table("rtb-pub");
//   b.eni("eni-1", "subnet-a", {"10.0.1.5"}).public_ip("3.3.3.3").groups({"sg-1"});
//   b.sg("sg-1", "vpc-1").ingress_tcp(22, "0.0.0.0/0").egress_all();
//   model::Network n = b.build();
#pragma once

#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/network.h"

namespace vpcprove::testing {

/** Parses "10.0.0.1"; throws std::invalid_argument on bad text (tests only). */
Ipv4Address ip(const std::string& text);
/** Parses "10.0.0.0/16" (or a bare address as /32); throws std::invalid_argument on bad text. */
Ipv4Prefix prefix(const std::string& text);

/** L4 matches for SG rules and NACL entries. */
model::L4Match any_l4();
model::L4Match tcp(std::uint16_t lo, std::uint16_t hi);
inline model::L4Match tcp(std::uint16_t port) { return tcp(port, port); }
model::L4Match udp(std::uint16_t lo, std::uint16_t hi);
inline model::L4Match udp(std::uint16_t port) { return udp(port, port); }
/** ICMP; -1 means any type / any code. */
model::L4Match icmp(int type = -1, int code = -1);
/** ICMPv6 (protocol 58); -1 means any type / any code. */
model::L4Match icmpv6(int type = -1, int code = -1);
/** Any other protocol number (e.g. 50 for ESP). */
model::L4Match proto(int number);

/** A packet: tcp by default; for ICMP pass type as dst_port and code as src_port. */
model::Packet packet(const std::string& src, const std::string& dst, int protocol = model::kTcp,
                     std::uint16_t src_port = 49152, std::uint16_t dst_port = 443);

/**
 * Builds a model::Network that obeys every invariant the converter (aws/) guarantees, so
 * tests of trace/, graph/ and encoder/ see what they would see from a real snapshot:
 *
 * - vpc() creates the VPC's main route table "rtb-main-<vpc id>" and default NACL
 *   "acl-default-<vpc id>" (rule 100 allow all, both ways); reach them with
 *   main_route_table() / default_nacl() to change them.
 * - build() adds a local route for every VPC CIDR to every route table of the VPC, sorts
 *   routes longest prefix first (stable: equal prefixes keep the order they were added in),
 *   sets every subnet's route_table_id (explicit association, else main) and nacl_id
 *   (explicit, else the default NACL), fills each RouteTable::subnet_ids, sorts NACL
 *   entries by rule number, numbers SG rules per group and direction, expands SG peers
 *   ("0.0.0.0/0", "sg-…" to the /32 of every private IP of every member ENI, "pl-…" to the
 *   prefix list's CIDRs; none for a list the network lacks), fills ENI vpc_id from the subnet, and calls
 * Network::index().
 * - route targets are typed by their ID prefix: "local", igw-, eigw-, nat-, eni-, i- (the
 *   instance's first ENI), pcx-, tgw-, vgw-, vpce-, anything else Other.
 *
 * Handles returned by the methods stay valid until build(); every method may be called in
 * any order (references to IDs are resolved at build()). Not thread-safe.
 */
class NetworkBuilder {
 public:
  class VpcHandle {
   public:
    /** Adds a secondary CIDR block. */
    VpcHandle& cidr(const std::string& cidr);
    /** An associated IPv6 block ("2600:1f18:1::/56"): a local IPv6 route joins every table, and
     *  an allow-all NACL of the VPC also allows IPv6 (rule 101 ::/0), as AWS's default one does. */
    VpcHandle& ipv6(const std::string& cidr);
    VpcHandle& tags(model::Tags tags);
    [[nodiscard]] const model::Id& id() const { return id_; }
    operator const model::Id&() const { return id_; }  // NOLINT: lets a handle stand for its ID

   private:
    friend class NetworkBuilder;
    VpcHandle(NetworkBuilder* b, model::Id id) : b_(b), id_(std::move(id)) {}
    NetworkBuilder* b_;
    model::Id id_;
  };

  class SubnetHandle {
   public:
    /** Explicit route-table association. */
    SubnetHandle& route_table(const model::Id& rtb_id);
    /** Explicit NACL association. */
    SubnetHandle& nacl(const model::Id& acl_id);
    /** No route table at all (neither explicit nor main): every packet leaving is dropped. */
    SubnetHandle& no_route_table();
    /** Its Availability Zone (default "us-east-1a"). */
    SubnetHandle& zone(const std::string& availability_zone);
    SubnetHandle& tags(model::Tags tags);
    /** The subnet's IPv6 /64. */
    SubnetHandle& ipv6(const std::string& cidr);
    [[nodiscard]] const model::Id& id() const { return id_; }
    operator const model::Id&() const { return id_; }  // NOLINT

   private:
    friend class NetworkBuilder;
    SubnetHandle(NetworkBuilder* b, model::Id id) : b_(b), id_(std::move(id)) {}
    NetworkBuilder* b_;
    model::Id id_;
  };

  class RouteTableHandle {
   public:
    /** A route to target ("local", "igw-…", "eigw-…", "nat-…", "eni-…", "i-…", "pcx-…", "tgw-…", …);
     *  an IPv6 destination ("::/0") makes an IPv6 route (routes6). */
    RouteTableHandle& route(const std::string& destination, const model::Id& target);
    /** A route in state blackhole. */
    RouteTableHandle& blackhole(const std::string& destination, const model::Id& target);
    /**
     * An active route to a target the network lacks ("igw-…", "nat-…", "eni-…", "pcx-…" not
     * declared), as the converter makes it (aws/to_model_routes.cpp): kind Other, and target an
     * OpaqueGateway with `missing` set and the kind its ID names. Throws std::invalid_argument
     * at build() when the target exists after all.
     */
    RouteTableHandle& route_to_missing(const std::string& destination, const model::Id& target);
    /** One route per entry of prefix list pl_id (which must be declared with prefix_list()). */
    RouteTableHandle& prefix_list_route(const model::Id& pl_id, const model::Id& target);
    /** A propagated route (Origin EnableVgwRoutePropagation). */
    RouteTableHandle& propagated(const std::string& destination, const model::Id& target);
    /** Edge association with a gateway (ingress routing from an internet gateway). */
    RouteTableHandle& edge(const model::Id& gateway_id);
    /** Makes this table the VPC's main table (replacing rtb-main-<vpc>). */
    RouteTableHandle& main();
    RouteTableHandle& tags(model::Tags tags);
    [[nodiscard]] const model::Id& id() const { return id_; }
    operator const model::Id&() const { return id_; }  // NOLINT

   private:
    friend class NetworkBuilder;
    RouteTableHandle(NetworkBuilder* b, model::Id id) : b_(b), id_(std::move(id)) {}
    NetworkBuilder* b_;
    model::Id id_;
  };

  class EniHandle {
   public:
    /** Maps the primary private IP to public (public or Elastic IP). */
    EniHandle& public_ip(const std::string& public_address);
    /** Maps a given private IP of this ENI to public. */
    EniHandle& public_ip(const std::string& private_address, const std::string& public_address);
    EniHandle& groups(std::vector<model::Id> sg_ids);
    /** IPv6 addresses (Ipv6Addresses). */
    EniHandle& ipv6(std::vector<std::string> addresses);
    EniHandle& source_dest_check(bool on);
    EniHandle& instance(const model::Id& instance_id);
    EniHandle& kind(model::InterfaceKind kind);
    EniHandle& tags(model::Tags tags);
    /** A delegated prefix (Ipv4Prefixes): its addresses join private_ips, as the converter does. */
    EniHandle& delegated_prefix(const std::string& cidr);
    /** A delegated IPv6 prefix (Ipv6Prefixes, a /80): every address in it is the ENI's, and a
     *  reference to the ENI's groups stands for the whole prefix, as the converter makes it. */
    EniHandle& ipv6_prefix(const std::string& cidr);
    /** A Network Load Balancer's ENI created without security groups: nothing filters it (source/dest check
     * on). */
    EniHandle& group_less_nlb();
    /** Not attached ("ENI_NOT_ATTACHED") or of a stopped instance ("INSTANCE_NOT_RUNNING"). */
    EniHandle& inactive(const std::string& code);
    [[nodiscard]] const model::Id& id() const { return id_; }
    operator const model::Id&() const { return id_; }  // NOLINT

   private:
    friend class NetworkBuilder;
    EniHandle(NetworkBuilder* b, model::Id id) : b_(b), id_(std::move(id)) {}
    NetworkBuilder* b_;
    model::Id id_;
  };

  class SgHandle {
   public:
    /** peer: a CIDR ("0.0.0.0/0", or IPv6 "::/0"), a group ("sg-…", its members' IPv4 and IPv6 addresses) or
     * a prefix list ("pl-…"); a group or prefix list the network lacks matches no address, as the converter
     * makes it. */
    SgHandle& ingress(const model::L4Match& l4, const std::string& peer);
    SgHandle& egress(const model::L4Match& l4, const std::string& peer);
    SgHandle& ingress_tcp(std::uint16_t port, const std::string& peer) { return ingress(tcp(port), peer); }
    SgHandle& ingress_udp(std::uint16_t port, const std::string& peer) { return ingress(udp(port), peer); }
    SgHandle& ingress_all(const std::string& peer = "0.0.0.0/0") { return ingress(any_l4(), peer); }
    SgHandle& egress_tcp(std::uint16_t port, const std::string& peer) { return egress(tcp(port), peer); }
    SgHandle& egress_all(const std::string& peer = "0.0.0.0/0") { return egress(any_l4(), peer); }
    SgHandle& tags(model::Tags tags);
    [[nodiscard]] const model::Id& id() const { return id_; }
    operator const model::Id&() const { return id_; }  // NOLINT

   private:
    friend class NetworkBuilder;
    SgHandle(NetworkBuilder* b, model::Id id) : b_(b), id_(std::move(id)) {}
    NetworkBuilder* b_;
    model::Id id_;
  };

  class NaclHandle {
   public:
    NaclHandle& ingress(int rule_number, bool allow, const model::L4Match& l4, const std::string& cidr);
    NaclHandle& egress(int rule_number, bool allow, const model::L4Match& l4, const std::string& cidr);
    NaclHandle& allow_in(int rule_number, const model::L4Match& l4, const std::string& cidr = "0.0.0.0/0") {
      return ingress(rule_number, true, l4, cidr);
    }
    NaclHandle& deny_in(int rule_number, const model::L4Match& l4, const std::string& cidr = "0.0.0.0/0") {
      return ingress(rule_number, false, l4, cidr);
    }
    NaclHandle& allow_out(int rule_number, const model::L4Match& l4, const std::string& cidr = "0.0.0.0/0") {
      return egress(rule_number, true, l4, cidr);
    }
    NaclHandle& deny_out(int rule_number, const model::L4Match& l4, const std::string& cidr = "0.0.0.0/0") {
      return egress(rule_number, false, l4, cidr);
    }
    /** Rule 100 allow all, both directions. */
    NaclHandle& allow_all();
    /** Removes every entry (then only the built-in default deny remains). */
    NaclHandle& clear();
    [[nodiscard]] const model::Id& id() const { return id_; }
    operator const model::Id&() const { return id_; }  // NOLINT

   private:
    friend class NetworkBuilder;
    NaclHandle(NetworkBuilder* b, model::Id id) : b_(b), id_(std::move(id)) {}
    NetworkBuilder* b_;
    model::Id id_;
  };

  class PeeringHandle {
   public:
    /** The requester side's CIDRs the peering carries (default: all of the VPC's CIDRs). */
    PeeringHandle& requester_cidrs(std::vector<std::string> cidrs);
    PeeringHandle& accepter_cidrs(std::vector<std::string> cidrs);
    /** The requester side's IPv6 blocks the peering carries (default: all of the VPC's IPv6 blocks). */
    PeeringHandle& requester_ipv6_cidrs(std::vector<std::string> cidrs);
    PeeringHandle& accepter_ipv6_cidrs(std::vector<std::string> cidrs);
    [[nodiscard]] const model::Id& id() const { return id_; }
    operator const model::Id&() const { return id_; }  // NOLINT

   private:
    friend class NetworkBuilder;
    PeeringHandle(NetworkBuilder* b, model::Id id) : b_(b), id_(std::move(id)) {}
    NetworkBuilder* b_;
    model::Id id_;
  };

  /** A transit gateway route table: static routes and propagations, ordered at build() as the
   *  converter orders them (longest prefix, then static before propagated). An IPv6 destination
   *  ("::/0") makes an IPv6 route (routes6). */
  class TgwRouteTableHandle {
   public:
    TgwRouteTableHandle& route(const std::string& destination, const model::Id& attachment);
    TgwRouteTableHandle& blackhole(const std::string& destination);
    /** A propagated route per CIDR of the attachment's VPC, IPv4 and IPv6 blocks (a CIDR already
     *  propagated is skipped). */
    TgwRouteTableHandle& propagate(const model::Id& attachment);
    [[nodiscard]] const model::Id& id() const { return id_; }
    operator const model::Id&() const { return id_; }  // NOLINT

   private:
    friend class NetworkBuilder;
    TgwRouteTableHandle(NetworkBuilder* b, model::Id id) : b_(b), id_(std::move(id)) {}
    NetworkBuilder* b_;
    model::Id id_;
  };

  /** A transit gateway the model follows (routes to it from an attached VPC cross it). */
  model::Id transit_gateway(const model::Id& id);
  /** A TGW route table of tgw. */
  TgwRouteTableHandle tgw_route_table(const model::Id& id, const model::Id& tgw);
  /** A VPC attachment of tgw: its subnets (one per zone) and its associated table ("" for none). */
  model::Id tgw_vpc_attachment(const model::Id& id, const model::Id& tgw, const model::Id& vpc_id,
                               std::vector<model::Id> subnet_ids, const model::Id& route_table);
  /** An attachment vpcprove does not follow ("peering", "vpn", …): also an opaque gateway. */
  model::Id tgw_other_attachment(const model::Id& id, const model::Id& tgw, const std::string& type,
                                 const model::Id& route_table);

  /** A VPC with its first CIDR, its main route table and its allow-all default NACL. */
  VpcHandle vpc(const model::Id& id, const std::string& cidr);
  SubnetHandle subnet(const model::Id& id, const model::Id& vpc_id, const std::string& cidr);
  /** An IPv6-only subnet (Ipv6Native): its IPv6 /64 and no IPv4 CIDR (cidr 0.0.0.0/32, as the
   *  converter makes it). */
  SubnetHandle ipv6_only_subnet(const model::Id& id, const model::Id& vpc_id, const std::string& ipv6_cidr);
  RouteTableHandle route_table(const model::Id& id, const model::Id& vpc_id);
  /** The VPC's main route table (as it is when build() runs). */
  RouteTableHandle main_route_table(const model::Id& vpc_id);
  /** An internet gateway attached to vpc_id ("" for a detached one). */
  model::Id igw(const model::Id& id, const model::Id& vpc_id);
  /** An egress-only internet gateway attached to vpc_id. */
  model::Id eigw(const model::Id& id, const model::Id& vpc_id);
  /** An ENI with its private IPs, primary first. */
  EniHandle eni(const model::Id& id, const model::Id& subnet_id, std::vector<std::string> private_ips);
  /** An ENI of an IPv6-only subnet: IPv6 addresses and no private IPv4 address. */
  EniHandle ipv6_only_eni(const model::Id& id, const model::Id& subnet_id,
                          std::vector<std::string> ipv6_addresses);
  /** A security group with no rules; declaring an existing group again replaces it. */
  SgHandle sg(const model::Id& id, const model::Id& vpc_id = "");
  /** A NACL; starts empty (deny all) unless allow_all() is called. */
  NaclHandle nacl(const model::Id& id, const model::Id& vpc_id);
  /** The VPC's default NACL (allow all unless changed). */
  NaclHandle default_nacl(const model::Id& vpc_id);
  /**
   * A NAT gateway in subnet_id with its managed ENI "eni-<nat id>" (kind NatGateway, no
   * groups, source/dest check off). public_ip "" makes a private NAT gateway.
   */
  model::Id nat(const model::Id& id, const model::Id& subnet_id, const std::string& private_ip,
                const std::string& public_ip = "");
  /** An active peering; the CIDRs default to each VPC's CIDRs at build(). */
  PeeringHandle peering(const model::Id& id, const model::Id& requester_vpc, const model::Id& accepter_vpc);
  /** A gateway vpcprove does not follow (tgw, vgw, vpce, …); kind by default from the ID prefix. */
  model::Id opaque_gateway(const model::Id& id, std::vector<model::Id> vpc_ids,
                           std::optional<model::RouteTargetKind> kind = std::nullopt);
  model::Id prefix_list(const model::Id& id, std::vector<std::string> cidrs);
  /** A gateway endpoint of vpc_id (followed, as the converter makes one of VpcEndpointType
   *  Gateway) whose service's addresses are prefix list pl_id's (declared with prefix_list()),
   *  its service named after the list; routes reach it with prefix_list_route(pl_id, id). */
  model::Id gateway_endpoint(const model::Id& id, const model::Id& vpc_id, const model::Id& pl_id);
  /** An instance owning the given ENIs (also sets each ENI's instance_id). */
  model::Id instance(const model::Id& id, std::vector<model::Id> eni_ids);

  /** The finished, indexed network. The builder may be built again after more changes. */
  model::Network build() const;

 private:
  struct PendingRoute {
    std::string destination;  // CIDR, or a prefix-list ID
    model::Id target;
    bool blackhole = false;
    bool prefix_list = false;
    std::string origin = "CreateRoute";
    bool missing = false;  // route_to_missing
  };
  struct PendingRule {
    model::Direction direction;
    model::L4Match l4;
    std::string peer;
  };
  struct PendingPeering {
    model::Id requester, accepter;
    std::optional<std::vector<std::string>> requester_cidrs, accepter_cidrs;
    std::optional<std::vector<std::string>> requester_ipv6_cidrs, accepter_ipv6_cidrs;
  };

  model::Network net_;  // holds everything except the parts completed at build()
  std::map<model::Id, std::vector<PendingRoute>> routes_;
  std::map<model::Id, std::vector<PendingRule>> rules_;
  std::map<model::Id, model::Id> explicit_rtb_;  // subnet -> rtb ("" = none at all)
  std::map<model::Id, model::Id> explicit_acl_;  // subnet -> acl
  std::set<model::Id> allow_all_acls_;           // allow IPv6 too when their VPC has it
  std::map<model::Id, PendingPeering> peerings_;
  struct PendingTgwRoute {
    std::string destination;
    model::Id attachment;  // "" for a blackhole
    bool propagate = false;
  };
  std::map<model::Id, std::vector<PendingTgwRoute>> tgw_routes_;
};

}  // namespace vpcprove::testing
