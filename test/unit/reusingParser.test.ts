// The reusing parser answers exactly as dockerfile-ast's own parse, on a fresh parse and after
// parsing other versions of the file first (when most instructions are reused).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { DockerfileParser } from 'dockerfile-ast';
import { analyze } from '../../server/src/analysis/analyze';
import { forgetParsedInstructions, parseDockerfileAst } from '../../server/src/analysis/parse/reusingParser';
import { CONTEXT, dockerfilesUnder } from '../fuzz/checks';
import { dockerfile as generatedDockerfile, FUZZ_SEED, mutation } from '../fuzz/arbitraries';

const ROOT = path.join(__dirname, '..', '..');

/** Every answer of an AST object without arguments (get…, is…, toString), a few levels deep. */
function answers(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => answers(v, depth));
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, answers(v, depth)]));
  if (depth === 0) return '…';
  const out: Record<string, unknown> = {};
  const names = new Set<string>();
  for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) for (const name of Object.getOwnPropertyNames(p)) names.add(name);
  for (const name of [...names].sort()) {
    const method = (value as Record<string, unknown>)[name];
    if (typeof method !== 'function' || method.length > 0 || !/^(get|is|has|toString$)/.test(name)) continue;
    // Answers about the whole file, not the instruction; the parent chain would never end.
    if (name === 'getContainingImage' || name === 'getDockerfile') continue;
    try {
      out[name] = answers((method as () => unknown).call(value), depth - 1);
    } catch (error) {
      out[name] = `throws ${(error as Error).message}`;
    }
  }
  return out;
}

function astAnswers(ast: ReturnType<typeof DockerfileParser.parse>): unknown {
  return { instructions: ast.getInstructions().map((i) => answers(i, 3)), comments: answers(ast.getComments(), 2), escape: ast.getEscapeCharacter() };
}

function assertSameAsFresh(text: string, what: string): void {
  assert.deepEqual(astAnswers(parseDockerfileAst(text).ast), astAnswers(DockerfileParser.parse(text)), what);
}

function corpus(): string[] {
  const out = dockerfilesUnder(path.join(ROOT, 'examples'), path.join(ROOT, 'test', 'fixtures'));
  return [
    ...out,
    'FROM golang:1.22\r\nRUN go build \\\r\n  -o /out/app .\r\nCOPY --from=0 /a /b',
    '# escape=`\nFROM golang:1.22\nRUN echo a `\n  b\nONBUILD RUN --mount=type=cache,target=/go go build\n',
    '\ufeffFROM golang:1.22 AS build\nRUN <<EOF\ngo build\nEOF\nCOPY <<-EOT /x\n\tline\n\tEOT\nRUN <<A cat <<B\na\nA\nb\nB\n',
    'FROM golang\nRUN go build \\\n# a comment inside\n\n  -o x .\nENV A=1 B="two words" \\\n  C=3\nLABEL a=b\nARG X Y=2\nWORKDIR sub\nHEALTHCHECK --interval=5s CMD ["/app"]\nFROM scratch\nCOPY --from=0 --chown=1:1 /a /b\n  RUN   indented',
    'RUN\nFROM\nCOPY\nENV\n\\\n\\',
    'FROM a\rRUN b\rCOPY c d',
  ];
}

/** Versions of a text a user might type on the way: a line changed, added or removed. */
function otherVersions(text: string): string[] {
  const lines = text.split('\n');
  const middle = Math.floor(lines.length / 2);
  return [
    [...lines.slice(0, middle), `${lines[middle] ?? ''}x`, ...lines.slice(middle + 1)].join('\n'),
    ['RUN true', ...lines].join('\n'),
    lines.slice(1).join('\n'),
    `${text} `,
  ];
}

describe('parseDockerfileAst', () => {
  it('answers as DockerfileParser.parse on a fresh parse', () => {
    for (const [index, text] of corpus().entries()) {
      forgetParsedInstructions();
      assertSameAsFresh(text, `corpus file ${index}`);
    }
  });

  it('answers as DockerfileParser.parse when most instructions come from earlier versions', () => {
    for (const [index, text] of corpus().entries()) {
      for (const [v, version] of otherVersions(text).entries()) {
        parseDockerfileAst(version);
        assertSameAsFresh(text, `corpus file ${index} after version ${v}`);
        assertSameAsFresh(version, `version ${v} of corpus file ${index}`);
      }
    }
  });

  it('reuses the instructions an edit left where they were, and only those', () => {
    const text = 'FROM golang:1.22 AS build\nENV A=1\nRUN go build -o /out/app .\nCOPY . .\n';
    const before = parseDockerfileAst(text).ast.getInstructions();
    const edited = parseDockerfileAst(text.replace('A=1', 'A=12')).ast.getInstructions();
    assert.deepEqual(edited.map((i, n) => i === before[n]), [true, false, true, true]);
    const shifted = parseDockerfileAst(`# a comment\n${text}`).ast.getInstructions();
    assert.deepEqual(shifted.map((i) => edited.includes(i) || before.includes(i)), [false, false, false, false]);
  });

  it('gives the analysis the same findings as a fresh parse', () => {
    for (const [index, text] of corpus().entries()) {
      forgetParsedInstructions();
      const fresh = JSON.stringify(analyze(text, { context: CONTEXT }).findings);
      for (const [v, version] of otherVersions(text).entries()) {
        analyze(version, { context: CONTEXT });
        assert.equal(JSON.stringify(analyze(text, { context: CONTEXT }).findings), fresh, `corpus file ${index} after version ${v}`);
      }
    }
  });

  it('answers as DockerfileParser.parse on generated and damaged files after other versions', () => {
    const files = corpus();
    fc.assert(
      fc.property(generatedDockerfile, fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (generated, index, damage) => {
        let damaged = files[index % files.length];
        for (const m of damage) damaged = m(damaged);
        for (const text of [generated.text, damaged]) {
          for (const version of otherVersions(text)) parseDockerfileAst(version);
          assertSameAsFresh(text, JSON.stringify(text));
        }
      }),
      { seed: FUZZ_SEED, numRuns: 300, includeErrorInReport: true },
    );
  });
});
