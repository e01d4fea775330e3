// SPDX-License-Identifier: Apache-2.0
// One witness per question, whatever the solver was asked before.
#pragma once

#include <z3++.h>

#include "encoder/header.h"
#include "solver/solver.h"

namespace vpcprove::solver {

/**
 * The least model of header h, in the order "closest to the preferred packet" (protocol tcp,
 * destination port 443, source port 49152, then the lowest addresses), among the models of the
 * solver's assertions under assumptions, starting from start (one of them).
 *
 * Z3 picks a model among many, and its pick depends on everything the same solver was asked
 * before: a check split into shards, or run with another --jobs, would print other witness
 * packets. The least model is defined by the question alone. One check asks whether any model
 * is closer at all (most often none is: the question pins the fields, or start is already
 * least). Otherwise each field in turn: none when it holds the preferred value, one when the
 * question allows nothing closer, else one per bit that differs from the preferred value, most
 * significant first. A check that is not sat (a limit hit) keeps the model found so far.
 */
z3::model least_model(Solver& solver, const z3::expr_vector& assumptions, const encoder::Header& h,
                      z3::model start);

}  // namespace vpcprove::solver
