// go-dockerfile-cache: check | fix | profile | history | rules. Exit codes: 0 clean, 1 findings at or above
// --fail-on, 2 usage or read errors (with a message on stderr); profile exits with docker's status.
//
// Each command loads what it needs when it runs: `profile` starts docker before the analysis core
// is loaded (its wall time is compared with a plain docker build), check and fix load it at once.
import { setFlagsFromString } from 'node:v8';
import { runProfileCommand } from './profile/profile-cli';
import { version } from '../../package.json';

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'profile': return await runProfileCommand(rest);
      case 'measure': return await (await import('./measure/measure-cli')).runMeasureCommand(rest);
      case 'history': return await (await import('./profile/records/history-cli')).runHistoryCommand(rest);
      case '--version': case '-v': process.stdout.write(`${version}\n`); return 0;
      default: return await (await import('./cli/commands')).runCommand(command, rest);
    }
  } catch (error) {
    process.stderr.write(`go-dockerfile-cache: ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}

if (require.main === module) {
  // A command lives for a moment: V8's optimizing compiler spends over a second of CPU on the shell
  // grammar's WebAssembly once it runs, and the process waits for it at exit. Its baseline
  // compiler parses a Dockerfile's RUNs in well under a millisecond each, which is all a run needs.
  setFlagsFromString('--liftoff-only');
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
