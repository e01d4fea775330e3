#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages vpcprove needs to build and test.
# Quiet and exit 0 when everything is there; installs what is missing when run as
# root (or with passwordless sudo); otherwise prints the one command to run, exit 1.
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libz3-dev libboost-graph-dev libcli11-dev catch2
  nlohmann-json3-dev libyaml-cpp-dev graphviz
  libsimdjson-dev hyperfine
  libxml2-utils  # xmllint: tests/unit/check checks that check's JUnit and HTML reports are well-formed
  # Second opinions on proofs: tests/crosscheck replays reach's --emit-smt2 checks in cvc5 and the
  # z3 binary (skipped without cvc5); benchmarks/compare_solvers.sh times both (it also uses jq).
  cvc5 z3 jq
)

# Optional: only `make fuzz` (libFuzzer needs clang and its runtime) asks for these, with --fuzz.
fuzz_packages=(clang libclang-rt-14-dev llvm)
# Optional: only `make test-browser` asks for Chromium, with --browser.
browser_packages=(chromium)
case "${1:-}" in
  --fuzz) packages+=("${fuzz_packages[@]}") ;;
  --browser) packages+=("${browser_packages[@]}") ;;
esac

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps: missing Debian packages: ${missing[*]}" >&2

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "install-deps: not root; run this, then try again:" >&2
  echo "sudo apt-get install -y --no-install-recommends ${missing[*]}"
  exit 1
fi

"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
