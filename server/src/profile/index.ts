// The build profiler's public surface, for the CLI, the language server and the VS Code client.
// Nothing here imports vscode; only runner.ts and docker.ts start processes.
export type { BuildResult, BuildSummary, BuildWarning, StepAnnotation, StepState } from './model';
export type { BuildOptions, ProgressMode } from './docker';
export type { BuildHandle, BuildUpdate } from './runner';
export type { BuildOutcome } from './annotate';
export type { ProgressEvent, ProgressParser, Vertex, VertexState } from './events';
export type { BuildPlan, PlannedStage, PlannedStep, StepName } from './steps';
export type { BuildManifest, ContextSnapshot } from './manifest';

export { startBuild } from './runner';
export { runProfileCommand, parseProfileArgs, PROFILE_USAGE } from './profile-cli';
export { PlainProgressParser } from './progress-plain';
export { RawJsonProgressParser } from './progress-rawjson';
export { VertexTable } from './events';
export { planSteps, parseStepName, matchStep } from './steps';
export { annotateSteps, summarize } from './annotate';
export { explainMisses, MISS_PREFIX } from './miss';
export { snapshotContext, createManifest, loadManifest, saveManifest, defaultManifestDir, manifestPath } from './manifest';
export { renderAnnotatedDockerfile, renderSummary, stepLabel, formatDuration } from './render';
export { allBuildArgs, dockerInvocation, isSecretName, resolveContext, resolveDockerPath, secretRedactor } from './docker';
