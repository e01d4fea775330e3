#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The benchmark suite: generates synthetic estates at 1k, 10k and 100k ENIs, times the
# parse floor, `vpcprove inventory` (snapshot load), a single `reach`, and `exposure` / `check`
# when they exist, and writes the medians, their multiples of the floor and peak memory to
# benchmarks/RESULTS.md with the exact commands.
#
# Usage: benchmarks/run.sh [--build DIR] [--estates DIR] [--runs N] [--large-runs N] [--timeout S]
#                          [--sizes "1000 10000 100000"] [--shapes "classic diverse"] [--results FILE] [--seed N]
# Shapes: classic (ENIs share a few group sets per tier: few behaviour classes) and diverse
# (gen_estate --diverse: every ENI its own groups, random rules, one NACL per subnet, several kinds)
# and tgw (gen_estate --tgw at 10000 ENIs only: 200 VPCs on 2 transit gateways, 3 TGW route tables),
# and dual-stack (the classic shape with gen_estate --dual-stack: IPv6 in every part); with both
# classic and dual-stack a table compares the two, each measurement within 1.5× or not.
# Each estate: inventory, reach of the manifest's pair (and on udp 9999), its source to internet
# and internet to its destination, exposure, check.
# Timing: a first run under /usr/bin/time (peak RSS, and the warm-up), then hyperfine's median of
# N runs (no shell), unless the first run took over 30 s: then it is the figure. A run over
# --timeout seconds (600) is reported as such, and a size whose load timed out skips the commands
# that load it again. --large-runs sets N from 100k ENIs. Estates are cached by
# parameters and seed (a manifest written last marks a complete one). Page cache is warm.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build="$root/build-bench"
estates=""
runs=5
large_runs=""
timeout_s=600
slow_s=30
sizes="1000 10000 100000"
results="$here/RESULTS.md"
seed=1
shapes="classic diverse tgw dual-stack"

while [[ $# -gt 0 ]]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    --estates) estates=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --large-runs) large_runs=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --shapes) shapes=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    -h|--help) sed -n '3,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
build=$(cd "$build" && pwd)
estates=${estates:-$build/estates}
mkdir -p "$estates"
work="$build/bench-work"
mkdir -p "$work"

vpcprove="$build/vpcprove"
gen="$build/benchmarks/vpcprove_gen_estate"
floor="$build/benchmarks/vpcprove_parse_floor"
for tool in "$vpcprove" "$gen" "$floor"; do
  [[ -x $tool ]] || { echo "run.sh: $tool is not built (make bench builds it)" >&2; exit 2; }
done

have_hyperfine=0
command -v hyperfine >/dev/null && have_hyperfine=1
have_time=0
[[ -x /usr/bin/time ]] && have_time=1

# The estate shapes: ten SGs and one peering every two VPCs, 500 ENIs per VPC at 100k.
estate_args() {
  case $1 in
    1000) echo "--enis 1000 --vpcs 4 --subnets-per-vpc 6 --sgs 40 --rules-per-sg 6 --nacl-entries 8 --peerings 2" ;;
    10000) echo "--enis 10000 --vpcs 40 --subnets-per-vpc 6 --sgs 400 --rules-per-sg 6 --nacl-entries 8 --peerings 20" ;;
    100000) echo "--enis 100000 --vpcs 200 --subnets-per-vpc 6 --sgs 2000 --rules-per-sg 6 --nacl-entries 8 --peerings 100" ;;
    *) local v=$(( ($1 + 499) / 500 )); echo "--enis $1 --vpcs $v --subnets-per-vpc 6 --sgs $((v * 10)) --rules-per-sg 6 --nacl-entries 8 --peerings $((v / 2))" ;;
  esac
}

# The diverse shape at the same sizes: 250 ENIs and 30 groups per VPC, half of the ENIs public.
diverse_args() {
  local v=$(( ($1 + 249) / 250 ))
  echo "--diverse --enis $1 --vpcs $v --subnets-per-vpc 6 --sgs $((v * 30)) --rules-per-sg 6 --nacl-entries 8 --peerings $((v / 2))"
}

json_field() {  # json_field KEY FILE: the first "KEY": value (number or string) in FILE
  grep -o -m1 "\"$1\": *\"\\{0,1\\}[^\",}]*" "$2" | head -n1 | sed 's/^"[^"]*": *"\{0,1\}//'
}

median() {  # median of the numbers on stdin
  sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "nan"; exit } if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# A command is there when `vpcprove CMD --help` succeeds and is not the placeholder.
has_command() {
  local help
  help=$("$vpcprove" "$1" --help 2>&1) || return 1
  ! grep -q "not implemented" <<<"$help"
}

# runs_for SIZE: how many timed runs a size gets (--large-runs caps sizes of 100k ENIs and more).
runs_for() {
  if [[ $1 -ge 100000 && -n $large_runs ]]; then echo "$large_runs"; else echo "$runs"; fi
}

# time_ms NAME RUNS CMD...: median wall ms -> $work/NAME.ms ("timeout" when the first run hit
# --timeout), mean CPU (user + system) ms -> NAME.cpu, peak RSS KiB -> NAME.rss, runs -> NAME.n,
# output of the first run -> NAME.out. The command must exit 0, 1 (answered, something is
# wrong, e.g. a violated invariant) or 3 (answered unknown: exposure of a dual-stack estate names
# IPv6 as an assumption). The first run goes under /usr/bin/time; when it took longer
# than $slow_s seconds (or RUNS is 1) it is the only one, else hyperfine times RUNS more after it.
time_ms() {
  local name=$1 n=$2; shift 2
  local rc=0 start end
  start=$(date +%s%N)
  if [[ $have_time -eq 1 ]]; then
    timeout "$timeout_s" /usr/bin/time -f "%U %S %M" -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  else
    timeout "$timeout_s" "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
    echo "" >"$work/$name.time"
  fi
  end=$(date +%s%N)
  if [[ $rc -eq 124 ]]; then
    echo timeout >"$work/$name.ms"; echo "" >"$work/$name.cpu"; echo "" >"$work/$name.rss"; echo 1 >"$work/$name.n"
    return 0
  fi
  if [[ $rc -gt 1 && $rc -ne 3 ]]; then
    echo "run.sh: '$*' exited $rc:" >&2; tail -n 5 "$work/$name.err" >&2; return 1
  fi
  local first_ms=$(( (end - start) / 1000000 ))
  read -r user sys rss < <(tail -n1 "$work/$name.time") || true
  echo "${rss:-}" >"$work/$name.rss"
  if [[ $have_hyperfine -eq 0 || $n -le 1 || $first_ms -gt $((slow_s * 1000)) ]]; then
    echo "$first_ms" >"$work/$name.ms"
    awk -v u="${user:-}" -v s="${sys:-}" 'BEGIN { if (u != "") print (u + s) * 1000; else print "" }' >"$work/$name.cpu"
    echo 1 >"$work/$name.n"
    return 0
  fi
  local quoted; quoted=$(printf '%q ' "$@")
  hyperfine --style none --runs "$n" --warmup 0 -N -i --export-json "$work/$name.hyperfine.json" "$quoted" >/dev/null
  json_field median "$work/$name.hyperfine.json" | awk '{ print $1 * 1000 }' >"$work/$name.ms"
  # CPU time is less sensitive than wall time to other load on the machine.
  awk -v u="$(json_field user "$work/$name.hyperfine.json")" -v s="$(json_field system "$work/$name.hyperfine.json")" \
    'BEGIN { print (u + s) * 1000 }' >"$work/$name.cpu"
  echo "$n" >"$work/$name.n"
}

fmt_ms() { awk -v x="$1" -v t="$timeout_s" 'BEGIN { if (x == "timeout") printf "> %d000 (timed out)", t; else if (x == "" || x == "nan") print "–"; else if (x < 10) printf "%.2f", x; else if (x < 1000) printf "%.1f", x; else printf "%.0f", x }'; }
fmt_x() { awk -v a="$1" -v b="$2" -v t="$timeout_s" 'BEGIN { if (a == "timeout" && b > 0) printf "> %.0f×", t * 1000 / b; else if (a == "" || b == "" || b == 0) print "–"; else printf "%.1f×", a / b }'; }
fmt_mib() { awk -v k="$1" 'BEGIN { if (k == "") print "–"; else printf "%.0f MiB", k / 1024 }'; }

rows=()     # markdown table rows
curve=()    # load-multiple curve rows
notes=()
commands=()
declare -A target_exposure target_check target_reach target_reach_verdict target_reach_closed target_reach_closed_verdict target_rss
declare -A target_reach_out target_reach_in
classes_curve=()  # cost against behaviour classes, by size

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
reach_ok=0; has_command reach && reach_ok=1
exposure_ok=0; has_command exposure && exposure_ok=1
check_ok=0; has_command check && check_ok=1
specs=()
if [[ -d "$root/specs" ]]; then
  while IFS= read -r f; do specs+=("$f"); done < <(find "$root/specs" -name '*.yaml' -o -name '*.yml' | sort)
fi
[[ $reach_ok -eq 1 ]] || notes+=("\`reach\` is not in this build: skipped.")
[[ $exposure_ok -eq 1 ]] || notes+=("\`exposure\` is not in this build (placeholder or absent): skipped.")
if [[ $check_ok -eq 0 ]]; then
  notes+=("\`check\` is not in this build (placeholder or absent): skipped.")
elif [[ ${#specs[@]} -eq 0 ]]; then
  notes+=("\`check\`: no specs/ library in the tree yet: skipped.")
  check_ok=0
fi

# measure_reach KEY DESCRIPTION FROM TO [ARGS...]: one reach FROM -> TO (with ARGS) as a whole
# command, and its in-process elapsed_ms (what the command reports after loading: the question's
# forwarding graph, encoding, solving, why-not) and elapsed_ms − graph_ms, medians of the same
# number of runs. Sets reach_elapsed and reach_verdict; adds three rows. Uses the loop's variables.
measure_reach() {
  local key=$1 what=$2 from=$3 to=$4
  shift 4
  echo "== $size: vpcprove reach ($what)" >&2
  time_ms "$key" "$n" "$vpcprove" reach "$dir" --from "$from" --to "$to" "$@" --format json
  local whole_ms i
  whole_ms=$(cat "$work/$key.ms")
  cp "$work/$key.out" "$work/$key.run0.json"
  for ((i = 1; i < n; i++)); do
    "$vpcprove" reach "$dir" --from "$from" --to "$to" "$@" --format json >"$work/$key.run$i.json" 2>/dev/null || true
  done
  for ((i = 0; i < n; i++)); do json_field elapsed_ms "$work/$key.run$i.json"; done | median >"$work/$key.elapsed"
  for ((i = 0; i < n; i++)); do
    awk -v e="$(json_field elapsed_ms "$work/$key.run$i.json")" -v g="$(json_field graph_ms "$work/$key.run$i.json")" \
      'BEGIN { if (e != "" && g != "") print e - g }'
  done | median >"$work/$key.query"
  reach_elapsed=$(cat "$work/$key.elapsed")
  reach_verdict=$(json_field verdict "$work/$key.out")
  [[ $whole_ms == timeout ]] && reach_elapsed=""
  local shown="vpcprove reach \$SNAP --from $from --to $to${*:+ $*} --format json"
  rows+=("| $label | \`reach\` $what, whole command ($reach_verdict) | $(cat "$work/$key.n") | $(fmt_ms "$whole_ms") | $(fmt_ms "$(cat "$work/$key.cpu")") | $(fmt_x "$whole_ms" "$floor_ms") | $(fmt_mib "$(cat "$work/$key.rss")") | \`$shown\` |")
  rows+=("| $label | \`reach\` $what after load (\`elapsed_ms\`: its forwarding graph, solving, reasons) | $(cat "$work/$key.n") | $(fmt_ms "$reach_elapsed") | | $(fmt_x "$reach_elapsed" "$floor_ms") | | same, field \`elapsed_ms\` |")
  rows+=("| $label | \`reach\` $what, without the graph (\`elapsed_ms − graph_ms\`) | $(cat "$work/$key.n") | $(fmt_ms "$(cat "$work/$key.query")") | | $(fmt_x "$(cat "$work/$key.query")" "$floor_ms") | | same, fields \`elapsed_ms\`, \`graph_ms\` |")
}

for shape in $shapes; do
for size in $sizes; do
  if [[ $shape == tgw ]]; then
    [[ $size == 10000 ]] || continue  # the issue's TGW estate: 200 VPCs, 10k ENIs
    args="--tgw --accounts 1 --regions 1 --vpcs-per-bucket 200 --enis 10000 --vpcs 200 --subnets-per-vpc 6 --sgs 2000 --rules-per-sg 6 --nacl-entries 8 --peerings 100 --public-share 0.2 --group-ref-share 0.3 --seed $seed"
  elif [[ $shape == dual-stack ]]; then
    args="$(estate_args "$size") --public-share 0.2 --group-ref-share 0.3 --seed $seed --dual-stack"
  elif [[ $shape == diverse ]]; then
    args="$(diverse_args "$size") --public-share 0.5 --group-ref-share 0.3 --seed $seed"
  else
    args="$(estate_args "$size") --public-share 0.2 --group-ref-share 0.3 --seed $seed"
  fi
  name="estate-$(echo "$args" | tr -d ' -' | tr -c 'a-zA-Z0-9.\n' '_')"
  dir="$estates/$name"
  manifest="$estates/$name.manifest.json"
  if [[ ! -f $manifest ]]; then
    echo "== generating $size ENIs into $dir" >&2
    rm -rf "$dir"
    # shellcheck disable=SC2086
    "$gen" $args -o "$dir" --manifest "$manifest" >/dev/null
  fi
  commands+=("build-bench/benchmarks/vpcprove_gen_estate $args -o ${dir#"$root"/}")
  mb=$(awk -v b="$(json_field bytes "$manifest")" 'BEGIN { printf "%.0f", b / 1e6 }')
  files=$(json_field files "$manifest")
  enis=$(json_field network_interfaces "$manifest")
  live=$(json_field live_network_interfaces "$manifest")
  from=$(json_field reach_from "$manifest")
  to=$(json_field reach_to "$manifest")
  label="$size ENIs ($files files, $mb MB)"
  [[ $shape == classic ]] || label="$size ENIs, $shape ($files files, $mb MB)"
  key="$shape-$size"  # the work files and targets of this estate
  n=$(runs_for "$size")
  [[ $n == "$runs" ]] || notes+=("$label: $n run(s) per measurement instead of $runs (--large-runs).")

  echo "== $size: parse floor" >&2
  time_ms "floor-$key" "$n" "$floor" "$dir"
  floor_ms=$(cat "$work/floor-$key.ms")
  rows+=("| $label | parse floor (simdjson) | $(cat "$work/floor-$key.n") | $(fmt_ms "$floor_ms") | $(fmt_ms "$(cat "$work/floor-$key.cpu")") | 1.0× | $(fmt_mib "$(cat "$work/floor-$key.rss")") | \`$(basename "$floor") \$SNAP\` |")

  echo "== $size: vpcprove inventory (load)" >&2
  time_ms "inventory-$key" "$n" "$vpcprove" inventory "$dir" --format json
  inv_ms=$(cat "$work/inventory-$key.ms")
  skip=0
  if [[ $inv_ms == timeout ]]; then
    skip=1
    notes+=("$label: loading took over ${timeout_s} s, so the commands that load the same snapshot were not run at this size.")
  fi
  got=$(json_field network_interfaces "$work/inventory-$key.out")
  [[ $got == "$live" ]] || notes+=("$label: inventory reports $got network interfaces, the generator wrote $live live ones ($enis in all).")
  rows+=("| $label | \`inventory\` (= load) | $(cat "$work/inventory-$key.n") | $(fmt_ms "$inv_ms") | $(fmt_ms "$(cat "$work/inventory-$key.cpu")") | $(fmt_x "$inv_ms" "$floor_ms") | $(fmt_mib "$(cat "$work/inventory-$key.rss")") | \`vpcprove inventory \$SNAP --format json\` |")
  floor_cpu=$(cat "$work/floor-$key.cpu"); inv_cpu=$(cat "$work/inventory-$key.cpu")
  curve+=("| $size${shape/classic/} | $(fmt_ms "$floor_ms") | $(fmt_ms "$inv_ms") | $(fmt_x "$inv_ms" "$floor_ms") | $(fmt_ms "$floor_cpu") | $(fmt_ms "$inv_cpu") | $(fmt_x "$inv_cpu" "$floor_cpu") |")

  if [[ $reach_ok -eq 1 && $skip -eq 0 ]]; then
    measure_reach "reach-$key" "the manifest's pair" "$from" "$to"
    target_reach[$key]=$reach_elapsed
    target_reach_verdict[$key]=$reach_verdict
    # An unreachable answer costs more: every way is checked to its end and why-not explains
    # every component that stops each way. A port the generated rules leave closed gives one.
    measure_reach "reach-closed-$key" "the same pair on udp 9999" "$from" "$to" --protocol udp --dst-port 9999
    target_reach_closed[$key]=$reach_elapsed
    target_reach_closed_verdict[$key]=$reach_verdict
    # The internet's ways: out through the gateway (the guard "no address of the snapshot")
    # and in to the manifest's destination (the gateway's mapping to the holder).
    measure_reach "reach-out-$key" "the pair's source to internet" "$from" internet
    target_reach_out[$key]=$reach_elapsed
    measure_reach "reach-in-$key" "internet to the pair's destination" internet "$to"
    target_reach_in[$key]=$reach_elapsed
  fi

  if [[ $exposure_ok -eq 1 && $skip -eq 0 ]]; then
    echo "== $size: vpcprove exposure" >&2
    time_ms "exposure-$key" "$n" "$vpcprove" exposure "$dir" --format json
    exp_ms=$(cat "$work/exposure-$key.ms")
    target_exposure[$key]=$(awk -v a="$exp_ms" -v b="$floor_ms" 'BEGIN { if (a != "timeout") print a / b }')
    target_rss[$key]=$(cat "$work/exposure-$key.rss")
    classes_curve+=("| $size${shape/classic/} | $(json_field classes "$work/exposure-$key.out") | $(json_field solver_checks "$work/exposure-$key.out") | $(fmt_ms "$exp_ms") |")
    rows+=("| $label | \`exposure\` every ENI | $(cat "$work/exposure-$key.n") | $(fmt_ms "$exp_ms") | $(fmt_ms "$(cat "$work/exposure-$key.cpu")") | $(fmt_x "$exp_ms" "$floor_ms") | $(fmt_mib "$(cat "$work/exposure-$key.rss")") | \`vpcprove exposure \$SNAP --format json\` |")
  fi

  if [[ $check_ok -eq 1 && $skip -eq 0 ]]; then
    echo "== $size: vpcprove check (specs/)" >&2
    spec_args=()
    for f in "${specs[@]}"; do spec_args+=(--spec "$f"); done
    time_ms "check-$key" "$n" "$vpcprove" check "$dir" "${spec_args[@]}" --format json
    chk_ms=$(cat "$work/check-$key.ms")
    chk_what="timed out"
    [[ $chk_ms == timeout ]] || chk_what="$(json_field holds "$work/check-$key.out") hold, $(json_field violated "$work/check-$key.out") violated"
    target_check[$key]=$(awk -v a="$chk_ms" -v b="$floor_ms" 'BEGIN { if (a != "timeout") print a / b }')
    rows+=("| $label | \`check\` specs/ ($chk_what) | $(cat "$work/check-$key.n") | $(fmt_ms "$chk_ms") | $(fmt_ms "$(cat "$work/check-$key.cpu")") | $(fmt_x "$chk_ms" "$floor_ms") | $(fmt_mib "$(cat "$work/check-$key.rss")") | \`vpcprove check \$SNAP ${spec_args[*]//$root\//} --format json\` |")
  fi
done
done

# The scale targets, at the largest size measured.
largest=${sizes##* }
target_line() {  # target_line TEXT VALUE LIMIT UNIT
  if [[ -z $2 ]]; then echo "| $1 | not measured (command missing or timed out) | **not shown** |"; return; fi
  awk -v t="$1" -v v="$2" -v l="$3" -v u="$4" 'BEGIN { printf "| %s | %.1f%s | %s |\n", t, v, u, (v <= l ? "met" : "**not met**") }'
}

simdjson=$(head -n1 "$work/floor-${shapes%% *}-${sizes%% *}.out" | sed 's/^parser: //')
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo " (with uncommitted changes)" || true)
timer="hyperfine $(hyperfine --version 2>/dev/null | awk '{ print $2 }') (median of $runs runs after 1 warm-up, \`-N\`, no shell; single runs under /usr/bin/time)"
[[ $have_hyperfine -eq 1 ]] || timer="runs under /usr/bin/time, timed with date (median of $runs runs)"

kept=""
if [[ -f $results ]] && grep -q '^<!-- notes below are kept by run.sh -->' "$results"; then
  kept=$(sed -n '/^<!-- notes below are kept by run.sh -->/,$p' "$results")
fi

{
  echo "# Benchmark results"
  echo
  echo "Written by \`make bench\` (\`benchmarks/run.sh\`); every number below was measured in that run."
  echo
  echo "- Date: $started to $(date -u '+%H:%M UTC')"
  echo "- Machine: $(nproc) cores, $cpu, $mem RAM, $(uname -sr)"
  echo "- vpcprove: commit $commit$dirty, $(grep -m1 CMAKE_BUILD_TYPE "$build/CMakeCache.txt" | cut -d= -f2) build in $(basename "$build")/"
  echo "- Floor parser: $simdjson"
  echo "- Timing: $timer; wall time of the whole process, page cache warm. Peak memory: max RSS under \`/usr/bin/time\`."
  echo "- Load average (1/5/15 min) before the run: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg). On a shared machine wall times stretch with the load; CPU time (user + system) much less."
  echo
  echo "## Results"
  echo
  echo "\`\$SNAP\` is the estate of that row (\`$(basename "$estates")/estate-…\`, commands below)."
  echo
  echo "| estate | measurement | runs | median wall ms | mean CPU ms | × floor (wall) | peak RSS | command |"
  echo "|---|---|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "### Load vs floor, by size"
  echo
  echo "| ENIs | floor wall ms | load wall ms | load × floor (wall) | floor CPU ms | load CPU ms | load × floor (CPU) |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${curve[@]}"
  echo
  if [[ ${#classes_curve[@]} -gt 0 ]]; then
    echo "### Exposure against behaviour classes, by size"
    echo
    echo "ENIs with the same subnet, security groups and public-IP status are one class, solved once."
    echo
    echo "| ENIs | classes | solver checks | exposure wall ms |"
    echo "|---:|---:|---:|---:|"
    printf '%s\n' "${classes_curve[@]}"
    echo
  fi
  # Dual-stack against IPv4-only: the same estate but for its IPv6 part (issue: within 1.5×).
  if [[ " $shapes " == *" classic "* && " $shapes " == *" dual-stack "* ]]; then
    echo "### Dual-stack against IPv4-only (the same estate with gen_estate --dual-stack)"
    echo
    echo "Median wall ms of the whole command and, for \`reach\`, \`elapsed_ms\` after load; the bar: dual-stack within 1.5× of IPv4-only."
    echo
    echo "| ENIs | measurement | IPv4-only | dual-stack | dual / IPv4 | within 1.5× |"
    echo "|---:|---|---:|---:|---:|---|"
    for size in $sizes; do
      for m in inventory:"\`inventory\` (load)" exposure:"\`exposure\`" reach:"\`reach\` the pair" reach-closed:"\`reach\` the pair, udp 9999" \
               reach-out:"\`reach\` source to internet" reach-in:"\`reach\` internet to destination"; do
        name=${m%%:*} what=${m#*:}
        for field in ms elapsed; do
          a="$work/$name-classic-$size.$field" b="$work/$name-dual-stack-$size.$field"
          [[ -s $a && -s $b ]] || continue
          label="$what, whole command"; [[ $field == elapsed ]] && label="$what, \`elapsed_ms\`"
          awk -v s="$size" -v l="$label" -v x="$(cat "$a")" -v y="$(cat "$b")" 'BEGIN {
            if (x == "timeout" || y == "timeout" || x == "" || y == "" || x == 0) { printf "| %s | %s | %s | %s | – | not measured |\n", s, l, x, y; exit }
            r = y / x; printf "| %s | %s | %.1f | %.1f | %.2f× | %s |\n", s, l, x, y, r, (r <= 1.5 ? "yes" : "**no**") }'
        done
      done
    done
    echo
  fi
  for shape in $shapes; do
  k="$shape-$largest"
  echo "### Scale targets at $largest ENIs ($shape estate)"
  echo
  echo "| target | measured | status |"
  echo "|---|---|---|"
  target_line "\`exposure\` within 20× the floor" "${target_exposure[$k]:-}" 20 "×"
  target_line "\`exposure\` peak memory under 4 GiB" "$(awk -v k="${target_rss[$k]:-}" 'BEGIN { if (k != "") printf "%.2f", k / 1048576 }')" 4 " GiB"
  target_line "\`check\` of specs/ within 30× the floor" "${target_check[$k]:-}" 30 "×"
  target_line "single \`reach\` after load under 50 ms (\`elapsed_ms\`: its own forwarding graph, solving; the manifest's pair, ${target_reach_verdict[$k]:-?})" "${target_reach[$k]:-}" 50 " ms"
  target_line "the same, an answer of ${target_reach_closed_verdict[$k]:-?} (udp 9999) with every blocker of every way explained" "${target_reach_closed[$k]:-}" 50 " ms"
  target_line "the pair's source to internet, after load" "${target_reach_out[$k]:-}" 50 " ms"
  target_line "internet to the pair's destination, after load" "${target_reach_in[$k]:-}" 50 " ms"
  echo
  done
  if [[ ${#notes[@]} -gt 0 ]]; then
    echo "### Notes from this run"
    echo
    printf -- '- %s\n' "${notes[@]}"
    echo
  fi
  echo "## Reproduce"
  echo
  echo "\`\`\`sh"
  echo "make bench                                   # builds build-bench/ (Release, -DVPCPROVE_BUILD_BENCHMARKS=ON), runs benchmarks/run.sh"
  echo "benchmarks/run.sh --runs $runs ${large_runs:+--large-runs $large_runs }--sizes \"$sizes\" --shapes \"$shapes\"   # the same, without rebuilding"
  echo "# the estates (cached in $(basename "$build")/$(basename "$estates")/, seed $seed):"
  printf '%s\n' "${commands[@]}"
  echo "# each measurement, with SNAP one of those directories:"
  echo "build-bench/benchmarks/vpcprove_parse_floor \$SNAP"
  echo "build-bench/vpcprove inventory \$SNAP --format json"
  [[ $reach_ok -eq 1 ]] && echo "build-bench/vpcprove reach \$SNAP --from \"\$(jq -r .reach_from \$SNAP.manifest.json)\" --to \"\$(jq -r .reach_to \$SNAP.manifest.json)\" --format json"
  [[ $reach_ok -eq 1 ]] && echo "build-bench/vpcprove reach \$SNAP --from \"\$(jq -r .reach_from \$SNAP.manifest.json)\" --to \"\$(jq -r .reach_to \$SNAP.manifest.json)\" --protocol udp --dst-port 9999 --format json"
  [[ $reach_ok -eq 1 ]] && echo "build-bench/vpcprove reach \$SNAP --from \"\$(jq -r .reach_from \$SNAP.manifest.json)\" --to internet --format json"
  [[ $reach_ok -eq 1 ]] && echo "build-bench/vpcprove reach \$SNAP --from internet --to \"\$(jq -r .reach_to \$SNAP.manifest.json)\" --format json"
  [[ $exposure_ok -eq 1 ]] && echo "build-bench/vpcprove exposure \$SNAP --format json"
  [[ $check_ok -eq 1 ]] && echo "build-bench/vpcprove check \$SNAP $(for f in "${specs[@]}"; do printf -- '--spec %s ' "${f#"$root"/}"; done)--format json"
  echo "# under hyperfine: hyperfine -N --runs $runs --warmup 1 '<command>'; memory: /usr/bin/time -f %M <command>"
  echo "\`\`\`"
  echo
  if [[ -n $kept ]]; then
    echo "$kept"
  else
    echo "<!-- notes below are kept by run.sh -->"
  fi
} >"$results"

echo "== wrote $results" >&2
sed -n '/^## Results/,/^## Reproduce/p' "$results" | sed '$d'
