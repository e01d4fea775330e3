// SPDX-License-Identifier: Apache-2.0
// Candidate paths that no packet of a source can take, refuted without the solver: the source
// sends from addresses that no rule of a security group on the way admits. Exact (it reads the
// same sets the encoder turns into formulas), so the prover skips the check of such a path and
// lets the explanation find where it stops as it would have after an unsat check.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>

#include "encoder/path_encoding.h"
#include "model/network.h"
#include "queries/address_set.h"
#include "queries/question.h"

namespace vpcprove::queries {

/** Source addresses of both families. */
struct SourceAddresses {
  AddressSet v4;
  AddressSet6 v6;
  /** true when no address of either family is in both. */
  [[nodiscard]] bool disjoint(const SourceAddresses& other) const;
};

/**
 * What src may send from, as source_address (queries/question.h) encodes it: an ENI source's
 * private IPv4 addresses (encoder owns) and its IPv6 addresses and delegated prefixes (owns6);
 * the internet's (is_internet, 2000::/3); cut to within (IPv4 only, then) or within6 (IPv6 only).
 */
SourceAddresses source_addresses(const model::Network& network, const QuestionSource& src);

/**
 * Finds, on one prover's network, the first step of an encoded path that no packet of a source
 * passes, by the source's addresses alone: a security-group ingress step whose groups admit none
 * of them (the sources an ENI's groups admit are the union of their ingress rules' peers, each
 * family's, whatever the protocol and ports), or a step of one family (a route of the other
 * family, an internet gateway's way into a subnet where no IPv4 address maps) on a packet that
 * can no longer be of it: the source has no address of the family, or an earlier step or a NAT
 * gateway's translation settled the other. Remembers each group's peers.
 */
class SourceRefuter {
 public:
  explicit SourceRefuter(const model::Network& network) : network_(network) {}
  /**
   * The index, among ep's steps that carry a literal (Prover::Impl::load's order), of the first
   * such step read on the header named header (the question's own, so no translation
   * came before it: its source is still the sender's) that admits nothing of from; nullopt when
   * no step is refuted so.
   */
  std::optional<std::size_t> refuted_at(const encoder::EncodedPath& ep, const SourceAddresses& from,
                                        const std::string& header);

 private:
  const SourceAddresses& peers(const model::Id& group);
  const model::Network& network_;
  std::unordered_map<model::Id, SourceAddresses> peers_;
};

}  // namespace vpcprove::queries
