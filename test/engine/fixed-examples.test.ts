// Every Dockerfile that `fix` writes for examples/ must build for real, on current BuildKit and on
// the legacy engine: a fix that breaks the build is worse than the slow build it replaced.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExample, CURRENT_RAWJSON, engineSkip, exampleNames, fixedDockerfile, LEGACY_PLAIN, profile } from './engine';

/** Examples that fail on purpose, and the instruction they must fail at, fixed or not. */
const FAILS_BY_DESIGN: Record<string, string> = { failing: 'RUN go test ./...' };

for (const engine of [CURRENT_RAWJSON, LEGACY_PLAIN]) {
  describe(`Dockerfiles produced by fix build for real on ${engine.label}`, { skip: engineSkip(engine) }, () => {
    for (const name of exampleNames()) {
      it(`${engine.name}: examples/${name}`, async () => {
        const dir = copyExample(name);
        const fixed = fixedDockerfile(dir);
        fs.writeFileSync(path.join(dir, 'Dockerfile'), fixed);
        const result = await profile(engine, dir);
        const failed = result.steps.filter((s) => s.state === 'error');
        const expected = FAILS_BY_DESIGN[name];
        if (expected === undefined) {
          assert.equal(result.summary.exitCode, 0, `fixed Dockerfile failed: ${result.summary.error}\n${fixed}`);
          assert.deepEqual(failed, []);
          assert.ok(result.steps.every((s) => s.state === 'cached' || s.state === 'done'), JSON.stringify(result.steps.map((s) => [s.instruction, s.state])));
        } else {
          assert.equal(failed.length, 1, `${name} fails at exactly one step:\n${fixed}`);
          assert.ok(failed[0].instruction.endsWith(expected.replace(/^RUN /, '')), `${name} fails at "${expected}", not at "${failed[0].instruction}"`);
        }
      });
    }
  });
}
