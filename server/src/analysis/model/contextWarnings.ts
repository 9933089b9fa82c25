// Problems with the build context's own files that the analysis works around but the user should
// hear about: .dockerignore patterns docker rejects, and a go.mod that cannot be read.
import { isCopy, type DockerfileModel } from './model';

function moduleDirs(model: DockerfileModel): string[] {
  const dirs = new Set(['.']);
  for (const instruction of model.instructions) {
    if (!isCopy(instruction) || instruction.from) continue;
    for (const source of instruction.sources) if (source.moduleDir && !/[*?[]/.test(source.moduleDir)) dirs.add(source.moduleDir);
  }
  return [...dirs].sort();
}

export function contextWarnings(model: DockerfileModel): string[] {
  const context = model.context;
  if (!context?.root) return [];
  const warnings = model.dockerignore.invalid.map(({ line, pattern, reason }) =>
    `${context.root}/.dockerignore line ${line}: "${pattern}" is not a valid pattern (${reason}); docker refuses to build with it. The analysis leaves it out.`);
  for (const dir of moduleDirs(model)) {
    const goMod = dir === '.' ? 'go.mod' : `${dir}/go.mod`;
    if (!context.exists(goMod) || context.readText(goMod) !== undefined) continue;
    const why = context.isDirectory(goMod) ? 'it is a folder' : 'it is unreadable or a link to a missing file';
    warnings.push(`${context.root}/${goMod} cannot be read (${why}): go commands in the build will fail on it.`);
  }
  return warnings;
}
