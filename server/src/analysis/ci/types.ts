// Where a Dockerfile is built decides which cache advice holds: a local builder keeps its cache
// mounts between builds, a CI runner starts empty and gets back only the layers its workflow
// exported with --cache-to.

export type BuildsIn = 'local' | 'ci';
/** The setting and CLI flag: `auto` reads the workspace's CI files. */
export type BuildsInSetting = 'auto' | BuildsIn;

export const BUILDS_IN_SETTINGS: readonly BuildsInSetting[] = ['auto', 'local', 'ci'];

/** One `--cache-to` / `cache-to` entry. */
export interface CacheExport {
  /** gha, registry, local, inline, s3, azblob… */
  type: string;
  /** `min` (the default) exports only the layers of the image the build produces; `max` every stage's. */
  mode: 'min' | 'max';
  /** As written, for messages. */
  text: string;
}

export type CiSystem = 'github-actions' | 'gitlab-ci' | 'bake' | 'script' | 'compose';

/** A CI file's step that builds the Dockerfile. */
export interface CiBuild {
  system: CiSystem;
  /** The file that builds it, relative to the repository root, with forward slashes. */
  file: string;
  /** One-based line of the step or command. */
  line: number;
  /** What the build exports: empty when it exports no cache. */
  cacheTo: CacheExport[];
  /** Some cache-to value is only known when the CI runs (an expression or variable). */
  cacheToUnknown: boolean;
  cacheFrom: string[];
  /**
   * The job restores BuildKit's cache mounts from a CI cache before the build (an actions cache
   * injected into the builder), so cache mounts do not start empty there.
   */
  restoresCacheMounts: boolean;
  /** The job runs on a self-hosted runner, whose builder may keep its cache between jobs. */
  selfHosted: boolean;
  /** The platforms it builds for, as written (`linux/arm64`); none when it names none (the runner's own). */
  platforms?: string[];
  /** The job sets up QEMU (docker/setup-qemu-action, tonistiigi/binfmt): platforms other than the runner's run emulated. */
  emulates?: boolean;
  /** It builds with `--no-cache` (`no-cache: true`): no layer comes from the cache. */
  noCache?: boolean;
  /** How a build that is no command line says so, as written (`no-cache: true`, compose's `no_cache: true`). */
  noCacheSetting?: string;
  /**
   * A build a Makefile or script runs without exporting a cache: what developers run. It says how
   * the image is built (its flags), not that it is built in CI.
   */
  local?: boolean;
  /** Built through Docker's API with the classic builder (see BuildSite.classicBuilder). */
  classic?: boolean;
  /** Its build context folder, relative to the repository root; undefined when unknown or not a folder. */
  context?: string;
}

/** Where the analysis takes the Dockerfile to be built, and why. */
export interface BuildSite {
  where: BuildsIn;
  /** How that was decided: the setting or flag, CI files found, the CI variable, or none found. */
  source: 'setting' | 'ci-files' | 'ci-variable' | 'no-ci-files';
  /** The CI step that builds it, when a CI file says so. */
  ci?: CiBuild;
  /** A CI step that builds it for several architectures in a job that emulates all but the runner's. */
  emulated?: CiBuild;
  /** Every build of it the repository runs passes `--no-cache`: this one (GD028), and no layer is ever reused. */
  noCache?: CiBuild;
  /**
   * A Go program of the repository builds it through Docker's API with the classic builder
   * (ory/dockertest, fsouza/go-dockerclient), which rejects `RUN --mount` and builds one platform.
   */
  classicBuilder?: CiBuild;
}

/** Files of the repository a Dockerfile lives in, read by path relative to its root. */
export interface WorkspaceFiles {
  /** Absolute path of the repository root, '' when unknown. */
  readonly root: string;
  readText(relativePath: string): string | undefined;
  /** Names of the files (not folders) directly inside a folder; '.' is the root. */
  filesIn(relativeDir: string): string[];
  /** Whether the folder exists; '.' is the root. */
  hasFolder(relativeDir: string): boolean;
  /** Names of the folders directly inside a folder. */
  foldersIn(relativeDir: string): string[];
}

/** `file:line`, as messages and the hover show a CI step. */
export function ciLocation(build: CiBuild): string {
  return `${build.file}:${build.line}`;
}

/** The cache export that decides what the next run gets back: the first `mode=max` one, else the first. */
export function mainCacheExport(build: CiBuild): CacheExport | undefined {
  return build.cacheTo.find((c) => c.mode === 'max') ?? build.cacheTo[0];
}
