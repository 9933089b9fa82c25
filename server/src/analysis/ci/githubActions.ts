// GitHub Actions workflows (.github/workflows/*.yml): docker/build-push-action and
// docker/bake-action steps, and `run:` steps that call docker buildx build or bake, once for each
// Dockerfile, context and platforms their matrix, earlier steps' outputs and env values make of them.
import { repositoryPath } from './buildCommand';
import { bakeRunBuilds, buildFromStrings, shellBuilds, type FoundBuild } from './found';
import { expandExpressions, literalEnv, matrixCombinations, scriptOutputs, type ExpressionScope } from './githubExpressions';
import type { WorkspaceFiles } from './types';
import { itemsOf, lineOfNode, pairOf, pairsOf, parseYaml, scalarLine, stringOf, valueOf, type YamlFile } from './yamlNodes';

export const WORKFLOWS_DIR = '.github/workflows';

/** A `run:` step that registers QEMU for other architectures. */
const QEMU_SETUP = /\b(tonistiigi\/binfmt|multiarch\/qemu-user-static)\b/;

/** Action inputs that take a list: one entry a line (commas belong to the entries). */
function listInput(value: string | undefined): string[] {
  return (value ?? '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
}

/** The `uses:` name without its version: `docker/build-push-action`. */
function actionName(step: unknown): string {
  return (stringOf(valueOf(step, 'uses')) ?? '').split('@')[0].toLowerCase();
}

/** Beyond this many ways of filling one step's inputs, the rest are read as written. */
const MAX_STEP_VARIANTS = 64;

/** Each way of filling a step's inputs, one per combination of the values its expressions may take. */
function inputVariants(inputs: unknown, names: readonly string[], scope: ExpressionScope): Map<string, string>[] {
  let variants = [new Map<string, string>()];
  for (const name of names) {
    const written = stringOf(valueOf(inputs, name));
    if (written === undefined) continue;
    const values = expandExpressions(written, scope);
    const next = variants.flatMap((v) => values.map((value) => new Map(v).set(name, value)));
    variants = next.length > MAX_STEP_VARIANTS ? variants.map((v) => new Map(v).set(name, written)) : next;
  }
  return variants;
}

function stepBuilds(workspace: WorkspaceFiles, file: string, yaml: YamlFile, step: unknown, defaultWorkdir: string, scope: ExpressionScope): FoundBuild[] {
  const action = actionName(step);
  const inputs = valueOf(step, 'with');
  const stepLine = lineOfNode(yaml, pairOf(step, 'uses')?.key ?? pairOf(step, 'run')?.key ?? step);
  if (action === 'docker/build-push-action') {
    return inputVariants(inputs, ['context', 'file', 'platforms', 'cache-to', 'cache-from'], scope).map((input) => {
      // Without `context`, the action builds the repository at the pushed commit: its root.
      const contextPath = repositoryPath('.', input.get('context') ?? '.');
      const fileInput = input.get('file');
      const dockerfile = fileInput !== undefined ? repositoryPath('.', fileInput) : contextPath === undefined ? undefined : `${contextPath}/Dockerfile`;
      const build = buildFromStrings('github-actions', file, stepLine, dockerfile, listInput(input.get('cache-to')), listInput(input.get('cache-from')), false, listInput(input.get('platforms')));
      const noCache = stringOf(valueOf(inputs, 'no-cache')) === 'true';
      return { ...build, context: contextPath, noCache, ...(noCache && { noCacheSetting: 'no-cache: true' }) };
    });
  }
  if (action === 'docker/bake-action') {
    return inputVariants(inputs, ['workdir', 'files', 'targets', 'set'], scope).flatMap((input) => {
      const workdir = repositoryPath('.', input.get('workdir') ?? '.') ?? '.';
      const files = listInput(input.get('files')).flatMap((f) => f.split(',')).map((f) => repositoryPath(workdir, f.trim())).filter((f): f is string => f !== undefined);
      const targets = listInput(input.get('targets')).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
      return bakeRunBuilds(workspace, 'github-actions', file, stepLine, files, targets, listInput(input.get('set')));
    });
  }
  const runNode = valueOf(step, 'run');
  const run = stringOf(runNode);
  if (run === undefined) return [];
  const workdir = repositoryPath('.', stringOf(valueOf(step, 'working-directory')) ?? defaultWorkdir) ?? '.';
  return expandExpressions(run, scope).flatMap((text) => shellBuilds(workspace, 'github-actions', file, text, workdir, (line) => scalarLine(yaml, runNode, line)));
}

/** Whether a step's inputs or script name a matrix value (`${{ matrix.… }}`). */
function mentionsMatrix(step: unknown): boolean {
  const texts = [stringOf(valueOf(step, 'run')), ...pairsOf(valueOf(step, 'with')).map((p) => stringOf(p.value))];
  return texts.some((t) => t !== undefined && /\$\{\{[^}]*\bmatrix\./.test(t));
}

/** The same build found through several combinations counts once. */
function distinct(builds: FoundBuild[]): FoundBuild[] {
  const seen = new Set<string>();
  return builds.filter((b) => {
    const key = JSON.stringify(b);
    return !seen.has(key) && (seen.add(key), true);
  });
}

/** Every image build in the repository's GitHub Actions workflows. */
export function githubActionsBuilds(workspace: WorkspaceFiles): FoundBuild[] {
  const out: FoundBuild[] = [];
  for (const name of workspace.filesIn(WORKFLOWS_DIR).filter((n) => /\.ya?ml$/i.test(n))) {
    const file = `${WORKFLOWS_DIR}/${name}`;
    const text = workspace.readText(file);
    const yaml = text === undefined ? undefined : parseYaml(text);
    if (!yaml) continue;
    const workflowWorkdir = stringOf(valueOf(valueOf(valueOf(yaml.root, 'defaults'), 'run'), 'working-directory')) ?? '.';
    const workflowEnv = literalEnv(yaml.root);
    for (const job of pairsOf(valueOf(yaml.root, 'jobs'))) {
      const steps = itemsOf(valueOf(job.value, 'steps'));
      const runsOn = valueOf(job.value, 'runs-on');
      const labels = [stringOf(runsOn), ...itemsOf(runsOn).map(stringOf), ...itemsOf(valueOf(runsOn, 'labels')).map(stringOf), stringOf(valueOf(runsOn, 'labels'))];
      const selfHosted = labels.some((l) => l?.toLowerCase() === 'self-hosted');
      // The common way to keep cache mounts on hosted runners: an actions cache injected into
      // the builder before the build (reproducible-containers/buildkit-cache-dance and its forks).
      const restoresCacheMounts = steps.some((s) => actionName(s).endsWith('/buildkit-cache-dance'));
      // QEMU registered with binfmt_misc: BuildKit runs the other platforms' steps under emulation.
      const emulates = steps.some((s) => actionName(s) === 'docker/setup-qemu-action' || QEMU_SETUP.test(stringOf(valueOf(s, 'run')) ?? ''));
      const jobWorkdir = stringOf(valueOf(valueOf(valueOf(job.value, 'defaults'), 'run'), 'working-directory')) ?? workflowWorkdir;
      // Without known combinations, `matrix.*` stays unknown: the step is read once, as written.
      const combinations = matrixCombinations(job.value) ?? [undefined];
      const jobEnv = [...workflowEnv, ...literalEnv(job.value)];
      const outputs = new Map<string, string[]>();
      for (const step of steps) {
        const env = new Map([...jobEnv, ...literalEnv(step)]);
        // A step that names no matrix value builds the same in every combination: read it once.
        const stepCombinations = mentionsMatrix(step) ? combinations : combinations.slice(0, 1);
        const builds = stepCombinations.flatMap((matrix) => stepBuilds(workspace, file, yaml, step, jobWorkdir, { matrix, outputs, env }));
        for (const build of distinct(builds)) out.push({ ...build, selfHosted, restoresCacheMounts, emulates });
        const id = stringOf(valueOf(step, 'id'));
        const run = stringOf(valueOf(step, 'run'));
        if (id !== undefined && run !== undefined) for (const [name, values] of scriptOutputs(run)) outputs.set(`${id}.${name}`, values);
      }
    }
  }
  return out;
}
