#!/usr/bin/env bash
# Builds the native core, gpucalc and the tests (build/), and the WebAssembly module and the
# site (build-wasm/web/, once web/ exists). Incremental: a second run rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/use-node.sh
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --parallel "$jobs"

# WebAssembly for size (-Oz, link-time optimisation, no exceptions or RTTI: the core returns errors as values and never
# throws on purpose); the site is bundled around it by web/build.mjs, with the JSON Schemas and
# TypeScript declarations from the native gpucalc just built.
emcmake cmake -S . -B build-wasm -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-Oz -DNDEBUG" \
  -DCMAKE_CXX_FLAGS="-fno-exceptions -fno-rtti -flto" -DCMAKE_EXE_LINKER_FLAGS="-flto" \
  -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node \
  -DGPUFIT_GPUCALC="$PWD/build/cli/gpucalc" >/dev/null
cmake --build build-wasm --parallel "$jobs"
