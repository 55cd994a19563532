#!/usr/bin/env bash
# Installs what building and testing GPU Fit needs on Debian 12, only what is missing:
# compilers and libraries from Debian (apt), the test driver from npm (playwright-core, no browser
# download: the tests drive Debian's chromium). Safe to run again; quiet when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in cmake g++ ninja-build make libgtest-dev libbenchmark-dev nlohmann-json3-dev emscripten \
           nodejs chromium clang clang-tidy clang-format libclang-rt-14-dev python3 gzip libcurl4-openssl-dev; do
  have_pkg "$pkg" || need_apt+=("$pkg")
done
# npm ships with NodeSource's nodejs; Debian's own nodejs needs the npm package.
command -v npm >/dev/null 2>&1 || need_apt+=(npm)

if ((${#need_apt[@]})); then
  echo "setup: installing ${need_apt[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

source scripts/use-node.sh
if [ "$(gpufit_node_major)" -lt 20 ]; then
  echo "setup: Node.js $(node --version 2>/dev/null || echo missing) is older than 20: installing Node 20 into .cache/node"
  npm install --prefix .cache/node --no-save --no-audit --no-fund --loglevel=error "$gpufit_node_pkg@20.20.2"
  source scripts/use-node.sh
  [ "$(gpufit_node_major)" -ge 20 ] || { echo "setup: could not get Node.js 20" >&2; exit 1; }
fi

if [ -f package-lock.json ] && [ ! -d node_modules/playwright-core ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
