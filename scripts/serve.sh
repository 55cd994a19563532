#!/usr/bin/env bash
# The first command of the README: installs what is missing, builds everything, and serves the
# calculator on http://127.0.0.1:8080 (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/use-node.sh  # after setup: it may have installed Node 20
bash scripts/build.sh

echo "GPU Fit: http://127.0.0.1:8080  (Ctrl-C to stop)"
exec node web/serve.mjs build-wasm/web 8080
