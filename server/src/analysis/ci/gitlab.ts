// .gitlab-ci.yml: the `script` lines of every job (and the `default` section's) are shell.
import { shellBuilds, type FoundBuild } from './found';
import type { WorkspaceFiles } from './types';
import { itemsOf, lineOfNode, pairsOf, parseYaml, scalarLine, stringOf, valueOf } from './yamlNodes';

export const GITLAB_CI_FILE = '.gitlab-ci.yml';

const SCRIPT_KEYS = ['before_script', 'script', 'after_script'];

/** Script entries may nest one list inside another (YAML anchors do that). */
function scriptLines(node: unknown, depth = 0): unknown[] {
  if (depth > 5) return [];
  if (stringOf(node) !== undefined) return [node];
  return itemsOf(node).flatMap((item) => scriptLines(item, depth + 1));
}

export function gitlabBuilds(workspace: WorkspaceFiles): FoundBuild[] {
  const text = workspace.readText(GITLAB_CI_FILE);
  const yaml = text === undefined ? undefined : parseYaml(text);
  if (!yaml) return [];
  const out: FoundBuild[] = [];
  for (const job of pairsOf(yaml.root)) {
    for (const key of SCRIPT_KEYS) {
      for (const line of scriptLines(valueOf(job.value, key))) {
        const script = stringOf(line)!;
        out.push(...shellBuilds(workspace, 'gitlab-ci', GITLAB_CI_FILE, script, '.', (valueLine) => (valueLine === 0 ? lineOfNode(yaml, line) : scalarLine(yaml, line, valueLine))));
      }
    }
  }
  return out;
}
