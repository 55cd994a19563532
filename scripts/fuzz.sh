#!/usr/bin/env bash
# Fuzzes the input parsers (scenario JSON + evaluation, catalog files, Hugging Face
# config.json, permalinks, GGUF and safetensors headers) with libFuzzer under AddressSanitizer and UndefinedBehaviorSanitizer.
#   bash scripts/fuzz.sh            # CI: 40 s per target from the seed corpora in tests/fuzz/
#   bash scripts/fuzz.sh 3600       # a long run: an hour per target
# A crash leaves its input in build-fuzz/crashes/ and fails the script; turn it into a test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/use-node.sh
seconds=${1:-40}
jobs=$(nproc 2>/dev/null || echo 2)

cmake --preset fuzz >/dev/null  # clang, ASan + UBSan + libFuzzer (CMakePresets.json)
cmake --build --preset fuzz --parallel "$jobs"

mkdir -p build-fuzz/crashes
for target in scenario catalog hf_config permalink gguf safetensors; do
  # The corpus grows in build-fuzz/corpus/<target>; the committed seeds are read, never written.
  corpus=build-fuzz/corpus/$target
  mkdir -p "$corpus"
  echo "fuzz: $target for ${seconds} s"
  if ! ./build-fuzz/fuzz/fuzz_$target -max_total_time="$seconds" -max_len=65536 -timeout=10 \
         -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="build-fuzz/crashes/$target-" \
         "$corpus" "tests/fuzz/$target" >"build-fuzz/$target.log" 2>&1; then
    tail -n 60 "build-fuzz/$target.log"
    echo "fuzz: $target failed; input in build-fuzz/crashes/" >&2
    exit 1
  fi
  grep -E '^stat::number_of_executed_units|^stat::average_exec_per_sec|^stat::peak_rss_mb' "build-fuzz/$target.log" | sed "s/^/  /"
done
