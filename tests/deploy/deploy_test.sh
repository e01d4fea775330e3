#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# deploy/: the Kubernetes Indexed Job and the AWS Batch array job are well formed, agree on the
# number of shards, and their commands, run for every index against a fake S3, upload shard
# reports that vpcprove merge joins into what one check run prints.
# Usage: deploy_test.sh VPCPROVE YAML_TO_JSON SOURCE_DIR WORKDIR
set -u
vpcprove=$1 yaml_to_json=$2 src=$3 work=$4
rm -rf "$work" && mkdir -p "$work/bin"
fail=0
check() { local what=$1; shift; if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi; }
jqt() { jq -e "$@" >/dev/null; }

job="$work/job.json"
"$yaml_to_json" "$src/deploy/kubernetes/vpcprove-audit-job.yaml" >"$job" || { echo "FAIL: the Job manifest is not YAML"; exit 1; }
check "Kubernetes: a batch/v1 Job in Indexed completion mode" \
  jqt '.apiVersion == "batch/v1" and .kind == "Job" and .spec.completionMode == "Indexed"' "$job"
check "Kubernetes: completions = parallelism = SHARDS" \
  jqt '.spec.template.spec.containers[0].env as $env | ($env[] | select(.name == "SHARDS") | .value | tonumber) as $n
       | .spec.completions == $n and .spec.parallelism == $n' "$job"
check "Kubernetes: pods are not restarted in place (restartPolicy Never)" \
  jqt '.spec.template.spec.restartPolicy == "Never"' "$job"
check "Kubernetes: the shard is JOB_COMPLETION_INDEX + 1 of SHARDS" \
  jqt '.spec.template.spec.containers[0].args[0] | contains("K=$((JOB_COMPLETION_INDEX + 1))") and contains("--shard \"$K/$SHARDS\"")' "$job"
def="$src/deploy/aws-batch/job-definition.json"
submit="$src/deploy/aws-batch/submit-job.json"
check "AWS Batch: a container job definition whose shard is AWS_BATCH_JOB_ARRAY_INDEX + 1" \
  jqt '.type == "container" and (.containerProperties.command[2] | contains("K=$((AWS_BATCH_JOB_ARRAY_INDEX + 1))") and contains("--shard \"$K/$SHARDS\""))' "$def"
check "AWS Batch: the array size is SHARDS, and the job names the definition" \
  jqt --slurpfile jobdef "$def" '.arrayProperties.size == ($jobdef[0].containerProperties.environment[] | select(.name == "SHARDS") | .value | tonumber)
       and .jobDefinition == $jobdef[0].jobDefinitionName' "$submit"
check "both run the same commands" \
  cmp -s <(jq -r '.spec.template.spec.containers[0].args[0]' "$job" | sed 's/JOB_COMPLETION_INDEX/INDEX/') \
         <(jq -r '.containerProperties.command[2]' "$def" | sed 's/AWS_BATCH_JOB_ARRAY_INDEX/INDEX/')

# Run the command of each for every index, with the snapshot in a fake S3.
ln -s "$(dirname "$0")/fake-aws-s3" "$work/bin/aws"
ln -s "$vpcprove" "$work/bin/vpcprove"
export FAKE_S3="$work/s3"
mkdir -p "$FAKE_S3/example-audit-bucket/snapshots/latest"
cp -r "$src/examples/primer/." "$FAKE_S3/example-audit-bucket/snapshots/latest/"
spec="$src/specs/aws-fsbp-ec2.yaml"
"$vpcprove" check "$src/examples/primer" --spec "$spec" --format json >"$work/single.json"
single_rc=$?
run() { # name script index-variable count
  local name=$1 script=$2 var=$3 n=$4 i
  rm -rf "$FAKE_S3/example-audit-bucket/results"
  for i in $(seq 0 $((n - 1))); do
    (cd "$work" && env PATH="$work/bin:$PATH" "$var=$i" SHARDS="$n" SPEC="$spec" \
      SNAPSHOT_URI=s3://example-audit-bucket/snapshots/latest/ RESULTS_URI=s3://example-audit-bucket/results/latest/ \
      TMPDIR="$work" bash -c "$(sed "s|/tmp/|$work/$name/|g" <<<"$script")") || { echo "  $name index $i failed"; return 1; }
  done
  "$vpcprove" merge "$FAKE_S3"/example-audit-bucket/results/latest/shard-*-of-"$n".json --format json >"$work/$name.merged.json"
  local rc=$?
  [ "$rc" = "$single_rc" ] || { echo "  merge exit $rc, single run $single_rc"; return 1; }
  diff <(same "$work/single.json") <(same "$work/$name.merged.json")
}
# The single run's report, but for the snapshot's path (the pods' copy), timings, and the concrete
# addresses and ports Z3 picks for witnesses (tests/shard/shard_merge.sh says why they vary).
same() {
  jq -S 'del(.snapshot) | walk(if type == "object" then del(.elapsed_ms, .graph_ms) else . end)' "$1" |
    sed -E -e 's/[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}/IP/g' -e 's/IP:[0-9]+/IP:PORT/g' \
      -e 's/"(src_port|dst_port)": [0-9]+/"\1": PORT/g'
}
k8s_script=$(jq -r '.spec.template.spec.containers[0].args[0]' "$job")
batch_script=$(jq -r '.containerProperties.command[2]' "$def")
check "Kubernetes: 8 indexed pods' reports merge into the single run's" run k8s "$k8s_script" JOB_COMPLETION_INDEX 8
check "AWS Batch: 8 array children's reports merge into the single run's" run batch "$batch_script" AWS_BATCH_JOB_ARRAY_INDEX 8
check "the Dockerfile installs only the package, on debian:12" \
  bash -c "grep -q '^FROM debian:12\$' '$src/deploy/Dockerfile' && grep -q 'apt-get install -y /tmp/vpcprove_\*.deb' '$src/deploy/Dockerfile'"
exit $fail
