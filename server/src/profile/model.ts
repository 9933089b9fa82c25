// What a profiled build tells the user, one record per Dockerfile instruction that BuildKit runs
// as a step. Shared by the CLI, the language server and the VS Code client; no I/O here.

export type StepState = 'running' | 'cached' | 'done' | 'error' | 'canceled' | 'not-run';

export interface StepAnnotation {
  /** 0-based first line of the instruction. */
  line: number;
  /** 0-based last line of the instruction (differs from `line` for continued lines). */
  endLine: number;
  /** The instruction as written, continuation lines joined into one. */
  instruction: string;
  /** Stage name as written in the Dockerfile; undefined for unnamed stages. */
  stage?: string;
  /** Position of the step in its stage, as BuildKit counts (1-based), and the stage's step count. */
  index?: number;
  total?: number;
  state: StepState;
  durationMs?: number;
  /** This step's part of the time all steps took (0..1); shares add up to 1 even when stages run in parallel. */
  share?: number;
  /** The step's last output lines. */
  logs: string[];
  error?: string;
  /** Set on the first step of a stage that missed the cache: why BuildKit had to run it. */
  missReason?: string;
}

/** A warning from BuildKit's Dockerfile checks (current BuildKit only). */
export interface BuildWarning {
  message: string;
  /** 0-based Dockerfile line, when BuildKit gave one. */
  line?: number;
}

export interface BuildSummary {
  /** Wall-clock time of the whole build. */
  totalMs: number;
  /** Steps BuildKit reported CACHED. */
  cached: number;
  /**
   * Steps that can be cached. FROM is left out: BuildKit resolves the base image on every build
   * and never reports it CACHED, so counting it would make a fully cached build look partial.
   */
  total: number;
  /** Up to three steps that took longest, slowest first. */
  slowest: StepAnnotation[];
  /** docker's exit status; null when it could not be started or was killed by a signal. */
  exitCode: number | null;
  canceled: boolean;
  /** Why the build failed or could not start, in words for the user. */
  error?: string;
  /** BuildKit's warnings about the Dockerfile (rule and message), each once. */
  warnings?: BuildWarning[];
  /** Where the built image went (docker's image store, loaded from a builder, or nowhere), after a successful build. */
  image?: string;
  /** Set when the build could not start because docker, its daemon or BuildKit is missing. */
  unavailable?: 'docker' | 'daemon' | 'buildkit';
}

export interface BuildResult {
  steps: StepAnnotation[];
  summary: BuildSummary;
}

