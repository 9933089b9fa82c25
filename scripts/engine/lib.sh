# Shared by the engine set-up scripts: the pinned versions, fixed paths and small helpers.
# Sourced, never run.

BUILDKIT_VERSION=v0.34.2
BUILDX_VERSION=v0.38.2
CACHE_DIR=${GDC_ENGINE_CACHE:-/var/cache/gdc-engine}
BUILDKIT_BIN=$CACHE_DIR/buildkit-$BUILDKIT_VERSION
BUILDX_BIN=$CACHE_DIR/buildx-$BUILDX_VERSION
PLUGIN_DIR=/usr/local/lib/docker/cli-plugins

# The legacy engine: Debian's docker.io (dockerd 20.10 with BuildKit v0.8 inside).
LEGACY_DOCKER=/usr/bin/docker
DOCKERD_LOG=/var/log/gdc-dockerd.log

# The current engine: buildkitd beside dockerd, reached through a buildx builder.
BUILDER=gdc-buildkit
BUILDKIT_RUN=/run/gdc-buildkit
BUILDKIT_ADDR=unix://$BUILDKIT_RUN/buildkitd.sock
BUILDKIT_ROOT=/var/lib/gdc-buildkit
BUILDKIT_CONFIG=/etc/gdc-buildkit/buildkitd.toml
BUILDKIT_LOG=/var/log/gdc-buildkitd.log

# Loopback registry (buildkitd's docker.io mirror) and the Go module proxy for builds.
REGISTRY=127.0.0.1:5000
REGISTRY_CONFIG=/etc/gdc-registry/config.yml
REGISTRY_ROOT=/var/lib/gdc-registry
REGISTRY_LOG=/var/log/gdc-registry.log
GOPROXY_ADDR=127.0.0.1:5001
GOPROXY_LOG=/var/log/gdc-goproxy.log

WAIT_SECONDS=${GDC_DAEMON_WAIT_SECONDS:-120}

say() { printf 'engine setup: %s\n' "$*"; }
fail() { printf 'engine setup: error: %s\n' "$*" >&2; exit 1; }

# wait_until SECONDS LOG DESCRIPTION COMMAND...: polls COMMAND once a second.
wait_until() {
  local limit=$1 log=$2 what=$3 waited=0
  shift 3
  until "$@" >/dev/null 2>&1; do
    if [ "$waited" -ge "$limit" ]; then
      tail -n 20 "$log" >&2 || true
      fail "$what did not answer within ${limit}s; see $log"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  say "$what answered after ${waited}s"
}

# start_background LOG COMMAND...: a daemon that outlives this script. setsid detaches it
# from our session; 9>&- keeps it from inheriting the set-up lock, which would block every
# later run.
start_background() {
  local log=$1
  shift
  setsid nohup "$@" >>"$log" 2>&1 </dev/null 9>&- &
}

apt_install() {
  # apt is shared with other jobs on the machine; its own lock is not enough because
  # `apt-get update` and `install` are two separate runs.
  flock /tmp/apt.lock apt-get update -qq
  flock /tmp/apt.lock env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
