#!/usr/bin/env bash
# The second command of the README, and what CI runs (.ci/run): installs what is missing, builds,
# and runs every test. Exits non-zero on the first failing lane.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
# Each lane prints how long the run has taken so far: CI must finish in 60 minutes on 2 cores.
lane() { echo "== $* (at $((SECONDS - start)) s)"; }
bash scripts/setup.sh
source scripts/use-node.sh  # after setup: it may have installed Node 20
lane "setup done"
bash scripts/build.sh

lane "native: GoogleTest (ctest)"
ctest --preset release --timeout 300 -j "$(nproc 2>/dev/null || echo 2)"

lane "native: gpucalc on the examples"
for f in examples/*.json; do
  ./build/cli/gpucalc evaluate "$f" --format json >/dev/null
done

lane "native: C++ format (clang-format 14 against .clang-format)"
# Checked, not applied: a file that differs fails with its name and the first lines that differ.
# Fix with: git ls-files '*.cpp' '*.hpp' | xargs clang-format -i
git ls-files '*.cpp' '*.hpp' '*.h' | xargs clang-format --dry-run --Werror

lane "native: clang-tidy on core/ (the checks listed in .clang-tidy)"
clang-tidy -p build --quiet core/src/*.cpp

lane "wasm: Node tests of the module (against native gpucalc)"
# A hung test fails after its timeout instead of holding CI until it is killed.
GPUFIT_WEB_DIR=build-wasm/web node --test --test-timeout=300000 wasm/test/

lane "browser: the site and the widget in headless Chromium"
GPUFIT_WEB_DIR=build-wasm/web node --test --test-concurrency=1 --test-timeout=180000 web/test/

lane "sanitizers: GoogleTest under AddressSanitizer and UndefinedBehaviorSanitizer"
cmake --preset sanitize >/dev/null
cmake --build --preset sanitize --parallel "$(nproc 2>/dev/null || echo 2)"
# The calibration test refits every engine a few hundred times: a numbers test, a minute natively
# and many times that under the sanitizers. Its code is the validation code the other tests run
# under the sanitizers; it runs natively above. The preset excludes it and sets ASAN/UBSAN options.
ctest --preset sanitize --timeout 900 -j "$(nproc 2>/dev/null || echo 2)"

lane "fuzz: libFuzzer, 40 s per parser from the seed corpora"
bash scripts/fuzz.sh 40

echo "all tests passed in $((SECONDS - start)) s"
