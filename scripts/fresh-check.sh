#!/usr/bin/env bash
# Run by hand, not in CI: does the README hold on a machine that has nothing but Debian 12 and git?
# Builds a clean Debian 12 (bookworm) root with debootstrap, clones this project's committed HEAD
# into it, and runs the README's two commands there as a new user would:
#   bash scripts/test.sh    every test lane, installing what is missing (apt, npm)
#   bash scripts/serve.sh   builds and serves http://127.0.0.1:8080 (checked with curl, then stopped)
# It prints each command's outcome and the versions it ended up with, and keeps the logs.
#
# usage: sudo bash scripts/fresh-check.sh [ROOT_DIR]     (default /var/tmp/gpufit-fresh; wiped first)
# env:   MIRROR (default http://deb.debian.org/debian), KEEP=1 to keep the root afterwards.
# Needs root (debootstrap, chroot, mounts) and about 4 GB of disk.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-/var/tmp/gpufit-fresh}
mirror=${MIRROR:-http://deb.debian.org/debian}
logs="$repo/test-results/fresh-check"
mkdir -p "$logs"

[ "$(id -u)" -eq 0 ] || { echo "fresh-check: run as root (debootstrap and chroot need it)" >&2; exit 2; }
command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }

mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$root"; fi
}
trap cleanup EXIT

echo "== debootstrap bookworm into $root (minbase + git, nothing else)"
rm -rf "$root"
start=$(date +%s)
debootstrap --variant=minbase --include=git,ca-certificates bookworm "$root" "$mirror" >"$logs/debootstrap.log" 2>&1
echo "   $(($(date +%s) - start)) s"

# What a machine on a network has anyway: name resolution. Where this host reaches the registries
# through a TLS-inspecting proxy, its extra certificate authority too (the npm config's cafile):
# that is this workplace's network, not something the project needs.
cp /etc/resolv.conf "$root/etc/resolv.conf"
cafile=$(npm config get cafile 2>/dev/null || true)
if [ -n "$cafile" ] && [ "$cafile" != null ] && [ -f "$cafile" ]; then
  cp "$cafile" "$root/usr/local/share/ca-certificates/host-network-ca.crt"
  chroot "$root" update-ca-certificates >/dev/null 2>&1 || true
  printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' >"$root/etc/npmrc"
fi
for m in proc sys dev dev/pts dev/shm; do
  mkdir -p "$root/$m"
  case $m in
    proc) mount -t proc proc "$root/proc" ;;
    sys) mount -t sysfs sys "$root/sys" ;;
    dev/shm) mount -t tmpfs -o size=2g tmpfs "$root/dev/shm" ;;
    *) mount --bind "/$m" "$root/$m" ;;
  esac
  mounted+=("$root/$m")
done

echo "== git clone (the committed HEAD: $(git -C "$repo" rev-parse --short HEAD))"
git clone -q --no-local "$repo" "$root/root/gpu-fit"

in_root() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  TERM=dumb LANG=C.UTF-8 /bin/bash -c "cd /root/gpu-fit && $1"; }

status=0
echo "== bash scripts/test.sh"
start=$(date +%s)
if in_root "bash scripts/test.sh" >"$logs/test.log" 2>&1; then
  echo "   passed in $(($(date +%s) - start)) s"
else
  status=1
  echo "   FAILED after $(($(date +%s) - start)) s; the end of test-results/fresh-check/test.log:"
  tail -40 "$logs/test.log" | sed 's/^/   | /'
fi
grep -E '^# (pass|fail)|tests passed|^== ' "$logs/test.log" | sed 's/^/   /' || true

echo "== bash scripts/serve.sh"
in_root "bash scripts/serve.sh" >"$logs/serve.log" 2>&1 &
serve_pid=$!
served=0
for _ in $(seq 1 900); do  # the build is incremental after test.sh; give it up to 15 minutes anyway
  if in_root "curl -fsS -o /dev/null http://127.0.0.1:8080/ 2>/dev/null || node -e \"fetch('http://127.0.0.1:8080/').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))\" 2>/dev/null"; then
    served=1
    break
  fi
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 1
done
if [ "$served" = 1 ]; then
  echo "   serving http://127.0.0.1:8080/"
else
  status=1
  echo "   FAILED: nothing answered on 127.0.0.1:8080; the end of test-results/fresh-check/serve.log:"
  tail -30 "$logs/serve.log" | sed 's/^/   | /'
fi
pkill -f "web/serve.mjs build-wasm/web 8080" 2>/dev/null || true
kill "$serve_pid" 2>/dev/null || true
wait "$serve_pid" 2>/dev/null || true

echo "== versions in the fresh root"
in_root 'source scripts/use-node.sh; echo "   Debian $(cat /etc/debian_version); node $(node --version) (Debian nodejs $(dpkg-query -W -f="\${Version}" nodejs)); emcc $(emcc --version | head -1 | grep -o "[0-9][0-9.]*" | head -1); $(chromium --version 2>/dev/null); cmake $(cmake --version | head -1 | grep -o "[0-9][0-9.]*"); g++ $(g++ -dumpfullversion)"' 2>/dev/null |
  tee "$logs/versions.txt"
[ "$status" = 0 ] && echo "fresh-check: both README commands passed" || echo "fresh-check: FAILED (logs in test-results/fresh-check/)"
exit "$status"
