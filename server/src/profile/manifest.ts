// What the last profiled build of a Dockerfile saw: a content hash of every file in its build
// context (as .dockerignore leaves it), its steps, and its build args — hashed, so no value ever
// reaches the disk. Comparing with it explains why a step missed the cache.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { diskContext, dockerfileInContext, readDockerIgnore } from '../analysis/model/context';
import type { StepAnnotation } from './model';
import { settingsBefore, type BuildPlan } from './steps';

export interface ManifestStep {
  /** Stage name, or its index when unnamed. */
  stage: string;
  instruction: string;
  /** The ENV, ARG, USER and SHELL lines before the step in its stage. */
  settings: string;
  /** It finished (ran or came from the cache) in that build, so BuildKit holds it. */
  completed: boolean;
}

export interface BuildManifest {
  version: 1;
  dockerfile: string;
  context: string;
  /** Context-relative path (forward slashes) → sha256 of its content. */
  files: Record<string, string>;
  /** More files than the snapshot reads; the file list is then incomplete. */
  truncated: boolean;
  steps: ManifestStep[];
  /** Build arg name → salted sha256 of its value. */
  buildArgs: Record<string, string>;
  salt: string;
}

export interface ContextSnapshot {
  files: Record<string, string>;
  truncated: boolean;
}

const MAX_FILES = 20_000;
const WHOLE_READ_LIMIT = 16 * 1024 * 1024;
const PARALLEL_READS = 16;

async function hashFile(file: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  if (size <= WHOLE_READ_LIMIT) return hash.update(await fs.readFile(file)).digest('hex');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Hashes the files docker would send as the build context for the Dockerfile at `dockerfile`
 * (its own ignore file, else the context's). Unreadable files are skipped.
 */
export async function snapshotContext(contextDir: string, dockerfile?: string, maxFiles = MAX_FILES): Promise<ContextSnapshot> {
  const ignore = readDockerIgnore(diskContext(contextDir), dockerfile === undefined ? undefined : dockerfileInContext(contextDir, dockerfile));
  // With an exception pattern (`!keep.txt`) an ignored folder may still hold sent files.
  const canPrune = !ignore.patterns.some((p) => p.startsWith('!'));
  const found: { rel: string; abs: string; size: number; link?: string }[] = [];
  let truncated = false;
  const walk = async (rel: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(path.join(contextDir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const ignored = ignore.ignores(childRel);
      const abs = path.join(contextDir, childRel);
      if (entry.isDirectory()) {
        if (!(ignored && canPrune)) await walk(childRel);
        continue;
      }
      if (ignored) continue;
      if (found.length >= maxFiles) {
        truncated = true;
        return;
      }
      if (entry.isSymbolicLink()) {
        found.push({ rel: childRel, abs, size: 0, link: await fs.readlink(abs).catch(() => '') });
      } else if (entry.isFile()) {
        const size = await fs.stat(abs).then((s) => s.size, () => -1);
        if (size >= 0) found.push({ rel: childRel, abs, size });
      }
    }
  };
  await walk('');
  const files: Record<string, string> = {};
  for (let i = 0; i < found.length; i += PARALLEL_READS) {
    await Promise.all(found.slice(i, i + PARALLEL_READS).map(async (file) => {
      try {
        files[file.rel] = file.link !== undefined ? `symlink:${file.link}` : await hashFile(file.abs, file.size);
      } catch {
        // Gone or unreadable between listing and reading: docker would not send it either.
      }
    }));
  }
  return { files, truncated };
}

export function stageKey(name: string | undefined, index: number): string {
  return name?.toLowerCase() ?? String(index);
}

function hashArg(salt: string, name: string, value: string): string {
  return createHash('sha256').update(`${salt}\0${name}\0${value}`).digest('hex');
}

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

export function createManifest(
  plan: BuildPlan,
  where: { dockerfile: string; context: string },
  snapshot: ContextSnapshot,
  buildArgs: Readonly<Record<string, string>>,
  salt: string,
  annotations: readonly StepAnnotation[],
): BuildManifest {
  const steps: ManifestStep[] = [];
  const model = plan.model;
  for (const step of plan.steps) {
    const stage = model?.stages[step.stageIndex];
    const state = annotations.find((a) => a.line === step.line)?.state;
    steps.push({
      stage: stageKey(step.stageName, step.stageIndex),
      instruction: step.instruction,
      settings: model && stage ? settingsBefore(model, stage, step.node) : '',
      completed: state === 'done' || state === 'cached',
    });
  }
  return {
    version: 1,
    dockerfile: path.resolve(where.dockerfile),
    context: path.resolve(where.context),
    files: snapshot.files,
    truncated: snapshot.truncated,
    steps,
    buildArgs: hashBuildArgs(buildArgs, salt),
    salt,
  };
}

/** Hashes build args the way a manifest with this salt stores them. */
export function hashBuildArgs(buildArgs: Readonly<Record<string, string>>, salt: string): Record<string, string> {
  return Object.fromEntries(Object.entries(buildArgs).map(([name, value]) => [name, hashArg(salt, name, value)]));
}

export { defaultManifestDir } from './cacheDir';

export function manifestPath(dir: string, dockerfile: string, context: string): string {
  const key = createHash('sha256').update(`${path.resolve(dockerfile)}\0${path.resolve(context)}`).digest('hex').slice(0, 24);
  return path.join(dir, `profile-${key}.json`);
}

function isManifest(value: unknown): value is BuildManifest {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<BuildManifest>;
  return m.version === 1 && typeof m.files === 'object' && m.files !== null && Array.isArray(m.steps)
    && typeof m.buildArgs === 'object' && m.buildArgs !== null && typeof m.salt === 'string';
}

/** The manifest of the last profiled build; undefined when there is none or it is unreadable. */
export async function loadManifest(dir: string, dockerfile: string, context: string): Promise<BuildManifest | undefined> {
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(manifestPath(dir, dockerfile, context), 'utf8'));
    return isManifest(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the manifest atomically; false when the directory is not writable. */
export async function saveManifest(dir: string, manifest: BuildManifest): Promise<boolean> {
  const file = manifestPath(dir, manifest.dockerfile, manifest.context);
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(temporary, JSON.stringify(manifest));
    await fs.rename(temporary, file);
    return true;
  } catch {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    return false;
  }
}
