// Rewrites a go.mod so that it requires only modules the bench proxy serves. Debian's packages
// are not a complete module graph: a require of a module Debian does not package would send
// `go` to a proxy that answers 404, so such requires are dropped and the rest pinned to the
// served version.

/** The Go release of the bench image; a newer `go` line would make 1.19 refuse the module. */
const GO_RELEASE = [1, 19];

export interface Requirement {
  path: string;
  version: string;
  indirect: boolean;
}

export function parseRequirements(goMod: string): Requirement[] {
  const requirements: Requirement[] = [];
  let inRequireBlock = false;
  for (const raw of goMod.split('\n')) {
    const line = raw.trim();
    if (inRequireBlock && line.startsWith(')')) {
      inRequireBlock = false;
      continue;
    }
    if (/^require\s*\($/.test(line)) {
      inRequireBlock = true;
      continue;
    }
    const spec = inRequireBlock ? line : /^require\s+(.*)$/.exec(line)?.[1];
    const match = spec ? /^"?([^\s"]+)"?\s+(v\S+)(.*)$/.exec(spec) : null;
    if (match) requirements.push({ path: match[1], version: match[2], indirect: /\/\/\s*indirect/.test(match[3]) });
  }
  return requirements;
}

function goDirective(goMod: string): string | null {
  const match = /^go\s+(\d+)\.(\d+)/m.exec(goMod);
  if (!match) return null;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const tooNew = major > GO_RELEASE[0] || (major === GO_RELEASE[0] && minor > GO_RELEASE[1]);
  return tooNew ? GO_RELEASE.join('.') : `${major}.${minor}`;
}

/**
 * The go.mod the proxy serves for `modulePath`: its module and go lines, and the requires of
 * `original` that the proxy can satisfy, each at `servedVersion(path)`. replace, exclude and
 * retract lines go: they point at versions and directories the proxy does not have.
 */
export function rewriteGoMod(modulePath: string, original: string | null, servedVersion: (path: string) => string | undefined): string {
  const lines = [`module ${modulePath}`, ''];
  const go = original ? goDirective(original) : null;
  if (go) lines.push(`go ${go}`, '');
  const requires = new Map<string, string>();
  for (const requirement of original ? parseRequirements(original) : []) {
    const version = servedVersion(requirement.path);
    if (version && requirement.path !== modulePath) requires.set(requirement.path, `\t${requirement.path} ${version}${requirement.indirect ? ' // indirect' : ''}`);
  }
  if (requires.size > 0) lines.push('require (', ...[...requires.keys()].sort().map((p) => requires.get(p) ?? ''), ')', '');
  return lines.join('\n');
}
