// measure on current BuildKit: the bench service's naive Dockerfile against what fix makes of it,
// a tuned Dockerfile that has nothing to measure, a cancelled run that leaves nothing behind, and
// a finding carrying the seconds of a real profiled build.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../server/src/analysis/analyze';
import { diskContext } from '../../server/src/analysis/model/context';
import { withMeasuredCosts } from '../../server/src/features/measuredCost';
import { startMeasure } from '../../server/src/measure/measure';
import { measuredBuildFromSteps } from '../../client/src/measure/costText';
import { BUILDER, CURRENT_RAWJSON, ROOT, changeOneSourceLine, copyExample, engineSkip, eventually, processesRunning, profile } from './engine';
import { tempDir } from '../unit/profile/temp';

const GOPROXY = 'http://127.0.0.1:5001';

function benchService(): string {
  const dir = tempDir('gdc-engine-measure-');
  fs.cpSync(path.join(ROOT, 'bench', 'service'), dir, { recursive: true });
  fs.copyFileSync(path.join(dir, 'Dockerfile.naive'), path.join(dir, 'Dockerfile'));
  return dir;
}

/** What the builder still holds of a measure run: cache records whose description names the run. */
function leftOnBuilder(id: string): string[] {
  const du = spawnSync('docker', ['buildx', 'du', '--builder', BUILDER, '--verbose'], { encoding: 'utf8' });
  return du.stdout.split('\n').filter((line) => line.includes(id));
}

function measureTemps(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('gdc-measure-'));
}

describe(`measure on ${CURRENT_RAWJSON.label}`, { skip: engineSkip(CURRENT_RAWJSON) }, () => {
  it('the bench service: the fixed Dockerfile rebuilds more than 5 times faster, both variants built', async () => {
    const dir = benchService();
    const run = startMeasure({ dockerfile: path.join(dir, 'Dockerfile'), rounds: 1, buildsIn: 'local', builder: BUILDER, extraArgs: ['--build-arg', `GOPROXY=${GOPROXY}`] });
    const outcome = await run.done;
    assert.equal(outcome.kind, 'measured', JSON.stringify(outcome));
    if (outcome.kind !== 'measured') return;
    const { report } = outcome;
    assert.ok(report.speedup > 5, `speed-up ${report.speedup} (${report.original.rebuildSeconds} s vs ${report.fixed.rebuildSeconds} s)`);
    assert.equal(report.engine.buildkitVersion, 'v0.34.2');
    const download = (steps: typeof report.original.steps) => steps.find((s) => s.instruction.includes('go mod download'));
    assert.equal(download(report.original.steps)?.cached, false, 'the naive download ran again after the change');
    assert.equal(download(report.fixed.steps)?.cached, true, 'the fix made the download a cache hit');
    assert.ok(report.original.steps.some((s) => s.instruction.includes('go build') && !s.cached && s.seconds > 0));
    assert.match(report.diff, /^\+COPY go\.mod go\.sum \.\/$/m);
    assert.deepEqual(leftOnBuilder(run.id), [], 'its cache mounts are gone');
  });

  it('a tuned Dockerfile: "nothing to measure", without building', async () => {
    const dir = benchService();
    // The hand-tuned file, with what fix still adds to it (CA certificates, a user, .dockerignore).
    const fix = spawnSync(process.execPath, [path.join(ROOT, 'server', 'out', 'cli.js'), 'fix', '--builds-in', 'local', path.join(dir, 'Dockerfile.tuned')], { encoding: 'utf8' });
    assert.equal(fix.status, 0, fix.stderr);
    fs.copyFileSync(path.join(dir, 'Dockerfile.tuned'), path.join(dir, 'Dockerfile'));
    // A docker that does not exist: had it tried to build, the outcome would say docker is missing.
    const outcome = await startMeasure({ dockerfile: path.join(dir, 'Dockerfile'), rounds: 1, buildsIn: 'local', builder: BUILDER, dockerPath: path.join(dir, 'no-docker'), extraArgs: [] }).done;
    assert.deepEqual(outcome, { kind: 'nothing', message: 'nothing to measure: fix does not change this Dockerfile' });
  });

  it('cancelled while building: no temp folder, cache mount, docker process or image is left', async () => {
    const before = new Set(measureTemps());
    const dir = copyExample('naive');
    const run = startMeasure({
      dockerfile: path.join(dir, 'Dockerfile'), rounds: 3, buildsIn: 'local', builder: BUILDER, extraArgs: [],
      onProgress: (message) => {
        if (message.includes('fixed')) run.cancel();
      },
    });
    assert.deepEqual(await run.done, { kind: 'canceled' });
    assert.deepEqual(measureTemps().filter((name) => !before.has(name)), [], 'its temp folder is removed');
    assert.deepEqual(leftOnBuilder(run.id), [], 'its cache mounts are pruned');
    assert.deepEqual(await eventually(() => processesRunning(run.id), (left) => left.length === 0), [], 'no docker or buildx process of the run is left');
  });

  it('a finding carries the seconds of a real profiled build', async () => {
    const dir = copyExample('naive');
    assert.equal((await profile(CURRENT_RAWJSON, dir)).summary.exitCode, 0);
    changeOneSourceLine(dir);
    const second = await profile(CURRENT_RAWJSON, dir);
    assert.equal(second.summary.exitCode, 0, second.summary.error);
    const text = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    const { model, findings } = analyze(text, { context: diskContext(dir), buildsIn: 'local' });
    const { findings: costed, costs } = withMeasuredCosts(findings, model, measuredBuildFromSteps(second.steps));
    const gd001 = costed.find((f) => f.rule === 'GD001');
    assert.ok(gd001, JSON.stringify(findings.map((f) => f.rule)));
    const cost = costs.get(gd001)!;
    const ran = second.steps.filter((s) => s.line >= gd001.range.start.line && s.state === 'done' && s.line < model.stages[1].fromRange.start.line);
    const expected = Math.round(ran.reduce((sum, s) => sum + (s.durationMs ?? 0) / 1000, 0) * 10) / 10;
    assert.equal(cost.seconds, expected);
    assert.ok(cost.seconds > 0);
    assert.ok(gd001.message.endsWith(`In the last build this step and the ${ran.length - 1} after it rebuilt: ${expected.toFixed(1)} s.`), gd001.message);
  });
});
