#!/usr/bin/env bash
# Records the BuildKit progress transcripts under test/fixtures/progress/ from real builds of
# the examples. Needs the engines, images and registry from setup.sh.
# Usage: scripts/engine/record-progress.sh [legacy|current] [OUT_DIR]
#   legacy   Debian's docker 20.10 (BuildKit v0.8), plain progress → test/fixtures/progress/
#   current  BuildKit v0.34.2 through buildx v0.38.2 (builder gdc-buildkit), plain and rawjson
#            → test/fixtures/progress/current/
set -euo pipefail

ENGINE=${1:-legacy}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
case $ENGINE in
  legacy) OUT=${2:-$ROOT/test/fixtures/progress} ;;
  current) OUT=${2:-$ROOT/test/fixtures/progress/current} ;;
  *) echo "usage: $0 [legacy|current] [OUT_DIR]" >&2; exit 2 ;;
esac
WORK=$(mktemp -d /tmp/gdc-record.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

# The file holds exactly what a user's terminal shows (plain progress goes to stderr; rawjson
# too, one JSON object a line, among buildx's own messages).
record() {
  local file=$1 progress=$2; shift 2
  echo "recording $file"
  if [ "$ENGINE" = legacy ]; then
    DOCKER_BUILDKIT=1 /usr/bin/docker build --progress=plain --network=host "$@" >"$OUT/$file" 2>&1 || true
  else
    docker buildx build --builder gdc-buildkit --progress="$progress" --network=host "$@" >"$OUT/$file" 2>&1 || true
  fi
}

# Every transcript in both formats on the current engine; plain only on the legacy one.
build() {
  local name=$1; shift
  record "$name.txt" plain "$@"
  if [ "$ENGINE" = current ]; then record "$name.jsonl" rawjson "$@"; fi
}

cp -r "$ROOT/examples/." "$WORK/"
# The transcripts are only meaningful next to the Dockerfiles that produced them.
for example in naive failing multistage; do cp "$ROOT/examples/$example/Dockerfile" "$OUT/$example.Dockerfile"; done

if [ "$ENGINE" = current ]; then
  # Each format's uncached build must really run, so each gets a context no build has seen.
  uncached() {
    local name=$1 dir=$2; shift 2
    sed -i "\$a // recorded $(date +%s%N)" "$dir/main.go" 2>/dev/null || true
    record "$name.txt" plain --no-cache "$@" "$dir"
    record "$name.jsonl" rawjson --no-cache "$@" "$dir"
  }
  uncached naive-uncached "$WORK/naive"
  build naive-cached "$WORK/naive"
  sed -i 's/name = "world"/name = "gopher"/' "$WORK/naive/main.go"
  record naive-source-change.txt plain "$WORK/naive"
  sed -i 's/name = "gopher"/name = "gophers"/' "$WORK/naive/main.go"
  record naive-source-change.jsonl rawjson "$WORK/naive"
  build failing-run --no-cache "$WORK/failing"
  build multistage-parallel --no-cache "$WORK/multistage"
  # A value neither format's build has seen, so each recording misses from the ARG on.
  record multistage-build-arg.txt plain --build-arg VERSION=1.2.3 "$WORK/multistage"
  record multistage-build-arg.jsonl rawjson --build-arg VERSION=1.2.4 "$WORK/multistage"

  # What current BuildKit adds: heredocs, a cross build for another platform and a warning
  # from the Dockerfile checks.
  mkdir -p "$WORK/heredoc" "$WORK/platform" "$WORK/warning"
  cat >"$OUT/heredoc.Dockerfile" <<'DOCKERFILE'
FROM golang:1.26
WORKDIR /src
RUN <<EOT
echo one
echo two
EOT
RUN go version
DOCKERFILE
  cat >"$OUT/platform.Dockerfile" <<'DOCKERFILE'
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
ARG TARGETARCH
RUN GOARCH=$TARGETARCH go env GOARCH > /arch && cat /arch

FROM scratch
COPY --from=build /arch /arch
DOCKERFILE
  cat >"$OUT/warning.Dockerfile" <<'DOCKERFILE'
FROM golang:1.26 as build
RUN go version

FROM scratch
COPY --from=build /usr/local/go/VERSION /VERSION
DOCKERFILE
  for case in heredoc platform warning; do cp "$OUT/$case.Dockerfile" "$WORK/$case/Dockerfile"; done
  build heredoc --no-cache "$WORK/heredoc"
  build platform --no-cache --platform linux/arm64 "$WORK/platform"
  build warning --no-cache "$WORK/warning"

  cancel() {
    local file=$1 progress=$2
    echo "recording $file"
    docker buildx build --builder gdc-buildkit --progress="$progress" --network=host --no-cache "$WORK/naive" >"$OUT/$file" 2>&1 &
    local client=$!
    # rawjson lists every step before it starts; wait for go build to have started.
    for _ in $(seq 1 600); do
      grep -qE 'RUN go build -o /out/app \.$|RUN go build -o /out/app \.","started"' "$OUT/$file" && break
      sleep 0.1
    done
    sleep 2
    kill -INT "$client" 2>/dev/null || true
    wait "$client" || true
  }
  cancel canceled.txt plain
  cancel canceled.jsonl rawjson
  { docker version --format 'client {{.Client.Version}}, server {{.Server.Version}}'
    docker buildx version
    docker buildx inspect gdc-buildkit | grep -E '^(Driver|BuildKit version):'; } >"$OUT/docker-version.txt"
  echo "done: $OUT"
  exit 0
fi

build naive-uncached --no-cache -t gdc-record-naive "$WORK/naive"
build naive-cached -t gdc-record-naive "$WORK/naive"
sed -i 's/name = "world"/name = "gopher"/' "$WORK/naive/main.go"
build naive-source-change -t gdc-record-naive "$WORK/naive"

build failing-run --no-cache "$WORK/failing"

build multistage-parallel --no-cache -t gdc-record-multistage "$WORK/multistage"
build multistage-build-arg --build-arg VERSION=1.2.3 -t gdc-record-multistage "$WORK/multistage"

# A single unnamed stage, to see how BuildKit names its steps.
cat >"$OUT/unnamed.Dockerfile" <<'DOCKERFILE'
FROM golang:1.26
WORKDIR /src
COPY . .
RUN go build -o /out/app .
DOCKERFILE
cp "$OUT/unnamed.Dockerfile" "$WORK/naive/unnamed.Dockerfile"
build unnamed-stage --no-cache -f "$WORK/naive/unnamed.Dockerfile" "$WORK/naive"

# Cancelled: interrupt the client the way the editor's Cancel does, once the
# long `go build` step has started.
echo "recording canceled.txt"
DOCKER_BUILDKIT=1 /usr/bin/docker build --progress=plain --network=host --no-cache "$WORK/naive" >"$OUT/canceled.txt" 2>&1 &
client=$!
for _ in $(seq 1 600); do
  grep -q 'RUN go build' "$OUT/canceled.txt" && break
  sleep 0.1
done
sleep 1
kill -INT "$client"
wait "$client" || true

/usr/bin/docker version --format 'client {{.Client.Version}}, server {{.Server.Version}}' >"$OUT/docker-version.txt"
echo "done: $OUT"
