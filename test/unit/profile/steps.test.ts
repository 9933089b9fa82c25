// How BuildKit's step names map to Dockerfile instructions: its per-stage counting, its stage
// labels, and the text fallback when the counts no longer agree.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { matchStep, parseStepName, planSteps, sameInstruction } from '../../../server/src/profile/steps';

const MULTI = `ARG GO=1.19
FROM golang:\${GO} AS base
ENV CGO_ENABLED=0
WORKDIR /src

FROM base AS build
ARG VERSION
COPY . .
RUN go build \\
    -ldflags "-X main.version=\${VERSION}" \\
    -o /out/app .

FROM scratch
COPY --from=build /out/app /app
`;

describe('BuildKit step names', () => {
  it('reads stage, platform, position and text', () => {
    assert.deepEqual(parseStepName('[build 3/5] RUN go mod download'), { stage: 'build', index: 3, total: 5, text: 'RUN go mod download' });
    assert.deepEqual(parseStepName('[ 3/10] COPY . .'), { index: 3, total: 10, text: 'COPY . .' });
    assert.deepEqual(parseStepName('[linux/amd64 build 2/4] WORKDIR /src'), { platform: 'linux/amd64', stage: 'build', index: 2, total: 4, text: 'WORKDIR /src' });
    assert.deepEqual(parseStepName('[linux/arm64 3/3] RUN true'), { platform: 'linux/arm64', index: 3, total: 3, text: 'RUN true' });
    assert.equal(parseStepName('[internal] load build context'), undefined);
    assert.equal(parseStepName('exporting to image'), undefined);
  });
});

describe('step plan', () => {
  it('counts FROM of an external image, ADD, COPY, RUN and WORKDIR per stage; ARG and ENV get no step', () => {
    const plan = planSteps(MULTI);
    assert.deepEqual(plan.stages.map((s) => [s.name, s.steps.map((p) => `${p.index}/${p.total} ${p.keyword}@${p.line}`)]), [
      ['base', ['1/2 FROM@1', '2/2 WORKDIR@3']],
      ['build', ['1/2 COPY@7', '2/2 RUN@8']],
      [undefined, ['1/1 COPY@13']],
    ]);
    const run = plan.steps.find((s) => s.keyword === 'RUN')!;
    assert.equal(run.endLine, 10);
    assert.equal(run.instruction, 'RUN go build -ldflags "-X main.version=${VERSION}" -o /out/app .');
  });

  it('maps names by stage and count, including stage-N for unnamed stages', () => {
    const plan = planSteps(MULTI);
    const line = (name: string) => matchStep(plan, parseStepName(name)!)?.line;
    assert.equal(line('[build 2/2] RUN go build -ldflags "-X main.version=1.2.3" -o /out/app .'), 8);
    assert.equal(line('[base 2/2] WORKDIR /src'), 3);
    assert.equal(line('[stage-2 1/1] COPY --from=build /out/app /app'), 13);
    assert.equal(line('[linux/amd64 base 1/2] FROM docker.io/library/golang:1.19'), 1);
  });

  it('falls back to the instruction text when the counts disagree', () => {
    const plan = planSteps(MULTI);
    assert.equal(matchStep(plan, parseStepName('[build 3/3] RUN go build -ldflags "-X main.version=dev" -o /out/app .')!)?.line, 8);
    assert.equal(matchStep(plan, parseStepName('[build 4/4] RUN echo gone')!), undefined);
  });

  it('matches expanded variables and names cut short with ...', () => {
    assert.ok(sameInstruction('RUN go build -ldflags "-X main.version=1.2.3" -o /out/app .', 'RUN go build -ldflags "-X main.version=${VERSION}" -o /out/app .'));
    assert.ok(sameInstruction('RUN go build -ldflags "-X main.ver...', 'RUN go build -ldflags "-X main.version=${VERSION}" -o /out/app .'));
    assert.ok(!sameInstruction('RUN go test ./...', 'RUN go build ./...'));
    assert.ok(!sameInstruction('COPY . .', 'RUN . .'));
  });

  it('never throws on text that is not a Dockerfile', () => {
    for (const text of ['', '\u0000\u0001', 'RUN before any FROM', 'FROM', 'FROM scratch\nCOPY', '\\\n\\\n']) {
      const plan = planSteps(text);
      assert.ok(Array.isArray(plan.steps));
    }
  });
});
