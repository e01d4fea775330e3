#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Z3 against cvc5 on vpcprove's own questions: for each estate, writes the
# SMT-LIB 2 of a few `reach` questions with --emit-smt2, times the z3 and cvc5 binaries on each
# file and checks that both give every check the answer Z3 gave inside vpcprove (the file's
# (set-info :status)). Prints a markdown table and the exact commands on stdout; progress on stderr.
#
# Usage: benchmarks/compare_solvers.sh [--build DIR] [--estates DIR] [--out DIR] [--runs N] [--timeout S]
#                                      [ESTATE...]
#   --build DIR   a build with vpcprove in it (default build-bench)
#   --estates DIR where the default estates are (default: DIR/estates of --build)
#   --out DIR     where the .smt2 files go (default DIR/compare-solvers)
#   --runs N      timed runs per solver and file (default 5; hyperfine's median when installed);
#                 a first run over 30 s is the figure alone
#   --timeout S   limit per solver run in seconds (default 300)
#   ESTATE...     snapshot directories (default: every directory in --estates, and examples/primer)
# The endpoints are the estate's manifest reach_from/reach_to (ESTATE.manifest.json, as run.sh
# and gen_estate --manifest write it) when there is one; otherwise the first running ENI with a
# public IP and the first running private ENI of the same VPC (found with jq).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build="$root/build-bench"
out=""
estates_dir=""
runs=5
timeout_s=300
estates=()

while [[ $# -gt 0 ]]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    --estates) estates_dir=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    -h|--help) awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    -*) echo "compare_solvers.sh: unknown option $1" >&2; exit 2 ;;
    *) estates+=("$1"); shift ;;
  esac
done
build=$(cd "$build" && pwd)
out=${out:-$build/compare-solvers}
mkdir -p "$out"
out=$(cd "$out" && pwd)
vpcprove="$build/vpcprove"
[[ -x $vpcprove ]] || { echo "compare_solvers.sh: $vpcprove is not built" >&2; exit 2; }
"$vpcprove" reach --help 2>/dev/null | grep -q -- --emit-smt2 ||
  { echo "compare_solvers.sh: $vpcprove has no reach --emit-smt2; rebuild it" >&2; exit 2; }
for tool in z3 cvc5 jq; do
  command -v "$tool" >/dev/null || { echo "compare_solvers.sh: $tool is not installed (scripts/install-deps.sh)" >&2; exit 2; }
done
have_hyperfine=0
command -v hyperfine >/dev/null && have_hyperfine=1

if [[ ${#estates[@]} -eq 0 ]]; then
  for d in "${estates_dir:-$build/estates}"/*/; do [[ -d $d ]] && estates+=("${d%/}"); done
  estates+=("$root/examples/primer")
fi

# The two solvers as the table times them. cvc5 1.0 needs --incremental for push/pop.
z3_cmd=(z3 -smt2)
cvc5_cmd=(cvc5 --lang smt2 --incremental)

rel() { local p=$1; p=${p#"$root"/}; echo "$p"; }

# pick_pair DIR: "FROM TO", from the manifest or the snapshot files.
pick_pair() {
  local dir=$1 manifest
  for manifest in "$dir.manifest.json" "$dir/manifest.json"; do
    if [[ -f $manifest ]] && jq -e '.reach_from and .reach_to' "$manifest" >/dev/null 2>&1; then
      jq -r '"\(.reach_from) \(.reach_to)"' "$manifest"
      return
    fi
  done
  local running enis
  running=$(mktemp) enis=$(mktemp)
  find "$dir" -name Reservations.json -print0 | sort -z | xargs -0 -r \
    jq -r '.Reservations[]?.Instances[]? | select(.State.Name == "running") | .InstanceId' >"$running"
  find "$dir" -name NetworkInterfaces.json -print0 | sort -z | xargs -0 -r \
    jq -r '.NetworkInterfaces[]? | select(.InterfaceType == "interface" and .Status == "in-use")
           | "\(.Attachment.InstanceId // "-") \(.VpcId) \(if .Association.PublicIp then "public" else "private" end) \(.NetworkInterfaceId)"' |
    awk 'NR == FNR { run[$1] = 1; next } ($1 in run) { print $2, $3, $4 }' "$running" - >"$enis"
  awk '$2 == "public" && !from { from = $3; vpc = $1 }
       { v[NR] = $1; t[NR] = $2; id[NR] = $3 }
       END { if (from) for (i = 1; i <= NR; i++) if (v[i] == vpc && t[i] == "private") { print from, id[i]; exit 0 }
             exit 1 }' "$enis" ||
    { echo "compare_solvers.sh: $dir: no running public and private ENI in one VPC" >&2; rm -f "$running" "$enis"; return 1; }
  rm -f "$running" "$enis"
}

# answers SOLVER_OUTPUT_FILE: its sat/unsat/unknown lines.
answers() { grep -E '^(sat|unsat|unknown|timeout)$' "$1" || true; }

# agreement FILE Z3_OUT CVC5_OUT: "yes" or what differs.
agreement() {
  local expected; expected=$(grep -o '(set-info :status [a-z]*)' "$1" | awk '{ print substr($3, 1, length($3) - 1) }')
  local name o verdicts=()
  for name in z3 cvc5; do
    o=$2; [[ $name == cvc5 ]] && o=$3
    verdicts+=("$(paste -d' ' <(echo "$expected") <(answers "$o") | awk -v n="$name" '
      { total++ }
      $1 == "unknown" { next }
      NF < 2 { missing++; next }
      $2 == "unknown" || $2 == "timeout" { unk++; next }
      $1 != $2 { bad++ }
      END {
        if (bad + missing == 0 && unk == 0) { print "ok"; exit }
        s = n ":"; if (bad) s = s " " bad " differ"; if (missing) s = s " " missing " unanswered"; if (unk) s = s " " unk " unknown"
        print s }')")
  done
  if [[ ${verdicts[0]} == ok && ${verdicts[1]} == ok ]]; then echo "yes"; else
    local s=""; for v in "${verdicts[@]}"; do [[ $v == ok ]] || s+="${s:+; }$v"; done; echo "**no** ($s)"; fi
}

# time_solver NAME FILE CMD...: median wall ms of RUNS runs -> stdout; output of the first run
# (also the warm-up) -> FILE.NAME.out. A first run over $slow_s s is the only one.
slow_s=30
time_solver() {
  local name=$1 file=$2; shift 2
  local rc=0 t0 t1
  t0=$(date +%s%N)
  timeout "$timeout_s" "$@" "$file" >"$file.$name.out" 2>"$file.$name.err" || rc=$?
  t1=$(date +%s%N)
  if [[ $rc -eq 124 ]]; then echo "> $((timeout_s * 1000)) (timed out)"; return; fi
  if (( t1 - t0 > slow_s * 1000000000 )); then
    awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f (1 run)\n", ns / 1e6 }'
  elif [[ $have_hyperfine -eq 1 ]]; then
    hyperfine --style none -N -i --runs "$runs" --warmup 0 --export-json "$file.$name.json" \
      "$(printf '%q ' "$@" "$file")" >/dev/null 2>&1
    jq -r '.results[0].median * 1000' "$file.$name.json" | awk '{ printf "%.1f\n", $1 }'
  else
    local i t0 t1 times=()
    for ((i = 0; i < runs; i++)); do
      t0=$(date +%s%N); timeout "$timeout_s" "$@" "$file" >/dev/null 2>&1 || true; t1=$(date +%s%N)
      times+=($(( (t1 - t0) / 1000000 )))
    done
    printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
  fi
}

rows=()
commands=()
for dir in "${estates[@]}"; do
  dir=$(cd "$dir" && pwd)
  name=$(basename "$dir")
  echo "== $name: choosing endpoints" >&2
  read -r from to < <(pick_pair "$dir") || continue
  # A few questions of different shapes: the benchmark's pair both ways of asking, the internet
  # on either side, and a set question (every private address as the source), the largest
  # formulas. Unreachable answers make why-not's solver work too.
  questions=(
    "--from $from --to $to"
    "--from $from --to $to --protocol tcp --dst-port 443 --semantics session"
    "--from internet --to $to --protocol tcp --dst-port 22"
    "--from $from --to internet --protocol udp --dst-port 53"
    "--from 10.0.0.0/8 --to $to --protocol tcp --dst-port 22"
  )
  q=0
  for question in "${questions[@]}"; do
    q=$((q + 1))
    file="$out/$name-q$q.smt2"
    echo "== $name q$q: vpcprove reach $question" >&2
    read -ra args <<<"$question"
    rc=0
    "$vpcprove" reach "$dir" "${args[@]}" --emit-smt2 "$file" --format json >"$file.report.json" 2>"$file.vpcprove.err" || rc=$?
    if [[ $rc -gt 1 ]]; then
      echo "compare_solvers.sh: vpcprove exited $rc:" >&2; tail -n 3 "$file.vpcprove.err" >&2; continue
    fi
    verdict=$(jq -r .verdict "$file.report.json")
    vpcprove_ms=$(jq -r '.elapsed_ms // empty' "$file.report.json" | awk '{ printf "%.1f", $1 }')
    checks=$(grep -c '^(check-sat)' "$file" || true)
    size=$(stat -c %s "$file" | awk '{ if ($1 < 1048576) printf "%.0f KiB", $1 / 1024; else printf "%.1f MiB", $1 / 1048576 }')
    echo "== $name q$q: $checks checks; timing z3 and cvc5" >&2
    z3_ms=$(time_solver z3 "$file" "${z3_cmd[@]}")
    cvc5_ms=$(time_solver cvc5 "$file" "${cvc5_cmd[@]}")
    agree=$(agreement "$file" "$file.z3.out" "$file.cvc5.out")
    rows+=("| \`$(basename "$file")\` | $name: reach $question ($verdict) | $checks | $size | $vpcprove_ms | $z3_ms | $cvc5_ms | $agree |")
    commands+=("$(rel "$vpcprove") reach $(rel "$dir") $question --emit-smt2 $(rel "$file")")
  done
done

timer="hyperfine -N --runs $runs after the first run, median"
[[ $have_hyperfine -eq 1 ]] || timer="median of $runs runs timed with date"
echo "Z3 $(z3 --version | awk '{ print $3 }') against cvc5 $(cvc5 --version | awk 'NR == 1 { print $5 }') on the SMT-LIB 2 \`vpcprove reach --emit-smt2\` writes ($timer, whole process; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))."
echo "\"answers agree\": both solvers give every check the answer Z3 gave inside vpcprove (the file's \`(set-info :status)\`)."
echo "\"vpcprove ms\": the same checks with Z3 in process, as reach's \`elapsed_ms\` reports them (graph, encoding and solving after load)."
echo
echo "| file | question (vpcprove's answer) | checks | size | vpcprove ms | z3 ms | cvc5 ms | answers agree |"
echo "|---|---|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Commands:"
echo
echo '```sh'
printf '%s\n' "${commands[@]}"
echo "# then, for each FILE:"
echo "hyperfine -N --runs $runs '${z3_cmd[*]} FILE' '${cvc5_cmd[*]} FILE'"
echo '```'
