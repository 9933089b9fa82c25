// What GD028 (layer-cache-disabled) tells users rests on how BuildKit treats --no-cache: no layer
// is reused, and a cache mount starts empty too, so no mount can stand in for the layer cache.
// Checked here on the current engine, the one users build with.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BUILDER, CURRENT_PLAIN, engineSkip, IMAGE, project, unique } from './engine';

/** Builds `dir` with buildx on the current engine; returns what the probe step printed. */
function probe(dir: string, bust: string, noCache: boolean): string {
  const args = ['buildx', 'build', '--builder', BUILDER, '--progress=plain', '--build-arg', `BUST=${bust}`, ...(noCache ? ['--no-cache'] : []), dir];
  const run = spawnSync('docker', args, { encoding: 'utf8', timeout: 10 * 60_000 });
  const output = `${run.stdout}${run.stderr}`;
  assert.equal(run.status, 0, output);
  const seen = /files in the mount: (\d+)/.exec(output);
  assert.ok(seen, `the probe step printed nothing:\n${output}`);
  return seen[1];
}

describe(`--no-cache on ${CURRENT_PLAIN.label}`, { skip: engineSkip(CURRENT_PLAIN) }, () => {
  it('gives a cache mount a fresh empty directory, which the builds after it with the cache do not see', () => {
    // The mount's id is not part of a step's cache key, its ARGs are: every value is new to the builder.
    const run = unique();
    const id = `gdc-no-cache-probe-${run}`;
    const dir = project({
      Dockerfile: [
        `FROM ${IMAGE}`,
        'ARG BUST',
        `RUN --mount=type=cache,target=/probe,id=${id} sh -c 'echo "files in the mount: $(ls /probe | wc -l) ($BUST)"; touch /probe/$BUST'`,
        '',
      ].join('\n'),
    });
    assert.equal(probe(dir, `first-${run}`, false), '0', 'a new mount starts empty');
    assert.equal(probe(dir, `second-${run}`, false), '1', 'with the cache, the mount keeps what the first build wrote');
    assert.equal(probe(dir, `third-${run}`, true), '0', '--no-cache: the mount starts empty');
    assert.notEqual(probe(dir, `fourth-${run}`, false), '0', 'with the cache again, the kept mount is back');
  });
});
