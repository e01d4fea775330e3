// SPDX-License-Identifier: Apache-2.0
#include "solver/least_packet.h"

#include <cstdint>
#include <string>

#include "model/packet.h"

namespace vpcprove::solver {
namespace {

struct Field {
  const z3::expr* var;
  const char* name;
  unsigned width;
  std::uint64_t preferred;
};

std::uint64_t value_in(const z3::model& m, const z3::expr& var) {
  return m.eval(var, /*model_completion=*/true).get_numeral_uint64();
}

}  // namespace

z3::model least_model(Solver& solver, const z3::expr_vector& assumptions, const encoder::Header& h,
                      z3::model start) {
  z3::context& c = h.src_ip.ctx();
  // The fields in the order they decide, each with the value a reader expects first.
  const Field fields[] = {
      {&h.protocol, "protocol", 8, static_cast<std::uint64_t>(model::kTcp)},
      {&h.dst_port, "dst_port", 16, 443},
      {&h.src_port, "src_port", 16, 49152},
      {&h.dst_ip, "dst_ip", 32, 0},
      {&h.src_ip, "src_ip", 32, 0},
  };
  z3::model best = std::move(start);
  z3::expr_vector fixed(c);
  for (const auto& a : assumptions) fixed.push_back(a);
  // A check of fixed plus one more literal (a copy of a z3::expr_vector shares the vector).
  const auto check_with = [&](const z3::expr& extra) {
    z3::expr_vector tried(c);
    for (const auto& e : fixed) tried.push_back(e);
    tried.push_back(extra);
    return solver.check(tried);
  };
  // Literals are named after the header and what they fix, so cores and SMT-LIB records say
  // what they are; the solver asserts name => formula once.
  const auto named = [&](const std::string& what, const z3::expr& formula) {
    return solver.track(h.name + "/least/" + what, formula);
  };
  {
    // One check first: is any model lexicographically closer than start? Most witnesses are
    // already least (a question that pins every field, a single destination address), and
    // then this is the only check made.
    z3::expr_vector closer(c);
    z3::expr same_before = c.bool_val(true);
    std::string name = "lexicographically closer than";
    for (const Field& f : fields) {
      const std::uint64_t now = value_in(best, *f.var);
      name += ' ' + std::to_string(now);
      const z3::expr distance = *f.var ^ c.bv_val(f.preferred, f.width);
      closer.push_back(same_before && z3::ult(distance, c.bv_val(now ^ f.preferred, f.width)));
      same_before = same_before && *f.var == c.bv_val(now, f.width);
    }
    auto r = check_with(named(name, z3::mk_or(closer)));
    if (r.outcome != Outcome::Sat) return best;  // unsat: start is least; unknown: keep it
  }
  for (const Field& f : fields) {
    const std::uint64_t now = value_in(best, *f.var);
    const auto field_is = [&](std::uint64_t v) {
      return named(std::string(f.name) + "=" + std::to_string(v), *f.var == c.bv_val(v, f.width));
    };
    // Most fields are already least: the preferred value itself (no check), or the only value
    // the question allows (one check, unsat). Only the others are searched bit by bit.
    if (now != f.preferred) {
      const z3::expr distance = *f.var ^ c.bv_val(f.preferred, f.width);
      const std::uint64_t now_distance = now ^ f.preferred;
      auto closer = check_with(named(std::string(f.name) + " closer than " + std::to_string(now),
                                     z3::ult(distance, c.bv_val(now_distance, f.width))));
      if (closer.outcome == Outcome::Unknown) return best;
      if (closer.outcome == Outcome::Sat) {
        best = *closer.model;
        for (unsigned bit = f.width; bit-- > 0;) {
          const unsigned want = static_cast<unsigned>((f.preferred >> bit) & 1u);
          const unsigned has = static_cast<unsigned>((value_in(best, *f.var) >> bit) & 1u);
          const auto bit_is = [&](unsigned v) {
            return named(std::string(f.name) + "[" + std::to_string(bit) + "]=" + std::to_string(v),
                         f.var->extract(bit, bit) == c.bv_val(v, 1));
          };
          if (has != want) {
            auto r = check_with(bit_is(want));
            if (r.outcome == Outcome::Unknown) return best;
            if (r.outcome == Outcome::Sat) {
              best = *r.model;
              fixed.push_back(bit_is(want));
              continue;
            }
          }
          fixed.push_back(bit_is(has));
        }
        continue;
      }
    }
    fixed.push_back(field_is(now));
  }
  return best;
}

}  // namespace vpcprove::solver
