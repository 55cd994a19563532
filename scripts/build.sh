#!/usr/bin/env bash
# Builds the native core, gpucalc and the tests (build/), and the WebAssembly module and the
# site (build-wasm/web/, once web/ exists). Incremental: a second run rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/use-node.sh
jobs=$(nproc 2>/dev/null || echo 2)

# The configurations are CMakePresets.json's (release, wasm; debug, sanitize and fuzz are there too).
cmake --preset release >/dev/null
cmake --build --preset release --parallel "$jobs"

# WebAssembly for size (-Oz, link-time optimisation, no exceptions or RTTI: the core returns errors
# as values and never throws on purpose); the site is bundled around it by web/build.mjs, with the
# JSON Schemas and TypeScript declarations from the native gpucalc just built.
cmake --preset wasm >/dev/null
cmake --build --preset wasm --parallel "$jobs"
