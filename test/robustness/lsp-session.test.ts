// A long editing session against the bundled language server: 5,000 quick edits (typing,
// backspacing, deleting selections, pasting) into a 300-line Go Dockerfile, with hovers and two
// settings changes mixed in. Every diagnostics notification must describe exactly the version it
// names, versions never go back, the last one is for the final text, memory stays bounded and
// the server still answers afterwards.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { buildSiteOnDisk } from '../../server/src/analysis/ci/workspace';
import { analyze } from '../../server/src/analysis/analyze';
import { diskContext } from '../../server/src/analysis/model/context';
import type { RuleSettings } from '../../server/src/analysis/model/types';
import { toDiagnostic } from '../../server/src/features/diagnostics';
import { hover } from '../../server/src/features/hover';
import { goProject, hoverText, TestClient, type Project } from '../lsp/harness';
import { freshBundle } from './bundle';
import { EditingSession, goDockerfile, seededRandom, type EditKind } from './session';

const EDITS = 5000;
const LINES = 300;
const SEED = Number(process.env.ROBUSTNESS_SEED ?? 7);
/** Resident memory the server may use after the session. It starts near 60 MB. */
const RSS_LIMIT_MB = 300;
/** The user stops to read the squiggles this often; the server has analysed by then. */
const PAUSE_EVERY = 500;
/** Waiting for the server to catch up with thousands of queued edits on a busy 2-core machine. */
const CATCH_UP_MS = 90_000;

function residentMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  assert.ok(Number.isFinite(kb), `${field} in /proc/${pid}/status`);
  return kb / 1024;
}

/** What a diagnostic says to the user, apart from its severity (which a settings change may alter). */
function shown(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`);
}

describe(`a ${EDITS}-edit session on a ${LINES}-line Dockerfile (seed ${SEED})`, () => {
  let client: TestClient;
  let project: Project;
  const rules = (strict: boolean): RuleSettings => ({ GD016: strict ? 'error' : 'info' });
  let settingsRules = rules(false);

  before(async () => {
    freshBundle();
    project = goProject(goDockerfile(LINES, seededRandom(SEED)));
    client = await TestClient.start({ settings: { rules: settingsRules } });
  });
  after(async () => {
    await client?.stop();
    if (project) fs.rmSync(project.dir, { recursive: true, force: true });
  });

  /** The text of every version the server may still publish for; older ones are dropped. */
  const texts = new Map<number, string>();
  let checked = 0;
  let lastPublished = 0;
  const context = () => diskContext(project.dir);
  // Where the editor says the file builds: its CI files, never the CI variable.
  const site = () => buildSiteOnDisk(fileURLToPath(project.uri), 'auto', undefined);

  /** Checks the notifications that arrived since the last call. */
  function checkPublished(): void {
    const published = client.diagnostics.seen.filter((p) => p.uri === project.uri);
    for (const p of published.slice(checked)) {
      assert.equal(typeof p.version, 'number', 'every publication names its version');
      const version = p.version!;
      assert.ok(version >= lastPublished, `version ${version} published after version ${lastPublished}`);
      const text = texts.get(version);
      assert.ok(text !== undefined, `version ${version} was never sent`);
      const expected = analyze(text, { context: context(), rules: settingsRules, buildsIn: site() }).findings.map((f) => toDiagnostic(f, project.uri));
      assert.deepEqual(shown(p.diagnostics), shown(expected), `diagnostics published for version ${version} describe that version`);
      lastPublished = version;
      for (const old of texts.keys()) if (old < version) texts.delete(old);
    }
    checked = published.length;
  }

  /** Diagnostics for exactly `version`, waiting in WAIT_MS steps up to CATCH_UP_MS. */
  async function diagnosticsOf(version: number): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + CATCH_UP_MS;
    for (;;) {
      try {
        return await client.diagnostics.next((p) => p.uri === project.uri && p.version === version, `diagnostics for v${version}`);
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  it(`keeps diagnostics in step with the text and stays under ${RSS_LIMIT_MB} MB RSS`, async () => {
    const initial = fs.readFileSync(project.dockerfile, 'utf8');
    texts.set(1, initial);
    await client.open(project.uri, initial);
    const session = new EditingSession(seededRandom(SEED + 1), LINES);
    const kinds: Record<EditKind, number> = { type: 0, backspace: 0, 'delete-selection': 0, paste: 0 };
    const hovers: Promise<unknown>[] = [];
    const started = performance.now();

    for (let i = 1; i <= EDITS; i++) {
      const { kind, edit } = session.next(client.document(project.uri));
      kinds[kind]++;
      const version = await client.edit(project.uri, [edit]);
      texts.set(version, client.text(project.uri));
      // Hovering while typing: the answer must come even though the text keeps changing.
      if (i % 97 === 0) hovers.push(client.hover(project.uri, { line: Math.floor(LINES / 2), character: 5 }));
      // A settings change mid-stream makes the server ask for settings while edits keep coming.
      if (i === Math.floor(EDITS / 3) || i === Math.floor((2 * EDITS) / 3)) {
        settingsRules = rules(i === Math.floor(EDITS / 3));
        await client.changeSettings({ rules: settingsRules });
      }
      if (i % PAUSE_EVERY === 0) {
        await diagnosticsOf(version);
        checkPublished();
      }
    }
    const finalVersion = client.document(project.uri).version;
    const final = await diagnosticsOf(finalVersion);
    const elapsedS = (performance.now() - started) / 1000;
    checkPublished();
    await Promise.all(hovers);

    const finalText = client.text(project.uri);
    const expected = analyze(finalText, { context: context(), rules: settingsRules, buildsIn: site() }).findings.map((f) => toDiagnostic(f, project.uri));
    assert.deepEqual(final.diagnostics.map((d) => [d.code, d.range, d.severity]), expected.map((d) => [d.code, d.range, d.severity]));
    assert.ok(expected.length > 0, 'the final text still has findings to compare');

    const pid = client.process.pid!;
    const rss = residentMb(pid, 'VmRSS');
    const peak = residentMb(pid, 'VmHWM');
    const publications = client.diagnostics.seen.filter((p) => p.uri === project.uri).length;
    process.stdout.write(
      `# session: ${EDITS} edits (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')}), ${finalText.split('\n').length} lines at the end, `
      + `${publications} diagnostics publications, ${hovers.length} hovers, ${elapsedS.toFixed(1)} s; server RSS ${rss.toFixed(0)} MB (peak ${peak.toFixed(0)} MB)\n`,
    );
    assert.ok(rss < RSS_LIMIT_MB, `server RSS ${rss.toFixed(0)} MB after the session`);
    assert.ok(Object.values(kinds).every((n) => n > 0), `every kind of edit happened: ${JSON.stringify(kinds)}`);

    // Still alive, and its hover on a `go build` says what the hover feature says of the final text.
    const finalLines = finalText.split('\n');
    const position = finalLines
      .map((l, line) => ({ line, character: l.indexOf('go build') + 3 }))
      .find((p) => p.character > 2 && /GOCACHE/.test(hoverText(hover(finalText, p, { context: context(), rules: settingsRules }))));
    assert.ok(position, 'a go build with a GOCACHE hover is left');
    const answered = hoverText(await client.hover(project.uri, position));
    assert.equal(answered, hoverText(hover(finalText, position, { context: context(), rules: settingsRules })));
    assert.equal(client.process.exitCode, null, client.stderr);
  });
});
