// The npm package and the .vsix as users get them: packed from a copy of the sources (so `prepack`
// really builds), installed into an empty prefix without the network, and run from there. What
// goes in is said by .npmignore and .vscodeignore (vsce refuses a package.json `files` list next to
// a .vscodeignore).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import { XMLParser } from 'fast-xml-parser';
import { rules } from '../../server/src/analysis/rules/index';
import { NAIVE_DOCKERFILE, TestClient, goProject } from '../lsp/harness';

const ROOT = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const RULE_DOCS = rules.map((r) => `docs/rules/${r.id}.md`);
/** The images the README shows, by relative path. */
const README_IMAGES = [...new Set([...fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\((docs\/images\/[^)\s]+)\)/g)].map((m) => m[1]))];
/** The shell parser's WebAssembly, beside the bundles that analyse. */
const SHELL_PARSER = ['server/out/tree-sitter-bash.wasm', 'server/out/web-tree-sitter.wasm'];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gdc-package-'));
const source = path.join(work, 'source');
const out = path.join(work, 'out');

/** The sources as a clone has them (tracked and new files, nothing ignored), with this node_modules. */
function copySources(): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    const from = path.join(ROOT, file);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(source, file)), { recursive: true });
    fs.copyFileSync(from, path.join(source, file));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(source, 'node_modules'));
}

function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', ...env } });
  assert.equal(result.status, 0, `npm ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

interface Packed { filename: string; size: number; files: { path: string }[] }
let packed: Packed;

before(() => {
  fs.mkdirSync(out, { recursive: true });
  copySources();
  assert.ok(!fs.existsSync(path.join(source, 'server', 'out')), 'the copy starts without bundles');
  packed = JSON.parse(npm(['pack', '--json', '--pack-destination', out], source))[0];
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

describe('npm package', () => {
  it('holds only the CLI, the server with its shell parser, the rule docs, README, LICENSE, CHANGELOG and package.json', () => {
    const files = packed.files.map((f) => f.path).sort();
    const expected = ['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json', 'server/out/cli.js', 'server/out/server.js', ...SHELL_PARSER, ...RULE_DOCS].sort();
    assert.deepEqual(files, expected);
    process.stdout.write(`# npm package: ${files.length} files, ${packed.size} bytes packed\n`);
  });

  it('needs nothing from the registry at run time: the bundles carry their dependencies', () => {
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}), []);
    assert.equal(manifest.scripts.prepack, 'npm run build');
  });

  it('installs offline into an empty prefix, and its go-dockerfile-cache checks a Dockerfile', () => {
    const prefix = path.join(work, 'prefix');
    npm(['install', '-g', '--prefix', prefix, '--offline', '--cache', path.join(work, 'empty-cache'), '--no-audit', '--no-fund', path.join(out, packed.filename)], work);
    const bin = path.join(prefix, 'bin', 'go-dockerfile-cache');
    assert.ok(fs.existsSync(bin));
    const project = goProject();
    const run = (args: string[]) => spawnSync(bin, args, { cwd: project.dir, encoding: 'utf8', env: { ...process.env, PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` } });
    assert.equal(run(['--version']).stdout.trim(), manifest.version);
    const check = run(['check', '--format', 'json', 'Dockerfile']);
    assert.equal(check.status, 1, check.stderr);
    const findings: { rule: string; line: number }[] = JSON.parse(check.stdout).findings;
    assert.ok(findings.some((f) => f.rule === 'GD001' && f.line === 3), check.stdout);
    assert.ok(findings.some((f) => f.rule === 'GD003'), check.stdout);
    const sarif = JSON.parse(run(['check', '--format', 'sarif', 'Dockerfile']).stdout);
    const gd001 = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'GD001');
    assert.match(gd001.help?.markdown ?? '', /^# GD001/m, 'rule pages ship with the CLI and become SARIF help');
    fs.rmSync(project.dir, { recursive: true, force: true });
  });
});

describe('.vsix', () => {
  let zip: JSZip;
  let names: string[];

  before(async () => {
    const vsix = path.join(out, 'extension.vsix');
    const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
    const args = manifest.scripts.package.split('&&').at(-1).trim().split(/\s+/).slice(1);
    assert.deepEqual(args.slice(0, 1), ['package']);
    execFileSync(vsce, [...args, '--out', vsix], { cwd: source, stdio: 'pipe' });
    zip = await JSZip.loadAsync(fs.readFileSync(vsix));
    names = Object.keys(zip.files).filter((n) => !zip.files[n].dir).sort();
    process.stdout.write(`# vsix: ${names.length} files, ${fs.statSync(vsix).size} bytes\n`);
  });

  it('holds only what the extension needs: the two bundles, the shell parser, the grammar, the icon and what the README shows', () => {
    const inside = names.filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
    const expected = [
      'package.json', 'readme.md', 'changelog.md', 'LICENSE.txt',
      'client/out/extension.js', 'server/out/server.js', ...SHELL_PARSER, 'syntaxes/go-dockerfile-cache.injection.tmLanguage.json',
      'docs/images/icon.png', ...README_IMAGES, ...RULE_DOCS,
    ].sort();
    assert.deepEqual(inside.sort(), expected);
    assert.deepEqual(names.filter((n) => !n.startsWith('extension/')), ['[Content_Types].xml', 'extension.vsixmanifest']);
  });

  it('has a marketplace manifest: icon, banner, repository, keywords', async () => {
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(await zip.file('extension.vsixmanifest')!.async('string'));
    const metadata = xml.PackageManifest.Metadata;
    assert.equal(metadata.Icon, 'extension/docs/images/icon.png');
    const properties: { Id: string; Value: string }[] = metadata.Properties.Property;
    const property = (id: string) => properties.find((p) => p.Id === id)?.Value;
    assert.equal(property('Microsoft.VisualStudio.Services.Branding.Color'), '#00ADD8');
    assert.equal(property('Microsoft.VisualStudio.Services.Branding.Theme'), 'dark');
    assert.ok(property('Microsoft.VisualStudio.Services.Links.Source')?.startsWith(manifest.repository.url));
    assert.equal(property('Microsoft.VisualStudio.Services.Links.Support'), manifest.bugs.url);
    for (const keyword of ['docker', 'golang', 'buildkit']) assert.ok(metadata.Tags.split(',').includes(keyword), metadata.Tags);
    const icon = await zip.file('extension/docs/images/icon.png')!.async('nodebuffer');
    assert.equal(icon.subarray(1, 4).toString('ascii'), 'PNG');
    assert.ok(icon.readUInt32BE(16) >= 128 && icon.readUInt32BE(20) >= 128, 'the Marketplace wants at least 128×128');
  });

  it('its README images and links to files resolve inside the package', async () => {
    const readme = await zip.file('extension/readme.md')!.async('string');
    const targets = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:|^#/.test(t));
    assert.ok(targets.some((t) => t.endsWith('.png')), 'the README shows images');
    for (const target of new Set(targets)) assert.ok(names.includes(`extension/${target.split('#')[0]}`), `${target} is not in the .vsix`);
  });

  it('installs into an empty extensions folder, and its language server reports findings from there', async () => {
    const folder = path.join(work, 'extensions', `${manifest.publisher}.${manifest.name}-${manifest.version}`);
    for (const name of names.filter((n) => n.startsWith('extension/'))) {
      const target = path.join(folder, name.slice('extension/'.length));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, await zip.file(name)!.async('nodebuffer'));
    }
    const installed = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
    assert.ok(fs.existsSync(path.join(folder, installed.main)), `main ${installed.main} is in the package`);
    for (const grammar of installed.contributes.grammars) assert.ok(fs.existsSync(path.join(folder, grammar.path)));
    const project = goProject();
    const client = await TestClient.start({ server: path.join(folder, 'server', 'out', 'server.js') });
    try {
      await client.open(pathToFileURL(project.dockerfile).href, NAIVE_DOCKERFILE);
      const diagnostics = await client.diagnosticsFor(pathToFileURL(project.dockerfile).href, (d) => d.some((x) => x.code === 'GD001'), 'GD001');
      const gd001 = diagnostics.find((d) => d.code === 'GD001')!;
      assert.equal(gd001.range.start.line, 2);
    } finally {
      await client.stop();
      fs.rmSync(project.dir, { recursive: true, force: true });
    }
  });
});
