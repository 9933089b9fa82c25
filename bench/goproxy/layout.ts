// Writes a GOPROXY folder: <escaped module>/@v/{list,<v>.info,<v>.mod,<v>.zip}, the layout
// `go` fetches from any proxy (https://go.dev/ref/mod#goproxy-protocol).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebianModule, ModuleSource } from './debian';
import { rewriteGoMod } from './gomod';
import { createZip, type ZipEntry } from './zip';

/** Go's case encoding for module paths and versions: `BurntSushi` → `!burnt!sushi`. */
export function escapeModulePath(value: string): string {
  return value.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

function compareVersions(a: string, b: string): number {
  const parse = (v: string) => (/^v(\d+)\.(\d+)\.(\d+)/.exec(v) ?? []).slice(1).map(Number);
  const [pa, pb] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** What golang.org/x/mod/module.CheckFilePath accepts; `go` rejects a zip holding anything else. */
function isValidModuleFilePath(rel: string): boolean {
  return rel.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && /^[A-Za-z0-9!#$%&()+,\-.=@[\]^_{}~ ]+$/.test(part)
    && !WINDOWS_RESERVED.test(part) && !part.endsWith('.') && !/~\d+$/.test(part.split('.')[0] ?? ''));
}

function moduleFiles(source: ModuleSource, rel = '', files: Array<[string, string]> = []): Array<[string, string]> {
  for (const entry of fs.readdirSync(path.join(source.dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      // Module zips never hold vendored code or other modules (https://go.dev/ref/mod#zip-path-size-constraints).
      if (entry.name !== 'vendor' && !source.nested.includes(child)) moduleFiles(source, child, files);
    } else if (entry.isFile() && child !== 'go.mod' && isValidModuleFilePath(child)) {
      files.push([child, path.join(source.dir, child)]);
    }
  }
  return files;
}

function moduleZip(module: DebianModule, goMod: string): Buffer {
  const prefix = `${module.path}@${module.version}/`;
  const entries = new Map<string, ZipEntry>();
  for (const source of module.sources) {
    for (const [rel, file] of moduleFiles(source)) entries.set(rel.toLowerCase(), { name: prefix + rel, data: fs.readFileSync(file) });
  }
  entries.set('go.mod', { name: `${prefix}go.mod`, data: Buffer.from(goMod) });
  return createZip([...entries.values()]);
}

/** Writes every module into `proxyDir`; returns the served version of each module path. */
export function writeProxy(modules: readonly DebianModule[], proxyDir: string): Map<string, string[]> {
  const served = new Map<string, string[]>();
  for (const m of modules) served.set(m.path, [...(served.get(m.path) ?? []), m.version].sort(compareVersions));
  const newest = (modulePath: string) => served.get(modulePath)?.at(-1);
  fs.rmSync(proxyDir, { recursive: true, force: true });
  for (const m of modules) {
    const dir = path.join(proxyDir, escapeModulePath(m.path), '@v');
    fs.mkdirSync(dir, { recursive: true });
    const goMod = rewriteGoMod(m.path, m.goMod, newest);
    const base = path.join(dir, escapeModulePath(m.version));
    fs.writeFileSync(`${base}.mod`, goMod);
    fs.writeFileSync(`${base}.info`, JSON.stringify({ Version: m.version, Time: '2023-01-01T00:00:00Z' }));
    fs.writeFileSync(`${base}.zip`, moduleZip(m, goMod));
  }
  for (const [modulePath, versions] of served) {
    fs.writeFileSync(path.join(proxyDir, escapeModulePath(modulePath), '@v', 'list'), `${versions.join('\n')}\n`);
  }
  return served;
}
