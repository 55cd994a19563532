#!/usr/bin/env bash
# The first command of the README: installs what is missing, builds everything, and serves the
# calculator on http://127.0.0.1:8080 (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh

if [ -d build-wasm/web ] && [ -f build-wasm/web/index.html ]; then
  echo "GPU Fit: http://127.0.0.1:8080  (Ctrl-C to stop)"
  exec node web/serve.mjs build-wasm/web 8080
fi

# Until the page exists: the command line on an example scenario.
echo "gpucalc rank on examples/llama-3.1-70b-int4.json:"
./build/cli/gpucalc rank examples/llama-3.1-70b-int4.json --format table
