// GitHub Actions workflows (.github/workflows/*.yml): docker/build-push-action and
// docker/bake-action steps, and `run:` steps that call docker buildx build or bake.
import { repositoryPath } from './buildCommand';
import { bakeRunBuilds, buildFromStrings, shellBuilds, type FoundBuild } from './found';
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

function stepBuilds(workspace: WorkspaceFiles, file: string, yaml: YamlFile, step: unknown, defaultWorkdir: string): FoundBuild[] {
  const action = actionName(step);
  const inputs = valueOf(step, 'with');
  const input = (name: string) => stringOf(valueOf(inputs, name));
  const stepLine = lineOfNode(yaml, pairOf(step, 'uses')?.key ?? pairOf(step, 'run')?.key ?? step);
  if (action === 'docker/build-push-action') {
    // Without `context`, the action builds the repository at the pushed commit: its root.
    const context = input('context') ?? '.';
    const contextPath = repositoryPath('.', context);
    const fileInput = input('file');
    const dockerfile = fileInput !== undefined ? repositoryPath('.', fileInput) : contextPath === undefined ? undefined : `${contextPath}/Dockerfile`;
    return [buildFromStrings('github-actions', file, stepLine, dockerfile, listInput(input('cache-to')), listInput(input('cache-from')), false, listInput(input('platforms')))];
  }
  if (action === 'docker/bake-action') {
    const workdir = repositoryPath('.', input('workdir') ?? '.') ?? '.';
    const files = listInput(input('files')).flatMap((f) => f.split(',')).map((f) => repositoryPath(workdir, f.trim())).filter((f): f is string => f !== undefined);
    const targets = listInput(input('targets')).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
    return bakeRunBuilds(workspace, 'github-actions', file, stepLine, files, targets, listInput(input('set')));
  }
  const runNode = valueOf(step, 'run');
  const run = stringOf(runNode);
  if (run === undefined) return [];
  const workdir = repositoryPath('.', stringOf(valueOf(step, 'working-directory')) ?? defaultWorkdir) ?? '.';
  return shellBuilds(workspace, 'github-actions', file, run, workdir, (line) => scalarLine(yaml, runNode, line));
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
      for (const step of steps) {
        for (const build of stepBuilds(workspace, file, yaml, step, jobWorkdir)) out.push({ ...build, selfHosted, restoresCacheMounts, emulates });
      }
    }
  }
  return out;
}
