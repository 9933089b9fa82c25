// Hover on the name of a Go variable set by ENV or ARG: what Go does with it, and what setting it
// there means for the build.
import { effectiveGoEnv } from '../../analysis/go/goenv';
import type { ArgInstruction, EnvInstruction, InstructionModel } from '../../analysis/model/model';
import { code, lineRef } from './markdown';
import { laterSteps } from './stepInputs';

export const GO_VARIABLE_DOCS: Readonly<Record<string, string>> = {
  GOCACHE: 'Where `go build`, `go test` and `go vet` keep compiled packages and test results. Default `$XDG_CACHE_HOME/go-build`, else `$HOME/.cache/go-build`. A `--mount=type=cache` must target this directory for rebuilds to recompile only what changed.',
  GOMODCACHE: 'Where downloaded modules are stored. Default `$GOPATH/pkg/mod`. Either keep it in a layer filled by `go mod download` right after copying only `go.mod` and `go.sum`, or put a `--mount=type=cache` on it.',
  GOPATH: 'Go\'s workspace root. Its first entry decides the default module cache (`$GOPATH/pkg/mod`) and where `go install` puts binaries (`$GOPATH/bin`). Default `$HOME/go`; the official golang images set `/go`.',
  GOFLAGS: 'Flags added to every go command, such as `-mod=vendor`, `-trimpath` or `-buildvcs=false`. A flag given on the command line wins over the same flag here.',
  GOPROXY: 'The module proxies `go` downloads from, in order (default `https://proxy.golang.org,direct`). `direct` fetches from version control, which needs git in the image; `off` forbids downloads, so every module must already be in the module cache or vendored.',
  GOPRIVATE: 'Module path patterns fetched directly from version control, skipping the proxy and the checksum database. Private modules usually need credentials: pass them with `--mount=type=secret`, never with ENV or ARG, which end up in the image or its history.',
  CGO_ENABLED: 'Whether the build uses cgo. `1` links the binary against the C library of the build image (glibc in `golang`, musl in `golang:*-alpine`), so it does not start on `scratch` or distroless static. `0` gives a static binary. Go\'s default is `1` when a C compiler is on the PATH, `0` otherwise.',
  GOOS: 'The operating system to build for. With `FROM --platform=$BUILDPLATFORM` and `GOOS=$TARGETOS`, Go cross-compiles natively instead of running under emulation.',
  GOARCH: 'The architecture to build for. With `FROM --platform=$BUILDPLATFORM` and `GOARCH=$TARGETARCH`, Go cross-compiles natively instead of running the whole toolchain under emulation.',
  GOBIN: 'Where `go install` writes binaries. Default `$GOPATH/bin`.',
  GOTOOLCHAIN: 'Which Go toolchain to use. `auto` (the default) downloads a newer toolchain when `go.mod` asks for one, on every build without a module cache mount; `local` always uses the image\'s Go.',
  GOWORK: 'The `go.work` file to use, or `off` to ignore workspaces. A `go.work` copied into the image changes which modules a build reads.',
  GOSUMDB: 'The checksum database that verifies downloaded modules (default `sum.golang.org`). `off` skips verification.',
  GONOSUMDB: 'Module path patterns not checked against the checksum database.',
  GONOPROXY: 'Module path patterns fetched directly, not through GOPROXY.',
  GOINSECURE: 'Module path patterns that may be fetched over plain HTTP.',
  GO111MODULE: 'Module mode switch from the GOPATH era; modules are on by default since Go 1.16.',
  GOEXPERIMENT: 'Experimental toolchain features to enable; it changes how everything compiles, so the build cache is not shared with builds that set it differently.',
};

const SHOWN_IN_ENV = new Set(['GOPATH', 'GOMODCACHE', 'GOCACHE', 'CGO_ENABLED']);

function effectNote(instruction: InstructionModel, name: string): string | undefined {
  if (!SHOWN_IN_ENV.has(name)) return undefined;
  // What Go will use on the next step, derived values included (GOPATH moves GOMODCACHE along).
  const next = instruction.stage?.instructions.find((i) => i.position > instruction.position);
  if (!next) return undefined;
  const env = effectiveGoEnv(next);
  const value = env[name as 'GOPATH' | 'GOMODCACHE' | 'GOCACHE' | 'CGO_ENABLED'];
  return `After this line ${name} is ${code(value.value)}${name === 'GOPATH' ? ` and GOMODCACHE ${code(env.GOMODCACHE.value)}` : ''}.`;
}

export function goVariableHover(instruction: EnvInstruction | ArgInstruction, name: string): string | undefined {
  const doc = GO_VARIABLE_DOCS[name];
  if (!doc) return undefined;
  const parts = [`**${code(name)}** (${instruction.keyword} on ${lineRef(instruction.range.start.line)})`, doc];
  const effect = effectNote(instruction, name);
  if (effect) parts.push(effect);
  const later = laterSteps(instruction);
  if (instruction.keyword === 'ARG') {
    parts.push(`A build arg: a different \`--build-arg ${name}=…\` reruns every RUN after this line in the stage. It is not kept in the image.`);
  } else if (later) {
    parts.push(`Changing this value reruns every later step of its stage: ${later}.`);
  }
  return parts.join('\n\n');
}
