#!/usr/bin/env bash
# The second command of the README, and what CI runs (.ci/run): installs what is missing, builds,
# and runs every test. Exits non-zero on the first failing lane.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh

echo "== native: GoogleTest (ctest)"
ctest --test-dir build --output-on-failure --timeout 300 -j "$(nproc 2>/dev/null || echo 2)"

echo "== native: gpucalc on the examples"
for f in examples/*.json; do
  ./build/cli/gpucalc evaluate "$f" --format json >/dev/null
done

echo "== wasm: Node tests of the module (against native gpucalc)"
GPUFIT_WEB_DIR=build-wasm/web node --test wasm/test/

echo "== browser: the site and the widget in headless Chromium"
GPUFIT_WEB_DIR=build-wasm/web node --test --test-concurrency=1 web/test/

echo "all tests passed"
