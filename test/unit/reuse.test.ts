// An editor's analysis reuses the last version's findings for the stages an edit cannot have
// changed (server/src/analysis/reuse.ts). Whatever the edit, the findings must be exactly those of
// an analysis from scratch: checked over every rule fixture, the real-world corpus and generated
// multi-stage files, each edited line by line with lines of Go builds.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { analyze, type AnalysisResult } from '../../server/src/analysis/analyze';
import { parseDockerfile } from '../../server/src/analysis/model/model';
import { reusableFor, reuseKey, reuseScope } from '../../server/src/analysis/reuse';
import { editCases, servicesFile } from '../helpers/editCases';
import { FUZZ_SEED } from '../fuzz/arbitraries';
import { seededRandom } from '../robustness/session';

/** Lines an edit puts in place of another: Go steps, cache mounts, Go settings, copies. */
const GO_LINES = [
  'RUN go build -o /out/app .',
  'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app ./cmd/app',
  'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
  'RUN go mod download',
  'RUN go build -ldflags "-X main.version=$(git describe --tags)" -o /out/app .',
  'RUN make build',
  'ENV GOFLAGS=-mod=vendor',
  'ENV CGO_ENABLED=0',
  'ENV GOCACHE=/cache',
  'ARG VERSION',
  'USER 1000',
  'WORKDIR /src/app',
  'COPY . .',
  'COPY go.mod go.sum ./',
  'COPY --from=build /out/app /usr/local/bin/app',
  '',
];

/** Replaces one line with another line of the file or a Go line, keeping the line count. */
function edit(text: string, next: () => number): string {
  const lines = text.split('\n');
  const donors = [...lines.filter((l) => l.trim() !== '' && !l.includes('\r')), ...GO_LINES];
  const at = Math.floor(next() * lines.length);
  const cr = lines[at].endsWith('\r') ? '\r' : '';
  lines[at] = donors[Math.floor(next() * donors.length)] + cr;
  return lines.join('\n');
}

describe('re-analysis of an edited document', () => {
  it('finds exactly what an analysis from scratch finds, edit after edit', () => {
    const next = seededRandom(FUZZ_SEED);
    let checked = 0;
    for (const c of editCases()) {
      let previous: AnalysisResult = analyze(c.text, c.options);
      let text = c.text;
      for (let step = 0; step < 6; step++) {
        text = edit(text, next);
        const reused = analyze(text, { ...c.options, previous });
        const fresh = analyze(text, c.options);
        assert.deepEqual(reused.findings, fresh.findings, `${c.name}, after edit ${step + 1}:\n${text}`);
        previous = reused;
        checked++;
      }
    }
    assert.ok(checked > 1000, `${checked} edits checked`);
  });

  it('looks again only at the edited stage and the stages related to it', () => {
    const text = servicesFile(8);
    const before = parseDockerfile(text);
    const edited = text.replace('ENV BUILD_SERIAL=3', 'ENV BUILD_SERIAL=31');
    const after = parseDockerfile(edited);
    const key = reuseKey(undefined, {}, undefined);
    const scope = reuseScope({ key, model: before, byRule: new Map() }, after);
    // svc3 itself and the final image that copies its binary; the other services keep their findings.
    assert.deepEqual([...(scope?.stages ?? [])].sort((a, b) => a - b), [3, 8]);
  });

  it('analyses everything again when the stages change', () => {
    const text = servicesFile(3);
    const key = reuseKey(undefined, {}, undefined);
    const previous = { key, model: parseDockerfile(text), byRule: new Map() };
    for (const changed of [text.replace('AS svc1', 'AS other'), text.replace('FROM golang:1.22 AS svc2', 'FROM golang:1.23 AS svc2'), `ARG X\n${text}`, text.replace('COPY --from=svc1', 'COPY --from=svc0')]) {
      assert.equal(reuseScope(previous, parseDockerfile(changed)), undefined, changed);
    }
    assert.equal(reusableFor(previous, reuseKey(undefined, { rules: { GD003: 'off' } }, undefined)), undefined, 'other settings');
  });
});

describe('the model of an edited document', () => {
  it('takes over the stages the edit left as they were, and builds the others again', () => {
    const text = servicesFile(4);
    const before = parseDockerfile(text);
    const after = parseDockerfile(text.replace('ENV BUILD_SERIAL=1', 'ENV BUILD_SERIAL=11'), undefined, before);
    assert.deepEqual(after.stages.map((s, i) => s === before.stages[i]), [true, false, true, true, false]);
    // The final stage is built again: it reads the edited one.
    assert.equal(after.stages[1].instructions.find((i) => i.keyword === 'ENV')?.range.end.character, 'ENV BUILD_SERIAL=11'.length);
    assert.deepEqual(after.instructions.map((i) => i.position), after.instructions.map((_, i) => i));
    assert.deepEqual(after.stages[4].dependsOn, new Set(after.stages.slice(0, 4)));
  });

  it('builds every stage again when a FROM changes', () => {
    const text = servicesFile(3);
    const before = parseDockerfile(text);
    const after = parseDockerfile(text.replace('AS svc2', 'AS svc9'), undefined, before);
    assert.ok(after.stages.every((s, i) => s !== before.stages[i]));
  });
});

describe('memory over a long editing session', () => {
  it('keeps no earlier model alive through the stages the next models take over', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const text = servicesFile(8);
    let previous = analyze(text);
    const first = new WeakRef(previous.model);
    const replaced = new WeakRef(previous.model.stages[3]);
    for (let i = 0; i < 5; i++) previous = analyze(text.replace('ENV BUILD_SERIAL=3', `ENV BUILD_SERIAL=3${i}`), { previous });
    const firstStage = new WeakRef(previous.model.stages[0]);
    // A WeakRef read keeps its object alive until the end of the turn: each check comes after a
    // collection in a turn of its own. On a busy machine one collection may leave a model that is
    // only briefly held (by the engine, not by the analysis): a leak holds it through every round.
    const collected = async (ref: WeakRef<object>) => {
      for (let round = 0; round < 10; round++) {
        await new Promise((resolve) => setImmediate(resolve));
        gc();
        await new Promise((resolve) => setImmediate(resolve));
        if (ref.deref() === undefined) return true;
      }
      return false;
    };
    assert.ok(await collected(first), 'the first model is collected');
    assert.ok(await collected(replaced), 'and the edited stage it had');
    assert.ok(firstStage.deref(), 'while the stage the latest model took over from it lives on');
  });
});
