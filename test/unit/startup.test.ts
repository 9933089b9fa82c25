// What a container started from a stage's image runs: ENTRYPOINT and CMD joined as Docker joins
// them, launchers (tini, su-exec) looked through, and the Go commands that reach, through a Taskfile too.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { memoryContext } from '../../server/src/analysis/model/context';
import { parseDockerfile } from '../../server/src/analysis/model/model';
import { startCommandText } from '../../server/src/analysis/model/startup';
import { goCommandsAtStart } from '../../server/src/analysis/go/delegated';

const startOf = (text: string) => startCommandText(parseDockerfile(text).stages.at(-1)!)?.text;

describe('image start', () => {
  it('joins an exec-form ENTRYPOINT with the CMD, keeps spaces inside a JSON string, looks through launchers', () => {
    assert.equal(startOf('FROM golang:1.22\nENTRYPOINT ["/sbin/tini", "--"]\nCMD ["sh", "-c", "go vet ./... && go test ./..."]\n'), "sh -c 'go vet ./... && go test ./...'");
    assert.equal(startOf('FROM golang:1.22\nENTRYPOINT ["su-exec", "app", "go", "run", "."]\n'), 'go run .');
    assert.equal(startOf('FROM golang:1.22\nENTRYPOINT ["task"]\nCMD go test ./...\n'), "task /bin/sh -c 'go test ./...'");
  });

  it('a shell-form ENTRYPOINT ignores the CMD; a CMD of the base stage does not reach a later ENTRYPOINT', () => {
    assert.equal(startOf('FROM golang:1.22\nCMD ["go", "test"]\nENTRYPOINT go run .\n'), 'go run .');
    assert.equal(startOf('FROM golang:1.22 AS base\nCMD ["test"]\nFROM base\nENTRYPOINT ["./app"]\n'), './app');
    assert.equal(startOf('FROM golang:1.22\nRUN true\n'), undefined);
  });

  it('finds the Go commands a start runs, through a Taskfile the image copies; a start script it cannot read is unknown, a built binary runs none', () => {
    const context = memoryContext({ 'go.mod': 'module m\n', 'Taskfile.yml': "version: '3'\ntasks:\n  test:\n    cmds:\n      - go test ./...\n" });
    const model = (text: string) => parseDockerfile(text, context);
    const task = model('FROM golang:1.22\nWORKDIR /src\nCOPY . .\nCMD ["task", "test"]\n');
    assert.deepEqual(goCommandsAtStart(task, task.stages[0])?.map((g) => g.subcommand), ['test']);
    const script = model('FROM golang:1.22\nWORKDIR /src\nCOPY . .\nCMD ["./entrypoint.sh"]\n');
    assert.equal(goCommandsAtStart(script, script.stages[0]), undefined);
    const binary = model('FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o app .\nCMD ["./app", "--port", "80"]\n');
    assert.deepEqual(goCommandsAtStart(binary, binary.stages[0]), []);
  });
});
