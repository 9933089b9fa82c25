#!/usr/bin/env bash
# Prepares a machine for the engine tests and the benchmark: two Docker engines and what their
# builds need offline.
#
#   legacy engine   Debian's docker.io: dockerd 20.10 with BuildKit v0.8 inside, /usr/bin/docker
#   current engine  BuildKit v0.34.2 (buildkitd) and buildx v0.38.2, built with the machine's Go
#                   from the Go module proxy; buildx builder `gdc-buildkit` (remote driver)
#   registry        Debian's docker-registry on 127.0.0.1:5000, buildkitd's docker.io mirror
#   golang:1.26     made from the machine's Go; in dockerd and in the registry
#   Go modules      the examples' and bench/service's, served on http://127.0.0.1:5001
#
# Safe to run again: each step only acts when its result is missing. Concurrent runs wait for
# each other.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/scripts/engine
# shellcheck source=lib.sh
. "$HERE/lib.sh"
. "$HERE/binaries.sh"
. "$HERE/services.sh"
. "$HERE/base-image.sh"

[ "$(id -u)" = 0 ] || fail "must run as root (dockerd, buildkitd and apt-get need it)"

exec 9>/tmp/gdc-engine.lock
flock 9

install_packages() {
  local missing=() cmd
  for cmd in "$LEGACY_DOCKER:docker.io" /usr/sbin/runc:runc /usr/bin/docker-registry:docker-registry; do
    [ -x "${cmd%%:*}" ] || missing+=("${cmd#*:}")
  done
  command -v go >/dev/null || fail "Go is needed to build BuildKit and buildx (expected at /usr/local/go/bin)"
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]} with apt-get"
    apt_install "${missing[@]}"
  fi
  say "$("$LEGACY_DOCKER" --version | sed 's/^/legacy client: /'), runc $(runc --version | sed -n 's/^runc version //p')"
}

export PATH=$PATH:/usr/local/go/bin
started=$SECONDS
install_packages
start_dockerd
start_registry
build_buildkit
build_buildx
install_buildx_plugin
start_buildkitd
prune_build_caches_when_low
create_builder
create_base_image
start_goproxy
say "ready in $((SECONDS - started))s: legacy engine $LEGACY_DOCKER (docker build), current engine \`docker buildx build --builder $BUILDER\`"
