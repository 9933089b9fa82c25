// Entry point the extension host loads (extensionTestsPath): runs the editor
// suite with mocha inside VS Code and rejects when any test fails, which makes
// VS Code exit non-zero.
import Mocha from 'mocha';
import { suiteLog } from './log';

export async function run(): Promise<void> {
  Mocha.reporters.Base.consoleLog = suiteLog;
  // The report travels through logs, where colour codes are noise (mocha turns them on under CI).
  Mocha.reporters.Base.useColors = false;
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: 60_000,
    grep: process.env.GDC_VSCODE_GREP,
  });
  // The suite files are bundled into this file, so mocha cannot load them
  // itself; give them its globals first, then evaluate them.
  mocha.suite.emit('pre-require', globalThis, 'bundled', mocha);
  await import('./workbench.test');
  await import('./diagnostics.test');
  await import('./fixes.test');
  await import('./hover.test');
  await import('./settings.test');
  await import('./build.test');
  await import('./records.test');
  await import('./measure.test');
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} editor test(s) failed`);
}
