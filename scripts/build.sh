#!/usr/bin/env bash
# Builds the native core, gpucalc and the tests (build/), and the WebAssembly module and the
# site (build-wasm/web/, once web/ exists). Incremental: a second run rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/use-node.sh
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --parallel "$jobs"

if [ -f wasm/CMakeLists.txt ]; then
  # Debian's emcc runs its JS optimizer under node and finds Debian's acorn through NODE_PATH.
  # -O2, with the files a page runs once (catalog loading, config.json import) at -Oz: see
  # core/CMakeLists.txt for the size and speed of each choice.
  emcmake cmake -S . -B build-wasm -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
  cmake --build build-wasm --parallel "$jobs"
fi
