// SPDX-License-Identifier: Apache-2.0
// DOT export of the topology: clusters for VPCs and subnets, highlighted witness or blocks.
#include "report/topology.h"

#include <map>
#include <set>
#include <sstream>

#include "common/diagnostics.h"
#include "common/ipv6.h"
#include "model/describe.h"
#include "model/endpoint.h"
#include "model/hop_step.h"

namespace vpcprove::queries {

using model::Id;

std::string dot_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\' || c == '"') {
      out += '\\';
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7F) {
      out += ' ';  // DOT has no escape for other control characters
    } else {
      out += ch;
    }
  }
  return out;
}

Highlight highlight_from_json(const nlohmann::json& j, const std::string& file) {
  auto bad = [&](const std::string& what) -> void {
    throw InputError(file, "", "not a reach result: " + what);
  };
  if (!j.is_object()) bad("expected a JSON object");
  if (!j.contains("verdict") || !j["verdict"].is_string()) bad("no \"verdict\"");
  Highlight h;
  h.verdict = j["verdict"].get<std::string>();
  auto text = [](const nlohmann::json& o, const char* key) {
    return o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : std::string();
  };
  h.from_member = text(j, "from_member");
  h.to_member = text(j, "to_member");
  auto hops = [&](const nlohmann::json& a, std::vector<HighlightHop>& out) {
    if (!a.is_array()) return;
    for (const auto& x : a) {
      if (!x.is_object()) bad("a hop is not an object");
      out.push_back({text(x, "at"), text(x, "step"), text(x, "by")});
    }
  };
  if (j.contains("path")) hops(j["path"], h.path);
  if (j.contains("reply") && j["reply"].is_object() && j["reply"].contains("path"))
    hops(j["reply"]["path"], h.reply);
  if (j.contains("reason") && j["reason"].is_array()) {
    for (const auto& r : j["reason"]) {
      if (!r.is_object()) bad("a reason is not an object");
      HighlightReason x{text(r, "at"), text(r, "step"), text(r, "code"), text(r, "detail"), {}};
      if (r.contains("path") && r["path"].is_array()) {
        for (const auto& v : r["path"]) {
          if (v.is_string()) x.path.push_back(v.get<std::string>());
        }
      }
      h.reasons.push_back(std::move(x));
    }
  }
  return h;
}

namespace {

std::string q(std::string_view id) { return '"' + dot_escape(id) + '"'; }

std::string name_tag(const model::Tags& tags) {
  auto it = tags.find("Name");
  return it == tags.end() ? std::string() : it->second;
}

std::string with_name(const Id& id, const model::Tags& tags) {
  const auto n = name_tag(tags);
  return n.empty() ? id : id + "\n" + n;
}

std::string join(const std::vector<Ipv4Prefix>& v, const std::vector<Ipv6Prefix>& v6 = {}) {
  std::string s;
  for (const auto& p : v) s += (s.empty() ? "" : ", ") + p.to_string();
  for (const auto& p : v6) s += (s.empty() ? "" : ", ") + p.to_string();
  return s;
}

std::string router_of(const Id& vpc) { return vpc + "/router"; }

class DotWriter {
 public:
  DotWriter(const model::Network& n, const Highlight* h) : n_(n), h_(h) {}

  std::string write() {
    o_ << "digraph vpcprove {\n"
       << "  graph [rankdir=LR, compound=true, fontname=\"Helvetica\", fontsize=11, newrank=true];\n"
       << "  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\", "
          "fontsize=10];\n"
       << "  edge [fontname=\"Helvetica\", fontsize=9, color=gray40];\n";
    mark_highlight();
    node("internet", "internet", "shape=ellipse, fillcolor=\"#e8f0fe\"");
    for (const auto& [id, vpc] : n_.vpcs) write_vpc(vpc);
    for (const auto& [id, p] : n_.vpc_peerings) {
      node(id, with_name(id, p.tags) + "\npeering", "shape=diamond, fillcolor=\"#fff2cc\"");
      for (const auto* v : {&p.requester_vpc_id, &p.accepter_vpc_id}) {
        if (n_.vpcs.count(*v)) edge(id, router_of(*v), "", "dir=none, style=bold");
      }
    }
    for (const auto& [id, e] : n_.gateway_endpoints) {
      node(id,
           with_name(id, e.tags) + "\ngateway endpoint\n" + (e.service_name.empty() ? "?" : e.service_name),
           "shape=component, fillcolor=\"#e2f0d9\"");
      if (n_.vpcs.count(e.vpc_id)) edge(id, router_of(e.vpc_id), "", "dir=none, style=dotted");
    }
    for (const auto& [id, gw] : n_.opaque_gateways) {
      if (n_.transit_gateways.count(id)) continue;  // followed: drawn with its tables and attachments
      node(id, with_name(id, gw.tags) + "\n" + model::to_string(gw.kind) + " (not followed)",
           "shape=component, fillcolor=\"#eeeeee\"");
      for (const auto& v : gw.vpc_ids) {
        if (n_.vpcs.count(v)) edge(id, router_of(v), "", "dir=none, style=dotted");
      }
    }
    for (const auto& [id, igw] : n_.internet_gateways) {
      if (!n_.vpcs.count(igw.vpc_id)) node(id, with_name(id, igw.tags) + "\n(detached)", "shape=house");
    }
    for (const auto& [id, tgw] : n_.transit_gateways) write_transit_gateway(tgw);
    write_routes();
    write_highlight_edges();
    o_ << "}\n";
    return o_.str();
  }

 private:
  void node(const std::string& id, const std::string& label, const std::string& attrs) {
    std::string a = "label=" + q(label) + (attrs.empty() ? "" : ", " + attrs);
    auto it = marks_.find(id);
    if (it != marks_.end()) a += ", " + it->second;
    o_ << indent_ << q(id) << " [" << a << "];\n";
    nodes_.insert(id);
  }

  void edge(const std::string& from, const std::string& to, const std::string& label,
            const std::string& attrs) {
    o_ << "  " << q(from) << " -> " << q(to) << " [";
    std::string a = label.empty() ? "" : "label=" + q(label);
    if (!attrs.empty()) a += (a.empty() ? "" : ", ") + attrs;
    o_ << a << "];\n";
  }

  void write_vpc(const model::Vpc& vpc) {
    o_ << "  subgraph " << q("cluster_" + vpc.id) << " {\n"
       << "    label=" << q(with_name(vpc.id, vpc.tags) + "  " + join(vpc.cidrs, vpc.ipv6_cidrs)) << ";\n"
       << "    style=\"rounded\"; color=\"#1f77b4\";\n";
    indent_ = "    ";
    node(router_of(vpc.id), "router\n" + join(vpc.cidrs, vpc.ipv6_cidrs),
         "shape=circle, fillcolor=\"#f5f5f5\", fontsize=8");
    for (const auto& [id, eigw] : n_.egress_only_internet_gateways) {
      if (eigw.vpc_id == vpc.id)
        node(id, id + "\negress-only (IPv6 out)", "shape=house, fillcolor=\"#fff2cc\"");
    }
    if (vpc.internet_gateway_id) {
      const auto* igw = model::Network::find(n_.internet_gateways, *vpc.internet_gateway_id);
      node(*vpc.internet_gateway_id, with_name(*vpc.internet_gateway_id, igw ? igw->tags : model::Tags{}),
           "shape=house, fillcolor=\"#d9ead3\"");
    }
    for (const auto& [id, t] : n_.route_tables) {
      if (t.vpc_id != vpc.id) continue;
      std::string label = with_name(id, t.tags) + (t.is_main ? "\n(main)" : "");
      if (!t.gateway_ids.empty()) label += "\n(edge table)";
      node(id, label, "shape=note, fillcolor=\"#fafafa\", fontsize=9");
    }
    for (const auto& [id, s] : n_.subnets) {
      if (s.vpc_id == vpc.id) write_subnet(s);
    }
    indent_ = "  ";
    o_ << "  }\n";
    if (vpc.internet_gateway_id) {
      edge("internet", *vpc.internet_gateway_id, "", "dir=both, style=bold, color=\"#2ca02c\"");
      edge(*vpc.internet_gateway_id, router_of(vpc.id), "", "dir=none");
    }
    for (const auto& [id, eigw] : n_.egress_only_internet_gateways) {
      if (eigw.vpc_id != vpc.id) continue;
      edge(id, "internet", "", "style=bold, color=\"#bf9000\"");  // out (and replies) only
      edge(id, router_of(vpc.id), "", "dir=none");
    }
    for (const auto& [id, t] : n_.route_tables) {
      if (t.vpc_id != vpc.id) continue;
      for (const auto& g : t.gateway_ids) {
        if (n_.internet_gateways.count(g)) edge(g, id, "edge association", "style=dotted");
      }
    }
  }

  void write_subnet(const model::Subnet& s) {
    const bool pub = model::is_public_subnet(n_, s);
    o_ << "    subgraph " << q("cluster_" + s.id) << " {\n"
       << "      label="
       << q(with_name(s.id, s.tags) + "  " +
            (s.ipv6_only ? join({}, s.ipv6_cidrs) : join({s.cidr}, s.ipv6_cidrs)) + (pub ? "  (public)" : ""))
       << ";\n"
       << "      style=\"rounded,filled\"; fillcolor=\"" << (pub ? "#eef7ee" : "#f3f3f8")
       << "\"; color=gray60;\n";
    indent_ = "      ";
    std::string label = s.id + "\nacl " + (s.nacl_id.empty() ? "none" : s.nacl_id);
    label += "\nrtb " + (s.route_table_id.empty() ? std::string("none") : s.route_table_id);
    node(s.id, label, "shape=folder, fontsize=8, fillcolor=\"#ffffff\"");
    for (const auto& [id, nat] : n_.nat_gateways) {
      if (nat.subnet_id != s.id) continue;
      std::string l = with_name(id, nat.tags) + "\n" + format_ipv4(nat.private_ip);
      if (nat.public_ip) l += "\npublic " + format_ipv4(*nat.public_ip);
      if (!nat.is_public) l += "\n(private NAT)";
      node(id, l, "shape=invtrapezium, fillcolor=\"#fce5cd\"");
    }
    for (const auto& [id, e] : n_.network_interfaces) {
      if (e.subnet_id != s.id || !e.in_sets()) continue;
      std::string l = with_name(id, e.tags);
      if (e.instance_id) l += "\n" + *e.instance_id;
      for (const auto& p : e.private_ips) {
        l += "\n" + format_ipv4(p.address);
        if (p.public_ip) l += " / " + format_ipv4(*p.public_ip);
      }
      for (const auto& a : e.ipv6_addresses) l += "\n" + format_ipv6(a);
      for (const auto& p : e.ipv6_delegated_prefixes) l += "\n" + p.to_string() + " (delegated)";
      if (!e.source_dest_check) l += "\n(source/dest check off)";
      node(id, l, e.has_public_ip() ? "fillcolor=\"#d9ead3\"" : "");
    }
    indent_ = "    ";
    o_ << "    }\n";
    if (!s.route_table_id.empty() && n_.route_tables.count(s.route_table_id)) {
      edge(s.id, s.route_table_id, "", "style=dotted, arrowhead=none");
    }
  }

  /**
   * A transit gateway between the VPCs: its route tables inside a cluster of its own, each VPC
   * attachment tied to the TGW and to its subnets (one per Availability Zone), and to the route
   * table it is associated with; other attachments (peering, VPN) are drawn as not followed.
   */
  void write_transit_gateway(const model::TransitGateway& tgw) {
    o_ << "  subgraph " << q("cluster_" + tgw.id) << " {\n"
       << "    label=" << q(with_name(tgw.id, tgw.tags) + "  transit gateway") << ";\n"
       << "    style=\"rounded,filled\"; fillcolor=\"#fff8e1\"; color=\"#ff7f0e\";\n";
    indent_ = "    ";
    node(tgw.id, with_name(tgw.id, tgw.tags) + "\ntransit gateway",
         "shape=doubleoctagon, fillcolor=\"#ffe0b2\"");
    for (const auto& rid : tgw.route_table_ids) {
      const auto* t = model::Network::find(n_.transit_gateway_route_tables, rid);
      if (t)
        node(rid, with_name(rid, t->tags) + "\nTGW route table",
             "shape=note, fillcolor=\"#fafafa\", fontsize=9");
    }
    indent_ = "  ";
    o_ << "  }\n";
    for (const auto& aid : tgw.attachment_ids) {
      const auto* a = model::Network::find(n_.transit_gateway_attachments, aid);
      if (!a) continue;
      std::string label = with_name(aid, a->tags) + "\n" + a->resource_type + " attachment";
      if (a->is_vpc()) {
        label += "\n" + a->resource_id;
        for (const auto& sid : a->subnet_ids) {
          const auto* sn = model::Network::find(n_.subnets, sid);
          label += "\n" + sid + (sn ? " (" + sn->availability_zone + ")" : std::string(" (missing)"));
        }
        if (a->appliance_mode) label += "\n(appliance mode)";
      } else {
        label += " (not followed)\n" + a->resource_id;
      }
      // An attachment not followed is drawn once, as the unmodelled gateway it also is.
      if (a->is_vpc() || !nodes_.count(aid))
        node(aid, label,
             a->is_vpc() ? "shape=cds, fillcolor=\"#ffe0b2\"" : "shape=cds, fillcolor=\"#eeeeee\"");
      edge(aid, tgw.id, "", "dir=both, style=bold, color=\"#ff7f0e\"");
      if (a->is_vpc()) {
        for (const auto& sid : a->subnet_ids) {
          if (nodes_.count(sid)) edge(sid, aid, "", "dir=none, style=dotted, color=\"#ff7f0e\"");
        }
      }
      if (!a->route_table_id.empty() && nodes_.count(a->route_table_id))
        edge(aid, a->route_table_id, "associated", "style=dotted");
    }
  }

  void write_routes() {
    for (const auto& [id, t] : n_.transit_gateway_route_tables) {
      if (nodes_.count(id)) write_route_edges(id, t.routes);
    }
    for (const auto& [id, t] : n_.route_tables) {
      std::vector<model::Route> both = t.routes;
      both.insert(both.end(), t.routes6.begin(), t.routes6.end());
      write_route_edges(id, both);
    }
  }

  void write_route_edges(const std::string& id, const std::vector<model::Route>& routes) {
    {
      // One edge per target, labelled with every destination that goes there.
      std::map<std::string, std::string> to;
      for (const auto& r : routes) {
        if (r.target_kind == model::RouteTargetKind::Local) continue;
        std::string target = r.blackhole ? std::string() : node_of(r.target_id);
        if (target.empty() || !nodes_.count(target)) target = "blackhole:" + r.target_id;
        auto& l = to[target];
        const std::string dest = r.destination6 ? r.destination6->to_string() : r.destination.to_string();
        l += (l.empty() ? "" : "\n") + (r.prefix_list_id ? *r.prefix_list_id : dest);
        if (r.origin == "propagated") l += " (propagated)";
      }
      for (const auto& [target, label] : to) {
        if (target.rfind("blackhole:", 0) == 0) {
          node(target, target.substr(10) + "\n(blackhole)", "shape=box, style=dashed");
          edge(id, target, label, "style=dashed, color=gray60");
        } else {
          edge(id, target, label, "");
        }
      }
    }
  }

  /** The node a hop or a reason's "at" stands for. Empty when it has none. */
  std::string node_of(const std::string& at) const {
    if (at == "internet") return at;
    if (n_.network_interfaces.count(at)) {
      const auto& e = n_.network_interfaces.at(at);
      if (e.kind == model::InterfaceKind::NatGateway && e.gateway_id) return *e.gateway_id;
      return at;
    }
    if (n_.subnets.count(at) || n_.route_tables.count(at) || n_.internet_gateways.count(at) ||
        n_.nat_gateways.count(at) || n_.vpc_peerings.count(at) || n_.opaque_gateways.count(at) ||
        n_.gateway_endpoints.count(at) || n_.transit_gateways.count(at) ||
        n_.transit_gateway_attachments.count(at) || n_.transit_gateway_route_tables.count(at) ||
        n_.egress_only_internet_gateways.count(at)) {
      return at;
    }
    if (n_.vpcs.count(at)) return router_of(at);
    return {};
  }

  /** The witness's nodes in order, consecutive repeats merged. */
  std::vector<std::string> witness_nodes(const std::vector<HighlightHop>& hops, const std::string& from,
                                         const std::string& to) const {
    std::vector<std::string> out;
    auto push = [&](const std::string& id) {
      if (!id.empty() && (out.empty() || out.back() != id)) out.push_back(id);
    };
    push(node_of(from));
    for (const auto& h : hops) {
      push(node_of(h.at));
      if (model::step_is(h.step, model::HopStep::Exit)) push("internet");
    }
    push(node_of(to));
    return out;
  }

  void mark_highlight() {
    if (!h_) return;
    if (h_->verdict == "reachable") {
      for (const auto& id : witness_nodes(h_->path, h_->from_member, h_->to_member)) {
        marks_[id] = "color=\"#d62728\", penwidth=2.5";
      }
      return;
    }
    for (const auto& r : h_->reasons) {
      const auto id = node_of(r.at);
      if (!id.empty()) {
        marks_[id] = "color=\"#d62728\", penwidth=2.5, fillcolor=\"#f4cccc\", xlabel=" + q(r.code);
      }
    }
  }

  void write_highlight_edges() {
    if (!h_) return;
    if (h_->verdict == "reachable") {
      const auto nodes = witness_nodes(h_->path, h_->from_member, h_->to_member);
      for (std::size_t i = 0; i + 1 < nodes.size(); ++i) {
        edge(nodes[i], nodes[i + 1], std::to_string(i + 1),
             "color=\"#d62728\", penwidth=3, fontcolor=\"#d62728\", constraint=false");
      }
      std::vector<std::string> back;
      if (!h_->reply.empty()) back = witness_nodes(h_->reply, h_->to_member, h_->from_member);
      for (std::size_t i = 0; i + 1 < back.size(); ++i) {
        edge(back[i], back[i + 1], "reply " + std::to_string(i + 1),
             "color=\"#1f77b4\", penwidth=2, style=dashed, fontcolor=\"#1f77b4\", constraint=false");
      }
      return;
    }
    std::size_t k = 0;
    for (const auto& r : h_->reasons) {
      ++k;
      std::vector<std::string> nodes;
      for (const auto& v : r.path) {
        const auto id = node_of(v);
        if (!id.empty() && (nodes.empty() || nodes.back() != id)) nodes.push_back(id);
      }
      for (std::size_t i = 0; i + 1 < nodes.size(); ++i) {
        edge(nodes[i], nodes[i + 1], i == 0 ? "way " + std::to_string(k) : "",
             "color=\"#ff7f0e\", penwidth=2, style=dashed, constraint=false");
      }
      const auto at = node_of(r.at);
      if (!at.empty()) continue;  // marked in place
      // A security group or NACL: a node of its own, tied to what it guards on this way.
      const std::string block = "block:" + std::to_string(k) + ":" + r.at;
      o_ << "  " << q(block) << " [label=" << q(r.at + "\n" + r.code + "\n(" + r.step + ")")
         << ", shape=octagon, color=\"#d62728\", fillcolor=\"#f4cccc\", penwidth=2.5];\n";
      std::string guarded;
      for (auto it = nodes.rbegin(); it != nodes.rend() && guarded.empty(); ++it) {
        if (*it != "internet") guarded = *it;
      }
      if (guarded.empty()) guarded = guarded_by(r.at);
      if (!guarded.empty())
        edge(block, guarded, "stops here", "color=\"#d62728\", style=dashed, fontcolor=\"#d62728\"");
    }
  }

  /** A node a security group or NACL guards (its first ENI, its first subnet). */
  std::string guarded_by(const std::string& id) const {
    for (const auto* e : n_.members_of(id)) return e->id;
    for (const auto& [sid, s] : n_.subnets) {
      if (s.nacl_id == id) return sid;
    }
    return {};
  }

  const model::Network& n_;
  const Highlight* h_;
  std::ostringstream o_;
  std::string indent_ = "  ";
  std::set<std::string> nodes_;
  std::map<std::string, std::string> marks_;  // node -> extra attributes
};

}  // namespace

std::string topology_dot(const model::Network& network, const Highlight* highlight) {
  return DotWriter(network, highlight).write();
}

}  // namespace vpcprove::queries
