// Whatever the editor sends, the server stays up and answers the next request.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { hoverText, naiveSession, NAIVE_DOCKERFILE, positionOf } from './harness';

const TEN_MB = 'RUN echo ' + 'x'.repeat(70) + '\n';
const BAD_INPUTS: Record<string, string> = {
  'an empty file': '',
  'binary bytes': Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 37) % 256)).toString('latin1'),
  'an unterminated heredoc': 'FROM golang:1.22\nRUN <<EOF\ngo build ./...\n',
  'a lone backslash': '\\',
  'a continuation at the end of the file': 'FROM golang:1.22\nRUN go build \\',
  'unbalanced JSON in exec form': 'FROM golang:1.22\nRUN ["go", "build",\nCMD [',
  'a mount flag without options': 'FROM golang:1.22\nRUN --mount= go build\nRUN --mount=type=cache, go build',
  'only comments and directives': '# syntax=docker/dockerfile:1\n# escape=`\n',
  'ten megabytes of text': `FROM golang:1.22\n${TEN_MB.repeat(Math.ceil(10_000_000 / TEN_MB.length))}`,
};

describe('bad input never kills the server', () => {
  const session = naiveSession();

  for (const [name, text] of Object.entries(BAD_INPUTS)) {
    it(`survives ${name}`, async () => {
      const { client, project } = session;
      const uri = `${project.uri}.${name.replace(/\W+/g, '-')}`;
      await client.open(uri, text);
      await client.diagnosticsFor(uri);
      await client.hover(uri, { line: 0, character: 0 });
      await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, [], ['source.fixAll']);
      // Typing into it goes on working too.
      await client.edit(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '#' }]);
      await client.diagnosticsFor(uri);
      assert.equal(client.process.exitCode, null, client.stderr);
      // And a healthy document next to it still gets its answers.
      const hover = hoverText(await client.hover(project.uri, positionOf(NAIVE_DOCKERFILE, 'go build', 3)));
      assert.match(hover, /\/root\/\.cache\/go-build/);
    });
  }

  it('tells the user once that a huge file is not analysed', async () => {
    const { client } = session;
    const huge = client.messages.seen.filter((m) => /larger than/.test(m.message));
    assert.equal(huge.length, 1, JSON.stringify(client.messages.seen));
    assert.equal(huge[0].type, 2);
  });

  it('rejects a request for a document it never saw without dying', async () => {
    const { client } = session;
    assert.equal(await client.hover('file:///never/opened/Dockerfile', { line: 0, character: 0 }), null);
    assert.deepEqual(await client.codeActions('file:///never/opened/Dockerfile', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []), []);
    assert.equal(client.process.exitCode, null);
  });
});
