// The settings the language server reads, section `goDockerfileCache`, and what else client and
// server agree on.
// Adding a setting: declare it in package.json `contributes.configuration`, read it in
// `readSettings` with its default, use it where the server analyses a document.
import * as path from 'node:path';
import type { RuleSettings } from '../analysis/model/types';
import { isBuildsInSetting } from '../analysis/ci/discover';
import type { BuildsInSetting } from '../analysis/ci/types';

export const SETTINGS_SECTION = 'goDockerfileCache';

/** Files whose change alters what the analysis of a Dockerfile says. */
export const WATCHED_FILE_GLOBS = [
  // A Dockerfile's own ignore file (`Dockerfile.dockerignore`) as well as the context's.
  '**/*.dockerignore', '**/.dockerignore', '**/go.mod', '**/go.sum',
  // The CI files that say where a Dockerfile is built (goDockerfileCache.buildsIn: auto).
  '**/.github/workflows/*.{yml,yaml}', '**/.gitlab-ci.yml', '**/docker-bake*.{hcl,json}', '**/{Makefile,makefile,GNUmakefile,*.mk,*.sh}',
  // Compose files that build the image (whether with the cache).
  '**/{compose,docker-compose}*.{yml,yaml}',
  // What `RUN task build` runs (the analysis reads the Taskfile the Dockerfile copies).
  '**/{Taskfile,taskfile}*.{yml,yaml}',
];

/** What the client tells the server when it starts it (`initializationOptions`). */
export interface InitializationOptions {
  /** Debounce for didChange, in milliseconds. */
  debounceMs?: number;
  /**
   * The client itself forwards configuration changes and WATCHED_FILE_GLOBS events, so the
   * server must not register for them again (the editor would send each event twice).
   */
  clientSynchronizes?: boolean;
  /** The client's command that measures a Dockerfile's fix; the server offers it as a code action. */
  measureCommand?: string;
}

export interface ServerSettings {
  /** Rule id → off | info | warning | error. */
  rules: RuleSettings;
  /** Build context folder, relative to the Dockerfile's folder ('' = that folder). */
  buildContext: string;
  /** Where the image is built: auto reads the repository's CI files. */
  buildsIn: BuildsInSetting;
}

export const DEFAULT_SETTINGS: ServerSettings = { rules: {}, buildContext: '', buildsIn: 'auto' };

/** Settings as the editor sent them, which may be anything: wrong types fall back to defaults. */
export function readSettings(raw: unknown): ServerSettings {
  const section = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const rules: RuleSettings = {};
  if (section.rules && typeof section.rules === 'object' && !Array.isArray(section.rules)) {
    for (const [id, value] of Object.entries(section.rules as Record<string, unknown>)) {
      // Unknown ids and values pass through: the analysis reports them as warnings.
      if (typeof value === 'string') rules[id] = value as RuleSettings[string];
    }
  }
  const buildContext = typeof section.buildContext === 'string' ? section.buildContext.trim() : '';
  const buildsIn = isBuildsInSetting(section.buildsIn) ? section.buildsIn : 'auto';
  return { rules, buildContext, buildsIn };
}

/** Absolute folder of the build context for a Dockerfile on disk. */
export function buildContextDir(dockerfilePath: string, settings: ServerSettings): string {
  return path.resolve(path.dirname(dockerfilePath), settings.buildContext || '.');
}
