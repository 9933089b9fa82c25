#!/usr/bin/env bash
# Toxiproxy for the CI rebuild benchmark (bench/ci.ts): a CI runner reaches the Go module proxy and
# its cache backend over a network, so the benchmark puts Toxiproxy between the builds and both:
#   127.0.0.1:5101 -> the loopback Go module proxy 127.0.0.1:5001 (scripts/engine/setup.sh)
#   127.0.0.1:5100 -> the loopback registry 127.0.0.1:5000, the --cache-to/--cache-from backend
# BuildKit talks plain HTTP to loopback registries. Idempotent; installs toxiproxy from the Go
# module proxy (github.com/Shopify/toxiproxy/v2) when it is missing. The API listens on 127.0.0.1:8474.
set -euo pipefail

TOXIPROXY_VERSION=${TOXIPROXY_VERSION:-v2.5.0}
BIN_DIR=${TOXIPROXY_BIN_DIR:-/var/cache/gdc-engine/toxiproxy-$TOXIPROXY_VERSION}
LOG=${TOXIPROXY_LOG:-/var/log/gdc-toxiproxy.log}
API=http://127.0.0.1:8474

if [ ! -x "$BIN_DIR/server" ]; then
  echo "toxiproxy: installing $TOXIPROXY_VERSION into $BIN_DIR"
  mkdir -p "$BIN_DIR"
  GOBIN="$BIN_DIR" go install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION"
fi

if ! curl -fsS "$API/version" >/dev/null 2>&1; then
  echo "toxiproxy: starting (log: $LOG)"
  nohup "$BIN_DIR/server" -host 127.0.0.1 -port 8474 >"$LOG" 2>&1 &
  for _ in $(seq 1 50); do curl -fsS "$API/version" >/dev/null 2>&1 && break; sleep 0.1; done
fi

proxy() {
  local name=$1 listen=$2 upstream=$3
  if ! curl -fsS "$API/proxies/$name" >/dev/null 2>&1; then
    curl -fsS -X POST "$API/proxies" -d "{\"name\":\"$name\",\"listen\":\"$listen\",\"upstream\":\"$upstream\",\"enabled\":true}" >/dev/null
  fi
}
proxy gdc-goproxy 127.0.0.1:5101 127.0.0.1:5001
proxy gdc-registry 127.0.0.1:5100 127.0.0.1:5000
echo "toxiproxy: $(curl -fsS "$API/version") with proxies gdc-goproxy (127.0.0.1:5101) and gdc-registry (127.0.0.1:5100)"
