#!/usr/bin/env bash
# Install, from Debian's packages, the tools the benchmarks drive the gateway with.
#
#   scripts/tools.sh wrk     the HTTP load generator of bench/ingest.py
#
# Prints the tool's path on stdout; progress and errors on stderr.
set -euo pipefail

say() { printf '>> %s\n' "$*" >&2; }
die() { printf 'tools.sh: error: %s\n' "$*" >&2; exit 1; }

install_deb() {
  local package="$1"
  [ "$(id -u)" -eq 0 ] || die "need root to install the Debian package $package (or install it: apt-get install $package)"
  say "apt-get install $package"
  timeout 600 apt-get update -q >&2 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q "$package" >&2 \
    || die "apt-get install $package failed"
}

case "${1:-}" in
  wrk)
    command -v wrk >/dev/null 2>&1 || install_deb wrk
    command -v wrk
    ;;
  *)
    die "usage: scripts/tools.sh wrk"
    ;;
esac
