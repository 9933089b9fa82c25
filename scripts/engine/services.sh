# The long-running parts of the engine: dockerd (legacy engine), the loopback registry,
# buildkitd with its buildx builder (current engine) and the Go module proxy. Each starts only
# when it does not answer already. Sourced by setup.sh.

start_dockerd() {
  if "$LEGACY_DOCKER" info >/dev/null 2>&1; then
    say "dockerd already running"
    return
  fi
  say "starting dockerd (log: $DOCKERD_LOG)"
  # No iptables or bridge: containers in CI sandboxes cannot manage them, and builds use
  # --network=host anyway.
  start_background "$DOCKERD_LOG" dockerd --iptables=false --bridge=none
  wait_until "$WAIT_SECONDS" "$DOCKERD_LOG" dockerd "$LEGACY_DOCKER" info
}

registry_answers() { bash -c "exec 3<>/dev/tcp/${REGISTRY%:*}/${REGISTRY#*:}" 2>/dev/null; }

# Debian's packaged config asks for htpasswd auth and listens on every address; this one has
# no auth, its own storage and only the loopback address.
start_registry() {
  mkdir -p "$(dirname "$REGISTRY_CONFIG")" "$REGISTRY_ROOT"
  cat >"$REGISTRY_CONFIG.new" <<CONFIG
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REGISTRY_ROOT
  delete:
    enabled: true
http:
  addr: $REGISTRY
CONFIG
  mv "$REGISTRY_CONFIG.new" "$REGISTRY_CONFIG"
  if registry_answers; then
    say "registry already listening on $REGISTRY"
    return
  fi
  say "starting the registry on $REGISTRY (log: $REGISTRY_LOG)"
  start_background "$REGISTRY_LOG" docker-registry serve "$REGISTRY_CONFIG"
  wait_until "$WAIT_SECONDS" "$REGISTRY_LOG" "the registry" registry_answers
}

write_buildkit_config() {
  mkdir -p "$(dirname "$BUILDKIT_CONFIG")"
  cat >"$BUILDKIT_CONFIG.new" <<CONFIG
# Written by scripts/engine/setup.sh. Builds may ask for --network=host (the worker's network is
# the host's anyway). FROM golang:1.26 resolves from the loopback registry, exactly as a pull
# from Docker Hub would.
insecure-entitlements = ["network.host"]

[registry."docker.io"]
  mirrors = ["$REGISTRY"]

[registry."$REGISTRY"]
  http = true
CONFIG
  if cmp -s "$BUILDKIT_CONFIG.new" "$BUILDKIT_CONFIG"; then
    rm "$BUILDKIT_CONFIG.new"
    return 1
  fi
  mv "$BUILDKIT_CONFIG.new" "$BUILDKIT_CONFIG"
}

buildkit_answers() { "$BUILDKIT_BIN/buildctl" --addr "$BUILDKIT_ADDR" debug workers; }

stop_buildkitd() {
  local pid
  pid=$(cat "$BUILDKIT_RUN/buildkitd.pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while buildkit_answers >/dev/null 2>&1; do
    [ "$waited" -lt 30 ] || fail "buildkitd (pid ${pid:-unknown}) did not stop; stop it and run again"
    sleep 1
    waited=$((waited + 1))
  done
}

start_buildkitd() {
  local changed=false
  write_buildkit_config && changed=true
  if buildkit_answers >/dev/null 2>&1; then
    if ! $changed && "$BUILDKIT_BIN/buildctl" --addr "$BUILDKIT_ADDR" debug info 2>/dev/null | grep -q "$BUILDKIT_VERSION"; then
      say "buildkitd $BUILDKIT_VERSION already running on $BUILDKIT_ADDR"
      return
    fi
    say "restarting buildkitd: its configuration or version changed"
    stop_buildkitd
  fi
  mkdir -p "$BUILDKIT_RUN" "$BUILDKIT_ROOT"
  say "starting buildkitd $BUILDKIT_VERSION on $BUILDKIT_ADDR (log: $BUILDKIT_LOG)"
  start_background "$BUILDKIT_LOG" "$BUILDKIT_BIN/buildkitd" --addr "$BUILDKIT_ADDR" --root "$BUILDKIT_ROOT" \
    --oci-worker=true --containerd-worker=false --oci-worker-net=host --oci-worker-binary="$(command -v runc)" \
    --config "$BUILDKIT_CONFIG"
  echo $! >"$BUILDKIT_RUN/buildkitd.pid"
  wait_until "$WAIT_SECONDS" "$BUILDKIT_LOG" buildkitd buildkit_answers
}

# Builds leave layers and cache mounts behind in both engines, and tests and benchmarks run many.
# When the disk they live on has less than MIN_FREE_GB free, both build caches are emptied (the
# images in dockerd and the registry stay): a build that runs out of space fails in ways that say
# nothing about the build.
MIN_FREE_GB=${GDC_MIN_FREE_GB:-10}
free_gb() { df -P -BG "$1" | awk 'NR == 2 { sub("G", "", $4); print $4 }'; }
prune_build_caches_when_low() {
  local free
  free=$(free_gb "$BUILDKIT_ROOT")
  [ "$free" -lt "$MIN_FREE_GB" ] || return 0
  say "only ${free} GB free on the disk of $BUILDKIT_ROOT: emptying the build caches of both engines"
  "$BUILDKIT_BIN/buildctl" --addr "$BUILDKIT_ADDR" prune --all >/dev/null
  "$LEGACY_DOCKER" builder prune --all --force >/dev/null
  say "$(free_gb "$BUILDKIT_ROOT") GB free after pruning"
}

# The builder is created, not made the default: `docker build` keeps meaning the docker driver
# of dockerd (the legacy engine), and everything meant for current BuildKit names this builder.
create_builder() {
  if docker buildx inspect "$BUILDER" >/dev/null 2>&1; then
    say "buildx builder $BUILDER exists"
  else
    docker buildx create --name "$BUILDER" --driver remote "$BUILDKIT_ADDR" >/dev/null
    say "created buildx builder $BUILDER (remote driver, $BUILDKIT_ADDR)"
  fi
  docker buildx inspect --bootstrap "$BUILDER" | grep -E '^(Name|Driver|BuildKit version):' | sed 's/^/engine setup:   /'
}

goproxy_answers() { bash -c "exec 3<>/dev/tcp/${GOPROXY_ADDR%:*}/${GOPROXY_ADDR#*:}" 2>/dev/null; }

# The modules the examples and bench/service need, fetched on the host through the real
# proxy; the module cache's download folder has exactly a proxy's layout.
start_goproxy() {
  local module
  for module in "$ROOT"/examples/*/go.mod "$ROOT"/bench/service/go.mod; do
    (cd "$(dirname "$module")" && go mod download)
  done
  local dir
  dir="$(go env GOMODCACHE)/cache/download"
  mkdir -p "$dir"
  if goproxy_answers; then
    say "Go module proxy already serving on http://$GOPROXY_ADDR"
    return
  fi
  say "serving $dir as the Go module proxy on http://$GOPROXY_ADDR (log: $GOPROXY_LOG)"
  start_background "$GOPROXY_LOG" node "$ROOT/scripts/engine/goproxy.mjs" "$dir" "$GOPROXY_ADDR"
  wait_until "$WAIT_SECONDS" "$GOPROXY_LOG" "the Go module proxy" goproxy_answers
}
