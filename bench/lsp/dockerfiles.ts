// The Dockerfiles the latency benchmark edits. Each has one `ENV BUILD_SERIAL=0000` line; an
// edit rewrites its four digits, as typing a version number would.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const EDIT_MARKER = 'BUILD_SERIAL=';

/** A typical Go service Dockerfile (30 lines) with the usual cache problems in it. */
export const TYPICAL = `# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22
FROM golang:\${GO_VERSION} AS build
ARG GIT_COMMIT
ENV CGO_ENABLED=0 \\
    GOOS=linux
WORKDIR /src
COPY . .
ENV ${EDIT_MARKER}0000
RUN go mod download
RUN go build -ldflags "-X main.commit=\${GIT_COMMIT}" -o /out/server ./cmd/server
RUN go build -o /out/migrate ./cmd/migrate

FROM golang:\${GO_VERSION} AS test
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build go test ./...

FROM alpine:3.19
RUN apk add --no-cache ca-certificates tzdata
COPY --from=build /out/server /usr/local/bin/server
COPY --from=build /out/migrate /usr/local/bin/migrate
ENV PORT=8080
EXPOSE 8080
USER 65532:65532
HEALTHCHECK CMD wget -qO- http://localhost:8080/healthz || exit 1
ENTRYPOINT ["server"]
CMD ["--config", "/etc/server.yaml"]
`;

/** Build stages of 19 instructions each plus a runtime stage that collects their binaries: 1,000 instructions. */
export function generatedMultiStage(instructions = 1000): string {
  const stage = (n: number) => [
    `FROM golang:1.22 AS svc${n}`,
    `ARG SERVICE_${n}_VERSION=dev`,
    `ENV GOFLAGS=-mod=readonly CGO_ENABLED=0`,
    `WORKDIR /src/svc${n}`,
    `COPY svc${n}/go.mod svc${n}/go.sum ./`,
    `RUN go mod download`,
    `COPY svc${n}/ ./`,
    `COPY shared/ /src/shared/`,
    `RUN go vet ./...`,
    `RUN --mount=type=cache,target=/root/.cache/go-build go test ./...`,
    `RUN go build -trimpath -ldflags "-X main.version=\${SERVICE_${n}_VERSION}" -o /out/svc${n} ./cmd/svc${n}`,
    `RUN go build -o /out/svc${n}-admin ./cmd/admin`,
    `LABEL org.example.service${n}=svc${n}`,
    `ENV SVC${n}_PORT=${8000 + n}`,
    `RUN mkdir -p /out/config/svc${n}`,
    `COPY config/svc${n}.yaml /out/config/svc${n}/`,
    `RUN echo svc${n} > /out/config/svc${n}/name`,
    `WORKDIR /out`,
    `RUN ls -la /out`,
  ];
  const perStage = stage(0).length;
  // Room for the edited line and the runtime stage's FROM, USER and ENTRYPOINT.
  const stages = Math.floor((instructions - 4) / (perStage + 1));
  const lines: string[] = [];
  for (let n = 0; n < stages; n++) lines.push(...stage(n), '');
  // The edited line sits in the middle of the file.
  const middle = lines.findIndex((l, i) => i >= lines.length / 2 && l.startsWith('ENV GOFLAGS'));
  lines.splice(middle + 1, 0, `ENV ${EDIT_MARKER}0000`);
  lines.push('FROM gcr.io/distroless/static-debian12', ...Array.from({ length: stages }, (_, n) => `COPY --from=svc${n} /out/svc${n} /usr/local/bin/`));
  for (let n = countInstructions(lines.join('\n')); n < instructions - 2; n++) lines.push(`LABEL org.example.extra${n}=value${n}`);
  lines.push('USER 65532:65532', 'ENTRYPOINT ["/usr/local/bin/svc0"]', '');
  return lines.join('\n');
}

export function countInstructions(text: string): number {
  return text.split('\n').filter((l) => /^[A-Z]+\s/.test(l)).length;
}

/** A build stage whose every line costs something: GD001, GD003, GD009 and GD018 (GD004, GD010, GD012, GD013, GD016 besides). */
function slowStageWithBuildCacheMissing(n: number): string[] {
  return [
    `FROM golang:1.22 AS svc${n}`,
    `WORKDIR /src/svc${n}`,
    'COPY . .',
    'RUN go mod download',
    `RUN go build -ldflags "-X main.built=$(date +%s)" -o /out/svc${n} ./cmd/server`,
    'RUN useradd -m builder',
    'USER builder',
    'RUN --mount=type=cache,target=/home/builder/.cache/go-build go vet ./...',
  ];
}

/**
 * A build stage with GD001, GD005, GD009 and GD018. GD003 is not among them: it stays silent in a
 * stage whose Go cache mount is misdirected (GD005 says what to fix there), so the two rules take
 * turns between stages.
 */
function slowStageWithMisdirectedMount(n: number): string[] {
  return [
    `FROM golang:1.22 AS svc${n}`,
    'RUN useradd -m builder',
    'USER builder',
    `WORKDIR /home/builder/svc${n}`,
    'COPY . .',
    'RUN --mount=type=cache,target=/tmp/gomod go mod download',
    `RUN go build -ldflags "-X main.built=$(date +%s)" -o /out/svc${n} ./cmd/server`,
  ];
}

/**
 * A multi-stage Go Dockerfile of exactly `lines` lines (at least 13) where every build stage has
 * findings: GD001, GD009 and GD018 in each, GD003 and GD005 in every other one.
 */
export function findingsHeavy(lines: number): string {
  const final = (stages: number) => ['FROM gcr.io/distroless/static-debian12', ...Array.from({ length: stages }, (_, n) => `COPY --from=svc${n} /out/svc${n} /usr/local/bin/`), 'USER 65532:65532', 'ENTRYPOINT ["/usr/local/bin/svc0"]'];
  const stage = (n: number) => (n % 2 === 0 ? slowStageWithBuildCacheMissing(n) : slowStageWithMisdirectedMount(n));
  const body: string[] = [];
  let stages = 0;
  for (;;) {
    const next = [...stage(stages), ''];
    // +1 for the edited line, +1 for the final stage's COPY of this stage.
    if (stages > 0 && body.length + next.length + 1 + final(stages + 1).length > lines) break;
    body.push(...next);
    stages++;
  }
  if (stages === 1) body.pop();
  const middle = body.findIndex((l, i) => i >= (stages > 1 ? body.length / 2 : 0) && l === 'COPY . .');
  body.splice(middle + 1, 0, `ENV ${EDIT_MARKER}0000`);
  const tail = final(stages);
  const padding = Array.from({ length: Math.max(0, lines - body.length - tail.length) }, (_, i) => `LABEL org.example.layer${i}=value${i}`);
  tail.splice(1, 0, ...padding);
  return `${[...body, ...tail].join('\n')}\n`;
}

/** A project folder for the Dockerfile, so that context-aware analysis has a go.mod and sources to look at. */
export function writeProject(dir: string, dockerfile: string): string {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'cmd/server'), { recursive: true });
  // One required module, so that `go mod download` has something to download and GD001 a cost to report.
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n');
  fs.writeFileSync(path.join(dir, 'go.sum'), 'github.com/google/uuid v1.6.0 h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=\ngithub.com/google/uuid v1.6.0/go.mod h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=\n');
  fs.writeFileSync(path.join(dir, 'cmd/server/main.go'), 'package main\n\nimport _ "github.com/google/uuid"\n\nfunc main() {}\n');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  return path.join(dir, 'Dockerfile');
}
