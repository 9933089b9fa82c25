// An independent check of a Dockerfile against its build context: every `go mod download` and every
// Go command that reads modules finds, in the directory it runs in (or the nearest parent, as the go
// command looks), a go.mod copied from the context, the module's go.sum when the context has one
// and the command reads it, and the go.mod of each module go.mod replaces with a local directory.
// It follows COPY/ADD from the context, WORKDIR, `cd` at the start of a RUN's commands, context
// bind mounts and `FROM <stage>`; it does not try to be a shell: a RUN it cannot read is skipped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';

export interface ModuleFileProblem {
  line: number;
  command: string;
  missing: string;
}

const READS_MODULES = /^go\s+(mod\s+download|build|install|test|run|vet|list|generate)\b/;
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

function contextFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(child);
      } else if (!['Dockerfile', 'expected.json', 'README.md'].includes(child)) {
        out.push(child);
      }
    }
  };
  walk('');
  return out;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

function expand(value: string, vars: Map<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const v = vars.get(name);
    return v !== undefined && v !== '' ? v : (fallback ?? '');
  });
}

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] ? s.slice(1, -1) : s;
}

interface Stage {
  files: Map<string, string>; // absolute image path → context path
  vars: Map<string, string>;
  workdir: string;
}

/** Local `replace` targets of a go.mod (directories, relative to the module's directory). */
export function localReplaces(goMod: string): string[] {
  const out: string[] = [];
  const lines = goMod.split('\n').map((l) => l.replace(/\/\/.*$/, '').trim());
  let inBlock = false;
  for (const line of lines) {
    if (/^replace\s*\($/.test(line)) { inBlock = true; continue; }
    if (inBlock && line === ')') { inBlock = false; continue; }
    const spec = inBlock ? line : /^replace\s+(.*)$/.exec(line)?.[1];
    const target = spec?.split('=>')[1]?.trim().split(/\s+/)[0];
    if (target && (target.startsWith('./') || target.startsWith('../'))) out.push(target);
  }
  return out;
}

/** Command words of a RUN with the directory each runs in (only `cd` changes it). */
function goCommands(script: string, startDir: string): { command: string; dir: string }[] {
  const out: { command: string; dir: string }[] = [];
  let dir = startDir;
  const segments = script.replace(/\\\r?\n/g, ' ').split(/&&|\|\||;|\n|\(|\)/);
  for (let segment of segments) {
    segment = segment.trim().replace(/^(then|else|do|elif|if|!)\s+/, '');
    while (/^[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|'[^']*'|\S*)\s+/.test(segment)) segment = segment.replace(/^[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|'[^']*'|\S*)\s+/, '');
    segment = segment.replace(/^(env|exec)\s+/, '');
    const cd = /^cd\s+(\S+)/.exec(segment);
    if (cd) {
      dir = path.posix.resolve(dir, unquote(cd[1]));
      continue;
    }
    // `go install pkg@version` and `go run pkg@version` build outside the main module.
    if (/^go\s+(install|run)\b/.test(segment) && /\S@\S/.test(segment)) continue;
    if (READS_MODULES.test(segment)) out.push({ command: segment.split(/\s+/).slice(0, 3).join(' '), dir });
  }
  return out;
}

function vendored(command: string, vars: Map<string, string>, hasVendor: boolean): boolean {
  return /-mod[= ]vendor/.test(command) || /-mod=vendor/.test(vars.get('GOFLAGS') ?? '') || hasVendor;
}

function copyInto(stage: Stage, files: readonly string[], sources: string[], dest: string): void {
  const many = sources.length > 1 || dest.endsWith('/');
  const target = path.posix.resolve(stage.workdir, dest);
  for (const raw of sources) {
    const source = raw.replace(/^\.\/+/, '').replace(/\/+$/, '') || '.';
    if (/[*?[]/.test(source)) {
      const re = globToRegExp(source);
      for (const f of files.filter((f) => re.test(f))) stage.files.set(path.posix.join(target, path.posix.basename(f)), f);
      continue;
    }
    const under = files.filter((f) => source === '.' || f.startsWith(`${source}/`));
    if (files.includes(source)) {
      stage.files.set(many ? path.posix.join(target, path.posix.basename(source)) : target, source);
    } else {
      for (const f of under) stage.files.set(path.posix.join(target, source === '.' ? f : f.slice(source.length + 1)), f);
    }
  }
}

/** Problems of `dockerfile` against the context in `contextDir`; [] when every Go command finds its module files. */
export function moduleFileProblems(dockerfile: string, contextDir: string): ModuleFileProblem[] {
  const files = contextFiles(contextDir);
  // GOPATH-mode projects have no module files to find.
  if (!files.some((f) => f === 'go.mod' || f.endsWith('/go.mod'))) return [];
  const read = (p: string) => fs.readFileSync(path.join(contextDir, p), 'utf8');
  const stages = new Map<string, Stage>();
  const problems: ModuleFileProblem[] = [];
  let stage: Stage | undefined;
  let index = 0;
  const globalArgs = new Map<string, string>();
  for (const instruction of DockerfileParser.parse(dockerfile).getInstructions() as Instruction[]) {
    const keyword = instruction.getKeyword();
    const args = instruction.getArguments().map((a) => a.getValue());
    const line = instruction.getRange().start.line + 1;
    if (keyword === 'FROM') {
      const image = expand(args[0] ?? '', globalArgs);
      const parent = stages.get(image);
      stage = parent
        ? { files: new Map(parent.files), vars: new Map(parent.vars), workdir: parent.workdir }
        : { files: new Map(), vars: new Map(/golang/.test(image) ? [['GOPATH', '/go']] : []), workdir: '/' };
      const name = args[1]?.toUpperCase() === 'AS' ? args[2] : undefined;
      stages.set(String(index++), stage);
      if (name) stages.set(name, stage);
      continue;
    }
    if (keyword === 'ARG') {
      for (const arg of args) {
        const [name, ...value] = arg.split('=');
        (stage?.vars ?? globalArgs).set(name, unquote(value.join('=')));
      }
      continue;
    }
    if (!stage) continue;
    if (keyword === 'ENV') {
      if (args.length === 2 && !args[0].includes('=')) stage.vars.set(args[0], unquote(expand(args[1], stage.vars)));
      else for (const arg of args) {
        const [name, ...value] = arg.split('=');
        stage.vars.set(name, unquote(expand(value.join('='), stage.vars)));
      }
    } else if (keyword === 'WORKDIR') {
      stage.workdir = path.posix.resolve(stage.workdir, expand(args.join(' '), stage.vars));
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      const flags = 'getFlags' in instruction ? (instruction as unknown as { getFlags(): { getName(): string }[] }).getFlags() : [];
      if (flags.some((f) => f.getName() === 'from')) continue;
      const values = args.map((a) => expand(unquote(a), stage!.vars));
      if (values.length < 2) continue;
      copyInto(stage, files, values.slice(0, -1), values[values.length - 1]);
    } else if (keyword === 'RUN') {
      const flags = (instruction as unknown as { getFlags(): { getName(): string; getValue(): string | null }[] }).getFlags();
      const runStage: Stage = { ...stage, files: new Map(stage.files) };
      for (const mount of flags.filter((f) => f.getName() === 'mount').map((f) => f.getValue() ?? '')) {
        const options = new Map(mount.split(',').map((kv) => { const [k, ...v] = kv.split('='); return [k, unquote(v.join('='))] as [string, string]; }));
        if ((options.get('type') ?? 'bind') !== 'bind' || options.has('from')) continue;
        const target = options.get('target') ?? options.get('dst') ?? options.get('destination');
        if (target) copyInto(runStage, files, [options.get('source') ?? '.'], target.endsWith('/') ? target : `${target}/`);
      }
      const script = instruction.getRawArgumentsContent?.() ?? args.join(' ');
      for (const { command, dir } of goCommands(script ?? '', stage.workdir)) {
        problems.push(...checkCommand(runStage, read, files, command, dir, line));
      }
    }
  }
  return problems;
}

function checkCommand(stage: Stage, read: (p: string) => string, files: readonly string[], command: string, dir: string, line: number): ModuleFileProblem[] {
  if (stage.vars.get('GO111MODULE') === 'off') return [];
  let moduleDir: string | undefined;
  for (let d = dir; ; d = path.posix.dirname(d)) {
    if (stage.files.has(path.posix.join(d, 'go.mod'))) { moduleDir = d; break; }
    if (d === '/') break;
  }
  if (!moduleDir) return [{ line, command, missing: `go.mod in ${dir} or a parent` }];
  const source = stage.files.get(path.posix.join(moduleDir, 'go.mod'))!;
  const sourceDir = path.posix.dirname(source);
  const problems: ModuleFileProblem[] = [];
  const sum = sourceDir === '.' ? 'go.sum' : `${sourceDir}/go.sum`;
  const hasVendor = files.includes(sourceDir === '.' ? 'vendor/modules.txt' : `${sourceDir}/vendor/modules.txt`);
  const needsSum = command.startsWith('go mod download') || !vendored(command, stage.vars, hasVendor);
  if (needsSum && files.includes(sum) && !stage.files.has(path.posix.join(moduleDir, 'go.sum'))) problems.push({ line, command, missing: `${moduleDir}/go.sum` });
  for (const replaced of localReplaces(read(source))) {
    const at = path.posix.join(moduleDir, replaced, 'go.mod');
    if (!stage.files.has(at)) problems.push({ line, command, missing: at });
  }
  return problems;
}

const SETUP_ENV = /^(GOPRIVATE|GONOSUMDB|GONOSUMCHECK|GONOPROXY|GOPROXY|GOSUMDB|GOFLAGS|GOINSECURE|GIT_[A-Z_]+)$/;

/** Instructions that set up how modules are fetched: git rewrites, .netrc, proxy and privacy settings. */
function isAccessSetup(instruction: Instruction): boolean {
  const keyword = instruction.getKeyword();
  const text = instruction.getRawArgumentsContent() ?? '';
  if (keyword === 'RUN') return /git\s+config\b|\.netrc|insteadOf|go\s+env\s+-w/.test(text);
  if (keyword === 'ENV') return instruction.getArguments().some((a) => SETUP_ENV.test(a.getValue().split('=')[0]));
  return false;
}

function firstModuleReader(instructions: Instruction[]): number {
  return instructions.findIndex((i) => i.getKeyword() === 'RUN' && goCommands(i.getRawArgumentsContent() ?? '', '/').length > 0);
}

function stagesOf(text: string): Instruction[][] {
  const stages: Instruction[][] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions() as Instruction[]) {
    if (instruction.getKeyword() === 'FROM') stages.push([]);
    stages[stages.length - 1]?.push(instruction);
  }
  return stages;
}

/**
 * Access setup (git insteadOf, .netrc, GOPRIVATE, GOPROXY …) that ran before a stage's first Go
 * command reading modules in `original` but comes after that stage's first such command in `fixed`.
 */
export function accessSetupProblems(original: string, fixed: string): ModuleFileProblem[] {
  const problems: ModuleFileProblem[] = [];
  const before = stagesOf(original);
  const after = stagesOf(fixed);
  before.forEach((stage, index) => {
    const reader = firstModuleReader(stage);
    if (reader < 0 || !after[index]) return;
    const setup = stage.slice(0, reader).filter(isAccessSetup).map((i) => i.getTextContent().trim());
    const fixedStage = after[index];
    const fixedReader = firstModuleReader(fixedStage);
    if (fixedReader < 0) return;
    const readerText = goCommands(fixedStage[fixedReader].getRawArgumentsContent() ?? '', '/')[0].command;
    for (const text of setup) {
      const at = fixedStage.findIndex((i) => i.getTextContent().trim() === text);
      if (at > fixedReader) problems.push({ line: fixedStage[fixedReader].getRange().start.line + 1, command: readerText, missing: `\`${text.split('\n')[0]}\`` });
    }
  });
  return problems;
}
