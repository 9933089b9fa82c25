// Turns the goDockerfileCache.* settings into build options. Each value is checked for its type
// because settings.json is hand-written; a wrong type falls back to the default instead of
// reaching docker. Everything becomes argv for docker, never shell text.
import * as path from 'node:path';
import { allBuildArgs, secretRedactor, type BuildOptions } from '../../../server/src/profile/docker';

/** Reads one setting; `vscode.WorkspaceConfiguration.get` has this shape. */
export type SettingReader = (key: string) => unknown;

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function buildArgs(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const args: Record<string, string> = {};
  for (const [name, arg] of Object.entries(value)) {
    if (typeof arg === 'string' || typeof arg === 'number' || typeof arg === 'boolean') args[name] = String(arg);
  }
  return args;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * `buildContext` is relative to the Dockerfile's folder (absolute paths are kept); empty means
 * `discovered` (the context the language server analyses the file with), else that folder.
 */
export function readBuildSettings(get: SettingReader, dockerfile: string, discovered?: string): BuildOptions {
  const folder = path.dirname(dockerfile);
  const context = nonEmptyString(get('buildContext'));
  return {
    dockerPath: nonEmptyString(get('docker.path')),
    builder: nonEmptyString(get('build.builder')),
    dockerfile,
    context: context === undefined ? discovered ?? folder : path.resolve(folder, context),
    target: nonEmptyString(get('build.target')),
    buildArgs: buildArgs(get('build.args')),
    extraArgs: stringList(get('build.extraArgs')),
    tag: nonEmptyString(get('build.tag')),
  };
}

/** What the output channel says about a build before it starts, with the build whose context it takes; secret build-arg values hidden. */
export function describeBuild(options: BuildOptions, contextBecause?: string): string[] {
  const lines = [`Dockerfile: ${options.dockerfile}`, `context: ${options.context}${contextBecause ? ` (as ${contextBecause} builds it)` : ''}`];
  if (options.target) lines.push(`target: ${options.target}`);
  if (options.builder) lines.push(`builder: ${options.builder}`);
  if (options.tag) lines.push(`tag: ${options.tag}`);
  for (const [name, value] of Object.entries(options.buildArgs ?? {})) lines.push(`build arg: ${name}=${value}`);
  if (options.extraArgs?.length) lines.push(`extra args: ${options.extraArgs.join(' ')}`);
  return lines.map(secretRedactor(allBuildArgs(options)));
}
