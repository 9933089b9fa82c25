# The offline `golang:1.26` base image, made from the machine's own Go toolchain (no registry
# on the internet is reachable): imported into dockerd for the legacy engine and pushed to the
# loopback registry, buildkitd's docker.io mirror, for the current engine. Sourced by setup.sh.

IMAGE=golang:1.26
MIRRORED=$REGISTRY/library/$IMAGE
PACKAGES=(busybox-static libc6 ca-certificates)
# Bump when the recipe changes; the Go version is part of the label too, so a new toolchain on
# the machine rebuilds the image.
IMAGE_RECIPE=4

image_label() { printf '%s-%s' "$IMAGE_RECIPE" "$(go env GOVERSION)"; }

download_packages() {
  mkdir -p "$CACHE_DIR/debs"
  # apt drops privileges to _apt for downloads; let it write here.
  chown _apt "$CACHE_DIR/debs" 2>/dev/null || true
  local missing=() pkg
  for pkg in "${PACKAGES[@]}"; do
    compgen -G "$CACHE_DIR/debs/${pkg}_*.deb" >/dev/null || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return
  say "downloading ${missing[*]}"
  # apt-get download writes into the current directory and needs package lists.
  if ! (cd "$CACHE_DIR/debs" && flock /tmp/apt.lock apt-get download -qq "${missing[@]}"); then
    flock /tmp/apt.lock apt-get update -qq
    (cd "$CACHE_DIR/debs" && flock /tmp/apt.lock apt-get download -qq "${missing[@]}")
  fi
}

build_root() {
  local root=$1 pkg deb applet
  for pkg in "${PACKAGES[@]}"; do
    for deb in "$CACHE_DIR/debs/${pkg}"_*.deb; do dpkg -x "$deb" "$root"; done
  done
  mkdir -p "$root/bin" "$root/usr/bin" "$root/usr/local" "$root/etc" "$root/root" "$root/tmp" "$root/go/bin" "$root/go/src"
  chmod 1777 "$root/tmp"
  [ -x "$root/bin/busybox" ] || fail "busybox-static did not provide /bin/busybox"
  # Relative links so they resolve inside the image, not on this host.
  for applet in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$applet" ] || [ -L "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  cp -a "$(go env GOROOT)" "$root/usr/local/go"
  # What update-ca-certificates would write; dpkg -x runs no maintainer scripts. Multi-stage
  # Dockerfiles copy this bundle into scratch images, as they do from the official golang image.
  mkdir -p "$root/etc/ssl/certs"
  cat "$root"/usr/share/ca-certificates/mozilla/*.crt >"$root/etc/ssl/certs/ca-certificates.crt"
  # And the machine's own authorities (/usr/local/share/ca-certificates, as update-ca-certificates
  # adds them), as a company image adds its egress proxy's: with them, `go mod download` in a
  # build reaches the public module proxy the way it does on the host.
  local local_ca
  for local_ca in /usr/local/share/ca-certificates/*.crt; do
    [ -f "$local_ca" ] && cat "$local_ca" >>"$root/etc/ssl/certs/ca-certificates.crt"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

# The official image's settings: GOPATH, GOTOOLCHAIN=local (never download another Go), PATH
# and WORKDIR.
import_image() {
  local label=$1 root
  download_packages
  root=$(mktemp -d /tmp/gdc-engine-root.XXXXXX)
  say "assembling the $IMAGE root filesystem in $root"
  build_root "$root"
  say "importing $IMAGE into dockerd"
  tar -C "$root" -c . | "$LEGACY_DOCKER" import \
    -c "ENV GOLANG_VERSION=$(go env GOVERSION | sed 's/^go//')" \
    -c 'ENV GOTOOLCHAIN=local' \
    -c 'ENV GOPATH=/go' \
    -c 'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'WORKDIR /go' \
    -c "LABEL gdc.engine.version=$label" \
    - "$IMAGE" >/dev/null
  rm -rf "$root"
  say "image $IMAGE created ($("$LEGACY_DOCKER" image inspect -f '{{.Size}}' "$IMAGE") bytes)"
}

create_base_image() {
  local label present id stamp
  label=$(image_label)
  present=$("$LEGACY_DOCKER" image inspect -f '{{index .Config.Labels "gdc.engine.version"}}' "$IMAGE" 2>/dev/null || true)
  if [ "$present" = "$label" ]; then
    say "image $IMAGE ($label) present in dockerd"
  else
    [ -z "$present" ] || say "image $IMAGE is $present, rebuilding as $label"
    import_image "$label"
  fi
  # The registry keeps a note of the image it was given, so a rebuilt image is pushed again.
  id=$("$LEGACY_DOCKER" image inspect -f '{{.Id}}' "$IMAGE")
  stamp=$REGISTRY_ROOT/.pushed-${IMAGE/:/-}
  if [ "$(cat "$stamp" 2>/dev/null)" = "$id" ]; then
    say "$MIRRORED up to date"
    return
  fi
  say "pushing $IMAGE to $MIRRORED"
  "$LEGACY_DOCKER" tag "$IMAGE" "$MIRRORED"
  "$LEGACY_DOCKER" push --quiet "$MIRRORED" >/dev/null
  echo "$id" >"$stamp"
}
