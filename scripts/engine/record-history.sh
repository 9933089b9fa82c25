#!/usr/bin/env bash
# Records the build-record archives under test/fixtures/records/ with plain
# `docker buildx build` on the gdc-buildkit builder and `docker buildx history
# export`. Needs the engine from setup.sh (BuildKit, buildx, golang:1.26).
# Usage: scripts/engine/record-history.sh [--failing-only]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$ROOT/test/fixtures/records
OUT=$SRC
BUILDER=${GDC_BUILDER:-gdc-buildkit}
# A fixed place, so the records' context paths are the same on every recording.
WORK=/tmp/go-dockerfile-cache-records
rm -rf "$WORK"
mkdir -p "$WORK" "$OUT"
trap 'rm -rf "$WORK"' EXIT
cp -r "$SRC/app" "$SRC/failing" "$WORK/"

# Builds DIR and exports the build's record to OUT/NAME.dockerbuild.
record() {
  local name=$1 dir=$2; shift 2
  echo "recording $name.dockerbuild"
  docker buildx build --builder "$BUILDER" --progress=plain --metadata-file "$WORK/$name.json" "$@" "$dir" >"$WORK/$name.log" 2>&1 || true
  # A failed build writes no metadata file: then the builder's newest record named after DIR.
  local ref
  ref=$(docker buildx history ls --builder "$BUILDER" --format json | node -e '
    const fs = require("fs"), [meta, name] = process.argv.slice(1);
    if (fs.existsSync(meta)) { console.log(JSON.parse(fs.readFileSync(meta, "utf8"))["buildx.build.ref"]); process.exit(0); }
    const records = fs.readFileSync(0, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    console.log(records.filter((r) => r.name === name).sort((a, b) => b.created_at.localeCompare(a.created_at))[0].ref);
  ' "$WORK/$name.json" "$(basename "$dir")")
  docker buildx history export --builder "$BUILDER" -o "$OUT/$name.dockerbuild" "${ref##*/}"
}

if [ "${1:-}" != --failing-only ]; then
  record app-first "$WORK/app" --no-cache
  # A new greeting each time, so no earlier build of the edited file can be in the cache.
  sed -i "s/\"hello\"/\"hello, $(date +%s%N)\"/" "$WORK/app/main.go"
  record app-edited "$WORK/app"
fi
record failing "$WORK/failing" --no-cache
