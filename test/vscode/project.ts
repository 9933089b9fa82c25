// Where the editor tests find the project and put their scratch files; shared
// by the suite runner and the UI smoke test.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const root = path.resolve(__dirname, '../..');

/** Until the client is written there is no extension to package or exercise. */
export const clientAbsent = !existsSync(path.join(root, 'client/src/extension.ts'));

const scratchDirs: string[] = [];

export function scratch(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `gdc-vscode-${name}-`));
  scratchDirs.push(dir);
  return dir;
}

/** After a passing run; a failing one keeps its folders, logs and workspace to look at. */
export function removeScratch(): void {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Where `npm run package` (vsce's default name) puts the .vsix. */
export function vsixPath(): string {
  const { name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(root, `${name}-${version}.vsix`);
}

/** A throwaway copy of examples/, so tests may edit, save and build freely. */
export function prepareWorkspace(): string {
  // Named like the original, which is the name the Explorer and the screenshots show.
  const workspace = path.join(scratch('workspace'), 'examples');
  const examples = path.join(root, 'examples');
  if (existsSync(examples)) cpSync(examples, workspace, { recursive: true });
  else mkdirSync(workspace);
  return workspace;
}
