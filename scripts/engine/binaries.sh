# BuildKit (buildkitd, buildctl) and buildx built with the machine's Go from the Go module
# proxy, cached by version under $CACHE_DIR. Sourced by setup.sh.

# buildkit's go.mod has `exclude` directives, so `go install module@version` refuses it: build
# from a writable copy of the module's source instead.
build_buildkit() {
  if [ -x "$BUILDKIT_BIN/buildkitd" ] && [ -x "$BUILDKIT_BIN/buildctl" ] \
    && "$BUILDKIT_BIN/buildkitd" --version 2>/dev/null | grep -q " $BUILDKIT_VERSION "; then
    say "BuildKit $BUILDKIT_VERSION cached in $BUILDKIT_BIN"
    return
  fi
  say "building BuildKit $BUILDKIT_VERSION from the Go module proxy (a few minutes)"
  local started=$SECONDS dir src out
  dir=$(go mod download -json "github.com/moby/buildkit@$BUILDKIT_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$dir" ] || fail "go mod download did not give the source of buildkit $BUILDKIT_VERSION"
  src=$CACHE_DIR/src/buildkit-$BUILDKIT_VERSION
  rm -rf "$src" && mkdir -p "$CACHE_DIR/src" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  out=$(mktemp -d "$CACHE_DIR/.buildkit.XXXXXX")
  (cd "$src" && nice go build -ldflags "-X github.com/moby/buildkit/version.Version=$BUILDKIT_VERSION" -o "$out/" ./cmd/buildkitd ./cmd/buildctl)
  rm -rf "$BUILDKIT_BIN" && mv "$out" "$BUILDKIT_BIN" && chmod 755 "$BUILDKIT_BIN"
  say "BuildKit $BUILDKIT_VERSION built in $((SECONDS - started))s"
}

build_buildx() {
  if [ -x "$BUILDX_BIN/buildx" ] && "$BUILDX_BIN/buildx" version 2>/dev/null | grep -q " $BUILDX_VERSION "; then
    say "buildx $BUILDX_VERSION cached in $BUILDX_BIN"
    return
  fi
  say "building buildx $BUILDX_VERSION from the Go module proxy (a few minutes)"
  local started=$SECONDS out
  out=$(mktemp -d "$CACHE_DIR/.buildx.XXXXXX")
  GOBIN=$out nice go install -ldflags "-X github.com/docker/buildx/version.Version=$BUILDX_VERSION" "github.com/docker/buildx/cmd/buildx@$BUILDX_VERSION"
  rm -rf "$BUILDX_BIN" && mv "$out" "$BUILDX_BIN" && chmod 755 "$BUILDX_BIN"
  say "buildx $BUILDX_VERSION built in $((SECONDS - started))s"
}

# Both docker clients (/usr/local/bin/docker 28.2.2 and Debian's /usr/bin/docker 20.10) look
# for CLI plugins in this system folder.
install_buildx_plugin() {
  mkdir -p "$PLUGIN_DIR"
  if ! cmp -s "$BUILDX_BIN/buildx" "$PLUGIN_DIR/docker-buildx"; then
    install -m 755 "$BUILDX_BIN/buildx" "$PLUGIN_DIR/docker-buildx"
  fi
  ln -sf "$BUILDKIT_BIN/buildctl" /usr/local/bin/buildctl
  ln -sf "$BUILDKIT_BIN/buildkitd" /usr/local/bin/buildkitd
  say "buildx plugin: $(docker buildx version)"
}
