#!/usr/bin/env bash
# Records the BuildKit progress transcripts under test/fixtures/progress/ from
# real builds of the examples. Needs the daemon and image from setup.sh.
# Usage: scripts/engine/record-progress.sh [OUT_DIR]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/test/fixtures/progress}
DOCKER=/usr/bin/docker
WORK=$(mktemp -d /tmp/gdc-record.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

# Plain progress goes to stderr; the file holds exactly what a user's terminal shows.
build() {
  local name=$1; shift
  echo "recording $name.txt"
  DOCKER_BUILDKIT=1 "$DOCKER" build --progress=plain --network=host "$@" >"$OUT/$name.txt" 2>&1 || true
}

cp -r "$ROOT/examples/." "$WORK/"
# The transcripts are only meaningful next to the Dockerfiles that produced them.
for example in naive failing multistage; do cp "$ROOT/examples/$example/Dockerfile" "$OUT/$example.Dockerfile"; done

build naive-uncached --no-cache -t gdc-record-naive "$WORK/naive"
build naive-cached -t gdc-record-naive "$WORK/naive"
sed -i 's/name = "world"/name = "gopher"/' "$WORK/naive/main.go"
build naive-source-change -t gdc-record-naive "$WORK/naive"

build failing-run --no-cache "$WORK/failing"

build multistage-parallel --no-cache -t gdc-record-multistage "$WORK/multistage"
build multistage-build-arg --build-arg VERSION=1.2.3 -t gdc-record-multistage "$WORK/multistage"

# A single unnamed stage, to see how BuildKit names its steps.
cat >"$OUT/unnamed.Dockerfile" <<'EOF'
FROM golang:1.19
WORKDIR /src
COPY . .
RUN go build -o /out/app .
EOF
cp "$OUT/unnamed.Dockerfile" "$WORK/naive/unnamed.Dockerfile"
build unnamed-stage --no-cache -f "$WORK/naive/unnamed.Dockerfile" "$WORK/naive"

# Cancelled: interrupt the client the way the editor's Cancel does, once the
# long `go build` step has started.
echo "recording canceled.txt"
DOCKER_BUILDKIT=1 "$DOCKER" build --progress=plain --network=host --no-cache "$WORK/naive" >"$OUT/canceled.txt" 2>&1 &
client=$!
for _ in $(seq 1 600); do
  grep -q 'RUN go build' "$OUT/canceled.txt" && break
  sleep 0.1
done
sleep 1
kill -INT "$client"
wait "$client" || true

"$DOCKER" version --format 'client {{.Client.Version}}, server {{.Server.Version}}' >"$OUT/docker-version.txt"
echo "done: $OUT"
