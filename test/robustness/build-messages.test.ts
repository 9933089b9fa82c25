// The build failures of build-failures.test.ts as docker prints them, without a daemon: so the
// words a user gets stay right on machines where the engine tests skip.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { markParseError } from '../../server/src/profile/annotate';
import { explainStartFailure } from '../../server/src/profile/docker';
import { MAX_LINE_CHARS, VertexTable } from '../../server/src/profile/events';
import type { StepAnnotation } from '../../server/src/profile/model';
import { PlainProgressParser } from '../../server/src/profile/progress-plain';

const notRun = (line: number, endLine: number, instruction: string): StepAnnotation => ({ line, endLine, instruction, state: 'not-run', logs: [] });

describe('what docker says when a build cannot start', () => {
  it('an argument docker rejects: its own reason, not the last line of its usage text', () => {
    const output = ['"docker build" requires exactly 1 argument.', "See 'docker build --help'.", 'Usage:  docker build [OPTIONS] PATH | URL | -', 'Build an image from a Dockerfile'];
    assert.equal(explainStartFailure(output)?.message, 'docker rejected its arguments: "docker build" requires exactly 1 argument. Check the extra build arguments: each one reaches docker as a single argument, exactly as written.');
    assert.match(explainStartFailure(['unknown flag: --bogus', "See 'docker build --help'."])?.message ?? '', /^docker rejected its arguments: unknown flag: --bogus\./);
    assert.equal(explainStartFailure(['unknown flag: --progress', "See 'docker build --help'."])?.unavailable, 'buildkit', 'a docker without BuildKit is still told apart');
  });

  it('a Dockerfile syntax error marks its line, in the wording of docker 20.10 and of later BuildKit', () => {
    const text = 'FROM golang:1.19\nRUN echo ok \\\n  && true\nFOO bar\n';
    const steps = [notRun(0, 0, 'FROM golang:1.19'), notRun(1, 2, 'RUN echo ok && true')];
    for (const error of [
      'failed to solve with frontend dockerfile.v0: failed to create LLB definition: dockerfile parse error line 4: unknown instruction: FOO',
      'failed to solve: dockerfile parse error on line 4: unknown instruction: FOO',
    ]) {
      const marked = markParseError(steps, text, error);
      assert.deepEqual(marked.map((s) => [s.line, s.state, s.error]), [[0, 'not-run', undefined], [1, 'not-run', undefined], [3, 'error', 'unknown instruction: FOO']]);
      assert.equal(marked[2].instruction, 'FOO bar');
    }
    const inStep = markParseError(steps, text, 'dockerfile parse error line 2: unknown flag: --mount');
    assert.deepEqual(inStep.map((s) => s.state), ['not-run', 'error'], 'a bad flag marks the step it belongs to');
    assert.deepEqual(markParseError(steps, text, 'exit code: 1'), steps, 'other errors mark nothing');
  });
});

describe('progress the parser must survive', () => {
  it('a megabyte on one log line is kept cut short, and the lines after it are read as before', () => {
    const parser = new PlainProgressParser();
    const table = new VertexTable();
    const huge = 'x'.repeat(1024 * 1024);
    table.applyAll(parser.push(`#5 [2/3] RUN make-noise\n#5 0.101 ${huge}\n#5 0.2`));
    table.applyAll(parser.push('02 after\n#5 DONE 0.3s\n\n#6 [3/3] RUN echo next\n#6 0.050 next\n#6 DONE 0.1s\n'));
    const [noisy, next] = table.vertices();
    assert.deepEqual(noisy.logs.map((l) => l.length), [MAX_LINE_CHARS + ` (${huge.length - MAX_LINE_CHARS} more characters)`.length + 1, 'after'.length]);
    assert.deepEqual([noisy.state, next.state, next.logs], ['done', 'done', ['next']]);
  });

  it('a step cancelled after a quiet minute ran for that minute, not until its last log line', () => {
    const table = new VertexTable();
    const parser = new PlainProgressParser();
    table.applyAll(parser.push('#7 [2/3] RUN echo start && sleep 300\n#7 0.100 start\n'), 1_000);
    table.applyAll(parser.push('#7 CANCELED\n'), 61_000);
    assert.equal(table.vertices()[0].durationMs, 60_000);
  });
});
