// Go modules out of Debian's golang-*-dev packages: download the .debs once into a cache
// folder, unpack each into its own directory and find the modules in /usr/share/gocode/src.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface DebianModule {
  /** Module path as Go imports it: `github.com/spf13/cobra`. */
  path: string;
  /** Module version derived from the package version: `v1.6.1`. */
  version: string;
  /** Where the module's files are: Debian splits some modules over several packages. */
  sources: ModuleSource[];
  /** The go.mod Debian ships, or null for packages that predate modules. */
  goMod: string | null;
  debianPackages: string[];
}

export interface ModuleSource {
  /** Directory holding (part of) the module, laid out as in the module root. */
  dir: string;
  /** Directories below `dir` to leave out because they are modules of their own. */
  nested: string[];
}

const GOCODE = 'usr/share/gocode/src';

function apt(args: string[], cwd: string): void {
  execFileSync('flock', ['/tmp/apt.lock', 'apt-get', ...args], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Downloads the packages that are not in `debDir` yet; returns the path of every package's .deb. */
export function downloadPackages(packages: readonly string[], debDir: string): Map<string, string> {
  fs.mkdirSync(debDir, { recursive: true });
  const find = () => new Map(packages.map((p) => [p, fs.readdirSync(debDir).find((f) => f.startsWith(`${p}_`) && f.endsWith('.deb'))]));
  const missing = [...find()].filter(([, file]) => !file).map(([p]) => p);
  if (missing.length > 0) {
    try {
      apt(['download', '-qq', ...missing], debDir);
    } catch {
      apt(['update', '-qq'], debDir);
      apt(['download', '-qq', ...missing], debDir);
    }
  }
  const found = new Map<string, string>();
  for (const [p, file] of find()) {
    if (!file) throw new Error(`apt-get download did not produce a .deb for ${p}`);
    found.set(p, path.join(debDir, file));
  }
  return found;
}

/** `1:0.7.0+dfsg-1` → `0.7.0+dfsg`. */
function upstreamVersion(debianVersion: string): string {
  return debianVersion.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
}

function pseudoVersion(major: number, seed: string, date = '20000101'): string {
  const hash = createHash('sha1').update(seed).digest('hex').slice(0, 12);
  return `v${major}.0.0-${date}000000-${hash}`;
}

/** The major version a module path allows: `/v2` and gopkg.in's `.v2` demand 2, anything else 0 or 1. */
function pathMajor(modulePath: string): number | null {
  const match = /\/v(\d+)$/.exec(modulePath) ?? /^gopkg\.in\/.*\.v(\d+)$/.exec(modulePath);
  return match ? Number(match[1]) : null;
}

/**
 * A semantic version Go accepts for this module path. Snapshots (`0.0~git20220315.abc`) become
 * pseudo-versions; a version whose major does not match the path becomes a pseudo-version of the
 * right major, because Go refuses `v2.3.0` for a path without `/v2`.
 */
export function moduleVersion(modulePath: string, debianVersion: string): string {
  const upstream = upstreamVersion(debianVersion);
  const required = pathMajor(modulePath);
  const snapshot = /~git(\d{8})/.exec(upstream);
  const release = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(upstream);
  if (snapshot || !release) return pseudoVersion(required ?? 0, `${modulePath}@${debianVersion}`, snapshot?.[1]);
  const [major, minor, patch] = [Number(release[1]), Number(release[2] ?? 0), Number(release[3] ?? 0)];
  const prerelease = /^[\d.]+~(rc|beta|alpha)\.?(\d*)/.exec(upstream);
  const suffix = prerelease ? `-${prerelease[1]}${prerelease[2] ? `.${prerelease[2]}` : ''}` : '';
  const fits = required === null ? major <= 1 : major === required;
  return fits ? `v${major}.${minor}.${patch}${suffix}` : pseudoVersion(required ?? 1, `${modulePath}@${debianVersion}`);
}

function debianVersionOf(deb: string): string {
  return execFileSync('dpkg-deb', ['-f', deb, 'Version'], { encoding: 'utf8' }).trim();
}

/** Unpacks a .deb into `<extractDir>/<name of the .deb>` unless that was done before. */
function unpack(deb: string, extractDir: string): string {
  const target = path.join(extractDir, path.basename(deb, '.deb'));
  if (!fs.existsSync(path.join(target, '.unpacked'))) {
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(target, { recursive: true });
    execFileSync('dpkg-deb', ['-x', deb, target]);
    fs.writeFileSync(path.join(target, '.unpacked'), '');
  }
  return target;
}

/** Regular files and go.mod locations below `root`; symlinks are skipped (Debian uses them for aliases). */
function walk(root: string, rel = '', files: string[] = []): string[] {
  for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(root, child, files);
    else if (entry.isFile()) files.push(child);
  }
  return files;
}

function commonDirectory(files: readonly string[]): string {
  const dirs = files.map((f) => path.posix.dirname(f).split('/'));
  const first = dirs[0] ?? [];
  let length = first.length;
  for (const parts of dirs) {
    let i = 0;
    while (i < length && parts[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length).join('/');
}

/**
 * The module root of a package that ships no go.mod, by the hosting conventions Go itself uses:
 * `github.com/pkg/errors/...` → `github.com/pkg/errors`, `gopkg.in/yaml.v2` → itself.
 */
function conventionalModuleRoot(dir: string): string {
  const parts = dir.split('/');
  const take = (n: number) => parts.slice(0, Math.min(n, parts.length)).join('/');
  if (['github.com', 'gitlab.com', 'bitbucket.org', 'golang.org'].includes(parts[0] ?? '')) return take(3);
  if (['go.uber.org', 'google.golang.org'].includes(parts[0] ?? '')) return take(2);
  if (parts[0] === 'gopkg.in') return /\.v\d+$/.test(parts[1] ?? '') ? take(2) : take(3);
  return dir;
}

function declaredModulePath(goMod: string): string | null {
  return /^module\s+"?([^\s"]+)"?/m.exec(goMod)?.[1] ?? null;
}

/** The modules of one unpacked package: one per go.mod, plus one for files outside any go.mod. */
function modulesOfPackage(unpacked: string, debianPackage: string, debianVersion: string): DebianModule[] {
  const src = path.join(unpacked, GOCODE);
  if (!fs.existsSync(src)) return [];
  const files = walk(src);
  const roots = files.filter((f) => path.posix.basename(f) === 'go.mod').map((f) => path.posix.dirname(f))
    // testdata and example modules are not dependencies anyone imports
    .filter((dir) => !dir.split('/').some((part) => part === 'testdata' || part === 'vendor'));
  const modules: DebianModule[] = [];
  const nestedIn = (root: string) => roots.filter((r) => r !== root && r.startsWith(`${root}/`)).map((r) => r.slice(root.length + 1));
  for (const root of roots) {
    const goMod = fs.readFileSync(path.join(src, root, 'go.mod'), 'utf8');
    const modulePath = declaredModulePath(goMod) ?? root;
    modules.push({ path: modulePath, version: moduleVersion(modulePath, debianVersion), sources: [{ dir: path.join(src, root), nested: nestedIn(root) }], goMod, debianPackages: [debianPackage] });
  }
  const orphans = files.filter((f) => f.endsWith('.go') && !roots.some((r) => f.startsWith(`${r}/`)));
  if (orphans.length > 0) {
    const root = conventionalModuleRoot(commonDirectory(orphans));
    modules.push({ path: root, version: moduleVersion(root, debianVersion), sources: [{ dir: path.join(src, root), nested: nestedIn(root) }], goMod: null, debianPackages: [debianPackage] });
  }
  return modules;
}

/** Joins the parts of a module that Debian ships in separate packages (golang.org/x/oauth2 and its google/ folder). */
function mergeSplitModules(modules: readonly DebianModule[]): DebianModule[] {
  const byPath = new Map<string, DebianModule[]>();
  for (const m of modules) byPath.set(m.path, [...(byPath.get(m.path) ?? []), m]);
  const merged: DebianModule[] = [];
  for (const group of byPath.values()) {
    const whole = group.filter((m) => m.goMod !== null);
    const parts = group.filter((m) => m.goMod === null);
    if (whole.length === 0) merged.push(...parts);
    for (const m of whole) {
      // A part belongs to a whole of the same version; two wholes (protobuf 1.3 and 1.5) stay two versions.
      const mine = parts.filter((p) => p.version === m.version || whole.length === 1);
      merged.push({ ...m, sources: [...m.sources, ...mine.flatMap((p) => p.sources)], debianPackages: [...m.debianPackages, ...mine.flatMap((p) => p.debianPackages)] });
    }
  }
  return merged;
}

export function debianModules(debs: ReadonlyMap<string, string>, extractDir: string): DebianModule[] {
  const modules: DebianModule[] = [];
  for (const [debianPackage, deb] of debs) {
    modules.push(...modulesOfPackage(unpack(deb, extractDir), debianPackage, debianVersionOf(deb)));
  }
  return mergeSplitModules(modules);
}
