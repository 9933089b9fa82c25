// The server's analysis of each open document: reused between versions, never across a change of
// the build context's files.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { BuildContextCache } from '../../../server/src/lsp/contextCache';
import { DocumentAnalyses } from '../../../server/src/lsp/documentAnalysis';
import { DEFAULT_SETTINGS } from '../../../server/src/lsp/settings';

const DOCKERFILE = 'FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /out/app .\n';

describe('document analyses', () => {
  it('analyse everything again once a file of the build context changes, even for the same version', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gdc-analyses-'));
    try {
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n');
      fs.writeFileSync(path.join(dir, 'go.sum'), '');
      fs.mkdirSync(path.join(dir, '.git'));
      fs.writeFileSync(path.join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
      const file = path.join(dir, 'Dockerfile');
      fs.writeFileSync(file, DOCKERFILE);
      const contexts = new BuildContextCache();
      const analyses = new DocumentAnalyses(contexts);
      const rules = (version: number, text: string) => analyses.get(TextDocument.create(pathToFileURL(file).href, 'dockerfile', version, text), DEFAULT_SETTINGS).result!.findings.map((f) => f.rule);
      assert.ok(rules(1, DOCKERFILE).includes('GD013'), 'COPY . . with no .dockerignore');
      const edited = DOCKERFILE.replace('-o /out/app', '-o /out/server');
      assert.ok(rules(2, edited).includes('GD013'), 'an edit keeps it');
      fs.writeFileSync(path.join(dir, '.dockerignore'), '.git\n');
      contexts.invalidate(path.join(dir, '.dockerignore'));
      analyses.contextChanged();
      assert.ok(!rules(2, edited).includes('GD013'), 'gone once .dockerignore excludes .git');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
