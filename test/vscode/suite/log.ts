import { format } from 'node:util';

/**
 * code-server hands the extension host's console to the workbench log, unformatted
 * and mixed with the workbench's own messages; the launcher sets a tag so it can
 * pick the suite's lines out. A desktop VS Code prints them as they are.
 */
export function suiteLog(...args: unknown[]): void {
  const tag = process.env.GDC_VSCODE_RELAY_TAG;
  if (tag) console.log(tag + format(...args));
  else console.log(...args);
}
