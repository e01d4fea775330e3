#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer harnesses in build-fuzz/ and runs each for a bounded time (`make fuzz`).
#   FUZZ_SECONDS=600 fuzz/run.sh          # per harness (default 60)
#   FUZZ_TARGETS="snapshot spec" fuzz/run.sh
#   FUZZ_KEEP_GOING=1 fuzz/run.sh         # fork mode: keep fuzzing after a crash, collect them all
# Seeds are made at run time from examples/*/*.json, ../shared/corpus/**/*.json, specs/*.yaml
# and fuzz/seeds/; what libFuzzer learns stays in build-fuzz/corpus/<name>/ between runs.
# A crash leaves its input in build-fuzz/findings/<name>/ and makes this script exit 1: copy
# the input to fuzz/regressions/<name>/ and it is replayed by ctest (fuzz/regressions.cmake).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-60}
jobs=${JOBS:-2}

for tool in clang clang++; do
  command -v "$tool" >/dev/null || { echo "fuzz: $tool not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
done

CC=clang CXX=clang++ cmake -S fuzz -B "$build" >/dev/null
targets=${FUZZ_TARGETS:-}
if [[ -z "$targets" ]]; then
  targets="snapshot spec"
  [[ -f queries/scope.h ]] && targets+=" scope"
fi
cmake --build "$build" -j"$jobs" --target $(printf 'fuzz_%s ' $targets)

# Seeds: every JSON document we have (snapshot), every spec we have (spec, scope). Files over
# 64 KiB are left out: libFuzzer would truncate them into broken JSON anyway.
seed_dir=$build/seeds
rm -rf "$seed_dir" && mkdir -p "$seed_dir"/{snapshot,spec,scope}
copy_seeds() {  # copy_seeds DEST FILE...
  local dest=$1 f
  shift
  for f in "$@"; do
    [[ -f "$f" && $(stat -c %s "$f") -le 65536 ]] || continue
    cp "$f" "$dest/$(echo "$f" | md5sum | cut -c1-16)"
  done
}
shopt -s nullglob globstar
copy_seeds "$seed_dir/snapshot" examples/**/*.json ../shared/corpus/**/*.json fuzz/seeds/snapshot/* fuzz/regressions/snapshot/*
copy_seeds "$seed_dir/spec" specs/**/*.yaml examples/**/*.yaml fuzz/seeds/spec/* fuzz/regressions/spec/*
copy_seeds "$seed_dir/scope" fuzz/seeds/scope/* fuzz/regressions/scope/* specs/**/*.json

# A dictionary of every JSON key the loader knows, so mutations hit real fields.
dict=$build/snapshot.dict
{
  grep -oh '"[A-Za-z][A-Za-z0-9]*"' aws/json_keys.h | sort -u | tr -d '"' | sed 's/.*/"\\"&\\""/'
  printf '%s\n' '"{"' '"}"' '"["' '"]"' '":"' '","' '"null"' '"true"' '"false"' '"0.0.0.0/0"' '"10.0.0.0/16"' '"-1"'
} >"$dict"

status=0
for t in $targets; do
  corpus=$build/corpus/$t findings=$build/findings/$t
  mkdir -p "$corpus" "$findings"
  args=(-max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -print_final_stats=1
        -artifact_prefix="$findings/")
  [[ $t == snapshot ]] && args+=(-dict="$dict")
  [[ -n "${FUZZ_KEEP_GOING:-}" ]] && args+=(-fork=1 -ignore_crashes=1)
  echo "fuzz: $t for ${seconds}s (corpus $corpus)"
  log=$build/fuzz-$t.log
  if "$build/fuzz_$t" "${args[@]}" "$corpus" "$seed_dir/$t" >"$log" 2>&1 &&
     [[ -z "$(ls -A "$findings")" ]]; then
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$log" | sed "s/^/fuzz: $t: /" || true
    # The final coverage line: "#N DONE cov: … ft: … corp: …", or fork mode's last "#N: cov: …".
    # (|| true: under set -e a line that is not there must not end the run before the next harness.)
    grep -E '^#[0-9]+(:|[[:space:]]+DONE)[[:space:]]+cov:' "$log" | tail -n1 | sed "s/^/fuzz: $t: /" || true
  else
    status=1
    echo "fuzz: $t FOUND SOMETHING; see $log and $findings/ (fuzz/open/README.md says what to do)" >&2
    grep -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | head -5 >&2 || true
  fi
done
exit $status
