#!/usr/bin/env bash
# Prepares a machine for the engine tests: a Docker client, a running daemon and
# an offline `golang:1.19` image built from Debian packages (no registry is
# reachable, so nothing can be pulled). Safe to run again: each step only acts
# when its result is missing. Concurrent runs wait for each other.
set -euo pipefail

DOCKER=/usr/bin/docker
IMAGE=golang:1.19
CACHE_DIR=${GDC_ENGINE_CACHE:-/var/cache/gdc-engine}
DOCKERD_LOG=/tmp/dockerd.log
DAEMON_WAIT_SECONDS=${GDC_DAEMON_WAIT_SECONDS:-60}
PACKAGES=(golang-1.19-go golang-1.19-src busybox-static libc6 ca-certificates)
# Bump when the image's contents change, so existing machines rebuild it.
IMAGE_VERSION=2

say() { printf 'engine setup: %s\n' "$*"; }
fail() { printf 'engine setup: error: %s\n' "$*" >&2; exit 1; }

exec 9>/tmp/gdc-engine.lock
flock 9

[ "$(id -u)" = 0 ] || fail "must run as root (dockerd and apt-get need it)"

install_docker() {
  if [ -x "$DOCKER" ]; then
    say "docker client present: $($DOCKER --version)"
    return
  fi
  say "installing docker.io with apt-get"
  # apt is shared with other jobs on the machine; its own lock is not enough
  # because `apt-get update` and `install` are two separate runs.
  flock /tmp/apt.lock apt-get update -qq
  flock /tmp/apt.lock env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  [ -x "$DOCKER" ] || fail "apt-get install docker.io did not provide $DOCKER"
}

start_daemon() {
  if "$DOCKER" info >/dev/null 2>&1; then
    say "docker daemon already running"
    return
  fi
  command -v dockerd >/dev/null || fail "dockerd not found although $DOCKER exists; install docker.io"
  say "starting dockerd (log: $DOCKERD_LOG)"
  # No iptables or bridge: containers in CI sandboxes cannot manage them, and
  # builds use --network=host anyway. setsid keeps dockerd alive after we exit;
  # 9>&- keeps it from inheriting our lock, which would block every later run.
  setsid nohup dockerd --iptables=false --bridge=none >>"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
  local waited=0
  until "$DOCKER" info >/dev/null 2>&1; do
    if [ "$waited" -ge "$DAEMON_WAIT_SECONDS" ]; then
      tail -n 20 "$DOCKERD_LOG" >&2 || true
      fail "dockerd did not answer within ${DAEMON_WAIT_SECONDS}s; see $DOCKERD_LOG"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  say "docker daemon answered after ${waited}s"
}

download_packages() {
  mkdir -p "$CACHE_DIR/debs"
  # apt drops privileges to _apt for downloads; let it write here.
  chown _apt "$CACHE_DIR/debs" 2>/dev/null || true
  local missing=()
  for pkg in "${PACKAGES[@]}"; do
    compgen -G "$CACHE_DIR/debs/${pkg}_*.deb" >/dev/null || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    say "packages cached in $CACHE_DIR/debs"
    return
  fi
  say "downloading ${missing[*]}"
  # apt-get download writes into the current directory and needs package lists.
  if ! (cd "$CACHE_DIR/debs" && flock /tmp/apt.lock apt-get download -qq "${missing[@]}"); then
    flock /tmp/apt.lock apt-get update -qq
    (cd "$CACHE_DIR/debs" && flock /tmp/apt.lock apt-get download -qq "${missing[@]}")
  fi
}

build_root() {
  local root=$1
  for deb in "$CACHE_DIR"/debs/*.deb; do dpkg -x "$deb" "$root"; done
  mkdir -p "$root/bin" "$root/usr/bin" "$root/etc" "$root/root" "$root/tmp" "$root/go"
  chmod 1777 "$root/tmp"
  [ -x "$root/bin/busybox" ] || fail "busybox-static did not provide /bin/busybox"
  # Relative links so they resolve inside the image, not on this host.
  local applet
  for applet in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$applet" ] || [ -L "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  [ -e "$root/usr/bin/go" ] || ln -s ../lib/go-1.19/bin/go "$root/usr/bin/go"
  [ -e "$root/usr/bin/gofmt" ] || ln -s ../lib/go-1.19/bin/gofmt "$root/usr/bin/gofmt"
  # What update-ca-certificates would write; dpkg -x runs no maintainer scripts. Multi-stage
  # Dockerfiles copy this bundle into scratch images, as they do from the official golang image.
  mkdir -p "$root/etc/ssl/certs"
  cat "$root"/usr/share/ca-certificates/mozilla/*.crt >"$root/etc/ssl/certs/ca-certificates.crt"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

create_image() {
  local present
  present=$("$DOCKER" image inspect -f '{{index .Config.Labels "gdc.engine.version"}}' "$IMAGE" 2>/dev/null || true)
  if [ "$present" = "$IMAGE_VERSION" ]; then
    say "image $IMAGE already present"
    return
  fi
  [ -z "$present" ] || say "image $IMAGE is version $present, rebuilding as version $IMAGE_VERSION"
  download_packages
  local root
  root=$(mktemp -d /tmp/gdc-engine-root.XXXXXX)
  trap 'rm -rf "$root"' RETURN
  say "assembling root filesystem in $root"
  build_root "$root"
  say "importing $IMAGE"
  tar -C "$root" -c . | "$DOCKER" import \
    -c 'ENV GOPATH=/go' \
    -c 'ENV HOME=/root' \
    -c 'ENV PATH=/go/bin:/usr/lib/go-1.19/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c "LABEL gdc.engine.version=$IMAGE_VERSION" \
    - "$IMAGE" >/dev/null
  say "image $IMAGE created ($("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE") bytes)"
}

install_docker
start_daemon
create_image
say "ready"
